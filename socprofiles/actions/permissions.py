"""Who may do what with the action plan. Deny by default.

Every member of the partnership (readers and the PCC's office too) sees the plan, the
dashboards and the disruptions. The partnership's owners and authors manage the plan:
actions, owners, milestones, reviews, imports. A member updates the actions their own
organisation owns (or that name them as owner), and records the disruptions of their own
agency. Readers only read."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Organisation, Partnership, PartnershipRole
from socprofiles.accounts.permissions import CONTRIBUTOR_ROLES, partnership_role

from .models import Action


def _role(user: Any, partnership: Partnership) -> PartnershipRole | None:
    return partnership_role(user, partnership) if partnership.is_active else None


def can_view_plan(user: Any, partnership: Partnership) -> bool:
    return _role(user, partnership) is not None


def can_manage_plan(user: Any, partnership: Partnership) -> bool:
    return _role(user, partnership) in CONTRIBUTOR_ROLES


def owns(user: Any, action: Action) -> bool:
    if action.owner_id is not None and action.owner_id == getattr(user, "pk", None):
        return True
    org = getattr(user, "organisation_id", None)
    return org is not None and action.owner_organisations.filter(pk=org).exists()


def can_update_action(user: Any, action: Action) -> bool:
    role = _role(user, action.partnership)
    if role is None or role == PartnershipRole.READER:
        return False
    return role in CONTRIBUTOR_ROLES or owns(user, action)


def can_record_disruption(user: Any, partnership: Partnership, agency: Organisation) -> bool:
    role = _role(user, partnership)
    if role is None or role == PartnershipRole.READER:
        return False
    return role in CONTRIBUTOR_ROLES or getattr(user, "organisation_id", None) == agency.pk


def can_record_any_disruption(user: Any, partnership: Partnership) -> bool:
    role = _role(user, partnership)
    return role is not None and role != PartnershipRole.READER
