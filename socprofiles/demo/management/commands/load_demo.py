from typing import Any

from django.core.management.base import BaseCommand

from socprofiles.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo partnership (County Durham and Darlington): real public bodies, "
        "fictional people, shipped real data. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(say=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
