"""JSON API for GAIN under the pages' rules: an agency's own holdings; coordinators' hit/
no-hit requests (per agency: hit and confidence, nothing else); disclosures decided by the
holding agency; candidates for joint work. Anything else answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from socprofiles.accounts.models import Organisation

from . import permissions, selectors, services
from .models import Kind

router = Router(tags=["GAIN"])
MAX_API_ROWS = 5000


class HoldingOut(Schema):
    id: UUID
    kind: str
    reference: str
    values: dict[str, str]


class HoldingsIn(Schema):
    kind: str
    rows: list[dict[str, Any]]


class LoadedOut(Schema):
    loaded: int


class HitRequestIn(Schema):
    kind: str
    subject: dict[str, str]
    purpose: str = Field(max_length=5000)


class AnswerOut(Schema):
    organisation: str
    organisation_id: str
    hit: bool
    confidence: float


class HitRequestOut(Schema):
    id: UUID
    kind: str
    subject: dict[str, str]
    purpose: str
    created_at: dt.datetime
    milliseconds: float
    answers: list[AnswerOut]


class DisclosureIn(Schema):
    organisation: UUID
    purpose: str = Field(max_length=5000)
    legal_gateway: str = Field(max_length=200)


class DecisionIn(Schema):
    approve: bool
    shared: str = Field("", max_length=5000)


class DisclosureOut(Schema):
    id: UUID
    request: UUID
    organisation: str
    purpose: str
    legal_gateway: str
    status: str
    shared: str


class CandidateOut(Schema):
    subject: str
    kind: str
    agencies: int
    organisations: list[str]


def _user(request: HttpRequest) -> Any:
    if not permissions.may_use_gain(request.user):
        raise Http404
    return request.user


def _coordinator(request: HttpRequest) -> Any:
    user = _user(request)
    if not permissions.is_coordinator(user):
        raise Http404
    return user


def _request(hit: Any) -> dict[str, Any]:
    return {"id": hit.pk, "kind": hit.kind, "subject": hit.subject, "purpose": hit.purpose,
            "created_at": hit.created_at, "milliseconds": hit.milliseconds,
            "answers": [{k: a[k] for k in ("organisation", "organisation_id", "hit",
                                            "confidence")} for a in hit.answers]}  # fmt: skip


def _disclosure(d: Any) -> dict[str, Any]:
    return {"id": d.pk, "request": d.request_id, "organisation": d.organisation.name,
            "purpose": d.purpose, "legal_gateway": d.legal_gateway, "status": d.status,
            "shared": d.shared}  # fmt: skip


@router.get("/gain/holdings", response=list[HoldingOut], summary="Your agency's holdings")
def holdings_list(
    request: HttpRequest, kind: str = "", limit: int = Query(500, ge=1, le=5000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> Any:  # fmt: skip
    rows = selectors.holdings_for(user=_user(request)).order_by("kind", "reference")
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    return [{"id": h.pk, "kind": h.kind, "reference": h.reference, "values": h.values}
            for h in rows[offset : offset + limit]]  # fmt: skip


@router.post("/gain/holdings", response={201: LoadedOut, 400: dict, 403: dict},
             summary="Load records into your agency's holdings (all or nothing)")  # fmt: skip
def holdings_load(request: HttpRequest, payload: HoldingsIn) -> Any:
    user = _user(request)
    if payload.kind not in Kind.values:
        return Status(400, {"detail": f"{payload.kind!r} is not a kind of record: use "
                                      f"{', '.join(Kind.values)}.", "field": "kind"})  # fmt: skip
    if len(payload.rows) > MAX_API_ROWS:
        detail = (f"At most {MAX_API_ROWS:,} rows a call (found {len(payload.rows):,}): send "
                  "them in parts, or load the file on the holdings page.")  # fmt: skip
        return Status(400, {"detail": detail, "field": "rows"})
    loaded = services.holdings_load(actor=user, organisation=user.organisation,
                                    kind=payload.kind, rows=payload.rows, source="API")  # fmt: skip
    return Status(201, {"loaded": loaded})


@router.get("/gain/requests", response=list[HitRequestOut], summary="Your hit/no-hit requests")
def requests_list(request: HttpRequest) -> Any:
    return [_request(r) for r in selectors.requests_for(user=_coordinator(request))[:500]]


@router.post("/gain/requests", response={201: HitRequestOut, 400: dict},
             summary="Ask every agency whether it holds a subject")  # fmt: skip
def request_create(request: HttpRequest, payload: HitRequestIn) -> Any:
    user = _coordinator(request)
    if payload.kind not in Kind.values:
        return Status(400, {"detail": f"{payload.kind!r} is not a kind of record.",
                            "field": "kind"})  # fmt: skip
    hit = services.hit_request(actor=user, kind=payload.kind, subject=payload.subject,
                               purpose=payload.purpose)  # fmt: skip
    return Status(201, _request(hit))


@router.get("/gain/requests/{request_id}", response=HitRequestOut)
def request_detail(request: HttpRequest, request_id: UUID) -> Any:
    return _request(selectors.request_get_for_user(user=_coordinator(request), pk=request_id))


@router.post("/gain/requests/{request_id}/disclosures",
             response={201: DisclosureOut, 400: dict, 403: dict},
             summary="Ask an agency that answered hit to disclose")  # fmt: skip
def disclosure_create(request: HttpRequest, request_id: UUID, payload: DisclosureIn) -> Any:
    user = _coordinator(request)
    hit = selectors.request_get_for_user(user=user, pk=request_id)
    if not any(a["organisation_id"] == str(payload.organisation) for a in hit.answers):
        raise Http404
    disclosure = services.disclosure_request(
        actor=user, request=hit, organisation=Organisation.objects.get(pk=payload.organisation),
        purpose=payload.purpose, legal_gateway=payload.legal_gateway,
    )  # fmt: skip
    return Status(201, _disclosure(disclosure))


@router.get("/gain/disclosures", response=list[DisclosureOut],
            summary="Requests to your agency, and (coordinators) your own")  # fmt: skip
def disclosures_list(request: HttpRequest) -> Any:
    return [_disclosure(d) for d in selectors.disclosures_for(user=_user(request))[:500]]


@router.post("/gain/disclosures/{disclosure_id}/decision",
             response={200: DisclosureOut, 400: dict, 403: dict},
             summary="Approve or decline (the holding agency)")  # fmt: skip
def disclosure_decision(request: HttpRequest, disclosure_id: UUID, payload: DecisionIn) -> Any:
    user = _user(request)
    disclosure = selectors.disclosure_get_for_user(user=user, pk=disclosure_id)
    services.disclosure_decide(actor=user, disclosure=disclosure, approve=payload.approve,
                               shared=payload.shared)  # fmt: skip
    return _disclosure(disclosure)


@router.get("/gain/joint-work", response=list[CandidateOut],
            summary="Subjects held by three or more agencies")  # fmt: skip
def joint_work(request: HttpRequest) -> Any:
    user = _coordinator(request)
    candidates = selectors.joint_work_candidates(user=user)
    services.joint_work_disclosed(actor=user, candidates=len(candidates))
    return candidates
