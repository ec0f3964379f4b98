"""Celery tasks: they load nothing themselves and call one service each."""

from celery import shared_task
from celery.signals import worker_ready

from cases import deadlines, notifications


@shared_task(ignore_result=True)
def drain_outbox() -> int:
    return notifications.deliver_pending()


def nudge_outbox() -> None:
    """The outbox's adapter (wired at CasesConfig.ready()): queue a drain now. Raises if the broker is down;
    notifications.kick() turns that into "later"."""
    drain_outbox.delay()


@shared_task(ignore_result=True)
def sweep_deadlines() -> dict:
    return deadlines.sweep()


@worker_ready.connect
def _catch_up_on_start(**_kwargs) -> None:
    """A worker that was down may have missed nudges: drain what accumulated as soon as it starts."""
    drain_outbox.delay()
