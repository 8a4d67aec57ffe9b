"""Pages for the 4P action plan: the plan by strand, an action with its milestones and
progress, a person's own actions, the meeting agenda and its record, the oversight
dashboard, disruptions and outcomes, and the plan's exports and import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import Organisation, Partnership, User
from socprofiles.accounts.selectors import member_organisations, partnership_get_for_user
from socprofiles.audit.services import audit_log
from socprofiles.core.classification import OFFICIAL
from socprofiles.core.csvsafe import csv_text
from socprofiles.core.exceptions import ServiceError
from socprofiles.referrals.selectors import status_counts as referral_status_counts

from . import exports, permissions, selectors, services
from .forms import ActionForm, DisruptionForm, ImportForm, MilestoneForm, ProgressForm
from .models import Action, MeetingRecord


def _partnership(request: HttpRequest, slug: str) -> tuple[Any, Partnership]:
    user = account_permissions.require_signed_in(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_view_plan(user, partnership):
        raise Http404
    return user, partnership


def _organisations(partnership: Partnership) -> list[Organisation]:
    return member_organisations(partnership=partnership)


def _people(partnership: Partnership) -> list[User]:
    return list(
        User.objects.filter(memberships__partnership=partnership, is_active=True)
        .exclude(memberships__role="reader")
        .select_related("organisation")
        .order_by("full_name")
    )


def _action_form(partnership: Partnership, data: Any = None, **kwargs: Any) -> ActionForm:
    return ActionForm(
        data, organisations=_organisations(partnership), people=_people(partnership), **kwargs
    )


def _chosen(partnership: Partnership, form: ActionForm) -> tuple[list[Any], Any]:
    orgs = [o for o in _organisations(partnership)
            if str(o.pk) in form.cleaned_data["owner_organisations"]]  # fmt: skip
    owner = next((p for p in _people(partnership) if str(p.pk) == form.cleaned_data["owner"]),
                 None)  # fmt: skip
    return orgs, owner


def _error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    can_manage = permissions.can_manage_plan(user, partnership)
    form = _action_form(partnership, request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            orgs, owner = _chosen(partnership, form)
            try:
                action = services.action_create(
                    actor=user, partnership=partnership, strand=form.cleaned_data["strand"],
                    recommendation=form.cleaned_data["recommendation"],
                    owner_organisations=orgs, owner=owner,
                    review_on=form.cleaned_data["review_on"],
                )  # fmt: skip
            except ServiceError as error:
                _error(form, error)
            else:
                messages.success(request, "The action is added.")
                return redirect(action)
    from socprofiles.profiles.models import Profile

    published = [p for p in Profile.objects.filter(partnership=partnership) if p.versions.exists()]
    return render(
        request,
        "actions/plan.html",
        {
            "partnership": partnership, "groups": selectors.plan(partnership=partnership),
            "form": form, "can_manage": can_manage, "published": published,
            "import_form": ImportForm() if can_manage else None, "classification": OFFICIAL,
        },
    )  # fmt: skip


@login_required
@require_POST
def from_profile(request: HttpRequest, slug: str, profile_pk: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    from socprofiles.profiles.models import Profile

    profile = Profile.objects.filter(partnership=partnership, pk=profile_pk).first()
    if profile is None:
        raise Http404
    if not permissions.can_manage_plan(user, partnership):
        raise PermissionDenied
    try:
        made = services.actions_from_profile(actor=user, profile=profile)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(made)} action(s) made from the recommendations.")
    return redirect("actions:plan", slug=partnership.slug)


def _load(request: HttpRequest, pk: Any) -> tuple[Any, Action]:
    user = account_permissions.require_signed_in(request)
    return user, selectors.action_get_for_user(user=user, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user, action = _load(request, pk)
    partnership = action.partnership
    can_manage = permissions.can_manage_plan(user, partnership)
    edit = None
    if can_manage:
        initial = {
            "recommendation": action.recommendation, "review_on": action.review_on,
            "owner": str(action.owner_id or ""),
            "owner_organisations": [str(o.pk) for o in action.owner_organisations.all()],
        }  # fmt: skip
        edit = _action_form(partnership, request.POST or None, initial=initial, editing=True)
    if request.method == "POST":
        if edit is None:
            raise PermissionDenied
        if edit.is_valid():
            orgs, owner = _chosen(partnership, edit)
            try:
                services.action_update(
                    actor=user, action=action, owner_organisations=orgs, owner=owner,
                    review_on=edit.cleaned_data["review_on"],
                    recommendation=edit.cleaned_data["recommendation"],
                )  # fmt: skip
            except ServiceError as error:
                _error(edit, error)
            else:
                messages.success(request, "The action is saved.")
                return redirect(action)
    can_update = permissions.can_update_action(user, action)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action, "partnership": partnership, "edit": edit,
            "flags": selectors.flags(action), "can_update": can_update,
            "milestone_form": MilestoneForm(prefix="milestone") if can_update else None,
            "progress_form": ProgressForm(prefix="progress", initial={"status": action.status})
            if can_update else None,
            "updates": action.updates.select_related("author"),
            "disruptions": action.disruptions.select_related("agency"),
            "classification": OFFICIAL,
        },
    )  # fmt: skip


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, action = _load(request, pk)
    if not permissions.can_update_action(user, action):
        raise PermissionDenied
    form = MilestoneForm(request.POST, prefix="milestone")
    try:
        if not form.is_valid():
            raise ServiceError("Give the milestone and its date (YYYY-MM-DD).")
        services.milestone_add(actor=user, action=action, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The milestone is added.")
    return redirect(action)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: str, milestone_pk: str) -> HttpResponse:
    user, action = _load(request, pk)
    milestone = action.milestones.filter(pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    if not permissions.can_update_action(user, action):
        raise PermissionDenied
    try:
        services.milestone_done(actor=user, milestone=milestone)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(action)


@login_required
@require_POST
def progress_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, action = _load(request, pk)
    if not permissions.can_update_action(user, action):
        raise PermissionDenied
    form = ProgressForm(request.POST, prefix="progress")
    try:
        if not form.is_valid():
            raise ServiceError("Choose the status and say what has happened.")
        services.progress_add(actor=user, action=action, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The update is recorded.")
    return redirect(action)


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    return render(
        request, "actions/my_actions.html", {"rows": selectors.actions_for_user(user=user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    can_manage = permissions.can_manage_plan(user, partnership)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        from datetime import date

        try:
            held_on = date.fromisoformat(request.POST.get("held_on", ""))
        except ValueError:
            messages.error(request, "Give the meeting's date as YYYY-MM-DD.")
            return redirect("actions:meeting", slug=slug)
        decisions = {k[9:]: str(v) for k, v in request.POST.items() if k.startswith("decision-")}
        try:
            record = services.meeting_record(
                actor=user, partnership=partnership, held_on=held_on,
                attendees=request.POST.get("attendees", ""), decisions=decisions,
            )  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            return redirect(record)
    return render(
        request,
        "actions/meeting.html",
        {
            "partnership": partnership, "items": selectors.agenda(partnership=partnership),
            "can_manage": can_manage, "today": timezone.localdate(),
            "records": MeetingRecord.objects.filter(partnership=partnership)[:10],
            "classification": OFFICIAL,
        },
    )  # fmt: skip


@login_required
@require_GET
def meeting_record(request: HttpRequest, pk: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    record = (
        MeetingRecord.objects.select_related("partnership", "recorded_by").filter(pk=pk).first()
    )
    if record is None or not permissions.can_view_plan(user, record.partnership):
        raise Http404
    return render(
        request,
        "actions/meeting_record.html",
        {"record": record, "partnership": record.partnership, "classification": OFFICIAL},
    )


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    _user, partnership = _partnership(request, slug)
    return render(
        request,
        "actions/dashboard.html",
        {
            "partnership": partnership,
            "data": selectors.dashboard(partnership=partnership),
            # Prevent and Protect delivery: partner referrals (socprofiles.referrals).
            "referrals": referral_status_counts(partnership=partnership),
            "classification": OFFICIAL,
        },
    )


@login_required
@require_GET
def dashboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    data = selectors.dashboard(partnership=partnership)
    rows: list[list[Any]] = []
    for section, key in (("By strand", "by_strand"), ("By owner", "by_owner")):
        for row in data[key]:
            rows.append([section, row["label"], *row["counts"], row["total"]])
    for row in data["over_time"]:
        rows.append(["Completed by month", row["month"], row["completed"], row["cumulative"]])
    for row in data["outcomes"]:
        rows.append(["Outcomes by power", row["power"], row["total"], row["value"] or ""])
    stamp = timezone.localtime().isoformat(timespec="seconds")
    body = csv_text(
        ["Measure", "Item", *data["statuses"], "Total"], rows,
        preamble=[[OFFICIAL.label, f"Delivery of {partnership.name}'s action plan",
                   f"Exported by {user} at {stamp}"]],
    )  # fmt: skip
    audit_log(actor=user, action="action.dashboard_exported", partnership=partnership,
              target=partnership, request=request)  # fmt: skip
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="delivery-{partnership.slug}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def disruptions(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    can_record = permissions.can_record_any_disruption(user, partnership)
    agencies = _organisations(partnership)
    if not permissions.can_manage_plan(user, partnership):
        agencies = [a for a in agencies if a.pk == getattr(user, "organisation_id", None)]
    earlier = list(selectors.disruptions_of(partnership=partnership)[:200])
    actions = list(Action.objects.filter(partnership=partnership))
    form = (
        DisruptionForm(request.POST or None, agencies=agencies, actions=actions, earlier=earlier)
        if can_record and agencies
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            agency = next(a for a in agencies if str(a.pk) == data["agency"])
            try:
                services.disruption_record(
                    actor=user, partnership=partnership, power=data["power"], agency=agency,
                    occurred_on=data["occurred_on"], count=data["count"],
                    action=next((a for a in actions if str(a.pk) == data["action"]), None),
                    ocg_ref=data["ocg_ref"], lsoa_code=data["lsoa_code"],
                    escalated_from=next(
                        (d for d in earlier if str(d.pk) == data["escalated_from"]), None
                    ),
                    value_gbp=data["value_gbp"], notes=data["notes"],
                )  # fmt: skip
            except ServiceError as error:
                _error(form, error)
            else:
                messages.success(request, "The disruption is recorded.")
                return redirect("actions:disruptions", slug=slug)
    return render(
        request,
        "actions/disruptions.html",
        {
            "partnership": partnership,
            "rows": earlier,
            "form": form,
            "classification": OFFICIAL,
            "outcomes": selectors.dashboard(partnership=partnership)["outcomes"],
        },
    )


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


@login_required
@require_GET
def plan_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    if fmt not in EXPORT_TYPES:
        raise Http404
    actions = list(selectors.actions_of(partnership=partnership))
    title = f"{partnership.name}: 4P action plan"
    body: bytes | str
    if fmt == "xlsx":
        body = exports.plan_xlsx(actions, title=title, marking=OFFICIAL.label,
                                 exported_by=str(user.display_name))  # fmt: skip
    elif fmt == "pdf":
        body = exports.plan_pdf(actions, title=title, marking=OFFICIAL.label,
                                recipient=str(user.display_name))  # fmt: skip
    else:
        body = exports.plan_csv(actions, title=title, marking=OFFICIAL.label,
                                exported_by=str(user.display_name))  # fmt: skip
    audit_log(actor=user, action="action.plan_exported", partnership=partnership,
              target=partnership, detail={"format": fmt, "actions": len(actions)},
              request=request)  # fmt: skip
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d")
    name = f"action-plan-{slugify(partnership.slug)}-{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def plan_import(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _partnership(request, slug)
    if not permissions.can_manage_plan(user, partnership):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose an .xlsx file to import.")
        return redirect("actions:plan", slug=slug)
    upload = form.cleaned_data["file"]
    if upload.size > 10 * 1024 * 1024:
        messages.error(request, f"{upload.name} is larger than 10 MB: that is not an action plan.")
        return redirect("actions:plan", slug=slug)
    try:
        made = services.plan_import(
            actor=user, partnership=partnership, data=upload.read(), name=upload.name
        )
    except ServiceError as error:
        messages.error(request, f"Nothing was imported. {error.message}")
    else:
        messages.success(request, f"{len(made)} action(s) imported from {upload.name}.")
    return redirect("actions:plan", slug=slug)
