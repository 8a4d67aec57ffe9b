"""Reading what an analysis needs from the database, and the results already cached.

An analysis of a partnership's area uses the partnership's data sets that every member may
see (visibility "all members"), and public reference data. Data sets restricted to some
members never feed a result all members see.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

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

from .engine.indicators import PATH as INDICATORS_PATH
from .engine.period import Period
from .models import AnalysisResult

if TYPE_CHECKING:
    from .engine.report import Inputs

PARTNER_FEEDS = ("ocg_mapping", "nrm_referrals", "counts_by_area")


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
    ocg = Q(kind=DataSetKind.FEED, feed__in=PARTNER_FEEDS, partnership=partnership) & _shared(
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
    import pandas as pd

    from .engine.report import Inputs

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
    feeds = [d for d in datasets if d.kind == DataSetKind.FEED]
    groups, partner = partner_threats(feeds=feeds, codes=codes, area=area, period=period)
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
        partner_threats=partner,
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


def _month_bounds(period: Period) -> tuple[Any, Any]:
    import calendar
    from datetime import date

    first = date(int(period.start[:4]), int(period.start[5:]), 1)
    year, month = int(period.end[:4]), int(period.end[5:])
    last = date(year, month, calendar.monthrange(year, month)[1])
    return first, last


def partner_threats(
    *, feeds: list[DataSet], codes: set[str], area: Area, period: Period
) -> tuple[list[tuple[str, list[str]]], list[dict[str, Any]]]:
    """What partners' feeds show in the area and period, for the threats police.uk cannot:
    NRM referrals by type of exploitation, organised crime groups mapped there (and their
    markets), and counts by area (fraud and others) by their own indicator names. Records
    outside the area or the period are left out; undated OCG mappings count as current."""
    from collections import Counter

    first, last = _month_bounds(period)
    # A record is in the area by its LSOA, or by an area code: the area's own, one of its
    # LSOAs', or one of the areas inside it (local authorities, wards...).
    inside = {a.code for a in Area.objects.filter(parent=area)} | {area.code}
    named = sorted(c for c in codes | inside if c)  # never match a blank code
    in_area = Q(lsoa_code__in=named) | Q(area_code__in=named)
    groups: list[tuple[str, list[str]]] = []
    found: list[dict[str, Any]] = []
    for dataset in feeds:
        records = FeedRecord.objects.filter(dataset=dataset).filter(in_area)
        if dataset.feed == "ocg_mapping":
            markets_of: dict[str, set[str]] = {}
            for values in records.filter(Q(period__isnull=True) | Q(period__lte=last)).values_list(
                "values", flat=True
            ):
                markets = values.get("crime_markets") or []
                if isinstance(markets, str):
                    markets = [m for m in markets.split(";") if m.strip()]
                ref = str(values.get("group_ref", ""))
                markets_of.setdefault(ref, set()).update(str(m).strip() for m in markets)
            groups.extend((ref, sorted(ms)) for ref, ms in markets_of.items())
            counted = Counter(m for ms in markets_of.values() for m in ms)
            found.append(
                {"threat": "Organised crime groups", "dataset": dataset.title, "measure":
                 "groups mapped in the area", "value": len(markets_of),
                 "breakdown": dict(counted.most_common())}
            )  # fmt: skip
            continue
        dated = records.filter(period__gte=first, period__lte=last)
        if dataset.feed == "nrm_referrals":
            kinds = Counter(
                str(v.get("exploitation", "")) for v in dated.values_list("values", flat=True)
            )
            found.append(
                {"threat": "Modern slavery and human trafficking", "dataset": dataset.title,
                 "measure": "NRM referrals", "value": sum(kinds.values()),
                 "breakdown": dict(kinds.most_common())}
            )  # fmt: skip
        elif dataset.feed == "counts_by_area":
            totals: dict[str, float] = {}
            for values in dated.values_list("values", flat=True):
                name = str(values.get("indicator", "")) or "count"
                totals[name] = totals.get(name, 0.0) + float(values.get("value") or 0)
            for name, total in sorted(totals.items()):
                found.append(
                    {"threat": name, "dataset": dataset.title, "measure": "total of the counts",
                     "value": round(total, 2), "breakdown": {}}
                )  # fmt: skip
    return groups, found
