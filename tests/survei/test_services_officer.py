"""survei.services, the officer's writes: each transition's happy path, every refusal (wrong state, wrong person,
a stale page), the publication's confirmation below the target, and setting responses aside."""

import datetime as dt
import itertools

import pytest

from survei import services
from survei.models import Instrument, ScoringRule, Survey, SurveyService, SurveyStatus
from tests.survei.test_officer_fixtures import *  # noqa: F403
from tests.survei.test_officer_fixtures import IPAK, SKM, respond

pytestmark = pytest.mark.django_db


def _status(survey) -> str:
    return Survey.objects.values_list("status", flat=True).get(pk=survey.pk)


# ---------------------------------------------------------------------------------------------------------
# Creating


def test_it_creates_a_draft_pinned_to_the_current_version_and_default_rule(officer, unit):
    instrument = Instrument.objects.get(code=SKM)
    survey = services.survey_create(
        unit=unit,
        title="  SKM   2026 ",
        instrument=instrument,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        services=[services.ServiceSpec("Paspor", 1000), services.ServiceSpec("Visa")],
        actor=officer,
    )
    assert survey.status == SurveyStatus.DRAFT
    assert survey.title == "SKM 2026"
    assert survey.instrument_version == instrument.versions.get(number=1)
    assert survey.rule == ScoringRule.objects.get(code=SKM, version=1)
    assert list(survey.services.values_list("name", "population", "order")) == [("Paspor", 1000, 1), ("Visa", None, 2)]


def test_it_refuses_a_unit_the_officer_does_not_manage(officer, other_unit):
    with pytest.raises(services.SurveyError) as refused:
        services.survey_create(
            unit=other_unit,
            title="X",
            instrument=Instrument.objects.get(code=SKM),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 2),
            actor=officer,
        )
    assert refused.value.field == "unit"
    assert not Survey.objects.exists()


def test_it_refuses_an_end_before_the_start_and_an_inactive_instrument(officer, unit):
    instrument = Instrument.objects.get(code=SKM)
    with pytest.raises(services.SurveyError, match="sebelum tanggal mulai"):
        services.survey_create(
            unit=unit,
            title="X",
            instrument=instrument,
            period_start=dt.date(2026, 2, 1),
            period_end=dt.date(2026, 1, 31),
            actor=officer,
        )
    Instrument.objects.filter(pk=instrument.pk).update(is_active=False)
    instrument.refresh_from_db()
    with pytest.raises(services.SurveyError, match="tidak aktif"):
        services.survey_create(
            unit=unit,
            title="X",
            instrument=instrument,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 31),
            actor=officer,
        )
    assert not Survey.objects.exists()


# ---------------------------------------------------------------------------------------------------------
# Services


def test_service_names_are_unique_per_survey_and_populations_bounded(make_survey, officer):
    survey = make_survey()
    with pytest.raises(services.SurveyError, match="sudah ada"):
        services.service_add(survey=survey, name="paspor", population=5, actor=officer)
    # 0 too: its target would be 0, "reached" with nobody asked.
    for population in (-1, 0, 100_000_001):
        with pytest.raises(services.SurveyError, match="1 sampai 100.000.000"):
            services.service_add(survey=survey, name="Izin", population=population, actor=officer)
    added = services.service_add(survey=survey, name="Izin", population=100_000_000, actor=officer)
    assert added.order == 3
    visa = survey.services.get(name="Visa")
    with pytest.raises(services.SurveyError, match="sudah ada"):
        services.service_update(service=visa, name="Izin", population=1, actor=officer)
    services.service_update(service=visa, name="Visa kunjungan", population=250, actor=officer)
    assert SurveyService.objects.filter(name="Visa kunjungan", population=250).exists()


def test_services_can_change_while_open_but_not_after_close(make_survey, officer):
    survey = make_survey(status="dibuka")
    services.service_add(survey=survey, name="Izin", population=10, actor=officer)
    services.survey_close(survey=survey, actor=officer)
    with pytest.raises(services.SurveyError, match="tidak dapat diubah"):
        services.service_add(survey=survey, name="Lain", population=10, actor=officer)
    with pytest.raises(services.SurveyError, match="tidak dapat diubah"):
        services.service_update(service=survey.services.first(), name="Paspor", population=1, actor=officer)
    assert survey.services.count() == 3


