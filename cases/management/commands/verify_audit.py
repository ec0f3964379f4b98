from django.core.management.base import BaseCommand, CommandError

from cases import audit


class Command(BaseCommand):
    help = (
        "Verify the cases' hash-chained event logs; exits non-zero, naming each broken case by its reference "
        "(never content). Without options: every event of every case (e.g. weekly). --incremental: only the "
        "events appended since the last checkpoint (e.g. hourly), in time proportional to them — it catches "
        "altered, removed or inserted new events and the heads of the cases they belong to, but not an old event "
        "or the head of a case without new events altered since it was verified: that takes the full check. "
        "Both write a checkpoint; a broken case stays reported until fixed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="check only what changed since the last checkpoint (the full check runs if there is none)",
        )

    def handle(self, *args, **options):
        try:
            result = audit.verify_incremental() if options["incremental"] else audit.verify_full()
        except audit.VerificationRunning as exc:
            raise CommandError("Another verify_audit is running; nothing checked.") from exc
        except audit.WritersBusy as exc:
            raise CommandError(
                f"Case events were being written without a pause for {audit.FENCE_WAIT:.0f} s; nothing checked. "
                "Run again later."
            ) from exc
        if result.fell_back:
            self.stdout.write("No checkpoint yet: running the full check.")
        for problem in result.problems:
            self.stderr.write(f"{problem.reference}: {problem.problem}")
        scope = f"since event id {result.since_event_id}" if result.kind == "incremental" else "full check"
        summary = (
            f"{result.events_checked:,} events of {result.cases_checked:,} cases checked ({scope}); "
            f"checkpoint through event id {result.checkpoint.through_event_id}."
        )
        if result.problems:
            self.stderr.write(summary)
            raise CommandError(f"{len(result.problems)} case(s) with a broken audit chain")
        self.stdout.write(self.style.SUCCESS(f"All audit chains intact. {summary}"))
