"""Who may do what with the self-assessment. Deny by default.

The questionnaire is public and anonymous: anyone may answer it, signed in or not, and
nothing they answer is tied to them. Its results are aggregates: every member of a
partnership (readers and the PCC's office too) sees its areas' results; the
partnership's owners and authors set which postcode districts it covers."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Partnership
from socprofiles.accounts.permissions import (
    CONTRIBUTOR_ROLES,
    can_view_partnership,
    partnership_role,
)


def can_view_results(user: Any, partnership: Partnership) -> bool:
    return can_view_partnership(user, partnership)


def can_set_districts(user: Any, partnership: Partnership) -> bool:
    return partnership.is_active and partnership_role(user, partnership) in CONTRIBUTOR_ROLES
