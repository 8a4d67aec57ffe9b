"""Importing police.uk street crime, against the database's own bulk loader.

speed: the 11 Durham 2022 street files through the platform's importer (checks, duplicate
detection, area flags, audit: everything a user's import does) against loading the same
rows into an unindexed table with PostgreSQL's COPY, or with the sqlite3 shell's .import,
in the same run. Targets: at most 1.5x COPY on PostgreSQL, 2x .import on SQLite. The
median of eleven rounds is compared, so one noisy round does not decide.

memory: peak resident memory of `manage.py import_dataset` on a street file of more than
1,000,000 rows (the months concatenated), against the same command's peak doing nothing
but start up (`manage.py check`). Target: under 400 MB.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "police_uk" / "street"
ROUNDS = 11


def _files() -> list[Path]:
    files = sorted(SHARED.glob("2022-*-durham-street.csv"))
    if len(files) != 11:
        raise SystemExit(f"bench_ingest needs the 11 Durham street files in {SHARED}")
    return files


def _reference_postgres(files: list[Path]) -> float:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_reference")
        cursor.execute(
            "CREATE TABLE bench_copy_reference (" + ", ".join(f"c{i} text" for i in range(12)) + ")"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for path in files:
            with (
                cursor.cursor.copy(
                    "COPY bench_copy_reference FROM STDIN (FORMAT csv, HEADER true)"
                ) as copy,
                path.open("rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy_reference")
    return elapsed


def _reference_sqlite(files: list[Path], scratch: Path) -> float:
    if shutil.which("sqlite3") is None:
        raise SystemExit("bench_ingest needs the sqlite3 shell on SQLite (apt-get install sqlite3)")
    database = scratch / f"reference-{time.monotonic_ns()}.sqlite3"
    script = "CREATE TABLE reference (" + ", ".join(f"c{i}" for i in range(12)) + ");\n"
    script += (
        "BEGIN;\n" + "".join(f".import --csv --skip 1 {p} reference\n" for p in files) + "COMMIT;\n"
    )
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(database)], input=script, text=True, check=True)
    elapsed = time.perf_counter() - started
    database.unlink()
    return elapsed


def _ours(files: list[Path], round_number: int) -> tuple[float, int]:
    """The import command, as a user runs it (in this process, to leave out start-up)."""
    import json
    from io import StringIO

    from django.core.management import call_command

    from socprofiles.accounts.models import Organisation

    Organisation.objects.get_or_create(
        slug="bench-force", defaults={"name": "Bench Constabulary", "kind": "police_force"}
    )
    out = StringIO()
    started = time.perf_counter()
    call_command(
        "import_dataset", "police_street", *map(str, files), "--owner", "bench-force",
        "--title", f"bench round {round_number} {time.monotonic_ns()}", "--keep-in-place",
        "--json", stdout=out,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    totals = json.loads(out.getvalue().strip().splitlines()[-1])
    return elapsed, int(totals["imported"])


def _peak_mb(args: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of a child process, in MB (ru_maxrss of the waited child)."""
    code = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def _big_file(files: list[Path], scratch: Path) -> tuple[Path, int]:
    big = scratch / "durham-street-1m.csv"
    header = files[0].read_bytes().split(b"\n", 1)[0] + b"\n"
    rows = 0
    with big.open("wb") as out:
        out.write(header)
        while rows < 1_000_000:
            for path in files:
                body = path.read_bytes().split(b"\n", 1)[1]
                out.write(body if body.endswith(b"\n") else body + b"\n")
                rows += body.count(b"\n")
    return big, rows


def _large_file_ratio(big: Path, scratch: Path) -> float:
    """The same comparison on one file of a million rows, where per-file costs fade."""
    from django.db import connection

    reference = (
        _reference_postgres([big])
        if connection.vendor == "postgresql"
        else _reference_sqlite([big], scratch)
    )
    mine, _ = _ours([big], 99)
    return mine / reference


def _memory(big: Path, rows: int) -> dict[str, Any]:
    env = dict(os.environ)
    manage = [sys.executable, str(ROOT / "manage.py")]
    baseline = _peak_mb([*manage, "check"], env)
    started = time.perf_counter()
    peak = _peak_mb(
        [*manage, "import_dataset", "police_street", str(big), "--owner", "bench-force",
         "--keep-in-place", "--title", f"bench 1m {time.monotonic_ns()}"],
        env,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "peak_mb": round(peak),
        "baseline_mb": round(baseline),
        "seconds": round(seconds, 1),
    }


def run() -> dict[str, Any]:
    from django.db import connection

    files = _files()
    scratch = Path(tempfile.mkdtemp(prefix="socp-bench-ingest-"))
    vendor = connection.vendor
    ours, references = [], []
    rows = 0
    for number in range(ROUNDS):
        if vendor == "postgresql":
            references.append(_reference_postgres(files))
        else:
            references.append(_reference_sqlite(files, scratch))
        elapsed, rows = _ours(files, number)
        ours.append(elapsed)
    mine, reference = statistics.median(ours), statistics.median(references)
    ratio = mine / reference
    target = 1.5 if vendor == "postgresql" else 2.0
    big, big_rows = _big_file(files, scratch)
    large_ratio = _large_file_ratio(big, scratch)
    memory = _memory(big, big_rows)
    shutil.rmtree(scratch, ignore_errors=True)
    reference_name = "COPY" if vendor == "postgresql" else "sqlite3 .import"
    return {
        "database": vendor,
        "rows": rows,
        "seconds": round(mine, 3),
        "reference_seconds": round(reference, 3),
        "ratio": round(ratio, 2),
        "rows_per_second": round(rows / mine),
        "large_file_ratio": round(large_ratio, 2),
        "memory": memory,
        "memory_ratio": round(memory["peak_mb"] / memory["baseline_mb"], 2),
        "within_target": ratio <= target and memory["peak_mb"] < 400,
        "summary": (
            f"{rows:,} rows in {mine:.2f}s = {ratio:.2f}x {reference_name} ({reference:.2f}s; "
            f"target <= {target}x); one 1M-row file: {large_ratio:.2f}x {reference_name}; "
            f"1M-row file by the command ({memory['rows']:,} rows, {memory['seconds']}s): "
            f"peak {memory['peak_mb']} MB = {memory['peak_mb'] / memory['baseline_mb']:.1f}x a "
            f"bare start-up ({memory['baseline_mb']} MB; target < 400 MB)"
        ),
    }
