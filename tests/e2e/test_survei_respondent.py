"""The survey respondent's path in a real (headless) Chromium with JavaScript off, on a 360×740 phone (issue 13,
"Done when"): the poster's link opens the form; a first press of "Kirim" with one question left out comes back
with the question's number named and every choice kept; the answered form gives the thank-you page and exactly
one stored response.

The officer's part: the survey officer watches the count rise as a respondent answers, closes the survey and
publishes its results (below target, so she confirms), and the public reads them without signing in.

Uses Debian's Chromium through Playwright, like the other browser tests; screenshots go to tests/e2e/artifacts/.
"""

import re

import pytest
from django.core.cache import cache

from cases import policy
from survei.models import Answer, Response, Survey
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, phone_context
from tests.survei.test_respond import LIKERT, make_open_survey

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

SERVICE = "Pembuatan KTP-el"
COMMENT = "Antrean tertib, petugas ramah."


def open_survey_for_browser(unit, creator) -> Survey:
    """An OPEN survey of `unit` with two services (tests.survei.test_respond.make_open_survey: its own 3-item
    instrument on 1–4, so it works after transactional tests flushed the seeded instruments). Call it before
    the browser starts: Django refuses ORM calls inside Playwright's event loop."""
    cache.clear()  # rate limits, one-time form tokens and the day's device salt live in the (locmem) cache
    return make_open_survey(unit, creator, services=(SERVICE, "Akta kelahiran"))


def scriptless_small_phone(browser):
    """A small Android phone (360×740), touch, Indonesian, JavaScript off."""
    return phone_context(browser, javascript=False, width=360, height=740)


def test_a_respondent_answers_on_a_small_phone_without_javascript(live_server, chromium_path, make_user, unit):
    from playwright.sync_api import expect, sync_playwright

    survey = open_survey_for_browser(unit, make_user("surveyor"))
    questions = [item.text for item in survey.instrument_version.items()]
    link = f"{live_server.url}/survei/{survey.token}/"
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            phone = scriptless_small_phone(browser)
            page = phone.new_page()
            page.goto(link)
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text(survey.title)
            expect(page.locator(".survey-unit")).to_have_text(unit.name)
            # One column: nothing wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= 360

            page.get_by_role("group", name="Layanan yang Anda terima").get_by_label(SERVICE).check()
            # Every item but the last, by its group (fieldset/legend) as a screen reader names it.
            for number, text in enumerate(questions[:-1], start=1):
                page.get_by_role("group", name=re.compile(rf"^{number}\. {re.escape(text)}")).get_by_label(
                    LIKERT[3], exact=True
                ).check()
            page.get_by_label("Saran atau komentar (tidak wajib)").fill(COMMENT)
            page.get_by_role("group", name=re.compile("menekan atau mengarahkan")).get_by_label(
                "Tidak", exact=True
            ).check()
            page.get_by_role("button", name="Kirim jawaban").click()
            page.wait_for_load_state()

            # Refused: the last question is named by its number; every choice is still made.
            expect(page.locator("#errors[role=alert]")).to_contain_text(f"Pertanyaan nomor {len(questions)} belum")
            expect(page.get_by_role("group", name="Layanan yang Anda terima").get_by_label(SERVICE)).to_be_checked()
            for number, text in enumerate(questions[:-1], start=1):
                group = page.get_by_role("group", name=re.compile(rf"^{number}\. {re.escape(text)}"))
                expect(group.get_by_label(LIKERT[3], exact=True)).to_be_checked()
            expect(page.get_by_label("Saran atau komentar (tidak wajib)")).to_have_value(COMMENT)
            page.screenshot(path=ARTIFACTS / "survei-form-refused-phone.png", full_page=True)

            last = page.get_by_role("group", name=re.compile(rf"^{len(questions)}\. {re.escape(questions[-1])}"))
            last.get_by_label(LIKERT[2], exact=True).check()
            page.get_by_role("button", name="Kirim jawaban").click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{link}terima-kasih/")
            expect(page.locator("main")).to_contain_text("jawaban Anda sudah kami terima")
            page.screenshot(path=ARTIFACTS / "survei-thanks-phone.png", full_page=True)

            # Reloading the thank-you page stores nothing more (a resent form token: tests/survei/test_respond.py).
            page.reload()
            page.wait_for_load_state()
            expect(page.locator("main")).to_contain_text("jawaban Anda sudah kami terima")
            phone.close()
        finally:
            browser.close()

    stored = Response.objects.get()
    assert stored.survey_id == survey.pk and stored.service.name == SERVICE
    assert stored.comment == COMMENT and stored.pressured is False
    values = list(Answer.objects.filter(response=stored).order_by("item__variable__order", "item__order"))
    assert [answer.value for answer in values] == [4] * (len(questions) - 1) + [3]


