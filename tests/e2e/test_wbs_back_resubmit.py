"""Back after a WBS report was sent, then "Kirim laporan" again, in a real (headless) Chromium without JavaScript
(issue 8): the reporter lands on the receipt notice and no second report is filed."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from cases import policy
from tests.e2e.conftest import CHROMIUM_ARGS, scriptless_phone
from tests.e2e.test_wbs_flow import DESCRIPTION, _fill_report, _submit
from wbs.models import WbsReport

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_back_then_send_again_files_one_report(live_server, chromium_path, make_user):
    from playwright.sync_api import expect, sync_playwright

    cache.clear()
    coordinator = make_user("wbs1", policy.PENGELOLA_WBS)
    coordinator.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    base = live_server.url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            page = scriptless_phone(browser).new_page()
            page.goto(base + "/wbs/lapor/")
            _fill_report(page)
            _submit(page, "Kirim laporan")
            expect(page).to_have_url(re.compile(re.escape(base) + r"/wbs/lapor/terima/[\w-]+/$"))
            expect(page.locator("#receipt")).to_have_count(1)

            page.go_back()
            page.wait_for_load_state()
            expect(page).to_have_url(base + "/wbs/lapor/")
            # Whatever the browser kept of the page, the reporter sends the same report again.
            if page.locator("#id_description").input_value() != DESCRIPTION:
                _fill_report(page)
            _submit(page, "Kirim laporan")
            expect(page.locator("h1")).to_have_text("Tanda terima sudah ditampilkan")
            expect(page.locator("#receipt")).to_have_count(0)
        finally:
            browser.close()
    assert WbsReport.objects.count() == 1
