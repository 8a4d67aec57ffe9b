"""The OCG register of an agency (its mapped organised crime groups, their members as the
agency's own person nominals, their associations and MoRiLE tactical scores, linked to
the partnership's 4P plan) and multi-agency joint operations with per-agency outcomes
(seed 001's Op SLATE; seed 002's Op Liberal for prioritising nominals).

A group belongs to the agency that maps it and links only that agency's own GAIN
holdings: nobody from another agency sees it. A joint operation is seen by its lead
agency and the agencies taking part, each recording its own outcomes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from socprofiles.accounts.models import Organisation, Partnership
from socprofiles.core.models import BaseModel

# The vocabularies of the OCG mapping feed (socprofiles/datasets/feeds/ocg_mapping.yaml).


class Band(models.TextChoices):
    B1A = "1A", "1A"
    B1B = "1B", "1B"
    B1C = "1C", "1C"
    B2A = "2A", "2A"
    B2B = "2B", "2B"
    B2C = "2C", "2C"
    B3A = "3A", "3A"
    B3B = "3B", "3B"
    B3C = "3C", "3C"
    ARCHIVED = "Archived", "Archived"


class GroupStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    ARCHIVED = "archived", "Archived"


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    SIGNIFICANT = "significant", "Significant"
    MEMBER = "member", "Member"
    ASSOCIATE = "associate", "Associate"
    FACILITATOR = "facilitator", "Facilitator"


# Suggested criminal markets (DESIGN: content of a profile by threat); the register takes
# any market a mapping feed names.
CRIME_MARKETS = [
    "Drugs", "Cannabis cultivation", "Firearms", "Modern slavery", "Human trafficking",
    "Organised immigration crime", "Child sexual exploitation", "Fraud", "Money laundering",
    "Counterfeit goods", "Organised acquisitive crime", "Cyber crime", "Waste crime",
    "Illegal money lending",
]  # fmt: skip


class Group(BaseModel):
    """An organised crime group as the owning agency maps it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        help_text="The agency that maps the group and alone sees it.",
    )  # fmt: skip
    partnership = models.ForeignKey(
        Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The partnership whose 4P plan tackles the group.",
    )  # fmt: skip
    reference = models.CharField(max_length=60, help_text="The agency's own OCG reference.")
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    threat_score = models.PositiveIntegerField(
        null=True, blank=True, help_text="The mapping's threat score, where it gives one."
    )
    crime_markets = models.JSONField(default=list, blank=True)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="The lead responsible officer, of the owning agency.",
    )  # fmt: skip
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="+", help_text="The 4P plan's actions."
    )
    notes = models.TextField(blank=True)
    tactical_answers = models.JSONField(default=dict, blank=True)
    tactical_outputs = models.JSONField(default=dict, blank=True)
    tactical_score = models.FloatField(null=True, blank=True)
    tactical_model = models.CharField(max_length=40, blank=True)
    tactical_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="ocgs_group_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("ocgs:group_detail", kwargs={"pk": self.pk})


class Member(BaseModel):
    """A person in a group: one of the owning agency's own person nominals (a GAIN holding)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    # If the agency deletes its record of the person, the membership goes with it.
    nominal = models.ForeignKey("gain.Holding", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    note = models.TextField(blank=True)
    tactical_answers = models.JSONField(default=dict, blank=True)
    tactical_outputs = models.JSONField(default=dict, blank=True)
    tactical_score = models.FloatField(null=True, blank=True)
    tactical_model = models.CharField(max_length=40, blank=True)
    tactical_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["group", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "nominal"], name="ocgs_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.nominal.reference}"

    def get_absolute_url(self) -> str:
        return reverse("ocgs:member_detail", kwargs={"pk": self.group_id, "member_pk": self.pk})


class AssociationKind(models.TextChoices):
    FAMILY = "family", "Family"
    ASSOCIATE = "associate", "Criminal associate"
    BUSINESS = "business", "Business link"
    VEHICLE_USE = "vehicle_use", "Uses vehicle"
    PREMISES = "premises", "Uses or lives at premises"
    COMMUNICATION = "communication", "In contact"
    FINANCIAL = "financial", "Financial link"
    OTHER = "other", "Other"


class Association(BaseModel):
    """A link between two of an agency's own nominals (people, businesses, vehicles or
    premises), as its analysts record it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    left = models.ForeignKey("gain.Holding", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("gain.Holding", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=AssociationKind.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["left", "right", "kind"], name="ocgs_association_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(left=models.F("right")), name="ocgs_association_two_ends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} link"


class OperationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"


class JointOperation(BaseModel):
    """A multi-agency day of action (seed 001, Op SLATE): planned with partner agencies
    and their powers, then each agency's outcomes rolled up."""

    name = models.CharField(max_length=200)
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="operations",
        help_text="The lead agency's group the operation targets; only the lead sees it.",
    )  # fmt: skip
    planned_on = models.DateField()
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=OperationStatus.choices, default=OperationStatus.PLANNED
    )

    class Meta:
        ordering = ["-planned_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ocgs:operation_detail", kwargs={"pk": self.pk})


class Participant(BaseModel):
    operation = models.ForeignKey(
        JointOperation, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    powers = models.TextField(blank=True, help_text="The powers and tactics the agency plans.")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "organisation"], name="ocgs_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Measure(models.TextChoices):
    VEHICLES_SEIZED = "vehicles_seized", "Vehicles seized"
    NOTICES_SERVED = "notices_served", "Notices served"
    ARRESTS = "arrests", "Arrests"
    PREMISES_CLOSED = "premises_closed", "Premises closed"
    CASH_SEIZED_POUNDS = "cash_seized_pounds", "Cash seized (£)"
    WARRANTS_EXECUTED = "warrants_executed", "Warrants executed"
    SAFEGUARDING_REFERRALS = "safeguarding_referrals", "Safeguarding referrals"
    OTHER = "other", "Other"


class Outcome(BaseModel):
    """One agency's result from a joint operation, recorded by that agency."""

    operation = models.ForeignKey(JointOperation, on_delete=models.CASCADE, related_name="outcomes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=24, choices=Measure.choices)
    quantity = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["organisation__name", "measure", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.quantity}"
