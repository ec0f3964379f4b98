"""The survey officer's pages: who sees what (404 for a survey one may not read, 403 for an action one may not
take, 405 for GET on an action), the create form's bad input, the running count against the target, the status
buttons, the sharing links and the QR poster, and the page of repeated submissions."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cases import policy
from survei import selectors
from survei.models import Instrument, Response, Survey
from tests.survei.test_officer_fixtures import *  # noqa: F403
from tests.survei.test_officer_fixtures import SKM, respond

pytestmark = pytest.mark.django_db


def _status(survey) -> str:
    return Survey.objects.values_list("status", flat=True).get(pk=survey.pk)


def _text(response) -> str:
    return response.content.decode()


def _new_form(own_unit, **changes):
    data = {
        "unit": own_unit.pk,
        "title": "SKM Semester II",
        "instrument": Instrument.objects.get(code=SKM).pk,
        "period_start": "2026-07-01",
        "period_end": "2026-12-31",
        "services": "Pembuatan paspor; 1.000\nLayanan visa\t250\nInformasi",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------------------------------------------------
# Creating a survey


def test_it_creates_a_survey_with_services_and_populations_typed_with_dots(client, officer, unit):
    client.force_login(officer)
    response = client.post(reverse("survei:new"), _new_form(unit))
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("survei:detail", args=[survey.uuid])
    # "1.000" is the Indonesian way to write one thousand: accepted as 1000; a pasted tab separates too.
    assert list(survey.services.values_list("name", "population")) == [
        ("Pembuatan paspor", 1000),
        ("Layanan visa", 250),
        ("Informasi", None),
    ]
    assert survey.unit == unit and survey.created_by == officer


@pytest.mark.parametrize(
    ("services", "message"),
    [
        ("Paspor; 1.5", "bukan bilangan bulat"),
        ("Paspor; 12,75", "bukan bilangan bulat"),
        ("Paspor; -3", "bukan bilangan bulat"),
        ("Paspor; 100.000.001", "paling besar 100.000.000"),
        ("Paspor; 10\npaspor; 20", "tertulis dua kali"),
        ("", "Tuliskan sedikitnya satu layanan."),
        ("\n  \n", "Tuliskan sedikitnya satu layanan."),
    ],
)
def test_a_bad_population_is_refused_clearly_and_nothing_typed_is_lost(client, officer, unit, services, message):
    client.force_login(officer)
    response = client.post(reverse("survei:new"), _new_form(unit, services=services))
    assert response.status_code == 400
    page = _text(response)
    assert message in page
    assert "SKM Semester II" in page  # the title typed is still there
    assert not Survey.objects.exists()


def test_the_refusal_names_the_line(client, officer, unit):
    client.force_login(officer)
    response = client.post(reverse("survei:new"), _new_form(unit, services="Paspor; 10\nVisa; 1.2.3"))
    assert "Baris 2" in _text(response)


def test_an_end_before_the_start_is_refused(client, officer, unit):
    client.force_login(officer)
    response = client.post(reverse("survei:new"), _new_form(unit, period_start="2026-12-31", period_end="2026-07-01"))
    assert response.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in _text(response)
    assert not Survey.objects.exists()


def test_a_forged_unit_id_is_refused(client, officer, unit, other_unit):
    client.force_login(officer)
    for forged in (other_unit.pk, 999_999, "x"):
        response = client.post(reverse("survei:new"), _new_form(unit, unit=forged))
        assert response.status_code == 400
        assert "Pilih salah satu unit yang Anda kelola." in _text(response)
    assert not Survey.objects.exists()


def test_the_unit_choices_are_the_managed_units_only(client, officer, unit, other_unit):
    client.force_login(officer)
    page = _text(client.get(reverse("survei:new")))
    select = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', select) == [str(unit.pk)]
    assert other_unit.name not in select


def test_someone_who_runs_no_survey_may_not_create_one(client, pegawai, unit):
    client.force_login(pegawai)
    assert client.get(reverse("survei:new")).status_code == 403
    assert client.post(reverse("survei:new"), _new_form(unit)).status_code == 403


# ---------------------------------------------------------------------------------------------------------
# Who sees what


def test_the_list_shows_readable_surveys_with_responses_against_target(client, officer, make_survey, other_officer):
    survey = make_survey(status="dibuka")
    paspor = survey.services.get(name="Paspor")
    for _n in range(3):
        respond(survey, paspor)
    respond(survey, paspor, excluded=True)
    client.force_login(officer)
    page = _text(client.get(reverse("survei:list")))
    # Targets: population 100 → 80 (Krejcie–Morgan's table), no population → the minimum 30: 110 in all.
    assert "3 / 110" in page
    client.force_login(other_officer)
    assert "SKM 2026" not in _text(client.get(reverse("survei:list")))


def test_a_stranger_gets_404_and_a_reader_who_does_not_manage_gets_403(client, make_survey, outsider, head, inspektur):
    survey = make_survey()
    detail = reverse("survei:detail", args=[survey.uuid])
    opening = reverse("survei:transition", args=[survey.uuid, "open"])
    client.force_login(outsider)
    assert client.get(detail).status_code == 404
    assert client.post(opening, {"expected_status": "draf"}).status_code == 404
    for reader in (head, inspektur):
        client.force_login(reader)
        page = client.get(detail)
        assert page.status_code == 200
        assert opening not in _text(page)  # no buttons for a reader
        assert client.post(opening, {"expected_status": "draf"}).status_code == 403
    assert _status(survey) == "draf"


def test_an_officer_of_another_unit_gets_404(client, make_survey, other_officer):
    survey = make_survey()
    client.force_login(other_officer)
    assert client.get(reverse("survei:detail", args=[survey.uuid])).status_code == 404
    assert client.get(reverse("survei:poster", args=[survey.uuid])).status_code == 404
    assert client.get(reverse("survei:flood", args=[survey.uuid])).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["transition", "service_add", "service_update", "plan", "set_aside", "restore"],
)
def test_actions_refuse_get(client, officer, make_survey, name):
    survey = make_survey()
    args = {
        "transition": [survey.uuid, "open"],
        "service_update": [survey.uuid, survey.services.first().pk],
    }.get(name, [survey.uuid])
    client.force_login(officer)
    assert client.get(reverse(f"survei:{name}", args=args)).status_code == 405
    assert _status(survey) == "draf"


# ---------------------------------------------------------------------------------------------------------
# Transitions through the page


def test_each_button_moves_the_survey_once(client, officer, make_survey):
    survey = make_survey()
    client.force_login(officer)
    for action, before, after in [
        ("open", "draf", "dibuka"),
        ("close", "dibuka", "ditutup"),
        ("reopen", "ditutup", "dibuka"),
        ("close", "dibuka", "ditutup"),
        ("publish", "ditutup", "diumumkan"),
    ]:
        page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
        url = reverse("survei:transition", args=[survey.uuid, action])
        assert url in page
        response = client.post(url, {"expected_status": before, "confirm": "on"})
        assert response.status_code == 302
        assert _status(survey) == after


def test_a_stale_page_is_refused_with_a_message(client, officer, make_survey):
    survey = make_survey(status="dibuka")
    client.force_login(officer)
    # The page showed "draf" (opened since in another tab): the second "Buka" does nothing.
    response = client.post(
        reverse("survei:transition", args=[survey.uuid, "open"]), {"expected_status": "draf"}, follow=True
    )
    assert "baru saja berubah" in _text(response)
    # A close sent from a page that still said "draf" is refused too, though closing is allowed now.
    client.post(reverse("survei:transition", args=[survey.uuid, "close"]), {"expected_status": "draf"})
    assert _status(survey) == "dibuka"


def test_a_wrong_state_is_refused_with_a_message(client, officer, make_survey):
    survey = make_survey()
    client.force_login(officer)
    response = client.post(
        reverse("survei:transition", args=[survey.uuid, "publish"]),
        {"expected_status": "draf", "confirm": "on"},
        follow=True,
    )
    assert "tidak dapat diumumkan" in _text(response)
    assert _status(survey) == "draf"
    assert client.post(reverse("survei:transition", args=[survey.uuid, "destroy"]), {}).status_code == 404


def test_a_pressured_respondent_alone_also_asks_for_the_tick(client, officer, make_survey):
    from survei import services

    survey = make_survey(status="dibuka", services_=(("Paspor", 30),))  # 30 responses meet its target of 30
    service = survey.services.get()
    responses = [respond(survey, service, 4) for _n in range(30)]
    Response.objects.filter(pk=responses[0].pk).update(pressured=True)
    services.survey_close(survey=survey, actor=officer)
    client.force_login(officer)
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
    assert "1 responden menyatakan ada pihak yang menekan atau mengarahkan mereka mengisi survei ini." in page
    assert 'name="confirm"' in page
    response = client.post(reverse("survei:transition", args=[survey.uuid, "publish"]), {"expected_status": "ditutup"})
    assert response.status_code == 302 and _status(survey) == "ditutup"  # refused, back on the page with why


def test_publishing_below_target_asks_for_the_tick(client, officer, make_survey):
    survey = make_survey(status="ditutup")
    client.force_login(officer)
    url = reverse("survei:transition", args=[survey.uuid, "publish"])
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
    assert 'name="confirm"' in page and "Umumkan meskipun di bawah target" in page
    response = client.post(url, {"expected_status": "ditutup"}, follow=True)
    # Refused, and back on the survey's page by a redirect (a reload sends nothing again), with the reason.
    assert response.redirect_chain == [(reverse("survei:detail", args=[survey.uuid]), 302)]
    assert "Centang" in _text(response)
    assert _status(survey) == "ditutup"
    client.post(url, {"expected_status": "ditutup", "confirm": "on"})
    assert _status(survey) == "diumumkan"


# ---------------------------------------------------------------------------------------------------------
# The running count


def test_the_count_per_service_against_the_krejcie_morgan_target(client, officer, make_survey):
    survey = make_survey(status="dibuka", services_=(("Paspor", 100), ("Visa", 12), ("Izin", None)))
    paspor, visa, izin = survey.services.order_by("order")
    for _n in range(20):
        respond(survey, paspor)
    for _n in range(12):
        respond(survey, visa)
    respond(survey, izin)
    respond(survey, izin, excluded=True)  # set aside: not counted
    client.force_login(officer)
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
    rows = re.findall(r"<tr>\s*<td[^>]*>([^<]+)</td>.*?</tr>", page, re.S)
    assert rows == ["Paspor", "Visa", "Izin"]
    # Paspor: population 100 → target 80 (K&M table), 20 responses = 25 %. Visa: 12 people, all 12 asked (the
    # target never exceeds the population) → 100 %. Izin: no population → minimum 30, 1 counted → 3 %.
    assert 'value="25"' in page and 'value="100"' in page and 'value="3"' in page
    assert "33 responden dihitung dari target 122." in page
    assert "Layanan Paspor: 20 dari target 80 responden." in page
    assert "populasi belum diisi" in page


def test_the_share_links_and_the_public_link(client, officer, make_survey, settings):
    settings.SIGAP_BASE_URL = "https://sigap.example.go.id/"
    settings.ALLOWED_HOSTS = ["testserver", "10.0.0.5"]
    survey = make_survey(status="dibuka")
    client.force_login(officer)
    # The site's public address, not the Host the officer's request came by.
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid]), HTTP_HOST="10.0.0.5"))
    public = f"https://sigap.example.go.id/survei/{survey.token}/"
    assert public in page
    whatsapp = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', page).group(1)
    text = parse_qs(urlsplit(whatsapp.replace("&amp;", "&")).query)["text"][0]
    assert public in text and "SKM 2026" in text
    mail = re.search(r'href="(mailto:\?[^"]+)"', page).group(1).replace("&amp;", "&")
    fields = parse_qs(urlsplit(mail).query)
    assert fields["subject"] == ["Survei: SKM 2026"]
    assert public in fields["body"][0]
    assert "+" not in mail  # spaces as %20: mail clients do not read "+" as a space


def test_the_poster_has_the_unit_the_title_the_link_and_a_qr_code(client, officer, make_survey, unit):
    survey = make_survey(status="dibuka")
    client.force_login(officer)
    response = client.get(reverse("survei:poster", args=[survey.uuid]))
    page = _text(response)
    assert response.status_code == 200
    assert unit.name in page and "SKM 2026" in page
    assert f"localhost:8000/survei/{survey.token}/" in page
    assert "<svg" in page and "viewBox" in page
    assert not re.search(r"\sstyle\s*=|<style|<script(?![^>]*src=)", page)


# ---------------------------------------------------------------------------------------------------------
# Services and the follow-up plan


def test_services_are_edited_on_the_page_and_a_bad_population_keeps_the_typing(client, officer, make_survey):
    survey = make_survey()
    visa = survey.services.get(name="Visa")
    client.force_login(officer)
    url = reverse("survei:service_update", args=[survey.uuid, visa.pk])
    response = client.post(url, {f"s{visa.pk}-name": "Visa kerja", f"s{visa.pk}-population": "2.5"})
    assert response.status_code == 400
    assert "bukan bilangan bulat" in _text(response) and "Visa kerja" in _text(response)
    client.post(url, {f"s{visa.pk}-name": "Visa kerja", f"s{visa.pk}-population": "2.500"})
    visa.refresh_from_db()
    assert (visa.name, visa.population) == ("Visa kerja", 2500)
    response = client.post(reverse("survei:service_add", args=[survey.uuid]), {"new-name": "paspor"})
    assert response.status_code == 400 and "sudah ada" in _text(response)
    client.post(reverse("survei:service_add", args=[survey.uuid]), {"new-name": "Izin", "new-population": ""})
    assert survey.services.filter(name="Izin", population=None).exists()


def test_a_service_of_another_survey_is_404(client, officer, make_survey):
    one, two = make_survey(), make_survey(title="Lain")
    client.force_login(officer)
    foreign = two.services.first()
    url = reverse("survei:service_update", args=[one.uuid, foreign.pk])
    assert client.post(url, {f"s{foreign.pk}-name": "X"}).status_code == 404


def test_the_follow_up_plan_is_saved(client, officer, make_survey):
    survey = make_survey(status="ditutup")
    client.force_login(officer)
    client.post(reverse("survei:plan", args=[survey.uuid]), {"follow_up_plan": "Tambah loket."})
    assert Survey.objects.get(pk=survey.pk).follow_up_plan == "Tambah loket."


# ---------------------------------------------------------------------------------------------------------
# Repeated submissions


def _flood_fixture(survey):
    paspor = survey.services.get(name="Paspor")
    day = dt.date(2026, 11, 3)
    device = [respond(survey, paspor, values=2, day=day, device_tag="d0d0d0") for _n in range(5)]
    # Four from another device the same day: below the 5 that make a group.
    for n in range(4):
        respond(survey, paspor, values=[1 + (n + k) % 4 for k in range(9)], day=day, device_tag="e1e1e1")
    # Five identical answer patterns from different devices on another day.
    pattern = [1, 2, 3, 4, 1, 2, 3, 4, 1]
    same = [respond(survey, paspor, values=pattern, day=dt.date(2026, 11, 4), device_tag=f"f{n}") for n in range(5)]
    # The same pattern on a third day only twice: no group.
    for n in range(2):
        respond(survey, paspor, values=pattern, day=dt.date(2026, 11, 5), device_tag=f"g{n}")
    return device, same


def test_the_flood_page_shows_groups_without_the_device_tags(client, officer, make_survey):
    survey = make_survey(status="dibuka")
    _flood_fixture(survey)
    client.force_login(officer)
    page = _text(client.get(reverse("survei:flood", args=[survey.uuid])))
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>\s*([^<]*?)\s*<", row) for row in rows]
    summary = [(c[0], c[1], c[2]) for c in cells]
    assert summary == [
        ("03-11-2026", "satu perangkat atau jaringan (mis. beberapa ponsel pada jaringan seluler yang sama)", "5"),
        ("03-11-2026", "jawaban identik", "5"),  # the same five also answered "2" to everything
        ("04-11-2026", "jawaban identik", "5"),
    ]
    for tag in ("d0d0d0", "e1e1e1"):
        assert tag not in page


def test_the_flood_page_suggests_no_reason(client, officer, make_survey):
    survey = make_survey(status="dibuka")
    _flood_fixture(survey)
    client.force_login(officer)
    response = client.get(reverse("survei:flood", args=[survey.uuid]))
    page = response.content.decode()
    reasons = re.findall(r'<input[^>]*name="reason"[^>]*>', page)
    assert len(reasons) == 3  # one form per group
    assert all("value=" not in field for field in reasons)  # the officer writes why, nothing is pre-filled
    assert all(not form["reason"].value() for _group, form in response.context["rows"])
    assert "Responden jujur yang berbeda dapat masuk satu kelompok" in page


def test_setting_a_group_aside_changes_the_count_and_restoring_brings_it_back(client, officer, make_survey):
    survey = make_survey(status="dibuka")
    device, _same = _flood_fixture(survey)
    client.force_login(officer)
    group = next(g for g in selectors.flood_groups(survey) if g.kind == "device")
    before = selectors.coverage(survey)[0].responses
    assert before == 16
    response = client.post(
        reverse("survei:set_aside", args=[survey.uuid]), {"group": group.key, "reason": "Satu perangkat"}
    )
    assert response.status_code == 302
    assert selectors.coverage(survey)[0].responses == 11
    assert set(Response.objects.filter(excluded=True).values_list("pk", flat=True)) == {r.pk for r in device}
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
    assert "5 jawaban dikeluarkan: Satu perangkat" in page
    client.post(reverse("survei:restore", args=[survey.uuid]), {"group": group.key})
    assert selectors.coverage(survey)[0].responses == 16


def test_setting_aside_needs_a_reason_and_a_real_group(client, officer, make_survey, head):
    survey = make_survey(status="dibuka")
    _flood_fixture(survey)
    group = selectors.flood_groups(survey)[0]
    client.force_login(officer)
    url = reverse("survei:set_aside", args=[survey.uuid])
    response = client.post(url, {"group": group.key, "reason": ""})
    assert response.status_code == 400 and "Tuliskan alasan jawaban dikeluarkan" in _text(response)
    assert client.post(url, {"group": "forged", "reason": "x"}).status_code == 404
    client.force_login(head)
    assert client.post(url, {"group": group.key, "reason": "x"}).status_code == 403
    assert not Response.objects.filter(excluded=True).exists()


def test_a_reader_and_a_published_survey_see_the_groups_without_forms(client, officer, head, make_survey):
    survey = make_survey(status="dibuka")
    _flood_fixture(survey)
    set_aside = reverse("survei:set_aside", args=[survey.uuid])
    client.force_login(head)
    page = _text(client.get(reverse("survei:flood", args=[survey.uuid])))
    assert "jawaban identik" in page and set_aside not in page
    from survei import services

    services.survey_close(survey=survey, actor=officer)
    services.survey_publish(survey=survey, actor=officer, confirm=True)
    client.force_login(officer)
    page = _text(client.get(reverse("survei:flood", args=[survey.uuid])))
    assert "jawaban identik" in page and set_aside not in page
    group = selectors.flood_groups(survey)[0]
    response = client.post(set_aside, {"group": group.key, "reason": "x"}, follow=True)
    assert "sudah diumumkan" in _text(response)
    assert not Response.objects.filter(excluded=True).exists()


def test_the_flood_page_shows_the_biggest_groups_first_and_says_how_many_it_left_out(
    client, officer, make_survey, monkeypatch
):
    from survei.views import officer as officer_views

    survey = make_survey(status="dibuka")
    _flood_fixture(survey)
    paspor = survey.services.get(name="Paspor")
    respond(survey, paspor, values=[1, 2, 3, 4, 1, 2, 3, 4, 1], day=dt.date(2026, 11, 4), device_tag="h0")
    monkeypatch.setattr(officer_views, "FLOOD_ROWS", 1)
    client.force_login(officer)
    page = _text(client.get(reverse("survei:flood", args=[survey.uuid])))
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    assert len(rows) == 1 and "04-11-2026" in rows[0] and ">6<" in rows[0].replace("\n", "").replace(" ", "")
    assert "2 kelompok lain yang lebih kecil tidak ditampilkan." in page


def test_the_list_is_for_officers_and_readers_only(client, make_survey, outsider, inspektur, head):
    make_survey()
    client.force_login(outsider)
    assert client.get(reverse("survei:list")).status_code == 403
    for reader in (inspektur, head):
        client.force_login(reader)
        page = _text(client.get(reverse("survei:list")))
        assert "SKM 2026" in page and reverse("survei:new") not in page


def test_the_detail_page_leads_to_the_results_the_exports_and_the_follow_up(client, officer, make_survey):
    survey = make_survey(status="dibuka")
    client.force_login(officer)
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
    for name in ("survei:results", "survei:report_pdf", "survei:responses_xlsx"):
        assert reverse(name, args=[survey.uuid]) in page
    assert 'data-section="survey-recommendations"' in page
    # The officer runs the survey but does not give recommendations on it (the unit head or inspectorate does).
    assert reverse("survei:recommendation_add", args=[survey.uuid]) not in page
    # The public result page is linked once there is one.
    assert f"/survei/hasil/{survey.token}/" not in page


def test_a_unit_head_is_not_offered_the_row_level_responses(client, make_survey, unit, make_user):
    head = make_user("kepala", policy.ATASAN)
    unit.head = head
    unit.save()
    survey = make_survey(status="dibuka")
    client.force_login(head)
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
    assert reverse("survei:results", args=[survey.uuid]) in page
    assert reverse("survei:responses_xlsx", args=[survey.uuid]) not in page


def test_a_closed_survey_offers_no_link_to_share(client, officer, make_survey):
    survey = make_survey(status="ditutup")
    client.force_login(officer)
    page = _text(client.get(reverse("survei:detail", args=[survey.uuid])))
    assert "wa.me" not in page and "mailto:" not in page
    assert reverse("survei:poster", args=[survey.uuid]) not in page
    assert "tidak menerima jawaban lagi" in page
