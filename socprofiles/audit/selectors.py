"""Reading the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_events_for_partnership(
    *, partnership_id: UUID, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(partnership_id=partnership_id)
    if filters is None:
        return events.order_by("-seq")
    if filters.actor:
        events = events.filter(actor_username__icontains=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.text:
        events = events.filter(
            Q(object_repr__icontains=filters.text) | Q(purpose__icontains=filters.text)
        )
    zone = timezone.get_current_timezone()
    if filters.date_from:
        events = events.filter(
            occurred_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=zone)
        )
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone)
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-seq")


def audit_actions_for_partnership(*, partnership_id: UUID) -> list[str]:
    return list(
        AuditEvent.objects.filter(partnership_id=partnership_id)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
