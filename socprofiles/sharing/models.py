"""Sharing a published profile beyond its partnership (guide 4.46), the standing copies to
the regional policing lead and the NCA (4.49), readers' feedback to the owner (4.48) and
the log of Freedom of Information requests (4.50)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from socprofiles.accounts.models import Partnership
from socprofiles.core.models import BaseModel
from socprofiles.profiles.models import Profile, ProfileVersion


class RecipientKind(models.TextChoices):
    OTHER_FORCE = "other_force", "Another police force"
    NEIGHBOURING_PARTNERSHIP = "neighbouring_partnership", "A neighbouring partnership"
    CHIEF_EXECUTIVE = "chief_executive", "A council chief executive"
    ELECTED_MEMBER = "elected_member", "An elected member"
    OTHER = "other", "Another public body"


class ShareStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the owner"
    OWNER_AGREED = "owner_agreed", "Owner agreed; waiting for the partnership"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    REVOKED = "revoked", "Revoked"


class ShareRequest(BaseModel):
    """A request to let one named person outside the partnership read the profile's
    published versions: a rationale, the owner's agreement, then the partnership's approval
    (an owner of the partnership other than the profile owner); time-limited, revocable."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="share_requests")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="share_grants"
    )
    recipient_kind = models.CharField(max_length=30, choices=RecipientKind.choices)
    rationale = models.TextField()
    expires_on = models.DateField(null=True, blank=True, help_text="Last day of access.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ShareStatus.choices, default=ShareStatus.REQUESTED
    )
    owner_decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_decision_at = models.DateTimeField(null=True, blank=True)
    owner_note = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.profile} for {self.recipient}"

    def is_active(self, today: dt.date | None = None) -> bool:
        if self.status != ShareStatus.APPROVED:
            return False
        today = today or timezone.localdate()
        return self.expires_on is None or today <= self.expires_on

    @property
    def expired(self) -> bool:
        return self.status == ShareStatus.APPROVED and not self.is_active()


class StandingRecipient(BaseModel):
    """Who receives every published version without asking (guide 4.49: the regional
    policing lead and the National Crime Agency)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="standing_recipients"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=120, help_text="For example “Regional policing lead”.")

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="standing_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.user}"


class Feedback(BaseModel):
    """A reader's feedback on a section of a published version, and the owner's answer; it
    stays with the version."""

    version = models.ForeignKey(ProfileVersion, on_delete=models.PROTECT, related_name="feedback")
    section_key = models.CharField(max_length=40)
    section_title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Feedback on {self.section_title}"


class FoiDecision(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    DISCLOSED = "disclosed", "Disclosed in full"
    PARTLY = "partly", "Disclosed in part"
    WITHHELD = "withheld", "Withheld"
    NOT_HELD = "not_held", "Information not held"


# Exemptions of the Freedom of Information Act 2000 a profile's owner usually considers.
FOI_EXEMPTIONS = [
    ("s23", "s23 Information supplied by, or concerning, certain security bodies"),
    ("s24", "s24 National security"),
    ("s30", "s30 Investigations and proceedings"),
    ("s31", "s31 Law enforcement"),
    ("s38", "s38 Health and safety"),
    ("s40", "s40 Personal information"),
    ("s41", "s41 Information provided in confidence"),
    ("s43", "s43 Commercial interests"),
    ("s21", "s21 Information accessible by other means"),
    ("s22", "s22 Information intended for future publication"),
]


class FoiRequest(BaseModel):
    """A Freedom of Information request about a profile, referred to its owner (4.50). The
    requester is recorded by the FOI team's reference, not by name."""

    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="foi_requests")
    reference = models.CharField(max_length=60, help_text="The FOI team's reference.")
    received_on = models.DateField()
    summary = models.TextField(help_text="What is asked for.")
    referred_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        max_length=12, choices=FoiDecision.choices, default=FoiDecision.PENDING
    )
    exemptions = models.JSONField(default=list, blank=True)
    reasoning = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "reference"], name="foi_reference_unique")
        ]

    def __str__(self) -> str:
        return f"FOI {self.reference}"

    @property
    def due_on(self) -> dt.date:
        """Twenty working days after receipt (Saturdays and Sundays skipped)."""
        day, left = self.received_on, 20
        while left:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day
