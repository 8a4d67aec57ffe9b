"""Who may do what with partner referrals. Deny by default.

- Coordinators are the partnership's owners and authors (the police lead, the chair,
  the analysts): the people who already manage its profile and plan. They see every
  referral in the partnership, triage it, assign it and close it (Op Genga's designated
  coordinators).
- A referrer is a member (not a reader) of the partnership whose organisation is one of
  its member organisations. They refer, and see their own organisation's referrals (so a
  colleague can follow one up): the description and the status, the owning agency and
  the outcome, but not the triage (the MoRiLE scores, the rating, the route, the notes),
  which is the coordinators' and the owning agency's risk assessment.
- The owning agency (a member organisation a referral is assigned to): its members (not
  readers) see that referral in full, triage included, to act on it.
- Anyone else, other partners included, does not see a referral at all (404). Every
  member sees the counts by area and category (no description, no reference)."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Partnership, PartnershipRole
from socprofiles.accounts.permissions import (
    CONTRIBUTOR_ROLES,
    can_view_partnership,
    partnership_role,
)

from .models import Referral, Status


def _role(user: Any, partnership: Partnership) -> PartnershipRole | None:
    return partnership_role(user, partnership) if partnership.is_active else None


def organisation_id(user: Any) -> Any:
    organisation = getattr(user, "organisation", None)
    return organisation.pk if organisation is not None and organisation.is_active else None


def is_coordinator(user: Any, partnership: Partnership) -> bool:
    return _role(user, partnership) in CONTRIBUTOR_ROLES


def is_member_organisation(partnership: Partnership, org_id: Any) -> bool:
    return org_id is not None and (
        org_id == partnership.lead_organisation_id
        or partnership.member_organisations.filter(organisation_id=org_id).exists()
    )


def can_refer(user: Any, partnership: Partnership) -> bool:
    role = _role(user, partnership)
    if role is None or role == PartnershipRole.READER:
        return False
    return is_member_organisation(partnership, organisation_id(user))


def is_acting_member(user: Any, partnership: Partnership) -> bool:
    role = _role(user, partnership)
    return role is not None and role != PartnershipRole.READER


def is_referrers_organisation(user: Any, referral: Referral) -> bool:
    own = organisation_id(user)
    return (
        own is not None and own == referral.referring_organisation_id
        and is_acting_member(user, referral.partnership)
    )  # fmt: skip


def is_owner_agency(user: Any, referral: Referral) -> bool:
    own = organisation_id(user)
    return (
        own is not None and referral.owner_agency_id == own
        and is_acting_member(user, referral.partnership)
    )  # fmt: skip


def can_view(user: Any, referral: Referral) -> bool:
    return (
        is_coordinator(user, referral.partnership)
        or is_referrers_organisation(user, referral)
        or is_owner_agency(user, referral)
    )


def can_view_triage(user: Any, referral: Referral) -> bool:
    return is_coordinator(user, referral.partnership) or is_owner_agency(user, referral)


def can_triage(user: Any, referral: Referral) -> bool:
    return is_coordinator(user, referral.partnership) and referral.status != Status.CLOSED


can_assign = can_triage
can_close = can_triage


def can_view_counts(user: Any, partnership: Partnership) -> bool:
    return can_view_partnership(user, partnership)
