"""Fuzzing the importers: whatever bytes arrive as a CSV (plain, gzip-compressed, in any
encoding) or an Excel workbook, the import either takes the whole file or refuses it with
a reason; it never stops on an unexpected error (status "failed") and never keeps part of
a file. Both paths are fuzzed: a partner feed (the general path, row by row) and police.uk
street crime (the fast bulk path and its database-side checks)."""

from __future__ import annotations

import gzip
import io
import itertools
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socprofiles.accounts.models import Organisation, OrganisationKind
from socprofiles.audit.services import audit_chain_verify
from socprofiles.datasets import services
from socprofiles.datasets.ingest.pipeline import spec_for
from socprofiles.datasets.models import DataSet, FileStatus

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),  # more: make fuzz FUZZ_EXAMPLES=1000
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
_names = itertools.count()

# Values that have broken parsers elsewhere: formulas, separators, quotes, line breaks,
# control characters, long and non-Latin text, numbers and dates in odd forms.
NASTY = [
    "", " ", '"', '""', ",", ";", "\t", "\r\n", "\n", "\x00", "\x1b[31m", "=cmd|'/c calc'!A1",
    "+1", "-1", "@SUM(A1)", "1e309", "NaN", "-0", "0x1F", "9" * 40, "2022-13", "2022-02-30",
    "31/02/2022", "E01012345", "E0101234", "e01012345", "E06000047", "é", "ß", "İ", "\U0001d54f",
    "\u202e", "\ufeff", "<script>alert(1)</script>", "'; DROP TABLE x; --", "x" * 5000,
]  # fmt: skip

# Values that are right for some column, so that whole rows pass now and then.
VALID = [
    "E01012345", "E06000047", "E05008000", "12", "3.5", "0", "2022-01", "2022-01-01",
    "Drugs", "Anti-social behaviour", "-1.55", "54.77", "Durham Constabulary", "Adult", "Male",
]  # fmt: skip
valid = st.sampled_from(VALID)
cell = st.one_of(valid, valid, valid, st.sampled_from(NASTY), st.text(max_size=40))


def _dataset(kind: str, feed: str = "") -> DataSet:
    owner, _ = Organisation.objects.get_or_create(
        slug="fuzz-publisher", defaults={"name": "Fuzz", "kind": OrganisationKind.OTHER}
    )
    return services.dataset_create(
        actor=None, partnership=None, owner=owner, kind=kind, feed=feed, title=f"fuzz {kind}"
    )


def _headers(dataset: DataSet) -> list[str]:
    return [column.headers[0] for column in spec_for(dataset).columns if column.headers]


