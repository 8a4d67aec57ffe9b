"""Partner feeds: every mapping is valid and imports its sample; mappings are checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from socprofiles.datasets.ingest.feeds import FEEDS_DIR, MappingError, all_feeds, load_mapping
from socprofiles.datasets.models import FeedRecord, FileStatus

from .conftest import FIXTURES, import_one, make_dataset

pytestmark = pytest.mark.django_db


def test_every_shipped_mapping_is_valid() -> None:
    names = {path.stem for path in FEEDS_DIR.glob("*.yaml")}
    assert names == set(all_feeds())
    assert {"ocg_mapping", "nrm_referrals", "licensed_premises", "counts_by_area"} <= names
    for spec in all_feeds().values():
        assert spec.columns
        assert all(col.headers for col in spec.columns)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ntitle: X\ncolumns: []\n", "must match the file name"),
        ("name: bad\ntitle: X\ncolumns: []\n", "a non-empty list is required"),
        (
            "name: bad\ntitle: X\ncolumns:\n  - {field: a, headers: A, type: colour}\n",
            "unknown type 'colour'",
        ),
        (
            "name: bad\ntitle: X\ncolumns:\n  - {field: a, headers: A, type: choice}\n",
            "needs a list of 'choices'",
        ),
        (
            "name: bad\ntitle: X\nkey: [b]\ncolumns:\n  - {field: a, headers: A}\n",
            "must list fields of this mapping",
        ),
        (
            "name: bad\ntitle: X\nlsoa_field: a\ncolumns:\n  - {field: a, headers: A}\n",
            "must have type lsoa_code",
        ),
        (
            "name: bad\ntitle: X\ncolour: red\ncolumns:\n  - {field: a, headers: A}\n",
            "unknown keys ['colour']",
        ),
        ("name: bad\ntitle: X\ncolumns:\n  - {field: A, headers: A}\n", "lower-case identifier"),
        ("name: bad\n  title: : X\n", "not valid YAML"),
    ],
)
def test_mapping_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(MappingError) as raised:
        load_mapping(path)
    assert message in str(raised.value)
    assert str(raised.value).startswith("bad.yaml")


def test_ocg_mapping_extract(owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("feed", feed="ocg_mapping", owner=owner)
    data_file = import_one(dataset, FIXTURES / "ocg_mapping.csv")
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == 5
    principal = FeedRecord.objects.get(dataset=dataset, values__member_ref="NOM-0001")
    assert principal.values["crime_markets"] == ["Class A drugs", "Firearms"]
    assert principal.values["band"] == "1B"
    assert principal.lsoa_code == "E01020634"
    assert principal.period == date(2022, 3, 14)
    dd_mm_yyyy = FeedRecord.objects.get(dataset=dataset, values__member_ref="NOM-0004")
    assert dd_mm_yyyy.period == date(2022, 6, 21)
    again = import_one(dataset, FIXTURES / "ocg_mapping.csv")
    assert again.status == FileStatus.ALREADY_IMPORTED


def test_nrm_referrals_from_a_workbook(owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [
        ["Referral reference", "Date of referral", "Type of exploitation", "Adult or child",
         "Nationality", "First responder", "LSOA", "Reasonable grounds decision"],
        ["NRM-0001", date(2022, 4, 2), "Criminal", "Child", "British", "Durham County Council",
         "E01020634", "Positive"],
        ["NRM-0002", "2022-05-09", "labour", "Adult", "Romanian", "GLAA", None, "Pending"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    path = tmp_path / "nrm.xlsx"
    workbook.save(path)
    dataset = make_dataset("feed", feed="nrm_referrals", owner=owner)
    data_file = import_one(dataset, path)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    records = {r.values["referral_ref"]: r for r in FeedRecord.objects.filter(dataset=dataset)}
    assert records["NRM-0001"].period == date(2022, 4, 2)
    assert records["NRM-0002"].values["exploitation"] == "Labour"  # case-insensitive choice
    assert data_file.unplaced == 1


def test_licensed_premises_and_counts_by_area(owner) -> None:  # type: ignore[no-untyped-def]
    premises = make_dataset("feed", feed="licensed_premises", owner=owner)
    data_file = import_one(premises, FIXTURES / "licensed_premises.csv")
    assert data_file.imported == 3, data_file.message
    nails = FeedRecord.objects.get(dataset=premises, values__licence_ref="DCC/NB/0003")
    assert nails.values["postcode"] == "DH1 5ZZ"
    counts = make_dataset("feed", feed="counts_by_area", owner=owner, title="counts")
    data_file = import_one(counts, FIXTURES / "counts_by_area.csv")
    assert data_file.imported == 3
    darlington = FeedRecord.objects.get(dataset=counts, area_code="E06000005")
    assert darlington.values["value"] == 1011.0


def test_a_feed_with_bad_values_is_refused_with_a_report(owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "ocg.csv"
    lines = (FIXTURES / "ocg_mapping.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",1B,", ",5Z,")
    lines[4] = lines[4].replace("DUR-OCG-0207", "")
    bad.write_text("\n".join(lines) + "\n")
    dataset = make_dataset("feed", feed="ocg_mapping", owner=owner)
    data_file = import_one(dataset, bad)
    assert data_file.status == FileStatus.REFUSED
    assert not FeedRecord.objects.filter(dataset=dataset).exists()
    problems = {(p["row"], p["column"]): p["reason"] for p in data_file.report}
    assert problems[(5, "OCG reference")] == "a value is required"
    # The column is named as the file names it ("Mapping band", not the mapping's "Band").
    assert problems[(3, "Mapping band")].startswith("expected one of: 1A, 1B, 1C")


def test_a_feed_missing_a_required_column_says_which(owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "counts.csv"
    path.write_text("Area code,Value\nE06000047,3\n")
    data_file = import_one(make_dataset("feed", feed="counts_by_area", owner=owner), path)
    assert data_file.status == FileStatus.REFUSED
    assert "the column 'Indicator' is missing" in data_file.message
