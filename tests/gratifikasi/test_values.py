"""Values, dates and texts as people really type them: Rupiah with dots, zero, empty, huge, unknown; the UPG's
forwarding date; text limits. Each of these once let a report mislead the system or the system mislead a person."""

import datetime as dt
import re

import pytest
from django import forms
from django.urls import reverse
from time_machine import travel

from cases import services, workdays
from gratifikasi.forms import ForwardForm, ObjectForm, ReportForm, parse_rupiah
from gratifikasi.models import MAX_VALUE, GratifikasiReport, Status
from tests.gratifikasi.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee(client, pegawai):
    client.force_login(pegawai)
    return client


def post_report(client, **overrides):
    return client.post(reverse("gratifikasi:create"), form_data(**overrides))


# --- Rupiah as typed --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2500000", 2_500_000),
        ("2.500.000", 2_500_000),
        ("Rp 2.500.000", 2_500_000),
        ("Rp2.500.000,00", 2_500_000),
        ("rp. 2.500.000", 2_500_000),
        (" 2 500 000 ", 2_500_000),
        ("Rp\u00a02.500.000", 2_500_000),  # pasted from a document: a no-break space
        ("0", 0),
    ],
)
def test_rupiah_is_read_as_people_type_it(typed, value):
    assert parse_rupiah(typed) == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2,5 juta", "2.500.000"),
        ("abc", "2.500.000"),
        ("2.50.000", "2.500.000"),  # dots not in thousands
        ("2,500", "2.500.000"),  # a comma is not a thousands separator here
        ("-5", "negatif"),
        ("Rp -2.500.000", "negatif"),
        ("2.500.000,50", "sen"),
    ],
)
def test_garbage_rupiah_gets_a_clear_indonesian_message(typed, message):
    with pytest.raises(forms.ValidationError) as caught:
        parse_rupiah(typed)
    assert message in " ".join(caught.value.messages)


def test_a_pasted_rupiah_value_is_saved_and_shown_back_grouped(employee):
    response = post_report(employee, save="1", **{"objek-0-value": "Rp 2.500.000"})
    report = GratifikasiReport.objects.get()
    assert response.status_code == 302 and report.objects_received.get().value == 2_500_000
    body = employee.get(response["Location"]).content.decode()
    assert 'value="2.500.000"' in body
    assert 'type="number"' not in body  # a number box refuses "2.500.000" and loses it


def test_a_form_shown_again_with_an_error_shows_the_value_grouped(employee):
    body = post_report(employee, submit="1", place="", **{"objek-0-value": "2500000"}).content.decode()
    assert not GratifikasiReport.objects.exists() and 'value="2.500.000"' in body


def test_a_refused_rupiah_value_keeps_what_was_typed(employee):
    body = post_report(employee, submit="1", **{"objek-0-value": "2,5 juta"}).content.decode()
    assert not GratifikasiReport.objects.exists()
    assert 'value="2,5 juta"' in body and "2.500.000" in body


def test_the_live_panel_reads_rupiah_with_dots(employee):
    data = form_data(
        occasion="antar_rekan",
        giver_relationship="rekan_kerja",
        related_to_duties="0",
        **{"objek-0-value": "Rp 500.000"},
    )
    exempt = "dikecualikan berdasarkan Pasal 2 ayat (3) huruf o"
    assert exempt in employee.post(reverse("gratifikasi:advice"), data).content.decode()
    data["objek-0-value"] = "Rp 500.001"
    assert exempt not in employee.post(reverse("gratifikasi:advice"), data).content.decode()


# --- the advice panel: never "exempt" on missing facts, and after the facts -------------------------------------


@pytest.mark.parametrize("value", ["", "0", "abc", "2,5 juta"])
def test_the_panel_cannot_advise_on_a_missing_zero_or_unreadable_value(employee, value):
    data = form_data(
        occasion="antar_rekan", giver_relationship="rekan_kerja", related_to_duties="0", **{"objek-0-value": value}
    )
    body = employee.post(reverse("gratifikasi:advice"), data).content.decode()
    assert "Belum dapat memberi saran" in body and "dikecualikan berdasarkan" not in body


def test_the_panel_cannot_advise_before_the_giver_is_described(employee):
    data = form_data(occasion="pernikahan_upacara", giver_relationship="", **{"objek-0-value": "100.000"})
    body = employee.post(reverse("gratifikasi:advice"), data).content.decode()
    assert "Belum dapat memberi saran" in body and "dikecualikan berdasarkan" not in body


