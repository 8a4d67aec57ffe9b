"""Pages of the public self-assessment (no sign-in; one question per page; plain forms
that work without JavaScript; answers kept in the respondent's signed cookie only) and,
for partnership members, its results by area with a chart and a CSV export.

Nothing here logs a respondent's answers or postcode district, and nothing but the final
aggregate row is written to the database."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import Partnership
from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.analysis.engine.figures import FORMATS
from socprofiles.core.classification import OFFICIAL
from socprofiles.core.exceptions import ServiceError

from . import exports, permissions, selectors, services, state
from .forms import HONEYPOT, DistrictForm, DistrictsForm, QuestionForm
from .scoring import Model, default_model

REFUSED_TEMPLATE = "selfassessment/refused.html"


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, so it is checked), None for a GET."""
    return request.POST if request.method == "POST" else None


def _state(request: HttpRequest, model: Model) -> state.State:
    return state.read(request, model=model.id)


def _respond(response: HttpResponse, current: state.State) -> HttpResponse:
    state.write(response, current)
    return response


def _question_url(key: str, change: bool = False) -> str:
    url = reverse("selfassessment:question", kwargs={"key": key})
    return f"{url}?change=1" if change else url


def _first_unanswered(model: Model, current: state.State, upto: int | None = None) -> str | None:
    keys = model.question_keys if upto is None else model.question_keys[:upto]
    return next((k for k in keys if k not in current.answers), None)


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The start page. Starting clears any earlier answers and starts the clock that tells
    a person from a program (a person takes a while to read the questions)."""
    model = default_model()
    current = _state(request, model)
    if request.method == "POST":
        current.clear_answers()
        current.start()
        return _respond(redirect(_question_url(model.question_keys[0])), current)
    return render(
        request, "selfassessment/start.html",
        {"model": model, "questions": len(model.questions),
         "in_progress": bool(current.answers)},
    )  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, key: str) -> HttpResponse:
    model = default_model()
    found = model.question(key)
    if found is None:
        raise Http404
    current = _state(request, model)
    keys = model.question_keys
    index = keys.index(key)
    skipped = _first_unanswered(model, current, upto=index)
    if skipped is not None:  # one question at a time, in order
        return _respond(redirect(_question_url(skipped)), current)
    current.start()
    change = request.GET.get("change") == "1"
    form = QuestionForm(_posted(request), question=found,
                        initial={"answer": current.answers.get(key)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        current.answers[key] = form.cleaned_data["answer"]
        missing = _first_unanswered(model, current)
        if change and missing is None and current.district is not None:
            target = reverse("selfassessment:check")
        elif index + 1 < len(keys):
            target = _question_url(keys[index + 1])
        else:
            target = reverse("selfassessment:area")
        return _respond(redirect(target), current)
    if change:
        back = reverse("selfassessment:check")
    elif index:
        back = _question_url(keys[index - 1])
    else:
        back = reverse("selfassessment:start")
    return _respond(
        render(
            request, "selfassessment/question.html",
            {"form": form, "question": found, "number": index + 1, "total": len(keys),
             "back": back},
        ),
        current,
    )  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
def area(request: HttpRequest) -> HttpResponse:
    model = default_model()
    current = _state(request, model)
    missing = _first_unanswered(model, current)
    if missing is not None:
        return _respond(redirect(_question_url(missing)), current)
    form = DistrictForm(_posted(request), initial={"district": current.district or ""})
    if request.method == "POST" and form.is_valid():
        current.district = form.cleaned_data["district"]
        return _respond(redirect("selfassessment:check"), current)
    change = request.GET.get("change") == "1"
    back = reverse("selfassessment:check") if change else _question_url(model.question_keys[-1])
    return _respond(
        render(request, "selfassessment/area.html", {"form": form, "back": back}), current
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then submit: the only step that writes anything."""
    model = default_model()
    current = _state(request, model)
    missing = _first_unanswered(model, current)
    if missing is not None:
        return _respond(redirect(_question_url(missing)), current)
    if current.district is None:
        return _respond(redirect("selfassessment:area"), current)
    if request.method == "POST":
        try:
            submitted = services.assessment_submit(
                state=current, honeypot=request.POST.get(HONEYPOT, ""), model=model
            )
        except ServiceError:
            return _respond(redirect(_question_url(model.question_keys[0])), current)
        if submitted.refusal in (services.BOT, services.TOO_FAST):
            response = render(request, REFUSED_TEMPLATE, {"reason": submitted.refusal},
                              status=400 if submitted.refusal == services.BOT else 429)  # fmt: skip
            return _respond(response, current)
        target = reverse("selfassessment:result")
        if not submitted.recorded:
            target += f"?not_counted={submitted.refusal}"
        return _respond(redirect(target), current)
    rows = []
    for found in model.questions:
        answer = found.answer(current.answers[found.key])
        rows.append({"question": found.text, "answer": answer.label if answer else "",
                     "change": _question_url(found.key, change=True)})  # fmt: skip
    return _respond(
        render(
            request, "selfassessment/check.html",
            {"rows": rows, "district": current.district,
             "change_district": reverse("selfassessment:area") + "?change=1",
             "back": reverse("selfassessment:area"), "honeypot": HONEYPOT},
        ),
        current,
    )  # fmt: skip


