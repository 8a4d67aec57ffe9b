"""Who may see and change data sets. Deny by default.

Reference data (no partnership) is public information every signed-in person may read;
only platform administrators load it. A partnership's data set is seen according to its
visibility; the partnership's owners and authors may register data sets for any member
organisation, and members for their own; people of the owning organisation (and the
partnership's owners and authors) may load files; only the owning organisation clears its
data for publication (guide: consult partners and seek clearance to publish their data).
"""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Partnership, PartnershipRole
from socprofiles.accounts.permissions import (
    CONTRIBUTOR_ROLES,
    is_active_user,
    is_platform_admin,
    partnership_role,
)

from .models import DataSet, Visibility


def _in_owning_org(user: Any, dataset: DataSet) -> bool:
    return bool(is_active_user(user) and user.organisation_id == dataset.owner_id)


def _service_account_of_owner(user: Any, dataset: DataSet) -> bool:
    """A partner's system pushing its own organisation's feed through the API."""
    return bool(
        getattr(user, "is_service_account", False)
        and dataset.partnership_id is not None
        and _in_owning_org(user, dataset)
    )


def can_view_dataset(user: Any, dataset: DataSet) -> bool:
    if not is_active_user(user):
        return False
    if dataset.partnership_id is None:
        return True
    if _service_account_of_owner(user, dataset):
        return True
    role = partnership_role(user, dataset.partnership)  # type: ignore[arg-type]
    if role is None:
        return False
    if dataset.visibility == Visibility.PARTNERSHIP:
        return True
    if dataset.visibility == Visibility.CONTRIBUTORS:
        return role in CONTRIBUTOR_ROLES or _in_owning_org(user, dataset)
    return role == PartnershipRole.OWNER or _in_owning_org(user, dataset)


def can_create_dataset(user: Any, partnership: Partnership | None, owner_id: Any) -> bool:
    if partnership is None:
        return is_platform_admin(user)
    role = partnership_role(user, partnership)
    if role in CONTRIBUTOR_ROLES:
        return True
    return role == PartnershipRole.MEMBER and user.organisation_id == owner_id


def can_upload(user: Any, dataset: DataSet) -> bool:
    if dataset.partnership_id is None:
        return is_platform_admin(user)
    if _service_account_of_owner(user, dataset):
        return True
    role = partnership_role(user, dataset.partnership)  # type: ignore[arg-type]
    if role in CONTRIBUTOR_ROLES:
        return True
    return role == PartnershipRole.MEMBER and _in_owning_org(user, dataset)


def can_edit_dataset(user: Any, dataset: DataSet) -> bool:
    return can_upload(user, dataset)


def can_request_clearance(user: Any, dataset: DataSet) -> bool:
    if dataset.partnership_id is None:
        return False
    role = partnership_role(user, dataset.partnership)  # type: ignore[arg-type]
    return role is not None and role in CONTRIBUTOR_ROLES


def can_decide_clearance(user: Any, dataset: DataSet) -> bool:
    if dataset.partnership_id is None:
        return False
    role = partnership_role(user, dataset.partnership)  # type: ignore[arg-type]
    return role is not None and role != PartnershipRole.READER and _in_owning_org(user, dataset)
