"""The fuzzers' snapshot sees every kind of write, on either database."""

from __future__ import annotations

import pytest

from socprofiles.accounts.models import Organisation
from socprofiles.audit.models import AuditEvent
from tests.hostile.common import snapshot

pytestmark = pytest.mark.django_db


def test_the_snapshot_sees_an_insert_an_update_and_a_delete_but_not_the_audit_trail() -> None:
    empty = snapshot()
    organisation = Organisation.objects.create(
        name="Test Council", slug="test-council", kind="local_authority"
    )
    inserted = snapshot()
    assert inserted["accounts_organisation"] != empty["accounts_organisation"]
    Organisation.objects.filter(pk=organisation.pk).update(short_name="TC")
    updated = snapshot()
    assert updated["accounts_organisation"] != inserted["accounts_organisation"]
    assert snapshot() == updated  # the same rows, the same digests
    Organisation.objects.filter(pk=organisation.pk).delete()
    assert snapshot()["accounts_organisation"] == empty["accounts_organisation"]
    assert not any(name.startswith("audit_") for name in updated)
    assert AuditEvent._meta.db_table.startswith("audit_")
