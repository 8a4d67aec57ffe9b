"""Writes for data sets: registering them, loading files (now or as a background task),
deleting files, clearance for publication, and placing LSOAs in larger areas."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from socprofiles.accounts.models import Area, AreaKind, Organisation, Partnership
from socprofiles.audit.services import audit_log
from socprofiles.core.classification import classification_parse
from socprofiles.core.exceptions import ServiceError

from . import permissions
from .ingest import checks, pipeline
from .ingest.bulk import insert_rows
from .ingest.feeds import all_feeds
from .models import (
    Boundary,
    BoundaryKind,
    CensusPopulation,
    Clearance,
    DataFile,
    DataSet,
    DataSetKind,
    FileStatus,
    Imd2019Domains,
    Imd2019Rank,
    LsoaPlacement,
    Visibility,
)

FACT_TABLES = {
    DataSetKind.POLICE_STREET: "datasets_streetcrime",
    DataSetKind.POLICE_OUTCOMES: "datasets_crimeoutcome",
    DataSetKind.POLICE_STOP_SEARCH: "datasets_stopsearch",
}


def _check_kind(kind: str, feed: str) -> None:
    if kind not in DataSetKind.values:
        raise ServiceError(f"{kind!r} is not a kind of data set.", field="kind")
    if kind == DataSetKind.FEED:
        if feed not in all_feeds():
            raise ServiceError(
                f"There is no feed mapping called {feed!r}; the mappings are: "
                f"{', '.join(all_feeds())}.",
                field="feed",
            )
    elif feed:
        raise ServiceError("Only partner feeds name a feed mapping.", field="feed")


def dataset_create(
    *,
    actor: Any,
    partnership: Partnership | None,
    owner: Organisation,
    kind: str,
    title: str,
    feed: str = "",
    description: str = "",
    source: str = "",
    licence: str = "",
    attribution: str = "",
    classification: str = "OFFICIAL",
    handling_note: str = "",
    visibility: str = Visibility.PARTNERSHIP,
    period_start: date | None = None,
    period_end: date | None = None,
) -> DataSet:
    if actor is not None and not permissions.can_create_dataset(actor, partnership, owner.pk):
        raise PermissionDenied
    _check_kind(kind, feed)
    marking = classification_parse(classification, handling_note=handling_note)
    if not title.strip():
        raise ServiceError("Give the data set a title.", field="title")
    if visibility not in Visibility.values:
        raise ServiceError(f"{visibility!r} is not a visibility.", field="visibility")
    if period_start and period_end and period_start > period_end:
        raise ServiceError("The period must start before it ends.", field="period_end")
    if (
        partnership is not None
        and not partnership.member_organisations.filter(organisation=owner).exists()
    ):
        raise ServiceError(
            f"{owner.name} is not a member of {partnership.name}: only member organisations "
            "own the partnership's data sets.",
            field="owner",
        )
    if feed and not (licence or source):
        spec = all_feeds()[feed]
        source = source or spec.options.get("source", "")
        licence = licence or spec.options.get("licence", "")
    with transaction.atomic():
        dataset = DataSet.objects.create(
            partnership=partnership,
            owner=owner,
            kind=kind,
            feed=feed,
            title=title.strip(),
            description=description,
            source=source,
            licence=licence,
            attribution=attribution,
            classification=marking.classification,
            handling_note=marking.handling_note,
            visibility=visibility,
            period_start=period_start,
            period_end=period_end,
            created_by=actor,
            modified_by=actor,
        )
        audit_log(
            actor=actor,
            action="dataset.created",
            target=dataset,
            partnership=partnership,
            detail={"kind": kind, "feed": feed, "owner": owner.slug},
        )
    return dataset


def dataset_update(*, actor: Any, dataset: DataSet, **changes: Any) -> DataSet:
    if actor is not None and not permissions.can_edit_dataset(actor, dataset):
        raise PermissionDenied
    editable = {
        "title", "description", "source", "licence", "attribution", "visibility",
        "period_start", "period_end", "classification", "handling_note",
    }  # fmt: skip
    unknown = set(changes) - editable
    if unknown:
        raise ServiceError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if "classification" in changes or "handling_note" in changes:
        marking = classification_parse(
            changes.get("classification", dataset.classification),
            handling_note=changes.get("handling_note", dataset.handling_note),
        )
        changes["classification"] = marking.classification
        changes["handling_note"] = marking.handling_note
    before = {k: str(getattr(dataset, k)) for k in changes}
    with transaction.atomic():
        for name, value in changes.items():
            setattr(dataset, name, value)
        dataset.modified_by = actor
        dataset.save()
        audit_log(
            actor=actor,
            action="dataset.updated",
            target=dataset,
            partnership=dataset.partnership,
            detail={
                k: {"from": before[k], "to": str(v)}
                for k, v in changes.items()
                if before[k] != str(v)
            },
        )
    return dataset


def upload_dir() -> Path:
    path = Path(settings.DATASET_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_file_register(
    *,
    actor: Any,
    dataset: DataSet,
    path: Path,
    original_name: str,
    keep_in_place: bool = False,
    max_rejected: int = 0,
) -> DataFile:
    """Record a file for import. Uploaded files (and, unless told otherwise, files named on
    the command line) are copied into the upload folder, so the import can be re-run and
    the data file always points at what was imported."""
    return data_file_register_many(
        actor=actor,
        dataset=dataset,
        files=[(path, original_name)],
        keep_in_place=keep_in_place,
        max_rejected=max_rejected,
    )[0]


def data_file_register_many(
    *,
    actor: Any,
    dataset: DataSet,
    files: list[tuple[Path, str]],
    keep_in_place: bool = False,
    max_rejected: int = 0,
    start: bool = False,
) -> list[DataFile]:
    """Record several files (path, original name) for import into one data set, in one
    statement; as data_file_register. With start, they are recorded as importing from
    now: the caller imports them at once (data_file_import_many(..., started=True))."""
    if actor is not None and not permissions.can_upload(actor, dataset):
        raise PermissionDenied
    if max_rejected < 0:
        raise ServiceError(
            "The number of bad rows to skip cannot be negative.", field="max_rejected"
        )
    records = []
    now = timezone.now() if start else None
    for path, original_name in files:
        name = Path(original_name).name[:255] or "upload"
        if keep_in_place:
            stored = path.resolve()
        else:
            stored = upload_dir() / f"{uuid.uuid4().hex}-{name}"
            if path.resolve() != stored:
                shutil.copyfile(path, stored)
        records.append(
            DataFile(
                dataset=dataset,
                original_name=name,
                stored_path=str(stored),
                size=stored.stat().st_size if stored.exists() else 0,
                uploaded_by=actor,
                max_rejected=max_rejected,
                status=FileStatus.RUNNING if start else FileStatus.QUEUED,
                started_at=now,
            )
        )
    return DataFile.objects.bulk_create(records)


def data_file_upload(
    *, actor: Any, dataset: DataSet, upload: Any, max_rejected: int = 0
) -> DataFile:
    """Keep an uploaded file (the page's or the API's) and queue its import."""
    if actor is not None and not permissions.can_upload(actor, dataset):
        raise PermissionDenied
    size = upload.size or 0
    if size == 0:
        raise ServiceError("The file is empty.", field="file")
    if size > settings.DATASET_MAX_FILE_MB << 20:
        limit = settings.DATASET_MAX_FILE_MB
        raise ServiceError(
            f"The file is {size / 2**20:,.0f} MB; the limit is {limit:,} MB.", field="file"
        )
    name = Path(upload.name or "upload").name[:200] or "upload"
    target = upload_dir() / f"{uuid.uuid4().hex}-{name}"
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    data_file = data_file_register(
        actor=actor,
        dataset=dataset,
        path=target,
        original_name=name,
        keep_in_place=True,
        max_rejected=max_rejected,
    )
    data_file_enqueue(actor=actor, data_file=data_file)
    data_file.refresh_from_db()
    return data_file


def progress_key(data_file_id: int) -> str:
    return f"datasets:progress:{data_file_id}"


def data_file_import(
    *, data_file: DataFile, progress: pipeline.Progress | None = None, **options: Any
) -> pipeline.Outcome:
    """Run the import now (the command line, the task worker and tests use this)."""

    def report(stage: str, done: int, total: int) -> None:
        cache.set(progress_key(data_file.pk), {"stage": stage, "done": done, "total": total}, 3600)
        if progress is not None:
            progress(stage, done, total)

    outcome = pipeline.run(data_file, progress=report, **options)
    cache.delete(progress_key(data_file.pk))
    return outcome


def data_file_import_many(
    *,
    data_files: list[DataFile],
    progress: pipeline.Progress | None = None,
    started: bool = False,
    **options: Any,
) -> list[pipeline.Outcome]:
    """Import several files now, as one batch: each file is still all or nothing, but the
    files the fast path takes share one transaction, one summary query and one commit.
    started: the files were registered as importing from now (register_many's start)."""
    outcomes = pipeline.run_batch(data_files, progress=progress, started=started, **options)
    for data_file in data_files:
        cache.delete(progress_key(data_file.pk))
    return outcomes


def data_file_enqueue(*, actor: Any, data_file: DataFile) -> DataFile:
    """Queue the import for the task worker; the page follows its progress."""
    from .tasks import import_data_file

    if actor is not None and not permissions.can_upload(actor, data_file.dataset):
        raise PermissionDenied
    result = import_data_file.enqueue(data_file.pk)
    data_file.task_id = str(result.id)
    data_file.save(update_fields=["task_id"])
    audit_log(
        actor=actor,
        action="dataset.file_queued",
        target=data_file,
        partnership=data_file.dataset.partnership,
        detail={"file": data_file.original_name},
    )
    return data_file


STALLED_AFTER = timedelta(minutes=15)


def data_file_progress(*, data_file: DataFile) -> dict[str, Any]:
    state = cache.get(progress_key(data_file.pk)) or {}
    total = state.get("total") or 0
    done = state.get("done") or 0
    percent = min(100, int(100 * done / total)) if total else None
    # An import whose worker stopped (killed, machine restarted) leaves the file "running"
    # with nothing kept; say so instead of promising progress that will not come.
    since = data_file.started_at or data_file.created_at
    stalled = (
        not data_file.finished
        and not state
        and since is not None
        and timezone.now() - since > STALLED_AFTER
    )
    return {
        "stage": state.get("stage", ""),
        "done": done,
        "total": total,
        "percent": percent,
        "stalled": stalled,
    }


def data_file_delete(*, actor: Any, data_file: DataFile) -> None:
    """Remove a file and every record it brought; the audit trail keeps the fact."""
    dataset = data_file.dataset
    if actor is not None and not permissions.can_upload(actor, dataset):
        raise PermissionDenied
    if not data_file.finished:
        raise ServiceError("This file is still being imported; wait until it finishes.")
    with transaction.atomic():
        removed = 0
        table = FACT_TABLES.get(dataset.kind)  # type: ignore[call-overload]
        if table:
            removed = checks.delete_rows(
                table, data_file.pk, data_file.first_row_id, data_file.last_row_id
            )
        audit_log(
            actor=actor,
            action="dataset.file_deleted",
            target=data_file,
            partnership=dataset.partnership,
            detail={"file": data_file.original_name, "records": removed or data_file.imported},
        )
        data_file.delete()
        if dataset.kind in {
            DataSetKind.CENSUS2011_POPULATION,
            DataSetKind.LSOA_BOUNDARIES,
            DataSetKind.WARD_BOUNDARIES,
            DataSetKind.LA_BOUNDARIES,
        }:
            placement_refresh()
    stored = Path(data_file.stored_path)
    if stored.is_file() and stored.parent == upload_dir():
        stored.unlink()


def dataset_request_clearance(*, actor: Any, dataset: DataSet, note: str = "") -> DataSet:
    if actor is not None and not permissions.can_request_clearance(actor, dataset):
        raise PermissionDenied
    with transaction.atomic():
        dataset.clearance = Clearance.REQUESTED
        dataset.clearance_note = note
        dataset.clearance_by = None
        dataset.clearance_at = None
        dataset.save()
        audit_log(
            actor=actor,
            action="dataset.clearance_requested",
            target=dataset,
            partnership=dataset.partnership,
            detail={"note": note[:300]},
        )
    return dataset


def dataset_decide_clearance(
    *, actor: Any, dataset: DataSet, cleared: bool, note: str = ""
) -> DataSet:
    """The owning organisation clears (or does not clear) its data for publication."""
    if actor is not None and not permissions.can_decide_clearance(actor, dataset):
        raise PermissionDenied
    if not cleared and not note.strip():
        raise ServiceError(
            "Say why the data cannot be published, so the authors can act.", field="note"
        )
    with transaction.atomic():
        dataset.clearance = Clearance.CLEARED if cleared else Clearance.REFUSED
        dataset.clearance_note = note
        dataset.clearance_by = actor
        dataset.clearance_at = timezone.now()
        dataset.save()
        audit_log(
            actor=actor,
            action="dataset.cleared" if cleared else "dataset.clearance_refused",
            target=dataset,
            partnership=dataset.partnership,
            detail={"note": note[:300]},
        )
    return dataset


# -- placing LSOAs ------------------------------------------------------------------------


def placement_refresh() -> int:
    """Rebuild where every known LSOA sits: MSOA and local authority (2011 Census look-up,
    then the 2019 local authorities of the Indices of Deprivation), an interior point (LSOA
    boundaries), the ward containing that point (ward boundaries), and the community safety
    partnership and force area of its local authority (the area tree)."""
    import numpy as np

    from .ingest.spatial import locate_points

    rows: dict[str, dict[str, Any]] = {}

    def row(code: str) -> dict[str, Any]:
        return rows.setdefault(code, {"lsoa_code": code})

    for census in CensusPopulation.objects.order_by("data_file_id").values(
        "lsoa_code", "lsoa_name", "msoa_code", "msoa_name", "lad_code", "lad_name", "residents"
    ):
        row(census["lsoa_code"]).update({k: v for k, v in census.items() if v not in (None, "")})
    for model in (Imd2019Rank, Imd2019Domains):
        for iod in model.objects.values("lsoa_code", "lsoa_name", "lad_code", "lad_name"):
            target = row(iod["lsoa_code"])
            target.setdefault("lsoa_name", iod["lsoa_name"])
            if iod["lad_code"]:
                target["lad_code"], target["lad_name"] = iod["lad_code"], iod["lad_name"]
    for code, lon, lat in Boundary.objects.filter(kind=BoundaryKind.LSOA).values_list(
        "code", "point_lon", "point_lat"
    ):
        row(code).update(point_lon=lon, point_lat=lat)
    for area in Area.objects.filter(kind=AreaKind.LSOA).select_related("parent__parent"):
        target = row(area.code)
        target.setdefault("lsoa_name", area.name)
        msoa = area.parent
        if msoa is not None and msoa.kind == AreaKind.MSOA:
            target.setdefault("msoa_code", msoa.code)
            target.setdefault("msoa_name", msoa.name)
            lad = msoa.parent
            if lad is not None and lad.kind == AreaKind.LOCAL_AUTHORITY:
                target.setdefault("lad_code", lad.code)
                target.setdefault("lad_name", lad.name)

    wards = list(
        Boundary.objects.filter(kind=BoundaryKind.WARD).values_list("code", "name", "geometry")
    )
    if wards and rows:
        import shapely

        polygons = [shapely.from_wkb(bytes(g)) for _, _, g in wards]
        codes = list(rows)
        lons = np.array([rows[c].get("point_lon", np.nan) or np.nan for c in codes], dtype=float)
        lats = np.array([rows[c].get("point_lat", np.nan) or np.nan for c in codes], dtype=float)
        names = {code: name for code, name, _ in wards}
        for code, ward in zip(
            codes, locate_points(lons, lats, polygons, [w[0] for w in wards]), strict=True
        ):
            if ward is not None:
                rows[code].update(ward_code=ward, ward_name=names[ward])

    local_authorities = {
        a.code: a
        for a in Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY).select_related("parent")
    }
    csp_by_lad: dict[str, Area] = {}
    for csp in Area.objects.filter(kind=AreaKind.CSP).select_related("parent"):
        if csp.parent is not None and csp.parent.kind == AreaKind.LOCAL_AUTHORITY:
            csp_by_lad.setdefault(csp.parent.code, csp)
    columns = [
        "lsoa_code", "lsoa_name", "msoa_code", "msoa_name", "lad_code", "lad_name",
        "ward_code", "ward_name", "csp", "force_area", "point_lon", "point_lat", "residents",
    ]  # fmt: skip
    text_columns = {
        "lsoa_name",
        "msoa_code",
        "msoa_name",
        "lad_code",
        "lad_name",
        "ward_code",
        "ward_name",
    }
    objects = []
    for values in rows.values():
        lad_code = values.get("lad_code", "")
        walker: Area | None = local_authorities.get(lad_code)
        force: Area | None = None
        while walker is not None:
            if walker.kind == AreaKind.FORCE_AREA:
                force = walker
                break
            walker = walker.parent
        csp_area = csp_by_lad.get(lad_code)
        values["csp"] = csp_area.pk if csp_area else None
        values["force_area"] = force.pk if force else None
        objects.append(
            tuple(
                (values.get(c) or "")[:120] if c in text_columns else values.get(c) for c in columns
            )
        )
    with transaction.atomic():
        LsoaPlacement.objects.all().delete()
        insert_rows(LsoaPlacement, columns, objects)
    return len(objects)


