"""The supervisor's 7 HK to decide a declaration (benturan/kind.py, clock "decision"), on frozen days of the
calendar of cases.workdays (the `holidays` package, ID, public + government):

  2027: 8 Mar Nyepi, 9 Mar cuti bersama, 10–11 Mar Idulfitri 1448 H (estimated by the package), 12 and 15 Mar
  cuti bersama — a declaration received on Wed 3 Mar 2027 counts Thu 4 (1), Fri 5 (2), then Tue 16 … Mon 22 Mar
  (7): due 22 Mar.
  2026: 24 Dec Natal cuti bersama, 25 Dec Natal, 1 Jan 2027 New Year — received Mon 21 Dec 2026: Tue 22 (1),
  Wed 23 (2), Mon 28 … Thu 31 (3–6), Mon 4 Jan 2027 (7): due 4 Jan.

The day of receipt is day 0; the 7th working day is the last day allowed (DESIGN §1.1).
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from benturan import services
from benturan.models import Declaration, Status
from cases import deadlines, policy, workdays
from cases import services as case_services
from cases.models import OutboxMessage
from tests.benturan.conftest import DECISION, DECLARATION

pytestmark = pytest.mark.django_db

D = dt.date
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
LEBARAN_RECEIVED, LEBARAN_DUE = D(2027, 3, 3), D(2027, 3, 22)
NATAL_RECEIVED, NATAL_DUE = D(2026, 12, 21), D(2027, 1, 4)


def at(day: dt.date, hour: int = 10):
    """Frozen at `hour` o'clock in Jakarta on `day`."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=WIB), tick=False)


def decision_clock(declaration):
    return declaration.clocks.get(code="decision")


def decide(declaration, decider, decided_on):
    declaration = case_services.transition(declaration, "start_analysis", decider)
    return services.declaration_decide(declaration, "decide", decider, **{**DECISION, "decided_on": decided_on})


def test_the_calendar_has_the_days_off_this_file_counts_on():
    for day in (D(2027, 3, 8), D(2027, 3, 9), D(2027, 3, 10), D(2027, 3, 11), D(2027, 3, 12), D(2027, 3, 15)):
        assert not workdays.is_working_day(day), day
    for day in (D(2026, 12, 24), D(2026, 12, 25), D(2027, 1, 1)):
        assert not workdays.is_working_day(day), day
    assert workdays.is_working_day(D(2027, 3, 16)) and workdays.is_working_day(D(2026, 12, 31))


@pytest.mark.parametrize(
    ("received", "due"), [(LEBARAN_RECEIVED, LEBARAN_DUE), (NATAL_RECEIVED, NATAL_DUE)], ids=["lebaran", "natal"]
)
def test_the_clock_runs_7_working_days_from_receipt(make_declaration, received, due):
    with at(received):
        declaration = make_declaration(Status.SUBMITTED)
    clock = decision_clock(declaration)
    assert (clock.start_date, clock.working_days, clock.due_date) == (received, 7, due)
    assert declaration.due_date == due


@pytest.mark.parametrize(
    ("received", "due"), [(LEBARAN_RECEIVED, LEBARAN_DUE), (NATAL_RECEIVED, NATAL_DUE)], ids=["lebaran", "natal"]
)
def test_a_decision_on_the_last_day_is_in_time(make_declaration, atasan, received, due):
    with at(received):
        declaration = make_declaration(Status.SUBMITTED)
    with at(due, hour=16):
        decided = decide(declaration, atasan, due)
    clock = decision_clock(decided)
    assert clock.met_on == due and not clock.is_late
    assert services.decided_in_time(decided) is True
    assert decided.due_date is None


@pytest.mark.parametrize(
    ("received", "due"), [(LEBARAN_RECEIVED, LEBARAN_DUE), (NATAL_RECEIVED, NATAL_DUE)], ids=["lebaran", "natal"]
)
def test_a_decision_the_next_working_day_is_late(make_declaration, atasan, received, due):
    late = workdays.add_working_days(due, 1)
    with at(received):
        declaration = make_declaration(Status.SUBMITTED)
    with at(late):
        decided = decide(declaration, atasan, late)
    clock = decision_clock(decided)
    assert clock.met_on == late and clock.is_late
    assert services.decided_in_time(decided) is False


