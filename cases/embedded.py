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

logger = logging.getLogger(__name__)


def start(interval_seconds: float = 60.0) -> threading.Thread:
    from cases.tasks import drain_outbox

    periodic = [
        import_string(entry["task"])
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] != "cases.tasks.drain_outbox"
    ]
    stop = threading.Event()

    def loop():
        ticks = 0
        while not stop.wait(interval_seconds if ticks else 2):
            try:
                drain_outbox()
                if ticks % 15 == 0:
                    for task in periodic:
                        task()
            except Exception:  # noqa: BLE001 — keep the scheduler alive; the next tick retries
                logger.exception("embedded scheduler tick failed")
            finally:
                close_old_connections()
            ticks += 1

    thread = threading.Thread(target=loop, name="sigap-beat", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