def test_another_units_officer_may_not_change_services(make_survey, other_officer):
    survey = make_survey()
    with pytest.raises(services.SurveyError, match="Hanya petugas survei"):
        services.service_add(survey=survey, name="Izin", population=10, actor=other_officer)


# ---------------------------------------------------------------------------------------------------------
# Transitions


def test_the_happy_path_draft_open_closed_reopened_closed_published(make_survey, officer):
    survey = make_survey()
    survey = services.survey_open(survey=survey, actor=officer, expected_status="draf")
    assert _status(survey) == "dibuka"
    survey = services.survey_close(survey=survey, actor=officer, expected_status="dibuka")
    assert _status(survey) == "ditutup"
    survey = services.survey_reopen(survey=survey, actor=officer, expected_status="ditutup")
    assert _status(survey) == "dibuka"
    services.survey_close(survey=survey, actor=officer)
    survey = services.survey_publish(survey=survey, actor=officer, expected_status="ditutup", confirm=True)
    assert _status(survey) == "diumumkan"
    assert survey.published_at is not None
    assert Survey.objects.get(pk=survey.pk).published_result["result"]["respondents"] == 0


def test_open_needs_a_service(make_survey, officer):
    survey = make_survey(services_=())
    with pytest.raises(services.SurveyError, match="sedikitnya satu layanan"):
        services.survey_open(survey=survey, actor=officer)
    assert _status(survey) == "draf"


WRITES = {
    "open": services.survey_open,
    "close": services.survey_close,
    "reopen": services.survey_reopen,
    "publish": services.survey_publish,
}
# The declared transitions (survei.models.Survey): allowed exactly from these states.
DECLARED = {("draf", "open"), ("dibuka", "close"), ("ditutup", "reopen"), ("ditutup", "publish")}
TARGET = {"open": "dibuka", "close": "ditutup", "reopen": "dibuka", "publish": "diumumkan"}


def _walk_to(make_survey, officer, state):
    if state == "diumumkan":
        survey = make_survey(status="ditutup")
        return services.survey_publish(survey=survey, actor=officer, confirm=True)
    return make_survey(status=state)


STATES = ["draf", "dibuka", "ditutup", "diumumkan"]


@pytest.mark.parametrize(("state", "action"), list(itertools.product(STATES, WRITES)))
def test_every_state_and_transition_is_allowed_iff_declared(make_survey, officer, state, action):
    survey = _walk_to(make_survey, officer, state)
    extra = {"confirm": True} if action == "publish" else {}
    if (state, action) in DECLARED:
        WRITES[action](survey=survey, actor=officer, expected_status=state, **extra)
        assert _status(survey) == TARGET[action]
    else:
        with pytest.raises(services.SurveyError, match="tidak dapat"):
            WRITES[action](survey=survey, actor=officer, expected_status=state, **extra)
        assert _status(survey) == state


def test_a_stale_page_or_a_second_click_changes_nothing(make_survey, officer):
    survey = make_survey(status="ditutup")
    services.survey_publish(survey=survey, actor=officer, expected_status="ditutup", confirm=True)
    first = Survey.objects.get(pk=survey.pk).published_at
    with pytest.raises(services.SurveyError, match="baru saja berubah"):
        services.survey_publish(survey=survey, actor=officer, expected_status="ditutup", confirm=True)
    with pytest.raises(services.SurveyError, match="baru saja berubah"):
        services.survey_reopen(survey=survey, actor=officer, expected_status="ditutup")
    assert _status(survey) == "diumumkan"
    assert Survey.objects.get(pk=survey.pk).published_at == first


@pytest.mark.parametrize("who", ["other_officer", "head", "inspektur"])
def test_only_the_units_officer_moves_a_survey(make_survey, request, who):
    survey = make_survey()
    with pytest.raises(services.SurveyError, match="Hanya petugas survei"):
        services.survey_open(survey=survey, actor=request.getfixturevalue(who))
    assert _status(survey) == "draf"


