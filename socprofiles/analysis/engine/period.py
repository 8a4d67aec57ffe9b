"""A period of whole months, "YYYY-MM" to "YYYY-MM", and the periods it is compared with.
Plain Python, so that checking a period imports nothing heavy."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A period that is not two months "YYYY-MM", the first not after the second."""


def _index(value: str) -> int:
    match = _MONTH.match(value) if isinstance(value, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(f"{value!r} is not a month written YYYY-MM")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Period:
    start: str  # "YYYY-MM"
    end: str

    def __post_init__(self) -> None:
        if _index(self.start) > _index(self.end):
            raise PeriodError(f"the period starts ({self.start}) after it ends ({self.end})")

    @property
    def months(self) -> list[str]:
        return [_month(i) for i in range(_index(self.start), _index(self.end) + 1)]

    def shifted(self, months: int) -> Period:
        return Period(_month(_index(self.start) + months), _month(_index(self.end) + months))

    def previous(self) -> Period:
        return self.shifted(-len(self.months))

    def year_before(self) -> Period:
        return self.shifted(-12)

    def __str__(self) -> str:
        return self.start if self.start == self.end else f"{self.start} to {self.end}"