def test_the_panel_says_why_a_vendors_gift_is_not_exempt(employee):
    data = form_data(occasion="pernikahan_upacara", giver_relationship="rekanan", related_to_duties="0")
    data["objek-0-value"] = "100.000"
    body = employee.post(reverse("gratifikasi:advice"), data).content.decode()
    assert "wajib dilaporkan" in body and "konflik kepentingan" in body and "huruf l" not in body


def test_the_related_to_duties_answer_is_asked_kept_and_required_to_submit(employee):
    body = employee.get(reverse("gratifikasi:create")).content.decode()
    assert 'name="related_to_duties"' in body
    response = post_report(employee, submit="1", related_to_duties="")
    assert response.status_code == 200 and not GratifikasiReport.objects.exists()
    assert "Jawab ya atau tidak" in response.content.decode()
    post_report(employee, save="1", related_to_duties="0")
    report = GratifikasiReport.objects.get()
    assert report.related_to_duties is False
    form = ReportForm(instance=report)
    no = [choice for choice in form["related_to_duties"] if choice.data["value"] == "0"][0]
    assert no.data["selected"]  # the saved "Tidak" is checked again on the edit page


def test_the_advice_panel_comes_after_the_giver_and_the_objects(employee):
    body = employee.get(reverse("gratifikasi:create")).content.decode()
    panel = body.index('id="advice"')
    assert body.index('name="giver_relationship"') < panel
    assert body.index('name="objek-0-value"') < panel
    assert "Belum dapat memberi saran" in body  # a new form: nothing to advise on yet


# --- bounds, zero and unknown values, estimates ----------------------------------------------------------------


def test_a_value_above_the_bound_is_refused_with_a_message(employee):
    too_big = f"{MAX_VALUE + 1:,}".replace(",", ".")
    body = post_report(employee, save="1", **{"objek-0-value": too_big}).content.decode()
    assert not GratifikasiReport.objects.exists()
    assert "terlalu besar" in body and "1.000.000.000.000" in body
    post_report(employee, save="1", **{"objek-0-value": str(MAX_VALUE)})
    assert GratifikasiReport.objects.get().objects_received.get().value == MAX_VALUE


def test_a_report_whose_objects_are_all_zero_cannot_be_submitted(employee):
    response = post_report(employee, submit="1", **{"objek-0-value": "0"})
    assert response.status_code == 200 and not GratifikasiReport.objects.exists()
    assert "Rp 0" in response.content.decode()


@pytest.mark.parametrize("typed", ["abc", "99999999999999999999", "9.999.999.999.999"])
def test_an_unreadable_or_too_large_value_gets_its_own_message_only(employee, typed):
    body = post_report(employee, submit="1", **{"objek-0-value": typed}).content.decode()
    assert not GratifikasiReport.objects.exists()
    assert "Semua objek bernilai Rp 0" not in body


def test_an_unknown_value_needs_an_explanation_and_then_may_be_submitted(employee):
    unknown = {"objek-0-value": "", "objek-0-value_unknown": "on", "objek-0-value_is_estimate": ""}
    body = post_report(employee, submit="1", **unknown).content.decode()
    assert not GratifikasiReport.objects.exists() and "Jelaskan mengapa" in body
    post_report(employee, submit="1", **unknown, **{"objek-0-value_unknown_reason": "Lukisan, belum ditaksir"})
    item = GratifikasiReport.objects.get(status=Status.SUBMITTED).objects_received.get()
    assert (item.value, item.value_unknown, item.value_unknown_reason) == (0, True, "Lukisan, belum ditaksir")


def test_an_empty_value_without_unknown_is_refused(employee):
    body = post_report(employee, save="1", **{"objek-0-value": ""}).content.decode()
    assert not GratifikasiReport.objects.exists() and "nilai tidak diketahui" in body


def test_estimate_is_not_preselected_and_does_not_apply_to_cash(employee):
    assert not ObjectForm().fields["value_is_estimate"].initial
    assert "checked" not in str(ObjectForm()["value_is_estimate"])
    cash = {"objek-0-kind": "uang", "objek-0-value_is_estimate": "on"}
    body = post_report(employee, save="1", **cash).content.decode()
    assert not GratifikasiReport.objects.exists() and "Uang tidak bernilai perkiraan" in body
    post_report(employee, save="1", **{**cash, "objek-0-value_is_estimate": ""})
    assert GratifikasiReport.objects.get().objects_received.get().value_is_estimate is False


