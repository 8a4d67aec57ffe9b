"""Writes for GAIN: an agency's holdings (all or nothing), hit/no-hit requests answered by
the engine without disclosing any record, and disclosures decided by the holding agency.
Each is audited."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from socprofiles.accounts.models import Organisation
from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError

from . import permissions
from .engine import Kind, MatchResult, MatchSettings, get_kind, match
from .engine.matching import ENGINE_VERSION, blocking_keys, clean_record
from .engine.scoring import Scorer
from .models import (
    Disclosure,
    DisclosureStatus,
    HitRequest,
    Holding,
    HoldingKey,
    Match,
    TrainedModel,
)

HIT_PROBABILITY = 0.9  # a hit, and the level at which records join one subject
KEEP_PROBABILITY = 0.5  # matches kept (with their evidence) for review
SUBJECT = "__subject__"
_CHUNK = 500


def holdings_load(
    *, actor: Any, organisation: Organisation, kind: str, rows: Iterable[Mapping[str, Any]],
    source: str = "upload", match_now: bool = True,
) -> int:  # fmt: skip
    """Add or update the agency's records of a kind. Every row is checked first (a
    reference and at least one field the kind compares); one bad row refuses them all.
    The new records are then matched against the other agencies' with the stored model
    (incrementally), or the model is trained if there is none yet."""
    if not permissions.can_manage_holdings(actor, organisation):
        raise PermissionDenied
    spec = get_kind(kind)
    checked: dict[str, tuple[dict[str, str], dict[str, Any]]] = {}
    for line, row in enumerate(rows, 2):
        reference = str(row.get("reference") or "").strip()
        if not reference:
            raise ServiceError(f"{source}, row {line}, column reference: the reference is empty.")
        if len(reference) > 80:
            raise ServiceError(
                f"{source}, row {line}, column reference: at most 80 characters "
                f"(found {len(reference)})."
            )
        values = {}
        for name in spec.fields:
            value = row.get(name)
            if isinstance(value, (dict, list, tuple, set)):
                raise ServiceError(f"{source}, row {line}, column {name}: expected a single "
                                   "value (text, a number or a date).")  # fmt: skip
            text = "" if value is None else str(value).strip()
            if text:
                values[name] = text
        if not values:
            raise ServiceError(
                f"{source}, row {line}: none of {', '.join(spec.fields)} is given; a record "
                "needs at least one to be matched."
            )
        if reference in checked:
            raise ServiceError(
                f"{source}, row {line}, column reference: {reference!r} appears twice."
            )
        checked[reference] = (values, clean_record(spec, values))
    try:
        with transaction.atomic():
            # One load at a time per agency: two at once would race on new references.
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
            _load_checked(actor, organisation, spec, checked, source, match_now)
    except IntegrityError:
        raise ServiceError(
            f"{source}: another load of your agency's records changed them at the same time; "
            "nothing of this one was kept. Load it again."
        ) from None
    return len(checked)


def _load_checked(
    actor: Any, organisation: Organisation, spec: Kind,
    checked: Mapping[str, tuple[dict[str, str], dict[str, Any]]], source: str, match_now: bool,
) -> None:  # fmt: skip
    kind = spec.key
    new, changed = _upsert(actor, organisation, kind, checked)
    holdings = new + changed
    _store_keys(spec, holdings, replacing=changed)
    if match_now:
        match_new(kind, holdings)
    audit_log(actor=actor, action="gain.holdings_loaded", target=organisation,
              detail={"kind": kind, "rows": len(checked), "new": len(new),
                      "changed": len(changed), "source": source})  # fmt: skip


def _upsert(
    actor: Any, organisation: Organisation, kind: str,
    checked: Mapping[str, tuple[dict[str, str], dict[str, Any]]],
) -> tuple[list[Holding], list[Holding]]:  # fmt: skip
    """The new holdings and the changed ones (whose old matches and subject are dropped:
    they no longer hold)."""
    existing: dict[str, Holding] = {}
    references = list(checked)
    for start in range(0, len(references), _CHUNK):
        found = Holding.objects.filter(organisation=organisation, kind=kind,
                                       reference__in=references[start:start + _CHUNK])  # fmt: skip
        existing.update({h.reference: h for h in found})
    new, changed = [], []
    for reference, (values, cleaned) in checked.items():
        holding = existing.get(reference)
        if holding is None:
            new.append(Holding(organisation=organisation, kind=kind, reference=reference,
                               values=values, cleaned=cleaned, created_by=actor,
                               modified_by=actor))  # fmt: skip
        elif holding.values != values:
            holding.values, holding.cleaned, holding.modified_by = values, cleaned, actor
            changed.append(holding)
    Holding.objects.bulk_create(new, batch_size=_CHUNK)
    Holding.objects.bulk_update(changed, ["values", "cleaned", "modified_by", "modified_at"],
                                batch_size=_CHUNK)  # fmt: skip
    ids = [h.pk for h in changed]
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        Match.objects.filter(models.Q(left__in=part) | models.Q(right__in=part)).delete()
        Holding.objects.filter(pk__in=part).update(subject="")
    for holding in changed:
        holding.subject = ""
    return new, changed


def _store_keys(spec: Kind, holdings: list[Holding], *, replacing: list[Holding]) -> None:
    ids = [h.pk for h in replacing]
    for start in range(0, len(ids), _CHUNK):
        HoldingKey.objects.filter(holding__in=ids[start : start + _CHUNK]).delete()
    HoldingKey.objects.bulk_create(
        (HoldingKey(holding=h, kind=spec.key, key=key)
         for h in holdings for key in blocking_keys(spec, h.cleaned)),
        batch_size=2000,
    )  # fmt: skip


def scorer_for(kind: str) -> Scorer | None:
    model = TrainedModel.objects.filter(kind=kind).first()
    return Scorer.for_kind(model.model, get_kind(kind)) if model else None


def _candidates(kind: str, keys: Iterable[str]) -> list[Holding]:
    keys = list(dict.fromkeys(keys))
    ids: set[Any] = set()
    for start in range(0, len(keys), _CHUNK):
        ids.update(HoldingKey.objects.filter(kind=kind, key__in=keys[start:start + _CHUNK])
                   .values_list("holding_id", flat=True))  # fmt: skip
    found: list[Holding] = []
    listed = list(ids)
    for start in range(0, len(listed), _CHUNK):
        found += Holding.objects.filter(pk__in=listed[start:start + _CHUNK]).only(
            "id", "organisation_id", "kind", "cleaned", "subject")  # fmt: skip
    return found


def match_new(kind: str, holdings: list[Holding]) -> int:
    """Match new (or changed) records against the other agencies' records with the stored
    model, without re-running the whole match: candidates come from the blocking keys,
    each pair is scored in Python exactly as Splink would, and subjects are joined (or
    merged) for pairs at or above the hit level. With no stored model yet, train one."""
    if not holdings:
        return 0
    scorer = scorer_for(kind)
    if scorer is None:
        agencies = Holding.objects.filter(kind=kind).values("organisation").distinct().count()
        if agencies >= 2:
            result = retrain(kind)
            audit_log(actor=None, action="gain.retrained", target=None,
                      detail={"kind": kind, "records": result.records,
                              "pairs": len(result.pairs), "why": "first model"})  # fmt: skip
        return Match.objects.filter(kind=kind).count()
    spec = get_kind(kind)
    keys = {h.pk: blocking_keys(spec, h.cleaned) for h in holdings}
    candidates = _candidates(kind, [k for found in keys.values() for k in found])
    by_key: dict[str, list[Holding]] = {}
    for candidate in candidates:
        for key in blocking_keys(spec, candidate.cleaned):
            by_key.setdefault(key, []).append(candidate)
    matches: list[Match] = []
    seen: set[tuple[Any, Any]] = set()
    for holding in holdings:
        for key in keys[holding.pk]:
            for other in by_key.get(key, ()):
                if other.organisation_id == holding.organisation_id:
                    continue
                pair = (holding.pk, other.pk) if str(holding.pk) < str(other.pk) else (
                    other.pk, holding.pk)  # fmt: skip
                if pair in seen:
                    continue
                seen.add(pair)
                score = scorer.score(holding.cleaned, other.cleaned)
                if score.probability >= KEEP_PROBABILITY:
                    matches.append(Match(kind=kind, left_id=pair[0], right_id=pair[1],
                                         weight=score.weight, probability=score.probability,
                                         evidence=_evidence(score.evidence)))  # fmt: skip
    Match.objects.bulk_create(matches, batch_size=_CHUNK, ignore_conflicts=True)
    _join_subjects(kind, [m for m in matches if m.probability >= HIT_PROBABILITY])
    return len(matches)


def _evidence(evidence: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"field": e.field, "level": e.level, "weight": e.weight} for e in evidence]


def _join_subjects(kind: str, matches: list[Match]) -> None:
    """Records linked at the hit level share a subject; a record that links two subjects
    merges them."""
    if not matches:
        return
    ids = {m.left_id for m in matches} | {m.right_id for m in matches}
    listed = list(ids)
    subject_of: dict[Any, str] = {}
    for start in range(0, len(listed), _CHUNK):
        subject_of.update(Holding.objects.filter(pk__in=listed[start:start + _CHUNK])
                          .values_list("pk", "subject"))  # fmt: skip
    parent: dict[Any, Any] = {}

    def root(x: Any) -> Any:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for m in matches:
        parent[root(m.left_id)] = root(m.right_id)
    groups: dict[Any, set[Any]] = {}
    for holding_id in ids:
        groups.setdefault(root(holding_id), set()).add(holding_id)
    for members in groups.values():
        subjects = sorted({subject_of[h] for h in members if subject_of[h]})
        chosen = subjects[0] if subjects else uuid.uuid4().hex[:12]
        if len(subjects) > 1:
            Holding.objects.filter(kind=kind, subject__in=subjects[1:]).update(subject=chosen)
        Holding.objects.filter(pk__in=[h for h in members if subject_of[h] != chosen]).update(
            subject=chosen)  # fmt: skip


def retrain(kind: str, *, settings: MatchSettings | None = None) -> MatchResult:
    """Train the kind's model on every agency's records (without labels) and re-match them
    all: the stored model, matches and subjects are replaced together."""
    holdings = list(Holding.objects.filter(kind=kind).only("id", "organisation_id", "cleaned"))
    records = [{"uid": str(h.pk), "agency": str(h.organisation_id), **h.cleaned}
               for h in holdings]  # fmt: skip
    result = match(
        kind,
        records,
        settings or MatchSettings(threshold=KEEP_PROBABILITY, cluster_threshold=HIT_PROBABILITY),
    )
    with transaction.atomic():
        Match.objects.filter(kind=kind).delete()
        Match.objects.bulk_create(
            (Match(kind=kind, left_id=p.left, right_id=p.right, weight=p.weight,
                   probability=p.probability,
                   evidence=_evidence(p.comparisons))
             for p in result.pairs),
            batch_size=_CHUNK,
        )  # fmt: skip
        sizes: dict[str, int] = {}
        for cluster in result.clusters.values():
            sizes[cluster] = sizes.get(cluster, 0) + 1
        Holding.objects.filter(kind=kind).exclude(subject="").update(subject="")
        by_subject: dict[str, list[str]] = {}
        for uid, cluster in result.clusters.items():
            if sizes[cluster] > 1:  # Splink names a cluster after one of its records
                subject = hashlib.sha256(cluster.encode()).hexdigest()[:16]
                by_subject.setdefault(subject, []).append(uid)
        for subject, uids in by_subject.items():
            Holding.objects.filter(pk__in=uids).update(subject=subject)
        if result.model:
            TrainedModel.objects.update_or_create(
                kind=kind,
                defaults={"model": result.model, "records": result.records,
                          "agencies": len(result.agencies), "notes": result.notes,
                          "engine_version": ENGINE_VERSION},
            )  # fmt: skip
    return result


def hit_request(
    *, actor: Any, kind: str, subject: Mapping[str, Any], purpose: str,
    settings: MatchSettings | None = None,
) -> HitRequest:  # fmt: skip
    """Ask every agency with holdings of the kind whether it holds the subject. The answer
    per agency is hit or no hit and the best match probability; nothing else leaves the
    agency. Scored with the stored model against the candidates the subject's blocking
    keys find (an index lookup, not a scan)."""
    if not permissions.is_coordinator(actor):
        raise PermissionDenied
    started = time.perf_counter()
    spec = get_kind(kind)
    subject_values = {f: str(subject[f]).strip() for f in spec.fields if subject.get(f)}
    if not subject_values:
        raise ServiceError(f"Describe the subject by at least one of {', '.join(spec.fields)}.")
    if len((purpose or "").strip()) < 10:
        raise ServiceError("Give the purpose of the request in a sentence or two.", field="purpose")
    cleaned = clean_record(spec, subject_values)
    scorer = scorer_for(kind)
    found: dict[str, list[dict[str, Any]]] = {}
    if scorer is not None:
        for holding in _candidates(kind, blocking_keys(spec, cleaned)):
            score = scorer.score(cleaned, holding.cleaned)
            if score.probability >= KEEP_PROBABILITY:
                found.setdefault(str(holding.organisation_id), []).append(
                    {"holding": str(holding.pk), "probability": round(score.probability, 6),
                     "weight": score.weight, "evidence": _evidence(score.evidence)})  # fmt: skip
    else:  # no model yet (one agency, or never trained): train with the subject in
        found = _match_without_model(kind, cleaned, settings)
    agencies = Organisation.objects.filter(
        Exists(Holding.objects.filter(organisation=OuterRef("pk"), kind=kind))
    ).order_by("name")
    answers = []
    matches: dict[str, list[dict[str, Any]]] = {}
    for org in agencies:
        best = max((m["probability"] for m in found.get(str(org.pk), ())), default=0.0)
        hit = best >= HIT_PROBABILITY
        answers.append({"organisation": org.name, "organisation_id": str(org.pk), "hit": hit,
                        "confidence": round(best, 3)})  # fmt: skip
        if hit:
            matches[str(org.pk)] = sorted(
                (m for m in found[str(org.pk)] if m["probability"] >= HIT_PROBABILITY),
                key=lambda m: -m["probability"])  # fmt: skip
    with transaction.atomic():
        request = HitRequest.objects.create(
            coordinator=actor, kind=kind, subject=subject_values, purpose=purpose.strip(),
            answers=answers, matches=matches, engine_version=ENGINE_VERSION, created_by=actor,
            milliseconds=round((time.perf_counter() - started) * 1000, 2),
        )  # fmt: skip
        audit_log(actor=actor, action="gain.hit_request", target=request,
                  detail={"kind": kind, "hits": sum(a["hit"] for a in answers),
                          "agencies": len(answers)}, purpose=purpose.strip())  # fmt: skip
    return request


def _match_without_model(
    kind: str, cleaned: Mapping[str, Any], settings: MatchSettings | None
) -> dict[str, list[dict[str, Any]]]:
    holdings = list(Holding.objects.filter(kind=kind).only("id", "organisation_id", "cleaned"))
    records = [{"uid": SUBJECT, "agency": SUBJECT, **cleaned}]
    records += [{"uid": str(h.pk), "agency": str(h.organisation_id), **h.cleaned}
                for h in holdings]  # fmt: skip
    result = match(kind, records, settings or MatchSettings(threshold=KEEP_PROBABILITY))
    found: dict[str, list[dict[str, Any]]] = {}
    for pair in result.pairs:
        if SUBJECT not in (pair.left, pair.right):
            continue
        holding, agency = ((pair.right, pair.right_agency) if pair.left == SUBJECT
                           else (pair.left, pair.left_agency))  # fmt: skip
        found.setdefault(agency, []).append(
            {"holding": holding, "probability": pair.probability, "weight": pair.weight,
             "evidence": _evidence(pair.comparisons)})  # fmt: skip
    return found


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
    if len((purpose or "").strip()) < 10:
        raise ServiceError("Say what the disclosure is for, in a sentence or two.",
                           field="purpose")  # fmt: skip
    gateway = (legal_gateway or "").strip()
    if not gateway:
        raise ServiceError("Name the legal gateway for sharing.", field="legal_gateway")
    if len(gateway) > 200:
        raise ServiceError("Name the legal gateway in at most 200 characters.",
                           field="legal_gateway")  # fmt: skip
    if Disclosure.objects.filter(request=request, organisation=organisation).exists():
        raise ServiceError(f"{organisation.name} has already been asked about this request.")
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
    if approve and not shared.strip():
        raise ServiceError("Record what is shared.", field="shared")
    with transaction.atomic():
        current = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if current.status != DisclosureStatus.REQUESTED:
            raise ServiceError("This request is already decided.")
        disclosure.status = DisclosureStatus.APPROVED if approve else DisclosureStatus.DECLINED
        disclosure.decided_by, disclosure.decided_at = actor, timezone.now()
        disclosure.shared = shared.strip()
        disclosure.save()
        audit_log(actor=actor, action="gain.disclosure_decided", target=disclosure,
                  detail={"status": disclosure.status})  # fmt: skip
    return disclosure


def joint_work_disclosed(*, actor: Any, candidates: int) -> None:
    """Which agencies hold which subjects is hit information: its viewing is audited."""
    if not permissions.is_coordinator(actor):
        raise PermissionDenied
    audit_log(actor=actor, action="gain.joint_work_viewed", target=None,
              detail={"candidates": candidates})  # fmt: skip
