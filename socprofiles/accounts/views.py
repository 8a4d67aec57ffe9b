"""Pages for signing in, two-factor authentication, your account, the directories of
organisations and areas, and partnerships with their members."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from socprofiles.audit.services import audit_log
from socprofiles.core.classification import OFFICIAL
from socprofiles.core.exceptions import ServiceError

from . import permissions, selectors, services
from .forms import (
    DirectoryFilterForm,
    LoginForm,
    MembershipAddForm,
    MembershipRoleForm,
    PositionsForm,
    TokenForm,
)
from .models import AreaKind, OrganisationKind, Partnership, User


def _signed_in_user(request: HttpRequest) -> User:
    """The request's user once login and two-factor checks have passed; otherwise 404,
    so nothing behind the check is revealed."""
    user = request.user
    if not permissions.is_signed_in(user):
        from django.http import Http404

        raise Http404
    assert isinstance(user, User)
    return user


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class SignInView(LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.login_record(user=form.get_user(), request=self.request)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        username = (self.request.POST.get("username") or "").strip()
        if username:
            services.login_failure_record(
                username=username, request=self.request, reason="bad credentials"
            )
        return super().form_invalid(form)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user, request=request)
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg: str = image.to_string(encoding="unicode")
    # Size it with our stylesheet, not attributes, and give it a text alternative.
    svg = svg.replace('width="', 'data-width="').replace('height="', 'data-height="')
    return svg.replace(
        "<svg ",
        '<svg class="app-qr-code" role="img" aria-label="QR code for your authenticator app" ',
        1,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if any(True for _ in devices_for_user(user, confirmed=True)):
        return redirect("accounts:two_factor_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None, submit="Turn on two-factor authentication")
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            services.two_factor_enrolled_record(user=user, request=request)
            messages.success(request, "Two-factor authentication is on for your account.")
            return HttpResponseRedirect(_safe_next(request, reverse("core:home")))
        form.add_error(
            "token",
            "That code is not right. Check the time on your phone is correct and try the "
            "newest code.",
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - generated SVG, no user input
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect("accounts:two_factor_setup")
    if permissions.two_factor_satisfied(user):
        return HttpResponseRedirect(_safe_next(request, reverse("core:home")))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        for device in devices:
            allowed, _ = (
                device.verify_is_allowed() if hasattr(device, "verify_is_allowed") else (True, None)
            )
            if allowed and device.verify_token(token):
                otp_login(request, device)
                audit_log(actor=user, action="auth.two_factor_verified", request=request)
                return HttpResponseRedirect(_safe_next(request, reverse("core:home")))
        audit_log(actor=user, action="auth.two_factor_failed", request=request)
        form.add_error(
            "token",
            "That code is not right, or too many codes were tried: wait a moment and try the "
            "newest code.",
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    memberships = user.memberships.select_related("partnership").order_by("partnership__name")
    return render(request, "accounts/profile.html", {"person": user, "memberships": memberships})


# Directories ---------------------------------------------------------------------------


def _directory(request: HttpRequest, *, kinds: Any, select: Any, template: str) -> HttpResponse:
    """A filtered, paginated directory page (organisations or areas)."""
    _signed_in_user(request)
    form = DirectoryFilterForm(request.GET or None, kinds=kinds)
    kind = search = ""
    if form.is_valid():
        kind, search = form.cleaned_data["kind"], form.cleaned_data["q"]
    page = Paginator(select(kind=kind, search=search), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    return _directory(
        request,
        kinds=OrganisationKind.choices,
        select=selectors.organisations_list,
        template="accounts/organisation_list.html",
    )


@login_required
@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _signed_in_user(request)
    organisation = selectors.organisation_get_for_user(user=user, slug=slug)
    partnerships = selectors.organisation_partnerships_for_user(
        user=user, organisation=organisation
    )
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "partnerships": partnerships},
    )


@login_required
@require_GET
def area_list(request: HttpRequest) -> HttpResponse:
    return _directory(
        request,
        kinds=AreaKind.choices,
        select=selectors.areas_list,
        template="accounts/area_list.html",
    )


@login_required
@require_GET
def area_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _signed_in_user(request)
    area = selectors.area_get_for_user(user=user, pk=pk)
    children = Paginator(selectors.area_children(area=area), 100).get_page(request.GET.get("page"))
    return render(request, "accounts/area_detail.html", {"area": area, "children": children})


# Partnerships ---------------------------------------------------------------------------


def _partnership_context(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    user = request.user
    return {
        "partnership": partnership,
        "classification": OFFICIAL,
        "can_manage": permissions.can_manage_members(user, partnership),
        "can_view_audit": permissions.can_view_audit(user, partnership),
        "my_role": permissions.partnership_role(user, partnership),
    }


@login_required
@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    partnerships = selectors.partnerships_for_user(user=user)
    return render(request, "accounts/partnership_list.html", {"partnerships": partnerships})


@login_required
@require_GET
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _signed_in_user(request)
    partnership = selectors.partnership_get_for_user(user=user, slug=slug)
    context = _partnership_context(request, partnership)
    context["organisations"] = selectors.partnership_organisations(partnership=partnership)
    context["memberships"] = selectors.memberships_for_partnership(partnership=partnership)
    return render(request, "accounts/partnership_detail.html", context)


def _require_manager(request: HttpRequest, slug: str) -> tuple[User, Partnership]:
    user = _signed_in_user(request)
    partnership = selectors.partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_manage_members(user, partnership):
        raise PermissionDenied
    return user, partnership


@login_required
@require_http_methods(["GET", "POST"])
def partnership_members(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _require_manager(request, slug)
    eligible = selectors.users_eligible_for_partnership(partnership=partnership)
    form = MembershipAddForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=user,
                partnership=partnership,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                f"{membership.user.display_name} is now a {membership.get_role_display().lower()}.",
            )
            return redirect("accounts:partnership_members", slug=partnership.slug)
    context = _partnership_context(request, partnership)
    context.update(
        {
            "form": form,
            "memberships": selectors.memberships_for_partnership(partnership=partnership),
        }
    )
    return render(request, "accounts/partnership_members.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def membership_role(request: HttpRequest, slug: str, pk: str) -> HttpResponse:
    user, partnership = _require_manager(request, slug)
    membership = selectors.membership_get_for_user(user=user, partnership=partnership, pk=pk)
    form = MembershipRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                actor=user, membership=membership, role=form.cleaned_data["role"], request=request
            )
        except ServiceError as error:
            form.add_error("role", error.message)
        else:
            messages.success(request, f"{membership.user.display_name}'s role has changed.")
            return redirect("accounts:partnership_members", slug=partnership.slug)
    context = _partnership_context(request, partnership)
    context.update({"form": form, "membership": membership})
    return render(request, "accounts/membership_role.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, slug: str, pk: str) -> HttpResponse:
    user, partnership = _require_manager(request, slug)
    membership = selectors.membership_get_for_user(user=user, partnership=partnership, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.membership_remove(actor=user, membership=membership, request=request)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, f"{membership.user.display_name} is no longer a member.")
            return redirect("accounts:partnership_members", slug=partnership.slug)
    context = _partnership_context(request, partnership)
    context.update({"membership": membership, "error": error})
    return render(request, "accounts/membership_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_positions(request: HttpRequest, slug: str) -> HttpResponse:
    user, partnership = _require_manager(request, slug)
    initial = {
        name: getattr(partnership, f"{name}_id")
        for name in ("police_lead", "pcc_lead", "police_contact", "council_contact")
    }
    form = PositionsForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_set_positions(
                actor=user, partnership=partnership, positions=form.cleaned_data, request=request
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The partnership's positions are saved.")
            return redirect("accounts:partnership_detail", slug=partnership.slug)
    context = _partnership_context(request, partnership)
    context["form"] = form
    return render(request, "accounts/partnership_positions.html", context)
