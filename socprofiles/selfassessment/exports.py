"""The self-assessment's results out of the platform: a CSV of segment counts by area,
and a chart of an area's segments drawn with the threat picture's chart helper
(socprofiles.analysis.engine.figures), so it has the same look and a text alternative."""

from __future__ import annotations

from django.utils import timezone

from socprofiles.analysis.engine.figures import Chart, ranking_chart
from socprofiles.core.csvsafe import csv_text

from .selectors import Distribution, Row

KINDS = {"partnership": "Partnership", "local_authority": "Local authority",
         "district": "Postcode district"}  # fmt: skip


def period_text(found: Distribution) -> str:
    if found.start and found.end:
        return f"{found.start:%-d %B %Y} to {found.end:%-d %B %Y}"
    if found.start:
        return f"since {found.start:%-d %B %Y}"
    if found.end:
        return f"up to {found.end:%-d %B %Y}"
    return "all results"


def distribution_csv(found: Distribution, *, marking: str, exported_by: str) -> str:
    stamp = timezone.localtime().isoformat(timespec="seconds")
    header = ["Area type", "Code", "Area", "Respondents", *[label for _k, label in found.segments]]
    rows = [
        [KINDS[r.kind], r.code, r.name, r.respondents,
         *[r.counts.get(key, 0) for key, _l in found.segments]]
        for r in found.rows
    ]  # fmt: skip
    preamble = [[marking, "Public fraud and cyber crime self-assessment: respondents by segment",
                 period_text(found), f"Exported by {exported_by} at {stamp}"]]  # fmt: skip
    return csv_text(header, rows, preamble=preamble)


def segment_chart(found: Distribution, row: Row) -> Chart:
    """Respondents in each segment of one area, as horizontal bars, most first."""
    bars = sorted(
        ((label, float(row.counts.get(key, 0))) for key, label in found.segments),
        key=lambda pair: -pair[1],
    )
    return ranking_chart(
        f"selfassessment-{row.code}", bars,
        title=f"Self-assessment segments, {row.name} ({row.respondents} respondents)",
        measure="respondents",
    )  # fmt: skip
