"""The complainant's public pages: the form (without JavaScript), the number and PIN shown once, the honeypot,
the identity rules per mode, tracking with number and PIN, and the complainant's own steps — clarify, confirm,
dispute within 10 HK, rate once — each allowed in its state and refused, with a message, in the others."""

import datetime as dt
import html
import io
import re
import secrets

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cases import attachments, services, workdays
from cases.models import Attachment, CaseEvent
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint, Service, Status

pytestmark = pytest.mark.django_db

FORM = "/pengaduan/"
TRACK = "/pengaduan/pantau/"
STATUS = "/pengaduan/pantau/laporan/"
CONTENT = "Petugas loket KTP meminta uang Rp50.000 agar berkas saya diproses cepat."
NAME, CONTACT = "Budi Pengadu Rahasia", "0812-3333-4444"
ADDRESS, AGENT = "203.0.113.88", "PengaduAgen/1.0 (penanda-pengadu)"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles and the one-time number and PIN live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(unit):
    return Service.objects.create(code="ktp", name="Penerbitan KTP-el", group="Kependudukan", unit=unit)


def form_data(service, **overrides):
    data = {
        "submission": secrets.token_urlsafe(8),
        "service": str(service.pk),
        "service_date": (workdays.today() - dt.timedelta(days=3)).isoformat(),
        "location": "Kantor kecamatan, loket 2",
        "category": "02",
        "description": CONTENT,
        "expectation": "Uang dikembalikan dan petugas ditegur.",
        "identity_mode": "identified",
        "complainant_name": NAME,
        "complainant_contact": CONTACT,
        "complainant_email": "",
        "truth_statement": "on",
        "homepage": "",
    }
    return {**data, **overrides}


def submit(client, service, **overrides):
    """Submit the form; return (receipt page, number, pin), or (form page, None, None)."""
    response = client.post(FORM, form_data(service, **overrides))
    if response.status_code != 302:
        return response, None, None
    page = client.get(response["Location"])
    html = page.content.decode()
    number = re.search(r'id="number"><strong>([^<]+)</strong>', html)
    pin = re.search(r'id="pin"><strong>([^<]+)</strong>', html)
    return page, number and number.group(1), pin and pin.group(1)


# --- the form ---------------------------------------------------------------------------------------------


def test_the_form_works_without_javascript_and_loads_nothing_from_elsewhere(client, service):
    page = client.get(FORM).content.decode()
    # The only script is the optional counter, deferred; the form posts by itself and says every limit.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/sigap/counter.js" defer>']
    assert not re.search(r'(src|href|action)="(https?:)?//', page)
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page and "multiple" in page
    assert "Penerbitan KTP-el" in page and "Paling banyak 10.000 karakter" in page
    assert 'type="radio" name="identity_mode"' in page and 'name="submission"' in page


def test_a_complaint_gets_its_number_and_pin_shown_once(client, service):
    page, number, pin = submit(client, service)
    complaint = Complaint.objects.get()
    assert complaint.description == CONTENT and complaint.status == Status.RECEIVED
    assert complaint.channel == "web" and complaint.reporter is None and complaint.truth_statement
    assert complaint.service == service and complaint.unit == service.unit and not complaint.late_filing
    html = page.content.decode()
    assert "Catat nomor pengaduan dan PIN ini sekarang" in html
    assert number == complaint.reference and re.fullmatch(r"\d{4}-\d{4}", pin)
    again = client.get(page.request["PATH_INFO"]).content.decode()
    assert "sudah ditampilkan" in again and pin not in again and number not in again


def test_every_required_field_error_keeps_what_was_typed(client, service):
    typed = form_data(service, location="Loket tujuh lantai dua", expectation="Harapan saya yang khas")
    for field in ("service", "category", "description", "truth_statement", "identity_mode"):
        data = {**typed}
        data.pop(field)
        response = client.post(FORM, data)
        page = response.content.decode()
        assert response.status_code == 200 and "has-error" in page, field
        assert "Loket tujuh lantai dua" in page and "Harapan saya yang khas" in page, field
        if field != "description":
            assert "Petugas loket KTP" in page, field
    assert not Complaint.objects.exists()


