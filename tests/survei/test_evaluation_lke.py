"""The LKE questions the surveys answer (evaluasi migration 0006) and survei.lke's suggestion rules: IPAK/IPKP
from the latest published survey (as a percentage of 4), SKM frequency, publication and follow-up; the
worksheet's totals and page with them. Expected numbers worked out by hand in each test."""

# ruff: noqa: F811 - pytest fixtures imported by name are redefined as test arguments

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from cases.models import RolePolicy, Unit
from evaluasi import lke, services, statistics
from evaluasi.lke import ONE
from evaluasi.models import LkeAnswer, LkeEdition, LkeQuestion
from evaluasi.periods import Period
from survei.models import SurveyStatus
from tests.survei.test_evaluation_fixtures import IPAK, IPKP, SKM, make_survey

pytestmark = pytest.mark.django_db

YEAR = Period.year(2026)
CODES = {
    "pelayanan.skm_berkala": ("pelayanan", "0.333", "survei.skm_berkala"),
    "pelayanan.skm_terbuka": ("pelayanan", "0.333", "survei.skm_diumumkan"),
    "pelayanan.skm_tindak_lanjut": ("pelayanan", "0.334", "survei.skm_tindak_lanjut"),
    "hasil.ipak": ("hasil", "17.5", "survei.ipak"),
    "hasil.ipkp": ("hasil", "17.5", "survei.ipkp"),
}


@pytest.fixture(autouse=True)
def _no_second_factor(db):
    RolePolicy.objects.update(require_two_factor=False)


def scope(unit, today, period=YEAR):
    return lke.WorksheetScope(unit, period, today, statistics.Scope.of(period, unit))


def suggest(code, unit, today, period=YEAR):
    return lke.RULES[code](scope(unit, today, period))


def count(suggestion, label):
    return next(row["value"] for row in suggestion.basis["counts"] if row["label"] == label)


# ---------------------------------------------------------------------------------------------------------
# The questions


BASE, SURVEI = "permenpanrb-90-2021", "permenpanrb-90-2021-survei"
COPIED = ("section", "indicator", "text", "options", "weight", "rule", "evidence", "order")


def migration():
    return importlib.import_module("evaluasi.migrations.0006_i13_survey_lke_questions")


def _questions(edition):
    return {q.code: q for q in LkeQuestion.objects.filter(edition=edition)}


def test_the_questions_are_in_the_current_edition_with_their_rules():
    edition = lke.current_edition()
    assert edition.code == SURVEI and "90/2021" in edition.name
    found = {q.code: q for q in LkeQuestion.objects.filter(edition=edition, code__in=CODES)}
    assert set(found) == set(CODES)
    for code, (section, weight, rule) in CODES.items():
        question = found[code]
        assert (question.section, question.weight, question.rule) == (section, Decimal(weight), rule), code
        assert rule in lke.RULES
    assert found["hasil.ipak"].options == [] and found["hasil.ipkp"].options == []  # percentages
    assert [o["value"] for o in found["pelayanan.skm_berkala"].options] == [1, 0.5, 0]
    assert [o["label"] for o in found["pelayanan.skm_terbuka"].options] == ["Ya", "Tidak"]
    # The penilaian kepuasan sub-indicator weighs 1 point.
    assert sum(found[c].weight for c in CODES if c.startswith("pelayanan.")) == Decimal("1")


def test_the_new_edition_copies_the_seeded_one_which_keeps_its_questions():
    base, survei = LkeEdition.objects.get(code=BASE), LkeEdition.objects.get(code=SURVEI)
    assert (base.is_current, survei.is_current) == (False, True)
    old, new = _questions(base), _questions(survei)
    # The seeded edition is left as it was: its 22 questions, none of the survey ones.
    assert len(old) == 22 and not set(old) & set(CODES)
    assert set(new) == set(old) | set(CODES)
    for code, question in old.items():
        assert [getattr(new[code], name) for name in COPIED] == [getattr(question, name) for name in COPIED], code


