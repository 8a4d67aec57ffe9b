"""The self-assessment's questions and its segment scoring, as data (questions.yaml):
pure Python, no Django (DESIGN habit 5), so the scoring is tested with inline data.

Each answer gives points on one or more axes (awareness, protective behaviour,
confidence, isolation and exposure). An axis scores 0 to 100: the points the answers
gave, as a share of the most the questions could give on it. The segments are then
tested in the model's evaluation order; the first whose conditions all hold is the
respondent's, and the last takes everyone left. Every result keeps the model's identity
(name@version) and the axis scores, so a segment can be explained."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

MODEL_PATH = Path(__file__).resolve().parent / "questions.yaml"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ModelError(ValueError):
    """A model file that does not follow the rules; the message names the file and key."""


class AnswersError(ValueError):
    """Answers that are missing or not among a question's answers."""


@dataclass(frozen=True)
class Axis:
    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    scores: Mapping[str, int]


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    answers: tuple[Answer, ...]
    hint: str = ""
    error: str = "Select an answer"

    def answer(self, key: str) -> Answer | None:
        return next((a for a in self.answers if a.key == key), None)


@dataclass(frozen=True)
class Condition:
    axis: str
    minimum: float | None = None
    maximum: float | None = None

    def holds(self, value: float) -> bool:
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )

    def describe(self, label: str) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"{label} {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"{label} at least {self.minimum:g}"
        return f"{label} at most {self.maximum:g}"


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    summary: str
    advice: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()

    def matches(self, axes: Mapping[str, float]) -> bool:
        return all(c.holds(axes[c.axis]) for c in self.conditions)


@dataclass(frozen=True)
class Result:
    model: str  # name@version
    axes: dict[str, float]
    segment: Segment


