"""The rules of a referral's life: who may refer, where it may be placed, triage with the
MoRiLE tactical model (its rating suggested from the graded score), assignment to a member
organisation, closing with an outcome; and the counts by category, local authority and
outcome that feed the action plan's dashboard and the Local Profile."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from socprofiles.core.exceptions import ServiceError
from socprofiles.referrals import selectors, services
from socprofiles.referrals.models import Referral

from .conftest import TACTICAL, People

pytestmark = pytest.mark.django_db


def _refer(people: People, where: str = "DH1", category: str = "premises", **kw: Any) -> Referral:
    return services.referral_submit(
        actor=kw.pop("actor", people.referrer), partnership=people.partnership,
        category=category, where=where,
        description=kw.pop("description", "A flat where children are seen coming and going."),
        **kw,
    )  # fmt: skip


def test_who_may_refer(people: People) -> None:
    for user in (people.council_reader, people.outsider):
        with pytest.raises(PermissionDenied):
            _refer(people, actor=user)
    made = [_refer(people, actor=u) for u in (people.referrer, people.coordinator,
                                                 people.other_partner)]  # fmt: skip
    assert [r.reference for r in made] == ["REF-0001", "REF-0002", "REF-0003"]
    assert [r.referring_organisation for r in made] == [people.council, people.force, people.fire]
    outside = services.referral_submit(
        actor=None, partnership=people.other_partnership, category="business", where="NE1",
        description="A car wash paying staff in cash and housing them on site.",
        organisation=people.other_partnership.lead_organisation,
    )  # fmt: skip
    assert outside.reference == "REF-0001"  # numbered per partnership
    with pytest.raises(ServiceError, match="member organisation"):
        services.referral_submit(
            actor=None, partnership=people.partnership, category="business", where="DH1",
            description="A car wash paying staff in cash and housing them on site.",
            organisation=people.other_partnership.lead_organisation,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("dh1", (None, "DH1")),
        ("E01900001", ("lsoa", "")),
        ("E06900011", ("county", "")),
        ("DH1 1AA", "not a full postcode"),
        ("E01999999", "not an area in the partnership's area"),
        ("Durham", "postcode district like DH1"),
        ("", "Say where"),
    ],
)
def test_where_a_concern_is(people: People, where: str, expected: Any) -> None:
    if isinstance(expected, str):
        with pytest.raises(ServiceError, match=expected):
            services.place_resolve(partnership=people.partnership, where=where)
        return
    area, district = services.place_resolve(partnership=people.partnership, where=where)
    assert (getattr(people, expected[0]) if expected[0] else None, district) == (area, expected[1])


def test_an_area_outside_the_partnership_is_refused(people: People) -> None:
    from socprofiles.accounts.models import Area, AreaKind

    Area.objects.create(name="Far away", kind=AreaKind.LOCAL_AUTHORITY, code="E06900099")
    with pytest.raises(ServiceError, match="not an area in the partnership"):
        services.place_resolve(partnership=people.partnership, where="E06900099")


def test_the_description_is_needed_and_bounded(people: People) -> None:
    with pytest.raises(ServiceError, match="Describe the concern"):
        _refer(people, description="Worried.")
    with pytest.raises(ServiceError, match="under 5,000"):
        _refer(people, description="x" * 5001)
    with pytest.raises(ServiceError, match="kind of referral"):
        _refer(people, category="noise")


@pytest.mark.parametrize(
    ("changes", "score", "rating"),
    [
        ({}, 72.0, "high"),
        # Risk 48 (total harm 12 x vulnerability 4) at full confidence: high from 48.
        ({"financial": 2, "psychological": 4, "physical": 4, "community": 1,
          "geographic_scope": 1}, 48.0, "high"),
        ({"financial": 2, "psychological": 4, "physical": 4, "community": 0,
          "geographic_scope": 1}, 44.0, "medium"),
        # Medium from 16: total harm 8 x vulnerability 2, full confidence.
        ({"physical": 4, "psychological": 2, "financial": 2, "community": 0,
          "geographic_scope": 0, "victim_vulnerability": 2}, 16.0, "medium"),
        ({"physical": 4, "psychological": 2, "financial": 1, "community": 0,
          "geographic_scope": 0, "victim_vulnerability": 2}, 14.0, "low"),
    ],
)  # fmt: skip
def test_triage_scores_with_morile_and_suggests_a_rating(
    people: People, changes: dict[str, float], score: float, rating: str
) -> None:
    made = _refer(people)
    services.referral_triage(actor=people.coordinator, referral=made,
                             answers={**TACTICAL, **changes})  # fmt: skip
    made.refresh_from_db()
    assert (made.tactical_score, made.rating, made.status) == (score, rating, "triaged")
    assert made.tactical_model == "tactical@1" and made.tactical_answers["physical"] >= 4


def test_the_coordinator_may_choose_the_rating(people: People) -> None:
    made = _refer(people)
    services.referral_triage(actor=people.owner, referral=made, answers=TACTICAL, rating="low",
                             notes="Known to adult services; already supported.")  # fmt: skip
    assert made.rating == "low" and made.tactical_score == 72.0
    with pytest.raises(ServiceError, match=r"Victim vulnerability \(victim_vulnerability\)"):
        services.referral_triage(actor=people.owner, referral=made,
                                 answers={**TACTICAL, "victim_vulnerability": 7})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.referral_triage(actor=people.referrer, referral=made, answers=TACTICAL)


def test_assign_then_close(people: People) -> None:
    made = _refer(people)
    with pytest.raises(ServiceError, match="Triage the referral before assigning"):
        services.referral_assign(actor=people.coordinator, referral=made, owner_agency=people.nhs,
                                 route="adult_safeguarding")  # fmt: skip
    with pytest.raises(ServiceError, match="Triage the referral before closing"):
        services.referral_close(actor=people.coordinator, referral=made, outcome="safeguarded")
    services.referral_triage(actor=people.coordinator, referral=made, answers=TACTICAL)
    with pytest.raises(ServiceError, match="member organisations"):
        services.referral_assign(actor=people.coordinator, referral=made,
                                 owner_agency=people.other_partnership.lead_organisation,
                                 route="adult_safeguarding")  # fmt: skip
    with pytest.raises(ServiceError, match="safeguarding route"):
        services.referral_assign(actor=people.coordinator, referral=made, owner_agency=people.nhs,
                                 route="somewhere")  # fmt: skip
    services.referral_assign(actor=people.coordinator, referral=made, owner_agency=people.nhs,
                             route="Adult safeguarding")  # fmt: skip
    assert (made.status, made.route) == ("assigned", "adult_safeguarding")
    with pytest.raises(ServiceError, match="future"):
        services.referral_close(actor=people.coordinator, referral=made, outcome="safeguarded",
                                closed_on=timezone.localdate() + dt.timedelta(days=1))  # fmt: skip
    services.referral_close(actor=people.coordinator, referral=made, outcome="safeguarded",
                            notes="Care plan in place.")  # fmt: skip
    assert made.status == "closed" and made.closed_on == timezone.localdate()
    with pytest.raises(PermissionDenied):  # closed: nobody triages it again
        services.referral_triage(actor=people.coordinator, referral=made, answers=TACTICAL)
    with pytest.raises(ServiceError, match="closed"):
        services.referral_triage(actor=None, referral=made, answers=TACTICAL)


def test_counts_by_category_local_authority_and_outcome(people: People) -> None:
    from socprofiles.selfassessment import services as selfassessment

    selfassessment.districts_set(actor=None, partnership=people.partnership,
                                 assignments=[("DH1", people.county)])  # fmt: skip
    first = _refer(people, where="E01900001", category="fraud_victim")
    _refer(people, where="DH1", category="fraud_victim")
    _refer(people, where="ZZ9", category="business")
    services.referral_triage(actor=people.coordinator, referral=first, answers=TACTICAL)
    services.referral_close(actor=people.coordinator, referral=first, outcome="safeguarded")
    found = selectors.counts(partnership=people.partnership)
    assert found.total == 3
    rows = {row[0]: row[1:] for row in found.by_category}
    assert rows["Vulnerable fraud victim (Op Signature)"] == [1, 0, 0, 1, 2]
    assert rows["Business being used by criminals"] == [1, 0, 0, 0, 1]
    areas = {row[0]: row[1:] for row in found.by_area}
    assert areas == {"Testshire County": [0, 2, 0, 0, 2],
                     "Not placed in a local authority": [0, 0, 0, 1, 1]}  # fmt: skip
    assert found.outcomes == [["Safeguarding or support in place", 0, 1, 0, 0, 1]]
    tables = selectors.profile_tables(partnership=people.partnership)
    by_category = tables["tables"][0]
    assert by_category["columns"] == ["Category", "Testshire County",
                                      "Not placed in a local authority", "Whole partnership"]  # fmt: skip
    assert ["Vulnerable fraud victim (Op Signature)", "<5", 0, "<5"] in by_category["rows"]
    assert tables["tables"][1]["rows"] == [["Safeguarding or support in place", "<5"]]
    assert "2 were still open" in tables["notes"][0]
    nothing = selectors.profile_tables(partnership=people.partnership,
                                       start=dt.date(2020, 1, 1), end=dt.date(2020, 2, 1))  # fmt: skip
    assert nothing == {"tables": [], "notes": []}


def test_the_dashboard_counts_are_made_by_the_database(
    people: People, django_assert_num_queries: Any
) -> None:
    first = _refer(people, category="fraud_victim")
    _refer(people, category="fraud_victim")
    _refer(people, category="business")
    services.referral_triage(actor=people.coordinator, referral=first, answers=TACTICAL)
    services.referral_submit(
        actor=None, partnership=people.other_partnership, category="business", where="NE1",
        description="A car wash paying staff in cash and housing them on site.",
        organisation=people.other_partnership.lead_organisation,
    )  # fmt: skip
    with django_assert_num_queries(1):  # one grouped count, no referral loaded
        found = selectors.status_counts(partnership=people.partnership)
    full = selectors.counts(partnership=people.partnership)
    assert (found.total, found.statuses, found.by_category) == (
        full.total, full.statuses, full.by_category)  # fmt: skip
    rows = {row[0]: row[1:] for row in found.by_category}
    assert found.total == 3 and found.statuses == ["Submitted", "Triaged", "Assigned", "Closed"]
    assert rows["Vulnerable fraud victim (Op Signature)"] == [1, 1, 0, 0, 2]
    assert rows["Business being used by criminals"] == [1, 0, 0, 0, 1]
    assert rows["Premises of concern"] == [0, 0, 0, 0, 0]
    before = selectors.status_counts(partnership=people.partnership, start=dt.date(2020, 1, 1),
                                     end=dt.date(2020, 2, 1))  # fmt: skip
    assert before.total == 0 and all(row[1:] == [0] * 5 for row in before.by_category)


def test_the_action_plan_dashboard_shows_referrals(people: People, client_as: Any) -> None:
    _refer(people, category="exploitation")
    page = client_as("other_partner").get(
        reverse("actions:dashboard", args=[people.partnership.slug])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Prevent and Protect: partner referrals" in body
    assert "Person at risk of being drawn into SOC or exploited" in body
    assert "1 referral from partners" in body
