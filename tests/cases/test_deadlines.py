"""Clocks started, paused, resumed and stopped by transitions; the sweep's warnings and escalations."""

import datetime as dt

import pytest
import time_machine

from cases import deadlines, services
from cases.models import Case, DeadlineClock, OutboxMessage

pytestmark = pytest.mark.django_db
D = dt.date


def at(day: dt.date):
    """Freeze time at 10:00 Jakarta on `day`."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, 0, tzinfo=dt.UTC), tick=False)


def clock(case, code="review"):
    return DeadlineClock.objects.get(case_id=case.pk, code=code)


def test_submission_starts_clocks_from_today_and_from_the_event(make_widget, pegawai, handler):
    with at(D(2026, 3, 17)):  # Tuesday before Nyepi and Lebaran
        case = make_widget(event_date=D(2026, 3, 13))
        services.transition(case, "submit", pegawai)
    assert clock(case).start_date == D(2026, 3, 17)
    assert clock(case).due_date == D(2026, 3, 31)  # 25, 26, 27, 30, 31 Mar
    assert clock(case, "from_event").start_date == D(2026, 3, 13)
    assert clock(case, "from_event").due_date == D(2026, 4, 6)
    assert Case.objects.get(pk=case.pk).due_date == D(2026, 3, 31)


def test_a_stop_transition_marks_the_clock_met_on_time_or_late(make_widget, handler):
    with at(D(2026, 11, 2)):
        case = make_widget("reviewing")
    with at(D(2026, 11, 6)):
        services.transition(case, "approve", handler, reason="Lengkap.", confirmed=True)
    review = clock(case)
    assert review.met_on == D(2026, 11, 6) and not review.is_late
    late = clock(case, "from_event")
    assert late.due_date == D(2026, 12, 4) and late.met_on == D(2026, 11, 6)
    assert Case.objects.get(pk=case.pk).due_date is None


def test_pause_and_resume_push_the_due_date_by_the_paused_working_days(make_widget, pegawai, handler):
    with at(D(2026, 11, 2)):  # Monday
        case = make_widget("reviewing")
        assert clock(case).due_date == D(2026, 11, 9)
    with at(D(2026, 11, 3)):
        services.transition(case, "send_back", handler)
    assert clock(case).paused_on == D(2026, 11, 3)
    assert Case.objects.get(pk=case.pk).due_date == D(2026, 12, 4)  # the paused clock no longer counts
    with at(D(2026, 11, 6)):  # 3 working days later
        services.transition(case, "resubmit", pegawai)
    review = clock(case)
    assert (review.paused_on, review.paused_days, review.due_date) == (None, 3, D(2026, 11, 12))


def test_closing_stops_every_running_clock(make_widget, handler):
    with at(D(2026, 11, 2)):
        case = make_widget("reviewing")
        services.transition(case, "reject", handler, reason="Tidak lengkap.", confirmed=True)
    assert clock(case).met_on == D(2026, 11, 2)  # reject stops the review clock: met
    assert clock(case, "from_event").stopped_on == D(2026, 11, 2)


@pytest.fixture
def running(make_widget, pegawai, handler):
    with at(D(2026, 11, 2)):  # review due Mon 9 Nov
        case = make_widget("submitted")
    return case


def sent(stage):
    return OutboxMessage.objects.filter(dedupe_key__contains=f":{stage}:")


def test_the_sweep_warns_at_h3_then_h1_then_escalates_once_each(running, handler, handler2):
    with at(D(2026, 11, 3)):  # 4 working days left: nothing yet
        assert deadlines.sweep()["h3"] == 0
    with at(D(2026, 11, 4)):  # H-3
        assert deadlines.sweep() == {"breach": 0, "h1": 0, "h3": 1}
        assert deadlines.sweep() == {"breach": 0, "h1": 0, "h3": 0}
    assert sent("h3").count() == 2  # both handlers of the kind: nobody is assigned yet
    with at(D(2026, 11, 6)):  # Friday, H-1 (the weekend does not count)
        assert deadlines.sweep()["h1"] == 1
        deadlines.sweep()
    assert sent("h1").count() == 2
    with at(D(2026, 11, 10)):  # the day after the due date
        assert deadlines.sweep()["breach"] == 1
        deadlines.sweep()
    assert sent("breach").count() == 2
    review = clock(running)
    assert review.breached_on == D(2026, 11, 10) and review.is_late
    assert review.escalated_at is not None


def test_escalation_reaches_the_assignees_supervisor(running, handler, make_user, atasan):
    handler.profile.supervisor = atasan
    handler.profile.save()
    services.assign(running, handler, handler)
    with at(D(2026, 11, 10)):
        deadlines.sweep()
    assert set(sent("breach").values_list("recipient__username", flat=True)) == {"handler", "atasan"}


def test_a_clock_starting_inside_h1_gets_only_the_nearer_warning(make_widget, handler):
    with at(D(2026, 11, 2)):
        case = make_widget("submitted")
    DeadlineClock.objects.filter(case_id=case.pk).update(due_date=D(2026, 11, 3))
    with at(D(2026, 11, 2)):
        counts = deadlines.sweep()
    assert counts["h1"] == 2 and counts["h3"] == 0  # two clocks due tomorrow
    assert not sent("h3").exists()


def test_paused_and_stopped_clocks_are_not_swept(make_widget, handler):
    with at(D(2026, 11, 2)):
        case = make_widget("returned")
    with at(D(2026, 12, 31)):
        deadlines.sweep()
    assert clock(case).escalated_at is None
