"""The statistics page: figures computed on declarations with known outcomes and clock results (one decided late,
by moving the frozen date), statements, evaluations and the LKE a–e panel; who may read it, and the export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from time_machine import travel

from benturan import selectors, services
from benturan.models import InterestStatement, StatementCampaign
from cases import services as case_services
from cases.models import EmployeeProfile
from evaluasi.models import Evaluation, FollowUp, Recommendation
from tests.benturan.conftest import DECISION

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def on(day: dt.date):
    """Freeze the clock at 10:00 in Jakarta on `day`."""
    return travel(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC), tick=False)


def submit(make_declaration, day, **fields):
    with on(day):
        declaration = make_declaration("submitted", **fields)
    return declaration


def decide(declaration, day, outcome="recusal"):
    with on(day):
        decider = declaration.assignee
        declaration = case_services.transition(declaration, "start_analysis", decider)
        services.declaration_decide(
            declaration, "decide", decider, **{**DECISION, "outcome": outcome, "decided_on": day}
        )


@pytest.fixture
def figures(make_declaration, make_user, atasan, other_unit):
    """In SEKR: one decided in 2 days (recusal), one decided late after 21 days (no conflict), one undecided and
    overdue, one draft, one received in 2025; in HUMAS one decided in time."""
    monday = dt.date(2026, 9, 7)  # 7 HK later: Wednesday 16 September
    decide(submit(make_declaration, monday, source="keluarga"), dt.date(2026, 9, 9))
    decide(submit(make_declaration, monday, source="afiliasi"), dt.date(2026, 9, 28), outcome="no_conflict")
    submit(make_declaration, monday, source="keluarga")
    make_declaration("draft")
    submit(make_declaration, dt.date(2025, 9, 8))
    humas = make_user("humas", "pegawai", supervisor=atasan)
    EmployeeProfile.objects.filter(user=humas).update(unit=other_unit)
    humas = get_user_model().objects.get(pk=humas.pk)  # not the cached profile
    decide(submit(make_declaration, monday, reporter=humas), dt.date(2026, 9, 8))


def test_declaration_figures_for_a_unit(figures, unit):
    with on(dt.date(2026, 10, 1)):
        stats = selectors.declaration_statistics(units={unit.pk}, start=START, end=END)
    assert stats["received"] == 3
    assert (stats["decided"], stats["in_time"], stats["late"]) == (2, 1, 1)
    assert stats["in_time_ratio"].percent == 50.0
    assert (stats["undecided"], stats["overdue"]) == (1, 1)
    assert stats["median_days"] == 11.5  # 2 and 21 calendar days
    outcomes = {code: count for code, _label, count in stats["per_outcome"]}
    assert outcomes["recusal"] == 1 and outcomes["no_conflict"] == 1 and sum(outcomes.values()) == 2
    sources = {code: count for code, _label, count in stats["per_source"]}
    assert sources["keluarga"] == 2 and sources["afiliasi"] == 1 and sum(sources.values()) == 3


def test_declaration_figures_for_every_unit_and_other_periods(figures):
    with on(dt.date(2026, 9, 10)):
        stats = selectors.declaration_statistics(units=None, start=START, end=END)
    assert stats["received"] == 4
    assert (stats["decided"], stats["in_time"]) == (3, 2)  # the late one is not decided yet on 10 September
    assert stats["overdue"] == 0  # nothing is past its 7 HK yet
    last_year = selectors.declaration_statistics(units=None, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert last_year["received"] == 1 and last_year["overdue"] == 1


@pytest.fixture
def registers(inspektur, unit, atasan, pegawai, figures):
    campaign = StatementCampaign.objects.create(
        year=2026,
        title="Pernyataan 2026",
        unit=unit.parent,
        opens_on=dt.date(2026, 9, 1),
        closes_on=dt.date(2026, 12, 31),
        created_by=inspektur,
    )
    StatementCampaign.objects.create(
        year=2025,
        title="Pernyataan 2025",
        unit=unit.parent,
        opens_on=dt.date(2025, 9, 1),
        closes_on=dt.date(2025, 12, 31),
        created_by=inspektur,
    )
    moment = dt.datetime(2026, 9, 2, 3, tzinfo=dt.UTC)
    InterestStatement.objects.create(
        campaign=campaign, employee=pegawai, unit=unit, has_interests=False, filed_at=moment, confirmed_at=moment
    )
    for held_on in (dt.date(2026, 3, 1), dt.date(2026, 9, 1)):
        evaluation = Evaluation.objects.create(
            module="benturan",
            unit=unit,
            period_start=dt.date(2026, 1, 1),
            period_end=held_on,
            held_on=held_on,
            participants="p",
            findings="f",
            created_by=inspektur,
        )
        recommendation(evaluation, "r1", atasan, held_on, status=FollowUp.SELESAI)
    recommendation(evaluation, "r2", pegawai, dt.date(2026, 9, 15))
    recommendation(evaluation, "r3", pegawai, dt.date(2026, 12, 1))
    # Another module's evaluation and recommendation in the same unit count for that module, not here.
    other = Evaluation.objects.create(
        module="gratifikasi",
        unit=unit,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        held_on=dt.date(2026, 7, 1),
        participants="p",
        findings="f",
        created_by=inspektur,
    )
    recommendation(other, "g1", pegawai, dt.date(2026, 7, 15))
    return campaign


def recommendation(evaluation, text, owner, due_on, status=FollowUp.BELUM):
    """A row of evaluasi's register as benturan's evaluations are kept there (evaluasi 0002)."""
    return Recommendation.objects.create(
        evaluation=evaluation,
        unit=evaluation.unit,
        text=text,
        owner=owner,
        issued_on=evaluation.held_on,
        due_on=due_on,
        status=status,
        created_by=evaluation.created_by,
    )


def test_statement_and_evaluation_figures(registers, unit):
    population = selectors.campaign_population(registers).filter(profile__unit=unit).count()
    stats = selectors.statement_statistics(units={unit.pk}, start=START, end=END)
    assert stats["campaigns"] == 1
    assert (stats["filed"], stats["population"]) == (1, population)
    with on(dt.date(2026, 10, 1)):
        evaluations = selectors.evaluation_statistics(units={unit.pk}, start=START, end=END)
    assert evaluations["held"] == 2 and evaluations["periodic"]
    # Due by today (1 October): r1 twice (done) and r2 (late); r3 is not due yet.
    assert (evaluations["follow_up"].numerator, evaluations["follow_up"].denominator) == (2, 3)
    assert evaluations["late"] == 1
    one = selectors.evaluation_statistics(units={unit.pk}, start=START, end=dt.date(2026, 6, 30))
    assert one["held"] == 1 and not one["periodic"]


def test_the_page_shows_the_figures_and_the_lke_panel(client, registers, inspektur, unit, make_user):
    from benturan.models import MainFunction, MapStatus, RiskMap, RiskMapEntry

    functions = [MainFunction.objects.create(unit=unit, name=f"Fungsi {n}") for n in range(4)]
    risk_map = RiskMap.objects.create(
        unit=unit, year=2026, prepared_by=inspektur, status=MapStatus.APPROVED, approved_by=inspektur
    )
    for function in functions[:3]:
        RiskMapEntry.objects.create(
            risk_map=risk_map,
            function=function,
            position="Pejabat Pengadaan",
            conflict_form="x",
            situation="y",
            source="keluarga",
            control="z",
        )
    client.force_login(inspektur)
    with on(dt.date(2026, 10, 1)):
        response = client.get(reverse("benturan:statistics"), {"year": 2026, "unit": unit.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-figure="received">3<' in content
    assert 'data-figure="in_time">1 / 2 (50.0%)' in content or 'data-figure="in_time">1 / 2 (50,0%)' in content
    assert 'data-figure="overdue">1<' in content
    assert "3 dari 4 tugas/fungsi utama sudah dipetakan. (75%)" in content
    assert "Bukti LKE benturan kepentingan a–e" in content and "Sebagian besar" in content
    assert "2 dari 3 rekomendasi yang jatuh tempo selesai" in content  # recommendations followed up
    assert "1 rekomendasi terbuka belum jatuh tempo" in content
    assert "paling sedikit dua evaluasi" in content


def test_without_an_approved_map_the_page_says_so(client, registers, inspektur, unit):
    from benturan.models import MainFunction

    MainFunction.objects.create(unit=unit, name="Pengadaan")
    client.force_login(inspektur)
    response = client.get(reverse("benturan:statistics"), {"year": 2026, "unit": unit.pk})
    content = response.content.decode()
    assert "0 dari 1 tugas/fungsi utama sudah dipetakan" in content
    assert "belum ada" in content and "Belum ada (0/1)" in content


def test_a_sub_unit_without_a_map_lowers_the_units_answer(client, inspektur, unit, other_unit):
    """The scope is the unit with the units below it: a sub-unit's functions count, mapped or not."""
    from benturan.models import MainFunction, MapStatus, RiskMap, RiskMapEntry

    sub = type(unit).objects.create(code="SUB", name="Subbagian", parent=unit)
    mapped = MainFunction.objects.create(unit=unit, name="Pengadaan")
    MainFunction.objects.create(unit=sub, name="Kepegawaian")
    risk_map = RiskMap.objects.create(
        unit=unit, year=2026, prepared_by=inspektur, status=MapStatus.APPROVED, approved_by=inspektur
    )
    RiskMapEntry.objects.create(
        risk_map=risk_map,
        function=mapped,
        position="PPK",
        conflict_form="x",
        situation="y",
        source="keluarga",
        control="z",
    )
    figures = selectors.map_statistics(unit_ids=set(unit.descendant_ids()), year=2026)
    assert (figures["mapped_count"], figures["total"], figures["answer"]) == (1, 2, "sebagian_besar")
    assert [row["unit"].code for row in figures["rows"]] == ["SEKR", "SUB"]


