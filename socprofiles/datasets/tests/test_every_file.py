"""Every file in ../shared/data imports with the right kind of data set, or is refused
with a message saying why. (All of them import; the test fails if a new file appears
without being listed here.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from socprofiles.datasets.models import FileStatus

from .conftest import SHARED, import_one, make_dataset

pytestmark = pytest.mark.django_db

# file (relative to shared/data) -> (data set kind, feed mapping)
CATALOGUE: dict[str, tuple[str, str]] = {
    "boundaries/lsoa/LSOA.geojson": ("lsoa_boundaries", ""),
    "boundaries/wards/northumbria_wards.gpkg": ("ward_boundaries", ""),
    "boundaries/wards/nottingham_wards.gpkg": ("ward_boundaries", ""),
    "boundaries/local_authority/northumbria_districts.geojson": ("la_boundaries", ""),
    "boundaries/local_authority/nottinghamshire_districts.gpkg": ("la_boundaries", ""),
    "boundaries/local_authority/london_boroughs.gpkg": ("la_boundaries", ""),
    "lookups/census_2011_population_hh.csv": ("census2011_population", ""),
    "lookups/northumbria_ward_pop.xlsx": ("feed", "ward_population"),
    "crime_stats/prc-pfa-mar2013-onwards-tables201718.csv": ("feed", "home_office_prc"),
    "deprivation/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz": ("imd2019_rank", ""),
    "deprivation/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz": ("imd2019_domains", ""),
    "deprivation/File_6_-_IoD2019_Population_Denominators.csv.gz": ("imd2019_population", ""),
    "deprivation/london_lsoa_deprivation.xlsx": ("feed", "gla_london_deprivation"),
    "police_uk/outcomes/2018-01-avon-and-somerset-outcomes.csv": ("police_outcomes", ""),
    "police_uk/outcomes/2018-01-bedfordshire-outcomes.csv": ("police_outcomes", ""),
    "police_uk/stop_and_search/2022-09-metropolitan-stop-and-search.csv": (
        "police_stop_search",
        "",
    ),
    **{
        f"police_uk/street/{p.name}": ("police_street", "")
        for p in sorted((SHARED / "police_uk" / "street").glob("*.csv"))
    },
}

# Rows each file holds (counted independently of the importer: pandas or the README).
ROWS = {
    "lookups/northumbria_ward_pop.xlsx": 177,
    "crime_stats/prc-pfa-mar2013-onwards-tables201718.csv": 23068,
    "deprivation/london_lsoa_deprivation.xlsx": 4835,
}


def test_the_catalogue_covers_every_file(shared: Path) -> None:
    files = {
        str(p.relative_to(shared))
        for p in shared.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert files == set(CATALOGUE)


@pytest.mark.parametrize("relative", sorted(CATALOGUE))
def test_each_file_imports(shared: Path, owner, relative: str) -> None:  # type: ignore[no-untyped-def]
    kind, feed = CATALOGUE[relative]
    dataset = make_dataset(kind, feed=feed, owner=owner, title=relative)
    data_file = import_one(dataset, shared / relative)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported > 0
    assert data_file.imported + data_file.duplicates == data_file.rows_read
    if relative in ROWS:
        assert data_file.rows_read == ROWS[relative]