# --- the UPG's dates --------------------------------------------------------------------------------------------


def test_diterima_upg_is_the_day_the_upg_clock_starts(client, make_report, upg):
    submitted_on = dt.date(2026, 11, 2)
    with travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False):
        report = make_report(["submit"], received=dt.date(2026, 10, 30))
    with travel(dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC), tick=False):
        report = services.transition(report, "start_verification", upg)
    report = GratifikasiReport.objects.get(pk=report.pk)
    clock = report.clocks.get(code="upg_forward")
    assert report.received_by_upg_on == clock.start_date == submitted_on
    client.force_login(upg)
    body = client.get(reverse("cases:detail", args=[report.reference])).content.decode()
    assert "Diterima UPG" in body and "02-11-2026" in body


def test_forwarding_to_kpk_cannot_be_dated_before_the_upg_received_it(make_report):
    report = make_report(
        ["submit", "start_verification", "start_analysis"], received=workdays.today() - dt.timedelta(days=20)
    )
    GratifikasiReport.objects.filter(pk=report.pk).update(received_by_upg_on=workdays.today() - dt.timedelta(days=2))
    report = GratifikasiReport.objects.get(pk=report.pk)
    before = report.received_by_upg_on - dt.timedelta(days=1)
    data = {"kpk_forwarded_on": before.isoformat(), "kpk_channel": "email", "kpk_reference": "G-1"}
    form = ForwardForm(data, case=report)
    assert not form.is_valid()
    assert "diterima UPG" in form.errors["kpk_forwarded_on"][0]
    assert report.received_by_upg_on.strftime("%d-%m-%Y") in form.errors["kpk_forwarded_on"][0]
    assert ForwardForm({**data, "kpk_forwarded_on": report.received_by_upg_on.isoformat()}, case=report).is_valid()


# --- texts -----------------------------------------------------------------------------------------------------


def test_every_free_text_field_of_the_report_has_a_limit_shown(employee):
    form, item = ReportForm(), ObjectForm()
    texts = {"place", "event", "giver_name", "giver_institution", "giver_address", "summary"}
    for name in texts:
        field = form.fields[name]
        assert field.max_length and "karakter" in str(field.help_text), name
        # data-counter="<limit>" and no maxlength, so a paste is never cut silently (outside trial, issue 10).
        assert form[name].field.widget.attrs.get("data-counter") == str(field.max_length), name
        assert "maxlength" not in str(form[name]), name
    for name in ("description", "value_unknown_reason"):
        assert item.fields[name].max_length and "data-counter" in str(item[name]), name
    body = employee.get(reverse("gratifikasi:create")).content.decode()
    assert 'data-counter="5000"' in body and 'maxlength="5000"' not in body and "Paling banyak 5.000 karakter" in body
    assert "sigap/counter.js" in body


def test_a_chronology_over_the_limit_is_refused_not_cut(employee):
    body = post_report(employee, save="1", summary="a" * 5001).content.decode()
    assert not GratifikasiReport.objects.exists() and "5000" in body.replace(".", "")


def test_the_case_page_shows_the_limits_of_messages_and_notes(client, make_report, upg):
    report = make_report(["submit"])
    client.force_login(upg)
    body = client.get(reverse("cases:detail", args=[report.reference])).content.decode()
    assert "sigap/counter.js" in body
    assert body.count("Paling banyak 4.000 karakter") == 2  # the message to the reporter and the internal note
    assert 'name="note" rows="1" data-counter="2000"' in body


def test_saved_yes_no_answers_are_checked_again_when_the_draft_is_reopened(employee):
    post_report(employee, save="1", kompensasi="1", related_to_duties="0")
    report = GratifikasiReport.objects.get()
    assert (report.kompensasi, report.related_to_duties) == (True, False)
    form = ReportForm(instance=report)
    assert form["kompensasi"].value() == "1" and form["related_to_duties"].value() == "0"
    page = employee.get(reverse("gratifikasi:edit", args=[report.reference])).content.decode()
    assert re.search(r'name="kompensasi" value="1"[^>]* checked', page)
    assert re.search(r'name="related_to_duties" value="0"[^>]* checked', page)
