"""The background task worker for deployments: django-tasks-db's `db_worker` (same options)
that outlives the database going away.

`db_worker` stops on the first database error outside a task, so a restart or fail-over of
PostgreSQL would leave uploads waiting until someone restarted it. This worker waits, with
a growing pause up to 30 seconds, and goes on once the database answers again. A task that
was running when the database went away is not retried (an import keeps nothing of itself
and its page says so; the file is uploaded again).
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

logger = logging.getLogger("socprofiles.worker")

MAX_PAUSE = 30.0


class Command(DbWorkerCommand):
    help = (
        "Run the background task worker (imports, scheduled tasks); waits out database "
        "restarts instead of stopping. Options as db_worker's."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        options["reload"] = False  # a deployment restarts it; it does not watch files
        pause = 1.0
        while True:
            started = time.monotonic()
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > 60:
                    pause = 1.0  # it had been working: a new outage starts with short pauses
                logger.warning(
                    "The database is not answering (%s); the task worker tries again in %.0f s.",
                    type(error).__name__,
                    pause,
                )
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(Exception):
                        connection.close()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
