from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.core.backups import BackupError, backup_restore, read_manifest


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `backup` into the configured database (or the one "
        "--database-url names), then verify it: every table's row count and the audit chain "
        "must be as the backup recorded them (exit status 1 if not). Stop the web processes "
        "and task workers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--database-url",
            help="restore into this database (postgres://... or sqlite:///...) instead",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the contents of a target database that already has tables",
        )
        parser.add_argument(
            "--show", action="store_true", help="print the archive's manifest and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            if options["show"]:
                manifest = read_manifest(archive)
                self.stdout.write(
                    f"{manifest['vendor']} backup of {manifest['created_at']} "
                    f"({manifest['tool']}): {len(manifest['tables'])} tables, "
                    f"{sum(manifest['tables'].values()):,} rows, audit chain of "
                    f"{manifest['audit']['events']:,} event(s)"
                )
                return
            report = backup_restore(
                archive=archive, target_url=options["database_url"], replace=options["replace"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not report.ok:
            problems = "\n  ".join(report.problems)
            raise CommandError(
                f"Restored, but the database is not the one backed up:\n  {problems}",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {report.tables} tables, {report.rows:,} rows, "
                f"audit chain of {report.audit_events:,} event(s) intact, as backed up."
            )
        )
