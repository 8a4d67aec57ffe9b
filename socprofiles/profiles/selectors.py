"""Reads for Local Profiles: loading one for a person (404 for anyone who may not see it),
the draft's content, its sources and the reviews that are due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from socprofiles.accounts.models import Partnership
from socprofiles.accounts.selectors import partnerships_for_user
from socprofiles.datasets.models import DataSet

from . import permissions
from .content import blocks_for, chart_metas
from .models import Profile, ProfileVersion, Stage
from .sections import BY_KEY

DUE_SOON_DAYS = 60


def profiles_for_partnership(*, user: Any, partnership: Partnership) -> list[Profile]:
    """The profiles a person may see: drafts only for contributors, otherwise those with a
    published version."""
    found = Profile.objects.filter(partnership=partnership).select_related("owner", "area")
    return [p for p in found if permissions.can_view(user, p)]


def profile_get_for_user(*, user: Any, pk: Any) -> Profile:
    profile = (
        Profile.objects.select_related("partnership", "owner", "area", "assessment")
        .filter(pk=pk)
        .first()
    )
    if profile is None or not permissions.can_view(user, profile):
        raise Http404("No such profile.")
    return profile


def version_get_for_user(*, user: Any, profile: Profile, number: int) -> ProfileVersion:
    version = profile.versions.filter(number=number).first()
    if version is None or not permissions.can_view_published(user, profile):
        raise Http404("No such version.")
    return version


def versions_of(*, profile: Profile) -> QuerySet[ProfileVersion]:
    return profile.versions.select_related("published_by").order_by("-number")


def review_state(profile: Profile, today: dt.date | None = None) -> str:
    """'overdue', 'due' (within DUE_SOON_DAYS) or '' for a profile in delivery or review."""
    if profile.review_due_on is None or profile.stage not in (Stage.DELIVERING, Stage.REVIEW_DUE):
        return ""
    today = today or timezone.localdate()
    if profile.review_due_on < today:
        return "overdue"
    if profile.review_due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "due"
    return ""


def reviews_for_user(*, user: Any) -> list[tuple[Profile, str]]:
    """Profiles whose review is due soon or overdue, in partnerships the person belongs to."""
    found = Profile.objects.filter(
        partnership__in=partnerships_for_user(user=user),
        stage__in=[Stage.DELIVERING, Stage.REVIEW_DUE],
        review_due_on__isnull=False,
    ).select_related("partnership", "owner")
    rows = [(p, review_state(p)) for p in found.order_by("review_due_on")]
    return [(p, state) for p, state in rows if state and permissions.can_view(user, p)]


def profiles_needing_review(*, today: dt.date) -> QuerySet[Profile]:
    """For the scheduled task: in delivery with the review date reached, or already due."""
    return Profile.objects.filter(
        stage__in=[Stage.DELIVERING, Stage.REVIEW_DUE], review_due_on__lte=today
    ).select_related("owner", "partnership")


def _datasets_by_use(profile: Profile) -> dict[str, list[DataSet]]:
    from socprofiles.analysis.selectors import source_datasets

    found: dict[str, list[DataSet]] = {}
    for dataset in source_datasets(partnership=profile.partnership):
        key = f"feed:{dataset.feed}" if dataset.kind == "feed" else dataset.kind
        found.setdefault(key, []).append(dataset)
    return found


def _source(dataset: DataSet, period: str) -> dict[str, Any]:
    covered = period
    if dataset.period_start and dataset.period_end:
        covered = f"{dataset.period_start:%b %Y} to {dataset.period_end:%b %Y}"
    return {
        "id": str(dataset.pk),
        "title": dataset.title,
        "owner": dataset.owner.name,
        "owner_id": str(dataset.owner_id),
        "partner_data": dataset.partnership_id is not None,
        "period": covered,
        "licence": dataset.licence,
        "attribution": dataset.attribution,
    }


def section_sources(
    *, profile: Profile, blocks_by_key: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """Each section's sources: the data behind its generated blocks (only when it has
    some) and the data sets the analysts added for their narrative."""
    by_use = _datasets_by_use(profile)
    period = f"{profile.period_start} to {profile.period_end}"
    found: dict[str, list[dict[str, Any]]] = {}
    for section in profile.sections.prefetch_related("extra_sources__owner"):
        spec = BY_KEY.get(section.key)
        chosen: dict[Any, DataSet] = {}
        if spec is not None and blocks_by_key.get(section.key):
            for use in spec.uses:
                for dataset in by_use.get(use, []):
                    chosen[dataset.pk] = dataset
        for dataset in section.extra_sources.all():
            chosen[dataset.pk] = dataset
        found[section.key] = [_source(d, period) for d in chosen.values()]
    return found


def priorities_of(profile: Profile) -> dict[str, Any] | None:
    if profile.assessment is None:
        return None
    from socprofiles.morile.selectors import model_of, ranking

    model = model_of(profile.assessment)
    outputs = list(model.outputs)
    rows = [
        {
            "rank": r.rank,
            "name": r.issue.name,
            "theme": r.issue.theme.name if r.issue.theme is not None else None,
            "outputs": [round(r.score.outputs[o.key], 2) for o in outputs],
            "rank_value": round(r.score.outputs[model.rank_by], 2),
            "shortlisted": r.issue.shortlisted,
        }
        for r in ranking(assessment=profile.assessment)
    ]
    rank_label = next((o.label for o in outputs if o.key == model.rank_by), model.rank_by)
    return {
        "title": profile.assessment.title,
        "model": model.id,
        "outputs": [o.label for o in outputs],
        "rank_label": rank_label,
        "rows": rows,
    }


def delivery_of(profile: Profile) -> dict[str, Any]:
    """The partnership's delivery since this profile's last published version (or ever)."""
    from socprofiles.actions.selectors import delivery_since

    last = profile.versions.order_by("-number").first()
    return delivery_since(
        partnership=profile.partnership, since=last.published_at if last else None
    )


def protect_of(profile: Profile) -> dict[str, Any]:
    """The public self-assessment's segments and the partner referrals for the profile's
    area and period, as tables with counts under 5 suppressed (a profile travels further
    than the partnership)."""
    from socprofiles.referrals.selectors import profile_tables as referral_tables
    from socprofiles.selfassessment.selectors import profile_tables as segment_tables

    start = dt.date.fromisoformat(f"{profile.period_start}-01")
    end = month_end(profile.period_end)
    parts = [segment_tables(partnership=profile.partnership, start=start, end=end),
             referral_tables(partnership=profile.partnership, start=start, end=end)]  # fmt: skip
    return {
        "tables": [t for part in parts for t in part["tables"]],
        "notes": [n for part in parts for n in part["notes"]],
    }


def month_end(month: str) -> dt.date:
    """The last day of a YYYY-MM month."""
    first = dt.date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def analysis_of(*, actor: Any, profile: Profile) -> dict[str, Any] | None:
    """The threat picture for the profile's area and period (cached per data version);
    None when the partnership has no data for it yet."""
    from socprofiles.analysis import services as analysis
    from socprofiles.core.exceptions import ServiceError

    try:
        period = analysis.period_from(profile.period_start, profile.period_end)
        stored = analysis.analysis_run(
            actor=actor, partnership=profile.partnership, area=profile.area, period=period
        )
    except ServiceError:
        return None
    result: dict[str, Any] = stored.result
    return result


def draft_content(*, actor: Any, profile: Profile) -> dict[str, Any]:
    """The working draft as document content (the same shape a version stores)."""
    from socprofiles.analysis.selectors import lsoa_names

    analysis = analysis_of(actor=actor, profile=profile)
    priorities = priorities_of(profile)
    names = lsoa_names(codes={h["lsoa_code"] for h in analysis["hotspots"]}) if analysis else {}
    sections = list(profile.sections.all())
    delivery = delivery_of(profile) if any(s.key == "delivery" for s in sections) else None
    protect = protect_of(profile) if any(s.key == "protect_prevent" for s in sections) else None
    metas = chart_metas(analysis, priorities)
    blocks = {
        s.key: blocks_for(BY_KEY[s.key], analysis, priorities, names, delivery, metas, protect)
        for s in sections
        if s.key in BY_KEY
    }
    sources = section_sources(profile=profile, blocks_by_key=blocks)
    recommendations = [
        {"strand": r.strand, "strand_label": r.get_strand_display(), "text": r.text}
        for r in profile.recommendations.order_by("strand", "order")
    ]
    owner = profile.owner
    marking, handling = document_marking(profile, sections)
    return {
        "title": profile.title,
        "partnership": profile.partnership.name,
        "area": profile.area.name,
        "period": {"start": profile.period_start, "end": profile.period_end},
        "classification": marking,
        "handling_note": handling,
        "owner": owner.display_name,
        "owner_role": owner.job_title,
        "owner_organisation": owner.organisation.name if owner.organisation is not None else "",
        "priorities": priorities,
        "analysis": analysis,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "narrative": s.narrative,
                "classification": s.classification,
                "handling_note": s.handling_note,
                "blocks": blocks.get(s.key, []),
                "sources": sources.get(s.key, []),
                "recommendations": recommendations if s.key == "recommendations" else [],
            }
            for s in sections
        ],
    }


def document_marking(profile: Profile, sections: list[Any] | None = None) -> tuple[str, str]:
    """The document's marking: the highest of the profile's and its sections' (an
    OFFICIAL-SENSITIVE section makes the whole copy OFFICIAL-SENSITIVE), with every
    handling note that applies."""
    from socprofiles.core.classification import Classification

    sections = list(profile.sections.all()) if sections is None else sections
    notes = [profile.handling_note] if profile.handling_note else []
    marking = profile.classification
    for section in sections:
        if section.classification == Classification.OFFICIAL_SENSITIVE:
            marking = Classification.OFFICIAL_SENSITIVE
            note = f"{section.title}: {section.handling_note}"
            if section.handling_note and note not in notes:
                notes.append(note)
    return str(marking), " ".join(notes)


def consulted_organisations(*, content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Partner organisations whose data a section uses (public reference data needs no
    clearance): organisation id -> the sections and data sets concerned."""
    found: dict[str, dict[str, Any]] = {}
    for section in content["sections"]:
        for source in section["sources"]:
            if not source["partner_data"]:
                continue
            entry = found.setdefault(source["owner_id"], {"sections": [], "datasets": []})
            if section["title"] not in entry["sections"]:
                entry["sections"].append(section["title"])
            if source["title"] not in entry["datasets"]:
                entry["datasets"].append(source["title"])
    return found
