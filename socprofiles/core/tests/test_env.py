"""Settings read from the environment refuse bad values with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from socprofiles.core import env

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("yes", True), ("off", False)])
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw: str, value: bool) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("X_FLAG", raw)
    assert env.env_bool("X_FLAG", not value) is value


def test_env_bool_refuses_anything_else(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a yes/no value"):
        env.env_bool("X_FLAG", False)


def test_env_int_checks_type_and_range(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "2")
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 5"):
        env.env_int("X_NUM", 10, minimum=5)
    monkeypatch.delenv("X_NUM")
    assert env.env_int("X_NUM", 10, minimum=5) == 10


def test_database_url_schemes(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    default = env.database_from_env(tmp_path / "db.sqlite3")
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/soc")
    pg = env.database_from_env(tmp_path / "db.sqlite3")
    assert (pg["ENGINE"], pg["NAME"], pg["HOST"]) == (
        "django.db.backends.postgresql",
        "soc",
        "db.example",
    )
    monkeypatch.setenv("DATABASE_URL", "mysql://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="only postgres:// and sqlite:///"):
        env.database_from_env(tmp_path / "db.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h")
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        env.database_from_env(tmp_path / "db.sqlite3")


def _start(settings: str, **environ: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    clean.update(
        environ,
        DJANGO_SETTINGS_MODULE=settings,
        SOCPROFILES_VAR_DIR=environ.get("SOCPROFILES_VAR_DIR", str(ROOT / "var" / "settings-test")),
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_proper_secret_key() -> None:
    result = _start("config.settings.production", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug() -> None:
    result = _start("config.settings.production", SECRET_KEY="k" * 60, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must not be on" in result.stderr


def test_a_bad_value_stops_start_up() -> None:
    result = _start("config.settings.local", SESSION_IDLE_MINUTES="forever")
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES='forever' is not a whole number" in result.stderr


def test_production_starts_with_good_values() -> None:
    result = _start(
        "config.settings.production", SECRET_KEY="k" * 60, ALLOWED_HOSTS="soc.example.police.uk"
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
