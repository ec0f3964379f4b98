"""The respondent's form (issue 13 "Respondents"): no account, one response per visit, every bad input refused
in Indonesian with every choice kept, nothing kept that could identify the respondent."""

import datetime as dt
import logging

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from survei import intake
from survei.models import (
    Answer,
    Instrument,
    InstrumentKind,
    InstrumentVersion,
    Item,
    Response,
    RuleMethod,
    ScoringRule,
    Survey,
    SurveyService,
    Variable,
)

ADDRESS = "203.0.113.77"
AGENT = "SigapTestPhone/9.9 (Respondent)"
LIKERT = ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]


# ---------------------------------------------------------------------------------------------------------
# The helper (also used by tests/e2e/test_survei_respondent.py)


def make_open_survey(unit, creator, *, title="Survei Persepsi Layanan 2026", services=("Pembuatan KTP-el",)) -> Survey:
    """An OPEN survey of `unit` with its own small instrument (two variables, three items on 1–4) and the given
    services. It builds its own instrument rather than using the seeded ones, so it also works in transactional
    (browser) tests, which flush the seed rows."""
    rule, _ = ScoringRule.objects.get_or_create(
        code="uji-linear", version=1, defaults={"name": "Uji linear", "method": RuleMethod.LINEAR, "params": {}}
    )
    instrument = Instrument.objects.create(
        code=f"uji-{Instrument.objects.count() + 1}", kind=InstrumentKind.IPKP, name="Instrumen uji", default_rule=rule
    )
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=1,
        scale=4,
        instructions="Pilih jawaban yang paling sesuai dengan pengalaman Anda.",
    )
    options = [{"label": label, "value": value} for value, label in enumerate(LIKERT, start=1)]
    texts = {
        ("P", "Prosedur"): ["Prosedur pelayanan mudah dipahami.", "Persyaratan diumumkan dengan jelas."],
        ("B", "Biaya"): ["Tidak ada biaya di luar ketentuan."],
    }
    for order, ((code, name), questions) in enumerate(texts.items()):
        variable = Variable.objects.create(version=version, code=code, name=name, order=order)
        for number, text in enumerate(questions, start=1):
            Item.objects.create(variable=variable, code=f"{code}{number}", text=text, options=options, order=number)
    today = timezone.localdate()
    survey = Survey.objects.create(
        unit=unit,
        title=title,
        instrument_version=version,
        rule=rule,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        created_by=creator,
    )
    for order, name in enumerate(services):
        SurveyService.objects.create(survey=survey, name=name, population=1000, order=order)
    survey.open()
    survey.save()
    return survey


# ---------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # rate counts, one-time tokens and the day's salt live there
    yield
    cache.clear()


@pytest.fixture
def survey(unit, make_user):
    return make_open_survey(unit, make_user("surveyor"), services=("Pembuatan KTP-el", "Akta kelahiran"))


@pytest.fixture
def respondent():
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)


def url(survey) -> str:
    return reverse("survei_publik:respond", kwargs={"token": survey.token})


def items(survey) -> list[Item]:
    return list(survey.instrument_version.items())


def filled(survey, **changes) -> dict:
    """A valid response: the first service, every item answered 1, 2, 3 … by its position."""
    data = {
        "submission": "sekali-kirim",
        "service": str(survey.services.order_by("order").first().pk),
        "served_month": "",
        "age_band": "30-39",
        "sex": "P",
        "education": "",
        "occupation": "wirausaha",
        "comment": "",
        "pressured": "tidak",
        "homepage": "",
    }
    for position, item in enumerate(items(survey)):
        data[f"item_{item.pk}"] = str(position % 4 + 1)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _is_checked(page: str, name: str, value: str) -> bool:
    """The radio `name`=`value` is rendered checked."""
    start = page.find(f'name="{name}" value="{value}"')
    assert start != -1, (name, value)
    tag = page[page.rfind("<input", 0, start) : page.find(">", start)]
    return "checked" in tag


# ---------------------------------------------------------------------------------------------------------
# The form


