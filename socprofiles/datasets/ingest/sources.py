"""Opening a file safely before anything is read into the database.

A source is read as published: plain, gzip-compressed, or an .xlsx workbook. Before any row
is parsed we know its SHA-256, its encoding (UTF-8, UTF-8 with BOM or Windows-1252), its
header, and that it is text of a sane shape: no NUL bytes, no enormous lines, no
decompression bomb. Anything else is refused with a message saying what was found.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from .errors import ImportRefused

CHUNK = 1 << 20

Progress = Callable[[int, int], None]  # (done, total) in bytes or rows


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 1 << 30  # the file as given
    max_uncompressed_bytes: int = 4 << 30
    max_ratio: int = 200  # uncompressed / compressed, beyond which we suspect a bomb
    max_line_bytes: int = 64 << 10
    max_columns: int = 500

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.DATASET_MAX_FILE_MB << 20,
            max_uncompressed_bytes=settings.DATASET_MAX_UNCOMPRESSED_MB << 20,
        )


def normalise_header(name: Any) -> str:
    text = "" if name is None else str(name)
    return " ".join(text.replace("\ufeff", "").split()).casefold()


@dataclass
class Source:
    path: Path
    name: str
    format: str  # "csv" or "xlsx"
    compression: str  # "", "gzip"
    size: int
    sha256: str = ""
    encoding: str = ""
    lines: int = 0
    header: list[str] = field(default_factory=list)
    header_line: bytes = b""
    repeated_headers: int = 0
    longest_line: int = 0  # the scan's: the longest line across a chunk boundary
    quoted: bool = False  # a double quote anywhere in the file (the scan's)
    backslash: bool = False  # a backslash anywhere in the file (the scan's)
    scanned: bool = False  # scan() has read it (a quick open reads only the header)
    sheet: str = ""
    checked: bool = False

    # -- raw access ---------------------------------------------------------------------

    def open_bytes(self) -> IO[bytes]:
        raw: IO[bytes] = self.path.open("rb")
        if self.compression == "gzip":
            return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
        return raw

    def iter_bytes(self) -> Iterator[bytes]:
        with self.open_bytes() as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def iter_bytes_without_repeated_headers(self) -> Iterator[bytes]:
        """The file's bytes, less any copy of the header line after the first (files made
        by concatenating monthly downloads repeat it)."""
        if not self.repeated_headers:
            yield from self.iter_bytes()
            return
        header = self.header_line.rstrip(b"\r\n")
        pending = b""
        first = True
        for chunk in self.iter_bytes():
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            pending = data[cut:]
            lines = data[:cut].split(b"\n")
            kept = []
            for line in lines[:-1]:
                if not first and line.rstrip(b"\r").removeprefix(codecs.BOM_UTF8) == header:
                    continue
                first = False
                kept.append(line)
            if kept:
                yield b"\n".join(kept) + b"\n"
        if pending and pending.rstrip(b"\r") != header:
            yield pending

    def text(self) -> io.TextIOWrapper:
        encoding = "utf-8-sig" if self.encoding.startswith("utf-8") else self.encoding
        return io.TextIOWrapper(self.open_bytes(), encoding=encoding, newline="")

    # -- rows (for the general importer) --------------------------------------------------

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(spreadsheet row number, values) for every data row after the header."""
        if self.format == "xlsx":
            yield from self._xlsx_rows()
            return
        field_limit = Limits().max_line_bytes
        csv.field_size_limit(field_limit)
        header = [normalise_header(v) for v in self.header]
        first = self.header[0] if self.header else None
        with self.text() as handle:
            reader = csv.reader(handle)
            try:
                next(reader, None)
                for row in reader:
                    if not row or (len(row) == 1 and row[0] == ""):
                        continue
                    if row[0].strip() == first and [normalise_header(v) for v in row] == header:
                        continue  # a repeated header
                    yield reader.line_num, row
            except csv.Error as error:
                raise ImportRefused(
                    f"{self.name}: row {reader.line_num} cannot be read as CSV ({error}); "
                    f"fields may be at most {field_limit:,} characters."
                ) from None

    def _xlsx_rows(self) -> Iterator[tuple[int, list[Any]]]:
        import openpyxl

        # A file object, not a path: openpyxl refuses paths without an .xlsx ending, and
        # stored uploads keep whatever name the sender gave.
        handle = self.path.open("rb")
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            sheet = workbook[self.sheet]
            sheet.reset_dimensions()  # some producers write a wrong dimension record
            width = len(self.header)
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number == 1:
                    continue
                # A spreadsheet row is as wide as its header: empty cells at either end are
                # simply empty, not missing columns.
                row = list(values)
                extra = row[width:]
                row = row[:width] + [None] * (width - len(row))
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                if any(v is not None and str(v).strip() for v in extra):
                    row += extra  # data beyond the header: the mapper reports it
                yield number, row
        finally:
            workbook.close()
            handle.close()


