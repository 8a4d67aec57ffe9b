"""python manage.py analyse --area CODE --from YYYY-MM --to YYYY-MM --output DIR"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.accounts.models import Area, Partnership
from socprofiles.core.exceptions import ServiceError

from ... import selectors, services
from ...outputs import write_all


class Command(BaseCommand):
    help = (
        "Analyse an area's threat picture for a period (counts, rates, trends, hotspots, "
        "criminal markets) and write the tables, hotspots and figures to a directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", required=True, help="area code, e.g. E23000008 or E06000047")
        parser.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
        parser.add_argument("--output", type=Path, required=True, help="directory to write to")
        parser.add_argument(
            "--partnership",
            help="slug of the partnership whose data to use (if several cover the area)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            period = services.period_from(options["start"], options["end"])
        except ServiceError as error:
            raise CommandError(error.message) from None
        partnership, area = self._where(options["area"], options.get("partnership"))
        self.stdout.write(
            f"Analysing {area.name} ({area.code}) for {period} with {partnership.name}'s data..."
        )
        version = selectors.data_version(partnership=partnership)
        cached = (
            selectors.cached_result(
                partnership=partnership, area=area, period=period, version=version
            )
            is not None
        )
        try:
            stored = services.analysis_run(
                actor=None, partnership=partnership, area=area, period=period
            )
        except ServiceError as error:
            raise CommandError(error.message) from None
        codes = {h["lsoa_code"] for h in stored.result["hotspots"]}
        written = write_all(stored.result, selectors.geometries(codes=codes), options["output"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(written)} files to {options['output']} in "
                f"{time.perf_counter() - started:.1f} s "
                f"({'the result cached for this data version' if cached else 'computed now'})."
            )
        )

    def _where(self, code: str, slug: str | None) -> tuple[Partnership, Area]:
        areas = list(Area.objects.filter(code=code))
        if not areas:
            raise CommandError(f"There is no area with the code {code!r}.")
        candidates = []
        for partnership in Partnership.objects.filter(is_active=True).select_related("area"):
            if slug and partnership.slug != slug:
                continue
            for area in selectors.areas_for_partnership(partnership=partnership):
                if area.code == code:
                    candidates.append((partnership, area))
        if not candidates:
            raise CommandError(
                f"No partnership{' ' + repr(slug) if slug else ''} covers the area {code}."
            )
        if len(candidates) > 1:
            names = ", ".join(p.slug for p, _ in candidates)
            raise CommandError(
                f"Several partnerships cover {code}: choose one with --partnership ({names})."
            )
        return candidates[0]
