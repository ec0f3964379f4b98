"""The periodic sweep that closes an answered complaint nobody replied to (SP4N-LAPOR!: 10 HK after the answer),
once and only once however often it runs, and its place in the beat schedule and the embedded scheduler."""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from cases import embedded, services
from cases.models import CaseEvent
from pengaduan import services as pengaduan_services
from pengaduan import tasks
from pengaduan.models import Closure, Complaint, Status
from tests.pengaduan.conftest import file_complaint

pytestmark = pytest.mark.django_db

D = dt.date
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")

ANSWERED = D(2026, 11, 2)  # Monday
REPLY_DUE = D(2026, 11, 16)  # + 10 HK: 3–6, 9–13, 16 Nov
CLOSING = {"reason": "Selesai.", "confirmed": True}


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=WIB), tick=False)


def answered_on(day, officer, unit) -> Complaint:
    with at(day):
        complaint, _pin = file_complaint()
        complaint = services.transition(complaint, "start_verification", officer)
        complaint = services.transition(complaint, "dispose", officer, disposed_unit=unit, handler=officer)
        return services.transition(
            complaint, "send_answer", officer, answer="Izin Anda terbit.", answer_signatory="Kabag Umum"
        )


def sweep_on(day, hour=10) -> int:
    with at(day, hour):
        return tasks.close_unanswered()


def closing_events(complaint):
    return CaseEvent.objects.filter(case_id=complaint.pk, action="transition", data__transition="close_without_reply")


def test_the_task_is_in_the_beat_schedule_and_the_embedded_scheduler():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "pengaduan.tasks.close_unanswered"]
    assert len(entries) == 1
    assert tasks.close_unanswered.name == "pengaduan.tasks.close_unanswered"
    assert tasks.close_unanswered in embedded._periodic()


def test_the_reply_window_is_10_working_days(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    assert (complaint.answered_on, complaint.reply_due) == (ANSWERED, REPLY_DUE)


def test_it_closes_only_the_day_after_the_tenth_working_day(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    for day in (D(2026, 11, 3), D(2026, 11, 13), REPLY_DUE):
        assert sweep_on(day, hour=23) == 0, day
        assert Complaint.objects.get(pk=complaint.pk).status == Status.ANSWERED
    assert sweep_on(D(2026, 11, 17), hour=0) == 1
    closed = Complaint.objects.get(pk=complaint.pk)
    assert (closed.status, closed.closure) == (Status.CLOSED, Closure.NO_REPLY)
    assert closed.closed_at is not None


def test_once_and_only_once_however_often_it_runs(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    assert [sweep_on(D(2026, 11, 17)) for _ in range(3)] == [1, 0, 0]
    assert sweep_on(D(2026, 12, 1)) == 0
    events = closing_events(complaint)
    assert events.count() == 1
    event = events.get()
    assert event.actor_id is None and event.data.get("by") == "system"
    assert (event.from_status, event.to_status) == (Status.ANSWERED, Status.CLOSED)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_close_it_once(officer, unit):
    complaints = [answered_on(ANSWERED, officer, unit) for _ in range(3)]
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def sweep():
        try:
            barrier.wait()
            counts.append(pengaduan_services.complaints_close_unanswered())
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    with at(D(2026, 11, 17)):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == [] and sum(counts) == 3, (counts, errors)
    for complaint in complaints:
        assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
        assert closing_events(complaint).count() == 1


def test_a_disputed_complaint_is_not_closed(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    with at(D(2026, 11, 10)):
        pengaduan_services.complaint_dispute(complaint=complaint, text="Izin belum saya terima.")
    assert sweep_on(D(2026, 11, 17)) == 0
    assert sweep_on(D(2026, 12, 17)) == 0
    disputed = Complaint.objects.get(pk=complaint.pk)
    assert (disputed.status, disputed.dispute_count) == (Status.IN_PROGRESS, 1)
    assert not closing_events(complaint).exists()


def test_a_second_answer_opens_a_new_window(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    with at(D(2026, 11, 10)):
        pengaduan_services.complaint_dispute(complaint=complaint, text="Izin belum saya terima.")
    with at(D(2026, 11, 20)):
        services.transition(complaint, "send_answer", officer, answer="Izin dikirim ulang.", answer_signatory="Kabag")
    assert Complaint.objects.get(pk=complaint.pk).reply_due == D(2026, 12, 4)  # Fri 20 Nov + 10 HK
    assert sweep_on(D(2026, 12, 4)) == 0
    assert sweep_on(D(2026, 12, 5)) == 1


def test_a_confirmed_complaint_is_left_alone(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    with at(REPLY_DUE):
        pengaduan_services.complaint_confirm(complaint=complaint)
    assert sweep_on(D(2026, 11, 17)) == 0
    closed = Complaint.objects.get(pk=complaint.pk)
    assert (closed.status, closed.closure) == (Status.CLOSED, Closure.CONFIRMED)
    assert not closing_events(complaint).exists()


def test_confirm_or_dispute_after_the_window_is_refused(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    with at(D(2026, 11, 17)):  # the sweep has not run yet
        events = CaseEvent.objects.filter(case_id=complaint.pk).count()
        with pytest.raises(services.NotAllowed):
            pengaduan_services.complaint_confirm(complaint=complaint)
        with pytest.raises(services.CaseError):
            services.transition(complaint, "confirm", None, by="reporter", **CLOSING)
        with pytest.raises(services.NotAllowed):
            pengaduan_services.complaint_dispute(complaint=complaint, text="Belum selesai.")
        assert CaseEvent.objects.filter(case_id=complaint.pk).count() == events
        assert Complaint.objects.get(pk=complaint.pk).status == Status.ANSWERED


def test_the_sweep_cannot_close_inside_the_window(officer, unit):
    complaint = answered_on(ANSWERED, officer, unit)
    with at(REPLY_DUE):
        with pytest.raises(services.NotAllowed):
            services.transition(complaint, "close_without_reply", None, by="system", **CLOSING)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ANSWERED
