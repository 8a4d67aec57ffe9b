"""Match people (or businesses, vehicles, premises) in CSV files with the GAIN engine, for
analysts and benchmarks. Nothing is read from or written to the database.

    python manage.py gain_match --left A.csv --right B.csv --output PAIRS.csv
    python manage.py gain_match --dedupe A.csv --output PAIRS.csv

Each file needs an ``id`` column; the other columns are matched by name (given/first
name, surname, date of birth, address parts, postcode, phone, identifiers; see
docs/how-to/gain.md). The output has one row per matched pair:
``left_id,right_id,match_probability`` (for --dedupe both ids come from the one file).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.gain.engine.tabular import TableError, match_tables, read_table, write_pairs


class Command(BaseCommand):
    help = "Link two CSV files of records, or deduplicate one, and write the matched pairs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--left", type=Path, help="The first file to link.")
        parser.add_argument("--right", type=Path, help="The second file to link.")
        parser.add_argument("--dedupe", type=Path, help="A file to deduplicate.")
        parser.add_argument("--output", type=Path, required=True, help="Where to write pairs.")
        parser.add_argument(
            "--threshold", type=float, default=0.9,
            help="Keep pairs at or above this match probability (default 0.9).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        left, right, dedupe = options["left"], options["right"], options["dedupe"]
        if dedupe and (left or right):
            raise CommandError("Give --dedupe FILE, or --left FILE and --right FILE, not both.")
        if not dedupe and not (left and right):
            raise CommandError("Give --left FILE and --right FILE to link, or --dedupe FILE.")
        threshold = options["threshold"]
        if not 0 < threshold < 1:
            raise CommandError(f"--threshold must be between 0 and 1 (got {threshold}).")
        output: Path = options["output"]
        if not output.parent.exists():
            raise CommandError(f"{output}: the folder {output.parent} does not exist.")
        paths = [dedupe] if dedupe else [left, right]
        try:
            tables = []
            for path in paths:
                self.stderr.write(f"Reading {path} ...")
                tables.append(read_table(path))
                self.stderr.write(f"  {len(tables[-1].frame):,} records; matching on "
                                  f"{', '.join(tables[-1].columns)}")  # fmt: skip
            if len(tables) == 2 and tables[0].name == tables[1].name:
                tables[1].name += " (right)"
            self.stderr.write("Training the model and scoring candidate pairs ...")
            result = match_tables(tables, threshold=threshold)
        except TableError as error:
            raise CommandError(str(error)) from None
        for note in result.notes:
            self.stderr.write(f"  note: {note}")
        written = _write(output, result.pairs)
        self.stderr.write(
            f"{written:,} pairs at or above {threshold} written to {output} "
            f"in {result.seconds:.1f} s."
        )


def _write(output: Path, pairs: Any) -> int:
    """Write to a temporary file beside the output and rename it: a failure leaves no
    half-written file."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (renamed into place when done)
        "w", newline="", encoding="utf-8", dir=output.parent, delete=False, suffix=".part"
    )
    try:
        with handle:
            count = write_pairs(pairs, handle)
        os.replace(handle.name, output)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return count
