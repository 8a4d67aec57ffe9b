"""The cost of the hash-chained audit trail.

append: writing N audit events through audit_log (chain head locked, SHA-256 over the
canonical event) against the reference of inserting the same N rows, each in its own
transaction, without the chain; three rounds, alternating, medians compared. Target: the
chain costs at most 3x a plain insert.

verify: walking and re-hashing the whole chain against the reference of only reading the
same rows. Target: at most 4x the plain read (hashing must not dominate a read).
"""

from __future__ import annotations

import statistics
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

N = 2000
ROUNDS = 3


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run() -> dict[str, Any]:
    from socprofiles.accounts.models import User
    from socprofiles.audit.models import AuditEvent
    from socprofiles.audit.services import audit_chain_verify, audit_log

    actor = User.objects.create(username=f"bench-{uuid.uuid4().hex[:8]}")

    def chained() -> None:
        for i in range(N):
            audit_log(actor=actor, action="bench.event", target=actor, detail={"i": i})

    base_seq = 10_000_000

    def plain() -> None:
        for i in range(N):
            with transaction.atomic():
                AuditEvent(
                    seq=base_seq + i,
                    occurred_at=datetime.now(tz=UTC),
                    actor_id=actor.pk,
                    actor_username=actor.username,
                    action="bench.reference",
                    object_type="accounts.user",
                    object_id=str(actor.pk),
                    object_repr=str(actor),
                    detail={"i": i},
                    prev_hash="0" * 64,
                    hash=uuid.uuid4().hex * 2,
                ).save()

    from django.db import connection

    references, measures = [], []
    for _round in range(ROUNDS):  # alternating; the medians decide, not one noisy round
        references.append(_timed(plain))
        # Remove the reference rows (allowed at the database level) so the chain verifies.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE seq >= %s", [base_seq])
        measures.append(_timed(chained))
    reference, measured = statistics.median(references), statistics.median(measures)
    append_ratio = measured / reference

    def read_only() -> None:
        for _row in AuditEvent.objects.order_by("seq").values().iterator(chunk_size=2000):
            pass

    report_holder: dict[str, Any] = {}
    read_reference = _timed(read_only)
    verify_time = _timed(lambda: report_holder.setdefault("r", audit_chain_verify()))
    verify_ratio = verify_time / read_reference
    report = report_holder["r"]
    return {
        "events": N,
        "append_ratio": round(append_ratio, 2),
        "append_per_second": round(N / measured),
        "verify_ratio": round(verify_ratio, 2),
        "verify_per_second": round(report.checked / verify_time),
        "chain_ok": report.ok,
        "rounds": ROUNDS,
        "within_target": report.ok and append_ratio <= 3.0 and verify_ratio <= 4.0,
        "summary": (
            f"append {append_ratio:.2f}x a plain insert ({N / measured:.0f} events/s, "
            f"target <= 3x); verify {verify_ratio:.2f}x a plain read "
            f"({report.checked / verify_time:.0f} events/s, target <= 4x); chain ok={report.ok}"
        ),
    }
