"""Matching any table of people (or businesses, vehicles, premises) with the GAIN engine:
columns are recognised by name (given/first name, surname, date of birth, address parts,
postcode, phone, identifiers...), each gets the comparison for its kind of value, and the
blocking and training rules follow from the columns present. Used by `manage.py
gain_match` (two files linked, or one deduplicated) and by the benchmarks.

Each file needs an ``id`` column; the other columns that are not recognised are ignored
(and listed in the notes)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .matching import CLEANERS, MatchSettings, run_splink

# field -> (comparison type, the header names it is known by, normalised)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "first_name": ("name", ("first_name", "given_name", "forename", "forenames", "firstname",
                            "given", "first")),
    "surname": ("name", ("surname", "last_name", "family_name", "lastname")),
    "name": ("name", ("name", "full_name", "business_name", "company_name", "trading_name")),
    "dob": ("dob", ("dob", "date_of_birth", "birth_date", "dateofbirth", "born")),
    "street_number": ("exact", ("street_number", "house_number", "house_no", "building_number")),
    "address_1": ("address", ("address_1", "address_line_1", "address1", "street", "address")),
    "address_2": ("address", ("address_2", "address_line_2", "address2", "locality")),
    "town": ("address", ("suburb", "town", "city", "post_town")),
    "county": ("exact", ("state", "county", "region")),
    "postcode": ("postcode", ("postcode", "post_code", "postal_code", "zip")),
    "phone": ("identifier", ("phone", "telephone", "mobile", "phone_number", "tel")),
    "id_number": ("identifier", ("soc_sec_id", "ni_number", "national_insurance_number",
                                 "nino", "pnc_id", "id_number")),
    "company_number": ("identifier", ("company_number", "crn", "registered_number")),
    "vrm": ("identifier", ("vrm", "registration", "vehicle_registration", "reg_number")),
    "email": ("exact", ("email", "email_address")),
    "sex": ("exact", ("sex", "gender")),
}  # fmt: skip

# Candidate pairs: any rule whose columns are all present is used.
BLOCKING: tuple[tuple[str, ...], ...] = (
    ("first_name", "surname"),
    ("surname", "dob"),
    ("first_name", "dob"),
    ("postcode", "surname"),
    ("postcode", "first_name"),
    ("dob", "postcode"),
    ("dob", "town"),
    ("street_number", "town"),
    ("id_number",),
    ("phone",),
    ("company_number",),
    ("vrm",),
    ("email",),
    ("name", "postcode"),
    ("address_1", "postcode"),
)
# Not on postcode alone: within a postcode, expectation maximisation learns households,
# not people. Date of birth with the town where there is one (fewer pairs, same signal).
TRAINING: tuple[tuple[str, ...], ...] = (
    ("first_name", "surname"),
    ("dob", "town"),
    ("dob",),
    ("name",),
)
DETERMINISTIC: tuple[tuple[str, ...], ...] = (
    ("first_name", "surname", "dob"),
    ("name", "postcode"),
    ("id_number",),
)
_HEADER = re.compile(r"[^a-z0-9]+")
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
_KNOWN = {header: name for name, (_t, headers) in FIELDS.items() for header in headers}


class TableError(ValueError):
    """A table the engine cannot match; the message names the file and what is wrong."""


def normalise_header(header: Any) -> str:
    return _HEADER.sub("_", str(header).strip().lower().lstrip("\ufeff")).strip("_")


@dataclass
class Table:
    name: str  # the file name, for messages
    frame: Any  # pandas DataFrame: uid and the recognised fields, cleaned
    columns: dict[str, str]  # field -> the file's header
    ignored: list[str] = field(default_factory=list)


def recognise(name: str, headers: Iterable[Any]) -> tuple[str, dict[str, str], list[str]]:
    """The id column's header, field -> header for the recognised columns, and the ignored
    headers. The first header known as a field wins; a repeat is ignored."""
    headers = [str(h) for h in headers]
    ids = [h for h in headers if normalise_header(h) == "id"]
    if not ids:
        raise TableError(
            f"{name}: there is no 'id' column; each file needs one (its columns are: "
            f"{', '.join(headers) or '(none)'})."
        )
    columns: dict[str, str] = {}
    ignored = []
    for header in headers:
        if header == ids[0]:
            continue
        found = _KNOWN.get(normalise_header(header))
        if found and found not in columns:
            columns[found] = header
        else:
            ignored.append(header)
    if not columns:
        known = ", ".join(sorted(_KNOWN))
        raise TableError(
            f"{name}: none of its columns can be matched; name them as one of {known}."
        )
    return ids[0], columns, ignored


def prepare(name: str, raw: Any) -> Table:
    """Recognise and clean a pandas DataFrame read (as text) from a file."""
    import pandas as pd

    id_header, columns, ignored = recognise(name, raw.columns)
    ids = raw[id_header].astype("string").str.strip()
    if ids.isna().any() or (ids == "").any():
        row = int(((ids.isna()) | (ids == "")).to_numpy().nonzero()[0][0]) + 2
        raise TableError(f"{name}, row {row}, column {id_header}: the id is empty.")
    repeated = ids.duplicated(keep=False)
    if repeated.any():
        rows = [int(i) + 2 for i in repeated.to_numpy().nonzero()[0][:2]]
        raise TableError(
            f"{name}, rows {rows[0]} and {rows[1]}, column {id_header}: the id "
            f"{ids.iloc[rows[0] - 2]!r} appears twice; ids must be unique in a file."
        )
    frame = pd.DataFrame({"uid": ids.to_numpy()})
    for column, header in columns.items():
        frame[column] = clean_column(raw[header], comparison_type(column, raw[header]))
    return Table(name, frame, columns, ignored)


def comparison_type(column: str, values: Any = None) -> str:
    """The comparison for a field; a postcode column that is not British (FEBRL's are
    Australian) is compared as an identifier."""
    kind = FIELDS[column][0]
    if kind == "postcode" and values is not None:
        sample = values.dropna().astype(str).str.strip().str.upper().head(1000)
        if len(sample) and sample.str.match(_UK_POSTCODE).mean() < 0.5:
            return "identifier"
    return kind


# What Python's str.isspace() calls whitespace (and so re's \s in matching.clean_name),
# spelt out for Arrow's RE2, whose \s is ASCII only.
_WHITESPACE = (r"[\t\n\x{0B}\f\r \x{1C}-\x{1F}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}"
               r"\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]+")  # fmt: skip


def clean_column(values: Any, kind: str) -> Any:
    """The column cleaned as the engine's cleaner for its kind cleans each value
    (matching.CLEANERS; a test holds them equal): in Arrow's compute kernels where the
    cleaning is textual, otherwise each distinct value once (dates repeat a great deal).
    Lower-casing is Unicode's simple case mapping, as Python's but for a handful of
    letters that lower-case to two (such as a dotted capital I)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind not in ("name", "exact", "address", "identifier", "postcode"):
        cleaner = CLEANERS[kind]
        mapped = values.map({value: cleaner(value) for value in values.dropna().unique()})
        return mapped.astype(object).where(mapped.notna(), None)
    try:  # pandas' own Arrow-backed strings need no conversion
        text = pa.chunked_array(values.array._pa_array).combine_chunks().cast(pa.string())
    except AttributeError:
        text = pa.array(values.astype(object), type=pa.string(), from_pandas=True)
    if kind in ("name", "exact", "address"):
        text = pc.replace_substring_regex(text, pattern=_WHITESPACE, replacement=" ")
        text = pc.utf8_lower(pc.utf8_trim(text, characters=" "))
    else:
        text = pc.utf8_upper(pc.replace_substring_regex(text, pattern="[^A-Za-z0-9]",
                                                        replacement=""))  # fmt: skip
        if kind == "postcode":
            spaced = pc.binary_join_element_wise(
                pc.utf8_slice_codeunits(text, 0, -3), pc.utf8_slice_codeunits(text, -3), " "
            )
            text = pc.if_else(pc.greater_equal(pc.utf8_length(text), 5), spaced, text)  # fmt: skip
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index)


