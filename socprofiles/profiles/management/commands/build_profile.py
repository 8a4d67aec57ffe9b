"""Render a partnership's Local Profile to a file: the latest published version, a given
version, or the working draft.

    python manage.py build_profile --partnership durham-darlington --output profile.pdf
    python manage.py build_profile --partnership SLUG --version 2 --output profile.docx
    python manage.py build_profile --partnership SLUG --draft --output draft.html
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socprofiles.accounts.models import Partnership, User
from socprofiles.audit.services import audit_log
from socprofiles.profiles import rendering, selectors
from socprofiles.profiles.models import Profile


class Command(BaseCommand):
    help = "Render a Local Profile (a published version or the draft) as PDF, DOCX or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        # --version here is the profile's version (the interface), not Django's.
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--profile", help="The profile's title, if it has several.")
        parser.add_argument("--version", type=int, help="A version number (default: latest).")
        parser.add_argument("--draft", action="store_true", help="The working draft instead.")
        parser.add_argument("--output", required=True, help="FILE.pdf, FILE.docx or FILE.html")
        parser.add_argument(
            "--recipient", help="The username the copy is issued to (default: the owner)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in rendering.FORMATS:
            raise CommandError(
                f"{output.name}: the output must end in .pdf, .docx or .html (got {fmt!r})."
            )
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"There is no partnership {options['partnership']!r}.")
        profiles = Profile.objects.filter(partnership=partnership)
        if options["profile"]:
            profiles = profiles.filter(title=options["profile"])
        profile = profiles.order_by("-created_at").first()
        if profile is None:
            raise CommandError(f"{partnership.name} has no Local Profile yet.")
        recipient_user = profile.owner
        if options["recipient"]:
            found = User.objects.filter(username=options["recipient"]).first()
            if found is None:
                raise CommandError(f"There is no user {options['recipient']!r}.")
            recipient_user = found
        version = None
        if options["draft"]:
            doc = selectors.draft_content(actor=None, profile=profile)
        else:
            versions = profile.versions.all()
            version = (
                versions.filter(number=options["version"]).first()
                if options["version"]
                else versions.order_by("-number").first()
            )
            if version is None:
                which = f"version {options['version']}" if options["version"] else "a version"
                raise CommandError(f"“{profile.title}” has no {which}: use --draft for the draft.")
            doc = version.content
        started = time.perf_counter()
        timings = rendering.Timings()
        recipient = rendering.Recipient.of(recipient_user)
        if fmt == "pdf":
            data = rendering.render_pdf(doc, recipient=recipient, draft=version is None,
                                        timings=timings)  # fmt: skip
        else:
            data, _type = rendering.render(doc, fmt, recipient=recipient, draft=version is None)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        partial.write_bytes(data)
        partial.replace(output)
        audit_log(
            actor=None,
            action="profile.built",
            target=profile,
            partnership=partnership,
            detail={
                "format": fmt,
                "version": version.number if version else "draft",
                "recipient": recipient_user.username,
                "output": output.name,
            },
        )
        seconds = time.perf_counter() - started
        extra = ""
        if fmt == "pdf":
            extra = (
                f" (figures {timings.figures:.1f} s, WeasyPrint {timings.engine:.1f} s = "
                f"{timings.engine / seconds:.0%})"
            )
        which_copy = "draft" if version is None else f"version {version.number}"
        self.stdout.write(
            f"{output}: {len(data):,} bytes, {which_copy} "
            f"of “{profile.title}”, issued to {recipient.name}, in {seconds:.1f} s{extra}."
        )
