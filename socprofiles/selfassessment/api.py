"""JSON API for the self-assessment: the questions and their scoring (for any signed-in
person or service account) and a partnership's results by area (for its members)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from socprofiles.accounts.selectors import partnership_get_for_user

from . import permissions, selectors
from .scoring import default_model

router = Router(tags=["Public self-assessment"])


class AnswerOut(Schema):
    key: str
    label: str
    scores: dict[str, int]


class QuestionOut(Schema):
    key: str
    text: str
    hint: str
    answers: list[AnswerOut]


class ConditionOut(Schema):
    axis: str
    min: float | None
    max: float | None


class SegmentOut(Schema):
    key: str
    label: str
    summary: str
    advice: list[str]
    conditions: list[ConditionOut]


class ModelOut(Schema):
    id: str
    title: str
    axes: dict[str, str]
    axis_maxima: dict[str, int]
    questions: list[QuestionOut]
    segments: list[SegmentOut]
    evaluation_order: list[str]


class AreaOut(Schema):
    kind: str
    code: str
    name: str
    respondents: int
    counts: dict[str, int]


class ResultsOut(Schema):
    partnership: str
    segments: dict[str, str]
    models: list[str]
    areas: list[AreaOut]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/self-assessment/model", response=ModelOut,
            summary="The questions, their scores and how the segments are cut")  # fmt: skip
def model_detail(request: HttpRequest) -> Any:
    model = default_model()
    return {
        "id": model.id, "title": model.title,
        "axes": {a.key: a.label for a in model.axes}, "axis_maxima": model.axis_maxima(),
        "questions": [
            {"key": q.key, "text": q.text, "hint": q.hint,
             "answers": [{"key": a.key, "label": a.label, "scores": dict(a.scores)}
                         for a in q.answers]}
            for q in model.questions
        ],
        "segments": [
            {"key": s.key, "label": s.label, "summary": s.summary, "advice": list(s.advice),
             "conditions": [{"axis": c.axis, "min": c.minimum, "max": c.maximum}
                            for c in s.conditions]}
            for s in model.segments
        ],
        "evaluation_order": list(model.evaluation_order),
    }  # fmt: skip


@router.get("/partnerships/{slug}/self-assessment", response=ResultsOut,
            summary="Respondents by segment for the partnership, its local authorities and "
            "its postcode districts")  # fmt: skip
def results(request: HttpRequest, slug: str) -> Any:
    user = _user(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_view_results(user, partnership):
        raise Http404
    found = selectors.distribution(partnership=partnership)
    return {
        "partnership": partnership.slug, "segments": dict(found.segments),
        "models": found.models,
        "areas": [{"kind": r.kind, "code": r.code, "name": r.name,
                   "respondents": r.respondents, "counts": r.counts} for r in found.rows],
    }  # fmt: skip
