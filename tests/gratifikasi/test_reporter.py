"""The reporter's side of a gratifikasi report: their own case page speaks to them, a report sent back shows
what is asked and by when, drafts can be deleted, and the PDF is their proof of reporting."""

import re

import pytest
from django.urls import reverse

from cases import policy, services, workdays
from cases.models import Case, CaseEvent
from gratifikasi.models import GratifikasiObject, GratifikasiReport

pytestmark = pytest.mark.django_db


def page(client, report) -> str:
    response = client.get(reverse("cases:detail", args=[report.reference]))
    assert response.status_code == 200
    return response.content.decode()


# --- the case page ---------------------------------------------------------------------------------------


def test_the_reporters_page_speaks_to_the_reporter(client, pegawai, upg, make_report):
    report = make_report(["submit", "start_verification"])

    client.force_login(pegawai)
    html = page(client, report)
    assert "Pesan kepada UPG" in html
    assert "Pesan kepada pelapor" not in html
    assert "pelapor membacanya" not in html

    client.force_login(upg)
    html = page(client, report)
    assert "Pesan kepada pelapor" in html
    assert "Pesan kepada UPG" not in html


def test_the_reporter_reads_states_not_the_officers_action_names(client, pegawai, make_report):
    report = make_report(["submit", "start_verification", ("request_completion", {"note": "Lampirkan foto."})])
    client.force_login(pegawai)
    html = page(client, report)
    assert "Kembalikan untuk dilengkapi" not in html
    assert "Mulai verifikasi" not in html
    assert "Status laporan" in html and "Perlu dilengkapi pelapor" in html


def test_a_report_sent_back_shows_the_reporter_what_is_asked_and_by_when(client, pegawai, upg, make_report):
    report = make_report(["submit", "start_verification"])
    report = services.transition(report, "request_completion", upg, note="Mohon lampirkan foto parsel dan kuitansi.")
    due = report.clocks.get(code="upg_forward").due_date

    client.force_login(pegawai)
    html = page(client, report)
    banner = html[html.index('class="banner warning"') :]
    banner = banner[: banner.index("</div>")]
    assert "UPG meminta Anda melengkapi laporan ini" in banner
    assert "Mohon lampirkan foto parsel dan kuitansi." in banner
    assert f"{due:%d-%m-%Y}" in banner
    assert reverse("gratifikasi:edit", args=[report.reference]) in banner
    # And on the form where the reporter completes it.
    form_page = client.get(reverse("gratifikasi:edit", args=[report.reference])).content.decode()
    assert "Mohon lampirkan foto parsel dan kuitansi." in form_page
    assert f"{due:%d-%m-%Y}" in form_page

    # Not for the UPG, and not once the reporter has sent the completion.
    client.force_login(upg)
    assert 'class="banner warning"' not in page(client, report)
    report = services.transition(report, "complete", pegawai)
    client.force_login(pegawai)
    assert 'class="banner warning"' not in page(client, report)


# --- the PDF as proof of reporting --------------------------------------------------------------------------


