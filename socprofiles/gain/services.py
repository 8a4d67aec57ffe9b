"""Writes for GAIN: an agency's holdings (all or nothing), hit/no-hit requests answered by
the engine without disclosing any record, and disclosures decided by the holding agency.
Each is audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from socprofiles.accounts.models import Organisation
from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError

from . import permissions
from .engine import MatchSettings, get_kind, match
from .engine.matching import ENGINE_VERSION
from .models import Disclosure, DisclosureStatus, HitRequest, Holding

HIT_PROBABILITY = 0.9
SUBJECT = "__subject__"


def holdings_load(
    *, actor: Any, organisation: Organisation, kind: str, rows: Iterable[Mapping[str, Any]],
    source: str = "upload",
) -> int:  # fmt: skip
    """Add or update the agency's records of a kind. Every row is checked first (a
    reference and at least one field the kind compares); one bad row refuses them all."""
    if not permissions.can_manage_holdings(actor, organisation):
        raise PermissionDenied
    spec = get_kind(kind)
    checked = []
    for line, row in enumerate(rows, 2):
        reference = str(row.get("reference") or "").strip()
        if not reference:
            raise ServiceError(f"{source}, row {line}, column reference: the reference is empty.")
        values = {f: str(row[f]).strip() for f in spec.fields if row.get(f) not in (None, "")}
        if not values:
            raise ServiceError(
                f"{source}, row {line}: none of {', '.join(spec.fields)} is given; a record "
                "needs at least one to be matched."
            )
        checked.append((reference, values))
    with transaction.atomic():
        for reference, values in checked:
            Holding.objects.update_or_create(
                organisation=organisation, kind=kind, reference=reference,
                defaults={"values": values, "modified_by": actor},
            )  # fmt: skip
        audit_log(actor=actor, action="gain.holdings_loaded", target=organisation,
                  detail={"kind": kind, "rows": len(checked), "source": source})  # fmt: skip
    return len(checked)


def hit_request(
    *, actor: Any, kind: str, subject: Mapping[str, Any], purpose: str,
    settings: MatchSettings | None = None,
) -> HitRequest:  # fmt: skip
    """Ask every agency with holdings of the kind whether it holds the subject. The answer
    per agency is hit or no hit and the best match probability; nothing else leaves the
    agency."""
    if not permissions.is_coordinator(actor):
        raise PermissionDenied
    spec = get_kind(kind)
    subject_values = {f: str(subject[f]).strip() for f in spec.fields if subject.get(f)}
    if not subject_values:
        raise ServiceError(f"Describe the subject by at least one of {', '.join(spec.fields)}.")
    if len((purpose or "").strip()) < 10:
        raise ServiceError("Give the purpose of the request in a sentence or two.", field="purpose")
    holdings = list(Holding.objects.filter(kind=kind).select_related("organisation"))
    records = [{"uid": SUBJECT, "agency": SUBJECT, **subject_values}]
    records += [{"uid": str(h.pk), "agency": str(h.organisation_id), **h.values} for h in holdings]
    result = match(kind, records, settings)
    best: dict[str, float] = {}
    for pair in result.pairs:
        if SUBJECT not in (pair.left, pair.right):
            continue
        agency = pair.right_agency if pair.left == SUBJECT else pair.left_agency
        best[agency] = max(best.get(agency, 0.0), pair.probability)
    organisations = {str(h.organisation_id): h.organisation for h in holdings}
    answers = [
        {"organisation": org.name, "organisation_id": org_id,
         "hit": best.get(org_id, 0.0) >= HIT_PROBABILITY,
         "confidence": round(best.get(org_id, 0.0), 3)}
        for org_id, org in sorted(organisations.items(), key=lambda item: item[1].name)
    ]  # fmt: skip
    with transaction.atomic():
        request = HitRequest.objects.create(
            coordinator=actor, kind=kind, subject=subject_values, purpose=purpose.strip(),
            answers=answers, engine_version=ENGINE_VERSION, created_by=actor,
        )  # fmt: skip
        audit_log(actor=actor, action="gain.hit_request", target=request,
                  detail={"kind": kind, "hits": sum(a["hit"] for a in answers),
                          "agencies": len(answers)}, purpose=purpose.strip())  # fmt: skip
    return request


def disclosure_request(
    *, actor: Any, request: HitRequest, organisation: Organisation, purpose: str,
    legal_gateway: str,
) -> Disclosure:  # fmt: skip
    if not permissions.is_coordinator(actor) or request.coordinator_id != actor.pk:
        raise PermissionDenied
    answer = next((a for a in request.answers if a["organisation_id"] == str(organisation.pk)),
                  None)  # fmt: skip
    if answer is None or not answer["hit"]:
        raise ServiceError("Ask only an agency that answered hit.")
    if not legal_gateway.strip():
        raise ServiceError("Name the legal gateway for sharing.", field="legal_gateway")
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            request=request, organisation=organisation, purpose=purpose.strip(),
            legal_gateway=legal_gateway.strip(), created_by=actor,
        )  # fmt: skip
        audit_log(actor=actor, action="gain.disclosure_requested", target=disclosure,
                  detail={"organisation": organisation.name, "gateway": legal_gateway},
                  purpose=purpose.strip())  # fmt: skip
    return disclosure


def disclosure_decide(
    *, actor: Any, disclosure: Disclosure, approve: bool, shared: str = ""
) -> Disclosure:
    if not permissions.can_decide_disclosure(actor, disclosure.organisation):
        raise PermissionDenied
    if disclosure.status != DisclosureStatus.REQUESTED:
        raise ServiceError("This request is already decided.")
    if approve and not shared.strip():
        raise ServiceError("Record what is shared.", field="shared")
    with transaction.atomic():
        disclosure.status = DisclosureStatus.APPROVED if approve else DisclosureStatus.DECLINED
        disclosure.decided_by, disclosure.decided_at = actor, timezone.now()
        disclosure.shared = shared.strip()
        disclosure.save()
        audit_log(actor=actor, action="gain.disclosure_decided", target=disclosure,
                  detail={"status": disclosure.status})  # fmt: skip
    return disclosure
