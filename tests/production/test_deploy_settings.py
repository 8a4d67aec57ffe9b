"""Production settings pass Django's deployment checks with no warning, and say what we
promise: secrets from the environment, secure cookies, HSTS, a strict CSP, JSON logs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .live import ROOT, production_env

# Production settings in child processes, whatever the run's database.
pytestmark = pytest.mark.database_independent


def _production_env(tmp_path: Path) -> dict[str, str]:
    return production_env(
        tmp_path, f"sqlite:///{tmp_path}/deploy.sqlite3",
        ALLOWED_HOSTS="soc.example.police.uk",
        CSRF_TRUSTED_ORIGINS="https://soc.example.police.uk",
    )  # fmt: skip


def _settings(tmp_path: Path) -> dict[str, Any]:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "names = ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'X_FRAME_OPTIONS', 'SILENCED_SYSTEM_CHECKS', "
        "'CONTENT_SECURITY_POLICY', 'LOGGING', 'MIDDLEWARE', 'DEMO_LOGINS_ENABLED']; "
        "print(json.dumps({n: getattr(s, n) for n in names}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_no_warning(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_production_settings_are_strict(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    assert s["DEBUG"] is False and s["DEMO_LOGINS_ENABLED"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert s["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["X_FRAME_OPTIONS"] == "DENY"
    # Only the one documented silence (ADR 0005: lockout per user name, not per address).
    assert s["SILENCED_SYSTEM_CHECKS"] == ["axes.W006"]
    directives = s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["default-src"] == ["'none'"]
    for name in ("script-src", "style-src", "connect-src", "form-action"):
        assert directives[name] == ["'self'"], name
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    flat = json.dumps(directives)
    assert "unsafe" not in flat and "*" not in flat and "data:" not in flat
    # JSON lines, scrubbed, and one line per request.
    logging = s["LOGGING"]
    assert logging["formatters"]["json"]["()"] == "socprofiles.core.logs.JsonFormatter"
    assert logging["handlers"]["console"]["filters"] == ["redact"]
    assert s["MIDDLEWARE"][0] == "socprofiles.core.logs.RequestLogMiddleware"


def test_collectstatic_works_with_production_storage(production_var: Path) -> None:
    """The session's production var/ was collected with the production storage."""
    collected = production_var
    manifest = json.loads((collected / "static" / "staticfiles.json").read_text())
    assert "vendor/leaflet/leaflet.js" in manifest["paths"]
    assert (collected / "static" / manifest["paths"]["css/app.css"]).is_file()


def test_production_logs_are_json_lines_without_personal_data(production_var: Path) -> None:
    """A real production process: a request for a missing page with an e-mail address in
    the query string, and an error whose message quotes personal data."""
    script = """
import logging, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="soc.example.police.uk", REMOTE_ADDR="203.0.113.9")
client.get("/no-such-page/jo.bloggs/?email=jo.bloggs@example.org", secure=True)
try:
    raise ValueError('duplicate key: DETAIL:  Key (email)=(jo.bloggs@example.org) already exists.')
except ValueError:
    logging.getLogger("socprofiles.test").exception("saving %s failed", "jo.bloggs@example.org")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(production_var),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.strip().splitlines()]
    request = next(line for line in lines if line["logger"] == "socprofiles.requests")
    assert request["status"] == 404 and request["method"] == "GET"
    assert request["route"] == "(unresolved)"
    assert any(line["logger"] == "django.request" for line in lines)
    error = next(line for line in lines if line["logger"] == "socprofiles.test")
    assert "exception" in error
    for secret in ("jo.bloggs", "203.0.113.9", "example.org"):
        assert secret not in result.stderr, f"{secret!r} leaked into the logs"


def test_the_national_variants_task_queue_passes_the_checks_and_needs_redis(
    tmp_path: Path,
) -> None:
    def check(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env={**_production_env(tmp_path), **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )

    # Django-tasks-rq's own checks: its app and django_rq's are installed, the queue known.
    ok = check(TASK_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/14")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = check(TASK_BACKEND="rq")
    assert refused.returncode != 0
    assert "TASK_BACKEND=rq needs REDIS_URL" in refused.stderr
    wrong = check(TASK_BACKEND="celery")
    assert wrong.returncode != 0 and "must be one of: database, rq" in wrong.stderr