def test_a_worksheet_of_the_seeded_edition_keeps_its_questions_and_total(unit, inspektur):
    """Opened and answered under 90/2021 before the survey questions: the migration and a recompute leave it
    with its 22 questions and its score, while a survey that would suggest an answer is there."""
    make_survey(
        unit=unit, creator=inspektur, instrument=IPAK, answers=[6] * 30, title="IPAK Q3", status=SurveyStatus.PUBLISHED
    )
    base = LkeEdition.objects.get(code=BASE)
    worksheet, _created = lke.open_worksheet(unit=unit, period=YEAR, actor=inspektur, edition=base)
    answers = {a.question.code: a for a in worksheet.answers.select_related("question")}
    lke.answer_question(answer=answers["gratifikasi.a"], actor=inspektur, confirm=False, value=ONE, note="Ada.")
    lke.answer_question(answer=answers["reform.lhkpn"], actor=inspektur, confirm=False, value=Decimal(80), note="x")
    # 1 × 0.75 + 80 % × 1 = 1.55 of 15.
    before = lke.sheet(worksheet)
    assert (before.score, before.weight, len(before.lines)) == (Decimal("1.55"), Decimal("15"), 22)
    migration().seed(apps, None)  # run again: the new edition is made from the seeded one, never into it
    lke.recompute(worksheet, today=dt.date(2026, 12, 2))
    worksheet.refresh_from_db()
    after = lke.sheet(worksheet)
    assert worksheet.edition == base
    assert (after.score, after.weight, len(after.lines)) == (Decimal("1.55"), Decimal("15"), 22)
    assert not worksheet.answers.filter(question__code__in=CODES).exists()
    # A new worksheet opens under the new edition, with the survey questions.
    other, _created = lke.open_worksheet(unit=unit, period=Period.semester(2026, 2), actor=inspektur)
    assert other.edition.code == SURVEI and other.answers.count() == 27
    assert other.answers.get(question__code="hasil.ipak").suggested_value == Decimal("100.00")


def test_the_migration_is_reversible():
    base = LkeEdition.objects.get(code=BASE)
    migration().unseed(apps, None)
    assert not LkeEdition.objects.filter(code=SURVEI).exists()
    base.refresh_from_db()
    assert base.is_current and lke.current_edition() == base
    assert len(_questions(base)) == 22
    migration().seed(apps, None)
    survei = LkeEdition.objects.get(code=SURVEI)
    base.refresh_from_db()
    assert survei.is_current and not base.is_current
    assert LkeQuestion.objects.filter(edition=survei, code__in=CODES).count() == 5
    assert len(_questions(survei)) == 27


def test_reversing_keeps_a_new_edition_a_worksheet_uses(unit, inspektur):
    worksheet, _created = lke.open_worksheet(unit=unit, period=YEAR, actor=inspektur)
    migration().unseed(apps, None)
    survei = LkeEdition.objects.get(code=SURVEI)
    assert not survei.is_current and lke.current_edition().code == BASE
    assert worksheet.answers.count() == len(_questions(survei)) == 27


# ---------------------------------------------------------------------------------------------------------
# IPAK and IPKP


