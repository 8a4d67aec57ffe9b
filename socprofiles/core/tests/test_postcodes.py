"""Postcode districts typed into forms: the district kept, a full postcode refused."""

from __future__ import annotations

import pytest

from socprofiles.core.exceptions import ServiceError
from socprofiles.core.postcodes import clean_district, compact

MESSAGES = {"field": "where", "full_postcode": "Too much", "not_a_district": "Not a district"}


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("DH1", "DH1"), (" dl 17 ", "DL17"), ("ne1a", "NE1A"), ("W1", "W1"), ("", ""),
     ("   ", ""), (None, "")],
)  # fmt: skip
def test_a_district_is_kept_upper_case_without_spaces(typed: str, kept: str) -> None:
    assert clean_district(typed, **MESSAGES) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [("DH1 3LE", "Too much"), ("dl173ab", "Too much"), ("SW1A 1AA", "Too much"),
     ("Durham", "Not a district"), ("1DH", "Not a district"), ("E01012345", "Not a district")],
)  # fmt: skip
def test_anything_else_is_refused_with_the_callers_message(typed: str, message: str) -> None:
    with pytest.raises(ServiceError) as refused:
        clean_district(typed, **MESSAGES)
    assert (refused.value.message, refused.value.field) == (message, "where")


def test_compact() -> None:
    assert compact(" dh1\t3le ") == "DH13LE"
    assert compact(None) == ""
