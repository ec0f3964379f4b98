"""Recommendations on a survey's results (issue 13): who may add one (the inspectorate, the head of the survey's
unit or of a unit above it), who reads it, its place in the follow-up list and statistics (module "survei"),
and the pages: the form at /kelola/survei/<uuid>/rekomendasi/, the recommendation's origin on its page and in
the list."""

# ruff: noqa: F811 - pytest fixtures imported by name are redefined as test arguments

import datetime as dt

import pytest
from django.urls import reverse

from evaluasi import selectors, services, statistics
from evaluasi.models import FollowUp, Recommendation
from evaluasi.periods import Period
from tests.evaluasi.test_followup_fixtures import *  # noqa: F403
from tests.evaluasi.test_followup_fixtures import SECRET
from tests.survei.test_evaluation_fixtures import SKM, make_survey, officer, top_head  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 10)
REFUSED = "Hanya inspektorat atau kepala unit kerja survei ini yang dapat memberi rekomendasi atas hasilnya."


@pytest.fixture
def survey(unit, inspektur):
    return make_survey(unit=unit, creator=inspektur, instrument=SKM, answers=[4, 3], title="SKM Triwulan III")


def _add(survey, actor, owner, text="Perbaiki papan informasi persyaratan.", **extra):
    return services.recommendation_add(
        survey=survey,
        text=text,
        owner=owner,
        due_on=dt.date(2026, 12, 31),
        actor=actor,
        issued_on=dt.date(2026, 10, 6),
        **extra,
    )


@pytest.fixture
def survey_rec(survey, inspektur, pegawai):
    return _add(survey, inspektur, pegawai)


# ---------------------------------------------------------------------------------------------------------
# Adding


def test_the_inspectorate_adds_one_counting_for_the_surveys_unit(survey, inspektur, pegawai, unit):
    rec = _add(survey, inspektur, pegawai)
    rec.refresh_from_db()
    assert (rec.survey_id, rec.case_id, rec.evaluation_id, rec.unit_id) == (survey.pk, None, None, unit.pk)
    assert rec.status == FollowUp.BELUM
    assert rec.text == "Perbaiki papan informasi persyaratan."


def test_the_head_of_the_unit_or_of_a_unit_above_adds_one(survey, unit_head, top_head, pegawai):
    assert _add(survey, unit_head, pegawai, text="Dari kepala unit").unit_id == survey.unit_id
    assert _add(survey, top_head, pegawai, text="Dari kepala kantor").unit_id == survey.unit_id
    assert Recommendation.objects.filter(survey=survey).count() == 2


def test_anyone_else_is_refused_in_indonesian(survey, other_head, officer, pegawai, outsider):
    # The survey officer runs the survey but does not judge its follow-up; another unit's head has no say.
    for actor in (other_head, officer, outsider):
        with pytest.raises(services.FollowUpRefused) as refused:
            _add(survey, actor, pegawai)
        assert refused.value.message == REFUSED
    assert not Recommendation.objects.filter(survey=survey).exists()


def test_a_survey_still_being_prepared_takes_none(as_user, unit, inspektur, unit_head, pegawai):
    # A draft has no results; a recommendation on it would count in the LKE's SKM follow-up (survei.lke).
    from survei.models import SurveyStatus

    assert services.SURVEY_DRAFT == SurveyStatus.DRAFT
    draft = make_survey(unit=unit, creator=inspektur, instrument=SKM, title="SKM disiapkan", status=SurveyStatus.DRAFT)
    for actor in (inspektur, unit_head):
        with pytest.raises(services.FollowUpRefused) as refused:
            _add(draft, actor, pegawai)
        assert refused.value.message == "Survei yang masih disiapkan belum mempunyai hasil untuk ditindaklanjuti."
    assert not Recommendation.objects.filter(survey=draft).exists()
    assert as_user(inspektur).get(_form_url(draft)).status_code == 403
    # Opened, it takes one.
    type(draft).objects.filter(pk=draft.pk).update(status=SurveyStatus.OPEN)
    draft.refresh_from_db()
    assert _add(draft, inspektur, pegawai).survey_id == draft.pk


def test_exactly_one_subject(survey, evaluation, inspektur, pegawai):
    with pytest.raises(ValueError):
        _add(survey, inspektur, pegawai, evaluation=evaluation)


def test_the_same_recommendation_sent_twice_is_kept_once(survey, inspektur, pegawai):
    first = _add(survey, inspektur, pegawai)
    with pytest.raises(services.AlreadyRecorded) as again:
        _add(survey, inspektur, pegawai)
    assert again.value.existing == first


# ---------------------------------------------------------------------------------------------------------
# Reading


def test_who_reads_a_survey_recommendation(survey_rec, inspektur, pegawai, unit_head, top_head, other_head, officer):
    def reads(user):
        return selectors.readable_recommendations(user).filter(pk=survey_rec.pk).exists()

    assert reads(inspektur) and reads(pegawai) and reads(unit_head) and reads(top_head)
    assert not reads(other_head)
    assert not reads(officer)


# ---------------------------------------------------------------------------------------------------------
# Module "survei" in the statistics and the list


