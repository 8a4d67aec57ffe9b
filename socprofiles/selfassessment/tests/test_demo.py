"""The demo's Protect and Prevent step, on the demo partnership alone (without the street
crime and the profile, to keep it quick): districts only in the force area, about 300
fictional results, twelve fictional referrals from submitted to closed; idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from socprofiles.demo import fixtures, loader
from socprofiles.referrals.models import Referral
from socprofiles.selfassessment import selectors
from socprofiles.selfassessment.models import PostcodeDistrict, Result

pytestmark = pytest.mark.django_db


def test_the_demo_step_loads_once() -> None:
    for step in (loader.load_areas, loader.load_organisations, loader.load_people,
                 loader.load_partnerships):  # fmt: skip
        step(lambda _line: None)
    said: list[str] = []
    loader.load_protect(said.append)
    loader.load_protect(said.append)
    assert said[1] == "self-assessment results and referrals: already there"
    assert Result.objects.count() == 300
    districts = set(PostcodeDistrict.objects.values_list("district", flat=True))
    assert {"DH1", "DL1", "DL17"} <= districts
    assert not districts & {"DH4", "DH5", "DL6", "DL7", "DL8", "DL9", "DL10", "DL11"}
    assert set(Result.objects.exclude(postcode_district="").values_list(
        "postcode_district", flat=True)) <= districts  # fmt: skip
    durham = loader.Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    found = selectors.distribution(partnership=durham)
    assert {r.name for r in found.of_kind("local_authority")} == {"County Durham", "Darlington"}
    assert 250 < found.total.respondents < 300  # some gave no district
    assert all(found.total.counts.get(key) for key, _label in found.segments)
    referrals = Referral.objects.filter(partnership=durham)
    assert Counter(referrals.values_list("status", flat=True)) == {
        "submitted": 3, "triaged": 2, "assigned": 3, "closed": 4,
    }  # fmt: skip
    assert all("Fictional" in r.description for r in referrals)
    assert {r.referrer.username for r in referrals} >= {"durham.council", "durham.nhs",
                                                        "durham.tradingstandards", "durham.hmrc"}  # fmt: skip
