"""One cleaning function per kind of value (DESIGN habit 6). Each takes the raw cell (text
from a CSV, or whatever a spreadsheet cell holds) and returns the clean value, or raises
CleanError saying what was expected. Empty cells become None; whether a column may be
empty is the column's business, not the cleaner's."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import CleanError

Cleaner = Callable[[Any], Any]

_SPACES = re.compile(r"\s+")


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    value = str(raw).strip()
    return value or None


def text(raw: Any) -> str | None:
    value = _text(raw)
    if value is not None and len(value) > 2000:
        raise CleanError("text longer than 2,000 characters")
    return value


def integer(raw: Any) -> int | None:
    """Whole numbers as published: thousands separators, padding spaces, "1,234.0"."""
    if isinstance(raw, bool):
        raise CleanError("a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CleanError("a whole number")
    value = _text(raw)
    if value is None:
        return None
    compact = value.replace(",", "").replace(" ", "")
    if compact.endswith(".0"):
        compact = compact[:-2]
    try:
        return int(compact)
    except ValueError:
        raise CleanError("a whole number, like 1,234") from None


def decimal(raw: Any) -> float | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    value = _text(raw)
    if value is None:
        return None
    try:
        number = Decimal(value.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise CleanError("a number, like 12.5") from None
    if not number.is_finite():
        raise CleanError("a finite number")
    return float(number)


def longitude(raw: Any) -> float | None:
    value = decimal(raw)
    if value is not None and not -180 <= value <= 180:
        raise CleanError("a longitude between -180 and 180")
    return value


def latitude(raw: Any) -> float | None:
    value = decimal(raw)
    if value is not None and not -90 <= value <= 90:
        raise CleanError("a latitude between -90 and 90")
    return value


_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month(raw: Any) -> str | None:
    """A month as YYYY-MM (police.uk's form)."""
    if isinstance(raw, datetime | date):
        return f"{raw.year:04d}-{raw.month:02d}"
    value = _text(raw)
    if value is None:
        return None
    if not _MONTH.match(value):
        raise CleanError("a month written YYYY-MM, like 2022-01")
    return value


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


def date_value(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    value = _text(raw)
    if value is None:
        return None
    head = (
        value.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value) else value
    )
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise CleanError("a date, like 2022-03-31 or 31/03/2022")


def datetime_text(raw: Any) -> str | None:
    """An ISO 8601 date and time, kept as published (with its offset)."""
    if isinstance(raw, datetime):
        return raw.isoformat()
    value = _text(raw)
    if value is None:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise CleanError("a date and time like 2022-08-31T23:00:00+00:00") from None
    return value


_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def boolean(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    value = _text(raw)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CleanError("yes or no (true/false)")


_LSOA = re.compile(r"^[EW]01\d{6}$")
_ONS = re.compile(r"^[EWSNK]\d{8}$")


def lsoa_code(raw: Any) -> str | None:
    value = _text(raw)
    if value is None:
        return None
    value = value.upper()
    if not _LSOA.match(value):
        raise CleanError("an LSOA code like E01020634 (E01 or W01 and six digits)")
    return value


def area_code(raw: Any) -> str | None:
    value = _text(raw)
    if value is None:
        return None
    value = value.upper()
    if not _ONS.match(value):
        raise CleanError("an ONS area code like E06000047 (a letter and eight digits)")
    return value


_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def postcode(raw: Any) -> str | None:
    """A full UK postcode, normalised to upper case with one space: "DH1 5ZZ"."""
    value = _text(raw)
    if value is None:
        return None
    compact = _SPACES.sub("", value.upper())
    found = _POSTCODE.match(compact)
    if not found:
        raise CleanError("a UK postcode like DH1 5ZZ")
    return f"{found.group(1)} {found.group(2)}"


def postcode_district(raw: Any) -> str | None:
    """The outward part of a postcode ("DH1"), or the district of a full one."""
    value = _text(raw)
    if value is None:
        return None
    compact = _SPACES.sub("", value.upper())
    full = _POSTCODE.match(compact)
    if full:
        return full.group(1)
    if _DISTRICT.match(compact):
        return compact
    raise CleanError("a postcode district like DH1")


def text_list(raw: Any) -> list[str] | None:
    """Several values in one cell, separated by ; | or commas."""
    value = _text(raw)
    if value is None:
        return None
    parts = re.split(r"[;|,]", value)
    return [p.strip() for p in parts if p.strip()] or None


CLEANERS: dict[str, Cleaner] = {
    "text": text,
    "integer": integer,
    "decimal": decimal,
    "longitude": longitude,
    "latitude": latitude,
    "month": month,
    "date": date_value,
    "datetime": datetime_text,
    "boolean": boolean,
    "lsoa_code": lsoa_code,
    "area_code": area_code,
    "postcode": postcode,
    "postcode_district": postcode_district,
    "list": text_list,
}


def choice(options: list[str]) -> Cleaner:
    """One of a fixed set of values, matched without regard to case or spacing."""
    canonical = {normalise(o): o for o in options}

    def clean(raw: Any) -> str | None:
        value = _text(raw)
        if value is None:
            return None
        found = canonical.get(normalise(value))
        if found is None:
            raise CleanError(f"one of: {', '.join(options)}")
        return found

    return clean


def normalise(value: str) -> str:
    return _SPACES.sub(" ", value).strip().casefold()
