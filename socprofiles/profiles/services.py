"""Writes for Local Profiles. Each checks permission, guards the stage, owns its
transaction and writes its audit event (DESIGN habit 1, 7).

The lifecycle (guide 4.25-4.54):

    commissioning -> producing -> consultation -> published -> delivering -> review due
                         ^             |                           |              |
                         +-------------+ (changes needed)          +-- start review (a new
                         +---------------------------------------------- draft) --+

A transition not in TRANSITIONS is refused with a message saying what can happen next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from socprofiles.accounts.models import Area, Organisation, Partnership, User
from socprofiles.audit.services import audit_log
from socprofiles.core.classification import classification_parse
from socprofiles.core.exceptions import ServiceError
from socprofiles.core.richtext import sanitise

from . import permissions, selectors
from .models import (
    COMMISSIONING_FIELDS,
    ClearanceStatus,
    Profile,
    ProfileClearance,
    ProfileVersion,
    Recommendation,
    Section,
    Stage,
    Strand,
)
from .sections import SECTIONS

REVIEW_MONTHS = 12


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[Stage, ...]
    target: Stage


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("start_production", "Start production", (Stage.COMMISSIONING,),
                   Stage.PRODUCING),
        Transition("send_to_consultation", "Send to partners for clearance", (Stage.PRODUCING,),
                   Stage.CONSULTATION),
        Transition("return_to_production", "Return to production for changes",
                   (Stage.CONSULTATION,), Stage.PRODUCING),
        Transition("publish", "Publish", (Stage.CONSULTATION,), Stage.PUBLISHED),
        Transition("start_delivery", "Start delivery of the action plan", (Stage.PUBLISHED,),
                   Stage.DELIVERING),
        Transition("mark_review_due", "Mark the review as due", (Stage.DELIVERING,),
                   Stage.REVIEW_DUE),
        Transition("start_review", "Start the review (a new draft)",
                   (Stage.PUBLISHED, Stage.DELIVERING, Stage.REVIEW_DUE), Stage.PRODUCING),
    )
}  # fmt: skip


def _audit(actor: Any, action: str, profile: Profile, **detail: Any) -> None:
    audit_log(
        actor=actor,
        action=action,
        target=profile,
        partnership=profile.partnership,
        detail={"profile": str(profile.pk), **detail},
    )


def _months(value: str, field: str) -> str:
    from socprofiles.analysis.engine.period import Period, PeriodError

    try:
        Period(value, value)
    except PeriodError:
        raise ServiceError(
            f"Give the month as YYYY-MM, like 2022-09 (you gave {value!r}).", field=field
        ) from None
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def profile_commission(
    *,
    actor: Any,
    partnership: Partnership,
    title: str,
    period_start: str,
    period_end: str,
    area: Area | None = None,
    owner: User | None = None,
    assessment: Any = None,
    classification: str = "OFFICIAL",
    handling_note: str = "",
    commissioning: Mapping[str, str] | None = None,
    publish_by: dt.date | None = None,
) -> Profile:
    """Commission a profile: its record (guide 4.25) and a draft with every section."""
    if actor is not None and not permissions.can_commission(actor, partnership):
        raise PermissionDenied
    if not title.strip():
        raise ServiceError("Give the profile a title, like “Local Profile 2027”.", field="title")
    start, end = _months(period_start, "period_start"), _months(period_end, "period_end")
    if start > end:
        raise ServiceError("The period must start before it ends.", field="period_start")
    marking = classification_parse(classification, handling_note=handling_note)
    owner = owner or partnership.police_lead or actor
    if owner is None:
        raise ServiceError("Name the profile's owner (the partnership's police lead).")
    if assessment is not None and assessment.partnership_id != partnership.pk:
        raise ServiceError("Choose a MoRiLE assessment of this partnership.", field="assessment")
    fields = {k: (commissioning or {}).get(k, "").strip() for k, _l, _h in COMMISSIONING_FIELDS}
    with transaction.atomic():
        profile = Profile.objects.create(
            partnership=partnership,
            title=title.strip(),
            area=area or partnership.area,
            period_start=start,
            period_end=end,
            owner=owner,
            assessment=assessment,
            classification=marking.classification,
            handling_note=marking.handling_note,
            publish_by=publish_by,
            created_by=actor,
            modified_by=actor,
            **fields,
        )
        Section.objects.bulk_create(
            Section(profile=profile, key=spec.key, order=i, title=spec.title, created_by=actor)
            for i, spec in enumerate(SECTIONS)
        )
        _audit(
            actor, "profile.commissioned", profile, title=profile.title, period=f"{start}..{end}"
        )
    return profile


def profile_update_commissioning(
    *,
    actor: Any,
    profile: Profile,
    values: Mapping[str, Any],
) -> Profile:
    """Change the commissioning record and the profile's parameters while it is being
    commissioned or produced."""
    if actor is not None and not permissions.can_edit_commissioning(actor, profile):
        raise PermissionDenied
    _require_editable(profile)
    changed = []
    for key, _label, _hint in COMMISSIONING_FIELDS:
        if key in values and (values[key] or "").strip() != getattr(profile, key):
            setattr(profile, key, (values[key] or "").strip())
            changed.append(key)
    for key in ("period_start", "period_end"):
        if key in values and values[key] != getattr(profile, key):
            setattr(profile, key, _months(values[key], key))
            changed.append(key)
    if profile.period_start > profile.period_end:
        raise ServiceError("The period must start before it ends.", field="period_start")
    if "classification" in values or "handling_note" in values:
        marking = classification_parse(
            values.get("classification", profile.classification),
            handling_note=values.get("handling_note", profile.handling_note),
        )
        if (marking.classification, marking.handling_note) != (
            profile.classification,
            profile.handling_note,
        ):
            profile.classification = marking.classification
            profile.handling_note = marking.handling_note
            changed.append("classification")
    for key in ("title", "publish_by", "assessment"):
        if key in values and values[key] != getattr(profile, key):
            if key == "title" and not str(values[key]).strip():
                raise ServiceError("The title cannot be empty.", field="title")
            chosen = values[key]
            if (
                key == "assessment"
                and chosen is not None
                and (chosen.partnership_id != profile.partnership_id)
            ):
                raise ServiceError("Choose an assessment of this partnership.", field=key)
            setattr(profile, key, values[key])
            changed.append(key)
    if not changed:
        return profile
    with transaction.atomic():
        profile.modified_by = actor
        profile.save()
        _audit(actor, "profile.commissioning_updated", profile, fields=changed)
    return profile


def _require_editable(profile: Profile) -> None:
    if profile.stage not in permissions.EDITABLE:
        raise ServiceError(
            f"The profile is in {profile.get_stage_display().lower()}: it can be changed only "
            "while it is being commissioned or produced. Start a review to make a new draft."
        )


def section_update(
    *,
    actor: Any,
    section: Section,
    narrative: str,
    extra_sources: list[Any] | None = None,
    classification: str | None = None,
    handling_note: str = "",
) -> Section:
    profile = section.profile
    if actor is not None and not permissions.can_edit(actor, profile):
        raise PermissionDenied
    _require_editable(profile)
    clean = sanitise(narrative)
    if classification is not None:
        marking = classification_parse(classification, handling_note=handling_note)
        section.classification = marking.classification
        section.handling_note = marking.handling_note
    with transaction.atomic():
        section.narrative = clean
        section.modified_by = actor
        section.save(
            update_fields=["narrative", "classification", "handling_note", "modified_by",
                           "modified_at"]
        )  # fmt: skip
        if extra_sources is not None:
            for dataset in extra_sources:
                if dataset.partnership_id not in (None, profile.partnership_id):
                    raise ServiceError("A source must be a data set of this partnership.")
            section.extra_sources.set(extra_sources)
        _audit(
            actor, "profile.section_updated", profile, section=section.key,
            characters=len(clean), sources=len(extra_sources or []),
            classification=section.classification,
        )  # fmt: skip
    return section


def recommendations_set(
    *, actor: Any, profile: Profile, by_strand: Mapping[str, list[str]]
) -> list[Recommendation]:
    """Replace the recommendations with these, strand by strand (one text each)."""
    if actor is not None and not permissions.can_edit(actor, profile):
        raise PermissionDenied
    _require_editable(profile)
    unknown = set(by_strand) - set(Strand.values)
    if unknown:
        raise ServiceError(
            f"{', '.join(sorted(unknown))} is not a 4P strand: use pursue, prevent, protect "
            "or prepare.",
            field="strand",
        )
    made = []
    with transaction.atomic():
        profile.recommendations.all().delete()
        for strand in Strand.values:
            for i, text in enumerate(t.strip() for t in by_strand.get(strand, [])):
                if text:
                    made.append(
                        Recommendation.objects.create(
                            profile=profile, strand=strand, text=text, order=i, created_by=actor
                        )
                    )
        _audit(actor, "profile.recommendations_set", profile, count=len(made))
    return made


def _refuse(profile: Profile, transition: Transition) -> ServiceError:
    possible = [t.label.lower() for t in TRANSITIONS.values() if profile.stage in t.sources]
    return ServiceError(
        f"“{transition.label}” is not possible while the profile is in "
        f"{profile.get_stage_display().lower()}: it must be in "
        f"{' or '.join(s.label.lower() for s in transition.sources)}. "
        f"From here you can: {', '.join(possible) or 'nothing'}."
    )


def available_transitions(*, user: Any, profile: Profile) -> list[Transition]:
    return [
        t
        for t in TRANSITIONS.values()
        if profile.stage in t.sources and permissions.can_transition(user, profile, t.action)
    ]


def profile_transition(
    *, actor: Any, profile: Profile, action: str, today: dt.date | None = None
) -> Profile:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ServiceError(f"{action!r} is not a step in a profile's lifecycle.")
    if actor is not None and not permissions.can_transition(actor, profile, action):
        raise PermissionDenied
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        if profile.stage not in transition.sources:
            raise _refuse(profile, transition)
        before = profile.stage
        detail: dict[str, Any] = {}
        today = today or timezone.localdate()
        if action == "start_production":
            missing = [
                label for key, label, _h in COMMISSIONING_FIELDS if not getattr(profile, key)
            ]
            if missing:
                raise ServiceError(
                    "Complete the commissioning record first (guide 4.25): "
                    + "; ".join(missing)
                    + "."
                )
        elif action == "send_to_consultation":
            detail["consulted"] = _open_consultation(actor, profile)
        elif action == "return_to_production":
            profile.clearances.all().delete()
            profile.override_reason, profile.override_by, profile.override_at = "", None, None
        elif action == "publish":
            waiting = list(
                profile.clearances.exclude(status=ClearanceStatus.CLEARED).select_related(
                    "organisation"
                )
            )
            if waiting and not profile.override_reason:
                raise ServiceError(
                    "Publication needs every partner's clearance, or an override with a "
                    "reason from the owner. Still to clear: "
                    + "; ".join(
                        f"{c.organisation.name} ({c.get_status_display().lower()})" for c in waiting
                    )
                    + "."
                )
            version = _publish(actor, profile)
            detail.update({"version": version.number, "override": bool(waiting)})
        elif action == "start_delivery":
            profile.delivered_on = today
            profile.review_due_on = add_months(today, REVIEW_MONTHS)
            detail["review_due_on"] = profile.review_due_on.isoformat()
        elif action == "start_review":
            profile.clearances.all().delete()
            profile.override_reason, profile.override_by, profile.override_at = "", None, None
        profile.stage = transition.target
        profile.modified_by = actor
        profile.save()
        _audit(actor, f"profile.{action}", profile, before=before, after=profile.stage, **detail)
    return profile


def _open_consultation(actor: Any, profile: Profile) -> int:
    content = selectors.draft_content(actor=actor, profile=profile)
    if not any(s["narrative"] or s["blocks"] for s in content["sections"]):
        raise ServiceError("The draft is empty: write or generate some content first.")
    summary = next(s for s in content["sections"] if s["key"] == "summary")
    if not summary["narrative"].strip():
        raise ServiceError("Write the summary before sending the profile for clearance.")
    consulted = selectors.consulted_organisations(content=content)
    profile.clearances.all().delete()
    for org_id, entry in consulted.items():
        clearance = ProfileClearance.objects.create(
            profile=profile,
            organisation=Organisation.objects.get(pk=org_id),
            sections=entry["sections"],
            datasets=entry["datasets"],
            created_by=actor,
        )
        audit_log(
            actor=actor,
            action="profile.clearance_requested",
            target=clearance,
            partnership=profile.partnership,
            detail={
                "profile": str(profile.pk),
                "organisation": clearance.organisation.name,
                "sections": entry["sections"],
            },
        )
    return len(consulted)


def _publish(actor: Any, profile: Profile) -> ProfileVersion:
    content = selectors.draft_content(actor=actor, profile=profile)
    number = (
        profile.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    now = timezone.now()
    content["version"] = number
    content["published_at"] = now.isoformat()
    content["clearances"] = [
        {"organisation": c.organisation.name, "status": c.get_status_display(),
         "note": c.note, "decided_by": c.decided_by.display_name if c.decided_by else ""}
        for c in profile.clearances.select_related("organisation", "decided_by")
    ]  # fmt: skip
    content["override_reason"] = profile.override_reason
    return ProfileVersion.objects.create(
        profile=profile,
        number=number,
        classification=content["classification"],
        handling_note=content["handling_note"],
        owner_name=profile.owner.display_name,
        published_by=actor,
        published_at=now,
        content=content,
        override_reason=profile.override_reason,
    )


def clearance_decide(
    *, actor: Any, clearance: ProfileClearance, cleared: bool, note: str = ""
) -> ProfileClearance:
    if actor is not None and not permissions.can_decide_clearance(actor, clearance):
        raise PermissionDenied
    if not cleared and not note.strip():
        raise ServiceError(
            "Say why the data cannot be published, so the authors can change the draft.",
            field="note",
        )
    with transaction.atomic():
        clearance.status = ClearanceStatus.CLEARED if cleared else ClearanceStatus.REFUSED
        clearance.note = note.strip()
        clearance.decided_by = actor
        clearance.decided_at = timezone.now()
        clearance.save()
        audit_log(
            actor=actor,
            action="profile.clearance_decided",
            target=clearance,
            partnership=clearance.profile.partnership,
            detail={
                "profile": str(clearance.profile_id),
                "status": clearance.status,
                "organisation": clearance.organisation.name,
            },
        )
    return clearance


def clearance_override(*, actor: Any, profile: Profile, reason: str) -> Profile:
    """The owner's decision to publish without every clearance, with the reason."""
    if actor is not None and not permissions.can_override(actor, profile):
        raise PermissionDenied
    if profile.stage != Stage.CONSULTATION:
        raise ServiceError("An override is recorded during consultation only.")
    if len(reason.strip()) < 10:
        raise ServiceError(
            "Give the reason for publishing without every partner's clearance.", field="reason"
        )
    with transaction.atomic():
        profile.override_reason = reason.strip()
        profile.override_by = actor
        profile.override_at = timezone.now()
        profile.save(update_fields=["override_reason", "override_by", "override_at"])
        waiting = [
            c.organisation.name
            for c in profile.clearances.exclude(status=ClearanceStatus.CLEARED).select_related(
                "organisation"
            )
        ]
        _audit(actor, "profile.clearance_override", profile, reason=profile.override_reason,
               without=waiting)  # fmt: skip
    return profile