@dataclass(frozen=True)
class Model:
    name: str
    version: int
    title: str
    axes: tuple[Axis, ...]
    questions: tuple[Question, ...]
    segments: tuple[Segment, ...]  # in the order they are shown
    evaluation_order: tuple[str, ...]
    common_advice: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def question_keys(self) -> list[str]:
        return [q.key for q in self.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def segment(self, key: str) -> Segment | None:
        return next((s for s in self.segments if s.key == key), None)

    def axis_maxima(self) -> dict[str, int]:
        """The most points each axis can get: the best answer of every question."""
        return {
            axis.key: sum(max(a.scores.get(axis.key, 0) for a in q.answers) for q in self.questions)
            for axis in self.axes
        }

    def axes_for(self, answers: Mapping[str, str]) -> dict[str, float]:
        """Each axis's score, 0-100, from an answer (its key) to every question."""
        missing = [q.key for q in self.questions if not answers.get(q.key)]
        if missing:
            raise AnswersError(f"no answer to {', '.join(missing)}")
        points = dict.fromkeys((a.key for a in self.axes), 0)
        for question in self.questions:
            answer = question.answer(str(answers[question.key]))
            if answer is None:
                raise AnswersError(f"{answers[question.key]!r} is not an answer to {question.key}")
            for axis, value in answer.scores.items():
                points[axis] += value
        maxima = self.axis_maxima()
        return {axis: round(100 * points[axis] / maxima[axis], 1) for axis in points}

    def segment_for(self, axes: Mapping[str, float]) -> Segment:
        for key in self.evaluation_order:
            segment = self.segment(key)
            if segment is not None and segment.matches(axes):
                return segment
        raise AssertionError("the last segment takes everyone")  # parse_model ensures it

    def score(self, answers: Mapping[str, str]) -> Result:
        axes = self.axes_for(answers)
        return Result(model=self.id, axes=axes, segment=self.segment_for(axes))


# -- loading and checking ---------------------------------------------------------------


def _fail(source: str, where: str, message: str) -> ModelError:
    return ModelError(f"{source}: {where}: {message}")


def _key(value: Any, source: str, where: str) -> str:
    if not isinstance(value, str) or not _KEY.match(value):
        raise _fail(source, where, f"{value!r} is not a key (lower case letters, digits, _)")
    return value


def _text(value: Any, source: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, "must be some text")
    return " ".join(value.split())


def _mapping(value: Any, source: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, where, "must be a mapping")
    return value


def _list(value: Any, source: str, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _fail(source, where, "must be a non-empty list")
    return value


def _unique(keys: list[str], source: str, where: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise _fail(source, where, f"{key!r} appears twice")
        seen.add(key)


def _axes(data: Any, source: str) -> tuple[Axis, ...]:
    found = []
    for key, spec in _mapping(data, source, "axes").items():
        key = _key(key, source, "axes")
        spec = _mapping(spec, source, f"axes.{key}")
        found.append(
            Axis(key, _text(spec.get("label"), source, f"axes.{key}.label"),
                 str(spec.get("description") or "").strip())
        )  # fmt: skip
    if not found:
        raise _fail(source, "axes", "name at least one axis")
    return tuple(found)


def _question(data: Any, index: int, axes: set[str], source: str) -> Question:
    spec = _mapping(data, source, f"questions[{index}]")
    key = _key(spec.get("key"), source, f"questions[{index}].key")
    where = f"questions.{key}"
    answers = []
    for n, item in enumerate(_list(spec.get("answers"), source, f"{where}.answers")):
        item = _mapping(item, source, f"{where}.answers[{n}]")
        answer_key = _key(str(item.get("key")), source, f"{where}.answers[{n}].key")
        scores = {}
        for axis, value in _mapping(item.get("scores") or {}, source,
                                    f"{where}.{answer_key}.scores").items():  # fmt: skip
            if axis not in axes:
                raise _fail(source, f"{where}.{answer_key}.scores", f"no axis {axis!r}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise _fail(source, f"{where}.{answer_key}.scores.{axis}",
                            "must be a whole number of points, 0 or more")  # fmt: skip
            scores[axis] = value
        answers.append(
            Answer(answer_key, _text(item.get("label"), source, f"{where}.{answer_key}.label"),
                   scores)
        )  # fmt: skip
    if len(answers) < 2:
        raise _fail(source, f"{where}.answers", "give at least two answers")
    _unique([a.key for a in answers], source, f"{where}.answers")
    return Question(
        key=key, text=_text(spec.get("text"), source, f"{where}.text"), answers=tuple(answers),
        hint=str(spec.get("hint") or "").strip(),
        error=str(spec.get("error") or "").strip() or "Select an answer",
    )  # fmt: skip


def _segment(data: Any, index: int, axes: set[str], source: str) -> Segment:
    spec = _mapping(data, source, f"segments[{index}]")
    key = _key(spec.get("key"), source, f"segments[{index}].key")
    where = f"segments.{key}"
    conditions = []
    for axis, bounds in _mapping(spec.get("when") or {}, source, f"{where}.when").items():
        if axis not in axes:
            raise _fail(source, f"{where}.when", f"no axis {axis!r}")
        bounds = _mapping(bounds, source, f"{where}.when.{axis}")
        unknown = set(bounds) - {"min", "max"}
        if unknown or not bounds:
            raise _fail(source, f"{where}.when.{axis}", "give min, max or both")
        values: dict[str, float | None] = {}
        for name in ("min", "max"):
            value = bounds.get(name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
                or not 0 <= value <= 100
            ):  # fmt: skip
                raise _fail(source, f"{where}.when.{axis}.{name}", "must be a number, 0 to 100")
            values[name] = None if value is None else float(value)
        low, high = values["min"], values["max"]
        if low is not None and high is not None and low > high:
            raise _fail(source, f"{where}.when.{axis}", "min is more than max")
        conditions.append(Condition(axis, low, high))
    items = _list(spec.get("advice"), source, f"{where}.advice")
    advice = tuple(_text(a, source, f"{where}.advice") for a in items)
    return Segment(
        key=key, label=_text(spec.get("label"), source, f"{where}.label"),
        summary=_text(spec.get("summary"), source, f"{where}.summary"), advice=advice,
        conditions=tuple(conditions),
    )  # fmt: skip


def parse_model(data: Any, *, source: str = "<model>") -> Model:
    """A model from its parsed YAML, checked: every key known, every score a whole number,
    every axis reachable, every segment tested once and the last one taking everyone."""
    spec = _mapping(data, source, "the file")
    name = _key(spec.get("name"), source, "name")
    version = spec.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(source, "version", "must be a whole number, 1 or more")
    axes = _axes(spec.get("axes"), source)
    axis_keys = {a.key for a in axes}
    questions = tuple(
        _question(q, i, axis_keys, source)
        for i, q in enumerate(_list(spec.get("questions"), source, "questions"))
    )
    _unique([q.key for q in questions], source, "questions")
    segments = tuple(
        _segment(s, i, axis_keys, source)
        for i, s in enumerate(_list(spec.get("segments"), source, "segments"))
    )
    _unique([s.key for s in segments], source, "segments")
    order = [str(k) for k in _list(spec.get("evaluation_order"), source, "evaluation_order")]
    _unique(order, source, "evaluation_order")
    if set(order) != {s.key for s in segments}:
        raise _fail(source, "evaluation_order", "must name every segment exactly once")
    by_key = {s.key: s for s in segments}
    if by_key[order[-1]].conditions:
        raise _fail(
            source, f"segments.{order[-1]}",
            "the last segment tested must have no conditions (it takes everyone left)",
        )  # fmt: skip
    for key in order[:-1]:
        if not by_key[key].conditions:
            raise _fail(source, f"segments.{key}",
                        "only the last segment tested may have no conditions")  # fmt: skip
    model = Model(
        name=name, version=version, title=_text(spec.get("title"), source, "title"), axes=axes,
        questions=questions, segments=segments, evaluation_order=tuple(order),
        common_advice=tuple(_text(a, source, "common_advice")
                            for a in spec.get("common_advice") or []),
    )  # fmt: skip
    for axis, most in model.axis_maxima().items():
        if most <= 0:
            raise _fail(source, f"axes.{axis}", "no answer gives it any points")
    return model


def load_model(path: Path) -> Model:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ModelError(f"{path.name}: not valid YAML: {error}") from None
    return parse_model(data, source=path.name)


@cache
def default_model() -> Model:
    """The shipped model (questions.yaml), checked once per process."""
    return load_model(MODEL_PATH)
