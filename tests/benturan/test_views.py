"""The declaration's pages: list, form (draft and submit), edit, delete, proactive opening, step aside, the
decision letter, and the kind's block on the core case page — happy paths and refusals."""

import datetime as dt
import shutil
import subprocess
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from benturan.models import Declaration, Status
from cases import policy
from cases.models import CaseEvent
from tests.benturan.conftest import DECLARATION

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
FORGED = "BKP-2026-999999"


def form_data(**overrides) -> dict:
    data = {**DECLARATION, "activity_date": DECLARATION["activity_date"].isoformat()}
    data.update(overrides)
    return data


def login(client, user):
    client.force_login(user)
    return client


# --- the list ---------------------------------------------------------------------------------------------


def test_the_list_shows_the_employees_own_declarations_with_drafts(client, make_declaration, pegawai):
    draft = make_declaration(Status.DRAFT)
    submitted = make_declaration(Status.SUBMITTED, subject="Pemeriksaan reguler Bagian Umum")
    page = login(client, pegawai).get(reverse("benturan:declarations")).content.decode()
    assert reverse("benturan:declaration_edit", args=[draft.reference]) in page
    assert submitted.reference in page and "Pemeriksaan reguler Bagian Umum" in page
    assert "Menunggu keputusan Anda" not in page


def test_the_list_shows_the_supervisor_what_waits_for_them_and_what_is_late(client, make_declaration, atasan):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=WIB), tick=False):
        declaration = make_declaration(Status.SUBMITTED)
    due = declaration.clocks.get(code="decision").due_date
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, tzinfo=WIB), tick=False):
        page = login(client, atasan).get(reverse("benturan:declarations")).content.decode()
    assert "Menunggu keputusan Anda" in page and declaration.reference in page
    assert due.strftime("%d-%m-%Y") in page and "terlambat" not in page
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, tzinfo=WIB), tick=False):
        # Signed in again: the session of four weeks ago has expired.
        page = login(client, atasan).get(reverse("benturan:declarations")).content.decode()
    assert "terlambat" in page


def test_the_list_shows_others_nothing_of_someone_elses_declaration(client, make_declaration, rekan, kepala):
    declaration = make_declaration(Status.SUBMITTED)
    for person in (rekan, kepala):
        page = login(client, person).get(reverse("benturan:declarations")).content.decode()
        assert declaration.reference not in page and DECLARATION["subject"] not in page


# --- declaring ----------------------------------------------------------------------------------------------


def test_it_saves_a_draft(client, pegawai):
    response = login(client, pegawai).post(reverse("benturan:declare"), form_data(save="1"))
    declaration = Declaration.objects.get(reporter=pegawai)
    assert response.status_code == 302
    assert response["Location"] == reverse("benturan:declaration_edit", args=[declaration.reference])
    assert declaration.status == Status.DRAFT and declaration.interest == DECLARATION["interest"]


def test_it_submits_to_the_supervisor(client, pegawai, atasan):
    response = login(client, pegawai).post(reverse("benturan:declare"), form_data(submit="1"))
    declaration = Declaration.objects.get(reporter=pegawai)
    assert response["Location"] == reverse("cases:detail", args=[declaration.reference])
    assert declaration.status == Status.SUBMITTED and declaration.assignee == atasan
    assert declaration.reference.startswith("BKP-")


def test_it_keeps_everything_typed_when_a_field_is_missing(client, pegawai):
    response = login(client, pegawai).post(reverse("benturan:declare"), form_data(subject="", submit="1"))
    page = response.content.decode()
    assert response.status_code == 200 and "has-error" in page
    assert "Adik ipar saya direktur salah satu peserta lelang." in page
    assert not Declaration.objects.exists()


