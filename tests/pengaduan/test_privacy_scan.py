"""A confidential or anonymous complainant's identity must be readable nowhere: not in any column of any table
(history tables and the outbox included), not in the stored files, not in the log, not in an e-mail; and what
they wrote is encrypted at rest (Perpres 76/2013: the complainant's identity is kept confidential; issue 10)."""

import datetime as dt
import io
import logging
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from cases import services, workdays
from cases.logging import PublicIntakeFilter
from cases.notifications import deliver_pending
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint, IdentityMode, Service, Status

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Zulkarnaen Qwertyanto Pengadu"
PHONE = "0857-4433-9182"
EMAIL = "zulqwerty.pengadu@contoh-unik.test"
DESCRIPTION = "Petugas loket XKCDQ meminta uang pelicin untuk legalisir ijazah"
EXPECTATION = "Uang JHGFDS dikembalikan"
FILE_TEXT = "Bukti kuitansi MNBVCX-pelicin"
OFFICER_MESSAGE = "Kami sedang memeriksa loket legalisir"

IDENTITY = {"complainant_name": NAME, "complainant_contact": PHONE, "complainant_email": EMAIL}
IDENTITY_NEEDLES = [NAME, PHONE, PHONE.replace("-", ""), EMAIL, EMAIL.split("@")[0]]
CONTENT_NEEDLES = [DESCRIPTION, "XKCDQ", EXPECTATION, "JHGFDS", FILE_TEXT]
# Where a public complainant came from: never kept or logged (cases.middleware.PublicIntakePrivacyMiddleware).
ADDRESS, FORWARDED, AGENT = "203.0.113.91", "198.51.100.92", "AduAgen/7.7 (penanda-aduan-unik)"
ADDRESS2 = "203.0.113.93"  # the second complainant's: each one's steps count against their own hourly limit
TRACES = [ADDRESS, ADDRESS2, FORWARDED, AGENT, "penanda-aduan-unik"]


def every_value():
    """Every value of every column of every table, as text and as bytes."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes | str):
                        yield table, value


def found_in(value, needle: str) -> bool:
    if isinstance(value, bytes):
        return needle.encode() in value
    return needle in value


@pytest.fixture
def console_log():
    """What the configured console handler (settings.LOGGING, with its filters) writes, at DEBUG."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and any(isinstance(f, PublicIntakeFilter) for f in h.filters)
    )
    stream, level = io.StringIO(), logging.getLogger().level
    old = handler.setStream(stream)
    logging.getLogger().setLevel(logging.DEBUG)
    yield stream
    handler.setStream(old)
    logging.getLogger().setLevel(level)


def office_steps(complaint: Complaint, officer, unit, complainant) -> Complaint:
    """Every kind of step a complaint goes through; `complainant` takes the complainant's own (clarify, dispute,
    confirm, rate) from the tracking page or through the services."""
    complaint = services.transition(complaint, "start_verification", officer)
    services.add_message(complaint, officer, OFFICER_MESSAGE)
    complaint = services.transition(complaint, "request_clarification", officer, note="Mohon sebutkan tanggalnya.")
    # A complainant who writes their own number into a message: kept encrypted like the form (encrypted_texts).
    complainant("clarify", complaint, text=f"Tanggal 2 November pagi. Hubungi saya di {PHONE}.")
    complaint = Complaint.objects.get(pk=complaint.pk)
    complaint = services.transition(complaint, "dispose", officer, disposed_unit=unit, handler=officer)
    complaint = services.transition(complaint, "respond_first", officer, note="Sedang ditindaklanjuti.")
    complaint = services.transition(
        complaint, "send_answer", officer, answer="Petugas sudah ditegur.", answer_signatory="Kepala Bagian Umum"
    )
    complainant("dispute", complaint, text="Uang belum kembali.")
    complaint = Complaint.objects.get(pk=complaint.pk)
    complaint = services.transition(
        complaint, "send_answer", officer, answer="Uang sudah dikembalikan.", answer_signatory="Kepala Bagian Umum"
    )
    complainant("confirm", complaint)
    complainant("rate", complaint, score=4, comment="Cukup cepat.")
    return Complaint.objects.get(pk=complaint.pk)


