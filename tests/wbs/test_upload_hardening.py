"""Evidence files on the public form (issue 8): every kind of image metadata is removed, and an image bomb is
refused from its header before anything is decoded, after the rate limit and only for an otherwise valid form."""

import io
import re
import struct
import zlib
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from cases import attachments
from cases.models import Attachment
from tests.wbs.test_public_intake import FORM, form_data, submit
from wbs.models import WbsReport

pytestmark = pytest.mark.django_db

MARKERS = {
    "exif": "MRK-EXIF-7301",
    "xmp": "MRK-XMP-7302",
    "iptc": "MRK-IPTC-7303",
    "comment": "MRK-COM-7304",
    "icc": "MRK-ICC-73055",  # as long as "sRGB built-in", the text it replaces in the profile
    "text": "MRK-TEXT-7306",
    "ztext": "MRK-ZTXT-7307",
    "itext": "MRK-ITXT-7308",
}


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = MARKERS["exif"]  # Artist
    exif[0x010F] = "Kamera Rahasia"  # Make
    return exif


def _xmp() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="'
        + MARKERS["xmp"].encode()
        + b'"/></rdf:RDF></x:xmpmeta>'
    )


def _icc() -> bytes:
    """An sRGB profile whose description names someone: profiles can carry device and owner text."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = "sRGB built-in".encode("utf-16-be")
    assert original in profile
    return profile.replace(original, MARKERS["icc"].encode("utf-16-be"))


def _iptc_segment() -> bytes:
    """A JPEG APP13 segment: Photoshop image resource 0x0404 holding an IPTC by-line (2:80)."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(MARKERS["iptc"])) + MARKERS["iptc"].encode()
    if len(record) % 2:
        record += b"\x00"
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def _picture() -> Image.Image:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    image.paste((20, 90, 200), (0, 0, 20, 15))
    return image


def jpeg_with_everything() -> bytes:
    buffer = io.BytesIO()
    _picture().save(buffer, "JPEG", exif=_exif(), xmp=_xmp(), comment=MARKERS["comment"].encode(), icc_profile=_icc())
    data = buffer.getvalue()
    return data[:2] + _iptc_segment() + data[2:]  # right after SOI


def png_with_everything() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARKERS["text"])  # tEXt
    info.add_text("Author", MARKERS["ztext"], zip=True)  # zTXt
    info.add_itxt("Description", MARKERS["itext"])  # iTXt
    info.add_itxt("XML:com.adobe.xmp", _xmp().decode())  # XMP lives in an iTXt chunk
    buffer = io.BytesIO()
    _picture().save(buffer, "PNG", pnginfo=info, exif=_exif(), icc_profile=_icc())
    return buffer.getvalue()


def webp_with_everything() -> bytes:
    buffer = io.BytesIO()
    _picture().save(buffer, "WEBP", exif=_exif(), xmp=_xmp(), icc_profile=_icc(), quality=95)
    return buffer.getvalue()


def _places(data: bytes) -> list[str]:
    """Where a marker is in an image: in its bytes, or anywhere Pillow reads metadata from (which also finds
    what compressed chunks such as zTXt and iCCP hold)."""
    found = []
    for place, marker in MARKERS.items():
        if marker.encode() in data or marker.encode("utf-16-be") in data:
            found.append(place)
    with Image.open(io.BytesIO(data)) as image:
        readable = repr(image.info) + repr(dict(image.getexif())) + repr(getattr(image, "text", {}))
        icc = image.info.get("icc_profile") or b""
    for place, marker in MARKERS.items():
        if marker in readable or marker.encode("utf-16-be") in icc:
            found.append(place)
    return sorted(set(found))


@pytest.mark.parametrize(
    "name, make, content_type, planted",
    [
        ("foto.jpg", jpeg_with_everything, "image/jpeg", ["comment", "exif", "icc", "iptc", "xmp"]),
        ("gambar.png", png_with_everything, "image/png", ["exif", "icc", "itext", "text", "xmp", "ztext"]),
        ("gambar.webp", webp_with_everything, "image/webp", ["exif", "icc", "xmp"]),
    ],
)
def test_every_kind_of_metadata_is_removed_from_the_stored_file(client, coordinator, name, make, content_type, planted):
    original = make()
    assert _places(original) == planted  # the markers really are where the test says
    submit(client, files=[SimpleUploadedFile(name, original, content_type)])
    stored = attachments.read(Attachment.objects.get())  # decrypted, as a handler downloads it
    assert _places(stored) == []
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 30) and image.format == content_type.split("/")[1].upper()
        # Still the picture: the colours survive the conversion to sRGB.
        red = image.convert("RGB").getpixel((35, 25))
        assert red[0] > 150 and red[1] < 80 and red[2] < 80


def test_a_gif_is_not_accepted_so_no_metadata_can_slip_through(client, coordinator):
    buffer = io.BytesIO()
    _picture().save(buffer, "GIF", comment=MARKERS["comment"].encode())
    page = client.post(FORM, {**form_data(), "files": [SimpleUploadedFile("animasi.gif", buffer.getvalue())]})
    assert "tidak dapat diterima" in page.content.decode() and not WbsReport.objects.exists()


def test_kept_metadata_stays_when_the_reporter_asks(client, coordinator):
    submit(client, files=[SimpleUploadedFile("foto.jpg", jpeg_with_everything(), "image/jpeg")], keep_metadata="on")
    assert "exif" in _places(attachments.read(Attachment.objects.get()))


