"""Reading what an analysis needs from the database, and the results already cached.

An analysis of a partnership's area uses the partnership's data sets that every member may
see (visibility "all members"), and public reference data. Data sets restricted to some
members never feed a result all members see.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
from django.db.models import Q
from django.http import Http404

from socprofiles.accounts.models import Area, Partnership
from socprofiles.datasets.models import (
    Boundary,
    BoundaryKind,
    CensusPopulation,
    DataFile,
    DataSet,
    DataSetKind,
    FeedRecord,
    FileStatus,
    Imd2019Domains,
    StreetCrime,
    Visibility,
)
from socprofiles.datasets.selectors import area_lsoa_codes

from .engine import report
from .engine.indicators import PATH as INDICATORS_PATH
from .engine.report import Inputs
from .engine.stats import Period
from .models import AnalysisResult


def areas_for_partnership(*, partnership: Partnership) -> list[Area]:
    """The partnership's area and the areas inside it an analysis can be run for (local
    authorities, community safety partnerships, BCUs), largest first."""
    found = [partnership.area]
    frontier = [partnership.area]
    while frontier:
        children = list(
            Area.objects.filter(parent__in=frontier, kind__in=["local_authority", "csp", "bcu"])
        )
        found.extend(children)
        frontier = children
    return found


def area_get_for_partnership(*, partnership: Partnership, code: str) -> Area:
    for area in areas_for_partnership(partnership=partnership):
        if area.code == code:
            return area
    raise Http404("No such area in this partnership.")


def _shared(partnership: Partnership) -> Q:
    return Q(partnership__isnull=True) | Q(
        partnership=partnership, visibility=Visibility.PARTNERSHIP
    )


def source_datasets(*, partnership: Partnership) -> list[DataSet]:
    kinds = [
        DataSetKind.POLICE_STREET,
        DataSetKind.CENSUS2011_POPULATION,
        DataSetKind.IMD2019_DOMAINS,
        DataSetKind.LSOA_BOUNDARIES,
    ]
    street_or_reference = Q(kind__in=kinds) & _shared(partnership)
    street_only_own = ~Q(kind=DataSetKind.POLICE_STREET) | Q(partnership=partnership)
    ocg = Q(kind=DataSetKind.FEED, feed="ocg_mapping", partnership=partnership) & _shared(
        partnership
    )
    return list(
        DataSet.objects.filter((street_or_reference & street_only_own) | ocg)
        .select_related("owner")
        .order_by("kind", "title")
    )


def _files(datasets: list[DataSet]) -> dict[Any, list[DataFile]]:
    files: dict[Any, list[DataFile]] = {d.pk: [] for d in datasets}
    for data_file in DataFile.objects.filter(
        dataset__in=datasets, status=FileStatus.IMPORTED
    ).order_by("pk"):
        files[data_file.dataset_id].append(data_file)
    return files


def data_version(*, partnership: Partnership) -> str:
    """Changes when any input file is imported or removed, when the indicator mapping
    changes, or when the analysis engine's code does."""
    datasets = source_datasets(partnership=partnership)
    digest = hashlib.sha256()
    digest.update(f"analysis {report.VERSION}\n".encode())
    digest.update(INDICATORS_PATH.read_bytes())
    for source in sorted(INDICATORS_PATH.parent.glob("*.py")):  # the engine's own code
        digest.update(source.read_bytes())
    for dataset in datasets:
        for data_file in _files(datasets)[dataset.pk]:
            digest.update(f"{dataset.pk} {data_file.pk} {data_file.sha256}\n".encode())
    return digest.hexdigest()


def cached_result(
    *, partnership: Partnership, area: Area, period: Period, version: str
) -> AnalysisResult | None:
    return AnalysisResult.objects.filter(
        partnership=partnership,
        area=area,
        period_start=period.start,
        period_end=period.end,
        data_version=version,
    ).first()


def latest_result(*, partnership: Partnership, area: Area, period: Period) -> AnalysisResult | None:
    return (
        AnalysisResult.objects.filter(
            partnership=partnership, area=area, period_start=period.start, period_end=period.end
        )
        .order_by("-created_at")
        .first()
    )


