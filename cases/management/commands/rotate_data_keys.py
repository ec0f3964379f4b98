from django.core.management.base import BaseCommand

from cases import attachments


class Command(BaseCommand):
    help = (
        "Re-encrypt stored files under the newest key in SIGAP_DATA_KEYS. Put the new key first, keep the old "
        "ones after it, run this, then remove the old keys. The site keeps serving throughout."
    )

    def handle(self, *args, **options):
        count = attachments.rotate_all()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} file(s) under the newest key."))
