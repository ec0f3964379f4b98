"""The WBS state machine (DESIGN §3), transition by transition and role by role, and its clocks."""

import datetime as dt

import pytest
import time_machine

from cases import policy, services
from cases.models import CaseEvent, Confidentiality, DeadlineClock
from tests.wbs.conftest import PATHS, data_for
from wbs.models import FINAL_STATES, Status, WbsReport

pytestmark = pytest.mark.django_db

# DESIGN §3, written out independently of the model: every (state, transition) a WBS handler may run.
DECLARED = {
    ("received", "start_verification"),
    ("verifying", "request_info"),
    ("needs_info", "resume_verification"),
    ("verifying", "reject"),
    ("verifying", "refer"),
    ("reviewing", "refer"),
    ("investigating", "refer"),
    ("verifying", "accept"),
    ("reviewing", "start_investigation"),
    ("reviewing", "take_administrative_action"),
    ("investigating", "record_recommendation"),
    ("administrative_action", "record_recommendation"),
    ("recommendation", "start_follow_up"),  # the outcome in PATHS needs follow-up
    ("follow_up", "close"),
}
TRANSITIONS = sorted({name for _, name in DECLARED} | {"close_not_proven"})


def test_every_state_is_reachable_and_covered():
    assert set(PATHS) == {s.value for s in Status}


@pytest.mark.parametrize("state", sorted(PATHS))
@pytest.mark.parametrize("name", TRANSITIONS)
def test_allowed_iff_declared_for_the_right_role(
    make_report, coordinator, wbs_handler, upg, inspektur, kustodian, admin_user, state, name
):
    report = make_report(PATHS[state])
    # Not assigned, a plain WBS handler cannot even see a confidential report; a UPG officer, an inspector
    # (read-only), a custodian and an admin may not act on it.
    for actor in (wbs_handler, upg, inspektur, kustodian, admin_user):
        events = CaseEvent.objects.filter(case_id=report.pk).count()
        with pytest.raises(services.CaseError):
            services.transition(report, name, actor, **data_for(name))
        assert WbsReport.objects.get(pk=report.pk).status == state
        assert CaseEvent.objects.filter(case_id=report.pk).count() == events
    if (state, name) in DECLARED:
        after = services.transition(report, name, coordinator, expected_status=state, note="x", **data_for(name))
        assert after.status != state
        assert CaseEvent.objects.filter(case_id=report.pk).last().data["transition"] == name
    else:
        with pytest.raises(services.CaseError):
            services.transition(report, name, coordinator, note="x", **data_for(name))
        assert WbsReport.objects.get(pk=report.pk).status == state


def test_an_assigned_handler_works_the_case(make_report, coordinator, wbs_handler):
    report = make_report()
    assert not policy.can_view(wbs_handler, report)
    services.assign(report, wbs_handler, coordinator)
    report = services.transition(report, "start_verification", wbs_handler)
    assert report.status == Status.VERIFYING


def test_every_report_is_confidential_and_final_states_close_it(make_report):
    assert make_report().confidentiality == Confidentiality.RAHASIA
    for state in FINAL_STATES:
        assert make_report(PATHS[state]).closed_at is not None


def test_not_proven_closes_without_follow_up(make_report, coordinator):
    outcome = {"outcome": "tidak_terbukti", "follow_up_owner": "", "follow_up_due": None}
    report = make_report(["start_verification", "accept", "take_administrative_action",
                          ("record_recommendation", outcome)])  # fmt: skip
    with pytest.raises(services.NotAllowed):
        services.transition(report, "start_follow_up", coordinator)
    report = services.transition(
        report, "close_not_proven", coordinator, note="Tidak terbukti.", reason="Bukti tidak cukup.", confirmed=True
    )
    assert report.status == Status.CLOSED


def test_close_not_proven_is_refused_when_the_outcome_needs_follow_up(make_report, coordinator):
    with pytest.raises(services.NotAllowed):
        services.transition(make_report(PATHS["recommendation"]), "close_not_proven", coordinator)


