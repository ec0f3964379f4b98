"""The embedded default has no Celery beat: run the same schedule on a daemon thread in the web process."""

import logging
import threading

from django.db import close_old_connections

logger = logging.getLogger(__name__)


def start(interval_seconds: float = 60.0) -> threading.Thread:
    from cases.tasks import drain_outbox, sweep_deadlines

    stop = threading.Event()

    def loop():
        ticks = 0
        while not stop.wait(interval_seconds if ticks else 2):
            try:
                drain_outbox()
                if ticks % 15 == 0:
                    sweep_deadlines()
            except Exception:  # noqa: BLE001 — keep the scheduler alive; the next tick retries
                logger.exception("embedded scheduler tick failed")
            finally:
                close_old_connections()
            ticks += 1

    thread = threading.Thread(target=loop, name="sigap-beat", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
