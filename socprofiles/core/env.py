"""Typed readers for settings taken from the environment.

Every reader fails loudly with ImproperlyConfigured naming the variable, the value and what
was expected, so a mistyped deployment refuses to start instead of running half-configured.
This module must not import Django settings (it is used to build them).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value if value != "" else None


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if value is None:
        if required or default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of {', '.join(sorted(_TRUE | _FALSE))}."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum of {maximum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def database_from_env(default_sqlite_path: Path) -> dict[str, Any]:
    """The default database: DATABASE_URL (postgres:// or sqlite://) or the SQLite file."""
    url = _raw("DATABASE_URL")
    if url is None:
        return sqlite_database(default_sqlite_path)
    return database_from_url(url)


def database_from_url(url: str) -> dict[str, Any]:
    """A database setting from a postgres:// or sqlite:/// URL (backup and restore take
    one on the command line too)."""
    scheme = urlsplit(url).scheme
    if scheme in {"postgres", "postgresql", "pgsql"}:
        import dj_database_url

        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        config["CONN_HEALTH_CHECKS"] = True
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"The database URL {_shown(url)} names no database.")
        return config
    if scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise ImproperlyConfigured(
                f"The database URL {_shown(url)}: write an SQLite URL as "
                "sqlite:///relative/or/absolute/path."
            )
        return sqlite_database(Path(path))
    raise ImproperlyConfigured(
        f"The database URL has the scheme {scheme!r}: only postgres:// and sqlite:/// are "
        "supported."
    )


def _shown(url: str) -> str:
    """A database URL for a message: without its user name and password."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    return repr(urlunsplit(parts))


def sqlite_database(path: Path) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction begins, so two writers
            # cannot both read the audit chain head and fork it (see ADR 0004).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # A 64 MB page cache keeps a large import's transaction in memory.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
            ),
        },
    }


def local_secret_key(path: Path) -> str:
    """A per-checkout development key kept out of the repository (var/ is ignored)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