# --- image bombs -----------------------------------------------------------------------------------------


def bomb_png(width: int = 13_000, height: int = 13_000) -> bytes:
    """A black 1-bit PNG of width × height pixels: a few dozen kilobytes that would decode to 169 MB (the
    issue's RGB version, 493 KB, decodes to 507 MB)."""
    packer = zlib.compressobj(9)
    row = b"\x00" + bytes((width + 7) // 8)
    raw = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_png()


@pytest.fixture
def no_decoding():
    """Fails the test if any image is decoded."""
    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("an image was decoded")) as load:
        yield load


def _bomb_upload(bomb: bytes, name: str = "bom.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, bomb, "image/png")


def test_an_image_bomb_is_refused_from_its_header_with_the_text_kept(client, coordinator, bomb, no_decoding):
    assert len(bomb) < 500_000
    response = client.post(FORM, {**form_data(location="Gudang barat"), "files": [_bomb_upload(bomb)]})
    page = response.content.decode()
    assert response.status_code == 200 and "Gudang barat" in page
    assert re.search(r"bom\.png.{0,20} terlalu besar \(169 megapiksel\)\. Batasnya 40 megapiksel", page)
    assert not WbsReport.objects.exists() and not no_decoding.called


def test_pillow_refuses_a_bomb_even_for_a_caller_that_skipped_the_check(bomb):
    with pytest.raises(attachments.AttachmentRejected, match="terlalu besar"):
        attachments.strip_metadata(bomb, "image/png", "bom.png")


def test_a_bomb_kept_with_its_metadata_is_refused_too(widget, pegawai, bomb, no_decoding):
    # The staff side (gratifikasi, any kind) stores files through attachments.add without decoding them.
    with pytest.raises(attachments.AttachmentRejected, match="megapiksel"):
        attachments.add(case=widget, upload=_bomb_upload(bomb), actor=pegawai)


def test_a_refused_form_opens_no_image(client, coordinator):
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_everything(), "image/jpeg")
    with mock.patch("cases.attachments.strip_metadata", wraps=attachments.strip_metadata) as strip:
        page = client.post(FORM, {**form_data(description=""), "files": [photo]}).content.decode()
    assert "has-error" in page and not strip.called


def test_a_throttled_client_gets_its_text_back_and_no_file_is_read(client, coordinator, settings, bomb):
    settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = 1
    submit(client)
    with (
        mock.patch("cases.attachments.check", wraps=attachments.check) as check,
        mock.patch("cases.attachments.strip_metadata", wraps=attachments.strip_metadata) as strip,
    ):
        response = client.post(FORM, {**form_data(location="Lokasi kedua"), "files": [_bomb_upload(bomb)]})
    page = response.content.decode()
    assert "Terlalu banyak kiriman" in page and "Lokasi kedua" in page
    assert not check.called and not strip.called
    assert WbsReport.objects.count() == 1


def test_the_files_of_one_request_are_capped_in_total(client, coordinator, settings):
    settings.SIGAP_UPLOAD_MAX_TOTAL_BYTES = 3000

    def files(count):
        return [SimpleUploadedFile(f"catatan{n}.txt", b"a" * 1200, "text/plain") for n in range(count)]

    page = client.post(FORM, {**form_data(), "files": files(3)}).content.decode()
    assert "melebihi batas" in page and not WbsReport.objects.exists()
    assert submit(Client(), files=files(2))[1] is not None  # 2,400 bytes: within the cap


def test_the_pixels_one_request_may_decode_are_capped(client, coordinator, settings):
    settings.SIGAP_UPLOAD_MAX_PIXELS = 2000  # two 40 × 30 photos are 2,400 pixels
    photos = [SimpleUploadedFile(f"foto{n}.jpg", jpeg_with_everything(), "image/jpeg") for n in range(2)]
    page = client.post(FORM, {**form_data(), "files": photos}).content.decode()
    assert "bersama-sama terlalu besar" in page and not WbsReport.objects.exists()


def test_a_bomb_sent_later_from_the_tracking_page_is_refused(client, make_report, bomb, no_decoding):
    from tests.wbs.test_public_intake import lookup

    report = make_report()
    lookup(client, report.receipt)
    response = client.post("/wbs/lapor/pantau/berkas/", {"files": [_bomb_upload(bomb)]})
    assert response.status_code == 400 and "megapiksel" in response.content.decode()
    assert not Attachment.objects.filter(case_id=report.pk).exists()


def test_files_added_later_are_rate_limited_before_any_file_is_read(client, make_report, settings):
    from tests.wbs.test_public_intake import lookup

    settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = 1
    report = make_report()
    lookup(client, report.receipt)

    def photo():
        return SimpleUploadedFile("foto.jpg", jpeg_with_everything(), "image/jpeg")

    assert client.post("/wbs/lapor/pantau/berkas/", {"files": [photo()]}).status_code == 302
    with mock.patch("cases.attachments.check", wraps=attachments.check) as check:
        refused = client.post("/wbs/lapor/pantau/berkas/", {"files": [photo()]}, follow=True)
    assert "Terlalu banyak kiriman" in refused.content.decode() and not check.called
    assert Attachment.objects.filter(case_id=report.pk).count() == 1
