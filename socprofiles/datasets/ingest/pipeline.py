"""Files into a data set: each file all of it or none of it.

open_source checks a file; its hash tells whether the data set already has it (then
nothing changes); a loader writes its rows. A file for the fast path is opened by its
header only, and read for its hash in another thread while the files before it load.
Files the fast path can take are loaded as a batch in one transaction, each under its own
savepoint, each summarised by its tally; the files' records, their audit events and the
commit are written once for the batch, and a file that fails its checks has its rows
removed, whole, and goes to the general path, which names each bad row. Every other file
runs in a transaction of its own. The checks, duplicate removal, counts and audit event
commit with the rows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from . import checks
from .errors import ImportRefused
from .loaders import (
    FastLoad,
    FastLoads,
    LoadResult,
    fast_path_applies,
    general_load_fact,
    general_load_feed,
    general_load_orm,
)
from .sources import Scan, Source, apply_scan, check, open_source, scan
from .specs import BUILT_IN, Mapper, TableSpec, guess_kind

if TYPE_CHECKING:
    from socprofiles.datasets.models import DataFile, DataSet

logger = logging.getLogger(__name__)

# stage, done, total (total 0 when unknown)
Progress = Callable[[str, int, int], None]

BOUNDARY_KINDS = {"lsoa_boundaries", "ward_boundaries", "la_boundaries"}


@dataclass
class Outcome:
    rows_read: int
    imported: int
    duplicates: int
    rejected: int
    seconds: float
    status: str

    def as_json(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _Pending:
    data_file: DataFile
    started: float
    spec: TableSpec | None = None
    source: Source | None = None
    outcome: Outcome | None = None
    fast: bool = True
    checked: bool = False  # against the files imported before (_Known.already_imported)
    options: dict[str, Any] = field(default_factory=dict)


def spec_for(dataset: DataSet) -> TableSpec:
    from .feeds import feed

    if dataset.kind == "feed":
        return feed(dataset.feed)
    if dataset.kind in BUILT_IN:
        return BUILT_IN[dataset.kind]
    raise ImportRefused(f"Data sets of kind {dataset.kind!r} are not imported from tables.")


def run(data_file: DataFile, *, progress: Progress | None = None, **options: Any) -> Outcome:
    """Import one stored file into its data set. Never raises for bad input: the data
    file records what happened."""
    return run_batch([data_file], progress=progress, **options)[0]


def run_batch(
    data_files: list[DataFile],
    *,
    progress: Progress | None = None,
    started: bool = False,
    **options: Any,
) -> list[Outcome]:
    """Import stored files (of one or more data sets), in order. Never raises for bad
    input: each data file records what happened to it. started: the files are already
    recorded as importing from now (registered so, to be imported at once)."""
    say = progress or (lambda stage, done, total: None)
    pending = _start(data_files, options, recorded=started)
    fast: list[_Pending] = []
    with _Scans() as scans:
        known = _Known(scans)
        for item in pending:
            _guard(item, partial(_prepare, item, say, known, fast))
        if fast:
            _guard_batch(fast, partial(_load_fast_batch, fast, say, known))
        for item in pending:
            if item.outcome is None:
                item.fast = False
                _guard(item, partial(_run_one, item, say, known))
    return [item.outcome for item in pending]  # type: ignore[misc]


def _start(
    data_files: list[DataFile], options: dict[str, Any], *, recorded: bool
) -> list[_Pending]:
    from socprofiles.datasets.models import DataFile, FileStatus

    # Files registered as importing from now need no statement of their own (a file
    # left "running" by a stopped worker, run again, is not one of them: its start is
    # recorded anew).
    waiting = [
        d
        for d in data_files
        if not (recorded and d.status == FileStatus.RUNNING and d.started_at is not None)
    ]
    if waiting:
        now = timezone.now()
        DataFile.objects.filter(pk__in=[d.pk for d in waiting]).update(
            status=FileStatus.RUNNING, started_at=now
        )
        for data_file in waiting:
            data_file.status, data_file.started_at = FileStatus.RUNNING, now
    started = time.perf_counter()
    return [_Pending(data_file=d, started=started, options=options) for d in data_files]


def must_stop(error: BaseException) -> bool:
    """The worker's own time limit (RQ raises it inside the job): it stops the import, and
    is never taken for a problem with the file (which would start the file again on the
    slower path, or record it as an ordinary failure)."""
    try:
        from rq.timeouts import BaseTimeoutException
    except ImportError:  # pragma: no cover - rq is installed with the platform
        return False
    return isinstance(error, BaseTimeoutException)


def _guard(item: _Pending, work: Callable[[], None]) -> None:
    try:
        work()
    except ImportRefused as refused:
        _record_failure(item, refused)
    except Exception as error:
        if must_stop(error):
            raise
        logger.exception("import of data file %s failed", item.data_file.pk)
        _record_failure(item, None)


def _guard_batch(items: list[_Pending], work: Callable[[], None]) -> None:
    """A failure of the batch as a whole (not of one file's checks) sends every file of it
    to the general path, one by one."""
    try:
        work()
    except Exception as error:
        if must_stop(error):
            raise
        logger.exception("batch import failed; the files are imported one by one")
        for item in items:  # whatever the batch recorded was rolled back with it
            item.outcome = None
            item.fast = False
            item.checked = False


def _storable(text: str) -> str:
    """A message quoting a file (a UTF-16 header, say) may hold NUL characters, which
    PostgreSQL cannot store: they are shown as \\0."""
    return text.replace("\x00", "\\0")


def _record_failure(item: _Pending, refused: ImportRefused | None) -> None:
    from socprofiles.datasets.models import DataFile, FileStatus

    data_file = item.data_file
    if refused is not None:
        data_file.status = FileStatus.REFUSED
        data_file.message = _storable(refused.message)
        data_file.report = [
            {k: _storable(v) if isinstance(v, str) else v for k, v in p.as_dict().items()}
            for p in refused.problems
        ]
        data_file.rejected = refused.bad_rows
    else:
        data_file.status = FileStatus.FAILED
        data_file.message = (
            "The import stopped on an unexpected error and nothing was kept. The platform "
            "team has the details in the log; try again, or tell them if it recurs."
        )
    data_file.imported = data_file.duplicates = 0  # whatever a rolled-back batch had set
    item.outcome = _finish(data_file, item.started)
    # Nothing of the file was kept: record what happened, outside the rolled-back work.
    DataFile.objects.filter(pk=data_file.pk).update(
        status=data_file.status,
        message=data_file.message,
        report=data_file.report,
        rejected=data_file.rejected,
        imported=0,
        duplicates=0,
        sha256=data_file.sha256,
        size=data_file.size,
        finished_at=data_file.finished_at,
        seconds=data_file.seconds,
    )
    action = "dataset.file_refused" if refused is not None else "dataset.file_failed"
    _audit(data_file, action, {"message": data_file.message[:300]})


def _finish(data_file: DataFile, started: float) -> Outcome:
    data_file.finished_at = timezone.now()
    data_file.seconds = time.perf_counter() - started
    return Outcome(
        rows_read=data_file.rows_read,
        imported=data_file.imported,
        duplicates=data_file.duplicates,
        rejected=data_file.rejected,
        seconds=data_file.seconds,
        status=data_file.status,
    )


def _audit(
    data_file: DataFile,
    action: str,
    detail: dict[str, Any],
    into: list[Any] | None = None,
) -> None:
    """Audit one file's outcome; with `into`, collect the event to write with others."""
    from socprofiles.audit.services import AuditEntry, audit_log_many

    dataset = data_file.dataset
    entry = AuditEntry(
        actor=data_file.uploaded_by,
        action=action,
        target=data_file,
        partnership=dataset.partnership,
        detail={
            "dataset": str(dataset.pk),
            "file": data_file.original_name,
            "sha256": data_file.sha256,
            **detail,
        },
    )
    if into is not None:
        into.append(entry)
    else:
        audit_log_many([entry])


# -- preparing: the checks before any row is written ----------------------------------------


def _prepare(item: _Pending, say: Progress, known: _Known, fast: list[_Pending]) -> None:
    data_file = item.data_file
    dataset = data_file.dataset
    if dataset.kind in BOUNDARY_KINDS:
        return  # read whole by their own loader, in _run_one
    spec = spec_for(dataset)
    source = open_source(
        Path(data_file.stored_path),
        name=data_file.original_name,
        sheet=spec.options.get("sheet"),
        progress=lambda done, total: say("checking", done, data_file.size),
        # Police.uk files may take the fast path, where the database checks every value.
        quick=spec.target.startswith("datasets_"),
    )
    item.spec, item.source = spec, source
    data_file.size = source.size
    if fast_path_applies(spec, source) and data_file.max_rejected == 0:
        # The published header, exactly: the kind is right. The file is read for its hash
        # in another thread while the files before it load; the batch checks it then.
        known.scans.submit(item)
        fast.append(item)
        return
    if known.already_imported(item):
        return
    _check_kind(spec, source)


class _Scans:
    """Files read for their hash (sources.scan) in one other thread, in order, while the
    files before them load on PostgreSQL: reading and hashing let go of the interpreter
    lock, and this process mostly waits for the server, so the work overlaps. The pool
    exists only for a batch that uses it."""

    def __init__(self) -> None:
        self.pool: ThreadPoolExecutor | None = None
        self.futures: dict[int, Future[Scan]] = {}

    def __enter__(self) -> _Scans:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, item: _Pending) -> None:
        from django.db import connection

        assert item.source is not None
        if connection.vendor != "postgresql":
            # SQLite works in this process, holding the lock almost throughout: a second
            # thread would only take turns with it (the file is read when its turn comes).
            return
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-scan")
        self.futures[id(item)] = self.pool.submit(scan, item.source.path)

    def apply(self, item: _Pending) -> None:
        """The file's hash (and what else the scan saw) on its source and record: the
        thread's result, or read now where none was asked for (a file opened quickly
        that goes to the general path)."""
        source = item.source
        assert source is not None
        if not source.sha256:
            future = self.futures.pop(id(item), None)
            apply_scan(source, future.result() if future is not None else scan(source.path))
        item.data_file.sha256 = source.sha256


