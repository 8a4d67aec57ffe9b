"""Reads for data sets, files and the places records fall in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from socprofiles.accounts import permissions as account_permissions
from socprofiles.accounts.models import Area, AreaKind, Partnership, PartnershipMembership

from . import permissions
from .models import DataFile, DataSet, LsoaPlacement, Visibility


def datasets_for_user(*, user: Any, partnership: Partnership | None = None) -> QuerySet[DataSet]:
    """Data sets the user may see: reference data, and their partnerships' data sets
    that their role and organisation reach."""
    if not account_permissions.is_active_user(user):
        return DataSet.objects.none()
    memberships = PartnershipMembership.objects.filter(user=user, partnership__is_active=True)
    owner_of = memberships.filter(role="owner").values("partnership_id")
    contributor_of = memberships.filter(role__in=["owner", "author"]).values("partnership_id")
    member_of = memberships.values("partnership_id")
    visible = (
        Q(partnership__isnull=True)
        | Q(partnership__in=member_of, visibility=Visibility.PARTNERSHIP)
        | Q(partnership__in=contributor_of, visibility=Visibility.CONTRIBUTORS)
        | Q(partnership__in=owner_of)
        | Q(partnership__in=member_of, owner_id=user.organisation_id)
    )
    if getattr(user, "is_service_account", False):
        visible |= Q(partnership__isnull=False, owner_id=user.organisation_id)
    datasets = DataSet.objects.filter(visible).select_related("owner", "partnership")
    if partnership is not None:
        datasets = datasets.filter(Q(partnership=partnership) | Q(partnership__isnull=True))
    return datasets.order_by("partnership__name", "title")


def dataset_get_for_user(*, user: Any, pk: Any) -> DataSet:
    dataset = DataSet.objects.select_related("owner", "partnership").filter(pk=pk).first()
    if dataset is None or not permissions.can_view_dataset(user, dataset):
        raise Http404("No such data set.")
    return dataset


def data_file_get_for_user(*, user: Any, pk: Any) -> DataFile:
    data_file = (
        DataFile.objects.select_related("dataset", "dataset__partnership").filter(pk=pk).first()
    )
    if data_file is None or not permissions.can_view_dataset(user, data_file.dataset):
        raise Http404("No such file.")
    return data_file


def files_for_dataset(*, dataset: DataSet) -> QuerySet[DataFile]:
    return dataset.files.select_related("uploaded_by").order_by("-created_at")


def _descendants(area: Area) -> list[Area]:
    found: list[Area] = []
    frontier = [area]
    while frontier:
        children = list(Area.objects.filter(parent__in=frontier))
        found.extend(children)
        frontier = children
    return found


def area_lsoa_codes(*, area: Area) -> set[str]:
    """The LSOAs inside an area: from the area tree, and from the placement table for a
    force area or local authorities within it."""
    descendants = _descendants(area)
    codes = {a.code for a in descendants if a.kind == AreaKind.LSOA and a.code}
    lad_codes = {a.code for a in [area, *descendants] if a.kind == AreaKind.LOCAL_AUTHORITY}
    placed = LsoaPlacement.objects.filter(Q(force_area=area) | Q(lad_code__in=lad_codes))
    if area.kind == AreaKind.LSOA:
        codes.add(area.code)
    codes.update(placed.values_list("lsoa_code", flat=True))
    return codes


_LSOA_CACHE: dict[Any, tuple[float, set[str]]] = {}
_LSOA_CACHE_SECONDS = 60.0


def partnership_lsoa_codes(*, partnership: Partnership, fresh: bool = False) -> set[str]:
    """The partnership's LSOAs, remembered for a minute: an import of many files asks for
    them once per file, and the area tree changes rarely."""
    import time

    now = time.monotonic()
    cached = _LSOA_CACHE.get(partnership.area_id)
    if cached is not None and not fresh and now - cached[0] < _LSOA_CACHE_SECONDS:
        return cached[1]
    codes = area_lsoa_codes(area=partnership.area)
    _LSOA_CACHE[partnership.area_id] = (now, codes)
    return codes


def placements(*, lsoa_codes: Iterable[str]) -> dict[str, LsoaPlacement]:
    return {
        p.lsoa_code: p
        for p in LsoaPlacement.objects.filter(lsoa_code__in=list(lsoa_codes)).select_related(
            "csp", "force_area"
        )
    }
