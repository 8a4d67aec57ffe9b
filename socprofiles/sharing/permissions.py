"""Who may do what in sharing, feedback and FOI. Deny by default.

A wider-sharing request: any partnership member but a reader may ask; the profile's owner
agrees or declines; then an owner of the partnership other than the profile owner approves
for the partnership (two people, as the guide's "owner consulted, partnership agrees").
Owners revoke. Feedback: anyone who may read a version sends it; the partnership's owners
answer; a reader sees their own threads, contributors see all. FOI: the partnership's
owners and authors keep the log; owners record decisions."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import PartnershipRole
from socprofiles.accounts.permissions import CONTRIBUTOR_ROLES, is_active_user, partnership_role
from socprofiles.profiles.models import Profile

from .models import Feedback, ShareRequest, ShareStatus

REQUESTERS = frozenset({PartnershipRole.OWNER, PartnershipRole.AUTHOR, PartnershipRole.MEMBER})


def _role(user: Any, profile: Profile) -> PartnershipRole | None:
    return partnership_role(user, profile.partnership) if profile.partnership.is_active else None


def has_access_beyond(user: Any, profile: Profile) -> bool:
    """An approved, unexpired, unrevoked grant, or a standing copy (guide 4.49)."""
    if not is_active_user(user) or not profile.partnership.is_active:
        return False
    from .models import StandingRecipient

    if StandingRecipient.objects.filter(partnership=profile.partnership, user=user).exists():
        return True
    grants = ShareRequest.objects.filter(
        profile=profile, recipient=user, status=ShareStatus.APPROVED
    )
    return any(grant.is_active() for grant in grants)


def can_request_share(user: Any, profile: Profile) -> bool:
    return _role(user, profile) in REQUESTERS and profile.versions.exists()


def can_see_requests(user: Any, profile: Profile) -> bool:
    return _role(user, profile) in REQUESTERS


def can_owner_decide(user: Any, request: ShareRequest) -> bool:
    profile = request.profile
    return (
        request.status == ShareStatus.REQUESTED
        and _role(user, profile) == PartnershipRole.OWNER
        and user.pk == profile.owner_id
    )


def can_approve(user: Any, request: ShareRequest) -> bool:
    profile = request.profile
    return (
        request.status == ShareStatus.OWNER_AGREED
        and _role(user, profile) == PartnershipRole.OWNER
        and user.pk != profile.owner_id
    )


def can_revoke(user: Any, request: ShareRequest) -> bool:
    return request.status == ShareStatus.APPROVED and _role(user, request.profile) == (
        PartnershipRole.OWNER
    )


def can_manage_standing(user: Any, profile: Profile) -> bool:
    return _role(user, profile) == PartnershipRole.OWNER


def can_answer_feedback(user: Any, profile: Profile) -> bool:
    return _role(user, profile) == PartnershipRole.OWNER


def can_see_all_feedback(user: Any, profile: Profile) -> bool:
    return _role(user, profile) in CONTRIBUTOR_ROLES


def can_see_feedback(user: Any, feedback: Feedback) -> bool:
    profile = feedback.version.profile
    return feedback.author_id == getattr(user, "pk", None) or can_see_all_feedback(user, profile)


def can_keep_foi_log(user: Any, profile: Profile) -> bool:
    return _role(user, profile) in CONTRIBUTOR_ROLES


def can_decide_foi(user: Any, profile: Profile) -> bool:
    return _role(user, profile) == PartnershipRole.OWNER
