"""The 4P action plan with the personas: who updates what, flags and reminders over time,
recommendations to actions, completion, disruptions, exports safe for spreadsheets, the
all-or-nothing import, the dashboard and the delivery section of the next profile."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import World
from socprofiles.accounts.models import Organisation, OrganisationKind, PartnershipRole
from socprofiles.accounts.tests.factories import MembershipFactory, UserFactory
from socprofiles.actions import exports, selectors, services
from socprofiles.actions.models import Action, Disruption, Status
from socprofiles.audit.models import AuditEvent
from socprofiles.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db


def _fire_member(world: World) -> Any:
    fire = Organisation.objects.create(
        name="Test Fire and Rescue", slug="test-fire", kind=OrganisationKind.FIRE_RESCUE
    )
    user = UserFactory(username="fire", organisation=fire)
    MembershipFactory(partnership=world.partnership, user=user, role=PartnershipRole.MEMBER)
    return user


def test_an_owning_organisation_updates_only_its_own_actions(world: World) -> None:
    action = world.action  # owned by the council, the member's organisation
    services.progress_add(actor=world.member, action=action, status="on_track",
                          text="Schools have agreed to take part.")  # fmt: skip
    assert Action.objects.get(pk=action.pk).status == Status.ON_TRACK
    fire = _fire_member(world)
    with pytest.raises(PermissionDenied):
        services.progress_add(actor=fire, action=action, status="at_risk", text="Not ours at all.")
    with pytest.raises(PermissionDenied):
        services.progress_add(actor=world.reader, action=action, status="at_risk",
                              text="Readers only read.")  # fmt: skip
    with pytest.raises(PermissionDenied):  # members cannot re-assign actions
        services.action_update(actor=world.member, action=action, owner=world.member)
    assert AuditEvent.objects.filter(action="action.progress").count() == 1


def test_readers_see_but_cannot_change_and_outsiders_get_404(world: World, client_for: Any) -> None:
    action = world.action
    reader = client_for("reader")
    assert reader.get(reverse("actions:action_detail", args=[action.pk])).status_code == 200
    response = reader.post(reverse("actions:progress_add", args=[action.pk]),
                           {"progress-status": "complete", "progress-text": "Done by a reader?"})  # fmt: skip
    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).status == Status.NOT_STARTED
    outsider = client_for("outsider")
    for url in (reverse("actions:action_detail", args=[action.pk]),
                reverse("actions:plan", args=[world.partnership.slug]),
                f"/api/actions/{action.pk}"):  # fmt: skip
        response = outsider.get(url)
        assert response.status_code == 404 and "Divert" not in response.content.decode()


def test_overdue_milestones_and_due_reviews_are_flagged_and_reminded(world: World) -> None:
    action = world.action  # milestone due 2027-03-31, review 2027-06-30, owner: the member
    assert not selectors.flags(action, today=dt.date(2027, 3, 31)).any
    late = selectors.flags(action, today=dt.date(2027, 4, 1))
    assert [m.text for m in late.overdue_milestones] == ["Diversion offer agreed with schools"]
    assert not late.review_due
    assert selectors.flags(action, today=dt.date(2027, 6, 30)).review_due
    with time_machine.travel(dt.datetime(2027, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        assert [i["reasons"] for i in selectors.agenda(partnership=world.partnership)] == [
            ["1 milestone(s) overdue"]
        ]
        assert services.action_reminders() == {"reminded": 1}
        assert services.action_reminders() == {"reminded": 0}  # not twice in a week
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.member.email]
    assert "Milestone overdue since 31 March 2027" in mail.outbox[0].body
    assert services.action_reminders(today=dt.date(2027, 4, 10)) == {"reminded": 1}
    milestone = action.milestones.get()
    with time_machine.travel(dt.datetime(2027, 4, 11, 9, tzinfo=dt.UTC), tick=False):
        services.milestone_done(actor=world.member, milestone=milestone)
        assert not selectors.flags(action).any


def test_the_scheduled_command_enqueues_the_action_reminders(world: World) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    with time_machine.travel(dt.datetime(2027, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        call_command("run_scheduled", stdout=out)
    assert "action_reminders" in out.getvalue()
    assert Action.objects.get(pk=world.action.pk).last_reminded_on == dt.date(2027, 4, 2)


def test_recommendations_become_actions_once(world: World) -> None:
    from socprofiles.profiles import services as profiles

    profile = world.profile  # a new draft after version 1
    profiles.recommendations_set(actor=world.analyst, profile=profile, by_strand={
        "pursue": ["Disrupt the two-market groups"], "protect": ["Warn repeat victims"]})  # fmt: skip
    profile = profiles.profile_transition(
        actor=world.analyst, profile=profile, action="send_to_consultation"
    )
    profile = profiles.profile_transition(actor=world.owner, profile=profile, action="publish")
    made = services.actions_from_profile(actor=world.analyst, profile=profile)
    assert sorted((a.strand, a.recommendation) for a in made) == [
        ("protect", "Warn repeat victims"),
        ("pursue", "Disrupt the two-market groups"),
    ]
    assert services.actions_from_profile(actor=world.analyst, profile=profile) == []
    with pytest.raises(PermissionDenied):
        services.actions_from_profile(actor=world.member, profile=profile)


def test_completing_needs_every_milestone_done_and_evidence(world: World) -> None:
    action = world.action
    with pytest.raises(ServiceError, match="Mark every milestone done"):
        services.progress_add(actor=world.member, action=action, status="complete",
                              text="All finished now.", evidence="Report")  # fmt: skip
    services.milestone_done(actor=world.member, milestone=action.milestones.get())
    with pytest.raises(ServiceError, match="evidence"):
        services.progress_add(actor=world.member, action=action, status="complete",
                              text="All finished now.")  # fmt: skip
    services.progress_add(actor=world.member, action=action, status="complete",
                          text="All finished now.", evidence="Signed agreements with 12 schools.")  # fmt: skip
    data = selectors.dashboard(partnership=world.partnership)
    assert data["complete"] == 1 and data["over_time"][0]["cumulative"] == 1


def test_disruptions_are_recorded_by_their_agency_and_escalations_linked(world: World) -> None:
    council, force = world.council, world.force
    warning = services.disruption_record(
        actor=world.member, partnership=world.partnership, power="cpw", agency=council,
        occurred_on=dt.date(2026, 10, 1), count=71, action=world.action,
    )  # fmt: skip
    services.disruption_record(
        actor=world.member, partnership=world.partnership, power="cpn", agency=council,
        occurred_on=dt.date(2026, 11, 1), count=5, escalated_from=warning,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):  # not the member's agency
        services.disruption_record(actor=world.member, partnership=world.partnership,
                                   power="arrest", agency=force, occurred_on=dt.date(2026, 11, 1))  # fmt: skip
    with pytest.raises(ServiceError, match="LSOA"):
        services.disruption_record(actor=world.analyst, partnership=world.partnership,
                                   power="arrest", agency=force, occurred_on=dt.date(2026, 11, 1),
                                   lsoa_code="E0212345")  # fmt: skip
    with pytest.raises(ServiceError, match="future"):
        services.disruption_record(actor=world.analyst, partnership=world.partnership,
                                   power="arrest", agency=force, occurred_on=dt.date(2099, 1, 1))  # fmt: skip
    outcomes = {o["power"]: o["total"] for o in selectors.dashboard(
        partnership=world.partnership)["outcomes"]}  # fmt: skip
    assert outcomes == {"Community Protection Warning": 71, "Community Protection Notice": 5}
    delivery = selectors.delivery_since(partnership=world.partnership, since=None)
    assert delivery["escalated"] == 5
    assert Disruption.objects.count() == 2


HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


def test_the_xlsx_export_is_safe_against_formula_injection(world: World, client_for: Any) -> None:
    from openpyxl import load_workbook

    for text in HOSTILE:
        services.action_create(actor=world.owner, partnership=world.partnership, strand="pursue",
                               recommendation=text)  # fmt: skip
    response = client_for("reader").get(
        reverse("actions:export", args=[world.partnership.slug, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
    assert sorted(values) == sorted(["Divert young people at risk of exploitation.",
                                     *[f"'{t}" for t in HOSTILE]])  # fmt: skip
    assert sheet["A1"].value == "OFFICIAL"
    csv_text = (
        client_for("reader")
        .get(reverse("actions:export", args=[world.partnership.slug, "csv"]))
        .content.decode()
    )
    for text in HOSTILE:
        assert f",'{text[0]}" in csv_text or f"\"'{text[0]}" in csv_text
    event = AuditEvent.objects.filter(action="action.plan_exported").latest("seq")
    assert event.actor_username == "reader"


def test_the_pdf_export_follows_the_seed_layout(world: World, client_for: Any) -> None:
    from pypdf import PdfReader

    response = client_for("member").get(
        reverse("actions:export", args=[world.partnership.slug, "pdf"])
    )
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    for heading in ("Recommendation", "Milestone", "Ownership", "Review", "Prevent"):
        assert heading in text
    assert text.count("OFFICIAL") >= 2 and "Issued to" in text
    compact = text.replace(" ", "")  # the extractor splits kerned pairs ("T est")
    assert "Diversionofferagreedwithschools" in compact and "TestCouncil" in compact


def _workbook(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["OFFICIAL", "Imported plan"])
    sheet.append(exports.IMPORT_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_existing_plan_imports_all_or_nothing(world: World) -> None:
    good = _workbook([
        ["Pursue", "Target cuckooed addresses", "Map addresses", dt.date(2027, 2, 1),
         "Test Constabulary", dt.date(2027, 6, 1)],
        ["", "", "Close the worst three", dt.date(2027, 4, 1), "Test Council", None],
        ["Protect", "Visit repeat fraud victims", "", None, "Test Council", "2027-05-01"],
    ])  # fmt: skip
    made = services.plan_import(actor=world.analyst, partnership=world.partnership, data=good,
                                name="plan.xlsx")  # fmt: skip
    target = next(a for a in made if a.strand == "pursue")
    assert [m.text for m in target.milestones.all()] == ["Map addresses", "Close the worst three"]
    assert {o.name for o in target.owner_organisations.all()} == {"Test Constabulary",
                                                                 "Test Council"}  # fmt: skip
    before = Action.objects.count()
    bad = _workbook([
        ["Pursue", "Fine row", "", None, "", None],
        ["Pursuit", "Bad strand", "", None, "", None],
    ])  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        services.plan_import(actor=world.analyst, partnership=world.partnership, data=bad,
                             name="bad.xlsx")  # fmt: skip
    assert refused.value.message.startswith("bad.xlsx, row 4, column A: 'Pursuit'")
    unknown = _workbook([["Prevent", "Outreach", "", None, "Atlantis Council", None]])
    with pytest.raises(ServiceError, match="row 3, Ownership: 'Atlantis Council'"):
        services.plan_import(actor=world.analyst, partnership=world.partnership, data=unknown,
                             name="u.xlsx")  # fmt: skip
    with pytest.raises(ServiceError, match="not an Excel workbook"):
        services.plan_import(actor=world.analyst, partnership=world.partnership,
                             data=b"%PDF-1.4 not a workbook", name="x.xlsx")  # fmt: skip
    assert Action.objects.count() == before  # nothing from the bad files
    with pytest.raises(PermissionDenied):
        services.plan_import(actor=world.member, partnership=world.partnership, data=good,
                             name="plan.xlsx")  # fmt: skip


def test_the_dashboard_csv_is_for_members_and_safe(world: World, client_for: Any) -> None:
    services.action_create(actor=world.owner, partnership=world.partnership, strand="pursue",
                           recommendation="=cmd|' /C calc'!A0",
                           owner_organisations=[world.council])  # fmt: skip
    response = client_for("reader").get(
        reverse("actions:dashboard_csv", args=[world.partnership.slug])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("OFFICIAL,") and "By strand,Pursue" in body


def test_the_next_profile_reports_delivery_since_the_last(world: World) -> None:
    from socprofiles.profiles import selectors as profile_selectors

    services.disruption_record(
        actor=world.member, partnership=world.partnership, power="closure_order",
        agency=world.council, occurred_on=dt.date.today(), count=2,
    )  # fmt: skip
    content = profile_selectors.draft_content(actor=world.analyst, profile=world.profile)
    section = next(s for s in content["sections"] if s["key"] == "delivery")
    captions = [b["caption"] for b in section["blocks"] if b["type"] == "table"]
    assert captions == ["The action plan by strand and status",
                        "Tools and powers used against serious and organised crime"]  # fmt: skip
    outcomes = section["blocks"][1]["rows"]
    assert outcomes == [["Closure order", "2"]]


def test_a_meeting_records_decisions_on_its_agenda(world: World, client_for: Any) -> None:
    action = world.action  # its milestone falls due on 2027-03-31
    url = reverse("actions:meeting", args=[world.partnership.slug])
    form = {"held_on": "2027-04-05", "attendees": "Police, council",
            f"decision-{action.pk}": "Council to agree the offer by May."}  # fmt: skip
    assert client_for("reader").post(url, form).status_code == 403
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=world.member, partnership=world.partnership,
                                held_on=dt.date(2027, 4, 5), attendees="",
                                decisions={str(action.pk): "x"})  # fmt: skip
    with time_machine.travel(dt.datetime(2027, 4, 5, 9, tzinfo=dt.UTC), tick=False):
        response = client_for("owner").post(url, form)
    assert response.status_code == 302
    record = world.partnership.meetings.latest("created_at")
    assert record.decisions[0]["decision"] == "Council to agree the offer by May."
    assert record.decisions[0]["reasons"] == ["1 milestone(s) overdue"]
    page = client_for("reader").get(reverse("actions:meeting_record", args=[record.pk]))
    assert "Council to agree the offer by May." in page.content.decode()
