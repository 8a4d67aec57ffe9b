"""JSON API for organisations, areas, partnerships and memberships. Same selectors,
services and permission rules as the pages."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from socprofiles.core.exceptions import ServiceError
from socprofiles.core.pagination import BoundedLimitOffsetPagination

from . import selectors, services
from .models import AreaKind, OrganisationKind, PartnershipRole, User

router = Router(tags=["Partnerships and directories"])


class AreaOut(Schema):
    id: UUID
    name: str
    kind: AreaKind
    code: str
    parent_id: UUID | None


class OrganisationOut(Schema):
    id: UUID
    name: str
    short_name: str
    slug: str
    kind: OrganisationKind
    kind_label: str = Field(..., alias="get_kind_display")
    code: str
    website: str
    area_id: UUID | None


class PersonOut(Schema):
    id: UUID
    username: str
    full_name: str
    organisation: str | None

    @staticmethod
    def resolve_organisation(obj: User) -> str | None:
        return obj.organisation.name if obj.organisation else None


class MeOut(PersonOut):
    vetting_level: str
    is_service_account: bool


class MembershipOut(Schema):
    id: UUID
    role: PartnershipRole
    user: PersonOut


class MembershipIn(Schema):
    username: str
    role: PartnershipRole


class MembershipPatch(Schema):
    role: PartnershipRole


class PartnershipOut(Schema):
    id: UUID
    name: str
    slug: str
    description: str
    area: AreaOut
    lead_organisation: OrganisationOut
    police_lead: PersonOut | None
    pcc_lead: PersonOut | None
    police_contact: PersonOut | None
    council_contact: PersonOut | None


class ErrorOut(Schema):
    detail: str
    field: str | None = None


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _membership(request: HttpRequest, slug: str, membership_id: UUID) -> tuple[Any, Any]:
    actor = _user(request)
    partnership = selectors.partnership_get_for_user(user=actor, slug=slug)
    return actor, selectors.membership_get_for_user(
        user=actor, partnership=partnership, pk=membership_id
    )


@router.get("/me", response=MeOut, summary="Who the credentials belong to")
def me(request: HttpRequest) -> Any:
    return _user(request)


@router.get("/organisations", response=list[OrganisationOut], summary="List organisations")
@paginate(BoundedLimitOffsetPagination)
def organisation_list(
    request: HttpRequest, kind: OrganisationKind | None = None, q: str = ""
) -> Any:
    return selectors.organisations_list(kind=kind or "", search=q)


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_detail(request: HttpRequest, organisation_id: UUID) -> Any:
    return selectors.organisation_get_for_user_by_id(user=_user(request), pk=organisation_id)


@router.get("/areas", response=list[AreaOut], summary="List areas")
@paginate(BoundedLimitOffsetPagination)
def area_list(
    request: HttpRequest,
    kind: AreaKind | None = None,
    parent: UUID | None = None,
    q: str = "",
) -> Any:
    return selectors.areas_list(kind=kind or "", parent=parent, search=q)


@router.get("/areas/{area_id}", response=AreaOut)
def area_detail(request: HttpRequest, area_id: UUID) -> Any:
    return selectors.area_get_for_user(user=_user(request), pk=area_id)


@router.get("/partnerships", response=list[PartnershipOut], summary="Your partnerships")
def partnership_list(request: HttpRequest) -> Any:
    return selectors.partnerships_for_user(user=_user(request)).select_related(
        "police_lead__organisation",
        "pcc_lead__organisation",
        "police_contact__organisation",
        "council_contact__organisation",
    )


@router.get("/partnerships/{slug}", response=PartnershipOut)
def partnership_detail(request: HttpRequest, slug: str) -> Any:
    return selectors.partnership_get_for_user(user=_user(request), slug=slug)


@router.get("/partnerships/{slug}/memberships", response=list[MembershipOut])
def membership_list(request: HttpRequest, slug: str) -> Any:
    partnership = selectors.partnership_get_for_user(user=_user(request), slug=slug)
    return selectors.memberships_for_partnership(partnership=partnership)


@router.post(
    "/partnerships/{slug}/memberships",
    response={201: MembershipOut, 400: ErrorOut, 403: ErrorOut},
    summary="Add a member (owners only)",
)
def membership_create(request: HttpRequest, slug: str, payload: MembershipIn) -> Any:
    actor = _user(request)
    partnership = selectors.partnership_get_for_user(user=actor, slug=slug)
    target = User.objects.filter(username=payload.username, is_active=True).first()
    if target is None:
        raise ServiceError(
            f"There is no active user called {payload.username!r}.", field="username"
        )
    membership = services.membership_add(
        actor=actor, partnership=partnership, user=target, role=payload.role, request=request
    )
    return Status(201, membership)


@router.patch(
    "/partnerships/{slug}/memberships/{membership_id}",
    response={200: MembershipOut, 400: ErrorOut, 403: ErrorOut},
    summary="Change a member's role (owners only)",
)
def membership_update(
    request: HttpRequest, slug: str, membership_id: UUID, payload: MembershipPatch
) -> Any:
    actor, membership = _membership(request, slug, membership_id)
    return services.membership_change_role(
        actor=actor, membership=membership, role=payload.role, request=request
    )


@router.delete(
    "/partnerships/{slug}/memberships/{membership_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut},
    summary="Remove a member (owners only)",
)
def membership_delete(request: HttpRequest, slug: str, membership_id: UUID) -> Any:
    actor, membership = _membership(request, slug, membership_id)
    services.membership_remove(actor=actor, membership=membership, request=request)
    return Status(204, None)