def test_the_date_of_the_service_is_asked_unless_they_do_not_remember(client, service):
    page = client.post(FORM, form_data(service, service_date="")).content.decode()
    assert "tidak ingat tanggalnya" in page and "has-error" in page and not Complaint.objects.exists()
    future = (workdays.today() + dt.timedelta(days=2)).isoformat()
    page = client.post(FORM, form_data(service, service_date=future)).content.decode()
    assert "masa depan" in page and not Complaint.objects.exists()
    submit(client, service, service_date="", service_date_unknown="on")
    assert Complaint.objects.get().service_date is None


def test_an_inactive_service_cannot_be_chosen(client, service):
    service.is_active = False
    service.save()
    response = client.post(FORM, form_data(service))
    assert response.status_code == 200 and not Complaint.objects.exists()


def test_a_fake_file_is_refused_and_nothing_is_filed(client, service):
    fake = SimpleUploadedFile("foto.jpg", b"ini hanya teks, bukan gambar sama sekali", "image/jpeg")
    response = client.post(FORM, {**form_data(service), "files": [fake]})
    page = response.content.decode()
    assert response.status_code == 200 and "foto.jpg" in page and "Pilih ulang berkas" in page
    assert "Petugas loket KTP" in page
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def jpeg_with_exif(name="foto.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (32, 24), (30, 200, 30))
    exif = Image.Exif()
    exif[0x013B] = "Budi Pemilik Kamera"  # Artist
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 10.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def test_a_photo_is_stored_encrypted_without_its_metadata(client, service):
    submit(client, service, files=[jpeg_with_exif()])
    attachment = Attachment.objects.get()
    stored = attachments.read(attachment)
    assert b"Budi Pemilik Kamera" not in stored and not Image.open(io.BytesIO(stored)).getexif()
    assert attachment.case_id == Complaint.objects.get().pk


def test_a_filled_honeypot_files_nothing_and_is_refused_politely(client, service):
    response = client.post(FORM, form_data(service, homepage="http://spam.example"))
    page = response.content.decode()
    assert response.status_code == 200 and "kolom tersembunyi" in page
    assert not Complaint.objects.exists()
    # Everything typed is kept, the honeypot comes back empty: a person whose browser filled it sends again.
    assert "Petugas loket KTP" in page and "http://spam.example" not in page
    assert re.search(r'<div hidden aria-hidden="true">.*name="homepage"[^>]*value=""', page)


@pytest.mark.parametrize("mode", ["identified", "confidential"])
def test_identified_and_confidential_need_a_name_and_a_contact(client, service, mode):
    page = client.post(FORM, form_data(service, identity_mode=mode, complainant_name="")).content.decode()
    assert "Tuliskan nama Anda" in page and not Complaint.objects.exists()
    page = client.post(FORM, form_data(service, identity_mode=mode, complainant_contact="")).content.decode()
    assert "paling sedikit satu kontak" in page and not Complaint.objects.exists()
    # An e-mail address is a contact too.
    submit(client, service, identity_mode=mode, complainant_contact="", complainant_email="budi@example.test")
    complaint = Complaint.objects.get()
    assert complaint.identity_mode == mode and complaint.complainant_name == NAME
    assert complaint.complainant_email == "budi@example.test"


def test_confidential_tells_the_complainant_officers_do_not_see_them(client, service):
    page, _number, _pin = submit(client, service, identity_mode="confidential")
    assert "tidak melihat identitas Anda" in page.content.decode()
    assert "tidak melihat identitas Anda" in client.get(STATUS).content.decode()


def test_anonymous_stores_no_name_even_if_posted_but_keeps_an_email_for_news(client, service):
    page, _number, _pin = submit(client, service, identity_mode="anonymous", complainant_email="kabar@example.test")
    complaint = Complaint.objects.get()
    assert complaint.identity_mode == "anonymous"
    assert complaint.complainant_name == "" and complaint.complainant_contact == ""
    assert complaint.complainant_email == "kabar@example.test"
    assert "tidak melihat identitas Anda" in page.content.decode()


def test_a_late_complaint_is_accepted_flagged_and_told(client, service):
    late = (workdays.today() - dt.timedelta(days=45)).isoformat()
    page, _number, _pin = submit(client, service, service_date=late)
    assert Complaint.objects.get().late_filing
    assert "lebih dari 30 hari" in page.content.decode()


def test_no_address_or_user_agent_is_stored(service):
    from django.db import connection

    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR="198.51.100.40")
    submit(client, service, files=[SimpleUploadedFile("catatan.txt", b"catatan kejadian", "text/plain")])
    client.post("/pengaduan/pantau/pesan/", {"text": "Tambahan keterangan dari saya."})
    assert Complaint.objects.count() == 1 and CaseEvent.objects.filter(action="message").count() == 1
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    value = bytes(value) if isinstance(value, memoryview) else value
                    for needle in (ADDRESS, "198.51.100.40", AGENT, "penanda-pengadu"):
                        if (
                            isinstance(value, str)
                            and needle in value
                            or isinstance(value, bytes)
                            and (needle.encode() in value)
                        ):
                            found.append((table, needle))
    assert found == []


