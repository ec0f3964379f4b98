"""E-mail news for a complainant without an account (issue 10): sent to the address they gave, read only at
delivery; a complainant who gave their name reads what happened, a confidential or anonymous one only that
there is news; their own steps do not write to them."""

import pytest
from django.core import mail

from cases import notifications, services
from cases.models import OutboxMessage
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint
from tests.pengaduan import staff_fixtures
from tests.pengaduan.staff_fixtures import ANSWER, EMAIL, NAME

_staff_setup = staff_fixtures._staff_setup
service = staff_fixtures.service
make_complaint = staff_fixtures.make_complaint

pytestmark = pytest.mark.django_db

OFFICER_MESSAGE = "Mohon kirimkan foto kuitansi pembayaran tambahan itu."


def _reporter_mail() -> list:
    notifications.deliver_pending()
    return [message for message in mail.outbox if message.to == [EMAIL]]


def test_a_named_complainant_reads_the_news_and_the_officers_message(make_complaint, handler2):
    complaint = make_complaint("answered", mode="identified")
    services.add_message(complaint, handler2, OFFICER_MESSAGE)
    sent = _reporter_mail()
    bodies = "\n".join(message.body for message in sent)
    assert any("Sudah dijawab" in message.subject for message in sent)
    assert OFFICER_MESSAGE in bodies
    assert "/pengaduan/pantau/" in bodies
    # The outbox rows name no recipient and hold no address.
    rows = OutboxMessage.objects.filter(case_id=complaint.pk, recipient__isnull=True)
    assert rows.exists()
    assert not any(EMAIL in f"{row.subject} {row.body} {row.link} {row.dedupe_key}" for row in rows)


@pytest.mark.parametrize("mode", ["confidential", "anonymous"])
def test_a_confidential_or_anonymous_complainant_reads_only_that_there_is_news(make_complaint, handler2, mode):
    complaint = make_complaint("answered", mode=mode)
    services.add_message(complaint, handler2, OFFICER_MESSAGE)
    sent = _reporter_mail()
    assert len(sent) == 4  # start, disposition, answer, message: one each, never twice
    for message in sent:
        text = message.subject + message.body
        assert OFFICER_MESSAGE not in text
        assert ANSWER not in text and "Sudah dijawab" not in text
        assert NAME not in text
        assert complaint.reference in text and "/pengaduan/pantau/" in text


def test_the_complainants_own_step_is_not_mailed_back_to_them(make_complaint):
    complaint = make_complaint("answered", mode="identified")
    before = len(_reporter_mail())
    pengaduan_services.complaint_confirm(complaint=complaint)
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"
    assert len(_reporter_mail()) == before


def test_no_address_no_mail(make_complaint, handler2):
    complaint = make_complaint("verifying", mode="anonymous")
    Complaint.objects.filter(pk=complaint.pk).update(complainant_email="")
    services.add_message(Complaint.objects.get(pk=complaint.pk), handler2, OFFICER_MESSAGE)
    notifications.deliver_pending()
    assert not [message for message in mail.outbox if OFFICER_MESSAGE in message.body]
    pending = OutboxMessage.objects.filter(case_id=complaint.pk, recipient__isnull=True, delivered_at__isnull=True)
    assert not pending.filter(withdrawn_at__isnull=True).exists()
