"""Rules of a step that live in the transition service, not in a view: the note a step requires, and the file
that comes with a step — kept in the transition's own transaction, or not at all."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import attachments, policy, services
from cases.models import Attachment, CaseEvent
from cases.textlimits import NOTE_MAX_LENGTH
from tests.casetype.models import Widget

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"surat pengantar " * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def staged_files(monkeypatch):
    """Every file the service stages, to check afterwards whether its stored blob is still there."""
    seen = []
    stage = attachments.stage

    def spy(upload):
        staged = stage(upload)
        seen.append(staged)
        return staged

    monkeypatch.setattr(attachments, "stage", spy)
    return seen


def snapshot(case):
    return (
        Widget.objects.get(pk=case.pk).status,
        CaseEvent.objects.filter(case_id=case.pk).count(),
        Attachment.objects.filter(case_id=case.pk).count(),
    )


# --- the note a step requires ------------------------------------------------------------------------------


@pytest.fixture
def note_required(monkeypatch):
    """The test kind's send_back marked note_required, as WBS request_info and gratifikasi request_completion."""
    meta = services.transition_meta(Widget(), "send_back")
    monkeypatch.setitem(meta.custom, "note_required", True)
    return meta


@pytest.mark.parametrize("note", ["", "   \n"])
def test_a_step_that_needs_a_note_is_refused_without_one_and_writes_nothing(make_widget, handler, note_required, note):
    case = make_widget("reviewing")
    before = snapshot(case)
    with pytest.raises(services.CaseError) as refused:
        services.transition(case, "send_back", handler, note=note)
    assert "memerlukan catatan" in refused.value.message
    assert snapshot(case) == before


def test_a_step_that_needs_a_note_goes_ahead_with_one(make_widget, handler, note_required):
    case = services.transition(make_widget("reviewing"), "send_back", handler, note="Lengkapi tanggal kejadian.")
    assert case.status == "returned"
    event = CaseEvent.objects.filter(case_id=case.pk, action="transition").last()
    assert event.data["note"] == "Lengkapi tanggal kejadian."


def test_the_case_page_marks_the_note_required_from_the_policy(make_widget, handler, note_required, client):
    case = make_widget("reviewing")
    assert policy.needs_note(note_required)
    client.force_login(handler)
    transitions = client.get(reverse("cases:detail", args=[case.reference])).context["transitions"]
    send_back = next(t for t in transitions if t["name"] == "send_back")
    assert send_back["note_required"] and send_back["note_label"] == "Catatan untuk pelapor (wajib)"


def test_the_button_without_a_note_gets_the_services_refusal(make_widget, handler, note_required, client):
    case = make_widget("reviewing")
    client.force_login(handler)
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {"name": "send_back", "expected_status": "reviewing", "note": " "},
        follow=True,
    )
    assert "memerlukan catatan untuk pelapor" in response.content.decode()
    assert Widget.objects.get(pk=case.pk).status == "reviewing"


# --- the file that comes with a step -----------------------------------------------------------------------


def test_a_file_with_a_step_is_kept_with_it(make_widget, handler, staged_files):
    case = make_widget("submitted")
    case = services.transition(
        case, "start_review", handler, attachment=SimpleUploadedFile("pengantar.pdf", PDF, "application/pdf")
    )
    assert case.status == "reviewing"
    attachment = Attachment.objects.get(case_id=case.pk)
    assert attachments.read(attachment) == PDF and attachment.uploaded_by == handler
    actions = list(CaseEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert actions[-2:] == ["transition", "attachment_added"]
    assert default_storage.exists(staged_files[0].blob)


def test_a_file_that_fails_the_check_refuses_the_step_and_nothing_is_saved(make_widget, handler):
    case = make_widget("submitted")
    before = snapshot(case)
    with pytest.raises(services.CaseError) as refused:
        services.transition(case, "start_review", handler, attachment=SimpleUploadedFile("surat.pdf", EXE))
    assert "tidak dapat diterima" in refused.value.message
    assert snapshot(case) == before


@pytest.mark.parametrize("failure", ["wrong_actor", "already_changed"])
def test_a_refused_step_keeps_no_file_and_no_stored_blob(make_widget, handler, outsider, staged_files, failure):
    case = make_widget("submitted")
    before = snapshot(case)
    actor, expected = (outsider, None) if failure == "wrong_actor" else (handler, "reviewing")
    with pytest.raises(services.CaseError):
        services.transition(
            case,
            "start_review",
            actor,
            expected_status=expected,
            attachment=SimpleUploadedFile("pengantar.pdf", PDF),
        )
    assert snapshot(case) == before
    assert staged_files and not default_storage.exists(staged_files[0].blob)


def test_when_the_file_cannot_be_recorded_the_step_is_undone_too(make_widget, handler, staged_files, monkeypatch):
    """One transaction: a failure while writing the file's row takes the transition back with it."""
    case = make_widget("submitted")
    before = snapshot(case)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(attachments, "record", broken)
    with pytest.raises(RuntimeError):
        services.transition(case, "start_review", handler, attachment=SimpleUploadedFile("pengantar.pdf", PDF))
    assert snapshot(case) == before
    assert not default_storage.exists(staged_files[0].blob)


# --- internal notes ----------------------------------------------------------------------------------------


def test_the_reporter_cannot_write_an_internal_note_through_the_service_either(make_widget, pegawai, handler):
    case = make_widget("submitted")
    with pytest.raises(services.NotAllowed):
        services.add_comment(case, pegawai, "catatan pelapor")
    services.add_comment(case, handler, "catatan petugas")
    assert list(CaseEvent.objects.filter(case_id=case.pk, action="comment").values_list("actor", flat=True)) == [
        handler.pk
    ]


# --- the length of a note or reason ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["note", "reason"])
def test_a_note_or_reason_over_the_limit_is_refused_not_cut(make_widget, handler, field):
    case = make_widget("reviewing")
    before = snapshot(case)
    too_long = "x" * (NOTE_MAX_LENGTH + 1)
    with pytest.raises(services.CaseError) as refused:
        services.transition(case, "reject", handler, confirmed=True, **{"reason": "Cukup.", field: too_long})
    assert "terlalu panjang" in refused.value.message
    assert snapshot(case) == before
