"""Periodic evaluation records: recording with documents (checked by content, size, encrypted at rest, image
metadata removed), a refused file losing nothing typed, permission-checked and audited downloads, the admin's
registers without content, and the demo data."""

import datetime as dt
import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from cases.models import CaseEvent
from evaluasi import services
from evaluasi.models import Document, Evaluation, FollowUp, Recommendation
from evaluasi.periods import Period
from tests.evaluasi.test_followup_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="notulen.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _form(**extra):
    return {
        "module": "uji",
        "unit": "",
        "period": "2026-Q3",
        "held_on": "2026-10-05",
        "participants": "Peserta yang sudah diketik",
        "findings": "Temuan yang sudah diketik panjang",
        **extra,
    }


def test_the_inspectorate_records_an_evaluation_with_documents_encrypted(as_user, inspektur, unit):
    response = as_user(inspektur).post(
        reverse("evaluasi:evaluation_new"), {**_form(unit=unit.pk), "files": [_pdf(), _pdf("hadir.pdf")]}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.period_start, evaluation.period_end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    documents = list(evaluation.documents.all())
    assert len(documents) == 2
    with default_storage.open(documents[0].blob, "rb") as handle:
        assert PDF not in handle.read()  # encrypted at rest
    assert "notulen" not in documents[0].name_encrypted
    assert {services.document_name(document) for document in documents} == {"notulen.pdf", "hadir.pdf"}


def test_a_fake_file_is_refused_and_everything_typed_stays(as_user, inspektur, unit):
    fake = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = as_user(inspektur).post(reverse("evaluasi:evaluation_new"), {**_form(unit=unit.pk), "files": [fake]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "tidak dapat diterima" in body
    assert "Peserta yang sudah diketik" in body and "Temuan yang sudah diketik panjang" in body
    assert not Evaluation.objects.exists() and not Document.objects.exists()


@override_settings(ATTACHMENT_MAX_BYTES=20)
def test_an_oversized_file_is_refused(as_user, inspektur, unit):
    response = as_user(inspektur).post(reverse("evaluasi:evaluation_new"), {**_form(unit=unit.pk), "files": [_pdf()]})
    assert "terlalu besar" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_service_refuses_a_fake_file_and_stores_nothing(inspektur, unit, tmp_path):
    before = set(_stored_blobs())
    with pytest.raises(services.FollowUpRefused) as refused:
        services.evaluation_record(
            module="uji",
            unit=unit,
            period=Period.quarter(2026, 3),
            held_on=dt.date(2026, 10, 5),
            participants="P",
            findings="F",
            actor=inspektur,
            files=[_pdf(), SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")],
        )
    assert refused.value.field == "files"
    assert not Evaluation.objects.exists()
    assert set(_stored_blobs()) == before  # the first, accepted file was discarded too


def _stored_blobs():
    try:
        directories, _files = default_storage.listdir("cases")
    except FileNotFoundError:
        return []
    return [f"{d}/{name}" for d in directories for name in default_storage.listdir(f"cases/{d}")[1]]


def test_a_photos_metadata_is_removed(recommendation, pegawai):
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x013B] = "Nama Pemilik Kamera"  # Artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    photo = SimpleUploadedFile("bukti.jpg", buffer.getvalue(), "image/jpeg")
    action = services.action_record(
        recommendation=recommendation, done_on=dt.date(2026, 10, 20), description="Foto", actor=pegawai, files=[photo]
    )
    data = services.document_read(action.documents.get(), pegawai)
    assert b"Nama Pemilik Kamera" not in data and data[:2] == b"\xff\xd8"


def test_a_download_is_permission_checked_and_logged(as_user, inspektur, unit_head, other_head, pegawai, unit, caplog):
    evaluation = services.evaluation_record(
        module="uji",
        unit=unit,
        period=Period.quarter(2026, 3),
        held_on=dt.date(2026, 10, 5),
        participants="P",
        findings="F",
        actor=inspektur,
        files=[_pdf()],
    )
    url = reverse("evaluasi:document", args=[evaluation.documents.get().uuid])
    assert as_user(other_head).get(url).status_code == 404
    assert as_user(pegawai).get(url).status_code == 404
    with caplog.at_level(logging.INFO, logger="evaluasi.audit"):
        response = as_user(unit_head).get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert any("document_downloaded" in record.getMessage() for record in caplog.records)


def test_evidence_of_a_case_recommendation_is_downloaded_on_the_cases_chain(
    as_user, make_widget, handler, inspektur, atasan, outsider
):
    case = make_widget(status="submitted")
    recommendation = services.recommendation_add(
        case=case, text="R", owner=atasan, due_on=dt.date(2027, 1, 29), actor=inspektur
    )
    action = services.action_record(
        recommendation=recommendation, done_on=recommendation.issued_on, description="D", actor=atasan, files=[_pdf()]
    )
    url = reverse("evaluasi:document", args=[action.documents.get().uuid])
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(inspektur).get(url).status_code == 200
    event = CaseEvent.objects.filter(case=case, action="recommendation_document_downloaded").get()
    assert event.actor == inspektur and event.data == {"document": str(action.documents.get().uuid)}


def test_recording_is_refused_to_everyone_but_the_inspectorate(as_user, pegawai, unit_head, unit):
    for person in (pegawai, unit_head):
        client = as_user(person)
        assert client.get(reverse("evaluasi:evaluation_new")).status_code == 403
        assert client.post(reverse("evaluasi:evaluation_new"), _form(unit=unit.pk)).status_code == 403
    assert not Evaluation.objects.exists()


def test_a_future_evaluation_date_is_refused_with_the_form_kept(as_user, inspektur, unit):
    response = as_user(inspektur).post(reverse("evaluasi:evaluation_new"), _form(unit=unit.pk, held_on="2099-01-01"))
    body = response.content.decode()
    assert "tidak boleh setelah hari ini" in body and "Temuan yang sudah diketik panjang" in body


def test_the_admin_registers_show_no_content(client, login_verified, admin_user, recommendation):
    login_verified(admin_user)
    for name in ("evaluasi_recommendation_changelist", "evaluasi_evaluation_changelist"):
        body = client.get(reverse(f"admin:{name}")).content.decode()
        assert "rahasia" not in body.lower()
    body = client.get(reverse("admin:evaluasi_recommendation_change", args=[recommendation.pk])).content.decode()
    assert "rahasia" not in body.lower()
    assert client.get(reverse("admin:evaluasi_evaluationschedule_changelist")).status_code == 200


def test_the_demo_has_an_evaluation_per_module_and_follow_up_in_every_state():
    from cases import registry, workdays

    call_command("seed_demo", stdout=io.StringIO())
    modules = {kind.code for kind in registry.all_kinds()}
    assert set(Evaluation.objects.values_list("module", flat=True)) == modules
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert {FollowUp.SELESAI, FollowUp.PROSES, FollowUp.BELUM} <= statuses
    today = workdays.today()
    assert Recommendation.objects.filter(status=FollowUp.BELUM, due_on__lt=today).exists()
    case_recommendation = Recommendation.objects.get(case__isnull=False)
    assert CaseEvent.objects.filter(case=case_recommendation.case, action="recommendation_added").exists()
    assert get_user_model().objects.get(username="inspektur").pk == case_recommendation.created_by_id


def test_key_rotation_re_encrypts_documents_too(inspektur, unit, settings):
    from cryptography.fernet import Fernet

    from cases import attachments

    evaluation = services.evaluation_record(
        module="uji",
        unit=unit,
        period=Period.quarter(2026, 3),
        held_on=dt.date(2026, 10, 5),
        participants="P",
        findings="F",
        actor=inspektur,
        files=[_pdf()],
    )
    old = evaluation.documents.get()
    settings.DATA_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.DATA_ENCRYPTION_KEYS]
    assert attachments.rotate_all() >= 1
    rotated = Document.objects.get(pk=old.pk)
    assert rotated.blob != old.blob and rotated.name_encrypted != old.name_encrypted
    settings.DATA_ENCRYPTION_KEYS = settings.DATA_ENCRYPTION_KEYS[:1]  # the old key retired: still readable
    assert services.document_read(rotated, inspektur) == PDF
    assert services.document_name(rotated) == "notulen.pdf"


def test_documents_are_added_to_an_evaluation_by_the_inspectorate_only(as_user, evaluation, inspektur, unit_head):
    url = reverse("evaluasi:evaluation_document", args=[evaluation.uuid])
    assert as_user(unit_head).post(url, {"files": [_pdf()]}).status_code == 403
    assert as_user(inspektur).get(url).status_code == 405
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")
    refused = as_user(inspektur).post(url, {"files": [fake]})
    assert refused.status_code == 400 and "tidak dapat diterima" in refused.content.decode()
    assert as_user(inspektur).post(url, {"files": [_pdf()]}).status_code == 302
    assert evaluation.documents.count() == 1