@never_cache
@require_GET
def result(request: HttpRequest) -> HttpResponse:
    model = default_model()
    current = _state(request, model)
    segment = model.segment(current.result) if current.result else None
    if segment is None:
        return redirect("selfassessment:start")
    not_counted = request.GET.get("not_counted", "")
    return render(
        request, "selfassessment/result.html",
        {"segment": segment, "model": model,
         "not_counted": not_counted if not_counted in (services.SESSION_LIMIT, services.BUSY)
         else ""},
    )  # fmt: skip


# -- results for partnership members ------------------------------------------------------


def _partnership(request: HttpRequest, slug: str) -> tuple[Any, Partnership]:
    user = account_permissions.require_signed_in(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_view_results(user, partnership):
        raise Http404
    return user, partnership


@login_required
@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    found = selectors.distribution(partnership=partnership)
    charts = []
    for row in found.rows:
        if row.kind != "district" and row.respondents:
            chart = exports.segment_chart(found, row)
            charts.append({"row": row, "title": chart.title, "alt": chart.alt})
    keys = [key for key, _label in found.segments]

    def table(kinds: tuple[str, ...]) -> list[dict[str, Any]]:
        return [
            {"name": r.name, "respondents": r.respondents,
             "cells": [r.counts.get(k, 0) for k in keys]}
            for r in found.rows if r.kind in kinds
        ]  # fmt: skip

    return render(
        request, "selfassessment/results.html",
        {"partnership": partnership, "found": found, "charts": charts,
         "area_rows": table(("partnership", "local_authority")),
         "district_rows": table(("district",)),
         "districts": selectors.districts_of(partnership=partnership),
         "can_set_districts": permissions.can_set_districts(user, partnership),
         "model": default_model(), "classification": OFFICIAL},
    )  # fmt: skip


@login_required
@require_GET
def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    found = selectors.distribution(partnership=partnership)
    body = exports.distribution_csv(found, marking=OFFICIAL.label, exported_by=user.display_name)
    services.results_exported(actor=user, partnership=partnership, fmt="csv")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="self-assessment-{partnership.slug}.csv"'
    )
    return response


@login_required
@require_GET
def chart(request: HttpRequest, slug: str, code: str, fmt: str) -> HttpResponse:
    _user, partnership = _partnership(request, slug)
    if fmt not in FORMATS:
        raise Http404
    found = selectors.distribution(partnership=partnership)
    row = found.row(code)
    if row is None or row.kind == "district":
        raise Http404
    body = exports.segment_chart(found, row).render(fmt)
    return HttpResponse(body, content_type="image/svg+xml" if fmt == "svg" else "image/png")


@login_required
@require_http_methods(["GET", "POST"])
def districts(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    if not permissions.can_set_districts(user, partnership):
        raise PermissionDenied
    authorities = selectors.local_authorities_of(partnership=partnership)
    existing = selectors.districts_of(partnership=partnership)
    initial = {
        f"la_{a.pk.hex}": ", ".join(d.district for d in existing if d.local_authority_id == a.pk)
        for a in authorities
    }
    initial["other"] = ", ".join(d.district for d in existing if d.local_authority_id is None)
    form = DistrictsForm(_posted(request), authorities=authorities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.districts_set(
                actor=user, partnership=partnership, assignments=form.assignments()
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The partnership covers {len(saved)} postcode districts.")
            return redirect("selfassessment:results", slug=partnership.slug)
    return render(
        request, "selfassessment/districts.html",
        {"partnership": partnership, "form": form, "classification": OFFICIAL},
    )  # fmt: skip
