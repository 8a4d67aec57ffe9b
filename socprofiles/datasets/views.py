"""Pages for data sets: the registry, uploading files and following their import, the
report of a refused file, clearance for publication, reference data and feed mappings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import Organisation
from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.core.classification import Marking, classification_parse
from socprofiles.core.exceptions import ServiceError

from . import permissions, selectors, services
from .forms import ClearanceDecisionForm, ClearanceRequestForm, DataSetForm, UploadForm, split_kind
from .ingest.feeds import all_feeds, describe
from .models import DataSet


def _marking(dataset: DataSet) -> Marking:
    return classification_parse(dataset.classification, handling_note=dataset.handling_note)


def _owners_for(user: Any, partnership: Any) -> Any:
    """Organisations the user may register data for: all member organisations for owners
    and authors, their own for members."""
    organisations = Organisation.objects.filter(partnership_links__partnership=partnership)
    role = account_permissions.partnership_role(user, partnership)
    if role in account_permissions.CONTRIBUTOR_ROLES:
        return organisations.order_by("name")
    return organisations.filter(pk=user.organisation_id)


@login_required
@require_GET
def partnership_datasets(request: HttpRequest, slug: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    datasets = selectors.datasets_for_user(user=user, partnership=partnership)
    return render(
        request,
        "datasets/partnership_datasets.html",
        {
            "partnership": partnership,
            "own": [d for d in datasets if d.partnership_id],
            "reference": [d for d in datasets if not d.partnership_id],
            "can_create": _owners_for(user, partnership).exists()
            and account_permissions.partnership_role(user, partnership) != "reader",
            "classification": classification_parse("OFFICIAL"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    owners = _owners_for(user, partnership)
    if not owners.exists() or account_permissions.partnership_role(user, partnership) == "reader":
        raise PermissionDenied
    form = DataSetForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, feed = split_kind(data.pop("kind"))
        try:
            dataset = services.dataset_create(
                actor=user, partnership=partnership, kind=kind, feed=feed, **data
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, f"The data set {dataset.title!r} is registered: upload its first file."
            )
            return redirect(dataset)
    return render(
        request,
        "datasets/dataset_form.html",
        {
            "form": form,
            "partnership": partnership,
            "classification": classification_parse("OFFICIAL"),
        },
    )


def _detail(
    request: HttpRequest, dataset: DataSet, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    context = {
        "dataset": dataset,
        "files": selectors.files_for_dataset(dataset=dataset),
        "upload_form": UploadForm() if permissions.can_upload(user, dataset) else None,
        "can_edit": permissions.can_edit_dataset(user, dataset),
        "can_request": permissions.can_request_clearance(user, dataset),
        "can_decide": permissions.can_decide_clearance(user, dataset),
        "request_form": ClearanceRequestForm(),
        "decision_form": ClearanceDecisionForm(),
        "feed": all_feeds().get(dataset.feed) if dataset.feed else None,
        "feed_columns": describe(all_feeds()[dataset.feed]) if dataset.feed in all_feeds() else [],
        "classification": _marking(dataset),
    }
    context.update(forms)
    return render(request, "datasets/dataset_detail.html", context, status=status)


@login_required
@require_GET
def dataset_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    return _detail(request, selectors.dataset_get_for_user(user=user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, pk: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    dataset = selectors.dataset_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_dataset(user, dataset):
        raise PermissionDenied
    fields = [
        "title", "description", "source", "licence", "attribution", "classification",
        "handling_note", "visibility", "period_start", "period_end",
    ]  # fmt: skip
    initial = {name: getattr(dataset, name) for name in fields}
    form = DataSetForm(
        request.POST or None, owners=Organisation.objects.none(), editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dataset_update(actor=user, dataset=dataset, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The data set's details are saved.")
            return redirect(dataset)
    return render(
        request,
        "datasets/dataset_form.html",
        {
            "form": form,
            "dataset": dataset,
            "partnership": dataset.partnership,
            "classification": _marking(dataset),
        },
    )


@login_required
@require_POST
def dataset_upload(request: HttpRequest, pk: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    dataset = selectors.dataset_get_for_user(user=user, pk=pk)
    if not permissions.can_upload(user, dataset):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, dataset, status=400, upload_form=form)
    try:
        data_file = services.data_file_upload(
            actor=user,
            dataset=dataset,
            upload=form.cleaned_data["file"],
            max_rejected=form.cleaned_data["max_rejected"],
        )
    except ServiceError as error:
        form.add_error("file", error.message)
        return _detail(request, dataset, status=400, upload_form=form)
    messages.success(request, f"{data_file.original_name} is uploaded; its import has started.")
    return redirect(data_file)


@login_required
@require_GET
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    data_file = selectors.data_file_get_for_user(user=user, pk=pk)
    dataset = data_file.dataset
    return render(
        request,
        "datasets/file_detail.html",
        {
            "file": data_file,
            "dataset": dataset,
            "progress": services.data_file_progress(data_file=data_file),
            "can_delete": permissions.can_upload(user, dataset) and data_file.finished,
            "by_month": sorted((data_file.summary or {}).get("by_month", {}).items()),
            "classification": _marking(dataset),
        },
    )


@login_required
@require_GET
def file_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel, polled by htmx while an import runs."""
    user = account_permissions.require_signed_in(request)
    data_file = selectors.data_file_get_for_user(user=user, pk=pk)
    response = render(
        request,
        "datasets/_progress.html",
        {"file": data_file, "progress": services.data_file_progress(data_file=data_file)},
    )
    if data_file.finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    data_file = selectors.data_file_get_for_user(user=user, pk=pk)
    dataset = data_file.dataset
    if not permissions.can_upload(user, dataset):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            services.data_file_delete(actor=user, data_file=data_file)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, f"{data_file.original_name} and its records are deleted.")
            return redirect(dataset)
    return render(
        request,
        "datasets/file_delete.html",
        {
            "file": data_file,
            "dataset": dataset,
            "error": error,
            "classification": _marking(dataset),
        },
    )


