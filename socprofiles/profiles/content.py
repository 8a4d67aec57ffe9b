"""The document's content as data: what a version stores and every rendering (page, PDF,
DOCX) reads. Built from the draft (sections, recommendations), the analysis result for the
profile's area and period, and the agreed MoRiLE ranking.

Blocks are plain data: {"type": "table", "caption", "columns", "rows"},
{"type": "text", "text"} and {"type": "figure", "name", "title", "alt"}. Figures are drawn
from the stored analysis when rendered, so a version keeps what it needs to redraw them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .sections import BY_KEY, SectionSpec

MAX_HOTSPOT_ROWS = 15


def _fmt(value: Any) -> str:
    if value is None:
        return "no data"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(caption: str, columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {
        "type": "table",
        "caption": caption,
        "columns": columns,
        "rows": [[_fmt(v) for v in row] for row in rows],
    }


def _indicator_rows(analysis: Mapping[str, Any], keys: tuple[str, ...]) -> list[list[Any]]:
    by = {r.get("indicator"): r for r in analysis["by_indicator"]}
    trends = {r.get("indicator"): r for r in analysis["trends_by_indicator"]}
    rows = []
    for key in keys:
        if key not in analysis["indicators"]:
            continue
        count, trend = by.get(key, {}), trends.get(key, {})
        rows.append(
            [
                analysis["indicators"][key]["label"],
                count.get("count", 0),
                count.get("rate_per_1000", 0.0),
                trend.get("previous"),
                trend.get("previous_verdict", "no data"),
                trend.get("year_before"),
                trend.get("year_before_verdict", "no data"),
            ]
        )
    return rows


INDICATOR_COLUMNS = [
    "Indicator", "Crimes", "Per 1,000 residents", "Previous period", "Change",
    "A year before", "Change on a year before",
]  # fmt: skip


def _partner_rows(analysis: Mapping[str, Any], words: tuple[str, ...]) -> list[list[Any]]:
    rows = []
    for found in analysis.get("partner_threats", []):
        name = str(found["threat"]).lower()
        if any(word in name for word in words):
            breakdown = "; ".join(f"{k}: {v}" for k, v in found.get("breakdown", {}).items())
            rows.append([found["threat"], found["measure"], found["value"], breakdown or "-"])
    return rows


def priority_rows(priorities: list[Mapping[str, Any]]) -> list[list[Any]]:
    return [
        [p["rank"], p["name"], p["theme"] or "-", *p["outputs"], "yes" if p["shortlisted"] else ""]
        for p in priorities
    ]


def blocks_for(
    spec: SectionSpec,
    analysis: Mapping[str, Any] | None,
    priorities: Mapping[str, Any] | None,
    names: Mapping[str, str],
    delivery: Mapping[str, Any] | None = None,
    metas: Mapping[str, dict[str, str]] | None = None,
    protect: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The generated blocks of one section: tables first, then figures. `metas` (from
    chart_metas) saves building every chart's text for each section."""
    blocks: list[dict[str, Any]] = []
    if spec.key == "delivery":
        return _delivery_blocks(delivery)
    if spec.key == "protect_prevent":
        return _protect_blocks(protect)
    if analysis is None and spec.key != "summary":
        return blocks
    period = f"{analysis['period']['start']} to {analysis['period']['end']}" if analysis else ""
    for table in spec.tables:
        if table == "key_figures" and analysis is not None:
            from socprofiles.analysis.engine.report import summary_sentences

            blocks.extend({"type": "text", "text": s} for s in summary_sentences(analysis))
        elif table == "priorities" and priorities and priorities["rows"]:
            chosen = [p for p in priorities["rows"] if p["shortlisted"]] or priorities["rows"]
            blocks.append(
                _table(
                    f"MoRiLE priorities: {priorities['title']} ({priorities['model']})",
                    ["Rank", "Issue", "Theme", *priorities["outputs"], "Shortlisted"],
                    priority_rows(chosen),
                )
            )
        elif table == "indicators" and analysis is not None:
            rows = _indicator_rows(analysis, spec.indicators)
            if rows:
                blocks.append(_table(f"Police recorded crime indicators, {period}",
                                     INDICATOR_COLUMNS, rows))  # fmt: skip
                for key in spec.indicators:
                    note = analysis["indicators"].get(key, {}).get("note")
                    if note:
                        blocks.append({"type": "text", "text": f"About this indicator: {note}"})
        elif table == "partner" and analysis is not None:
            rows = _partner_rows(analysis, spec.partner)
            if rows:
                columns = ["Threat", "Measure", "Value", "Breakdown"]
                blocks.append(_table(f"What partners' data show, {period}", columns, rows))
        elif table == "markets" and analysis is not None:
            for key in ("markets_lsoa_text", "markets_ocg_text"):
                if analysis.get(key):
                    blocks.append({"type": "text", "text": analysis[key]})
        elif table == "hotspots" and analysis is not None:
            hot = [h for h in analysis["hotspots"] if h.get("class") == "hot"]
            hot.sort(key=lambda h: -(h.get("z") or 0))
            months = {p["lsoa_code"]: p["months_hot"] for p in analysis.get("persistence", [])}
            rows = [
                [h["lsoa_code"], names.get(h["lsoa_code"], ""), h.get("count", 0),
                 round(h.get("value") or 0, 1), h.get("imd_decile"),
                 months.get(h["lsoa_code"], 0),
                 "yes" if h.get("harm_meets_vulnerability") else ""]
                for h in hot[:MAX_HOTSPOT_ROWS]
            ]  # fmt: skip
            if rows:
                blocks.append(
                    _table(
                        f"Hotspots (Getis-Ord Gi*, false discovery rate 5%), {period}: the "
                        f"{len(rows)} strongest of {len(hot)}",
                        ["LSOA", "Name", "Crimes", "Per 1,000", "IMD decile", "Months hot",
                         "Harm meets vulnerability"],
                        rows,
                    )
                )  # fmt: skip
        elif table == "deprivation" and analysis is not None and analysis["deprivation_profile"]:
            rows = [
                [r.get("imd_decile"), r.get("lsoas"), r.get("hotspots"),
                 f"{float(r.get('hot_share') or 0) * 100:.0f}%"]
                for r in analysis["deprivation_profile"]
            ]  # fmt: skip
            columns = ["IMD decile", "LSOAs", "Hotspots", "Share hot"]
            blocks.append(_table("Hotspots by IMD 2019 decile (1 = most deprived)", columns, rows))
    metas = metas if metas is not None else chart_metas(analysis, priorities)
    for name in spec.figures:
        if name in metas:
            blocks.append({"type": "figure", "name": name, **metas[name]})
    return blocks


