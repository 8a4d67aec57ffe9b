from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from socprofiles.accounts.permissions import is_signed_in

_NAV = (
    ("Home", "core:home", ("core:home",)),
    ("Partnerships", "accounts:partnership_list", ("accounts:partnership", "audit:")),
    ("Organisations", "accounts:organisation_list", ("accounts:organisation",)),
    ("Areas", "accounts:area_list", ("accounts:area",)),
    ("GAIN", "gain:overview", ("gain:",)),
    ("Your account", "accounts:profile", ("accounts:profile",)),
)


def service(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_LOGINS_ENABLED,
    }
    user = getattr(request, "user", None)
    if is_signed_in(user):
        match = getattr(request, "resolver_match", None)
        current = f"{match.namespace}:{match.url_name}" if match else ""
        context["nav_items"] = [
            {
                "text": text,
                "href": reverse(name),
                "active": any(current.startswith(prefix) for prefix in prefixes),
            }
            for text, name, prefixes in _NAV
        ]
    return context
