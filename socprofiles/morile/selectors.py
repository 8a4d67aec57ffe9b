"""Reads for assessments: loading them for a person, the consensus and the ranking."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from socprofiles.accounts.selectors import partnerships_for_user

from . import permissions
from .engine import Model, Score, parse_model
from .models import Assessment, Issue
from .models import Score as ScoreRecord

SPREAD_FLAG = 2  # scorers this many scale steps apart on a factor are flagged to discuss


_MODELS: dict[str, Model] = {}


def model_of(assessment: Assessment) -> Model:
    """The model as it was when the assessment began (kept on the assessment)."""
    key = assessment.model_definition
    model = _MODELS.get(key)
    if model is None:
        model = _MODELS[key] = parse_model(assessment.definition, where=assessment.model_id)
    return model


def assessments_for_user(*, user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        partnership__in=partnerships_for_user(user=user)
    ).select_related("partnership")


def assessment_get_for_user(*, user: Any, pk: Any) -> Assessment:
    assessment = Assessment.objects.select_related("partnership").filter(pk=pk).first()
    if assessment is None or not permissions.can_view_assessment(user, assessment):
        raise Http404("No such assessment.")
    return assessment


def issue_get_for_user(*, user: Any, assessment: Assessment, pk: Any) -> Issue:
    issue = assessment.issues.select_related("theme").filter(pk=pk).first()
    if issue is None or not permissions.can_view_assessment(user, assessment):
        raise Http404("No such issue.")
    return issue


def issues_of(*, assessment: Assessment) -> QuerySet[Issue]:
    return assessment.issues.select_related("theme", "agreed").order_by(
        "theme__order", "theme__name", "order", "name"
    )


def my_scores(*, user: Any, assessment: Assessment) -> dict[Any, ScoreRecord]:
    """A scorer's own scores: all they see while scoring is open."""
    return {
        s.issue_id: s for s in ScoreRecord.objects.filter(issue__assessment=assessment, scorer=user)
    }


@dataclass
class FactorConsensus:
    key: str
    label: str
    values: list[float]
    median: float | None
    low: float | None
    high: float | None
    steps_apart: int
    flagged: bool


@dataclass
class IssueConsensus:
    issue: Issue
    scorers: int
    factors: list[FactorConsensus] = field(default_factory=list)
    suggested: dict[str, float] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return any(f.flagged for f in self.factors)


def consensus(*, assessment: Assessment) -> list[IssueConsensus]:
    """Per issue and factor: every score, the median (on the scale), the range and how
    many scale steps the scorers are apart; wide disagreements are flagged to discuss."""
    model = model_of(assessment)
    by_issue: dict[Any, list[ScoreRecord]] = {}
    for score in ScoreRecord.objects.filter(issue__assessment=assessment):
        by_issue.setdefault(score.issue_id, []).append(score)
    result = []
    for issue in issues_of(assessment=assessment):
        scores = by_issue.get(issue.pk, [])
        item = IssueConsensus(issue=issue, scorers=len(scores))
        for factor in model.factors:
            values = sorted(float(s.inputs[factor.key]) for s in scores if factor.key in s.inputs)
            if not values:
                item.factors.append(
                    FactorConsensus(factor.key, factor.label, [], None, None, None, 0, False)
                )
                continue
            steps = [factor.values.index(_nearest(factor.values, v)) for v in values]
            middle = factor.values[statistics.median_low(steps)]
            apart = max(steps) - min(steps)
            item.factors.append(
                FactorConsensus(
                    factor.key, factor.label, values, middle, values[0], values[-1], apart,
                    apart >= SPREAD_FLAG,
                )
            )  # fmt: skip
            item.suggested[factor.key] = middle
        result.append(item)
    return result


def _nearest(allowed: tuple[float, ...], value: float) -> float:
    return min(allowed, key=lambda a: abs(a - value))


@dataclass
class Ranked:
    rank: int
    issue: Issue
    score: Score


def ranking(*, assessment: Assessment) -> list[Ranked]:
    """Agreed scores, highest first by the model's ranking output."""
    model = model_of(assessment)
    pairs = []
    for issue in issues_of(assessment=assessment):
        agreed = getattr(issue, "agreed", None)
        if agreed is None:
            continue
        pairs.append((issue, Score(agreed.model_id, agreed.inputs, agreed.outputs)))
    return [Ranked(rank, issue, score) for rank, issue, score in model.ranked(pairs)]
