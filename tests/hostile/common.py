"""What the API fuzzers share: a refused request may change nothing but these tables."""

from __future__ import annotations

import hashlib

from django.db import connections

# Tables a refused request may write: its audit event, the session, failed log-ins, and an
# API token's "last used" time.
MAY_CHANGE = ("audit_", "django_session", "axes_", "accounts_apitoken")


def snapshot(using: str = "default") -> dict[str, str]:
    """A digest of every row of every other table: an UPDATE shows as well as an INSERT or
    a DELETE (the test databases are small). On PostgreSQL the server digests each table
    and all come back in one query (a query per table, each a round trip, made the two
    fuzzers several times slower there than on SQLite)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        names = [
            name
            for name in sorted(connection.introspection.table_names(cursor, include_views=False))
            if not name.startswith(MAY_CHANGE)
        ]
        if connection.vendor == "postgresql":
            digest = "SELECT %s, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
            cursor.execute(
                " UNION ALL ".join(
                    f"{digest} FROM {quote(name)} AS t"  # names from the catalogue
                    for name in names
                ),
                names,
            )
            return dict(cursor.fetchall())
        digests = {}
        for name in names:
            cursor.execute(f"SELECT * FROM {quote(name)}")  # noqa: S608 - names from the catalogue
            rows = sorted(map(repr, cursor.fetchall()))
            digests[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def assert_refusal_wrote_nothing(
    before: dict[str, str], after: dict[str, str], where: str, status: int
) -> None:
    changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
    assert not changed, f"{where} answered {status} but changed {changed}"
