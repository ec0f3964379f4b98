from django.conf import settings
from django.core.management.base import BaseCommand

from wbs import services


class Command(BaseCommand):
    help = (
        "Destroy the content of WBS reports closed more than SIGAP_WBS_RETENTION_DAYS ago, keeping a "
        "content-free record for the statistics, and erase expired identity disclosures. Celery beat runs "
        "this daily; run it by hand to apply a shortened retention at once."
    )

    def handle(self, *args, **options):
        expired = services.disclosures_expire()
        purged = services.reports_purge_expired()
        self.stdout.write(
            self.style.SUCCESS(
                f"Purged {purged} report(s) closed over {settings.SIGAP_WBS_RETENTION_DAYS} days ago; "
                f"erased {expired} expired disclosure(s)."
            )
        )
