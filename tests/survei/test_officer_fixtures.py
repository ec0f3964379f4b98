"""Fixtures (no tests) of the survey officer's tests (test_officer_views.py, test_services_officer.py,
test_admin_survei.py): an officer of the `unit` fixture, surveys at each status, and responses made directly (the
public form is tested on its own)."""

import datetime as dt

import pytest

from cases import policy
from survei import services
from survei.models import Answer, Instrument, Response

SKM = "skm-permenpanrb-14-2017"
IPAK = "ipak-kemenpanrb"


@pytest.fixture
def officer(make_user):
    return make_user("petugas", policy.PETUGAS_SURVEI)


@pytest.fixture
def other_officer(make_user, other_unit):
    user = make_user("petugas2", policy.PETUGAS_SURVEI)
    user.profile.unit = other_unit
    user.profile.save()
    return user


@pytest.fixture
def head(make_user, unit):
    user = make_user("kepala", policy.PEGAWAI)
    unit.head = user
    unit.save()
    return user


@pytest.fixture
def make_survey(officer, unit):
    def make(code=SKM, services_=(("Paspor", 100), ("Visa", None)), status="draf", **fields):
        survey = services.survey_create(
            unit=fields.pop("unit", unit),
            title=fields.pop("title", "SKM 2026"),
            instrument=Instrument.objects.get(code=code),
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 12, 31),
            services=[services.ServiceSpec(name, population) for name, population in services_],
            actor=officer,
        )
        walk = {"draf": [], "dibuka": ["open"], "ditutup": ["open", "close"]}[status]
        for step in walk:
            survey = getattr(services, f"survey_{step}")(survey=survey, actor=officer)
        return survey

    return make


def respond(survey, service, values=None, day=dt.date(2026, 11, 2), device_tag="", excluded=False):
    """One response: `values` a single value for every item, or a list in item order."""
    items = list(survey.instrument_version.items())
    if values is None:
        values = survey.instrument_version.scale
    if isinstance(values, int):
        values = [values] * len(items)
    response = Response.objects.create(
        survey=survey, service=service, received_on=day, device_tag=device_tag, excluded=excluded
    )
    pairs = zip(items, values, strict=True)
    Answer.objects.bulk_create(Answer.of(response, item.pk, value) for item, value in pairs)
    return response
