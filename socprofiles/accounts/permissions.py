"""Who may do what with partnerships. Deny by default: each rule names the roles it allows,
and anything not allowed here is refused. Pages, the API and services use the same functions.

Two layers: `is_signed_in` is the request boundary (password and second factor, or an API
token), enforced for every page by RequireTwoFactorMiddleware and for the API by its
authentication classes; the role rules below then decide what a signed-in person may do,
and apply equally to services called from commands and tasks."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .models import Partnership, PartnershipMembership, PartnershipRole

ALL_ROLES = frozenset(PartnershipRole)
CONTRIBUTOR_ROLES = frozenset({PartnershipRole.OWNER, PartnershipRole.AUTHOR})


def is_signed_in(user: Any) -> bool:
    """Authenticated and past two-factor authentication (or a demo account while demo
    log-ins are enabled). Service accounts are signed in by their API token."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "is_service_account", False):
        return getattr(user, "_api_token_authenticated", False)
    return two_factor_satisfied(user)


def require_signed_in(request: Any) -> Any:
    """The request's user once sign-in and the second factor have passed; otherwise 404,
    so nothing behind the check is revealed (pages call it before loading anything)."""
    from django.http import Http404

    if not is_signed_in(request.user):
        raise Http404
    return request.user


def two_factor_satisfied(user: Any) -> bool:
    if getattr(user, "is_demo", False):
        return bool(settings.DEMO_LOGINS_ENABLED)
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def is_active_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_platform_admin(user: Any) -> bool:
    return is_active_user(user) and bool(user.is_superuser)


def partnership_role(user: Any, partnership: Partnership) -> PartnershipRole | None:
    if not is_active_user(user):
        return None
    cache: dict[Any, PartnershipRole | None] = user.__dict__.setdefault("_partnership_roles", {})
    if partnership.pk not in cache:
        role = (
            PartnershipMembership.objects.filter(partnership=partnership, user=user)
            .values_list("role", flat=True)
            .first()
        )
        cache[partnership.pk] = PartnershipRole(role) if role else None
    return cache[partnership.pk]


def _has_role(user: Any, partnership: Partnership, roles: frozenset[PartnershipRole]) -> bool:
    role = partnership_role(user, partnership)
    return role is not None and role in roles and partnership.is_active


def can_view_partnership(user: Any, partnership: Partnership) -> bool:
    return _has_role(user, partnership, ALL_ROLES)


def can_view_members(user: Any, partnership: Partnership) -> bool:
    return _has_role(user, partnership, ALL_ROLES)


def can_manage_members(user: Any, partnership: Partnership) -> bool:
    return _has_role(user, partnership, frozenset({PartnershipRole.OWNER}))


def can_view_audit(user: Any, partnership: Partnership) -> bool:
    return _has_role(user, partnership, frozenset({PartnershipRole.OWNER}))


def can_view_directory(user: Any) -> bool:
    """The directories of organisations and areas hold public bodies and public geography:
    any signed-in person may read them."""
    return is_active_user(user)
