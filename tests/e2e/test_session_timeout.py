"""The idle session in a real (headless) Chromium: the warning banner and its "Tetap masuk" button, and a
note typed before the session ended that comes back in its form after signing in again."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "Pemberi menelepon lagi pada 3 Desember; catatan ini tidak boleh hilang."
IDLE_SECONDS = 6  # the banner shows a third of it ahead, 2 s before the end


def test_the_session_warns_and_a_form_posted_after_it_ended_comes_back(
    live_server, chromium_path, handler, make_widget, settings
):
    from playwright.sync_api import expect, sync_playwright

    reference = make_widget(status="submitted").reference
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            log_in(page, base, handler.username, PASSWORD)
            page.goto(f"{base}/kasus/{reference}/")
            banner = page.locator("#sigap-session-warning")
            expect(banner).to_be_hidden()
            # The warning comes before the end; "Tetap masuk" renews the session and hides it.
            expect(banner).to_be_visible(timeout=(IDLE_SECONDS + 2) * 1000)
            expect(banner.locator("[data-remaining]")).to_contain_text("menit")
            page.screenshot(path=ARTIFACTS / "session-warning.png")
            with page.expect_response(lambda r: r.url.endswith("/akun/sesi/") and r.status == 204):
                banner.get_by_role("button", name="Tetap masuk").click()
            expect(banner).to_be_hidden()

            # Typing, then leaving the page idle until the session has ended.
            page.fill("#comment_text", NOTE)
            expect(banner.locator("[data-state=ended]")).to_be_visible(timeout=(IDLE_SECONDS + 3) * 1000)
            page.get_by_role("button", name="Simpan catatan internal").click()
            page.wait_for_load_state()
            assert page.url.startswith(base + "/akun/masuk/")
            expect(page.locator(".notice")).to_contain_text("Sesi Anda berakhir karena tidak aktif")

            page.fill("#id_username", handler.username)
            page.fill("#id_password", PASSWORD)
            page.click("form.narrow button[type=submit]")
            page.wait_for_load_state()
            assert page.url.startswith(f"{base}/kasus/{reference}/?pulihkan=")
            expect(page.locator("#sigap-restore-notice")).to_be_visible()
            expect(page.locator("#comment_text")).to_have_value(NOTE)
            # The message form has a field of the same name: only the form the note came from is filled.
            expect(page.locator("#id_text")).to_have_value("")
            page.screenshot(path=ARTIFACTS / "session-restored.png", full_page=True)
            context.close()

            # The 2FA key on a phone: groups of four wrap, nothing scrolls sideways.
            phone = phone_context(browser)
            page = phone.new_page()
            log_in(page, base, handler.username, PASSWORD)
            page.goto(base + "/akun/2fa/")
            groups = page.locator("code.otp-key span")
            assert groups.count() >= 8
            tops = {round(box["y"]) for box in (groups.nth(i).bounding_box() for i in range(groups.count()))}
            assert len(tops) > 1, "the key should wrap onto several lines on a phone"
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"page scrolls sideways on a phone: {width}"
            page.screenshot(path=ARTIFACTS / "otp-setup-phone.png", full_page=True)
            phone.close()
        finally:
            browser.close()


def test_on_a_phone_the_session_banner_never_covers_the_last_button(
    live_server, chromium_path, handler, make_widget, settings
):
    from playwright.sync_api import expect, sync_playwright

    reference = make_widget(status="submitted").reference
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            phone = phone_context(browser)
            page = phone.new_page()
            log_in(page, live_server.url, handler.username, PASSWORD)
            page.goto(f"{live_server.url}/kasus/{reference}/")
            banner = page.locator("#sigap-session-warning")
            expect(banner.locator("[data-state=ended]")).to_be_visible(timeout=(IDLE_SECONDS + 3) * 1000)
            page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
            # Whatever is at the centre of the page's last button is that button, not the banner.
            covered = page.evaluate(
                """() => {
                    const buttons = [...document.querySelectorAll('main button[type=submit]')];
                    const last = buttons[buttons.length - 1];
                    const box = last.getBoundingClientRect();
                    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                    return !(hit === last || last.contains(hit));
                }"""
            )
            page.screenshot(path=ARTIFACTS / "session-ended-phone.png", full_page=False)
            assert not covered, "the session banner covers the page's last button on a phone"
            # And it can be put away.
            banner.get_by_role("button", name="Tutup").click()
            expect(banner).to_be_hidden()
            phone.close()
        finally:
            browser.close()