def available_months(*, partnership: Partnership) -> list[str]:
    datasets = [
        d for d in source_datasets(partnership=partnership) if d.kind == DataSetKind.POLICE_STREET
    ]
    file_ids = [f.pk for files in _files(datasets).values() for f in files]
    if not file_ids:
        return []
    return sorted(
        StreetCrime.objects.filter(data_file_id__in=file_ids)
        .values_list("month", flat=True)
        .distinct()
    )


def geometries(*, codes: set[str]) -> dict[str, Any]:
    from shapely import wkb

    found: dict[str, Any] = {}
    for code, geometry in Boundary.objects.filter(
        kind=BoundaryKind.LSOA, code__in=list(codes)
    ).values_list("code", "geometry"):
        found[code] = wkb.loads(bytes(geometry))
    return found


def analysis_inputs(*, partnership: Partnership, area: Area, period: Period) -> Inputs:
    datasets = source_datasets(partnership=partnership)
    files = _files(datasets)
    codes = area_lsoa_codes(area=area)
    street_files = [
        f.pk for d in datasets if d.kind == DataSetKind.POLICE_STREET for f in files[d.pk]
    ]
    earliest = min(period.previous().start, period.year_before().start)
    rows = StreetCrime.objects.filter(
        data_file_id__in=street_files,
        lsoa_code__in=list(codes),
        month__gte=earliest,
        month__lte=period.end,
    ).values_list("month", "lsoa_code", "crime_type")
    crimes = pd.DataFrame(list(rows), columns=["month", "lsoa_code", "crime_type"])
    months = set(available_months(partnership=partnership))

    population: dict[str, int] = {}
    for code, residents in CensusPopulation.objects.filter(
        lsoa_code__in=list(codes), dataset__in=datasets
    ).values_list("lsoa_code", "residents"):
        population[code] = residents
    deprivation = pd.DataFrame(
        list(
            Imd2019Domains.objects.filter(lsoa_code__in=list(codes), dataset__in=datasets)
            .values_list("lsoa_code", "imd_decile", "crime_decile")
            .distinct()
        ),
        columns=["lsoa_code", "imd_decile", "crime_decile"],
    ).drop_duplicates("lsoa_code")
    shapes = {c: g for c, g in geometries(codes=codes).items() if c in population}
    groups = []
    ocg_sets = [d for d in datasets if d.kind == DataSetKind.FEED]
    for values in FeedRecord.objects.filter(dataset__in=ocg_sets).values_list("values", flat=True):
        markets = values.get("crime_markets") or []
        if isinstance(markets, str):
            markets = [m for m in markets.split(";") if m.strip()]
        groups.append((str(values.get("group_ref", "")), [str(m) for m in markets]))
    sources = [
        {
            "title": d.title,
            "owner": d.owner.name,
            "kind": d.get_kind_display(),
            "files": len(files[d.pk]),
            "attribution": d.attribution,
            "clearance": d.get_clearance_display(),
        }
        for d in datasets
        if files[d.pk]
    ]
    return Inputs(
        crimes=crimes,
        population=population,
        deprivation=deprivation,
        geometries=shapes,
        available_months=months,
        ocg_groups=groups,
        sources=sources,
    )


def result_get_for_partnership(*, partnership: Partnership, pk: Any) -> AnalysisResult:
    found = (
        AnalysisResult.objects.filter(partnership=partnership, pk=pk).select_related("area").first()
    )
    if found is None:
        raise Http404("No such analysis.")
    return found


def default_period(*, partnership: Partnership, months: int = 3) -> Period | None:
    """The latest `months` months with data, or None when there is no street crime."""
    available = available_months(partnership=partnership)
    if not available:
        return None
    chosen = available[-months:]
    return Period(chosen[0], chosen[-1])


def lsoa_names(*, codes: set[str]) -> dict[str, str]:
    from socprofiles.datasets.models import LsoaPlacement

    return dict(
        LsoaPlacement.objects.filter(lsoa_code__in=list(codes)).values_list(
            "lsoa_code", "lsoa_name"
        )
    )
