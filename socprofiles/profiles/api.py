"""JSON API for Local Profiles: list and commission, read a profile and its stage, take a
lifecycle step, write a section, decide a clearance, read published versions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from socprofiles.accounts.selectors import partnership_get_for_user

from . import permissions, selectors, services
from .models import COMMISSIONING_FIELDS

router = Router(tags=["Local Profiles"])


class ProfileOut(Schema):
    id: UUID
    title: str
    partnership: str
    stage: str
    area: str
    period_start: str
    period_end: str
    owner: str
    classification: str
    handling_note: str
    review_due_on: dt.date | None
    latest_version: int | None
    commissioning: dict[str, str]
    next_steps: list[str]


class CommissionIn(Schema):
    title: str
    period_start: str
    period_end: str
    classification: str = "OFFICIAL"
    handling_note: str = ""
    assessment: UUID | None = None
    commissioning: dict[str, str] = {}


class TransitionIn(Schema):
    action: str


class SectionIn(Schema):
    narrative: str


class SectionOut(Schema):
    key: str
    title: str
    narrative: str


class ClearanceIn(Schema):
    cleared: bool
    note: str = ""


class ClearanceOut(Schema):
    id: UUID
    organisation: str
    status: str
    sections: list[str]
    note: str


class VersionSummaryOut(Schema):
    number: int
    classification: str
    owner_name: str
    published_at: dt.datetime


class VersionOut(VersionSummaryOut):
    sections: list[dict[str, Any]]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _out(user: Any, profile: Any) -> dict[str, Any]:
    latest = profile.latest_version if permissions.can_view_published(user, profile) else None
    draft = permissions.can_view_draft(user, profile)
    return {
        "id": profile.pk,
        "title": profile.title,
        "partnership": profile.partnership.slug,
        "stage": profile.stage,
        "area": profile.area.name,
        "period_start": profile.period_start,
        "period_end": profile.period_end,
        "owner": profile.owner.display_name,
        "classification": profile.classification,
        "handling_note": profile.handling_note,
        "review_due_on": profile.review_due_on,
        "latest_version": latest.number if latest else None,
        "commissioning": {k: getattr(profile, k) for k, _l, _h in COMMISSIONING_FIELDS}
        if draft
        else {},
        "next_steps": [t.action for t in services.available_transitions(user=user, profile=profile)]
        if draft
        else [],
    }


@router.get("/partnerships/{slug}/profiles", response=list[ProfileOut], summary="Profiles")
def profile_list(request: HttpRequest, slug: str) -> Any:
    user = _user(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    return [
        _out(user, p)
        for p in selectors.profiles_for_partnership(user=user, partnership=partnership)
    ]


@router.post(
    "/partnerships/{slug}/profiles",
    response={201: ProfileOut, 400: dict, 403: dict},
    summary="Commission a profile (owners)",
)
def profile_commission(request: HttpRequest, slug: str, payload: CommissionIn) -> Any:
    from socprofiles.morile.models import Assessment

    user = _user(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    assessment = None
    if payload.assessment:
        assessment = Assessment.objects.filter(
            partnership=partnership, pk=payload.assessment
        ).first()
        if assessment is None:
            raise Http404
    unknown = set(payload.commissioning) - {k for k, _l, _h in COMMISSIONING_FIELDS}
    if unknown:
        from socprofiles.core.exceptions import ServiceError

        raise ServiceError(
            f"Unknown commissioning field(s): {', '.join(sorted(unknown))}.", field="commissioning"
        )
    profile = services.profile_commission(
        actor=user, partnership=partnership, title=payload.title,
        period_start=payload.period_start, period_end=payload.period_end,
        classification=payload.classification, handling_note=payload.handling_note,
        assessment=assessment, commissioning=payload.commissioning,
    )  # fmt: skip
    return Status(201, _out(user, profile))


@router.get("/profiles/{profile_id}", response=ProfileOut)
def profile_detail(request: HttpRequest, profile_id: UUID) -> Any:
    user = _user(request)
    return _out(user, selectors.profile_get_for_user(user=user, pk=profile_id))


@router.post(
    "/profiles/{profile_id}/transitions",
    response={200: ProfileOut, 400: dict, 403: dict},
    summary="Take a lifecycle step (refused with a reason when not allowed now)",
)
def profile_transition(request: HttpRequest, profile_id: UUID, payload: TransitionIn) -> Any:
    user = _user(request)
    profile = selectors.profile_get_for_user(user=user, pk=profile_id)
    if not permissions.can_view_draft(user, profile):
        raise PermissionDenied
    profile = services.profile_transition(actor=user, profile=profile, action=payload.action)
    return _out(user, profile)


@router.put(
    "/profiles/{profile_id}/sections/{key}",
    response={200: SectionOut, 400: dict, 403: dict},
    summary="Write a section's narrative (sanitised)",
)
def section_put(request: HttpRequest, profile_id: UUID, key: str, payload: SectionIn) -> Any:
    user = _user(request)
    profile = selectors.profile_get_for_user(user=user, pk=profile_id)
    section = profile.sections.filter(key=key).first()
    if section is None:
        raise Http404
    if not permissions.can_view_draft(user, profile):
        raise PermissionDenied
    return services.section_update(actor=user, section=section, narrative=payload.narrative)


@router.get(
    "/profiles/{profile_id}/clearances",
    response={200: list[ClearanceOut], 403: dict},
    summary="Partners' clearance decisions",
)
def clearance_list(request: HttpRequest, profile_id: UUID) -> Any:
    user = _user(request)
    profile = selectors.profile_get_for_user(user=user, pk=profile_id)
    if not permissions.can_view_draft(user, profile):
        raise PermissionDenied
    return [
        {"id": c.pk, "organisation": c.organisation.name, "status": c.status,
         "sections": c.sections, "note": c.note}
        for c in profile.clearances.select_related("organisation")
    ]  # fmt: skip


@router.put(
    "/profiles/{profile_id}/clearances/{clearance_id}",
    response={200: ClearanceOut, 400: dict, 403: dict},
    summary="Your organisation's clearance decision",
)
def clearance_put(
    request: HttpRequest, profile_id: UUID, clearance_id: UUID, payload: ClearanceIn
) -> Any:
    user = _user(request)
    profile = selectors.profile_get_for_user(user=user, pk=profile_id)
    clearance = profile.clearances.select_related("organisation").filter(pk=clearance_id).first()
    if clearance is None:
        raise Http404
    c = services.clearance_decide(
        actor=user, clearance=clearance, cleared=payload.cleared, note=payload.note
    )
    return {"id": c.pk, "organisation": c.organisation.name, "status": c.status,
            "sections": c.sections, "note": c.note}  # fmt: skip


@router.get("/profiles/{profile_id}/versions", response=list[VersionSummaryOut])
def version_list(request: HttpRequest, profile_id: UUID) -> Any:
    user = _user(request)
    profile = selectors.profile_get_for_user(user=user, pk=profile_id)
    if not permissions.can_view_published(user, profile):
        return []
    return list(selectors.versions_of(profile=profile))


@router.get("/profiles/{profile_id}/versions/{number}", response=VersionOut)
def version_detail(request: HttpRequest, profile_id: UUID, number: int) -> Any:
    user = _user(request)
    profile = selectors.profile_get_for_user(user=user, pk=profile_id)
    version = selectors.version_get_for_user(user=user, profile=profile, number=number)
    services.profile_rendered(actor=user, profile=profile, version=version, fmt="api")
    return {
        "number": version.number,
        "classification": version.classification,
        "owner_name": version.owner_name,
        "published_at": version.published_at,
        "sections": [
            {k: s[k] for k in ("key", "title", "narrative", "blocks", "sources")}
            for s in version.content["sections"]
        ],
    }
