"""The Durham demo Local Profile as PDF, as a user builds it.

`manage.py build_profile --partnership county-durham-and-darlington --output FILE.pdf` in
its own process on the loaded demo: version 1 with 7 maps and 6 charts drawn from the real
analysis (the figure cache emptied before each round, so every round draws them), laid out
by WeasyPrint with its contents, page furniture and watermark. Targets: under 15 seconds
and under 1 GB peak memory. Reported beside it: the share of the time spent in WeasyPrint
itself (from the command's own timings), and the ratio to a bare start-up of the same
command line (`manage.py check`) measured in the same run. Median of three rounds.
"""

from __future__ import annotations

import os
import re
import shutil
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
TIMINGS = re.compile(r"figures ([\d.]+) s, WeasyPrint ([\d.]+) s")


def run() -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command

    from socprofiles.demo import fixtures
    from socprofiles.profiles.models import ProfileVersion
    from socprofiles.profiles.rendering import figure_names

    call_command("load_demo", verbosity=0)
    names = figure_names(ProfileVersion.objects.get().content)
    maps = sum(1 for n in names if n.startswith("map"))
    env = dict(os.environ)
    manage = [sys.executable, str(ROOT / "manage.py")]
    out = Path(tempfile.mkdtemp(prefix="socp-profile-")) / "profile.pdf"
    command = [*manage, "build_profile", "--partnership", fixtures.DEMO_SLUG, "--output", str(out)]
    cache = Path(settings.PROFILE_FIGURE_CACHE)
    times, references, engine, drawing = [], [], [], []
    for _ in range(ROUNDS):
        shutil.rmtree(cache, ignore_errors=True)
        started = time.perf_counter()
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        found = TIMINGS.search(done.stdout)
        if found is None:
            raise RuntimeError(f"build_profile printed no timings: {done.stdout!r}")
        drawing.append(float(found.group(1)))
        engine.append(float(found.group(2)))
        started = time.perf_counter()
        subprocess.run([*manage, "check"], env=env, check=True, capture_output=True)
        references.append(time.perf_counter() - started)
    shutil.rmtree(cache, ignore_errors=True)
    peak = _peak_mb(command, env)
    pages = out.read_bytes().count(b"/Type /Page\n") or out.read_bytes().count(b"/Type /Page")
    seconds, reference = statistics.median(times), statistics.median(references)
    weasy, figures = statistics.median(engine), statistics.median(drawing)
    share = weasy / seconds
    within = seconds < 15 and peak < 1024 and maps >= 4 and len(names) - maps >= 6
    return {
        "seconds_whole": round(seconds, 2),
        "weasyprint_seconds": round(weasy, 2),
        "weasyprint_share": round(share, 3),
        "figures_seconds": round(figures, 2),
        "startup_seconds": round(reference, 2),
        "ratio": round(seconds / reference, 2),
        "peak_mb": round(peak),
        "maps": maps,
        "charts": len(names) - maps,
        "pages": pages,
        "within_target": within,
        "summary": (
            f"Durham profile PDF ({maps} maps, {len(names) - maps} charts): {seconds:.1f} s "
            f"(target < 15 s) = {seconds / reference:.2f}x a bare start-up ({reference:.1f} s); "
            f"WeasyPrint {weasy:.1f} s = {share:.0%} of it, figures {figures:.1f} s; "
            f"peak {peak:.0f} MB (target < 1 GB)"
        ),
    }
