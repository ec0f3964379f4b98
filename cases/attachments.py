"""Case files: checked by content, encrypted, stored outside the database under a random name."""

import hashlib
import os
import uuid

import magic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cases import audit, crypto
from cases.models import Attachment, Case

# What libmagic may find in a file, and the names such a file may carry. A file whose content is not on this
# list, or whose name claims another type (an .exe renamed .pdf), is refused.
ALLOWED_TYPES: dict[str, set[str]] = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "image/webp": {".webp"},
    "image/heic": {".heic"},
    "text/plain": {".txt"},
    "text/csv": {".csv"},
    "application/msword": {".doc"},
    "application/vnd.ms-excel": {".xls"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "audio/mpeg": {".mp3"},
    "audio/x-m4a": {".m4a"},
    "video/mp4": {".mp4", ".m4a"},
}
SNIFF_BYTES = 1024 * 1024


class AttachmentRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check(upload: UploadedFile) -> str:
    """Return the detected content type, or raise AttachmentRejected with a message for the user."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise AttachmentRejected(
            _("Berkas “%(name)s” terlalu besar (%(size)s). Batasnya %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise AttachmentRejected(_("Berkas “%(name)s” kosong.") % {"name": upload.name})
    upload.seek(0)
    detected = magic.from_buffer(upload.read(SNIFF_BYTES), mime=True)
    upload.seek(0)
    extension = os.path.splitext(upload.name)[1].lower()
    if detected not in ALLOWED_TYPES or extension not in ALLOWED_TYPES[detected]:
        raise AttachmentRejected(
            _(
                "Berkas “%(name)s” tidak dapat diterima: isinya tidak sesuai jenis yang diizinkan "
                "(PDF, gambar, dokumen Office, teks, audio/video)."
            )
            % {"name": upload.name}
        )
    return detected


def add(*, case: Case, upload: UploadedFile, actor) -> Attachment:
    content_type = check(upload)
    data = upload.read()
    blob = uuid.uuid4().hex
    stored = default_storage.save(f"cases/{blob[:2]}/{blob}", ContentFile(crypto.encrypt_bytes(data)))
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                case=case,
                name_encrypted=crypto.encrypt_text(os.path.basename(upload.name)[:255]),
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                blob=stored,
                uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            )
            # No file name in the log: names of evidence files often name people.
            audit.record(case, "attachment_added", actor, data={"attachment": str(attachment.uuid), "size": len(data)})
    except Exception:
        default_storage.delete(stored)
        raise
    return attachment


def read(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.blob, "rb") as handle:
        return crypto.decrypt_bytes(handle.read())


def record_download(attachment: Attachment, actor) -> None:
    audit.record(attachment.case, "attachment_downloaded", actor, data={"attachment": str(attachment.uuid)})


def rotate_all() -> int:
    """Re-encrypt every stored file and file name under the newest key. Readable throughout: MultiFernet
    decrypts with any listed key, so the web keeps serving while this runs."""
    count = 0
    for attachment in Attachment.objects.iterator(chunk_size=200):
        with default_storage.open(attachment.blob, "rb") as handle:
            rotated = crypto.rotate(handle.read())
        # Write the new copy first and switch the row to it, so a download never finds the file missing.
        blob = uuid.uuid4().hex
        stored = default_storage.save(f"cases/{blob[:2]}/{blob}", ContentFile(rotated))
        Attachment.objects.filter(pk=attachment.pk).update(
            blob=stored, name_encrypted=crypto.rotate(attachment.name_encrypted.encode()).decode()
        )
        default_storage.delete(attachment.blob)
        count += 1
    return count
