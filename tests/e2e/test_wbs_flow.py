"""The WBS (whistleblowing) main path in a real (headless) Chromium with JavaScript switched off on the
reporter's side: an anonymous reporter files a report on a phone (a refused file first, then a photo), gets
the receipt once, a WBS coordinator starts verification and writes to the reporter, and the reporter opens the
report with the receipt (a wrong receipt first), reads the message and answers; the coordinator sees the answer.

The public pages must work without any script (Tor Browser "safest", old phones), so the reporter's browser
contexts have `java_script_enabled=False`. Uses Debian's Chromium through Playwright, like
test_gratifikasi_flow.py. Screenshots go to tests/e2e/artifacts/ (gitignored) for a human to look at.
"""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from PIL import Image

from cases import attachments, intake, policy, workdays
from cases.models import Attachment, CaseEvent, RolePolicy, TrackingCredential
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, scriptless_phone
from wbs.models import WbsReport

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


DESCRIPTION = "Kepala gudang meminta uang pelicin dari rekanan sebelum menandatangani berita acara."
INVOLVED = "Kepala gudang, Bagian Umum"
LOCATION = "Gudang Kantor Pusat"
OCCURRED = "Setiap akhir bulan sejak Maret"
METHOD = "Uang tunai diserahkan dalam amplop di ruang gudang."
KNOWLEDGE_DETAIL = "Saya hadir saat penyerahan."
PHOTO = "foto-bukti.jpg"
HANDLER_MESSAGE = "Terima kasih. Apakah ada dokumen berita acara yang dapat Anda kirimkan?"
REPORTER_REPLY = "Salinan berita acara ada pada arsip Bagian Umum, nomor BA-17."
WRONG_RECEIPT = "1234 5678 9012 3456"
ARTIST = "Siti Pemilik Kamera"


def _jpeg_with_exif() -> bytes:
    """A small JPEG whose EXIF names a camera owner and a GPS position: what a phone photo leaks."""
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = ARTIST  # Artist
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 10.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _fill_report(page) -> None:
    page.select_option("#id_category", "pengadaan")
    page.fill("#id_description", DESCRIPTION)
    page.fill("#id_involved", INVOLVED)
    page.fill("#id_location", LOCATION)
    page.fill("#id_occurred", OCCURRED)
    page.fill("#id_method", METHOD)
    page.check("input[name=knowledge][value=melihat]")
    page.fill("#id_knowledge_detail", KNOWLEDGE_DETAIL)