# --- the status page and the complainant's steps ------------------------------------------------------------


@pytest.fixture
def officer(handler):
    return handler


def walk(complaint, officer, *steps):
    data = {
        "request_clarification": {"note": "Mohon sebutkan nama petugas loket."},
        "dispose": {"disposed_unit": complaint.unit, "handler": officer},
        "send_answer": {"answer": "Petugas sudah ditegur dan uang dikembalikan.", "answer_signatory": "Kabag Umum"},
    }
    for name in steps:
        complaint = services.transition(complaint, name, officer, **data.get(name, {}))
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def tracked(client, service):
    """A complaint filed through the form, its status page open in `client` (the receipt page grants it)."""
    submit(client, service)
    return Complaint.objects.get()


def reopen(client, complaint):
    """The tracking cookie, as the tracking page gives it (it lasts SIGAP_TRACKING_MINUTES from now)."""
    from django.http import HttpResponse

    from cases import intake

    response = HttpResponse()
    intake.grant_access(response, complaint, TRACK)
    client.cookies.update(response.cookies)


def answered(complaint, officer):
    return walk(complaint, officer, "start_verification", "dispose", "send_answer")


def test_the_status_page_shows_the_answer_and_the_last_day_to_reply(client, tracked, officer):
    complaint = answered(tracked, officer)
    page = client.get(STATUS).content.decode()
    assert "Sudah dijawab" in page and "Petugas sudah ditegur dan uang dikembalikan." in page
    assert "Kabag Umum" in page and 'id="sanggah"' in page
    assert f"{complaint.reply_due.day} " in page and "paling lambat" in page


def test_the_complainant_adds_information(client, tracked):
    response = client.post("/pengaduan/pantau/pesan/", {"text": "Nama petugasnya Pak X."})
    assert response.status_code == 302
    assert "Nama petugasnya Pak X." in client.get(STATUS).content.decode()


def test_clarification_is_answered_only_when_asked(client, tracked, officer):
    url = "/pengaduan/pantau/klarifikasi/"
    client.post(url, {"text": "Nama petugasnya Pak X."})
    assert Complaint.objects.get().status == Status.RECEIVED
    assert "tidak sedang menunggu klarifikasi" in client.get(STATUS).content.decode()
    walk(tracked, officer, "start_verification", "request_clarification")
    page = client.get(STATUS).content.decode()
    assert 'id="klarifikasi"' in page and "Mohon sebutkan nama petugas loket." in page
    # An empty answer comes back with its error, nothing changed.
    assert client.post(url, {"text": "  "}).status_code == 400
    assert Complaint.objects.get().status == Status.NEEDS_CLARIFICATION
    client.post(url, {"text": "Nama petugasnya Pak X."})
    assert Complaint.objects.get().status == Status.VERIFYING
    assert "Nama petugasnya Pak X." in client.get(STATUS).content.decode()


