"""JSON API for sharing, feedback and FOI, under the same rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status

from socprofiles.accounts.models import User
from socprofiles.core.exceptions import ServiceError
from socprofiles.profiles import selectors as profile_selectors

from . import permissions, selectors, services

router = Router(tags=["Sharing, feedback and FOI"])


class ShareIn(Schema):
    recipient: str
    recipient_kind: str
    rationale: str
    expires_on: dt.date | None = None


class ShareOut(Schema):
    id: UUID
    recipient: str
    recipient_kind: str
    rationale: str
    expires_on: dt.date | None
    status: str
    active: bool


class StepIn(Schema):
    step: str
    note: str = ""


class FeedbackIn(Schema):
    section: str
    text: str


class FeedbackOut(Schema):
    id: UUID
    section: str
    author: str
    text: str
    answer: str


class AnswerIn(Schema):
    answer: str


class FoiIn(Schema):
    reference: str
    received_on: dt.date
    summary: str


class FoiOut(Schema):
    id: UUID
    reference: str
    received_on: dt.date
    due_on: dt.date
    summary: str
    decision: str
    exemptions: list[str]
    reasoning: str


class FoiDecisionIn(Schema):
    decision: str
    exemptions: list[str] = []
    reasoning: str


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _share(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk, "recipient": r.recipient.username, "recipient_kind": r.recipient_kind,
        "rationale": r.rationale, "expires_on": r.expires_on, "status": r.status,
        "active": r.is_active(),
    }  # fmt: skip


def _feedback(f: Any) -> dict[str, Any]:
    return {"id": f.pk, "section": f.section_key, "author": f.author.username,
            "text": f.text, "answer": f.answer}  # fmt: skip


def _foi(f: Any) -> dict[str, Any]:
    return {
        "id": f.pk, "reference": f.reference, "received_on": f.received_on,
        "due_on": f.due_on, "summary": f.summary, "decision": f.decision,
        "exemptions": f.exemptions, "reasoning": f.reasoning,
    }  # fmt: skip


def _profile(request: HttpRequest, profile_id: UUID) -> Any:
    return profile_selectors.profile_get_for_user(user=_user(request), pk=profile_id)


@router.get("/profiles/{profile_id}/share-requests", response={200: list[ShareOut], 403: dict})
def share_list(request: HttpRequest, profile_id: UUID) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    if not permissions.can_see_requests(user, profile):
        raise PermissionDenied
    return [_share(r) for r in selectors.share_requests_for(user=user, profile=profile)]


@router.post(
    "/profiles/{profile_id}/share-requests",
    response={201: ShareOut, 400: dict, 403: dict},
    summary="Ask to share the profile with someone outside the partnership",
)
def share_create(request: HttpRequest, profile_id: UUID, payload: ShareIn) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    if not permissions.can_request_share(user, profile):
        raise PermissionDenied
    recipient = User.objects.filter(username=payload.recipient, is_active=True).first()
    if recipient is None:
        raise ServiceError(f"There is no active account {payload.recipient!r}.", field="recipient")
    made = services.share_request(
        actor=user, profile=profile, recipient=recipient, recipient_kind=payload.recipient_kind,
        rationale=payload.rationale, expires_on=payload.expires_on,
    )  # fmt: skip
    return Status(201, _share(made))


STEPS = {
    "agree": lambda u, r, n: services.share_owner_decide(actor=u, request=r, agree=True, note=n),
    "decline": lambda u, r, n: services.share_owner_decide(actor=u, request=r, agree=False, note=n),
    "approve": lambda u, r, n: services.share_approve(actor=u, request=r, approve=True, note=n),
    "refuse": lambda u, r, n: services.share_approve(actor=u, request=r, approve=False, note=n),
    "revoke": lambda u, r, n: services.share_revoke(actor=u, request=r, reason=n),
}


@router.post(
    "/profiles/{profile_id}/share-requests/{request_id}/steps",
    response={200: ShareOut, 400: dict, 403: dict},
    summary="The owner agrees or declines; the partnership approves or refuses; owners revoke",
)
def share_step(request: HttpRequest, profile_id: UUID, request_id: UUID, payload: StepIn) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    share = selectors.share_request_get(user=user, profile=profile, pk=request_id)
    step = STEPS.get(payload.step)
    if step is None:
        raise ServiceError("The step is one of agree, decline, approve, refuse, revoke.")
    return _share(step(user, share, payload.note))


@router.get("/profiles/{profile_id}/versions/{number}/feedback", response=list[FeedbackOut])
def feedback_list(request: HttpRequest, profile_id: UUID, number: int) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    version = profile_selectors.version_get_for_user(user=user, profile=profile, number=number)
    return [_feedback(f) for f in selectors.feedback_for(user=user, version=version)]


@router.post(
    "/profiles/{profile_id}/versions/{number}/feedback",
    response={201: FeedbackOut, 400: dict, 403: dict},
)
def feedback_create(
    request: HttpRequest, profile_id: UUID, number: int, payload: FeedbackIn
) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    version = profile_selectors.version_get_for_user(user=user, profile=profile, number=number)
    made = services.feedback_send(
        actor=user, version=version, section_key=payload.section, text=payload.text
    )
    return Status(201, _feedback(made))


@router.post(
    "/profiles/{profile_id}/versions/{number}/feedback/{feedback_id}/answer",
    response={200: FeedbackOut, 400: dict, 403: dict},
)
def feedback_answer(
    request: HttpRequest, profile_id: UUID, number: int, feedback_id: UUID, payload: AnswerIn
) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    version = profile_selectors.version_get_for_user(user=user, profile=profile, number=number)
    item = selectors.feedback_get(user=user, version=version, pk=feedback_id)
    return _feedback(services.feedback_answer(actor=user, feedback=item, answer=payload.answer))


@router.get("/profiles/{profile_id}/foi", response={200: list[FoiOut], 403: dict})
def foi_list(request: HttpRequest, profile_id: UUID) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    if not permissions.can_keep_foi_log(user, profile):
        raise PermissionDenied
    return [_foi(f) for f in selectors.foi_log(user=user, profile=profile)]


@router.post("/profiles/{profile_id}/foi", response={201: FoiOut, 400: dict, 403: dict})
def foi_create(request: HttpRequest, profile_id: UUID, payload: FoiIn) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    made = services.foi_log(
        actor=user, profile=profile, reference=payload.reference,
        received_on=payload.received_on, summary=payload.summary,
    )  # fmt: skip
    return Status(201, _foi(made))


@router.post(
    "/profiles/{profile_id}/foi/{foi_id}/decision", response={200: FoiOut, 400: dict, 403: dict}
)
def foi_decision(
    request: HttpRequest, profile_id: UUID, foi_id: UUID, payload: FoiDecisionIn
) -> Any:
    user, profile = _user(request), _profile(request, profile_id)
    item = selectors.foi_get(user=user, profile=profile, pk=foi_id)
    return _foi(
        services.foi_decide(
            actor=user,
            foi=item,
            decision=payload.decision,
            exemptions=payload.exemptions,
            reasoning=payload.reasoning,
        )
    )
