"""Scheduled work for profiles (django-tasks; enqueued by `manage.py run_scheduled`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def profile_review_reminders() -> dict[str, Any]:
    from .services import review_reminders

    return review_reminders()
