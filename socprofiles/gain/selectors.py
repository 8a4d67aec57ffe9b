"""Reads for GAIN: only an agency's own holdings; a coordinator's own requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from . import permissions
from .models import Disclosure, HitRequest, Holding


def holdings_for(*, user: Any) -> QuerySet[Holding]:
    organisation = getattr(user, "organisation", None)
    if organisation is None or not permissions.can_manage_holdings(user, organisation):
        return Holding.objects.none()
    return Holding.objects.filter(organisation=organisation)


def requests_for(*, user: Any) -> QuerySet[HitRequest]:
    if not permissions.is_coordinator(user):
        return HitRequest.objects.none()
    return HitRequest.objects.filter(coordinator=user)


def holding_get_for_user(*, user: Any, pk: Any) -> Holding:
    """One of the user's agency's own holdings; anything else is not found."""
    found = holdings_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def request_get_for_user(*, user: Any, pk: Any) -> HitRequest:
    found = requests_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def disclosures_for(*, user: Any) -> QuerySet[Disclosure]:
    """Requests to the user's agency (to decide) and the coordinator's own requests."""
    organisation = getattr(user, "organisation", None)
    query = Q(pk__in=[])
    if organisation is not None and permissions.can_decide_disclosure(user, organisation):
        query |= Q(organisation=organisation)
    if permissions.is_coordinator(user):
        query |= Q(request__coordinator=user)
    return Disclosure.objects.filter(query).select_related("request", "organisation")


def disclosure_get_for_user(*, user: Any, pk: Any) -> Disclosure:
    found = disclosures_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def matched_for_disclosure(*, user: Any, disclosure: Disclosure) -> list[dict[str, Any]]:
    """For the holding agency only: its own records the engine matched to the subject,
    with the evidence (each field's comparison level and weight)."""
    if not permissions.can_decide_disclosure(user, disclosure.organisation):
        return []
    found = disclosure.request.matches.get(str(disclosure.organisation_id), [])
    holdings = {str(h.pk): h for h in holdings_for(user=user).filter(
        pk__in=[m["holding"] for m in found])}  # fmt: skip
    return [{**m, "record": holdings[m["holding"]]} for m in found if m["holding"] in holdings]


def joint_work_candidates(*, user: Any, minimum: int = 3) -> list[dict[str, Any]]:
    """For coordinators: subjects the engine found held by `minimum` or more agencies,
    with the agencies (names only: who holds, never what)."""
    if not permissions.is_coordinator(user):
        return []
    rows = (
        Holding.objects.exclude(subject="").values("kind", "subject")
        .annotate(agencies=Count("organisation", distinct=True))
        .filter(agencies__gte=minimum).order_by("-agencies", "kind", "subject")
    )  # fmt: skip
    found = [dict(r) for r in rows[:200]]
    subjects = [r["subject"] for r in found]
    names: dict[str, set[str]] = {}
    for subject, name in (Holding.objects.filter(subject__in=subjects)
                          .values_list("subject", "organisation__name").distinct()):  # fmt: skip
        names.setdefault(subject, set()).add(name)
    for row in found:
        row["organisations"] = sorted(names.get(row["subject"], ()))
    return found


def agencies_holding(*, user: Any, holdings: Iterable[Holding]) -> dict[Any, int]:
    """For each of a law-enforcement agency's own holdings (its OCG nominals): how many
    agencies (itself included) hold the same subject, as matched by the engine. A count
    only, as a hit/no-hit answer is; for anyone else, nothing (an agency could otherwise
    load a probe record and learn who else holds a person without a coordinator's
    request, its purpose and its audit)."""
    if not permissions.sees_holding_counts(user):
        return {}
    holdings = list(holdings)
    subjects = {(h.kind, h.subject) for h in holdings if h.subject}
    counts: dict[tuple[str, str], int] = {}
    if subjects:
        rows = (
            Holding.objects.filter(subject__in={s for _k, s in subjects})
            .values("kind", "subject")
            .annotate(agencies=Count("organisation", distinct=True))
        )
        counts = {(r["kind"], r["subject"]): r["agencies"] for r in rows}
    return {h.pk: counts.get((h.kind, h.subject), 1) if h.subject else 1 for h in holdings}
