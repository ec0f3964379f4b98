"""Segregation of duties in a real (headless) Chromium: a UPG officer who reports a gift of their own is offered
no UPG action on it and a forged POST is refused; a colleague UPG officer verifies it.

Uses Debian's Chromium through Playwright, like the other browser tests (tests/e2e/conftest.py).
"""

import datetime as dt

import pytest
from django.utils import translation

from cases import policy, services, workdays
from cases.models import CaseEvent
from gratifikasi.models import GratifikasiObject, GratifikasiReport, Status
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

FORGE = """async ([url, token]) => {
    const body = new URLSearchParams({csrfmiddlewaretoken: token, name: "start_verification",
                                      expected_status: "submitted"});
    const response = await fetch(url, {method: "POST", body, credentials: "same-origin"});
    return [response.status, await response.text()];
}"""


def test_a_upg_officer_cannot_verify_their_own_gift_and_a_colleague_does(live_server, chromium_path, unit, upg,
                                                                          make_user):  # fmt: skip
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts and after it stops (Django refuses ORM calls inside
    # Playwright's event loop).
    colleague = make_user("upg_rekan", policy.PETUGAS_UPG, policy.PEGAWAI, first_name="Agus", last_name="Salim")
    report = services.create_case(
        kind="gratifikasi",
        actor=upg,
        unit=unit,
        reporter=upg,
        report_type="penerimaan",
        date_received=workdays.today() - dt.timedelta(days=2),
        giver_name="Hendro",
        giver_institution="PT Sinar Rekanan",
        summary="Parsel diantar ke meja setelah rapat.",
    )
    GratifikasiObject.objects.create(report=report, kind="makanan", description="Parsel buah", value=750_000)
    report = services.transition(report, "submit", upg)  # references may be given at submission
    reference = report.reference
    with translation.override("id"):
        submitted, verifying = str(Status.SUBMITTED.label), str(Status.VERIFYING.label)
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            # --- the reporting officer: no UPG action on their own report, and a forged POST is refused ----
            own = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            own.set_default_timeout(TIMEOUT_MS)
            page = own.new_page()
            log_in(page, base, upg.username, PASSWORD)
            page.goto(f"{base}/kasus/{reference}/")
            expect(page.locator(".facts .status")).to_have_text(submitted)
            expect(page.get_by_role("button", name="Mulai verifikasi")).to_have_count(0)
            expect(page.get_by_role("button", name="Tetapkan")).to_have_count(0)
            expect(page.locator(".notice")).to_contain_text("Anda pelapor kasus ini")
            page.screenshot(path=ARTIFACTS / "segregation-own-report.png", full_page=True)
            token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
            status, body = page.evaluate(FORGE, [f"{base}/kasus/{reference}/tindakan/", token])
            assert status == 403, status
            assert "pelapor kasus ini" in body
            page.reload()
            expect(page.locator(".facts .status")).to_have_text(submitted)
            own.close()

            # --- a colleague UPG officer verifies it ----------------------------------------------------------
            office = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            office.set_default_timeout(TIMEOUT_MS)
            officer = office.new_page()
            log_in(officer, base, colleague.username, PASSWORD)
            officer.goto(f"{base}/kasus/{reference}/")
            expect(officer.locator(".assignee")).to_contain_text("belum ditetapkan")
            # Offered only eligible people: the colleague, never the reporter.
            expect(officer.locator(f'#id_assignee option[value="{colleague.pk}"]')).to_have_count(1)
            expect(officer.locator(f'#id_assignee option[value="{upg.pk}"]')).to_have_count(0)
            officer.get_by_role("button", name="Mulai verifikasi").click()
            officer.wait_for_load_state()
            expect(officer.locator(".facts .status")).to_have_text(verifying)
            officer.screenshot(path=ARTIFACTS / "segregation-colleague-verified.png", full_page=True)
            office.close()
        finally:
            browser.close()

    report = GratifikasiReport.objects.get(pk=report.pk)
    assert report.status == Status.VERIFYING
    step = CaseEvent.objects.filter(case_id=report.pk, action="transition").last()
    assert step.actor_id == colleague.pk and step.data["transition"] == "start_verification"
    assert not CaseEvent.objects.filter(case_id=report.pk, action="transition", actor=upg, to_status="verifying")
