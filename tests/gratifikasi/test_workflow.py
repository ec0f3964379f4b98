"""The gratifikasi state machine (DESIGN §2), transition by transition and role by role."""

import datetime as dt

import pytest
import time_machine

from cases import services
from cases.models import CaseEvent, DeadlineClock
from gratifikasi.models import GratifikasiReport, Status
from tests.gratifikasi.conftest import data_for

pytestmark = pytest.mark.django_db

# DESIGN §2, written out independently of the model: (state, transition) -> who may run it.
DECLARED = {
    ("draft", "submit"): "reporter",
    ("incomplete", "complete"): "reporter",
    ("submitted", "start_verification"): "upg",
    ("verifying", "request_completion"): "upg",
    ("verifying", "declare_not_reportable"): "upg",
    ("verifying", "start_analysis"): "upg",
    ("verifying", "record_custody"): "upg",
    ("analysing", "record_recommendation"): "upg",
    ("analysing", "record_custody"): "upg",
    ("analysing", "forward_to_kpk"): "upg",
    ("recorded", "record_custody"): "upg",
    ("recorded", "forward_to_kpk"): "upg",
    ("recorded", "close"): "upg",
    ("forwarded_to_kpk", "kpk_returned"): "upg",
    ("returned_by_kpk", "resend_to_kpk"): "upg",
    ("forwarded_to_kpk", "record_decision"): "upg",
    ("decided", "start_settlement"): "upg",  # the decision below is milik negara: a hand-over is due
    ("settling", "record_handover"): "upg",
}
# Declared in DESIGN but only for refusals (penolakan); the matrix below walks receipts except to 'recorded'.
REFUSAL_ONLY = {("verifying", "record_refusal")}
SELF_LOOPS = {"record_custody", "record_recommendation"}
TRANSITIONS = sorted({name for _, name in DECLARED} | {"record_refusal", "declare_not_reportable"})
VERIFY = ["submit", "start_verification"]
ANALYSE = [*VERIFY, "start_analysis"]
FORWARD = [*ANALYSE, "forward_to_kpk"]
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "verifying": VERIFY,
    "incomplete": [*VERIFY, "request_completion"],
    "not_reportable": [*VERIFY, "declare_not_reportable"],
    "recorded": [*VERIFY, "record_refusal"],
    "analysing": ANALYSE,
    "forwarded_to_kpk": FORWARD,
    "returned_by_kpk": [*FORWARD, "kpk_returned"],
    "decided": [*FORWARD, "record_decision"],
    "settling": [*FORWARD, "record_decision", "start_settlement"],
    "closed": [*FORWARD, "record_decision", "start_settlement", "record_handover"],
}


def test_every_state_is_reachable_and_covered():
    assert set(PATHS) == {s.value for s in Status}


@pytest.mark.parametrize("state", sorted(PATHS))
@pytest.mark.parametrize("name", TRANSITIONS)
def test_allowed_iff_declared_for_the_right_role(make_report, pegawai, upg, inspektur, outsider, state, name):
    report_type = "penolakan" if state == "recorded" else "penerimaan"
    report = make_report(PATHS[state], report_type=report_type)
    declared = DECLARED.get((state, name))
    if (state, name) in REFUSAL_ONLY and report_type == "penolakan":
        declared = "upg"
    actors = {"reporter": pegawai, "upg": upg, "inspektur": inspektur, "outsider": outsider}
    for role, actor in actors.items():
        if role == declared:
            continue
        events = CaseEvent.objects.filter(case_id=report.pk).count()
        with pytest.raises(services.CaseError):
            services.transition(report, name, actor, **data_for(name))
        assert GratifikasiReport.objects.get(pk=report.pk).status == state
        assert CaseEvent.objects.filter(case_id=report.pk).count() == events
    if declared:
        after = services.transition(report, name, actors[declared], expected_status=state, **data_for(name))
        assert (after.status == state) == (name in SELF_LOOPS)
        assert CaseEvent.objects.filter(case_id=report.pk).last().data["transition"] == name


def test_a_refusal_is_recorded_and_can_close_without_kpk(make_report):
    report = make_report([*VERIFY, "record_refusal", "close"], report_type="penolakan")
    assert report.status == Status.CLOSED and report.closed_at is not None


def test_a_refusal_cannot_be_analysed_or_declared_exempt(make_report, upg):
    refusal = make_report(VERIFY, report_type="penolakan")
    for name in ("start_analysis", "declare_not_reportable"):
        with pytest.raises(services.NotAllowed):
            services.transition(refusal, name, upg, **data_for(name))


def test_a_receipt_cannot_be_recorded_as_a_refusal(make_report, upg):
    with pytest.raises(services.NotAllowed):
        services.transition(make_report(VERIFY), "record_refusal", upg)


def test_a_decision_without_state_property_closes_without_hand_over(make_report, upg):
    report = make_report([*FORWARD, ("record_decision", {"kpk_decision": "milik_penerima"})])
    with pytest.raises(services.NotAllowed):
        services.transition(report, "start_settlement", upg)
    report = services.transition(report, "close", upg, reason="Milik penerima.", confirmed=True)
    assert report.status == Status.CLOSED
    assert not DeadlineClock.objects.filter(case_id=report.pk, code="handover").exists()


def test_submitting_needs_an_object(unit, pegawai):
    report = services.create_case(
        kind="gratifikasi",
        actor=pegawai,
        unit=unit,
        reporter=pegawai,
        report_type="penerimaan",
        date_received=dt.date(2026, 11, 2),
    )
    with pytest.raises(services.NotAllowed):
        services.transition(report, "submit", pegawai)


