"""Statistical disclosure control for counts that travel beyond the partnership (the Local
Profile's tables): a small count could let a reader recognise a person or a place, so a
count of 1 to 4 is shown as "<5". Zero stays zero, as it identifies nobody.

This is primary suppression only: a suppressed cell can sometimes be worked out from a
row or column total (see docs/how-to/referrals.md and
docs/adr/0016-protect-and-prevent-tools.md)."""

from __future__ import annotations

from typing import Any

SUPPRESS_BELOW = 5


def suppressed(value: Any, threshold: int = SUPPRESS_BELOW) -> Any:
    """A count of 1 to threshold - 1 as the text "<threshold" (by default "<5"); any other
    value, including zero, a larger count or anything that is not an integer, unchanged."""
    if isinstance(value, int) and 0 < value < threshold:
        return f"<{threshold}"
    return value