def test_the_reporter_downloads_the_pdf_of_their_own_report(client, pegawai, make_report):
    report = make_report(["submit"])
    client.force_login(pegawai)
    assert reverse("gratifikasi:pdf", args=[report.reference]) in page(client, report)

    response = client.get(reverse("gratifikasi:pdf", args=[report.reference]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    events = list(CaseEvent.objects.filter(case_id=report.pk, action="exported"))
    assert [(event.actor, event.data) for event in events] == [(pegawai, {"format": "pdf"})]


def test_only_the_reporter_gets_the_pdf_of_their_report(client, make_user, make_report):
    report = make_report(["submit"])
    colleague = make_user("rekan", policy.PEGAWAI)
    client.force_login(colleague)
    assert client.get(reverse("gratifikasi:pdf", args=[report.reference])).status_code == 404
    assert not CaseEvent.objects.filter(case_id=report.pk, action="exported").exists()


def test_a_draft_is_not_proof_of_reporting(client, pegawai, make_report):
    draft = make_report()
    client.force_login(pegawai)
    response = client.get(reverse("gratifikasi:pdf", args=[draft.reference]))
    assert response.status_code == 302
    assert response["Location"] == reverse("gratifikasi:edit", args=[draft.reference])
    assert not CaseEvent.objects.filter(case_id=draft.pk, action="exported").exists()


# --- deleting a draft --------------------------------------------------------------------------------------


def test_the_author_deletes_a_draft_after_confirming(client, pegawai, make_report):
    draft = make_report()
    url = reverse("gratifikasi:delete", args=[draft.reference])
    client.force_login(pegawai)
    # Offered where the author finds the draft: the case page, the list and the form.
    assert url in page(client, draft)
    assert url in client.get(reverse("gratifikasi:list")).content.decode()
    assert url in client.get(reverse("gratifikasi:edit", args=[draft.reference])).content.decode()

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ya, hapus draf" in confirm.content.decode()
    assert Case.objects.filter(pk=draft.pk).exists()  # a GET deletes nothing

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == reverse("gratifikasi:list")
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert not GratifikasiObject.objects.filter(report_id=draft.pk).exists()
    assert not CaseEvent.objects.filter(case_id=draft.pk).exists()
    # Simply gone: no field history keeps the draft's text either.
    assert not Case.history.filter(id=draft.pk).exists()
    assert not GratifikasiReport.history.filter(case_id=draft.pk).exists()


def test_a_submitted_report_cannot_be_deleted(client, pegawai, make_report):
    report = make_report(["submit"])
    client.force_login(pegawai)
    response = client.post(reverse("gratifikasi:delete", args=[report.reference]))
    assert response.status_code == 302
    assert Case.objects.filter(pk=report.pk).exists()
    assert reverse("gratifikasi:delete", args=[report.reference]) not in page(client, report)
    with pytest.raises(services.AlreadyChanged):
        from gratifikasi.services import draft_delete

        draft_delete(reporter=pegawai, report=report)


def test_nobody_else_can_delete_a_draft(client, upg, make_user, make_report):
    draft = make_report()
    for user in (upg, make_user("rekan", policy.PEGAWAI)):
        client.force_login(user)
        assert client.post(reverse("gratifikasi:delete", args=[draft.reference])).status_code == 404
    assert Case.objects.filter(pk=draft.pk).exists()


def test_a_deleted_draft_leaves_no_gap_in_the_register(client, pegawai, make_report):
    kept, deleted = make_report(), make_report()
    client.force_login(pegawai)
    client.post(reverse("gratifikasi:delete", args=[deleted.reference]))
    submitted = services.transition(kept, "submit", pegawai)
    assert submitted.reference.endswith("-000001")


def test_the_reporters_page_in_english(client, pegawai, upg, make_report):
    from django.conf import settings

    report = make_report(["submit", "start_verification"])
    report = services.transition(report, "request_completion", upg, note="Foto.")
    client.force_login(pegawai)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, report)
    assert "Message to the UPG" in html
    assert "The UPG asks you to complete this report" in html
    assert "Report status" in html
    # No punctuation right after the bold date: read element by element it became "Complete it by 16-12-2026 :".
    assert re.search(r"Until <strong>[0-9-]+</strong> the UPG can still forward your report", html)
    assert not re.search(r"</strong>[:,.;]", html)


def test_an_upg_officers_own_report_with_no_other_officer_waits_for_the_coordinator(client, upg, unit, make_user):
    report = services.create_case(
        kind="gratifikasi",
        actor=upg,
        unit=unit,
        reporter=upg,
        report_type="penerimaan",
        date_received=workdays.today(),
        giver_name="Budi",
        giver_institution="PT Rekanan",
        summary="parsel",
    )
    GratifikasiObject.objects.create(report=report, kind="barang", description="Parsel", value=750_000)
    report = services.transition(report, "submit", upg)
    client.force_login(upg)

    html = page(client, report)
    assert "kasus menunggu koordinator atau inspektorat menetapkan petugas" in html
    assert "ditangani petugas lain" not in html
    with pytest.raises(services.NotAllowed, match="menunggu koordinator atau inspektorat"):
        services.transition(report, "start_verification", upg)

    make_user("upg2", policy.PETUGAS_UPG)
    assert "kasus ini ditangani petugas lain" in page(client, report)
    with pytest.raises(services.NotAllowed, match="ditangani petugas lain"):
        services.transition(report, "start_verification", upg)