def _refuse(name: str, reason: str) -> ImportRefused:
    return ImportRefused(f"{name}: {reason}")


_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\xd0\xcf\x11\xe0": "an old-format Excel (.xls) or Word file: save it as .xlsx or CSV",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x1f\x9d": "a compress (.Z) archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
}


def open_source(
    path: Path,
    *,
    name: str | None = None,
    limits: Limits | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    quick: bool = False,
) -> Source:
    """Check the file and read what we need to know about it, without importing a row.

    quick: only the size, the kind of file and its header, for the fast path, where the
    database checks the encoding and every value as it loads; scan() reads the file for
    its hash (the pipeline runs it in another thread, while other files load), and
    check() does the rest when the general path needs it."""
    limits = limits or Limits.from_settings()
    name = name or path.name
    if not path.exists() or not path.is_file():
        raise _refuse(name, "there is no such file.")
    size = path.stat().st_size
    if size == 0:
        raise _refuse(name, "the file is empty.")
    if size > limits.max_bytes:
        raise _refuse(
            name,
            f"the file is {size / 2**20:,.0f} MB; the limit is {limits.max_bytes / 2**20:,.0f} MB.",
        )
    with path.open("rb") as handle:
        magic = handle.read(8)
    for signature, what in _MAGIC.items():
        if magic.startswith(signature):
            raise _refuse(name, f"this is {what}, not a CSV or .xlsx file.")
    if magic.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, name, size, limits, sheet)
    compression = "gzip" if magic.startswith(b"\x1f\x8b") else ""
    source = Source(path=path, name=name, format="csv", compression=compression, size=size)
    if quick:
        _quick_look(source)
    else:
        _prepass(source, limits, progress)
    return source


def check(
    source: Source, *, limits: Limits | None = None, progress: Progress | None = None
) -> None:
    """The full pre-pass, for a source opened quickly."""
    if source.format == "csv" and not source.checked:
        _prepass(source, limits or Limits.from_settings(), progress)


@dataclass(frozen=True)
class Scan:
    """What one read of a file's bytes tells the fast path: its hash, the longest line
    across a chunk boundary (a line inside a chunk is under its size; the general path's
    pre-pass measures every line), and whether a double quote or a backslash appears."""

    sha256: str
    longest_line: int
    quoted: bool
    backslash: bool


def scan(path: Path) -> Scan:
    """Read the file once. Only file work, no database: safe in another thread."""
    digest = hashlib.sha256()
    longest = carry = 0  # the longest line so far; the length of the line still open
    quoted = backslash = False
    with path.open("rb") as raw:
        while chunk := raw.read(CHUNK):
            digest.update(chunk)
            quoted = quoted or b'"' in chunk
            backslash = backslash or b"\\" in chunk
            first = chunk.find(b"\n")
            if first < 0:
                carry += len(chunk)
                continue
            longest = max(longest, carry + first)
            carry = len(chunk) - chunk.rfind(b"\n") - 1
    return Scan(digest.hexdigest(), max(longest, carry), quoted, backslash)


def apply_scan(source: Source, scanned: Scan) -> None:
    source.sha256 = scanned.sha256
    source.longest_line = scanned.longest_line
    source.quoted = scanned.quoted
    source.backslash = scanned.backslash
    source.scanned = True


def _quick_look(source: Source) -> None:
    """The header and encoding, from the file's first 64 KB."""
    with source.open_bytes() as handle:
        try:
            head = handle.read(64 << 10)
        except (OSError, EOFError) as error:
            raise _refuse(source.name, f"the compressed file is damaged ({error}).") from None
    line = head.split(b"\n", 1)[0] + b"\n"
    source.header_line = line
    source.encoding = "utf-8-sig" if line.startswith(codecs.BOM_UTF8) else "utf-8"
    text = line.decode("utf-8-sig", errors="replace")
    source.header = [h.strip() for h in _header(source.name, text)]


def _header(name: str, text: str) -> list[str]:
    try:
        return next(csv.reader([text.rstrip("\r\n")]), [])
    except csv.Error as error:  # e.g. a carriage return alone inside the header line
        raise _refuse(name, f"the header line cannot be read as CSV ({error}).") from None


