"""The JSON API fuzzed by Schemathesis from its own OpenAPI document, through Django's WSGI
application in this process (so it sees the test database): every operation, with data
the schema allows and data it forbids, sent with a service account's API token. No
request may get a 500, and a refused request may change nothing but the audit trail, the
session and the log-in records. (test_api_fuzz.py walks the same schema with a signed-in
person's session and path parameters that exist.)"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from conftest import World
from socprofiles.accounts.services import api_token_create
from socprofiles.accounts.tests.factories import UserFactory
from tests.hostile.common import assert_refusal_wrote_nothing, snapshot

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))


@contextmanager
def _requests_keep_the_connection() -> Iterator[None]:
    """Django closes a connection that is not in autocommit at the start and end of each
    request, which would end the test's transaction; its own test client stops that while
    it calls the application (and starts it again after), and so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_partial_write(
    world: World, client_for: Any
) -> None:
    system = UserFactory(username="svc.fuzz", organisation=world.council, is_service_account=True)
    headers = {
        "Authorization": f"Bearer {api_token_create(actor=None, user=system, name='fuzz').key}"
    }
    # The document is for people who have signed in; the calls use the token.
    document = client_for("owner").get("/api/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    cases = st.one_of(
        [op.as_strategy(mode) for op in operations for mode in GenerationMode]  # type: ignore[attr-defined]
    )
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=cases)
    def fuzz(case: Any) -> None:
        before = snapshot()  # here: drawing the example may have made rows
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        where = f"{case.method} {case.formatted_path} {case.query!r} {case.body!r}"[:400]
        assert response.status_code < 500, (where, response.content[:500])
        if response.status_code >= 400:
            assert_refusal_wrote_nothing(before, snapshot(), where, response.status_code)

    with _requests_keep_the_connection():
        fuzz()
    print(f"\nSchemathesis statuses: {dict(sorted(statuses.items()))}")
    assert any(200 <= s < 300 for s in statuses), "no request got through: the token is refused"
    assert any(400 <= s < 500 for s in statuses), "no request was refused: the data is too tame"
