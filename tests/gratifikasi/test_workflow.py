"""The gratifikasi state machine (DESIGN §2), transition by transition and role by role."""

import datetime as dt

import pytest

from cases import services
from cases.models import CaseEvent, DeadlineClock
from gratifikasi.models import GratifikasiReport, Status

pytestmark = pytest.mark.django_db

# DESIGN §2, written out independently of the model: (state, transition) -> who may run it.
DECLARED = {
    ("draft", "submit"): "reporter",
    ("incomplete", "complete"): "reporter",
    ("submitted", "start_verification"): "upg",
    ("verifying", "request_completion"): "upg",
    ("verifying", "declare_not_reportable"): "upg",
    ("verifying", "record_refusal"): "upg",  # penolakan only
    ("verifying", "start_analysis"): "upg",  # penerimaan only
    ("analysing", "forward_to_kpk"): "upg",
    ("recorded", "forward_to_kpk"): "upg",
    ("forwarded_to_kpk", "kpk_returned"): "upg",
    ("returned_by_kpk", "resend_to_kpk"): "upg",
    ("forwarded_to_kpk", "record_decision"): "upg",
    ("decided", "start_settlement"): "upg",
    ("settling", "close"): "upg",
    ("decided", "close"): "upg",
    ("recorded", "close"): "upg",
}
TRANSITIONS = sorted({name for _, name in DECLARED})
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "verifying": ["submit", "start_verification"],
    "incomplete": ["submit", "start_verification", "request_completion"],
    "not_reportable": ["submit", "start_verification", "declare_not_reportable"],
    "recorded": ["submit", "start_verification", "record_refusal"],
    "analysing": ["submit", "start_verification", "start_analysis"],
    "forwarded_to_kpk": ["submit", "start_verification", "start_analysis", "forward_to_kpk"],
    "returned_by_kpk": ["submit", "start_verification", "start_analysis", "forward_to_kpk", "kpk_returned"],
    "decided": ["submit", "start_verification", "start_analysis", "forward_to_kpk", "record_decision"],
    "settling": [
        "submit",
        "start_verification",
        "start_analysis",
        "forward_to_kpk",
        "record_decision",
        "start_settlement",
    ],
    "closed": ["submit", "start_verification", "start_analysis", "forward_to_kpk", "record_decision", "close"],
}


@pytest.fixture
def make_report(unit, pegawai, upg):
    def make(state, report_type=None):
        report_type = report_type or ("penolakan" if state == "recorded" else "penerimaan")
        case = services.create_case(
            kind="gratifikasi",
            actor=pegawai,
            unit=unit,
            reporter=pegawai,
            report_type=report_type,
            date_received=dt.date.today() - dt.timedelta(days=3),
            summary="parsel",
        )
        for name in PATHS[state]:
            case = services.transition(case, name, pegawai if name in {"submit", "complete"} else upg)
        assert case.status == state
        return GratifikasiReport.objects.get(pk=case.pk)

    return make


def test_every_state_is_reachable_and_covered():
    assert set(PATHS) == {s.value for s in Status}


@pytest.mark.parametrize("state", sorted(PATHS))
@pytest.mark.parametrize("name", TRANSITIONS)
def test_allowed_iff_declared_for_the_right_role(make_report, pegawai, upg, inspektur, outsider, state, name):
    report = make_report(state)
    declared = DECLARED.get((state, name))
    if name == "record_refusal" or name == "start_analysis":
        wanted = "penolakan" if name == "record_refusal" else "penerimaan"
        if report.report_type != wanted:
            declared = None  # the condition on the report type refuses it
    actors = {"reporter": pegawai, "upg": upg, "inspektur": inspektur, "outsider": outsider}
    for role, actor in actors.items():
        if role == declared:
            continue
        events = CaseEvent.objects.filter(case_id=report.pk).count()
        with pytest.raises(services.CaseError):
            services.transition(report, name, actor)
        assert GratifikasiReport.objects.get(pk=report.pk).status == state
        assert CaseEvent.objects.filter(case_id=report.pk).count() == events
    if declared:
        after = services.transition(report, name, actors[declared], expected_status=state)
        assert after.status != state
        assert CaseEvent.objects.filter(case_id=report.pk).last().to_status == after.status


def test_a_refusal_cannot_be_analysed_and_a_receipt_cannot_be_recorded(make_report, upg):
    receipt = make_report("verifying", "penerimaan")
    with pytest.raises(services.NotAllowed):
        services.transition(receipt, "record_refusal", upg)
    refusal = make_report("verifying", "penolakan")
    with pytest.raises(services.NotAllowed):
        services.transition(refusal, "start_analysis", upg)


def test_submission_starts_the_legal_clocks_from_the_date_received(make_report):
    report = make_report("submitted")
    clocks = {c.code: c for c in DeadlineClock.objects.filter(case_id=report.pk)}
    assert set(clocks) == {"report_to_upg", "upg_forward", "kpk_legal"}
    assert clocks["kpk_legal"].start_date == report.date_received
    assert clocks["report_to_upg"].met_on is not None  # filing the report is what that clock waits for


def test_forwarding_late_marks_the_legal_clock_late(make_report, upg):
    report = make_report("analysing")
    DeadlineClock.objects.filter(case_id=report.pk, code="kpk_legal").update(due_date=dt.date(2020, 1, 1))
    services.transition(report, "forward_to_kpk", upg)
    legal = DeadlineClock.objects.get(case_id=report.pk, code="kpk_legal")
    assert legal.is_late and legal.state_label == "terlambat"