class _Known:
    """Whether a file was imported before, into the same data set (by its hash), or
    given twice in this batch. The hashes of a data set's imported files are read once."""

    def __init__(self, scans: _Scans) -> None:
        self.scans = scans
        self.hashes: dict[Any, dict[str, int]] = {}
        self.seen: dict[tuple[Any, str], _Pending] = {}

    def already_imported(self, item: _Pending) -> bool:
        """Record the file as already imported (and say so) if it was."""
        from socprofiles.datasets.models import DataFile, FileStatus

        self.scans.apply(item)
        item.checked = True
        data_file = item.data_file
        dataset_id, sha256 = data_file.dataset_id, data_file.sha256
        if dataset_id not in self.hashes:
            self.hashes[dataset_id] = dict(
                DataFile.objects.filter(dataset_id=dataset_id, status=FileStatus.IMPORTED)
                .exclude(pk=data_file.pk)
                .values_list("sha256", "pk")
            )
        earlier_pk = self.hashes[dataset_id].get(sha256)
        earlier = DataFile.objects.filter(pk=earlier_pk).first() if earlier_pk else None
        twin = self.seen.get((dataset_id, sha256))
        if earlier is None and (twin is None or twin is item):
            self.seen[(dataset_id, sha256)] = item
            return False
        _already_imported(item, earlier, twin)
        return True


