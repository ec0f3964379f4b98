"""The employee's report form and the UPG's transition pages, with bad input."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cases import policy, services, workdays
from cases.models import CaseEvent, Confidentiality, OutboxMessage
from gratifikasi.models import GratifikasiReport, Status

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    today = workdays.today()
    data = {
        "report_type": "penerimaan",
        "date_received": (today - dt.timedelta(days=2)).isoformat(),
        "place": "Kantor",
        "occasion": "kedinasan",
        "event": "Rapat pengadaan",
        "giver_name": "Hendro",
        "giver_institution": "PT Sinar",
        "giver_relationship": "rekanan",
        "giver_address": "",
        "related_to_duties": "1",
        "summary": "Diantar ke meja saya setelah rapat.",
        "kompensasi": "",
        "objek-TOTAL_FORMS": "2",
        "objek-INITIAL_FORMS": "0",
        "objek-MIN_NUM_FORMS": "0",
        "objek-MAX_NUM_FORMS": "30",
        "objek-0-kind": "barang",
        "objek-0-description": "Jam tangan",
        "objek-0-value": "2500000",
        "objek-0-value_is_estimate": "on",
        "objek-0-location": "pelapor",
        # The empty extra row exactly as a browser sends it: its defaults, so it counts as untouched.
        "objek-1-location": "pelapor",
    }
    data.update(overrides)
    return data


@pytest.fixture
def employee(client, pegawai):
    client.force_login(pegawai)
    return client


def test_an_employee_saves_a_draft_and_comes_back(employee, pegawai):
    response = employee.post(reverse("gratifikasi:create"), form_data(save="1"))
    report = GratifikasiReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("gratifikasi:edit", args=[report.reference])
    assert report.status == Status.DRAFT and report.reporter == pegawai
    assert report.objects_received.get().value == 2_500_000
    page = employee.get(response["Location"]).content.decode()
    assert "Jam tangan" in page and "Hendro" in page


def test_an_employee_submits_and_the_upg_is_notified(employee, upg):
    response = employee.post(reverse("gratifikasi:create"), form_data(submit="1"))
    report = GratifikasiReport.objects.get()
    assert report.status == Status.SUBMITTED
    assert response["Location"] == reverse("cases:detail", args=[report.reference])
    assert OutboxMessage.objects.filter(recipient=upg).exists()


def refusal_data(**overrides):
    return form_data(
        report_type="penolakan",
        related_to_duties="",
        kompensasi="1",
        **{"objek-0-location": "dikembalikan", "objek-1-location": "dikembalikan", **overrides},
    )


def test_a_refusal_is_not_asked_about_compensation_nor_offered_kept_by_the_reporter(employee):
    response = employee.post(reverse("gratifikasi:create"), refusal_data(save="1"))
    report = GratifikasiReport.objects.get()
    assert response.status_code == 302 and report.kompensasi is None  # posted "1": ignored for a refusal
    page = employee.get(response["Location"]).content.decode()
    assert re.search(r'<div class="field" data-receipt-only hidden>\s*<label[^>]*>Bila KPK menetapkan', page)
    assert re.search(r'<option value="pelapor"[^>]* hidden disabled>', page)
    assert not re.search(r'<option value="pelapor"[^>]*selected', page)


def test_a_refusal_with_an_object_kept_by_the_reporter_is_refused(employee):
    response = employee.post(reverse("gratifikasi:create"), refusal_data(save="1", **{"objek-0-location": "pelapor"}))
    assert response.status_code == 200
    assert "Pada penolakan, objek tidak disimpan pelapor" in response.content.decode()
    assert not GratifikasiReport.objects.exists()
    # An untouched empty row still posting the receipt's default is no object and no error.
    response = employee.post(reverse("gratifikasi:create"), refusal_data(save="1", **{"objek-1-location": "pelapor"}))
    assert response.status_code == 302 and GratifikasiReport.objects.get().objects_received.count() == 1


def test_a_receipt_still_asks_about_compensation(employee):
    page = employee.get(reverse("gratifikasi:create")).content.decode()
    assert re.search(r'<div class="field" data-receipt-only>\s*<label[^>]*>Bila KPK menetapkan', page)
    assert re.search(r'<option value="pelapor" selected data-receipt-only>', page)


def test_a_draft_can_be_saved_with_little_but_not_submitted(employee):
    sparse = form_data(
        save="1",
        place="",
        giver_name="",
        summary="",
        **{"objek-0-description": "", "objek-0-value": "", "objek-0-kind": "", "objek-0-value_is_estimate": ""},
    )
    assert employee.post(reverse("gratifikasi:create"), sparse).status_code == 302
    report = GratifikasiReport.objects.get()
    response = employee.post(reverse("gratifikasi:edit", args=[report.reference]), {**sparse, "submit": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Wajib diisi sebelum laporan diajukan" in body
    assert "paling sedikit satu objek" in body
    assert GratifikasiReport.objects.get().status == Status.DRAFT


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_received", (dt.date.today() + dt.timedelta(days=3)).isoformat(), "masa depan"),
        ("date_received", "2001-11-20", "21-11-2001"),
        ("date_received", "bukan tanggal", "tanggal"),
        ("objek-0-value", "-5", "negatif"),
        ("objek-0-value", "dua juta", "2.500.000"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_typed_text_is_kept(employee, field, value, message):
    response = employee.post(reverse("gratifikasi:create"), form_data(submit="1", **{field: value}))
    body = response.content.decode()
    assert response.status_code == 200 and not GratifikasiReport.objects.exists()
    assert message in body.lower() or message in body
    assert "Diantar ke meja saya setelah rapat." in body and "Jam tangan" in body


def test_the_day_pasal_12c_came_into_force_is_accepted(employee):
    employee.post(reverse("gratifikasi:create"), form_data(save="1", date_received="2001-11-21"))
    assert GratifikasiReport.objects.get().date_received == dt.date(2001, 11, 21)


def test_the_form_shows_deadlines_and_advice(employee):
    received = dt.date(2026, 11, 20)
    data = form_data(
        date_received=received.isoformat(),
        occasion="antar_rekan",
        giver_relationship="rekan_kerja",
        related_to_duties="0",
        **{"objek-0-value": "500000"},
    )
    body = employee.post(reverse("gratifikasi:advice"), data).content.decode()
    assert workdays.add_working_days(received, 10).strftime("%d-%m-%Y") in body
    assert workdays.add_working_days(received, 30).strftime("%d-%m-%Y") in body
    assert "huruf o" in body


def test_only_the_reporter_edits_and_only_while_editable(client, employee, upg, make_report):
    draft = make_report([])
    client.force_login(upg)
    assert client.get(reverse("gratifikasi:edit", args=[draft.reference])).status_code == 404
    submitted = make_report(["submit"])
    employee.force_login(submitted.reporter)
    response = employee.post(reverse("gratifikasi:edit", args=[submitted.reference]), form_data(save="1"))
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[submitted.reference])
    assert GratifikasiReport.objects.get(pk=submitted.pk).giver_name == "Budi"


def test_a_report_sent_back_is_completed_by_the_reporter(employee, make_report, upg):
    report = make_report(["submit", "start_verification"])
    services.transition(report, "request_completion", upg, note="Lampirkan foto barang.")
    response = employee.post(
        reverse("gratifikasi:edit", args=[report.reference]), form_data(submit="1", **{"objek-0-description": "Jam"})
    )
    assert response.status_code == 302
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.VERIFYING


def test_the_upg_forwards_with_the_kpk_details(client, upg, make_report):
    report = make_report(["submit", "start_verification", "start_analysis"])
    client.force_login(upg)
    url = reverse("cases:transition_form", args=[report.reference, "forward_to_kpk"])
    assert "Nomor laporan GOL" in client.get(url).content.decode()
    too_early = (report.date_received - dt.timedelta(days=1)).isoformat()
    bad = client.post(
        url,
        {
            "kpk_forwarded_on": too_early,
            "kpk_channel": "gol_institusi",
            "kpk_reference": "G-1",
            "expected_status": "analysing",
        },
    )
    assert "tidak boleh sebelum" in bad.content.decode()
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.ANALYSING
    today = workdays.today().isoformat()
    client.post(
        url, {"kpk_forwarded_on": today, "kpk_channel": "email", "kpk_reference": "G-1", "expected_status": "analysing"}
    )
    report = GratifikasiReport.objects.get(pk=report.pk)
    assert (report.status, report.kpk_channel, report.kpk_reference) == (Status.FORWARDED_TO_KPK, "email", "G-1")


def test_a_transition_form_for_the_wrong_state_or_role_changes_nothing(client, employee, upg, make_report):
    report = make_report(["submit"])
    client.force_login(upg)
    response = client.get(reverse("cases:transition_form", args=[report.reference, "forward_to_kpk"]), follow=True)
    assert "tidak tersedia" in response.content.decode()
    employee.force_login(report.reporter)
    response = employee.post(
        reverse("cases:transition_form", args=[report.reference, "record_decision"]),
        {"kpk_decision": "milik_negara", "kpk_sk_number": "X", "kpk_sk_date": "2026-11-20"},
        follow=True,
    )
    assert "tidak tersedia" in response.content.decode()
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_sending_back_requires_a_note_for_the_reporter(client, upg, make_report):
    report = make_report(["submit", "start_verification"])
    client.force_login(upg)
    response = client.post(
        reverse("cases:transition", args=[report.reference]),
        {"name": "request_completion", "expected_status": "verifying", "note": " "},
        follow=True,
    )
    assert "memerlukan catatan" in response.content.decode()
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.VERIFYING


def test_the_reporter_sees_messages_but_not_internal_notes(client, employee, upg, make_report):
    report = make_report(["submit"])
    services.add_comment(report, upg, "catatan internal rahasia")
    services.add_message(report, upg, "Mohon kirim foto barang.")
    employee.force_login(report.reporter)
    body = employee.get(reverse("cases:detail", args=[report.reference])).content.decode()
    assert "Mohon kirim foto barang." in body and "catatan internal rahasia" not in body
    assert "Diajukan ke UPG" in body
    employee.post(reverse("cases:message", args=[report.reference]), {"text": "Foto terlampir."})
    client.force_login(upg)
    assert "Foto terlampir." in client.get(reverse("cases:detail", args=[report.reference])).content.decode()


def test_a_confidential_report_is_seen_by_assigned_upg_and_inspectors_only(
    client, make_report, upg, make_user, inspektur
):
    other_upg = make_user("upg_lain", policy.PETUGAS_UPG)
    report = make_report(["submit"], confidentiality=Confidentiality.RAHASIA)
    url = reverse("cases:detail", args=[report.reference])
    client.force_login(upg)
    assert client.get(url).status_code == 404
    policy.grant_handling(upg, report)
    assert client.get(url).status_code == 200
    client.force_login(other_upg)
    assert client.get(url).status_code == 404
    client.force_login(inspektur)
    assert client.get(url).status_code == 200
    assert CaseEvent.objects.filter(case_id=report.pk, action="viewed").count() == 2


def test_a_late_report_is_flagged_in_the_inbox(client, upg, make_report):
    report = make_report(["submit"], received=dt.date(2026, 9, 1))
    client.force_login(upg)
    body = client.get(reverse("cases:inbox")).content.decode()
    assert report.reference in body and "Terlambat" in body
