"""Load an agency's GAIN holdings from a CSV or .xlsx file (for files too big to upload
through the page). All or nothing; the records are matched as they are loaded.

    python manage.py gain_holdings --organisation durham-constabulary --kind person \
        --user durham.analyst FILE.csv
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.accounts.models import Organisation, User
from socprofiles.core.exceptions import ServiceError
from socprofiles.datasets.ingest.errors import ImportRefused
from socprofiles.gain.engine import kinds
from socprofiles.gain.holdings_import import holdings_import


class Command(BaseCommand):
    help = "Load an agency's GAIN holdings of one kind from a CSV or .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--organisation", required=True, help="The agency's slug.")
        parser.add_argument("--kind", required=True, choices=sorted(kinds()))
        parser.add_argument(
            "--user", required=True,
            help="The agency's person loading them (recorded in the audit).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation {options['organisation']!r}.")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or user.organisation_id != organisation.pk:
            raise CommandError(f"{options['user']!r} is not an active person of {organisation}.")
        # At the console the operator stands in for the person's second factor.
        user.is_verified = lambda: True  # type: ignore[attr-defined]
        try:
            count = holdings_import(actor=user, organisation=organisation,
                                    kind=options["kind"], path=options["path"])  # fmt: skip
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{count:,} {options['kind']} records loaded for {organisation}.")
