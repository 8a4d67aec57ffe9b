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
    cleaned = models.JSONField(default=dict, help_text="The values as the engine compares them.")
    subject = models.CharField(
        max_length=40, blank=True, db_index=True,
        help_text="The cross-agency subject (cluster) this record belongs to, if matched.",
    )  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "reference"], name="gain_holding_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "subject"], name="gain_holding_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class HoldingKey(models.Model):
    """A blocking key of a holding (rule number and the cleaned values it joins on), so a
    query or a new record finds its candidates through an index, not a scan."""

    holding = models.ForeignKey(Holding, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"], name="gain_key_lookup")]

    def __str__(self) -> str:
        return self.key


class TrainedModel(BaseModel):
    """The matching model of a kind, trained without labels on all agencies' holdings;
    queries and new records are scored with it until it is retrained."""

    kind = models.CharField(max_length=10, choices=Kind.choices, unique=True)
    model = models.JSONField()
    records = models.PositiveIntegerField(default=0)
    agencies = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list)
    engine_version = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"GAIN model for {self.kind}"


class Match(models.Model):
    """Two agencies' records the engine linked, with the match weight and the evidence
    (each field's comparison level and its weight; never the values)."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    left = models.ForeignKey(Holding, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Holding, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField()
    probability = models.FloatField()
    evidence = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="gain_match_unique")]

    def __str__(self) -> str:
        return f"match {self.left_id} ~ {self.right_id} ({self.probability:.3f})"


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
    # Per agency that answered hit: its matched records and the evidence. For the holding
    # agency's eyes only (when asked to disclose); never shown to the coordinator.
    matches = models.JSONField(default=dict)
    milliseconds = models.FloatField(default=0)
    engine_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"GAIN request {str(self.pk)[:8]}"

    @property
    def hit_count(self) -> int:
        return sum(1 for answer in self.answers if answer.get("hit"))


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
        constraints = [
            models.UniqueConstraint(fields=["request", "organisation"], name="gain_disclosure_once")
        ]

    def __str__(self) -> str:
        return f"Disclosure by {self.organisation}"