def stop_search_place(*, data_file: DataFile) -> int:
    """Stop and search rows carry coordinates but no LSOA: place each in the LSOA whose
    boundary contains it, where LSOA boundaries are loaded. Returns how many were placed."""
    import numpy as np
    import shapely

    from .ingest.spatial import locate_points

    first, last = data_file.first_row_id, data_file.last_row_id
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, longitude, latitude FROM datasets_stopsearch "
            "WHERE data_file_id = %s AND id BETWEEN %s AND %s AND longitude IS NOT NULL",
            [data_file.pk, first, last],
        )
        points = cursor.fetchall()
    if not points:
        return 0
    ids = [p[0] for p in points]
    lons = np.array([p[1] for p in points], dtype=float)
    lats = np.array([p[2] for p in points], dtype=float)
    west, east, south, north = lons.min(), lons.max(), lats.min(), lats.max()
    candidates = list(
        Boundary.objects.filter(
            kind=BoundaryKind.LSOA,
            max_lon__gte=west,
            min_lon__lte=east,
            max_lat__gte=south,
            min_lat__lte=north,
        ).values_list("code", "geometry")
    )
    if not candidates:
        return 0
    polygons = [shapely.from_wkb(bytes(g)) for _, g in candidates]
    found = locate_points(lons, lats, polygons, [c for c, _ in candidates])
    placed = [(code, row_id, data_file.pk) for code, row_id in zip(found, ids, strict=True) if code]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE datasets_stopsearch SET lsoa_code = %s WHERE id = %s AND data_file_id = %s",
            placed,
        )
    return len(placed)