def test_follow_up_statistics_by_module(survey_rec, recommendation, inspektur, unit):
    """Two recommendations issued in Q4 2026 in the unit: one on the survey, one of the 'uji' evaluation."""
    scope = statistics.Scope.of(Period.quarter(2026, 4), unit)

    def total(module=None, scope=scope):
        group = statistics.follow_up(scope, module=module)
        return {figure.code: figure.value for figure in group.figures}

    assert total()["follow_up.belum"] == 2
    assert total("survei")["follow_up.belum"] == 1
    assert total("uji")["follow_up.belum"] == 1
    # A unit head's scope leaves out only the protected kinds: the survey's recommendation stays.
    head_scope = statistics.Scope.of(Period.quarter(2026, 4), unit, inspectorate=False)
    assert total("survei", head_scope)["follow_up.belum"] == 1
    assert total(None, head_scope)["follow_up.belum"] == 2
    # Accepted: 1 of 1 survey recommendation is sesuai (100%), 1 of 2 over all.
    services.action_record(
        recommendation=survey_rec, done_on=dt.date(2026, 10, 7), description="Papan dipasang.", actor=survey_rec.owner
    )
    services.accept(recommendation=survey_rec, actor=inspektur)
    survey_only = statistics.follow_up(scope, module="survei").figures[0]
    everything = statistics.follow_up(scope).figures[0]
    assert (survey_only.value, survey_only.denominator) == (1, 1)
    assert (everything.value, everything.denominator) == (1, 2)


def test_the_list_filters_by_module_survei(survey_rec, recommendation, inspektur):
    found = selectors.recommendation_list(inspektur, selectors.RecommendationFilters(module="survei"), today=TODAY)
    assert list(found) == [survey_rec]
    found = selectors.recommendation_list(inspektur, selectors.RecommendationFilters(module="uji"), today=TODAY)
    assert list(found) == [recommendation]


def test_the_list_form_offers_module_survei():
    from evaluasi.forms import RecommendationFilterForm

    assert "survei" in dict(RecommendationFilterForm().fields["modul"].choices)


# ---------------------------------------------------------------------------------------------------------
# Pages


def _form_url(survey):
    return reverse("survei:recommendation_add", args=[survey.uuid])


def test_the_form_opens_to_the_inspectorate_and_the_head(as_user, survey, inspektur, unit_head):
    for user in (inspektur, unit_head):
        response = as_user(user).get(_form_url(survey))
        assert response.status_code == 200
        assert "SKM Triwulan III" in response.content.decode()


def test_the_form_is_404_for_who_does_not_read_the_survey_and_403_for_its_officer(
    as_user, survey, other_head, outsider, officer
):
    assert as_user(other_head).get(_form_url(survey)).status_code == 404
    assert as_user(outsider).get(_form_url(survey)).status_code == 404
    assert as_user(officer).get(_form_url(survey)).status_code == 403
    assert as_user(officer).post(_form_url(survey), {"text": "x"}).status_code == 403


def test_sending_the_form_adds_it_and_a_bad_one_keeps_what_was_typed(as_user, survey, unit_head, pegawai):
    client = as_user(unit_head)
    data = {"text": "Tambah loket prioritas.", "owner": pegawai.pk, "due_on": "2025-01-01"}
    response = client.post(_form_url(survey), data)
    assert response.status_code == 400
    assert "Tambah loket prioritas." in response.content.decode()
    assert not Recommendation.objects.filter(survey=survey).exists()
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(_form_url(survey), {**data, "due_on": due})
    assert response.status_code == 302
    rec = Recommendation.objects.get(survey=survey)
    assert (rec.owner, rec.created_by, rec.text) == (pegawai, unit_head, "Tambah loket prioritas.")


def test_the_pages_name_the_survey_as_the_origin(as_user, survey_rec, inspektur):
    client = as_user(inspektur)
    page = client.get(reverse("evaluasi:recommendation", args=[survey_rec.uuid])).content.decode()
    assert 'data-origin="survei"' in page and "Survei SKM Triwulan III" in page
    listing = client.get(reverse("evaluasi:recommendations"), {"modul": "survei"}).content.decode()
    assert "Survei SKM Triwulan III" in listing and SECRET not in listing


def test_the_survey_link_is_left_out_while_the_survey_page_is_not_mounted(survey):
    from django.urls import NoReverseMatch

    from evaluasi.templatetags.followup_tags import survey_href

    try:
        expected = reverse("survei:detail", args=[survey.uuid])
    except NoReverseMatch:
        expected = ""
    assert survey_href(survey) == expected
    assert survey_href(None) == ""


def test_a_unit_heads_list_keeps_the_survey_recommendations(survey_rec, unit_head, other_head):
    mine = selectors.recommendation_list(unit_head, selectors.RecommendationFilters(), today=TODAY)
    assert survey_rec in mine
    assert survey_rec not in selectors.recommendation_list(other_head, selectors.RecommendationFilters(), today=TODAY)


def test_the_survey_pages_section(rf, survey, survey_rec, inspektur, officer):
    from django.template.loader import render_to_string

    from survei.evaluation import survey_recommendations

    context = survey_recommendations(survey, inspektur)
    assert context["recommendations"] == [survey_rec] and context["may_recommend"]
    assert context["recommend_href"] == f"/kelola/survei/{survey.uuid}/rekomendasi/"
    assert not survey_recommendations(survey, officer)["may_recommend"]
    html = render_to_string("survei/_survey_recommendations.html", context)
    assert reverse("evaluasi:recommendation", args=[survey_rec.uuid]) in html
    assert context["recommend_href"] in html
