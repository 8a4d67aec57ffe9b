"""Small-number suppression for counts shown beyond the partnership."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from socprofiles.core.disclosure import SUPPRESS_BELOW, suppressed


def test_counts_of_one_to_four_are_shown_as_fewer_than_five() -> None:
    assert [suppressed(n) for n in range(7)] == [0, "<5", "<5", "<5", "<5", 5, 6]
    assert SUPPRESS_BELOW == 5


def test_other_values_pass_through_unchanged() -> None:
    for value in (-3, 1000, "Durham", "", None, 2.0, "<5"):
        assert suppressed(value) == value


def test_a_threshold_of_ten() -> None:
    assert [suppressed(n, threshold=10) for n in (0, 1, 9, 10)] == [0, "<10", "<10", 10]


@given(st.integers())
def test_only_counts_between_zero_and_the_threshold_are_hidden(count: int) -> None:
    shown = suppressed(count)
    assert (shown == "<5") == (0 < count < 5)
    if shown != "<5":
        assert shown == count
