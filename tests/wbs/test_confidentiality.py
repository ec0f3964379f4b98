"""What a whistleblower tells us must not be readable from the database, the files or the logs, and nothing
may record where they came from (DESIGN §3, "Confidentiality")."""

import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from cases import services
from cases.logging import PublicIntakeFilter
from cases.notifications import deliver_pending
from tests.wbs.conftest import IDENTITY, PASSPHRASE
from wbs import services as wbs_services
from wbs.models import DisclosureRequest, WbsReport

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS, FORWARDED, AGENT = "203.0.113.77", "198.51.100.23", "PindaiAgen/9.9 (penanda-unik)"
CONTENT = "Bendahara ZYXWV memotong honor kegiatan"
FILE_TEXT = "Rekap potongan honor QWERTY-bukti"
REPORTER_MESSAGE = "Potongan terjadi lagi PLMOKN bulan ini"
HANDLER_MESSAGE = "Mohon kirim bukti transfer UIOPJK"
INTERNAL_NOTE = "Catatan internal ASDFGH untuk tim"
TRANSITION_NOTE = "Keterangan untuk pelapor HJKLQW"
DISCLOSURE_REASON = "Perlu wawancara saksi pelapor VBNMXC untuk pemeriksaan"

SECRETS = [
    CONTENT,
    FILE_TEXT,
    REPORTER_MESSAGE,
    HANDLER_MESSAGE,
    INTERNAL_NOTE,
    TRANSITION_NOTE,
    DISCLOSURE_REASON,
    IDENTITY["name"],
    IDENTITY["id_number"],
    IDENTITY["contact"],
]
TRACES = [ADDRESS, FORWARDED, AGENT, "penanda-unik"]


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
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)
                   and any(isinstance(f, PublicIntakeFilter) for f in h.filters))  # fmt: skip
    stream, level = io.StringIO(), logging.getLogger().level
    old = handler.setStream(stream)
    logging.getLogger().setLevel(logging.DEBUG)
    yield stream
    handler.setStream(old)
    logging.getLogger().setLevel(level)


