"""CSV that spreadsheets open safely: a cell that would start a formula is prefixed with an
apostrophe, so a hostile value such as =HYPERLINK(...) is shown as text (OWASP guidance)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(
    header: Iterable[str],
    rows: Iterable[Iterable[Any]],
    *,
    preamble: Iterable[Iterable[Any]] = (),
) -> str:
    """Rows as CSV text; `preamble` rows (the protective marking, who exported it and
    when) come before the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in preamble:
        writer.writerow([spreadsheet_safe(v) for v in line])
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return buffer.getvalue()
