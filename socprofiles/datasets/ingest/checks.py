"""Set-based checks and summaries of the rows a file brought into a fact table.

A summary holds the distinct months, forces, categories and LSOA codes of a file's rows
with their counts. Checking those distinct values in Python validates every row at the
cost of a few thousand groups; any doubt sends the file down the general path, which
names each bad row. The same summary gives the counts by month and type that the data
file records. The fast path tallies it as the rows stream to the database (Tally); the
general path, and a file whose duplicates were removed, ask the database (summarise).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_LSOA = re.compile(r"^[EW]01\d{6}$")

# fact table -> (category column, month expression)
_SHAPE = {
    "datasets_streetcrime": ("crime_type", "month"),
    "datasets_crimeoutcome": ("outcome_type", "month"),
    "datasets_stopsearch": ("object_of_search", "substr(searched_at, 1, 7)"),
}

# fact table -> the fields a tally reads: month (and how many of its characters), force,
# category and LSOA (None where the table has none)
_TALLY: dict[str, tuple[str, int | None, str | None, str, str | None]] = {
    "datasets_streetcrime": ("month", None, "falls_within", "crime_type", "lsoa_code"),
    "datasets_crimeoutcome": ("month", None, "falls_within", "outcome_type", "lsoa_code"),
    "datasets_stopsearch": ("searched_at", 7, None, "object_of_search", None),
}


@dataclass
class Summary:
    rows: int = 0
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)
    partitions: list[list[str]] = field(default_factory=list)  # [falls_within, month]
    lsoa_counts: dict[str, int] = field(default_factory=dict)  # "" = no LSOA
    problems: list[str] = field(default_factory=list)
    first_id: int | None = None
    last_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "by_month": self.by_month,
            "partitions": self.partitions,
        }


class Tally:
    """Counts of the rows of a file by (month, category, force) and by LSOA, kept as the
    rows stream past on their way to the database: the fast path's summary without
    reading the rows back. Blocks of lines (PostgreSQL) and of rows (SQLite) are
    counted in C-level loops (slices or map, itemgetter, Counter), rows read by
    csv.reader as executemany draws them. A row too short for the fields counted raises
    IndexError."""

    def __init__(self, table: str, fields: list[str]) -> None:
        month, chars, force, category, lsoa = _TALLY[table]
        self.table = table
        self.chars = chars
        # Two counts, not one by all four fields: the groups of each are a few dozen and
        # a few hundred, where their combinations are thousands to fold.
        picked = [fields.index(month), fields.index(category)]
        if force is not None:
            picked.append(fields.index(force))
        self._key = itemgetter(*picked)  # (month, category[, force])
        self._lsoa = itemgetter(fields.index(lsoa)) if lsoa is not None else None
        self._picked = picked
        self._lsoa_at = fields.index(lsoa) if lsoa is not None else None
        self._width = len(fields)
        counted = [*picked, *([] if self._lsoa_at is None else [self._lsoa_at])]
        # A block is split at commas alone where neither a line's first value nor its last
        # is counted (a street file): a line's last value and the next line's first then
        # stay joined, uncounted, carriage return and all. Otherwise at line ends too, and
        # a carriage return is taken off where the last value is counted (an outcome's
        # type).
        self._joined = min(counted) > 0 and max(counted) < self._width - 1
        self._last_counted = max(counted) == self._width - 1
        self.counts: Counter[tuple[Any, ...]] = Counter()
        self.lsoas: Counter[Any] = Counter()

    def rows(
        self, rows: Iterable[Sequence[str]], every: Callable[[], None] | None = None
    ) -> Iterator[Sequence[str]]:
        """Pass rows already split into fields (csv.reader's, for a file with double
        quotes) through, counting each; `every` is called each 5,000 rows. (A file without
        them is split and counted a block at a time instead: add_rows.)"""
        counts, key, lsoas, lsoa = self.counts, self._key, self.lsoas, self._lsoa
        get, get_lsoa = counts.get, lsoas.get
        for n, row in enumerate(rows, 1):
            group = key(row)
            counts[group] = get(group, 0) + 1
            if lsoa is not None:
                code = lsoa(row)
                lsoas[code] = get_lsoa(code, 0) + 1
            if every is not None and not n % 5_000:
                every()
            yield row

    def add_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Count rows already split into fields (text, or bytes), in C-level loops."""
        self.counts.update(map(self._key, rows))
        if self._lsoa is not None:
            self.lsoas.update(map(self._lsoa, rows))

    def add_block(self, data: bytes) -> None:
        """Count whole lines (between line ends, the last without its own) of a CSV file
        without a double quote anywhere, so that each field is exactly the bytes between
        commas, as PostgreSQL's COPY reads it. The block is split once (see __init__) and
        each field counted is every n-th value: no object per line but the keys. This
        holds only if every line has as many values as the file has columns, which COPY
        checks line by line: a tally of lines COPY refused is never used. The summary
        decodes the values."""
        width = self._width
        if self._joined:
            values = data.split(b",")
            step = width - 1  # the values a line adds: one is shared with the next line
            whole = len(values) >= width and not (len(values) - 1) % step
        else:
            if self._last_counted and b"\r" in data:
                data = data.replace(b"\r\n", b"\n").removesuffix(b"\r")
            values = data.replace(b"\n", b",").split(b",")
            step = width
            whole = not len(values) % width
        if not whole:
            raise ValueError("a line with too few or too many values: the general path names it")
        columns = [values[at::step] for at in self._picked]  # month, category[, force]
        if all(_constant(column) for i, column in enumerate(columns) if i != 1):
            # One month (and force) in the block, as in a month's file: counted by
            # category alone, without a key per line.
            for category, n in Counter(columns[1]).items():
                key = (columns[0][0], category, *(c[0] for c in columns[2:]))
                self.counts[key] += n
        else:
            self.counts.update(zip(*columns, strict=True))
        if self._lsoa_at is not None:
            self.lsoas.update(values[self._lsoa_at :: step])

    def fold(self) -> Summary:
        """The summary the database would give for these rows (summarise), but for their
        ids (first_id, last_id), which the caller sets once the database has them all."""
        category, has_lsoa = _TALLY[self.table][3], self._lsoa is not None
        builder = _Builder(has_lsoa, category)

        # Bytes (the lines PostgreSQL's COPY read) become text: UTF-8, as the database
        # has already checked, or checks as this runs.
        def text(value: Any) -> str:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value

        by_category: Counter[tuple[str, str, str]] = Counter()
        for key, n in self.counts.items():
            force = text(key[2]) if len(key) > 2 else ""
            # The month of a date and time (stop and search) is its first characters.
            by_category[(text(key[0])[: self.chars], force, text(key[1]))] += n
        for (month, force, kind), n in by_category.items():
            builder.add(month, force, kind, None, 0, n, 0, 0)
        if has_lsoa:
            for lsoa, n in self.lsoas.items():
                builder.add(None, None, None, text(lsoa), 1, n, 0, 0)
        return builder.finish()


