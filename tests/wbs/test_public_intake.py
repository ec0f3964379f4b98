"""The public side of the WBS: the form, the one-time receipt, tracking with the receipt, throttles, and the
reporter's messages, files and identity — all without an account."""

import io
import re
import secrets
from unittest import mock

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cases import intake
from cases.models import Attachment, CaseEvent, TrackingCredential
from tests.wbs.conftest import CONTENT, IDENTITY, jpeg_with_gps
from wbs.models import WbsReport

pytestmark = pytest.mark.django_db

FORM = "/wbs/lapor/"
TRACK = "/wbs/lapor/pantau/"
STATUS = "/wbs/lapor/pantau/laporan/"


def form_data(**overrides):
    data = {
        "submission": secrets.token_urlsafe(8),
        "category": "pengadaan",
        "description": CONTENT,
        "involved": "Kepala gudang",
        "location": "Gudang timur",
        "occurred": "Setiap awal bulan",
        "method": "Amplop di ruang kerja",
        "knowledge": "melihat",
        "knowledge_detail": "",
    }
    return {**data, **overrides}


def submit(client, **overrides):
    """Submit the form; return (response, receipt digits or None)."""
    response = client.post(FORM, form_data(**overrides))
    if response.status_code != 302:
        return response, None
    page = client.get(response["Location"])
    match = re.search(r'id="receipt"><strong>([\d ]+)</strong>', page.content.decode())
    return page, match.group(1).replace(" ", "") if match else None