def test_an_officer_of_a_unit_above_manages_the_unit_below(make_user, unit, make_survey):
    from cases import policy

    above = make_user("petugas_atas", policy.PETUGAS_SURVEI)
    above.profile.unit = unit.parent
    above.profile.save()
    survey = make_survey()
    services.survey_open(survey=survey, actor=above)
    assert _status(survey) == "dibuka"


# ---------------------------------------------------------------------------------------------------------
# Publication below the target


def test_publishing_below_the_target_needs_the_confirmation(make_survey, officer):
    survey = make_survey(status="dibuka", services_=(("Paspor", 100),))
    service = survey.services.get()
    for _n in range(40):
        respond(survey, service, 4)
    services.survey_close(survey=survey, actor=officer)
    with pytest.raises(services.SurveyError) as refused:
        services.survey_publish(survey=survey, actor=officer, expected_status="ditutup")
    # Population 100: Krejcie–Morgan 80 (their table), so 40 responses are below the target.
    assert "40 dari target 80" in refused.value.message
    assert "umumkan meskipun di bawah target" in refused.value.message
    assert _status(survey) == "ditutup"
    services.survey_publish(survey=survey, actor=officer, expected_status="ditutup", confirm=True)
    snap = Survey.objects.get(pk=survey.pk).published_result
    assert snap["coverage"] == [{"name": "Paspor", "population": 100, "target": 80, "responses": 40}]
    assert snap["result"]["index"] == "100.00"  # every answer 4 of 4: NRR 4 × 25
    assert snap["warnings"]


def test_publishing_at_the_target_needs_no_confirmation(make_survey, officer):
    survey = make_survey(status="dibuka", services_=(("Paspor", 30),))
    service = survey.services.get()
    for _n in range(30):  # population 30: the target is the whole population, 30
        respond(survey, service, 3)
    services.survey_close(survey=survey, actor=officer)
    services.survey_publish(survey=survey, actor=officer, expected_status="ditutup")
    snap = Survey.objects.get(pk=survey.pk).published_result
    assert snap["warnings"] == []
    assert snap["result"]["index"] == "75.00"  # 3 × 25
    assert snap["result"]["grade"] == "C"  # 65.00 ≤ 75.00 < 76.61


# ---------------------------------------------------------------------------------------------------------
# Setting responses aside, the follow-up plan


def test_setting_aside_changes_the_result_and_restoring_brings_it_back(make_survey, officer):
    from survei import selectors

    survey = make_survey(status="dibuka", services_=(("Paspor", None),))
    service = survey.services.get()
    for _n in range(3):
        respond(survey, service, 4)
    burst = [respond(survey, service, 1, device_tag="abc123") for _n in range(5)]
    # 3 × 4 and 5 × 1 over 8: mean 17/8 = 2.125, index 53.125 → 53.13 (half up)
    assert str(selectors.result(survey).index) == "53.13"
    assert services.responses_set_aside(survey=survey, responses=burst, reason="Banjir", actor=officer) == 5
    assert str(selectors.result(survey).index) == "100.00"
    assert [row.responses for row in selectors.coverage(survey)] == [3]
    assert services.responses_restore(survey=survey, responses=[burst[0]], actor=officer) == 1
    burst[0].refresh_from_db()
    assert burst[0].excluded is False and burst[0].excluded_reason == "" and burst[0].excluded_by is None
    # 3 × 4 + 1 × 1 over 4: 13/4 = 3.25 → 81.25
    assert str(selectors.result(survey).index) == "81.25"


