"""What each kind of file looks like and where its values go.

A TableSpec names the columns a file must have (by header, or by position where the
publisher repeats or blanks headers), how each value is cleaned, which are required, and
the natural key that makes a re-import change nothing. Built-in specs cover the real
published formats; partner feeds build theirs from YAML (feeds.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import cleaning as c
from .errors import CleanError, ImportRefused, RowProblem
from .sources import normalise_header


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]  # accepted header names; the first is the one we show
    clean: c.Cleaner = c.text
    required: bool = False
    position: int | None = None  # for files whose headers repeat or are blank

    @property
    def label(self) -> str:
        return self.headers[0] if self.headers else self.field


@dataclass(frozen=True)
class TableSpec:
    kind: str
    label: str
    columns: tuple[Column, ...]
    target: str  # a fact table name, or "orm:<app_label.Model>", or "feed"
    key: tuple[str, ...] = ()
    lsoa_field: str | None = None
    min_fields: int | None = None  # rows may stop early (trailing empty columns dropped)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def fields(self) -> list[str]:
        return [col.field for col in self.columns]

    def header_text(self) -> str:
        return ", ".join(col.label for col in self.columns)


class Mapper:
    """Turns a raw row into cleaned values for one file, once its header is known."""

    def __init__(self, spec: TableSpec, header: list[str], file_name: str) -> None:
        self.spec = spec
        self.file_name = file_name
        found = [normalise_header(h) for h in header]
        self.indexes: list[int] = []
        missing = []
        for col in spec.columns:
            if col.position is not None:
                ok = col.position < len(found) and (
                    not col.headers
                    or found[col.position] in {normalise_header(h) for h in col.headers}
                )
                if not ok:
                    missing.append(col.label)
                self.indexes.append(col.position)
                continue
            wanted = {normalise_header(h) for h in col.headers}
            index = next((i for i, name in enumerate(found) if name in wanted), None)
            if index is None:
                if col.required:
                    missing.append(col.label)
                self.indexes.append(-1)
            else:
                self.indexes.append(index)
        if missing:
            raise ImportRefused(
                f"{file_name}: this is not a {spec.label} file: "
                f"{'the column' if len(missing) == 1 else 'the columns'} "
                f"{', '.join(repr(m) for m in missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing. Its columns are: "
                f"{', '.join(header) or '(none)'}."
            )
        self.width = len(header)
        # Problems name the column as the file names it.
        self.labels = [
            header[i].strip() if 0 <= i < len(header) and header[i].strip() else col.label
            for col, i in zip(spec.columns, self.indexes, strict=True)
        ]

    def clean(self, number: int, row: list[Any]) -> tuple[list[Any] | None, list[RowProblem]]:
        problems: list[RowProblem] = []
        minimum = self.spec.min_fields or self.width
        if len(row) < minimum or len(row) > self.width:
            trimmed = list(row)
            while len(trimmed) > self.width and (trimmed[-1] is None or trimmed[-1] == ""):
                trimmed.pop()
            if not minimum <= len(trimmed) <= self.width:
                return None, [
                    RowProblem(
                        number,
                        "(whole row)",
                        ",".join("" if v is None else str(v) for v in row)[:200],
                        f"{len(row)} values where the header has {self.width}",
                    )
                ]
            row = trimmed
        values: list[Any] = []
        for col, index, label in zip(self.spec.columns, self.indexes, self.labels, strict=True):
            raw = row[index] if 0 <= index < len(row) else None
            try:
                value = col.clean(raw)
            except CleanError as error:
                problems.append(RowProblem(number, label, _shown(raw), f"expected {error}"))
                values.append(None)
                continue
            if value is None and col.required:
                problems.append(RowProblem(number, label, "", "a value is required"))
            values.append(value)
        return (None if problems else values), problems


def _shown(raw: Any) -> str:
    return "" if raw is None else str(raw)


def _cols(*specs: tuple[str, str, c.Cleaner, bool]) -> tuple[Column, ...]:
    return tuple(Column(f, (h,), clean, required) for f, h, clean, required in specs)


# The columns police.uk's street-crime and outcomes files share, in their published order.
_POLICE_PLACE = _cols(
    ("month", "Month", c.month, True),
    ("reported_by", "Reported by", c.text, False),
    ("falls_within", "Falls within", c.text, False),
    ("longitude", "Longitude", c.longitude, False),
    ("latitude", "Latitude", c.latitude, False),
    ("location", "Location", c.text, False),
    ("lsoa_code", "LSOA code", c.lsoa_code, False),
    ("lsoa_name", "LSOA name", c.text, False),
)

POLICE_STREET = TableSpec(
    kind="police_street",
    label="police.uk street crime",
    target="datasets_streetcrime",
    lsoa_field="lsoa_code",
    min_fields=11,  # older files omit the trailing Context column on some rows
    columns=_cols(("crime_id", "Crime ID", c.text, False))
    + _POLICE_PLACE
    + _cols(
        ("crime_type", "Crime type", c.text, True),
        ("last_outcome", "Last outcome category", c.text, False),
        ("context", "Context", c.text, False),
    ),
)

POLICE_OUTCOMES = TableSpec(
    kind="police_outcomes",
    label="police.uk outcomes",
    target="datasets_crimeoutcome",
    lsoa_field="lsoa_code",
    columns=_cols(("crime_id", "Crime ID", c.text, True))
    + _POLICE_PLACE
    + _cols(("outcome_type", "Outcome type", c.text, True)),
)

POLICE_STOP_SEARCH = TableSpec(
    kind="police_stop_search",
    label="police.uk stop and search",
    target="datasets_stopsearch",
    columns=_cols(
        ("search_type", "Type", c.text, True),
        ("searched_at", "Date", c.datetime_text, True),
        ("part_of_operation", "Part of a policing operation", c.boolean, False),
        ("operation", "Policing operation", c.text, False),
        ("latitude", "Latitude", c.latitude, False),
        ("longitude", "Longitude", c.longitude, False),
        ("gender", "Gender", c.text, False),
        ("age_range", "Age range", c.text, False),
        ("self_defined_ethnicity", "Self-defined ethnicity", c.text, False),
        ("officer_defined_ethnicity", "Officer-defined ethnicity", c.text, False),
        ("legislation", "Legislation", c.text, False),
        ("object_of_search", "Object of search", c.text, False),
        ("outcome", "Outcome", c.text, False),
        ("outcome_linked", "Outcome linked to object of search", c.boolean, False),
        ("outer_clothing_removed", "Removal of more than just outer clothing", c.boolean, False),
    ),
)

_IOD_HEAD = _cols(
    ("lsoa_code", "LSOA code (2011)", c.lsoa_code, True),
    ("lsoa_name", "LSOA name (2011)", c.text, False),
    ("lad_code", "Local Authority District code (2019)", c.area_code, False),
    ("lad_name", "Local Authority District name (2019)", c.text, False),
)

IMD2019_RANK = TableSpec(
    kind="imd2019_rank",
    label="Indices of Deprivation 2019 File 1 (IMD rank and decile)",
    target="orm:datasets.Imd2019Rank",
    key=("lsoa_code",),
    lsoa_field="lsoa_code",
    columns=_IOD_HEAD
    + _cols(
        ("imd_rank", "Index of Multiple Deprivation (IMD) Rank", c.integer, True),
        ("imd_decile", "Index of Multiple Deprivation (IMD) Decile", c.integer, True),
    ),
)

_DOMAIN_HEADERS = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living": "Living Environment",
}

IMD2019_DOMAINS = TableSpec(
    kind="imd2019_domains",
    label="Indices of Deprivation 2019 File 2 (domains)",
    target="orm:datasets.Imd2019Domains",
    key=("lsoa_code",),
    lsoa_field="lsoa_code",
    columns=_IOD_HEAD
    + tuple(
        col
        for name, head in _DOMAIN_HEADERS.items()
        for col in (
            Column(f"{name}_rank", (f"{head} Rank (where 1 is most deprived)",), c.integer, True),
            Column(
                f"{name}_decile",
                (f"{head} Decile (where 1 is most deprived 10% of LSOAs)",),
                c.integer,
                True,
            ),
        )
    ),
)

IMD2019_POPULATION = TableSpec(
    kind="imd2019_population",
    label="Indices of Deprivation 2019 File 6 (population denominators)",
    target="orm:datasets.Imd2019Population",
    key=("lsoa_code",),
    lsoa_field="lsoa_code",
    columns=_IOD_HEAD
    + _cols(
        ("total", "Total population: mid 2015 (excluding prisoners)", c.integer, True),
        (
            "children_0_15",
            "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
            c.integer,
            True,
        ),
        ("aged_16_59", "Population aged 16-59: mid 2015 (excluding prisoners)", c.integer, True),
        (
            "aged_60_plus",
            "Older population aged 60 and over: mid 2015 (excluding prisoners)",
            c.integer,
            True,
        ),
        (
            "working_age",
            "Working age population 18-59/64: for use with Employment Deprivation Domain "
            "(excluding prisoners)",
            c.integer,
            True,
        ),
    ),
)

# The ONS spreadsheet export repeats "Persons" three times and leaves one column without a
# header, so its columns are taken by position (and their headers checked).
CENSUS2011_POPULATION = TableSpec(
    kind="census2011_population",
    label="2011 Census LSOA population and households",
    target="orm:datasets.CensusPopulation",
    key=("lsoa_code",),
    lsoa_field="lsoa_code",
    columns=(
        Column("region_code", ("Region code",), c.text, False, 0),
        Column("region_name", ("Region name",), c.text, False, 1),
        Column("lad_code", ("Local authority code",), c.area_code, True, 2),
        Column("lad_name", ("Local authority name",), c.text, False, 3),
        Column("msoa_code", ("MSOA Code",), c.area_code, True, 4),
        Column("msoa_name", ("MSOA Name",), c.text, False, 5),
        Column("lsoa_code", ("LSOA Code",), c.lsoa_code, True, 6),
        Column("lsoa_name", ("LSOA Name",), c.text, False, 7),
        Column("residents", ("Persons",), c.integer, True, 9),
        Column("household_residents", ("Persons",), c.integer, True, 10),
        Column("communal_residents", ("Persons",), c.integer, True, 11),
        Column("hectares", ("Hectares",), c.decimal, True, 12),
        Column("households", ("Households",), c.integer, True, 14),
    ),
)

BUILT_IN: dict[str, TableSpec] = {
    spec.kind: spec
    for spec in (
        POLICE_STREET,
        POLICE_OUTCOMES,
        POLICE_STOP_SEARCH,
        IMD2019_RANK,
        IMD2019_DOMAINS,
        IMD2019_POPULATION,
        CENSUS2011_POPULATION,
    )
}


def guess_kind(header: list[str], specs: dict[str, TableSpec]) -> str | None:
    """Which known kind this header belongs to, if any (for 'wrong kind' messages)."""
    for kind, spec in specs.items():
        try:
            Mapper(spec, header, "")
        except ImportRefused:
            continue
        return kind
    return None
