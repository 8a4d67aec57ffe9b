"""What the API fuzzers share: a refused request may change nothing but these tables."""

from __future__ import annotations

import hashlib

from django.db import connections

# Tables a refused request may write: its audit event, the session, failed log-ins, and an
# API token's "last used" time.
MAY_CHANGE = ("audit_", "django_session", "axes_", "accounts_apitoken")


def snapshot(using: str = "default") -> dict[str, str]:
    """A digest of every row of every other table: an UPDATE shows as well as an INSERT or
    a DELETE (the test databases are small)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    digests = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor, include_views=False)):
            if name.startswith(MAY_CHANGE):
                continue
            cursor.execute(f"SELECT * FROM {quote(name)}")  # noqa: S608 - names from the catalogue
            rows = sorted(map(repr, cursor.fetchall()))
            digests[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def assert_refusal_wrote_nothing(
    before: dict[str, str], after: dict[str, str], where: str, status: int
) -> None:
    changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
    assert not changed, f"{where} answered {status} but changed {changed}"
