"""The "Survei" section of the evaluation dashboard (survei.evaluation, registered through evaluasi.extensions):
which surveys (units in scope, period ending in the scope's period, no drafts), their numbers computed by hand,
the publication snapshot for a published survey and the live result otherwise, the open follow-up count, and a
unit head's view limited to their units."""

# ruff: noqa: F811 - pytest fixtures imported by name are redefined as test arguments

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import RolePolicy
from evaluasi import extensions, services, statistics
from evaluasi.periods import Period
from survei import evaluation
from survei.models import Answer, Response, SurveyStatus
from tests.survei.test_evaluation_fixtures import IPAK, IPKP, SKM, head, make_survey, other_head  # noqa: F401

pytestmark = pytest.mark.django_db

Q3 = Period.quarter(2026, 3)


@pytest.fixture(autouse=True)
def _no_second_factor(db):
    RolePolicy.objects.update(require_two_factor=False)


@pytest.fixture
def surveys(unit, other_unit, inspektur):
    """In Q3 2026: SKM of SEKR published (answers all 4 and all 3: NRR 3.5, index 87.5, B; population 100 →
    target 80), IPAK of SEKR open (answers 6, 6, 5 → linear 4, 4, 3.2 → 3.73), IPKP of HUMAS published (answer 5
    → 3.20: WBK 3.20 met, WBBM 3.60 not). Left out: an SKM of SEKR ending in Q4, and a draft of SEKR."""
    made = {
        "skm": make_survey(
            unit=unit,
            creator=inspektur,
            instrument=SKM,
            answers=[4, 3],
            title="SKM SEKR",
            status=SurveyStatus.PUBLISHED,
            population=100,
        ),
        "ipak": make_survey(unit=unit, creator=inspektur, instrument=IPAK, answers=[6, 6, 5], title="IPAK SEKR"),
        "ipkp": make_survey(
            unit=other_unit,
            creator=inspektur,
            instrument=IPKP,
            answers=[5],
            title="IPKP HUMAS",
            status=SurveyStatus.PUBLISHED,
        ),
    }
    make_survey(
        unit=unit,
        creator=inspektur,
        instrument=SKM,
        answers=[4],
        title="SKM Q4",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
    )
    make_survey(unit=unit, creator=inspektur, instrument=SKM, title="Draf", status=SurveyStatus.DRAFT)
    return made


def _rows(scope, user):
    found = evaluation.dashboard_section(scope, user)
    assert found is not None
    template, context = found
    assert template == "survei/_dashboard_section.html"
    return {row.survey.title: row for row in context["rows"]}


def test_the_surveys_of_the_scope_with_their_numbers(surveys, inspektur, pegawai):
    rows = _rows(statistics.Scope.of(Q3, None), inspektur)
    assert set(rows) == {"SKM SEKR", "IPAK SEKR", "IPKP HUMAS"}
    skm = rows["SKM SEKR"]
    assert (skm.respondents, skm.target) == (2, 80)
    assert (skm.index, skm.grade, skm.published, skm.from_snapshot) == (Decimal("87.5"), "B", True, True)
    ipak = rows["IPAK SEKR"]
    assert (ipak.respondents, ipak.target) == (3, 30)  # no population: the minimum of 30
    assert ipak.value == Decimal("3.73") and ipak.index is None
    assert (ipak.minimum_wbk, ipak.minimum_wbbm, ipak.meets_wbk, ipak.meets_wbbm) == (
        Decimal("3.6"),
        Decimal("3.6"),
        True,
        True,
    )
    assert (ipak.published, ipak.from_snapshot) == (False, False)
    ipkp = rows["IPKP HUMAS"]
    assert ipkp.value == Decimal("3.20") and (ipkp.meets_wbk, ipkp.meets_wbbm) == (True, False)


def test_published_shows_its_snapshot_and_the_rest_the_live_result(surveys, inspektur):
    skm, ipak = surveys["skm"], surveys["ipak"]
    # One more response to each, every item answered 1: the published SKM keeps 87.5; the open IPAK becomes
    # (4 + 4 + 3.2 + 0) / 4 = 2.80.
    for survey in (skm, ipak):
        service = survey.services.get()
        response = Response.objects.create(survey=survey, service=service, received_on=dt.date(2026, 8, 1))
        Answer.objects.bulk_create([Answer.of(response, item.pk, 1) for item in survey.instrument_version.items()])
    rows = _rows(statistics.Scope.of(Q3, None), inspektur)
    assert rows["SKM SEKR"].index == Decimal("87.5") and rows["SKM SEKR"].respondents == 2
    assert rows["IPAK SEKR"].value == Decimal("2.80") and rows["IPAK SEKR"].respondents == 4


def test_open_recommendations_are_counted(surveys, inspektur, pegawai):
    skm = surveys["skm"]
    first, _second = (
        services.recommendation_add(
            survey=skm,
            text=text,
            owner=pegawai,
            due_on=dt.date(2026, 12, 31),
            actor=inspektur,
            issued_on=dt.date(2026, 10, 6),
        )
        for text in ("Satu", "Dua")
    )
    services.cannot(recommendation=first, reason="Anggaran tidak ada.", actor=inspektur)
    rows = _rows(statistics.Scope.of(Q3, None), inspektur)
    assert rows["SKM SEKR"].open_recommendations == 1
    assert rows["IPAK SEKR"].open_recommendations == 0


def test_a_unit_scope_and_a_unit_heads_reading(surveys, unit, other_unit, head, other_head, inspektur, outsider):
    assert set(_rows(statistics.Scope.of(Q3, other_unit), inspektur)) == {"IPKP HUMAS"}
    # The head of SEKR, even with the whole office's scope forged, reads only SEKR's surveys.
    assert set(_rows(statistics.Scope.of(Q3, None, inspectorate=False), head)) == {"SKM SEKR", "IPAK SEKR"}
    assert set(_rows(statistics.Scope.of(Q3, unit.parent, inspectorate=False), other_head)) == {"IPKP HUMAS"}
    assert evaluation.dashboard_section(statistics.Scope.of(Q3, None), outsider) is None


def test_the_dashboard_page_renders_the_section(client, surveys, head):
    assert evaluation.dashboard_section in extensions.dashboard_sections
    client.force_login(head)
    page = client.get(reverse("evaluasi:dashboard"), {"jenis": "quarter", "periode": "2026-Q3"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-section="survei"' in body
    assert "SKM SEKR" in body and "IPAK SEKR" in body and "IPKP HUMAS" not in body
    assert 'data-source="snapshot"' in body and 'data-source="live"' in body
    assert "87,50" in body or "87.50" in body
    assert "modul=survei" in body
