"""Faults, as they happen to a deployment: the task worker killed in the middle of an
import, and PostgreSQL restarting (a crash: no checkpoint) while people use the service.
Each runs the real processes with the production settings on a private PostgreSQL server."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.production.conftest import PASSWORD, Deployment
from tests.production.live import (
    WebClient,
    counts_csv,
    free_port,
    manage,
    processes,
    start_web,
    start_worker,
)
from tests.production.test_processes import upload, wait_for_status

# A private PostgreSQL server and production settings, whatever the run's database.
pytestmark = pytest.mark.database_independent

ROWS = 200_000  # about six seconds of importing: time to be killed in the middle
PERCENT = re.compile(rb'<progress[^>]*value="(\d+)"')


def audit_head(deployment: Deployment) -> tuple[int, str]:
    rows = deployment.sql("SELECT seq, hash FROM audit_auditchainhead WHERE id = 1")
    return (int(rows[0][0]), str(rows[0][1])) if rows else (0, "")


def wait_until_mid_import(client: WebClient, file_id: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, _, panel = client.get(f"/datasets/files/{file_id}/progress/")
        match = PERCENT.search(panel)
        if b"importing" in panel and match and 10 <= int(match.group(1)) <= 80:
            return int(match.group(1))
        time.sleep(0.05)
    raise AssertionError(f"the import of file {file_id} was never seen in the middle")


def test_killing_the_task_worker_mid_import_leaves_the_database_as_before(
    deployment: Deployment, tmp_path: Path
) -> None:
    content = counts_csv(ROWS)
    port = free_port()
    with processes() as started:
        started.append(start_web(deployment.env, port, tmp_path))
        client = WebClient(port)
        client.sign_in(deployment.user["username"], PASSWORD, deployment.user["key"])
        dataset = deployment.people["dataset"]
        file_id = upload(client, dataset, "big.csv", content)  # queued: no worker yet
        before, head = deployment.table_counts(), audit_head(deployment)

        worker = start_worker(deployment.env, tmp_path)
        started.append(worker)
        percent = wait_until_mid_import(client, file_id)
        worker.kill()  # SIGKILL: no handler runs, no rollback is written by the worker

        assert deployment.table_counts() == before, f"changed after a kill at {percent}%"
        assert audit_head(deployment) == head
        assert deployment.sql(
            "SELECT status, imported FROM datasets_datafile WHERE id = %s", file_id
        ) == [("running", 0)]
        # No transaction of the dead worker lingers on the server.
        assert deployment.sql(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%%' "
            "AND datname = %s",
            deployment.database,
        ) == [(0,)]

        # Run again: the same file, uploaded again, imported whole by a new worker.
        started.append(start_worker(deployment.env, tmp_path))
        again = upload(client, dataset, "big.csv", content)
        assert (
            wait_for_status(deployment, again, {"imported", "refused", "failed"}, 120) == "imported"
        )
    rows = deployment.sql("SELECT COUNT(*) FROM datasets_feedrecord WHERE data_file_id = %s", again)
    assert rows == [(ROWS,)]
    assert deployment.sql("SELECT COUNT(*) FROM datasets_feedrecord") == [(ROWS,)]
    assert "Audit chain intact" in manage(deployment.env, "audit_verify")


def test_restarting_postgresql_loses_no_committed_data_and_the_app_recovers(
    deployment: Deployment, tmp_path: Path
) -> None:
    port = free_port()
    with processes() as started:
        started.append(start_web(deployment.env, port, tmp_path))
        worker = start_worker(deployment.env, tmp_path)
        started.append(worker)
        client = WebClient(port)
        client.sign_in(deployment.user["username"], PASSWORD, deployment.user["key"])
        dataset = deployment.people["dataset"]
        first = upload(client, dataset, "first.csv", counts_csv(300))
        assert wait_for_status(deployment, first, {"imported", "failed"}, 60) == "imported"
        committed = {
            table: count
            for table, count in deployment.table_counts().items()
            if table.startswith(("datasets_", "audit_", "accounts_"))
        }
        head = audit_head(deployment)

        deployment.pg.stop("immediate")  # a crash: no checkpoint
        # While the database is down, a page fails quickly with the error page; it does not hang.
        started_at = time.monotonic()
        status, _, page = client.get(f"/datasets/{dataset}/")
        assert status == 500 and b"Sorry" in page, (status, page[:500])
        assert time.monotonic() - started_at < 10
        deployment.pg.start()  # recovery replays the write-ahead log

        # The same signed-in session (kept in the database) works again, without restarting
        # gunicorn: each worker notices its broken connection and opens a new one.
        deadline, status = time.monotonic() + 30, 0
        while time.monotonic() < deadline:
            try:
                status, _, _ = client.get(f"/datasets/{dataset}/")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, "the web app did not recover"
        after = deployment.table_counts()
        for table, count in committed.items():
            assert after[table] >= count, f"{table}: {after[table]} rows, {count} before"
        assert deployment.sql(
            "SELECT COUNT(*) FROM datasets_feedrecord WHERE data_file_id = %s", first
        ) == [(300,)]
        assert audit_head(deployment)[0] >= head[0]

        # The task worker waited for the database and imports the next upload.
        second = upload(client, dataset, "second.csv", counts_csv(400))
        assert wait_for_status(deployment, second, {"imported", "failed"}, 90) == "imported"
        assert worker.alive
    assert "Audit chain intact" in manage(deployment.env, "audit_verify")
