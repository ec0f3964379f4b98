"""The gratifikasi form's scripts in a real (headless) Chromium, with what people actually type: a pasted
"Rp 2.500.000", a value cleared again, cash, a long chronology, and the Back button."""

import datetime as dt

import pytest

from cases import services, workdays
from gratifikasi.models import GratifikasiObject
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXEMPT = "Tampaknya dikecualikan"
PENDING = "Belum dapat memberi saran"


def test_the_live_panel_reads_typed_rupiah_and_never_says_exempt_on_missing_facts(live_server, chromium_path, pegawai):
    from playwright.sync_api import expect, sync_playwright

    assert pegawai.profile.unit is not None
    received = (workdays.today() - dt.timedelta(days=2)).isoformat()
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            log_in(page, base, pegawai.username, PASSWORD)
            page.goto(base + "/gratifikasi/baru/")
            advice = page.locator("#advice")
            # A new form: nothing to advise on, and the panel sits below the giver and the objects.
            expect(advice).to_contain_text(PENDING)
            order = page.evaluate(
                """() => {
                  const panel = document.getElementById("advice");
                  const after = (el) => !!(el.compareDocumentPosition(panel) & Node.DOCUMENT_POSITION_FOLLOWING);
                  return [after(document.getElementById("id_giver_relationship")),
                          after(document.getElementById("id_objek-0-value"))];
                }"""
            )
            assert order == [True, True]

            page.check("input[name=report_type][value=penerimaan]")
            page.fill("#id_date_received", received)
            page.select_option("#id_occasion", "antar_rekan")
            page.fill("#id_giver_name", "Sari")
            page.select_option("#id_objek-0-kind", "barang")
            page.fill("#id_objek-0-description", "Buku")
            page.fill("#id_objek-0-value", "Rp 300.000")
            # Values but no relationship to the giver yet: still no advice.
            expect(advice).to_contain_text(PENDING)
            page.select_option("#id_giver_relationship", "rekan_kerja")
            page.check("input[name=related_to_duties][value='0']")
            expect(advice).to_contain_text(EXEMPT)
            expect(advice).to_contain_text("huruf o")
            # Leaving the box shows the value grouped; clearing it takes the advice back to "cannot advise".
            page.locator("#id_objek-0-description").focus()
            expect(page.locator("#id_objek-0-value")).to_have_value("300.000")
            page.fill("#id_objek-0-value", "")
            expect(advice).to_contain_text(PENDING)
            expect(advice).not_to_contain_text(EXEMPT)
            page.fill("#id_objek-0-value", "0")
            expect(advice).to_contain_text(PENDING)
            page.fill("#id_objek-0-value", "2,5 juta")
            expect(advice).to_contain_text(PENDING)
            # The same gift from a vendor: reportable, and the panel says why.
            page.fill("#id_objek-0-value", "300.000")
            expect(advice).to_contain_text(EXEMPT)
            page.select_option("#id_giver_relationship", "rekanan")
            expect(advice).to_contain_text("konflik kepentingan")
            expect(advice).not_to_contain_text(EXEMPT)

            # Cash: "nilai perkiraan" and "tidak diketahui" are not offered.
            estimate = page.locator("#id_objek-0-value_is_estimate")
            expect(estimate).not_to_be_checked()
            expect(estimate).to_be_visible()
            page.select_option("#id_objek-0-kind", "uang")
            expect(estimate).to_be_hidden()
            expect(page.locator("#id_objek-0-value_unknown")).to_be_hidden()
            page.select_option("#id_objek-0-kind", "barang")
            expect(estimate).to_be_visible()
            # The reason box appears with "nilai tidak diketahui".
            reason = page.locator("#id_objek-0-value_unknown_reason")
            expect(reason).to_be_hidden()
            page.check("#id_objek-0-value_unknown")
            expect(reason).to_be_visible()
            expect(advice).to_contain_text(PENDING)  # an unknown value is not a value to judge by

            # The chronology counts its characters against the limit.
            page.fill("#id_summary", "a" * 120)
            counter = page.locator("#id_summary + .counter")
            expect(counter).to_have_text("120 / 5.000")
            page.screenshot(path=ARTIFACTS / "gratifikasi-values-desktop.png", full_page=True)

            # Back after following a link: what was typed is still there.
            page.uncheck("#id_objek-0-value_unknown")
            page.fill("#id_objek-0-value", "Rp 2.500.000")
            page.locator("#id_objek-0-description").focus()
            page.get_by_role("link", name="Gratifikasi saya").click()
            page.wait_for_load_state()
            page.go_back()
            page.wait_for_load_state()
            expect(page.locator("#id_objek-0-value")).to_have_value("2.500.000")
            expect(page.locator("#id_giver_name")).to_have_value("Sari")
            expect(page.locator("#id_summary")).to_have_value("a" * 120)
        finally:
            browser.close()


def test_long_unbroken_text_wraps_on_the_case_page(live_server, chromium_path, pegawai):
    from playwright.sync_api import sync_playwright

    report = services.create_case(
        kind="gratifikasi",
        actor=pegawai,
        unit=pegawai.profile.unit,
        reporter=pegawai,
        report_type="penerimaan",
        date_received=workdays.today(),
        place="x" * 200,
        giver_name="y" * 200,
        summary="z" * 5000,
    )
    GratifikasiObject.objects.create(report=report, kind="barang", description="w" * 300, value=1)
    base = live_server.url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            log_in(page, base, pegawai.username, PASSWORD)
            page.goto(f"{base}/kasus/{report.reference}/")
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"page scrolls sideways: {width}"
        finally:
            browser.close()


def test_switching_to_a_refusal_hides_compensation_and_kept_by_the_reporter(live_server, chromium_path, pegawai):
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(locale="id-ID").new_page()
            page.set_default_timeout(TIMEOUT_MS)
            log_in(page, base, pegawai.username, PASSWORD)
            page.goto(base + "/gratifikasi/baru/")
            compensation = page.locator("#id_kompensasi_0")
            page.check("input[name=report_type][value=penerimaan]")
            expect(compensation).to_be_visible()
            assert page.input_value("#id_objek-0-location") == "pelapor"

            page.check("input[name=report_type][value=penolakan]")
            expect(compensation).to_be_hidden()
            assert page.input_value("#id_objek-0-location") == "dikembalikan"
            assert page.locator("#id_objek-0-location option[value=pelapor]").is_disabled()

            page.check("input[name=report_type][value=penerimaan]")
            expect(compensation).to_be_visible()
            assert not page.locator("#id_objek-0-location option[value=pelapor]").is_disabled()
        finally:
            browser.close()
