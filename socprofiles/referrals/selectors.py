"""Reads for partner referrals: the referrals a person may see, loading one for a person
(404 for anyone who may not see it), and the counts by area, category, status and
outcome that the counts page, the action plan and the Local Profile use."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from socprofiles.accounts.models import Area, AreaKind, Partnership
from socprofiles.core.disclosure import suppressed

from . import permissions
from .models import Category, Outcome, Referral, Status

NOT_PLACED = "Not placed in a local authority"


def referrals_for(*, user: Any, partnership: Partnership) -> QuerySet[Referral]:
    """Every referral for the partnership's coordinators; for other members, those their
    own organisation made or is assigned (never another partner's)."""
    found = Referral.objects.filter(partnership=partnership).select_related(
        "referring_organisation", "owner_agency", "area", "referrer"
    )
    if permissions.is_coordinator(user, partnership):
        return found
    own = permissions.organisation_id(user)
    if own is None or not permissions.is_acting_member(user, partnership):
        return found.none()
    return found.filter(Q(referring_organisation_id=own) | Q(owner_agency_id=own))


def referral_get_for_user(*, user: Any, pk: Any) -> Referral:
    referral = (
        Referral.objects.select_related(
            "partnership", "referring_organisation", "owner_agency", "area", "referrer",
            "triaged_by",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if referral is None or not permissions.can_view(user, referral):
        raise Http404("No such referral.")
    return referral


def _local_authority(area: Area | None) -> Area | None:
    hops = 0
    while area is not None and hops < 8:
        if area.kind == AreaKind.LOCAL_AUTHORITY:
            return area
        area, hops = area.parent, hops + 1
    return None


def area_label(referral: Referral, districts: dict[str, Area | None]) -> str:
    """The local authority a referral is counted in: its area's, or its postcode
    district's as the partnership lists it (socprofiles.selfassessment)."""
    authority = _local_authority(referral.area)
    if authority is None and referral.postcode_district:
        authority = districts.get(referral.postcode_district)
    return authority.name if authority is not None else NOT_PLACED


@dataclass
class StatusCounts:
    total: int
    statuses: list[str]
    by_category: list[list[Any]]  # category, per status..., total


@dataclass
class Counts(StatusCounts):
    columns: list[str]  # categories, for the area and outcome tables
    by_area: list[list[Any]]  # local authority, per category..., total
    outcomes: list[list[Any]]  # outcome, per category..., total


def _received(
    partnership: Partnership, start: dt.date | None, end: dt.date | None
) -> QuerySet[Referral]:
    found = Referral.objects.filter(partnership=partnership)
    if start is not None:
        found = found.filter(created_at__date__gte=start)
    if end is not None:
        found = found.filter(created_at__date__lte=end)
    return found


def _status_counts(tally: Mapping[tuple[str, str], int]) -> StatusCounts:
    """The category by status table from the number of referrals of each (category, status)."""
    status_keys = [v for v, _l in Status.choices]
    by_category = []
    for key, label in Category.choices:
        cells = [tally.get((key, s), 0) for s in status_keys]
        total = sum(n for (category, _s), n in tally.items() if category == key)
        by_category.append([str(label), *cells, total])
    return StatusCounts(
        total=sum(tally.values()), statuses=[str(label) for _v, label in Status.choices],
        by_category=by_category,
    )  # fmt: skip


def status_counts(
    *, partnership: Partnership, start: dt.date | None = None, end: dt.date | None = None
) -> StatusCounts:
    """Referrals received from start to end (inclusive, either open) by category and
    status, counted by the database without loading a referral (the action plan's
    dashboard)."""
    found = (
        _received(partnership, start, end)
        .order_by()
        .values_list("category", "status")
        .annotate(n=Count("pk"))
    )
    return _status_counts({(category, status): n for category, status, n in found})


def counts(
    *, partnership: Partnership, start: dt.date | None = None, end: dt.date | None = None
) -> Counts:
    """Referrals received from start to end (inclusive, either open) by category and
    status, by local authority and category, and closed ones by outcome and category."""
    from socprofiles.selfassessment.selectors import district_authorities

    referrals = list(
        _received(partnership, start, end).select_related("area__parent__parent__parent")
    )
    districts = district_authorities(partnership=partnership)
    categories = [str(label) for _v, label in Category.choices]
    category_keys = [v for v, _l in Category.choices]
    by_status = _status_counts(Counter((r.category, r.status) for r in referrals))
    areas: dict[str, Counter[str]] = {}
    for referral in referrals:
        areas.setdefault(area_label(referral, districts), Counter())[referral.category] += 1
    names = sorted(a for a in areas if a != NOT_PLACED) + ([NOT_PLACED] if NOT_PLACED in areas
                                                             else [])  # fmt: skip
    by_area = [[name, *[areas[name].get(c, 0) for c in category_keys],
                sum(areas[name].values())] for name in names]  # fmt: skip
    outcomes = []
    for key, label in Outcome.choices:
        mine = Counter(r.category for r in referrals if r.status == Status.CLOSED
                       and r.outcome == key)  # fmt: skip
        if mine:
            outcomes.append([str(label), *[mine.get(c, 0) for c in category_keys],
                             sum(mine.values())])  # fmt: skip
    return Counts(
        total=by_status.total, statuses=by_status.statuses, by_category=by_status.by_category,
        columns=categories, by_area=by_area, outcomes=outcomes,
    )  # fmt: skip


def profile_tables(
    *, partnership: Partnership, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    """For the Local Profile: referrals received in the period by category (rows) and local
    authority (columns), and closed ones by outcome; counts of 1 to 4 shown as "<5".
    Empty when there were none."""
    found = counts(partnership=partnership, start=start, end=end)
    if not found.total:
        return {"tables": [], "notes": []}
    when = f"{start:%-d %B %Y} to {end:%-d %B %Y}" if start and end else "to date"
    areas = [row[0] for row in found.by_area]
    by_category = []
    for index, category in enumerate(found.columns, 1):
        cells = [suppressed(row[index]) for row in found.by_area]
        by_category.append([category, *cells, suppressed(found.by_category[index - 1][-1])])
    by_category.append(["All referrals", *[suppressed(row[-1]) for row in found.by_area],
                        suppressed(found.total)])  # fmt: skip
    tables = [{
        "caption": f"Partner referrals received by category and local authority, {when}",
        "columns": ["Category", *areas, "Whole partnership"], "rows": by_category,
    }]  # fmt: skip
    if found.outcomes:
        tables.append({
            "caption": f"Referrals received {when} and since closed, by outcome",
            "columns": ["Outcome", "Referrals"],
            "rows": [[row[0], suppressed(row[-1])] for row in found.outcomes],
        })  # fmt: skip
    open_now = sum(row[1] + row[2] + row[3] for row in found.by_category)
    return {
        "tables": tables,
        "notes": [
            f"Partners made {found.total} referrals to the partnership's coordinators in the "
            f"period; {open_now} were still open when this was written. The coordinators "
            "triage each by risk and threat with the MoRiLE tactical model, then give it an "
            "owning agency and a safeguarding route. Counts of 1 to 4 are shown as <5 so no "
            "person or place can be recognised."
        ],
    }  # fmt: skip
