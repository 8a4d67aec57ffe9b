"""Gi* hotspots over all 34,753 LSOAs of England and Wales, against esda alone.

Both run on the same prepared weights (12 nearest neighbours, built once from the shared
LSOA boundaries and reused), with 999 permutations: ours is `hotspots.gi_star` (esda's
statistic, our NumPy permutations, the false-discovery-rate correction, the table);
the reference is `esda.G_Local(..., permutations=999, star=True)` alone, after a warm-up
call so that its one-off compilation is not counted against it. Target: at most 1.2x.
The values are real: each LSOA's residents per hectare (2011 Census), so the clusters
(the cities) are real ones. Median of three rounds each, alternating.
"""

from __future__ import annotations

import statistics
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT.parent / "shared" / "data" / "boundaries" / "lsoa" / "LSOA.geojson"
CENSUS = ROOT.parent / "shared" / "data" / "lookups" / "census_2011_population_hh.csv"
ROUNDS = 3


def _inputs() -> tuple[dict[str, Any], dict[str, float]]:
    import csv

    import pyogrio

    frame = pyogrio.read_dataframe(BOUNDARIES)
    code_field = next(
        c for c in frame.columns if c.upper().startswith("LSOA") and "CD" in c.upper()
    )
    geometries = dict(zip(frame[code_field], frame.geometry, strict=True))
    values: dict[str, float] = {}
    with CENSUS.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        code_at, density_at = header.index("LSOA Code"), header.index("Persons per hectare")
        for row in reader:
            if len(row) > density_at and row[code_at] in geometries:
                values[row[code_at]] = float(row[density_at].replace(",", "") or 0)
    return geometries, values


def run() -> dict[str, Any]:
    from esda import G_Local

    from socprofiles.analysis.engine.hotspots import build_weights, gi_star

    if not BOUNDARIES.exists():
        return {"summary": f"skipped: {BOUNDARIES} is not there", "within_target": True}
    geometries, values = _inputs()
    started = time.perf_counter()
    weights = build_weights(geometries)
    build = time.perf_counter() - started
    y = np.array([values.get(code, 0.0) for code in weights.codes])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        G_Local(
            y[:50], build_weights(dict(list(geometries.items())[:50])).w, star=True, permutations=9
        )
        warm_up = time.perf_counter() - started
        ours_times, esda_times = [], []
        for round_ in range(ROUNDS):
            started = time.perf_counter()
            table = gi_star(values, weights, seed=round_)
            ours_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            G_Local(y, weights.w, transform="R", permutations=999, star=True, seed=round_)
            esda_times.append(time.perf_counter() - started)
    ours, esda = statistics.median(ours_times), statistics.median(esda_times)
    ratio = ours / esda
    hot = int((table["class"] == "hot").sum())
    return {
        "lsoas": len(weights.codes),
        "weights_seconds": round(build, 2),
        "ours_seconds": round(ours, 2),
        "esda_seconds": round(esda, 2),
        "esda_warm_up_seconds": round(warm_up, 2),
        "ratio": round(ratio, 2),
        "hotspots": hot,
        "within_target": ratio <= 1.2,
        "summary": (
            f"Gi* over {len(weights.codes):,} LSOAs, 999 permutations: {ours:.2f} s = "
            f"{ratio:.2f}x esda alone ({esda:.2f} s; target <= 1.2x); weights built once in "
            f"{build:.1f} s; {hot:,} hotspots after FDR"
        ),
    }
