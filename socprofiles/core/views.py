from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from socprofiles.accounts.selectors import partnerships_for_user


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    partnerships = list(partnerships_for_user(user=user))
    roles = {
        m.partnership_id: m.get_role_display()
        for m in user.memberships.all()  # type: ignore[union-attr]
    }
    rows = [(p, roles.get(p.pk, "")) for p in partnerships]
    return render(request, "core/home.html", {"rows": rows})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def data_sources(request: HttpRequest) -> HttpResponse:
    return render(request, "core/data_sources.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: says nothing about the data."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: the page must render even when the database is what failed.
    from django.conf import settings
    from django.template import loader

    body = loader.get_template("500.html").render({"service_name": settings.SERVICE_NAME})
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
