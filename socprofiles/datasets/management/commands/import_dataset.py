"""python manage.py import_dataset KIND PATH... [--owner ORG] [--partnership SLUG] [--json]"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from socprofiles.accounts.models import Organisation, Partnership
from socprofiles.core.exceptions import ServiceError
from socprofiles.datasets import services
from socprofiles.datasets.ingest.feeds import all_feeds
from socprofiles.datasets.models import DataSet, DataSetKind, FileStatus


def resolve_kind(text: str) -> tuple[str, str]:
    """'police_street' or a feed mapping name ('ocg_mapping', or 'feed:ocg_mapping')."""
    name = text.removeprefix("feed:")
    if text in DataSetKind.values and text != DataSetKind.FEED:
        return text, ""
    if name in all_feeds():
        return DataSetKind.FEED, name
    kinds = [k for k in DataSetKind.values if k != DataSetKind.FEED]
    raise CommandError(
        f"{text!r} is not a kind of data. Kinds: {', '.join(kinds)}; feeds: "
        f"{', '.join(all_feeds())}."
    )


class Command(BaseCommand):
    help = "Import files into a data set, all or nothing per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="police_street, imd2019_domains, ... or a feed name")
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--owner", help="slug of the owning organisation")
        parser.add_argument("--partnership", help="slug of the partnership (none: reference data)")
        parser.add_argument("--dataset", help="id of an existing data set to add to")
        parser.add_argument("--title", help="title for a new data set")
        parser.add_argument(
            "--max-rejected",
            type=int,
            default=0,
            help="skip up to this many bad rows per file (default 0: any bad row refuses it)",
        )
        parser.add_argument("--code-field", help="boundaries: the column with the area codes")
        parser.add_argument("--name-field", help="boundaries: the column with the area names")
        parser.add_argument(
            "--keep-in-place",
            action="store_true",
            help="import from where the file is instead of keeping a copy",
        )
        parser.add_argument("--json", action="store_true", help="end with a JSON summary line")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, feed = resolve_kind(options["kind"])
        found = []
        failed: list[str] = []
        for path in options["paths"]:
            if not path.is_file():
                failed.append(path.name)
                self.stderr.write(f"{path}: there is no such file.")
                continue
            found.append((path, path.name))
        totals = {"rows_read": 0, "imported": 0, "duplicates": 0, "rejected": 0, "seconds": 0.0}
        started = time.perf_counter()
        # A new data set and its files are recorded together, or not at all.
        with transaction.atomic():
            dataset = self._dataset(kind, feed, options)
            data_files = services.data_file_register_many(
                actor=None,
                dataset=dataset,
                files=found,
                keep_in_place=options["keep_in_place"],
                max_rejected=options["max_rejected"],
                start=True,  # imported straight after, in this process
            )
        tty = sys.stdout.isatty() and not options["json"]
        extra = {k: options[k] for k in ("code_field", "name_field") if options[k]}
        services.data_file_import_many(
            data_files=data_files,
            progress=self._bar(len(data_files)) if tty else None,
            started=True,
            **extra,
        )
        if tty:
            self.stdout.write("")
        for data_file in data_files:  # the import kept each record up to date
            for key in ("rows_read", "imported", "duplicates", "rejected"):
                totals[key] += getattr(data_file, key)
            line = (
                f"{data_file.original_name}: {data_file.get_status_display()}. {data_file.message}"
            )
            if data_file.status in (FileStatus.IMPORTED, FileStatus.ALREADY_IMPORTED):
                self.stdout.write(line)
            else:
                failed.append(data_file.original_name)
                self.stderr.write(line)
                for problem in data_file.report[:20]:
                    self.stderr.write(
                        f"  row {problem['row']}, column {problem['column']!r}: "
                        f"{problem['reason']} (found {problem['value']!r})"
                    )
        totals["seconds"] = round(time.perf_counter() - started, 3)
        if options["json"]:
            self.stdout.write(json.dumps(totals))
        if failed:
            raise CommandError(f"Not imported: {', '.join(failed)}.", returncode=1)

    def _dataset(self, kind: str, feed: str, options: dict[str, Any]) -> DataSet:
        if options["dataset"]:
            dataset = DataSet.objects.filter(pk=options["dataset"]).first()
            if dataset is None:
                raise CommandError(f"There is no data set {options['dataset']}.")
            if dataset.kind != kind or dataset.feed != feed:
                raise CommandError(
                    f"Data set {dataset.title!r} holds {dataset.get_kind_display()}, "
                    f"not {options['kind']}."
                )
            return dataset
        partnership = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(slug=options["partnership"]).first()
            if partnership is None:
                raise CommandError(f"There is no partnership {options['partnership']!r}.")
        if options["owner"]:
            owner = Organisation.objects.filter(slug=options["owner"]).first()
            if owner is None:
                raise CommandError(f"There is no organisation {options['owner']!r}.")
        elif partnership is not None:
            owner = partnership.lead_organisation
        else:
            raise CommandError("Say who owns the data: --owner ORGANISATION (or --partnership).")
        candidates = DataSet.objects.filter(
            partnership=partnership, owner=owner, kind=kind, feed=feed
        )
        if options["title"]:
            candidates = candidates.filter(title=options["title"])
        existing = candidates.order_by("-created_at").first()
        if existing is not None:
            return existing
        label = all_feeds()[feed].label if feed else DataSetKind(kind).label
        try:
            return services.dataset_create(
                actor=None,
                partnership=partnership,
                owner=owner,
                kind=kind,
                feed=feed,
                title=options["title"] or f"{label} ({owner.display_name})",
            )
        except ServiceError as error:
            raise CommandError(error.message) from None

    def _bar(self, files: int) -> Any:
        out = self.stdout

        def show(stage: str, done: int, total: int) -> None:
            label = f"{files} file{'s' if files != 1 else ''}"
            if total:
                share = min(done / total, 1.0)
                filled = int(share * 30)
                out.write(
                    f"\r{label:10} {stage:9} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%}   ",
                    ending="",
                )
            else:
                out.write(f"\r{label:10} {stage:9} ...", ending="")
            out.flush()

        return show