@pytest.fixture
def everything_happened(coordinator, kustodian, custodian_key, console_log):
    """A report with identity, content and a file from a known address and browser; then the handler's and
    the reporter's messages, an internal note, a note to the reporter and an approved disclosure; and a
    request for a page that does not exist, which Django logs."""
    reporter = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED)
    response = reporter.post(
        "/wbs/lapor/",
        {
            "submission": "sekali-kirim",
            "category": "korupsi",
            "description": CONTENT + " setiap triwulan sejak awal tahun.",
            "involved": "Bendahara",
            "knowledge": "dokumen",
            "identity_name": IDENTITY["name"],
            "identity_number": IDENTITY["id_number"],
            "identity_contact": IDENTITY["contact"],
            "files": [SimpleUploadedFile("rekap.txt", FILE_TEXT.encode(), "text/plain")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reporter.get(response["Location"])  # the receipt page also opens the report for this browser
    report = WbsReport.objects.get()
    services.transition(report, "start_verification", coordinator)
    services.add_message(report, coordinator, HANDLER_MESSAGE)
    services.add_comment(report, coordinator, INTERNAL_NOTE)
    services.transition(report, "request_info", coordinator, note=TRANSITION_NOTE)
    assert reporter.post("/wbs/lapor/pantau/pesan/", {"text": REPORTER_MESSAGE}).status_code == 302
    request = wbs_services.disclosure_request(report=report, requester=coordinator, reason=DISCLOSURE_REASON)
    wbs_services.disclosure_decide(
        disclosure=request, custodian=kustodian, approve=True, reason="Untuk pemeriksaan.", passphrase=PASSPHRASE
    )
    wbs_services.disclosure_read(disclosure=DisclosureRequest.objects.get(), user=coordinator)
    deliver_pending()
    assert reporter.get("/wbs/lapor/tidak-ada/").status_code == 404
    assert Client().get("/kasus/tidak-ada/").status_code in (302, 404)
    return report


def test_the_database_holds_no_plaintext_and_no_trace_of_the_reporter(everything_happened):
    leaks = [
        (table, needle) for table, value in every_value() for needle in SECRETS + TRACES if found_in(value, needle)
    ]
    assert leaks == []


def test_but_the_office_can_read_what_it_needs(everything_happened, coordinator):
    report = WbsReport.objects.get()
    assert CONTENT in report.description
    events = list(report.events.all())
    services.event_texts(report, events)
    assert {HANDLER_MESSAGE, REPORTER_MESSAGE, INTERNAL_NOTE} <= {event.text for event in events}


def test_stored_files_hold_no_plaintext(everything_happened):
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    blobs = [path.read_bytes() for path in root.rglob("*") if path.is_file()]
    assert blobs and not any(FILE_TEXT.encode() in blob for blob in blobs)


def test_logs_hold_no_content_identity_or_trace(everything_happened, console_log):
    logged = console_log.getvalue()
    assert logged  # the work above did log something
    assert [needle for needle in SECRETS + TRACES + ["/wbs/lapor/"] if needle in logged] == []


def test_request_logs_of_the_public_pages_are_dropped():
    """The development server's request lines (django.server) and gunicorn's access lines carry a time."""
    from gunicorn.config import Config

    from config.gunicorn_logging import PrivateAccessLogger

    assert not PublicIntakeFilter().filter(_record('"POST /wbs/lapor/ HTTP/1.1" 302 0'))
    assert PublicIntakeFilter().filter(_record('"GET /kasus/ HTTP/1.1" 200 512'))
    config = Config()
    config.set("accesslog", "-")
    access = PrivateAccessLogger(config)
    stream = io.StringIO()
    access.access_log.handlers[0].setStream(stream)
    response = type("Response", (), {"status": "200 OK", "headers": [], "sent": 10, "response_length": 10})()
    request = type("Request", (), {"headers": [], "method": "POST", "path": "/", "query": "", "version": (1, 1),
                                   "uri": "/"})()  # fmt: skip
    import datetime as dt

    for path in ("/wbs/lapor/", "/wbs/lapor/pantau/", "/kasus/"):
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "POST", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1"}
        access.access(response, request, environ, dt.timedelta(seconds=0.1))
    assert "/wbs/lapor/" not in stream.getvalue() and "/kasus/" in stream.getvalue()


def _record(message):
    return logging.LogRecord("django.server", logging.INFO, __file__, 1, message, None, None)


def test_emails_hold_no_content(everything_happened):
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        assert [needle for needle in SECRETS + ["korupsi", "Bendahara"] if needle in text] == []


def test_the_server_keys_cannot_open_an_identity(everything_happened):
    from cryptography.fernet import Fernet, InvalidToken, MultiFernet

    sealed = bytes(WbsReport.objects.get().identity_sealed)
    fernet = MultiFernet([Fernet(key) for key in settings.DATA_ENCRYPTION_KEYS])
    with pytest.raises(InvalidToken):
        fernet.decrypt(sealed)


def test_times_of_the_reporter_are_rounded_to_the_day(everything_happened):
    from cases import intake
    from cases.models import Attachment, CaseEvent

    midnight = intake.rounded_now()
    report = everything_happened
    assert report.created_at == midnight and report.submitted_at == midnight
    assert Attachment.objects.get().created_at == midnight
    reporter_events = CaseEvent.objects.filter(case_id=report.pk, actor__isnull=True)
    assert reporter_events.count() >= 3 and {e.created_at for e in reporter_events} == {midnight}
    assert {h.history_date for h in WbsReport.history.filter(history_type="+")} == {midnight}


def test_djangos_own_loggers_write_only_through_the_filtered_handler():
    """Not Django's default console handler, and not mail_admins: its error report would carry the POST data."""
    for name in ("django", "django.server", "django.request"):
        logger = logging.getLogger(name)
        while logger is not None:
            for handler in logger.handlers:
                if type(handler).__module__.startswith("_pytest"):
                    continue  # pytest's own capture, not part of the configuration
                assert any(isinstance(f, PublicIntakeFilter) for f in handler.filters), (name, handler)
            logger = logger.parent if logger.propagate else None
