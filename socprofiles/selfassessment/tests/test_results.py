"""The self-assessment's results for a partnership: the districts it covers (set by its
owners and authors), segment counts by district, local authority and the whole
partnership, the chart, the CSV and the API, and the table the Local Profile's Protect and
Prevent section carries (counts under 5 suppressed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from socprofiles.accounts.models import Area, AreaKind
from socprofiles.audit.models import AuditEvent
from socprofiles.core.exceptions import ServiceError
from socprofiles.selfassessment import selectors, services
from socprofiles.selfassessment.models import Result

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(world: World) -> dict[str, Area]:
    """Two local authorities in the world's area, five districts between them, and results
    in and out of them."""
    area = world.partnership.area
    north = Area.objects.create(name="Northshire", kind=AreaKind.LOCAL_AUTHORITY,
                                code="E06900001", parent=area)  # fmt: skip
    south = Area.objects.create(name="Southby", kind=AreaKind.LOCAL_AUTHORITY,
                                code="E06900002", parent=area)  # fmt: skip
    services.districts_set(
        actor=world.owner, partnership=world.partnership,
        assignments=[("dh1", north), ("DH2", north), ("DH10", north), ("DL1", south),
                     ("TS9", None)],
    )  # fmt: skip
    day = dt.date(2022, 8, 15)
    rows = (
        [("DH1", "unaware")] * 6 + [("DH1", "already_protected")] * 2 + [("DH10", "unaware")] * 3
        + [("DL1", "over_confident")] * 7 + [("TS9", "unaware")]
        + [("NE1", "unaware")] * 4 + [("", "unaware")] * 2
    )  # fmt: skip
    Result.objects.bulk_create(
        Result(segment=s, model="fraud_cyber@1", postcode_district=d, completed_on=day)
        for d, s in rows
    )
    Result.objects.create(segment="unaware", model="fraud_cyber@1", postcode_district="DH1",
                          completed_on=dt.date(2023, 1, 5))  # fmt: skip
    return {"north": north, "south": south}


def test_districts_are_set_by_owners_and_authors(world: World, covered: dict[str, Area]) -> None:
    found = selectors.districts_of(partnership=world.partnership)
    assert [d.district for d in found] == ["DH1", "DH2", "DH10", "DL1", "TS9"]
    assert AuditEvent.objects.filter(action="selfassessment.districts_set").exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.districts_set(actor=world.member, partnership=world.partnership,
                               assignments=[("DH1", None)])  # fmt: skip
    with pytest.raises(ServiceError, match="not a postcode district"):
        services.districts_set(actor=world.owner, partnership=world.partnership,
                               assignments=[("DH1 1AA", None)])  # fmt: skip
    with pytest.raises(ServiceError, match="two local authorities"):
        services.districts_set(
            actor=world.owner, partnership=world.partnership,
            assignments=[("DH1", covered["north"]), ("DH1", covered["south"])],
        )  # fmt: skip
    other = Area.objects.create(name="Elsewhere", kind=AreaKind.LOCAL_AUTHORITY, code="E06900009")
    with pytest.raises(ServiceError, match="partnership's local authorities"):
        services.districts_set(actor=world.owner, partnership=world.partnership,
                               assignments=[("DH1", other)])  # fmt: skip


def test_counts_by_district_local_authority_and_partnership(
    world: World, covered: dict[str, Area]
) -> None:
    found = selectors.distribution(partnership=world.partnership)
    total = found.total
    assert total.kind == "partnership" and total.respondents == 20  # not NE1, not blank
    assert total.counts == {"unaware": 11, "already_protected": 2, "over_confident": 7}
    north = found.row("E06900001")
    south = found.row("E06900002")
    assert north is not None and north.counts == {"unaware": 10, "already_protected": 2}
    assert south is not None and south.counts == {"over_confident": 7}
    assert found.row("DH2") is not None and found.row("DH2").respondents == 0  # type: ignore[union-attr]
    assert found.row("TS9").counts == {"unaware": 1}  # type: ignore[union-attr]
    in_2022 = selectors.distribution(partnership=world.partnership, start=dt.date(2022, 1, 1),
                                     end=dt.date(2022, 12, 31))  # fmt: skip
    assert in_2022.total.respondents == 19
    # Another partnership that lists no district counts nothing.
    assert selectors.distribution(partnership=world.other_partnership).total.respondents == 0


def test_the_results_page_chart_csv_and_api(
    world: World, covered: dict[str, Area], client_for: Any
) -> None:
    client = client_for("reader")
    page = client.get(reverse("selfassessment:results", args=[world.partnership.slug]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Northshire" in body and "Over-confident" in body and "DH10" in body
    assert "chart-E06900001.svg" in body and 'alt="Bar chart of respondents' in body
    assert "Change the districts" not in body  # readers do not set them
    svg = client.get(reverse("selfassessment:chart",
                             args=[world.partnership.slug, "E06900001", "svg"]))  # fmt: skip
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert client.get(reverse("selfassessment:chart",
                              args=[world.partnership.slug, "DH1", "svg"])).status_code == 404  # fmt: skip
    csv = client.get(reverse("selfassessment:results_csv", args=[world.partnership.slug]))
    text = csv.content.decode()
    assert text.startswith("OFFICIAL,")
    assert "Local authority,E06900001,Northshire,12,2," in text
    assert AuditEvent.objects.filter(action="selfassessment.results_exported").exists()
    api = client.get(f"/api/partnerships/{world.partnership.slug}/self-assessment").json()
    assert api["areas"][0]["respondents"] == 20
    assert api["segments"]["isolated_at_risk"] == "Isolated and at risk"
    model = client.get("/api/self-assessment/model").json()
    assert model["id"] == "fraud_cyber@1" and len(model["segments"]) == 8
    assert model["evaluation_order"][-1] == "unaware"


def test_owners_change_the_districts_in_the_page(
    world: World, covered: dict[str, Area], client_for: Any
) -> None:
    url = reverse("selfassessment:districts", args=[world.partnership.slug])
    assert client_for("member").get(url).status_code == 403
    client = client_for("analyst")
    page = client.get(url).content.decode()
    assert "Districts in Northshire" in page and "DH1, DH2, DH10" in page
    north, south = covered["north"], covered["south"]
    response = client.post(url, {f"la_{north.pk.hex}": "dh1 DH3", f"la_{south.pk.hex}": "DL1",
                                 "other": ""})  # fmt: skip
    assert response.status_code == 302
    assert [d.district for d in selectors.districts_of(partnership=world.partnership)] == [
        "DH1", "DH3", "DL1",
    ]  # fmt: skip
    bad = client.post(url, {f"la_{north.pk.hex}": "Durham City", "other": ""})
    assert "is not a postcode district" in bad.content.decode()


def test_the_profile_table_suppresses_small_counts(world: World, covered: dict[str, Area]) -> None:
    tables = selectors.profile_tables(partnership=world.partnership, start=dt.date(2022, 7, 1),
                                      end=dt.date(2022, 11, 30))  # fmt: skip
    table = tables["tables"][0]
    assert table["columns"] == ["Segment", "Northshire", "Southby", "Whole partnership"]
    rows = {row[0]: row[1:] for row in table["rows"]}
    assert rows["Unaware"] == [9, 0, 10]
    assert rows["Already protected"] == ["<5", 0, "<5"]
    assert rows["Over-confident"] == [0, 7, 7]
    assert rows["Respondents"] == [11, 7, 19]
    assert "19 residents answered" in tables["notes"][0]
    empty = selectors.profile_tables(partnership=world.partnership, start=dt.date(2020, 1, 1),
                                     end=dt.date(2020, 1, 31))  # fmt: skip
    assert empty == {"tables": [], "notes": []}


def test_the_profile_carries_the_protect_and_prevent_section(
    world: World, covered: dict[str, Area]
) -> None:
    from socprofiles.profiles import services as profiles
    from socprofiles.profiles.selectors import draft_content

    profile = profiles.profile_commission(
        actor=world.owner, partnership=world.partnership, title="Protect profile",
        period_start="2022-07", period_end="2022-11",
    )  # fmt: skip
    content = draft_content(actor=world.owner, profile=profile)
    section = next(s for s in content["sections"] if s["key"] == "protect_prevent")
    captions = [b["caption"] for b in section["blocks"] if b["type"] == "table"]
    assert captions == [
        "Public fraud and cyber crime self-assessment: respondents by vulnerability segment, "
        "1 July 2022 to 30 November 2022"
    ]
    table = next(b for b in section["blocks"] if b["type"] == "table")
    assert ["Already protected", "<5", "0", "<5"] in table["rows"]
