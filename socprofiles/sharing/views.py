"""Pages for sharing a profile beyond its partnership, the standing distribution, readers'
feedback and the FOI log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socprofiles.accounts import permissions as account_permissions
from socprofiles.core.exceptions import ServiceError
from socprofiles.profiles import selectors as profile_selectors
from socprofiles.profiles.models import Profile
from socprofiles.profiles.views import _marking

from . import permissions, selectors, services
from .forms import (
    AnswerForm,
    DecisionForm,
    FeedbackForm,
    FoiDecisionForm,
    FoiForm,
    ShareRequestForm,
    StandingForm,
)
from .models import FoiDecision


def _load(request: HttpRequest, pk: Any) -> tuple[Any, Profile]:
    user = account_permissions.require_signed_in(request)
    return user, profile_selectors.profile_get_for_user(user=user, pk=pk)


def _field_error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if not permissions.can_see_requests(user, profile):
        raise PermissionDenied
    can_request = permissions.can_request_share(user, profile)
    form = ShareRequestForm(request.POST or None) if can_request else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.share_request(
                    actor=user, profile=profile, recipient=data["recipient"],
                    recipient_kind=data["recipient_kind"], rationale=data["rationale"],
                    expires_on=data["expires_on"],
                )  # fmt: skip
            except ServiceError as error:
                _field_error(form, error)
            else:
                messages.success(request, "The request is with the profile's owner.")
                return redirect("sharing:sharing", pk=profile.pk)
    rows = [
        {
            "request": r,
            "agree": permissions.can_owner_decide(user, r),
            "approve": permissions.can_approve(user, r),
            "revoke": permissions.can_revoke(user, r),
        }
        for r in selectors.share_requests_for(user=user, profile=profile)
    ]
    can_manage = permissions.can_manage_standing(user, profile)
    return render(
        request,
        "sharing/sharing.html",
        {
            "profile": profile, "rows": rows, "form": form,
            "standing": selectors.standing_recipients(profile=profile),
            "can_manage": can_manage, "standing_form": StandingForm() if can_manage else None,
            "classification": _marking(profile),
        },
    )  # fmt: skip


STEPS = {
    "agree": lambda u, r, note: services.share_owner_decide(
        actor=u, request=r, agree=True, note=note
    ),
    "decline": lambda u, r, note: services.share_owner_decide(
        actor=u, request=r, agree=False, note=note
    ),
    "approve": lambda u, r, note: services.share_approve(
        actor=u, request=r, approve=True, note=note
    ),
    "refuse": lambda u, r, note: services.share_approve(
        actor=u, request=r, approve=False, note=note
    ),
    "revoke": lambda u, r, note: services.share_revoke(actor=u, request=r, reason=note),
}


@login_required
@require_POST
def share_step(request: HttpRequest, pk: str, request_pk: str, step: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if step not in STEPS:
        raise Http404
    share = selectors.share_request_get(user=user, profile=profile, pk=request_pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        STEPS[step](user, share, note)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Recorded: {share.get_status_display().lower()}.")
    return redirect("sharing:sharing", pk=profile.pk)


@login_required
@require_POST
def standing_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if not permissions.can_manage_standing(user, profile):
        raise PermissionDenied
    form = StandingForm(request.POST)
    if form.is_valid():
        try:
            services.standing_recipient_add(
                actor=user, profile=profile, user=form.cleaned_data["username"],
                label=form.cleaned_data["label"],
            )  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("sharing:sharing", pk=profile.pk)


@login_required
@require_POST
def standing_remove(request: HttpRequest, pk: str, standing_pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if not permissions.can_manage_standing(user, profile):
        raise PermissionDenied
    standing = selectors.standing_recipients(profile=profile).filter(pk=standing_pk).first()
    if standing is None:
        raise Http404
    services.standing_recipient_remove(actor=user, profile=profile, standing=standing)
    return redirect("sharing:sharing", pk=profile.pk)


@login_required
@require_GET
def shared_with_me(request: HttpRequest) -> HttpResponse:
    account_permissions.require_signed_in(request)
    return render(
        request, "sharing/shared_with_me.html", {"rows": selectors.shared_with(user=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, pk: str, number: int) -> HttpResponse:
    user, profile = _load(request, pk)
    version = profile_selectors.version_get_for_user(user=user, profile=profile, number=number)
    sections = [(s["key"], s["title"]) for s in version.content["sections"]]
    initial = {"section": request.GET.get("section", "")}
    form = FeedbackForm(request.POST or None, sections=sections, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_send(
                actor=user, version=version, section_key=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
            )  # fmt: skip
        except ServiceError as error:
            _field_error(form, error)
        else:
            messages.success(request, "Your feedback is with the owner.")
            return redirect("sharing:feedback", pk=profile.pk, number=number)
    return render(
        request,
        "sharing/feedback.html",
        {
            "profile": profile, "version": version, "form": form,
            "threads": selectors.feedback_for(user=user, version=version),
            "can_answer": permissions.can_answer_feedback(user, profile),
            "classification": _marking(version),
        },
    )  # fmt: skip


@login_required
@require_POST
def feedback_answer(request: HttpRequest, pk: str, number: int, feedback_pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    version = profile_selectors.version_get_for_user(user=user, profile=profile, number=number)
    item = selectors.feedback_get(user=user, version=version, pk=feedback_pk)
    form = AnswerForm(request.POST)
    try:
        services.feedback_answer(
            actor=user, feedback=item, answer=form.data.get("answer", "") if form else ""
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your answer is sent.")
    return redirect("sharing:feedback", pk=profile.pk, number=number)


@login_required
@require_http_methods(["GET", "POST"])
def foi(request: HttpRequest, pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if not permissions.can_keep_foi_log(user, profile):
        raise PermissionDenied
    form = FoiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.foi_log(actor=user, profile=profile, **form.cleaned_data)
        except ServiceError as error:
            _field_error(form, error)
        else:
            messages.success(request, "The request is logged and referred to the owner.")
            return redirect("sharing:foi", pk=profile.pk)
    can_decide = permissions.can_decide_foi(user, profile)
    rows = [
        (f, FoiDecisionForm(prefix=str(f.pk)) if can_decide and f.decision == FoiDecision.PENDING
         else None)
        for f in selectors.foi_log(user=user, profile=profile)
    ]  # fmt: skip
    return render(
        request,
        "sharing/foi.html",
        {"profile": profile, "rows": rows, "form": form, "classification": _marking(profile)},
    )


@login_required
@require_POST
def foi_decide(request: HttpRequest, pk: str, foi_pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    item = selectors.foi_get(user=user, profile=profile, pk=foi_pk)
    if not permissions.can_decide_foi(user, profile):
        raise PermissionDenied
    form = FoiDecisionForm(request.POST, prefix=str(item.pk))
    if not form.is_valid():
        messages.error(request, "Choose the decision and give the reasoning.")
        return redirect("sharing:foi", pk=profile.pk)
    try:
        services.foi_decide(actor=user, foi=item, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The decision on {item.reference} is recorded.")
    return redirect(reverse("sharing:foi", args=[profile.pk]))
