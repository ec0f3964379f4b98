"""The strict headers in a real (headless) Chromium: the Content-Security-Policy blocks nothing SIGAP itself
uses, and the language switch of the public intake pages works and stays under their privacy prefix (a form
post there must also pass Django's CSRF origin check, which `Referrer-Policy: no-referrer` would break)."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import CHROMIUM_ARGS, TIMEOUT_MS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_public_language_switch_and_staff_pages_under_the_strict_headers(live_server, chromium_path, make_user):
    from playwright.sync_api import expect, sync_playwright

    from cases import policy
    from cases.models import RolePolicy

    RolePolicy.objects.update(require_two_factor=False)
    upg = make_user("upg_e2e", policy.PETUGAS_UPG, policy.PEGAWAI)
    base = live_server.url

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(locale="id-ID")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            violations, posted = [], []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)

            page.goto(base + "/wbs/lapor/")
            page.click("form.lang button[value=en]")
            page.wait_for_load_state()
            assert page.url == base + "/wbs/lapor/"
            expect(page.locator("html")).to_have_attribute("lang", "en")
            assert posted == [base + "/wbs/lapor/bahasa/"]

            log_in(page, base, upg.username, PASSWORD)
            for path in ("/kasus/", "/gratifikasi/baru/", "/akun/2fa/"):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
            assert not violations, violations
        finally:
            browser.close()
