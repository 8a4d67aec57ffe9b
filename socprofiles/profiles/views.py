"""Pages for Local Profiles: the partnership's profiles and commissioning, a profile's
stage and next steps, its commissioning record and sections, consultation, the document
(draft and published versions) in the page, as PDF, DOCX and HTML, and comparisons."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.core.classification import Marking
from socprofiles.core.exceptions import ServiceError
from socprofiles.datasets.models import DataSet
from socprofiles.morile.models import Assessment
from socprofiles.sharing import permissions as sharing_permissions

from . import content, permissions, rendering, selectors, services
from .forms import (
    ClearanceForm,
    CommissionForm,
    OverrideForm,
    RecommendationsForm,
    SectionForm,
)
from .models import COMMISSIONING_FIELDS, Profile, ProfileVersion, Stage


def _load(request: HttpRequest, pk: Any) -> tuple[Any, Profile]:
    user = account_permissions.require_signed_in(request)
    return user, selectors.profile_get_for_user(user=user, pk=pk)


def _marking(profile: Profile | ProfileVersion) -> Marking:
    """A version's own marking; a profile's draft is marked as its highest section."""
    from socprofiles.core.classification import Classification

    if isinstance(profile, Profile):
        marking, handling = selectors.document_marking(profile)
        return Marking(Classification(marking), handling)
    return Marking(Classification(profile.classification), profile.handling_note)


def _commission_values(form: CommissionForm, partnership: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    chosen = data.pop("assessment") or None
    data["assessment"] = (
        Assessment.objects.filter(partnership=partnership, pk=chosen).first() if chosen else None
    )
    return data


@login_required
@require_http_methods(["GET", "POST"])
def partnership_profiles(request: HttpRequest, slug: str) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    partnership = partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_list_profiles(user, partnership):
        raise Http404
    can_commission = permissions.can_commission(user, partnership)
    assessments = list(Assessment.objects.filter(partnership=partnership))
    form = None
    if can_commission:
        from socprofiles.analysis.selectors import default_period

        period = default_period(partnership=partnership, months=12)
        initial = {"period_start": period.start, "period_end": period.end} if period else {}
        form = CommissionForm(request.POST or None, assessments=assessments, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            values = _commission_values(form, partnership)
            try:
                profile = services.profile_commission(
                    actor=user,
                    partnership=partnership,
                    title=values.pop("title"),
                    period_start=values.pop("period_start"),
                    period_end=values.pop("period_end"),
                    assessment=values.pop("assessment"),
                    classification=values.pop("classification"),
                    handling_note=values.pop("handling_note"),
                    publish_by=values.pop("publish_by"),
                    commissioning=values,
                )
            except ServiceError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "The profile is commissioned.")
                return redirect(profile)
    profiles = selectors.profiles_for_partnership(user=user, partnership=partnership)
    return render(
        request,
        "profiles/partnership_profiles.html",
        {
            "partnership": partnership,
            "profiles": [(p, selectors.review_state(p)) for p in profiles],
            "form": form,
            "classification": Marking(_marking_default()),
        },
    )


def _marking_default() -> Any:
    from socprofiles.core.classification import Classification

    return Classification.OFFICIAL


@login_required
@require_GET
def profile_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    can_draft = permissions.can_view_draft(user, profile)
    clearances = list(profile.clearances.select_related("organisation", "decided_by"))
    mine = [c for c in clearances if permissions.can_decide_clearance(user, c)]
    return render(
        request,
        "profiles/profile_detail.html",
        {
            "profile": profile,
            "partnership": profile.partnership,
            "classification": _marking(profile),
            "stages": list(Stage),
            "can_draft": can_draft,
            "can_edit": permissions.can_edit(user, profile),
            "transitions": services.available_transitions(user=user, profile=profile)
            if can_draft
            else [],
            "commissioning": [
                (label, getattr(profile, key)) for key, label, _h in COMMISSIONING_FIELDS
            ],
            "sections": profile.sections.all() if can_draft else [],
            "clearances": clearances if can_draft else [],
            "my_clearances": [(c, ClearanceForm(prefix=str(c.pk))) for c in mine],
            "can_override": permissions.can_override(user, profile),
            "override_form": OverrideForm(),
            "versions": selectors.versions_of(profile=profile)
            if permissions.can_view_published(user, profile)
            else [],
            "review_state": selectors.review_state(profile),
            "is_member": permissions.is_member(user, profile),
            "can_share": sharing_permissions.can_see_requests(user, profile),
            "can_foi": sharing_permissions.can_keep_foi_log(user, profile),
            "can_audit": account_permissions.can_view_audit(user, profile.partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commissioning_edit(request: HttpRequest, pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if not permissions.can_edit_commissioning(user, profile):
        raise PermissionDenied
    assessments = list(Assessment.objects.filter(partnership=profile.partnership))
    initial = {key: getattr(profile, key) for key, _l, _h in COMMISSIONING_FIELDS}
    initial.update(
        title=profile.title, period_start=profile.period_start, period_end=profile.period_end,
        assessment=str(profile.assessment_id or ""), classification=profile.classification,
        handling_note=profile.handling_note, publish_by=profile.publish_by,
    )  # fmt: skip
    form = CommissionForm(
        request.POST or None, assessments=assessments, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update_commissioning(
                actor=user, profile=profile, values=_commission_values(form, profile.partnership)
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The commissioning record is saved.")
            return redirect(profile)
    return render(
        request,
        "profiles/form_page.html",
        {
            "profile": profile,
            "form": form,
            "heading": "Commissioning record",
            "classification": _marking(profile),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: str, key: str) -> HttpResponse:
    user, profile = _load(request, pk)
    section = profile.sections.filter(key=key).first()
    if section is None:
        raise Http404
    if not permissions.can_edit(user, profile):
        raise PermissionDenied
    form: Any
    if key == "recommendations":
        initial: dict[str, str] = {}
        for rec in profile.recommendations.all():
            initial[rec.strand] = (initial.get(rec.strand, "") + "\n" + rec.text).strip()
        form = RecommendationsForm(request.POST or None, initial=initial)
    else:
        datasets = list(
            DataSet.objects.filter(partnership=profile.partnership).select_related("owner")
        )
        form = SectionForm(
            request.POST or None,
            datasets=datasets,
            initial={
                "narrative": section.narrative,
                "classification": section.classification,
                "handling_note": section.handling_note,
                "extra_sources": [str(d.pk) for d in section.extra_sources.all()],
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            if key == "recommendations":
                services.recommendations_set(
                    actor=user, profile=profile, by_strand=form.by_strand()
                )
            else:
                chosen = form.cleaned_data["extra_sources"]
                services.section_update(
                    actor=user, section=section, narrative=form.cleaned_data["narrative"],
                    extra_sources=[d for d in datasets if str(d.pk) in chosen],
                    classification=form.cleaned_data["classification"],
                    handling_note=form.cleaned_data["handling_note"],
                )  # fmt: skip
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"“{section.title}” is saved.")
            return redirect(reverse("profiles:profile_detail", args=[profile.pk]) + "#sections")
    from .sections import BY_KEY

    return render(
        request,
        "profiles/form_page.html",
        {
            "profile": profile,
            "form": form,
            "heading": section.title,
            "guidance": BY_KEY[key].guidance if key in BY_KEY else "",
            "classification": _marking(profile),
        },
    )


@login_required
@require_POST
def profile_transition(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if action not in services.TRANSITIONS:
        raise Http404
    if not permissions.can_view_draft(user, profile) or not permissions.can_transition(
        user, profile, action
    ):
        raise PermissionDenied
    try:
        services.profile_transition(actor=user, profile=profile, action=action)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        profile.refresh_from_db()
        messages.success(request, f"The profile is now in {profile.get_stage_display().lower()}.")
    return redirect(profile)


@login_required
@require_POST
def clearance_decide(request: HttpRequest, pk: str, clearance_pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    clearance = profile.clearances.filter(pk=clearance_pk).first()
    if clearance is None:
        raise Http404
    if not permissions.can_decide_clearance(user, clearance):
        raise PermissionDenied
    form = ClearanceForm(request.POST, prefix=str(clearance.pk))
    if not form.is_valid():
        messages.error(request, "Choose whether you clear the data for publication.")
        return redirect(profile)
    try:
        services.clearance_decide(
            actor=user, clearance=clearance, cleared=form.cleaned_data["decision"] == "cleared",
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{clearance.organisation.name}'s decision is recorded.")
    return redirect(profile)


@login_required
@require_POST
def clearance_override(request: HttpRequest, pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if not permissions.can_override(user, profile):
        raise PermissionDenied
    form = OverrideForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("Give the reason for publishing without every clearance.")
        services.clearance_override(actor=user, profile=profile, reason=form.cleaned_data["reason"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The override is recorded: the profile can be published.")
    return redirect(profile)


def _document_page(
    request: HttpRequest, profile: Profile, doc: dict[str, Any], version: Any
) -> HttpResponse:
    number = version.number if version else None
    services.profile_rendered(actor=request.user, profile=profile, version=version, fmt="page")
    names = rendering.figure_names(doc)
    figure_src = {
        name: reverse(
            "profiles:figure",
            kwargs={"pk": profile.pk, "ref": str(number or "draft"), "name": name},
        )
        for name in names
    }
    context = rendering.document_context(
        doc, recipient=rendering.Recipient.of(request.user), draft=version is None,
        figure_src=figure_src,
    )  # fmt: skip
    context.update(
        {
            "profile": profile,
            "version": version,
            "classification": _marking(version or profile),
            "formats": rendering.FORMATS,
            "ref": str(number or "draft"),
        }
    )
    return render(request, "profiles/document.html", context)


@login_required
@require_GET
def draft_view(request: HttpRequest, pk: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if not permissions.can_view_draft(user, profile):
        raise Http404
    doc = selectors.draft_content(actor=user, profile=profile)
    return _document_page(request, profile, doc, None)


@login_required
@require_GET
def version_view(request: HttpRequest, pk: str, number: int) -> HttpResponse:
    user, profile = _load(request, pk)
    version = selectors.version_get_for_user(user=user, profile=profile, number=number)
    return _document_page(request, profile, version.content, version)


def _doc_for_ref(user: Any, profile: Profile, ref: str) -> tuple[dict[str, Any], Any]:
    if ref == "draft":
        if not permissions.can_view_draft(user, profile):
            raise Http404
        return selectors.draft_content(actor=user, profile=profile), None
    if not ref.isdigit():
        raise Http404
    version = selectors.version_get_for_user(user=user, profile=profile, number=int(ref))
    return version.content, version


@login_required
@require_GET
def figure(request: HttpRequest, pk: str, ref: str, name: str) -> FileResponse:
    user, profile = _load(request, pk)
    doc, _version = _doc_for_ref(user, profile, ref)
    files = rendering.figure_files(doc, [name] if name in rendering.figure_names(doc) else [])
    if name not in files:
        raise Http404
    response = FileResponse(files[name].open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: str, ref: str, fmt: str) -> HttpResponse:
    user, profile = _load(request, pk)
    if fmt not in rendering.FORMATS:
        raise Http404
    doc, version = _doc_for_ref(user, profile, ref)
    data, content_type = rendering.render(
        doc, fmt, recipient=rendering.Recipient.of(user), draft=version is None
    )
    services.profile_rendered(actor=user, profile=profile, version=version, fmt=fmt)
    name = f"{slugify(profile.title)}-{'v' + str(version.number) if version else 'draft'}.{fmt}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def compare(request: HttpRequest, pk: str) -> HttpResponse:
    """Two versions (or a version and the draft) section by section."""
    user, profile = _load(request, pk)
    versions = (
        list(selectors.versions_of(profile=profile))
        if permissions.can_view_published(user, profile)
        else []
    )
    refs = [str(v.number) for v in versions]
    if permissions.can_view_draft(user, profile):
        refs.insert(0, "draft")
    if len(refs) < 2:
        messages.info(request, "There is nothing to compare yet: a profile needs two versions.")
        return redirect(profile)
    left = request.GET.get("from") or refs[1]
    right = request.GET.get("to") or refs[0]
    if left not in refs or right not in refs:
        raise Http404
    a, _ = _doc_for_ref(user, profile, left)
    b, _ = _doc_for_ref(user, profile, right)
    b_sections = {s["key"]: s for s in b["sections"]}
    rows = []
    for section in a["sections"]:
        other = b_sections.get(section["key"])
        before = content.section_text(section)
        after = content.section_text(other) if other else []
        diff = [
            line
            for line in difflib.unified_diff(before, after, lineterm="", n=1)
            if not line.startswith(("---", "+++"))
        ]
        rows.append({"title": section["title"], "changed": bool(diff), "diff": diff})
    return render(
        request,
        "profiles/compare.html",
        {
            "profile": profile,
            "rows": rows,
            "refs": refs,
            "left": left,
            "right": right,
            "classification": _marking(profile),
        },
    )


@login_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    user = account_permissions.require_signed_in(request)
    return render(request, "profiles/reviews.html", {"rows": selectors.reviews_for_user(user=user)})
