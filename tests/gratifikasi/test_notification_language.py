"""Notifications are written in the language their recipient works in, not the one of whoever acted."""

import pytest
from django.core import mail

from cases import notifications
from cases.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_language_switch_is_remembered_for_a_signed_in_user(client, pegawai):
    client.force_login(pegawai)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    pegawai.profile.refresh_from_db()
    assert pegawai.profile.language == "en"


def test_an_employee_who_works_in_english_is_notified_in_english(client, pegawai, upg, make_report):
    client.force_login(pegawai)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    report = make_report(["submit", "start_verification"])  # the UPG acts, in Indonesian
    message = OutboxMessage.objects.filter(recipient=pegawai).latest("pk")
    assert message.body.startswith(f"Case {report.reference} now has the status")
    # The UPG officer, who never chose, still reads Indonesian.
    assert OutboxMessage.objects.filter(recipient=upg, body__startswith="Kasus").exists()
    notifications.deliver_pending()
    assert Notification.objects.filter(user=pegawai).latest("pk").body.startswith("Case ")
    assert any(m.to == [pegawai.email] and m.body.startswith("Case ") for m in mail.outbox)