@login_required
@require_POST
def clearance_request(request: HttpRequest, pk: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    dataset = selectors.dataset_get_for_user(user=user, pk=pk)
    form = ClearanceRequestForm(request.POST)
    if not permissions.can_request_clearance(user, dataset):
        raise PermissionDenied
    if form.is_valid():
        services.dataset_request_clearance(
            actor=user, dataset=dataset, note=form.cleaned_data["note"]
        )
        messages.success(
            request, f"{dataset.owner.name} is asked to clear the data for publication."
        )
    return redirect(dataset)


@login_required
@require_POST
def clearance_decide(request: HttpRequest, pk: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    dataset = selectors.dataset_get_for_user(user=user, pk=pk)
    if not permissions.can_decide_clearance(user, dataset):
        raise PermissionDenied
    form = ClearanceDecisionForm(request.POST)
    if form.is_valid():
        cleared = form.cleaned_data["decision"] == "cleared"
        services.dataset_decide_clearance(
            actor=user, dataset=dataset, cleared=cleared, note=form.cleaned_data["note"]
        )
        messages.success(request, "The decision is recorded.")
        return redirect(dataset)
    return _detail(request, dataset, status=400, decision_form=form)


@login_required
@require_GET
def reference_data(request: HttpRequest) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    datasets = [d for d in selectors.datasets_for_user(user=user) if not d.partnership_id]
    return render(request, "datasets/reference_data.html", {"datasets": datasets})


@login_required
@require_GET
def feed_list(request: HttpRequest) -> HttpResponse:
    account_permissions.require_signed_in(request)
    feeds = [(name, spec, describe(spec)) for name, spec in all_feeds().items()]
    return render(request, "datasets/feed_list.html", {"feeds": feeds})
