"""The hash of an audit event: pure functions, so they can be checked in isolation."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64

# The fields an event's hash covers, in a fixed order. Adding a field is a change of
# rule: it needs a new chain version, not an edit here.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "organisation_name",
    "partnership_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "purpose",
    "detail",
    "ip_address",
    "prev_hash",
)


def _normalise(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if value is None or isinstance(value, (str, int, float, bool, dict, list)):
        return value
    return str(value)


def event_hash(fields: dict[str, Any]) -> str:
    payload = {name: _normalise(fields.get(name)) for name in HASHED_FIELDS}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
