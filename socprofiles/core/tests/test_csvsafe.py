from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from socprofiles.core.csvsafe import csv_text, spreadsheet_safe


def test_formula_starts_are_neutralised() -> None:
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "|cmd"):
        assert spreadsheet_safe(dangerous).startswith("'")
    assert spreadsheet_safe("Durham") == "Durham"
    assert spreadsheet_safe(42) == 42


@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=4), max_size=5))
def test_no_cell_of_any_export_starts_a_formula(rows: list[list[str]]) -> None:
    text = csv_text(["a"], rows)
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "|"))