def test_a_refusal_to_submit_shows_on_the_form_and_keeps_the_input(client, make_user):
    lonely = make_user("lonely", policy.PEGAWAI)
    response = login(client, lonely).post(reverse("benturan:declare"), form_data(submit="1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "belum mencantumkan atasan langsung" in page
    assert "Adik ipar saya direktur salah satu peserta lelang." in page
    # The draft was kept, and the form now posts to it: submitting again makes no second draft.
    draft = Declaration.objects.get(reporter=lonely)
    assert draft.status == Status.DRAFT
    assert reverse("benturan:declaration_edit", args=[draft.reference]) in page
    client.post(reverse("benturan:declaration_edit", args=[draft.reference]), form_data(submit="1"))
    assert Declaration.objects.filter(reporter=lonely).count() == 1


# --- editing and deleting a draft ---------------------------------------------------------------------------


def test_the_reporter_edits_and_submits_their_draft(client, make_declaration, pegawai, atasan):
    draft = make_declaration(Status.DRAFT)
    url = reverse("benturan:declaration_edit", args=[draft.reference])
    page = login(client, pegawai).get(url).content.decode()
    assert DECLARATION["interest"] in page
    response = client.post(url, form_data(subject="Subjek yang diperbaiki", submit="1"))
    draft.refresh_from_db()
    assert draft.subject == "Subjek yang diperbaiki" and draft.status == Status.SUBMITTED
    assert response["Location"] == reverse("cases:detail", args=[draft.reference])


def test_nobody_else_reaches_a_draft(client, make_declaration, atasan, inspektur, rekan):
    draft = make_declaration(Status.DRAFT)
    url = reverse("benturan:declaration_edit", args=[draft.reference])
    for person in (atasan, inspektur, rekan):
        assert login(client, person).get(url).status_code == 404
        assert client.post(url, form_data(submit="1")).status_code == 404
    assert Declaration.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_submitted_declaration_is_no_longer_edited(client, make_declaration, pegawai, atasan):
    declaration = make_declaration(Status.SUBMITTED)
    url = reverse("benturan:declaration_edit", args=[declaration.reference])
    response = login(client, pegawai).post(url, form_data(subject="Diubah diam-diam"))
    assert response["Location"] == reverse("cases:detail", args=[declaration.reference])
    assert login(client, atasan).get(url).status_code == 403
    assert Declaration.objects.get(pk=declaration.pk).subject == DECLARATION["subject"]


def test_a_forged_reference_is_404(client, pegawai):
    login(client, pegawai)
    assert client.get(reverse("benturan:declaration_edit", args=[FORGED])).status_code == 404
    assert client.post(reverse("benturan:declaration_delete", args=[FORGED])).status_code == 404
    assert client.get(reverse("benturan:letter", args=[FORGED])).status_code == 404
    assert client.post(reverse("benturan:step_aside", args=[FORGED]), {"reason": "x"}).status_code == 404


def test_the_reporter_deletes_a_draft_by_post_only(client, make_declaration, pegawai, rekan):
    draft = make_declaration(Status.DRAFT)
    url = reverse("benturan:declaration_delete", args=[draft.reference])
    assert login(client, pegawai).get(url).status_code == 405
    assert login(client, rekan).post(url).status_code == 404
    response = login(client, pegawai).post(url)
    assert response["Location"] == reverse("benturan:declarations")
    assert not Declaration.objects.filter(pk=draft.pk).exists()


def test_a_submitted_declaration_is_not_deleted(client, make_declaration, pegawai, atasan):
    declaration = make_declaration(Status.SUBMITTED)
    url = reverse("benturan:declaration_delete", args=[declaration.reference])
    login(client, pegawai).post(url)
    assert login(client, atasan).post(url).status_code == 403
    assert Declaration.objects.filter(pk=declaration.pk).exists()


# --- a supervisor opens one ---------------------------------------------------------------------------------


def test_a_supervisor_opens_one_about_a_subordinate(client, atasan, pegawai):
    url = reverse("benturan:open")
    page = login(client, atasan).get(url).content.decode()
    assert f'value="{pegawai.pk}"' in page
    response = client.post(url, form_data(employee=pegawai.pk))
    declaration = Declaration.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[declaration.reference])
    assert (declaration.reporter, declaration.opened_by, declaration.assignee) == (pegawai, atasan, atasan)
    assert declaration.status == Status.SUBMITTED


def test_someone_without_subordinates_cannot_open_one(client, pegawai, inspektur, outsider, atasan):
    for person in (pegawai, inspektur, outsider):
        login(client, person)
        assert client.get(reverse("benturan:open")).status_code == 403
        assert client.post(reverse("benturan:open"), form_data(employee=pegawai.pk)).status_code == 403
    assert not Declaration.objects.exists()


def test_a_supervisor_cannot_open_one_about_someone_elses_subordinate(client, atasan, kepala, pegawai):
    response = login(client, kepala).post(reverse("benturan:open"), form_data(employee=pegawai.pk))
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not Declaration.objects.exists()


# --- stepping aside -----------------------------------------------------------------------------------------


def test_the_decider_steps_aside_through_the_form(client, make_declaration, atasan, kepala):
    declaration = make_declaration(Status.ANALYSING)
    page = login(client, atasan).get(reverse("cases:detail", args=[declaration.reference])).content.decode()
    url = reverse("benturan:step_aside", args=[declaration.reference])
    assert f'action="{url}"' in page
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "Direktur itu sepupu saya.", "confirmed": "on"})
    assert response["Location"] == reverse("benturan:declarations")
    declaration.refresh_from_db()
    assert declaration.assignee == kepala
    assert client.get(reverse("cases:detail", args=[declaration.reference])).status_code == 404


