"""A deployment under test: a private PostgreSQL server (never the shared one, which other
test runs use), a migrated template database, collected static files and production
settings. Each test gets its own database copied from the template."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.production.live import (
    PrivatePostgres,
    manage,
    private_postgres_missing,
    production_env,
    set_up_people,
)

PASSWORD = "live-test-" + "correct-horse-battery"


@pytest.fixture(scope="session")
def production_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A production var/ with the static files collected (hashed names, compressed): one
    collectstatic for the whole session."""
    var = tmp_path_factory.mktemp("production-var")
    env = production_env(var, f"sqlite:///{var}/unused.sqlite3")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0", timeout=600)
    return var


@pytest.fixture(scope="session")
def private_pg() -> Iterator[PrivatePostgres]:
    reason = private_postgres_missing()
    if reason:
        pytest.skip(f"no private PostgreSQL server for this test: {reason}")
    server = PrivatePostgres().init()
    server.start()
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="session")
def template_db(private_pg: PrivatePostgres, production_var: Path) -> str:
    name = "socp_template"
    url = private_pg.create_database(name)
    manage(production_env(production_var, url), "migrate", "--no-input", timeout=600)
    return name


@dataclass
class Deployment:
    pg: PrivatePostgres
    database: str
    env: dict[str, str]
    var: Path
    people: dict[str, Any]

    @property
    def user(self) -> dict[str, str]:
        return dict(self.people["users"][0])

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.pg.sql(statement, self.database, params)

    def table_counts(self) -> dict[str, int]:
        tables = [
            row[0]
            for row in self.sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        # Table names from the catalogue, not from input.
        selects = [f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables]  # noqa: S608
        union = " UNION ALL ".join(selects)
        return {name: int(count) for name, count in self.sql(union)}


@pytest.fixture
def deployment(
    private_pg: PrivatePostgres, template_db: str, production_var: Path, tmp_path: Path
) -> Iterator[Deployment]:
    name = f"socp_live_{uuid.uuid4().hex[:10]}"
    url = private_pg.create_database(name, template=template_db)
    # Its own var/ for uploads and the shared file cache, the collected static files reused.
    var = tmp_path / "var"
    var.mkdir()
    (var / "static").symlink_to(production_var / "static")
    env = production_env(var, url, SECRET_KEY=secrets.token_urlsafe(64))
    people = set_up_people(env, ["live.analyst"], PASSWORD)
    try:
        yield Deployment(pg=private_pg, database=name, env=env, var=var, people=people)
    finally:
        private_pg.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
