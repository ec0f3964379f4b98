"""Celery tasks of the WBS: each calls one service."""

from celery import shared_task

from wbs import services


@shared_task(ignore_result=True)
def expire_disclosures() -> int:
    return services.disclosures_expire()


@shared_task(ignore_result=True)
def purge_expired_reports() -> int:
    return services.reports_purge_expired()