def profile_rendered(
    *, actor: Any, profile: Profile, version: ProfileVersion | None, fmt: str
) -> None:
    """Record that a person read the document in the page ("page"), through the API
    ("api") or downloaded a copy (guide 4.45: know who has seen it and who holds copies)."""
    action = "profile.viewed" if fmt in ("page", "api") else "profile.downloaded"
    _audit(
        actor, action, profile, format=fmt,
        version=version.number if version else "draft",
    )  # fmt: skip


def review_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """The scheduled task's work: profiles whose review date has come are marked review
    due, and their owners reminded by e-mail, once a week while the review is overdue."""
    from django.conf import settings
    from django.core.mail import send_mail

    today = today or timezone.localdate()
    marked = reminded = 0
    for profile in selectors.profiles_needing_review(today=today):
        with transaction.atomic():
            locked = Profile.objects.select_for_update().get(pk=profile.pk)
            if locked.stage == Stage.DELIVERING:
                locked.stage = Stage.REVIEW_DUE
                locked.save(update_fields=["stage", "modified_at"])
                _audit(None, "profile.mark_review_due", locked, before=Stage.DELIVERING,
                       after=Stage.REVIEW_DUE, by="scheduled task")  # fmt: skip
                marked += 1
            last = locked.last_reminded_on
            if last is not None and (today - last).days < 7:
                continue
            owner = locked.owner
            if owner.email:
                send_mail(
                    subject=f"Review due: {locked.title}",
                    message=(
                        f"The Local Profile “{locked.title}” of {locked.partnership.name} was "
                        f"due for review on {locked.review_due_on:%d %B %Y}. The guide asks for "
                        "a review within 12 months of the previous delivery. Start the review "
                        "from the profile's page."
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[owner.email],
                )
            locked.last_reminded_on = today
            locked.save(update_fields=["last_reminded_on"])
            _audit(None, "profile.review_reminder_sent", locked, to=owner.username)
            reminded += 1
    return {"marked_review_due": marked, "reminded": reminded}
