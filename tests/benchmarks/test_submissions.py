"""The submissions benchmark's load generator (benchmarks/locustfile_submissions.py) fills the forms with
benchmarks.htmlform.fill and benchmarks.reporters.answers, the way a browser does. Checked here without gunicorn or
Locust (importing Locust would patch this process with gevent): on a page shaped like a public form, and against
the three real forms through Django's test client (SQLite or PostgreSQL), which must file the report and show the
page the benchmark expects. The whole benchmark runs through gunicorn and Locust at its tiny size in the
PostgreSQL pass (tests/benchmarks/test_benchmarks.py)."""

import re

import pytest
from django.test import Client

from benchmarks.htmlform import CLICKED, FIRST, fill, post_form
from benchmarks.pengaduan import seed
from benchmarks.reporters import answers
from benchmarks.submissions import make_employees, targets
from cases.models import Case

PAGE = """
<form method="post" action="/i18n/setlang/"><input type="hidden" name="csrfmiddlewaretoken" value="lang">
<input type="hidden" name="language" value="en"><button>English</button></form>
<form method="post" enctype="multipart/form-data">
<input type="hidden" name="csrfmiddlewaretoken" value="tok">
<input type="hidden" name="submission" value="once">
<select name="category"><option value="">— pilih —</option><option value="a">A</option>
<option value="b">B</option></select>
<select name="unit"><option value="">— tidak tahu —</option><option value="7">Unit 7</option></select>
<select name="location"><option value="x">X</option><option value="y" selected>Y</option></select>
<input type="radio" name="knowledge" value="saw"><input type="radio" name="knowledge" value="heard">
<input type="radio" name="mode" value="anonymous" checked><input type="radio" name="mode" value="named">
<input type="radio" name="kompensasi" value=""><input type="radio" name="kompensasi" value="1">
<input type="checkbox" name="truth_statement"><input type="checkbox" name="keep" value="k" checked>
<input type="file" name="files">
<textarea name="description">
</textarea>
<input type="text" name="homepage" value="">
<button type="submit" name="submit" value="1">Ajukan</button>
</form>
"""


def test_fill_sends_what_a_browser_sends():
    data = fill(
        post_form(PAGE),
        {"category": FIRST, "knowledge": FIRST, "truth_statement": True, "description": "Isi", "submit": CLICKED},
    )
    assert data == {
        "csrfmiddlewaretoken": "tok",  # the form's own token, not the language switch's
        "submission": "once",
        "category": "a",  # FIRST: the first real option, never "— pilih —"
        "unit": "",  # not answered: the browser's default, the first option
        "location": "y",  # not answered: the selected option
        "knowledge": "saw",
        "mode": "anonymous",  # the checked radio
        # kompensasi: no radio checked and not answered, so not sent at all
        "truth_statement": "on",
        "keep": "k",
        "description": "Isi",
        "homepage": "",  # the honeypot stays empty
        "submit": "1",  # the button pressed
    }


def test_post_form_refuses_a_page_without_a_post_form():
    with pytest.raises(ValueError):
        post_form("<form method='get'><input name='q'></form>")


def test_each_report_has_new_text():
    # The public forms answer the same text from the same client within the hour with the earlier receipt.
    for kind in ("wbs", "pengaduan", "gratifikasi"):
        assert answers(kind) != answers(kind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["wbs", "pengaduan", "gratifikasi"])
def test_the_answers_file_a_report_through_the_real_form(kind):
    service = seed()
    real = next(t for t in targets([kind]) if t.view == "real")
    browser = Client(enforce_csrf_checks=True)
    if kind == "gratifikasi":
        [(username, _password)] = make_employees(1, service.unit)
        browser.force_login(Case._meta.apps.get_model("auth", "User").objects.get(username=username))
    page = browser.get(real.form)
    assert page.status_code == 200
    sent = browser.post(real.form, fill(post_form(page.content.decode()), answers(kind)))
    assert sent.status_code == 302, sent.content.decode()[:3000]
    assert re.search(real.location, sent["Location"])
    done = browser.get(sent["Location"])
    assert done.status_code == 200
    for pattern in real.page:
        assert re.search(pattern, done.content.decode()), pattern
    case = Case.objects.get(kind=kind)
    assert case.status != "draft"
