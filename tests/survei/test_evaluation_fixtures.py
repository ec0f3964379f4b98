"""Shared builders of the survey → evaluation tests (named test_evaluation_* to sit with them; it holds no tests):
a survey of a seeded instrument with responses answering every item with given values, moved to a status by
writing it (the officer's services are another part of issue 13), published with survei.selectors.snapshot."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import policy
from survei import selectors
from survei.models import Answer, Instrument, Response, Survey, SurveyService, SurveyStatus

SKM, IPAK, IPKP = "skm-permenpanrb-14-2017", "ipak-seed", "ipkp-seed"


def make_survey(
    *,
    unit,
    creator,
    instrument: str,
    answers: list[int] = (),
    title: str = "Survei uji",
    start: dt.date = dt.date(2026, 7, 1),
    end: dt.date = dt.date(2026, 9, 30),
    status: str = SurveyStatus.OPEN,
    population: int | None = None,
) -> Survey:
    """A survey whose every response answers every item with the same value: one response per value in
    `answers`. Published surveys carry the snapshot computed from those responses."""
    found = Instrument.objects.get(code=instrument)
    version = found.current_version()
    survey = Survey.objects.create(
        unit=unit,
        title=title,
        instrument_version=version,
        rule=found.default_rule,
        period_start=start,
        period_end=end,
        created_by=creator,
    )
    service = SurveyService.objects.create(survey=survey, name="Layanan uji", population=population)
    items = list(version.items())
    for value in answers:
        response = Response.objects.create(survey=survey, service=service, received_on=start)
        Answer.objects.bulk_create([Answer.of(response, item.pk, value) for item in items])
    Survey.objects.filter(pk=survey.pk).update(status=status)
    if status == SurveyStatus.PUBLISHED:
        Survey.objects.filter(pk=survey.pk).update(
            published_result=selectors.snapshot(survey), published_at=timezone.now()
        )
    return Survey.objects.get(pk=survey.pk)


@pytest.fixture
def officer(make_user):
    return make_user("petugas_survei", policy.PETUGAS_SURVEI, policy.PEGAWAI)


@pytest.fixture
def head(atasan, unit):
    unit.head = atasan
    unit.save()
    return atasan


@pytest.fixture
def top_head(make_user, unit):
    """The head of the unit above the survey's (the office)."""
    chief = make_user("kepala_kantor", policy.ATASAN, policy.PEGAWAI)
    unit.parent.head = chief
    unit.parent.save()
    return chief


@pytest.fixture
def other_head(make_user, other_unit):
    chief = make_user("kepala_humas", policy.ATASAN, policy.PEGAWAI)
    other_unit.head = chief
    other_unit.save()
    return chief
