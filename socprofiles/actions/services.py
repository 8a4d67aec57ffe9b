"""Writes for the action plan. Each checks permission, keeps the rules, owns its
transaction and writes its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from socprofiles.accounts.models import Organisation, Partnership, User
from socprofiles.accounts.selectors import member_organisations
from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError
from socprofiles.profiles.models import Profile, Strand
from socprofiles.profiles.services import add_months

from . import permissions
from .models import Action, Disruption, Milestone, Power, ProgressUpdate, Status

DEFAULT_REVIEW_MONTHS = 3


def _audit(actor: Any, action: str, partnership: Partnership, target: Any, **detail: Any) -> None:
    audit_log(actor=actor, action=action, target=target, partnership=partnership, detail=detail)


def _require_manager(actor: Any, partnership: Partnership) -> None:
    if actor is not None and not permissions.can_manage_plan(actor, partnership):
        raise PermissionDenied


def _organisations(partnership: Partnership, organisations: Iterable[Organisation]) -> list[Any]:
    chosen = list(organisations)
    members = {o.pk for o in member_organisations(partnership=partnership)}
    outside = [o.name for o in chosen if o.pk not in members]
    if outside:
        raise ServiceError(
            f"{', '.join(outside)} is not a member organisation of the partnership.",
            field="owner_organisations",
        )
    return chosen


def action_create(
    *,
    actor: Any,
    partnership: Partnership,
    strand: str,
    recommendation: str,
    owner_organisations: Iterable[Organisation] = (),
    owner: User | None = None,
    review_on: dt.date | None = None,
    profile: Profile | None = None,
    threats: list[str] | None = None,
    locations: list[str] | None = None,
    milestones: Iterable[tuple[str, dt.date]] = (),
) -> Action:
    _require_manager(actor, partnership)
    if strand not in Strand.values:
        raise ServiceError(
            f"{strand!r} is not a 4P strand: use Pursue, Prevent, Protect or Prepare.",
            field="strand",
        )
    if not recommendation.strip():
        raise ServiceError("Give the recommendation.", field="recommendation")
    orgs = _organisations(partnership, owner_organisations)
    with transaction.atomic():
        action = Action.objects.create(
            partnership=partnership, strand=strand, recommendation=recommendation.strip(),
            owner=owner, review_on=review_on, profile=profile, threats=threats or [],
            locations=locations or [], created_by=actor, modified_by=actor,
            order=Action.objects.filter(partnership=partnership, strand=strand).count(),
        )  # fmt: skip
        action.owner_organisations.set(orgs)
        for text, due_on in milestones:
            Milestone.objects.create(action=action, text=text, due_on=due_on, created_by=actor)
        _audit(actor, "action.created", partnership, action, strand=strand,
               owners=[o.name for o in orgs])  # fmt: skip
    return action


def actions_from_profile(*, actor: Any, profile: Profile) -> list[Action]:
    """Turn the latest published version's recommendations into actions (once each)."""
    partnership = profile.partnership
    _require_manager(actor, partnership)
    version = profile.versions.order_by("-number").first()
    if version is None:
        raise ServiceError("Publish the profile first: actions come from its recommendations.")
    section = next((s for s in version.content["sections"] if s["key"] == "recommendations"), None)
    recommendations = section["recommendations"] if section else []
    if not recommendations:
        raise ServiceError("The published profile has no recommendations to act on.")
    existing = set(
        Action.objects.filter(partnership=partnership).values_list("strand", "recommendation")
    )
    review_on = add_months(timezone.localdate(), DEFAULT_REVIEW_MONTHS)
    made = []
    for rec in recommendations:
        if (rec["strand"], rec["text"]) in existing:
            continue
        made.append(
            action_create(
                actor=actor,
                partnership=partnership,
                strand=rec["strand"],
                recommendation=rec["text"],
                profile=profile,
                review_on=review_on,
            )
        )
    return made


def action_update(
    *,
    actor: Any,
    action: Action,
    owner_organisations: Iterable[Organisation] | None = None,
    owner: User | None = None,
    review_on: dt.date | None = None,
    recommendation: str | None = None,
) -> Action:
    _require_manager(actor, action.partnership)
    with transaction.atomic():
        if recommendation is not None:
            if not recommendation.strip():
                raise ServiceError("Give the recommendation.", field="recommendation")
            action.recommendation = recommendation.strip()
        if owner_organisations is not None:
            action.owner_organisations.set(_organisations(action.partnership, owner_organisations))
        action.owner = owner
        action.review_on = review_on
        action.modified_by = actor
        action.save()
        _audit(actor, "action.updated", action.partnership, action,
               owners=[o.name for o in action.owner_organisations.all()],
               owner=owner.username if owner else "", review_on=str(review_on or ""))  # fmt: skip
    return action