def _submit(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_anonymous_report_without_javascript_and_messages_both_ways(live_server, chromium_path, make_user):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts (and after it stops): Playwright's sync API runs an event
    # loop in this thread, and Django refuses ORM calls from inside one.
    cache.clear()  # rate limits, receipt throttle and one-time receipts live in the (locmem) cache
    coordinator = make_user("wbs1", policy.PENGELOLA_WBS)
    coordinator.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    # Pengelola WBS must use two-factor sign-in (migration cases 0002); that flow has its own tests, and
    # seed_demo switches it off the same way. (A flushed transactional database may have no policy rows.)
    RolePolicy.objects.filter(group__name=policy.PENGELOLA_WBS).update(require_two_factor=False)
    reference = f"WBS-{workdays.today().year}-000001"
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    photo = _jpeg_with_exif()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            # --- (1) the anonymous reporter files a report, on a phone, without JavaScript -----------------
            phone = scriptless_phone(browser)
            page = phone.new_page()
            page.goto(base + "/wbs/lapor/")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_contain_text("Laporkan pelanggaran")
            # No identity custodian key yet: the identity fields are not offered.
            expect(page.locator("#id_identity_name")).to_have_count(0)

            # A file that is not what its name says: refused by name, the typed text kept, nothing filed.
            _fill_report(page)
            fake = {"name": "bukti.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}
            page.set_input_files("#id_files", files=[fake])
            _submit(page, "Kirim laporan")
            expect(page).to_have_url(base + "/wbs/lapor/")
            files_field = page.locator(".field.has-error", has=page.locator("#id_files"))
            expect(files_field.locator(".errorlist")).to_contain_text("bukti.pdf")
            expect(files_field.locator(".errorlist")).to_contain_text("tidak dapat diterima")
            expect(page.locator("p.errors[role=alert]")).to_contain_text("Pilih ulang berkas")
            expect(page.locator("#id_description")).to_have_value(DESCRIPTION)
            expect(page.locator("#id_category")).to_have_value("pengadaan")
            expect(page.locator("#id_involved")).to_have_value(INVOLVED)
            expect(page.locator("#id_method")).to_have_value(METHOD)
            expect(page.locator("input[name=knowledge][value=melihat]")).to_be_checked()
            page.screenshot(path=ARTIFACTS / "wbs-form-refused-file-phone.png", full_page=True)

            # A real photo (its EXIF to be removed: "keep metadata" stays unticked): filed, the receipt shown.
            page.set_input_files("#id_files", files=[{"name": PHOTO, "mimeType": "image/jpeg", "buffer": photo}])
            expect(page.locator("#id_keep_metadata")).not_to_be_checked()
            _submit(page, "Kirim laporan")
            expect(page).to_have_url(re.compile(re.escape(base) + r"/wbs/lapor/terima/[\w-]+/$"))
            expect(page.locator("h1")).to_have_text("Laporan Anda telah diterima")
            receipt_box = page.locator("#receipt")
            expect(receipt_box).to_have_text(re.compile(r"^\s*\d{4} \d{4} \d{4} \d{4}\s*$"))
            receipt = receipt_box.inner_text().strip()
            page.screenshot(path=ARTIFACTS / "wbs-receipt-phone.png", full_page=True)

            # The language switch on this page shows the same receipt in the other language, and back.
            receipt_url = page.url
            page.locator("form.lang button", has_text="EN").click()
            expect(page.locator("h1")).to_have_text("Your report has been received")
            expect(page.locator("#receipt")).to_have_text(receipt)
            page.locator("form.lang button", has_text="ID").click()
            expect(page.locator("h1")).to_have_text("Laporan Anda telah diterima")
            expect(page.locator("#receipt")).to_have_text(receipt)

            # Shown once: opening the same address again does not show it again.
            page.goto(receipt_url)
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text("Tanda terima sudah ditampilkan")
            expect(page.locator("#receipt")).to_have_count(0)
            expect(page.locator("main")).not_to_contain_text(receipt)
            phone.close()

            # --- (2) the WBS coordinator starts verification and writes to the reporter ---------------------
            office = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            office.set_default_timeout(TIMEOUT_MS)
            officer = office.new_page()
            log_in(officer, base, "wbs1", PASSWORD)
            expect(officer).to_have_url(base + "/kasus/")
            row = officer.locator("table.cases tbody tr", has_text=reference)
            expect(row).to_have_count(1)
            expect(row.locator("td").nth(1)).to_have_text("WBS")
            expect(row.locator("td").nth(2)).to_have_text("Diterima")
            row.get_by_role("link", name=reference).click()
            officer.wait_for_load_state()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/")
            expect(officer.locator("section.report")).to_contain_text(DESCRIPTION)
            expect(officer.locator("section.report")).to_contain_text(INVOLVED)
            expect(officer.locator("section.report")).to_contain_text("anonim")
            expect(officer.locator("ul.files")).to_contain_text(PHOTO)
            expect(officer.locator("ul.files")).not_to_contain_text("bukti.pdf")

            officer.get_by_role("button", name="Mulai verifikasi").click()
            officer.wait_for_load_state()
            expect(officer.locator(".facts .status")).to_have_text("Verifikasi")

            message_form = officer.locator(f"form[action='/kasus/{reference}/pesan/']")
            message_form.locator("textarea[name=text]").fill(HANDLER_MESSAGE)
            message_form.get_by_role("button", name="Kirim pesan").click()
            officer.wait_for_load_state()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/")
            expect(officer.locator(".messages .success")).to_have_text("Pesan terkirim.")
            expect(officer.locator("ol.timeline blockquote.message")).to_have_text([HANDLER_MESSAGE])
            officer.screenshot(path=ARTIFACTS / "wbs-case-handler.png", full_page=True)

            # --- (3) the reporter opens the report with the receipt (fresh browser: no cookie) --------------
            phone = scriptless_phone(browser)
            page = phone.new_page()
            page.goto(base + "/wbs/lapor/pantau/")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text("Pantau laporan pelanggaran")

            # A wrong receipt: the one generic answer, and no access to any report.
            page.fill("#id_receipt", WRONG_RECEIPT)
            _submit(page, "Buka laporan")
            expect(page).to_have_url(base + "/wbs/lapor/pantau/")
            expect(page.locator(".errors[role=alert]")).to_contain_text("Kode tanda terima tidak dikenali")
            expect(page.locator("#id_receipt")).to_have_value("")
            page.goto(base + "/wbs/lapor/pantau/laporan/")
            page.wait_for_load_state()
            expect(page).to_have_url(base + "/wbs/lapor/pantau/")
            expect(page.locator(".messages")).to_contain_text("Masukkan kode tanda terima")
            expect(page.locator("main")).not_to_contain_text(HANDLER_MESSAGE)

            # The right receipt: the simplified stage and the handler's message, no staff names.
            page.fill("#id_receipt", receipt)
            _submit(page, "Buka laporan")
            expect(page).to_have_url(base + "/wbs/lapor/pantau/laporan/")
            expect(page.locator("h1 small")).to_have_text("Diverifikasi")
            expect(page.locator("ol.steps li.current")).to_have_text("Diverifikasi")
            from_office = page.locator("ol.timeline li", has=page.locator("blockquote.message"))
            expect(from_office).to_have_count(1)
            expect(from_office).to_contain_text("Pesan dari petugas")
            expect(from_office.locator("blockquote.message")).to_have_text(HANDLER_MESSAGE)
            expect(page.locator("main")).not_to_contain_text("wbs1")
            page.screenshot(path=ARTIFACTS / "wbs-status-reporter-phone.png", full_page=True)

            # The reporter answers.
            page.fill("#id_text", REPORTER_REPLY)
            _submit(page, "Kirim pesan")
            expect(page).to_have_url(base + "/wbs/lapor/pantau/laporan/")
            expect(page.locator(".messages .success")).to_contain_text("Pesan Anda terkirim")
            messages = page.locator("ol.timeline blockquote.message")
            expect(messages).to_have_text([HANDLER_MESSAGE, REPORTER_REPLY])
            mine = page.locator("ol.timeline li", has_text=REPORTER_REPLY)
            expect(mine).to_contain_text("Pesan Anda")
            page.screenshot(path=ARTIFACTS / "wbs-status-reply-phone.png", full_page=True)
            phone.close()

            # --- (4) the coordinator sees the answer ------------------------------------------------------------
            officer.reload()
            officer.wait_for_load_state()
            expect(officer.locator("ol.timeline blockquote.message")).to_have_text([HANDLER_MESSAGE, REPORTER_REPLY])
            reply = officer.locator("ol.timeline li", has_text=REPORTER_REPLY)
            expect(reply.locator(".who")).to_have_text("Pelapor")
            officer.screenshot(path=ARTIFACTS / "wbs-case-reply-handler.png", full_page=True)
            office.close()
        finally:
            browser.close()

    # What the browsers did, as the database has it.
    report = WbsReport.objects.get()  # the refused first attempt filed nothing
    assert report.reference == reference
    assert report.status == "verifying"
    assert report.reporter_id is None and not report.identity_provided
    assert (report.category, report.description, report.involved, report.location, report.occurred) == (
        "pengadaan",
        DESCRIPTION,
        INVOLVED,
        LOCATION,
        OCCURRED,
    )
    assert (report.method, report.knowledge, report.knowledge_detail) == (METHOD, "melihat", KNOWLEDGE_DETAIL)

    # The receipt opens this report and is stored only as a hash.
    digits = intake.normalise_receipt(receipt)
    credential = TrackingCredential.objects.get()
    assert credential.case_id == report.pk
    assert credential.receipt_hash == intake.receipt_hash(digits) != digits

    # One file, the photo, with its EXIF (owner name, GPS) removed.
    attachment = Attachment.objects.get()
    assert (attachment.case_id, attachment.name, attachment.uploaded_by_id) == (report.pk, PHOTO, None)
    stored = attachments.read(attachment)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        exif = image.getexif()
        assert 0x013B not in exif and 0x8825 not in exif, dict(exif)
    assert ARTIST.encode() not in stored

    transitions = list(
        CaseEvent.objects.filter(case_id=report.pk, action="transition").values_list("to_status", flat=True)
    )
    assert transitions == ["verifying"]
    messages = list(CaseEvent.objects.filter(case_id=report.pk, action="message").order_by("seq"))
    assert [(e.actor_id, bool(e.data.get("from_reporter"))) for e in messages] == [
        (coordinator.pk, False),
        (None, True),
    ]
    # Restricted content: the message texts are encrypted elsewhere (CaseText), never in the event's data.
    assert all("text" not in e.data and "text_id" in e.data for e in messages)
