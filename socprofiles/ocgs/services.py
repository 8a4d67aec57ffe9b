"""Writes for the OCG register and joint operations. Each checks permission, keeps the
rules, owns its transaction and writes its audit event. `actor=None` is the platform
itself (the demo loader, commands), as in the other apps' services.

Messages never tell one agency anything about another's records: a nominal that is
another agency's is refused with the same words as one that does not exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from socprofiles.accounts.models import Organisation, Partnership, User
from socprofiles.accounts.permissions import partnership_role
from socprofiles.actions.models import Action
from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError
from socprofiles.gain.models import Holding, Kind
from socprofiles.morile.services import tactical_score

from . import permissions
from .models import (
    Association,
    AssociationKind,
    Band,
    Group,
    GroupStatus,
    JointOperation,
    Measure,
    Member,
    OperationStatus,
    Outcome,
    Participant,
    Role,
)

NO_SUCH_NOMINAL = "There is no {what} {ref!r} among your organisation's nominals."


def _audit(actor: Any, action: str, target: Any, purpose: str = "", **detail: Any) -> None:
    audit_log(actor=actor, action=action, target=target, detail=detail, purpose=purpose)


def _require_register(actor: Any, organisation: Organisation) -> None:
    if actor is not None and not permissions.can_keep_register(actor, organisation):
        raise PermissionDenied


def _require_lead(actor: Any, operation: JointOperation) -> None:
    if actor is not None and not permissions.can_manage_operation(actor, operation):
        raise PermissionDenied


def _choice(value: str, choices: Any, field: str, what: str) -> str:
    """A value of a vocabulary, matched without regard to case (feeds say "Active")."""
    text = str(value or "").strip()
    for key, label in choices.choices:
        if text.lower() in (str(key).lower(), str(label).lower()):
            return str(key)
    allowed = ", ".join(str(label) for _k, label in choices.choices)
    raise ServiceError(f"{text!r} is not a {what}: use one of {allowed}.", field=field)


def _markets(markets: Iterable[str] | str) -> list[str]:
    if isinstance(markets, str):
        markets = markets.replace(",", ";").split(";")
    found: list[str] = []
    for market in markets:
        text = " ".join(str(market).split())
        if text and text.lower() not in {m.lower() for m in found}:
            found.append(text[:80])
    return found


def _lead_officer(organisation: Organisation, officer: User | None) -> User | None:
    if officer is not None and officer.organisation_id != organisation.pk:
        raise ServiceError(
            "The lead responsible officer must be one of your organisation's people.",
            field="lead_officer",
        )
    return officer


def _partnership(actor: Any, partnership: Partnership | None) -> Partnership | None:
    if (
        partnership is not None
        and actor is not None
        and partnership_role(actor, partnership) is None
    ):
        raise ServiceError("Choose a partnership you belong to.", field="partnership")
    return partnership


# -- groups -------------------------------------------------------------------------------


def group_create(
    *,
    actor: Any,
    organisation: Organisation,
    reference: str,
    name: str = "",
    status: str = GroupStatus.ACTIVE,
    band: str = "",
    threat_score: int | None = None,
    crime_markets: Iterable[str] | str = (),
    lead_officer: User | None = None,
    partnership: Partnership | None = None,
    notes: str = "",
) -> Group:
    _require_register(actor, organisation)
    reference = reference.strip()
    if not reference:
        raise ServiceError("Give the group's reference.", field="reference")
    if Group.objects.filter(organisation=organisation, reference__iexact=reference).exists():
        raise ServiceError(
            f"Your organisation already has a group {reference!r}.", field="reference"
        )
    if threat_score is not None and threat_score < 0:
        raise ServiceError("The threat score cannot be negative.", field="threat_score")
    with transaction.atomic():
        group = Group.objects.create(
            organisation=organisation, reference=reference, name=name.strip(),
            status=_choice(status, GroupStatus, "status", "group status"),
            band=_choice(band, Band, "band", "mapping band") if band else "",
            threat_score=threat_score, crime_markets=_markets(crime_markets),
            lead_officer=_lead_officer(organisation, lead_officer),
            partnership=_partnership(actor, partnership), notes=notes.strip(),
            created_by=actor, modified_by=actor,
        )  # fmt: skip
        _audit(actor, "ocg.group_created", group, reference=reference, band=group.band)
    return group


def group_update(
    *,
    actor: Any,
    group: Group,
    name: str,
    status: str,
    band: str,
    threat_score: int | None,
    crime_markets: Iterable[str] | str,
    lead_officer: User | None,
    partnership: Partnership | None,
    notes: str = "",
) -> Group:
    _require_register(actor, group.organisation)
    if threat_score is not None and threat_score < 0:
        raise ServiceError("The threat score cannot be negative.", field="threat_score")
    before = {"status": group.status, "band": group.band}
    with transaction.atomic():
        group.name = name.strip()
        group.status = _choice(status, GroupStatus, "status", "group status")
        group.band = _choice(band, Band, "band", "mapping band") if band else ""
        group.threat_score = threat_score
        group.crime_markets = _markets(crime_markets)
        group.lead_officer = _lead_officer(group.organisation, lead_officer)
        if partnership != group.partnership:
            group.partnership = _partnership(actor, partnership)
            group.actions.clear()  # a plan's actions belong to its partnership
        group.notes = notes.strip()
        group.modified_by = actor
        group.save()
        _audit(actor, "ocg.group_updated", group, before=before,
               after={"status": group.status, "band": group.band})  # fmt: skip
    return group


def group_score(
    *, actor: Any, group: Group, answers: Mapping[str, Any], rationale: str = ""
) -> Group:
    """The group's MoRiLE tactical score from the factor answers."""
    _require_register(actor, group.organisation)
    inputs, outputs, score, model = tactical_score(answers)
    with transaction.atomic():
        group.tactical_answers, group.tactical_outputs = inputs, outputs
        group.tactical_score, group.tactical_model = score, model
        group.tactical_rationale = rationale.strip()
        group.modified_by = actor
        group.save()
        _audit(actor, "ocg.group_scored", group, model=model, score=score)
    return group


