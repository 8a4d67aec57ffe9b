"""The kinds of nominal record (person, business, vehicle, premises), read from
kinds.yaml and checked on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).with_name("kinds.yaml")
COMPARISON_TYPES = {"name", "exact", "dob", "postcode", "identifier", "address"}


class KindError(ValueError):
    pass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[str, ...]
    blocking: tuple[tuple[str, ...], ...]
    comparisons: tuple[tuple[str, str], ...]
    training: tuple[tuple[str, ...], ...]


def _kind(key: str, data: Any) -> Kind:
    where = f"{PATH.name}, kind {key!r}"
    if not isinstance(data, dict):
        raise KindError(f"{where}: expected a mapping")
    fields = tuple(data.get("fields") or ())
    if not fields:
        raise KindError(f"{where}: no fields")
    comparisons = tuple((str(k), str(v)) for k, v in (data.get("comparisons") or {}).items())
    for column, kind in comparisons:
        if column not in fields:
            raise KindError(f"{where}: comparison on {column!r}, which is not a field")
        if kind not in COMPARISON_TYPES:
            raise KindError(
                f"{where}: comparison type {kind!r} for {column!r}; use one of "
                f"{', '.join(sorted(COMPARISON_TYPES))}"
            )
    rules = []
    for name in ("blocking", "training"):
        found = tuple(tuple(rule) for rule in data.get(name) or ())
        if not found:
            raise KindError(f"{where}: no {name} rules")
        for rule in found:
            missing = [c for c in rule if c not in fields]
            if missing:
                raise KindError(f"{where}: {name} rule on unknown field(s) {missing}")
        rules.append(found)
    return Kind(key, str(data.get("label") or key), fields, rules[0], comparisons, rules[1])


@cache
def kinds() -> dict[str, Kind]:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    return {key: _kind(key, spec) for key, spec in (data.get("kinds") or {}).items()}


def get_kind(key: str) -> Kind:
    found = kinds().get(key)
    if found is None:
        raise KindError(f"{key!r} is not a kind of record: use {', '.join(sorted(kinds()))}")
    return found
