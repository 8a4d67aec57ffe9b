"""Pages for MoRiLE assessments: the list of issues, scoring alone, the consensus, the
agreed scores, the ranked matrix and its exports, and the models themselves."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import PartnershipRole, User
from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.audit.services import audit_log
from socprofiles.core.classification import OFFICIAL
from socprofiles.core.exceptions import ServiceError

from . import exports, permissions, selectors, services
from .engine import default_models, get_model
from .forms import (
    AssessmentForm,
    GradingForm,
    IssueForm,
    IssueImportForm,
    ScoreForm,
    ScorerForm,
    ShortlistForm,
)
from .models import Assessment


def _load(request: HttpRequest, pk: Any) -> tuple[Any, Assessment]:
    user = account_permissions.require_signed_in(request)
    return user, selectors.assessment_get_for_user(user=user, pk=pk)


def _base(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    user = request.user
    return {
        "assessment": assessment,
        "partnership": assessment.partnership,
        "model": selectors.model_of(assessment),
        "can_manage": permissions.can_manage_assessment(user, assessment),
        "can_score": permissions.can_score(user, assessment),
        "can_see_scores": permissions.can_see_everyones_scores(user, assessment),
        "can_agree": permissions.can_agree(user, assessment),
        "classification": OFFICIAL,
    }


@login_required
@require_http_methods(["GET", "POST"])
def partnership_assessments(request: HttpRequest, slug: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    can_start = (
        account_permissions.partnership_role(user, partnership)
        in account_permissions.CONTRIBUTOR_ROLES
    )
    form = AssessmentForm(request.POST or None) if can_start else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    actor=user,
                    partnership=partnership,
                    title=form.cleaned_data["title"],
                    model=form.cleaned_data["model"],
                    purpose=form.cleaned_data["purpose"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, "The assessment is started: add its issues and invite scorers."
                )
                return redirect(assessment)
    return render(
        request,
        "morile/partnership_assessments.html",
        {
            "partnership": partnership,
            "assessments": Assessment.objects.filter(partnership=partnership).order_by(
                "-created_at"
            ),
            "form": form,
            "classification": OFFICIAL,
        },
    )


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    context = _base(request, assessment)
    issues = list(selectors.issues_of(assessment=assessment))
    ranks = {r.issue.pk: r for r in selectors.ranking(assessment=assessment)}
    mine = (
        selectors.my_scores(user=user, assessment=assessment)
        if permissions.is_scorer(user, assessment)
        else {}
    )
    context.update(
        {
            "issues": [(issue, ranks.get(issue.pk), mine.get(issue.pk)) for issue in issues],
            "scorers": assessment.scorers.select_related("user"),
            "scored_by_me": len(mine),
            "issue_form": IssueForm(),
            "import_form": IssueImportForm(),
            "scorer_form": ScorerForm(people=_scorer_candidates(assessment)),
            "shortlist_form": ShortlistForm(
                initial={
                    "size": assessment.shortlist_size,
                    "threshold": assessment.shortlist_threshold,
                }
            ),
        }
    )
    return render(request, "morile/assessment_detail.html", context)


def _scorer_candidates(assessment: Assessment) -> Any:
    return (
        User.objects.filter(memberships__partnership=assessment.partnership, is_active=True)
        .exclude(
            memberships__partnership=assessment.partnership,
            memberships__role=PartnershipRole.READER,
        )
        .exclude(pk__in=assessment.scorers.values("user"))
        .select_related("organisation")
        .order_by("full_name")
    )


def _action(request: HttpRequest, assessment: Assessment, work: Any, done: str) -> HttpResponse:
    try:
        work()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(assessment)


@login_required
@require_POST
def issue_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    if not permissions.can_manage_assessment(user, assessment):
        raise PermissionDenied
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Name the issue.")
        return redirect(assessment)
    return _action(
        request,
        assessment,
        lambda: services.issue_add(actor=user, assessment=assessment, **form.cleaned_data),
        f"“{form.cleaned_data['name']}” is added.",
    )


@login_required
@require_POST
def issues_import(request: HttpRequest, pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    if not permissions.can_manage_assessment(user, assessment):
        raise PermissionDenied
    form = IssueImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV or .xlsx file of issues.")
        return redirect(assessment)
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "issues"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            count = services.issues_import(
                actor=user, assessment=assessment, path=path, file_name=upload.name
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{count} issues are added.")
    return redirect(assessment)


@login_required
@require_POST
def scorer_invite(request: HttpRequest, pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    if not permissions.can_manage_assessment(user, assessment):
        raise PermissionDenied
    form = ScorerForm(request.POST, people=_scorer_candidates(assessment))
    if not form.is_valid():
        messages.error(request, "Choose a member of the partnership who scores.")
        return redirect(assessment)
    person = form.cleaned_data["user"]
    return _action(
        request,
        assessment,
        lambda: services.scorer_invite(actor=user, assessment=assessment, user=person),
        f"{person.display_name} is invited to score.",
    )


STAGE_ACTIONS = {
    "open-scoring": (services.assessment_open_scoring, "Scoring is open: the scorers can score."),
    "start-consensus": (
        services.assessment_start_consensus,
        "Scoring is closed: agree the scores.",
    ),
    "close": (services.assessment_close, "The assessment is closed."),
}


@login_required
@require_POST
def assessment_stage(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    if action not in STAGE_ACTIONS:
        raise Http404
    if not permissions.can_manage_assessment(user, assessment):
        raise PermissionDenied
    work, done = STAGE_ACTIONS[action]
    return _action(request, assessment, lambda: work(actor=user, assessment=assessment), done)


@login_required
@require_http_methods(["GET", "POST"])
def issue_score(request: HttpRequest, pk: str, issue_pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    issue = selectors.issue_get_for_user(user=user, assessment=assessment, pk=issue_pk)
    if not permissions.can_score(user, assessment):
        raise PermissionDenied
    mine = selectors.my_scores(user=user, assessment=assessment).get(issue.pk)
    initial = {k: f"{v:g}" for k, v in (mine.inputs.items() if mine else [])}
    if mine:
        initial["rationale"] = mine.rationale
    model = selectors.model_of(assessment)
    form = ScoreForm(request.POST or None, model=model, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_submit(
                actor=user,
                issue=issue,
                values=form.values(),
                rationale=form.cleaned_data["rationale"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Your scores for “{issue.name}” are saved.")
            return redirect("morile:my_scoring", pk=assessment.pk)
    context = _base(request, assessment)
    context.update({"issue": issue, "form": form, "mine": mine})
    return render(request, "morile/issue_score.html", context)


@login_required
@require_GET
def my_scoring(request: HttpRequest, pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    if not permissions.is_scorer(user, assessment):
        raise PermissionDenied
    mine = selectors.my_scores(user=user, assessment=assessment)
    issues = [(issue, mine.get(issue.pk)) for issue in selectors.issues_of(assessment=assessment)]
    context = _base(request, assessment)
    context.update({"issues": issues, "scored": len(mine)})
    return render(request, "morile/my_scoring.html", context)


@login_required
@require_GET
def consensus(request: HttpRequest, pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    if not permissions.can_see_everyones_scores(user, assessment):
        raise PermissionDenied
    audit_log(
        actor=user,
        action="assessment.scores_viewed",
        target=assessment,
        partnership=assessment.partnership,
    )
    context = _base(request, assessment)
    context["rows"] = selectors.consensus(assessment=assessment)
    context["spread_flag"] = selectors.SPREAD_FLAG
    return render(request, "morile/consensus.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_agree(request: HttpRequest, pk: str, issue_pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    issue = selectors.issue_get_for_user(user=user, assessment=assessment, pk=issue_pk)
    if not permissions.can_agree(user, assessment):
        raise PermissionDenied
    row = next(r for r in selectors.consensus(assessment=assessment) if r.issue.pk == issue.pk)
    agreed = getattr(issue, "agreed", None)
    source = agreed.inputs if agreed else row.suggested
    initial: dict[str, Any] = {k: f"{v:g}" for k, v in source.items()}
    if agreed:
        initial["rationale"] = agreed.rationale
    form = ScoreForm(
        request.POST or None, model=selectors.model_of(assessment), initial=initial,
        require_rationale=True, submit="Agree these scores",
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.score_agree(
                actor=user,
                issue=issue,
                values=form.values(),
                rationale=form.cleaned_data["rationale"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"The scores for “{issue.name}” are agreed.")
            return redirect("morile:consensus", pk=assessment.pk)
    context = _base(request, assessment)
    context.update({"issue": issue, "form": form, "row": row})
    return render(request, "morile/issue_agree.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grading(request: HttpRequest, pk: str) -> HttpResponse:
    """The organisational-position multipliers the model's source does not publish."""
    user, assessment = _load(request, pk)
    if request.method == "POST" and not permissions.can_manage_assessment(user, assessment):
        raise PermissionDenied
    model = selectors.model_of(assessment)
    form = GradingForm(request.POST or None, grading=model.grading)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_grading_set(actor=user, assessment=assessment, points=form.points())
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The multipliers are saved for this assessment.")
            return redirect(assessment)
    context = _base(request, assessment)
    context.update({"form": form, "grading": model.grading})
    return render(request, "morile/grading.html", context)


