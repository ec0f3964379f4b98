"""Log filtering for the public intake pages (DESIGN §3): no log line may say when someone used them.

Request logs (the development server's, Django's "Not Found" warnings, gunicorn's access log) carry the
time of the line; for a whistleblower's request that time is the thing to hide. Lines about a public intake
path are dropped; everything else is logged as usual.
"""

import logging

from django.conf import settings


def mentions_public_path(text: str) -> bool:
    return any(prefix in text for prefix in settings.SIGAP_PUBLIC_PREFIXES)


class PublicIntakeFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a malformed record is not ours to judge
            return True
        return not mentions_public_path(message)
