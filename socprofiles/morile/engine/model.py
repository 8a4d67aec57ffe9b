"""MoRiLE models as data, and scoring with them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ModelError(ValueError):
    """A model file that does not follow the rules; the message names the file and key."""


class ValueNotOnScale(ValueError):
    """A factor's value that is not one of the model's allowed values."""

    def __init__(self, factor: Factor, value: Any) -> None:
        self.factor = factor
        self.value = value
        allowed = ", ".join(_fmt(level.value) for level in factor.levels)
        super().__init__(
            f"{factor.label} ({factor.key}) must be one of {allowed}; "
            f"{value!r} is not on the scale."
        )


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class Level:
    value: float
    label: str
    description: str = ""


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    group: str
    levels: tuple[Level, ...]
    description: str = ""

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(level.value for level in self.levels)

    def check(self, value: Any) -> float:
        """The value as a number, if it is on the scale (1 and 1.0 and "1" are the same)."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueNotOnScale(self, value) from None
        if math.isnan(number) or not any(math.isclose(number, v) for v in self.values):
            raise ValueNotOnScale(self, value)
        return number

    def label_of(self, value: float) -> str:
        for level in self.levels:
            if math.isclose(level.value, value):
                return level.label
        return ""


@dataclass(frozen=True)
class Grading:
    """A table from a whole-number total (the organisational position) to a multiplier.
    `published` lists the points taken from a published source; the others are the
    model's documented assumptions."""

    points: Mapping[int, float]
    published: frozenset[int]
    label: str = ""
    note: str = ""
    chosen: frozenset[int] = frozenset()  # unpublished points a partnership set itself

    def multiplier(self, total: float) -> float:
        key = round(total)
        if not math.isclose(key, total) or key not in self.points:
            raise ValueError(f"{total!r} is not a total the grading table covers")
        return float(self.points[key])

    def assumed(self) -> list[int]:
        """Totals whose multiplier is not published (the model's default or a choice)."""
        return sorted(set(self.points) - set(self.published))

    def source(self, total: int) -> str:
        if total in self.published:
            return "published"
        return "chosen" if total in self.chosen else "assumed"


@dataclass(frozen=True)
class Output:
    """One computed value: the sum of a group, the product of earlier outputs, or an
    earlier output times the grading table's multiplier for another."""

    key: str
    label: str
    kind: str  # "sum", "product", "graded"
    args: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    model: str  # name@version
    inputs: dict[str, float]
    outputs: dict[str, float]

    def __getitem__(self, key: str) -> float:
        return self.outputs[key]


