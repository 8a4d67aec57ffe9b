"""The partnership's 4P action plan: actions from a profile's recommendations, their
milestones, owners and reviews, progress with evidence, and the disruptions and outcomes
partners record against serious and organised crime (guide 3.10, 4.51-4.54; seed 004's
action plan: Recommendation | Milestone | Ownership | Review)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from socprofiles.accounts.models import Organisation, Partnership
from socprofiles.core.models import BaseModel
from socprofiles.profiles.models import Strand


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Action(BaseModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="actions")
    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    strand = models.CharField(max_length=10, choices=Strand.choices)
    recommendation = models.TextField(help_text="The recommendation, as the profile gives it.")
    owner_organisations = models.ManyToManyField(Organisation, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="owned_actions", help_text="The named owner.",
    )  # fmt: skip
    review_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    threats = models.JSONField(default=list, blank=True, help_text="Linked threats.")
    morile_issues = models.ManyToManyField("morile.Issue", blank=True, related_name="actions")
    locations = models.JSONField(default=list, blank=True, help_text="Priority LSOA codes.")
    last_reminded_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["strand", "order", "created_at"]

    def __str__(self) -> str:
        return self.recommendation[:80]

    def get_absolute_url(self) -> str:
        return reverse("actions:action_detail", kwargs={"pk": self.pk})

    def review_due(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status != Status.COMPLETE and self.review_on is not None
            and self.review_on <= today
        )  # fmt: skip


class Milestone(BaseModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    text = models.TextField()
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class ProgressUpdate(BaseModel):
    """What the owning organisation reports, with its evidence; the action's status
    follows the latest update."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    text = models.TextField()
    evidence = models.TextField(blank=True, help_text="What shows it: documents, numbers, dates.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.text[:60]}"


class Power(models.TextChoices):
    CPW = "cpw", "Community Protection Warning"
    CPN = "cpn", "Community Protection Notice"
    STPO = "stpo", "Slavery and Trafficking Prevention Order"
    STRO = "stro", "Slavery and Trafficking Risk Order"
    CASH_FORFEITURE = "cash_forfeiture", "POCA cash forfeiture"
    CONFISCATION = "confiscation", "POCA confiscation order"
    LICENCE_REVIEW = "licence_review", "Licence review"
    LICENCE_REVOCATION = "licence_revocation", "Licence revocation"
    CLOSURE_ORDER = "closure_order", "Closure order"
    IMMIGRATION = "immigration", "Immigration intervention"
    ARREST = "arrest", "Arrest"
    SEIZURE = "seizure", "Seizure"
    OTHER = "other", "Other"


class Disruption(BaseModel):
    """A use of a tool or power against SOC, by an agency, linked where known to an action,
    an organised crime group and a place."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="disruptions"
    )
    power = models.CharField(max_length=24, choices=Power.choices)
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField()
    count = models.PositiveIntegerField(default=1)
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="disruptions"
    )
    ocg_ref = models.CharField(max_length=60, blank=True, help_text="OCG reference, if known.")
    lsoa_code = models.CharField(max_length=9, blank=True)
    escalated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations",
        help_text="The earlier use this escalated, e.g. a warning that became a notice.",
    )  # fmt: skip
    value_gbp = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Cash or assets."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_power_display()} x{self.count} ({self.agency})"


class MeetingRecord(BaseModel):
    """A partnership meeting's record of decisions on the agenda the plan generated."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    attendees = models.TextField(blank=True)
    decisions = models.JSONField(
        default=list, help_text="[{action, recommendation, reasons, decision}]"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"Meeting of {self.held_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("actions:meeting_record", kwargs={"pk": self.pk})
