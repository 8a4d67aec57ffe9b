"""Indices of Deprivation, the Census look-up and boundaries, and placing LSOAs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import shapely

from socprofiles.accounts.models import Area, AreaKind
from socprofiles.datasets.models import (
    Boundary,
    CensusPopulation,
    FileStatus,
    Imd2019Domains,
    Imd2019Population,
    Imd2019Rank,
    LsoaPlacement,
)

from .conftest import import_files, import_one, make_dataset

pytestmark = pytest.mark.django_db


def test_indices_of_deprivation_files_1_2_and_6(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    folder = shared / "deprivation"
    for kind, name, model in (
        ("imd2019_rank", "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz", Imd2019Rank),
        ("imd2019_domains", "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", Imd2019Domains),
        (
            "imd2019_population",
            "File_6_-_IoD2019_Population_Denominators.csv.gz",
            Imd2019Population,
        ),
    ):
        data_file = import_one(make_dataset(kind, owner=owner, title=kind), folder / name)
        assert data_file.status == FileStatus.IMPORTED, data_file.message
        assert data_file.imported == model.objects.count() == 32844
    # Thousands separators as published: "29,199".
    assert Imd2019Rank.objects.get(lsoa_code="E01000001").imd_rank == 29199
    city = Imd2019Domains.objects.get(lsoa_code="E01000001")
    assert (city.imd_decile, city.crime_rank, city.crime_decile) == (9, 32662, 10)
    assert Imd2019Population.objects.get(lsoa_code="E01000001").total == 1296


def test_census_lookup_with_its_repeated_headers_and_welsh_rows(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("census2011_population", owner=owner)
    data_file = import_one(dataset, shared / "lookups" / "census_2011_population_hh.csv")
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == 34753  # every LSOA of England and Wales
    welsh = CensusPopulation.objects.get(lsoa_code="W01000003")
    assert (welsh.region_code, welsh.residents, welsh.households) == ("", 2507, 1131)
    durham = CensusPopulation.objects.get(lsoa_code="E01020634")
    assert (durham.lad_code, durham.msoa_code, durham.residents) == ("E06000047", "E02004297", 1563)
    assert LsoaPlacement.objects.count() == 34753


def test_a_second_file_with_known_lsoas_adds_nothing(owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = (
        "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
        "Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,"
        "Index of Multiple Deprivation (IMD) Decile\n"
    )
    first = tmp_path / "a.csv"
    first.write_text(header + 'E01020634,County Durham 001A,E06000047,County Durham,"9,000",3\n')
    second = tmp_path / "b.csv"
    second.write_text(
        header
        + 'E01020634,County Durham 001A,E06000047,County Durham,"9,000",3\n'
        + "E01020635,County Durham 001B,E06000047,County Durham,12000,4\n"
    )
    dataset = make_dataset("imd2019_rank", owner=owner)
    import_one(dataset, first)
    data_file = import_one(dataset, second)
    assert (data_file.imported, data_file.duplicates) == (1, 1)
    twice = tmp_path / "c.csv"
    twice.write_text(header + "E01020636,x,E06000047,x,1,1\n" * 2)
    refused = import_one(dataset, twice)
    assert refused.status == FileStatus.REFUSED
    assert "appears twice in the file" in refused.message
    assert Imd2019Rank.objects.count() == 2


def test_lsoa_boundaries_from_geojson(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("lsoa_boundaries", owner=owner)
    data_file = import_one(dataset, shared / "boundaries" / "lsoa" / "LSOA.geojson")
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == 34753
    assert data_file.summary["code_field"] == "LSOA11CD"
    city = Boundary.objects.get(code="E01000001")
    assert city.name == "City of London 001A"
    shape = shapely.from_wkb(bytes(city.geometry))
    assert shape.contains(shapely.Point(city.point_lon, city.point_lat))
    assert -0.11 < city.point_lon < -0.08 and 51.51 < city.point_lat < 51.53


@pytest.mark.parametrize(
    ("kind", "relative", "count", "code_field", "sample"),
    [
        (
            "ward_boundaries",
            "boundaries/wards/northumbria_wards.gpkg",
            177,
            "ward_code",
            "E05001067",
        ),
        ("ward_boundaries", "boundaries/wards/nottingham_wards.gpkg", 20, "ward_code", None),
        (
            "la_boundaries",
            "boundaries/local_authority/northumbria_districts.geojson",
            6,
            "objectid",
            "E08000021",
        ),
        (
            "la_boundaries",
            "boundaries/local_authority/nottinghamshire_districts.gpkg",
            8,
            "district_code",
            None,
        ),
        (
            "la_boundaries",
            "boundaries/local_authority/london_boroughs.gpkg",
            33,
            "gss_code",
            "E09000001",
        ),
    ],
)
def test_ward_and_local_authority_boundaries_in_any_crs(
    shared: Path,
    owner,
    kind: str,
    relative: str,
    count: int,
    code_field: str,
    sample: str | None,  # type: ignore[no-untyped-def]
) -> None:
    data_file = import_one(make_dataset(kind, owner=owner), shared / relative)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == count
    assert data_file.summary["code_field"] == code_field
    for boundary in Boundary.objects.filter(data_file=data_file):
        # British National Grid sources end up in WGS84 longitude and latitude, in England.
        assert -6.5 < boundary.min_lon < boundary.max_lon < 2.0
        assert 49.8 < boundary.min_lat < boundary.max_lat < 56.0
    if sample:
        assert Boundary.objects.filter(data_file=data_file, code=sample).exists()


def test_lsoas_are_placed_in_ward_local_authority_csp_and_force_area(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    force = Area.objects.create(kind=AreaKind.FORCE_AREA, code="E23000007", name="Northumbria")
    gateshead = Area.objects.create(
        kind=AreaKind.LOCAL_AUTHORITY, code="E08000037", name="Gateshead", parent=force
    )
    csp = Area.objects.create(kind=AreaKind.CSP, name="Safer Gateshead", parent=gateshead)
    # Gateshead was E08000020 in the 2011 Census and is E08000037 since 2013: the
    # 2019 code of the Indices of Deprivation wins.
    census = shared / "lookups" / "census_2011_population_hh.csv"
    lines = census.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    cut = tmp_path / "census-gateshead.csv"
    cut.write_text(lines[0] + "".join(line for line in lines[1:] if ",Gateshead," in line))
    import_one(make_dataset("census2011_population", owner=owner), cut)
    iod = gzip.decompress(
        (
            shared / "deprivation" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
        ).read_bytes()
    ).decode("utf-8-sig")
    iod_lines = iod.splitlines(keepends=True)
    iod_cut = tmp_path / "iod-gateshead.csv"
    iod_cut.write_text(
        iod_lines[0] + "".join(line for line in iod_lines[1:] if ",E08000037," in line)
    )
    import_one(make_dataset("imd2019_rank", owner=owner), iod_cut)
    import_one(
        make_dataset("lsoa_boundaries", owner=owner),
        shared / "boundaries" / "lsoa" / "LSOA.geojson",
    )
    import_one(
        make_dataset("ward_boundaries", owner=owner),
        shared / "boundaries" / "wards" / "northumbria_wards.gpkg",
    )
    placed = LsoaPlacement.objects.filter(lad_code="E08000037")
    assert placed.count() == 126
    assert placed.filter(force_area=force, csp=csp).count() == 126
    # Each LSOA's interior point falls in one of Gateshead's 22 wards.
    with_ward = placed.exclude(ward_code="")
    assert with_ward.count() >= 120
    assert {p.ward_code[:3] for p in with_ward} == {"E05"}
    assert len({p.ward_code for p in with_ward}) >= 20


def test_compressed_geojson_and_a_geojson_bomb(owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feature = (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"code":"E01020634","name":"A"},"geometry":{"type":"Polygon","coordinates":'
        "[[[-1.5,54.7],[-1.4,54.7],[-1.4,54.8],[-1.5,54.7]]]}}]}"
    )
    small = tmp_path / "one.geojson.gz"
    small.write_bytes(gzip.compress(feature.encode()))
    data_file = import_one(make_dataset("lsoa_boundaries", owner=owner), small)
    assert data_file.imported == 1, data_file.message
    bomb = tmp_path / "bomb.geojson.gz"
    bomb.write_bytes(gzip.compress(b" " * (40 << 20) + feature.encode()))
    refused = import_one(make_dataset("lsoa_boundaries", owner=owner, title="bomb"), bomb)
    assert refused.status == FileStatus.REFUSED
    assert "decompression bomb" in refused.message


def test_a_boundary_file_without_codes_is_refused(owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "no-codes.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},'
        '"geometry":{"type":"Point","coordinates":[-1.5,54.7]}}]}'
    )
    data_file = import_one(make_dataset("ward_boundaries", owner=owner), path)
    assert data_file.status == FileStatus.REFUSED
    assert "no column holds ward codes" in data_file.message
    assert "--code-field" in data_file.message
    csv_instead = tmp_path / "wards.csv"
    csv_instead.write_text("code,name\nE05000001,A\n")
    refused = import_one(make_dataset("ward_boundaries", owner=owner, title="csv"), csv_instead)
    assert "not a GeoJSON or GeoPackage" in refused.message


def test_import_files_batches_boundaries_too(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    folder = shared / "boundaries" / "local_authority"
    files = import_files(
        make_dataset("la_boundaries", owner=owner),
        folder / "northumbria_districts.geojson",
        folder / "nottinghamshire_districts.gpkg",
    )
    assert [f.imported for f in files] == [6, 8]
