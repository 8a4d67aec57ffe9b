"""`manage.py backup` and `restore` on the suite's database (SQLite, or PostgreSQL with
DATABASE_URL): a restored database has the same row count in every table and an intact
audit chain, and anything else is reported."""

from __future__ import annotations

import io
import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import World
from socprofiles.core.backups import (
    BackupError,
    backup_create,
    backup_restore,
    connection_to,
    read_manifest,
    restore_verify,
    table_counts,
)
from socprofiles.core.env import database_from_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def target_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the suite's kind to restore into; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path}/restored.sqlite3"
        return
    import psycopg

    s = connection.settings_dict
    name = f"socp_restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s["PASSWORD"] else f"{s['USER']}@"
    try:
        yield f"postgres://{auth}{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _counts(url: str) -> dict[str, int]:
    with connection_to(database_from_url(url)) as alias:
        return table_counts(alias)


def test_backup_and_restore_round_trip(world: World, tmp_path: Path, target_url: str) -> None:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path), stdout=out)
    archive = next(tmp_path.glob("socprofiles-*.tar"))
    assert "audit chain verified" in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0  # readable by the service account only
    manifest = read_manifest(archive)
    assert manifest["vendor"] == connection.vendor.replace("postgresql", "postgresql")
    assert manifest["audit"]["ok"] and manifest["audit"]["events"] > 10
    assert manifest["tables"]["accounts_user"] == 7
    assert manifest["tables"] == table_counts("default")

    out = io.StringIO()
    call_command("restore", str(archive), "--database-url", target_url, stdout=out)
    assert "Restored and verified" in out.getvalue()
    assert _counts(target_url) == manifest["tables"]

    # A second restore over the first needs --replace, and then gives the same database.
    with pytest.raises(CommandError, match="already has"):
        call_command("restore", str(archive), "--database-url", target_url)
    call_command("restore", str(archive), "--database-url", target_url, "--replace", stdout=out)
    assert _counts(target_url) == manifest["tables"]


def test_verification_reports_a_different_database(
    world: World, tmp_path: Path, target_url: str
) -> None:
    result = backup_create(output=tmp_path / "b.tar")
    report = backup_restore(archive=result.path, target_url=target_url)
    assert report.ok, report.problems
    config = database_from_url(target_url)
    with connection_to(config) as alias:
        from django.db import connections

        with connections[alias].cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
            cursor.execute("DELETE FROM django_session")
            cursor.execute(
                "INSERT INTO django_session (session_key, session_data, expire_date) "
                "VALUES ('x', 'y', '2030-01-01')"
            )
    report = restore_verify(config=config, manifest=result.manifest)
    assert not report.ok
    text = "\n".join(report.problems)
    assert "table audit_auditevent has" in text
    assert "audit chain does not verify: event #2 is missing" in text
    sessions = result.manifest["tables"]["django_session"]
    assert (sessions == 1) or "table django_session has 1 rows" in text


def test_a_damaged_archive_is_refused(world: World, tmp_path: Path, target_url: str) -> None:
    result = backup_create(output=tmp_path / "good.tar")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(result.path) as source, tarfile.open(damaged, "w") as copy:
        for member in source.getmembers():
            data = bytearray(source.extractfile(member).read())
            if member.name != "manifest.json":
                data[len(data) // 2] ^= 0xFF
            copy.addfile(member, io.BytesIO(bytes(data)))
    with pytest.raises(BackupError, match="damaged"):
        backup_restore(archive=damaged, target_url=target_url)
    assert _counts(target_url) == {}  # nothing was touched


def test_an_archive_of_the_other_kind_is_refused(world: World, tmp_path: Path) -> None:
    result = backup_create(output=tmp_path / "b.tar")
    manifest = dict(result.manifest)
    manifest["vendor"] = "postgresql" if manifest["vendor"] == "sqlite" else "sqlite"
    other = tmp_path / "other.tar"
    body = json.dumps(manifest).encode()
    with tarfile.open(other, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    with pytest.raises(BackupError, match="backup; the target database is"):
        backup_restore(archive=other)


def test_backup_of_a_broken_audit_chain_is_written_but_fails(world: World, tmp_path: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 3")
    with pytest.raises(CommandError, match="event #3 is missing") as raised:
        call_command("backup", "--output", str(tmp_path / "broken.tar"), stdout=io.StringIO())
    assert raised.value.returncode == 1
    assert (tmp_path / "broken.tar").is_file()
    assert read_manifest(tmp_path / "broken.tar")["audit"]["ok"] is False
