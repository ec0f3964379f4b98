"""The follow-up reminder sweep: H-3 and H-1 in working days (across Lebaran 2027), the due day, one escalation
when overdue to the owner's supervisor and the recording inspector; each message once across repeated runs; no
recommendation text in any message."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from cases import notifications
from cases.models import OutboxMessage
from evaluasi import services, tasks
from evaluasi.periods import Period
from tests.evaluasi.test_followup_fixtures import *  # noqa: F403
from tests.evaluasi.test_followup_fixtures import SECRET

pytestmark = pytest.mark.django_db

# Lebaran 2027: Nyepi Mon 8 March, cuti bersama Tue 9, Idul Fitri Wed 10 – Thu 11, cuti bersama Fri 12 and Mon 15.
# Working days around it: Wed 3, Thu 4, Fri 5 March, then Tue 16, Wed 17, Thu 18.
DUE = dt.date(2027, 3, 17)


def _on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def due_after_lebaran(inspektur, unit, pegawai):
    with _on(dt.date(2027, 2, 1)):
        evaluation = services.evaluation_record(
            module="uji",
            unit=unit,
            period=Period.quarter(2026, 4),
            held_on=dt.date(2027, 1, 20),
            participants="P",
            findings="F",
            actor=inspektur,
        )
        recommendation = services.recommendation_add(
            evaluation=evaluation, text=SECRET, owner=pegawai, due_on=DUE, actor=inspektur
        )
    OutboxMessage.objects.all().delete()  # the "you own a recommendation" message is not what is tested here
    return recommendation


def _sweep(day: dt.date) -> list[tuple[str, str]]:
    """Run the sweep twice on `day` (a rerun must add nothing) and return (recipient, stage) of what it queued."""
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    with _on(day):
        tasks.remind_follow_ups()
        tasks.remind_follow_ups()
    new = OutboxMessage.objects.exclude(pk__in=before).select_related("recipient")
    return sorted((message.recipient.username, message.dedupe_key.split(":")[3]) for message in new)


def test_the_owner_is_reminded_in_working_days_across_lebaran_and_escalation_happens_once(
    due_after_lebaran, pegawai, atasan, inspektur
):
    assert _sweep(dt.date(2027, 3, 3)) == []  # four working days before: nothing yet
    # Thursday 4 March is three working days before Wednesday 17 March (5, 16, 17): counted in calendar days it
    # would wait until 14 March, in the middle of the holiday.
    assert _sweep(dt.date(2027, 3, 4)) == [("pegawai", "due_in_3")]
    assert _sweep(dt.date(2027, 3, 5)) == []
    for holiday in (dt.date(2027, 3, 10), dt.date(2027, 3, 12), dt.date(2027, 3, 15)):
        # 15 March (cuti bersama) is still two working days before: "H-1" waits for Tuesday 16.
        assert _sweep(holiday) == []
    assert _sweep(dt.date(2027, 3, 16)) == [("pegawai", "due_in_1")]
    assert _sweep(DUE) == [("pegawai", "due_today")]
    assert _sweep(dt.date(2027, 3, 18)) == [("atasan", "overdue"), ("inspektur", "overdue"), ("pegawai", "overdue")]
    assert _sweep(dt.date(2027, 3, 19)) == []
    assert _sweep(dt.date(2027, 4, 19)) == []
    due_after_lebaran.refresh_from_db()
    assert due_after_lebaran.warned == ["due_in_3", "due_in_1", "due_today", "overdue"]


def test_messages_carry_a_link_and_no_recommendation_text(due_after_lebaran):
    _sweep(dt.date(2027, 3, 18))
    messages = list(OutboxMessage.objects.all())
    assert messages
    for message in messages:
        assert SECRET not in message.subject and SECRET not in message.body
        assert message.link == f"/evaluasi/rekomendasi/{due_after_lebaran.uuid}/"
    with _on(dt.date(2027, 3, 18)):
        notifications.deliver_pending()
    assert mail.outbox and all(SECRET not in sent.body and SECRET not in sent.subject for sent in mail.outbox)
    assert all(settings.SIGAP_BASE_URL.rstrip("/") + "/evaluasi/rekomendasi/" in sent.body for sent in mail.outbox)


def test_a_sweep_that_did_not_run_sends_only_the_current_stage(due_after_lebaran):
    assert _sweep(DUE) == [("pegawai", "due_today")]
    assert _sweep(dt.date(2027, 3, 18)) == [("atasan", "overdue"), ("inspektur", "overdue"), ("pegawai", "overdue")]
    due_after_lebaran.refresh_from_db()
    assert set(due_after_lebaran.warned) == {"due_in_3", "due_in_1", "due_today", "overdue"}


def test_a_closed_recommendation_is_not_reminded(due_after_lebaran, pegawai, inspektur):
    with _on(dt.date(2027, 3, 1)):
        services.cannot(recommendation=due_after_lebaran, reason="Dihentikan.", actor=inspektur)
    OutboxMessage.objects.all().delete()
    for day in (dt.date(2027, 3, 4), dt.date(2027, 3, 16), DUE, dt.date(2027, 3, 18)):
        assert _sweep(day) == []


def test_the_dedupe_key_holds_even_if_the_warned_field_were_lost(due_after_lebaran):
    """The outbox's dedupe key is the second guard: two sweeps that both read an empty `warned` queue once."""
    assert _sweep(DUE) == [("pegawai", "due_today")]
    type(due_after_lebaran).objects.filter(pk=due_after_lebaran.pk).update(warned=[])
    assert _sweep(DUE) == []
    assert OutboxMessage.objects.filter(dedupe_key__contains=":remind:due_today").count() == 1


def test_the_beat_schedule_runs_the_sweep():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "evaluasi.tasks.remind_follow_ups" in entries
