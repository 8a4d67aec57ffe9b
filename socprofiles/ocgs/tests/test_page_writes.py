"""Every create and edit page of the OCG register and joint operations, posted by each
persona: the owning force's analyst (whose force keeps the register and leads the
operation); an analyst of another force in another partnership; a council member of the
same partnership (taking part in the operation); a ROCU GAIN coordinator; a signed-in
person of a closed agency (no register at all); and the anonymous visitor.

Each case reads what the write would change in the database before and after the post,
so a page that answers with the right status but writes (or fails to write) would fail,
and counts the audit events the post wrote: one, by the analyst, for a change; none for
a refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from socprofiles.accounts.models import OrganisationKind
from socprofiles.accounts.tests.factories import OrganisationFactory, UserFactory
from socprofiles.audit.models import AuditEvent
from socprofiles.ocgs import selectors
from socprofiles.ocgs.models import Group, JointOperation, Member

from .conftest import PERSONAS, TACTICAL, Agencies
from .test_personas import LOGIN, _check, _leaks

pytestmark = pytest.mark.django_db

CLOSED = "closed_agency"  # signed in, but their agency is closed: no register to keep
EVERYONE = (*PERSONAS, CLOSED)
SCORE = {**{k: str(v) for k, v in TACTICAL.items()}, "rationale": "Seen at the yard weekly."}
SCORED = (60.0, "Seen at the yard weekly.")  # TACTICAL's graded score, and the rationale

# The register's pages: the analyst changes it; to everyone else signed in it is not there.
OWN_REGISTER = {"analyst": 302, "other_analyst": 404, "council": 404, "coordinator": 404,
                CLOSED: 404, "anonymous": LOGIN}  # fmt: skip
# The create pages exist for every agency's own register and operations, so another
# agency's person gets the form back, refused: the analyst's partnership, lead officer or
# group are not among their choices. A closed agency has no register: 404.
CREATE = {"analyst": 302, "other_analyst": 200, "council": 200, "coordinator": 200,
          CLOSED: 404, "anonymous": LOGIN}  # fmt: skip


@dataclass(frozen=True)
class Write:
    url: Callable[[Agencies, dict[str, Any]], str]
    data: Callable[[Agencies, dict[str, Any]], dict[str, Any]]
    # What the write changes, read from the database, and what it is after the analyst's.
    state: Callable[[Agencies, dict[str, Any]], Any]
    done: Callable[[Agencies, dict[str, Any]], Any]
    action: str  # the audit event the analyst's write leaves
    expected: dict[str, Any]


def _group(r: dict[str, Any]) -> Group:
    return Group.objects.get(pk=r["group"].pk)


def _member(r: dict[str, Any]) -> Member:
    return Member.objects.get(pk=r["members"]["P3"].pk)


def _score_of(target: Group | Member) -> tuple[float | None, str]:
    return (target.tactical_score, target.tactical_rationale)


def _members(r: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((m.nominal.reference, m.role) for m in selectors.members_of(group=r["group"]))


def _links(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each link's two ends in reference order (a link is stored in the order of its ends'
    keys) and its kind."""
    return sorted((*sorted((a.left.reference, a.right.reference)), a.kind)
                  for a in selectors.associations_of(group=r["group"]))  # fmt: skip


