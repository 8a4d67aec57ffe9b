"""The audit trail is append-only and any tampering is detected."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from socprofiles.accounts.tests.factories import UserFactory
from socprofiles.audit.chain import GENESIS_HASH, HASHED_FIELDS, event_hash
from socprofiles.audit.models import AuditChainHead, AuditEvent, AuditImmutableError
from socprofiles.audit.services import audit_chain_verify, audit_log

pytestmark = pytest.mark.django_db


def _write_events(n: int = 5) -> list[AuditEvent]:
    user = UserFactory()
    return [
        audit_log(
            actor=user,
            action=f"test.action_{i}",
            target=user,
            purpose="testing",
            detail={"i": i, "note": "naïve café"},
        )
        for i in range(n)
    ]


def _drop_update_trigger() -> None:
    """What an attacker with database-owner rights could do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


def _raw_update(event: AuditEvent, column: str, value: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s",  # noqa: S608 - test-only column names
            [value, event.id.hex if connection.vendor == "sqlite" else event.id],
        )


def test_events_chain_from_genesis() -> None:
    events = _write_events(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, events[2].hash)
    report = audit_chain_verify()
    assert report.ok and report.checked == 3


def test_many_events_at_once_chain_like_one_at_a_time() -> None:
    from socprofiles.audit.services import AuditEntry, audit_log_many

    first = _write_events(2)
    user = UserFactory()
    written = audit_log_many(
        [AuditEntry(action=f"test.batch.{i}", actor=user, detail={"i": i}) for i in range(5)]
    )
    assert [e.seq for e in written] == [3, 4, 5, 6, 7]
    assert written[0].prev_hash == first[-1].hash
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(written))
    stored = list(AuditEvent.objects.filter(seq__gte=3).order_by("seq"))
    assert [e.action for e in stored] == [f"test.batch.{i}" for i in range(5)]
    assert stored[0].actor_username == user.username
    assert audit_log_many([]) == []
    report = audit_chain_verify()
    assert report.ok and report.checked == 7


def test_stored_hash_recomputes_after_round_trip() -> None:
    event = _write_events(1)[0]
    row = AuditEvent.objects.values(*HASHED_FIELDS).get(pk=event.pk)
    assert event_hash(row) == event.hash


def test_model_refuses_update_and_delete() -> None:
    event = _write_events(1)[0]
    event.action = "changed"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update_from_any_client() -> None:
    event = _write_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw_update(event, "action", "changed")
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


TAMPERABLE = {
    "action": "partnership.member_removed",
    "actor_username": "someone.else",
    "organisation_name": "Another Organisation",
    "object_repr": "Something else",
    "object_id": "0",
    "object_type": "accounts.partnership",
    "purpose": "a different purpose",
    "detail": '{"i": 99}',
    "ip_address": "10.9.9.9",
    "occurred_at": "2020-01-01 00:00:00",
    "prev_hash": "f" * 64,
    "hash": "e" * 64,
}


@pytest.mark.parametrize("column", sorted(TAMPERABLE))
def test_tampering_with_any_column_is_detected(column: str) -> None:
    events = _write_events(5)
    target = events[2]
    _drop_update_trigger()
    _raw_update(target, column, TAMPERABLE[column])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == target.seq, report.problem
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify")
    assert raised.value.returncode == 1
    assert f"#{target.seq}" in str(raised.value)


def test_tampering_with_actor_or_partnership_reference_is_detected() -> None:
    events = _write_events(3)
    other = UserFactory()
    _drop_update_trigger()
    value = other.pk.hex if connection.vendor == "sqlite" else other.pk
    _raw_update(events[1], "actor_id", value)
    report = audit_chain_verify()
    assert not report.ok and report.broken_seq == 2


def test_removing_an_event_from_the_middle_is_detected() -> None:
    events = _write_events(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == 2
    assert "missing" in report.problem


def test_removing_the_newest_events_is_detected() -> None:
    events = _write_events(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq >= %s", [events[2].seq])
    report = audit_chain_verify()
    assert not report.ok
    assert "removed from the end" in report.problem


def test_a_forged_replacement_event_is_detected() -> None:
    """Rewriting an event and its own hash still breaks the next event's link."""
    events = _write_events(4)
    target = events[1]
    row = AuditEvent.objects.values(*HASHED_FIELDS).get(pk=target.pk)
    row["action"] = "forged"
    forged_hash = event_hash(row)
    _drop_update_trigger()
    _raw_update(target, "action", "forged")
    _raw_update(target, "hash", forged_hash)
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == target.seq + 1


def test_audit_verify_command_passes_on_an_intact_chain() -> None:
    _write_events(3)
    call_command("audit_verify")


def test_an_empty_trail_verifies() -> None:
    assert audit_chain_verify().ok
