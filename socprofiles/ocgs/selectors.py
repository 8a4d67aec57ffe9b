"""Reads for the OCG register and joint operations: an agency's own groups, its nominals
ranked for tactical work (Op Liberal's top N), a group's network, and operations with
their outcomes rolled up per measure and per agency (Op SLATE's summary)."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from socprofiles.accounts.models import Organisation
from socprofiles.actions import permissions as action_permissions
from socprofiles.actions.models import Action
from socprofiles.gain.models import Holding, Kind
from socprofiles.gain.selectors import agencies_holding

from . import permissions
from .models import (
    Association,
    Group,
    JointOperation,
    Measure,
    Member,
    Outcome,
    Participant,
    Role,
)

DEFAULT_TOP = 20
MAX_TOP = 500
# Roles in order of seniority, for sorting and for the prioritisation's tie-break.
ROLE_ORDER = {value: index for index, value in enumerate(Role.values)}


# -- groups -------------------------------------------------------------------------------


def groups_for(*, user: Any) -> QuerySet[Group]:
    """The groups of the person's own agency; nothing for anyone else."""
    own = permissions.organisation_of(user)
    if own is None or not permissions.can_keep_register(user, own):
        return Group.objects.none()
    return Group.objects.filter(organisation=own).select_related("lead_officer", "partnership")


def group_get_for_user(*, user: Any, pk: Any) -> Group:
    group = Group.objects.select_related("organisation", "lead_officer", "partnership").filter(
        pk=pk
    )
    found = group.first()
    if found is None or not permissions.can_view_group(user, found):
        raise Http404("No such group.")
    return found


def members_of(*, group: Group) -> list[Member]:
    members = list(group.members.select_related("nominal"))
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, 99), m.nominal.reference))
    return members


def member_get(*, group: Group, pk: Any) -> Member:
    member = Member.objects.select_related("nominal").filter(group=group, pk=pk).first()
    if member is None:
        raise Http404("No such member.")
    return member


def nominals_for(*, user: Any, kinds: tuple[str, ...] = (Kind.PERSON,)) -> QuerySet[Holding]:
    """The person's own agency's nominals of the kinds; nothing for anyone else."""
    own = permissions.organisation_of(user)
    if own is None or not permissions.can_keep_register(user, own):
        return Holding.objects.none()
    return Holding.objects.filter(organisation=own, kind__in=kinds).order_by("reference")


def nominal_find(
    *, organisation: Organisation, value: Any, kinds: tuple[str, ...] = (Kind.PERSON,)
) -> Holding | None:
    """One of the agency's own nominals by id or by its reference; None for anything
    else, whether it does not exist or is another agency's (the caller cannot tell)."""
    text = str(value or "").strip()
    if not text:
        return None
    found = Holding.objects.filter(organisation=organisation, kind__in=kinds)
    try:
        key = uuid.UUID(text)
    except ValueError:
        return found.filter(reference=text).first()
    return found.filter(Q(pk=key) | Q(reference=text)).first()


def nominal_label(holding: Holding) -> str:
    """A short description from the agency's own record (shown to that agency only)."""
    v = holding.values or {}
    if holding.kind == Kind.PERSON:
        text = " ".join(str(v[k]) for k in ("first_name", "surname") if v.get(k))
    elif holding.kind == Kind.VEHICLE:
        text = " ".join(str(v[k]) for k in ("vrm", "colour", "make") if v.get(k))
    elif holding.kind == Kind.BUSINESS:
        text = str(v.get("name") or "")
    else:
        text = ", ".join(str(v[k]) for k in ("address", "postcode") if v.get(k))
    return text or holding.reference


def associations_of(*, group: Group) -> QuerySet[Association]:
    """Links that touch at least one of the group's members, among the owner's nominals."""
    nominals = group.members.values_list("nominal_id", flat=True)
    return (
        Association.objects.filter(organisation=group.organisation)
        .filter(Q(left_id__in=nominals) | Q(right_id__in=nominals))
        .select_related("left", "right")
    )


def association_get(*, group: Group, pk: Any) -> Association:
    found = associations_of(group=group).filter(pk=pk).first()
    if found is None:
        raise Http404("No such association.")
    return found


def actions_visible(*, user: Any, group: Group) -> list[Action]:
    """The group's 4P actions that the person may see in their partnership's plan."""
    return [
        a for a in group.actions.select_related("partnership")
        if action_permissions.can_view_plan(user, a.partnership)
    ]  # fmt: skip


