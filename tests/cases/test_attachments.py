import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cases import attachments
from cases.models import Attachment, CaseEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"rahasia-bukti " * 50
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_it_stores_the_file_encrypted_under_a_random_name(widget, pegawai):
    attachment = attachments.add(case=widget, upload=upload("bukti transfer.pdf", PDF), actor=pegawai)
    with default_storage.open(attachment.blob, "rb") as handle:
        stored = handle.read()
    assert b"rahasia-bukti" not in stored and b"%PDF" not in stored
    assert "bukti" not in attachment.blob and "bukti" not in attachment.name_encrypted
    assert attachments.read(attachment) == PDF
    assert attachment.name == "bukti transfer.pdf"
    assert attachment.content_type == "application/pdf"
    event = CaseEvent.objects.filter(case_id=widget.pk).last()
    assert event.action == "attachment_added" and "bukti" not in str(event.data)


def test_it_refuses_a_file_whose_content_is_not_what_its_name_says(widget, pegawai):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    with pytest.raises(attachments.AttachmentRejected, match="tidak dapat diterima"):
        attachments.add(case=widget, upload=upload("laporan.pdf", exe), actor=pegawai)
    with pytest.raises(attachments.AttachmentRejected):
        attachments.add(case=widget, upload=upload("foto.pdf", PNG), actor=pegawai)
    assert not Attachment.objects.exists()


@override_settings(ATTACHMENT_MAX_BYTES=100)
def test_it_refuses_an_oversized_file(widget, pegawai):
    with pytest.raises(attachments.AttachmentRejected, match="terlalu besar"):
        attachments.add(case=widget, upload=upload("besar.pdf", PDF), actor=pegawai)


def test_it_refuses_an_empty_file(widget, pegawai):
    with pytest.raises(attachments.AttachmentRejected, match="kosong"):
        attachments.add(case=widget, upload=upload("kosong.txt", b""), actor=pegawai)


def test_rotation_reencrypts_under_the_new_key_and_keeps_files_readable(widget, pegawai, settings):
    from cryptography.fernet import Fernet

    attachment = attachments.add(case=widget, upload=upload("a.pdf", PDF), actor=pegawai)
    old_keys = list(settings.DATA_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.DATA_ENCRYPTION_KEYS = [new_key, *old_keys]
    assert attachments.rotate_all() == 1
    settings.DATA_ENCRYPTION_KEYS = [new_key]  # the old key retired
    rotated = Attachment.objects.get(pk=attachment.pk)
    assert attachments.read(rotated) == PDF
    assert rotated.name == "a.pdf"
    assert not default_storage.exists(attachment.blob)


def test_a_storage_that_refuses_the_file_gives_the_user_a_message_and_keeps_nothing(
    widget, pegawai, monkeypatch, caplog
):
    # Found by the outside trial: SIGAP_STORAGE=s3 with a bucket that does not exist answered an upload with a 500.
    def refuse(*_args, **_kwargs):
        raise OSError("NoSuchBucket: s3://bucket-name/cases/ab/abcdef")

    monkeypatch.setattr(default_storage, "save", refuse)
    with pytest.raises(attachments.AttachmentRejected, match="tidak dapat disimpan saat ini"):
        attachments.add(case=widget, upload=upload("bukti.pdf", PDF), actor=pegawai)
    assert not Attachment.objects.filter(case_id=widget.pk).exists()
    assert "OSError" in caplog.text and "bucket-name" not in caplog.text


def test_a_file_the_storage_cannot_read_redirects_with_a_message(client, widget, pegawai, monkeypatch):
    from django.urls import reverse

    attachment = attachments.add(case=widget, upload=upload("bukti.pdf", PDF), actor=pegawai)
    downloads = CaseEvent.objects.filter(case_id=widget.pk, action="attachment_downloaded").count()

    def unreachable(*_args, **_kwargs):
        raise FileNotFoundError(attachment.blob)

    monkeypatch.setattr(default_storage, "open", unreachable)
    client.force_login(pegawai)
    response = client.get(reverse("cases:attachment", args=[attachment.uuid]), follow=True)
    assert response.status_code == 200
    assert "tidak dapat dibaca dari penyimpanan berkas saat ini" in response.content.decode()
    # Not recorded as downloaded: nothing was.
    assert CaseEvent.objects.filter(case_id=widget.pk, action="attachment_downloaded").count() == downloads