def _delivery_blocks(delivery: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    if not delivery or not (delivery["actions"] or delivery["outcomes"]):
        return []
    from socprofiles.actions.models import Status

    blocks = []
    if delivery["actions"]:
        blocks.append(_table("The action plan by strand and status",
                             ["Strand", *[str(label) for _v, label in Status.choices]],
                             delivery["actions"]))  # fmt: skip
    if delivery["outcomes"]:
        blocks.append(_table("Tools and powers used against serious and organised crime",
                             ["Tool or power", "Number"], delivery["outcomes"]))  # fmt: skip
    if delivery["escalated"]:
        blocks.append(
            {
                "type": "text",
                "text": f"{delivery['escalated']} of these escalated "
                "an earlier intervention (for example a warning that became a notice).",
            }
        )
    return blocks


def _protect_blocks(protect: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The self-assessment's segments and the partner referrals by area (tables already
    built, with small counts suppressed, by the selfassessment and referrals apps)."""
    if not protect:
        return []
    blocks: list[dict[str, Any]] = []
    for table in protect.get("tables", []):
        blocks.append(_table(table["caption"], table["columns"], table["rows"]))
    blocks.extend({"type": "text", "text": text} for text in protect.get("notes", []))
    return blocks


def charts(
    analysis: Mapping[str, Any] | None,
    priorities: Mapping[str, Any] | None,
    geometries: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Every figure the document can hold, by name (drawn only when rendered)."""
    from socprofiles.analysis.engine import figures

    found: dict[str, Any] = {}
    if analysis is not None:
        period = f"{analysis['period']['start']} to {analysis['period']['end']}"
        labels = {k: v["label"] for k, v in analysis["indicators"].items()}
        geo = geometries or {}
        for chart in figures.all_charts(analysis, geo):
            found[chart.name] = chart
        found["comparison"] = figures.comparison_chart(
            analysis["trends_by_indicator"], labels,
            title=f"Indicators: {period} against earlier periods",
        )  # fmt: skip
        if analysis["hotspots"]:
            found["map_deprivation"] = figures.deprivation_map(
                geo, analysis["hotspots"], title="Deprivation (IMD 2019) and hotspots"
            )
            found["map_persistence"] = figures.persistence_map(
                geo, analysis, title=f"How persistent the hotspots are, {period}"
            )
            for key in analysis["indicators"]:
                found[f"map_{key}"] = figures.indicator_map(
                    geo, analysis, key, title=f"{labels[key]}, {period}"
                )
        for key, measure in (("markets_lsoa", "correlation across LSOAs"),
                             ("markets_ocg", "groups active in both markets")):  # fmt: skip
            labels_of = analysis[key]["labels"]
            if len(labels_of) >= 2:
                title = (
                    "Indicators that co-occur across LSOAs"
                    if key == "markets_lsoa"
                    else "Crime markets shared by organised crime groups"
                )
                found[key] = figures.matrix_chart(
                    key, labels_of, analysis[key]["matrix"], title=title, measure=measure
                )
    if priorities and priorities["rows"]:
        chosen = [p for p in priorities["rows"] if p["shortlisted"]] or priorities["rows"]
        found["priorities"] = figures.ranking_chart(
            "priorities",
            [(p["name"], float(p["rank_value"])) for p in chosen],
            title=f"MoRiLE priorities ({priorities['rank_label']})",
            measure=priorities["rank_label"],
        )
    return found


def chart_metas(
    analysis: Mapping[str, Any] | None, priorities: Mapping[str, Any] | None
) -> dict[str, dict[str, str]]:
    """Every figure's title and text alternative, known without drawing it."""
    return {
        name: {"title": chart.title, "alt": chart.alt}
        for name, chart in charts(analysis, priorities, None).items()
    }


def section_text(section: Mapping[str, Any]) -> list[str]:
    """A section as lines of text, for comparing versions."""
    import nh3

    lines = [f"# {section['title']}"]
    narrative = nh3.clean(section.get("narrative") or "", tags=set())
    lines.extend(line.strip() for line in narrative.splitlines() if line.strip())
    for block in section.get("blocks", []):
        if block["type"] == "text":
            lines.append(block["text"])
        elif block["type"] == "table":
            lines.append(f"[table] {block['caption']}")
            lines.extend(" | ".join(row) for row in block["rows"])
        elif block["type"] == "figure":
            lines.append(f"[figure] {block['title']}: {block['alt']}")
    for rec in section.get("recommendations", []):
        lines.append(f"[{rec['strand']}] {rec['text']}")
    lines.extend(f"[source] {s['title']} ({s['owner']})" for s in section.get("sources", []))
    return lines


def spec_of(key: str) -> SectionSpec:
    return BY_KEY[key]