def _constant(column: list[Any]) -> bool:
    """Every value the same (the first and last compared first, the cheap refusal)."""
    first = column[0]
    return first == column[-1] and column.count(first) == len(column)


def bad_coordinates(table: str, data_file_ids: list[int], after_id: int) -> dict[int, int]:
    """SQLite only: rows whose coordinates are not numbers in range, by file. SQLite keeps
    text that does not read as a number as text, even in a REAL column, and has no CHECK
    constraints here (they cost more than the load); PostgreSQL's types and constraints
    refuse such rows as they arrive."""
    marks = ", ".join(["%s"] * len(data_file_ids))
    # SQLite orders any text or blob after every number, so a value kept as text is never
    # BETWEEN two numbers and this one test finds it too; NULL (not published) passes.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT data_file_id, count(*) FROM {table}
                WHERE data_file_id IN ({marks}) AND id > %s
                AND (longitude NOT BETWEEN -180 AND 180 OR latitude NOT BETWEEN -90 AND 90)
                GROUP BY 1""",  # noqa: S608 - names are ours
            [*data_file_ids, after_id],
        )
        return dict(cursor.fetchall())


def summarise(table: str, data_file_id: int, after_id: int = 0) -> Summary:
    return summarise_many(table, [data_file_id], after_id)[data_file_id]


def summarise_many(table: str, data_file_ids: list[int], after_id: int = 0) -> dict[int, Summary]:
    """Two small aggregates per file over the new rows, in one pass for all the files:
    counts, id range and coordinate ranges by month, force and category (a few dozen
    groups), and counts by LSOA (a few hundred). after_id bounds the search on SQLite (a
    rowid range); on PostgreSQL the BRIN index on the file number finds the rows."""
    category, month_expr = _SHAPE[table]
    has_lsoa = table != "datasets_stopsearch"
    force = "falls_within" if has_lsoa else "''"
    lsoa = "lsoa_code" if has_lsoa else "NULL"
    marks = ", ".join(["%s"] * len(data_file_ids))
    where = f"WHERE data_file_id IN ({marks}) AND id > %s"
    params = [*data_file_ids, after_id]
    # Coordinates were type- and range-checked by the table's constraints as they arrived.
    aggregates = "count(*), min(id), max(id)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One pass over the new rows, through the BRIN index: the planner, without
            # fresh statistics, would otherwise scan the table, in parallel.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            # GROUPING(category) is 0 on the category rows and 1 on the LSOA rows.
            by_force = f"{force}, " if has_lsoa else ""
            by_lsoa = f", {lsoa}" if has_lsoa else ""
            cursor.execute(
                f"""SELECT data_file_id, {month_expr}, {force}, {category}, {lsoa},
                           GROUPING({category}), {aggregates}
                    FROM {table} {where}
                    GROUP BY GROUPING SETS (
                        (data_file_id, {month_expr}, {by_force}{category}),
                        (data_file_id{by_lsoa}))""",  # noqa: S608 - names are ours
                params,
            )
            rows = cursor.fetchall()
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET max_parallel_workers_per_gather")
        else:
            cursor.execute(
                f"""SELECT data_file_id, {month_expr}, {force}, {category}, NULL, 0, {aggregates}
                    FROM {table} {where} GROUP BY 1, 2, 3, 4
                    UNION ALL
                    SELECT data_file_id, NULL, NULL, NULL, {lsoa}, 1, {aggregates}
                    FROM {table} {where} GROUP BY 1, 5""",  # noqa: S608 - names are ours
                params + params,
            )
            rows = cursor.fetchall()
    builders = {file_id: _Builder(has_lsoa, category) for file_id in data_file_ids}
    if connection.vendor == "sqlite":
        for file_id, count in bad_coordinates(table, data_file_ids, after_id).items():
            builders[file_id].summary.problems.append(f"{count} coordinate(s) out of range")
    for file_id, *values in rows:
        builders[file_id].add(*values)
    return {file_id: builder.finish() for file_id, builder in builders.items()}


class _Builder:
    def __init__(self, has_lsoa: bool, category: str) -> None:
        self.has_lsoa = has_lsoa
        self.category = category
        self.summary = Summary()
        self.by_month: dict[str, dict[str, int]] = defaultdict(dict)
        self.partitions: set[tuple[str, str]] = set()

    def add(
        self, month: Any, falls_within: Any, kind: Any, lsoa_code: Any, by_lsoa: int,
        n: int, low: int, high: int,
    ) -> None:  # fmt: skip
        summary = self.summary
        if by_lsoa:  # the counts by LSOA
            if lsoa_code and not _LSOA.match(lsoa_code):
                summary.problems.append(f"LSOA code {lsoa_code!r}")
            if self.has_lsoa:  # NULL and "" (a quoted empty value) are both "no LSOA"
                key = lsoa_code or ""
                summary.lsoa_counts[key] = summary.lsoa_counts.get(key, 0) + n
            return
        summary.rows += n
        summary.first_id = low if summary.first_id is None else min(summary.first_id, low)
        summary.last_id = high if summary.last_id is None else max(summary.last_id, high)
        month = month or ""
        if not _MONTH.match(month):
            summary.problems.append(f"month {month!r}")
        if (kind is None or str(kind).strip() == "") and self.has_lsoa:
            summary.problems.append(f"empty {self.category}")
        types = self.by_month[month]
        types[kind or ""] = types.get(kind or "", 0) + n
        self.partitions.add((falls_within or "", month))

    def finish(self) -> Summary:
        summary = self.summary
        if not self.has_lsoa:
            summary.lsoa_counts[""] = summary.rows
        summary.by_month = {m: dict(sorted(t.items())) for m, t in sorted(self.by_month.items())}
        summary.partitions = [list(p) for p in sorted(self.partitions)]
        return summary


def remove_duplicates(
    table: str,
    data_file_id: int,
    first_id: int,
    last_id: int,
    overlapping: list[tuple[str, str]],
    earlier_files: list[int],
) -> int:
    """Rows of this file already brought by an earlier file of the same data set, in the
    (force, month) partitions both cover: crimes by their Crime ID; rows without an ID
    (anti-social behaviour) cannot be matched one by one, so in an overlapping partition
    they are all taken as already there."""
    if not overlapping or not earlier_files:
        return 0
    removed = 0
    placeholders = ", ".join(["%s"] * len(earlier_files))
    with connection.cursor() as cursor:
        for falls_within, month in overlapping:
            if table == "datasets_stopsearch":
                cursor.execute(
                    f"""DELETE FROM {table} WHERE data_file_id = %s AND id BETWEEN %s AND %s
                    AND substr(searched_at, 1, 7) = %s""",  # noqa: S608
                    [data_file_id, first_id, last_id, month],
                )
                removed += cursor.rowcount
                continue
            key = (
                "crime_id" if table == "datasets_streetcrime" else "crime_id || '|' || outcome_type"
            )
            cursor.execute(
                f"""DELETE FROM {table} WHERE data_file_id = %s AND id BETWEEN %s AND %s
                AND coalesce(falls_within, '') = %s AND month = %s
                AND (crime_id IS NULL OR {key} IN (
                    SELECT {key} FROM {table} WHERE data_file_id IN ({placeholders})
                    AND coalesce(falls_within, '') = %s AND month = %s
                    AND crime_id IS NOT NULL))""",  # noqa: S608
                [
                    data_file_id,
                    first_id,
                    last_id,
                    falls_within,
                    month,
                    *earlier_files,
                    falls_within,
                    month,
                ],
            )
            removed += cursor.rowcount
    return removed


def delete_rows(table: str, data_file_id: int, first_id: int | None, last_id: int | None) -> int:
    if first_id is None or last_id is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE data_file_id = %s AND id BETWEEN %s AND %s",  # noqa: S608
            [data_file_id, first_id, last_id],
        )
        return int(cursor.rowcount)
