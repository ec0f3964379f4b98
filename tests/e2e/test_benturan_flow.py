"""The benturan kepentingan main path in a real (headless) Chromium: an employee files the yearly statement and
declares a conflict from a phone; the supervisor decides a recusal inside the 7 HK clock and prints the
letter; the inspector reads the campaign's coverage and the decision.

Uses Debian's Chromium through Playwright (tests/e2e/conftest.py). Screenshots go to tests/e2e/artifacts/.
"""

import datetime as dt
import re

import pytest
from django.utils import translation

from benturan.models import Declaration, InterestStatement, Outcome, StatementCampaign, Status
from cases import policy, workdays
from cases.models import CaseEvent, DeadlineClock
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, phone_context

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

SUBJECT = "Evaluasi penawaran paket pengadaan laptop 2027"
INTEREST = "Adik ipar saya direktur PT Sinar Laptop, salah satu peserta lelang."
PARTY = "PT Sinar Laptop"
CONTROLS = "Pegawai keluar dari pokja; penawaran dinilai anggota lain."


def _desktop(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page scrolls sideways: {width}"


def test_statement_declaration_recusal_and_coverage(live_server, chromium_path, make_user, inspektur, unit):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts (Django refuses ORM calls inside Playwright's event loop).
    kepala = make_user("kepala", policy.ATASAN, policy.PEGAWAI, first_name="Hari", last_name="Prasetyo")
    atasan = make_user(
        "atasan", policy.ATASAN, policy.PEGAWAI, supervisor=kepala, first_name="Sri", last_name="Wahyuni"
    )
    pegawai = make_user("pegawai", policy.PEGAWAI, supervisor=atasan, first_name="Budi", last_name="Santoso")
    for number in range(3):
        make_user(f"staf{number}", policy.PEGAWAI, supervisor=atasan)
    today = workdays.today()
    campaign = StatementCampaign.objects.create(
        year=today.year,
        title="Pernyataan kepentingan pribadi",
        unit=unit.parent,
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=20),
        created_by=inspektur,
    )
    due = workdays.add_working_days(today, 7).strftime("%d-%m-%Y")
    reference = f"BKP-{today.year}-000001"
    with translation.override("id"):
        recusal = str(Outcome.RECUSAL.label)
        decided = str(Status.DECIDED.label)
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            # --- (1) the employee, on a phone: the yearly statement ---------------------------------------
            phone = phone_context(browser)
            page = phone.new_page()
            log_in(page, base, pegawai.username, PASSWORD)
            page.goto(base + "/benturan/")
            expect(page.locator("h1")).to_have_text("Benturan kepentingan")
            _no_sideways_scroll(page)
            page.get_by_role("link", name="isi pernyataan").first.click()
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text("Isi pernyataan kepentingan pribadi")
            page.get_by_label("Saya memiliki kepentingan pribadi berikut").check()
            page.select_option("#id_kepentingan-0-category", "keluarga")
            page.fill("#id_kepentingan-0-party", PARTY)
            page.fill("#id_kepentingan-0-description", "Adik ipar saya direktur perusahaan ini.")
            # A wrong password: refused, nothing saved, everything typed still there (the password is not).
            page.fill("#id_password", "bukan-sandi-saya")
            page.get_by_label("Saya menyatakan dengan sebenarnya").check()
            page.get_by_role("button", name="Sampaikan pernyataan").click()
            page.wait_for_load_state()
            expect(page.locator(".field.has-error", has=page.locator("#id_password"))).to_be_visible()
            expect(page.locator("#id_kepentingan-0-party")).to_have_value(PARTY)
            expect(page.get_by_label("Saya memiliki kepentingan pribadi berikut")).to_be_checked()
            page.fill("#id_password", PASSWORD)
            page.get_by_label("Saya menyatakan dengan sebenarnya").check()
            page.get_by_role("button", name="Sampaikan pernyataan").click()
            page.wait_for_load_state()
            expect(page.locator(".messages .success")).to_contain_text("Pernyataan Anda tersimpan")
            expect(page.locator("main")).to_contain_text(PARTY)
            _no_sideways_scroll(page)
            page.screenshot(path=ARTIFACTS / "benturan-statement-phone.png", full_page=True)

            # --- (2) the employee declares a conflict; a missing field first ------------------------------
            page.goto(base + "/benturan/")
            page.get_by_role("link", name="Nyatakan benturan kepentingan").click()
            page.wait_for_load_state()
            expect(page).to_have_url(base + "/benturan/deklarasi/baru/")
            page.fill("#id_subject", SUBJECT)
            page.select_option("#id_activity_kind", "pengadaan")
            page.select_option("#id_source", "keluarga")
            page.fill("#id_people_involved", PARTY)
            page.get_by_role("button", name="Ajukan kepada atasan").click()
            page.wait_for_load_state()
            expect(page.locator(".messages .error")).to_be_visible()
            expect(page.locator(".field.has-error", has=page.locator("#id_interest"))).to_be_visible()
            expect(page.locator("#id_subject")).to_have_value(SUBJECT)
            expect(page.locator("#id_people_involved")).to_have_value(PARTY)
            page.fill("#id_interest", INTEREST)
            page.get_by_role("button", name="Ajukan kepada atasan").click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{base}/kasus/{reference}/")
            expect(page.locator(".messages .success")).to_contain_text("Sri Wahyuni")
            expect(page.locator(".frozen")).to_contain_text("DIBEKUKAN")
            expect(page.locator(".facts .status")).to_have_text("Diajukan kepada atasan")
            _no_sideways_scroll(page)
            page.screenshot(path=ARTIFACTS / "benturan-declared-phone.png", full_page=True)
            phone.close()

            # --- (3) the supervisor decides a recusal inside the clock -----------------------------------
            office = _desktop(browser)
            desk = office.new_page()
            log_in(desk, base, atasan.username, PASSWORD)
            desk.goto(base + "/benturan/")
            waiting = desk.locator("table", has_text=reference)
            expect(waiting).to_contain_text(due)
            desk.get_by_role("link", name=reference).first.click()
            desk.wait_for_load_state()
            expect(desk.locator("section.report")).to_contain_text(INTEREST)
            expect(desk.locator(".frozen")).to_be_visible()
            # Nobody passes a declaration on by hand: no assignment form.
            expect(desk.locator(f"form[action='/kasus/{reference}/petugas/']")).to_have_count(0)
            desk.get_by_role("button", name="Mulai analisis").click()
            desk.wait_for_load_state()
            expect(desk.locator(".facts .status")).to_have_text("Dianalisis atasan")

            desk.get_by_role("link", name="Tetapkan keputusan").click()
            desk.wait_for_load_state()
            expect(desk).to_have_url(f"{base}/kasus/{reference}/tindakan/decide/")
            desk.get_by_label(recusal).check()
            desk.fill("#id_facts", "Benar: ipar pegawai direktur peserta lelang.")
            desk.fill("#id_impact", "Penilaian penawaran dapat tidak objektif.")
            desk.fill("#id_reasoning", "Pegawai tidak ikut menilai penawaran.")
            # A recusal without the controls: refused, what was typed kept.
            desk.get_by_role("button", name="Tetapkan keputusan").click()
            desk.wait_for_load_state()
            expect(desk.locator(".field.has-error", has=desk.locator("#id_controls"))).to_be_visible()
            expect(desk.locator("#id_reasoning")).to_have_value("Pegawai tidak ikut menilai penawaran.")
            desk.fill("#id_controls", CONTROLS)
            desk.get_by_role("button", name="Tetapkan keputusan").click()
            desk.wait_for_load_state()
            expect(desk).to_have_url(f"{base}/kasus/{reference}/")
            expect(desk.locator(".facts .status")).to_have_text(decided)
            expect(desk.locator(".outcome")).to_have_text(recusal)
            expect(desk.locator(".frozen")).to_have_count(0)
            expect(desk.locator("section.report")).to_contain_text("dalam 7 hari kerja")
            letter = desk.get_by_role("link", name="Unduh surat keputusan (PDF)")
            response = desk.request.get(base + letter.get_attribute("href"))
            assert response.status == 200 and response.body()[:4] == b"%PDF"
            desk.screenshot(path=ARTIFACTS / "benturan-decided-desktop.png", full_page=True)
            office.close()

            # --- (4) the inspector: coverage and the decision --------------------------------------------
            inspection = _desktop(browser)
            view = inspection.new_page()
            log_in(view, base, inspektur.username, PASSWORD)
            view.goto(f"{base}/kasus/{reference}/")
            expect(view.locator(".outcome")).to_have_text(recusal)
            expect(view.locator("section.actions")).to_have_count(0)  # reads, changes nothing
            view.goto(base + "/benturan/")
            view.get_by_role("link", name="Kampanye pernyataan kepentingan pribadi").click()
            view.wait_for_load_state()
            view.get_by_role("link", name=campaign.title).click()
            view.wait_for_load_state()
            # Seven people of the unit must file (kepala, atasan, pegawai, three staff, the inspector); pegawai
            # has, with an interest.
            sekr = view.locator("#coverage tbody tr", has_text=unit.code)
            expect(sekr.locator("td").nth(1)).to_have_text("7")
            expect(sekr.locator("td").nth(2)).to_have_text("1")
            expect(sekr.locator("td").nth(3)).to_have_text("6")
            expect(sekr.locator("td").nth(4)).to_have_text("1")
            # The list opens on who has not filed yet; filtered to those who declared an interest: pegawai.
            expect(view.locator("#people tbody tr")).to_have_count(6)
            expect(view.locator("#people")).not_to_contain_text("Budi Santoso")
            view.locator("select[name=status]").select_option("kepentingan")
            view.get_by_role("button", name="Saring").click()
            view.wait_for_load_state()
            expect(view.locator("#people tbody tr")).to_have_count(1)
            expect(view.locator("#people")).to_contain_text("Budi Santoso")
            view.screenshot(path=ARTIFACTS / "benturan-coverage-desktop.png", full_page=True)
            inspection.close()
        finally:
            browser.close()

    declaration = Declaration.objects.get(reference=reference)
    assert declaration.status == Status.DECIDED and declaration.outcome == Outcome.RECUSAL
    assert declaration.decided_by == atasan
    clock = DeadlineClock.objects.get(case=declaration, code="decision")
    assert clock.met_on == today and clock.met_on <= clock.due_date
    assert CaseEvent.objects.filter(case=declaration, action="exported").count() == 1
    assert InterestStatement.objects.filter(campaign=campaign, employee=pegawai).count() == 1
    assert re.fullmatch(r"BKP-\d{4}-\d{6}", reference)
