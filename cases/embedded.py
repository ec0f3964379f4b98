"""The embedded default has no Celery beat: run the same schedule on a daemon thread in the web process.

The outbox drains every tick; every other task of settings.CELERY_BEAT_SCHEDULE (the deadline sweep, the
WBS housekeeping) runs every 15 ticks. Each of them is idempotent, so running them more often than their
crontab says is harmless.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

from cases.tasks import drain_outbox

logger = logging.getLogger(__name__)


def _periodic():
    return [
        import_string(entry["task"])
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] != "cases.tasks.drain_outbox"
    ]


def catch_up() -> None:
    """One tick now, in the caller's thread: the periodic tasks, then the outbox they filled. `serve` runs it
    before the server starts, so the e-mails it prints come before the demo credentials, not after."""
    for task in _periodic():
        task()
    drain_outbox()


def start(interval_seconds: float = 60.0, first_tick_after: float = 2.0) -> threading.Thread:
    periodic = _periodic()
    stop = threading.Event()

    def loop():
        ticks = 0
        while not stop.wait(interval_seconds if ticks else first_tick_after):
            try:
                drain_outbox()
                if ticks % 15 == 0:
                    for task in periodic:
                        task()
            except Exception:  # keep the scheduler alive; the next tick retries
                logger.exception("embedded scheduler tick failed")
            finally:
                close_old_connections()
            ticks += 1

    thread = threading.Thread(target=loop, name="sigap-beat", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
