"""Scheduled work for the action plan (enqueued by `manage.py run_scheduled`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def action_reminders() -> dict[str, Any]:
    from .services import action_reminders as remind

    return remind()