@dataclass(frozen=True)
class Model:
    name: str
    version: int
    title: str
    description: str
    kind: str
    factors: tuple[Factor, ...]
    groups: dict[str, tuple[str, ...]]
    group_labels: dict[str, str]
    outputs: tuple[Output, ...]
    grading: Grading
    rank_by: str
    source: str = ""
    definition: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def factor_keys(self) -> list[str]:
        return [f.key for f in self.factors]

    @property
    def output_keys(self) -> list[str]:
        return [o.key for o in self.outputs]

    def factor(self, key: str) -> Factor:
        for factor in self.factors:
            if factor.key == key:
                return factor
        raise KeyError(key)

    def factors_in(self, group: str) -> list[Factor]:
        return [self.factor(k) for k in self.groups[group]]

    # -- scoring one ----------------------------------------------------------------------

    def check(self, values: Mapping[str, Any]) -> dict[str, float]:
        missing = [k for k in self.factor_keys if k not in values or values[k] in (None, "")]
        if missing:
            raise ValueError(f"no value for {', '.join(missing)}")
        return {factor.key: factor.check(values[factor.key]) for factor in self.factors}

    def score(self, values: Mapping[str, Any]) -> Score:
        inputs = self.check(values)
        results: dict[str, float] = {}
        for output in self.outputs:
            results[output.key] = self._compute(output, inputs, results)
        return Score(model=self.id, inputs=inputs, outputs=results)

    def _compute(self, output: Output, inputs: dict[str, float], done: dict[str, float]) -> float:
        if output.kind == "sum":
            return _clean(sum(inputs[k] for k in self.groups[output.args[0]]))
        if output.kind == "product":
            result = 1.0
            for name in output.args:
                result *= done[name]
            return _clean(result)
        base, by = output.args
        return _clean(done[base] * self.grading.multiplier(done[by]))

    # -- scoring many, vectorised ---------------------------------------------------------

    def score_table(self, columns: Mapping[str, Iterable[Any]]) -> dict[str, np.ndarray]:
        """Score many issues at once: one array per factor in, one per output out. Values
        off the scale raise ValueNotOnScale naming the first one (row index in .row).

        The outputs are rows of one block, computed in place: a table of issues costs one
        allocation, not one per step."""
        inputs: dict[str, np.ndarray] = {}
        length = -1
        for factor in self.factors:
            if factor.key not in columns:
                raise ValueError(f"no column for {factor.key}")
            array = np.ascontiguousarray(columns[factor.key], dtype=float)
            if array.ndim != 1:
                raise ValueError(f"the column for {factor.key} must be one-dimensional")
            if length < 0:
                length = len(array)
            elif len(array) != length:
                raise ValueError("every factor's column must have the same length")
            inputs[factor.key] = array
        _check_scales([(factor, inputs[factor.key]) for factor in self.factors])

        block = np.empty((len(self.outputs), max(length, 0)))
        results: dict[str, np.ndarray] = {}
        low, table = self._grading_table
        for output, out in zip(self.outputs, block, strict=True):
            if output.kind == "sum":
                names = self.groups[output.args[0]]
                if len(names) == 1:
                    np.copyto(out, inputs[names[0]])
                else:
                    np.add(inputs[names[0]], inputs[names[1]], out=out)
                for name in names[2:]:
                    np.add(out, inputs[name], out=out)
            elif output.kind == "product":
                np.multiply(results[output.args[0]], results[output.args[1]], out=out)
                for name in output.args[2:]:
                    np.multiply(out, results[name], out=out)
            else:
                base, by = output.args
                index = results[by].astype(np.intp)  # whole numbers: the model guarantees it
                if low:
                    index -= low
                np.multiply(results[base], table.take(index), out=out)
            results[output.key] = out
        return results

    @property
    def _grading_table(self) -> tuple[int, np.ndarray]:
        cached = self.__dict__.get("_grading_cache")
        if cached is None:
            points = self.grading.points
            low, high = min(points), max(points)
            table = np.full(high - low + 1, np.nan)
            for key, value in points.items():
                table[key - low] = value
            cached = (low, table)
            object.__setattr__(self, "_grading_cache", cached)
        return cached

    def ranked(self, scores: Iterable[tuple[Any, Score]]) -> list[tuple[int, Any, Score]]:
        """(rank, item, score) by the model's ranking output, highest first; equal scores
        share a rank (1, 2, 2, 4)."""
        ordered = sorted(scores, key=lambda pair: -pair[1].outputs[self.rank_by])
        ranked = []
        previous = None
        rank = 0
        for position, (item, score) in enumerate(ordered, start=1):
            value = score.outputs[self.rank_by]
            if previous is None or not math.isclose(value, previous):
                rank = position
            previous = value
            ranked.append((rank, item, score))
        return ranked

    def allowed(self, key: str) -> list[float]:
        return list(self.factor(key).values)

    def min_max(self, group: str) -> tuple[float, float]:
        factors = self.factors_in(group)
        return (
            sum(min(f.values) for f in factors),
            sum(max(f.values) for f in factors),
        )


BULK_ROWS = 20_000
"""From this many rows, scales are checked by the compiled kernel (one pass per column);
below it, by NumPy, which needs no compiling or importing."""


def _check_scales(columns: list[tuple[Factor, np.ndarray]]) -> None:
    kernel: Callable[[np.ndarray, float, int], int] | None = None
    if columns and len(columns[0][1]) >= BULK_ROWS:
        try:
            from ._kernel import count_off_scale

            kernel = count_off_scale
        except ImportError:  # pragma: no cover - numba is a locked dependency
            kernel = None
    for factor, array in columns:
        encoded = _encoding(factor)
        if kernel is not None and encoded is not None and not kernel(array, *encoded):
            continue  # the compiled check found nothing off the scale
        ok = np.isin(array, np.asarray(factor.values, dtype=float))
        if not ok.all():
            row = int(np.flatnonzero(~ok)[0])
            error = ValueNotOnScale(factor, array[row].item())
            error.row = row  # type: ignore[attr-defined]
            raise error


