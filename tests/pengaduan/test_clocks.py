"""The clocks of a complaint (pengaduan/kind.py), on frozen days of the 2026 calendar of cases.workdays:

  verification and forwarding 3 HK from the day the complaint actually arrived (PermenPANRB 62/2018), paused
  while the office waits for the complainant or has postponed it; first follow-up 5 HK from disposition;
  resolution 60 days from disposition (Perpres 76/2013: calendar days by default, working days when the
  instansi's HandlingRule says so); a complaint lodged more than 30 days after the service is flagged.

The `holidays` package (ID, public + government) gives for 2026: 18 Mar Nyepi cuti bersama, 19 Mar Nyepi, 20 Mar
Idulfitri cuti bersama, 21–22 Mar Idulfitri 1447 H (a weekend), 23–24 Mar cuti bersama; 24 Dec Christmas cuti
bersama, 25 Dec Christmas; 1 Jan 2027 New Year, 5 Jan 2027 Isra Mikraj.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from cases import services, workdays
from cases.models import DeadlineClock
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint, HandlingRule, ResolutionUnit
from tests.pengaduan.conftest import PATHS, file_complaint

pytestmark = pytest.mark.django_db

D = dt.date
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 10):
    """Frozen at `hour` o'clock in Jakarta on `day`."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=WIB), tick=False)


def clocks(complaint):
    return {c.code: c for c in DeadlineClock.objects.filter(case_id=complaint.pk)}


# --- verification: 3 HK from the day it arrived ---------------------------------------------------------


def test_verification_counts_from_the_day_received_not_the_day_entered(officer):
    # A letter that arrived on Friday 6 Nov 2026 is typed in on Monday 9 Nov.
    with at(D(2026, 11, 9)):
        complaint, _pin = file_complaint(actor=officer, received_at=dt.datetime(2026, 11, 6, 15, tzinfo=WIB))
    verification = clocks(complaint)["verification"]
    assert complaint.received_on == D(2026, 11, 6)
    assert verification.start_date == D(2026, 11, 6)
    # Fri 6 Nov + 3 HK: Mon 9, Tue 10, Wed 11 (entered on the 9th it would have been the 12th).
    assert verification.due_date == D(2026, 11, 11) and verification.working_days == 3
    assert Complaint.objects.get(pk=complaint.pk).due_date == D(2026, 11, 11)


def test_the_day_received_is_the_day_in_jakarta(officer):
    # 20:30 WIB on Friday is still Friday in Jakarta although 13:30 UTC; 01:00 WIB on Saturday is Friday in UTC.
    with at(D(2026, 11, 9)):
        friday, _pin = file_complaint(actor=officer, received_at=dt.datetime(2026, 11, 6, 20, 30, tzinfo=WIB))
        saturday, _pin = file_complaint(actor=officer, received_at=dt.datetime(2026, 11, 7, 1, 0, tzinfo=WIB))
    assert clocks(friday)["verification"].start_date == D(2026, 11, 6)
    assert clocks(saturday)["verification"].start_date == D(2026, 11, 7)


def test_a_complaint_from_the_web_form_counts_from_today():
    with at(D(2026, 11, 4)):
        complaint, _pin = file_complaint()
    assert clocks(complaint)["verification"].due_date == D(2026, 11, 9)  # Wed + 3 HK: Thu, Fri, Mon


def test_a_received_time_in_the_future_is_refused(officer):
    with at(D(2026, 11, 9)):
        with pytest.raises(services.CaseError):
            file_complaint(actor=officer, received_at=dt.datetime(2026, 11, 10, 9, tzinfo=WIB))
    assert not Complaint.objects.exists()


def test_verification_across_lebaran_2026():
    for day in (D(2026, 3, 18), D(2026, 3, 19), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24)):
        assert not workdays.is_working_day(day), day
    # Received Tuesday 17 Mar 2026: 18–24 Mar are Nyepi, Idulfitri 1447 H and their cuti bersama; the 3 HK
    # are Wed 25, Thu 26 and Fri 27 Mar.
    with at(D(2026, 3, 17)):
        complaint, _pin = file_complaint()
    assert clocks(complaint)["verification"].due_date == D(2026, 3, 27)


def test_verification_of_a_complaint_sent_on_idulfitri(officer):
    # Sent through the web on Saturday 21 Mar 2026 (Idulfitri), recorded on Wednesday 25 Mar.
    with at(D(2026, 3, 25)):
        complaint, _pin = file_complaint(actor=officer, received_at=dt.datetime(2026, 3, 21, 8, tzinfo=WIB))
    assert clocks(complaint)["verification"].due_date == D(2026, 3, 27)


