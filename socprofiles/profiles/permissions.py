"""Who may do what with a Local Profile. Deny by default.

Published versions: every member of the partnership (readers too), and anyone outside it
the partnership has agreed to share with (sharing app). The working draft:
the partnership's owners and authors; during consultation also the members of the
organisations asked to clear it (they must see what they clear). Owners commission,
publish, override a missing clearance and move the profile through delivery and review;
authors produce (commissioning record, sections, recommendations) and send it to
consultation. Each partner organisation decides its own clearance."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Partnership, PartnershipRole
from socprofiles.accounts.permissions import CONTRIBUTOR_ROLES, partnership_role

from .models import ClearanceStatus, Profile, ProfileClearance, Stage

OWNER = frozenset({PartnershipRole.OWNER})
EDITABLE = (Stage.COMMISSIONING, Stage.PRODUCING)


def _role(user: Any, partnership: Partnership) -> PartnershipRole | None:
    role = partnership_role(user, partnership)
    return role if partnership.is_active else None


def can_list_profiles(user: Any, partnership: Partnership) -> bool:
    return _role(user, partnership) is not None


def can_commission(user: Any, partnership: Partnership) -> bool:
    return _role(user, partnership) in OWNER


def is_contributor(user: Any, profile: Profile) -> bool:
    return _role(user, profile.partnership) in CONTRIBUTOR_ROLES


def is_owner(user: Any, profile: Profile) -> bool:
    return _role(user, profile.partnership) in OWNER


def is_consulted(user: Any, profile: Profile) -> bool:
    role = _role(user, profile.partnership)
    if role is None or role == PartnershipRole.READER or profile.stage != Stage.CONSULTATION:
        return False
    org = getattr(user, "organisation_id", None)
    return org is not None and profile.clearances.filter(organisation_id=org).exists()


def can_view_draft(user: Any, profile: Profile) -> bool:
    return is_contributor(user, profile) or is_consulted(user, profile)


def can_view_published(user: Any, profile: Profile) -> bool:
    """Members of the partnership, and people outside it with an approved, unexpired grant
    or a standing copy (the sharing app)."""
    if not profile.versions.exists():
        return False
    if _role(user, profile.partnership) is not None:
        return True
    from socprofiles.sharing.permissions import has_access_beyond

    return has_access_beyond(user, profile)


def is_member(user: Any, profile: Profile) -> bool:
    return _role(user, profile.partnership) is not None


def can_view(user: Any, profile: Profile) -> bool:
    return can_view_draft(user, profile) or can_view_published(user, profile)


def can_edit(user: Any, profile: Profile) -> bool:
    return is_contributor(user, profile) and profile.stage in EDITABLE


def can_edit_commissioning(user: Any, profile: Profile) -> bool:
    return can_edit(user, profile)


def can_decide_clearance(user: Any, clearance: ProfileClearance) -> bool:
    profile = clearance.profile
    role = _role(user, profile.partnership)
    return (
        profile.stage == Stage.CONSULTATION
        and role is not None
        and role != PartnershipRole.READER
        and getattr(user, "organisation_id", None) == clearance.organisation_id
    )


def can_override(user: Any, profile: Profile) -> bool:
    return is_owner(user, profile) and profile.stage == Stage.CONSULTATION


# Transitions: which roles may take each (the guards on the profile are in services).
TRANSITION_ROLES = {
    "start_production": OWNER,
    "send_to_consultation": CONTRIBUTOR_ROLES,
    "return_to_production": CONTRIBUTOR_ROLES,
    "publish": OWNER,
    "start_delivery": OWNER,
    "mark_review_due": OWNER,
    "start_review": OWNER,
}


def can_transition(user: Any, profile: Profile, action: str) -> bool:
    roles = TRANSITION_ROLES.get(action)
    return roles is not None and _role(user, profile.partnership) in roles


def pending(profile: Profile) -> bool:
    return profile.clearances.exclude(status=ClearanceStatus.CLEARED).exists()
