from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo partnership (County Durham and Darlington): real public bodies, "
        "fictional people, shipped real data. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true",
            help="Load even though demo log-ins are off (never on a live system).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_LOGINS_ENABLED and not options["force"]:
            raise CommandError(
                "Demo log-ins are off, so this looks like a live system: the demo would add "
                "fictional records to real organisations and act as its demo users. Run it "
                "with the local settings (make demo), or add --force if you are sure."
            )
        load_demo(say=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
