"""E-mail to a public reporter without an account (cases.notifications.queue_to_reporter): the address comes
from the kind at delivery (CaseKind.reporter_email) and is never stored in the outbox."""

import logging

import pytest
from django.core import mail
from django.db import connection, transaction

from cases import notifications, policy, registry, services
from cases.models import Notification, OutboxMessage
from tests.casetype.models import FINAL, Status

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "warga.pengadu@example.test"


@pytest.fixture
def address():
    """What the kind's callable returns; a test changes it to '' to play a purged address."""
    return {"value": ADDRESS}


@pytest.fixture
def public_case(unit, address):
    kind = registry.register(
        registry.CaseKind(
            code="ujipub",
            prefix="UJP",
            label="Uji publik",
            model_label="casetype.Widget",
            handler_group=policy.PETUGAS_PENGADUAN,
            status_labels=tuple(Status.choices),
            final_states=FINAL,
            public_intake=registry.PublicIntake(namespace="ujipub"),
            reporter_email=lambda case: address["value"],
        )
    )
    case = services.create_case(kind="ujipub", actor=None, unit=unit, status=Status.SUBMITTED, title="Jalan rusak")
    yield case
    registry._kinds.pop(kind.code, None)


def queue(case, key="jawaban", content_allowed=True):
    with transaction.atomic():
        notifications.queue_to_reporter(
            case=case,
            texts=lambda: ("Jawaban atas pengaduan Anda", "Jalan akan diperbaiki bulan depan."),
            dedupe_key=key,
            content_allowed=content_allowed,
            link="/uji/lapor/pantau/",
        )


def test_it_delivers_once_to_the_address_the_kind_gives(public_case):
    queue(public_case)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    sent = mail.outbox[0]
    assert sent.subject == "Jawaban atas pengaduan Anda" and "Jalan akan diperbaiki" in sent.body
    assert sent.body.endswith("/uji/lapor/pantau/")
    message = OutboxMessage.objects.get()
    assert message.recipient is None and message.case_id == public_case.pk and message.delivered_at is not None
    assert not Notification.objects.exists()  # no user, no in-app copy
    assert notifications.deliver_pending() == 0 and len(mail.outbox) == 1


def test_a_repeated_dedupe_key_is_not_queued_again(public_case):
    queue(public_case, key="sama")
    queue(public_case, key="sama")
    assert OutboxMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_no_address_withdraws_the_message(public_case, address, caplog):
    address["value"] = ""
    with caplog.at_level(logging.INFO, logger="cases.notifications"):
        queue(public_case)
    message = OutboxMessage.objects.get()
    assert message.withdrawn_at is not None and message.delivered_at is None and not mail.outbox
    assert notifications.deliver_pending() == 0


def test_the_outbox_holds_no_address(public_case, caplog):
    with caplog.at_level(logging.DEBUG):
        queue(public_case)
    assert len(mail.outbox) == 1
    table = OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name
        rows = cursor.fetchall()
    assert rows and not any(ADDRESS in str(value) for row in rows for value in row)
    assert ADDRESS not in caplog.text


def test_without_content_it_says_only_that_there_is_news(public_case):
    queue(public_case, content_allowed=False)
    message = OutboxMessage.objects.get()
    for text in (message.subject, message.body, mail.outbox[0].subject, mail.outbox[0].body):
        assert "Jawaban" not in text and "diperbaiki" not in text
    assert "Ada kabar" in message.subject and public_case.reference in message.body
    assert mail.outbox[0].body.endswith("/uji/lapor/pantau/")


def test_a_kind_without_reporter_email_withdraws(public_case):
    registry._kinds.pop("ujipub")
    registry.register(
        registry.CaseKind(
            code="ujipub",
            prefix="UJP",
            label="Uji publik",
            model_label="casetype.Widget",
            handler_group=policy.PETUGAS_PENGADUAN,
            public_intake=registry.PublicIntake(namespace="ujipub"),
        )
    )
    queue(public_case)
    assert OutboxMessage.objects.get().withdrawn_at is not None and not mail.outbox


def test_it_renders_in_the_default_language(public_case, settings):
    from django.utils import translation

    with translation.override("en"):
        queue(public_case, content_allowed=False)
    assert "Ada kabar" in OutboxMessage.objects.get().subject
