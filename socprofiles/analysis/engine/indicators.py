"""SOC threat indicators: which police.uk crime categories stand for which threat."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).with_name("indicators.yaml")


class IndicatorError(ValueError):
    """The indicator mapping does not follow its rules; the message names the key."""


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    threat: str
    crime_types: tuple[str, ...]
    note: str = ""


def parse_indicators(data: Any) -> dict[str, Indicator]:
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        raise IndicatorError("indicators: a mapping of indicator keys is required")
    seen: dict[str, str] = {}
    result: dict[str, Indicator] = {}
    for key, spec in data["indicators"].items():
        if not isinstance(spec, dict):
            raise IndicatorError(f"indicators.{key}: expected a mapping")
        types = spec.get("crime_types")
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            raise IndicatorError(f"indicators.{key}.crime_types: a list of crime categories")
        for crime_type in types:
            if crime_type in seen:
                raise IndicatorError(
                    f"indicators.{key}: {crime_type!r} is already in {seen[crime_type]!r}"
                )
            seen[crime_type] = key
        label = spec.get("label", "")
        if "indicator" not in str(label).lower():
            raise IndicatorError(f"indicators.{key}.label: must say it is an indicator")
        result[key] = Indicator(
            key, str(label), str(spec.get("threat", "")), tuple(types), str(spec.get("note", ""))
        )
    return result


@cache
def default_indicators() -> dict[str, Indicator]:
    return parse_indicators(yaml.safe_load(PATH.read_text(encoding="utf-8")))