def through_services(step, complaint, **data):
    fresh = Complaint.objects.get(pk=complaint.pk)
    {
        "clarify": pengaduan_services.complaint_clarify,
        "dispute": pengaduan_services.complaint_dispute,
        "confirm": pengaduan_services.complaint_confirm,
        "rate": pengaduan_services.complaint_rate,
    }[step](complaint=fresh, **data)


def file_with(identity_mode):
    return pengaduan_services.complaint_file(
        fields={
            "category": "03",
            "description": DESCRIPTION,
            "expectation": EXPECTATION,
            "location": "Loket legalisir",
            "truth_statement": True,
        },
        identity_mode=identity_mode,
        identity=IDENTITY,
        files=[SimpleUploadedFile("kuitansi.txt", FILE_TEXT.encode(), "text/plain")],
    )[0]


# The public pages (pengaduan/urls.py public_urlpatterns, the core's intake pages).
FORM = "/pengaduan/"
STEP_URLS = {
    "clarify": "/pengaduan/pantau/klarifikasi/",
    "dispute": "/pengaduan/pantau/sanggah/",
    "confirm": "/pengaduan/pantau/konfirmasi/",
    "rate": "/pengaduan/pantau/nilai/",
}


def file_through_the_form(client, identity_mode, service) -> Complaint:
    """File on the public form; the receipt page opens the complaint's tracking page for this browser."""
    data = {
        "submission": secrets.token_urlsafe(8),
        "service": str(service.pk),
        "service_date": (workdays.today() - dt.timedelta(days=3)).isoformat(),
        "location": "Loket legalisir",
        "category": "03",
        "description": DESCRIPTION,
        "expectation": EXPECTATION,
        "identity_mode": identity_mode,
        **IDENTITY,
        "truth_statement": "on",
        "homepage": "",
    }
    before = set(Complaint.objects.values_list("pk", flat=True))
    response = client.post(FORM, {**data, "files": [SimpleUploadedFile("kuitansi.txt", FILE_TEXT.encode())]})
    if response.status_code == 200 and identity_mode == IdentityMode.ANONYMOUS:
        # The form refuses a name with an anonymous complaint: an address for news only.
        data.update(complainant_name="", complainant_contact="", submission=secrets.token_urlsafe(8))
        response = client.post(FORM, {**data, "files": [SimpleUploadedFile("kuitansi.txt", FILE_TEXT.encode())]})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get(response["Location"]).status_code == 200, response["Location"]
    (pk,) = set(Complaint.objects.values_list("pk", flat=True)) - before
    return Complaint.objects.get(pk=pk)


def through_the_page(client):
    def step(name, complaint, **data):
        if name == "confirm":
            data = {"accepted": "on", **data}  # the page asks the complainant to tick that they mean it
        response = client.post(STEP_URLS[name], {key: str(value) for key, value in data.items()})
        assert response.status_code == 302, (name, response.status_code, response.content.decode()[:2000])

    return step


@pytest.fixture(params=["services", "form"])
def everything_happened(request, officer, coordinator, unit, console_log):
    """A confidential and an anonymous complaint with a known identity and content, filed through the services
    or the public form from a known address and browser, walked from filing to the complainant's rating with
    a message from the office; then the outbox drained and a page that does not exist requested."""
    walked = []
    for mode in (IdentityMode.CONFIDENTIAL, IdentityMode.ANONYMOUS):
        if request.param == "services":
            complaint = file_with(mode)
            walked.append(office_steps(complaint, officer, unit, through_services))
        else:
            service = Service.objects.get_or_create(code="legalisir", defaults={"name": "Legalisasi", "unit": unit})[0]
            address = ADDRESS if mode == IdentityMode.CONFIDENTIAL else ADDRESS2
            client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED)
            complaint = file_through_the_form(client, mode, service)
            walked.append(office_steps(complaint, officer, unit, through_the_page(client)))
            assert client.get("/pengaduan/tidak-ada/").status_code == 404
    deliver_pending()
    return walked