def test_confirm_closes_an_answered_complaint_and_is_refused_before(client, tracked, officer):
    url = "/pengaduan/pantau/konfirmasi/"
    client.post(url, {"accepted": "on"})
    assert Complaint.objects.get().status == Status.RECEIVED
    assert "tidak menunggu tanggapan Anda" in client.get(STATUS).content.decode()
    answered(tracked, officer)
    # Without the ticked statement nothing closes: closing is for good.
    refused = client.post(url)
    assert refused.status_code == 400 and "Centang pernyataan ini" in refused.content.decode()
    assert Complaint.objects.get().status == Status.ANSWERED
    client.post(url, {"accepted": "on"})
    complaint = Complaint.objects.get()
    assert complaint.status == Status.CLOSED and complaint.closure == "confirmed"
    # Confirming again (a page kept open) changes nothing and says why.
    client.post(url, {"accepted": "on"})
    assert "tidak menunggu tanggapan Anda" in client.get(STATUS).content.decode()
    assert Complaint.objects.get().closure == "confirmed"


def test_dispute_sends_it_back_with_the_reasons(client, tracked, officer):
    url = "/pengaduan/pantau/sanggah/"
    client.post(url, {"text": "Uang belum dikembalikan."})
    assert Complaint.objects.get().status == Status.RECEIVED
    assert "tidak menunggu tanggapan Anda" in client.get(STATUS).content.decode()
    answered(tracked, officer)
    assert client.post(url, {"text": ""}).status_code == 400
    assert Complaint.objects.get().status == Status.ANSWERED
    client.post(url, {"text": "Uang belum dikembalikan."})
    complaint = Complaint.objects.get()
    assert complaint.status == Status.IN_PROGRESS and complaint.dispute_count == 1
    assert "Uang belum dikembalikan." in client.get(STATUS).content.decode()


def test_dispute_after_the_ten_working_days_is_refused(client, tracked, officer):
    complaint = answered(tracked, officer)
    after = workdays.add_working_days(complaint.reply_due, 1)
    with time_machine.travel(dt.datetime.combine(after, dt.time(10)), tick=False):
        reopen(client, complaint)
        late = client.get(STATUS).content.decode()
        assert 'id="sanggah"' not in late and "sudah lewat" in late
        client.post("/pengaduan/pantau/sanggah/", {"text": "Uang belum dikembalikan."})
        page = client.get(STATUS).content.decode()
    assert Complaint.objects.get().status == Status.ANSWERED and "Batas waktu" in page


def test_rating_once_after_closing_within_range(client, tracked, officer):
    url = "/pengaduan/pantau/nilai/"
    client.post(url, {"score": "4"})
    assert Complaint.objects.get().satisfaction is None
    assert "setelah pengaduan selesai" in client.get(STATUS).content.decode()
    answered(tracked, officer)
    pengaduan_services.complaint_confirm(complaint=Complaint.objects.get())
    assert client.post(url, {"score": "9"}).status_code == 400
    assert client.post(url, {"score": "0"}).status_code == 400
    assert Complaint.objects.get().satisfaction is None
    client.post(url, {"score": "4", "comment": "Cepat ditangani."})
    complaint = Complaint.objects.get()
    assert complaint.satisfaction == 4 and complaint.satisfaction_comment == "Cepat ditangani."
    client.post(url, {"score": "1"})
    assert Complaint.objects.get().satisfaction == 4
    assert "sudah memberi penilaian" in client.get(STATUS).content.decode()


def test_the_steps_need_the_tracking_cookie(service, tracked):
    stranger = Client()
    for name in ("konfirmasi", "sanggah", "nilai", "klarifikasi"):
        response = stranger.post(f"/pengaduan/pantau/{name}/", {"text": "x", "score": "5"})
        assert response.status_code == 302 and response["Location"] == TRACK
    assert Client().get("/pengaduan/pantau/nilai/").status_code == 405


