"""Reads for accounts, organisations, areas and partnerships. The *_get_for_user helpers
are the one way to load an object for a person: anything they may not see is a 404, so a
record's existence never leaks (DESIGN habit 2)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404

from . import permissions
from .models import (
    Area,
    Organisation,
    Partnership,
    PartnershipMembership,
    PartnershipOrganisation,
    PartnershipRole,
    User,
)


def partnerships_for_user(*, user: Any) -> QuerySet[Partnership]:
    if not permissions.is_active_user(user):
        return Partnership.objects.none()
    return (
        Partnership.objects.filter(memberships__user=user, is_active=True)
        .select_related("area", "lead_organisation")
        .order_by("name")
    )


def partnership_get_for_user(*, user: Any, slug: str) -> Partnership:
    partnership = (
        Partnership.objects.select_related(
            "area",
            "lead_organisation",
            "police_lead",
            "pcc_lead",
            "police_contact",
            "council_contact",
        )
        .filter(slug=slug)
        .first()
    )
    if partnership is None or not permissions.can_view_partnership(user, partnership):
        raise Http404("No such partnership.")
    return partnership


ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(PartnershipRole)),
    default=Value(len(PartnershipRole)),
)


def memberships_for_partnership(*, partnership: Partnership) -> QuerySet[PartnershipMembership]:
    """Owners first, then authors, members and readers; by name within each."""
    return (
        PartnershipMembership.objects.filter(partnership=partnership)
        .select_related("user", "user__organisation")
        .order_by(ROLE_ORDER, "user__full_name", "user__username")
    )


def membership_get_for_user(
    *, user: Any, partnership: Partnership, pk: UUID | str
) -> PartnershipMembership:
    membership = (
        PartnershipMembership.objects.filter(partnership=partnership, pk=pk)
        .select_related("user")
        .first()
    )
    if membership is None or not permissions.can_view_members(user, partnership):
        raise Http404("No such membership.")
    return membership


def partnership_organisations(*, partnership: Partnership) -> QuerySet[PartnershipOrganisation]:
    return PartnershipOrganisation.objects.filter(partnership=partnership).select_related(
        "organisation"
    )


def member_organisations(*, partnership: Partnership) -> list[Organisation]:
    """The partnership's member organisations (its lead among them), by name."""
    found = list(
        Organisation.objects.filter(partnership_links__partnership=partnership).order_by("name")
    )
    lead = partnership.lead_organisation
    if lead is not None and lead not in found:
        found.insert(0, lead)
    return found


def users_eligible_for_partnership(*, partnership: Partnership) -> QuerySet[User]:
    """People an owner may add: active, interactive accounts in the partnership's member
    organisations who are not members yet."""
    return (
        User.objects.filter(
            is_active=True,
            is_service_account=False,
            organisation__partnership_links__partnership=partnership,
        )
        .exclude(memberships__partnership=partnership)
        .select_related("organisation")
        .order_by("full_name", "username")
    )


def organisations_list(*, kind: str = "", search: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True).select_related("area")
    if kind:
        organisations = organisations.filter(kind=kind)
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(short_name__icontains=search) | Q(code__iexact=search)
        )
    return organisations.order_by("name")


def organisation_get_for_user(*, user: Any, slug: str) -> Organisation:
    organisation = Organisation.objects.select_related("area").filter(slug=slug).first()
    if organisation is None or not permissions.can_view_directory(user):
        raise Http404("No such organisation.")
    return organisation


def organisation_get_for_user_by_id(*, user: Any, pk: UUID) -> Organisation:
    organisation = Organisation.objects.select_related("area").filter(pk=pk).first()
    if organisation is None or not permissions.can_view_directory(user):
        raise Http404("No such organisation.")
    return organisation


def organisation_partnerships_for_user(
    *, user: Any, organisation: Organisation
) -> QuerySet[Partnership]:
    """Only partnerships the viewer belongs to: membership of others is not theirs to see."""
    return partnerships_for_user(user=user).filter(member_organisations__organisation=organisation)


def areas_list(*, kind: str = "", parent: UUID | None = None, search: str = "") -> QuerySet[Area]:
    areas = Area.objects.select_related("parent")
    if kind:
        areas = areas.filter(kind=kind)
    if parent:
        areas = areas.filter(parent_id=parent)
    if search:
        areas = areas.filter(Q(name__icontains=search) | Q(code__iexact=search))
    return areas.order_by("kind", "name")


def area_get_for_user(*, user: Any, pk: UUID | str) -> Area:
    area = Area.objects.select_related("parent").filter(pk=pk).first()
    if area is None or not permissions.can_view_directory(user):
        raise Http404("No such area.")
    return area


def area_children(*, area: Area) -> QuerySet[Area]:
    return area.children.order_by("kind", "name")


def area_kind_counts(*, area: Area) -> list[dict[str, Any]]:
    return list(area.children.values("kind").annotate(n=Count("id")).order_by("kind"))