def group_actions_set(*, actor: Any, group: Group, actions: Iterable[Action]) -> Group:
    """Link the group to actions of its partnership's 4P plan."""
    _require_register(actor, group.organisation)
    chosen = list(actions)
    if chosen and group.partnership is None:
        raise ServiceError("Choose the group's partnership first: its plan holds the actions.")
    if any(a.partnership_id != group.partnership_id for a in chosen):
        raise ServiceError("Link actions of the group's partnership's plan only.", field="actions")
    with transaction.atomic():
        group.actions.set(chosen)
        _audit(actor, "ocg.group_actions_set", group, actions=[str(a.pk) for a in chosen])
    return group


# -- members and associations -------------------------------------------------------------


def _own_nominal(organisation: Organisation, nominal: Holding | None, ref: str,
                 kinds: tuple[str, ...] = (Kind.PERSON,)) -> Holding:  # fmt: skip
    """The nominal, if it is one of the organisation's own of the kinds; otherwise the same
    refusal whether it is missing or another agency's."""
    if nominal is None or nominal.organisation_id != organisation.pk or nominal.kind not in kinds:
        what = "person nominal" if kinds == (Kind.PERSON,) else "nominal"
        raise ServiceError(NO_SUCH_NOMINAL.format(what=what, ref=ref), field="nominal")
    return nominal


def member_add(
    *,
    actor: Any,
    group: Group,
    nominal: Holding | None,
    role: str = Role.MEMBER,
    note: str = "",
    reference: str = "",
) -> Member:
    """Add one of the agency's own person nominals to its group. `reference` is what the
    person typed or chose, echoed in a refusal (never anything from the database)."""
    _require_register(actor, group.organisation)
    nominal = _own_nominal(group.organisation, nominal, reference or "(none given)")
    if group.members.filter(nominal=nominal).exists():
        raise ServiceError(f"{nominal.reference} is already a member of the group.",
                           field="nominal")  # fmt: skip
    with transaction.atomic():
        member = Member.objects.create(
            group=group, nominal=nominal, role=_choice(role, Role, "role", "role"),
            note=note.strip(), created_by=actor, modified_by=actor,
        )  # fmt: skip
        _audit(actor, "ocg.member_added", group, nominal=nominal.reference, role=member.role)
    return member


