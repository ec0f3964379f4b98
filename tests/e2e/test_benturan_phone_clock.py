"""On a phone (390 px) the deadline table of a benturan case becomes stacked cards: each label ("Dasar", the
long legal basis beside it) keeps its width instead of wrapping one letter per line. Debian's Chromium through
Playwright, like test_gratifikasi_flow.py; a screenshot goes to tests/e2e/artifacts/ for a human to look at."""

import pytest

from benturan import services
from tests.benturan.conftest import DECLARATION
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, log_in, phone_context

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_the_clock_labels_keep_their_width_on_a_phone(live_server, chromium_path, pegawai, atasan):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts: Django refuses ORM calls inside Playwright's event loop.
    declaration = services.declaration_save(actor=pegawai, fields=DECLARATION)
    declaration = services.declaration_submit(declaration, "submit", pegawai)
    url = f"{live_server.url}/kasus/{declaration.reference}/"
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = phone_context(browser)
            page = context.new_page()
            log_in(page, live_server.url, atasan.username, PASSWORD)
            page.goto(url)
            cells = page.locator("table.clocks td")
            expect(cells.first).to_be_visible()
            page.screenshot(path=ARTIFACTS / "benturan-clocks-phone.png", full_page=True)
            # Each label's box (the ::before of its cell) wider than 40 px: the bug wrapped "Dasar" one letter per
            # line, in a box as narrow as a letter (13 px).
            boxes = cells.evaluate_all(
                """cells => cells.map(cell => {
                    const style = getComputedStyle(cell, "::before");
                    return [cell.dataset.label, parseFloat(style.width), style.whiteSpace];
                })"""
            )
            assert "Dasar" in [label for label, *_box in boxes], boxes
            for label, width, white_space in boxes:
                assert width > 40 and white_space == "nowrap", (label, width, white_space)
            scroll = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll[0] <= scroll[1], scroll
        finally:
            browser.close()
