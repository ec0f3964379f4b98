"""The gratifikasi main path in a real (headless) Chromium: an employee reports a gift, the UPG verifies,
analyses and forwards it to KPK with the KPK form as PDF, and the employee sees the new status.

Uses Debian's Chromium through Playwright, like test_staff_inbox.py. Screenshots go to tests/e2e/artifacts/
(gitignored) for a human to look at.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases import workdays
from cases.models import CaseEvent
from gratifikasi.forms import ObjectForm
from gratifikasi.models import GratifikasiReport, Status, not_in_future
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, phone_context

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


PLACE = "Ruang rapat lantai 3, Kantor Pusat"
GIVER = "Bambang Sutrisno"
SUMMARY = "Diberikan setelah rapat evaluasi pengadaan oleh perwakilan rekanan."
DESCRIPTION = "Jam tangan merek Seiko"


def _fill_report(page, *, date_received: str, value: str) -> None:
    page.check("input[name=report_type][value=penerimaan]")
    page.fill("#id_date_received", date_received)
    page.select_option("#id_occasion", "kedinasan")
    page.fill("#id_place", PLACE)
    page.fill("#id_giver_name", GIVER)
    page.select_option("#id_giver_relationship", "rekanan")
    page.check("input[name=related_to_duties][value='1']")
    page.fill("#id_summary", SUMMARY)
    page.select_option("#id_objek-0-kind", "barang")
    page.fill("#id_objek-0-description", DESCRIPTION)
    page.fill("#id_objek-0-value", value)


def _expect_typed_values_kept(page, expect, *, date_received: str, value: str) -> None:
    expect(page.locator("input[name=report_type][value=penerimaan]")).to_be_checked()
    expect(page.locator("#id_date_received")).to_have_value(date_received)
    expect(page.locator("#id_occasion")).to_have_value("kedinasan")
    expect(page.locator("#id_place")).to_have_value(PLACE)
    expect(page.locator("#id_giver_name")).to_have_value(GIVER)
    expect(page.locator("#id_giver_relationship")).to_have_value("rekanan")
    expect(page.locator("#id_summary")).to_have_value(SUMMARY)
    expect(page.locator("#id_objek-0-kind")).to_have_value("barang")
    expect(page.locator("#id_objek-0-description")).to_have_value(DESCRIPTION)
    expect(page.locator("#id_objek-0-value")).to_have_value(value)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page scrolls sideways: {width}"


def test_employee_reports_and_upg_forwards_to_kpk(live_server, chromium_path, pegawai, upg):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts (and after it stops): Playwright's sync API runs an event
    # loop in this thread, and Django refuses ORM calls from inside one.
    assert pegawai.profile.unit is not None  # report_save needs the reporter's unit
    today = workdays.today()
    received = today - dt.timedelta(days=3)
    upg_due = workdays.add_working_days(received, 10).strftime("%d-%m-%Y")
    legal_due = workdays.add_working_days(received, 30).strftime("%d-%m-%Y")
    future = (today + dt.timedelta(days=5)).isoformat()
    reference = f"GRT-{today.year}-000001"
    # The texts the pages should show, taken from the app itself so that a rewording does not break the test.
    with translation.override("id"):
        label = {status: str(status.label) for status in Status}
        try:
            not_in_future(today + dt.timedelta(days=5))
        except ValidationError as exc:
            future_error = exc.messages[0]
        negative = ObjectForm({"kind": "barang", "description": "x", "value": "-5", "location": "pelapor"})
        negative_error = negative.errors["value"][0]
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            # --- (a) the employee reports ------------------------------------------------------------------
            employee = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            employee.set_default_timeout(TIMEOUT_MS)
            page = employee.new_page()
            log_in(page, base, pegawai.username, PASSWORD)
            expect(page).to_have_url(base + "/kasus/")

            page.goto(base + "/gratifikasi/baru/")
            expect(page.locator("h1")).to_have_text("Lapor gratifikasi")

            # A date in the future: a field error, nothing saved, everything typed still there.
            _fill_report(page, date_received=future, value="2.500.000")
            page.get_by_role("button", name="Ajukan ke UPG").click()
            page.wait_for_load_state()
            expect(page).to_have_url(base + "/gratifikasi/baru/")
            expect(page.locator(".messages .error")).to_be_visible()
            date_field = page.locator(".field.has-error", has=page.locator("#id_date_received"))
            expect(date_field.locator(".errorlist")).to_have_text(future_error)
            _expect_typed_values_kept(page, expect, date_received=future, value="2.500.000")
            page.screenshot(path=ARTIFACTS / "gratifikasi-form-error-desktop.png", full_page=True)

            # The right date: the advice panel follows as the employee types (fetched by the page's script).
            page.fill("#id_date_received", received.isoformat())
            advice = page.locator("#advice")
            expect(advice).to_contain_text(upg_due)

            # Save a draft: a message, the draft's own page, the values kept, and the advice from the server.
            # A draft has a provisional reference; the register number comes at submission (no gaps).
            page.get_by_role("button", name="Simpan draf").click()
            page.wait_for_load_state()
            expect(page).to_have_url(re.compile(rf"{re.escape(base)}/gratifikasi/DRAF-[0-9A-F]{{12}}/ubah/$"))
            draft = page.url.rstrip("/").split("/")[-2]
            expect(page.locator(".messages .success")).to_contain_text(draft)
            expect(page.locator(".messages .success")).to_contain_text(re.compile("draf", re.IGNORECASE))
            expect(page.locator("h1")).to_contain_text(draft)
            expect(page.locator("h1")).to_contain_text(label[Status.DRAFT])
            _expect_typed_values_kept(page, expect, date_received=received.isoformat(), value="2.500.000")
            # Two deadlines: 10 working days to the UPG, 30 to KPK (Pasal 12C), counted from the date received.
            deadlines = advice.locator(".advice-deadlines li")
            expect(deadlines).to_have_count(2)
            expect(deadlines.nth(0)).to_contain_text(upg_due)
            expect(deadlines.nth(0)).to_contain_text("10 hari kerja")
            expect(deadlines.nth(1)).to_contain_text(legal_due)
            expect(deadlines.nth(1)).to_contain_text("30 hari kerja")
            # A gift tied to the job, Rp2.500.000: no exemption applies.
            expect(advice.locator(".advice")).not_to_have_class(re.compile(r"\bexempt\b"))
            expect(advice.locator(".advice")).to_contain_text("wajib dilaporkan")
            page.screenshot(path=ARTIFACTS / "gratifikasi-draft-desktop.png", full_page=True)

            # A negative value: a field error on the object, still a draft, the typed text kept.
            page.fill("#id_objek-0-value", "-5")
            page.get_by_role("button", name="Ajukan ke UPG").click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{base}/gratifikasi/{draft}/ubah/")
            value_field = page.locator(".field.has-error", has=page.locator("#id_objek-0-value"))
            expect(value_field.locator(".errorlist")).to_have_text(negative_error)
            _expect_typed_values_kept(page, expect, date_received=received.isoformat(), value="-5")
            expect(page.locator("h1")).to_contain_text(label[Status.DRAFT])

            # Fixed, and sent to the UPG: the case page, "Diajukan ke UPG".
            page.fill("#id_objek-0-value", "2.500.000")
            page.get_by_role("button", name="Ajukan ke UPG").click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{base}/kasus/{reference}/")
            expect(page.locator(".messages .success")).to_contain_text(reference)
            expect(page.locator(".facts .status")).to_have_text(label[Status.SUBMITTED])
            expect(page.locator("section.report")).to_contain_text(GIVER)
            expect(page.locator("table.objects")).to_contain_text(DESCRIPTION)
            expect(page.locator("table.objects")).to_contain_text("Rp2.500.000")
            # The employee is not offered the UPG's PDF, but their own proof of reporting, and speaks to the UPG.
            expect(page.get_by_role("link", name="Unduh formulir PDF untuk KPK")).to_have_count(0)
            expect(page.get_by_role("link", name="Unduh bukti pelaporan (PDF)")).to_have_count(1)
            expect(page.get_by_label("Pesan kepada UPG")).to_have_count(1)
            page.screenshot(path=ARTIFACTS / "gratifikasi-submitted-employee.png", full_page=True)

            # --- (b) the UPG verifies, analyses and forwards to KPK -----------------------------------------
            office = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, accept_downloads=True)
            office.set_default_timeout(TIMEOUT_MS)
            officer = office.new_page()
            log_in(officer, base, upg.username, PASSWORD)
            expect(officer).to_have_url(base + "/kasus/")
            row = officer.locator("table.cases tbody tr", has_text=reference)
            expect(row).to_have_count(1)
            expect(row.locator("td").nth(1)).to_have_text("Gratifikasi")
            expect(row.locator("td").nth(2)).to_have_text(label[Status.SUBMITTED])
            row.get_by_role("link", name=reference).click()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/")
            expect(officer.locator(".facts .status")).to_have_text(label[Status.SUBMITTED])

            officer.get_by_role("button", name="Mulai verifikasi").click()
            officer.wait_for_load_state()
            expect(officer.locator(".facts .status")).to_have_text(label[Status.VERIFYING])
            officer.get_by_role("button", name="Mulai analisis").click()
            officer.wait_for_load_state()
            expect(officer.locator(".facts .status")).to_have_text(label[Status.ANALYSING])

            officer.get_by_role("link", name="Teruskan ke KPK").click()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/tindakan/forward_to_kpk/")
            expect(officer.locator("h1")).to_have_text("Teruskan ke KPK")
            officer.fill("#id_kpk_forwarded_on", today.isoformat())
            officer.select_option("#id_kpk_channel", label="GOL — akun UPG instansi")
            officer.fill("#id_kpk_reference", "GOL-2026-123456")
            officer.screenshot(path=ARTIFACTS / "gratifikasi-forward-form.png", full_page=True)
            officer.locator("form.stacked button[type=submit]").click()
            officer.wait_for_load_state()
            expect(officer).to_have_url(f"{base}/kasus/{reference}/")
            expect(officer.locator(".facts .status")).to_have_text(label[Status.FORWARDED_TO_KPK])
            expect(officer.locator("section.report")).to_contain_text("GOL-2026-123456")
            expect(officer.locator("section.report")).to_contain_text("GOL — akun UPG instansi")
            officer.screenshot(path=ARTIFACTS / "gratifikasi-forwarded-upg.png", full_page=True)

            with officer.expect_download() as download_info:
                officer.get_by_role("link", name="Unduh formulir PDF untuk KPK").click()
            download = download_info.value
            assert download.suggested_filename == f"{reference}.pdf"
            pdf = Path(download.path()).read_bytes()
            assert pdf.startswith(b"%PDF"), pdf[:20]
            assert len(pdf) > 1000
            download.save_as(ARTIFACTS / f"{reference}.pdf")
            office.close()

            # --- (c) the employee sees the new status -------------------------------------------------------
            page.reload()
            expect(page.locator(".facts .status")).to_have_text(label[Status.FORWARDED_TO_KPK])
            page.goto(base + "/gratifikasi/")
            mine = page.locator("table.cases tbody tr", has_text=reference)
            expect(mine).to_have_count(1)
            expect(mine.locator("td").nth(4)).to_have_text(label[Status.FORWARDED_TO_KPK])
            expect(mine.locator("td").nth(3)).to_have_text("Rp2.500.000")
            page.screenshot(path=ARTIFACTS / "gratifikasi-list-employee.png", full_page=True)
            employee.close()

            # --- the report form on a phone -----------------------------------------------------------------
            phone = phone_context(browser)
            page = phone.new_page()
            log_in(page, base, pegawai.username, PASSWORD)
            page.goto(base + "/gratifikasi/baru/")
            expect(page.locator("h1")).to_have_text("Lapor gratifikasi")
            expect(page.get_by_role("button", name="Ajukan ke UPG")).to_be_visible()
            _no_sideways_scroll(page)
            page.screenshot(path=ARTIFACTS / "gratifikasi-form-phone.png", full_page=True)
            phone.close()
        finally:
            browser.close()

    # What the browser did, as the database has it.
    report = GratifikasiReport.objects.get(reference=reference)
    assert report.status == "forwarded_to_kpk"
    assert report.reporter_id == pegawai.pk
    assert report.date_received == received
    assert (report.giver_name, report.place, report.summary) == (GIVER, PLACE, SUMMARY)
    assert list(report.objects_received.values_list("kind", "description", "value")) == [
        ("barang", DESCRIPTION, 2_500_000)
    ]
    assert (report.kpk_forwarded_on, report.kpk_channel, report.kpk_reference) == (
        today,
        "gol_institusi",
        "GOL-2026-123456",
    )
    assert report.received_by_upg_on == today
    assert GratifikasiReport.objects.count() == 1  # the refused first attempt saved nothing
    transitions = list(
        CaseEvent.objects.filter(case_id=report.pk, action="transition").values_list("to_status", flat=True)
    )
    assert transitions == ["submitted", "verifying", "analysing", "forwarded_to_kpk"]
    exports = CaseEvent.objects.filter(case_id=report.pk, action="exported")
    assert [(e.actor_id, e.data) for e in exports] == [(upg.pk, {"format": "pdf"})]
    assert re.fullmatch(r"GRT-\d{4}-000001", reference)
