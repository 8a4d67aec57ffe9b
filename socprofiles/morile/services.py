"""Writes for MoRiLE assessments. Each checks permission, owns its transaction and writes
its audit event."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from socprofiles.accounts.models import Partnership, PartnershipRole
from socprofiles.accounts.permissions import CONTRIBUTOR_ROLES, partnership_role
from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError

from . import permissions
from .engine import ModelError, ValueNotOnScale, get_model, parse_model
from .models import AgreedScore, Assessment, Issue, Score, Scorer, Stage, Theme
from .selectors import model_of, ranking


def _audit(
    actor: Any, action: str, assessment: Assessment, target: Any = None, **detail: Any
) -> None:
    audit_log(
        actor=actor,
        action=action,
        target=target or assessment,
        partnership=assessment.partnership,
        detail={"assessment": str(assessment.pk), **detail},
    )


def assessment_create(
    *, actor: Any, partnership: Partnership, title: str, model: str = "thematic", purpose: str = ""
) -> Assessment:
    if actor is not None and partnership_role(actor, partnership) not in CONTRIBUTOR_ROLES:
        raise PermissionDenied
    if not title.strip():
        raise ServiceError(
            "Give the assessment a title, like “Strategic assessment 2027”.", field="title"
        )
    try:
        chosen = get_model(model)
    except KeyError as error:
        raise ServiceError(str(error.args[0]), field="model") from None
    with transaction.atomic():
        assessment = Assessment.objects.create(
            partnership=partnership,
            title=title.strip(),
            purpose=purpose,
            model_id=chosen.id,
            model_definition=json.dumps(chosen.definition),
            created_by=actor,
            modified_by=actor,
        )
        _audit(actor, "assessment.created", assessment, model=chosen.id)
    return assessment


GRADING_MAX = 10.0


def assessment_grading_set(
    *, actor: Any, assessment: Assessment, points: Mapping[int, float]
) -> Assessment:
    """Set the organisational-position multipliers the model's source does not publish,
    for this assessment only, before scoring starts. Published points cannot change."""
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.DRAFT, doing="change the grading table")
    model = model_of(assessment)
    assumed = model.grading.assumed()
    if not assumed:
        raise ServiceError("This model's grading table is wholly published: nothing to set.")
    for total, value in points.items():
        if total not in assumed:
            raise ServiceError(
                f"The multiplier for a total of {total} cannot be set: only those for "
                f"{', '.join(map(str, assumed))} are not published.",
                field=f"total_{total}",
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (0 < value <= GRADING_MAX and math.isfinite(value))
        ):
            raise ServiceError(
                f"The multiplier for a total of {total} must be a number above 0 and at "
                f"most {GRADING_MAX:g}; {value!r} is not.",
                field=f"total_{total}",
            )
    before = {t: model.grading.points[t] for t in assumed}
    definition = assessment.definition
    grading = definition["grading"]
    merged = {int(k): float(v) for k, v in grading["points"].items()}
    merged.update({int(t): float(v) for t, v in points.items()})
    grading["points"] = {str(k): v for k, v in sorted(merged.items())}
    default = get_model(assessment.model_id).grading.points
    grading["chosen"] = sorted(t for t in assumed if merged[t] != default.get(t))
    try:
        parse_model(definition, where=assessment.model_id)
    except ModelError as error:  # pragma: no cover - the checks above keep it valid
        raise ServiceError(str(error)) from None
    with transaction.atomic():
        assessment.model_definition = json.dumps(definition)
        assessment.save(update_fields=["model_definition", "modified_at"])
        _audit(
            actor, "assessment.grading_set", assessment,
            before={str(k): v for k, v in before.items()},
            after={str(t): merged[t] for t in assumed},
        )  # fmt: skip
    return assessment


def _require_manager(actor: Any, assessment: Assessment) -> None:
    if actor is not None and not permissions.can_manage_assessment(actor, assessment):
        raise PermissionDenied


def _require_stage(assessment: Assessment, *stages: str, doing: str) -> None:
    if assessment.stage not in stages:
        raise ServiceError(
            f"You cannot {doing} now: the assessment is at the stage "
            f"“{assessment.get_stage_display()}”."
        )


def issue_add(
    *, actor: Any, assessment: Assessment, name: str, theme: str = "", description: str = ""
) -> Issue:
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.DRAFT, Stage.SCORING, doing="add issues")
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Name the issue.", field="name")
    if assessment.issues.filter(name__iexact=name).exists():
        raise ServiceError(f"The assessment already has an issue called “{name}”.", field="name")
    with transaction.atomic():
        theme_obj = _theme(assessment, theme, actor)
        issue = Issue.objects.create(
            assessment=assessment,
            theme=theme_obj,
            name=name[:200],
            description=description,
            order=assessment.issues.count(),
            created_by=actor,
        )
        _audit(actor, "assessment.issue_added", assessment, issue, name=issue.name)
    return issue


def _theme(assessment: Assessment, name: str, actor: Any) -> Theme | None:
    name = " ".join(name.split())
    if not name:
        return None
    theme = assessment.themes.filter(name__iexact=name).first()
    if theme is None:
        theme = Theme.objects.create(
            assessment=assessment,
            name=name[:120],
            order=assessment.themes.count(),
            created_by=actor,
        )
    return theme


def issues_import(*, actor: Any, assessment: Assessment, path: Path, file_name: str) -> int:
    """A long list from CSV or .xlsx (columns Theme, Issue, Description), all or nothing."""
    from socprofiles.datasets.ingest import cleaning
    from socprofiles.datasets.ingest.errors import ImportRefused
    from socprofiles.datasets.ingest.sources import open_source
    from socprofiles.datasets.ingest.specs import Column, Mapper, TableSpec

    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.DRAFT, Stage.SCORING, doing="add issues")
    spec = TableSpec(
        kind="morile_issues",
        label="list of issues",
        target="",
        columns=(
            Column("theme", ("Theme", "Thematic area", "Theme name"), cleaning.text, False),
            Column("name", ("Issue", "Issue name", "Name"), cleaning.text, True),
            Column("description", ("Description", "Notes"), cleaning.text, False),
        ),
    )
    try:
        source = open_source(path, name=file_name)
        mapper = Mapper(spec, source.header, file_name)
        rows = []
        problems = []
        for number, raw in source.rows():
            values, row_problems = mapper.clean(number, raw)
            problems.extend(row_problems)
            if values:
                rows.append((number, *values))
    except ImportRefused as refused:
        raise ServiceError(refused.message, field="file") from None
    existing = {n.lower() for n in assessment.issues.values_list("name", flat=True)}
    seen: dict[str, int] = {}
    for number, _theme_name, name, _description in rows:
        key = " ".join(name.split()).lower()
        if key in existing:
            problems.append(f"row {number}: the assessment already has “{name}”")  # type: ignore[arg-type]
        elif key in seen:
            problems.append(f"row {number}: “{name}” is also on row {seen[key]}")  # type: ignore[arg-type]
        seen[key] = number
    if problems:
        shown = "; ".join(str(p) for p in problems[:10])
        raise ServiceError(
            f"{file_name}: {len(problems)} problem(s), so no issue was added: {shown}.",
            field="file",
        )
    if not rows:
        raise ServiceError(f"{file_name}: the file has no issues.", field="file")
    with transaction.atomic():
        order = assessment.issues.count()
        for offset, (_number, theme_name, name, description) in enumerate(rows):
            Issue.objects.create(
                assessment=assessment,
                theme=_theme(assessment, theme_name or "", actor),
                name=" ".join(name.split())[:200],
                description=description or "",
                order=order + offset,
                created_by=actor,
            )
        _audit(actor, "assessment.issues_imported", assessment, file=file_name, issues=len(rows))
    return len(rows)


def issue_remove(*, actor: Any, issue: Issue) -> None:
    assessment = issue.assessment
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.DRAFT, doing="remove issues")
    with transaction.atomic():
        _audit(actor, "assessment.issue_removed", assessment, issue, name=issue.name)
        issue.delete()


def scorer_invite(*, actor: Any, assessment: Assessment, user: Any) -> Scorer:
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.DRAFT, Stage.SCORING, doing="invite scorers")
    role = partnership_role(user, assessment.partnership)
    if role is None:
        raise ServiceError(f"{user.display_name} is not a member of the partnership.", field="user")
    if role == PartnershipRole.READER:
        raise ServiceError(
            f"{user.display_name} is a reader; readers read results and do not score.", field="user"
        )
    with transaction.atomic():
        scorer, created = Scorer.objects.get_or_create(
            assessment=assessment,
            user=user,
            defaults={
                "organisation_name": user.organisation.name if user.organisation_id else "",
                "created_by": actor,
            },
        )
        if not created:
            raise ServiceError(f"{user.display_name} is already a scorer.", field="user")
        _audit(actor, "assessment.scorer_invited", assessment, scorer, user=user.username)
    return scorer


def assessment_open_scoring(*, actor: Any, assessment: Assessment) -> Assessment:
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.DRAFT, doing="open scoring")
    if not assessment.issues.exists():
        raise ServiceError("Add the issues to score first.")
    if not assessment.scorers.exists():
        raise ServiceError("Invite at least one scorer first.")
    return _move(actor, assessment, Stage.SCORING)


def assessment_start_consensus(*, actor: Any, assessment: Assessment) -> Assessment:
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.SCORING, doing="start agreeing scores")
    if not Score.objects.filter(issue__assessment=assessment).exists():
        raise ServiceError("Nobody has scored yet.")
    return _move(actor, assessment, Stage.CONSENSUS)


def assessment_close(*, actor: Any, assessment: Assessment) -> Assessment:
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.CONSENSUS, doing="close the assessment")
    missing = assessment.issues.filter(agreed__isnull=True).count()
    if missing:
        raise ServiceError(f"{missing} issue(s) have no agreed score yet.")
    return _move(actor, assessment, Stage.CLOSED)


def _move(actor: Any, assessment: Assessment, stage: str) -> Assessment:
    with transaction.atomic():
        before = assessment.stage
        assessment.stage = stage
        assessment.modified_by = actor
        assessment.save(update_fields=["stage", "modified_by", "modified_at"])
        _audit(actor, "assessment.stage_changed", assessment, **{"from": before, "to": stage})
    return assessment


def _checked(assessment: Assessment, values: dict[str, Any]) -> Any:
    model = model_of(assessment)
    try:
        return model.score(values)
    except ValueNotOnScale as error:
        raise ServiceError(str(error), field=error.factor.key) from None
    except ValueError as error:
        raise ServiceError(f"Score every factor: {error}.") from None


def score_submit(*, actor: Any, issue: Issue, values: dict[str, Any], rationale: str = "") -> Score:
    """A scorer's own score of an issue (replacing their earlier one while scoring is open)."""
    assessment = issue.assessment
    if not permissions.can_score(actor, assessment):
        raise PermissionDenied
    result = _checked(assessment, values)
    with transaction.atomic():
        score, created = Score.objects.update_or_create(
            issue=issue,
            scorer=actor,
            defaults={
                "organisation_name": actor.organisation.name if actor.organisation_id else "",
                "model_id": result.model,
                "inputs": result.inputs,
                "outputs": result.outputs,
                "rationale": rationale,
                "modified_by": actor,
            },
        )
        _audit(
            actor,
            "assessment.score_submitted" if created else "assessment.score_changed",
            assessment,
            score,
            issue=issue.name,
            inputs=result.inputs,
        )
    return score


