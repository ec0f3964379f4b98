"""No log line carries an upload's content, its metadata or what a reporter wrote, at any log level and from any
library (issue 8: Pillow logs EXIF tag values at DEBUG)."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Attachment
from tests.wbs.test_public_intake import FORM, form_data, lookup
from wbs.models import WbsReport

pytestmark = pytest.mark.django_db

EXIF_MARKER = "MRK-EXIF-LOG-5511"
TEXT_MARKER = "MRK-TEKS-LOG-5512"
MESSAGE_MARKER = "MRK-PESAN-LOG-5513"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def everything_at_debug():
    """Root, Pillow and every logger known so far at DEBUG, each one captured, whatever LOGGING said."""
    capture = Capture()
    names = ["", "PIL", *logging.Logger.manager.loggerDict]
    saved = []
    for name in names:
        logger = logging.getLogger(name)
        if isinstance(logger, logging.PlaceHolder):
            continue
        saved.append((logger, logger.level, logger.disabled))
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if name == "" or not logger.propagate:
            logger.addHandler(capture)
    try:
        yield capture
    finally:
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled
            logger.removeHandler(capture)


def _photo() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x013B] = EXIF_MARKER  # Artist
    exif[0x010E] = EXIF_MARKER + " deskripsi"  # ImageDescription
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 10.0)}  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), "image/jpeg")


def _record_text(record: logging.LogRecord) -> str:
    try:
        message = record.getMessage()
    except Exception:
        message = str(record.msg)
    return f"{record.name} {message} {record.args!r} {record.exc_text or ''}"


def test_nothing_a_reporter_sent_reaches_any_log_at_debug(client, coordinator, everything_at_debug):
    response = client.post(
        FORM, {**form_data(description=f"Uraian {TEXT_MARKER} yang cukup panjang"), "files": [_photo()]}
    )
    assert response.status_code == 302
    report = WbsReport.objects.get()
    # And later, from the tracking page: a message and another photo.
    lookup(client, client.get(response["Location"]).content.decode().split('id="receipt"><strong>')[1][:19])
    client.post("/wbs/lapor/pantau/pesan/", {"text": MESSAGE_MARKER})
    client.post("/wbs/lapor/pantau/berkas/", {"files": [_photo()]})
    assert Attachment.objects.filter(case_id=report.pk).count() == 2
    logging.getLogger("wbs.views").debug("probe")  # the capture does see DEBUG records
    logged = "\n".join(_record_text(record) for record in everything_at_debug.records)
    assert "probe" in logged
    for marker in (EXIF_MARKER, TEXT_MARKER, MESSAGE_MARKER):
        assert marker not in logged


def test_pillow_reads_exif_without_logging_it(everything_at_debug):
    # Reading EXIF directly, as any image code might: Pillow's TIFF parser logs each tag's value at DEBUG.
    image = Image.open(_photo())
    assert image.getexif()[0x013B] == EXIF_MARKER
    logged = "\n".join(_record_text(record) for record in everything_at_debug.records)
    assert EXIF_MARKER not in logged
