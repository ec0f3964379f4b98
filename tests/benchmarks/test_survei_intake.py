"""The survei-intake benchmark's simulated respondent (benchmarks/survei_intake.py) reads the survey form's fields
from its HTML and fills them as a browser would. Checked here without a server: on a page shaped like the public
form, against the bare baseline view, and against the real public form when this tree has it (Django's test
client; SQLite or PostgreSQL). The whole benchmark runs through gunicorn at its tiny size in the PostgreSQL pass
(tests/benchmarks/test_benchmarks.py)."""

import datetime as dt
import random

import pytest
from django.test import Client, override_settings

from benchmarks.survei_intake import BARE_PATH, INSTRUMENT, fill, page_errors, respond_path, respondent_form
from benchmarks.survei_results import make_officer, make_survey
from survei.models import Answer, Response, SurveyStatus

PAGE = """
<form method="post" action="/i18n/setlang/"><input type="hidden" name="csrfmiddlewaretoken" value="lang">
<input type="hidden" name="language" value="en"><button>English</button></form>
<form method="post" class="stacked" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="tok">
<input type="hidden" name="submission" id="id_submission" value="once">
<label><input type="radio" name="service" value="11"> Perizinan</label>
<label><input type="radio" name="service" value="12"> Legalisasi</label>
<input type="month" name="served_month" placeholder="YYYY-MM">
<input type="radio" name="item_5" value="1"><input type="radio" name="item_5" value="2">
<input type="radio" name="item_5" value="3"><input type="radio" name="item_5" value="4">
<input type="radio" name="item_6" value="1"><input type="radio" name="item_6" value="4">
<input type="radio" name="pressured" value="no"><input type="radio" name="pressured" value="yes">
<textarea name="comment" rows="4">
</textarea>
<select name="age_band"><option value="">—</option><option value="20-29">20–29</option></select>
<input type="text" name="homepage" id="id_homepage" value="" tabindex="-1">
<button type="submit" class="big">Kirim jawaban</button>
</form>
"""


def test_the_survey_form_is_the_one_with_the_submission_token():
    form = respondent_form(PAGE)
    assert {f["name"] for f in form["fields"]} >= {"submission", "service", "item_5", "homepage"}


def test_fill_answers_every_item_and_leaves_the_honeypot_empty():
    rnd = random.Random(1)
    seen = set()
    for _ in range(40):
        data = fill(respondent_form(PAGE), rnd)
        assert data["csrfmiddlewaretoken"] == "tok" and data["submission"] == "once"
        assert data["service"] in {"11", "12"}
        assert data["item_5"] in {"1", "2", "3", "4"} and data["item_6"] in {"1", "4"}
        assert data["pressured"] in {"no", "yes"}
        assert data["age_band"] == "20-29"  # a real option, never the empty one
        assert data["homepage"] == "" and data["served_month"] == ""
        seen.add(data["item_5"])
        seen.add("comment" if data["comment"].strip() else "no comment")
    assert seen >= {"1", "4", "comment", "no comment"}  # the answers vary; some respondents comment


def test_page_errors_names_what_the_form_said():
    page = '<legend>1. Persyaratan <span class="errorlist">Pilih satu jawaban.</span></legend>'
    assert page_errors(page) == "Pilih satu jawaban."


def _open_survey(unit):
    officer = make_officer(unit)
    return make_survey(unit, officer, INSTRUMENT, SurveyStatus.OPEN, dt.date.today())


def _answer(browser, url):
    page = browser.get(url)
    assert page.status_code == 200
    data = fill(respondent_form(page.content.decode()), random.Random(7))
    return data, browser.post(url, data)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="benchmarks.bare.urls")
def test_the_bare_view_writes_a_response_and_its_answers(unit):
    survey = _open_survey(unit)
    data, sent = _answer(Client(enforce_csrf_checks=True), f"{BARE_PATH}{survey.token}/")
    assert sent.status_code == 302
    response = Response.objects.get(survey=survey)
    answers = dict(Answer.objects.filter(response=response).values_list("item_id", "value"))
    items = list(survey.instrument_version.items().values_list("pk", flat=True))
    assert sorted(answers) == sorted(items)
    assert answers == {pk: int(data[f"item_{pk}"]) for pk in items}
    assert response.service_id == int(data["service"])


@pytest.mark.django_db
def test_the_simulated_respondent_answers_the_real_form(unit, settings):
    """What the benchmark's respondent sends is a response the public form accepts: if the form changes (a new
    required field, a renamed one), this fails here instead of every benchmark response failing."""
    survey = _open_survey(unit)
    url = respond_path(survey)
    if url is None:
        pytest.skip("survei_publik:respond is not in this tree")
    settings.SIGAP_SURVEY_RESPONSES_PER_HOUR = 1000
    _data, sent = _answer(Client(enforce_csrf_checks=True), url)
    assert sent.status_code in (302, 303), page_errors(sent.content.decode())
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == survey.instrument_version.items().count()