@dataclass
class TableMatch:
    pairs: Any  # DataFrame: left_id, right_id, match_probability (and match_weight)
    comparisons: list[tuple[str, str]]
    blocking: list[tuple[str, ...]]
    notes: list[str]
    seconds: float
    model: dict[str, Any]


Rule = tuple[str, ...]


def rules_for(
    tables: list[Table],
) -> tuple[list[tuple[str, str]], list[Rule], list[Rule], list[Rule]]:
    """Comparisons, blocking, training and deterministic rules for the columns that every
    table has."""
    shared = [c for c in tables[0].frame.columns if c != "uid"]
    for table in tables[1:]:
        shared = [c for c in shared if c in table.frame.columns]
    if not shared:
        raise TableError(
            f"{' and '.join(t.name for t in tables)} have no matchable column in common."
        )
    types = {c: comparison_type(c, tables[0].frame[c]) for c in shared}
    present = set(shared)
    comparisons = [(c, types[c]) for c in shared]
    if {"address_1", "postcode"} <= present:
        combined = [c for c in ("address_1", "postcode", "town") if c in present]
        first = min(shared.index(c) for c in combined)
        comparisons = [(c, t) for c, t in comparisons if c not in combined]
        comparisons.insert(first, ("|".join(combined), "combined_address"))

    def usable(rules: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
        return [rule for rule in rules if set(rule) <= present]

    blocking = usable(BLOCKING) or [(shared[0],)]
    training = usable(TRAINING) or blocking[:2]
    if ("dob", "town") in training:  # the narrower rule stands in for date of birth alone
        training.remove(("dob",))
    deterministic = usable(DETERMINISTIC) or blocking[:1]
    return comparisons, blocking, training, deterministic


def match_tables(
    tables: list[Table], *, threshold: float = 0.9, settings: MatchSettings | None = None
) -> TableMatch:
    """Link two tables (pairs across them) or deduplicate one (pairs within it). The
    pairs at or above the threshold, with the first table's id on the left."""
    started = time.perf_counter()
    if len(tables) not in (1, 2):
        raise TableError("Give one file to deduplicate or two to link.")
    settings = settings or MatchSettings(threshold=threshold, u_max_pairs=1e6)
    settings = MatchSettings(**{**settings.__dict__, "threshold": threshold})
    comparisons, blocking, training, deterministic = rules_for(tables)
    frames = {t.name if i == 0 else f"{t.name} ": t.frame for i, t in enumerate(tables)}
    run = run_splink(
        frames, "link_only" if len(tables) == 2 else "dedupe_only", comparisons, blocking,
        training, settings, explain=False, cluster=False, deterministic=deterministic,
    )  # fmt: skip
    pairs = _oriented(run.predictions, next(iter(run.tokens)) if len(tables) == 2 else None)
    notes = list(run.notes)
    for table in tables:
        if table.ignored:
            notes.append(f"{table.name}: columns not used: {', '.join(table.ignored)}")
    return TableMatch(pairs, comparisons, blocking, notes,
                      round(time.perf_counter() - started, 3), run.model)  # fmt: skip


def _oriented(predictions: Any, first: str | None) -> Any:
    """Pairs with the first table's id on the left (first: Splink's name for the first
    table when linking two; None when deduplicating one)."""
    import pandas as pd

    if not len(predictions):
        return pd.DataFrame(columns=["left_id", "right_id", "match_probability", "match_weight"])
    left, right = predictions["uid_l"].astype(str), predictions["uid_r"].astype(str)
    if first is not None:
        swap = predictions["source_dataset_l"] != first
        left, right = left.where(~swap, right), right.where(~swap, left)
    return pd.DataFrame(
        {
            "left_id": left.to_numpy(),
            "right_id": right.to_numpy(),
            "match_probability": predictions["match_probability"].to_numpy(),
            "match_weight": predictions["match_weight"].to_numpy(),
        }
    )


def read_table(path: Any, *, name: str | None = None) -> Table:
    """A CSV (or .xlsx) file, checked as every import is (size, kind of file, encoding),
    read as text and prepared."""
    import pandas as pd

    from socprofiles.datasets.ingest.errors import ImportRefused
    from socprofiles.datasets.ingest.sources import open_source

    path = Path(path)
    try:
        source = open_source(path, name=name)
    except ImportRefused as error:
        raise TableError(error.message) from None
    if source.format == "xlsx":
        rows = list(source.rows())
        raw = pd.DataFrame([r for _n, r in rows], columns=source.header[: len(rows[0][1])]
                           if rows else source.header, dtype="string")  # fmt: skip
    else:
        encoding = "utf-8-sig" if source.encoding.startswith("utf-8") else source.encoding
        raw = pd.read_csv(
            path, dtype="string", keep_default_na=False, na_values=[""], encoding=encoding,
            compression="gzip" if source.compression else None,
        )  # fmt: skip
    return prepare(source.name, raw)


_FORMULA = r"^[=+\-@\t\r\n|]"


def write_pairs(pairs: Any, handle: Any) -> int:
    """The pairs as CSV (left_id, right_id, match_probability), ids that a spreadsheet
    would read as a formula prefixed with an apostrophe, as core.csvsafe does."""
    frame = pairs[["left_id", "right_id", "match_probability"]].copy()
    for column in ("left_id", "right_id"):
        ids = frame[column].astype(str)
        frame[column] = ids.where(~ids.str.contains(_FORMULA, regex=True), "'" + ids)
    frame.to_csv(handle, index=False, float_format="%.6f", lineterminator="\r\n")
    return len(frame)
