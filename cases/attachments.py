"""Case files: checked by content, encrypted, stored outside the database under a random name."""

import hashlib
import io
import os
import uuid

import magic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
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


# Images whose metadata (EXIF: camera serial, GPS position, time taken, owner name) we can remove.
STRIPPABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def strip_metadata(data: bytes, content_type: str, name: str) -> bytes:
    """The image re-encoded without EXIF, XMP or text chunks, turned upright as its EXIF said.

    Re-encoding is the reliable way (lossless metadata surgery would mean parsing every container by hand);
    JPEG at quality 95 keeps evidence legible. Other files are returned unchanged: documents can carry an
    author's name too, which the public form warns about."""
    if content_type == "image/heic":
        raise AttachmentRejected(
            _(
                "Metadata foto HEIC “%(name)s” tidak dapat dihapus di sini. Kirim sebagai JPEG, atau centang "
                "“pertahankan metadata” bila metadata itu memang bukti."
            )
            % {"name": name}
        )
    if content_type not in STRIPPABLE:
        return data
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            if STRIPPABLE[content_type] == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 95} if STRIPPABLE[content_type] in ("JPEG", "WEBP") else {}
            icc = image.info.get("icc_profile")
            if icc:
                options["icc_profile"] = icc
            upright.save(out, STRIPPABLE[content_type], **options)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        raise AttachmentRejected(
            _("Gambar “%(name)s” rusak atau terlalu besar untuk diproses.") % {"name": name}
        ) from None
    return out.getvalue()


def prepare(upload: UploadedFile, *, remove_metadata: bool) -> UploadedFile:
    """Check an upload and, if asked, strip its metadata; raises AttachmentRejected with the user's message.
    Forms call this in `clean`, so a refused file is reported with everything typed still in the form."""
    content_type = check(upload)
    if not remove_metadata:
        return upload
    data = strip_metadata(upload.read(), content_type, upload.name)
    return SimpleUploadedFile(upload.name, data, content_type)


def add(*, case: Case, upload: UploadedFile, actor, at=None) -> Attachment:
    """Check, encrypt and store a file of the case. `at` records a rounded time instead of now (an anonymous
    reporter's upload, cases.intake)."""
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
            if at is not None:
                Attachment.objects.filter(pk=attachment.pk).update(created_at=at)
                attachment.created_at = at
            # No file name in the log: names of evidence files often name people.
            event_data = {"attachment": str(attachment.uuid), "size": len(data)}
            if at is not None:
                event_data["from_reporter"] = True
            audit.record(case, "attachment_added", actor, data=event_data, at=at)
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


def delete_all(case: Case) -> int:
    """Remove a case's files, rows and stored blobs (retention purge). Blobs go once the rows are gone."""
    blobs = list(Attachment.objects.filter(case=case).values_list("blob", flat=True))
    Attachment.objects.filter(case=case).delete()

    def remove_blobs():
        for blob in blobs:
            default_storage.delete(blob)

    transaction.on_commit(remove_blobs)
    return len(blobs)