def milestone_add(*, actor: Any, action: Action, text: str, due_on: dt.date) -> Milestone:
    if not permissions.can_update_action(actor, action):
        raise PermissionDenied
    if not text.strip():
        raise ServiceError("Say what the milestone is.", field="text")
    with transaction.atomic():
        milestone = Milestone.objects.create(
            action=action, text=text.strip(), due_on=due_on, created_by=actor
        )
        _audit(actor, "action.milestone_added", action.partnership, action,
               milestone=milestone.text[:100], due_on=str(due_on))  # fmt: skip
    return milestone


def milestone_done(
    *, actor: Any, milestone: Milestone, done_on: dt.date | None = None
) -> Milestone:
    action = milestone.action
    if not permissions.can_update_action(actor, action):
        raise PermissionDenied
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ServiceError("A milestone cannot be done in the future.", field="done_on")
    with transaction.atomic():
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on", "modified_at"])
        _audit(actor, "action.milestone_done", action.partnership, action,
               milestone=milestone.text[:100], done_on=str(done_on))  # fmt: skip
    return milestone


def progress_add(
    *, actor: Any, action: Action, status: str, text: str, evidence: str = ""
) -> ProgressUpdate:
    """An update from the owning organisation; the action takes its status."""
    if not permissions.can_update_action(actor, action):
        raise PermissionDenied
    if status not in Status.values:
        raise ServiceError("Choose the status.", field="status")
    if len(text.strip()) < 10:
        raise ServiceError("Say what has happened, in a sentence or two.", field="text")
    if status == Status.COMPLETE:
        open_milestones = [m.text for m in action.milestones.filter(done_on__isnull=True)]
        if open_milestones:
            raise ServiceError(
                "Mark every milestone done before completing the action: "
                + "; ".join(open_milestones) + ".",
                field="status",
            )  # fmt: skip
        if not evidence.strip():
            raise ServiceError("Give the evidence that the action is complete.", field="evidence")
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            action=action, author=actor, status=status, text=text.strip(),
            evidence=evidence.strip(), created_by=actor,
            organisation_name=actor.organisation.name if actor.organisation_id else "",
        )  # fmt: skip
        before = action.status
        action.status = status
        action.modified_by = actor
        action.save(update_fields=["status", "modified_by", "modified_at"])
        _audit(actor, "action.progress", action.partnership, action, before=before,
               after=status)  # fmt: skip
    return update


def disruption_record(
    *,
    actor: Any,
    partnership: Partnership,
    power: str,
    agency: Organisation,
    occurred_on: dt.date,
    count: int = 1,
    action: Action | None = None,
    ocg_ref: str = "",
    lsoa_code: str = "",
    escalated_from: Disruption | None = None,
    value_gbp: Decimal | None = None,
    notes: str = "",
) -> Disruption:
    if not permissions.can_record_disruption(actor, partnership, agency):
        raise PermissionDenied
    if power not in Power.values:
        raise ServiceError("Choose the tool or power used.", field="power")
    if count < 1:
        raise ServiceError("The number must be at least 1.", field="count")
    if occurred_on > timezone.localdate():
        raise ServiceError("The date cannot be in the future.", field="occurred_on")
    if action is not None and action.partnership_id != partnership.pk:
        raise ServiceError("Link an action of this partnership.", field="action")
    if escalated_from is not None and escalated_from.partnership_id != partnership.pk:
        raise ServiceError("Link a disruption of this partnership.", field="escalated_from")
    lsoa_code = lsoa_code.strip().upper()
    if lsoa_code and not (len(lsoa_code) == 9 and lsoa_code[0] in "EW" and lsoa_code[1:3] == "01"):
        raise ServiceError(
            f"{lsoa_code!r} is not an LSOA code (E01 or W01 and six digits).", field="lsoa_code"
        )
    if value_gbp is not None and value_gbp < 0:
        raise ServiceError("The value cannot be negative.", field="value_gbp")
    with transaction.atomic():
        disruption = Disruption.objects.create(
            partnership=partnership, power=power, agency=agency, occurred_on=occurred_on,
            count=count, action=action, ocg_ref=ocg_ref.strip(), lsoa_code=lsoa_code,
            escalated_from=escalated_from, value_gbp=value_gbp, notes=notes.strip(),
            recorded_by=actor, created_by=actor,
        )  # fmt: skip
        _audit(actor, "disruption.recorded", partnership, disruption, power=power,
               count=count, agency=agency.name)  # fmt: skip
    return disruption


