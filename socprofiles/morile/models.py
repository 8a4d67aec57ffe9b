"""Partnership risk assessments with MoRiLE: a long list of issues in themes, scored
independently by invited partners, agreed at a consensus step, ranked and shortlisted.

Every score keeps who gave it, when, with which model (name@version) and inputs, and why.
An assessment keeps a copy of its model's definition, so a later version of the model
never changes an assessment already made.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from socprofiles.accounts.models import Partnership
from socprofiles.core.models import BaseModel


class Stage(models.TextChoices):
    DRAFT = "draft", "Building the list of issues"
    SCORING = "scoring", "Scoring"
    CONSENSUS = "consensus", "Agreeing scores"
    CLOSED = "closed", "Agreed and closed"


class Assessment(BaseModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="assessments"
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    model_id = models.CharField(max_length=60, help_text="The MoRiLE model, name@version.")
    # JSON text, not a JSON field: PostgreSQL's jsonb reorders keys, and a model's order
    # (its factors, its outputs computed one after another) is part of its meaning.
    model_definition = models.TextField(
        help_text="The model (as JSON, in its own order) as it was when the assessment began."
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    shortlist_size = models.PositiveIntegerField(null=True, blank=True)
    shortlist_threshold = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("morile:assessment_detail", kwargs={"pk": self.pk})

    @property
    def definition(self) -> dict[str, Any]:
        """A fresh copy of the stored model definition."""
        loaded: dict[str, Any] = json.loads(self.model_definition)
        return loaded


class Theme(BaseModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="theme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Issue(BaseModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="issues")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    shortlisted = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="issue_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Scorer(BaseModel):
    """A partner invited to score. Scorers score alone: nobody sees another's scores until
    the assessment moves to the consensus step."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scorers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["organisation_name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="scorer_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.assessment}"


class Score(BaseModel):
    """One scorer's score of one issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True)
    model_id = models.CharField(max_length=60)
    inputs = models.JSONField()
    outputs = models.JSONField()
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["issue", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "scorer"], name="score_unique_scorer")
        ]

    def __str__(self) -> str:
        return f"{self.issue} by {self.scorer}"


class AgreedScore(BaseModel):
    """The partnership's agreed score of an issue, with why."""

    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, related_name="agreed")
    model_id = models.CharField(max_length=60)
    inputs = models.JSONField()
    outputs = models.JSONField()
    rationale = models.TextField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"agreed score of {self.issue}"