WRITES = {
    "group create": Write(
        url=lambda a, r: reverse("ocgs:group_list"),
        data=lambda a, r: {
            "reference": "OCG-9", "name": "Operation Weir", "status": "active", "band": "1B",
            "crime_markets": ["Drugs"], "lead_officer": str(a.colleague.pk),
            "partnership": str(a.partnership.pk),
        },
        state=lambda a, r: list(Group.objects.filter(reference="OCG-9").values_list(
            "organisation__name", "name", "band", "lead_officer__username",
            "partnership__name")),
        done=lambda a, r: [("Testshire Police", "Operation Weir", "1B", "police-officer",
                            "Testshire SOC Partnership")],
        action="ocg.group_created", expected=CREATE,
    ),
    "group edit": Write(
        url=lambda a, r: reverse("ocgs:group_detail", args=[r["group"].pk]),
        data=lambda a, r: {"name": "Operation Weir", "status": "dormant", "band": "1A",
                           "threat_score": "40", "partnership": str(a.partnership.pk)},
        state=lambda a, r: (lambda g: (g.name, g.status, g.band, g.threat_score))(_group(r)),
        done=lambda a, r: ("Operation Weir", "dormant", "1A", 40),
        action="ocg.group_updated", expected=OWN_REGISTER,
    ),
    "group score": Write(
        url=lambda a, r: reverse("ocgs:group_score", args=[r["group"].pk]),
        data=lambda a, r: SCORE,
        state=lambda a, r: _score_of(_group(r)), done=lambda a, r: SCORED,
        action="ocg.group_scored", expected=OWN_REGISTER,
    ),
    "group actions": Write(
        url=lambda a, r: reverse("ocgs:group_actions", args=[r["group"].pk]),
        data=lambda a, r: {"actions-actions": [str(a.action.pk)]},
        state=lambda a, r: list(_group(r).actions.values_list("pk", flat=True)),
        done=lambda a, r: [a.action.pk],
        action="ocg.group_actions_set", expected=OWN_REGISTER,
    ),
    "member add": Write(
        url=lambda a, r: reverse("ocgs:member_add", args=[r["group"].pk]),
        data=lambda a, r: {"member-nominal": "TP-005", "member-role": "associate"},
        state=lambda a, r: _members(r),
        done=lambda a, r: [("TP-001", "principal"), ("TP-002", "significant"),
                           ("TP-003", "member"), ("TP-004", "facilitator"),
                           ("TP-005", "associate")],
        action="ocg.member_added", expected=OWN_REGISTER,
    ),
    "member edit": Write(
        url=lambda a, r: reverse("ocgs:member_detail", args=[r["group"].pk, r["members"]["P3"].pk]),
        data=lambda a, r: {"role": "principal", "note": "Runs the yard."},
        state=lambda a, r: (lambda m: (m.role, m.note))(_member(r)),
        done=lambda a, r: ("principal", "Runs the yard."),
        action="ocg.member_updated", expected=OWN_REGISTER,
    ),
    "member score": Write(
        url=lambda a, r: reverse("ocgs:member_score", args=[r["group"].pk, r["members"]["P3"].pk]),
        data=lambda a, r: SCORE,
        state=lambda a, r: _score_of(_member(r)), done=lambda a, r: SCORED,
        action="ocg.member_scored", expected=OWN_REGISTER,
    ),
    "association add": Write(
        url=lambda a, r: reverse("ocgs:association_add", args=[r["group"].pk]),
        data=lambda a, r: {"link-left": "TP-002", "link-right": "TP-004",
                           "link-kind": "business"},
        state=lambda a, r: _links(r),
        done=lambda a, r: [("TP-001", "TP-002", "family"), ("TP-001", "TP-V01", "vehicle_use"),
                           ("TP-002", "TP-004", "business"), ("TP-003", "TP-005", "associate")],
        action="ocg.association_added", expected=OWN_REGISTER,
    ),
    "operation create": Write(
        url=lambda a, r: reverse("ocgs:operation_list"),
        data=lambda a, r: {"name": "Op Harbour", "planned_on": "2027-05-02",
                           "description": "Checks at the harbour.", "group": str(r["group"].pk),
                           "powers": "Warrants."},
        state=lambda a, r: [
            (o.lead_organisation.name, o.group.reference if o.group else None,
             [(p.organisation.name, p.powers) for p in o.participants.all()])
            for o in JointOperation.objects.filter(name="Op Harbour")
        ],
        done=lambda a, r: [("Testshire Police", "OCG-1", [("Testshire Police", "Warrants.")])],
        action="ocg.operation_created", expected=CREATE,
    ),
    "operation edit": Write(
        url=lambda a, r: reverse("ocgs:operation_detail", args=[r["operation"].pk]),
        data=lambda a, r: {"name": "Op Harbour", "planned_on": "2027-04-21", "status": "done",
                           "description": "Done.", "group": str(r["group"].pk)},
        state=lambda a, r: (lambda o: (o.name, str(o.planned_on), o.status, o.description))(
            JointOperation.objects.get(pk=r["operation"].pk)),
        done=lambda a, r: ("Op Harbour", "2027-04-21", "done", "Done."),
        action="ocg.operation_updated",
        # The council takes part: it sees the operation but does not run it.
        expected=OWN_REGISTER | {"council": 403},
    ),
}  # fmt: skip


@pytest.fixture
def post_as(agencies: Agencies) -> Callable[[str], tuple[Client, Any]]:
    def make(persona: str) -> tuple[Client, Any]:
        client = Client()
        if persona == CLOSED:
            closed = OrganisationFactory(name="Closed Agency", kind=OrganisationKind.POLICE_FORCE,
                                         is_active=False)  # fmt: skip
            user = UserFactory(username="closed-agency-analyst", organisation=closed)
        else:
            user = agencies.persona(persona)
        if user is not None:
            sign_in(client, user)
        return client, user

    return make


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("name", WRITES)
def test_each_create_and_edit_page_answers_each_persona(
    name: str, persona: str, agencies: Agencies, register: dict[str, Any],
    post_as: Callable[[str], tuple[Client, Any]],
) -> None:  # fmt: skip
    write = WRITES[name]
    client, user = post_as(persona)
    before = write.state(agencies, register)
    assert before != write.done(agencies, register), f"{name}: the case would prove nothing"
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = client.post(write.url(agencies, register), write.data(agencies, register))
    expected = write.expected[persona]
    _check(response, expected, f"{persona} POST {name}")
    written = list(AuditEvent.objects.filter(seq__gt=last).values_list("action", "actor_username"))
    if expected == 302:
        assert write.state(agencies, register) == write.done(agencies, register), name
        assert written == [(write.action, user.username)], name
    else:
        assert write.state(agencies, register) == before, f"{persona} changed {name}"
        assert written == [], f"{persona} {name}: {written}"
        assert _leaks(response) == [], f"{persona} {name}"