# --- tracking with number and PIN (the "number_pin" credential) ---------------------------------------------


def test_the_right_number_and_pin_open_the_status_page(service):
    _page, number, pin = submit(Client(), service)
    client = Client()
    response = client.post(TRACK, {"number": number.lower(), "pin": pin})
    assert response.status_code == 302 and response["Location"] == STATUS
    assert number in client.get(STATUS).content.decode()


def test_wrong_numbers_and_pins_get_one_uniform_answer(service):
    _page, number, pin = submit(Client(), service)
    wrong_pin = f"{(int(pin.replace('-', '')) + 1) % 10**8:08d}"
    answers = set()
    for index, (typed_number, typed_pin) in enumerate(
        [(number, wrong_pin), ("ADU-2026-999999", pin), ("bukan nomor", "12"), (number, "abcdefgh")]
    ):
        response = Client(REMOTE_ADDR=f"192.0.2.{index + 10}").post(TRACK, {"number": typed_number, "pin": typed_pin})
        assert response.status_code == 200
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        # The typed number stays in its box (only the PIN is typed again); apart from it, one answer.
        assert f'value="{typed_number}"' in body and f'value="{typed_pin}"' not in body
        answers.add(body.replace(f'value="{typed_number}"', 'value=""'))
    assert len(answers) == 1


def test_submissions_share_the_pseudonymous_rate_limit_and_keep_the_text(client, settings, service):
    settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = 1
    submit(client, service, location="Lokasi pertama")
    response = client.post(FORM, form_data(service, location="Lokasi kedua"))
    page = response.content.decode()
    assert response.status_code == 200 and "Lokasi kedua" in page and "Petugas loket KTP" in page
    assert Complaint.objects.count() == 1
    # Another client is counted apart.
    submit(Client(REMOTE_ADDR="198.51.100.77"), service, location="Lokasi ketiga")
    assert Complaint.objects.count() == 2


def test_a_long_paste_is_refused_whole_not_cut_by_the_browser(client, service):
    """No maxlength on the text boxes (a browser would cut a paste silently without JavaScript); the server
    refuses text over the limit and gives all of it back (outside trial, issue 10)."""
    form_page = client.get(FORM).content.decode()
    description_box = re.search(r"<textarea[^>]*name=\"description\"[^>]*>", form_page).group(0)
    assert "maxlength" not in description_box and 'data-counter="10000"' in description_box
    pasted = "Petugas meminta biaya tambahan. " * 400  # 12,800 characters
    page, number, _pin = submit(client, service, description=pasted)
    assert number is None and not Complaint.objects.exists()
    body = page.content.decode()
    assert "10.000" in body and pasted.strip() in html.unescape(body)


def test_a_long_place_is_refused_whole_not_cut(client, service):
    """One-line fields carry no maxlength either: 250 characters of place come back whole with the limit."""
    place = "Loket pelayanan terpadu lantai dua, gedung B, " * 6
    page, number, _pin = submit(client, service, location=place)
    body = html.unescape(page.content.decode())
    assert number is None and not Complaint.objects.exists()
    assert place.strip() in body and "200" in body
    assert 'maxlength="200"' not in client.get(FORM).content.decode()


def test_a_forwarded_complainant_reads_where_it_went(client, tracked, officer):
    complaint = walk(tracked, officer, "start_verification")
    complaint = services.transition(complaint, "declare_out_of_scope", officer, note="Kewenangan BPN.")
    services.transition(
        complaint,
        "forward_elsewhere",
        officer,
        forwarded_agency="Kantor Pertanahan Kota",
        forwarded_letter="B-77/SEKR/2026",
        forwarded_on=workdays.today(),
        reason="Bukan kewenangan kami.",
        confirmed=True,
    )
    page = client.get(STATUS).content.decode()
    assert "Kantor Pertanahan Kota" in page and "B-77/SEKR/2026" in page