def test_the_walk_went_all_the_way(everything_happened):
    assert [c.status for c in everything_happened] == [Status.CLOSED, Status.CLOSED]
    assert [c.satisfaction for c in everything_happened] == [4, 4]


def test_no_identity_and_no_content_in_plaintext_in_any_table(everything_happened):
    tables = set(connection.introspection.table_names())
    assert {"pengaduan_complaint", "pengaduan_historicalcomplaint", "cases_outboxmessage", "cases_caseevent"} <= tables
    leaks = sorted(
        {
            (table, needle)
            for table, value in every_value()
            for needle in IDENTITY_NEEDLES + CONTENT_NEEDLES + TRACES
            if found_in(value, needle)
        }
    )
    assert leaks == []


def test_the_office_can_still_read_what_it_needs(everything_happened):
    confidential, anonymous = everything_happened
    assert (confidential.description, confidential.complainant_name) == (DESCRIPTION, NAME)
    assert anonymous.description == DESCRIPTION
    # An anonymous complainant gave no identity that anyone keeps; an address for news only.
    assert (anonymous.complainant_name, anonymous.complainant_contact) == ("", "")


def test_stored_files_hold_no_plaintext(everything_happened):
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    blobs = [path.read_bytes() for path in root.rglob("*") if path.is_file()]
    assert blobs and not any(FILE_TEXT.encode() in blob for blob in blobs)


def test_the_log_holds_no_identity_or_content(everything_happened, console_log):
    logged = console_log.getvalue()
    assert [needle for needle in IDENTITY_NEEDLES + CONTENT_NEEDLES + TRACES if needle in logged] == []
    # Nor a request line of a public page (the 404 above is logged by Django when not filtered).
    assert [line for line in logged.splitlines() if "GET /pengaduan/" in line or "POST /pengaduan/" in line] == []


def test_emails_say_only_that_there_is_news(everything_happened):
    assert mail.outbox  # the handlers heard of the complaints at least
    for message in mail.outbox:
        text = message.subject + message.body + "".join(str(alt[0]) for alt in getattr(message, "alternatives", []))
        needles = IDENTITY_NEEDLES + CONTENT_NEEDLES + [OFFICER_MESSAGE, "Petugas sudah ditegur", "dikembalikan"]
        assert [needle for needle in needles if needle in text] == [], message.subject


def test_the_complainant_was_told_there_is_news(everything_happened):
    """They gave an address: they hear of the answer, without its content (checked above)."""
    to_complainant = [message for message in mail.outbox if EMAIL in message.to]
    assert to_complainant


@pytest.mark.parametrize("mode", [IdentityMode.IDENTIFIED, IdentityMode.CONFIDENTIAL, IdentityMode.ANONYMOUS])
def test_an_identified_complainant_reads_the_stage_the_others_only_that_there_is_news(officer, unit, mode):
    complaint = file_with(mode)
    mail.outbox.clear()
    complaint = services.transition(complaint, "start_verification", officer)
    complaint = services.transition(complaint, "dispose", officer, disposed_unit=unit, handler=officer)
    services.transition(complaint, "send_answer", officer, answer="Petugas sudah ditegur.", answer_signatory="Kabag")
    deliver_pending()  # the outbox is drained as each transaction commits; this delivers what is left
    to_complainant = [message for message in mail.outbox if message.to == [EMAIL]]
    assert len(to_complainant) == 3  # one for each step of the office
    bodies = " ".join(message.subject + message.body for message in to_complainant)
    assert complaint.reference in bodies and "/pengaduan/pantau/" in bodies
    assert ("Sudah dijawab" in bodies) is (mode == IdentityMode.IDENTIFIED)
    assert "Petugas sudah ditegur" not in bodies