def test_setting_aside_needs_a_reason_and_stops_at_publication(make_survey, officer, other_officer):
    survey = make_survey(status="dibuka", services_=(("Paspor", None),))
    response = respond(survey, survey.services.get(), 4)
    with pytest.raises(services.SurveyError, match="alasan"):
        services.responses_set_aside(survey=survey, responses=[response], reason="  ", actor=officer)
    with pytest.raises(services.SurveyError, match="Hanya petugas survei"):
        services.responses_set_aside(survey=survey, responses=[response], reason="x", actor=other_officer)
    services.responses_set_aside(survey=survey, responses=[response], reason="Uji", actor=officer)
    services.survey_close(survey=survey, actor=officer)
    services.survey_publish(survey=survey, actor=officer, confirm=True)
    with pytest.raises(services.SurveyError, match="sudah diumumkan"):
        services.responses_restore(survey=survey, responses=[response], actor=officer)
    response.refresh_from_db()
    assert response.excluded and response.excluded_reason == "Uji"


def test_the_single_response_wrappers_are_gone():
    assert not hasattr(services, "response_set_aside")
    assert not hasattr(services, "response_restore")


def _answering(survey, service, value, pressured):
    """A response whose respondent answered the integrity question with `pressured` (None: not answered)."""
    response = respond(survey, service, value)
    response.pressured = pressured
    response.save(update_fields=["pressured"])
    return response


def test_the_snapshot_keeps_the_responses_set_aside_and_the_integrity_counts(make_survey, officer):
    survey = make_survey(status="dibuka", services_=(("Paspor", None),))
    service = survey.services.get()
    for pressured in (True, False, False, None):
        _answering(survey, service, 4, pressured)
    burst = [_answering(survey, service, 1, True) for _n in range(3)]
    services.responses_set_aside(survey=survey, responses=burst[:2], reason="Satu perangkat", actor=officer)
    services.responses_set_aside(survey=survey, responses=burst[2:], reason="Uji coba", actor=officer)
    services.survey_close(survey=survey, actor=officer)
    services.survey_publish(survey=survey, actor=officer, confirm=True)
    snap = Survey.objects.get(pk=survey.pk).published_result
    assert snap["set_aside"] == {  # counts by reason, no ids
        "count": 3,
        "reasons": [{"reason": "Satu perangkat", "n": 2}, {"reason": "Uji coba", "n": 1}],
    }
    assert snap["integrity"] == {"yes": 1, "no": 2, "unanswered": 1}  # the three set aside do not count
    assert (
        "1 responden menyatakan ada pihak yang menekan atau mengarahkan mereka mengisi survei ini."
        in (snap["warnings"])
    )


def test_a_pressured_respondent_needs_the_confirmation_to_publish(make_survey, officer):
    survey = make_survey(status="dibuka", services_=(("Paspor", 30),))  # 30 responses meet its target of 30
    service = survey.services.get()
    for _n in range(29):
        _answering(survey, service, 4, False)
    _answering(survey, service, 4, True)
    services.survey_close(survey=survey, actor=officer)
    with pytest.raises(services.SurveyError, match="menekan atau mengarahkan") as refused:
        services.survey_publish(survey=survey, actor=officer)
    assert refused.value.field == "confirm"
    assert _status(survey) == SurveyStatus.CLOSED
    services.survey_publish(survey=survey, actor=officer, confirm=True)
    assert _status(survey) == SurveyStatus.PUBLISHED


def test_the_follow_up_plan_is_written_after_publication_too_and_its_history_kept(make_survey, officer, other_officer):
    survey = make_survey(status="ditutup")
    services.follow_up_plan_set(survey=survey, text=" Tambah loket. ", actor=officer)
    assert Survey.objects.get(pk=survey.pk).follow_up_plan == "Tambah loket."
    services.survey_publish(survey=survey, actor=officer, confirm=True)
    services.follow_up_plan_set(survey=survey, text="Tambah loket dan petugas.", actor=officer)
    assert Survey.objects.get(pk=survey.pk).follow_up_plan == "Tambah loket dan petugas."
    assert "Tambah loket." in [row.follow_up_plan for row in survey.history.all()]
    with pytest.raises(services.SurveyError):  # only who runs the survey
        services.follow_up_plan_set(survey=survey, text="Lain", actor=other_officer)


def test_an_ipak_survey_uses_its_instruments_linear_rule(make_survey):
    survey = make_survey(code=IPAK)
    assert survey.rule.code == "zi-linear"
    assert survey.instrument_version.scale == 6
