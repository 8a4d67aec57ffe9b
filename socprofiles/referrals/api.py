"""JSON API for partner referrals, under the pages' rules: referrers see their own
organisation's referrals without the triage; coordinators see and act on all; the owning
agency sees what is assigned to it; anyone else gets 404. Every detail read is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from socprofiles.accounts.models import Organisation
from socprofiles.accounts.selectors import member_organisations, partnership_get_for_user
from socprofiles.core.exceptions import ServiceError

from . import permissions, selectors, services
from .models import Referral

router = Router(tags=["Partner referrals"])


class ReferralIn(Schema):
    category: str
    where: str
    description: str


class TriageOut(Schema):
    rating: str
    tactical_score: float | None
    tactical_model: str
    tactical_answers: dict[str, float]
    tactical_outputs: dict[str, float]
    notes: str
    route: str
    outcome_notes: str


class ReferralOut(Schema):
    id: UUID
    reference: str
    received_on: dt.date
    category: str
    referring_organisation: str
    where: str
    status: str
    owner_agency: str | None
    outcome: str
    closed_on: dt.date | None


class ReferralDetailOut(ReferralOut):
    description: str
    triage: TriageOut | None


class TriageIn(Schema):
    answers: dict[str, float]
    rating: str = ""
    notes: str = ""


class AssignIn(Schema):
    owner_agency: str  # the organisation's id, slug or name
    route: str


class CloseIn(Schema):
    outcome: str
    notes: str = ""
    closed_on: dt.date | None = None


class CountsOut(Schema):
    total: int
    categories: list[str]
    statuses: list[str]
    by_category: list[list[Any]]
    by_area: list[list[Any]]
    outcomes: list[list[Any]]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _partnership(request: HttpRequest, slug: str) -> Any:
    user = _user(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_view_counts(user, partnership):
        raise Http404
    return partnership


def _summary(r: Referral) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "id": r.pk, "reference": r.reference,
        "received_on": timezone.localtime(r.created_at).date(), "category": r.category,
        "referring_organisation": r.referring_organisation.name, "where": r.where,
        "status": r.status, "owner_agency": r.owner_agency.name if r.owner_agency else None,
        "outcome": r.outcome, "closed_on": r.closed_on,
    }  # fmt: skip


def _detail(user: Any, r: Referral) -> dict[str, Any]:
    triage = None
    if permissions.can_view_triage(user, r):
        triage = {
            "rating": r.rating, "tactical_score": r.tactical_score,
            "tactical_model": r.tactical_model, "tactical_answers": r.tactical_answers,
            "tactical_outputs": r.tactical_outputs, "notes": r.triage_notes, "route": r.route,
            "outcome_notes": r.outcome_notes,
        }  # fmt: skip
    return {**_summary(r), "description": r.description, "triage": triage}


def _referral(request: HttpRequest, referral_id: UUID) -> tuple[Any, Referral]:
    user = _user(request)
    return user, selectors.referral_get_for_user(user=user, pk=referral_id)


@router.get("/partnerships/{slug}/referrals", response=list[ReferralOut],
            summary="The referrals you may see (without descriptions)")  # fmt: skip
def referral_list(request: HttpRequest, slug: str) -> Any:
    partnership = _partnership(request, slug)
    return [_summary(r) for r in selectors.referrals_for(user=_user(request),
                                                         partnership=partnership)]  # fmt: skip


@router.post("/partnerships/{slug}/referrals",
             response={201: ReferralDetailOut, 400: dict, 403: dict},
             summary="Refer a concern for your organisation")  # fmt: skip
def referral_create(request: HttpRequest, slug: str, payload: ReferralIn) -> Any:
    user = _user(request)
    partnership = _partnership(request, slug)
    made = services.referral_submit(
        actor=user, partnership=partnership, category=payload.category, where=payload.where,
        description=payload.description,
    )  # fmt: skip
    return Status(201, _detail(user, made))


@router.get("/partnerships/{slug}/referrals/counts", response=CountsOut,
            summary="Referrals by category and status, local authority, and outcome")  # fmt: skip
def referral_counts(request: HttpRequest, slug: str) -> Any:
    found = selectors.counts(partnership=_partnership(request, slug))
    return {"total": found.total, "categories": found.columns, "statuses": found.statuses,
            "by_category": found.by_category, "by_area": found.by_area,
            "outcomes": found.outcomes}  # fmt: skip


@router.get("/referrals/{referral_id}", response=ReferralDetailOut,
            summary="A referral (each read is recorded in the audit trail)")  # fmt: skip
def referral_detail(request: HttpRequest, referral_id: UUID) -> Any:
    user, referral = _referral(request, referral_id)
    services.referral_viewed(actor=user, referral=referral, request=request, via="api")
    return _detail(user, referral)


@router.post("/referrals/{referral_id}/triage",
             response={200: ReferralDetailOut, 400: dict, 403: dict})  # fmt: skip
def referral_triage(request: HttpRequest, referral_id: UUID, payload: TriageIn) -> Any:
    user, referral = _referral(request, referral_id)
    services.referral_triage(actor=user, referral=referral, answers=payload.answers,
                             rating=payload.rating, notes=payload.notes)  # fmt: skip
    return _detail(user, referral)


def _organisation(referral: Referral, value: str) -> Organisation:
    text = value.strip()
    for organisation in member_organisations(partnership=referral.partnership):
        if text in (str(organisation.pk), organisation.slug, organisation.name):
            return organisation
    raise ServiceError("Choose one of the partnership's member organisations.",
                       field="owner_agency")  # fmt: skip


@router.post("/referrals/{referral_id}/assign",
             response={200: ReferralDetailOut, 400: dict, 403: dict})  # fmt: skip
def referral_assign(request: HttpRequest, referral_id: UUID, payload: AssignIn) -> Any:
    user, referral = _referral(request, referral_id)
    if not permissions.can_assign(user, referral):
        raise PermissionDenied
    services.referral_assign(actor=user, referral=referral,
                             owner_agency=_organisation(referral, payload.owner_agency),
                             route=payload.route)  # fmt: skip
    return _detail(user, referral)


@router.post("/referrals/{referral_id}/close",
             response={200: ReferralDetailOut, 400: dict, 403: dict})  # fmt: skip
def referral_close(request: HttpRequest, referral_id: UUID, payload: CloseIn) -> Any:
    user, referral = _referral(request, referral_id)
    services.referral_close(actor=user, referral=referral, outcome=payload.outcome,
                            notes=payload.notes, closed_on=payload.closed_on)  # fmt: skip
    return _detail(user, referral)
