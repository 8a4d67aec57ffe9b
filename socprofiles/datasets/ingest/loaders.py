"""Writing rows into the database, fast where it matters.

Fast path (police.uk fact tables, a file exactly as published): the database parses the
file itself. PostgreSQL receives the bytes after the header through COPY (the text format
with commas where the file has no double quote and no backslash, which then reads the
same values as the CSV format, faster; the CSV format otherwise) with the file number
on each line (the text format) or in a transaction setting the table's default reads
(the CSV format); once a piece is sent, its lines are counted while the server parses
it. SQLite receives the rows through executemany
(empty values turned to NULL in SQL): a file with no double quote split on commas a
block of lines at a time, any other read by csv.reader; counted on the way. The tally
(counts by month, force, category and LSOA) is the file's summary, so the rows are never
read back; if the database and the tally disagree on the number of rows, or a line may be
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
from itertools import chain, repeat
from operator import methodcaller
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from .bulk import insert_rows
from .checks import Summary, Tally
from .errors import REPORT_LIMIT, ImportRefused, RowProblem
from .sources import Limits, Source, apply_scan, scan
from .specs import Mapper, TableSpec

BATCH = 5000

RowProgress = Callable[[int], None]

# COPY is sent a piece at a time, and each piece counted while the server parses it: a
# write returns once the socket has room, so a smaller piece keeps both sides busy.
PIECE = 1 << 17

TEXT_FORMAT = "FORMAT text, DELIMITER ',', NULL '', ENCODING 'UTF8'"


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
    (the general path's checks name what is wrong with the others: a compressed file's
    size once expanded, say). Lines over the length limit are found by FastLoads.load."""
    if not spec.target.startswith("datasets_") or source.format != "csv":
        return False
    if source.compression or source.repeated_headers:  # sent to COPY as it lies on disk
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
    number), summarised from the tally, or None where the tally cannot stand for the rows
    and the database must be asked (a file with double quotes, on PostgreSQL)."""

    after_id: int
    last_id: int
    summary: Summary | None


_SEQUENCES: dict[str, str] = {}


def _sequence(cursor: Any, table: str) -> str:
    if table not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        _SEQUENCES[table] = cursor.fetchone()[0]
    return _SEQUENCES[table]


def _pieces(source: Source) -> Iterator[bytes]:
    """The file's bytes after its header line (the first line), a piece at a time, as
    they lie on disk (fast_path_applies takes no compressed file, nor one with repeated
    headers)."""
    with source.path.open("rb") as handle:
        handle.seek(len(source.header_line))
        while piece := handle.read(PIECE):
            yield piece


def _count_sent(
    source: Source,
    copy: Any,
    tally: Tally | None,
    progress: RowProgress | None,
    prefix: bytes = b"",
) -> None:
    """Send the file's rows (no header) to COPY a piece of whole lines at a time, each
    line behind `prefix` if one is given, then measure the piece's lines (and count them,
    with a tally) while the server parses it. The part after a piece's last line end
    waits for the next piece, and so does that line end: each piece is sent as the line
    end before it, then its lines, the prefix put after each line end inside them."""
    pending = b""
    started = False  # lines were sent: the line end after the last of them is held back
    done = len(source.header_line)
    for piece in _pieces(source):
        data = pending + piece if pending else piece
        cut = data.rfind(b"\n")
        done += len(piece)
        if cut < 0:
            pending = data
            continue
        lines, pending = data[:cut], data[cut + 1 :]
        if lead := b"\n" + prefix if started else prefix:
            copy.write(lead)
        copy.write(lines.replace(b"\n", b"\n" + prefix) if prefix else lines)
        started = True
        if progress is not None:
            progress(done)
        _measure(lines, tally)
    if pending:  # a last line with no line end
        copy.write((b"\n" + prefix if started else prefix) + pending)
        _measure(pending, tally)
    elif started:
        copy.write(b"\n")  # the last line's end


def _measure(lines: bytes, tally: Tally | None) -> None:
    """Whole lines, between line ends (the last without its own): measured, and counted
    with a tally."""
    _lines_within_limit(lines)
    if tally is not None:
        tally.add_block(lines)


def _lines_within_limit(lines: bytes) -> None:
    """As _within_limit, for lines between line ends, without taking them apart: from
    each line's start, the next line end (or the end) must come within the limit. The
    last line end found in that reach is where the next search starts, so a block takes
    a few searches."""
    limit = Limits().max_line_bytes - 1
    start, end = 0, len(lines)
    while end - start > limit:
        found = lines.rfind(b"\n", start, start + limit + 1)
        if found < 0:
            raise ValueError("a line over the length limit: the general path names it")
        start = found + 1


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


def _copy_options(source: Source) -> str:
    """How COPY reads the file. With no double quote and no backslash anywhere, the text
    format, with commas between values and an empty value as NULL, reads exactly what
    the CSV format would (each value the bytes between commas), about a tenth faster.
    Otherwise the CSV format. The header line is never sent."""
    if source.quoted or source.backslash:
        return "FORMAT csv, ENCODING 'UTF8'"
    return TEXT_FORMAT


class FastLoads:
    """The fast loads of one batch, in turn, each file under a savepoint of its own (a
    failure undoes that file only): the database parses and type-checks each file, and
    its rows are tallied on the way (for the summary).

    On PostgreSQL a loaded file's savepoint stays open until the next file starts: it is
    released, and the file's last id read, in the round trip that opens the next one.
    close() does it for the last file; until then its last_id is not known."""

    def __init__(self) -> None:
        # The loaded file whose savepoint is open: (savepoint, id sequence, load).
        self._open: tuple[str, str, FastLoad] | None = None

    def load(
        self,
        spec: TableSpec,
        source: Source,
        data_file_id: int,
        progress: RowProgress | None = None,
    ) -> FastLoad:
        """Stream one file into its fact table. Raises if the database refuses a row, or
        if the tally and the database do not agree on how many rows there were."""
        if not source.scanned:  # how COPY reads it depends on what the scan saw
            apply_scan(source, scan(source.path))
        if source.longest_line > Limits().max_line_bytes:
            # Found before a byte is sent (a line across chunks would otherwise be held
            # whole in memory); the lines inside a chunk are measured as the file streams.
            raise ValueError("a line over the length limit: the general path names it")
        if connection.vendor == "postgresql":
            return self._copy_postgresql(spec, source, data_file_id, progress)
        with transaction.atomic():
            after, last, summary = _insert_sqlite(spec, source, data_file_id, progress)
        return _ended(FastLoad(after_id=after, last_id=last, summary=summary), last)

    def close(self) -> None:
        """Release the last file's savepoint and read its last id."""
        if self._open is not None:
            with connection.cursor() as cursor:
                self._release(cursor, "", [])

    def _release(self, cursor: Any, then: str, params: list[Any]) -> None:
        """Run `then`, after releasing the open file's savepoint and reading its last id in
        the same round trip if a file is open; the cursor is left at `then`'s first
        result."""
        if self._open is None:
            cursor.execute(then, params)
            return
        savepoint, sequence, load = self._open
        self._open = None
        cursor.execute(
            f"RELEASE SAVEPOINT {savepoint}; SELECT currval(%s); {then}", [sequence, *params]
        )
        cursor.cursor.nextset()
        _ended(load, int(cursor.fetchone()[0]))  # the session's last id: the file's last row
        if then:
            cursor.cursor.nextset()

    def _copy_postgresql(
        self, spec: TableSpec, source: Source, data_file_id: int, progress: RowProgress | None
    ) -> FastLoad:
        table = spec.target
        tally = Tally(table, spec.fields)
        summary: Summary | None = None
        savepoint = f"fast_file_{int(data_file_id)}"
        # In the text format each line is sent behind its file number, cheaper for the
        # server than the column's default (the transaction setting), which the CSV format
        # still uses: there a quoted value may hold a line end, so lines are not rows.
        options = _copy_options(source)
        inline = options == TEXT_FORMAT
        columns = ["data_file_id", *spec.fields] if inline else spec.fields
        with connection.cursor() as cursor:
            sequence = _sequence(cursor, table)
            # The savepoint, the file number for the table's default and the session's
            # next id in one round trip (the sequence hands each session blocks of ids, so
            # its own last value says nothing about ours: the file's ids come after this).
            self._release(
                cursor,
                f"SAVEPOINT {savepoint}; "
                "SELECT set_config('socprofiles.data_file', %s, true), nextval(%s)",
                [str(data_file_id), sequence],
            )
            cursor.cursor.nextset()
            after = int(cursor.fetchone()[1])
            try:
                with cursor.cursor.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN ({options})"
                ) as copy:
                    # PostgreSQL's CSV reader takes a double quote anywhere in a value as
                    # the start or end of a quoted part; Python's only at its start. The two
                    # could read different values from a line with one, so such a file's
                    # lines are only measured, and its rows summarised from what the
                    # database holds. Without a quote both read the same values, the bytes
                    # between commas.
                    counted = None if source.quoted else tally
                    prefix = f"{int(data_file_id)},".encode() if inline else b""
                    _count_sent(source, copy, counted, progress, prefix)
                    if counted is not None:  # folded while the server parses the last piece
                        summary = counted.fold()
                _agree(cursor.cursor.rowcount, summary)
            except BaseException:
                cursor.execute(f"ROLLBACK TO SAVEPOINT {savepoint}; RELEASE SAVEPOINT {savepoint}")
                raise
        load = FastLoad(after_id=after, last_id=after, summary=summary)
        self._open = (savepoint, sequence, load)
        return load