def csrf_free(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- the form ---------------------------------------------------------------------------------------------


def test_the_form_works_without_javascript_and_loads_nothing_from_elsewhere(client):
    page = client.get(FORM).content.decode()
    assert "<script" not in page
    assert not re.search(r'(src|href|action)="(https?:)?//', page)
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page and "multiple" in page


def test_identity_section_appears_once_a_custodian_key_exists(client, custodian_key):
    page = client.get(FORM).content.decode()
    assert 'name="identity_name"' in page and "kustodian identitas" in page


def test_without_custodians_the_form_says_identity_cannot_be_taken_yet(client):
    page = client.get(FORM).content.decode()
    assert 'name="identity_name"' not in page and "belum dapat diterima" in page


def test_a_report_gets_a_receipt_shown_once(client, coordinator):
    page, receipt = submit(client)
    assert receipt is not None and len(receipt) == 16
    report = WbsReport.objects.get()
    assert report.description == CONTENT and report.reporter is None and report.status == "received"
    # Only a slow hash is stored, never the receipt.
    stored = TrackingCredential.objects.get(case=report).receipt_hash
    assert re.fullmatch(r"[0-9a-f]{64}", stored) and receipt not in stored
    again = client.get(page.request["PATH_INFO"]).content.decode()
    assert receipt not in again.replace(" ", "") and "sudah ditampilkan" in again


def test_the_receipt_page_opens_the_report_directly(client, coordinator):
    submit(client)
    assert client.get(STATUS).status_code == 200


def test_a_missing_description_keeps_everything_typed(client):
    response = client.post(FORM, form_data(description="", location="Gudang timur lantai 2"))
    page = response.content.decode()
    assert response.status_code == 200 and "Gudang timur lantai 2" in page and "has-error" in page
    assert not WbsReport.objects.exists()


def test_a_fake_file_is_refused_by_name_and_the_text_is_kept(client):
    fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 this is a program, not a PDF", "application/pdf")
    response = client.post(FORM, {**form_data(), "files": [fake]})
    page = response.content.decode()
    assert "bukti.pdf" in page and "tidak dapat diterima" in page
    assert "Kepala gudang XQZV" in page
    assert not WbsReport.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_file_is_refused(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("besar.txt", b"a" * 2048, "text/plain")
    page = client.post(FORM, {**form_data(), "files": [big]}).content.decode()
    assert "terlalu besar" in page and not WbsReport.objects.exists()


def test_image_metadata_is_removed_by_default(client, coordinator):
    submit(client, files=[jpeg_with_gps()])
    from cases import attachments

    stored = attachments.read(Attachment.objects.get())
    assert b"Siti Pemilik Kamera" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_image_metadata_is_kept_when_the_reporter_asks(client, coordinator):
    submit(client, files=[jpeg_with_gps()], keep_metadata="on")
    from cases import attachments

    stored = attachments.read(Attachment.objects.get())
    assert b"Siti Pemilik Kamera" in stored


def test_submissions_are_rate_limited_and_the_text_is_kept(client, settings, coordinator):
    settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = 2
    # Two different reports (the same text twice from one client is one report, sent again).
    submit(client, location="Lokasi pertama")
    submit(client, location="Lokasi kedua")
    response = client.post(FORM, form_data(location="Lokasi ketiga"))
    page = response.content.decode()
    assert response.status_code == 200 and "Terlalu banyak kiriman" in page and "Lokasi ketiga" in page
    assert WbsReport.objects.count() == 2
    # Another client is counted apart.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert submit(other)[1] is not None


def test_a_logged_in_employee_is_anonymous_on_the_public_form(client, pegawai, coordinator):
    client.force_login(pegawai)
    session_key = client.cookies["sessionid"].value
    expiry = Session.objects.get(session_key=session_key).expire_date
    page = client.get(FORM).content.decode()
    assert "pegawai" not in page  # no "Keluar (pegawai)": the page does not know who this is
    submit(client)
    assert WbsReport.objects.get().reporter is None
    assert Session.objects.get(session_key=session_key).expire_date == expiry  # not touched


# --- tracking ---------------------------------------------------------------------------------------------


def lookup(client, receipt):
    return client.post(TRACK, {"receipt": receipt})


def test_the_receipt_opens_the_report_with_a_strict_short_cookie(client, coordinator):
    _page, receipt = submit(Client())
    response = lookup(client, intake.format_receipt(receipt))
    assert response.status_code == 302 and response["Location"] == STATUS
    cookie = response.cookies[intake.ACCESS_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == TRACK
    page = client.get(STATUS).content.decode()
    assert "Diterima" in page and "Kepala gudang XQZV" not in page  # status, not the report's content


def test_unknown_and_wrong_receipts_get_the_same_answer_at_the_same_cost(coordinator):
    _page, receipt = submit(Client())
    near = receipt[:-1] + str((int(receipt[-1]) + 1) % 10)
    answers, hashes = [], []
    for number, attempt in enumerate(("0000111122223333", near, "12345", "abcd efgh ijkl mnop")):
        client = Client(REMOTE_ADDR=f"192.0.2.{number}")  # apart, so no attempt is throttled
        with mock.patch("cases.intake.receipt_hash", wraps=intake.receipt_hash) as hashed:
            response = lookup(client, attempt)
        answers.append((response.status_code, csrf_free(response.content.decode())))
        hashes.append(hashed.call_count)
        assert intake.ACCESS_COOKIE not in response.cookies
    assert len(set(answers)) == 1 and answers[0][0] == 200
    assert "tidak dikenali" in answers[0][1]
    assert hashes == [1, 1, 1, 1]


def test_wrong_receipts_are_slowed_then_blocked(coordinator, settings):
    settings.SIGAP_RECEIPT_FREE_ATTEMPTS = 2
    settings.SIGAP_RECEIPT_BLOCK_AFTER = 4
    _page, receipt = submit(Client())
    client = Client(REMOTE_ADDR="192.0.2.50")
    with time_machine.travel("2026-11-23 10:00:00+07:00", tick=False) as clock:
        for _ in range(2):
            assert "tidak dikenali" in lookup(client, "1111222233334444").content.decode()
        # The third attempt comes too soon: refused before any look-up, even with the right receipt.
        with mock.patch("cases.intake.receipt_hash") as hashed:
            slowed = lookup(client, receipt)
        assert slowed.status_code == 429 and "Tunggu" in slowed.content.decode() and not hashed.called
        clock.shift(3)
        lookup(client, "1111222233334444")
        clock.shift(5)
        lookup(client, "1111222233334444")
        clock.shift(60)
        blocked = lookup(client, receipt)
        assert blocked.status_code == 429 and "Terlalu banyak kode yang salah" in blocked.content.decode()
        # Another client is not blocked, and the right receipt works there.
        assert lookup(Client(REMOTE_ADDR="192.0.2.51"), receipt).status_code == 302


def test_the_status_page_needs_the_cookie(client):
    response = client.get(STATUS)
    assert response.status_code == 302 and response["Location"] == TRACK


def test_a_forged_cookie_opens_nothing(client, make_report):
    report = make_report()
    client.cookies[intake.ACCESS_COOKIE] = str(report.uuid)  # unsigned
    assert client.get(STATUS).status_code == 302


def test_leaving_removes_the_access(client, make_report):
    report = make_report()
    lookup(client, report.receipt)
    client.post("/wbs/lapor/pantau/keluar/")
    assert client.get(STATUS).status_code == 302


# --- the reporter's actions -------------------------------------------------------------------------------


def test_the_reporter_reads_and_answers_a_message(client, make_report, coordinator):
    from cases import services

    report = make_report(["start_verification"])
    services.add_message(report, coordinator, "Siapa nama rekanannya?")
    lookup(client, report.receipt)
    page = client.get(STATUS).content.decode()
    assert "Siapa nama rekanannya?" in page and "Diverifikasi" in page
    assert "wbs_koordinator" not in page  # staff are not named to the reporter
    response = client.post("/wbs/lapor/pantau/pesan/", {"text": "PT Contoh Rekanan."})
    assert response.status_code == 302
    event = CaseEvent.objects.filter(case_id=report.pk, action="message").last()
    assert event.actor is None and event.data["from_reporter"] and "text" not in event.data
    assert "PT Contoh Rekanan." in client.get(STATUS).content.decode()


def test_an_empty_message_is_refused_on_the_page(client, make_report):
    report = make_report()
    lookup(client, report.receipt)
    response = client.post("/wbs/lapor/pantau/pesan/", {"text": "   "})
    assert response.status_code == 400 and "has-error" in response.content.decode()


def test_a_closed_report_takes_no_more_messages(client, make_report):
    report = make_report(["start_verification", "reject"])
    lookup(client, report.receipt)
    assert 'action="/wbs/lapor/pantau/pesan/"' not in client.get(STATUS).content.decode()
    response = client.post("/wbs/lapor/pantau/pesan/", {"text": "Halo?"}, follow=True)
    assert "tidak dapat dikirim" in response.content.decode()
    assert not CaseEvent.objects.filter(case_id=report.pk, action="message").exists()


def test_the_reporter_adds_files_without_metadata(client, make_report):
    report = make_report()
    lookup(client, report.receipt)
    response = client.post("/wbs/lapor/pantau/berkas/", {"files": [jpeg_with_gps()]})
    assert response.status_code == 302
    from cases import attachments

    assert b"Siti Pemilik Kamera" not in attachments.read(Attachment.objects.get(case_id=report.pk))


def test_the_reporter_adds_identity_later(client, make_report, custodian_key):
    report = make_report()
    lookup(client, report.receipt)
    response = client.post(
        "/wbs/lapor/pantau/identitas/",
        {"identity_name": IDENTITY["name"], "identity_number": IDENTITY["id_number"], "identity_contact": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.identity_provided and report.seals.count() == 1
    assert IDENTITY["name"].encode() not in bytes(report.identity_sealed)


def test_a_wrong_nik_is_explained(client, make_report, custodian_key):
    report = make_report()
    lookup(client, report.receipt)
    response = client.post("/wbs/lapor/pantau/identitas/", {"identity_name": "A", "identity_number": "123"})
    assert response.status_code == 400 and "16 angka" in response.content.decode()


def test_a_double_click_files_one_report_and_shows_its_receipt(client, coordinator):
    data = form_data()
    first = client.post(FORM, data)
    second = client.post(FORM, data)  # the same form sent again, as a double click does
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert WbsReport.objects.count() == 1


def test_a_refused_submission_can_be_sent_again(client, settings, coordinator):
    fake = SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", "application/pdf")
    page = client.post(FORM, {**form_data(), "files": [fake]}).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    assert client.post(FORM, form_data(submission=token)).status_code == 302
    assert WbsReport.objects.count() == 1


def switch_language(client, page, language):
    """Press a language button of the page, as the browser does: post its form to its action."""
    html = page.content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" class="inline lang">(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return client.post(form.group(1), {**fields, "language": language})


def test_switching_language_on_the_receipt_page_shows_the_receipt_again_once(client, coordinator):
    page, receipt = submit(client)
    english = switch_language(client, page, "en")
    text = english.content.decode()
    assert english.status_code == 200 and '<html lang="en">' in text
    assert receipt in text.replace(" ", "") and "sudah ditampilkan" not in text
    # And back again, once more.
    indonesian = switch_language(client, english, "id")
    assert receipt in indonesian.content.decode().replace(" ", "")
    # Never again later: the page itself, or a switch form sent twice, shows only the notice.
    for later in (client.get(page.request["PATH_INFO"]), switch_language(client, english, "en")):
        assert receipt not in later.content.decode().replace(" ", "")