def member_update(*, actor: Any, member: Member, role: str, note: str = "") -> Member:
    _require_register(actor, member.group.organisation)
    with transaction.atomic():
        before = member.role
        member.role = _choice(role, Role, "role", "role")
        member.note = note.strip()
        member.modified_by = actor
        member.save()
        _audit(actor, "ocg.member_updated", member.group, nominal=member.nominal.reference,
               before=before, after=member.role)  # fmt: skip
    return member


def member_score(
    *, actor: Any, member: Member, answers: Mapping[str, Any], rationale: str = ""
) -> Member:
    """The nominal's MoRiLE tactical score in this group, from the factor answers."""
    _require_register(actor, member.group.organisation)
    inputs, outputs, score, model = tactical_score(answers)
    with transaction.atomic():
        member.tactical_answers, member.tactical_outputs = inputs, outputs
        member.tactical_score, member.tactical_model = score, model
        member.tactical_rationale = rationale.strip()
        member.modified_by = actor
        member.save()
        _audit(actor, "ocg.member_scored", member.group, nominal=member.nominal.reference,
               model=model, score=score)  # fmt: skip
    return member


def member_remove(*, actor: Any, member: Member) -> None:
    group = member.group
    _require_register(actor, group.organisation)
    with transaction.atomic():
        reference = member.nominal.reference
        member.delete()
        _audit(actor, "ocg.member_removed", group, nominal=reference)


ANY_KIND = tuple(Kind.values)


def association_add(
    *,
    actor: Any,
    group: Group,
    left: Holding | None,
    right: Holding | None,
    kind: str,
    note: str = "",
    left_ref: str = "",
    right_ref: str = "",
) -> Association:
    """Link two of the agency's own nominals (of any kind: a person to a vehicle they
    use, say), at least one of them a member of the group, so the link is in its network."""
    organisation = group.organisation
    _require_register(actor, organisation)
    left = _own_nominal(organisation, left, left_ref or "(none given)", ANY_KIND)
    right = _own_nominal(organisation, right, right_ref or "(none given)", ANY_KIND)
    if left.pk == right.pk:
        raise ServiceError("Link two different nominals.", field="right")
    if not group.members.filter(nominal__in=[left, right]).exists():
        raise ServiceError("One end of the link must be a member of the group.", field="left")
    kind = _choice(kind, AssociationKind, "kind", "kind of link")
    a, b = sorted((left, right), key=lambda h: str(h.pk))  # one row per pair and kind
    if Association.objects.filter(left=a, right=b, kind=kind).exists():
        raise ServiceError("That link is already recorded.", field="kind")
    with transaction.atomic():
        link = Association.objects.create(
            organisation=organisation, left=a, right=b, kind=kind, note=note.strip(),
            created_by=actor, modified_by=actor,
        )  # fmt: skip
        _audit(actor, "ocg.association_added", link, left=a.reference, right=b.reference,
               kind=kind)  # fmt: skip
    return link


def association_remove(*, actor: Any, association: Association) -> None:
    _require_register(actor, association.organisation)
    with transaction.atomic():
        detail = {"left": association.left.reference, "right": association.right.reference,
                  "kind": association.kind}  # fmt: skip
        _audit(actor, "ocg.association_removed", association, **detail)
        association.delete()


