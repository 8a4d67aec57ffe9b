"""police.uk street crime, outcomes and stop and search, from the real published files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from django.db import connection

from conftest import World
from socprofiles.audit.services import audit_chain_verify
from socprofiles.datasets.models import DataFile, FileStatus, StreetCrime

from .conftest import STREET, import_files, import_one, make_dataset

pytestmark = pytest.mark.django_db

DURHAM = sorted(STREET.glob("2022-*-durham-street.csv"))


def _pandas_counts(path: Path) -> dict[str, dict[str, int]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    counts: dict[str, dict[str, int]] = {}
    for (month, kind), n in frame.groupby(["Month", "Crime type"]).size().items():
        counts.setdefault(month, {})[kind] = int(n)
    return counts


def _db_counts(data_file: DataFile) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    rows = (
        StreetCrime.objects.filter(data_file_id=data_file.pk)
        .values_list("month", "crime_type")
        .order_by()
    )
    for month, kind in rows:
        counts.setdefault(month, {})
        counts[month][kind] = counts[month].get(kind, 0) + 1
    return counts


def _durham_with(tmp_path: Path, name: str, cells: dict[int, str]) -> tuple[Path, int]:
    """March 2022 in Durham with some values of its fifth row replaced: the file and its
    number of rows."""
    lines = DURHAM[2].read_text(encoding="utf-8-sig").splitlines(keepends=True)
    values = lines[5].rstrip("\r\n").split(",")
    for at, value in cells.items():
        values[at] = value
    lines[5] = ",".join(values) + "\n"
    path = tmp_path / f"2022-03-durham-street-{name}.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path, len(lines) - 1


def _rows() -> int:
    return StreetCrime.objects.count()


@pytest.mark.parametrize(
    "name",
    [
        "2022-01-durham-street.csv",
        "2022-01-btp-street.csv",
        "2022-01-city-of-london-street.csv",
        "2022-01-northern-ireland-street.csv",
        "2022-08-greater-manchester-street.csv",
        "2018-01-avon-and-somerset-street.csv",
        "2018-01-bedfordshire-street.csv",
    ],
)
def test_street_files_import_and_match_what_pandas_reads(shared: Path, owner, name: str) -> None:  # type: ignore[no-untyped-def]
    path = STREET / name
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, path)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    expected = _pandas_counts(path)
    total = sum(n for months in expected.values() for n in months.values())
    assert data_file.rows_read == data_file.imported == total
    assert _db_counts(data_file) == expected
    assert data_file.summary["by_month"] == expected
    unplaced = int((pd.read_csv(path, dtype=str, keep_default_na=False)["LSOA code"] == "").sum())
    assert data_file.unplaced == unplaced
    assert audit_chain_verify().ok


def test_the_eleven_durham_months_import_as_one_batch(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("police_street", owner=owner)
    files = import_files(dataset, *DURHAM)
    assert [f.status for f in files] == [FileStatus.IMPORTED] * 11
    assert sum(f.imported for f in files) == 72262
    assert _rows() == 72262
    # Anti-social behaviour has no Crime ID and is kept as published.
    assert StreetCrime.objects.filter(crime_id__isnull=True).count() == 15920


def test_rows_outside_the_partnership_are_kept_and_flagged(shared: Path, world: World) -> None:
    from socprofiles.accounts.models import Area, AreaKind

    durham = world.partnership.area
    lsoas = ["E01020634", "E01020635", "E01012334"]
    for code in lsoas:
        Area.objects.create(kind=AreaKind.LSOA, code=code, name=code, parent=durham)
    dataset = make_dataset("police_street", owner=world.force, partnership=world.partnership)
    data_file = import_one(dataset, STREET / "2022-01-durham-street.csv")
    inside = StreetCrime.objects.filter(data_file_id=data_file.pk, lsoa_code__in=lsoas).count()
    with_lsoa = StreetCrime.objects.filter(
        data_file_id=data_file.pk, lsoa_code__isnull=False
    ).count()
    assert data_file.out_of_area == with_lsoa - inside
    assert data_file.imported == 6430  # kept, all of them
    assert "outside the partnership's area (kept, flagged)" in data_file.message


def test_importing_the_same_file_again_changes_nothing(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("police_street", owner=owner)
    first = import_one(dataset, DURHAM[0])
    before = _rows()
    again = import_one(dataset, DURHAM[0])
    assert again.status == FileStatus.ALREADY_IMPORTED
    assert (again.imported, again.duplicates) == (0, first.rows_read)
    assert _rows() == before


def test_a_file_given_twice_in_one_batch_is_imported_once(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("police_street", owner=owner)
    first, second, third = import_files(dataset, DURHAM[0], DURHAM[1], DURHAM[0])
    assert [first.status, second.status] == [FileStatus.IMPORTED] * 2
    assert third.status == FileStatus.ALREADY_IMPORTED
    assert "given twice" in third.message
    assert _rows() == first.imported + second.imported


def test_a_batch_with_a_file_imported_before_loads_only_the_new_ones(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    """Each file's hash is checked as its turn in the batch comes (it is read in another
    thread meanwhile): one imported before changes nothing, the others load."""
    dataset = make_dataset("police_street", owner=owner)
    earlier = import_one(dataset, DURHAM[1])
    before = _rows()
    files = import_files(dataset, DURHAM[0], DURHAM[1], DURHAM[2])
    assert [f.status for f in files] == [
        FileStatus.IMPORTED, FileStatus.ALREADY_IMPORTED, FileStatus.IMPORTED,
    ]  # fmt: skip
    assert files[1].duplicates == earlier.rows_read
    assert _rows() == before + files[0].imported + files[2].imported
    assert all(len(f.sha256) == 64 for f in files)


@pytest.mark.parametrize(
    ("at", "value", "column"),
    [(4, "east", "Longitude"), (4, "200", "Longitude"), (5, "-91", "Latitude"),
     (5, "1e999", "Latitude"), (4, "nan", "Longitude")],
)  # fmt: skip
def test_a_coordinate_that_is_not_a_number_in_range_refuses_the_file(
    shared: Path, owner, tmp_path: Path, at: int, value: str, column: str
) -> None:  # type: ignore[no-untyped-def]
    """Found by the database's types and constraints on PostgreSQL, by one query over the
    new rows on SQLite; either way the general path names the row."""
    bad, _ = _durham_with(tmp_path, "coordinate", {at: value})
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, bad)
    assert data_file.status == FileStatus.REFUSED, data_file.message
    assert [(p["row"], p["column"]) for p in data_file.report] == [(6, column)]
    assert _rows() == 0


def test_backslashes_are_kept_as_published(shared: Path, owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A file with no quote and no backslash is read by COPY's text format, which would
    take a backslash as an escape (and \\N as NULL): a file with one is read as CSV, so
    the values are what the file says."""
    odd, rows = _durham_with(tmp_path, "backslash", {6: "On or near A\\B Road", 11: "\\N"})
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, odd)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == rows == _rows()
    row = StreetCrime.objects.get(location="On or near A\\B Road")
    assert row.context == "\\N"


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_every_row_arrives_whole_and_as_published(
    shared: Path, owner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog, ending: str
) -> None:  # type: ignore[no-untyped-def]
    """The fast path sends whole lines a piece at a time (on PostgreSQL each behind its
    file number): lines across pieces, Windows line ends and a last line with no line
    end all arrive whole, in their file, with the values the file holds."""
    import csv

    from socprofiles.datasets.ingest import loaders

    monkeypatch.setattr(loaders, "PIECE", 1000)  # most lines cross a piece boundary
    lines = DURHAM[0].read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "2022-01-durham-street-ends.csv"
    path.write_bytes(ending.join(lines).encode("utf-8"))  # no line end after the last
    dataset = make_dataset("police_street", owner=owner)
    other = import_one(make_dataset("police_street", owner=owner, title="other"), DURHAM[1])
    with caplog.at_level("INFO", logger="socprofiles.datasets.ingest.pipeline"):
        data_file = import_one(dataset, path)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert "fast path" not in caplog.text  # taken, not declined
    fields = [
        "crime_id", "month", "reported_by", "falls_within", "longitude", "latitude",
        "location", "lsoa_code", "lsoa_name", "crime_type", "last_outcome", "context",
    ]  # fmt: skip

    # SQLite's reading of a decimal can differ from Python's in the last binary digit.
    def same(row: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(
            round(float(v), 9) if at in (4, 5) and v else v or None for at, v in enumerate(row)
        )  # type: ignore[arg-type]

    stored = StreetCrime.objects.filter(data_file_id=data_file.pk).order_by("id")
    published = [same(tuple(row)) for row in csv.reader(lines[1:])]
    assert [same(row) for row in stored.values_list(*fields)] == published
    assert _rows() == len(published) + other.imported


@pytest.mark.parametrize(
    ("rows", "ending", "expected"),
    [(0, "\n", 0), (0, "", 0), (1, "", 1), (2, "\r\n", 2), (3, "\n\n", 3)],
)
def test_short_files_and_their_ends(
    shared: Path, owner, tmp_path: Path, rows: int, ending: str, expected: int
) -> None:  # type: ignore[no-untyped-def]
    """The header alone (with or without its line end), a last line without one, and a
    blank line at the end (which only the general path skips): each imports what it
    holds, on both databases."""
    lines = DURHAM[0].read_text(encoding="utf-8-sig").splitlines()[: rows + 1]
    path = tmp_path / "2022-01-durham-street-short.csv"
    path.write_text("\n".join(lines) + ending, encoding="utf-8")
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, path)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == expected == _rows()
    assert StreetCrime.objects.filter(data_file_id=data_file.pk).count() == expected


