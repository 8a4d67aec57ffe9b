"""Backups of the database and their restoration, each proved by the numbers.

A backup is one tar file holding the database and a manifest. The database comes from a
consistent snapshot: SQLite's online backup API (the copy is one moment of the database,
taken while the service runs), or PostgreSQL's ``pg_dump`` in custom format, run inside a
repeatable-read transaction whose snapshot it shares, so the manifest's row counts and
audit chain head are those of exactly the rows dumped. The manifest records every table's
row count, the audit chain's head and whether the chain verified, and the dump's SHA-256.

Restoring refuses a damaged archive (hash), a database of the other kind, and a target
that already holds tables unless told to replace them; after restoring it counts every
table again and walks the audit chain in the restored database: the restore succeeds only
if every count, the chain and its head are the same.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend

from .env import database_from_url

FORMAT = 1
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.manifest["audit"]["ok"])


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    audit_events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def default_backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


# -- connections to other databases (a backup copy, a restore target) ------------------------


@contextmanager
def connection_to(config: dict[str, Any]) -> Iterator[str]:
    """A temporary connection alias for a database setting; closed and forgotten after."""
    alias = f"backup_{uuid.uuid4().hex[:10]}"
    default = dict(settings.DATABASES[DEFAULT_DB_ALIAS])
    configured = connections.configure_settings({DEFAULT_DB_ALIAS: default, alias: dict(config)})
    # Registered for this thread only, not added to the settings: the alias is private.
    wrapper = load_backend(configured[alias]["ENGINE"]).DatabaseWrapper(configured[alias], alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        try:
            wrapper.close()
        finally:
            del connections[alias]


def _target_config(target_url: str | None) -> dict[str, Any]:
    if target_url:
        return database_from_url(target_url)
    return dict(settings.DATABASES[DEFAULT_DB_ALIAS])


def _vendor(config: dict[str, Any]) -> str:
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


# -- what a database holds -------------------------------------------------------------------


def table_counts(using: str) -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor, include_views=False))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = int(cursor.fetchone()[0])
    return counts


def audit_state(using: str, tables: dict[str, int]) -> dict[str, Any]:
    from socprofiles.audit.models import AuditChainHead, AuditEvent
    from socprofiles.audit.services import audit_chain_verify

    if AuditEvent._meta.db_table not in tables:
        raise BackupError(
            "The database has no audit trail: it is empty or not migrated (manage.py migrate)."
        )

    report = audit_chain_verify(using=using)
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    return {
        "ok": report.ok,
        "events": report.checked,
        "problem": report.problem,
        "head_seq": head.seq if head else 0,
        "head_hash": head.hash if head else "",
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- PostgreSQL's own tools ------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client of the server's major "
            "version (Debian: apt-get install postgresql-client)."
        )
    return found


def _tool_major(tool: str) -> tuple[int, str]:
    command = [tool, "--version"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    if match is None:
        raise BackupError(f"Could not read the version of {tool}: {out!r}")
    return int(match.group(1)), match.group(0)


def _pg_env(config: dict[str, Any]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": config.get("NAME"),
    }
    options = config.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        values[variable] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


# -- backup ----------------------------------------------------------------------------------


def backup_create(*, output: Path | None = None, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write a backup archive of the database `using`; returns its path and manifest. The
    archive is written even if the audit chain does not verify (a damaged database is
    still worth keeping), and the manifest says so."""
    config = connections[using].settings_dict
    vendor = _vendor(config)
    directory = output if output is not None and output.suffix != ".tar" else None
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    if output is not None and output.suffix == ".tar":
        path = output
    else:
        path = (directory or default_backup_dir()) / f"socprofiles-{vendor}-{stamp}.tar"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="socp-backup-", dir=path.parent) as scratch:
        dump = Path(scratch) / MEMBERS[vendor]
        if vendor == "sqlite":
            manifest = _backup_sqlite(using, dump)
        else:
            manifest = _backup_postgresql(using, dump)
        manifest.update(
            format=FORMAT,
            created_at=datetime.now(tz=UTC).isoformat(timespec="seconds"),
            vendor=vendor,
            member=dump.name,
            size=dump.stat().st_size,
            sha256=_sha256(dump),
        )
        partial = Path(scratch) / "archive.tar"
        old_umask = os.umask(0o077)  # police data: readable by the service account only
        try:
            with tarfile.open(partial, "w") as archive:
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(body))
                archive.add(dump, arcname=dump.name)
        finally:
            os.umask(old_umask)
        partial.chmod(0o600)
        os.replace(partial, path)  # whole or not at all
    return BackupResult(path=path, manifest=manifest)


def _backup_sqlite(using: str, dump: Path) -> dict[str, Any]:
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    target = sqlite3.connect(dump)
    try:
        raw.backup(target)  # one consistent copy, taken while others may write
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
    # The numbers come from the copy itself: exactly what the archive holds.
    with connection_to({"ENGINE": "django.db.backends.sqlite3", "NAME": str(dump)}) as alias:
        counts = table_counts(alias)
        audit = audit_state(alias, counts)
    return {
        "server_version": sqlite3.sqlite_version,
        "tool": f"sqlite3 online backup API {sqlite3.sqlite_version}",
        "tables": counts,
        "audit": audit,
    }


