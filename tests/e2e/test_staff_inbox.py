"""A handler signs in with a real (headless) Chromium and works from the inbox, on a desktop and a phone.

Uses Debian's Chromium through Playwright (``playwright install`` is never needed). Screenshots go to
tests/e2e/artifacts/ (gitignored) for a human to look at.
"""

import re

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, phone_context

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def _stylesheet_applied(page) -> bool:
    return page.evaluate(
        """() => [...document.styleSheets].some(
            s => s.href && s.href.endsWith('/static/sigap/sigap.css') && s.cssRules.length > 0)"""
    )


def test_handler_logs_in_and_works_from_the_inbox(live_server, chromium_path, handler, make_widget):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts: Playwright's sync API runs an event loop in this thread,
    # and Django refuses ORM calls from inside one.
    reference = make_widget(status="submitted").reference
    assert re.fullmatch(r"UJI-\d{4}-000001", reference)
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            # An Indonesian office browser; Indonesian is also the site's default language.
            desktop = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
            desktop.set_default_timeout(TIMEOUT_MS)
            page = desktop.new_page()

            # A wrong password: an error, still on the login page, not signed in.
            log_in(page, base, handler.username, "not-the-password")
            assert page.url == base + "/akun/masuk/"
            error = page.locator(".errors")
            expect(error).to_be_visible()
            assert error.inner_text().strip()
            assert _stylesheet_applied(page), "sigap.css was not served or not applied"
            page.screenshot(path=ARTIFACTS / "login-error-desktop.png", full_page=True)

            # The right password lands on the inbox, which lists the submitted case.
            log_in(page, base, handler.username, PASSWORD)
            expect(page).to_have_url(base + "/kasus/")
            expect(page.locator("h1")).to_have_text("Kotak kasus")
            row = page.locator("table.cases tbody tr", has_text=reference)
            expect(row).to_have_count(1)
            expect(row.locator("td").nth(2)).to_have_text("Diajukan")
            page.screenshot(path=ARTIFACTS / "inbox-desktop.png", full_page=True)

            # Its reference opens the case page, showing its status.
            row.get_by_role("link", name=reference).click()
            expect(page).to_have_url(f"{base}/kasus/{reference}/")
            expect(page.locator("h1")).to_contain_text(reference)
            expect(page.locator(".facts .status")).to_have_text("Diajukan")
            page.screenshot(path=ARTIFACTS / "case-desktop.png", full_page=True)
            desktop.close()

            # The same on a phone: the table becomes stacked cards and nothing scrolls sideways.
            phone = phone_context(browser)
            page = phone.new_page()
            log_in(page, base, handler.username, PASSWORD)
            expect(page).to_have_url(base + "/kasus/")
            expect(page.locator("h1")).to_have_text("Kotak kasus")
            expect(page.get_by_role("link", name=reference)).to_be_visible()
            assert page.locator("table.cases thead").is_hidden(), "the phone layout should hide the table header"
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"page scrolls sideways on a phone: {width}"
            page.screenshot(path=ARTIFACTS / "inbox-phone.png", full_page=True)
            phone.close()
        finally:
            browser.close()