def test_a_different_file_of_the_same_month_adds_only_new_crimes(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A later download of a month: its crimes already present are duplicates; crimes
    with new IDs are added; anti-social behaviour (no ID) of that month is not added twice."""
    dataset = make_dataset("police_street", owner=owner)
    source = DURHAM[0].read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header, rows = source[0], source[1:]
    extra = ",".join(
        ["ffff" + "0" * 60, "2022-01", "Durham Constabulary", "Durham Constabulary", "-1.5",
         "54.7", "On or near Test Street", "E01020634", "County Durham 001A", "Drugs",
         "Under investigation", "\n"]
    )  # fmt: skip
    later = tmp_path / "2022-01-durham-street-later.csv"
    later.write_text(header + "".join(rows) + extra, encoding="utf-8")
    import_one(dataset, DURHAM[0])
    before = _rows()
    second = import_one(dataset, later)
    assert second.status == FileStatus.IMPORTED, second.message
    assert second.imported == 1
    assert second.duplicates == len(rows)
    assert _rows() == before + 1


def test_a_bad_row_in_the_middle_refuses_the_whole_file(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    lines = DURHAM[1].read_text(encoding="utf-8-sig").splitlines(keepends=True)
    middle = len(lines) // 2
    fields = lines[middle].split(",")
    fields[1] = "2022-13"  # no thirteenth month
    lines[middle] = ",".join(fields)
    fields = lines[middle + 10].split(",")
    fields[4] = "east"  # not a longitude
    lines[middle + 10] = ",".join(fields)
    bad = tmp_path / "2022-02-durham-street.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    dataset = make_dataset("police_street", owner=owner)
    before = _rows()
    data_file = import_one(dataset, bad)
    assert data_file.status == FileStatus.REFUSED
    assert _rows() == before  # nothing of it kept
    assert data_file.imported == 0
    assert data_file.rejected == 2
    report = {(p["row"], p["column"]) for p in data_file.report}
    assert report == {(middle + 1, "Month"), (middle + 11, "Longitude")}
    assert "2 of 6,028 rows are not valid" in data_file.message
    reasons = {p["column"]: p["reason"] for p in data_file.report}
    assert reasons["Month"] == "expected a month written YYYY-MM, like 2022-01"


def _between_good_files(owner, bad: Path) -> tuple[DataFile, DataFile, DataFile]:  # type: ignore[no-untyped-def]
    """A bad file imported in one batch between two good ones: the good ones import and
    the bad one is refused."""
    dataset = make_dataset("police_street", owner=owner)
    good_a, broken, good_b = import_files(dataset, DURHAM[0], bad, DURHAM[1])
    assert (good_a.status, broken.status, good_b.status) == (
        FileStatus.IMPORTED,
        FileStatus.REFUSED,
        FileStatus.IMPORTED,
    )
    return good_a, broken, good_b


def test_a_bad_file_in_a_batch_does_not_stop_the_others(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    lines = DURHAM[2].read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[-1] = lines[-1].replace("2022-03", "March")
    bad = tmp_path / "2022-03-durham-street.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    good_a, broken, good_b = _between_good_files(owner, bad)
    assert _rows() == good_a.imported + good_b.imported
    assert broken.report[0]["row"] == len(lines)


def test_a_file_the_database_refuses_between_two_good_ones(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """COPY refuses the middle file (a coordinate that is not a number): its rows go, the
    files either side keep theirs, and each good file's recorded id range holds its rows
    (on PostgreSQL the first file's range is read as the refused one starts)."""
    from django.db.models import Max, Min

    bad, _ = _durham_with(tmp_path, "east", {4: "east"})
    good_a, broken, good_b = _between_good_files(owner, bad)
    assert [(p["row"], p["column"]) for p in broken.report] == [(6, "Longitude")]
    assert _rows() == good_a.imported + good_b.imported
    for data_file in (good_a, good_b):
        held = StreetCrime.objects.filter(data_file_id=data_file.pk).aggregate(
            low=Min("id"), high=Max("id")
        )
        first, last = data_file.first_row_id, data_file.last_row_id
        assert first is not None and last is not None
        assert first <= held["low"] <= held["high"] <= last
        assert last - first + 1 >= data_file.imported


def test_skipping_bad_rows_when_allowed(shared: Path, owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = DURHAM[0].read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[5] = lines[5].replace("2022-01", "Jan 2022")
    bad = tmp_path / "jan.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, bad, max_rejected=1)
    assert data_file.status == FileStatus.IMPORTED
    assert (data_file.imported, data_file.rejected) == (6429, 1)
    assert data_file.report[0]["row"] == 6


def test_a_concatenated_file_with_repeated_headers(shared: Path, owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joined = tmp_path / "q1.csv"
    joined.write_bytes(b"".join(p.read_bytes() for p in DURHAM[:3]))
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, joined)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == 6430 + 6028 + 6964


def test_a_windows_1252_file(shared: Path, owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        DURHAM[0]
        .read_text(encoding="utf-8-sig")
        .replace("On or near Meredene", "On or near Caf\u00e9 Row")
    )
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes(text.encode("cp1252"))
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, legacy)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.encoding == "cp1252"
    assert StreetCrime.objects.filter(location="On or near Caf\u00e9 Row").exists()


def test_the_wrong_kind_of_file_is_named(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(
        dataset, shared / "police_uk" / "outcomes" / "2018-01-bedfordshire-outcomes.csv"
    )
    assert data_file.status == FileStatus.REFUSED
    assert "looks like a police.uk outcomes file, not police.uk street crime" in data_file.message


def test_outcomes_import(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset("police_outcomes", owner=owner)
    files = import_files(dataset, *sorted((shared / "police_uk" / "outcomes").glob("*.csv")))
    assert [f.imported for f in files] == [5, 5]


def test_stop_and_search_imports_and_is_placed_by_coordinates(shared: Path, owner) -> None:  # type: ignore[no-untyped-def]
    path = shared / "police_uk" / "stop_and_search" / "2022-09-metropolitan-stop-and-search.csv"
    dataset = make_dataset("police_stop_search", owner=owner)
    data_file = import_one(dataset, path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert data_file.imported == len(frame) == 12447
    # No LSOA boundaries are loaded here, so none is placed.
    assert data_file.unplaced == 12447
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM datasets_stopsearch "
            "WHERE data_file_id = %s AND part_of_operation",
            [data_file.pk],
        )
        assert cursor.fetchone()[0] == int((frame["Part of a policing operation"] == "True").sum())


@pytest.mark.parametrize(
    ("kind", "relative"),
    [
        ("police_street", "street/2022-01-durham-street.csv"),
        ("police_street", "street/2022-01-btp-street.csv"),
        ("police_street", "street/2018-01-avon-and-somerset-street.csv"),
        ("police_outcomes", "outcomes/2018-01-bedfordshire-outcomes.csv"),
        ("police_stop_search", "stop_and_search/2022-09-metropolitan-stop-and-search.csv"),
    ],
)
def test_the_fast_paths_tally_is_what_the_database_holds(
    shared: Path, owner, kind: str, relative: str
) -> None:  # type: ignore[no-untyped-def]
    """The fast path counts the rows as they stream to the database instead of reading
    them back: its summary must be the one the database gives for the rows it holds."""
    from socprofiles.datasets.ingest import checks
    from socprofiles.datasets.ingest.specs import BUILT_IN

    dataset = make_dataset(kind, owner=owner)
    data_file = import_one(dataset, shared / "police_uk" / relative)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    held = checks.summarise(BUILT_IN[kind].target, data_file.pk)
    assert held.rows == data_file.imported > 0
    assert data_file.summary == held.as_json()
    if kind != "police_stop_search":
        assert data_file.unplaced == held.lsoa_counts.get("", 0)
    # The recorded id range holds every row of the file.
    assert data_file.first_row_id is not None and data_file.last_row_id is not None
    assert data_file.first_row_id <= (held.first_id or 0) <= (held.last_id or 0)
    assert (held.last_id or 0) <= data_file.last_row_id


@pytest.mark.parametrize(
    ("kind", "relative"),
    [
        ("police_street", "street/2022-01-durham-street.csv"),
        ("police_outcomes", "outcomes/2018-01-bedfordshire-outcomes.csv"),
    ],
)
def test_the_tally_reads_the_other_line_ends_as_the_database_does(
    shared: Path, owner, tmp_path: Path, kind: str, relative: str
) -> None:  # type: ignore[no-untyped-def]
    """The file with its line ends swapped (Windows for Unix, or the other way round):
    the tally must still count the last value (an outcome's type) without the carriage
    return, as the database stores it."""
    from socprofiles.datasets.ingest import checks
    from socprofiles.datasets.ingest.specs import BUILT_IN

    original = (shared / "police_uk" / relative).read_bytes()
    swapped = (
        original.replace(b"\r\n", b"\n")
        if b"\r\n" in original
        else original.replace(b"\n", b"\r\n")
    )
    path = tmp_path / Path(relative).name
    path.write_bytes(swapped)
    dataset = make_dataset(kind, owner=owner)
    data_file = import_one(dataset, path)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    held = checks.summarise(BUILT_IN[kind].target, data_file.pk)
    assert held.rows == data_file.imported > 0
    assert data_file.summary == held.as_json()
    assert not any("\r" in kind for kinds in held.by_month.values() for kind in kinds)


def test_a_row_python_and_the_database_read_differently_still_imports(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A quoted value with text after its closing quote: PostgreSQL's COPY reads it, the
    tally's strict reader does not; the file then takes the general path and imports."""
    odd, rows = _durham_with(tmp_path, "odd", {6: '"On or near Odd Street" (rear)'})
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, odd)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == rows == _rows()
    assert data_file.summary["by_month"] == _db_counts(data_file)


def test_a_quote_inside_a_value_cannot_smuggle_values_past_the_checks(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's CSV reader takes a double quote anywhere in a value as the start or end
    of a quoted part, Python's only at a value's start: this line reads as a valid Durham
    burglary to Python and, to PostgreSQL, as a row of a made-up month, force, LSOA and
    crime type. Whatever path takes the file, what the database holds is what the checks
    saw (found by a review of the tally)."""
    from socprofiles.datasets.ingest import checks

    lines = DURHAM[2].read_text(encoding="utf-8-sig").splitlines(keepends=True)[:6]
    lines.append(
        'abc",2022-03,Durham Constabulary,Durham Constabulary,-1.5,54.7,"X,BADMNTH,Evil Force,'
        'Evil Force,,,On or near,E99999999,n,Nonsense type,o,c",E01012723,Blackpool 004E,'
        'Burglary,Under investigation,ctx"\n'
    )
    crafted = tmp_path / "2022-03-durham-street-crafted.csv"
    crafted.write_text("".join(lines), encoding="utf-8")
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, crafted)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    held = checks.summarise("datasets_streetcrime", data_file.pk)
    assert data_file.summary == held.as_json()
    assert not held.problems
    assert not StreetCrime.objects.filter(month="BADMNTH").exists()
    assert not StreetCrime.objects.filter(lsoa_code="E99999999").exists()


# Over the limit but under csv's own field limit (128 KB); over both; across chunks.
@pytest.mark.parametrize("length", [100 << 10, 200 << 10, 3 << 20])
def test_a_line_over_the_limit_is_refused_by_name_not_loaded(
    shared: Path, owner, tmp_path: Path, length: int
) -> None:  # type: ignore[no-untyped-def]
    lines = DURHAM[0].read_text(encoding="utf-8-sig").splitlines(keepends=True)[:20]
    cells = lines[10].split(",")
    cells[-1] = "x" * length + "\n"
    lines[10] = ",".join(cells)
    long = tmp_path / "2022-01-durham-street-long.csv"
    long.write_text("".join(lines), encoding="utf-8")
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, long)
    assert data_file.status == FileStatus.REFUSED
    assert "line 11 is longer than 65,536 bytes" in data_file.message
    assert _rows() == 0


def test_a_long_line_in_a_file_with_quotes_is_refused_too(
    shared: Path, owner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL a file with a double quote is not tallied by Python; its lines are
    still measured as they stream, so the limit holds on either database."""
    long, _ = _durham_with(
        tmp_path, "quoted-long", {6: '"On or near Long Street"', 11: "x" * (100 << 10)}
    )
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, long)
    assert data_file.status == FileStatus.REFUSED
    assert "line 6 is longer than 65,536 bytes" in data_file.message
    assert _rows() == 0


def test_a_compressed_street_file_imports(shared: Path, owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import gzip

    packed = tmp_path / "2022-01-durham-street.csv.gz"
    packed.write_bytes(gzip.compress(DURHAM[0].read_bytes()))
    dataset = make_dataset("police_street", owner=owner)
    data_file = import_one(dataset, packed)
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == 6430 == _rows()
    assert data_file.summary["by_month"] == _pandas_counts(DURHAM[0])


def test_the_workers_time_limit_stops_the_import_and_is_not_taken_for_a_bad_file(
    shared: Path, owner
) -> None:  # type: ignore[no-untyped-def]
    """RQ stops a job that runs too long by raising its timeout inside it: the import must
    let it through (not retry the file on the general path, not call it a bad file), and
    keep nothing."""
    from rq.timeouts import JobTimeoutException

    from socprofiles.datasets import services

    dataset = make_dataset("police_street", owner=owner)
    data_file = services.data_file_register(
        actor=None, dataset=dataset, path=DURHAM[0], original_name=DURHAM[0].name,
        keep_in_place=True,
    )  # fmt: skip
    seen: list[str] = []

    def out_of_time(stage: str, done: int, total: int) -> None:
        seen.append(stage)
        if stage == "importing":
            raise JobTimeoutException("Task exceeded maximum timeout value (3600 seconds)")

    with pytest.raises(JobTimeoutException):
        services.data_file_import(data_file=data_file, progress=out_of_time)
    assert seen.count("importing") == 1  # the general path did not start it again
    assert _rows() == 0


@pytest.mark.parametrize(
    ("kind", "relatives"),
    [
        # Two months and two forces mixed in one block, and a month's block alone.
        (
            "police_street",
            [f"street/2022-0{m}-durham-street.csv" for m in (1, 2)]
            + ["street/2022-01-btp-street.csv"],
        ),
        ("police_outcomes", ["outcomes/2018-01-bedfordshire-outcomes.csv"]),
        ("police_stop_search", ["stop_and_search/2022-09-metropolitan-stop-and-search.csv"]),
    ],
)
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_the_tally_of_blocks_counts_what_a_csv_reader_reads(
    shared: Path, kind: str, relatives: list[str], line_end: str
) -> None:
    """Blocks split at commas (and line ends, where a line's first or last value counts)
    give the counts csv.reader's rows give, whatever the months and forces in a block."""
    import csv

    from socprofiles.datasets.ingest.checks import Tally
    from socprofiles.datasets.ingest.specs import BUILT_IN

    spec = BUILT_IN[kind]
    files = [
        (shared / "police_uk" / r).read_text(encoding="utf-8-sig").splitlines()[1:]
        for r in relatives
    ]
    unquoted = [[line for line in lines if '"' not in line][:400] for lines in files]
    mixed = [line for pair in zip(*unquoted, strict=False) for line in pair]
    half = len(mixed) // 2
    blocks = [mixed[:half], mixed[half:], unquoted[0][:50]]
    by_blocks, by_rows = Tally(spec.target, spec.fields), Tally(spec.target, spec.fields)
    for block in blocks:
        by_blocks.add_block(line_end.join(block).encode())
        by_rows.add_rows([[v.encode() for v in row] for row in csv.reader(block)])
    assert sum(by_blocks.counts.values()) == sum(len(b) for b in blocks)
    assert by_blocks.counts == by_rows.counts
    assert by_blocks.lsoas == by_rows.lsoas
    assert by_blocks.fold().by_month == by_rows.fold().by_month
    with pytest.raises(ValueError, match="too few or too many"):
        by_blocks.add_block((line_end.join(blocks[2]) + ",extra").encode())