def actions_linkable(*, user: Any, group: Group) -> list[Action]:
    if group.partnership is None or not action_permissions.can_view_plan(user, group.partnership):
        return []
    return list(Action.objects.filter(partnership=group.partnership))


# -- the network --------------------------------------------------------------------------

SIZE = 640
CENTRE = SIZE / 2


@dataclass
class Node:
    id: str
    reference: str
    kind: str
    label: str
    role: str = ""  # "" for a nominal outside the group
    role_label: str = "Outside the group"
    tactical_score: float | None = None
    x: float = 0.0
    y: float = 0.0

    @property
    def member(self) -> bool:
        return bool(self.role)

    # Where the page draws the node's square (non-person nominals) and its label.
    @property
    def box_x(self) -> float:
        return self.x - 10

    @property
    def box_y(self) -> float:
        return self.y - 10

    @property
    def text_y(self) -> float:
        return self.y + 28


@dataclass
class Edge:
    id: str
    source: str
    target: str
    kind: str
    kind_label: str
    source_ref: str = ""
    target_ref: str = ""
    note: str = ""
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0


@dataclass
class Network:
    group: Group
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    size: int = SIZE


def _circle(nodes: list[Node], radius: float, turn: float = 0.0) -> None:
    """Evenly round a circle, from the top turned by `turn` radians, in the nodes' order:
    deterministic."""
    count = len(nodes)
    for index, node in enumerate(nodes):
        angle = -math.pi / 2 + turn + 2 * math.pi * index / max(count, 1)
        r = 0.0 if count == 1 else radius
        node.x = round(CENTRE + r * math.cos(angle), 1)
        node.y = round(CENTRE + r * math.sin(angle), 1)


def network(*, group: Group) -> Network:
    """The group's members and their associations, laid out on two circles: members
    inside (by role, then reference), linked nominals outside the group around them."""
    members = members_of(group=group)
    inner = [
        Node(id=str(m.nominal_id), reference=m.nominal.reference, kind=m.nominal.kind,
             label=nominal_label(m.nominal), role=m.role, role_label=m.get_role_display(),
             tactical_score=m.tactical_score)
        for m in members
    ]  # fmt: skip
    known = {n.id for n in inner}
    links = list(associations_of(group=group).order_by("created_at", "pk"))
    outside: dict[str, Node] = {}
    for link in links:
        for end in (link.left, link.right):
            if str(end.pk) not in known and str(end.pk) not in outside:
                outside[str(end.pk)] = Node(
                    id=str(end.pk), reference=end.reference, kind=end.kind,
                    label=nominal_label(end),
                )  # fmt: skip
    outer = sorted(outside.values(), key=lambda n: (n.kind, n.reference))
    _circle(inner, 180 if outer else 240)
    # The outer circle turned by half the inner's step, so few links run through a member.
    _circle(outer, 265, turn=math.pi / max(len(inner), 1))
    placed = {n.id: n for n in [*inner, *outer]}
    edges = []
    for link in links:
        a, b = placed[str(link.left_id)], placed[str(link.right_id)]
        edges.append(
            Edge(id=str(link.pk), source=a.id, target=b.id, kind=link.kind,
                 kind_label=link.get_kind_display(), source_ref=a.reference,
                 target_ref=b.reference, note=link.note,
                 x1=a.x, y1=a.y, x2=b.x, y2=b.y)
        )  # fmt: skip
    return Network(group=group, nodes=[*inner, *outer], edges=edges)


# -- nominal prioritisation (Op Liberal) -------------------------------------------------


@dataclass
class Priority:
    rank: int
    nominal: Holding
    label: str
    tactical_score: float | None
    groups: list[tuple[Group, str]]
    principal: bool
    agencies: int | None  # None: not shown to this agency (not law enforcement)


def top_of(value: Any) -> int:
    """The N of "top N" from a query string: a whole number from 1 to MAX_TOP."""
    try:
        top = int(str(value))
    except (TypeError, ValueError):
        return DEFAULT_TOP
    return max(1, min(top, MAX_TOP))