def test_it_shows_the_unit_the_title_the_items_numbered_and_the_instructions(respondent, survey):
    response = respondent.get(url(survey))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sekretariat" in page and survey.title in page
    assert "Pilih jawaban yang paling sesuai" in page
    # Items as radio groups under a fieldset/legend, numbered across variables.
    assert page.count('<fieldset class="choices item') == 3
    assert '<span class="number">3.</span> Tidak ada biaya di luar ketentuan.' in page
    assert page.index("Prosedur pelayanan mudah") < page.index("Persyaratan diumumkan") < page.index("Tidak ada biaya")
    for label in LIKERT:
        assert label in page
    assert "Apakah ada pihak yang menekan atau mengarahkan Anda untuk mengisi survei ini?" in page
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_it_stores_exactly_one_response_with_the_answers_given(respondent, survey):
    service = survey.services.get(name="Akta kelahiran")
    month = timezone.localdate().replace(day=1)
    data = filled(
        survey,
        service=str(service.pk),
        served_month=month.strftime("%Y-%m"),
        comment="  Loket cepat, terima kasih.  ",
        pressured="ya",
    )
    response = respondent.post(url(survey), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("survei_publik:thanks", kwargs={"token": survey.token})
    stored = Response.objects.get()
    assert stored.survey == survey and stored.service == service
    assert stored.received_on == timezone.localdate()
    assert stored.served_month == month
    assert (stored.age_band, stored.sex, stored.education, stored.occupation) == ("30-39", "P", "", "wirausaha")
    assert stored.comment == "Loket cepat, terima kasih."
    assert stored.pressured is True
    assert len(stored.device_tag) == 6 and int(stored.device_tag, 16) >= 0
    expected = {item.pk: position % 4 + 1 for position, item in enumerate(items(survey))}
    assert dict(Answer.objects.filter(response=stored).values_list("item_id", "value")) == expected
    thanks = respondent.get(response["Location"])
    assert "jawaban Anda sudah kami terima" in thanks.content.decode()


@pytest.mark.parametrize(("choice", "stored"), [("tidak", False), ("tidak-menjawab", None), (None, None)])
def test_the_integrity_question_may_be_declined_or_left_out(respondent, survey, choice, stored):
    assert respondent.post(url(survey), filled(survey, pressured=choice)).status_code == 302
    assert Response.objects.get().pressured is stored


def test_the_comment_is_stored_encrypted(respondent, survey):
    from django.db import connection

    respondent.post(url(survey), filled(survey, comment="Rahasia loket tiga"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM survei_response")
        (raw,) = cursor.fetchone()
    assert "Rahasia loket tiga" not in str(raw)
    assert Response.objects.get().comment == "Rahasia loket tiga"


def refused(respondent, survey, data) -> str:
    response = respondent.post(url(survey), data)
    assert response.status_code == 200, response.status_code
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    page = response.content.decode()
    assert "Jawaban belum terkirim" in page
    return page


def assert_choices_kept(page: str, survey, data: dict, *, skip: str = "") -> None:
    for item in items(survey):
        name = f"item_{item.pk}"
        if name != skip and name in data:
            assert _is_checked(page, name, data[name]), name
    if skip != "service":
        assert _is_checked(page, "service", data["service"])
    assert _is_checked(page, "pressured", data["pressured"])
    assert '<option value="30-39" selected>' in page
    assert '<option value="wirausaha" selected>' in page


def test_a_missing_item_names_its_number_and_keeps_every_other_choice(respondent, survey):
    second = items(survey)[1]
    data = filled(survey)
    del data[f"item_{second.pk}"]
    page = refused(respondent, survey, data)
    assert "Pertanyaan nomor 2 belum dijawab." in page
    assert f'href="#f-item_{second.pk}"' in page
    assert_choices_kept(page, survey, data)


def test_a_value_not_among_the_options_is_refused(respondent, survey):
    first = items(survey)[0]
    data = filled(survey, **{f"item_{first.pk}": "5"})
    page = refused(respondent, survey, data)
    assert "Jawaban pertanyaan nomor 1 tidak ada di pilihannya." in page
    assert_choices_kept(page, survey, data, skip=f"item_{first.pk}")


def test_a_service_of_another_survey_is_refused(respondent, survey, unit, make_user):
    other = make_open_survey(unit, make_user("surveyor2"), title="Survei lain", services=("Izin usaha",))
    data = filled(survey, service=str(other.services.get().pk))
    page = refused(respondent, survey, data)
    assert "Layanan yang dipilih tidak ada pada survei ini." in page
    assert_choices_kept(page, survey, data, skip="service")
    assert "Izin usaha" not in page


def test_a_month_in_the_future_is_refused(respondent, survey):
    today = timezone.localdate()
    next_month = (today.replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    data = filled(survey, served_month=next_month)
    page = refused(respondent, survey, data)
    assert "Bulan menerima layanan tidak boleh setelah bulan ini." in page
    assert f'value="{next_month}"' in page
    assert_choices_kept(page, survey, data)


@pytest.mark.parametrize("month", ["2026-13", "kemarin", "26-11"])
def test_a_month_that_is_not_a_month_is_refused(respondent, survey, month):
    page = refused(respondent, survey, filled(survey, served_month=month))
    assert "Tulis bulan sebagai tahun-bulan" in page


def test_a_month_long_before_the_survey_is_refused(respondent, survey):
    year = survey.period_start.year - 2
    page = refused(respondent, survey, filled(survey, served_month=f"{year}-12"))
    assert f"Survei ini menanyakan layanan sejak {year + 1}." in page
    # …while the year before the survey's year is accepted.
    assert respondent.post(url(survey), filled(survey, served_month=f"{year + 1}-01")).status_code == 302


def test_an_oversized_comment_is_refused_and_kept(respondent, survey):
    text = "kata " * 400 + "akhir"  # 2005 characters
    data = filled(survey, comment=text)
    page = refused(respondent, survey, data)
    assert "Saran atau komentar paling panjang 2000 karakter; yang Anda tulis 2005 karakter." in page
    assert text in page
    assert_choices_kept(page, survey, data)


def test_a_filled_honeypot_is_refused_politely_and_comes_back_empty(respondent, survey):
    data = filled(survey, homepage="http://spam.example")
    page = refused(respondent, survey, data)
    assert "kolom tersembunyi terisi" in page
    assert "spam.example" not in page
    assert_choices_kept(page, survey, data)


def test_a_refused_form_gets_a_fresh_token(respondent, survey):
    data = filled(survey, homepage="x")
    page = refused(respondent, survey, data)
    assert 'value="sekali-kirim"' not in page


# ---------------------------------------------------------------------------------------------------------
# One response per visit


def test_the_same_form_sent_twice_stores_one_response(respondent, survey):
    first = respondent.post(url(survey), filled(survey))
    second = respondent.post(url(survey), filled(survey))  # double click, or Back and "Kirim" again
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 3


def test_a_new_form_token_is_a_new_response(respondent, survey):
    respondent.post(url(survey), filled(survey))
    # The next visitor at the counter's phone, with their own answers.
    respondent.post(url(survey), filled(survey, submission="berikutnya", sex="L"))
    assert Response.objects.count() == 2


def test_back_after_thanks_and_send_again_stores_nothing_more_without_asking(respondent, survey):
    """Back from the thank-you page fetches the form again (never cached): a new token, every choice restored by
    the browser. The same answers from the same client within the hour are neither stored nor dropped silently:
    the form comes back asking, and a second press says it is another respondent (a counter's shared phone)."""
    respondent.post(url(survey), filled(survey))
    again = respondent.post(url(survey), filled(survey, submission="setelah-kembali"))
    page = again.content.decode()
    assert again.status_code == 200 and "persis sama baru saja dikirim" in page
    assert Response.objects.count() == 1
    assert_choices_kept(page, survey, filled(survey))
    assert 'name="another_respondent" value="True"' in page or 'name="another_respondent" value="on"' in page
    # The next person at the counter, with the same answers, presses again: stored.
    another = respondent.post(url(survey), filled(survey, submission="orang-berikut", another_respondent="on"))
    assert another.status_code == 302 and Response.objects.count() == 2
    # From another client the same answers are someone else's without asking.
    other = Client(REMOTE_ADDR="198.51.100.77", HTTP_USER_AGENT=AGENT)
    assert other.post(url(survey), filled(survey, submission="orang-lain")).status_code == 302
    assert Response.objects.count() == 3


def test_the_device_tag_differs_between_surveys(survey, unit, make_user):
    other = make_open_survey(unit, make_user("petugas2"), title="Survei lain")
    assert intake.device_tag("client-a", survey.pk) != intake.device_tag("client-a", other.pk)


def test_a_token_held_by_a_request_in_flight_is_not_stored_twice(respondent, survey, monkeypatch):
    from cases import intake as public_intake

    cache.add("sigap:survei:submission:sekali-kirim", "", timeout=60)  # the first click is still being stored
    monkeypatch.setattr(public_intake.time, "sleep", lambda seconds: None)
    response = respondent.post(url(survey), filled(survey))
    assert response.status_code == 409
    assert Response.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------
# Surveys not open, unknown links


def test_an_unknown_link_is_a_plain_404(respondent, survey):
    response = respondent.get(reverse("survei_publik:respond", kwargs={"token": "tidakada23"}))
    assert response.status_code == 404
    assert survey.title not in response.content.decode()


def test_a_closed_survey_shows_the_refusal_page_and_stores_nothing(respondent, survey):
    survey.close()
    survey.save()
    page = respondent.get(url(survey)).content.decode()
    assert "Survei ini sudah ditutup." in page and survey.title in page
    assert "Pertanyaan" not in page
    response = respondent.post(url(survey), filled(survey))
    assert "Survei ini sudah ditutup." in response.content.decode()
    assert Response.objects.count() == 0


def test_a_survey_not_yet_open_says_so(respondent, unit, make_user):
    survey = make_open_survey(unit, make_user("surveyor3"))
    Survey.objects.filter(pk=survey.pk).update(status="draf")
    page = respondent.get(url(survey)).content.decode()
    assert "Survei ini belum dibuka." in page


def test_a_survey_closed_between_the_page_and_the_press_is_refused_by_the_service(survey):
    form_data = {"service": survey.services.first(), "answers": {item.pk: 1 for item in items(survey)}}
    Survey.objects.filter(pk=survey.pk).update(status="ditutup")
    with pytest.raises(intake.ResponseRefused) as refusal:
        intake.response_submit(survey=survey, cleaned=form_data, client_tag="abc")
    assert "tidak menerima jawaban" in refusal.value.message
    assert Response.objects.count() == 0


def test_the_service_refuses_answers_that_do_not_fit_the_survey(survey, unit, make_user):
    other = make_open_survey(unit, make_user("surveyor4"), title="Lain", services=("Izin",))
    answers = {item.pk: 1 for item in items(survey)}
    cases = [
        {"service": other.services.get(), "answers": answers},
        {"service": survey.services.first(), "answers": dict(list(answers.items())[:2])},
        {"service": survey.services.first(), "answers": {**answers, items(survey)[0].pk: 9}},
    ]
    for cleaned in cases:
        with pytest.raises(intake.ResponseRefused):
            intake.response_submit(survey=survey, cleaned=cleaned, client_tag="abc")
    assert Response.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------
# Rate limit


def test_over_the_hourly_limit_the_form_comes_back_with_every_choice(respondent, survey, settings):
    settings.SIGAP_SURVEY_RESPONSES_PER_HOUR = 3
    for number in range(3):  # three people at the counter's phone, each with their own comment
        response = respondent.post(url(survey), filled(survey, submission=f"t{number}", comment=f"Orang {number}"))
        assert response.status_code == 302
    data = filled(survey, submission="t3", comment="Komentar yang tetap ada")
    response = respondent.post(url(survey), data)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak kiriman dari perangkat ini." in page
    assert "Komentar yang tetap ada" in page
    assert_choices_kept(page, survey, data)
    assert Response.objects.count() == 3
    # Another device is not held back.
    assert Client(REMOTE_ADDR="198.51.100.4").post(url(survey), data).status_code == 302
    assert Response.objects.count() == 4


def test_the_default_limit_allows_a_shared_counter_phone(settings):
    from config import settings as project_settings

    assert project_settings.SIGAP_SURVEY_RESPONSES_PER_HOUR == 20


# ---------------------------------------------------------------------------------------------------------
# The device tag


def test_the_device_tag_is_the_same_within_the_day_and_differs_between_devices(monkeypatch):
    monkeypatch.setattr(intake, "salt_day", lambda: dt.date(2026, 12, 2))
    first = intake.device_tag("client-a", 1)
    assert len(first) == 6 and all(ch in "0123456789abcdef" for ch in first)
    assert intake.device_tag("client-a", 1) == first
    others = {intake.device_tag(f"client-{n}", 1) for n in range(20)}
    assert len(others) > 15  # 24 bits: twenty devices almost never collide
    # The next day has a salt of its own: the same device gets an unrelated tag.
    monkeypatch.setattr(intake, "salt_day", lambda: dt.date(2026, 12, 3))
    assert intake.device_tag("client-a", 1) != first


class _CacheSpy:
    """The cache, noting the timeout each key is added with."""

    def __init__(self):
        self.timeouts: dict[str, int] = {}

    def add(self, key, value, timeout):
        self.timeouts[key] = timeout
        return cache.add(key, value, timeout=timeout)

    def __getattr__(self, name):
        return getattr(cache, name)


def test_the_days_salt_lives_only_in_the_cache_and_expires_a_minute_after_the_day(monkeypatch):
    spy = _CacheSpy()
    monkeypatch.setattr(intake, "cache", spy)
    # 22:00 in Jakarta (15:00 UTC): two hours to midnight, and the minute of grace after it.
    with time_machine.travel(dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC), tick=False) as clock:
        tag = intake.device_tag("client-a", 1)
        first_key = "sigap:survei:device-salt:2026-12-02"
        assert spy.timeouts == {first_key: 2 * 3600 + 60}
        first_salt = cache.get(first_key)
        assert first_salt and len(first_salt) == 32
        # 08:00 the next day: the day has a salt of its own, made afresh, and the device an unrelated tag.
        clock.move_to(dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC))
        next_tag = intake.device_tag("client-a", 1)
        next_key = "sigap:survei:device-salt:2026-12-03"
        assert spy.timeouts[next_key] == 16 * 3600 + 60
        assert cache.get(next_key) not in (None, first_salt)
        assert next_tag != tag


def test_two_responses_from_one_device_share_a_tag_and_another_device_does_not(survey):
    Client(REMOTE_ADDR=ADDRESS).post(url(survey), filled(survey, submission="a"))
    Client(REMOTE_ADDR=ADDRESS).post(url(survey), filled(survey, submission="b", sex="L"))
    Client(REMOTE_ADDR="198.51.100.5").post(url(survey), filled(survey, submission="c"))
    tags = list(Response.objects.order_by("pk").values_list("device_tag", flat=True))
    assert tags[0] == tags[1] != tags[2]


# ---------------------------------------------------------------------------------------------------------
# Nothing identifying kept


def test_no_address_user_agent_or_session_is_kept_or_logged(respondent, survey, caplog):
    caplog.set_level(logging.DEBUG)
    respondent.get(url(survey))
    response = respondent.post(url(survey), filled(survey, comment="Tanpa jejak"))
    respondent.get(response["Location"])
    respondent.get(reverse("survei_publik:respond", kwargs={"token": "tidakada23"}))
    stored = Response.objects.get()
    values = [str(getattr(stored, field.attname)) for field in Response._meta.concrete_fields]
    values += [str(value) for value in Answer.objects.values_list("item_id", "value")]
    for trace in (ADDRESS, AGENT, "SigapTestPhone"):
        assert not any(trace in value for value in values)
        assert trace not in caplog.text
    assert "sessionid" not in response.cookies
    assert set(respondent.cookies) <= {"csrftoken"}


def test_the_language_switch_stays_under_the_privacy_prefix(survey):
    import re

    from django.conf import settings

    client = Client(enforce_csrf_checks=True)
    page = client.get(url(survey)).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" class="inline lang">(.*?)</form>', page, re.S)
    assert form.group(1) == "/survei/bahasa/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    data = {"language": "en", "next": url(survey), "csrfmiddlewaretoken": token}
    response = client.post(form.group(1), data, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302 and response["Location"] == url(survey)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_survey_closed_while_the_form_was_sent_shows_the_refusal_page(respondent, survey, monkeypatch):
    from survei.views import respond

    submit = intake.response_submit

    def closed_first(**kwargs):
        Survey.objects.filter(pk=survey.pk).update(status="ditutup")  # the officer pressed "Tutup" just before
        return submit(**kwargs)

    monkeypatch.setattr(respond.intake, "response_submit", closed_first)
    page = respondent.post(url(survey), filled(survey)).content.decode()
    assert "Survei ini sudah ditutup." in page
    assert "Survei ini sudah tidak menerima jawaban. Jawaban Anda tidak disimpan." in page
    assert Response.objects.count() == 0
    # The token was released: nothing claims the response was stored.
    assert cache.get("sigap:survei:submission:sekali-kirim") is None
