"""Train a kind's GAIN model again on every agency's records and re-match them all.

python manage.py gain_retrain --kind person
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.audit.services import audit_log
from socprofiles.gain import services
from socprofiles.gain.engine import kinds
from socprofiles.gain.models import Holding, Match


class Command(BaseCommand):
    help = "Retrain the GAIN model of a kind of record and re-match every agency's records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=sorted(kinds()))

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        agencies = Holding.objects.filter(kind=kind).values("organisation").distinct().count()
        if agencies < 2:
            raise CommandError(
                f"Records of {kind} are held by {agencies} agenc{'y' if agencies == 1 else 'ies'}"
                "; matching needs at least two."
            )
        self.stderr.write(f"Training on {Holding.objects.filter(kind=kind).count():,} records "
                          f"of {agencies} agencies ...")  # fmt: skip
        result = services.retrain(kind)
        for note in result.notes:
            self.stderr.write(f"  note: {note}")
        detail = {"kind": kind, "records": result.records, "pairs": len(result.pairs)}
        audit_log(actor=None, action="gain.retrained", target=None, detail=detail)
        self.stdout.write(
            f"{kind}: {result.records:,} records, {Match.objects.filter(kind=kind).count():,} "
            f"matches kept, {len(result.subjects()):,} subjects held by two or more agencies, "
            f"{result.seconds:.1f} s."
        )
