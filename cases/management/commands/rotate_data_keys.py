from django.core.management.base import BaseCommand

from cases import attachments, fields


class Command(BaseCommand):
    help = (
        "Re-encrypt stored files and every encrypted column (report content, messages, notes, disclosures, "
        "their history) under the newest key in SIGAP_DATA_KEYS. Put the new key first, keep the old ones "
        "after it, run this, then remove the old keys. The site keeps serving throughout."
    )

    def handle(self, *args, **options):
        files = attachments.rotate_all()
        rows = fields.rotate_all()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {files} file(s) and {rows} row(s) under the newest key."))