def _already_imported(item: _Pending, earlier: DataFile | None, twin: _Pending | None) -> None:
    from socprofiles.datasets.models import FileStatus

    data_file = item.data_file
    data_file.status = FileStatus.ALREADY_IMPORTED
    if earlier is not None:
        data_file.rows_read = data_file.duplicates = earlier.rows_read
        when = timezone.localtime(earlier.created_at)
        data_file.message = (
            f"This file was imported before ({earlier.original_name}, {when:%d %B %Y %H:%M}); "
            "nothing changed."
        )
        detail: dict[str, Any] = {"earlier": earlier.pk}
    else:
        data_file.message = "The same file was given twice; it was imported once."
        detail = {"earlier": twin.data_file.pk if twin else None}
    item.outcome = _finish(data_file, item.started)
    data_file.save()
    _audit(data_file, "dataset.file_already_imported", detail)


def _check_kind(spec: TableSpec, source: Source) -> None:
    try:
        Mapper(spec, source.header, source.name)
    except ImportRefused as refused:
        from .feeds import all_feeds

        known = {**BUILT_IN, **{f"feed:{k}": v for k, v in all_feeds().items()}}
        known.pop(spec.kind, None)
        other = guess_kind(source.header, known)
        if other is not None:
            raise ImportRefused(
                f"{source.name}: this looks like a {known[other].label} file, not "
                f"{spec.label}. Import it into a data set of that kind."
            ) from None
        raise refused from None


