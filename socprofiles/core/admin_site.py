"""Django admin, for platform administrators only. Anyone else who is signed in gets a
404, as for any page they may not see; anonymous visitors are sent to the sign-in page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from socprofiles.accounts.permissions import is_platform_admin, is_signed_in


class PlatformAdminSite(admin.AdminSite):
    site_header = "SOC Partnership Platform administration"
    site_title = "Platform administration"
    index_title = "Platform administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_signed_in(request.user) and is_platform_admin(request.user)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        guarded.__name__ = getattr(view, "__name__", "admin_view")
        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.GET.get("next", "/admin/"))
