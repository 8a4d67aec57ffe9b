"""Enqueue the platform's scheduled tasks for the task worker: today, the profile review
reminders. Run it daily from cron or a systemd timer, or with --loop beside the worker
(the demo does). Each task is idempotent within a day, so running it more often is safe."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

SCHEDULED = [
    "socprofiles.profiles.tasks.profile_review_reminders",
    "socprofiles.actions.tasks.action_reminders",
]


class Command(BaseCommand):
    help = "Enqueue the scheduled tasks (profile review reminders)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, default=0, metavar="SECONDS",
            help="Keep running, enqueueing every SECONDS (at least 60).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils.module_loading import import_string

        every = options["loop"]
        if every and every < 60:
            every = 60
        while True:
            for path in SCHEDULED:
                result = import_string(path).enqueue()
                self.stdout.write(f"enqueued {path} ({result.id})")
            if not every:
                return
            time.sleep(every)