# -- the fast batch -----------------------------------------------------------------------


def _load_fast_batch(items: list[_Pending], say: Progress, known: _Known) -> None:
    from django.db import connection

    from socprofiles.audit.services import audit_log_many

    with transaction.atomic():
        loaded: list[tuple[_Pending, FastLoad]] = []
        loads = FastLoads()
        for item in items:
            spec, source = item.spec, item.source
            assert spec is not None and source is not None
            data_file = item.data_file
            if known.already_imported(item):
                continue
            try:  # under a savepoint: one file's failure is its own
                load = loads.load(
                    spec, source, data_file.pk, progress=_bytes_progress(say, data_file.size)
                )
                loaded.append((item, load))
            except Exception as error:  # the database refused a row: the general path says which
                if must_stop(error):
                    raise
                logger.info("fast path failed for %s: %s", source.name, error)
        loads.close()  # the last file's last id
        audits: list[Any] = []  # written together: one hold of the audit chain per batch
        saves: list[DataFile] = []  # and the files' records in one statement
        imported = _Imported()
        by_table: dict[str, list[tuple[_Pending, FastLoad]]] = {}
        for item, load in loaded:
            by_table.setdefault(item.spec.target, []).append((item, load))  # type: ignore[union-attr]
        for table, group in by_table.items():
            out_of_range = (
                checks.bad_coordinates(
                    table, [i.data_file.pk for i, _ in group], min(f.after_id for _, f in group)
                )
                if connection.vendor == "sqlite"
                else {}
            )
            untallied = [i.data_file.pk for i, f in group if f.summary is None]
            asked = (  # the files the tally cannot stand for: the database says
                checks.summarise_many(table, untallied, min(f.after_id for _, f in group))
                if untallied
                else {}
            )
            for item, load in group:
                first, last = load.after_id + 1, load.last_id
                summary = load.summary
                if summary is None:
                    summary = asked[item.data_file.pk]
                elif bad := out_of_range.get(item.data_file.pk, 0):
                    summary.problems.insert(0, f"{bad} coordinate(s) out of range")
                if summary.problems:
                    logger.info("fast path declined %s: %s", item.data_file, summary.problems[0])
                    checks.delete_rows(table, item.data_file.pk, first, last)
                    continue
                empty = summary.rows == 0
                result = LoadResult(
                    rows_read=summary.rows,
                    written=summary.rows,
                    first_id=None if empty else first,
                    last_id=None if empty else last,
                    summary=summary,
                )
                _complete(item, result, audits=audits, saves=saves, imported=imported)
        _save_all(saves)
        audit_log_many(audits)


# What an import writes on a data file's record (never who uploaded it, or its task).
_IMPORT_FIELDS = (
    "sha256", "size", "encoding", "status", "message", "report", "rows_read", "imported",
    "duplicates", "rejected", "out_of_area", "unplaced", "first_row_id", "last_row_id",
    "summary", "started_at", "finished_at", "seconds",
)  # fmt: skip


