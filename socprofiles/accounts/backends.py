"""Password authentication with the platform's own refusals on top of Django's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PlatformBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        # Machine accounts use API tokens only.
        if getattr(user, "is_service_account", False):
            return False
        # Fictional demo people may never sign in to a real deployment.
        return not (getattr(user, "is_demo", False) and not settings.DEMO_LOGINS_ENABLED)