def _ended(load: FastLoad, last: int) -> FastLoad:
    """The load with its last id (after_id where no row came), and its summary's range."""
    load.last_id = last
    if load.summary is not None and load.summary.rows:
        load.summary.first_id, load.summary.last_id = load.after_id + 1, last
    return load


def _agree(copied: int, summary: Summary | None) -> None:
    if summary is not None and copied != summary.rows:
        raise ValueError(
            f"the database read {copied:,} rows and the tally {summary.rows:,}: not the same file"
        )


def _insert_sqlite(
    spec: TableSpec, source: Source, data_file_id: int, progress: RowProgress | None
) -> tuple[int, int, Summary | None]:
    import csv

    table = spec.target
    tally = Tally(table, spec.fields)
    after = _max_id(table)
    # An empty field is NULL, as PostgreSQL's COPY (FORMAT csv) reads it; a required
    # column then refuses it and the general path names the row.
    placeholders = ", ".join("NULLIF(?, '')" for _ in spec.fields)
    sql = (
        f"INSERT INTO {table} (data_file_id, {', '.join(spec.fields)}) "  # noqa: S608
        f"VALUES ({int(data_file_id)}, {placeholders})"
    )
    connection.ensure_connection()
    # The driver's own cursor: Django's wrapper peeks at the rows with itertools.tee,
    # which would keep the whole file in memory.
    raw = connection.connection.cursor()
    try:
        with source.text() as handle:

            def lines() -> Iterator[list[str]]:  # a block of lines at a time, measured
                while block := handle.readlines(1 << 16):
                    _within_limit(block)
                    yield block

            def report() -> None:  # bytes read so far, as on PostgreSQL
                if progress is not None:
                    progress(handle.buffer.tell())  # type: ignore[attr-defined]

            # A row too short for the fields counted stops the tally (IndexError), a
            # row too long the insert (its number of values).
            if source.quoted or source.repeated_headers:
                reader = csv.reader(chain.from_iterable(lines()))
                next(reader, None)
                rows: Iterable[list[str]] = reader
                if source.repeated_headers:
                    header = source.header
                    rows = (r for r in reader if r != header)
                raw.executemany(sql, tally.rows(rows, every=report))
            else:
                raw.executemany(sql, chain.from_iterable(_split_blocks(lines(), tally, report)))
    finally:
        raw.close()
    # One writer at a time (the transaction took the write lock): the new rows are the
    # ids after the old maximum, one each.
    last = _max_id(table)
    copied = last - after
    summary = tally.fold()
    _agree(copied, summary)
    return after, last, summary


def _split_blocks(
    blocks: Iterable[list[str]], tally: Tally, report: Callable[[], None]
) -> Iterator[list[list[str]]]:
    """The rows of a file with no double quote anywhere, a block of lines at a time: each
    line without its end, split on commas, which is what csv.reader reads from such a
    line (and about a third of its cost); tallied a block at a time. The header, the
    first line, is left out."""
    strip = methodcaller("rstrip", "\r\n")
    first = True
    for block in blocks:
        rows = list(map(str.split, map(strip, block[1:] if first else block), repeat(",")))
        first = False
        tally.add_rows(rows)
        report()
        yield rows


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