def test_transition_data_is_recorded_on_the_report(make_report):
    report = make_report([*FORWARD, "record_decision"])
    assert (report.kpk_channel, report.kpk_reference) == ("gol_institusi", "GOL-123")
    assert (report.kpk_decision, report.kpk_sk_number) == ("milik_negara", "SK-9/KPK/2026")
    assert report.received_by_upg_on is not None


# --- clocks ---------------------------------------------------------------------------------------------


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC), tick=False)


def clocks(report):
    return {c.code: c for c in DeadlineClock.objects.filter(case_id=report.pk)}


def test_submission_starts_the_legal_clocks_from_the_date_received(make_report):
    with at(dt.date(2026, 3, 25)):
        report = make_report(["submit"], received=dt.date(2026, 3, 13))
    found = clocks(report)
    assert set(found) == {"report_to_upg", "upg_forward", "kpk_legal"}
    # Across Nyepi and Lebaran 2026 (18–24 Mar), Good Friday (3 Apr) and Labour Day (1 May):
    # 13 Mar + 10 HK = 6 Apr; + 30 HK = 5 May.
    assert found["report_to_upg"].due_date == dt.date(2026, 4, 6)
    assert found["report_to_upg"].met_on == dt.date(2026, 3, 25) and not found["report_to_upg"].is_late
    assert found["kpk_legal"].start_date == dt.date(2026, 3, 13)
    assert found["kpk_legal"].due_date == dt.date(2026, 5, 5)
    # The UPG's 10 HK from receipt (25 Mar -> 9 Apr) stays inside the legal deadline.
    assert found["upg_forward"].due_date == dt.date(2026, 4, 9)


def test_the_upg_clock_never_passes_the_legal_deadline(make_report):
    with at(dt.date(2026, 12, 14)):
        report = make_report(["submit"], received=dt.date(2026, 11, 2))
    found = clocks(report)
    assert found["kpk_legal"].due_date == dt.date(2026, 12, 14)
    assert found["upg_forward"].due_date == found["kpk_legal"].due_date  # capped, not 10 HK later
    assert found["report_to_upg"].is_late


def test_a_report_reaching_kpk_after_the_legal_deadline_is_late(make_report, upg):
    with at(dt.date(2026, 12, 22)):
        report = make_report(ANALYSE, received=dt.date(2026, 11, 2))
        services.transition(report, "forward_to_kpk", upg, **data_for("forward_to_kpk"))
    legal = clocks(report)["kpk_legal"]
    assert legal.met_on == dt.date(2026, 12, 22) and legal.is_late


def test_the_forwarding_date_entered_is_what_meets_the_clock(make_report, upg):
    with at(dt.date(2026, 12, 8)):
        report = make_report(ANALYSE, received=dt.date(2026, 11, 2))
    with at(dt.date(2026, 12, 22)):
        services.transition(
            report, "forward_to_kpk", upg, **data_for("forward_to_kpk", kpk_forwarded_on=dt.date(2026, 12, 10))
        )
    legal = clocks(report)["kpk_legal"]
    assert legal.met_on == dt.date(2026, 12, 10) and not legal.is_late


def test_forwarding_before_the_upg_received_the_report_is_refused_and_saves_nothing(make_report, upg):
    with at(dt.date(2026, 12, 22)):
        report = make_report(ANALYSE, received=dt.date(2026, 12, 1))
        events = CaseEvent.objects.filter(case=report).count()
        with pytest.raises(services.CaseError, match="sebelum laporan diterima UPG"):
            services.transition(
                report, "forward_to_kpk", upg, **data_for("forward_to_kpk", kpk_forwarded_on=dt.date(2026, 12, 10))
            )
    report.refresh_from_db()
    assert report.status == "analysing" and report.kpk_forwarded_on is None
    assert CaseEvent.objects.filter(case=report).count() == events


def test_completion_clock_is_20_hk_from_2026_and_30_before(make_report, upg):
    with at(dt.date(2026, 11, 23)):
        report = make_report([*FORWARD, ("kpk_returned", {"kpk_returned_on": dt.date(2026, 11, 23)})])
    assert clocks(report)["kpk_completion"].working_days == 20
    with at(dt.date(2026, 1, 14)):
        old = make_report(ANALYSE, received=dt.date(2026, 1, 5))
    with at(dt.date(2026, 1, 16)):
        old = services.transition(
            old, "forward_to_kpk", upg, **data_for("forward_to_kpk", kpk_forwarded_on=dt.date(2026, 1, 14))
        )
        old = services.transition(old, "kpk_returned", upg, kpk_returned_on=dt.date(2026, 1, 15))
    assert clocks(old)["kpk_completion"].working_days == 30


def test_decision_clock_counts_from_the_completion(make_report):
    with at(dt.date(2026, 11, 23)):
        report = make_report(
            [
                *FORWARD,
                ("kpk_returned", {"kpk_returned_on": dt.date(2026, 11, 10)}),
                ("resend_to_kpk", {"kpk_completed_on": dt.date(2026, 11, 20)}),
            ],
            received=dt.date(2026, 11, 2),
        )
    decision = clocks(report)["kpk_decision"]
    assert decision.start_date == dt.date(2026, 11, 20)
    assert clocks(report)["kpk_completion"].met_on == dt.date(2026, 11, 20)


def test_hand_over_clock_runs_7_hk_from_the_sk(make_report):
    with at(dt.date(2026, 11, 23)):
        report = make_report([*FORWARD, ("record_decision", {"kpk_sk_date": dt.date(2026, 11, 20)})])
    handover = clocks(report)["handover"]
    assert (handover.start_date, handover.due_date) == (dt.date(2026, 11, 20), dt.date(2026, 12, 1))
