"""Personas for partner referrals: a coordinator (the force's analyst, an author) and the
partnership's owner; the referrer (a council member) and a colleague in the council; the
council's read-only reader; the owning agency (the NHS trust's member, once the referral
is assigned to it); another partner (the fire service's member); an outsider (another
partnership's owner); and the anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from socprofiles.accounts.models import Area, AreaKind, OrganisationKind, PartnershipRole
from socprofiles.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

PERSONAS = ("coordinator", "referrer", "colleague", "council_reader", "agency", "other_partner",
            "outsider", "anonymous")  # fmt: skip
TACTICAL = {
    "physical": 4, "psychological": 4, "financial": 8, "community": 1, "environment": 0,
    "geographic_scope": 1, "victim_vulnerability": 4, "confidence": 3,
}  # fmt: skip  # total harm 18, risk 72, graded 72: high
DESCRIPTION = "Mrs Ada Example, 84, of 12 Sample Row has been phoned daily by a 'bank'."


@dataclass
class People:
    partnership: Any
    other_partnership: Any
    force: Any
    council: Any
    nhs: Any
    fire: Any
    county: Any
    lsoa: Any
    owner: Any
    coordinator: Any
    referrer: Any
    colleague: Any
    council_reader: Any
    agency: Any
    other_partner: Any
    outsider: Any

    def persona(self, name: str) -> Any:
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture
def people(db: Any) -> People:
    from socprofiles.accounts.models import PartnershipOrganisation

    force = OrganisationFactory(name="Testshire Police", kind=OrganisationKind.POLICE_FORCE)
    council = OrganisationFactory(name="Testshire Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    nhs = OrganisationFactory(name="Testshire NHS Trust", kind=OrganisationKind.NHS)
    fire = OrganisationFactory(name="Testshire Fire", kind=OrganisationKind.FIRE_RESCUE)
    elsewhere = OrganisationFactory(name="Otherland Police", kind=OrganisationKind.POLICE_FORCE)
    partnership = PartnershipFactory(lead_organisation=force, name="Testshire SOC Partnership")
    other = PartnershipFactory(lead_organisation=elsewhere, name="Otherland SOC Partnership")
    for org in (council, nhs, fire):
        PartnershipOrganisation.objects.create(partnership=partnership, organisation=org)
    county = Area.objects.create(name="Testshire County", kind=AreaKind.LOCAL_AUTHORITY,
                                 code="E06900011", parent=partnership.area)  # fmt: skip
    msoa = Area.objects.create(name="Testshire 001", kind=AreaKind.MSOA, code="E02900001",
                               parent=county)  # fmt: skip
    lsoa = Area.objects.create(name="Testshire 001A", kind=AreaKind.LSOA, code="E01900001",
                               parent=msoa)  # fmt: skip

    def person(username: str, org: Any, partnership: Any, role: str) -> Any:
        user = UserFactory(username=username, organisation=org)
        MembershipFactory(partnership=partnership, user=user, role=role)
        return user

    return People(
        partnership=partnership, other_partnership=other, force=force, council=council,
        nhs=nhs, fire=fire, county=county, lsoa=lsoa,
        owner=person("owner", force, partnership, PartnershipRole.OWNER),
        coordinator=person("coordinator", force, partnership, PartnershipRole.AUTHOR),
        referrer=person("referrer", council, partnership, PartnershipRole.MEMBER),
        colleague=person("colleague", council, partnership, PartnershipRole.MEMBER),
        council_reader=person("council_reader", council, partnership, PartnershipRole.READER),
        agency=person("agency", nhs, partnership, PartnershipRole.MEMBER),
        other_partner=person("other_partner", fire, partnership, PartnershipRole.MEMBER),
        outsider=person("outsider", elsewhere, other, PartnershipRole.OWNER),
    )  # fmt: skip


@pytest.fixture
def client_as(people: People):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        client = Client()
        user = people.persona(name)
        if user is not None:
            sign_in(client, user)
        return client

    return make


@pytest.fixture
def referral(people: People) -> Any:
    """The council's referral of a vulnerable fraud victim: triaged by the coordinator and
    assigned to the NHS trust for Op Signature support."""
    from socprofiles.referrals import services

    made = services.referral_submit(
        actor=people.referrer, partnership=people.partnership, category="fraud_victim",
        where="E01900001", description=DESCRIPTION,
    )  # fmt: skip
    services.referral_triage(actor=people.coordinator, referral=made, answers=TACTICAL,
                             notes="Daily calls; has already bought gift cards.")  # fmt: skip
    services.referral_assign(actor=people.coordinator, referral=made, owner_agency=people.nhs,
                             route="op_signature")  # fmt: skip
    return made
