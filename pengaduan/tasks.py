"""Celery tasks of pengaduan: each calls one service."""

from celery import shared_task

from pengaduan import services


@shared_task(ignore_result=True)
def close_unanswered() -> int:
    return services.complaints_close_unanswered()
