"""Pages for the OCG register (groups, members, associations, tactical scores, the
network and its exports, nominal prioritisation) and for joint operations (plan,
agencies and powers, each agency's results, the summary)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import Organisation, User
from socprofiles.accounts.selectors import organisations_list, partnerships_for_user
from socprofiles.core.classification import Classification, Marking
from socprofiles.core.exceptions import ServiceError
from socprofiles.morile.engine import get_model
from socprofiles.morile.forms import ScoreForm
from socprofiles.morile.services import TACTICAL_MODEL

from . import exports, permissions, selectors, services
from .forms import (
    ActionsForm,
    AssociationForm,
    GroupForm,
    MemberEditForm,
    MemberForm,
    OperationForm,
    OutcomeForm,
    ParticipantForm,
)
from .models import AssociationKind, Group, JointOperation, Member, Role

REGISTER_MARKING = Marking(
    Classification.OFFICIAL_SENSITIVE, "Your organisation's OCG register: not for onward sharing"
)
OPERATION_MARKING = Marking(
    Classification.OFFICIAL_SENSITIVE, "For the agencies taking part in the operation only"
)
ROLE_COLOURS = {
    Role.PRINCIPAL: "#d4351c", Role.SIGNIFICANT: "#f47738", Role.MEMBER: "#1d70b8",
    Role.ASSOCIATE: "#4c2c92", Role.FACILITATOR: "#00703c", "": "#b1b4b6",
}  # fmt: skip
LINK_COLOURS = {
    "family": "#d4351c", "associate": "#0b0c0c", "business": "#1d70b8",
    "vehicle_use": "#00703c", "premises": "#4c2c92", "communication": "#f47738",
    "financial": "#912b88", "other": "#505a5f",
}  # fmt: skip
EXPORT_TYPES = {"graphml": "application/graphml+xml", "csv": "text/csv; charset=utf-8"}


def _error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# -- the register -------------------------------------------------------------------------


def _register(request: HttpRequest) -> tuple[Any, Organisation]:
    """The signed-in person and their agency, whose register they keep; 404 otherwise."""
    user = account_permissions.require_signed_in(request)
    own = permissions.organisation_of(user)
    if own is None or not permissions.can_keep_register(user, own):
        raise Http404
    return user, own


def _group(request: HttpRequest, pk: Any) -> tuple[Any, Group]:
    user = account_permissions.require_signed_in(request)
    return user, selectors.group_get_for_user(user=user, pk=pk)


def _people(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(organisation=organisation, is_active=True, is_service_account=False)
        .order_by("full_name", "username")
    )  # fmt: skip


def _group_form(user: Any, own: Organisation, data: Any = None, **kwargs: Any) -> GroupForm:
    return GroupForm(
        data, people=_people(own), partnerships=list(partnerships_for_user(user=user)), **kwargs
    )


def _group_choices(user: Any, own: Organisation, form: GroupForm) -> tuple[Any, Any]:
    data = form.cleaned_data
    officer = next((p for p in _people(own) if str(p.pk) == data["lead_officer"]), None)
    partnership = next(
        (p for p in partnerships_for_user(user=user) if str(p.pk) == data["partnership"]), None
    )
    return officer, partnership


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    user, own = _register(request)
    form = _group_form(user, own, request.POST or None)
    if request.method == "POST" and form.is_valid():
        officer, partnership = _group_choices(user, own, form)
        data = form.cleaned_data
        try:
            group = services.group_create(
                actor=user, organisation=own, reference=data["reference"], name=data["name"],
                status=data["status"], band=data["band"], threat_score=data["threat_score"],
                crime_markets=form.markets(), lead_officer=officer, partnership=partnership,
                notes=data["notes"],
            )  # fmt: skip
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, f"Group {group.reference} is added.")
            return redirect(group)
    groups = selectors.groups_for(user=user).annotate(member_count=Count("members"))
    return render(
        request,
        "ocgs/group_list.html",
        {"groups": groups, "form": form, "organisation": own,
         "classification": REGISTER_MARKING},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    own = group.organisation
    initial = {
        "name": group.name, "status": group.status, "band": group.band,
        "threat_score": group.threat_score, "crime_markets": group.crime_markets,
        "lead_officer": str(group.lead_officer_id or ""),
        "partnership": str(group.partnership_id or ""), "notes": group.notes,
    }  # fmt: skip
    edit = _group_form(user, own, request.POST or None, initial=initial, editing=True,
                       markets=group.crime_markets)  # fmt: skip
    if request.method == "POST" and edit.is_valid():
        officer, partnership = _group_choices(user, own, edit)
        data = edit.cleaned_data
        try:
            services.group_update(
                actor=user, group=group, name=data["name"], status=data["status"],
                band=data["band"], threat_score=data["threat_score"],
                crime_markets=edit.markets(), lead_officer=officer, partnership=partnership,
                notes=data["notes"],
            )  # fmt: skip
        except ServiceError as error:
            _error(edit, error)
        else:
            messages.success(request, "The group is saved.")
            return redirect(group)
    linkable = selectors.actions_linkable(user=user, group=group)
    return render(
        request,
        "ocgs/group_detail.html",
        {
            "group": group, "edit": edit, "members": selectors.members_of(group=group),
            "associations": selectors.associations_of(group=group),
            "actions": selectors.actions_visible(user=user, group=group),
            "member_form": MemberForm(prefix="member"),
            "association_form": AssociationForm(prefix="link"),
            "actions_form": ActionsForm(
                prefix="actions", actions=linkable,
                initial={"actions": [str(a.pk) for a in group.actions.all()]},
            ) if linkable else None,
            "operations": group.operations.all(),
            "classification": REGISTER_MARKING,
        },
    )  # fmt: skip


def _score_page(
    request: HttpRequest, *, user: Any, target: Group | Member, group: Group, heading: str,
    save: Any,
) -> HttpResponse:  # fmt: skip
    model = get_model(TACTICAL_MODEL)
    initial = {k: f"{v:g}" for k, v in (target.tactical_answers or {}).items()}
    initial["rationale"] = target.tactical_rationale
    form = ScoreForm(request.POST or None, model=model, initial=initial,
                     submit="Save the tactical score")  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            save(form.values(), form.cleaned_data["rationale"])
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, "The tactical score is saved.")
            return redirect(target)
    return render(
        request,
        "ocgs/score.html",
        {"form": form, "group": group, "target": target, "heading": heading, "model": model,
         "classification": REGISTER_MARKING},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def group_score(request: HttpRequest, pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    return _score_page(
        request, user=user, target=group, group=group, heading=f"Tactical score of {group}",
        save=lambda answers, why: services.group_score(actor=user, group=group, answers=answers,
                                                       rationale=why),
    )  # fmt: skip


@login_required
@require_POST
def member_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    form = MemberForm(request.POST, prefix="member")
    try:
        if not form.is_valid():
            raise ServiceError("Give the nominal's reference and the role.")
        typed = form.cleaned_data["nominal"]
        services.member_add(
            actor=user, group=group, reference=typed, role=form.cleaned_data["role"],
            nominal=selectors.nominal_find(organisation=group.organisation, value=typed),
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The member is added.")
    return redirect(group)


@login_required
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, pk: str, member_pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    member = selectors.member_get(group=group, pk=member_pk)
    form = MemberEditForm(request.POST or None,
                          initial={"role": member.role, "note": member.note})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=user, member=member, **form.cleaned_data)
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, "The member is saved.")
            return redirect(member)
    return render(
        request,
        "ocgs/member_detail.html",
        {"group": group, "member": member, "form": form,
         "label": selectors.nominal_label(member.nominal), "classification": REGISTER_MARKING},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def member_score(request: HttpRequest, pk: str, member_pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    member = selectors.member_get(group=group, pk=member_pk)
    return _score_page(
        request, user=user, target=member, group=group,
        heading=f"Tactical score of {member.nominal.reference} in {group.reference}",
        save=lambda answers, why: services.member_score(actor=user, member=member,
                                                        answers=answers, rationale=why),
    )  # fmt: skip


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: str, member_pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    member = selectors.member_get(group=group, pk=member_pk)
    services.member_remove(actor=user, member=member)
    messages.success(request, "The member is removed from the group.")
    return redirect(group)


@login_required
@require_POST
def association_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    form = AssociationForm(request.POST, prefix="link")
    try:
        if not form.is_valid():
            raise ServiceError("Give both nominals' references and the kind of link.")
        data = form.cleaned_data
        find = selectors.nominal_find
        services.association_add(
            actor=user, group=group, kind=data["kind"], note=data["note"],
            left=find(organisation=group.organisation, value=data["left"],
                      kinds=services.ANY_KIND),
            right=find(organisation=group.organisation, value=data["right"],
                       kinds=services.ANY_KIND),
            left_ref=data["left"], right_ref=data["right"],
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The link is added.")
    return redirect(group)


@login_required
@require_POST
def association_remove(request: HttpRequest, pk: str, association_pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    link = selectors.association_get(group=group, pk=association_pk)
    services.association_remove(actor=user, association=link)
    messages.success(request, "The link is removed.")
    return redirect(group)


@login_required
@require_POST
def group_actions(request: HttpRequest, pk: str) -> HttpResponse:
    user, group = _group(request, pk)
    linkable = selectors.actions_linkable(user=user, group=group)
    form = ActionsForm(request.POST, prefix="actions", actions=linkable)
    try:
        if not form.is_valid():
            raise ServiceError("Choose actions of the group's partnership's plan.")
        chosen = [a for a in linkable if str(a.pk) in form.cleaned_data["actions"]]
        services.group_actions_set(actor=user, group=group, actions=chosen)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The linked actions are saved.")
    return redirect(group)


@login_required
@require_GET
def network(request: HttpRequest, pk: str) -> HttpResponse:
    _user, group = _group(request, pk)
    found = selectors.network(group=group)
    nodes = [(n, ROLE_COLOURS.get(n.role, ROLE_COLOURS[""])) for n in found.nodes]
    edges = [(e, LINK_COLOURS.get(e.kind, "#505a5f")) for e in found.edges]
    legend = [(label, ROLE_COLOURS[value]) for value, label in Role.choices]
    legend.append(("Outside the group", ROLE_COLOURS[""]))
    links = [(label, LINK_COLOURS[value]) for value, label in AssociationKind.choices
             if any(e.kind == value for e in found.edges)]  # fmt: skip
    return render(
        request,
        "ocgs/network.html",
        {"group": group, "network": found, "nodes": nodes, "edges": edges, "legend": legend,
         "links": links,
         "members": sum(1 for n in found.nodes if n.member),
         "classification": REGISTER_MARKING},
    )  # fmt: skip


@login_required
@require_GET
def network_export(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    user, group = _group(request, pk)
    if fmt not in EXPORT_TYPES:
        raise Http404
    found = selectors.network(group=group)
    marking = REGISTER_MARKING.label
    body: bytes | str
    if fmt == "graphml":
        body = exports.network_graphml(found, marking=marking, exported_by=user.display_name)
    else:
        body = exports.network_csv(found, marking=marking, exported_by=user.display_name)
    services.network_exported(actor=user, group=group, fmt=fmt, nodes=len(found.nodes),
                              edges=len(found.edges),
                              purpose=request.GET.get("purpose", "")[:500])  # fmt: skip
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    name = f"ocg-{slugify(group.reference) or 'group'}-network.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def priorities(request: HttpRequest) -> HttpResponse:
    user, own = _register(request)
    top = selectors.top_of(request.GET.get("top", selectors.DEFAULT_TOP))
    return render(
        request,
        "ocgs/priorities.html",
        {"rows": selectors.prioritised(user=user, top=top), "top": top, "organisation": own,
         "classification": REGISTER_MARKING},
    )  # fmt: skip


@login_required
@require_GET
def priorities_csv(request: HttpRequest) -> HttpResponse:
    user, own = _register(request)
    top = selectors.top_of(request.GET.get("top", selectors.DEFAULT_TOP))
    rows = selectors.prioritised(user=user, top=top)
    body = exports.priorities_csv(rows, marking=REGISTER_MARKING.label,
                                  exported_by=user.display_name)  # fmt: skip
    services.priorities_exported(actor=user, organisation=own, rows=len(rows),
                                 purpose=request.GET.get("purpose", "")[:500])  # fmt: skip
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="nominal-priorities-{stamp}.csv"'
    return response


# -- joint operations ---------------------------------------------------------------------


def _signed_in_with_organisation(request: HttpRequest) -> tuple[Any, Organisation]:
    user = account_permissions.require_signed_in(request)
    own = permissions.organisation_of(user)
    if own is None:
        raise Http404
    return user, own


def _operation(request: HttpRequest, pk: Any) -> tuple[Any, JointOperation]:
    user = account_permissions.require_signed_in(request)
    return user, selectors.operation_get_for_user(user=user, pk=pk)


def _own_groups(user: Any, lead: Organisation) -> list[Group]:
    if not permissions.can_keep_register(user, lead):
        return []
    return list(selectors.groups_for(user=user))


def _chosen_group(groups: list[Group], value: str) -> Group | None:
    return next((g for g in groups if str(g.pk) == value), None)


@login_required
@require_http_methods(["GET", "POST"])
def operation_list(request: HttpRequest) -> HttpResponse:
    user, own = _signed_in_with_organisation(request)
    groups = _own_groups(user, own)
    form = OperationForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = services.operation_create(
                actor=user, lead_organisation=own, name=data["name"],
                planned_on=data["planned_on"], description=data["description"],
                group=_chosen_group(groups, data["group"]), powers=data["powers"],
            )  # fmt: skip
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, f"{operation.name} is planned: add the partner agencies.")
            return redirect(operation)
    return render(
        request,
        "ocgs/operation_list.html",
        {"operations": selectors.operations_for(user=user), "form": form, "organisation": own,
         "classification": OPERATION_MARKING},
    )  # fmt: skip


def _active_organisations() -> list[Organisation]:
    return list(organisations_list().order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def operation_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user, operation = _operation(request, pk)
    own = permissions.organisation_of(user)
    is_lead = permissions.can_manage_operation(user, operation)
    groups = _own_groups(user, operation.lead_organisation) if is_lead else []
    edit = None
    if is_lead:
        initial = {
            "name": operation.name, "planned_on": operation.planned_on,
            "description": operation.description, "status": operation.status,
            "group": str(operation.group_id or ""),
        }  # fmt: skip
        edit = OperationForm(request.POST or None, groups=groups, initial=initial, editing=True)
    if request.method == "POST":
        if edit is None:
            raise PermissionDenied
        if edit.is_valid():
            data = edit.cleaned_data
            try:
                services.operation_update(
                    actor=user, operation=operation, name=data["name"],
                    planned_on=data["planned_on"], description=data["description"],
                    status=data["status"], group=_chosen_group(groups, data["group"]),
                )  # fmt: skip
            except ServiceError as error:
                _error(edit, error)
            else:
                messages.success(request, "The operation is saved.")
                return redirect(operation)
    group = operation.group
    show_group = group is not None and permissions.can_view_group(user, group)
    can_record = own is not None and permissions.can_record_outcome(user, operation, own)
    return render(
        request,
        "ocgs/operation_detail.html",
        {
            "operation": operation, "is_lead": is_lead, "edit": edit,
            "group": group if show_group else None,
            "participants": selectors.participants_of(operation=operation),
            "outcomes": operation.outcomes.select_related("organisation", "recorded_by"),
            "own": own, "can_record": can_record,
            "participant_form": ParticipantForm(prefix="participant",
                                                organisations=_active_organisations())
            if is_lead else None,
            "outcome_form": OutcomeForm(prefix="outcome") if can_record else None,
            "summary": selectors.operation_summary(operation=operation),
            "classification": OPERATION_MARKING,
        },
    )  # fmt: skip


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, operation = _operation(request, pk)
    if not permissions.can_manage_operation(user, operation):
        raise PermissionDenied
    organisations = _active_organisations()
    form = ParticipantForm(request.POST, prefix="participant", organisations=organisations)
    try:
        if not form.is_valid():
            raise ServiceError("Choose the agency.")
        chosen = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
        services.participant_add(actor=user, operation=operation, organisation=chosen,
                                 powers=form.cleaned_data["powers"])  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{chosen.name} takes part.")
    return redirect(operation)


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: str, participant_pk: str) -> HttpResponse:
    user, operation = _operation(request, pk)
    participant = selectors.participant_get(operation=operation, pk=participant_pk)
    if not permissions.can_manage_operation(user, operation):
        raise PermissionDenied
    try:
        services.participant_remove(actor=user, participant=participant)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The agency is removed from the operation.")
    return redirect(operation)


@login_required
@require_POST
def outcome_add(request: HttpRequest, pk: str) -> HttpResponse:
    user, operation = _operation(request, pk)
    own = permissions.organisation_of(user)
    if own is None or not permissions.can_record_outcome(user, operation, own):
        raise PermissionDenied
    form = OutcomeForm(request.POST, prefix="outcome")
    try:
        if not form.is_valid():
            raise ServiceError("Choose the result and give a number of at least 1.")
        services.outcome_record(actor=user, operation=operation, organisation=own,
                                **form.cleaned_data)  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The result is recorded.")
    return redirect(operation)


@login_required
@require_POST
def outcome_remove(request: HttpRequest, pk: str, outcome_pk: str) -> HttpResponse:
    user, operation = _operation(request, pk)
    outcome = selectors.outcome_get(operation=operation, pk=outcome_pk)
    if not permissions.can_record_outcome(user, operation, outcome.organisation):
        raise PermissionDenied
    services.outcome_remove(actor=user, outcome=outcome)
    messages.success(request, "The result is removed.")
    return redirect(operation)


@login_required
@require_GET
def operation_summary(request: HttpRequest, pk: str) -> HttpResponse:
    _user, operation = _operation(request, pk)
    return render(
        request,
        "ocgs/operation_summary.html",
        {"operation": operation, "summary": selectors.operation_summary(operation=operation),
         "classification": OPERATION_MARKING},
    )  # fmt: skip


@login_required
@require_GET
def operation_summary_csv(request: HttpRequest, pk: str) -> HttpResponse:
    user, operation = _operation(request, pk)
    summary = selectors.operation_summary(operation=operation)
    body = exports.summary_csv(operation, summary, marking=OPERATION_MARKING.label,
                               exported_by=user.display_name)  # fmt: skip
    services.summary_exported(actor=user, operation=operation)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"operation-{slugify(operation.name) or 'summary'}-results.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
