"""The audit trail a partnership owner can search and export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from socprofiles.accounts import permissions
from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.core.classification import OFFICIAL
from socprofiles.core.csvsafe import csv_text

from .forms import AuditFilterForm
from .selectors import AuditFilters, audit_actions_for_partnership, audit_events_for_partnership
from .services import audit_log

CSV_LIMIT = 100_000


def _load(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = partnership_get_for_user(user=request.user, slug=slug)
    if not permissions.can_view_audit(request.user, partnership):
        raise PermissionDenied
    form = AuditFilterForm(
        request.GET or None, actions=audit_actions_for_partnership(partnership_id=partnership.pk)
    )
    filters = AuditFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = AuditFilters(
            actor=data["actor"],
            action=data["action"],
            text=data["text"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    events = audit_events_for_partnership(partnership_id=partnership.pk, filters=filters)
    return partnership, form, filters, events


@login_required
@require_GET
def partnership_audit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, form, filters, events = _load(request, slug)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    audit_log(
        actor=request.user,
        action="audit.searched",
        partnership=partnership,
        detail={k: str(v) for k, v in filters.__dict__.items() if v},
        request=request,
    )
    return render(
        request,
        "audit/partnership_audit.html",
        {
            "partnership": partnership,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "classification": OFFICIAL,
        },
    )


@login_required
@require_GET
def partnership_audit_csv(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, _form, filters, events = _load(request, slug)
    rows = (
        (
            e.seq,
            timezone.localtime(e.occurred_at).isoformat(timespec="seconds"),
            e.actor_username,
            e.organisation_name,
            e.action,
            e.object_type,
            e.object_repr,
            e.purpose,
            e.ip_address or "",
            e.hash,
        )
        for e in events[:CSV_LIMIT].iterator()
    )
    body = csv_text(
        [
            "Sequence",
            "When",
            "User name",
            "Organisation",
            "Action",
            "Record type",
            "Record",
            "Purpose",
            "IP address",
            "Hash",
        ],
        rows,
        preamble=[
            [
                OFFICIAL.label,
                f"Audit trail of {partnership.name}",
                f"Exported by {request.user} at "
                f"{timezone.localtime().isoformat(timespec='seconds')}",
            ]
        ],
    )
    audit_log(
        actor=request.user,
        action="audit.exported",
        partnership=partnership,
        detail={k: str(v) for k, v in filters.__dict__.items() if v},
        request=request,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{partnership.slug}-{stamp}.csv"'
    return response
