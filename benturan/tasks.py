"""Celery tasks of benturan kepentingan: each calls one service."""

from celery import shared_task

from benturan import services
from cases import workdays


@shared_task(ignore_result=True)
def remind_statements() -> dict:
    return services.campaign_remind(today=workdays.today())