def _backup_postgresql(using: str, dump: Path) -> dict[str, Any]:
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Take a backup outside a transaction (its snapshot needs its own).")
    connection.ensure_connection()
    pg_dump = _pg_tool("pg_dump")
    tool_major, tool_version = _tool_major(pg_dump)
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    if tool_major < server_major:
        raise BackupError(
            f"pg_dump is version {tool_version} but the server is PostgreSQL {server_major}: "
            f"install the PostgreSQL {server_major} client (pg_dump cannot dump newer servers)."
        )
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        process = subprocess.Popen(  # noqa: S603
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(dump),
            ],
            env=_pg_env(connection.settings_dict),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            # Counted in the snapshot pg_dump reads: the same rows, whatever commits now.
            counts = table_counts(using)
            audit = audit_state(using, counts)
        finally:
            _, errors = process.communicate()
    if process.returncode != 0:
        raise BackupError(f"pg_dump failed (exit {process.returncode}): {errors.strip()}")
    return {
        "server_version": server_version,
        "tool": f"pg_dump {tool_version}",
        "tables": counts,
        "audit": audit,
    }


# -- restore ---------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r") as tar:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        if handle is None:
            raise BackupError(f"{archive}: the manifest is not a file.")
        manifest: dict[str, Any] = json.loads(handle.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: backup format {manifest.get('format')!r} is not known.")
    return manifest


def _extract(archive: Path, manifest: dict[str, Any], into: Path) -> Path:
    name = manifest["member"]
    if name not in MEMBERS.values():
        raise BackupError(f"{archive}: unexpected database member {name!r}.")
    target = into / name
    with tarfile.open(archive, "r") as tar:
        handle = tar.extractfile(tar.getmember(name))
        if handle is None:
            raise BackupError(f"{archive}: {name} is not a file.")
        with target.open("wb") as out:
            shutil.copyfileobj(handle, out, 1 << 20)
    if _sha256(target) != manifest["sha256"]:
        raise BackupError(f"{archive}: the database in the archive is damaged (SHA-256 differs).")
    return target


def backup_restore(
    *, archive: Path, target_url: str | None = None, replace: bool = False
) -> RestoreReport:
    """Restore an archive into the target database (the configured one unless a URL is
    given), then prove it: every table's row count and the audit chain as recorded."""
    manifest = read_manifest(archive)
    config = _target_config(target_url)
    vendor = _vendor(config)
    if vendor != manifest["vendor"]:
        raise BackupError(
            f"This is a {manifest['vendor']} backup; the target database is {vendor}."
        )
    with tempfile.TemporaryDirectory(prefix="socp-restore-") as scratch:
        dump = _extract(archive, manifest, Path(scratch))
        with connection_to(config) as alias:
            existing = table_counts(alias)
            if existing and not replace:
                raise BackupError(
                    f"The target database already has {len(existing)} tables. Restore into "
                    "an empty database, or pass --replace to replace its contents."
                )
            connections[alias].close()
        # Nothing of ours may hold the target open while it is replaced.
        for other in connections.all(initialized_only=True):
            if other.settings_dict.get("NAME") == config.get("NAME"):
                other.close()
        if vendor == "sqlite":
            _restore_sqlite(dump, Path(config["NAME"]))
        else:
            _restore_postgresql(dump, config, replace=bool(existing))
    return restore_verify(config=config, manifest=manifest)


def _restore_sqlite(dump: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # replaces every page of the target, in one step
    finally:
        destination.close()
        source.close()


def _restore_postgresql(dump: Path, config: dict[str, Any], *, replace: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    command = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--single-transaction",  # all of it or, on any error, none of it
        "--exit-on-error",
        "--dbname",
        str(config["NAME"]),
        *(["--clean", "--if-exists"] if replace else []),
        str(dump),
    ]
    result = subprocess.run(  # noqa: S603
        command, env=_pg_env(config), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed (exit {result.returncode}); nothing was changed: "
            f"{result.stderr.strip()[-2000:]}"
        )


def restore_verify(*, config: dict[str, Any], manifest: dict[str, Any]) -> RestoreReport:
    """Compare a database with a manifest: the same tables, the same count in each, an
    intact audit chain ending at the recorded head."""
    report = RestoreReport(manifest=manifest)
    with connection_to(config) as alias:
        counts = table_counts(alias)
        audit = audit_state(alias, counts)
    expected: dict[str, int] = manifest["tables"]
    report.tables, report.rows = len(counts), sum(counts.values())
    report.audit_events = audit["events"]
    for table in sorted(set(expected) | set(counts)):
        if table not in counts:
            report.problems.append(f"table {table} is missing")
        elif table not in expected:
            report.problems.append(f"table {table} is not in the backup")
        elif counts[table] != expected[table]:
            report.problems.append(
                f"table {table} has {counts[table]} rows; the backup had {expected[table]}"
            )
    if not audit["ok"]:
        report.problems.append(f"the audit chain does not verify: {audit['problem']}")
    recorded = manifest["audit"]
    if (audit["head_seq"], audit["head_hash"]) != (recorded["head_seq"], recorded["head_hash"]):
        report.problems.append(
            f"the audit chain ends at event #{audit['head_seq']}; the backup's ended at "
            f"#{recorded['head_seq']}"
        )
    return report
