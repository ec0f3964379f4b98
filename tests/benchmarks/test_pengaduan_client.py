"""The pengaduan benchmark's simulated complainant (benchmarks/pengaduan.py) reads the form's fields from its HTML
and fills them as a browser would. Checked here without a server: on a page shaped like the public form, and on
the real public form through Django's test client."""

import pytest
from django.test import Client
from django.urls import reverse

from benchmarks.pengaduan import REAL_RECEIPT, complainant_answers, fill, page_errors, report_form, seed
from pengaduan.models import Complaint

PAGE = """
<form method="post" action="/pengaduan/bahasa/"><input type="hidden" name="csrfmiddlewaretoken" value="lang">
<input type="hidden" name="language" value="en"><button>English</button></form>
<form method="post" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="tok">
<input type="hidden" name="submission" value="once">
<select name="service"><option value="">— pilih —</option><option value="7">Perizinan</option></select>
<input type="date" name="service_date">
<input type="text" name="location">
<select name="category"><option value="">—</option><option value="01">01</option><option value="02">02</option></select>
<textarea name="description">
</textarea>
<input type="radio" name="identity_mode" value="identified" checked>
<input type="radio" name="identity_mode" value="anonymous">
<input type="text" name="complainant_name">
<input type="checkbox" name="truth_statement">
<input type="text" name="website" value="">
<input type="file" name="files" multiple>
<button type="submit" name="kirim">Kirim</button>
</form>
"""


def test_the_complaint_form_is_the_one_with_the_submission_token():
    form = report_form(PAGE)
    assert form["enctype"] == "multipart/form-data"
    assert {f["name"] for f in form["fields"]} >= {"submission", "description", "truth_statement"}


def test_fill_answers_what_a_complainant_types_and_leaves_the_rest_as_served():
    data, files = fill(report_form(PAGE), complainant_answers(3, "anonymous"))
    assert data["csrfmiddlewaretoken"] == "tok" and data["submission"] == "once"
    assert data["service"] == "7"  # the first real option of a select we have no answer for
    assert data["category"] == "02"
    assert data["identity_mode"] == "anonymous"
    assert "nomor 3" in data["description"]
    assert data["truth_statement"] == "on"
    assert data["website"] == ""  # a honeypot stays empty
    assert data["complainant_name"] == ""  # anonymous: no identity typed
    assert "kirim" not in data
    assert files == {"files": ("", b"", "application/octet-stream")}  # what a browser sends with no file


def test_every_submission_has_its_own_text():
    # The form answers the same text from the same client within the hour with the earlier receipt.
    assert complainant_answers(1, "anonymous")["description"] != complainant_answers(1, "anonymous")["description"]


def test_identified_complainants_give_a_name():
    data, _files = fill(report_form(PAGE), complainant_answers(1, "identified"))
    assert data["identity_mode"] == "identified" and data["complainant_name"]


def test_page_errors_names_what_the_form_said():
    page = '<ul class="errorlist"><li>Pilih kategori masalah.</li></ul>'
    assert page_errors(page) == "Pilih kategori masalah."


@pytest.mark.django_db
def test_the_simulated_complainant_files_a_complaint_on_the_real_form(settings):
    """What the benchmark's complainant sends is a complaint the public form accepts: if the form changes (a new
    required field, a renamed one), this fails here instead of every benchmark submission failing."""
    settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = 1000
    seed()
    browser = Client(enforce_csrf_checks=True)
    url = reverse("pengaduan_publik:report")
    data, _files = fill(report_form(browser.get(url).content.decode()), complainant_answers(1, "confidential"))
    sent = browser.post(url, data)
    assert sent.status_code == 302, page_errors(sent.content.decode())
    shown = browser.get(sent["Location"]).content.decode()
    assert all(pattern.search(shown) for pattern in REAL_RECEIPT), shown
    complaint = Complaint.objects.get()
    assert complaint.identity_mode == "confidential" and complaint.complainant_name == "Warga Uji"