def _encoding(factor: Factor) -> tuple[float, int] | None:
    """(multiplier, bit mask) for the compiled check, or None when the scale does not fit
    (values that are not multiples of 1/1024, or more than 62 steps of them)."""
    if "_encoding" not in factor.__dict__:
        result: tuple[float, int] | None = None
        multiplier = 1
        while multiplier <= 1024:
            if all(float(v * multiplier).is_integer() for v in factor.values):
                codes = [int(v * multiplier) for v in factor.values]
                if max(codes) <= 62:
                    result = (float(multiplier), sum(1 << code for code in codes))
                break
            multiplier *= 2
        object.__setattr__(factor, "_encoding", result)
    cached: tuple[float, int] | None = factor.__dict__["_encoding"]
    return cached


def _clean(value: float) -> float:
    """Keep results exact where the inputs are (4.5 + 0.5 is 5.0, not 4.999...)."""
    rounded = round(value, 9)
    return float(int(rounded)) if rounded.is_integer() else rounded


# -- loading and validating ----------------------------------------------------------------

_TOP = {
    "name", "version", "title", "description", "kind", "source", "groups", "factors",
    "outputs", "grading", "rank_by",
}  # fmt: skip


def load_model(path: Path) -> Model:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ModelError(f"{path.name}: not valid YAML ({error})") from None
    return parse_model(data, where=path.name)


