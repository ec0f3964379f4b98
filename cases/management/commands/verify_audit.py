from django.core.management.base import BaseCommand, CommandError

from cases import audit


class Command(BaseCommand):
    help = "Verify every case's hash-chained event log. Exits non-zero, naming each case, on any tampering."

    def handle(self, *args, **options):
        problems = list(audit.verify())
        for problem in problems:
            self.stderr.write(f"{problem.reference}: {problem.problem}")
        if problems:
            raise CommandError(f"{len(problems)} case(s) with a broken audit chain")
        self.stdout.write(self.style.SUCCESS("All audit chains intact."))
