from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database into one archive (SQLite: the online backup API; PostgreSQL: "
        "pg_dump, custom format) with a manifest of every table's row count and the audit "
        "chain's head. Exit status 1 if the audit chain does not verify (the archive is "
        "still written)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="an archive path ending .tar, or a folder (default: var/backups/)",
        )
        parser.add_argument("--database", default="default", help="the connection to back up")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(output=options["output"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        audit = manifest["audit"]
        self.stdout.write(
            f"{result.path}: {manifest['vendor']} ({manifest['tool']}), "
            f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values()):,} rows, "
            f"{manifest['size']:,} bytes, audit chain of {audit['events']:,} event(s)."
        )
        if not result.ok:
            raise CommandError(
                f"Backup written, but the audit chain does not verify: {audit['problem']}",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Backup written and its audit chain verified."))
