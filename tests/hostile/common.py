"""What the API fuzzers share: a refused request may write nothing but these tables."""

from __future__ import annotations

from socprofiles.core.backups import table_counts

# Tables a refused request may write: its audit event, the session, failed log-ins, and an
# API token's "last used" time.
MAY_CHANGE = ("audit_", "django_session", "axes_", "accounts_apitoken")


def assert_refusal_wrote_nothing(before: dict[str, int], where: str, status: int) -> None:
    """Compare the row counts taken before a refused request with those after it."""
    after = table_counts("default")
    changed = {
        t: (before.get(t), after.get(t))
        for t in set(before) | set(after)
        if before.get(t) != after.get(t) and not t.startswith(MAY_CHANGE)
    }
    assert not changed, f"{where} answered {status} but wrote {changed}"
