"""Celery tasks of the evaluasi exports: they load nothing themselves and call evaluasi.jobs.

Kept apart from evaluasi/tasks.py (the follow-up clocks); the worker imports this module through
settings.CELERY_IMPORTS. Importing evaluasi.exports registers the exporters, so a worker knows every code a
web process may queue.
"""

from celery import shared_task

from evaluasi import exports, jobs  # noqa: F401 - exports registers the exporters this worker runs


@shared_task(ignore_result=True, acks_late=True)
def run_export(job_id: int) -> None:
    jobs.run(job_id)


@shared_task(ignore_result=True)
def sweep_exports() -> int:
    return jobs.sweep()
