"""Reads for the self-assessment's results: the districts a partnership covers, and the
segment counts by postcode district, by local authority and for the whole partnership."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from socprofiles.accounts.models import Area, AreaKind, Partnership
from socprofiles.core.disclosure import SUPPRESS_BELOW, suppressed

from .models import PostcodeDistrict, Result
from .scoring import Model, default_model


def district_sort_key(district: str) -> tuple[str, int, str]:
    """DH2 before DH10: letters, then the number, then any letter after it."""
    found = re.match(r"^([A-Z]+)(\d+)(.*)$", district)
    if not found:
        return (district, 0, "")
    return (found.group(1), int(found.group(2)), found.group(3))


def districts_of(*, partnership: Partnership) -> list[PostcodeDistrict]:
    found = PostcodeDistrict.objects.filter(partnership=partnership).select_related(
        "local_authority"
    )
    return sorted(found, key=lambda d: district_sort_key(d.district))


def district_authorities(*, partnership: Partnership) -> dict[str, Area | None]:
    """Each district the partnership covers and the local authority it is counted in."""
    return {d.district: d.local_authority for d in districts_of(partnership=partnership)}


def local_authorities_of(*, partnership: Partnership) -> list[Area]:
    """The local authorities in the partnership's area (or its area, if it is one)."""
    area = partnership.area
    if area.kind == AreaKind.LOCAL_AUTHORITY:
        return [area]
    return list(Area.objects.filter(parent=area, kind=AreaKind.LOCAL_AUTHORITY).order_by("name"))


def segments_of(model: Model | None = None) -> list[tuple[str, str]]:
    """The segments, most protected first, as (key, label)."""
    model = model or default_model()
    return [(s.key, s.label) for s in model.segments]


@dataclass
class Row:
    kind: str  # "partnership", "local_authority" or "district"
    code: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def respondents(self) -> int:
        return sum(self.counts.values())

    def share(self, segment: str) -> float:
        return self.counts.get(segment, 0) / self.respondents if self.respondents else 0.0


@dataclass
class Distribution:
    segments: list[tuple[str, str]]
    rows: list[Row]
    models: list[str]
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def total(self) -> Row:
        return self.rows[0]

    def of_kind(self, kind: str) -> list[Row]:
        return [r for r in self.rows if r.kind == kind]

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)


def distribution(
    *, partnership: Partnership, start: dt.date | None = None, end: dt.date | None = None
) -> Distribution:
    """Segment counts for the partnership, each of its local authorities and each district
    it covers, from the results dated start to end (inclusive; either may be open).
    Results from districts the partnership does not list, or with none, are not its."""
    model = default_model()
    segments = segments_of(model)
    labels = dict(segments)
    districts = districts_of(partnership=partnership)
    results = Result.objects.filter(postcode_district__in=[d.district for d in districts])
    if start is not None:
        results = results.filter(completed_on__gte=start)
    if end is not None:
        results = results.filter(completed_on__lte=end)
    by_district: dict[str, Counter[str]] = {}
    for row in results.values("postcode_district", "segment").annotate(n=Count("id")):
        by_district.setdefault(row["postcode_district"], Counter())[row["segment"]] += row["n"]
    models = sorted(set(results.values_list("model", flat=True).distinct()))
    for key in {k for c in by_district.values() for k in c} - set(labels):
        segments.append((key, key.replace("_", " ").capitalize()))  # from an older model
    total = Row("partnership", partnership.slug, partnership.name)
    authorities: dict[Any, Row] = {
        a.pk: Row("local_authority", a.code, a.name)
        for a in local_authorities_of(partnership=partnership)
    }
    rows = []
    for district in districts:
        counts = dict(by_district.get(district.district, Counter()))
        rows.append(Row("district", district.district, district.district, counts))
        total.counts = dict(Counter(total.counts) + Counter(counts))
        authority = district.local_authority
        if authority is not None:
            entry = authorities.setdefault(
                authority.pk, Row("local_authority", authority.code, authority.name)
            )
            entry.counts = dict(Counter(entry.counts) + Counter(counts))
    return Distribution(
        segments=segments, rows=[total, *authorities.values(), *rows], models=models,
        start=start, end=end,
    )  # fmt: skip


def profile_tables(
    *, partnership: Partnership, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    """For the Local Profile: respondents by segment (rows) in each local authority and the
    partnership (columns), counts of 1 to 4 shown as "<5". Empty when nobody answered."""
    found = distribution(partnership=partnership, start=start, end=end)
    areas = [r for r in found.rows if r.kind in ("local_authority", "partnership")]
    areas = areas[1:] + areas[:1]  # the local authorities, then the partnership as a whole
    if not found.total.respondents:
        return {"tables": [], "notes": []}
    when = f"{start:%-d %B %Y} to {end:%-d %B %Y}" if start and end else "all results to date"
    rows = [[label, *[suppressed(a.counts.get(key, 0)) for a in areas]]
            for key, label in found.segments]  # fmt: skip
    rows.append(["Respondents", *[suppressed(a.respondents) for a in areas]])
    columns = ["Segment", *[a.name if a.kind != "partnership" else "Whole partnership"
                            for a in areas]]  # fmt: skip
    share = found.total.share
    largest = max(found.segments, key=lambda s: share(s[0]))
    unprotected = sum(share(k) for k in ("worried_unprotected", "isolated_at_risk", "unaware"))
    return {
        "tables": [{
            "caption": "Public fraud and cyber crime self-assessment: respondents by "
            f"vulnerability segment, {when}",
            "columns": columns, "rows": rows,
        }],
        "notes": [
            f"{found.total.respondents} residents answered the anonymous self-assessment in "
            f"the districts the partnership covers. The largest segment was "
            f"\u201c{largest[1]}\u201d ({share(largest[0]):.0%}); {unprotected:.0%} were "
            "\u201cWorried but unprotected\u201d, \u201cIsolated and at risk\u201d or "
            "\u201cUnaware\u201d, the people Protect advice and volunteer contact should reach "
            "first. Respondents choose to answer, so this describes them, not every resident. "
            f"Counts of 1 to {SUPPRESS_BELOW - 1} are shown as <{SUPPRESS_BELOW}.",
        ],
    }  # fmt: skip
