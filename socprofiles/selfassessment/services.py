"""Writes for the self-assessment: a completed assessment's aggregate row, the checks
that keep automated submissions out without tracking anyone, and the districts a
partnership covers.

A submission writes no audit event and no log line: an event would carry a timestamp (and
the platform's audit trail records actors and addresses), which is exactly what the
aggregate row leaves out. The checks use only the respondent's own signed cookie and a
per-minute counter shared by everyone (in the cache), never an address or an identifier."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from socprofiles.accounts.models import Area, Partnership
from socprofiles.audit.services import audit_log
from socprofiles.core import postcodes
from socprofiles.core.exceptions import ServiceError

from . import permissions
from .models import PostcodeDistrict, Result
from .scoring import AnswersError, Model, Segment, default_model
from .selectors import local_authorities_of
from .state import State

MINUTE_KEY = "selfassessment:submissions:{minute}"

# Why a submission was refused. "bot" and "too_fast" are not scored at all; "session_limit"
# and "busy" still show the respondent their advice but do not count them.
BOT, TOO_FAST, SESSION_LIMIT, BUSY = "bot", "too_fast", "session_limit", "busy"


def clean_district(raw: str) -> str:
    """A postcode district such as "DH1" (upper case, no spaces), or "" when none is given.
    A full postcode is refused, not cut down: the respondent learns not to give one."""
    return postcodes.clean_district(
        raw, field="district",
        full_postcode="Enter only the first part of your postcode, like DH1, not your full "
        "postcode",
        not_a_district="Enter the first part of a postcode, like DH1 or DL3, or leave it blank",
    )  # fmt: skip


def _take_minute_slot() -> bool:
    """Count this submission against everyone's per-minute allowance; False if it is spent."""
    key = MINUTE_KEY.format(minute=int(time.time() // 60))
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= settings.SELF_ASSESSMENT_MAX_PER_MINUTE


@dataclass(frozen=True)
class Submission:
    segment: Segment | None
    recorded: bool
    refusal: str = ""


def result_record(
    *, segment: str, model: str, district: str, today: dt.date | None = None
) -> Result:
    """Keep only the aggregate of a scored self-assessment: segment, model, district, date."""
    return Result.objects.create(
        segment=segment, model=model, postcode_district=clean_district(district),
        completed_on=today or timezone.localdate(),
    )  # fmt: skip


def assessment_submit(
    *, state: State, honeypot: str = "", model: Model | None = None
) -> Submission:
    """The final step: refuse what looks automated, score the answers, keep the aggregate
    unless this browser session or the service as a whole has submitted enough for now.
    Updates `state` (the caller writes it back to the cookie)."""
    model = model or default_model()
    if honeypot.strip():
        return Submission(None, recorded=False, refusal=BOT)
    if state.started is None or state.seconds_since_start() < settings.SELF_ASSESSMENT_MIN_SECONDS:
        return Submission(None, recorded=False, refusal=TOO_FAST)
    try:
        scored = model.score(state.answers)
    except AnswersError as error:
        raise ServiceError(f"The answers are not complete: {error}.") from None
    refusal = ""
    if state.submitted >= settings.SELF_ASSESSMENT_MAX_PER_SESSION:
        refusal = SESSION_LIMIT
    elif not _take_minute_slot():
        refusal = BUSY
    segment = scored.segment
    if not refusal:
        result_record(segment=segment.key, model=scored.model, district=state.district or "")
        state.submitted += 1
    state.result = segment.key
    state.clear_answers()
    return Submission(segment, recorded=not refusal, refusal=refusal)


# -- the districts a partnership covers ---------------------------------------------------


def districts_set(
    *, actor: Any, partnership: Partnership, assignments: Iterable[tuple[str, Area | None]]
) -> list[PostcodeDistrict]:
    """Replace the partnership's districts: each district and the local authority (one of
    the partnership's, or none) it is counted in."""
    if actor is not None and not permissions.can_set_districts(actor, partnership):
        raise PermissionDenied
    allowed = {a.pk for a in local_authorities_of(partnership=partnership)}
    cleaned: dict[str, Area | None] = {}
    for raw, authority in assignments:
        try:
            district = clean_district(raw)
        except ServiceError:
            raise ServiceError(f"{raw!r} is not a postcode district like DH1.",
                               field="districts") from None  # fmt: skip
        if not district:
            continue
        if authority is not None and authority.pk not in allowed:
            raise ServiceError("Choose one of the partnership's local authorities.",
                               field="districts")  # fmt: skip
        if district in cleaned and cleaned[district] != authority:
            raise ServiceError(f"{district} is listed under two local authorities.",
                               field="districts")  # fmt: skip
        cleaned[district] = authority
    with transaction.atomic():
        PostcodeDistrict.objects.filter(partnership=partnership).exclude(
            district__in=list(cleaned)
        ).delete()
        for district, authority in cleaned.items():
            PostcodeDistrict.objects.update_or_create(
                partnership=partnership, district=district,
                defaults={"local_authority": authority, "modified_by": actor},
                create_defaults={"local_authority": authority, "created_by": actor,
                                 "modified_by": actor},
            )  # fmt: skip
        audit_log(actor=actor, action="selfassessment.districts_set", target=partnership,
                  partnership=partnership, detail={"districts": sorted(cleaned)})  # fmt: skip
    return list(PostcodeDistrict.objects.filter(partnership=partnership))


def results_exported(*, actor: Any, partnership: Partnership, fmt: str) -> None:
    if actor is not None and not permissions.can_view_results(actor, partnership):
        raise PermissionDenied
    audit_log(actor=actor, action="selfassessment.results_exported", target=partnership,
              partnership=partnership, detail={"format": fmt})  # fmt: skip
