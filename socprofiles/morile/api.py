"""JSON API for MoRiLE: the models, assessments, their issues, scoring and the ranking."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status

from . import permissions, selectors, services
from .engine import default_models

router = Router(tags=["MoRiLE"])


class LevelOut(Schema):
    value: float
    label: str


class FactorOut(Schema):
    key: str
    label: str
    group: str
    levels: list[LevelOut]


class ModelOut(Schema):
    id: str
    title: str
    description: str
    factors: list[FactorOut]
    outputs: list[str]
    rank_by: str
    grading: dict[str, float]
    grading_assumed: list[int]


class AssessmentOut(Schema):
    id: UUID
    title: str
    partnership: str
    model_id: str
    stage: str
    purpose: str

    @staticmethod
    def resolve_partnership(obj: Any) -> str:
        return str(obj.partnership.slug)


class IssueOut(Schema):
    id: UUID
    name: str
    theme: str | None
    description: str
    shortlisted: bool

    @staticmethod
    def resolve_theme(obj: Any) -> str | None:
        return obj.theme.name if obj.theme_id else None


class GradingIn(Schema):
    points: dict[int, float]


class GradingOut(Schema):
    points: dict[str, float]
    published: list[int]
    chosen: list[int]
    assumed: list[int]


def _grading_out(assessment: Any) -> dict[str, Any]:
    grading = selectors.model_of(assessment).grading
    chosen = sorted(grading.chosen)
    return {
        "points": {str(k): v for k, v in sorted(grading.points.items())},
        "published": sorted(grading.published),
        "chosen": chosen,
        "assumed": [t for t in grading.assumed() if t not in chosen],
    }


class ScoreIn(Schema):
    values: dict[str, float]
    rationale: str = ""


class ScoreOut(Schema):
    issue: UUID
    model_id: str
    inputs: dict[str, float]
    outputs: dict[str, float]
    rationale: str

    @staticmethod
    def resolve_issue(obj: Any) -> UUID:
        return UUID(str(obj.issue_id))


class RankedOut(Schema):
    rank: int
    issue: str
    theme: str | None
    shortlisted: bool
    inputs: dict[str, float]
    outputs: dict[str, float]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/morile/models", response=list[ModelOut], summary="The MoRiLE models")
def model_list(request: HttpRequest) -> Any:
    return [
        {
            "id": m.id,
            "title": m.title,
            "description": m.description,
            "factors": [
                {
                    "key": f.key,
                    "label": f.label,
                    "group": f.group,
                    "levels": [{"value": level.value, "label": level.label} for level in f.levels],
                }
                for f in m.factors
            ],
            "outputs": m.output_keys,
            "rank_by": m.rank_by,
            "grading": {str(k): v for k, v in m.grading.points.items()},
            "grading_assumed": m.grading.assumed(),
        }
        for key, m in sorted(default_models().items())
        if "@" in key
    ]


@router.get(
    "/assessments", response=list[AssessmentOut], summary="Assessments of your partnerships"
)
def assessment_list(request: HttpRequest) -> Any:
    return selectors.assessments_for_user(user=_user(request))


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def assessment_detail(request: HttpRequest, assessment_id: UUID) -> Any:
    return selectors.assessment_get_for_user(user=_user(request), pk=assessment_id)


@router.get(
    "/assessments/{assessment_id}/grading",
    response=GradingOut,
    summary="The organisational-position multipliers and where each comes from",
)
def grading_get(request: HttpRequest, assessment_id: UUID) -> Any:
    assessment = selectors.assessment_get_for_user(user=_user(request), pk=assessment_id)
    return _grading_out(assessment)


@router.put(
    "/assessments/{assessment_id}/grading",
    response={200: GradingOut, 400: dict, 403: dict},
    summary="Set the unpublished multipliers (managers, before scoring starts)",
)
def grading_put(request: HttpRequest, assessment_id: UUID, payload: GradingIn) -> Any:
    user = _user(request)
    assessment = selectors.assessment_get_for_user(user=user, pk=assessment_id)
    services.assessment_grading_set(actor=user, assessment=assessment, points=payload.points)
    return _grading_out(assessment)


@router.get("/assessments/{assessment_id}/issues", response=list[IssueOut])
def issue_list(request: HttpRequest, assessment_id: UUID) -> Any:
    assessment = selectors.assessment_get_for_user(user=_user(request), pk=assessment_id)
    return selectors.issues_of(assessment=assessment)


@router.put(
    "/assessments/{assessment_id}/issues/{issue_id}/score",
    response={200: ScoreOut, 400: dict, 403: dict},
    summary="Your own score of an issue (invited scorers, while scoring is open)",
)
def score_put(request: HttpRequest, assessment_id: UUID, issue_id: UUID, payload: ScoreIn) -> Any:
    user = _user(request)
    assessment = selectors.assessment_get_for_user(user=user, pk=assessment_id)
    issue = selectors.issue_get_for_user(user=user, assessment=assessment, pk=issue_id)
    return services.score_submit(
        actor=user, issue=issue, values=payload.values, rationale=payload.rationale
    )


@router.get(
    "/assessments/{assessment_id}/scores",
    response={200: list[ScoreOut], 403: dict},
    summary="Your scores; everyone's once the assessment reaches the consensus step",
)
def score_list(request: HttpRequest, assessment_id: UUID) -> Any:
    from .models import Score

    user = _user(request)
    assessment = selectors.assessment_get_for_user(user=user, pk=assessment_id)
    scores = Score.objects.filter(issue__assessment=assessment)
    if not permissions.can_see_everyones_scores(user, assessment):
        if not permissions.is_scorer(user, assessment):
            raise PermissionDenied
        scores = scores.filter(scorer=user)
    return Status(200, list(scores))


@router.get(
    "/assessments/{assessment_id}/ranking",
    response=list[RankedOut],
    summary="Agreed scores, ranked",
)
def ranking(request: HttpRequest, assessment_id: UUID) -> Any:
    assessment = selectors.assessment_get_for_user(user=_user(request), pk=assessment_id)
    return [
        {
            "rank": r.rank,
            "issue": r.issue.name,
            "theme": r.issue.theme.name if r.issue.theme else None,
            "shortlisted": r.issue.shortlisted,
            "inputs": r.score.inputs,
            "outputs": r.score.outputs,
        }
        for r in selectors.ranking(assessment=assessment)
    ]
