"""Partner feeds described by declarative YAML mappings (DESIGN habit 6).

A mapping names the feed, the columns it reads (with the header names partners use), each
column's value type (one cleaning function per type, cleaning.py), which columns are
required, which make the natural key, and which give the LSOA, area code and period that
place a record. Mappings live in socprofiles/datasets/feeds/*.yaml and are validated when
loaded; a test loads them all.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import cleaning as c
from .specs import Column, TableSpec

FEEDS_DIR = Path(__file__).resolve().parent.parent / "feeds"
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TOP_KEYS = {
    "name", "title", "description", "columns", "key", "lsoa_field", "area_field",
    "period_field", "sheet", "source", "licence", "sample",
}  # fmt: skip
_COLUMN_KEYS = {"field", "headers", "type", "required", "choices", "description"}


class MappingError(ValueError):
    """A feed mapping that does not follow the rules; the message names file and key."""


def _fail(path: Path, where: str, message: str) -> MappingError:
    return MappingError(f"{path.name}: {where}: {message}")


def load_mapping(path: Path) -> TableSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise MappingError(f"{path.name}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise _fail(path, "top level", "expected a mapping of keys to values")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(path, "top level", f"unknown keys {sorted(unknown)}")
    for required in ("name", "title", "columns"):
        if required not in data:
            raise _fail(path, "top level", f"{required!r} is required")
    name = data["name"]
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise _fail(
            path, "name", "lower-case letters, digits and underscores, starting with a letter"
        )
    if name != path.stem:
        raise _fail(path, "name", f"must match the file name ({path.stem!r})")
    raw_columns = data["columns"]
    if not isinstance(raw_columns, list) or not raw_columns:
        raise _fail(path, "columns", "a non-empty list is required")
    columns: list[Column] = []
    types: dict[str, str] = {}
    for number, raw in enumerate(raw_columns, start=1):
        where = f"columns[{number}]"
        if not isinstance(raw, dict):
            raise _fail(path, where, "expected field, headers and type")
        unknown = set(raw) - _COLUMN_KEYS
        if unknown:
            raise _fail(path, where, f"unknown keys {sorted(unknown)}")
        field = raw.get("field")
        if not isinstance(field, str) or not _IDENTIFIER.match(field):
            raise _fail(path, where, "'field' must be a lower-case identifier")
        if field in types:
            raise _fail(path, where, f"field {field!r} appears twice")
        headers = raw.get("headers")
        if isinstance(headers, str):
            headers = [headers]
        if (
            not isinstance(headers, list)
            or not headers
            or not all(isinstance(h, str) for h in headers)
        ):
            raise _fail(path, where, "'headers' must be a header name or a list of them")
        kind = raw.get("type", "text")
        if kind == "choice":
            choices = raw.get("choices")
            if not isinstance(choices, list) or not choices:
                raise _fail(path, where, "a choice column needs a list of 'choices'")
            cleaner = c.choice([str(x) for x in choices])
        elif kind in c.CLEANERS:
            if "choices" in raw:
                raise _fail(path, where, "'choices' only goes with type: choice")
            cleaner = c.CLEANERS[kind]
        else:
            raise _fail(
                path, where, f"unknown type {kind!r}; use one of {sorted([*c.CLEANERS, 'choice'])}"
            )
        required = raw.get("required", False)
        if not isinstance(required, bool):
            raise _fail(path, where, "'required' is true or false")
        types[field] = kind
        columns.append(Column(field, tuple(headers), cleaner, required))
    key = data.get("key", [])
    if isinstance(key, str):
        key = [key]
    if not isinstance(key, list) or any(k not in types for k in key):
        raise _fail(path, "key", f"must list fields of this mapping (they are {sorted(types)})")
    expected_types = {
        "lsoa_field": {"lsoa_code"},
        "area_field": {"area_code", "postcode", "postcode_district", "text"},
        "period_field": {"date", "month"},
    }
    for option, allowed in expected_types.items():
        value = data.get(option)
        if value is None:
            continue
        if value not in types:
            raise _fail(path, option, f"{value!r} is not a field of this mapping")
        if types[value] not in allowed:
            raise _fail(path, option, f"{value!r} must have type {' or '.join(sorted(allowed))}")
    return TableSpec(
        kind=f"feed:{name}",
        label=str(data["title"]),
        columns=tuple(columns),
        target="feed",
        key=tuple(key),
        lsoa_field=data.get("lsoa_field"),
        options={
            "name": name,
            "description": str(data.get("description", "")).strip(),
            "area_field": data.get("area_field"),
            "period_field": data.get("period_field"),
            "sheet": data.get("sheet"),
            "source": data.get("source", ""),
            "licence": data.get("licence", ""),
        },
    )


@cache
def all_feeds() -> dict[str, TableSpec]:
    return {path.stem: load_mapping(path) for path in sorted(FEEDS_DIR.glob("*.yaml"))}


def feed(name: str) -> TableSpec:
    feeds = all_feeds()
    if name not in feeds:
        raise KeyError(f"There is no feed mapping called {name!r}; known: {', '.join(feeds)}")
    return feeds[name]


def describe(spec: TableSpec) -> list[dict[str, Any]]:
    """The columns a partner must supply, for the page that explains a feed."""
    return [
        {"field": col.field, "headers": list(col.headers), "required": col.required}
        for col in spec.columns
    ]