def test_a_unit_head_reads_only_their_units(client, figures, make_user, other_unit, unit):
    head = make_user("kepala_humas", "atasan")
    other_unit.head = head
    other_unit.save()
    client.force_login(head)
    with on(dt.date(2026, 10, 1)):
        response = client.get(reverse("benturan:statistics"), {"year": 2026})
        assert 'data-figure="received">1<' in response.content.decode()  # HUMAS only
        refused = client.get(reverse("benturan:statistics"), {"year": 2026, "unit": unit.pk})
    assert refused.status_code == 200 and refused.context["stats"] is None  # SEKR is not a choice for them


def test_others_may_not_read_statistics(client, pegawai, atasan, outsider):
    for person in (pegawai, atasan, outsider):
        client.force_login(person)
        assert client.get(reverse("benturan:statistics")).status_code == 403
        assert client.get(reverse("benturan:statistics_xlsx")).status_code == 403


def test_the_period_needs_both_dates(client, inspektur):
    client.force_login(inspektur)
    response = client.get(reverse("benturan:statistics"), {"start": "2026-01-01"})
    assert response.status_code == 200 and response.context["stats"] is None
    response = client.get(reverse("benturan:statistics"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.context["stats"] is None


def test_the_xlsx_export(client, figures, inspektur, unit):
    client.force_login(inspektur)
    with on(dt.date(2026, 10, 1)):
        response = client.get(reverse("benturan:statistics_xlsx"), {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rekap-benturan-semua-unit-20260101-20261231.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row[2:4] for row in sheet.iter_rows(values_only=True) if row and row[1]}
    assert rows["Deklarasi diterima"][0] == 4
    assert rows["Diputuskan dalam 7 hari kerja"] == (2, 3)
    assert rows["Diputuskan terlambat"][0] == 1