def test_referral_is_recorded(make_report):
    report = make_report(["start_verification", ("refer", {"referral_target": "pengaduan"})])
    assert (report.referral_target, report.referral_letter) == ("pengaduan", "R-1/WBS/2026")
    assert report.referred_on is not None


def test_recommendation_text_is_encrypted_but_readable(make_report):
    report = make_report(PATHS["recommendation"])
    assert report.recommendation == "Jatuhkan hukuman disiplin sedang."
    raw = WbsReport.objects.filter(pk=report.pk).values_list("recommendation", flat=True)
    # values_list goes through the field too; read the column itself.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT recommendation FROM wbs_wbsreport WHERE case_ptr_id = %s", [report.pk])
        (column,) = cursor.fetchone()
    assert list(raw) == ["Jatuhkan hukuman disiplin sedang."]
    assert "hukuman" not in column and column.startswith("gAAAAA")


def test_a_transition_note_is_kept_out_of_the_audit_log(make_report):
    report = make_report(["start_verification", "request_info"])
    event = CaseEvent.objects.filter(case_id=report.pk, data__transition="request_info").get()
    assert "note" not in event.data and "note_id" in event.data
    events = [event]
    services.event_texts(report, events)
    assert events[0].note == "Mohon keterangan tambahan."


# --- clocks ---------------------------------------------------------------------------------------------


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC), tick=False)


def clocks(report):
    return {c.code: c for c in DeadlineClock.objects.filter(case_id=report.pk)}


def test_submission_acknowledges_and_starts_verification_and_feedback_clocks(make_report):
    with at(dt.date(2026, 3, 13)):
        report = make_report()
    found = clocks(report)
    assert set(found) == {"acknowledgement", "verification", "feedback"}
    assert found["acknowledgement"].met_on == dt.date(2026, 3, 13) and not found["acknowledgement"].is_late
    # 13 Mar 2026 (Fri) + 5 HK: 16, 17, then Nyepi and Lebaran with cuti bersama (18–24 Mar), 25, 26, 27.
    assert found["verification"].due_date == dt.date(2026, 3, 27)
    # Three months later is 13 Jun 2026, a Saturday: the last working day before it is Fri 12 Jun.
    assert found["feedback"].due_date == dt.date(2026, 6, 12)


def test_asking_the_reporter_pauses_verification(make_report, coordinator):
    with at(dt.date(2026, 11, 2)):
        report = make_report(["start_verification", "request_info"])
    assert clocks(report)["verification"].paused_on == dt.date(2026, 11, 2)
    with at(dt.date(2026, 11, 9)):
        services.transition(report, "resume_verification", coordinator)
    verification = clocks(report)["verification"]
    # 2 Nov + 5 HK = 9 Nov; paused 5 HK (3–9 Nov) -> 16 Nov.
    assert verification.due_date == dt.date(2026, 11, 16) and verification.paused_on is None


def test_review_and_investigation_clocks_follow_the_path(make_report, coordinator):
    with at(dt.date(2026, 11, 2)):
        report = make_report(["start_verification", "accept"])
        assert clocks(report)["verification"].met_on == dt.date(2026, 11, 2)
        assert clocks(report)["review"].due_date == dt.date(2026, 11, 20)  # 14 HK
        services.transition(report, "start_investigation", coordinator)
    found = clocks(report)
    assert found["review"].met_on == dt.date(2026, 11, 2)
    assert found["investigation"].working_days == 60


def test_the_first_message_to_the_reporter_meets_the_feedback_clock(make_report, coordinator):
    report = make_report(["start_verification"])
    assert clocks(report)["feedback"].met_on is None
    services.add_message(report, coordinator, "Laporan Anda sedang kami verifikasi.")
    assert clocks(report)["feedback"].met_on is not None


def test_clock_lengths_come_from_settings(make_report, settings):
    settings.SIGAP_WBS_VERIFICATION_DAYS = 10
    with at(dt.date(2026, 11, 2)):
        report = make_report()
    assert clocks(report)["verification"].working_days == 10
