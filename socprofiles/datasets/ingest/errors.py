"""How an import says no: a precise, human message, and the rows at fault."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

REPORT_LIMIT = 100  # bad rows listed in a report; the count covers them all


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"row {self.row}, column {self.column!r}: {self.reason} (found {shown!r})"


class ImportRefused(Exception):
    """The file cannot be imported; nothing of it was kept."""

    def __init__(
        self, message: str, problems: list[RowProblem] | None = None, *, bad_rows: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])[:REPORT_LIMIT]
        self.bad_rows = bad_rows or len(problems or [])

    def __str__(self) -> str:
        lines = [self.message]
        lines += [f"  {p}" for p in self.problems[:10]]
        if self.bad_rows > 10:
            lines.append(f"  ... {self.bad_rows - 10} more bad row(s); see the full report.")
        return "\n".join(lines)


class CleanError(ValueError):
    """A value that does not fit its column; the message says what was expected."""
