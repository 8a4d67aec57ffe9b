"""python manage.py morile_score --model thematic INPUT.csv [--output OUT.csv]"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.core.csvsafe import spreadsheet_safe
from socprofiles.morile.engine import ValueNotOnScale, get_model


class Command(BaseCommand):
    help = "Score issues from a CSV file with a MoRiLE model and write the totals as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path, help="CSV: a name column and one per factor")
        parser.add_argument(
            "--model", default="thematic", help="thematic, tactical or name@version"
        )
        parser.add_argument("--output", type=Path, help="where to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = get_model(options["model"])
        except KeyError as error:
            raise CommandError(str(error.args[0])) from None
        path: Path = options["input"]
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file.")
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        wanted = ["name", *model.factor_keys]
        missing = [c for c in wanted if c not in header]
        if missing:
            raise CommandError(
                f"{path.name}: the columns {', '.join(missing)} are missing; model {model.id} "
                f"needs: {', '.join(wanted)}."
            )
        problems = []
        scored = []
        for number, row in enumerate(reader, start=2):
            values = {}
            for key in model.factor_keys:
                raw = (row.get(key) or "").strip()
                try:
                    values[key] = model.factor(key).check(raw)
                except ValueNotOnScale as error:
                    allowed = ", ".join(f"{v:g}" for v in model.allowed(key))
                    problems.append(
                        f"row {number}, column {key}: {raw!r} is not on the scale; "
                        f"allowed: {allowed}"
                    )
                    del error
            if len(values) == len(model.factor_keys):
                scored.append((row, model.score(values)))
        if problems:
            for line in problems[:50]:
                self.stderr.write(line)
            raise CommandError(
                f"{path.name}: {len(problems)} value(s) are not on model {model.id}'s scales; "
                "nothing was scored.",
                returncode=1,
            )
        out = (
            options["output"].open("w", newline="", encoding="utf-8")
            if options["output"]
            else sys.stdout
        )
        try:
            writer = csv.writer(out)
            writer.writerow([*wanted, *model.output_keys])
            for row, score in scored:
                writer.writerow(
                    [spreadsheet_safe(row["name"])]
                    + [f"{score.inputs[k]:g}" for k in model.factor_keys]
                    + [f"{score.outputs[k]:g}" for k in model.output_keys]
                )
        finally:
            if options["output"]:
                out.close()
        if options["output"]:
            self.stderr.write(
                f"{len(scored)} issue(s) scored with {model.id} into {options['output']}."
            )