def groups_import(
    *, actor: Any, organisation: Organisation, rows: Iterable[Mapping[str, Any]],
    source: str = "upload",
) -> dict[str, int]:  # fmt: skip
    """Groups and members from rows shaped like the OCG mapping feed (group_ref,
    group_name, member_ref, role, crime_markets, band, status): every row checked first,
    member references among the agency's own person nominals; then all of it, or nothing.
    A group already in the register is refreshed; its members are added or re-roled."""
    _require_register(actor, organisation)
    own = {
        h.reference: h for h in Holding.objects.filter(organisation=organisation, kind=Kind.PERSON)
    }
    groups: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(rows, 2):
        where = f"{source}, row {line}"
        ref = str(row.get("group_ref") or "").strip()
        if not ref:
            raise ServiceError(f"{where}, column group_ref: the group reference is empty.")
        member_ref = str(row.get("member_ref") or "").strip()
        nominal = own.get(member_ref)
        if nominal is None:
            raise ServiceError(
                f"{where}, column member_ref: "
                + NO_SUCH_NOMINAL.format(what="person nominal", ref=member_ref)
            )
        try:
            band = _choice(str(row.get("band") or ""), Band, "band", "mapping band")
            status = _choice(str(row.get("status") or "Active"), GroupStatus, "status",
                             "group status")  # fmt: skip
            role = _choice(str(row.get("role") or "Member"), Role, "role", "role")
        except ServiceError as error:
            raise ServiceError(f"{where}, column {error.field}: {error.message}") from None
        # References are matched ignoring case, as group_create matches them.
        entry = groups.setdefault(ref.casefold(), {"ref": ref, "name": "", "band": band,
                                                   "status": status, "markets": [],
                                                   "members": {}})  # fmt: skip
        entry["name"] = entry["name"] or str(row.get("group_name") or "").strip()
        entry["band"], entry["status"] = band, status
        entry["markets"] = _markets([*entry["markets"], *_markets(row.get("crime_markets") or "")])
        entry["members"][nominal.reference] = (nominal, role)
    made = refreshed = members = 0
    with transaction.atomic():
        for entry in groups.values():
            ref = entry["ref"]
            group = Group.objects.filter(organisation=organisation, reference__iexact=ref).first()
            if group is None:
                group = Group.objects.create(
                    organisation=organisation, reference=ref, created_by=actor,
                    modified_by=actor,
                )  # fmt: skip
                made += 1
            else:
                refreshed += 1
            group.name = entry["name"] or group.name
            group.band, group.status = entry["band"], entry["status"]
            group.crime_markets = entry["markets"]
            group.modified_by = actor
            group.save()
            for nominal, role in entry["members"].values():
                Member.objects.update_or_create(
                    group=group, nominal=nominal,
                    defaults={"role": role, "modified_by": actor},
                    create_defaults={"role": role, "created_by": actor, "modified_by": actor},
                )  # fmt: skip
                members += 1
        _audit(actor, "ocg.groups_imported", organisation, source=source, groups=len(groups),
               created=made, refreshed=refreshed, members=members)  # fmt: skip
    return {"groups": len(groups), "created": made, "refreshed": refreshed, "members": members}


def network_exported(*, actor: Any, group: Group, fmt: str, nodes: int, edges: int,
                     purpose: str = "") -> None:  # fmt: skip
    """A disclosure event: the network left the platform as a file."""
    _require_register(actor, group.organisation)
    _audit(actor, "ocg.network_exported", group, purpose=purpose, format=fmt, nodes=nodes,
           edges=edges)  # fmt: skip


def priorities_exported(*, actor: Any, organisation: Organisation, rows: int,
                        purpose: str = "") -> None:  # fmt: skip
    _require_register(actor, organisation)
    _audit(actor, "ocg.priorities_exported", organisation, purpose=purpose, rows=rows)


# -- joint operations ---------------------------------------------------------------------


def _group_of_lead(lead: Organisation, group: Group | None) -> Group | None:
    if group is not None and group.organisation_id != lead.pk:
        raise ServiceError("Choose one of your organisation's groups.", field="group")
    return group


def operation_create(
    *,
    actor: Any,
    lead_organisation: Organisation,
    name: str,
    planned_on: dt.date,
    description: str = "",
    group: Group | None = None,
    powers: str = "",
) -> JointOperation:
    """A joint operation led by the actor's own agency, which takes part in it."""
    if actor is not None and permissions.organisation_of(actor) != lead_organisation:
        raise PermissionDenied
    if not name.strip():
        raise ServiceError("Give the operation a name.", field="name")
    with transaction.atomic():
        operation = JointOperation.objects.create(
            name=name.strip(), lead_organisation=lead_organisation, planned_on=planned_on,
            description=description.strip(), group=_group_of_lead(lead_organisation, group),
            created_by=actor, modified_by=actor,
        )  # fmt: skip
        Participant.objects.create(
            operation=operation, organisation=lead_organisation, powers=powers.strip(),
            created_by=actor,
        )  # fmt: skip
        _audit(actor, "ocg.operation_created", operation, planned_on=str(planned_on))
    return operation


