from django.core.management.base import BaseCommand, CommandError

from socprofiles.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit status 1 at the first broken link."

    def handle(self, *args: object, **options: object) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken after {report.checked} good event(s): {report.problem}",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} event(s)."))
