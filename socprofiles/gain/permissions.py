"""Who may do what in GAIN. Deny by default. An agency's people manage and see only their
own agency's holdings and decide its disclosures; coordinators (people of a regional
organised crime unit or the NCA) ask hit/no-hit questions and request disclosures."""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import Organisation, OrganisationKind
from socprofiles.accounts.permissions import is_signed_in

COORDINATING_KINDS = {OrganisationKind.ROCU, OrganisationKind.NCA}


def _organisation(user: Any) -> Organisation | None:
    return getattr(user, "organisation", None) if is_signed_in(user) else None


def can_manage_holdings(user: Any, organisation: Organisation) -> bool:
    own = _organisation(user)
    return own is not None and own.pk == organisation.pk and own.is_active


def is_coordinator(user: Any) -> bool:
    own = _organisation(user)
    return own is not None and own.kind in COORDINATING_KINDS and own.is_active


def may_use_gain(user: Any) -> bool:
    """A signed-in person of an active agency (its own holdings and disclosures) or a
    coordinator; everyone else gets 404 from every GAIN page and operation."""
    own = _organisation(user)
    return own is not None and (can_manage_holdings(user, own) or is_coordinator(user))


def can_decide_disclosure(user: Any, organisation: Organisation) -> bool:
    return can_manage_holdings(user, organisation)


# Agencies that keep OCG registers and prioritise nominals (Op Liberal) with the number of
# agencies holding each: police forces and the coordinating units.
COUNT_KINDS = {OrganisationKind.POLICE_FORCE, *COORDINATING_KINDS}


def sees_holding_counts(user: Any) -> bool:
    own = _organisation(user)
    return own is not None and own.kind in COUNT_KINDS and own.is_active
