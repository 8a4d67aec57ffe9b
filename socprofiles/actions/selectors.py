"""Reads for the action plan: the plan by strand, what is overdue or due, a person's
actions, the meeting agenda, the dashboards and what the partnership has disrupted."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from socprofiles.accounts.models import Partnership
from socprofiles.accounts.selectors import partnerships_for_user
from socprofiles.profiles.models import Strand

from . import permissions
from .models import Action, Disruption, Milestone, Power, Status


def actions_of(*, partnership: Partnership) -> QuerySet[Action]:
    return (
        Action.objects.filter(partnership=partnership)
        .select_related("owner", "profile")
        .prefetch_related(
            "owner_organisations", Prefetch("milestones", queryset=Milestone.objects.all())
        )
    )


def action_get_for_user(*, user: Any, pk: Any) -> Action:
    action = Action.objects.select_related("partnership", "owner").filter(pk=pk).first()
    if action is None or not permissions.can_view_plan(user, action.partnership):
        raise Http404("No such action.")
    return action


@dataclass
class Flags:
    overdue_milestones: list[Milestone] = field(default_factory=list)
    review_due: bool = False

    @property
    def any(self) -> bool:
        return bool(self.overdue_milestones) or self.review_due


def flags(action: Action, today: dt.date | None = None) -> Flags:
    today = today or timezone.localdate()
    return Flags(
        overdue_milestones=[m for m in action.milestones.all() if m.overdue(today)],
        review_due=action.review_due(today),
    )


def plan(*, partnership: Partnership, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The plan grouped by 4P strand, in the guide's order, each action with its flags."""
    by_strand: dict[str, list[tuple[Action, Flags]]] = defaultdict(list)
    for action in actions_of(partnership=partnership):
        by_strand[action.strand].append((action, flags(action, today)))
    return [
        {"strand": value, "label": str(label), "rows": by_strand.get(value, [])}
        for value, label in Strand.choices
    ]


def actions_for_user(*, user: Any) -> list[tuple[Action, Flags]]:
    """The actions a person owns, or their organisation owns, across their partnerships."""
    partnerships = partnerships_for_user(user=user)
    found = Action.objects.filter(partnership__in=partnerships).select_related("partnership")
    org = getattr(user, "organisation_id", None)
    mine = found.filter(owner=user)
    if org is not None:
        mine = mine | found.filter(owner_organisations=org)
    return [(a, flags(a)) for a in mine.distinct().prefetch_related("milestones")]


def agenda(*, partnership: Partnership, today: dt.date | None = None) -> list[dict[str, Any]]:
    """For a partnership meeting: what is overdue, at risk or off track, or due for review."""
    today = today or timezone.localdate()
    rows = []
    for action in actions_of(partnership=partnership).exclude(status=Status.COMPLETE):
        found = flags(action, today)
        reasons = []
        if found.overdue_milestones:
            reasons.append(f"{len(found.overdue_milestones)} milestone(s) overdue")
        if action.status in (Status.AT_RISK, Status.OFF_TRACK):
            reasons.append(action.get_status_display().lower())
        if found.review_due:
            reasons.append("due for review")
        if reasons:
            rows.append({"action": action, "reasons": reasons, "flags": found})
    return rows


def dashboard(*, partnership: Partnership) -> dict[str, Any]:
    actions = list(actions_of(partnership=partnership))
    statuses = [s for s, _l in Status.choices]
    by_strand = []
    for value, label in Strand.choices:
        counts = Counter(a.status for a in actions if a.strand == value)
        by_strand.append({"label": str(label), "counts": [counts.get(s, 0) for s in statuses],
                          "total": sum(counts.values())})  # fmt: skip
    owners: dict[str, Counter[str]] = defaultdict(Counter)
    for action in actions:
        names = [o.name for o in action.owner_organisations.all()] or ["No owner yet"]
        for name in names:
            owners[name][action.status] += 1
    by_owner = [
        {"label": name, "counts": [c.get(s, 0) for s in statuses], "total": sum(c.values())}
        for name, c in sorted(owners.items())
    ]
    completed: Counter[str] = Counter()
    from .models import ProgressUpdate

    firsts: dict[Any, dt.datetime] = {}
    for update in ProgressUpdate.objects.filter(
        action__partnership=partnership, status=Status.COMPLETE
    ).order_by("created_at"):
        firsts.setdefault(update.action_id, update.created_at)
    for action in actions:
        if action.status == Status.COMPLETE and action.pk in firsts:
            completed[timezone.localtime(firsts[action.pk]).strftime("%Y-%m")] += 1
    running, over_time = 0, []
    for month in sorted(completed):
        running += completed[month]
        over_time.append({"month": month, "completed": completed[month], "cumulative": running})
    outcomes = (
        Disruption.objects.filter(partnership=partnership)
        .values("power")
        .annotate(total=Sum("count"), value=Sum("value_gbp"))
        .order_by("power")
    )
    labels = dict(Power.choices)
    return {
        "statuses": [str(label) for _v, label in Status.choices],
        "by_strand": by_strand,
        "by_owner": by_owner,
        "over_time": over_time,
        "outcomes": [
            {"power": str(labels[o["power"]]), "total": o["total"], "value": o["value"]}
            for o in outcomes
        ],
        "actions": len(actions),
        "complete": sum(1 for a in actions if a.status == Status.COMPLETE),
    }


def disruptions_of(*, partnership: Partnership) -> QuerySet[Disruption]:
    return Disruption.objects.filter(partnership=partnership).select_related(
        "agency", "action", "recorded_by", "escalated_from"
    )


def delivery_since(*, partnership: Partnership, since: dt.datetime | None) -> dict[str, Any]:
    """What the partnership delivered since a date (the previous profile's publication):
    actions by strand and status, and disruptions by power. For the next profile."""
    actions = Action.objects.filter(partnership=partnership)
    disruptions = Disruption.objects.filter(partnership=partnership)
    if since is not None:
        disruptions = disruptions.filter(occurred_on__gte=since.date())
    rows = []
    for value, label in Strand.choices:
        counts = Counter(actions.filter(strand=value).values_list("status", flat=True))
        if counts:
            rows.append([str(label), *[counts.get(s, 0) for s, _l in Status.choices]])
    labels = dict(Power.choices)
    outcomes = [
        [str(labels[o["power"]]), o["total"]]
        for o in disruptions.values("power").annotate(total=Sum("count")).order_by("-total")
    ]
    escalated = disruptions.filter(escalated_from__isnull=False).aggregate(n=Sum("count"))["n"]
    return {"actions": rows, "outcomes": outcomes, "escalated": escalated or 0}
