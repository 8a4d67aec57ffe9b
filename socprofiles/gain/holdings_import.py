"""Reading an agency's holdings from a CSV or .xlsx file through the declarative mappings
in socprofiles/gain/mappings/ (the ingest machinery's: headers as partners name them, one
cleaning function per value type, every file checked for size, kind and encoding). A file
with any bad row is refused whole, with a report naming each row, column and reason."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from socprofiles.accounts.models import Organisation
from socprofiles.datasets.ingest.errors import ImportRefused, RowProblem
from socprofiles.datasets.ingest.feeds import load_mapping
from socprofiles.datasets.ingest.sources import open_source
from socprofiles.datasets.ingest.specs import Mapper, TableSpec

from . import services
from .engine import kinds

MAPPINGS = Path(__file__).resolve().parent / "mappings"
MAX_BAD_ROWS = 100


@cache
def mappings() -> dict[str, TableSpec]:
    """One mapping per kind of record; each must give the kind's fields only."""
    found = {}
    for kind in kinds():
        spec = load_mapping(MAPPINGS / f"{kind}.yaml")
        unknown = set(spec.fields) - {"reference", *kinds()[kind].fields}
        if unknown:
            raise ValueError(f"{kind}.yaml: fields {sorted(unknown)} are not {kind} fields")
        found[kind] = spec
    return found


def holdings_import(
    *, actor: Any, organisation: Organisation, kind: str, path: Path, name: str | None = None
) -> int:
    """Load the file's rows as the agency's holdings of the kind: all or nothing."""
    spec = mappings().get(kind)
    if spec is None:
        raise ImportRefused(f"{kind!r} is not a kind of record: use {', '.join(mappings())}.")
    source = open_source(path, name=name or path.name)
    mapper = Mapper(spec, source.header, source.name)
    rows: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for number, raw in source.rows():
        values, found = mapper.clean(number, raw)
        if found:
            problems += found
            if len({p.row for p in problems}) > MAX_BAD_ROWS:
                break
            continue
        assert values is not None
        rows.append({field: (value.isoformat() if isinstance(value, date) else value)
                     for field, value in zip(spec.fields, values, strict=True)})  # fmt: skip
    if problems:
        bad = len({p.row for p in problems})
        raise ImportRefused(
            f"{source.name}: {bad}{'+' if bad > MAX_BAD_ROWS else ''} row(s) cannot be "
            "imported, so nothing was imported. Correct them and import the file again.",
            problems, bad_rows=bad,
        )  # fmt: skip
    if not rows:
        raise ImportRefused(f"{source.name}: there are no rows under the header.")
    return services.holdings_load(actor=actor, organisation=organisation, kind=kind, rows=rows,
                                  source=source.name)  # fmt: skip