def test_ipak_is_the_latest_published_surveys_value_as_a_percentage(unit, other_unit, inspektur):
    # June: thirty answers 5 → 3.20. September: 6, 6, 5 ten times → (4 + 4 + 3.2) / 3 = 3.73 → 3.73 / 4 × 100 =
    # 93.25 %. (At least 30 respondents each: fewer is not a survey value, see below.)
    make_survey(
        unit=unit,
        creator=inspektur,
        instrument=IPAK,
        answers=[5] * 30,
        title="IPAK S1",
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 6, 30),
        status=SurveyStatus.PUBLISHED,
    )
    make_survey(
        unit=unit,
        creator=inspektur,
        instrument=IPAK,
        answers=[6, 6, 5] * 10,
        title="IPAK Q3",
        status=SurveyStatus.PUBLISHED,
    )
    # Not taken: a later survey not yet published, another unit's, one ending after the worksheet's period.
    make_survey(
        unit=unit,
        creator=inspektur,
        instrument=IPAK,
        answers=[1],
        title="IPAK Nov",
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 11, 30),
        status=SurveyStatus.CLOSED,
    )
    make_survey(
        unit=other_unit,
        creator=inspektur,
        instrument=IPAK,
        answers=[1],
        title="IPAK HUMAS",
        end=dt.date(2026, 10, 31),
        status=SurveyStatus.PUBLISHED,
    )
    make_survey(
        unit=unit,
        creator=inspektur,
        instrument=IPAK,
        answers=[1],
        title="IPAK 2027",
        start=dt.date(2026, 12, 1),
        end=dt.date(2027, 1, 31),
        status=SurveyStatus.PUBLISHED,
    )
    found = suggest("survei.ipak", unit, dt.date(2026, 12, 2))
    assert found.value == Decimal("93.25")
    assert found.label == "3,73 (93,25%)"  # as the office writes numbers
    assert count(found, "Survei") == "IPAK Q3"
    assert count(found, "Responden") == 30
    assert count(found, "Nilai (0–4)") == "3,73"
    assert count(found, "Aturan skor").endswith("v1")
    assert count(found, "Nilai minimum WBK") == "3,60"
    # The earlier period only: the June survey, 3.20 → 80 %.
    first_half = suggest("survei.ipak", unit, dt.date(2026, 12, 2), Period.semester(2026, 1))
    assert (first_half.value, first_half.label) == (Decimal("80.00"), "3,20 (80%)")
    # No published IPKP: no suggestion.
    assert suggest("survei.ipkp", unit, dt.date(2026, 12, 2)).value is None


def test_the_ipak_score_on_the_worksheet(unit, inspektur):
    make_survey(
        unit=unit,
        creator=inspektur,
        instrument=IPAK,
        answers=[6, 6, 5] * 10,
        title="IPAK Q3",
        status=SurveyStatus.PUBLISHED,
    )
    make_survey(
        unit=unit, creator=inspektur, instrument=IPKP, answers=[5] * 30, title="IPKP Q3", status=SurveyStatus.PUBLISHED
    )
    worksheet, _created = lke.open_worksheet(unit=unit, period=YEAR, actor=inspektur)
    answers = {a.question.code: a for a in LkeAnswer.objects.filter(worksheet=worksheet).select_related("question")}
    for code in ("hasil.ipak", "hasil.ipkp"):
        lke.answer_question(answer=answers[code], actor=inspektur, confirm=True)
        answers[code].refresh_from_db()
    # 17.5 × 93.25 % = 16.31875 → 16.3188; 17.5 × 80 % = 14.00 (the IPKP WBK minimum, REFERENCE).
    assert lke.answer_score(answers["hasil.ipak"]) == Decimal("16.3188")
    assert lke.answer_score(answers["hasil.ipkp"]) == Decimal("14.0000")
    sheet = lke.sheet(worksheet, inspektur)
    sections = {section.code: section for section in sheet.sections}
    assert list(sections) == ["pemenuhan", "reform", "pelayanan", "hasil"]
    assert sections["hasil"].weight == Decimal("35") and sections["hasil"].score == Decimal("30.3188")
    assert sections["pelayanan"].weight == Decimal("1")
    # 7.5 + 7.5 (Penguatan Pengawasan) + 1 + 35.
    assert sheet.weight == Decimal("51")


def test_a_published_survey_under_30_respondents_suggests_nothing(unit, inspektur):
    # Published with the officer's confirmation, 29 respondents: shown in the basis, never proposed as the answer.
    make_survey(
        unit=unit,
        creator=inspektur,
        instrument=IPAK,
        answers=[6] * 29,
        title="IPAK kecil",
        status=SurveyStatus.PUBLISHED,
    )
    found = suggest("survei.ipak", unit, dt.date(2026, 12, 2))
    assert found.value is None and found.label == ""
    assert count(found, "Survei") == "IPAK kecil" and count(found, "Responden") == 29
    assert count(found, "Tidak ada saran") == "responden di bawah minimum 30"


