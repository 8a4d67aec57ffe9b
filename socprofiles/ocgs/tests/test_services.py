"""The OCG register and joint operations through their services: a group links only its
agency's own nominals, MoRiLE tactical scores are stored with their inputs, the nominal
prioritisation's order, the network's GraphML and CSV, the all-or-nothing import, and
an operation's results rolled up per measure and per agency."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socprofiles.accounts.tests.factories import PartnershipFactory
from socprofiles.audit.models import AuditEvent
from socprofiles.core.exceptions import ServiceError
from socprofiles.ocgs import exports, selectors, services
from socprofiles.ocgs.models import Group, Member, Outcome

from .conftest import TACTICAL, Agencies

pytestmark = pytest.mark.django_db

G = "{http://graphml.graphdrawing.org/xmlns}"


def _refusal(ref: str) -> str:
    return services.NO_SUCH_NOMINAL.format(what="person nominal", ref=ref)


def test_a_group_links_only_its_own_agencys_person_nominals(agencies: Agencies) -> None:
    a = agencies.analyst
    group = services.group_create(actor=a, organisation=agencies.police, reference="OCG-9")
    police = agencies.police

    def add(value: str) -> str:
        nominal = selectors.nominal_find(organisation=police, value=value)
        with pytest.raises(ServiceError) as refused:
            services.member_add(actor=a, group=group, nominal=nominal, reference=value)
        return refused.value.message

    # Another agency's person, by reference or by id, is refused in the very words used
    # for one that does not exist; so is one of the force's vehicles (not a person).
    assert add("OL-999") == _refusal("OL-999")
    assert add("NO-SUCH-1") == _refusal("NO-SUCH-1")
    foreign_id, random_id = str(agencies.foreign.pk), str(uuid.uuid4())
    assert add(foreign_id) == _refusal(foreign_id)
    assert add(random_id) == _refusal(random_id)
    assert add("TP-V01") == _refusal("TP-V01")
    # Handing the service another agency's holding directly changes nothing either.
    with pytest.raises(ServiceError) as direct:
        services.member_add(actor=a, group=group, nominal=agencies.foreign, reference="x")
    assert direct.value.message == _refusal("x")
    assert not group.members.exists()
    member = services.member_add(actor=a, group=group, nominal=agencies.people["P1"],
                                 role="Principal", reference="TP-001")  # fmt: skip
    assert member.role == "principal"
    with pytest.raises(ServiceError, match="already a member"):
        services.member_add(actor=a, group=group, nominal=agencies.people["P1"])
    # Links too: only between the agency's own nominals, one end a member.
    with pytest.raises(ServiceError) as link:
        services.association_add(actor=a, group=group, left=agencies.people["P1"],
                                 right=agencies.council_person, kind="family",
                                 right_ref="TC-55")  # fmt: skip
    assert link.value.message == services.NO_SUCH_NOMINAL.format(what="nominal", ref="TC-55")
    with pytest.raises(ServiceError, match="member of the group"):
        services.association_add(actor=a, group=group, left=agencies.people["P4"],
                                 right=agencies.people["P5"], kind="family")  # fmt: skip


def test_only_the_owning_agency_keeps_and_sees_its_register(
    agencies: Agencies, register: dict[str, Any]
) -> None:
    group = register["group"]
    for outsider in (agencies.other_analyst, agencies.council_member, agencies.coordinator):
        with pytest.raises(PermissionDenied):
            services.group_create(actor=outsider, organisation=agencies.police, reference="X")
        with pytest.raises(PermissionDenied):
            services.member_remove(actor=outsider, member=register["members"]["P3"])
        with pytest.raises(Http404):
            selectors.group_get_for_user(user=outsider, pk=group.pk)
        assert not selectors.groups_for(user=outsider).exists()
        assert not selectors.nominals_for(user=outsider).filter(organisation=agencies.police)
        assert selectors.prioritised(user=outsider) == []
    # Anyone of the owning force keeps it, not only the one who made it.
    assert selectors.group_get_for_user(user=agencies.colleague, pk=group.pk) == group
    with pytest.raises(ServiceError, match="one of your organisation's people"):
        services.group_update(actor=agencies.analyst, group=group, name="", status="active",
                              band="2A", threat_score=None, crime_markets=[],
                              lead_officer=agencies.council_member, partnership=None)  # fmt: skip
    with pytest.raises(ServiceError, match="already has a group"):
        services.group_create(actor=agencies.analyst, organisation=agencies.police,
                              reference="ocg-1")  # fmt: skip
    with pytest.raises(ServiceError, match="not a mapping band"):
        services.group_create(actor=agencies.analyst, organisation=agencies.police,
                              reference="OCG-2", band="4D")  # fmt: skip
    actions = [e.action for e in AuditEvent.objects.order_by("seq")]
    assert actions.count("ocg.member_added") == 4 and "ocg.group_created" in actions


def test_tactical_scores_come_from_the_morile_model_and_are_kept(
    agencies: Agencies, register: dict[str, Any]
) -> None:
    member = Member.objects.get(pk=register["members"]["P1"].pk)
    assert member.tactical_score == 60.0 and member.tactical_model == "tactical@1"
    assert member.tactical_answers == {k: float(v) for k, v in TACTICAL.items()}
    assert member.tactical_outputs["risk"] == 80.0
    group = services.group_score(actor=agencies.analyst, group=register["group"],
                                 answers={**TACTICAL, "confidence": 3}, rationale="Surveillance")  # fmt: skip
    group = Group.objects.get(pk=group.pk)
    assert group.tactical_score == 80.0 and group.tactical_rationale == "Surveillance"
    with pytest.raises(ServiceError, match="missing: confidence"):
        services.group_score(actor=agencies.analyst, group=group,
                             answers={k: v for k, v in TACTICAL.items() if k != "confidence"})  # fmt: skip
    with pytest.raises(ServiceError, match="Physical harm") as off:
        services.member_score(actor=agencies.analyst, member=member,
                              answers={**TACTICAL, "physical": 3})  # fmt: skip
    assert off.value.field == "physical"
    assert AuditEvent.objects.filter(action="ocg.group_scored").count() == 1


def test_prioritisation_ranks_by_score_then_groups_principal_then_agencies(
    agencies: Agencies, register: dict[str, Any]
) -> None:
    a, p = agencies.analyst, agencies.people
    # A second group: P2 and P3 are in two groups; P3 is a principal there.
    second = services.group_create(actor=a, organisation=agencies.police, reference="OCG-2")
    services.member_add(actor=a, group=second, nominal=p["P2"], role="member")
    services.member_add(actor=a, group=second, nominal=p["P3"], role="principal")
    m5 = services.member_add(actor=a, group=second, nominal=p["P5"], role="associate")
    services.member_score(actor=a, member=m5, answers={**TACTICAL, "confidence": 1})  # 40
    rows = selectors.prioritised(user=a)
    order = [r.nominal.reference for r in rows]
    # TP-001: 60. TP-005: 40. Then unscored: TP-003 (2 groups, a principal), TP-002 (2
    # groups, not a principal), TP-004 (one group).
    assert order == ["TP-001", "TP-005", "TP-003", "TP-002", "TP-004"]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5]
    first = rows[0]
    assert first.agencies == 3 and first.principal and first.tactical_score == 60.0
    assert next(r for r in rows if r.nominal.reference == "TP-002").agencies == 2
    assert [r.nominal.reference for r in selectors.prioritised(user=a, top=2)] == order[:2]
    # Equal on score, groups and role: more agencies holding them ranks first.
    services.member_remove(actor=a, member=Member.objects.get(group=second, nominal=p["P3"]))
    services.member_remove(actor=a, member=Member.objects.get(group=second, nominal=p["P2"]))
    tail = [r.nominal.reference for r in selectors.prioritised(user=a)][2:]
    assert tail == ["TP-002", "TP-003", "TP-004"]  # all in one group; TP-002 held by 2
    assert selectors.top_of("abc") == 20 and selectors.top_of("0") == 1
    assert selectors.top_of("100000") == selectors.MAX_TOP


HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


def test_the_network_exports_as_graphml_and_safe_csv(
    agencies: Agencies, register: dict[str, Any]
) -> None:
    from socprofiles.gain.models import Holding

    a, group = agencies.analyst, register["group"]
    for i, text in enumerate(HOSTILE):  # hostile references and notes
        person = Holding.objects.create(organisation=agencies.police, kind="person",
                                        reference=text, values={"surname": f"X{i}"})  # fmt: skip
        services.association_add(actor=a, group=group, left=agencies.people["P4"],
                                 right=person, kind="other", note=text + "\x0b")  # fmt: skip
    network = selectors.network(group=group)
    body = exports.network_graphml(network, marking="OFFICIAL-SENSITIVE", exported_by="Pat")
    root = ET.fromstring(body)  # noqa: S314 - our own output, parsed back
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{G}key")}
    graph = root.find(f"{G}graph")
    assert graph is not None and graph.get("edgedefault") == "undirected"
    nodes = {}
    for node in graph.iter(f"{G}node"):
        data = {keys[d.get("key")]: d.text for d in node.iter(f"{G}data")}
        nodes[node.get("id")] = data
    by_ref = {d["reference"]: d for d in nodes.values()}
    assert by_ref["TP-001"]["role"] == "Principal" and by_ref["TP-001"]["tactical_score"] == "60"
    assert by_ref["TP-001"]["member"] == "true" and by_ref["TP-V01"]["kind"] == "vehicle"
    assert by_ref["TP-005"]["member"] == "false" and "tactical_score" not in by_ref["TP-005"]
    assert set(by_ref) >= {*HOSTILE, "TP-001", "TP-002", "TP-003", "TP-004", "TP-005"}
    edges = [
        {keys[d.get("key")]: d.text for d in e.iter(f"{G}data")}
        | {
            "source": nodes[e.get("source")]["reference"],
            "target": nodes[e.get("target")]["reference"],
        }
        for e in graph.iter(f"{G}edge")
    ]
    family = next(e for e in edges if e["kind"] == "family")
    assert family["note"] == 'Brothers <"Kane" & Lowe>' and family["label"] == "Family"
    assert {family["source"], family["target"]} == {"TP-001", "TP-002"}
    assert len(edges) == 3 + len(HOSTILE)
    # Nothing from another agency, and no names: the force's references only.
    text = body.decode()
    for absent in ("OL-999", "TC-55", "Jordan", "Casey", "Otherland"):
        assert absent not in text

    body_csv = exports.network_csv(network, marking="OFFICIAL-SENSITIVE", exported_by="Pat")
    lines = list(csv.reader(io.StringIO(body_csv)))
    assert lines[0][0] == "OFFICIAL-SENSITIVE" and lines[1] == exports.NETWORK_COLUMNS
    for row in lines[2:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row
    ends = {row[0] for row in lines[2:]} | {row[4] for row in lines[2:]}
    assert {f"'{t}" for t in HOSTILE} <= ends
    assert "Jordan" not in body_csv and "OL-999" not in body_csv


def test_a_mapping_extract_imports_all_or_nothing(agencies: Agencies) -> None:
    a = agencies.analyst
    rows = [
        {"group_ref": "DUR-OCG-01", "group_name": "Op One", "member_ref": "TP-001",
         "role": "Principal", "crime_markets": "Drugs; Firearms", "band": "1A", "status": "Active"},
        {"group_ref": "DUR-OCG-01", "member_ref": "TP-002", "role": "Significant",
         "crime_markets": "Drugs", "band": "1A"},
        {"group_ref": "DUR-OCG-02", "member_ref": "TP-002", "crime_markets": "Fraud",
         "band": "3C", "status": "Dormant"},
    ]  # fmt: skip
    assert services.groups_import(actor=a, organisation=agencies.police, rows=rows) == {
        "groups": 2, "created": 2, "refreshed": 0, "members": 3}  # fmt: skip
    one = Group.objects.get(reference="DUR-OCG-01")
    assert one.crime_markets == ["Drugs", "Firearms"] and one.band == "1A"
    assert dict(one.members.values_list("nominal__reference", "role")) == {
        "TP-001": "principal", "TP-002": "significant"}  # fmt: skip
    assert Group.objects.get(reference="DUR-OCG-02").status == "dormant"
    before = (Group.objects.count(), Member.objects.count())
    bad = [{**rows[0], "band": "2B"}, {**rows[1], "band": "9Z"}]
    with pytest.raises(ServiceError, match=r"upload, row 3, column band: '9Z'"):
        services.groups_import(actor=a, organisation=agencies.police, rows=bad)
    foreign = [{**rows[0], "band": "2B"}, {**rows[1], "member_ref": "OL-999"}]
    with pytest.raises(ServiceError) as refused:
        services.groups_import(actor=a, organisation=agencies.police, rows=foreign)
    assert refused.value.message == "upload, row 3, column member_ref: " + _refusal("OL-999")
    assert (Group.objects.count(), Member.objects.count()) == before
    assert Group.objects.get(reference="DUR-OCG-01").band == "1A"  # the good row: not applied
    with pytest.raises(PermissionDenied):
        services.groups_import(actor=agencies.coordinator, organisation=agencies.police, rows=rows)


def test_an_operations_results_roll_up_per_measure_and_per_agency(
    agencies: Agencies, register: dict[str, Any]
) -> None:
    operation, a, c = register["operation"], agencies.analyst, agencies.council_member
    services.participant_add(actor=a, operation=operation, organisation=agencies.rocu,
                             powers="GAIN coordination")  # fmt: skip
    for actor, org, measure, quantity, note in (
        (a, agencies.police, "vehicles_seized", 20, ""),
        (a, agencies.police, "vehicles_seized", 3, "Land Rover stolen in a burglary"),
        (a, agencies.police, "arrests", 4, ""),
        (c, agencies.council, "notices_served", 6, "Prohibition notices on vehicles"),
        (c, agencies.council, "premises_closed", 1, ""),
        (a, agencies.police, "cash_seized_pounds", 12500, ""),
        (c, agencies.council, "other", 2, "Stolen caravans recovered"),
    ):
        services.outcome_record(actor=actor, operation=operation, organisation=org,
                                measure=measure, quantity=quantity, note=note)  # fmt: skip
    summary = selectors.operation_summary(operation=operation)
    measures = [m for m, _l in summary["measures"]]
    assert measures == ["vehicles_seized", "notices_served", "arrests", "premises_closed",
                        "cash_seized_pounds", "other"]  # fmt: skip
    assert summary["totals"] == [23, 6, 4, 1, 12500, 2]
    rows = {r["organisation"].name: r["values"] for r in summary["rows"]}
    assert rows == {
        "Test ROCU": [0, 0, 0, 0, 0, 0],
        "Testshire Council": [0, 6, 0, 1, 0, 2],
        "Testshire Police": [23, 0, 4, 0, 12500, 0],
    }
    assert summary["agencies"] == 3 and summary["with_results"] == 2
    assert summary["sentence"] == (
        "3 agencies took part (Test ROCU, Testshire Council, Testshire Police). 2 of them "
        "recorded results, including 23 vehicles seized, 6 notices served, 4 arrests, "
        "1 premises closed, £12,500 and 2 other result(s)."
    )
    assert {n["note"] for n in summary["notes"]} == {
        "Land Rover stolen in a burglary", "Prohibition notices on vehicles",
        "Stolen caravans recovered"}  # fmt: skip
    body = exports.summary_csv(operation, summary, marking="OFFICIAL-SENSITIVE",
                               exported_by="Pat")  # fmt: skip
    assert "Total,23,6,4,1,12500,2" in body


def test_each_agency_records_only_its_own_results(
    agencies: Agencies, register: dict[str, Any]
) -> None:
    operation = register["operation"]
    c = agencies.council_member
    with pytest.raises(PermissionDenied):  # the council cannot record the police's arrests
        services.outcome_record(actor=c, operation=operation, organisation=agencies.police,
                                measure="arrests", quantity=1)  # fmt: skip
    with pytest.raises(PermissionDenied):  # nor the lead the council's notices
        services.outcome_record(actor=agencies.analyst, operation=operation,
                                organisation=agencies.council, measure="notices_served",
                                quantity=1)  # fmt: skip
    with pytest.raises(PermissionDenied):  # an agency not taking part records nothing
        services.outcome_record(actor=agencies.other_analyst, operation=operation,
                                organisation=agencies.other_police, measure="arrests",
                                quantity=1)  # fmt: skip
    with pytest.raises(ServiceError, match="what the other result was"):
        services.outcome_record(actor=c, operation=operation, organisation=agencies.council,
                                measure="other", quantity=1)  # fmt: skip
    mine = services.outcome_record(actor=c, operation=operation, organisation=agencies.council,
                                   measure="notices_served", quantity=2)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.outcome_remove(actor=agencies.analyst, outcome=mine)
    with pytest.raises(ServiceError, match="has recorded results"):
        services.participant_remove(
            actor=agencies.analyst,
            participant=operation.participants.get(organisation=agencies.council),
        )
    with pytest.raises(PermissionDenied):  # only the lead changes the plan
        services.participant_add(actor=c, operation=operation, organisation=agencies.rocu)
    with pytest.raises(PermissionDenied):
        services.operation_update(actor=c, operation=operation, name="Renamed",
                                  planned_on=dt.date(2027, 5, 1), description="", status="done",
                                  group=None)  # fmt: skip
    services.outcome_remove(actor=c, outcome=mine)
    assert not Outcome.objects.exists()
    # A group of another agency cannot be an operation's target.
    other_group = services.group_create(actor=agencies.other_analyst,
                                        organisation=agencies.other_police, reference="OL-G")  # fmt: skip
    with pytest.raises(ServiceError, match="one of your organisation's groups"):
        services.operation_update(actor=agencies.analyst, operation=operation, name="Op",
                                  planned_on=dt.date(2027, 5, 1), description="",
                                  status="done", group=other_group)  # fmt: skip
    assert AuditEvent.objects.filter(action="ocg.outcome_removed").count() == 1


def test_a_group_is_linked_to_its_partnerships_4p_plan(
    agencies: Agencies, register: dict[str, Any]
) -> None:
    from socprofiles.actions import services as actions

    group = register["group"]
    services.group_actions_set(actor=agencies.analyst, group=group, actions=[agencies.action])
    assert list(selectors.actions_visible(user=agencies.analyst, group=group)) == [agencies.action]
    elsewhere = actions.action_create(actor=None, partnership=PartnershipFactory(),
                                      strand="prevent", recommendation="Elsewhere.")  # fmt: skip
    with pytest.raises(ServiceError, match="group's partnership's plan"):
        services.group_actions_set(actor=agencies.analyst, group=group, actions=[elsewhere])
    # A colleague in the force who is not in the partnership sees the group, not the plan.
    from socprofiles.accounts.models import PartnershipMembership

    PartnershipMembership.objects.filter(user=agencies.colleague).delete()
    assert selectors.actions_visible(user=agencies.colleague, group=group) == []
