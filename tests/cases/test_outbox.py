import pytest
from django.core import mail
from django.db import transaction

from cases import notifications
from cases.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def queue(users, key="k1", **kwargs):
    with transaction.atomic():
        return notifications.queue(
            recipients=users, subject="Subjek", body="Isi", link="/kasus/X/", dedupe_key=key, **kwargs
        )


def test_it_delivers_email_and_in_app_once(handler, handler2):
    queue([handler, handler2, handler])
    assert OutboxMessage.objects.count() == 2
    # CELERY_TASK_ALWAYS_EAGER in the embedded default: the nudge on commit already drained it.
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=handler).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["handler2@example.test", "handler@example.test"]
    assert notifications.deliver_pending() == 0  # a second drain sends nothing
    assert len(mail.outbox) == 2


def test_a_repeated_dedupe_key_is_not_queued_again(handler):
    queue([handler], key="same")
    queue([handler], key="same")
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_nothing_is_lost_when_the_broker_is_down(handler, monkeypatch):
    from cases import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.drain_outbox, "delay", broker_down)
    queue([handler])  # must not raise: the row is committed, delivery waits
    message = OutboxMessage.objects.get()
    assert message.delivered_at is None and not mail.outbox
    monkeypatch.undo()
    assert notifications.deliver_pending() == 1  # the next beat tick
    assert OutboxMessage.objects.get().delivered_at is not None
    assert len(mail.outbox) == 1


def test_a_failing_message_is_retried_later_not_in_a_loop(handler, monkeypatch):
    from cases import tasks

    monkeypatch.setattr(tasks.drain_outbox, "delay", lambda: None)
    queue([handler])
    monkeypatch.setattr(notifications, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("smtp")))
    assert notifications.deliver_pending() == 0
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.last_error, message.delivered_at) == (1, "OSError", None)
    assert notifications.deliver_pending() == 0  # still leased: no hammering
    assert OutboxMessage.objects.get().attempts == 1


def test_restricted_messages_carry_no_content(handler):
    queue([handler], restricted=True)
    message = OutboxMessage.objects.get()
    assert "Subjek" not in message.subject and "Isi" not in message.body
    assert "Subjek" not in mail.outbox[0].subject