def test_verification_across_the_year_end(officer):
    # Received Wed 30 Dec 2026: Thu 31 Dec, then New Year (Fri 1 Jan 2027) and the weekend, Mon 4 Jan,
    # Isra Mikraj (Tue 5 Jan), Wed 6 Jan.
    with at(D(2026, 12, 30)):
        complaint, _pin = file_complaint()
    assert complaint.reference.startswith("ADU-2026-")
    assert clocks(complaint)["verification"].due_date == D(2027, 1, 6)


def test_verification_across_christmas_cuti_bersama(officer):
    # Received Wed 23 Dec 2026, entered in the new year: 24 (cuti bersama) and 25 Dec are off; 28, 29, 30 Dec.
    with at(D(2027, 1, 4)):
        complaint, _pin = file_complaint(actor=officer, received_at=dt.datetime(2026, 12, 23, 9, tzinfo=WIB))
        verification = clocks(complaint)["verification"]
        assert verification.is_late  # entered after its due date: shown late, as it is
    assert verification.due_date == D(2026, 12, 30)


# --- the pause --------------------------------------------------------------------------------------------


def test_asking_the_complainant_pauses_verification_and_their_answer_resumes_it(officer):
    with at(D(2026, 11, 2)):
        complaint, _pin = file_complaint()
        complaint = services.transition(complaint, "start_verification", officer)
    with at(D(2026, 11, 3)):
        complaint = services.transition(complaint, "request_clarification", officer, note="Layanan apa?")
    verification = clocks(complaint)["verification"]
    assert verification.paused_on == D(2026, 11, 3) and verification.due_date == D(2026, 11, 5)
    # A paused clock is not the complaint's nearest deadline, and the sweep leaves it alone.
    assert Complaint.objects.get(pk=complaint.pk).due_date is None
    with at(D(2026, 11, 10)):
        pengaduan_services.complaint_clarify(complaint=complaint, text="Layanan izin usaha, loket 2.")
    verification = clocks(complaint)["verification"]
    # Paused from Tue 3 to Tue 10 Nov: 5 HK (4, 5, 6, 9, 10). Thu 5 Nov + 5 HK = Thu 12 Nov.
    assert verification.paused_on is None and verification.paused_days == 5
    assert verification.due_date == D(2026, 11, 12)
    assert Complaint.objects.get(pk=complaint.pk).due_date == D(2026, 11, 12)


def test_a_clarification_by_telephone_also_resumes(officer):
    with at(D(2026, 11, 2)):
        complaint, _pin = file_complaint()
        complaint = services.transition(complaint, "start_verification", officer)
        complaint = services.transition(complaint, "request_clarification", officer, note="Layanan apa?")
    with at(D(2026, 11, 4)):
        services.transition(complaint, "record_clarification", officer, note="Dijawab lewat telepon.")
    verification = clocks(complaint)["verification"]
    # Paused Mon 2 to Wed 4 Nov: 2 HK. Thu 5 Nov + 2 HK = Mon 9 Nov.
    assert (verification.paused_days, verification.due_date) == (2, D(2026, 11, 9))


def test_postponing_pauses_verification_and_resuming_adds_the_days_across_lebaran(officer):
    with at(D(2026, 3, 16)):
        complaint, _pin = file_complaint()
        complaint = services.transition(complaint, "start_verification", officer)
        complaint = services.transition(complaint, "postpone", officer, note="Menunggu data dari unit.")
    assert clocks(complaint)["verification"].due_date == D(2026, 3, 26)  # 17, 25, 26 Mar
    with at(D(2026, 3, 27)):
        services.transition(complaint, "resume", officer)
    verification = clocks(complaint)["verification"]
    # Paused Mon 16 to Fri 27 Mar: 17, 25, 26, 27 Mar = 4 HK. Thu 26 Mar + 4 HK = 27, 30, 31 Mar, 1 Apr.
    assert (verification.paused_days, verification.due_date) == (4, D(2026, 4, 1))


def test_verification_is_met_on_disposition(officer, unit):
    with at(D(2026, 11, 2)):
        complaint, _pin = file_complaint()
        complaint = services.transition(complaint, "start_verification", officer)
    with at(D(2026, 11, 5)):
        services.transition(complaint, "dispose", officer, disposed_unit=unit, handler=officer)
    verification = clocks(complaint)["verification"]
    assert verification.met_on == D(2026, 11, 5) and not verification.is_late


# --- after disposition: first follow-up and resolution --------------------------------------------------


