"""JSON API for the OCG register and joint operations, under the pages' rules: a group is
its agency's alone; an operation is its lead's and its taking-part agencies'."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from socprofiles.accounts.models import Organisation
from socprofiles.core.exceptions import ServiceError

from . import permissions, selectors, services
from .models import Group, JointOperation, Member

router = Router(tags=["OCGs and joint operations"])


class GroupIn(Schema):
    reference: str = Field(max_length=60)
    name: str = Field("", max_length=200)
    status: str = "active"
    band: str = ""
    threat_score: int | None = Field(None, ge=0, le=1_000_000)
    crime_markets: list[str] = []
    notes: str = ""


class GroupOut(Schema):
    id: UUID
    reference: str
    name: str
    status: str
    band: str
    threat_score: int | None
    crime_markets: list[str]
    lead_officer: str | None
    tactical_score: float | None
    tactical_model: str
    members: int


class MemberOut(Schema):
    id: UUID
    nominal: str
    role: str
    tactical_score: float | None
    tactical_model: str


class AssociationOut(Schema):
    id: UUID
    left: str
    right: str
    kind: str
    note: str


class GroupDetailOut(GroupOut):
    tactical_answers: dict[str, float]
    tactical_outputs: dict[str, float]
    member_list: list[MemberOut]
    associations: list[AssociationOut]


class MemberIn(Schema):
    nominal: str
    role: str = "member"
    note: str = ""


class AssociationIn(Schema):
    left: str
    right: str
    kind: str
    note: str = ""


class TacticalIn(Schema):
    answers: dict[str, float]
    rationale: str = ""


class ImportIn(Schema):
    rows: list[dict[str, Any]]
    source: str = "api"


class NodeOut(Schema):
    id: str
    reference: str
    kind: str
    role: str
    tactical_score: float | None


class EdgeOut(Schema):
    source: str
    target: str
    kind: str
    note: str


class NetworkOut(Schema):
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class PriorityOut(Schema):
    rank: int
    reference: str
    tactical_score: float | None
    groups: list[str]
    principal: bool
    agencies: int | None


class OperationIn(Schema):
    name: str
    planned_on: dt.date
    description: str = ""
    group: UUID | None = None
    powers: str = ""


class ParticipantOut(Schema):
    organisation: str
    powers: str


class OutcomeOut(Schema):
    id: UUID
    organisation: str
    measure: str
    quantity: int
    note: str


class OperationOut(Schema):
    id: UUID
    name: str
    lead_organisation: str
    planned_on: dt.date
    description: str
    status: str
    participants: list[ParticipantOut]
    outcomes: list[OutcomeOut]


class ParticipantIn(Schema):
    organisation: str
    powers: str = ""


class OutcomeIn(Schema):
    measure: str
    quantity: int = Field(ge=1, le=2_000_000_000)
    note: str = ""


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _register(request: HttpRequest) -> tuple[Any, Organisation]:
    user = _user(request)
    own = permissions.organisation_of(user)
    if own is None or not permissions.can_keep_register(user, own):
        raise Http404
    return user, own


def _group_out(g: Group) -> dict[str, Any]:
    return {
        "id": g.pk, "reference": g.reference, "name": g.name, "status": g.status,
        "band": g.band, "threat_score": g.threat_score, "crime_markets": g.crime_markets,
        "lead_officer": g.lead_officer.username if g.lead_officer else None,
        "tactical_score": g.tactical_score, "tactical_model": g.tactical_model,
        "members": g.member_count if hasattr(g, "member_count") else g.members.count(),
    }  # fmt: skip


def _member_out(m: Member) -> dict[str, Any]:
    return {"id": m.pk, "nominal": m.nominal.reference, "role": m.role,
            "tactical_score": m.tactical_score, "tactical_model": m.tactical_model}  # fmt: skip


def _group_detail(g: Group) -> dict[str, Any]:
    return {
        **_group_out(g), "tactical_answers": g.tactical_answers,
        "tactical_outputs": g.tactical_outputs,
        "member_list": [_member_out(m) for m in selectors.members_of(group=g)],
        "associations": [
            {"id": a.pk, "left": a.left.reference, "right": a.right.reference, "kind": a.kind,
             "note": a.note}
            for a in selectors.associations_of(group=g)
        ],
    }  # fmt: skip


def _group(request: HttpRequest, group_id: UUID) -> tuple[Any, Group]:
    user = _user(request)
    return user, selectors.group_get_for_user(user=user, pk=group_id)


@router.get("/ocgs", response=list[GroupOut], summary="Your organisation's OCG register")
def group_list(request: HttpRequest) -> Any:
    user, _own = _register(request)
    groups = selectors.groups_for(user=user).annotate(member_count=Count("members"))
    return [_group_out(g) for g in groups]


@router.post("/ocgs", response={201: GroupOut, 400: dict, 403: dict})
def group_create(request: HttpRequest, payload: GroupIn) -> Any:
    user, own = _register(request)
    group = services.group_create(
        actor=user, organisation=own, reference=payload.reference, name=payload.name,
        status=payload.status, band=payload.band, threat_score=payload.threat_score,
        crime_markets=payload.crime_markets, notes=payload.notes,
    )  # fmt: skip
    return Status(201, _group_out(group))


@router.post(
    "/ocgs/import",
    response={200: dict, 400: dict, 403: dict},
    summary="Groups and members from rows shaped like the OCG mapping feed, all or nothing",
)
def groups_import(request: HttpRequest, payload: ImportIn) -> Any:
    user, own = _register(request)
    return services.groups_import(
        actor=user, organisation=own, rows=payload.rows, source=payload.source[:100]
    )


@router.get(
    "/ocgs/priorities",
    response=list[PriorityOut],
    summary="Nominal prioritisation: the top N by tactical score, groups, agencies holding",
)
def priorities(request: HttpRequest, top: int = selectors.DEFAULT_TOP) -> Any:
    user, own = _register(request)
    rows = selectors.prioritised(user=user, top=selectors.top_of(top))
    services.priorities_exported(actor=user, organisation=own, rows=len(rows))
    return [
        {"rank": p.rank, "reference": p.nominal.reference, "tactical_score": p.tactical_score,
         "groups": [g.reference for g, _r in p.groups], "principal": p.principal,
         "agencies": p.agencies}
        for p in rows
    ]  # fmt: skip


@router.get("/ocgs/{group_id}", response=GroupDetailOut)
def group_detail(request: HttpRequest, group_id: UUID) -> Any:
    _user, group = _group(request, group_id)
    return _group_detail(group)


@router.put("/ocgs/{group_id}/tactical-score", response={200: GroupOut, 400: dict, 403: dict})
def group_score(request: HttpRequest, group_id: UUID, payload: TacticalIn) -> Any:
    user, group = _group(request, group_id)
    services.group_score(actor=user, group=group, answers=payload.answers,
                         rationale=payload.rationale)  # fmt: skip
    return _group_out(group)


@router.post("/ocgs/{group_id}/members", response={201: MemberOut, 400: dict, 403: dict})
def member_add(request: HttpRequest, group_id: UUID, payload: MemberIn) -> Any:
    user, group = _group(request, group_id)
    member = services.member_add(
        actor=user, group=group, role=payload.role, note=payload.note,
        nominal=selectors.nominal_find(organisation=group.organisation, value=payload.nominal),
        reference=payload.nominal,
    )  # fmt: skip
    return Status(201, _member_out(member))


@router.put(
    "/ocgs/{group_id}/members/{member_id}/tactical-score",
    response={200: MemberOut, 400: dict, 403: dict},
)
def member_score(request: HttpRequest, group_id: UUID, member_id: UUID, payload: TacticalIn) -> Any:
    user, group = _group(request, group_id)
    member = selectors.member_get(group=group, pk=member_id)
    services.member_score(actor=user, member=member, answers=payload.answers,
                          rationale=payload.rationale)  # fmt: skip
    return _member_out(member)


@router.post("/ocgs/{group_id}/associations", response={201: AssociationOut, 400: dict, 403: dict})
def association_add(request: HttpRequest, group_id: UUID, payload: AssociationIn) -> Any:
    user, group = _group(request, group_id)

    def find(value: str) -> Any:
        return selectors.nominal_find(
            organisation=group.organisation, value=value, kinds=services.ANY_KIND
        )

    link = services.association_add(
        actor=user, group=group, left=find(payload.left), right=find(payload.right),
        kind=payload.kind, note=payload.note, left_ref=payload.left, right_ref=payload.right,
    )  # fmt: skip
    out = {"id": link.pk, "left": link.left.reference, "right": link.right.reference,
           "kind": link.kind, "note": link.note}  # fmt: skip
    return Status(201, out)


@router.get(
    "/ocgs/{group_id}/network",
    response=NetworkOut,
    summary="The group's members and associations as nodes and edges (audited)",
)
def network(request: HttpRequest, group_id: UUID) -> Any:
    user, group = _group(request, group_id)
    found = selectors.network(group=group)
    services.network_exported(actor=user, group=group, fmt="json", nodes=len(found.nodes),
                              edges=len(found.edges))  # fmt: skip
    return {
        "nodes": [{"id": n.id, "reference": n.reference, "kind": n.kind, "role": n.role,
                   "tactical_score": n.tactical_score} for n in found.nodes],
        "edges": [{"source": e.source, "target": e.target, "kind": e.kind, "note": e.note}
                  for e in found.edges],
    }  # fmt: skip


# -- joint operations ---------------------------------------------------------------------


def _operation_out(o: JointOperation) -> dict[str, Any]:
    return {
        "id": o.pk, "name": o.name, "lead_organisation": o.lead_organisation.name,
        "planned_on": o.planned_on, "description": o.description, "status": o.status,
        "participants": [{"organisation": p.organisation.name, "powers": p.powers}
                         for p in selectors.participants_of(operation=o)],
        "outcomes": [{"id": x.pk, "organisation": x.organisation.name, "measure": x.measure,
                      "quantity": x.quantity, "note": x.note}
                     for x in o.outcomes.select_related("organisation")],
    }  # fmt: skip


def _operation(request: HttpRequest, operation_id: UUID) -> tuple[Any, JointOperation]:
    user = _user(request)
    return user, selectors.operation_get_for_user(user=user, pk=operation_id)


@router.get("/operations", response=list[OperationOut], summary="Operations your agency is in")
def operation_list(request: HttpRequest) -> Any:
    user = _user(request)
    if permissions.organisation_of(user) is None:
        raise Http404
    return [_operation_out(o) for o in selectors.operations_for(user=user)]


@router.post("/operations", response={201: OperationOut, 400: dict, 403: dict})
def operation_create(request: HttpRequest, payload: OperationIn) -> Any:
    user = _user(request)
    own = permissions.organisation_of(user)
    if own is None:
        raise Http404
    group = None
    if payload.group is not None:
        group = selectors.groups_for(user=user).filter(pk=payload.group).first()
        if group is None:
            raise ServiceError("Choose one of your organisation's groups.", field="group")
    operation = services.operation_create(
        actor=user, lead_organisation=own, name=payload.name, planned_on=payload.planned_on,
        description=payload.description, group=group, powers=payload.powers,
    )  # fmt: skip
    return Status(201, _operation_out(operation))


@router.get("/operations/{operation_id}", response=OperationOut)
def operation_detail(request: HttpRequest, operation_id: UUID) -> Any:
    _user, operation = _operation(request, operation_id)
    return _operation_out(operation)


@router.post(
    "/operations/{operation_id}/participants",
    response={201: OperationOut, 400: dict, 403: dict},
    summary="Add a partner agency and its planned powers (the lead agency)",
)
def participant_add(request: HttpRequest, operation_id: UUID, payload: ParticipantIn) -> Any:
    user, operation = _operation(request, operation_id)
    if not permissions.can_manage_operation(user, operation):
        raise PermissionDenied  # before any lookup: names are not probed through this
    found = (
        Organisation.objects.filter(name=payload.organisation).first()
        or Organisation.objects.filter(slug=payload.organisation).first()
    )
    if found is None:
        raise ServiceError(f"There is no organisation {payload.organisation!r}.",
                           field="organisation")  # fmt: skip
    services.participant_add(actor=user, operation=operation, organisation=found,
                             powers=payload.powers)  # fmt: skip
    return Status(201, _operation_out(operation))


@router.post(
    "/operations/{operation_id}/outcomes",
    response={201: OutcomeOut, 400: dict, 403: dict},
    summary="Record a result for your own agency",
)
def outcome_add(request: HttpRequest, operation_id: UUID, payload: OutcomeIn) -> Any:
    user, operation = _operation(request, operation_id)
    own = permissions.organisation_of(user)
    assert own is not None  # the operation was found, so the person has an organisation
    outcome = services.outcome_record(
        actor=user, operation=operation, organisation=own, measure=payload.measure,
        quantity=payload.quantity, note=payload.note,
    )  # fmt: skip
    return Status(201, {"id": outcome.pk, "organisation": own.name, "measure": outcome.measure,
                        "quantity": outcome.quantity, "note": outcome.note})  # fmt: skip


@router.get("/operations/{operation_id}/summary", summary="Results by measure and by agency")
def operation_summary(request: HttpRequest, operation_id: UUID) -> Any:
    _user, operation = _operation(request, operation_id)
    summary = selectors.operation_summary(operation=operation)
    return {
        "operation": operation.name,
        "measures": [m for m, _l in summary["measures"]],
        "totals": dict(zip([m for m, _l in summary["measures"]], summary["totals"], strict=True)),
        "by_agency": [
            {"organisation": r["organisation"].name,
             "values": dict(zip([m for m, _l in summary["measures"]], r["values"], strict=True))}
            for r in summary["rows"]
        ],
        "sentence": summary["sentence"],
    }  # fmt: skip
