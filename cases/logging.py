"""Log filtering for the public intake pages (DESIGN §3): no log line may say when someone used them.

Request logs (the development server's, Django's "Not Found" warnings, gunicorn's access log) carry the
time of the line; for a whistleblower's request that time is the thing to hide. Lines about a public intake
path are dropped; everything else is logged as usual.
"""

import logging

from cases import registry


def mentions_public_path(text: str) -> bool:
    try:
        prefixes = registry.public_prefixes()
    except Exception:  # no URLconf to read the prefixes from: keep no line that might be about one
        return True
    return any(prefix in text for prefix in prefixes)


class PublicIntakeFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return True
        return not mentions_public_path(message)


class LibraryDetailFilter(logging.Filter):
    """Drops a library's DEBUG and INFO records, whatever level its logger is set to.

    Attached to the loggers of libraries that log the data they parse: Pillow's TIFF reader logs every EXIF
    tag's value at DEBUG (camera owner, GPS position, description), which for a whistleblower's photo is the
    very metadata SIGAP removes (issue 8). A level alone is not enough: anyone may turn a logger to DEBUG
    while looking into a problem; the filter stays. Warnings and errors still pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING
