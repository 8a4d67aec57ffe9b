"""The Local Profile: its commissioning record, its stage in the guide's cycle, the working
draft (sections and recommendations), the partners' clearances and the published
versions, which never change once made."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from socprofiles.accounts.models import Area, Organisation, Partnership
from socprofiles.core.classification import Classification
from socprofiles.core.models import BaseModel


class Stage(models.TextChoices):
    COMMISSIONING = "commissioning", "Commissioning"
    PRODUCING = "producing", "Producing"
    CONSULTATION = "consultation", "Consultation"
    PUBLISHED = "published", "Published"
    DELIVERING = "delivering", "Delivering"
    REVIEW_DUE = "review_due", "Review due"


# What a commissioning record holds (guide 4.25), in the guide's order: field, label, hint.
COMMISSIONING_FIELDS = [
    ("partners_and_needs", "Partners involved and their needs",
     "Which organisations take part and what each needs from the profile."),
    ("parameters", "Parameters and requirements",
     "The area, the period, the threats in scope and the questions the profile must answer."),
    ("datasets_and_gaps", "Data sets and information gaps",
     "The data each partner will supply and what is known to be missing."),
    ("leadership_and_resources", "Leadership and resources",
     "Who leads, who produces it and the analytical time committed."),
    ("timescales", "Timescales and milestones",
     "Key dates: data returns, draft, consultation, publication."),
    ("readership_and_sharing", "Readership and sharing methods",
     "Who will read it and how it will be shared (guide 4.40-4.50)."),
    ("retention", "Retention",
     "How long copies are kept and when they are destroyed or reviewed."),
]  # fmt: skip


class Profile(BaseModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="profiles")
    title = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.COMMISSIONING)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    period_start = models.CharField(max_length=7, help_text="First month analysed, YYYY-MM.")
    period_end = models.CharField(max_length=7, help_text="Last month analysed, YYYY-MM.")
    assessment = models.ForeignKey(
        "morile.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        help_text="The MoRiLE assessment whose priorities the profile reports.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_profiles",
        help_text="The profile owner (the police lead, guide 4.9), named on every copy.",
    )
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.OFFICIAL
    )
    handling_note = models.CharField(max_length=300, blank=True)
    partners_and_needs = models.TextField(blank=True)
    parameters = models.TextField(blank=True)
    datasets_and_gaps = models.TextField(blank=True)
    leadership_and_resources = models.TextField(blank=True)
    timescales = models.TextField(blank=True)
    readership_and_sharing = models.TextField(blank=True)
    retention = models.TextField(blank=True)
    publish_by = models.DateField(null=True, blank=True, help_text="Target publication date.")
    delivered_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("profiles:profile_detail", kwargs={"pk": self.pk})

    @property
    def latest_version(self) -> ProfileVersion | None:
        return self.versions.order_by("-number").first()


class Section(BaseModel):
    """A section of the working draft: the analyst's narrative (sanitised HTML) beside the
    generated tables and figures of its kind (see sections.py)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    narrative = models.TextField(blank=True)
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.OFFICIAL
    )
    handling_note = models.CharField(max_length=300, blank=True)
    extra_sources = models.ManyToManyField(
        "datasets.DataSet",
        blank=True,
        related_name="+",
        help_text="Other data sets the narrative draws on (their owners are consulted).",
    )

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "key"], name="profile_section_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Strand(models.TextChoices):
    PURSUE = "pursue", "Pursue"
    PREVENT = "prevent", "Prevent"
    PROTECT = "protect", "Protect"
    PREPARE = "prepare", "Prepare"


class Recommendation(BaseModel):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="recommendations")
    strand = models.CharField(max_length=10, choices=Strand.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["strand", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class ClearanceStatus(models.TextChoices):
    REQUESTED = "requested", "Awaiting decision"
    CLEARED = "cleared", "Cleared"
    REFUSED = "refused", "Not cleared"


class ProfileClearance(BaseModel):
    """A partner organisation's decision on publishing the sections that use its data."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="clearances")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sections = models.JSONField(default=list, help_text="Titles of the sections using its data.")
    datasets = models.JSONField(default=list, help_text="Titles of its data sets used.")
    status = models.CharField(
        max_length=12, choices=ClearanceStatus.choices, default=ClearanceStatus.REQUESTED
    )
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "organisation"], name="profile_clearance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_status_display()}"


class VersionImmutable(Exception):
    pass


class ProfileVersion(models.Model):
    """A published version: numbered, with its marking, owner and the whole content as it
    was published (narrative, generated tables, the analysis behind the figures). Never
    updated or deleted through the application."""

    id = models.BigAutoField(primary_key=True)
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    classification = models.CharField(max_length=20, choices=Classification.choices)
    handling_note = models.CharField(max_length=300, blank=True)
    owner_name = models.CharField(max_length=200)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    published_at = models.DateTimeField()
    content = models.JSONField()
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="profile_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise VersionImmutable("A published version cannot be changed: start a new draft.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "profiles:version_detail", kwargs={"pk": self.profile_id, "number": self.number}
        )

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise VersionImmutable("A published version cannot be deleted.")