@st.composite
def csv_bytes(draw: st.DrawFn, headers: list[str]) -> tuple[str, bytes]:
    """A file that is mostly right, so the fuzzing reaches the rows: the real headers (some
    dropped, repeated or reordered), rows of nasty cells, odd encodings and compression,
    or now and then plain random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return "random.csv", draw(st.binary(max_size=2000))
    columns = draw(st.lists(st.sampled_from(headers), min_size=1, max_size=len(headers) + 2))
    if draw(st.integers(0, 9)) < 7:
        columns = list(headers)
    width = len(columns)
    ragged = st.lists(cell, min_size=0, max_size=width + 2)
    row = st.one_of(st.lists(cell, min_size=width, max_size=width), ragged)
    rows = draw(st.lists(row, max_size=8))
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(columns)
    writer.writerows(rows)
    text = out.getvalue()
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"])
    )  # not UTF-16: see the end
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        return "fuzz.csv.gz", gzip.compress(data)
    return "fuzz.csv", data


@st.composite
def xlsx_bytes(draw: st.DrawFn, headers: list[str]) -> tuple[str, bytes]:
    from openpyxl import Workbook

    if draw(st.integers(0, 9)) == 0:
        return "random.xlsx", b"PK\x03\x04" + draw(st.binary(max_size=500))
    book = Workbook()
    sheet = book.active
    value = st.one_of(
        cell.map(lambda s: "".join(ch for ch in s if ch >= " " or ch in "\t\n")),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(),
        st.datetimes(),
        st.none(),
        st.booleans(),
    )
    sheet.append(draw(st.lists(st.sampled_from(headers), min_size=1, max_size=len(headers))))
    for row in draw(st.lists(st.lists(value, max_size=len(headers) + 1), max_size=6)):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return "fuzz.xlsx", buffer.getvalue()


def _import(dataset: DataSet, tmp_path: Path, name: str, data: bytes) -> Any:
    path = tmp_path / f"{next(_names)}-{name}"
    path.write_bytes(data)
    data_file = services.data_file_register(
        actor=None, dataset=dataset, path=path, original_name=name, keep_in_place=True
    )
    services.data_file_import(data_file=data_file)
    data_file.refresh_from_db()
    return data_file


def _rows_kept(table: str, data_file_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE data_file_id = %s", [data_file_id])  # noqa: S608
        return int(cursor.fetchone()[0])


OUTCOMES: Counter[str] = Counter()


def _check(data_file: Any, table: str) -> None:
    OUTCOMES[data_file.status] += 1
    assert data_file.status != FileStatus.FAILED, (
        f"unexpected error importing {data_file.original_name}: {data_file.message}"
    )
    assert data_file.status in {
        FileStatus.IMPORTED,
        FileStatus.REFUSED,
        FileStatus.ALREADY_IMPORTED,
    }, data_file.status
    kept = _rows_kept(table, data_file.pk)
    if data_file.status == FileStatus.IMPORTED:
        assert kept == data_file.imported
    else:
        assert kept == 0, f"{data_file.status} file kept {kept} rows"
        assert data_file.imported == 0
    if data_file.status == FileStatus.REFUSED:
        assert data_file.message  # a reason a person can act on


@pytest.mark.parametrize(("kind", "feed", "table"), [
    ("feed", "counts_by_area", "datasets_feedrecord"),
    ("feed", "nrm_referrals", "datasets_feedrecord"),
    ("police_street", "", "datasets_streetcrime"),
])  # fmt: skip
def test_csv_files_are_imported_whole_or_refused(
    kind: str, feed: str, table: str, tmp_path: Path
) -> None:
    dataset = _dataset(kind, feed)
    headers = _headers(dataset)

    @FUZZ
    @given(case=csv_bytes(headers))
    def fuzz(case: tuple[str, bytes]) -> None:
        _check(_import(dataset, tmp_path, *case), table)

    fuzz()
    assert audit_chain_verify().ok


def test_workbooks_are_imported_whole_or_refused(tmp_path: Path) -> None:
    dataset = _dataset("feed", "counts_by_area")
    headers = _headers(dataset)

    @FUZZ
    @given(case=xlsx_bytes(headers))
    def fuzz(case: tuple[str, bytes]) -> None:
        _check(_import(dataset, tmp_path, *case), "datasets_feedrecord")

    fuzz()
    assert audit_chain_verify().ok


def test_a_header_line_with_a_bare_carriage_return_is_refused(tmp_path: Path) -> None:
    dataset = _dataset("feed", "counts_by_area")
    for name, data in [
        ("mac.csv", b'Area code\r""\r'),
        ("mac2.csv", b"Area code,Indicator,Value\rE06000047,Count,1\r"),
    ]:
        _check(_import(dataset, tmp_path, name, data), "datasets_feedrecord")


def teardown_module() -> None:
    print(f"\nimporter fuzz outcomes: {dict(OUTCOMES)}")


def test_a_utf16_file_is_refused(tmp_path: Path) -> None:
    dataset = _dataset("police_street")
    text = ",".join(_headers(dataset)) + "\n2022-01,Durham\n"
    _check(_import(dataset, tmp_path, "utf16.csv", text.encode("utf-16")), "datasets_streetcrime")
