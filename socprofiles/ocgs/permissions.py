"""Who may do what with the OCG register and joint operations. Deny by default.

A group, its members and associations link an agency's own nominals (its GAIN holdings),
so only the people of the owning agency see or change them: no other agency, not even a
GAIN coordinator in a ROCU or the NCA. A joint operation is run by its lead agency's
people; the people of each taking-part agency see it and record their own agency's
outcomes, never another's."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Organisation
from socprofiles.accounts.permissions import is_signed_in
from socprofiles.gain import permissions as gain_permissions

from .models import Group, JointOperation


def organisation_of(user: Any) -> Organisation | None:
    """The signed-in person's active organisation, or None."""
    organisation = getattr(user, "organisation", None) if is_signed_in(user) else None
    return organisation if organisation is not None and organisation.is_active else None


def can_keep_register(user: Any, organisation: Organisation) -> bool:
    """The agency's own people keep its register, as they keep its holdings."""
    return gain_permissions.can_manage_holdings(user, organisation)


def can_view_group(user: Any, group: Group) -> bool:
    return can_keep_register(user, group.organisation)


def can_manage_operation(user: Any, operation: JointOperation) -> bool:
    own = organisation_of(user)
    return own is not None and own.pk == operation.lead_organisation_id


def takes_part(user: Any, operation: JointOperation) -> bool:
    own = organisation_of(user)
    return own is not None and operation.participants.filter(organisation=own).exists()


def can_view_operation(user: Any, operation: JointOperation) -> bool:
    return can_manage_operation(user, operation) or takes_part(user, operation)


def can_record_outcome(user: Any, operation: JointOperation, organisation: Organisation) -> bool:
    """Each agency records its own results only, and only if it takes part."""
    own = organisation_of(user)
    return (
        own is not None and own.pk == organisation.pk
        and operation.participants.filter(organisation=own).exists()
    )  # fmt: skip