def score_agree(*, actor: Any, issue: Issue, values: dict[str, Any], rationale: str) -> AgreedScore:
    assessment = issue.assessment
    if actor is not None and not permissions.can_agree(actor, assessment):
        raise PermissionDenied
    if not rationale.strip():
        raise ServiceError("Record why these scores were agreed.", field="rationale")
    result = _checked(assessment, values)
    with transaction.atomic():
        agreed, _ = AgreedScore.objects.update_or_create(
            issue=issue,
            defaults={
                "model_id": result.model,
                "inputs": result.inputs,
                "outputs": result.outputs,
                "rationale": rationale.strip(),
                "agreed_by": actor,
                "modified_by": actor,
            },
        )
        _audit(
            actor, "assessment.score_agreed", assessment, agreed, issue=issue.name,
            inputs=result.inputs, outputs=result.outputs,
        )  # fmt: skip
    return agreed


def assessment_shortlist(
    *, actor: Any, assessment: Assessment, size: int | None = None, threshold: float | None = None
) -> list[Issue]:
    """The profile's priorities: the top `size` issues, or every issue scoring at least
    `threshold`, by the agreed scores."""
    _require_manager(actor, assessment)
    _require_stage(assessment, Stage.CONSENSUS, Stage.CLOSED, doing="choose the shortlist")
    if (size is None) == (threshold is None):
        raise ServiceError("Choose either how many issues to keep, or a score to reach.")
    if size is not None and size < 1:
        raise ServiceError("Keep at least one issue.", field="size")
    model = model_of(assessment)
    ranked = ranking(assessment=assessment)
    if size is not None:
        chosen = [r.issue for r in ranked if r.rank <= size]
    else:
        chosen = [r.issue for r in ranked if r.score.outputs[model.rank_by] >= threshold]  # type: ignore[operator]
    with transaction.atomic():
        assessment.issues.update(shortlisted=False)
        Issue.objects.filter(pk__in=[i.pk for i in chosen]).update(shortlisted=True)
        assessment.shortlist_size = size
        assessment.shortlist_threshold = threshold
        assessment.save(update_fields=["shortlist_size", "shortlist_threshold", "modified_at"])
        _audit(
            actor, "assessment.shortlisted", assessment, size=size, threshold=threshold,
            issues=[i.name for i in chosen],
        )  # fmt: skip
    return chosen


TACTICAL_MODEL = "tactical"


def tactical_score(
    answers: Mapping[str, Any],
) -> tuple[dict[str, float], dict[str, float], float, str]:
    """Score a nominal, a group or a referral with the MoRiLE tactical model: the inputs,
    the outputs, the score it ranks by and the model's identity, all kept by the caller so
    a score can be explained. Answers off the scale or missing get a precise message."""
    model = get_model(TACTICAL_MODEL)
    try:
        score = model.score(answers)
    except ValueNotOnScale as error:
        raise ServiceError(str(error), field=error.factor.key) from None
    except ValueError:
        missing = [f.label.lower() for f in model.factors if answers.get(f.key) in (None, "")]
        raise ServiceError(
            f"Answer every factor of the tactical model; missing: {', '.join(missing)}.",
            field="tactical_answers",
        ) from None
    return score.inputs, score.outputs, score.outputs[model.rank_by], score.model
