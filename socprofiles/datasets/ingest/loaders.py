"""Writing rows into the database, fast where it matters.

Fast path (police.uk fact tables, a file exactly as published): the database parses the
file itself. PostgreSQL receives the bytes through COPY (FORMAT csv) with the file number
in a transaction setting the table's default reads; once a chunk is sent, its lines are
counted while the server parses it. SQLite receives csv.reader's rows through
executemany (empty values turned to NULL in SQL), counted on the way. The tally (counts
by month, force, category and LSOA) is the file's summary, so the rows are never read
back; if the database and the tally disagree on the number of rows, or a line may be
over the length limit, the file takes the general path.

General path (every other file, and any police.uk file the fast path cannot take): each
row is cleaned in Python, bad rows are reported, and good rows are written in batches.
Both paths end in the same checks of the summary (checks.py), so they accept the same
files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.apps import apps
from django.db import connection

from .bulk import insert_rows
from .checks import Tally
from .errors import REPORT_LIMIT, ImportRefused, RowProblem
from .sources import Limits, Source
from .specs import Mapper, TableSpec

BATCH = 5000

RowProgress = Callable[[int], None]


@dataclass
class LoadResult:
    rows_read: int = 0
    written: int = 0
    rejected: int = 0
    first_id: int | None = None
    last_id: int | None = None
    problems: list[RowProblem] = field(default_factory=list)
    summary: Any = None


# -- the fast path -----------------------------------------------------------------------


def fast_path_applies(spec: TableSpec, source: Source) -> bool:
    """Only an uncompressed CSV whose header is exactly the published one, in order, and
    whose lines are within the limit (the general path's checks name what is wrong with
    the others: a compressed file's size once expanded, a line too long)."""
    if not spec.target.startswith("datasets_") or source.format != "csv":
        return False
    if source.compression or source.longest_line > Limits().max_line_bytes:
        return False
    return [h.strip() for h in source.header] == [col.label for col in spec.columns]


def _max_id(table: str) -> int:
    """The highest id so far: O(1) on SQLite (the rowid's B-tree). Not used on PostgreSQL,
    where the table has no B-tree on id and the file number finds the rows instead."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {table}")  # noqa: S608 - table names are ours
        return int(cursor.fetchone()[0] or 0)


def _loaded(table: str, data_file_id: int, after: int, result: LoadResult) -> LoadResult:
    """Count what arrived, with the checks' summary of it (one pass over the new rows)."""
    from . import checks

    summary = checks.summarise(table, data_file_id, after)
    result.summary = summary
    result.written = summary.rows
    result.first_id, result.last_id = summary.first_id, summary.last_id
    if not result.rows_read:
        result.rows_read = summary.rows
    return result


@dataclass
class FastLoad:
    """What a fast load brought: its rows have ids above after_id and at most last_id
    (bounds: on PostgreSQL another import's rows may lie between, told apart by the file
    number), counted by the tally, or None where the tally cannot stand for the rows and
    the database must be asked (a file with double quotes, on PostgreSQL)."""

    after_id: int
    last_id: int
    tally: Tally | None


_SEQUENCES: dict[str, str] = {}


def _sequence(cursor: Any, table: str) -> str:
    if table not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        _SEQUENCES[table] = cursor.fetchone()[0]
    return _SEQUENCES[table]


def _sent(source: Source, copy: Any, progress: RowProgress | None) -> Iterator[bytes]:
    """Each chunk of the file's bytes, once COPY has it."""
    done = 0
    for chunk in source.iter_bytes_without_repeated_headers():
        copy.write(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)
        yield chunk


def _count_sent(source: Source, copy: Any, tally: Tally, progress: RowProgress | None) -> None:
    """Send each chunk of the file to COPY, then count its lines while the server parses
    it. A line is counted whole: the part after a chunk's last line end waits for the
    next chunk. The first line (the header) is not counted, as COPY skips it."""
    pending = b""
    first = True
    for chunk in _sent(source, copy, progress):
        data = pending + chunk
        cut = data.rfind(b"\n") + 1
        pending = data[cut:]
        lines = data[:cut].splitlines()
        _within_limit(lines)
        if first and lines:
            del lines[0]
            first = False
        tally.add_lines(lines)
    if pending:
        lines = pending.splitlines()
        _within_limit(lines)
        tally.add_lines(lines[1 if first else 0 :])


def _within_limit(lines: list[Any]) -> None:
    """A line that may be over the length limit sends the file to the general path, which
    measures it exactly and names it. (Line ends are off here; the general path counts a
    carriage return, so a line one short of the limit is already in doubt.) Text lines
    are measured in characters first, and in bytes only when they might be over."""
    if not lines:
        return
    limit = Limits().max_line_bytes - 1
    longest = max(map(len, lines))
    if isinstance(lines[0], str) and longest * 4 > limit:
        longest = max(len(line.encode("utf-8")) for line in lines if len(line) * 4 > limit)
    if longest > limit:
        raise ValueError(f"a line of {longest:,} bytes: the general path names it")


def fast_copy(
    spec: TableSpec, source: Source, data_file_id: int, progress: RowProgress | None = None
) -> FastLoad:
    """Stream the file into its fact table; the database parses and type-checks it, and
    the rows are tallied on the way (for the summary). Raises if the database refuses a
    row, or if the tally and the database do not agree on how many rows there were."""
    table = spec.target
    columns = ", ".join(spec.fields)
    tally = Tally(table, spec.fields)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sequence = _sequence(cursor, table)
            # The session's next ids come after this one (the sequence hands each session
            # blocks of ids, so the sequence's own last value says nothing about ours).
            cursor.execute(
                "SELECT set_config('socprofiles.data_file', %s, true), nextval(%s)",
                [str(data_file_id), sequence],
            )
            after = int(cursor.fetchone()[1])
            with cursor.cursor.copy(
                f"COPY {table} ({columns}) FROM STDIN (FORMAT csv, HEADER true, ENCODING 'UTF8')"
            ) as copy:
                if source.quoted:
                    # PostgreSQL's CSV reader takes a double quote anywhere in a value as
                    # the start or end of a quoted part; Python's only at its start. The
                    # two could read different values from the same line, so the rows
                    # are summarised from what the database holds instead.
                    for _ in _sent(source, copy, progress):
                        pass
                else:
                    # No quote: both read the same values, the bytes between commas.
                    _count_sent(source, copy, tally, progress)
            copied = cursor.cursor.rowcount
            last = after
            if copied:
                cursor.execute("SELECT currval(%s)", [sequence])
                last = int(cursor.fetchone()[0])
    else:
        import csv

        after = _max_id(table)
        # An empty field is NULL, as PostgreSQL's COPY (FORMAT csv) reads it; a required
        # column then refuses it and the general path names the row.
        placeholders = ", ".join("NULLIF(?, '')" for _ in spec.fields)
        sql = (
            f"INSERT INTO {table} (data_file_id, {columns}) "  # noqa: S608
            f"VALUES ({int(data_file_id)}, {placeholders})"
        )
        connection.ensure_connection()
        # The driver's own cursor: Django's wrapper peeks at the rows with itertools.tee,
        # which would keep the whole file in memory.
        raw = connection.connection.cursor()
        try:
            with source.text() as handle:

                def lines() -> Iterator[list[str]]:  # a block of lines at a time, measured
                    while block := handle.readlines(1 << 20):
                        _within_limit(block)
                        yield block

                reader = csv.reader(chain.from_iterable(lines()))
                next(reader, None)
                rows: Iterable[list[str]] = reader
                if source.repeated_headers:
                    header = source.header
                    rows = (r for r in reader if r != header)

                def report() -> None:  # bytes read so far, as on PostgreSQL
                    if progress is not None:
                        progress(handle.buffer.tell())  # type: ignore[attr-defined]

                # A row too short for the fields counted stops the tally (IndexError), a
                # row too long the insert (its number of values).
                raw.executemany(sql, tally.rows(rows, every=report))
        finally:
            raw.close()
        # One writer at a time (the transaction took the write lock): the new rows are the
        # ids after the old maximum, one each.
        last = _max_id(table)
        copied = last - after
    if connection.vendor == "postgresql" and source.quoted:
        return FastLoad(after_id=after, last_id=last, tally=None)
    if copied != tally.total:
        raise ValueError(
            f"the database read {copied:,} rows and the tally {tally.total:,}: not the same file"
        )
    return FastLoad(after_id=after, last_id=last, tally=tally)


# -- the general path --------------------------------------------------------------------


def cleaned_rows(
    spec: TableSpec,
    source: Source,
    *,
    max_rejected: int,
    progress: RowProgress | None = None,
    result: LoadResult,
) -> Iterator[list[Any]]:
    """Clean every row; collect problems; refuse the file once bad rows pass the limit."""
    mapper = Mapper(spec, source.header, source.name)
    for number, raw in source.rows():
        result.rows_read += 1
        values, problems = mapper.clean(number, raw)
        if problems:
            result.rejected += 1
            if len(result.problems) < REPORT_LIMIT:
                result.problems.extend(problems[: REPORT_LIMIT - len(result.problems)])
            if result.rejected > max_rejected:
                # Keep reading to count them all (cheaply), then refuse.
                continue
            continue
        if progress is not None and result.rows_read % BATCH == 0:
            progress(result.rows_read)
        if result.rejected > max_rejected:
            continue  # we will refuse the file; no point writing more
        yield values  # type: ignore[misc]
    if result.rejected > max_rejected:
        allowed = (
            "no bad rows are allowed"
            if max_rejected == 0
            else f"at most {max_rejected} may be skipped"
        )
        raise ImportRefused(
            f"{source.name}: {result.rejected:,} of {result.rows_read:,} rows are not valid "
            f"and {allowed}, so nothing was imported.",
            result.problems,
            bad_rows=result.rejected,
        )


def _batches(rows: Iterable[list[Any]], size: int = BATCH) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def general_load_fact(
    spec: TableSpec,
    source: Source,
    data_file_id: int,
    *,
    max_rejected: int,
    progress: RowProgress | None = None,
) -> LoadResult:
    table = spec.target
    result = LoadResult()
    before = _max_id(table) if connection.vendor == "sqlite" else 0
    columns = ["data_file_id", *spec.fields]
    rows = cleaned_rows(spec, source, max_rejected=max_rejected, progress=progress, result=result)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for values in rows:
                copy.write_row((data_file_id, *values))
    else:
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        with connection.cursor() as cursor:
            for batch in _batches(rows):
                cursor.executemany(sql, [(data_file_id, *v) for v in batch])
    return _loaded(table, data_file_id, before, result)


def _not_null_text_fields(model: Any) -> set[str]:
    from django.db import models

    return {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.null
    }


def general_load_orm(
    spec: TableSpec,
    source: Source,
    *,
    dataset: Any,
    data_file: Any,
    max_rejected: int,
    progress: RowProgress | None = None,
) -> LoadResult:
    """Reference tables by LSOA: one row per natural key per data set. A key an earlier
    file already brought is a duplicate and is left as it was; a key repeated within the
    file refuses the file. No INSERT OR IGNORE: on SQLite it would also swallow NOT NULL
    and CHECK failures, silently losing rows."""
    model = apps.get_model(spec.target.removeprefix("orm:"))
    result = LoadResult()
    rows = cleaned_rows(spec, source, max_rejected=max_rejected, progress=progress, result=result)
    key_index = [spec.fields.index(k) for k in spec.key]
    existing = set(model.objects.filter(dataset=dataset).values_list(*spec.key))
    blank_when_empty = _not_null_text_fields(model)
    seen: set[tuple[Any, ...]] = set()
    for batch in _batches(rows):
        objects = []
        for values in batch:
            key = tuple(values[i] for i in key_index)
            if key in seen:
                raise ImportRefused(
                    f"{source.name}: {', '.join(spec.key)} {key[0] if len(key) == 1 else key} "
                    "appears twice in the file; each must be unique.",
                )
            seen.add(key)
            if key in existing:
                continue
            objects.append(
                (
                    dataset.pk,
                    data_file.pk,
                    *(
                        "" if v is None and name in blank_when_empty else v
                        for name, v in zip(spec.fields, values, strict=True)
                    ),
                )
            )
        insert_rows(model, ["dataset", "data_file", *spec.fields], objects)
    result.written = model.objects.filter(data_file=data_file).count()
    return result


def feed_key(values: dict[str, Any], key: tuple[str, ...]) -> str:
    payload = json.dumps([values.get(k) for k in key], default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def general_load_feed(
    spec: TableSpec,
    source: Source,
    *,
    dataset: Any,
    data_file: Any,
    max_rejected: int,
    progress: RowProgress | None = None,
) -> LoadResult:
    from socprofiles.datasets.models import FeedRecord

    result = LoadResult()
    rows = cleaned_rows(spec, source, max_rejected=max_rejected, progress=progress, result=result)
    lsoa_field = spec.lsoa_field
    area_field = spec.options.get("area_field")
    period_field = spec.options.get("period_field")
    key = spec.key or tuple(spec.fields)
    counts: dict[str, int] = {}
    existing = set(FeedRecord.objects.filter(dataset=dataset).values_list("natural_key", flat=True))
    for batch in _batches(rows):
        objects = []
        for values in batch:
            record = dict(zip(spec.fields, values, strict=True))
            base = feed_key(record, key)
            # Identical rows are kept apart by their order of appearance in the file.
            occurrence = counts.get(base, 0)
            counts[base] = occurrence + 1
            natural = (
                base if occurrence == 0 else feed_key({"k": base, "n": occurrence}, ("k", "n"))
            )
            if natural in existing:
                continue
            period = record.get(period_field) if period_field else None
            if isinstance(period, str) and len(period) == 7:  # a month
                from datetime import date

                period = date(int(period[:4]), int(period[5:7]), 1)
            objects.append(
                (
                    dataset.pk,
                    data_file.pk,
                    natural,
                    (record.get(lsoa_field) or "") if lsoa_field else "",
                    str(record.get(area_field) or "")[:12] if area_field else "",
                    period,
                    record,
                )
            )
        insert_rows(
            FeedRecord,
            ["dataset", "data_file", "natural_key", "lsoa_code", "area_code", "period", "values"],
            objects,
        )
    result.written = FeedRecord.objects.filter(data_file=data_file).count()
    return result
