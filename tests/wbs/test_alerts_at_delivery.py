"""Alerts about a report are checked against who may see it when they are delivered, not only when queued, and
say what happened without saying what the report is about (issue 8)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail

from cases import deadlines, notifications, policy, services, workdays
from cases.models import Notification, OutboxMessage
from tests.wbs.conftest import CONTENT
from wbs import services as wbs_services

pytestmark = pytest.mark.django_db

MONDAY_0317 = dt.datetime(2026, 11, 23, 3, 17, tzinfo=dt.UTC)


@pytest.fixture
def accused_coordinator(make_user):
    """A WBS coordinator whom the report will turn out to be about."""
    user = make_user("koordinator_terlapor", policy.PENGELOLA_WBS, policy.PEGAWAI)
    user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    user.email = "terlapor@example.test"
    user.save()
    return user


def _mail_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def test_a_handler_excluded_after_the_alert_was_queued_never_receives_it(make_report, coordinator, accused_coordinator):
    with time_machine.travel(MONDAY_0317, tick=False) as clock:
        report = make_report()
        # The new-report alert waits for the next full hour (cases.intake.announce_at); both coordinators are on it.
        assert OutboxMessage.objects.filter(recipient=accused_coordinator, delivered_at__isnull=True).exists()
        # Meanwhile the other coordinator reads it and excludes the person it is about.
        wbs_services.exclusion_add(
            report=report,
            person=accused_coordinator,
            actor=coordinator,
            reason="Terlapor dalam laporan ini.",
            confirmed=True,
        )
        clock.move_to(MONDAY_0317 + dt.timedelta(hours=2))
        assert notifications.deliver_pending() == 1
        # Nothing for the terlapor, however often the outbox is drained, and nothing in-app.
        assert notifications.deliver_pending() == 0
    assert not _mail_to(accused_coordinator)
    assert not Notification.objects.filter(user=accused_coordinator).exists()
    withheld = OutboxMessage.objects.get(recipient=accused_coordinator)
    assert withheld.withdrawn_at is not None and withheld.delivered_at is None
    assert Notification.objects.filter(user=coordinator).count() == 1


def test_a_reporter_message_is_not_delivered_to_a_handler_excluded_meanwhile(
    make_report, coordinator, accused_coordinator
):
    report = make_report()
    notifications.deliver_pending()
    OutboxMessage.objects.all().delete()
    with time_machine.travel(MONDAY_0317, tick=False) as clock:
        services.add_reporter_message(report, "Tambahan keterangan dari pelapor.")
        wbs_services.exclusion_add(
            report=report,
            person=accused_coordinator,
            actor=coordinator,
            reason="Terlapor dalam laporan ini.",
            confirmed=True,
        )
        clock.move_to(MONDAY_0317 + dt.timedelta(hours=2))
        notifications.deliver_pending()
    assert not Notification.objects.filter(user=accused_coordinator).exists()
    assert Notification.objects.filter(user=coordinator).count() == 1


def test_alerts_say_what_happened_and_nothing_of_the_report(make_report, coordinator):
    with time_machine.travel(MONDAY_0317, tick=False) as clock:
        report = make_report()
        clock.move_to(MONDAY_0317 + dt.timedelta(hours=2))
        services.add_reporter_message(report, "Nama rekanannya PT Contoh Rahasia.")
        clock.move_to(MONDAY_0317 + dt.timedelta(hours=4))
        notifications.deliver_pending()
    # The verification clock (5 HK from 23 November) is due on 30 November: H-1 on the 27th.
    deadlines.sweep(today=workdays.add_working_days(dt.date(2026, 11, 23), 4))
    deadlines.sweep(today=dt.date(2026, 12, 15))
    notifications.deliver_pending()
    subjects = [message.subject for message in mail.outbox]
    assert subjects[:2] == ["[SIGAP] Laporan baru masuk", "[SIGAP] Balasan baru dari pelapor"]
    assert "[SIGAP] Tenggat penanganan laporan mendekat" in subjects
    assert "[SIGAP] Tenggat penanganan laporan terlampaui" in subjects
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (CONTENT, "PT Contoh Rahasia", "pengadaan", "Verifikasi laporan", report.reference):
            assert secret not in text.split("\n\n")[0]  # the link below the text is the case page itself


def test_an_alert_to_someone_deactivated_meanwhile_is_withdrawn(make_report, coordinator):
    with time_machine.travel(MONDAY_0317, tick=False) as clock:
        make_report()
        coordinator.is_active = False
        coordinator.save()
        clock.move_to(MONDAY_0317 + dt.timedelta(hours=2))
        assert notifications.deliver_pending() == 0
    assert not mail.outbox and OutboxMessage.objects.get().withdrawn_at is not None
