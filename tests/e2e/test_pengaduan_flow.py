"""The pengaduan (public complaint) main path in a real (headless) Chromium, with JavaScript switched off on
the complainant's side (issue 10, "Done when"): a citizen files a complaint on a phone (a refused submission
first, the typed text kept, then a valid one) and notes the tracking number and PIN; a complaint officer finds
it in the inbox, starts verification and disposes it to a unit and a handler; the handler sends the first
follow-up and the answer; the citizen opens the complaint (a wrong PIN first), disputes the answer with
reasons; the handler answers again; the citizen confirms and rates it. Both timelines are checked.

Uses Debian's Chromium through Playwright, like test_wbs_flow.py; screenshots go to tests/e2e/artifacts/.
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache

from cases import policy, workdays
from cases.models import CaseEvent, RolePolicy, TrackingCredential
from pengaduan.models import Closure, Complaint, IdentityMode, Service, Status
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, scriptless_phone

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

SERVICE = "Pembuatan KTP-el"
LOCATION = "Loket 3, Kantor Kecamatan Sukamaju"
DESCRIPTION = "Petugas loket meminta uang Rp50.000 agar KTP-el saya selesai hari itu juga, tanpa kuitansi."
EXPECTATION = "Uang dikembalikan dan loket melayani tanpa pungutan."
NAME = "Wati Pengadu Rahasia"
CONTACT = "0812-7777-4321"
FIRST_FOLLOW_UP = "Pengaduan Anda sedang kami periksa bersama Kepala Seksi Pelayanan."
ANSWER_1 = "Petugas loket telah ditegur dan diminta mengembalikan uang Anda."
SIGNATORY = "Kepala Sekretariat"
DISPUTE = "Sampai hari ini uang saya belum dikembalikan dan petugas yang sama masih memungut biaya."
ANSWER_2 = "Uang Rp50.000 telah dikembalikan pada 1 Desember; petugas dipindahkan dari loket."
RATING_COMMENT = "Terima kasih, ditangani dengan baik walau perlu dua kali."
WRONG_PIN = "1111-2222"


def _office(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _submit(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def _open_complaint(page, base: str, number: str, pin: str) -> None:
    page.goto(base + "/pengaduan/pantau/")
    page.wait_for_load_state()
    page.fill("#id_number", number)
    page.fill("#id_pin", pin)
    _submit(page, "Buka pengaduan")


def test_complaint_without_javascript_answered_disputed_answered_again_confirmed_and_rated(
    live_server, chromium_path, make_user, unit
):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts (and after it stops): Playwright's sync API runs an event
    # loop in this thread, and Django refuses ORM calls from inside one.
    cache.clear()  # rate limits, tracking throttle and one-time receipts live in the (locmem) cache
    Service.objects.create(code="ktp-el", name=SERVICE, unit=unit)
    verifier = make_user("adu1", policy.PETUGAS_PENGADUAN, first_name="Sari", last_name="Verifikator")
    handler = make_user("adu2", policy.PETUGAS_PENGADUAN, first_name="Rudi", last_name="Penangan")
    # Complaint officers may have to use two-factor sign-in; that flow has its own tests (as in test_wbs_flow).
    RolePolicy.objects.filter(group__name=policy.PETUGAS_PENGADUAN).update(require_two_factor=False)
    reference = f"ADU-{workdays.today().year}-000001"
    service_date = (workdays.today() - dt.timedelta(days=3)).isoformat()
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            # --- (1) the citizen files a complaint, on a phone, without JavaScript ---------------------------
            phone = scriptless_phone(browser)
            page = phone.new_page()
            page.goto(base + "/pengaduan/")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text("Sampaikan pengaduan pelayanan publik")

            # A refused first attempt: a file that is not what its name says, and the truth statement unticked.
            page.get_by_label("Layanan yang diadukan").select_option(label=SERVICE)
            page.get_by_label("Tanggal Anda menerima layanan").fill(service_date)
            page.get_by_label("Di mana? (kantor, loket, alamat)").fill(LOCATION)
            page.get_by_label("Jenis masalah").select_option("02")
            page.get_by_label("Apa yang terjadi?").fill(DESCRIPTION)
            page.get_by_label("Apa yang Anda harapkan? (tidak wajib)").fill(EXPECTATION)
            page.get_by_label("Dirahasiakan: hanya koordinator pengaduan yang melihat identitas saya").check()
            page.get_by_label("Nama:", exact=True).fill(NAME)
            page.get_by_label("Telepon atau alamat").fill(CONTACT)
            fake = {"name": "kuitansi.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}
            page.set_input_files("#id_files", files=[fake])
            _submit(page, "Kirim pengaduan")
            expect(page).to_have_url(base + "/pengaduan/")
            summary = page.locator("#errors[role=alert]")
            expect(summary).to_contain_text("Pengaduan belum terkirim")
            expect(summary).to_contain_text("Centang pernyataan kebenaran untuk mengirim pengaduan.")
            expect(summary).to_contain_text("kuitansi.pdf")
            files_field = page.locator(".field.has-error", has=page.locator("#id_files"))
            expect(files_field.locator(".errorlist")).to_contain_text("tidak dapat diterima")
            expect(page.locator("p.errors[role=alert]")).to_contain_text("Pilih ulang berkas")
            # Everything typed is still there.
            expect(page.locator("#id_service option:checked")).to_have_text(SERVICE)
            expect(page.locator("#id_service_date")).to_have_value(service_date)
            expect(page.locator("#id_location")).to_have_value(LOCATION)
            expect(page.locator("#id_category")).to_have_value("02")
            expect(page.locator("#id_description")).to_have_value(DESCRIPTION)
            expect(page.locator("#id_expectation")).to_have_value(EXPECTATION)
            expect(page.locator("input[name=identity_mode][value=confidential]")).to_be_checked()
            expect(page.locator("#id_complainant_name")).to_have_value(NAME)
            expect(page.locator("#id_complainant_contact")).to_have_value(CONTACT)
            page.screenshot(path=ARTIFACTS / "pengaduan-form-refused-phone.png", full_page=True)

            # The valid complaint: no file this time, the statement ticked.
            page.get_by_label("Saya menyatakan bahwa pengaduan ini benar").check()
            _submit(page, "Kirim pengaduan")
            expect(page).to_have_url(re.compile(re.escape(base) + r"/pengaduan/terima/[\w-]+/$"))
            expect(page.locator("h1")).to_have_text("Pengaduan Anda telah diterima")
            expect(page.locator("#number")).to_have_text(reference)
            expect(page.locator("#pin")).to_have_text(re.compile(r"^\s*\d{4}-\d{4}\s*$"))
            number = page.locator("#number").inner_text().strip()
            pin = page.locator("#pin").inner_text().strip()
            expect(page.locator("main")).to_contain_text("tidak melihat identitas Anda")
            page.screenshot(path=ARTIFACTS / "pengaduan-receipt-phone.png", full_page=True)
            # Shown once.
            page.reload()
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text("Nomor dan PIN sudah ditampilkan")
            expect(page.locator("main")).not_to_contain_text(pin)
            phone.close()

            # --- (2) a complaint officer verifies it and disposes it to a unit and a handler ----------------
            office = _office(browser)
            officer = office.new_page()
            log_in(officer, base, "adu1", PASSWORD)
            expect(officer).to_have_url(base + "/kasus/")
            row = officer.locator("table.cases tbody tr", has_text=reference)
            expect(row).to_have_count(1)
            expect(row.locator("td").nth(1)).to_have_text("Pengaduan")
            expect(row.locator("td").nth(2)).to_have_text("Diterima")
            row.get_by_role("link", name=reference).click()
            officer.wait_for_load_state()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/")
            report = officer.locator("section.report")
            expect(report).to_contain_text(SERVICE)
            expect(report).to_contain_text(DESCRIPTION)
            expect(report).to_contain_text("Formulir web")
            # Confidential: an officer who is not the coordinator does not see who complains.
            expect(officer.locator("#complainant")).to_have_text("Identitas dirahasiakan (hanya koordinator pengaduan)")
            expect(officer.locator("main")).not_to_contain_text(NAME)
            expect(officer.locator("main")).not_to_contain_text(CONTACT)

            officer.get_by_role("button", name="Mulai verifikasi").click()
            officer.wait_for_load_state()
            expect(officer.locator(".facts .status")).to_have_text("Verifikasi")

            officer.get_by_role("link", name="Disposisikan ke unit").click()
            officer.wait_for_load_state()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/tindakan/dispose/")
            expect(officer.locator("h1")).to_have_text("Disposisikan ke unit")
            # The service's unit is proposed.
            expect(officer.get_by_label("Unit tujuan")).to_have_value(str(unit.pk))
            officer.get_by_label("Petugas penanganan").select_option(label="Rudi Penangan")
            officer.get_by_role("button", name="Disposisikan ke unit").click()
            officer.wait_for_load_state()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/")
            expect(officer.locator(".facts .status")).to_have_text("Didisposisikan")
            expect(officer.locator("main > dl.facts")).to_contain_text("Rudi Penangan")
            expect(report).to_contain_text("Sekretariat")
            officer.screenshot(path=ARTIFACTS / "pengaduan-case-disposed.png", full_page=True)
            office.close()

            # --- (3) the handler sends the first follow-up and the answer -----------------------------------
            handler_office = _office(browser)
            desk = handler_office.new_page()
            log_in(desk, base, "adu2", PASSWORD)
            desk.goto(f"{base}/kasus/{reference}/")
            desk.wait_for_load_state()
            first = desk.locator("form.transition", has=desk.get_by_role("button", name="Kirim tindak lanjut pertama"))
            first.locator("textarea[name=note]").fill(FIRST_FOLLOW_UP)
            first.get_by_role("button", name="Kirim tindak lanjut pertama").click()
            desk.wait_for_load_state()
            expect(desk.locator(".facts .status")).to_have_text("Ditindaklanjuti")

            _send_answer(desk, expect, base, reference, ANSWER_1)
            expect(desk.locator("section.report")).to_contain_text(ANSWER_1)

            # --- (4) the citizen: a wrong PIN first, then the right one; reads the answer and disputes it --
            phone = scriptless_phone(browser)
            page = phone.new_page()
            _open_complaint(page, base, number, WRONG_PIN)
            expect(page).to_have_url(base + "/pengaduan/pantau/")
            refusal = page.locator(".errors[role=alert]")
            expect(refusal).to_have_text(re.compile(r"^\s*Nomor pengaduan atau PIN tidak cocok\."))
            wrong_pin_answer = refusal.inner_text()
            # An unknown number gets the very same answer.
            _open_complaint(page, base, f"ADU-{workdays.today().year}-000999", pin)
            expect(page.locator(".errors[role=alert]")).to_have_text(wrong_pin_answer)
            expect(page.locator("#id_pin")).to_have_value("")
            expect(page.locator("main")).not_to_contain_text(ANSWER_1)
            page.goto(base + "/pengaduan/pantau/laporan/")
            page.wait_for_load_state()
            expect(page).to_have_url(base + "/pengaduan/pantau/")

            _open_complaint(page, base, number, pin)
            expect(page).to_have_url(base + "/pengaduan/pantau/laporan/")
            expect(page.locator("h1 small")).to_have_text(reference)
            expect(page.locator("#tahap")).to_contain_text("Sudah dijawab: mohon konfirmasi")
            expect(page.locator("ol.steps li.current")).to_have_text("Dijawab")
            expect(page.locator("#jawaban blockquote.message")).to_have_text(ANSWER_1)
            expect(page.locator("#jawaban")).to_contain_text(f"oleh {SIGNATORY}")
            expect(page.locator("main")).not_to_contain_text("adu2")
            expect(page.locator("main")).not_to_contain_text("Rudi")
            page.screenshot(path=ARTIFACTS / "pengaduan-answer-phone.png", full_page=True)

            # The dispute's box and the "add information" box are two fields, each under its own label.
            dispute_box = page.get_by_label("Mengapa jawaban ini belum menyelesaikan masalah Anda?")
            expect(page.locator("#sanggah").locator("textarea")).to_have_count(1)
            expect(page.locator("#pesan").get_by_label("Keterangan tambahan untuk petugas")).to_have_count(1)
            dispute_box.fill(DISPUTE)
            _submit(page, "Kirim sanggahan")
            expect(page).to_have_url(base + "/pengaduan/pantau/laporan/")
            expect(page.locator(".messages .success")).to_contain_text("Sanggahan Anda terkirim")
            expect(page.locator("#tahap")).to_contain_text("Sedang ditindaklanjuti")
            expect(page.locator("#sanggah")).to_have_count(0)
            phone.close()

            # --- (5) the handler sees the dispute and answers again -----------------------------------------
            desk.reload()
            desk.wait_for_load_state()
            expect(desk.locator(".facts .status")).to_have_text("Ditindaklanjuti")
            disputed = desk.locator("ol.timeline li", has_text=DISPUTE)
            expect(disputed.locator(".who")).to_have_text("Pengadu")
            expect(desk.locator("section.report")).to_contain_text("Sanggahan")
            _send_answer(desk, expect, base, reference, ANSWER_2)

            # --- (6) the citizen confirms the second answer and rates the handling --------------------------
            phone = scriptless_phone(browser)
            page = phone.new_page()
            _open_complaint(page, base, number, pin)
            expect(page.locator("#jawaban blockquote.message")).to_have_text(ANSWER_2)
            page.check("input[name=accepted]")
            _submit(page, "Jawaban diterima, pengaduan selesai")
            expect(page.locator(".messages .success")).to_contain_text("Pengaduan Anda dinyatakan selesai")
            expect(page.locator("#tahap")).to_contain_text("Selesai")
            expect(page.locator("ol.steps li.current")).to_have_text("Selesai")
            expect(page.locator("#pesan")).to_have_count(0)

            page.get_by_label("4 — puas").check()
            page.get_by_label("Komentar (tidak wajib)").fill(RATING_COMMENT)
            _submit(page, "Kirim penilaian")
            expect(page.locator(".messages .success")).to_have_text("Terima kasih atas penilaian Anda.")
            expect(page.locator("#nilai")).to_have_text("Penilaian Anda: 4 dari 5. Terima kasih.")
            expect(page.get_by_role("button", name="Kirim penilaian")).to_have_count(0)

            # The complainant's timeline: plain stages, the office's first follow-up and both answers'
            # notes, their own dispute; never a staff name.
            timeline = page.locator("ol.timeline > li > strong")
            expect(timeline).to_have_text(
                [
                    "Diterima",
                    "Sedang diperiksa petugas",
                    "Diteruskan ke unit yang menangani",
                    "Sedang ditindaklanjuti",
                    "Sudah dijawab: mohon konfirmasi",
                    "Sedang ditindaklanjuti",
                    "Pesan Anda",
                    "Sudah dijawab: mohon konfirmasi",
                    "Selesai",
                    "Anda memberi penilaian",
                ]
            )
            expect(page.locator("ol.timeline")).to_contain_text(FIRST_FOLLOW_UP)
            expect(page.locator("ol.timeline blockquote.message")).to_have_text([DISPUTE])
            expect(page.locator("main")).not_to_contain_text("Rudi")
            expect(page.locator("main")).not_to_contain_text("Sari")
            page.screenshot(path=ARTIFACTS / "pengaduan-closed-rated-phone.png", full_page=True)
            phone.close()

            # --- (7) the office side: closed, the rating and the whole timeline ----------------------------
            desk.reload()
            desk.wait_for_load_state()
            expect(desk.locator(".facts .status")).to_have_text("Selesai")
            facts = desk.locator("section.report dl.facts")
            expect(facts).to_contain_text("Dikonfirmasi pengadu")
            expect(facts).to_contain_text(f"4/5 — {RATING_COMMENT}")
            expect(desk.locator("section.actions")).to_have_count(0)
            steps = desk.locator("ol.timeline > li > strong")
            expect(steps).to_contain_text(
                [
                    "Mulai verifikasi",
                    "Disposisikan ke unit",
                    "Kirim tindak lanjut pertama",
                    "Kirim jawaban",
                    "Pengadu menyanggah jawaban",
                    "Kirim jawaban",
                    "Pengadu menyatakan selesai",
                ]
            )
            desk.screenshot(path=ARTIFACTS / "pengaduan-case-closed.png", full_page=True)
            handler_office.close()
        finally:
            browser.close()

    # What the browsers did, as the database has it.
    complaint = Complaint.objects.get()  # the refused first attempt filed nothing
    assert complaint.reference == reference
    assert complaint.status == Status.CLOSED and complaint.closure == Closure.CONFIRMED
    assert (complaint.satisfaction, complaint.satisfaction_comment) == (4, RATING_COMMENT)
    assert complaint.identity_mode == IdentityMode.CONFIDENTIAL
    assert (complaint.complainant_name, complaint.complainant_contact) == (NAME, CONTACT)
    assert (complaint.description, complaint.location, complaint.category) == (DESCRIPTION, LOCATION, "02")
    assert complaint.service.name == SERVICE and complaint.service_date.isoformat() == service_date
    assert complaint.channel == "web" and not complaint.late_filing
    assert complaint.assignee_id == handler.pk and complaint.disposed_unit_id == unit.pk
    assert complaint.answer == ANSWER_2 and complaint.answer_signatory == SIGNATORY
    assert complaint.dispute_count == 1 and complaint.first_response_on is not None
    assert not complaint.attachments.exists()
    # The PIN is stored only as a hash.
    credential = TrackingCredential.objects.get()
    digits = pin.replace("-", "")
    assert credential.case_id == complaint.pk and digits not in credential.pin_hash
    transitions = list(
        CaseEvent.objects.filter(case_id=complaint.pk, action="transition")
        .order_by("seq")
        .values_list("to_status", "actor_id")
    )
    assert transitions == [
        ("verifying", verifier.pk),
        ("dispositioned", verifier.pk),
        ("in_progress", handler.pk),
        ("answered", handler.pk),
        ("in_progress", None),
        ("answered", handler.pk),
        ("closed", None),
    ]
    assert CaseEvent.objects.filter(case_id=complaint.pk, action="rated").count() == 1


def _send_answer(desk, expect, base: str, reference: str, answer: str) -> None:
    """The handler's "Kirim jawaban" form, on its own page."""
    desk.get_by_role("link", name="Kirim jawaban").click()
    desk.wait_for_load_state()
    expect(desk).to_have_url(f"{base}/kasus/{reference}/tindakan/send_answer/")
    desk.get_by_label("Jawaban kepada pengadu").fill(answer)
    desk.get_by_label("Penandatangan surat jawaban").fill(SIGNATORY)
    desk.get_by_role("button", name="Kirim jawaban").click()
    desk.wait_for_load_state()
    expect(desk).to_have_url(f"{base}/kasus/{reference}/")
    expect(desk.locator(".messages .success")).to_contain_text("Dijawab")
    expect(desk.locator(".facts .status")).to_have_text("Dijawab")
