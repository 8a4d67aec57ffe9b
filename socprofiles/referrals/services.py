"""Writes for partner referrals: submit, triage (MoRiLE tactical model), assign an owning
agency and a safeguarding route, close with an outcome; and the audit events of every
view and export. Each checks permission, keeps the rules, owns its transaction and writes
its audit event. `actor=None` is the platform itself (the demo loader, commands).

Audit events never carry a referral's description: they name the referral by its
reference, category and status only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from socprofiles.accounts.models import Area, AreaKind, Organisation, Partnership
from socprofiles.audit.services import audit_log
from socprofiles.core import postcodes
from socprofiles.core.exceptions import ServiceError
from socprofiles.morile.services import tactical_score

from . import permissions
from .models import Category, Outcome, Rating, Referral, Route, Status

# The rating suggested from the tactical model's graded score when the coordinator does not
# choose one: high from 48 (for example substantial physical, psychological and financial
# harm to a highly vulnerable person, with high confidence: 12 x 4 x 1.0), medium from 16,
# low below. See docs/how-to/referrals.md.
HIGH_FROM, MEDIUM_FROM = 48.0, 16.0
MAX_DESCRIPTION = 5000
_ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
PLACE_KINDS = (AreaKind.LSOA, AreaKind.WARD, AreaKind.MSOA, AreaKind.LOCAL_AUTHORITY)


def _audit(actor: Any, action: str, referral: Referral, request: HttpRequest | None = None,
           **detail: Any) -> None:  # fmt: skip
    audit_log(
        actor=actor, action=action, target=referral, partnership=referral.partnership,
        detail={"reference": referral.reference, "category": referral.category,
                "status": referral.status, **detail},
        request=request,
    )  # fmt: skip


def _choice(value: str, choices: Any, field: str, what: str) -> str:
    text = str(value or "").strip()
    for key, label in choices.choices:
        if text.lower() in (str(key).lower(), str(label).lower()):
            return str(key)
    allowed = ", ".join(str(label) for _k, label in choices.choices)
    raise ServiceError(f"Choose a {what}: one of {allowed}.", field=field)


def suggested_rating(graded_score: float) -> str:
    if graded_score >= HIGH_FROM:
        return Rating.HIGH
    if graded_score >= MEDIUM_FROM:
        return Rating.MEDIUM
    return Rating.LOW


def _within(area: Area, root: Area) -> bool:
    hops = 0
    while area is not None and hops < 8:
        if area.pk == root.pk:
            return True
        area, hops = area.parent, hops + 1  # type: ignore[assignment]
    return False


def place_resolve(*, partnership: Partnership, where: str) -> tuple[Area | None, str]:
    """Where the concern is: an LSOA, ward, MSOA or local authority code in the
    partnership's area, or a postcode district. A full postcode is refused: the district
    is enough to count and route a referral, and the description holds any address."""
    text = postcodes.compact(where)
    if not text:
        raise ServiceError("Say where: a postcode district like DH1, or an area code.",
                           field="where")  # fmt: skip
    if _ONS_CODE.match(text):
        area = (
            Area.objects.filter(code=text, kind__in=PLACE_KINDS)
            .select_related("parent__parent__parent")
            .first()
        )
        if area is None or not _within(area, partnership.area):
            raise ServiceError(f"{text} is not an area in the partnership's area.", field="where")
        return area, ""
    district = postcodes.clean_district(
        text, field="where",
        full_postcode="Give only the postcode district (like DH1), not a full postcode; put "
        "any address in the description.",
        not_a_district="Give a postcode district like DH1, or an LSOA, ward or local authority "
        "code like E01012345.",
    )  # fmt: skip
    return None, district


def _next_reference(partnership: Partnership) -> str:
    numbers = [
        int(ref.split("-")[-1])
        for ref in Referral.objects.filter(partnership=partnership).values_list(
            "reference", flat=True
        )
        if ref.split("-")[-1].isdigit()
    ]
    return f"REF-{max(numbers, default=0) + 1:04d}"


def referral_submit(
    *,
    actor: Any,
    partnership: Partnership,
    category: str,
    where: str,
    description: str,
    organisation: Organisation | None = None,
) -> Referral:
    """A partner organisation's referral. A person refers for their own organisation;
    the platform (actor None) names the organisation."""
    if actor is not None:
        if not permissions.can_refer(actor, partnership):
            raise PermissionDenied
        organisation = actor.organisation
    if organisation is None or not permissions.is_member_organisation(partnership, organisation.pk):
        raise ServiceError("Only a member organisation of the partnership refers.",
                           field="organisation")  # fmt: skip
    category = _choice(category, Category, "category", "kind of referral")
    area, district = place_resolve(partnership=partnership, where=where)
    text = description.strip()
    if len(text) < 20:
        raise ServiceError("Describe the concern: what you saw or were told, and why it "
                           "worries you.", field="description")  # fmt: skip
    if len(text) > MAX_DESCRIPTION:
        raise ServiceError(f"Keep the description under {MAX_DESCRIPTION:,} characters.",
                           field="description")  # fmt: skip
    for _attempt in range(3):
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    partnership=partnership, reference=_next_reference(partnership),
                    referring_organisation=organisation, referrer=actor, category=category,
                    area=area, postcode_district=district, description=text,
                    created_by=actor, modified_by=actor,
                )  # fmt: skip
                _audit(actor, "referral.submitted", referral, organisation=organisation.name)
            return referral
        except IntegrityError:  # two referrals took the same number at once: take the next
            continue
    raise ServiceError("The referral could not be numbered; please submit it again.")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def referral_triage(
    *, actor: Any, referral: Referral, answers: Mapping[str, Any], rating: str = "",
    notes: str = "",
) -> Referral:  # fmt: skip
    """Risk and threat: the MoRiLE tactical score, a rating (the coordinator's, or the
    one the score suggests) and notes. Again before closing, if things change."""
    if actor is not None:
        _require(permissions.can_triage(actor, referral))
    if referral.status == Status.CLOSED:
        raise ServiceError("The referral is closed.")
    inputs, outputs, score, model = tactical_score(answers)
    chosen = _choice(rating, Rating, "rating", "rating") if rating else suggested_rating(score)
    with transaction.atomic():
        referral.tactical_answers, referral.tactical_outputs = inputs, outputs
        referral.tactical_score, referral.tactical_model = score, model
        referral.rating, referral.triage_notes = chosen, notes.strip()
        referral.triaged_at, referral.triaged_by = timezone.now(), actor
        if referral.status == Status.SUBMITTED:
            referral.status = Status.TRIAGED
        referral.modified_by = actor
        referral.save()
        _audit(actor, "referral.triaged", referral, model=model, score=score, rating=chosen)
    return referral


def referral_assign(
    *, actor: Any, referral: Referral, owner_agency: Organisation | None, route: str
) -> Referral:
    """The agency that owns the response (a member organisation of the partnership) and
    the safeguarding route. Assigning discloses the referral to that agency."""
    if actor is not None:
        _require(permissions.can_assign(actor, referral))
    if referral.status not in (Status.TRIAGED, Status.ASSIGNED):
        raise ServiceError("Triage the referral before assigning it.")
    if owner_agency is None or not permissions.is_member_organisation(
        referral.partnership, owner_agency.pk
    ):
        raise ServiceError("Choose one of the partnership's member organisations.",
                           field="owner_agency")  # fmt: skip
    route = _choice(route, Route, "route", "safeguarding route")
    with transaction.atomic():
        before = referral.owner_agency.name if referral.owner_agency else ""
        referral.owner_agency, referral.route = owner_agency, route
        referral.assigned_at, referral.status = timezone.now(), Status.ASSIGNED
        referral.modified_by = actor
        referral.save()
        _audit(actor, "referral.assigned", referral, owner_agency=owner_agency.name, route=route,
               before=before)  # fmt: skip
    return referral


def referral_close(
    *, actor: Any, referral: Referral, outcome: str, notes: str = "",
    closed_on: dt.date | None = None,
) -> Referral:  # fmt: skip
    if actor is not None:
        _require(permissions.can_close(actor, referral))
    if referral.status not in (Status.TRIAGED, Status.ASSIGNED):
        raise ServiceError("Triage the referral before closing it." if referral.status
                           == Status.SUBMITTED else "The referral is already closed.")  # fmt: skip
    outcome = _choice(outcome, Outcome, "outcome", "outcome")
    today = timezone.localdate()
    closed_on = closed_on or today
    if closed_on > today:
        raise ServiceError("The closing date cannot be in the future.", field="closed_on")
    with transaction.atomic():
        referral.outcome, referral.outcome_notes = outcome, notes.strip()
        referral.closed_on, referral.status = closed_on, Status.CLOSED
        referral.modified_by = actor
        referral.save()
        _audit(actor, "referral.closed", referral, outcome=outcome, closed_on=str(closed_on))
    return referral


def referral_viewed(*, actor: Any, referral: Referral, request: HttpRequest | None = None,
                    via: str = "page") -> None:  # fmt: skip
    """Every view of a referral's detail is audited: it holds personal information."""
    _require(actor is None or permissions.can_view(actor, referral))
    _audit(actor, "referral.viewed", referral, request=request, via=via)


def referrals_exported(*, actor: Any, partnership: Partnership, rows: int,
                       request: HttpRequest | None = None) -> None:  # fmt: skip
    audit_log(actor=actor, action="referral.list_exported", target=partnership,
              partnership=partnership, detail={"rows": rows}, request=request)  # fmt: skip


def counts_exported(*, actor: Any, partnership: Partnership,
                    request: HttpRequest | None = None) -> None:  # fmt: skip
    if actor is not None and not permissions.can_view_counts(actor, partnership):
        raise PermissionDenied
    audit_log(actor=actor, action="referral.counts_exported", target=partnership,
              partnership=partnership, request=request)  # fmt: skip
