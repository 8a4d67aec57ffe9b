"""Writes for accounts and partnerships. Each service checks the actor's permission, owns
its transaction and writes its audit event (DESIGN habit 1 and 7)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError

from . import permissions
from .models import (
    ApiToken,
    Area,
    Organisation,
    Partnership,
    PartnershipMembership,
    PartnershipOrganisation,
    PartnershipRole,
    User,
    VettingLevel,
)

API_TOKEN_PREFIX = "socp"  # noqa: S105 - a public marker, not a secret


def _forget_roles(*users: Any) -> None:
    for user in users:
        if user is not None:
            user.__dict__.pop("_partnership_roles", None)


def user_create(
    *,
    username: str,
    full_name: str,
    email: str,
    organisation: Organisation | None,
    password: str | None,
    job_title: str = "",
    vetting_level: str = VettingLevel.NONE,
    is_demo: bool = False,
    is_service_account: bool = False,
    is_superuser: bool = False,
    actor: Any = None,
) -> User:
    """Create a person or service account. Passwords must meet the platform's rules; a
    service account never has a usable password."""
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"The user name {username!r} is already taken.", field="username")
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        organisation=organisation,
        job_title=job_title,
        vetting_level=vetting_level,
        is_demo=is_demo,
        is_service_account=is_service_account,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password and not is_service_account:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ServiceError(" ".join(error.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        audit_log(actor=actor, action="user.created", target=user)
    return user


def partnership_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    area: Area,
    lead_organisation: Organisation,
    owner: User,
    description: str = "",
) -> Partnership:
    """Set up a partnership with its first owner. Platform administrators do this (the
    command line counts as one: actor None)."""
    if actor is not None and not permissions.is_platform_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        try:
            with transaction.atomic():
                partnership = Partnership.objects.create(
                    name=name,
                    slug=slug,
                    area=area,
                    lead_organisation=lead_organisation,
                    description=description,
                    police_lead=owner,
                    created_by=actor,
                    modified_by=actor,
                )
        except IntegrityError:
            raise ServiceError(
                "A partnership with that name or short name already exists.", field="slug"
            ) from None
        PartnershipOrganisation.objects.create(
            partnership=partnership, organisation=lead_organisation, created_by=actor
        )
        if owner.organisation_id and owner.organisation_id != lead_organisation.pk:
            PartnershipOrganisation.objects.get_or_create(
                partnership=partnership, organisation_id=owner.organisation_id
            )
        PartnershipMembership.objects.create(
            partnership=partnership, user=owner, role=PartnershipRole.OWNER, created_by=actor
        )
        audit_log(
            actor=actor,
            action="partnership.created",
            target=partnership,
            partnership=partnership,
            detail={"owner": owner.username, "area": area.code or area.name},
        )
    return partnership


def partnership_organisation_add(
    *, actor: Any, partnership: Partnership, organisation: Organisation
) -> PartnershipOrganisation:
    if actor is not None and not permissions.can_manage_members(actor, partnership):
        raise PermissionDenied
    with transaction.atomic():
        link, created = PartnershipOrganisation.objects.get_or_create(
            partnership=partnership, organisation=organisation, defaults={"created_by": actor}
        )
        if created:
            audit_log(
                actor=actor,
                action="partnership.organisation_added",
                target=organisation,
                partnership=partnership,
            )
    return link


def membership_add(
    *,
    actor: Any,
    partnership: Partnership,
    user: User,
    role: str,
    request: HttpRequest | None = None,
) -> PartnershipMembership:
    if actor is not None and not permissions.can_manage_members(actor, partnership):
        raise PermissionDenied
    if role not in PartnershipRole.values:
        raise ServiceError(f"{role!r} is not a partnership role.", field="role")
    if user.is_service_account:
        raise ServiceError("Service accounts cannot be partnership members.", field="user")
    if not user.is_active:
        raise ServiceError(f"{user.display_name}'s account is not active.", field="user")
    if (
        user.organisation_id is None
        or not PartnershipOrganisation.objects.filter(
            partnership=partnership, organisation_id=user.organisation_id
        ).exists()
    ):
        raise ServiceError(
            f"{user.display_name} works for an organisation that is not a member of this "
            "partnership. Add the organisation first.",
            field="user",
        )
    with transaction.atomic():
        membership, created = PartnershipMembership.objects.get_or_create(
            partnership=partnership,
            user=user,
            defaults={"role": role, "created_by": actor, "modified_by": actor},
        )
        if not created:
            raise ServiceError(f"{user.display_name} is already a member.", field="user")
        audit_log(
            actor=actor,
            action="partnership.member_added",
            target=membership,
            partnership=partnership,
            detail={"user": user.username, "role": role},
            request=request,
        )
    _forget_roles(user)
    return membership


def _owners_left_after(membership: PartnershipMembership) -> int:
    return (
        PartnershipMembership.objects.filter(
            partnership_id=membership.partnership_id, role=PartnershipRole.OWNER
        )
        .exclude(pk=membership.pk)
        .count()
    )


def membership_change_role(
    *,
    actor: Any,
    membership: PartnershipMembership,
    role: str,
    request: HttpRequest | None = None,
) -> PartnershipMembership:
    partnership = membership.partnership
    if actor is not None and not permissions.can_manage_members(actor, partnership):
        raise PermissionDenied
    if role not in PartnershipRole.values:
        raise ServiceError(f"{role!r} is not a partnership role.", field="role")
    with transaction.atomic():
        membership = PartnershipMembership.objects.select_for_update().get(pk=membership.pk)
        old_role = membership.role
        if old_role == role:
            return membership
        if old_role == PartnershipRole.OWNER and _owners_left_after(membership) == 0:
            raise ServiceError(
                "A partnership must keep at least one owner: make someone else an owner first.",
                field="role",
            )
        membership.role = role
        membership.modified_by = actor
        membership.save(update_fields=["role", "modified_by", "modified_at"])
        audit_log(
            actor=actor,
            action="partnership.member_role_changed",
            target=membership,
            partnership=partnership,
            detail={"user": membership.user.username, "from": old_role, "to": role},
            request=request,
        )
    _forget_roles(actor, membership.user)
    return membership


def membership_remove(
    *, actor: Any, membership: PartnershipMembership, request: HttpRequest | None = None
) -> None:
    partnership = membership.partnership
    if actor is not None and not permissions.can_manage_members(actor, partnership):
        raise PermissionDenied
    with transaction.atomic():
        membership = PartnershipMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == PartnershipRole.OWNER and _owners_left_after(membership) == 0:
            raise ServiceError(
                "A partnership must keep at least one owner: make someone else an owner first."
            )
        for position in ("police_lead", "pcc_lead", "police_contact", "council_contact"):
            if getattr(partnership, f"{position}_id") == membership.user_id:
                raise ServiceError(
                    f"{membership.user.display_name} holds the position of "
                    f"{POSITION_LABELS[position]}: "
                    "give the position to someone else first."
                )
        audit_log(
            actor=actor,
            action="partnership.member_removed",
            target=membership,
            partnership=partnership,
            detail={"user": membership.user.username, "role": membership.role},
            request=request,
        )
        membership.delete()
    _forget_roles(actor, membership.user)


POSITION_LABELS = {
    "police_lead": "police lead",
    "pcc_lead": "PCC lead",
    "police_contact": "point of contact in the policing team",
    "council_contact": "point of contact in the local authority",
}
POSITIONS = {
    "police_lead": {PartnershipRole.OWNER},
    "pcc_lead": set(PartnershipRole),
    "police_contact": set(PartnershipRole),
    "council_contact": set(PartnershipRole),
}


def partnership_set_positions(
    *,
    actor: Any,
    partnership: Partnership,
    positions: dict[str, User | None],
    request: HttpRequest | None = None,
) -> Partnership:
    """Name who holds the guide's positions. Each holder must be a member; the police lead
    owns the profile, so must have the owner role."""
    if actor is not None and not permissions.can_manage_members(actor, partnership):
        raise PermissionDenied
    changes: dict[str, str | None] = {}
    with transaction.atomic():
        for position, holder in positions.items():
            if position not in POSITIONS:
                raise ServiceError(f"{position!r} is not a partnership position.")
            label = POSITION_LABELS[position]
            if holder is not None:
                role = (
                    PartnershipMembership.objects.filter(partnership=partnership, user=holder)
                    .values_list("role", flat=True)
                    .first()
                )
                if role is None:
                    raise ServiceError(
                        f"{holder.display_name} must be a member to be the {label}.",
                        field=position,
                    )
                if role not in POSITIONS[position]:
                    raise ServiceError(
                        f"The {label} owns the Local Profile, so must have the owner role.",
                        field=position,
                    )
            if getattr(partnership, f"{position}_id") != (holder.pk if holder else None):
                setattr(partnership, position, holder)
                changes[position] = holder.username if holder else None
        if changes:
            partnership.modified_by = actor
            partnership.save()
            audit_log(
                actor=actor,
                action="partnership.positions_changed",
                target=partnership,
                partnership=partnership,
                detail=changes,
                request=request,
            )
    return partnership


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once; only its digest is stored


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_token_create(*, actor: Any, user: User, name: str, days: int | None = None) -> IssuedToken:
    """Issue a token to a service account (platform administrators, or the command line)."""
    if actor is not None and not permissions.is_platform_admin(actor):
        raise PermissionDenied
    if not user.is_service_account:
        raise ServiceError(
            "API tokens are for service accounts; people use the website with two-factor "
            "authentication.",
            field="user",
        )
    if not name.strip():
        raise ServiceError("Give the token a name that says what it is for.", field="name")
    lifetime = days if days is not None else settings.API_TOKEN_DAYS
    if not 1 <= lifetime <= 366:
        raise ServiceError("A token lasts between 1 and 366 days.", field="days")
    prefix = secrets.token_hex(4)
    key = f"{API_TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=prefix,
            key_digest=api_key_digest(key),
            expires_at=timezone.now() + timedelta(days=lifetime),
            created_by=actor,
        )
        audit_log(
            actor=actor,
            action="api_token.created",
            target=token,
            detail={"user": user.username, "days": lifetime},
        )
    return IssuedToken(token=token, key=key)


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if actor is not None and not permissions.is_platform_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "modified_at"])
            audit_log(actor=actor, action="api_token.revoked", target=token)
    return token


def api_token_authenticate(*, key: str) -> User | None:
    """The active service account a key belongs to, or None. Records when it was used."""
    if not key.startswith(f"{API_TOKEN_PREFIX}_"):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_digest=api_key_digest(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active or not token.user.is_service_account:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    user._api_token_authenticated = True  # type: ignore[attr-defined]
    return user


def login_record(*, user: User, request: HttpRequest) -> None:
    audit_log(actor=user, action="auth.login", request=request)


def login_failure_record(*, username: str, request: HttpRequest, reason: str) -> None:
    audit_log(
        actor=None,
        action="auth.login_failed",
        actor_username=username[:150],
        detail={"reason": reason},
        request=request,
    )


def logout_record(*, user: User, request: HttpRequest) -> None:
    audit_log(actor=user, action="auth.logout", request=request)


def two_factor_enrolled_record(*, user: User, request: HttpRequest) -> None:
    audit_log(actor=user, action="auth.two_factor_enrolled", target=user, request=request)