def parse_model(data: Any, *, where: str = "model") -> Model:
    def fail(key: str, message: str) -> ModelError:
        return ModelError(f"{where}: {key}: {message}")

    if not isinstance(data, dict):
        raise fail("top level", "expected a mapping")
    unknown = set(data) - _TOP
    if unknown:
        raise fail("top level", f"unknown keys {sorted(unknown)}")
    for key in ("name", "version", "title", "groups", "factors", "outputs", "grading", "rank_by"):
        if key not in data:
            raise fail(key, "is required")
    name = data["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise fail("name", "lower-case letters, digits and underscores")
    version = data["version"]
    if not isinstance(version, int) or version < 1:
        raise fail("version", "a whole number from 1")

    raw_factors = data["factors"]
    if not isinstance(raw_factors, dict) or not raw_factors:
        raise fail("factors", "a mapping of factor names to their definitions")
    raw_groups = data["groups"]
    if not isinstance(raw_groups, dict) or not raw_groups:
        raise fail("groups", "a mapping of group names to their factors")
    group_of: dict[str, str] = {}
    groups: dict[str, tuple[str, ...]] = {}
    group_labels: dict[str, str] = {}
    for group, spec in raw_groups.items():
        if (
            not isinstance(spec, dict)
            or not isinstance(spec.get("factors"), list)
            or not spec["factors"]
        ):
            raise fail(f"groups.{group}", "needs a label and a list of factors")
        for key in spec["factors"]:
            if key not in raw_factors:
                raise fail(f"groups.{group}", f"{key!r} is not a factor of this model")
            if key in group_of:
                raise fail(f"groups.{group}", f"{key!r} is already in group {group_of[key]!r}")
            group_of[key] = group
        groups[group] = tuple(spec["factors"])
        group_labels[group] = str(spec.get("label", group))
    factors = []
    for key, spec in raw_factors.items():
        if not isinstance(key, str) or not _NAME.match(key):
            raise fail(f"factors.{key}", "factor names are lower-case identifiers")
        if key not in group_of:
            raise fail(f"factors.{key}", "belongs to no group")
        if (
            not isinstance(spec, dict)
            or not isinstance(spec.get("levels"), list)
            or not spec["levels"]
        ):
            raise fail(f"factors.{key}", "needs a label and a list of levels")
        levels = []
        for number, level in enumerate(spec["levels"], start=1):
            if not isinstance(level, dict) or "value" not in level or "label" not in level:
                raise fail(f"factors.{key}.levels[{number}]", "needs a value and a label")
            value = level["value"]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise fail(f"factors.{key}.levels[{number}]", "the value is a number from 0")
            levels.append(
                Level(float(value), str(level["label"]), str(level.get("description", "")))
            )
        values = [level.value for level in levels]
        if values != sorted(values) or len(set(values)) != len(values):
            raise fail(f"factors.{key}.levels", "values must rise, each once")
        factors.append(
            Factor(
                key,
                str(spec.get("label", key)),
                group_of[key],
                tuple(levels),
                str(spec.get("description", "")),
            )
        )

    raw_grading = data["grading"]
    if not isinstance(raw_grading, dict) or not isinstance(raw_grading.get("points"), dict):
        raise fail("grading", "needs points: a mapping of totals to multipliers")
    points: dict[int, float] = {}
    for total, multiplier in raw_grading["points"].items():
        if isinstance(total, str) and total.lstrip("-").isdigit():
            total = int(total)  # a model stored as JSON has string keys
        if (
            not isinstance(total, int)
            or isinstance(multiplier, bool)
            or not isinstance(multiplier, int | float)
        ):
            raise fail("grading.points", "whole-number totals mapped to numbers")
        points[total] = float(multiplier)
    published = raw_grading.get("published", [])
    if not isinstance(published, list) or any(p not in points for p in published):
        raise fail("grading.published", "lists totals that are in points")
    chosen = raw_grading.get("chosen", [])
    if not isinstance(chosen, list) or any(p not in points or p in published for p in chosen):
        raise fail("grading.chosen", "lists unpublished totals that are in points")
    grading = Grading(
        points,
        frozenset(published),
        str(raw_grading.get("label", "")),
        str(raw_grading.get("note", "")).strip(),
        frozenset(chosen),
    )

    outputs: list[Output] = []
    known: set[str] = set()
    raw_outputs = data["outputs"]
    if not isinstance(raw_outputs, dict) or not raw_outputs:
        raise fail("outputs", "a mapping of output names to how they are computed")
    for key, spec in raw_outputs.items():
        where_key = f"outputs.{key}"
        if not isinstance(key, str) or not _NAME.match(key) or key in raw_factors:
            raise fail(where_key, "output names are lower-case identifiers, not factor names")
        if not isinstance(spec, dict):
            raise fail(where_key, "expected one of sum, product or graded")
        label = str(spec.get("label", key))
        kinds = set(spec) & {"sum", "product", "graded"}
        if len(kinds) != 1:
            raise fail(where_key, "say exactly one of sum, product or graded")
        kind = kinds.pop()
        if kind == "sum":
            group = spec["sum"]
            if group not in groups:
                raise fail(where_key, f"sum of {group!r}: not a group")
            outputs.append(Output(key, label, "sum", (group,)))
        elif kind == "product":
            args = spec["product"]
            if not isinstance(args, list) or len(args) < 2 or any(a not in known for a in args):
                raise fail(where_key, "product of two or more outputs defined above it")
            outputs.append(Output(key, label, "product", tuple(args)))
        else:
            graded = spec["graded"]
            if (
                not isinstance(graded, dict)
                or graded.get("score") not in known
                or graded.get("by") not in known
            ):
                raise fail(where_key, "graded needs score and by, outputs defined above it")
            by = next(o for o in outputs if o.key == graded["by"])
            if by.kind != "sum":
                raise fail(where_key, "the grading table is looked up by the sum of a group")
            low, high = _range_of(groups[by.args[0]], factors)
            for total in range(int(low), int(high) + 1):
                if total not in points:
                    raise fail(
                        "grading.points",
                        f"no multiplier for a total of {total} (totals run {int(low)}-{int(high)})",
                    )
            if any(
                not f.value.is_integer()
                for g in groups[by.args[0]]
                for f in next(x for x in factors if x.key == g).levels
            ):
                raise fail(where_key, "the grading group's levels must be whole numbers")
            outputs.append(Output(key, label, "graded", (graded["score"], graded["by"])))
        known.add(key)
    rank_by = data["rank_by"]
    if rank_by not in known:
        raise fail("rank_by", "must be one of the outputs")
    return Model(
        name=name,
        version=version,
        title=str(data["title"]),
        description=str(data.get("description", "")).strip(),
        kind=str(data.get("kind", "thematic")),
        factors=tuple(factors),
        groups=groups,
        group_labels=group_labels,
        outputs=tuple(outputs),
        grading=grading,
        rank_by=rank_by,
        source=str(data.get("source", "")).strip(),
        definition=data,
    )


def _range_of(keys: tuple[str, ...], factors: list[Factor]) -> tuple[float, float]:
    chosen = [f for f in factors if f.key in keys]
    return sum(min(f.values) for f in chosen), sum(max(f.values) for f in chosen)
