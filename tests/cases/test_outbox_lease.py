"""The outbox lease and a slow batch: a batch is claimed at once but sent one by one, so behind a slow mail
server its later messages can outlive the lease and be claimed by another worker. Each message is then sent by
one of the two, never by both (cases.notifications._renew)."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import F

from cases import notifications
from cases.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def test_messages_of_a_batch_that_outlived_its_lease_are_sent_by_one_worker_only(make_user, monkeypatch):
    user = make_user("penerima")
    with transaction.atomic():
        for n in range(3):
            notifications.queue(recipients=[user], subject=f"Pesan {n}", body="Isi", link="/x/", dedupe_key=f"m{n}")

    real_send_mail = notifications.send_mail
    other_worker = {}

    def slow_send_mail(subject, *args, **kwargs):
        if not other_worker:
            # The first send of the batch takes longer than the lease: the batch's other rows (still claimed
            # at the batch's start) expire, and another worker's drain claims and delivers them meanwhile.
            other_worker["claimed"] = OutboxMessage.objects.exclude(subject=subject).update(
                claimed_at=F("claimed_at") - notifications.LEASE - dt.timedelta(minutes=1)
            )
            other_worker["delivered"] = notifications.deliver_pending()
        return real_send_mail(subject, *args, **kwargs)

    monkeypatch.setattr(notifications, "send_mail", slow_send_mail)

    assert notifications.deliver_pending(batch_size=10) == 1  # the slow first message only
    assert other_worker == {"claimed": 2, "delivered": 2}
    assert sorted(message.subject for message in mail.outbox) == ["Pesan 0", "Pesan 1", "Pesan 2"]
    for message in OutboxMessage.objects.all():
        assert message.delivered_at is not None and message.attempts == 1
        assert Notification.objects.filter(outbox=message).count() == 1


def test_a_message_delivered_meanwhile_is_not_sent_again(make_user, monkeypatch):
    """The renewal also refuses a row another worker already marked delivered, whatever its claim says."""
    user = make_user("penerima")
    with transaction.atomic():
        notifications.queue(recipients=[user], subject="Pesan", body="Isi", link="/x/", dedupe_key="m")
    claimed = notifications._claim(10)
    assert len(claimed) == 1
    OutboxMessage.objects.update(delivered_at=claimed[0].claimed_at, attempts=1)
    assert notifications._renew(claimed[0]) is False
    batches = iter([claimed])  # the drain gets the stale claim once, then nothing
    monkeypatch.setattr(notifications, "_claim", lambda batch_size: next(batches, []))
    assert notifications.deliver_pending() == 0
    assert mail.outbox == []
