"""Writing an analysis result to files: tables as CSV (formula-safe), hotspots as CSV and
GeoJSON, the figures as PNG and SVG, and the generated text."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from socprofiles.core.csvsafe import spreadsheet_safe

from .engine import figures
from .engine.report import summary_sentences

TABLES = {
    "counts_by_crime_type.csv": "by_type",
    "counts_by_indicator.csv": "by_indicator",
    "trends_by_crime_type.csv": "trends_by_type",
    "trends_by_indicator.csv": "trends_by_indicator",
    "monthly.csv": "monthly",
    "hotspots.csv": "hotspots",
    "hotspot_persistence.csv": "persistence",
    "deprivation_profile.csv": "deprivation_profile",
}


def write_csv(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([spreadsheet_safe(row.get(c)) for c in columns])


def hotspots_geojson(result: Mapping[str, Any], geometries: Mapping[str, Any]) -> dict[str, Any]:
    from shapely.geometry import mapping

    features = []
    for row in result["hotspots"]:
        geometry = geometries.get(row["lsoa_code"])
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": dict(row.items()),
                "geometry": mapping(geometry),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_all(result: Mapping[str, Any], geometries: Mapping[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, key in TABLES.items():
        write_csv(out / name, result[key])
        written.append(out / name)
    for key in ("markets_lsoa", "markets_ocg"):
        labels, matrix = result[key]["labels"], result[key]["matrix"]
        rows = [
            {"": a, **dict(zip(labels, values, strict=True))}
            for a, values in zip(labels, matrix, strict=True)
        ]
        write_csv(out / f"{key}.csv", rows)
        written.append(out / f"{key}.csv")
    geojson = out / "hotspots.geojson"
    geojson.write_text(json.dumps(hotspots_geojson(result, geometries)), encoding="utf-8")
    written.append(geojson)
    text = out / "summary.txt"
    text.write_text(
        "\n".join(
            [
                *summary_sentences(result),
                "",
                "Criminal markets:",
                result["markets_lsoa_text"],
                result["markets_ocg_text"],
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    written.append(text)
    figure_dir = out / "figures"
    figure_dir.mkdir(exist_ok=True)
    alts = {}
    for chart in figures.all_charts(result, geometries):
        for fmt in figures.FORMATS:
            path = figure_dir / f"{chart.name}.{fmt}"
            path.write_bytes(chart.render(fmt))
            written.append(path)
        alts[chart.name] = {"title": chart.title, "alt": chart.alt}
    (figure_dir / "alt_text.json").write_text(json.dumps(alts, indent=2), encoding="utf-8")
    (out / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return written
