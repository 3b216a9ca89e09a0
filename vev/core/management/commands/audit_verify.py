from django.core.management.base import BaseCommand, CommandError

from vev.core.audit import verify_chain
from vev.core.models import AuditEntry


class Command(BaseCommand):
    help = "Recompute the hash chain of the audit log and report any tampering."

    def handle(self, *args, **options):
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"entry #{problem.position}: {problem.reason}")
            raise CommandError(f"The audit log is NOT intact ({len(problems)} problems).")
        self.stdout.write(f"The audit log is intact ({AuditEntry.objects.count()} entries).")
