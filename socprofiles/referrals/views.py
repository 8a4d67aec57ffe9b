"""Pages for partner referrals: the list a person may see, a new referral, a referral
(every view audited) with the coordinators' triage, assignment and closing, the counts by
area, category and outcome, and the CSV exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import Partnership
from socprofiles.accounts.selectors import member_organisations, partnership_get_for_user
from socprofiles.core.classification import OFFICIAL, Classification, Marking
from socprofiles.core.csvsafe import csv_text
from socprofiles.core.exceptions import ServiceError
from socprofiles.morile.engine import get_model
from socprofiles.morile.services import TACTICAL_MODEL

from . import permissions, selectors, services
from .forms import AssignForm, CloseForm, ReferralForm, TriageForm
from .models import Referral

REFERRAL_MARKING = Marking(
    Classification.OFFICIAL_SENSITIVE,
    "Personal information: for the referring organisation, the partnership's coordinators "
    "and the owning agency only",
)


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, so it is checked), None for a GET."""
    return request.POST if request.method == "POST" else None


def _error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _partnership(request: HttpRequest, slug: str) -> tuple[Any, Partnership]:
    user = account_permissions.require_signed_in(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_view_counts(user, partnership):
        raise Http404
    return user, partnership


def _referral(request: HttpRequest, pk: Any) -> tuple[Any, Referral]:
    user = account_permissions.require_signed_in(request)
    return user, selectors.referral_get_for_user(user=user, pk=pk)


@login_required
@require_GET
def referral_list(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    return render(
        request, "referrals/list.html",
        {"partnership": partnership,
         "referrals": selectors.referrals_for(user=user, partnership=partnership),
         "is_coordinator": permissions.is_coordinator(user, partnership),
         "can_refer": permissions.can_refer(user, partnership),
         "classification": REFERRAL_MARKING},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    if not permissions.can_refer(user, partnership):
        raise PermissionDenied
    form = ReferralForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_submit(
                actor=user, partnership=partnership, category=data["category"],
                where=data["where"], description=data["description"],
            )  # fmt: skip
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} is submitted to the "
                             "partnership's coordinators.")  # fmt: skip
            return redirect(referral)
    return render(
        request, "referrals/new.html",
        {"partnership": partnership, "form": form, "classification": REFERRAL_MARKING},
    )  # fmt: skip


def _assign_form(referral: Referral, data: Any = None) -> AssignForm:
    initial = {"owner_agency": str(referral.owner_agency_id or ""), "route": referral.route}
    form = AssignForm(data, organisations=member_organisations(partnership=referral.partnership),
                      initial=initial, prefix="assign")  # fmt: skip
    return form


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user, referral = _referral(request, pk)
    services.referral_viewed(actor=user, referral=referral, request=request)
    coordinator = permissions.is_coordinator(user, referral.partnership)
    can_act = permissions.can_triage(user, referral)
    model = get_model(TACTICAL_MODEL)
    factors = [
        (f.label, referral.tactical_answers.get(f.key),
         f.label_of(float(referral.tactical_answers[f.key]))
         if f.key in referral.tactical_answers else "")
        for f in model.factors
    ]  # fmt: skip
    return render(
        request, "referrals/detail.html",
        {"referral": referral, "partnership": referral.partnership,
         "coordinator": coordinator,
         "show_triage": permissions.can_view_triage(user, referral),
         "factors": factors,
         "assign_form": _assign_form(referral) if can_act and referral.status != "submitted"
         else None,
         "close_form": CloseForm(prefix="close") if can_act and referral.status != "submitted"
         else None,
         "can_triage": can_act, "classification": REFERRAL_MARKING},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def referral_triage(request: HttpRequest, pk: str) -> HttpResponse:
    user, referral = _referral(request, pk)
    if not permissions.can_triage(user, referral):
        raise PermissionDenied
    model = get_model(TACTICAL_MODEL)
    initial: dict[str, Any] = {k: f"{v:g}" for k, v in (referral.tactical_answers or {}).items()}
    initial.update(rationale=referral.triage_notes, rating=referral.rating)
    form = TriageForm(_posted(request), model=model, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_triage(
                actor=user, referral=referral, answers=form.values(),
                rating=form.cleaned_data["rating"], notes=form.cleaned_data["rationale"],
            )  # fmt: skip
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} is triaged: "
                             f"{referral.get_rating_display().lower()} risk.")  # fmt: skip
            return redirect(referral)
    if request.method == "GET":  # the page shows the description: a view, audited
        services.referral_viewed(actor=user, referral=referral, request=request, via="triage")
    return render(
        request, "referrals/triage.html",
        {"referral": referral, "form": form, "model": model, "high_from": services.HIGH_FROM,
         "medium_from": services.MEDIUM_FROM, "classification": REFERRAL_MARKING},
    )  # fmt: skip


@login_required
@require_POST
def referral_assign(request: HttpRequest, pk: str) -> HttpResponse:
    user, referral = _referral(request, pk)
    if not permissions.can_assign(user, referral):
        raise PermissionDenied
    form = _assign_form(referral, request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("Choose the owning agency and the safeguarding route.")
        services.referral_assign(actor=user, referral=referral, owner_agency=form.chosen(),
                                 route=form.cleaned_data["route"])  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Referral {referral.reference} is assigned to "
                         f"{referral.owner_agency}.")  # fmt: skip
    return redirect(referral)


@login_required
@require_POST
def referral_close(request: HttpRequest, pk: str) -> HttpResponse:
    user, referral = _referral(request, pk)
    if not permissions.can_close(user, referral):
        raise PermissionDenied
    form = CloseForm(request.POST, prefix="close")
    try:
        if not form.is_valid():
            raise ServiceError("Choose the outcome (and a closing date no later than today).")
        services.referral_close(actor=user, referral=referral, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Referral {referral.reference} is closed.")
    return redirect(referral)


@login_required
@require_GET
def referral_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The referrals the person may see, without descriptions; triage columns only for
    those who may see the triage of every row (coordinators)."""
    user, partnership = _partnership(request, slug)
    found = list(selectors.referrals_for(user=user, partnership=partnership))
    triage = permissions.is_coordinator(user, partnership)
    header = ["Reference", "Received", "Category", "Referring organisation", "Where", "Status",
              "Owning agency", "Outcome", "Closed on"]  # fmt: skip
    if triage:
        header += ["Rating", "Tactical score", "Tactical model", "Safeguarding route"]
    rows = []
    for r in found:
        row = [r.reference, timezone.localtime(r.created_at).date().isoformat(),
               r.get_category_display(), r.referring_organisation.name, r.where,
               r.get_status_display(), r.owner_agency.name if r.owner_agency else "",
               r.get_outcome_display(), r.closed_on.isoformat() if r.closed_on else ""]  # fmt: skip
        if triage:
            score = "" if r.tactical_score is None else f"{r.tactical_score:g}"
            row += [r.get_rating_display(), score, r.tactical_model, r.get_route_display()]
        rows.append(row)
    stamp = timezone.localtime().isoformat(timespec="seconds")
    body = csv_text(header, rows, preamble=[[
        REFERRAL_MARKING.label, REFERRAL_MARKING.handling_note,
        f"Referrals of {partnership.name}", f"Exported by {user.display_name} at {stamp}",
    ]])  # fmt: skip
    services.referrals_exported(actor=user, partnership=partnership, rows=len(rows),
                                request=request)  # fmt: skip
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referrals-{partnership.slug}.csv"'
    return response


@login_required
@require_GET
def referral_counts(request: HttpRequest, slug: str) -> HttpResponse:
    _user, partnership = _partnership(request, slug)
    return render(
        request, "referrals/counts.html",
        {"partnership": partnership, "counts": selectors.counts(partnership=partnership),
         "classification": OFFICIAL},
    )  # fmt: skip


def counts_long(counts: selectors.Counts) -> list[list[Any]]:
    """The counts as one row per cell (table, row, column, count): easy to filter and pivot."""
    rows: list[list[Any]] = []
    tables = (
        ("By category and status", counts.by_category, [*counts.statuses, "Total"]),
        ("By local authority and category", counts.by_area, [*counts.columns, "Total"]),
        ("Closed, by outcome and category", counts.outcomes, [*counts.columns, "Total"]),
    )
    for table, body, columns in tables:
        for row in body:
            rows.extend([table, row[0], column, value]
                        for column, value in zip(columns, row[1:], strict=True))  # fmt: skip
    return rows


@login_required
@require_GET
def referral_counts_csv(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    counts = selectors.counts(partnership=partnership)
    stamp = timezone.localtime().isoformat(timespec="seconds")
    body = csv_text(
        ["Table", "Row", "Column", "Referrals"], counts_long(counts),
        preamble=[[OFFICIAL.label, f"Referrals of {partnership.name}: counts",
                   f"Exported by {user.display_name} at {stamp}"]],
    )  # fmt: skip
    services.counts_exported(actor=user, partnership=partnership, request=request)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="referral-counts-{partnership.slug}.csv"'
    )
    return response