def test_the_worksheet_page_shows_the_new_sections(client, unit, inspektur):
    make_survey(
        unit=unit, creator=inspektur, instrument=IPAK, answers=[6] * 30, title="IPAK Q3", status=SurveyStatus.PUBLISHED
    )
    worksheet, _created = lke.open_worksheet(unit=unit, period=YEAR, actor=inspektur)
    client.force_login(inspektur)
    page = client.get(reverse("evaluasi:lke_worksheet", args=[worksheet.uuid]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hasil — Survei persepsi" in body and "Peningkatan Kualitas Pelayanan Publik" in body
    assert "4,00 (100%)" in body


# ---------------------------------------------------------------------------------------------------------
# SKM


ENOUGH = 30  # scoring.MINIMUM_RESPONDENTS, written out: the seed's minimum (REFERENCE "Surveys")
COUNTED = "SKM diumumkan dengan paling sedikit 30 responden"
TOO_FEW = "SKM diumumkan dengan kurang dari 30 responden (tidak dihitung)"


def _skm(unit, creator, end, status=SurveyStatus.PUBLISHED, title=None, respondents=ENOUGH):
    return make_survey(
        unit=unit,
        creator=creator,
        instrument=SKM,
        answers=[4] * respondents,
        title=title or f"SKM {end}",
        start=end.replace(day=1),
        end=end,
        status=status,
    )


def test_skm_frequency_counts_the_units_own_published_surveys_with_enough_respondents(unit, other_unit, inspektur):
    sub = Unit.objects.create(code="SEKR-TU", name="Tata usaha", parent=unit)
    # Counted: SEKR's published SKM of 30 respondents ending 31 March and 30 June.
    _skm(unit, inspektur, dt.date(2026, 3, 31))
    _skm(unit, inspektur, dt.date(2026, 6, 30))
    # Not: closed (never published, with responses or none), published with 29 or 0 respondents, open, draft,
    # the sub-unit's, HUMAS's, last year's.
    _skm(unit, inspektur, dt.date(2026, 9, 30), SurveyStatus.CLOSED)
    _skm(unit, inspektur, dt.date(2026, 9, 30), SurveyStatus.CLOSED, respondents=0)
    _skm(unit, inspektur, dt.date(2026, 9, 30), respondents=29)
    _skm(unit, inspektur, dt.date(2026, 9, 30), respondents=0)
    _skm(unit, inspektur, dt.date(2026, 9, 30), SurveyStatus.OPEN)
    _skm(unit, inspektur, dt.date(2026, 9, 30), SurveyStatus.DRAFT, respondents=0)
    _skm(sub, inspektur, dt.date(2026, 9, 30))
    _skm(other_unit, inspektur, dt.date(2026, 1, 31))
    _skm(unit, inspektur, dt.date(2025, 12, 31))
    # 2 December 2026: three quarters over, two counted → tidak berkala.
    found = suggest("survei.skm_berkala", unit, dt.date(2026, 12, 2))
    assert (found.value, found.label) == (Decimal("0.5"), "Tidak berkala")
    assert (count(found, COUNTED), count(found, TOO_FEW), count(found, "Triwulan yang sudah berakhir")) == (2, 2, 3)
    assert "tidak termasuk unit di bawahnya" in found.basis["rule"]
    # A third ending 30 September: one per quarter over (3 ≥ 3) → berkala so far.
    _skm(unit, inspektur, dt.date(2026, 9, 30))
    assert suggest("survei.skm_berkala", unit, dt.date(2026, 12, 2)).value == Decimal("1")
    # After the year: four are needed, three held → tidak berkala; a fourth makes it berkala.
    assert suggest("survei.skm_berkala", unit, dt.date(2027, 1, 15)).value == Decimal("0.5")
    _skm(unit, inspektur, dt.date(2026, 12, 31))
    assert suggest("survei.skm_berkala", unit, dt.date(2027, 1, 15)).value == Decimal("1")
    # The office above SEKR held none itself: SEKR's four (and the sub-unit's) are not its own → belum.
    found = suggest("survei.skm_berkala", unit.parent, dt.date(2027, 1, 15))
    assert (found.value, count(found, COUNTED)) == (Decimal("0"), 0)
    # HUMAS held one, ending 31 January. In February (no quarter over) one is needed → berkala so far; in May
    # (one quarter over) 1 ≥ 1 → berkala; in August (two over) 1 < 2 → tidak berkala; after the year → tidak.
    assert suggest("survei.skm_berkala", other_unit, dt.date(2026, 2, 1)).value == Decimal("1")
    assert suggest("survei.skm_berkala", other_unit, dt.date(2026, 5, 1)).value == Decimal("1")
    assert suggest("survei.skm_berkala", other_unit, dt.date(2026, 8, 1)).value == Decimal("0.5")
    assert suggest("survei.skm_berkala", other_unit, dt.date(2027, 1, 15)).value == Decimal("0.5")
    # A unit with none: belum once a quarter is over, no suggestion before.
    empty = Unit.objects.create(code="KOSONG", name="Kosong", parent=unit.parent)
    found = suggest("survei.skm_berkala", empty, dt.date(2026, 4, 1))
    assert (found.value, found.label) == (Decimal("0"), "Belum")
    assert suggest("survei.skm_berkala", empty, dt.date(2026, 3, 31)).value is None


def test_four_sub_units_with_one_skm_each_do_not_make_the_parent_regular(unit, inspektur):
    parent = Unit.objects.create(code="INDUK", name="Unit induk", parent=unit.parent)
    for quarter, end in enumerate((dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30)), start=1):
        _skm(Unit.objects.create(code=f"ANAK-{quarter}", name=f"Anak {quarter}", parent=parent), inspektur, end)
    _skm(Unit.objects.create(code="ANAK-4", name="Anak 4", parent=parent), inspektur, dt.date(2026, 12, 31))
    found = suggest("survei.skm_berkala", parent, dt.date(2027, 1, 15))
    assert (found.value, found.label, count(found, COUNTED)) == (Decimal("0"), "Belum", 0)
    assert suggest("survei.skm_diumumkan", parent, dt.date(2027, 1, 15)).value == Decimal("0")
    assert suggest("survei.skm_tindak_lanjut", parent, dt.date(2027, 1, 15)).value == Decimal("0")
    # Each sub-unit's own worksheet sees its one: tidak berkala, published.
    child = Unit.objects.get(code="ANAK-1")
    assert suggest("survei.skm_berkala", child, dt.date(2027, 1, 15)).value == Decimal("0.5")
    assert suggest("survei.skm_diumumkan", child, dt.date(2027, 1, 15)).value == Decimal("1")


def test_skm_published(unit, other_unit, inspektur):
    sub = Unit.objects.create(code="SEKR-TU", name="Tata usaha", parent=unit)
    # Closed with 30 responses but never published, published with 29, the sub-unit's: none counts → Tidak.
    _skm(unit, inspektur, dt.date(2026, 3, 31), SurveyStatus.CLOSED)
    _skm(unit, inspektur, dt.date(2026, 3, 31), respondents=29)
    _skm(sub, inspektur, dt.date(2026, 3, 31))
    found = suggest("survei.skm_diumumkan", unit, dt.date(2026, 12, 2))
    assert (found.value, found.label, count(found, COUNTED), count(found, TOO_FEW)) == (Decimal("0"), "Tidak", 0, 1)
    published = _skm(unit, inspektur, dt.date(2026, 6, 30), title="SKM Semester I")
    found = suggest("survei.skm_diumumkan", unit, dt.date(2026, 12, 2))
    assert (found.value, found.label, count(found, COUNTED)) == (Decimal("1"), "Ya", 1)
    # The public result page is linked when it is mounted (another part of issue 13 writes it).
    from survei.evaluation import public_result_href

    urls = [link["url"] for link in found.basis["links"]]
    assert (public_result_href(published) in urls) if public_result_href(published) else True
    # Nothing held and no quarter over yet: no suggestion; a quarter over: Tidak.
    assert suggest("survei.skm_diumumkan", other_unit, dt.date(2026, 3, 1)).value is None
    assert suggest("survei.skm_diumumkan", other_unit, dt.date(2026, 4, 1)).value == Decimal("0")


def _recommend(survey, inspektur, owner, due, text):
    return services.recommendation_add(
        survey=survey, text=text, owner=owner, due_on=due, actor=inspektur, issued_on=dt.date(2026, 7, 1)
    )


def test_skm_followed_up(unit, inspektur, pegawai):
    today = dt.date(2026, 12, 2)
    first = _skm(unit, inspektur, dt.date(2026, 3, 31))
    _skm(unit, inspektur, dt.date(2026, 6, 30))
    # Not counted, nor their recommendations: a closed SKM never published, one published with 29 respondents.
    closed = _skm(unit, inspektur, dt.date(2026, 6, 30), SurveyStatus.CLOSED)
    few = _skm(unit, inspektur, dt.date(2026, 6, 30), respondents=29)
    # Surveys held, no recommendation on their results: belum.
    found = suggest("survei.skm_tindak_lanjut", unit, today)
    assert (found.value, found.label) == (Decimal("0"), "Belum")
    # A recommendation due in 2027, untouched: not owed yet → no suggestion.
    later = _recommend(first, inspektur, pegawai, dt.date(2027, 3, 31), "Nanti")
    assert suggest("survei.skm_tindak_lanjut", unit, today).value is None
    # Two due by the cut-off (2 December): one accepted, one untouched → 1 of 2 settled → sebagian, 50 % sesuai.
    done = _recommend(first, inspektur, pegawai, dt.date(2026, 9, 30), "Satu")
    _recommend(first, inspektur, pegawai, dt.date(2026, 10, 31), "Dua")
    services.action_record(recommendation=done, done_on=dt.date(2026, 9, 1), description="Dikerjakan.", actor=pegawai)
    services.accept(recommendation=done, actor=inspektur)
    found = suggest("survei.skm_tindak_lanjut", unit, today)
    assert (found.value, found.label) == (Decimal("0.5"), "Sebagian")
    assert count(found, "Rekomendasi yang dinilai (jatuh tempo atau sudah mulai ditindaklanjuti)") == 2
    assert count(found, "Persentase sesuai/selesai") == "50.0%"
    assert count(found, "Rekomendasi belum jatuh tempo dan belum ditindaklanjuti (tidak dinilai)") == 1
    # The second accepted as tidak dapat: every one owed is settled → semua (the later one is still not owed).
    second = first.recommendations.get(due_on=dt.date(2026, 10, 31))
    services.cannot(recommendation=second, reason="Di luar kewenangan unit.", actor=inspektur)
    found = suggest("survei.skm_tindak_lanjut", unit, today)
    assert (found.value, found.label) == (Decimal("1"), "Semua")
    # Untouched and overdue, but on surveys that are not counted: still semua.
    _recommend(closed, inspektur, pegawai, dt.date(2026, 9, 30), "Pada SKM yang tidak diumumkan")
    _recommend(few, inspektur, pegawai, dt.date(2026, 9, 30), "Pada SKM dengan 29 responden")
    found = suggest("survei.skm_tindak_lanjut", unit, today)
    assert (found.value, count(found, COUNTED), count(found, TOO_FEW)) == (Decimal("1"), 2, 1)
    # The later one begun early counts too: in process → sebagian.
    services.action_record(recommendation=later, done_on=dt.date(2026, 11, 1), description="Mulai.", actor=pegawai)
    assert suggest("survei.skm_tindak_lanjut", unit, today).value == Decimal("0.5")


def test_survey_recommendations_do_not_count_in_an_evaluations_follow_up(unit, inspektur, pegawai):
    """evaluasi.lke.evaluation_follow_up reads the recommendations of evaluations only."""
    survey = _skm(unit, inspektur, dt.date(2026, 3, 31))
    _recommend(survey, inspektur, pegawai, dt.date(2026, 9, 30), "Satu")
    found = lke.evaluation_follow_up("uji", scope(unit, dt.date(2026, 12, 2)))
    assert (found.value, found.label) == (Decimal("0"), "Belum")  # no evaluation of the module
    assert found.basis["counts"][1]["value"] == 0
