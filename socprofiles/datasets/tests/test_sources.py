"""Files are opened safely: encodings, binary content, decompression bombs, damage, limits."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from socprofiles.datasets.ingest.errors import ImportRefused
from socprofiles.datasets.ingest.sources import Limits, open_source

HEADER = "Area code,Indicator,Value\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"), ("cp1252", b"", "cp1252")],
)
def test_encodings_are_recognised(
    tmp_path: Path, encoding: str, prefix: bytes, expected: str
) -> None:
    text = HEADER + "E06000047,Caf\u00e9 licences \u00a3,3\n"
    path = _write(tmp_path, "f.csv", prefix + text.encode(encoding))
    source = open_source(path)
    assert source.encoding == expected
    assert source.header == ["Area code", "Indicator", "Value"]
    assert [row for _, row in source.rows()] == [["E06000047", "Caf\u00e9 licences \u00a3", "3"]]


def test_text_that_is_neither_utf8_nor_windows_1252_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "f.csv", HEADER.encode() + b"E06000047,bad \x81 byte,3\n")
    with pytest.raises(ImportRefused, match="neither UTF-8 nor Windows-1252"):
        open_source(path)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
        (b"%PDF-1.7\n...", "PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-format Excel"),
        (HEADER.encode() + b"E06000047,x\x00y,3\n", "binary data"),
    ],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes, what: str) -> None:
    with pytest.raises(ImportRefused, match=what):
        open_source(_write(tmp_path, "upload.csv", data))


def test_empty_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="empty"):
        open_source(_write(tmp_path, "empty.csv", b""))
    with pytest.raises(ImportRefused, match="no such file"):
        open_source(tmp_path / "missing.csv")


def test_gzip_files_are_read_and_a_gzip_bomb_is_refused(tmp_path: Path) -> None:
    plain = HEADER + "E06000047,Count,1\n"
    ok = _write(tmp_path, "ok.csv.gz", gzip.compress(plain.encode()))
    assert open_source(ok).compression == "gzip"
    bomb = _write(tmp_path, "bomb.csv.gz", gzip.compress(HEADER.encode() + b"0,0,0\n" * (10 << 20)))
    with pytest.raises(ImportRefused, match="decompression bomb"):
        open_source(bomb)


def test_a_damaged_gzip_file_is_refused(tmp_path: Path) -> None:
    whole = gzip.compress((HEADER + "E06000047,Count,1\n" * 5000).encode())
    damaged = _write(tmp_path, "damaged.csv.gz", whole[: len(whole) // 2])
    with pytest.raises(ImportRefused, match="damaged"):
        open_source(damaged)


def test_a_zip_bomb_workbook_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (20 << 20))
    with pytest.raises(ImportRefused, match="decompression bomb"):
        open_source(_write(tmp_path, "bomb.xlsx", buffer.getvalue()))


def test_a_zip_archive_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2022-01/2022-01-durham-street.csv", HEADER)
    with pytest.raises(ImportRefused, match="extract the CSV files inside"):
        open_source(_write(tmp_path, "download.zip", buffer.getvalue()))


def test_limits_on_size_and_line_length(tmp_path: Path) -> None:
    path = _write(tmp_path, "f.csv", (HEADER + "E06000047,x,1\n").encode())
    with pytest.raises(ImportRefused, match="limit is 0 MB"):
        open_source(path, limits=Limits(max_bytes=10))
    long_line = _write(tmp_path, "long.csv", (HEADER + "E06000047," + "x" * 200 + ",1\n").encode())
    with pytest.raises(ImportRefused, match="longer than 100 bytes"):
        open_source(long_line, limits=Limits(max_line_bytes=100))


def test_repeated_header_rows_are_skipped(tmp_path: Path) -> None:
    text = HEADER + "E06000047,A,1\n" + HEADER + "E06000005,B,2\n"
    source = open_source(_write(tmp_path, "joined.csv", text.encode()))
    assert source.repeated_headers == 1
    assert [row for _, row in source.rows()] == [["E06000047", "A", "1"], ["E06000005", "B", "2"]]
    streamed = b"".join(source.iter_bytes_without_repeated_headers()).decode()
    assert streamed.count("Area code") == 1
