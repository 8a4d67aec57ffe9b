"""Personas for the OCG register and joint operations: the owning force's analyst, an
analyst of another force, a council member of the same partnership, a ROCU GAIN
coordinator, and the anonymous visitor; with fictional holdings of each agency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from socprofiles.accounts.models import OrganisationKind, PartnershipRole
from socprofiles.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from socprofiles.gain.models import Holding

PERSONAS = ("analyst", "other_analyst", "council", "coordinator", "anonymous")

TACTICAL = {
    "physical": 8, "psychological": 4, "financial": 2, "community": 2, "environment": 0,
    "geographic_scope": 4, "victim_vulnerability": 4, "confidence": 2,
}  # fmt: skip  # graded score 60 (socprofiles/morile/tests/test_engine.py)


def verified(user: Any) -> Any:
    """A user past two-factor, as django-otp's middleware marks a signed-in person."""
    user.otp_device = TOTPDeviceFactory(user=user)
    user.is_verified = lambda: True
    return user


@dataclass
class Agencies:
    police: Any
    other_police: Any
    council: Any
    rocu: Any
    analyst: Any
    colleague: Any
    other_analyst: Any
    council_member: Any
    coordinator: Any
    partnership: Any
    action: Any
    people: dict[str, Holding]
    vehicle: Holding
    foreign: Holding  # the other force's person, with a reference the police do not hold
    council_person: Holding

    def persona(self, name: str) -> Any:
        return {
            "analyst": self.analyst, "other_analyst": self.other_analyst,
            "council": self.council_member, "coordinator": self.coordinator,
        }.get(name)  # fmt: skip


def _holding(org: Any, reference: str, kind: str = "person", subject: str = "",
             **values: str) -> Holding:  # fmt: skip
    return Holding.objects.create(
        organisation=org, kind=kind, reference=reference, values=values, subject=subject
    )


@pytest.fixture
def agencies(db: Any) -> Agencies:
    police = OrganisationFactory(name="Testshire Police", kind=OrganisationKind.POLICE_FORCE)
    other = OrganisationFactory(name="Otherland Police", kind=OrganisationKind.POLICE_FORCE)
    council = OrganisationFactory(name="Testshire Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    rocu = OrganisationFactory(name="Test ROCU", kind=OrganisationKind.ROCU)
    analyst = verified(UserFactory(username="police-analyst", organisation=police,
                                   full_name="Pat Analyst"))  # fmt: skip
    colleague = verified(UserFactory(username="police-officer", organisation=police,
                                     full_name="DI Sam Lead"))  # fmt: skip
    other_analyst = verified(UserFactory(username="other-analyst", organisation=other))
    council_member = verified(UserFactory(username="council-member", organisation=council))
    coordinator = verified(UserFactory(username="gain-coordinator", organisation=rocu))
    partnership = PartnershipFactory(lead_organisation=police, name="Testshire SOC Partnership")
    for user, role in ((analyst, PartnershipRole.AUTHOR), (council_member, PartnershipRole.MEMBER),
                       (colleague, PartnershipRole.MEMBER)):  # fmt: skip
        MembershipFactory(partnership=partnership, user=user, role=role)
    from socprofiles.actions import services as actions

    action = actions.action_create(
        actor=None, partnership=partnership, strand="pursue",
        recommendation="Disrupt the groups supplying drugs in two markets.",
    )  # fmt: skip
    # Fictional people. Shared subjects (as GAIN matching would set them): "s-kane" is held
    # by the police, the other force and the council; "s-lowe" by the police and the council.
    people = {
        "P1": _holding(police, "TP-001", subject="s-kane", first_name="Jordan", surname="Kane",
                       dob="1985-02-11"),
        "P2": _holding(police, "TP-002", subject="s-lowe", first_name="Casey", surname="Lowe"),
        "P3": _holding(police, "TP-003", first_name="Robin", surname="Hart"),
        "P4": _holding(police, "TP-004", first_name="Alex", surname="Moss"),
        "P5": _holding(police, "TP-005", first_name="Drew", surname="Quinn"),
    }  # fmt: skip
    vehicle = _holding(police, "TP-V01", kind="vehicle", vrm="AB12CDE", make="Ford")
    foreign = _holding(other, "OL-999", subject="s-kane", first_name="Jordan", surname="Kane")
    council_person = _holding(council, "TC-55", subject="s-kane", first_name="Jordan",
                              surname="Kane")  # fmt: skip
    _holding(council, "TC-56", subject="s-lowe", first_name="Casey", surname="Lowe")
    return Agencies(
        police=police, other_police=other, council=council, rocu=rocu, analyst=analyst,
        colleague=colleague, other_analyst=other_analyst, council_member=council_member,
        coordinator=coordinator, partnership=partnership, action=action, people=people,
        vehicle=vehicle, foreign=foreign, council_person=council_person,
    )  # fmt: skip


@pytest.fixture
def client_as(agencies: Agencies):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        client = Client()
        user = agencies.persona(name)
        if user is not None:
            sign_in(client, user)
        return client

    return make


@pytest.fixture
def register(agencies: Agencies) -> Any:
    """The police's group OCG-1 with four members, one scored, and three links (one to a
    vehicle, one to a person outside the group); and a joint operation the police lead
    against it with the council taking part."""
    from socprofiles.ocgs import services

    a, p = agencies.analyst, agencies.people
    group = services.group_create(
        actor=a, organisation=agencies.police, reference="OCG-1", name="Operation Tarn",
        band="2A", crime_markets=["Drugs", "Money laundering"], lead_officer=agencies.colleague,
        partnership=agencies.partnership,
    )  # fmt: skip
    members = {}
    for key, role in (("P1", "principal"), ("P2", "significant"), ("P3", "member"),
                      ("P4", "facilitator")):  # fmt: skip
        members[key] = services.member_add(actor=a, group=group, nominal=p[key], role=role,
                                           reference=p[key].reference)  # fmt: skip
    services.member_score(actor=a, member=members["P1"], answers=TACTICAL)
    services.association_add(actor=a, group=group, left=p["P1"], right=p["P2"], kind="family",
                             note='Brothers <"Kane" & Lowe>')  # fmt: skip
    services.association_add(actor=a, group=group, left=p["P1"], right=agencies.vehicle,
                             kind="vehicle_use")  # fmt: skip
    services.association_add(actor=a, group=group, left=p["P3"], right=p["P5"],
                             kind="associate")  # fmt: skip
    operation = services.operation_create(
        actor=a, lead_organisation=agencies.police, name="Op Slate-style day of action",
        planned_on=dt.date(2027, 4, 20), description="Multi-agency disruption at the yard.",
        group=group, powers="Warrants, vehicle checks.",
    )  # fmt: skip
    services.participant_add(actor=a, operation=operation, organisation=agencies.council,
                             powers="Tenancy enforcement, prohibition notices.")  # fmt: skip
    return {"group": group, "members": members, "operation": operation}