def action_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """The scheduled task: owners of actions with overdue milestones or a review due are
    e-mailed, at most once a week per action."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .selectors import flags

    today = today or timezone.localdate()
    reminded = 0
    candidates = Action.objects.exclude(status=Status.COMPLETE).select_related(
        "owner", "partnership"
    )
    for action in candidates.prefetch_related("milestones"):
        found = flags(action, today)
        if not found.any:
            continue
        if action.last_reminded_on is not None and (today - action.last_reminded_on).days < 7:
            continue
        if action.owner is not None and action.owner.email:
            lines = [f"Milestone overdue since {m.due_on:%d %B %Y}: {m.text}"
                     for m in found.overdue_milestones]  # fmt: skip
            if found.review_due:
                lines.append(f"Review due on {action.review_on:%d %B %Y}.")
            send_mail(
                subject=f"Action plan: {action.recommendation[:60]}",
                message=f"{action.partnership.name}, {action.get_strand_display()}:\n"
                f"{action.recommendation}\n\n" + "\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[action.owner.email],
            )
        with transaction.atomic():
            action.last_reminded_on = today
            action.save(update_fields=["last_reminded_on"])
            _audit(None, "action.reminder_sent", action.partnership, action,
                   overdue=len(found.overdue_milestones), review_due=found.review_due)  # fmt: skip
        reminded += 1
    return {"reminded": reminded}


def plan_import(*, actor: Any, partnership: Partnership, data: bytes, name: str) -> list[Action]:
    """An existing plan from XLSX: every row checked first (strand, recommendation, dates,
    owners that are member organisations), then all of it created in one transaction, or
    nothing. Rows with the same strand and recommendation are one action's milestones."""
    from .exports import read_plan_xlsx

    _require_manager(actor, partnership)
    rows = read_plan_xlsx(data, name=name)
    members = {o.name.lower(): o for o in member_organisations(partnership=partnership)}
    shorts = {o.short_name.lower(): o for o in members.values() if o.short_name}
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        owners = []
        for owner_name in row.ownership:
            found = members.get(owner_name.lower()) or shorts.get(owner_name.lower())
            if found is None:
                raise ServiceError(
                    f"{name}, row {row.line}, Ownership: {owner_name!r} is not a member "
                    "organisation of the partnership (use its name as the partnership lists it)."
                )
            owners.append(found)
        entry = grouped.setdefault(
            (row.strand, row.recommendation),
            {"owners": [], "review_on": row.review_on, "milestones": []},
        )
        entry["owners"].extend(o for o in owners if o not in entry["owners"])
        entry["review_on"] = entry["review_on"] or row.review_on
        if row.milestone:
            entry["milestones"].append((row.milestone, row.milestone_due))
    with transaction.atomic():
        made = [
            action_create(
                actor=actor,
                partnership=partnership,
                strand=strand,
                recommendation=text,
                owner_organisations=entry["owners"],
                review_on=entry["review_on"],
                milestones=entry["milestones"],
            )
            for (strand, text), entry in grouped.items()
        ]
        _audit(actor, "action.plan_imported", partnership, partnership, file=name,
               actions=len(made), rows=len(rows))  # fmt: skip
    return made


def meeting_record(
    *, actor: Any, partnership: Partnership, held_on: dt.date, attendees: str,
    decisions: dict[str, str],
) -> Any:  # fmt: skip
    """Record a meeting's decisions on its agenda items (action id -> decision)."""
    from .models import MeetingRecord
    from .selectors import agenda

    _require_manager(actor, partnership)
    items = agenda(partnership=partnership, today=held_on)
    recorded = [
        {"action": str(item["action"].pk), "recommendation": item["action"].recommendation,
         "strand": item["action"].get_strand_display(), "reasons": item["reasons"],
         "decision": decisions.get(str(item["action"].pk), "").strip()}
        for item in items
    ]  # fmt: skip
    if not any(r["decision"] for r in recorded):
        raise ServiceError("Record at least one decision.", field="decisions")
    with transaction.atomic():
        record = MeetingRecord.objects.create(
            partnership=partnership, held_on=held_on, attendees=attendees.strip(),
            decisions=recorded, recorded_by=actor, created_by=actor,
        )  # fmt: skip
        _audit(actor, "action.meeting_recorded", partnership, record, items=len(recorded))
    return record
