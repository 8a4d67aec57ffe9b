"""Writes for sharing, feedback and FOI: each checks permission, keeps the rules, owns its
transaction and writes its audit event, so every decision is on the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from socprofiles.accounts.models import PartnershipMembership, User
from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError
from socprofiles.profiles.models import Profile, ProfileVersion

from . import permissions
from .models import (
    FOI_EXEMPTIONS,
    Feedback,
    FoiDecision,
    FoiRequest,
    RecipientKind,
    ShareRequest,
    ShareStatus,
    StandingRecipient,
)

MAX_GRANT_DAYS = 366


def _audit(actor: Any, action: str, profile: Profile, target: Any, **detail: Any) -> None:
    audit_log(
        actor=actor,
        action=action,
        target=target,
        partnership=profile.partnership,
        detail={"profile": str(profile.pk), **detail},
    )


def _reason(text: str, what: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) < 10:
        raise ServiceError(f"Give {what} in a sentence or two.", field=field)
    return text


def share_request(
    *,
    actor: Any,
    profile: Profile,
    recipient: User,
    recipient_kind: str,
    rationale: str,
    expires_on: dt.date | None,
) -> ShareRequest:
    if not permissions.can_request_share(actor, profile):
        raise PermissionDenied
    if recipient_kind not in RecipientKind.values:
        raise ServiceError("Choose who the recipient is.", field="recipient_kind")
    if not recipient.is_active:
        raise ServiceError("That account is not active.", field="recipient")
    if PartnershipMembership.objects.filter(
        partnership=profile.partnership, user=recipient
    ).exists():
        raise ServiceError(
            f"{recipient.display_name} is a member of the partnership and reads its published "
            "profiles already.",
            field="recipient",
        )
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        raise ServiceError("The last day of access cannot be in the past.", field="expires_on")
    if expires_on is not None and (expires_on - today).days > MAX_GRANT_DAYS:
        raise ServiceError("Access can be granted for a year at most.", field="expires_on")
    with transaction.atomic():
        request = ShareRequest.objects.create(
            profile=profile, recipient=recipient, recipient_kind=recipient_kind,
            rationale=_reason(rationale, "the reason the recipient needs it", "rationale"),
            expires_on=expires_on, requested_by=actor, created_by=actor,
        )  # fmt: skip
        _audit(actor, "sharing.requested", profile, request, recipient=recipient.username,
               kind=recipient_kind, expires_on=str(expires_on or ""))  # fmt: skip
    return request


def share_owner_decide(
    *, actor: Any, request: ShareRequest, agree: bool, note: str = ""
) -> ShareRequest:
    if not permissions.can_owner_decide(actor, request):
        raise PermissionDenied
    if not agree:
        note = _reason(note, "the reason for declining", "note")
    with transaction.atomic():
        request.status = ShareStatus.OWNER_AGREED if agree else ShareStatus.DECLINED
        request.owner_decision_by, request.owner_decision_at = actor, timezone.now()
        request.owner_note = note.strip()
        request.save()
        _audit(actor, "sharing.owner_agreed" if agree else "sharing.owner_declined",
               request.profile, request, recipient=request.recipient.username)  # fmt: skip
    return request


def share_approve(
    *, actor: Any, request: ShareRequest, approve: bool, note: str = ""
) -> ShareRequest:
    if not permissions.can_approve(actor, request):
        raise PermissionDenied
    if not approve:
        note = _reason(note, "the reason for refusing", "note")
    with transaction.atomic():
        request.status = ShareStatus.APPROVED if approve else ShareStatus.DECLINED
        request.approved_by, request.approved_at = actor, timezone.now()
        request.approval_note = note.strip()
        request.save()
        _audit(actor, "sharing.approved" if approve else "sharing.refused", request.profile,
               request, recipient=request.recipient.username,
               expires_on=str(request.expires_on or ""))  # fmt: skip
    return request


def share_revoke(*, actor: Any, request: ShareRequest, reason: str) -> ShareRequest:
    if not permissions.can_revoke(actor, request):
        raise PermissionDenied
    with transaction.atomic():
        request.status = ShareStatus.REVOKED
        request.revoked_by, request.revoked_at = actor, timezone.now()
        request.revoke_reason = _reason(reason, "the reason for revoking", "reason")
        request.save()
        _audit(actor, "sharing.revoked", request.profile, request,
               recipient=request.recipient.username)  # fmt: skip
    return request


def standing_recipient_add(
    *, actor: Any, profile: Profile, user: User, label: str
) -> StandingRecipient:
    if actor is not None and not permissions.can_manage_standing(actor, profile):
        raise PermissionDenied
    if not label.strip():
        raise ServiceError("Say who they are, like “Regional policing lead”.", field="label")
    with transaction.atomic():
        found, _created = StandingRecipient.objects.update_or_create(
            partnership=profile.partnership, user=user,
            defaults={"label": label.strip(), "created_by": actor},
        )  # fmt: skip
        _audit(actor, "sharing.standing_added", profile, found, recipient=user.username,
               label=found.label)  # fmt: skip
    return found


def standing_recipient_remove(*, actor: Any, profile: Profile, standing: StandingRecipient) -> None:
    if not permissions.can_manage_standing(actor, profile):
        raise PermissionDenied
    with transaction.atomic():
        _audit(actor, "sharing.standing_removed", profile, standing,
               recipient=standing.user.username)  # fmt: skip
        standing.delete()


def feedback_send(*, actor: Any, version: ProfileVersion, section_key: str, text: str) -> Feedback:
    from socprofiles.profiles.permissions import can_view_published

    profile = version.profile
    if not can_view_published(actor, profile):
        raise PermissionDenied
    section = next((s for s in version.content["sections"] if s["key"] == section_key), None)
    if section is None:
        raise ServiceError("Choose a section of this version.", field="section")
    with transaction.atomic():
        feedback = Feedback.objects.create(
            version=version, section_key=section_key, section_title=section["title"],
            author=actor, text=_reason(text, "your feedback", "text"), created_by=actor,
        )  # fmt: skip
        _audit(actor, "feedback.sent", profile, feedback, version=version.number,
               section=section_key)  # fmt: skip
    return feedback


def feedback_answer(*, actor: Any, feedback: Feedback, answer: str) -> Feedback:
    profile = feedback.version.profile
    if not permissions.can_answer_feedback(actor, profile):
        raise PermissionDenied
    with transaction.atomic():
        feedback.answer = _reason(answer, "the answer", "answer")
        feedback.answered_by, feedback.answered_at = actor, timezone.now()
        feedback.save()
        _audit(actor, "feedback.answered", profile, feedback, version=feedback.version.number)
    return feedback


def foi_log(
    *, actor: Any, profile: Profile, reference: str, received_on: dt.date, summary: str
) -> FoiRequest:
    if not permissions.can_keep_foi_log(actor, profile):
        raise PermissionDenied
    reference = reference.strip()
    if not reference:
        raise ServiceError("Give the FOI team's reference.", field="reference")
    if received_on > timezone.localdate():
        raise ServiceError("The request cannot be received in the future.", field="received_on")
    if profile.foi_requests.filter(reference=reference).exists():
        raise ServiceError(f"{reference} is already in the log.", field="reference")
    with transaction.atomic():
        foi = FoiRequest.objects.create(
            profile=profile, reference=reference, received_on=received_on,
            summary=_reason(summary, "what is asked for", "summary"),
            referred_to=profile.owner, created_by=actor,
        )  # fmt: skip
        _audit(actor, "foi.logged", profile, foi, reference=reference)
    return foi


def foi_decide(
    *, actor: Any, foi: FoiRequest, decision: str, exemptions: Iterable[str], reasoning: str
) -> FoiRequest:
    if not permissions.can_decide_foi(actor, foi.profile):
        raise PermissionDenied
    if decision not in FoiDecision.values or decision == FoiDecision.PENDING:
        raise ServiceError("Choose the decision.", field="decision")
    known = {key for key, _label in FOI_EXEMPTIONS}
    chosen = sorted(set(exemptions))
    if set(chosen) - known:
        raise ServiceError("Choose exemptions from the list.", field="exemptions")
    if decision in (FoiDecision.PARTLY, FoiDecision.WITHHELD) and not chosen:
        raise ServiceError(
            "Withholding needs the exemptions relied on (and the public interest test where "
            "they are qualified).",
            field="exemptions",
        )
    with transaction.atomic():
        foi.decision, foi.exemptions = decision, chosen
        foi.reasoning = _reason(reasoning, "the reasoning", "reasoning")
        foi.decided_by, foi.decided_on = actor, timezone.localdate()
        foi.save()
        _audit(actor, "foi.decided", foi.profile, foi, reference=foi.reference,
               decision=decision, exemptions=chosen)  # fmt: skip
    return foi
