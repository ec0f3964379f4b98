"""Each suggestion rule on a small data set whose answer the test works out by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cases import policy
from cases.models import DeadlineClock, Unit
from evaluasi import lke, statistics
from evaluasi.models import Cadence, Evaluation, EvaluationSchedule, FollowUp, Recommendation
from evaluasi.periods import Period
from pengaduan.models import Complaint, IdentityMode, Service
from pengaduan.services import complaint_file

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
YEAR = Period.year(2025)


def scope(unit, period=YEAR, today=TODAY):
    return lke.WorksheetScope(unit, period, today, statistics.Scope.of(period, unit))


def evaluation(module, unit, period: Period, author, held_on=None):
    return Evaluation.objects.create(
        module=module,
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        held_on=held_on or period.end + dt.timedelta(days=5),
        participants="Tim",
        findings="Temuan",
        created_by=author,
    )


def recommendation(ev, author, status, due_on=dt.date(2025, 12, 1)):
    return Recommendation.objects.create(
        evaluation=ev,
        unit=ev.unit,
        text="Rekomendasi",
        owner=author,
        issued_on=ev.held_on,
        due_on=due_on,
        status=status,
        created_by=author,
    )


# --- Berkala


@pytest.mark.parametrize(
    ("quarters", "expected"),
    [((1, 2, 3, 4), ("Berkala", Decimal("1"))), ((1, 3), ("Tidak berkala", Decimal("0.5"))), ((), ("Belum", 0))],
)
def test_berkala_follows_the_quarterly_default(unit, inspektur, quarters, expected):
    for quarter in quarters:
        evaluation("wbs", unit, Period.quarter(2025, quarter), inspektur)
    suggestion = lke.periodic_evaluation("wbs", scope(unit))
    assert (suggestion.label, suggestion.value) == expected


def test_an_evaluation_of_the_unit_above_counts_and_one_of_another_unit_does_not(unit, other_unit, inspektur):
    for quarter in (1, 2):
        evaluation("pengaduan", unit.parent, Period.quarter(2025, quarter), inspektur)
    for quarter in (3, 4):
        evaluation("pengaduan", other_unit, Period.quarter(2025, quarter), inspektur)
    assert lke.periodic_evaluation("pengaduan", scope(unit)).label == "Tidak berkala"
    # Another module's evaluations do not count either.
    assert lke.periodic_evaluation("wbs", scope(unit)).label == "Belum"


def test_a_monthly_cadence_asks_for_every_month(unit, inspektur):
    EvaluationSchedule.objects.create(module="wbs", cadence=Cadence.MONTHLY)
    for quarter in (1, 2, 3, 4):
        evaluation("wbs", unit, Period.quarter(2025, quarter), inspektur)
    suggestion = lke.periodic_evaluation("wbs", scope(unit))
    assert suggestion.label == "Tidak berkala"  # 4 of 12 months
    for month in range(1, 13):
        evaluation("wbs", unit, Period.month(2025, month), inspektur)
    assert lke.periodic_evaluation("wbs", scope(unit)).label == "Berkala"


def test_a_period_not_yet_over_is_not_yet_owed(unit, inspektur):
    # Worksheet 2026 on 2 March 2026: no quarter has ended; an evaluation of Q1 already held is berkala.
    evaluation("wbs", unit, Period.month(2026, 1), inspektur, held_on=dt.date(2026, 2, 5))
    assert lke.periodic_evaluation("wbs", scope(unit, Period.year(2026))).label == "Berkala"


# --- Hasil evaluasi ditindaklanjuti


def test_follow_up_semua_sebagian_belum(unit, inspektur):
    ws = scope(unit)
    assert lke.evaluation_follow_up("benturan", ws).label == "Belum"  # no evaluation at all
    ev = evaluation("benturan", unit, Period.quarter(2025, 1), inspektur)
    suggestion = lke.evaluation_follow_up("benturan", ws)
    assert suggestion.value is None  # evaluated, nothing due yet to follow up
    recommendation(ev, inspektur, FollowUp.SELESAI)
    recommendation(ev, inspektur, FollowUp.TIDAK_DAPAT)
    assert lke.evaluation_follow_up("benturan", ws).label == "Semua"
    open_one = recommendation(ev, inspektur, FollowUp.BELUM)
    assert lke.evaluation_follow_up("benturan", ws).label == "Sebagian"
    Recommendation.objects.exclude(pk=open_one.pk).delete()
    assert lke.evaluation_follow_up("benturan", ws).label == "Belum"
    # A recommendation not due by the period's end does not count against it.
    Recommendation.objects.all().delete()
    recommendation(ev, inspektur, FollowUp.SELESAI)
    recommendation(ev, inspektur, FollowUp.BELUM, due_on=dt.date(2026, 6, 1))
    suggestion = lke.evaluation_follow_up("benturan", ws)
    assert suggestion.label == "Semua"
    not_counted = "Rekomendasi belum jatuh tempo dan belum ditindaklanjuti (tidak dinilai)"
    assert {"label": not_counted, "value": 1} in suggestion.basis["counts"]


# --- Pengaduan


@pytest.fixture
def complaints(unit, make_user):
    """Complaints received in 2025 at statuses chosen by the test; clocks of those past screening stopped."""
    service = Service.objects.create(code="ktp", name="KTP", unit=unit)

    def make(status, n=1, received=dt.datetime(2025, 2, 10, 10)):
        made = []
        for _ in range(n):
            complaint, _pin = complaint_file(
                fields={"service": service, "category": "02", "description": "Isi", "location": "Loket"},
                identity_mode=IdentityMode.ANONYMOUS,
                identity=None,
                files=[],
                received_at=timezone.make_aware(received),
            )
            Complaint.objects.filter(pk=complaint.pk).update(status=status)
            if status not in ("received", "verifying"):
                DeadlineClock.objects.filter(case_id=complaint.pk).update(met_on=dt.date(2025, 2, 11))
            made.append(complaint)
        return made

    return make


def test_the_percentage_of_complaints_handled(unit, complaints):
    complaints("closed", 3)
    complaints("in_progress", 2)
    complaints("answered", 1)
    complaints("received", 1)
    complaints("archived", 2)
    complaints("forwarded_elsewhere", 1)
    complaints("converted_to_wbs", 1)
    complaints("closed", 4, received=dt.datetime(2024, 12, 30, 10))  # another year
    to_handle, finished = 3 + 2 + 1 + 1, 3
    suggestion = lke.complaint_handling_percent(scope(unit))
    assert suggestion.value == (Decimal(100 * finished) / Decimal(to_handle)).quantize(Decimal("0.01"))
    counts = {count["label"]: count["value"] for count in suggestion.basis["counts"]}
    assert counts["Harus ditindaklanjuti"] == to_handle
    assert counts["Dalam proses"] == 3
    assert counts["Selesai"] == finished
    assert counts["Pengaduan diterima"] == 11
    assert any(link.get("link") == {"status": "closed"} for link in suggestion.basis["links"])
    assert all(link["url"].startswith("/evaluasi/") for link in suggestion.basis["links"])


def test_no_complaints_no_suggestion(unit):
    assert lke.complaint_handling_percent(scope(unit)).value is None
    assert lke.complaints_followed_up(scope(unit)).value is None
    assert lke.complaint_policy_implemented(scope(unit)).value is None


def test_complaints_followed_up_unless_one_waits_past_its_deadline(unit, complaints):
    complaints("closed", 2)
    assert lke.complaints_followed_up(scope(unit)).label == "Ya"
    assert lke.complaint_policy_implemented(scope(unit)).label == "Ya"
    complaints("received", 1)  # received 10 Feb 2025, never verified: 3 HK long past
    suggestion = lke.complaints_followed_up(scope(unit))
    assert suggestion.label == "Tidak"
    counts = {count["label"]: count["value"] for count in suggestion.basis["counts"]}
    assert counts["Lewat batas verifikasi 3 HK tanpa penerusan"] == 1


# --- Gratifikasi and WBS


def test_wbs_applied_when_it_has_managers(unit, make_user):
    assert lke.wbs_applied(scope(unit)).label == "Tidak"
    make_user("pengelola", policy.PENGELOLA_WBS)
    assert lke.wbs_applied(scope(unit)).label == "Ya"


def test_gratifikasi_without_upg_is_tidak(unit, make_user):
    assert lke.gratifikasi_implemented(scope(unit)).label == "Tidak"
    make_user("upg1", policy.PETUGAS_UPG)
    assert lke.gratifikasi_implemented(scope(unit)).value is None  # an UPG, but no report in the period


# --- The suggestion takes its label from the edition's options


def test_suggest_uses_the_questions_option_label(unit, inspektur):
    from evaluasi.models import LkeQuestion

    question = LkeQuestion.objects.get(edition__code="permenpanrb-90-2021", code="wbs.b")
    for quarter in (1, 2, 3, 4):
        evaluation("wbs", unit, Period.quarter(2025, quarter), inspektur)
    suggestion = lke.suggest(question, scope(unit))
    assert (suggestion.value, suggestion.label) == (Decimal("1"), "Berkala")
    assert lke.suggest(LkeQuestion.objects.get(edition__code="permenpanrb-90-2021", code="spip.a"), scope(unit)) is None
    assert Unit.objects.count() >= 2


# --- Benturan kepentingan


def test_conflicts_mapped_from_the_approved_map(unit, inspektur):
    from benturan.models import MainFunction, MapStatus, RiskMap, RiskMapEntry, Source

    ws = scope(unit)
    assert lke.conflicts_mapped(ws).value is None  # no main function recorded: SIGAP cannot say
    functions = [MainFunction.objects.create(unit=unit, name=f"Fungsi {i}") for i in range(4)]
    assert lke.conflicts_mapped(ws).label == "Belum"
    draft = RiskMap.objects.create(unit=unit, year=2025, prepared_by=inspektur)
    entry = {"position": "Staf", "conflict_form": "-", "situation": "-", "source": Source.choices[0][0], "control": "-"}
    for function in functions[:3]:
        RiskMapEntry.objects.create(risk_map=draft, function=function, **entry)
    assert lke.conflicts_mapped(ws).label == "Belum"  # a draft is not the unit's identification yet
    approved = RiskMap.objects.create(unit=unit, year=2025, version=2, prepared_by=inspektur, status=MapStatus.APPROVED)
    RiskMapEntry.objects.create(risk_map=approved, function=functions[0], **entry)
    suggestion = lke.conflicts_mapped(ws)
    assert (suggestion.label, suggestion.value) == ("Sebagian kecil", Decimal("0.33"))  # 1 of 4
    for function in functions[1:3]:
        RiskMapEntry.objects.create(risk_map=approved, function=function, **entry)
    assert lke.conflicts_mapped(ws).value == Decimal("0.67")  # 3 of 4
    RiskMapEntry.objects.create(risk_map=approved, function=functions[3], **entry)
    assert lke.conflicts_mapped(ws).label == "Semua"


def test_nothing_owed_yet_is_no_suggestion_not_belum(unit, inspektur):
    # A 2026 worksheet looked at in February: no quarter has ended, so no evaluation was owed yet.
    early = scope(unit, Period.year(2026), today=dt.date(2026, 2, 10))
    suggestion = lke.periodic_evaluation("pengaduan", early)
    assert suggestion.value is None and suggestion.label == ""


def test_a_recommendation_settled_before_its_due_date_counts_as_done(unit, inspektur):
    ev = evaluation("wbs", unit, Period.quarter(2025, 1), inspektur)
    # Both done early, both due after the worksheet's cut-off.
    recommendation(ev, inspektur, FollowUp.SELESAI, due_on=dt.date(2026, 3, 1))
    recommendation(ev, inspektur, FollowUp.TIDAK_DAPAT, due_on=dt.date(2026, 3, 1))
    assert lke.evaluation_follow_up("wbs", scope(unit)).label == "Semua"
    recommendation(ev, inspektur, FollowUp.BELUM, due_on=dt.date(2026, 3, 1))  # not due, not begun: not counted
    assert lke.evaluation_follow_up("wbs", scope(unit)).label == "Semua"
    # One begun early and not finished is counted: not all are followed up (an outside trial's case).
    recommendation(ev, inspektur, FollowUp.PROSES, due_on=dt.date(2026, 3, 1))
    assert lke.evaluation_follow_up("wbs", scope(unit)).label == "Sebagian"
