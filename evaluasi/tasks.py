"""Celery tasks of the evaluation layer: each loads nothing itself and calls one service."""

from celery import shared_task

from cases import workdays
from evaluasi import services


@shared_task(ignore_result=True)
def remind_follow_ups() -> dict:
    """Reminders before a recommendation's due date and the escalation when it passes (hourly: idempotent)."""
    return services.remind_follow_ups(today=workdays.today())


@shared_task(ignore_result=True)
def refresh_statistics() -> dict:
    from evaluasi import snapshots  # noqa: PLC0415 - like the other tasks: load nothing at import

    return snapshots.refresh()