def operation_update(
    *,
    actor: Any,
    operation: JointOperation,
    name: str,
    planned_on: dt.date,
    description: str,
    status: str,
    group: Group | None,
) -> JointOperation:
    _require_lead(actor, operation)
    if not name.strip():
        raise ServiceError("Give the operation a name.", field="name")
    status = _choice(status, OperationStatus, "status", "status")
    with transaction.atomic():
        before = operation.status
        operation.name, operation.planned_on = name.strip(), planned_on
        operation.description, operation.status = description.strip(), status
        operation.group = _group_of_lead(operation.lead_organisation, group)
        operation.modified_by = actor
        operation.save()
        _audit(actor, "ocg.operation_updated", operation, before=before, after=status)
    return operation


def participant_add(
    *, actor: Any, operation: JointOperation, organisation: Organisation, powers: str = ""
) -> Participant:
    """The lead adds a partner agency with the powers and tactics it plans to use (again
    for an agency already taking part: its plan is replaced)."""
    _require_lead(actor, operation)
    if not organisation.is_active:
        raise ServiceError("Choose an active organisation.", field="organisation")
    with transaction.atomic():
        participant, created = Participant.objects.update_or_create(
            operation=operation, organisation=organisation,
            defaults={"powers": powers.strip(), "modified_by": actor},
            create_defaults={"powers": powers.strip(), "created_by": actor},
        )  # fmt: skip
        _audit(actor, "ocg.participant_added" if created else "ocg.participant_updated",
               operation, organisation=organisation.name)  # fmt: skip
    return participant


def participant_remove(*, actor: Any, participant: Participant) -> None:
    operation = participant.operation
    _require_lead(actor, operation)
    if participant.organisation_id == operation.lead_organisation_id:
        raise ServiceError("The lead agency takes part in its own operation.")
    if operation.outcomes.filter(organisation=participant.organisation).exists():
        raise ServiceError(
            f"{participant.organisation.name} has recorded results: it stays in the operation."
        )
    with transaction.atomic():
        name = participant.organisation.name
        participant.delete()
        _audit(actor, "ocg.participant_removed", operation, organisation=name)


def outcome_record(
    *,
    actor: Any,
    operation: JointOperation,
    organisation: Organisation,
    measure: str,
    quantity: int,
    note: str = "",
) -> Outcome:
    """One agency's result, recorded by that agency's people."""
    if actor is not None and not permissions.can_record_outcome(actor, operation, organisation):
        raise PermissionDenied
    if actor is None and not operation.participants.filter(organisation=organisation).exists():
        raise ServiceError("Only an agency taking part records results.", field="organisation")
    measure = _choice(measure, Measure, "measure", "measure")
    if quantity < 1:
        raise ServiceError("The number must be at least 1.", field="quantity")
    if measure == Measure.OTHER and not note.strip():
        raise ServiceError("Say what the other result was.", field="note")
    with transaction.atomic():
        outcome = Outcome.objects.create(
            operation=operation, organisation=organisation, measure=measure, quantity=quantity,
            note=note.strip(), recorded_by=actor if actor is not None else None,
            created_by=actor,
        )  # fmt: skip
        _audit(actor, "ocg.outcome_recorded", operation, organisation=organisation.name,
               measure=measure, quantity=quantity)  # fmt: skip
    return outcome


def outcome_remove(*, actor: Any, outcome: Outcome) -> None:
    """An agency corrects its own results."""
    operation = outcome.operation
    if actor is not None and not permissions.can_record_outcome(
        actor, operation, outcome.organisation
    ):
        raise PermissionDenied
    with transaction.atomic():
        _audit(actor, "ocg.outcome_removed", operation, organisation=outcome.organisation.name,
               measure=outcome.measure, quantity=outcome.quantity)  # fmt: skip
        outcome.delete()


def summary_exported(*, actor: Any, operation: JointOperation) -> None:
    if actor is not None and not permissions.can_view_operation(actor, operation):
        raise PermissionDenied
    _audit(actor, "ocg.operation_summary_exported", operation)
