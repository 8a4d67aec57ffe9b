"""GAIN pages: an agency's own holdings and their import; coordinators' hit/no-hit
requests and answers; disclosure requests decided by the holding agency; subjects held by
three or more agencies as candidates for joint work. Outsiders get 404."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import Organisation
from socprofiles.core.classification import Classification, Marking
from socprofiles.core.exceptions import ServiceError
from socprofiles.datasets.ingest.errors import ImportRefused
from socprofiles.datasets.ingest.feeds import describe

from . import permissions, selectors, services
from .forms import (
    DisclosureDecisionForm,
    DisclosureRequestForm,
    HitRequestForm,
    HoldingsUploadForm,
)
from .holdings_import import holdings_import, mappings
from .models import DisclosureStatus, Holding, Kind

HOLDINGS_MARKING = Marking(
    Classification.OFFICIAL_SENSITIVE, "Your agency's own records: seen by your agency only"
)
GAIN_MARKING = Marking(
    Classification.OFFICIAL_SENSITIVE, "GAIN: for the coordinator and the agency asked only"
)


def _user(request: HttpRequest) -> Any:
    """Signed in and either an agency's person or a coordinator; anyone else: 404."""
    user = account_permissions.require_signed_in(request)
    if not permissions.may_use_gain(user):
        raise Http404
    return user


def _field_error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    holdings = selectors.holdings_for(user=user)
    counts = {k: holdings.filter(kind=k).count() for k in Kind.values}
    disclosures = selectors.disclosures_for(user=user)
    return render(request, "gain/overview.html", {
        "counts": [(label, counts[value]) for value, label in Kind.choices],
        "total": sum(counts.values()),
        "coordinator": permissions.is_coordinator(user),
        "waiting": disclosures.filter(organisation=user.organisation,
                                      status=DisclosureStatus.REQUESTED).count(),
        "requests": selectors.requests_for(user=user)[:10],
        "candidates": len(selectors.joint_work_candidates(user=user)),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def holdings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisation = user.organisation
    can_manage = permissions.can_manage_holdings(user, organisation)
    form = HoldingsUploadForm(request.POST or None, request.FILES or None) if can_manage else None
    report: ImportRefused | None = None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                count = _import(user, form.cleaned_data["kind"], upload)
            except ImportRefused as error:
                report = error
                form.add_error("file", error.message)
            except ServiceError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, f"{count:,} records from {upload.name} are loaded "
                                          "and matched.")  # fmt: skip
                return redirect("gain:holdings")
    kind = request.GET.get("kind", "")
    rows = selectors.holdings_for(user=user).order_by("kind", "reference")
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "gain/holdings.html", {
        "form": form, "report": report, "page": page, "kind": kind, "kinds": Kind.choices,
        "rows": list(page.object_list),
        "columns": {k: describe(spec) for k, spec in mappings().items()},
        "classification": HOLDINGS_MARKING,
    }, status=400 if form is not None and form.errors else 200)  # fmt: skip


def _import(user: Any, kind: str, upload: Any) -> int:
    suffix = Path(upload.name).suffix.lower()[:8]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return holdings_import(actor=user, organisation=user.organisation, kind=kind,
                               path=path, name=upload.name)  # fmt: skip


@login_required
@require_GET
def holding_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    holding: Holding = selectors.holding_get_for_user(user=user, pk=pk)
    return render(request, "gain/holding_detail.html", {
        "holding": holding,
        "classification": HOLDINGS_MARKING,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.is_coordinator(user):
        raise Http404
    form = HitRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hit = services.hit_request(actor=user, kind=form.cleaned_data["kind"],
                                       subject=form.subject(),
                                       purpose=form.cleaned_data["purpose"])  # fmt: skip
        except ServiceError as error:
            _field_error(form, error)
        else:
            return redirect("gain:request_detail", pk=hit.pk)
    return render(request, "gain/request_new.html", {"form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.is_coordinator(user):
        raise Http404
    return render(request, "gain/requests.html",
                  {"requests": selectors.requests_for(user=user)[:200]})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    hit = selectors.request_get_for_user(user=user, pk=pk)
    asked = {str(d.organisation_id): d for d in hit.disclosures.all()}
    askable = [(a["organisation_id"], a["organisation"]) for a in hit.answers
               if a["hit"] and a["organisation_id"] not in asked]  # fmt: skip
    form = DisclosureRequestForm(request.POST or None, agencies=askable)
    if request.method == "POST":
        if request.POST.get("organisation") not in {a["organisation_id"] for a in hit.answers}:
            raise Http404  # not an agency of this request: nothing to say about it
        if form.is_valid():
            try:
                disclosure = services.disclosure_request(
                    actor=user, request=hit,
                    organisation=Organisation.objects.get(pk=form.cleaned_data["organisation"]),
                    purpose=form.cleaned_data["purpose"],
                    legal_gateway=form.cleaned_data["legal_gateway"],
                )  # fmt: skip
            except ServiceError as error:
                _field_error(form, error)
            else:
                messages.success(request, f"Asked {disclosure.organisation.name} to disclose.")
                return redirect("gain:disclosure_detail", pk=disclosure.pk)
    answers = [{**a, "disclosure": asked.get(a["organisation_id"])} for a in hit.answers]
    return render(request, "gain/request_detail.html", {
        "hit": hit, "answers": answers, "form": form if askable else None,
        "classification": GAIN_MARKING,
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_GET
def disclosures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = selectors.disclosures_for(user=user)
    return render(request, "gain/disclosures.html", {
        "incoming": rows.filter(organisation=user.organisation),
        "outgoing": rows.filter(request__coordinator=user),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    disclosure = selectors.disclosure_get_for_user(user=user, pk=pk)
    can_decide = (permissions.can_decide_disclosure(user, disclosure.organisation)
                  and disclosure.status == DisclosureStatus.REQUESTED)  # fmt: skip
    form = DisclosureDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.disclosure_decide(
                    actor=user, disclosure=disclosure,
                    approve=form.cleaned_data["decision"] == "approve",
                    shared=form.cleaned_data["shared"],
                )  # fmt: skip
            except ServiceError as error:
                _field_error(form, error)
            else:
                messages.success(request, "The decision is recorded.")
                return redirect("gain:disclosure_detail", pk=disclosure.pk)
    holder = permissions.can_decide_disclosure(user, disclosure.organisation)
    return render(request, "gain/disclosure_detail.html", {
        "disclosure": disclosure, "form": form, "holder": holder,
        "matched": selectors.matched_for_disclosure(user=user, disclosure=disclosure),
        "classification": GAIN_MARKING,
    }, status=400 if form is not None and form.errors else 200)  # fmt: skip


@login_required
@require_GET
def joint_work(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.is_coordinator(user):
        raise Http404
    candidates = selectors.joint_work_candidates(user=user)
    services.joint_work_disclosed(actor=user, candidates=len(candidates))
    return render(request, "gain/joint_work.html", {
        "candidates": candidates, "classification": GAIN_MARKING,
    })  # fmt: skip