def _save_all(data_files: list[DataFile]) -> None:
    """Write each file's import fields, as one statement sent once with every file's values
    (Django's bulk_update builds a CASE per field and costs more than the saves)."""
    from django.db import connection

    from socprofiles.datasets.models import DataFile

    if not data_files:
        return
    meta = DataFile._meta
    fields = [f for f in meta.concrete_fields if f.name in _IMPORT_FIELDS]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "  # noqa: S608 - names are the model's
        + ", ".join(f"{quote(f.column)} = %s" for f in fields)
        + f" WHERE {quote(meta.pk.column)} = %s"
    )
    rows = [
        [f.get_db_prep_save(getattr(d, f.attname), connection) for f in fields] + [d.pk]
        for d in data_files
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _bytes_progress(say: Progress, total: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        say("importing", done, total)

    return report


# -- one file at a time ---------------------------------------------------------------------


def _run_one(item: _Pending, say: Progress, known: _Known) -> None:
    data_file = item.data_file
    dataset = data_file.dataset
    if dataset.kind in BOUNDARY_KINDS:
        item.outcome = _run_boundaries(
            data_file, Path(data_file.stored_path), say, item.started, **item.options
        )
        return
    spec, source = item.spec, item.source
    assert spec is not None and source is not None
    if not item.checked and known.already_imported(item):
        return
    with transaction.atomic():
        result = _load(spec, source, dataset, data_file, data_file.max_rejected, say)
        _complete(item, result)


def _load(
    spec: TableSpec,
    source: Source,
    dataset: DataSet,
    data_file: DataFile,
    max_rejected: int,
    say: Progress,
) -> LoadResult:
    """The general path: the full pre-pass (encoding, binary content, line lengths), then
    every row cleaned in Python."""
    check(source, progress=lambda done, total: say("checking", done, source.size))
    total = max(source.lines - 1, 0)

    def rows_done(done: int) -> None:
        say("importing", done, total)

    if spec.target.startswith("datasets_"):
        return general_load_fact(
            spec, source, data_file.pk, max_rejected=max_rejected, progress=rows_done
        )
    if spec.target == "feed":
        return general_load_feed(
            spec,
            source,
            dataset=dataset,
            data_file=data_file,
            max_rejected=max_rejected,
            progress=rows_done,
        )
    return general_load_orm(
        spec,
        source,
        dataset=dataset,
        data_file=data_file,
        max_rejected=max_rejected,
        progress=rows_done,
    )


class _Imported:
    """Within one batch: each data set's imported files and the (force, month) partitions
    they cover, read once (under the data set's lock) and kept up to date as the batch's
    own files complete."""

    def __init__(self) -> None:
        self.by_dataset: dict[Any, list[tuple[int, set[tuple[str, str]]]]] = {}

    def files(self, data_file: DataFile) -> list[tuple[int, set[tuple[str, str]]]]:
        from socprofiles.datasets.models import DataFile, FileStatus

        dataset_id = data_file.dataset_id
        if dataset_id not in self.by_dataset:
            _lock_dataset(dataset_id)
            others = (
                DataFile.objects.filter(dataset_id=dataset_id, status=FileStatus.IMPORTED)
                .exclude(pk=data_file.pk)
                .values_list("pk", "summary")
            )
            self.by_dataset[dataset_id] = [
                (pk, {tuple(p) for p in (summary or {}).get("partitions", [])})
                for pk, summary in others
            ]
        return self.by_dataset[dataset_id]

    def add(self, data_file: DataFile) -> None:
        partitions = {tuple(p) for p in (data_file.summary or {}).get("partitions", [])}
        self.files(data_file).append((data_file.pk, partitions))


def _complete(
    item: _Pending,
    result: LoadResult,
    audits: list[Any] | None = None,
    saves: list[DataFile] | None = None,
    imported: _Imported | None = None,
) -> None:
    """Inside the import's transaction: duplicates, counts, the record and the audit.
    With `saves`, the record is left for the caller to write (with others)."""
    from socprofiles.datasets.models import FileStatus

    data_file = item.data_file
    dataset = data_file.dataset
    spec = item.spec
    assert spec is not None
    data_file.encoding = item.source.encoding if item.source else ""
    data_file.rows_read = result.rows_read
    data_file.rejected = result.rejected
    data_file.report = [p.as_dict() for p in result.problems]
    data_file.first_row_id, data_file.last_row_id = result.first_id, result.last_id
    written = result.written
    duplicates = result.rows_read - result.rejected - written
    first = result.first_id
    if spec.target.startswith("datasets_") and first is not None:
        summary = result.summary or checks.summarise(spec.target, data_file.pk, first - 1)
        removed = _remove_duplicates(spec, data_file, summary, imported or _Imported())
        written -= removed
        duplicates += removed
        if removed:
            summary = checks.summarise(spec.target, data_file.pk, first - 1)
        data_file.summary = summary.as_json()
        _count_placement(data_file, dataset, summary.lsoa_counts)
    elif spec.target == "feed" or spec.target.startswith("orm:"):
        data_file.summary = {"rows": written}
        _count_feed_placement(data_file, dataset, spec)
    data_file.imported = written
    data_file.duplicates = duplicates
    data_file.status = FileStatus.IMPORTED
    data_file.message = _message(data_file)
    item.outcome = _finish(data_file, item.started)
    if saves is None:
        data_file.save()
    else:
        saves.append(data_file)
    if imported is not None:
        imported.add(data_file)
    _after_import(spec, dataset, data_file)
    _audit(
        data_file,
        "dataset.file_imported",
        {
            "rows_read": data_file.rows_read,
            "imported": data_file.imported,
            "duplicates": data_file.duplicates,
            "rejected": data_file.rejected,
        },
        into=audits,
    )


def _remove_duplicates(
    spec: TableSpec, data_file: DataFile, summary: checks.Summary, imported: _Imported
) -> int:
    """Drop rows an earlier file of this data set already brought (overlapping months)."""
    mine = {tuple(p) for p in summary.partitions}
    overlapping: set[tuple[str, str]] = set()
    earlier: list[int] = []
    for pk, theirs in imported.files(data_file):
        common = mine & theirs
        if common:
            overlapping |= common  # type: ignore[arg-type]
            earlier.append(pk)
    if not earlier or data_file.first_row_id is None or data_file.last_row_id is None:
        return 0
    return checks.remove_duplicates(
        spec.target,
        data_file.pk,
        data_file.first_row_id,
        data_file.last_row_id,
        sorted(overlapping),
        earlier,
    )


def _lock_dataset(dataset_id: Any) -> None:
    """Files of one data set imported at the same time take turns from here to commit, so
    each sees the rows the other brought and duplicates are still found. (SQLite already
    runs one writer at a time.)"""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [str(dataset_id)]
            )


def _count_placement(data_file: DataFile, dataset: DataSet, lsoa_counts: dict[str, int]) -> None:
    from socprofiles.datasets.selectors import partnership_lsoa_codes

    data_file.unplaced = lsoa_counts.get("", 0)
    if dataset.partnership_id is None:
        data_file.out_of_area = 0
        return
    inside = partnership_lsoa_codes(partnership=dataset.partnership)  # type: ignore[arg-type]
    data_file.out_of_area = sum(n for code, n in lsoa_counts.items() if code and code not in inside)


def _count_feed_placement(data_file: DataFile, dataset: DataSet, spec: TableSpec) -> None:
    if not spec.lsoa_field or spec.target != "feed":
        return
    from django.db.models import Count

    from socprofiles.datasets.models import FeedRecord

    counts = dict(
        FeedRecord.objects.filter(data_file=data_file)
        .values_list("lsoa_code")
        .annotate(n=Count("id"))
        .values_list("lsoa_code", "n")
    )
    _count_placement(data_file, dataset, counts)


def _message(data_file: DataFile) -> str:
    parts = [f"{data_file.imported:,} of {data_file.rows_read:,} rows imported"]
    if data_file.duplicates:
        parts.append(f"{data_file.duplicates:,} already in this data set")
    if data_file.rejected:
        parts.append(f"{data_file.rejected:,} bad rows skipped (see the report)")
    if data_file.out_of_area:
        parts.append(f"{data_file.out_of_area:,} outside the partnership's area (kept, flagged)")
    if data_file.unplaced:
        parts.append(f"{data_file.unplaced:,} with no LSOA (kept, not placed)")
    return "; ".join(parts) + "."


def _after_import(spec: TableSpec, dataset: DataSet, data_file: DataFile) -> None:
    from socprofiles.datasets import services

    if spec.kind == "police_stop_search" and data_file.first_row_id is not None:
        placed = services.stop_search_place(data_file=data_file)
        data_file.unplaced = data_file.imported - placed
        data_file.message = _message(data_file)
        data_file.save(update_fields=["unplaced", "message"])
    if spec.kind in {"census2011_population", "imd2019_domains", "imd2019_rank"}:
        services.placement_refresh()


def _run_boundaries(
    data_file: DataFile, path: Path, say: Progress, started: float, **options: Any
) -> Outcome:
    import hashlib

    import shapely

    from socprofiles.datasets import services
    from socprofiles.datasets.models import Boundary, DataFile, FileStatus

    from .bulk import insert_rows
    from .sources import Limits
    from .spatial import read_boundaries

    dataset = data_file.dataset
    if not path.is_file():
        raise ImportRefused(f"{data_file.original_name}: there is no such file.")
    if path.stat().st_size > Limits.from_settings().max_bytes:
        raise ImportRefused(f"{data_file.original_name}: the file is larger than the limit.")
    kind = {
        "lsoa_boundaries": "lsoa",
        "ward_boundaries": "ward",
        "la_boundaries": "local_authority",
    }[dataset.kind]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    data_file.sha256 = digest.hexdigest()
    data_file.size = path.stat().st_size
    earlier = (
        DataFile.objects.filter(
            dataset=dataset, sha256=data_file.sha256, status=FileStatus.IMPORTED
        )
        .exclude(pk=data_file.pk)
        .first()
    )
    if earlier is not None:
        data_file.status = FileStatus.ALREADY_IMPORTED
        data_file.rows_read = data_file.duplicates = earlier.rows_read
        data_file.message = "This file was imported before; nothing changed."
        outcome = _finish(data_file, started)
        data_file.save()
        return outcome
    say("reading", 0, 0)
    features, info = read_boundaries(
        path,
        kind=kind,
        file_name=data_file.original_name,
        code_field=options.get("code_field"),
        name_field=options.get("name_field"),
    )
    say("importing", 0, len(features))
    with transaction.atomic():
        existing = set(
            Boundary.objects.filter(dataset=dataset, kind=kind).values_list("code", flat=True)
        )
        rows = []
        for feature in features:
            if feature.code in existing:
                continue
            existing.add(feature.code)
            geometry = feature.geometry
            minx, miny, maxx, maxy = geometry.bounds
            point = geometry.representative_point()
            rows.append(
                (
                    dataset.pk, data_file.pk, kind, feature.code, feature.name[:120],
                    shapely.to_wkb(geometry), minx, miny, maxx, maxy, point.x, point.y,
                )
            )  # fmt: skip
        insert_rows(
            Boundary,
            [
                "dataset", "data_file", "kind", "code", "name", "geometry", "min_lon",
                "min_lat", "max_lon", "max_lat", "point_lon", "point_lat",
            ],
            rows,
        )  # fmt: skip
        written = len(rows)
        data_file.rows_read = len(features)
        data_file.imported = written
        data_file.duplicates = len(features) - written
        data_file.summary = {"rows": written, **info}
        data_file.status = FileStatus.IMPORTED
        data_file.message = (
            f"{written:,} boundaries imported from {info['crs']} (codes from column "
            f"{info['code_field']!r}, names from {info['name_field']!r})"
            + (
                f"; {data_file.duplicates:,} already in this data set"
                if data_file.duplicates
                else ""
            )
            + "."
        )
        outcome = _finish(data_file, started)
        data_file.save()
        services.placement_refresh()
        _audit(data_file, "dataset.file_imported", {"imported": written, "kind": kind})
    return outcome
