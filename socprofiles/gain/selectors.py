"""Reads for GAIN: only an agency's own holdings; a coordinator's own requests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from . import permissions
from .models import HitRequest, Holding


def holdings_for(*, user: Any) -> QuerySet[Holding]:
    organisation = getattr(user, "organisation", None)
    if organisation is None or not permissions.can_manage_holdings(user, organisation):
        return Holding.objects.none()
    return Holding.objects.filter(organisation=organisation)


def requests_for(*, user: Any) -> QuerySet[HitRequest]:
    if not permissions.is_coordinator(user):
        return HitRequest.objects.none()
    return HitRequest.objects.filter(coordinator=user)
