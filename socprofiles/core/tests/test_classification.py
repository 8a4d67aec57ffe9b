from __future__ import annotations

import pytest

from socprofiles.core.classification import Classification, classification_parse
from socprofiles.core.exceptions import ServiceError


@pytest.mark.parametrize("text", ["OFFICIAL", "official", " Official "])
def test_official_is_accepted(text: str) -> None:
    assert classification_parse(text).classification == Classification.OFFICIAL


def test_official_sensitive_needs_a_handling_note() -> None:
    with pytest.raises(ServiceError, match="handling note"):
        classification_parse("OFFICIAL-SENSITIVE")
    marking = classification_parse("official sensitive", handling_note="Partnership only")
    assert marking.classification == Classification.OFFICIAL_SENSITIVE
    assert marking.css == "official-sensitive"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("SECRET", "SECRET"),
        ("secret", "SECRET"),
        ("TOP SECRET", "TOP SECRET"),
        ("top_secret", "TOP SECRET"),
        ("SECRET UK EYES ONLY", "SECRET"),
    ],
)
def test_secret_and_above_are_refused(text: str, named: str) -> None:
    with pytest.raises(ServiceError) as raised:
        classification_parse(text)
    assert f"not accredited for {named} material" in raised.value.message


def test_unknown_markings_are_refused() -> None:
    with pytest.raises(ServiceError, match="use OFFICIAL or OFFICIAL-SENSITIVE"):
        classification_parse("RESTRICTED")
