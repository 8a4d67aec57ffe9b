from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.accounts import services
from socprofiles.accounts.models import Organisation
from socprofiles.core.exceptions import ServiceError


class Command(BaseCommand):
    help = "Create a service account (API only, no password) for an organisation's system."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--name", default="", help="a description of the system")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation {options['organisation']!r}.")
        try:
            user = services.user_create(
                username=options["username"],
                full_name=options["name"] or options["username"],
                email="",
                organisation=organisation,
                password=None,
                is_service_account=True,
            )
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(f"Service account {user.username} created."))