def prioritised(*, user: Any, top: int = DEFAULT_TOP) -> list[Priority]:
    """The agency's person nominals who are members of its groups, ranked by their
    highest MoRiLE tactical score (unscored last), then by the number of groups they are
    in and whether they are a principal, then by how many agencies hold them (a count
    from GAIN matching), then by reference; the first `top`."""
    own = permissions.organisation_of(user)
    if own is None or not permissions.can_keep_register(user, own):
        return []
    memberships = Member.objects.filter(
        group__organisation=own, nominal__organisation=own, nominal__kind=Kind.PERSON
    ).select_related("group", "nominal")
    by_nominal: dict[Any, list[Member]] = defaultdict(list)
    for m in memberships:
        by_nominal[m.nominal_id].append(m)
    nominals = [ms[0].nominal for ms in by_nominal.values()]
    counts = agencies_holding(user=user, holdings=nominals)
    rows = []
    for nominal in nominals:
        ms = by_nominal[nominal.pk]
        scores = [m.tactical_score for m in ms if m.tactical_score is not None]
        groups = sorted(((m.group, m.get_role_display()) for m in ms),
                        key=lambda pair: pair[0].reference)  # fmt: skip
        rows.append(
            Priority(rank=0, nominal=nominal, label=nominal_label(nominal),
                     tactical_score=max(scores) if scores else None, groups=groups,
                     principal=any(m.role == Role.PRINCIPAL for m in ms),
                     agencies=counts.get(nominal.pk))
        )  # fmt: skip
    rows.sort(
        key=lambda p: (
            p.tactical_score is None, -(p.tactical_score or 0.0), -len(p.groups),
            not p.principal, -(p.agencies or 0), p.nominal.reference,
        )
    )  # fmt: skip
    chosen = rows[:top]
    for index, row in enumerate(chosen, 1):
        row.rank = index
    return chosen


# -- joint operations ---------------------------------------------------------------------


def operations_for(*, user: Any) -> QuerySet[JointOperation]:
    """Operations the person's agency leads or takes part in."""
    own = permissions.organisation_of(user)
    if own is None:
        return JointOperation.objects.none()
    return (
        JointOperation.objects.filter(Q(lead_organisation=own) | Q(participants__organisation=own))
        .distinct()
        .select_related("lead_organisation")
    )


def operation_get_for_user(*, user: Any, pk: Any) -> JointOperation:
    found = JointOperation.objects.select_related("lead_organisation", "group").filter(pk=pk)
    operation = found.first()
    if operation is None or not permissions.can_view_operation(user, operation):
        raise Http404("No such operation.")
    return operation


def participants_of(*, operation: JointOperation) -> list[Participant]:
    return list(operation.participants.select_related("organisation"))


def participant_get(*, operation: JointOperation, pk: Any) -> Participant:
    found = operation.participants.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise Http404("No such participant.")
    return found


def outcome_get(*, operation: JointOperation, pk: Any) -> Outcome:
    found = operation.outcomes.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise Http404("No such outcome.")
    return found


def _amount(measure: str, quantity: int) -> str:
    if measure == Measure.CASH_SEIZED_POUNDS:
        return f"£{quantity:,}"
    label = str(Measure(measure).label).lower()
    return f"{quantity:,} {label}"


def operation_summary(*, operation: JointOperation) -> dict[str, Any]:
    """The results rolled up: a table of agencies by measure with totals, the notes each
    agency gave, and a sentence in the style of the seed's write-up of Op SLATE."""
    agencies = [p.organisation for p in participants_of(operation=operation)]
    outcomes = list(operation.outcomes.select_related("organisation"))
    present = {o.measure for o in outcomes}
    measures = [(value, str(label)) for value, label in Measure.choices if value in present]
    cells: dict[tuple[Any, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for o in outcomes:
        cells[(o.organisation_id, o.measure)] += o.quantity
        totals[o.measure] += o.quantity
    rows = [
        {"organisation": org, "values": [cells.get((org.pk, m), 0) for m, _l in measures],
         "any": any(cells.get((org.pk, m)) for m, _l in measures)}
        for org in agencies
    ]  # fmt: skip
    notes = [
        {"organisation": o.organisation.name, "measure": o.get_measure_display(),
         "quantity": o.quantity, "note": o.note}
        for o in outcomes if o.note
    ]  # fmt: skip
    results = [_amount(m, totals[m]) for m, _l in measures if m != Measure.OTHER]
    if Measure.OTHER in present:
        results.append(f"{totals[Measure.OTHER]:,} other result(s)")
    names = [a.display_name for a in agencies]
    with_results = sum(1 for r in rows if r["any"])
    sentence = f"{len(agencies)} agencies took part ({', '.join(names)})." if agencies else ""
    if results:
        sentence += (
            f" {with_results} of them recorded results, including "
            + (", ".join(results[:-1]) + " and " + results[-1] if len(results) > 1 else results[0])
            + "."
        )
    else:
        sentence += " No results are recorded yet."
    return {
        "measures": measures,
        "rows": rows,
        "totals": [totals[m] for m, _l in measures],
        "notes": notes,
        "sentence": sentence.strip(),
        "agencies": len(agencies),
        "with_results": with_results,
    }