def answer_everything(page, questions: list[str], value: int) -> None:
    page.get_by_role("group", name="Layanan yang Anda terima").get_by_label(SERVICE).check()
    for number, text in enumerate(questions, start=1):
        page.get_by_role("group", name=re.compile(rf"^{number}\. {re.escape(text)}")).get_by_label(
            LIKERT[value - 1], exact=True
        ).check()
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_load_state()


def test_the_officer_sees_the_count_rise_and_publishes_the_results(live_server, chromium_path, make_user, unit):
    from playwright.sync_api import expect, sync_playwright

    officer = make_user("surveyor", policy.PETUGAS_SURVEI)
    survey = open_survey_for_browser(unit, officer)
    questions = [item.text for item in survey.instrument_version.items()]
    link = f"{live_server.url}/survei/{survey.token}/"
    detail = f"{live_server.url}/kelola/survei/{survey.uuid}/"
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            desk = browser.new_context(locale="id-ID", java_script_enabled=False)
            desk.set_default_timeout(TIMEOUT_MS)
            office = desk.new_page()
            log_in(office, live_server.url, "surveyor", PASSWORD)
            office.goto(detail)
            coverage = office.locator("#coverage")
            expect(coverage).to_contain_text(re.compile(r"\b0 responden dihitung dari target 556"))

            # Two respondents on their phones (JavaScript off): the first all 4s, the second all 2s.
            for value in (4, 2):
                phone = scriptless_small_phone(browser)
                page = phone.new_page()
                page.goto(link)
                answer_everything(page, questions, value)
                expect(page).to_have_url(f"{link}terima-kasih/")
                phone.close()

            office.reload()
            expect(coverage).to_contain_text(re.compile(r"\b2 responden dihitung dari target 556"))
            office.get_by_role("button", name="Tutup survei").click()
            office.wait_for_load_state()
            expect(office.locator("h1")).to_contain_text(survey.title)
            # Below target: publishing without the confirmation is refused, with the reason.
            office.get_by_role("button", name="Umumkan hasil").click()
            office.wait_for_load_state()
            expect(office.locator("body")).to_contain_text("di bawah")
            office.get_by_label("Umumkan meskipun di bawah target").check()
            office.get_by_role("button", name="Umumkan hasil").click()
            office.wait_for_load_state()
            expect(office.locator("body")).to_contain_text("Hasil survei diumumkan")
            office.screenshot(path=ARTIFACTS / "survei-officer-published.png", full_page=True)
            desk.close()

            # The public reads the published result without an account: every answer 4 or 2, mean 3.00 on 1–4;
            # the rule is linear: (3 − 1)/3 × 4 = 2.67 on 0–4.
            reader = scriptless_small_phone(browser)
            public = reader.new_page()
            public.goto(f"{live_server.url}/survei/hasil/{survey.token}/")
            expect(public.locator("main")).to_contain_text("2,67")
            expect(public.locator("main")).to_contain_text("2")
            public.screenshot(path=ARTIFACTS / "survei-public-result-phone.png", full_page=True)
            reader.close()
        finally:
            browser.close()

    survey.refresh_from_db()
    assert survey.status == "diumumkan" and survey.published_result["result"]["value"] == "2.67"
    assert Response.objects.filter(survey=survey).count() == 2
