"""Scoring 100,000 issues with the MoRiLE engine against the same arithmetic written
directly in NumPy, in the same run. Target: at most 2x.

The engine also checks every value is on its factor's scale (the direct version does not)
and looks the organisational-position multiplier up from the model's table. The first
call loads (or, on a fresh install, compiles) the scale check; it is timed and reported
apart, then each version runs ROUNDS times, alternating, and the medians are compared."""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np

N = 100_000
ROUNDS = 31


def _direct(columns: dict[str, np.ndarray]) -> np.ndarray:
    harm = (
        columns["individual"] + columns["community"] + columns["public_expectation"]
        + columns["environmental"] + columns["financial"] + columns["organisational"]
        + columns["organisational_economic"]
    )  # fmt: skip
    likelihood = columns["frequency"] + columns["volume"] + columns["confidence"]
    risk = harm * likelihood
    position = columns["capacity"] + columns["capability"]
    multipliers = np.array([0.6, 0.6, 0.8, 0.8, 0.9, 1.0, 2.0])
    return risk * multipliers[position.astype(int)]


def run() -> dict[str, Any]:
    from socprofiles.morile.engine import get_model

    model = get_model("thematic")
    rng = np.random.default_rng(2027)
    columns = {f.key: rng.choice(np.asarray(f.values, dtype=float), size=N) for f in model.factors}
    started = time.perf_counter()
    model.score_table(columns)
    first_call = time.perf_counter() - started
    engine_times, direct_times = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        ours = model.score_table(columns)["graded_score"]
        engine_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        reference = _direct(columns)
        direct_times.append(time.perf_counter() - started)
    if not np.allclose(ours, reference):
        raise SystemExit("the engine and the direct arithmetic disagree")
    engine, direct = statistics.median(engine_times), statistics.median(direct_times)
    ratio = engine / direct
    return {
        "issues": N,
        "engine_ms": round(engine * 1000, 2),
        "direct_ms": round(direct * 1000, 2),
        "first_call_ms": round(first_call * 1000, 1),
        "ratio": round(ratio, 2),
        "within_target": ratio <= 2.0,
        "summary": (
            f"{N:,} issues in {engine * 1000:.1f} ms = {ratio:.2f}x the same arithmetic in "
            f"NumPy ({direct * 1000:.1f} ms; target <= 2x), values checked against the scales "
            f"(first call, loading the check: {first_call * 1000:.0f} ms)"
        ),
    }