def test_stepping_aside_needs_a_reason_and_the_confirmation(client, make_declaration, atasan):
    declaration = make_declaration(Status.SUBMITTED)
    url = reverse("benturan:step_aside", args=[declaration.reference])
    login(client, atasan).post(url, {"reason": "Saya terlibat."})
    login(client, atasan).post(url, {"reason": "", "confirmed": "on"})
    declaration.refresh_from_db()
    assert declaration.assignee == atasan
    assert not CaseEvent.objects.filter(case=declaration, action="excluded").exists()


def test_only_the_decider_may_step_aside(client, make_declaration, pegawai, kepala, inspektur):
    declaration = make_declaration(Status.SUBMITTED)
    url = reverse("benturan:step_aside", args=[declaration.reference])
    page = login(client, pegawai).get(reverse("cases:detail", args=[declaration.reference])).content.decode()
    assert url not in page
    data = {"reason": "Saya terlibat.", "confirmed": "on"}
    assert client.post(url, data).status_code == 403
    assert login(client, inspektur).post(url, data).status_code == 403
    assert login(client, kepala).post(url, data).status_code == 404
    assert Declaration.objects.get(pk=declaration.pk).assignee.username == "atasan"


def test_a_decided_declaration_is_not_stepped_aside(client, make_declaration, atasan):
    declaration = make_declaration(Status.DECIDED)
    url = reverse("benturan:step_aside", args=[declaration.reference])
    page = login(client, atasan).get(reverse("cases:detail", args=[declaration.reference])).content.decode()
    assert url not in page
    response = client.post(url, {"reason": "Terlambat sadar.", "confirmed": "on"}, follow=True)
    assert "tidak dapat dilimpahkan" in response.content.decode()
    assert Declaration.objects.get(pk=declaration.pk).assignee == atasan


# --- the kind's block on the case page ----------------------------------------------------------------------


def test_the_case_page_shows_the_frozen_banner_until_decided(client, make_declaration, pegawai, atasan):
    declaration = make_declaration(Status.SUBMITTED)
    page = login(client, pegawai).get(reverse("cases:detail", args=[declaration.reference])).content.decode()
    assert "DIBEKUKAN" in page and DECLARATION["subject"] in page and DECLARATION["interest"] in page
    decided = make_declaration(Status.DECIDED)
    page = client.get(reverse("cases:detail", args=[decided.reference])).content.decode()
    assert "DIBEKUKAN" not in page
    assert "Pegawai mengundurkan diri dari pengambilan keputusan" in page
    assert "dalam 7 hari kerja" in page
    assert reverse("benturan:letter", args=[decided.reference]) in page


