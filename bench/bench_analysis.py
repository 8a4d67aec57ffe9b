"""The whole threat-picture analysis of the Durham 2022 data, as a user runs it.

`manage.py analyse --area E23000008 --from 2022-09 --to 2022-11 --output DIR` in its own
process on the loaded demo (11 months, 72,262 street crimes, 389 LSOAs): counts, rates,
trends with their tests, Gi* overall, per indicator and per month with 999 permutations,
deprivation, co-occurrence, every table, the GeoJSON and eight figures. Targets: under
10 seconds and under 1 GB peak memory. The reference in the same run is the same command
line doing nothing but start up (`manage.py check`), so the ratio shows what the analysis
adds to Django's own start-up. Median of three rounds; each round is a new data version
(the cache is emptied), so every round computes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_ingest import _peak_mb

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run() -> dict[str, Any]:
    from django.core.management import call_command

    from socprofiles.analysis.models import AnalysisResult

    call_command("load_demo", verbosity=0)
    env = dict(os.environ)
    manage = [sys.executable, str(ROOT / "manage.py")]
    out = tempfile.mkdtemp(prefix="socp-analysis-")
    command = [
        *manage, "analyse", "--area", "E23000008", "--from", "2022-09", "--to", "2022-11",
        "--output", out,
    ]  # fmt: skip
    times, references = [], []
    for _ in range(ROUNDS):
        AnalysisResult.objects.all().delete()
        times.append(_timed(command, env))
        references.append(_timed([*manage, "check"], env))
    AnalysisResult.objects.all().delete()
    peak = _peak_mb(command, env)
    seconds, reference = statistics.median(times), statistics.median(references)
    ratio = seconds / reference
    within = seconds < 10 and peak < 1024
    return {
        "seconds_whole": round(seconds, 2),
        "startup_seconds": round(reference, 2),
        "ratio": round(ratio, 2),
        "peak_mb": round(peak),
        "within_target": within,
        "summary": (
            f"Durham 2022 analysis, whole command: {seconds:.1f} s (target < 10 s) = "
            f"{ratio:.2f}x a bare start-up ({reference:.1f} s); peak {peak:.0f} MB "
            "(target < 1 GB)"
        ),
    }