def _open_xlsx(path: Path, name: str, size: int, limits: Limits, sheet: str | None) -> Source:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _refuse(name, "the file looks like a zip archive but is damaged.") from None
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise _refuse(
                name,
                "this is a zip archive, not an .xlsx workbook: extract the CSV files inside "
                "and import them one by one.",
            )
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
                ratio = info.file_size / info.compress_size
                raise _refuse(
                    name,
                    f"part {info.filename!r} of the workbook expands {ratio:,.0f} times: "
                    "refused as a possible decompression bomb.",
                )
        if total > limits.max_uncompressed_bytes:
            raise _refuse(
                name,
                f"the workbook expands to {total / 2**20:,.0f} MB; the limit is "
                f"{limits.max_uncompressed_bytes / 2**20:,.0f} MB.",
            )
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    import openpyxl

    handle = path.open("rb")
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        handle.close()
        raise _refuse(name, f"the workbook cannot be opened ({error}).") from None
    try:
        chosen = None
        candidates = [sheet] if sheet else workbook.sheetnames
        for title in candidates:
            if title not in workbook.sheetnames:
                raise _refuse(
                    name,
                    f"there is no sheet called {title!r}; the sheets are "
                    f"{', '.join(workbook.sheetnames)}.",
                )
            ws = workbook[title]
            ws.reset_dimensions()
            first = next(ws.iter_rows(values_only=True, max_row=1), None)
            if first and any(v is not None and str(v).strip() for v in first):
                chosen = (title, [("" if v is None else str(v)) for v in first])
                break
        if chosen is None:
            raise _refuse(name, "no sheet of the workbook has a header row.")
    finally:
        workbook.close()
        handle.close()
    header = list(chosen[1])
    while header and header[-1] == "":
        header.pop()
    return Source(
        path=path,
        name=name,
        format="xlsx",
        compression="zip",
        size=size,
        sha256=digest.hexdigest(),
        encoding="xlsx",
        header=header,
        sheet=chosen[0],
    )


def _prepass(source: Source, limits: Limits, progress: Progress | None) -> None:
    """One pass over the bytes: hash, decompressed size, NULs, line lengths, encoding,
    header and repeated headers."""
    if not source.sha256:
        digest = hashlib.sha256()
        with source.path.open("rb") as raw:
            while chunk := raw.read(CHUNK):
                digest.update(chunk)
        source.sha256 = digest.hexdigest()

    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    total = 0
    lines = 0
    header_line = b""
    repeats = 0
    tail = b""
    try:
        for chunk in source.iter_bytes():
            total += len(chunk)
            if total > limits.max_uncompressed_bytes or (
                source.compression and total > source.size * limits.max_ratio
            ):
                limit_mb = limits.max_uncompressed_bytes / 2**20
                raise _refuse(
                    source.name,
                    "the compressed file expands far beyond its size: refused as a possible "
                    "decompression bomb."
                    if source.compression
                    else f"the file is larger than {limit_mb:,.0f} MB.",
                )
            if b"\x00" in chunk:
                raise _refuse(
                    source.name,
                    "the file contains binary data (NUL bytes): it is not a text CSV file.",
                )
            data = tail + chunk
            cut = data.rfind(b"\n") + 1
            complete, tail = data[:cut], data[cut:]
            if complete:
                if not header_line:
                    header_line = complete[: complete.find(b"\n") + 1]
                lengths = list(map(len, complete.split(b"\n")))
                if max(lengths) > limits.max_line_bytes:
                    at = next(i for i, n in enumerate(lengths) if n > limits.max_line_bytes)
                    raise _refuse(
                        source.name,
                        f"line {lines + at + 1:,} is longer than {limits.max_line_bytes:,} bytes.",
                    )
                bare = header_line.rstrip(b"\r\n").removeprefix(codecs.BOM_UTF8)
                if bare:
                    repeats += complete.count(b"\n" + bare + b"\r\n") + complete.count(
                        b"\n" + bare + b"\n"
                    )
                    if lines and complete.startswith(bare):  # right after a chunk boundary
                        repeats += 1
                lines += complete.count(b"\n")
            if len(tail) > limits.max_line_bytes:  # the line still open, counted after those
                raise _refuse(
                    source.name,
                    f"line {lines + 1:,} is longer than {limits.max_line_bytes:,} bytes.",
                )
            if is_utf8:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            if progress is not None:
                progress(total, 0)
        if tail:
            lines += 1
            if not header_line:
                header_line = tail
        if is_utf8:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                is_utf8 = False
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise _refuse(source.name, f"the compressed file is damaged ({error}).") from None
    if not header_line.strip():
        raise _refuse(source.name, "the first line is empty: a header row is expected.")
    if is_utf8:
        encoding = "utf-8-sig" if header_line.startswith(codecs.BOM_UTF8) else "utf-8"
    else:
        encoding = "cp1252"
        try:
            for chunk in source.iter_bytes():
                chunk.decode("cp1252")
        except UnicodeDecodeError as error:
            raise _refuse(
                source.name,
                "the file is neither UTF-8 nor Windows-1252 text "
                f"(byte 0x{error.object[error.start]:02x} has no meaning in either).",
            ) from None
    source.checked = True
    source.encoding = encoding
    source.lines = lines
    source.header_line = header_line
    source.repeated_headers = repeats
    text = header_line.decode("utf-8-sig" if is_utf8 else "cp1252", errors="replace")
    header = _header(source.name, text)
    if len(header) > limits.max_columns:
        raise _refuse(
            source.name, f"the header has {len(header)} columns; the limit is {limits.max_columns}."
        )
    source.header = [h.strip() for h in header]
