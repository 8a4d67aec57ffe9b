"""The threat picture on the real demo partnership (Durham's 2022 street crime and the
shipped reference data): page, figures, map data, API, caching per data version, the
command, and who may see it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.management import call_command
from django.test import Client

from conftest import sign_in
from socprofiles.accounts.models import Partnership, User
from socprofiles.analysis.models import AnalysisResult
from socprofiles.audit.models import AuditEvent
from socprofiles.datasets.models import CensusPopulation, StreetCrime
from socprofiles.demo import fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_logins")]

URL = f"/partnerships/{fixtures.DEMO_SLUG}/analysis/"


@pytest.fixture
def demo_logins(settings: Any) -> None:
    settings.DEMO_LOGINS_ENABLED = True  # the demo's accounts are used as personas here


@pytest.fixture
def demo(demo_once: None) -> Partnership:
    # The demo's published profile ran its own analysis: start each test with an empty
    # cache (results are a cache, so emptying it loses nothing).
    AnalysisResult.objects.all().delete()
    return Partnership.objects.get(slug=fixtures.DEMO_SLUG)


def _client(username: str) -> Client:
    return sign_in(Client(), User.objects.get(username=username))


def test_the_page_shows_the_latest_quarter_with_hotspots_and_figures(demo: Partnership) -> None:
    client = _client("durham.analyst")
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Durham Constabulary force area, 2022-09 to 2022-11" in text
    assert "significant hotspot" in text and "(indicator)" in text
    stored = AnalysisResult.objects.get(partnership=demo)
    hot = [h for h in stored.result["hotspots"] if h["class"] == "hot"]
    assert hot, "the Durham data should show at least one hotspot"
    assert hot[0]["lsoa_code"] in text
    for name in ("map", "trend", "breakdown", "deprivation"):
        svg = client.get(f"{URL}{stored.pk}/figures/{name}.svg")
        assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
        assert b"<svg" in svg.content
        assert f"figures/{name}.svg" in text  # shown on the page, with its text alternative
    assert text.count("The data in this figure") == 4  # and each with its data as a table
    png = client.get(f"{URL}{stored.pk}/figures/map.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    geojson = client.get(f"{URL}{stored.pk}/map.geojson").json()
    assert len(geojson["features"]) == 389
    assert {f["properties"]["class"] for f in geojson["features"]} >= {"hot", "none"}


def test_results_are_cached_until_the_data_change(demo: Partnership) -> None:
    client = _client("durham.analyst")
    runs = AuditEvent.objects.filter(action="analysis.run").count()
    client.get(URL)
    client.get(URL)
    assert AnalysisResult.objects.filter(partnership=demo).count() == 1
    assert AuditEvent.objects.filter(action="analysis.run").count() == runs + 1
    # A new file changes the data version: the next view computes afresh.
    from socprofiles.datasets.models import DataFile, DataSet

    street = DataSet.objects.get(partnership=demo, kind="police_street")
    DataFile.objects.create(
        dataset=street, original_name="x.csv", status="imported", sha256="0" * 64
    )
    client.get(URL)
    assert AnalysisResult.objects.filter(partnership=demo).count() == 2


def test_counts_and_rates_match_the_database_counted_independently(demo: Partnership) -> None:
    page = _client("durham.council").get(URL + "?area=E06000005&start=2022-06&end=2022-08")
    assert page.status_code == 200
    stored = AnalysisResult.objects.get(partnership=demo, area__code="E06000005")
    from socprofiles.analysis.selectors import area_lsoa_codes

    codes = area_lsoa_codes(area=stored.area)
    frame = pd.DataFrame(
        list(
            StreetCrime.objects.filter(
                lsoa_code__in=codes, month__gte="2022-06", month__lte="2022-08"
            ).values("crime_type")
        )
    )
    expected = frame["crime_type"].value_counts()
    population = sum(
        CensusPopulation.objects.filter(lsoa_code__in=codes).values_list("residents", flat=True)
    )
    got = {row["crime_type"]: row for row in stored.result["by_type"]}
    assert stored.result["population"] == population
    for crime_type, count in expected.items():
        assert got[crime_type]["count"] == count
        assert got[crime_type]["rate_per_1000"] == round(count * 1000 / population, 2)


def test_bad_periods_are_named_and_change_nothing(demo: Partnership) -> None:
    client = _client("durham.analyst")
    page = client.get(URL + "?area=E23000008&start=2022-13&end=2022-11")
    assert page.status_code == 200
    assert "Write the month as YYYY-MM" in page.content.decode()
    page = client.get(URL + "?area=E23000008&start=2021-01&end=2021-03")
    assert "There is no street crime for 2021-01, 2021-02, 2021-03" in page.content.decode()
    assert client.get(URL + "?area=E99999999&start=2022-01&end=2022-02").status_code == 200
    assert not AnalysisResult.objects.exists()


def test_who_may_see_it(demo: Partnership) -> None:
    assert _client("durham.pcc").get(URL).status_code == 200  # a reader
    outsider = _client("northumbria.owner")
    assert outsider.get(URL).status_code == 404
    stored = AnalysisResult.objects.get(partnership=demo)
    assert outsider.get(f"{URL}{stored.pk}/figures/map.svg").status_code == 404
    assert outsider.get(f"/api/partnerships/{fixtures.DEMO_SLUG}/analysis").status_code == 404
    # A result of one partnership is not reachable through another's URL.
    other = f"/partnerships/{fixtures.OTHER_SLUG}/analysis/{stored.pk}/map.geojson"
    assert outsider.get(other).status_code == 404


def test_the_api_gives_the_same_result(demo: Partnership) -> None:
    client = _client("durham.analyst")
    got = client.get(
        f"/api/partnerships/{fixtures.DEMO_SLUG}/analysis?area=E06000047&start=2022-10&end=2022-11"
    )
    assert got.status_code == 200
    body = got.json()
    assert body["area"] == "E06000047" and body["result"]["period"]["months"] == [
        "2022-10",
        "2022-11",
    ]
    again = client.get(
        f"/api/partnerships/{fixtures.DEMO_SLUG}/analysis?area=E06000047&start=2022-10&end=2022-11"
    )
    assert again.json()["id"] == body["id"]
    bad = client.get(f"/api/partnerships/{fixtures.DEMO_SLUG}/analysis?start=2022-10&end=2022-01")
    assert bad.status_code == 400 and "after it ends" in json.dumps(bad.json())
    hotspots = client.get(f"/api/partnerships/{fixtures.DEMO_SLUG}/analysis/{body['id']}/hotspots")
    assert hotspots.json()["type"] == "FeatureCollection"


def test_the_command_writes_tables_hotspots_and_figures(demo: Partnership, tmp_path: Path) -> None:
    call_command(
        "analyse", "--area", "E23000008", "--from", "2022-09", "--to", "2022-11",
        "--output", str(tmp_path), verbosity=0,
    )  # fmt: skip
    for name in ("counts_by_indicator.csv", "trends_by_indicator.csv", "hotspots.csv",
                 "hotspots.geojson", "summary.txt", "figures/map.png", "figures/map.svg",
                 "figures/trend.svg", "figures/alt_text.json"):  # fmt: skip
        assert (tmp_path / name).stat().st_size > 0, name
    with (tmp_path / "hotspots.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 389 and any(r["class"] == "hot" for r in rows)
    alts = json.loads((tmp_path / "figures" / "alt_text.json").read_text())
    assert all(a["alt"] for a in alts.values())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no area with the code"):
        call_command(
            "analyse",
            "--area",
            "X",
            "--from",
            "2022-01",
            "--to",
            "2022-02",
            "--output",
            str(tmp_path),
        )
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command(
            "analyse",
            "--area",
            "E23000008",
            "--from",
            "22-1",
            "--to",
            "2022-02",
            "--output",
            str(tmp_path),
        )


def test_partner_feeds_supply_the_threats_police_uk_cannot_show(
    demo: Partnership, tmp_path: Path
) -> None:
    """NRM referrals, OCG mapping and counts by area, imported through the real importer,
    appear for the area and period they fall in, and nowhere else."""
    from socprofiles.datasets.models import DataSet

    DataSet.objects.filter(partnership=demo, kind="feed").delete()  # the demo's fictional feeds
    darlington = ["E01012334", "E01012335", "E01012366"]
    nrm = tmp_path / "nrm.csv"
    nrm.write_text(
        "Referral reference,Referral date,Exploitation type,Age group,LSOA code\n"
        f"R1,2022-10-03,Labour,Adult,{darlington[0]}\n"
        f"R2,2022-10-19,Criminal,Child,{darlington[1]}\n"
        f"R3,2022-11-02,Criminal,Child,{darlington[2]}\n"
        f"R4,2022-03-02,Sexual,Adult,{darlington[0]}\n"  # before the period
        "R5,2022-10-05,Labour,Adult,E01000001\n",  # in London, outside the area
        encoding="utf-8",
    )
    ocg = tmp_path / "ocg.csv"
    ocg.write_text(
        "OCG reference,Member reference,Crime markets,Band,LSOA code\n"
        f"G1,N1,Drugs; Firearms,1A,{darlington[0]}\n"
        f"G1,N2,Drugs,1A,{darlington[0]}\n"
        f"G2,N3,Drugs; Firearms; Money laundering,2B,{darlington[1]}\n"
        f"G3,N4,Modern slavery,3C,{darlington[2]}\n",
        encoding="utf-8",
    )
    fraud = tmp_path / "fraud.csv"
    fraud.write_text(
        "Area code,Indicator,Period,Value\n"
        "E06000005,Fraud reports (Action Fraud),2022-10-01,41\n"
        "E06000005,Fraud reports (Action Fraud),2022-11-01,37\n"
        "E06000047,Fraud reports (Action Fraud),2022-10-01,90\n",  # County Durham
        encoding="utf-8",
    )
    for feed, path, owner in (
        ("nrm_referrals", nrm, "home-office-ie"),
        ("ocg_mapping", ocg, "durham-constabulary"),
        ("counts_by_area", fraud, "darlington-borough-council"),
    ):
        call_command(
            "import_dataset", feed, str(path), "--partnership", fixtures.DEMO_SLUG,
            "--owner", owner, "--max-rejected", "5", verbosity=0,
        )  # fmt: skip
    page = _client("durham.council").get(URL + "?area=E06000005&start=2022-10&end=2022-11")
    assert page.status_code == 200
    result = AnalysisResult.objects.get(area__code="E06000005").result
    threats = {t["threat"]: t for t in result["partner_threats"]}
    assert threats["Modern slavery and human trafficking"]["value"] == 3
    assert threats["Modern slavery and human trafficking"]["breakdown"] == {
        "Criminal": 2,
        "Labour": 1,
    }
    assert threats["Organised crime groups"]["value"] == 3
    assert threats["Fraud reports (Action Fraud)"]["value"] == 78
    assert result["markets_ocg_text"].startswith(
        "2 organised crime groups are active in both Drugs and Firearms."
    )
    assert "Fraud reports (Action Fraud)" in page.content.decode()
