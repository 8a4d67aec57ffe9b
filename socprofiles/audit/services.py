"""Writing the audit trail. Services call audit_log inside their own transaction, so an
action and its audit event commit together or not at all (DESIGN habit 7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from .chain import GENESIS_HASH, HASHED_FIELDS, event_hash
from .models import AuditChainHead, AuditEvent


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    partnership: Any = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one event. `actor` is a user or None for the system; `actor_username` names
    an unauthenticated actor (a failed log-in) when there is no user."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        target=target,
        partnership=partnership,
        purpose=purpose,
        detail=detail,
        request=request,
        actor_username=actor_username,
    )
    return audit_log_many([entry])[0]


@dataclass(frozen=True)
class AuditEntry:
    """One event to append, for audit_log_many."""

    action: str
    actor: Any = None
    target: models.Model | None = None
    partnership: Any = None
    purpose: str = ""
    detail: dict[str, Any] | None = None
    request: HttpRequest | None = None
    actor_username: str = ""


def audit_log_many(entries: list[AuditEntry]) -> list[AuditEvent]:
    """Append several events in order, holding the chain's head once: one lock, one insert
    and one update of the head, however many events (an import of many files)."""
    if not entries:
        return []
    # Inside a caller's transaction no savepoint of its own (two round trips fewer): an
    # event that cannot be written fails the work it records, never only itself.
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev_hash = head.seq, head.hash or GENESIS_HASH
        events = []
        for entry in entries:
            seq += 1
            fields = _fields(entry, seq, prev_hash)
            fields["hash"] = prev_hash = event_hash(fields)
            events.append(AuditEvent(**fields))
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events)
        head.seq, head.hash = seq, prev_hash
        head.save(update_fields=["seq", "hash"])
    return events


def _fields(entry: AuditEntry, seq: int, prev_hash: str) -> dict[str, Any]:
    actor = entry.actor
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    organisation = getattr(user, "organisation", None) if user is not None else None
    target = entry.target
    partnership = entry.partnership
    return {
        "seq": seq,
        # Stored and hashed in UTC to microsecond precision, the precision both databases
        # keep, so the hash recomputes exactly after a round trip.
        "occurred_at": datetime.now(tz=UTC),
        "actor_id": str(user.pk) if user is not None else None,
        "actor_username": (user.get_username() if user is not None else entry.actor_username)[:150],
        "organisation_id": str(organisation.pk) if organisation is not None else None,
        "organisation_name": (organisation.name if organisation is not None else "")[:200],
        "partnership_id": str(partnership.pk) if partnership is not None else None,
        "action": entry.action,
        "object_type": target._meta.label_lower if target is not None else "",
        "object_id": str(target.pk) if target is not None else "",
        "object_repr": str(target)[:300] if target is not None else "",
        "purpose": entry.purpose[:500],
        "detail": entry.detail or {},
        "ip_address": _client_ip(entry.request),
        "prev_hash": prev_hash,
    }


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    broken_seq: int | None = None


def audit_chain_verify(*, chunk_size: int = 2000, using: str = "default") -> ChainReport:
    """Walk the chain from the first event; report the first broken link. `using` names
    another database connection (a restored backup is checked through one)."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    values = ["id", "hash", *HASHED_FIELDS]
    events = AuditEvent.objects.using(using).order_by("seq").values(*values)
    rows = events.iterator(chunk_size=chunk_size)
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(
                False,
                checked,
                f"event #{expected_seq} is missing: the next stored event is #{seq}.",
                expected_seq,
            )
        if row["prev_hash"] != prev_hash:
            return ChainReport(
                False,
                checked,
                f"event #{seq} (id {row['id']}) does not link to the event before it.",
                seq,
            )
        if event_hash(row) != row["hash"]:
            return ChainReport(
                False,
                checked,
                f"event #{seq} (id {row['id']}) has been altered: its content no longer "
                "matches its hash.",
                seq,
            )
        prev_hash = row["hash"]
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = (head.hash if head else "") or GENESIS_HASH
    if head_seq != checked or head_hash != prev_hash:
        return ChainReport(
            False,
            checked,
            f"the chain ends at event #{checked} but its head records event #{head_seq}: "
            "events have been removed from the end.",
            checked + 1,
        )
    return ChainReport(True, checked)
