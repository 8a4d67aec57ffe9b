"""Personas shared by every test (DESIGN habit 4): an owner and an analyst in the owning
force, a partner member, a read-only reader, an outsider from another partnership, a
platform administrator, and the anonymous visitor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from socprofiles.accounts.models import OrganisationKind, Partnership, PartnershipRole, User
from socprofiles.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    TOTPDeviceFactory,
    UserFactory,
)


def sign_in(client: Client, user: User) -> Client:
    """Log in as if through the pages: password, then a confirmed TOTP device."""
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


_CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def page_text(response: Any) -> str:
    """A response's body for "does the page show X" checks, with the CSRF token taken
    out: 64 random letters and digits, which now and then hold a short name ("Kane")."""
    return _CSRF_TOKEN.sub(r'\1"', response.content.decode(errors="replace"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked database_independent (slow ones whose result cannot depend on the run's
    database: they touch none, like the Spark engine and the permutation statistics, or
    start a private PostgreSQL server of their own, like tests/production) run in the
    SQLite run of the whole suite only; running them again on PostgreSQL would test
    nothing new (CI runs the suite on both). Asked for by themselves (`make faults`), they
    run on either."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    marked = [item for item in items if "database_independent" in item.keywords]
    if len(marked) == len(items):
        return
    skip = pytest.mark.skip(reason="does not depend on the run's database: the SQLite run ran it")
    for item in marked:
        item.add_marker(skip)


@dataclass
class World:
    partnership: Partnership
    other_partnership: Partnership
    force: Any
    council: Any
    owner: User
    analyst: User
    member: User
    reader: User
    outsider: User
    admin: User
    dataset: Any = None
    data_file: Any = None
    reference: Any = None
    assessment: Any = None
    issue: Any = None
    profile: Any = None
    _chair: Any = None
    grantee: Any = None
    share: Any = None
    feedback: Any = None
    foi: Any = None
    action: Any = None
    meeting: Any = None

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)

    @property
    def chair(self) -> User:
        """A second owner (the partnership's chair), made when a test needs one: wider
        sharing takes the profile owner's agreement and another owner's approval."""
        if self._chair is None:
            self._chair = UserFactory(username="chair", organisation=self.council)
            MembershipFactory(
                partnership=self.partnership, user=self._chair, role=PartnershipRole.OWNER
            )
        return self._chair


@pytest.fixture(scope="module")
def demo_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo partnership (`load_demo`, several seconds), loaded once for a module whose
    tests only read it or change it inside their own transaction: each test runs in a
    savepoint within this module's transaction and sees the data as loaded, and the whole
    load is rolled back after the module's last test."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("load_demo", force=True, verbosity=0)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


PERSONAS = ("owner", "analyst", "member", "reader", "outsider", "admin", "anonymous")


@pytest.fixture
def world(db: Any) -> World:
    force = OrganisationFactory(name="Test Constabulary", kind=OrganisationKind.POLICE_FORCE)
    council = OrganisationFactory(name="Test Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    other_force = OrganisationFactory(name="Other Police", kind=OrganisationKind.POLICE_FORCE)
    partnership = PartnershipFactory(lead_organisation=force, name="Testshire SOC Partnership")
    other = PartnershipFactory(lead_organisation=other_force, name="Otherland SOC Partnership")

    def person(username: str, organisation: Any, partnership: Any, role: str | None) -> User:
        user = UserFactory(username=username, organisation=organisation)
        if partnership is not None:
            MembershipFactory(partnership=partnership, user=user, role=role)
        return user

    w = World(
        partnership=partnership,
        other_partnership=other,
        force=force,
        council=council,
        owner=person("owner", force, partnership, PartnershipRole.OWNER),
        analyst=person("analyst", force, partnership, PartnershipRole.AUTHOR),
        member=person("member", council, partnership, PartnershipRole.MEMBER),
        reader=person("reader", council, partnership, PartnershipRole.READER),
        outsider=person("outsider", other_force, other, PartnershipRole.OWNER),
        admin=UserFactory(username="admin", organisation=None, is_superuser=True, is_staff=True),
    )
    partnership.police_lead = w.owner
    partnership.save()
    from socprofiles.datasets.models import DataFile, DataSet, FileStatus

    w.dataset = DataSet.objects.create(
        partnership=partnership,
        owner=council,
        kind="feed",
        feed="counts_by_area",
        title="Council counts by area",
    )
    w.data_file = DataFile.objects.create(
        dataset=w.dataset, original_name="counts.csv", status=FileStatus.IMPORTED
    )
    w.reference = DataSet.objects.create(
        owner=force, kind="imd2019_domains", title="Indices of Deprivation 2019"
    )
    from socprofiles.morile import services as morile

    # A MoRiLE assessment open for scoring, the analyst and the council member invited.
    w.assessment = morile.assessment_create(
        actor=None, partnership=partnership, title="Strategic assessment 2027"
    )
    w.issue = morile.issue_add(
        actor=None, assessment=w.assessment, name="Modern slavery", theme="Exploitation"
    )
    for scorer in (w.analyst, w.member):
        morile.scorer_invite(actor=None, assessment=w.assessment, user=scorer)
    morile.assessment_open_scoring(actor=None, assessment=w.assessment)
    w.profile = published_profile(w)
    # Someone outside the partnership, who asks to be shared the profile.
    w.grantee = person("grantee", other_force, None, None)
    import datetime as dt

    from socprofiles.sharing import services as sharing

    w.share = sharing.share_request(
        actor=w.member, profile=w.profile, recipient=w.grantee, recipient_kind="other_force",
        rationale="A joint operation against a group that crosses the border.", expires_on=None,
    )  # fmt: skip
    w.feedback = sharing.feedback_send(
        actor=w.reader, version=w.profile.versions.get(), section_key="summary",
        text="Please add the fraud figures to the summary.",
    )  # fmt: skip

    # The 4P plan: an action the council owns (the member's organisation), a milestone.
    from socprofiles.accounts.models import PartnershipOrganisation
    from socprofiles.actions import services as actions

    PartnershipOrganisation.objects.get_or_create(partnership=partnership, organisation=council)
    w.action = actions.action_create(
        actor=w.owner, partnership=partnership, strand="prevent",
        recommendation="Divert young people at risk of exploitation.",
        owner_organisations=[w.council], owner=w.member, review_on=dt.date(2027, 6, 30),
        milestones=[("Diversion offer agreed with schools", dt.date(2027, 3, 31))],
    )  # fmt: skip
    from socprofiles.actions.models import MeetingRecord

    w.meeting = MeetingRecord.objects.create(
        partnership=partnership, held_on=dt.date(2026, 11, 20), recorded_by=w.owner,
        decisions=[{"action": str(w.action.pk), "recommendation": w.action.recommendation,
                    "strand": "Prevent", "reasons": ["due for review"], "decision": "Keep."}],
    )  # fmt: skip
    w.foi = sharing.foi_log(
        actor=w.analyst, profile=w.profile, reference="FOI-0001",
        received_on=dt.date(2026, 11, 2), summary="How many organised crime groups are mapped?",
    )  # fmt: skip
    return w


COMMISSIONING = {
    "partners_and_needs": "Police and council: a shared picture.",
    "parameters": "Testshire, 2022, all threats.",
    "datasets_and_gaps": "Police recorded crime; no health data.",
    "leadership_and_resources": "Owner and one analyst.",
    "timescales": "Draft in February, publication in March.",
    "readership_and_sharing": "Partnership members through the platform.",
    "retention": "Until superseded plus two years.",
}


def published_profile(w: World) -> Any:
    """A Local Profile with version 1 published and a new draft in production (so both a
    published version and an editable draft exist for the access tests)."""
    from socprofiles.profiles import services as profiles

    profile = profiles.profile_commission(
        actor=w.owner, partnership=w.partnership, title="Testshire Local Profile",
        period_start="2022-01", period_end="2022-06", commissioning=COMMISSIONING,
    )  # fmt: skip
    for action in ("start_production",):
        profile = profiles.profile_transition(actor=w.owner, profile=profile, action=action)
    profiles.section_update(
        actor=w.analyst,
        section=profile.sections.get(key="summary"),
        narrative="Drug supply links the other threats.",
    )
    profile = profiles.profile_transition(
        actor=w.analyst, profile=profile, action="send_to_consultation"
    )
    for action in ("publish", "start_review"):
        profile = profiles.profile_transition(actor=w.owner, profile=profile, action=action)
    return profile


@pytest.fixture
def client_for(world: World):  # type: ignore[no-untyped-def]
    """client_for("owner") → a signed-in test client; client_for("anonymous") → anonymous."""

    def make(name: str) -> Client:
        client = Client()
        user = world.persona(name)
        if user is not None:
            sign_in(client, user)
        return client

    return make
