"""The whole threat picture for one area and period, as plain data (JSON-ready).

`analyse` takes prepared inputs (no database): the crimes of the area over the period and
the periods it is compared with, population and deprivation by LSOA, LSOA boundaries and,
optionally, OCG-mapping rows. The Django layer gathers them and caches the result per data
version; `manage.py analyse` writes it to files.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import hotspots, markets, stats
from .indicators import Indicator, default_indicators

VERSION = 1  # what the result's layout is; any change to the engine's code renews results


@dataclass
class Inputs:
    crimes: pd.DataFrame  # month, lsoa_code, crime_type
    population: Mapping[str, int]  # LSOA code -> residents
    deprivation: pd.DataFrame  # lsoa_code, imd_decile, crime_decile
    geometries: Mapping[str, Any]  # LSOA code -> shapely polygon
    available_months: set[str]
    ocg_groups: list[tuple[str, list[str]]] = field(default_factory=list)
    partner_threats: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict("records"):
        out.append(
            {
                str(k): (None if isinstance(v, float) and math.isnan(v) else _plain(v))
                for k, v in row.items()
            }
        )
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value


def analyse(
    inputs: Inputs,
    period: stats.Period,
    *,
    permutations: int = hotspots.PERMUTATIONS,
    indicators: Mapping[str, Indicator] | None = None,
    weights: hotspots.Weights | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    indicators = dict(indicators or default_indicators())
    labels = {k: i.label for k, i in indicators.items()}
    crimes = stats.with_indicators(inputs.crimes, indicators)
    lsoas = sorted(inputs.geometries) or sorted(inputs.population)
    population = int(sum(inputs.population.get(code, 0) for code in lsoas))
    current = stats.in_period(crimes, period)

    by_type = stats.counts_and_rates(crimes, population, period) if population else None
    by_indicator = (
        stats.counts_and_rates(
            crimes.dropna(subset=["indicator"]), population, period, by="indicator"
        )
        if population
        else None
    )
    if by_indicator is not None:
        by_indicator["label"] = by_indicator["indicator"].map(labels).fillna("All indicators")
    trend_types = stats.trends(crimes, period, inputs.available_months)
    trend_indicators = stats.trends(
        crimes.dropna(subset=["indicator"]), period, inputs.available_months, by="indicator"
    )
    monthly = (
        crimes[crimes["month"].isin(set(inputs.available_months))]
        .groupby(["month", "indicator"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(indicators), fill_value=0)
        .sort_index()
    )
    monthly["all_crime"] = (
        crimes.groupby("month").size().reindex(monthly.index).fillna(0).astype(int)
    )

    # Priority locations: Gi* of every indicator crime per LSOA (rate per 1,000 residents).
    weights = weights or (hotspots.build_weights(inputs.geometries) if inputs.geometries else None)
    hot_table = pd.DataFrame(columns=["lsoa_code", "value", "z", "p", "class"])
    persistence = pd.DataFrame(columns=["lsoa_code", "months_hot", "share", "months"])
    per_indicator: dict[str, list[str]] = {}
    counts_by_indicator: dict[str, dict[str, int]] = {}
    if weights is not None:
        chosen = current.dropna(subset=["indicator", "lsoa_code"])
        counts = chosen.groupby("lsoa_code").size()
        rates = {
            code: counts.get(code, 0) * 1000 / inputs.population[code]
            for code in weights.codes
            if inputs.population.get(code)
        }
        hot_table = hotspots.gi_star(rates, weights, permutations=permutations)
        hot_table["count"] = hot_table["lsoa_code"].map(counts).fillna(0).astype(int)
        hot_table["population"] = hot_table["lsoa_code"].map(inputs.population)
        for key in indicators:
            by_lsoa = chosen[chosen["indicator"] == key].groupby("lsoa_code").size()
            counts_by_indicator[key] = {str(c): int(n) for c, n in by_lsoa.items() if n}
            found = hotspots.gi_star(by_lsoa.to_dict(), weights, permutations=permutations)
            per_indicator[key] = sorted(found.loc[found["class"] == "hot", "lsoa_code"])
        per_month = {}
        for month in period.months:
            in_month = chosen[chosen["month"] == month].groupby("lsoa_code").size()
            if month in inputs.available_months:
                per_month[month] = hotspots.gi_star(
                    in_month.to_dict(), weights, permutations=permutations
                )
        persistence = hotspots.persistence(per_month)
    hot_table = hotspots.with_deprivation(hot_table, inputs.deprivation)
    profile = hotspots.deprivation_profile(hot_table) if not hot_table.empty else pd.DataFrame()

    lsoa_matrix = markets.lsoa_cooccurrence(current, labels)
    ocg_matrix = markets.ocg_cooccurrence(inputs.ocg_groups)
    return {
        "version": VERSION,
        "period": {"start": period.start, "end": period.end, "months": period.months},
        "previous": str(period.previous()),
        "year_before": str(period.year_before()),
        "population": population,
        "lsoas": len(lsoas),
        "crimes_in_period": len(current),
        "indicators": {
            k: {
                "label": i.label,
                "threat": i.threat,
                "crime_types": list(i.crime_types),
                "note": i.note,
            }
            for k, i in indicators.items()
        },
        "by_type": _records(by_type) if by_type is not None else [],
        "by_indicator": _records(by_indicator) if by_indicator is not None else [],
        "trends_by_type": _records(trend_types),
        "trends_by_indicator": _records(trend_indicators),
        "monthly": [
            {"month": m, **{k: int(v) for k, v in row.items()}} for m, row in monthly.iterrows()
        ],
        "hotspots": _records(hot_table),
        "hotspots_by_indicator": per_indicator,
        "lsoa_counts_by_indicator": counts_by_indicator,
        "persistence": _records(persistence),
        "deprivation_profile": _records(profile),
        "markets_lsoa": {"labels": list(lsoa_matrix.index), "matrix": lsoa_matrix.values.tolist()},
        "markets_lsoa_text": markets.describe_links(lsoa_matrix, kind="correlation", labels=labels),
        "markets_ocg": {"labels": list(ocg_matrix.index), "matrix": ocg_matrix.values.tolist()},
        "markets_ocg_text": markets.describe_links(ocg_matrix, kind="groups")
        if len(ocg_matrix)
        else "No OCG-mapping data was available for this area.",
        "partner_threats": list(inputs.partner_threats),
        "islands": weights.islands if weights is not None else [],
        "sources": list(inputs.sources),
        "seconds": round(time.perf_counter() - started, 2),
    }


def hot_codes(result: Mapping[str, Any]) -> list[str]:
    return [h["lsoa_code"] for h in result["hotspots"] if h["class"] == "hot"]


def summary_sentences(result: Mapping[str, Any]) -> list[str]:
    """A few generated sentences for the page and the profile."""
    lines = []
    hot = hot_codes(result)
    meets = [h["lsoa_code"] for h in result["hotspots"] if h.get("harm_meets_vulnerability")]
    lines.append(
        f"{result['crimes_in_period']:,} crimes were recorded in {result['lsoas']} LSOAs "
        f"({result['population']:,} residents) in {result['period']['start']} to "
        f"{result['period']['end']}."
    )
    rises = [t for t in result["trends_by_indicator"] if t.get("previous_verdict") == "rise"]
    falls = [t for t in result["trends_by_indicator"] if t.get("previous_verdict") == "fall"]
    labels = {k: v["label"] for k, v in result["indicators"].items()}
    for kind, items in (("rose", rises), ("fell", falls)):
        for item in items:
            lines.append(
                f"{labels.get(item['indicator'], item['indicator'])} {kind} against the "
                f"previous period ({item['previous']} to {item['current']}; "
                f"p = {item['previous_p']})."
            )
    lines.append(
        f"{len(hot)} LSOA{'s are' if len(hot) != 1 else ' is'} a significant hotspot of SOC "
        f"indicator crime (Gi*, false-discovery rate 5%); {len(meets)} of them "
        f"{'are' if len(meets) != 1 else 'is'} among England's most deprived fifth."
    )
    return lines