@login_required
@require_POST
def shortlist(request: HttpRequest, pk: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    if not permissions.can_manage_assessment(user, assessment):
        raise PermissionDenied
    form = ShortlistForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for e in form.non_field_errors()]
        messages.error(request, " ".join(errors) or "Check the shortlist's numbers.")
        return redirect(assessment)
    return _action(
        request,
        assessment,
        lambda: services.assessment_shortlist(
            actor=user,
            assessment=assessment,
            size=form.cleaned_data["size"],
            threshold=form.cleaned_data["threshold"],
        ),
        "The shortlist is saved: it becomes the profile's priorities.",
    )


@login_required
@require_GET
def matrix(request: HttpRequest, pk: str) -> HttpResponse:
    _user, assessment = _load(request, pk)
    context = _base(request, assessment)
    columns = exports.matrix_columns(assessment)
    groups = exports.matrix_groups(assessment)
    rows = exports.matrix_rows(assessment)
    context.update(
        {
            "columns": columns,
            "rows": [(r, [r[k] for k, _ in columns]) for r in rows],
            "groups": groups,
        }
    )
    return render(request, "morile/matrix.html", context)


@login_required
@require_GET
def matrix_export(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    user, assessment = _load(request, pk)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"morile-{assessment.partnership.slug}-{stamp}"
    if fmt == "csv":
        response = HttpResponse(
            exports.matrix_csv(assessment, user), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.matrix_xlsx(assessment, user),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    audit_log(
        actor=user,
        action="assessment.exported",
        target=assessment,
        partnership=assessment.partnership,
        detail={"format": fmt},
    )
    return response


@login_required
@require_GET
def model_list(request: HttpRequest) -> HttpResponse:
    account_permissions.require_signed_in(request)
    models = [m for k, m in sorted(default_models().items()) if "@" in k]
    return render(request, "morile/model_list.html", {"models": models})


@login_required
@require_GET
def model_detail(request: HttpRequest, model_id: str) -> HttpResponse:
    account_permissions.require_signed_in(request)
    try:
        model = get_model(model_id)
    except KeyError:
        raise Http404 from None
    return render(request, "morile/model_detail.html", {"model": model})