def disposed_on(day, officer, unit):
    with at(day):
        complaint, _pin = file_complaint()
        complaint = services.transition(complaint, "start_verification", officer)
        return services.transition(complaint, "dispose", officer, disposed_unit=unit, handler=officer)


def test_first_follow_up_is_due_5_hk_after_disposition(officer, unit):
    complaint = disposed_on(D(2026, 11, 2), officer, unit)
    first = clocks(complaint)["first_follow_up"]
    assert (first.start_date, first.due_date) == (D(2026, 11, 2), D(2026, 11, 9))
    with at(D(2026, 11, 6)):
        services.transition(complaint, "respond_first", officer, note="Sedang kami tindak lanjuti.")
    first = clocks(complaint)["first_follow_up"]
    assert first.met_on == D(2026, 11, 6) and not first.is_late
    assert clocks(complaint)["resolution"].met_on is None  # resolution runs on


def test_first_follow_up_across_christmas(officer, unit):
    complaint = disposed_on(D(2026, 12, 21), officer, unit)
    # Mon 21 Dec + 5 HK: 22, 23, (24, 25 off, weekend) 28, 29, 30 Dec.
    assert clocks(complaint)["first_follow_up"].due_date == D(2026, 12, 30)


def test_resolution_is_60_calendar_days_by_default(officer, unit):
    complaint = disposed_on(D(2026, 11, 2), officer, unit)
    resolution = clocks(complaint)["resolution"]
    # Day 60 is Fri 1 Jan 2027 (New Year): the due date is the last working day on or before it, Thu 31 Dec.
    assert resolution.due_date == D(2026, 12, 31)
    assert resolution.length_label == "60 hari kalender"


def test_resolution_on_a_working_day_60_is_that_day(officer, unit):
    complaint = disposed_on(D(2026, 10, 1), officer, unit)
    assert clocks(complaint)["resolution"].due_date == D(2026, 11, 30)  # day 60, a Monday


def test_resolution_in_working_days_when_the_instansi_says_so(officer, unit):
    HandlingRule.objects.create(pk=1, resolution_days=60, resolution_unit=ResolutionUnit.WORKING)
    complaint = disposed_on(D(2026, 11, 2), officer, unit)
    resolution = clocks(complaint)["resolution"]
    # 3–30 Nov (20 HK), Dec without 24–25 (21 HK), 4, 6–8 Jan, 11–29 Jan 2027 (19 HK; 1 and 5 Jan are off).
    assert (resolution.working_days, resolution.due_date) == (60, D(2027, 1, 29))
    assert resolution.length_label == "60 hari kerja"


def test_the_resolution_clock_is_met_by_the_answer(officer, unit):
    complaint = disposed_on(D(2026, 11, 2), officer, unit)
    with at(D(2026, 11, 20)):
        services.transition(complaint, "send_answer", officer, answer="Sudah selesai.", answer_signatory="Kabag")
    found = clocks(complaint)
    assert found["resolution"].met_on == D(2026, 11, 20) and found["first_follow_up"].met_on == D(2026, 11, 20)


def test_a_final_state_stops_every_running_clock(make_complaint, officer):
    complaint = make_complaint(PATHS["verifying"])
    services.transition(complaint, "archive", officer, reason="Tidak jelas.", confirmed=True)
    assert all(clock.met_on or clock.stopped_on for clock in clocks(complaint).values())


# --- lodged more than 30 days after the service: accepted and flagged -------------------------------------


@pytest.mark.parametrize(("days", "late"), [(29, False), (30, False), (31, True)])
def test_the_30_day_flag(days, late):
    with at(D(2026, 11, 20)):
        complaint, _pin = file_complaint(service_date=D(2026, 11, 20) - dt.timedelta(days=days))
    assert Complaint.objects.get(pk=complaint.pk).late_filing is late
    assert complaint.status == "received"  # accepted either way


def test_the_30_day_flag_counts_to_the_day_received_not_entered(officer):
    # Service on 1 Oct, letter received 31 Oct (30 days), typed in on 9 Nov (39 days): not late.
    with at(D(2026, 11, 9)):
        complaint, _pin = file_complaint(
            actor=officer, service_date=D(2026, 10, 1), received_at=dt.datetime(2026, 10, 31, 9, tzinfo=WIB)
        )
    assert Complaint.objects.get(pk=complaint.pk).late_filing is False


def test_without_a_service_date_nothing_is_flagged():
    complaint, _pin = file_complaint(service_date=None)
    assert Complaint.objects.get(pk=complaint.pk).late_filing is False
