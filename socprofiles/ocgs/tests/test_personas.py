"""Who sees what, through every page, export and API operation of the OCG register and
joint operations: the owning force's analyst; an analyst of another force; a council
member of the same partnership (an agency taking part in the operation); a ROCU GAIN
coordinator; the anonymous visitor. Nobody sees another agency's groups, nominals or
holdings, and refusals read the same whether a record is another agency's or missing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from conftest import page_text
from socprofiles.audit.models import AuditEvent
from socprofiles.ocgs import selectors, services
from socprofiles.ocgs.models import Member, Outcome

from .conftest import PERSONAS, TACTICAL, Agencies

pytestmark = pytest.mark.django_db

LOGIN = "login"
# What must never appear in an answer to someone outside the owning force.
SECRETS = ("OCG-1", "Operation Tarn", "TP-00", "Jordan", "Kane", "DI Sam Lead")


def _register_pages(r: dict[str, Any]) -> dict[str, str]:
    g, m = r["group"], r["members"]["P1"]
    return {
        "group_detail": reverse("ocgs:group_detail", args=[g.pk]),
        "group_score": reverse("ocgs:group_score", args=[g.pk]),
        "member_detail": reverse("ocgs:member_detail", args=[g.pk, m.pk]),
        "member_score": reverse("ocgs:member_score", args=[g.pk, m.pk]),
        "network": reverse("ocgs:network", args=[g.pk]),
        "graphml": reverse("ocgs:network_export", args=[g.pk, "graphml"]),
        "csv": reverse("ocgs:network_export", args=[g.pk, "csv"]),
    }


OWN_ONLY = {"analyst": 200, "other_analyst": 404, "council": 404, "coordinator": 404,
            "anonymous": LOGIN}  # fmt: skip
OWN_REGISTER = dict.fromkeys(PERSONAS, 200) | {"anonymous": LOGIN}


def _check(response: Any, expected: Any, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert urlsplit(response["Location"]).path == reverse("accounts:login"), label
    else:
        assert response.status_code == expected, f"{label}: {response.status_code}"


def _leaks(response: Any) -> list[str]:
    body = page_text(response)
    return [s for s in SECRETS if s in body]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_register_is_seen_by_the_owning_force_only(
    persona: str, agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    client = client_as(persona)
    for name, url in _register_pages(register).items():
        response = client.get(url)
        _check(response, OWN_ONLY[persona], f"{persona} {name}")
        if persona != "analyst":
            assert _leaks(response) == [], f"{persona} {name}"
    # Each agency has a register page of its own: theirs, empty, never the force's.
    for name in ("ocgs:group_list", "ocgs:priorities", "ocgs:priorities_csv"):
        response = client.get(reverse(name))
        _check(response, OWN_REGISTER[persona], f"{persona} {name}")
        if persona == "analyst":
            assert "OCG-1" in response.content.decode()
        else:
            assert _leaks(response) == [], f"{persona} {name}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_else_changes_the_register(
    persona: str, agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    if persona == "analyst":
        return
    client = client_as(persona)
    g = register["group"]
    m = register["members"]["P3"]
    link = selectors.associations_of(group=g).first()
    posts = {
        reverse("ocgs:group_detail", args=[g.pk]): {"name": "Renamed", "status": "active"},
        reverse("ocgs:group_score", args=[g.pk]): {k: str(v) for k, v in TACTICAL.items()},
        reverse("ocgs:member_add", args=[g.pk]): {"member-nominal": "TP-005"},
        reverse("ocgs:member_detail", args=[g.pk, m.pk]): {"role": "principal"},
        reverse("ocgs:member_score", args=[g.pk, m.pk]): {k: str(v) for k, v in TACTICAL.items()},
        reverse("ocgs:member_remove", args=[g.pk, m.pk]): {},
        reverse("ocgs:association_add", args=[g.pk]): {"link-left": "TP-001",
                                                       "link-right": "TP-004",
                                                       "link-kind": "family"},
        reverse("ocgs:association_remove", args=[g.pk, link.pk]): {},
        reverse("ocgs:group_actions", args=[g.pk]): {"actions-actions": [str(agencies.action.pk)]},
    }  # fmt: skip
    before = AuditEvent.objects.count()
    for url, data in posts.items():
        response = client.post(url, data)
        _check(response, 404 if persona != "anonymous" else LOGIN, f"{persona} POST {url}")
        assert _leaks(response) == []
    assert AuditEvent.objects.count() == before
    assert Member.objects.filter(group=g).count() == 4
    assert not g.actions.exists()


def test_adding_another_agencys_nominal_reads_like_adding_a_missing_one(
    agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    client = client_as("analyst")
    url = reverse("ocgs:member_add", args=[register["group"].pk])
    said = {}
    for typed in ("OL-999", "TC-55", "NO-SUCH", str(agencies.foreign.pk)):
        response = client.post(url, {"member-nominal": typed, "member-role": "member"},
                               follow=True)  # fmt: skip
        assert response.redirect_chain[0][1] == 302
        said[typed] = [str(m) for m in response.context["messages"]]
    for typed, messages in said.items():
        assert messages == [services.NO_SUCH_NOMINAL.format(what="person nominal", ref=typed)]
    # The API says the same.
    api = f"/api/ocgs/{register['group'].pk}/members"
    answers = {}
    for typed in ("OL-999", "NO-SUCH"):
        response = client.post(api, json.dumps({"nominal": typed}),
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 400
        answers[typed] = response.json()["detail"].replace(typed, "…")
    assert answers["OL-999"] == answers["NO-SUCH"]
    assert Member.objects.filter(group=register["group"]).count() == 4


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_operation_is_seen_by_its_lead_and_the_agencies_taking_part(
    persona: str, agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    operation = register["operation"]
    client = client_as(persona)
    expected = {"analyst": 200, "council": 200, "other_analyst": 404, "coordinator": 404,
                "anonymous": LOGIN}[persona]  # fmt: skip
    for name in ("ocgs:operation_detail", "ocgs:operation_summary",
                 "ocgs:operation_summary_csv"):  # fmt: skip
        response = client.get(reverse(name, args=[operation.pk]))
        _check(response, expected, f"{persona} {name}")
        if persona != "analyst":
            # The target group is the lead's own: taking part does not show it.
            assert _leaks(response) == [], f"{persona} {name}: {_leaks(response)}"
        if persona in ("other_analyst", "coordinator"):
            assert operation.name not in response.content.decode()
    listing = client.get(reverse("ocgs:operation_list"))
    _check(listing, {**OWN_REGISTER}[persona], f"{persona} operation_list")
    if persona != "anonymous":
        assert (operation.name in listing.content.decode()) == (expected == 200)


def test_participants_record_their_own_results_and_the_lead_runs_the_plan(
    agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    operation = register["operation"]
    council, lead = client_as("council"), client_as("analyst")
    add = reverse("ocgs:outcome_add", args=[operation.pk])
    response = council.post(add, {"outcome-measure": "notices_served", "outcome-quantity": "6",
                                   "outcome-note": "Prohibition notices"})  # fmt: skip
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (
        outcome.organisation == agencies.council and outcome.recorded_by == agencies.council_member
    )
    # The council cannot edit the plan, add agencies or remove the lead's results.
    assert council.post(reverse("ocgs:operation_detail", args=[operation.pk]),
                        {"name": "Mine now"}).status_code == 403  # fmt: skip
    assert council.post(reverse("ocgs:participant_add", args=[operation.pk]),
                        {"participant-organisation": str(agencies.rocu.pk)}).status_code == 403  # fmt: skip
    lead.post(add, {"outcome-measure": "arrests", "outcome-quantity": "4"})
    police_result = Outcome.objects.get(organisation=agencies.police)
    assert council.post(reverse("ocgs:outcome_remove", args=[operation.pk, police_result.pk])
                        ).status_code == 403  # fmt: skip
    # Someone not taking part cannot reach any of it.
    other = client_as("coordinator")
    assert other.post(add, {"outcome-measure": "arrests", "outcome-quantity": "1"}
                      ).status_code == 404  # fmt: skip
    # The lead adds the ROCU; now the coordinator sees the operation, but not the group.
    response = lead.post(reverse("ocgs:participant_add", args=[operation.pk]),
                         {"participant-organisation": str(agencies.rocu.pk),
                          "participant-powers": "GAIN coordination"})  # fmt: skip
    assert response.status_code == 302
    page = other.get(reverse("ocgs:operation_detail", args=[operation.pk]))
    assert page.status_code == 200 and _leaks(page) == []
    assert "Prohibition notices" in page.content.decode()
    summary = lead.get(reverse("ocgs:operation_summary", args=[operation.pk])).content.decode()
    assert "6 notices served and 4 arrests" in summary
    lead_page = lead.get(reverse("ocgs:operation_detail", args=[operation.pk])).content.decode()
    assert "OCG-1" in lead_page  # the lead sees its own target group
    csv_body = lead.get(reverse("ocgs:operation_summary_csv", args=[operation.pk])).content
    assert b"Total,6,4" in csv_body
    assert AuditEvent.objects.filter(action="ocg.operation_summary_exported").count() == 1


def test_exports_are_audited_as_disclosures(
    agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    client = client_as("analyst")
    g = register["group"]
    response = client.get(reverse("ocgs:network_export", args=[g.pk, "graphml"]),
                          {"purpose": "Briefing pack for Op Tarn"})  # fmt: skip
    assert response["Content-Type"] == "application/graphml+xml"
    assert "attachment" in response["Content-Disposition"]
    client.get(reverse("ocgs:network_export", args=[g.pk, "csv"]))
    assert client.get(reverse("ocgs:network_export", args=[g.pk, "pdf"])).status_code == 404
    client.get(reverse("ocgs:priorities_csv"), {"top": "3"})
    events = list(AuditEvent.objects.filter(action__in=["ocg.network_exported",
                                                        "ocg.priorities_exported"]).order_by("seq"))  # fmt: skip
    assert [(e.action, e.detail.get("format")) for e in events] == [
        ("ocg.network_exported", "graphml"), ("ocg.network_exported", "csv"),
        ("ocg.priorities_exported", None)]  # fmt: skip
    assert events[0].purpose == "Briefing pack for Op Tarn"
    assert events[0].actor_username == "police-analyst" and events[2].detail["rows"] == 3


def test_the_pages_render_the_network_and_the_prioritisation(
    agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    client = client_as("analyst")
    page = client.get(reverse("ocgs:network", args=[register["group"].pk])).content.decode()
    assert page.count("<circle") >= 5 and "<line" in page and "TP-V01" in page
    assert "Brothers &lt;&quot;Kane&quot; &amp; Lowe&gt;" in page  # escaped
    priorities = client.get(reverse("ocgs:priorities"), {"top": "2"}).content.decode()
    assert "Top 2" in priorities and "TP-001" in priorities and "TP-004" not in priorities
    for absent in ("OL-999", "TC-55", "Otherland", "Testshire Council"):
        assert absent not in priorities  # a count of agencies, never who or what
    # The group page lists its members, links and 4P plan choices.
    detail = client.get(reverse("ocgs:group_detail", args=[register["group"].pk]))
    assert "Disrupt the groups supplying drugs" in detail.content.decode()


API_REGISTER = {"analyst": 200, "other_analyst": 404, "council": 404, "coordinator": 404,
                "anonymous": 401}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_keeps_the_same_rules(
    persona: str, agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    client = client_as(persona)
    g, m = register["group"], register["members"]["P2"]
    op = register["operation"]
    reads = {
        f"/api/ocgs/{g.pk}": API_REGISTER,
        f"/api/ocgs/{g.pk}/network": API_REGISTER,
        "/api/ocgs": dict.fromkeys(PERSONAS, 200) | {"anonymous": 401},
        "/api/ocgs/priorities": dict.fromkeys(PERSONAS, 200) | {"anonymous": 401},
        f"/api/operations/{op.pk}": API_REGISTER | {"council": 200},
        f"/api/operations/{op.pk}/summary": API_REGISTER | {"council": 200},
        "/api/operations": dict.fromkeys(PERSONAS, 200) | {"anonymous": 401},
    }
    for url, expected in reads.items():
        response = client.get(url)
        assert response.status_code == expected[persona], f"{persona} GET {url}"
        if persona != "analyst":
            assert _leaks(response) == [], f"{persona} GET {url}"
    writes = [
        ("post", f"/api/ocgs/{g.pk}/members", {"nominal": "TP-005"}, API_REGISTER | {"analyst": 201}),
        ("put", f"/api/ocgs/{g.pk}/members/{m.pk}/tactical-score", {"answers": TACTICAL},
         API_REGISTER),
        ("put", f"/api/ocgs/{g.pk}/tactical-score", {"answers": TACTICAL}, API_REGISTER),
        ("post", f"/api/ocgs/{g.pk}/associations",
         {"left": "TP-002", "right": "TP-003", "kind": "business"}, API_REGISTER | {"analyst": 201}),
        ("post", f"/api/operations/{op.pk}/outcomes", {"measure": "arrests", "quantity": 2},
         API_REGISTER | {"analyst": 201, "council": 201}),
        ("post", f"/api/operations/{op.pk}/participants", {"organisation": agencies.rocu.name},
         API_REGISTER | {"analyst": 201, "council": 403}),
    ]  # fmt: skip
    for method, url, body, expected in writes:
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        assert response.status_code == expected[persona], (
            f"{persona} {method} {url}: {response.content!r}"
        )
        if persona != "analyst":
            assert _leaks(response) == []
    if persona == "council":
        assert Outcome.objects.get().organisation == agencies.council
    if persona == "analyst":
        assert Member.objects.get(pk=m.pk).tactical_score == 60.0
        detail = client.get(f"/api/ocgs/{g.pk}").json()
        assert detail["tactical_outputs"]["graded_score"] == 60.0
        assert detail["member_list"][0]["nominal"] == "TP-001"
        network = client.get(f"/api/ocgs/{g.pk}/network").json()
        assert {n["reference"] for n in network["nodes"]} >= {"TP-001", "TP-V01"}
        ranked = client.get("/api/ocgs/priorities?top=1").json()
        assert ranked == [{"rank": 1, "reference": "TP-001", "tactical_score": 60.0,
                           "groups": ["OCG-1"], "principal": True, "agencies": 3}]  # fmt: skip


def test_the_api_creates_groups_imports_and_plans_operations(
    agencies: Agencies, client_as: Callable[..., Any]
) -> None:
    client = client_as("analyst")

    def post(url: str, body: Any) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json")

    made = post("/api/ocgs", {"reference": "OCG-7", "band": "1b", "crime_markets": ["Drugs"]})
    assert made.status_code == 201 and made.json()["band"] == "1B"
    assert post("/api/ocgs", {"reference": "OCG-7"}).status_code == 400
    rows = [{"group_ref": "OCG-8", "member_ref": "TP-001", "band": "2C", "crime_markets": "Fraud"}]
    assert post("/api/ocgs/import", {"rows": rows}).json()["created"] == 1
    bad = post("/api/ocgs/import", {"rows": [{**rows[0], "member_ref": "TC-55"}]})
    assert bad.status_code == 400 and "TC-55" in bad.json()["detail"]
    assert "Testshire Council" not in bad.json()["detail"]
    planned = post("/api/operations", {"name": "Op Test", "planned_on": "2027-06-01",
                                       "group": made.json()["id"]})  # fmt: skip
    assert planned.status_code == 201
    assert planned.json()["participants"] == [{"organisation": "Testshire Police", "powers": ""}]
    other = client_as("other_analyst")
    foreign = other.post("/api/operations", json.dumps({"name": "Op X", "planned_on": "2027-06-01",
                                                        "group": made.json()["id"]}),
                         content_type="application/json")  # fmt: skip
    assert foreign.status_code == 400
    assert foreign.json()["detail"] == "Choose one of your organisation's groups."
    assert client_as("anonymous").post("/api/ocgs", json.dumps({"reference": "Z"}),
                                       content_type="application/json").status_code == 401  # fmt: skip


OPERATION_WRITES = {
    # route: expected per persona. The analyst's force leads; the council and (in this
    # test) the coordinator's ROCU take part; the other force does not.
    "edit": {"analyst": 302, "council": 403, "other_analyst": 404, "coordinator": 403},
    "participant_add": {"analyst": 302, "council": 403, "other_analyst": 404,
                        "coordinator": 403},
    "participant_remove": {"analyst": 302, "council": 403, "other_analyst": 404,
                           "coordinator": 403},
    "outcome_add": {"analyst": 302, "council": 302, "other_analyst": 404, "coordinator": 302},
    "outcome_remove": {"analyst": 302, "council": 403, "other_analyst": 404,
                       "coordinator": 403},
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_operation_write_answers_each_persona(
    persona: str, agencies: Agencies, register: dict[str, Any], client_as: Callable[..., Any]
) -> None:
    op = register["operation"]
    services.participant_add(actor=agencies.analyst, operation=op, organisation=agencies.rocu)
    rocu = op.participants.get(organisation=agencies.rocu)
    police_result = services.outcome_record(
        actor=agencies.analyst, operation=op, organisation=agencies.police, measure="arrests",
        quantity=2,
    )  # fmt: skip
    routes = {
        "edit": (reverse("ocgs:operation_detail", args=[op.pk]),
                 {"name": "Op renamed", "planned_on": "2027-04-21", "status": "done"}),
        "participant_add": (reverse("ocgs:participant_add", args=[op.pk]),
                            {"participant-organisation": str(agencies.other_police.pk)}),
        "participant_remove": (reverse("ocgs:participant_remove", args=[op.pk, rocu.pk]), {}),
        "outcome_add": (reverse("ocgs:outcome_add", args=[op.pk]),
                        {"outcome-measure": "warrants_executed", "outcome-quantity": "1"}),
        "outcome_remove": (reverse("ocgs:outcome_remove", args=[op.pk, police_result.pk]), {}),
    }  # fmt: skip
    client = client_as(persona)
    for name, (url, data) in routes.items():
        response = client.post(url, data)
        expected = LOGIN if persona == "anonymous" else OPERATION_WRITES[name][persona]
        _check(response, expected, f"{persona} POST {name}")
        assert _leaks(response) == []
    op.refresh_from_db()
    assert (op.name == "Op renamed") == (persona == "analyst")
    assert op.participants.filter(organisation=agencies.rocu).exists() == (persona != "analyst")
    assert Outcome.objects.filter(pk=police_result.pk).exists() == (persona != "analyst")
    added = Outcome.objects.filter(measure="warrants_executed").first()
    if persona in ("analyst", "council", "coordinator"):
        assert added is not None and added.organisation == agencies.persona(persona).organisation
    else:
        assert added is None
