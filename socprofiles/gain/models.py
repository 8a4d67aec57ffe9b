"""GAIN: each agency's own nominal records (visible only to it), coordinators' hit/no-hit
requests and their answers, and disclosures agreed by the holding agency."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from socprofiles.accounts.models import Organisation
from socprofiles.core.models import BaseModel


class Kind(models.TextChoices):
    PERSON = "person", "Person"
    BUSINESS = "business", "Business"
    VEHICLE = "vehicle", "Vehicle"
    PREMISES = "premises", "Premises"


class Holding(BaseModel):
    """One nominal record an agency holds: its own reference and the identifiers the
    engine compares. Only the holding agency ever sees it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reference = models.CharField(max_length=80, help_text="The agency's own reference.")
    values = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "reference"], name="gain_holding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class HitRequest(BaseModel):
    """A coordinator's question: who holds this subject? The answers say, per agency, hit
    or no hit and how confident the match is: never what the agency holds."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject = models.JSONField()
    purpose = models.TextField()
    answers = models.JSONField(default=list)
    engine_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"GAIN request {str(self.pk)[:8]}"


class DisclosureStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the holding agency"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Disclosure(BaseModel):
    """After a hit: a request to the holding agency to share details, with the purpose
    and the legal gateway; the agency decides and records what it shared."""

    request = models.ForeignKey(HitRequest, on_delete=models.PROTECT, related_name="disclosures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField()
    legal_gateway = models.CharField(max_length=200)
    status = models.CharField(
        max_length=12, choices=DisclosureStatus.choices, default=DisclosureStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    shared = models.TextField(
        blank=True, help_text="What was disclosed, as recorded by the agency."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Disclosure by {self.organisation}"