def test_a_backdated_decision_does_not_meet_the_clock(make_declaration, atasan):
    """The supervisor is the one measured: a decision recorded after the deadline is late whatever date is typed
    for the letter (it keeps that date, but the clock stops on the day the decision is recorded)."""
    with at(LEBARAN_RECEIVED):
        declaration = make_declaration(Status.SUBMITTED)
    with at(D(2027, 3, 24)):
        decided = decide(declaration, atasan, LEBARAN_DUE)
    assert decided.decided_on == LEBARAN_DUE
    assert decision_clock(decided).met_on == D(2027, 3, 24)
    assert services.decided_in_time(decided) is False


def test_a_decision_dated_before_the_declaration_is_refused(make_declaration, atasan):
    from cases.services import CaseError

    with at(LEBARAN_RECEIVED):
        declaration = make_declaration(Status.SUBMITTED)
        with pytest.raises(CaseError):
            decide(declaration, atasan, LEBARAN_RECEIVED - dt.timedelta(days=1))
    assert Declaration.objects.get(pk=declaration.pk).status == Status.ANALYSING  # analysed, not decided


def test_a_proactive_declaration_counts_from_its_opening(atasan, pegawai):
    with at(LEBARAN_RECEIVED):
        declaration = services.declaration_open(actor=atasan, employee=pegawai, fields=DECLARATION)
    clock = decision_clock(declaration)
    assert (clock.start_date, clock.due_date) == (LEBARAN_RECEIVED, LEBARAN_DUE)


def test_a_draft_has_no_clock(make_declaration):
    with at(LEBARAN_RECEIVED):
        draft = make_declaration(Status.DRAFT)
    assert not draft.clocks.exists()


def escalated_to(declaration) -> set[str]:
    return set(
        OutboxMessage.objects.filter(case_id=declaration.pk, dedupe_key__contains=":breach:").values_list(
            "recipient__username", flat=True
        )
    )


def test_a_breached_clock_escalates_to_the_deciders_supervisor(make_declaration, atasan, kepala):
    with at(LEBARAN_RECEIVED):
        declaration = make_declaration(Status.SUBMITTED)
    with at(LEBARAN_DUE):
        assert deadlines.sweep()["breach"] == 0
        assert escalated_to(declaration) == set()
    after = workdays.add_working_days(LEBARAN_DUE, 1)
    with at(after):
        assert deadlines.sweep()["breach"] == 1
        assert deadlines.sweep()["breach"] == 0  # idempotent
    assert escalated_to(declaration) == {"atasan", "kepala"}
    clock = decision_clock(declaration)
    assert clock.breached_on == after and clock.escalated_at is not None


def test_with_the_supervisor_conflicted_the_escalation_skips_them(make_user, make_declaration, atasan, kepala):
    """The declarant said their supervisor is part of the conflict: the head decides, and a breach reaches the
    head's own supervisor — never the conflicted supervisor, who is kept out of the case."""
    pimpinan = make_user("pimpinan", policy.ATASAN)
    kepala.profile.supervisor = pimpinan
    kepala.profile.save()
    with at(NATAL_RECEIVED):
        declaration = make_declaration(Status.SUBMITTED, supervisor_involved=True)
    assert declaration.assignee == kepala
    with at(workdays.add_working_days(NATAL_DUE, 1)):
        deadlines.sweep()
    assert escalated_to(declaration) == {"kepala", "pimpinan"}


def test_a_decided_declaration_is_not_escalated(make_declaration, atasan):
    with at(LEBARAN_RECEIVED):
        declaration = make_declaration(Status.SUBMITTED)
    with at(LEBARAN_DUE):
        decide(declaration, atasan, LEBARAN_DUE)
    with at(D(2027, 4, 5)):
        assert deadlines.sweep()["breach"] == 0
    assert escalated_to(declaration) == set()
