"""Postcode districts as people type them into the platform's forms: the outward code of a
UK postcode ("DH1", "DL17", "NE1A"), never a full postcode, which with a date or a concern
can point to one household. Each form keeps its own wording for what went wrong
(socprofiles.selfassessment speaks to the public, socprofiles.referrals to partners)."""

from __future__ import annotations

import re
from typing import Any

from socprofiles.core.exceptions import ServiceError

# The outward code of a UK postcode: one or two letters, a digit, then a digit or letter.
_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")


def compact(raw: Any) -> str:
    """What was typed, upper case with every space taken out (" dh1 3le" is "DH13LE")."""
    return re.sub(r"\s+", "", str(raw or "")).upper()


def clean_district(raw: Any, *, field: str, full_postcode: str, not_a_district: str) -> str:
    """A postcode district such as "DH1" (upper case, no spaces), or "" when none is given.
    A full postcode is refused with the message `full_postcode`, not cut down, so whoever
    typed it learns not to give one; anything else with `not_a_district`. Both refusals are
    a ServiceError on the form field `field`."""
    text = compact(raw)
    if not text:
        return ""
    if _FULL_POSTCODE.match(text):
        raise ServiceError(full_postcode, field=field)
    if not _DISTRICT.match(text):
        raise ServiceError(not_a_district, field=field)
    return text
