"""JSON API for the action plan, disruptions and delivery, under the pages' rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from socprofiles.accounts.models import Organisation
from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.core.exceptions import ServiceError

from . import permissions, selectors, services
from .models import Action

router = Router(tags=["4P action plans"])


class MilestoneOut(Schema):
    id: UUID
    text: str
    due_on: dt.date
    done_on: dt.date | None


class ActionOut(Schema):
    id: UUID
    strand: str
    recommendation: str
    ownership: list[str]
    owner: str | None
    review_on: dt.date | None
    status: str
    milestones: list[MilestoneOut]
    overdue: bool
    review_due: bool


class ActionIn(Schema):
    strand: str
    recommendation: str
    ownership: list[str] = []
    review_on: dt.date | None = None


class ProgressIn(Schema):
    status: str
    text: str
    evidence: str = ""


class MilestoneIn(Schema):
    text: str
    due_on: dt.date


class DisruptionIn(Schema):
    power: str
    agency: str
    occurred_on: dt.date
    count: int = 1
    action: UUID | None = None
    ocg_ref: str = ""
    lsoa_code: str = ""
    value_gbp: Decimal | None = None
    notes: str = ""


class DisruptionOut(Schema):
    id: UUID
    power: str
    agency: str
    occurred_on: dt.date
    count: int
    action: UUID | None
    ocg_ref: str
    lsoa_code: str


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _partnership(request: HttpRequest, slug: str) -> Any:
    from django.http import Http404

    partnership = partnership_get_for_user(user=_user(request), slug=slug)
    if not permissions.can_view_plan(_user(request), partnership):
        raise Http404
    return partnership


def _action(a: Action) -> dict[str, Any]:
    found = selectors.flags(a)
    return {
        "id": a.pk, "strand": a.strand, "recommendation": a.recommendation,
        "ownership": [o.name for o in a.owner_organisations.all()],
        "owner": a.owner.username if a.owner else None, "review_on": a.review_on,
        "status": a.status, "overdue": bool(found.overdue_milestones),
        "review_due": found.review_due,
        "milestones": [{"id": m.pk, "text": m.text, "due_on": m.due_on, "done_on": m.done_on}
                       for m in a.milestones.all()],
    }  # fmt: skip


def _disruption(d: Any) -> dict[str, Any]:
    return {"id": d.pk, "power": d.power, "agency": d.agency.name, "occurred_on": d.occurred_on,
            "count": d.count, "action": d.action_id, "ocg_ref": d.ocg_ref,
            "lsoa_code": d.lsoa_code}  # fmt: skip


def _org(partnership: Any, name: str) -> Organisation:
    found = (
        Organisation.objects.filter(name=name).first()
        or Organisation.objects.filter(slug=name).first()
    )
    if found is None:
        raise ServiceError(f"There is no organisation {name!r}.", field="ownership")
    return found


@router.get("/partnerships/{slug}/actions", response=list[ActionOut], summary="The action plan")
def action_list(request: HttpRequest, slug: str) -> Any:
    return [_action(a) for a in selectors.actions_of(partnership=_partnership(request, slug))]


@router.post("/partnerships/{slug}/actions", response={201: ActionOut, 400: dict, 403: dict})
def action_create(request: HttpRequest, slug: str, payload: ActionIn) -> Any:
    partnership = _partnership(request, slug)
    made = services.action_create(
        actor=_user(request), partnership=partnership, strand=payload.strand,
        recommendation=payload.recommendation,
        owner_organisations=[_org(partnership, n) for n in payload.ownership],
        review_on=payload.review_on,
    )  # fmt: skip
    return Status(201, _action(made))


@router.get("/actions/{action_id}", response=ActionOut)
def action_detail(request: HttpRequest, action_id: UUID) -> Any:
    return _action(selectors.action_get_for_user(user=_user(request), pk=action_id))


@router.post(
    "/actions/{action_id}/progress",
    response={200: ActionOut, 400: dict, 403: dict},
    summary="Report progress (the owning organisation, or the plan's managers)",
)
def progress(request: HttpRequest, action_id: UUID, payload: ProgressIn) -> Any:
    user = _user(request)
    action = selectors.action_get_for_user(user=user, pk=action_id)
    services.progress_add(
        actor=user, action=action, status=payload.status, text=payload.text,
        evidence=payload.evidence,
    )  # fmt: skip
    return _action(action)


@router.post("/actions/{action_id}/milestones", response={201: ActionOut, 400: dict, 403: dict})
def milestone(request: HttpRequest, action_id: UUID, payload: MilestoneIn) -> Any:
    user = _user(request)
    action = selectors.action_get_for_user(user=user, pk=action_id)
    services.milestone_add(actor=user, action=action, text=payload.text, due_on=payload.due_on)
    return Status(201, _action(action))


@router.get("/partnerships/{slug}/disruptions", response=list[DisruptionOut])
def disruption_list(request: HttpRequest, slug: str) -> Any:
    partnership = _partnership(request, slug)
    return [_disruption(d) for d in selectors.disruptions_of(partnership=partnership)]


@router.post(
    "/partnerships/{slug}/disruptions", response={201: DisruptionOut, 400: dict, 403: dict}
)
def disruption_create(request: HttpRequest, slug: str, payload: DisruptionIn) -> Any:
    partnership = _partnership(request, slug)
    action = None
    if payload.action is not None:
        action = Action.objects.filter(partnership=partnership, pk=payload.action).first()
        if action is None:
            raise ServiceError("Link an action of this partnership.", field="action")
    made = services.disruption_record(
        actor=_user(request), partnership=partnership, power=payload.power,
        agency=_org(partnership, payload.agency), occurred_on=payload.occurred_on,
        count=payload.count, action=action, ocg_ref=payload.ocg_ref,
        lsoa_code=payload.lsoa_code, value_gbp=payload.value_gbp, notes=payload.notes,
    )  # fmt: skip
    return Status(201, _disruption(made))


@router.get("/partnerships/{slug}/delivery", summary="Delivery by strand, owner, month, power")
def delivery(request: HttpRequest, slug: str) -> Any:
    data = selectors.dashboard(partnership=_partnership(request, slug))
    for row in data["outcomes"]:
        row["value"] = float(row["value"]) if row["value"] is not None else None
    return data
