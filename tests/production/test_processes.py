"""The deployment as it runs: gunicorn with two workers and a separate task worker,
against PostgreSQL, with the production settings. A person signs in through the pages
(password and authenticator code), uploads a file, and the task worker imports it: the
database's task queue with `task_worker`, and the national variant's, RQ on Redis."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.production.conftest import PASSWORD, Deployment
from tests.production.live import (
    WebClient,
    counts_csv,
    free_port,
    gunicorn_available,
    processes,
    redis_for_tests,
    start_web,
    start_worker,
)

FILE_URL = re.compile(r"/datasets/files/(\d+)/$")

# A private PostgreSQL server and production settings, whatever the run's database.
pytestmark = pytest.mark.database_independent


def upload(client: WebClient, dataset: str, name: str, content: bytes) -> int:
    status, headers, body = client.post_file(
        f"/datasets/{dataset}/upload/", f"/datasets/{dataset}/", name, content,
        {"max_rejected": "0"},
    )  # fmt: skip
    assert status == 302, body[:3000]
    match = FILE_URL.search(headers["location"])
    assert match, headers["location"]
    return int(match.group(1))


def wait_for_status(deployment: Deployment, file_id: int, wanted: set[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = deployment.sql("SELECT status FROM datasets_datafile WHERE id = %s", file_id)[0][0]
        if status in wanted:
            return str(status)
        time.sleep(0.2)
    raise AssertionError(f"data file {file_id} is still {status!r} after {timeout} s")


def _upload_and_import(deployment: Deployment, env: dict[str, str], tmp_path: Path) -> int:
    port = free_port()
    with processes() as started:
        web = start_web(env, port, tmp_path, workers=2, threads=2)
        started.append(web)
        started.append(start_worker(env, tmp_path))
        client = WebClient(port)
        client.sign_in(deployment.user["username"], PASSWORD, deployment.user["key"])
        status, _, page = client.get(f"/partnerships/{deployment.people['partnership']}/")
        assert status == 200 and b"Live SOC Partnership" in page
        file_id = upload(client, deployment.people["dataset"], "counts.csv", counts_csv(500))
        assert wait_for_status(deployment, file_id, {"imported", "refused", "failed"}, 60) == (
            "imported"
        ), started[-1].output()[-3000:]
        status, _, page = client.get(f"/datasets/files/{file_id}/")
        assert status == 200 and b"Imported" in page
        # Two gunicorn worker processes served, beside the master and the task worker.
        log = web.output()
        pids = set(re.findall(r"Booting worker with pid: (\d+)", log))
        assert len(pids) == 2, log[-2000:]
    imported = deployment.sql(
        "SELECT imported, rows_read FROM datasets_datafile WHERE id = %s", file_id
    )
    assert imported == [(500, 500)]
    assert (
        deployment.sql("SELECT COUNT(*) FROM audit_auditevent WHERE action LIKE 'dataset.%'")[0][0]
        >= 2
    )
    return file_id


@pytest.mark.skipif(
    not gunicorn_available(),
    reason="gunicorn is not installed (add it to the project's dependencies and lock them)",
)
def test_gunicorn_workers_and_a_task_worker_import_an_upload(
    deployment: Deployment, tmp_path: Path
) -> None:
    _upload_and_import(deployment, deployment.env, tmp_path)
    # The database's own queue carried the task.
    assert deployment.sql("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult")[0][0] == 1


@pytest.mark.skipif(
    not gunicorn_available(),
    reason="gunicorn is not installed (add it to the project's dependencies and lock them)",
)
def test_the_national_variant_queues_the_import_on_redis_for_an_rq_worker(
    deployment: Deployment, tmp_path: Path
) -> None:
    import redis

    url = redis_for_tests()
    if url is None:
        message = "no Redis answers on REDIS_TEST_URL (default redis://127.0.0.1:6379/14)"
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(message + ", and REQUIRE_REDIS is set")
        pytest.skip(message)
    queue = redis.Redis.from_url(url)
    queue.flushdb()
    try:
        env = {**deployment.env, "TASK_BACKEND": "rq", "REDIS_URL": url}
        _upload_and_import(deployment, env, tmp_path)
        # RQ carried the task (its finished job is in Redis), not the database's queue.
        assert deployment.sql("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult")[0][0] == 0
        assert queue.keys("rq:job:*"), "no RQ job was recorded in Redis"
    finally:
        queue.flushdb()
