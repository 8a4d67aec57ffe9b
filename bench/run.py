"""Run every benchmark in bench/ and print each one's ratio against a reference measured
in the same run (never an absolute time: machines differ, ratios travel).

Usage: python bench/run.py [name ...]     (make bench)
Results are also written to var/bench/latest.json; docs/benchmarks.md records them.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _scratch_postgres(url: str) -> tuple[str, str]:
    """A throw-away database beside the one DATABASE_URL names, never that one itself."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"socp_bench_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin_url


def _drop_postgres(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(names: list[str]) -> int:
    scratch = tempfile.mkdtemp(prefix="socp-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["SOCPROFILES_VAR_DIR"] = scratch
    admin_url = ""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"], admin_url = _scratch_postgres(url)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    try:
        return _run(names)
    finally:
        if admin_url:
            from django.db import connections

            connections.close_all()
            _drop_postgres(admin_url, os.environ["DATABASE_URL"])


def _run(names: list[str]) -> int:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if names:
        modules = [m for m in modules if any(n in m for n in names)]
    results = {}
    failed = False
    for module_name in modules:
        module = importlib.import_module(f"bench.{module_name}")
        started = time.perf_counter()
        result = module.run()
        result["seconds"] = round(time.perf_counter() - started, 2)
        results[module_name] = result
        verdict = "ok" if result.get("within_target", True) else "OVER TARGET"
        failed |= verdict != "ok"
        print(f"{module_name}: {result['summary']}  [{verdict}]")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
