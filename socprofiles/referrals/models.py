"""Partner referrals (seed 001's Op Genga; seed 000's Op Signature): a partner
organisation refers a concern (a person at risk of being drawn into serious and organised
crime or exploited, a vulnerable fraud victim, premises of concern, a business used by
criminals); the partnership's coordinators triage it by risk and threat with MoRiLE's
tactical model, assign an owning agency and a safeguarding route, and record the outcome.

The description is the referrer's account of a real person or place: it is seen only by
the referring organisation, the partnership's coordinators and the agency the referral is
assigned to (permissions.py). Counts by area and category feed the Local Profile and the
action plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from socprofiles.accounts.models import Area, Organisation, Partnership
from socprofiles.core.models import BaseModel


class Category(models.TextChoices):
    EXPLOITATION = "exploitation", "Person at risk of being drawn into SOC or exploited"
    FRAUD_VICTIM = "fraud_victim", "Vulnerable fraud victim (Op Signature)"
    PREMISES = "premises", "Premises of concern"
    BUSINESS = "business", "Business being used by criminals"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    TRIAGED = "triaged", "Triaged"
    ASSIGNED = "assigned", "Assigned"
    CLOSED = "closed", "Closed"


class Rating(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Route(models.TextChoices):
    ADULT_SAFEGUARDING = "adult_safeguarding", "Adult safeguarding"
    CHILDREN_SAFEGUARDING = "children_safeguarding", "Children's safeguarding"
    OP_SIGNATURE = "op_signature", "Op Signature fraud victim support"
    DIVERSION = "diversion", "Prevent or Channel-style diversion"
    HOUSING_ASB = "housing_asb", "Housing or anti-social behaviour"
    TRADING_STANDARDS = "trading_standards", "Trading Standards"
    POLICE_INVESTIGATION = "police_investigation", "Police investigation"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Outcome(models.TextChoices):
    SAFEGUARDED = "safeguarded", "Safeguarding or support in place"
    DISRUPTED = "disrupted", "Disruption or enforcement action taken"
    DIVERTED = "diverted", "Diverted from crime"
    INTELLIGENCE = "intelligence", "Intelligence recorded, no action needed now"
    DECLINED = "declined", "Support offered and declined"
    REFERRED_ON = "referred_on", "Passed to another agency or area"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Referral(BaseModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(max_length=20, help_text="The partnership's own number.")
    referring_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    category = models.CharField(max_length=16, choices=Category.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="An LSOA, ward or local authority of the partnership's area.",
    )  # fmt: skip
    postcode_district = models.CharField(max_length=4, blank=True)
    description = models.TextField(help_text="The referrer's account: personal information.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    # Triage by the partnership's coordinators (MoRiLE tactical model).
    tactical_answers = models.JSONField(default=dict, blank=True)
    tactical_outputs = models.JSONField(default=dict, blank=True)
    tactical_score = models.FloatField(null=True, blank=True)
    tactical_model = models.CharField(max_length=40, blank=True)
    rating = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    triage_notes = models.TextField(blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    owner_agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The member organisation that owns the response.",
    )  # fmt: skip
    route = models.CharField(max_length=24, choices=Route.choices, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="referrals_unique_reference"
            )
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"Referral {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", kwargs={"pk": self.pk})

    @property
    def where(self) -> str:
        if self.area is not None:
            return f"{self.area.name} ({self.area.code})" if self.area.code else self.area.name
        return self.postcode_district
