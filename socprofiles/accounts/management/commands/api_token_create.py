from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.accounts import services
from socprofiles.accounts.models import User
from socprofiles.core.exceptions import ServiceError


class Command(BaseCommand):
    help = "Issue an API token to a service account. The key is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the service account's user name")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument("--days", type=int, default=None, help="lifetime (1-366 days)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']!r}.")
        try:
            issued = services.api_token_create(
                actor=None, user=user, name=options["name"], days=options["days"]
            )
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Token {issued.token.name!r} for {user.username}, expires "
            f"{issued.token.expires_at:%Y-%m-%d}. Key (shown only now):"
        )
        self.stdout.write(issued.key)