def test_the_case_page_names_who_opened_it(client, atasan, pegawai):
    from benturan import services

    declaration = services.declaration_open(actor=atasan, employee=pegawai, fields=DECLARATION)
    page = login(client, pegawai).get(reverse("cases:detail", args=[declaration.reference])).content.decode()
    assert "Dibuka oleh atasan" in page


# --- the decision letter ------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def exported(declaration) -> int:
    return CaseEvent.objects.filter(case=declaration, action="exported").count()


def test_the_letter_is_there_only_once_decided(client, make_declaration, pegawai):
    declaration = make_declaration(Status.ANALYSING)
    response = login(client, pegawai).get(reverse("benturan:letter", args=[declaration.reference]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[declaration.reference])
    assert exported(declaration) == 0


@pytest.mark.parametrize("reader", ["pegawai", "atasan", "inspektur"])
def test_whoever_sees_the_case_downloads_the_letter(client, make_declaration, request, reader):
    declaration = make_declaration(Status.DECIDED)
    response = login(client, request.getfixturevalue(reader)).get(
        reverse("benturan:letter", args=[declaration.reference])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert exported(declaration) == 1


@pytest.mark.parametrize("reader", ["kepala", "rekan", "outsider", "admin_user"])
def test_the_letter_is_404_for_who_may_not_see_the_case(client, login_verified, make_declaration, request, reader):
    declaration = make_declaration(Status.DECIDED)
    login_verified(request.getfixturevalue(reader))  # an admin signs in with the second factor
    assert client.get(reverse("benturan:letter", args=[declaration.reference])).status_code == 404
    assert exported(declaration) == 0


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_the_letter_says_what_was_decided_and_by_whom(client, make_declaration, pegawai, atasan, rekan):
    pegawai.first_name, pegawai.last_name = "Sri", "Lestari"
    pegawai.save()
    pegawai.profile.nip, pegawai.profile.position = "198001012005011001", "Pejabat Pengadaan"
    pegawai.profile.save()
    atasan.first_name, atasan.last_name = "Budi", "Santoso"
    atasan.save()
    atasan.profile.position = "Kepala Bagian Umum"
    atasan.profile.save()
    declaration = make_declaration(Status.DECIDED)
    text = pdf_text(login(client, pegawai).get(reverse("benturan:letter", args=[declaration.reference])).content)
    for expected in (
        declaration.reference,
        "Sri Lestari",
        "198001012005011001",
        "Pejabat Pengadaan",
        "Sekretariat",
        DECLARATION["subject"],
        "Pegawai mengundurkan diri dari pengambilan keputusan",
        "Benar: ipar pegawai direktur peserta lelang.",
        "Penilaian penawaran dapat tidak objektif.",
        "Pegawai tidak ikut menilai penawaran.",
        "Pegawai keluar dari pokja",
        "Budi Santoso",
        "Kepala Bagian Umum",
        "Pasal 42",
        "Nomor 17 Tahun 2024",
    ):
        assert expected in text, expected


# --- a suspected undeclared conflict reported elsewhere, linked to the declaration --------------------------


def test_an_inspektur_links_another_case_to_the_declaration(client, make_declaration, make_widget, inspektur, atasan):
    """A report about an undeclared conflict (here the core's test kind, as a WBS or pengaduan case would be)
    is linked to the declaration through the core; the decider sees that a link exists, not the other case."""
    declaration = make_declaration(Status.ANALYSING)
    report = make_widget("submitted")
    login(client, inspektur).post(
        reverse("cases:link", args=[report.reference]), {"reference": declaration.reference, "relation": "related"}
    )
    assert CaseEvent.objects.filter(case=declaration, action="linked").count() == 1
    page = login(client, atasan).get(reverse("cases:detail", args=[declaration.reference])).content.decode()
    assert "Kasus terkait" in page and "kasus yang tidak dapat Anda lihat" in page
    assert report.reference not in page
