"""Case files: checked by content, encrypted, stored outside the database under a random name."""

import hashlib
import io
import logging
import os
import uuid
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cases import audit, crypto, registry
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
logger = logging.getLogger(__name__)


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
    if detected in IMAGE_TYPES:
        refuse_oversized_image(upload, detected)
    return detected


# Images whose metadata (EXIF: camera serial, GPS position, time taken, owner name) we can remove.
STRIPPABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# Images whose size Pillow reads from the header. HEIC is not decoded here at all (see strip_metadata).
IMAGE_TYPES = frozenset(STRIPPABLE)


def _pillow():
    """Pillow, imported when an image is first handled (it is heavy, and most requests carry no image), with
    its decompression-bomb guard set to our own limit as a backstop behind refuse_oversized_image."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.SIGAP_IMAGE_MAX_PIXELS
    return Image


def image_pixels(upload: UploadedFile, content_type: str) -> int:
    """Width × height as the image's header declares them, without decoding a pixel; 0 if unreadable.

    A PNG of 13,000 × 13,000 pixels compresses to under 500 KB but decodes to 500 MB: the header is the only
    safe place to measure it (issue 8, "image bombs")."""
    if content_type not in IMAGE_TYPES:
        return 0
    _pillow()
    from PIL import JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # lazily, as _pillow() says why

    # The detected format's own parser, called directly: it reads the header only (the pixels are decoded on
    # load(), which never happens here), and unlike Image.open it does not raise Pillow's bomb error before
    # we know the size to name in our message.
    parser = {
        "image/jpeg": JpegImagePlugin.JpegImageFile,
        "image/png": PngImagePlugin.PngImageFile,
        "image/webp": WebPImagePlugin.WebPImageFile,
    }[content_type]
    upload.seek(0)
    try:
        with parser(upload) as image:
            width, height = image.size
    except Exception:  # an unreadable header is refused later, when the image is decoded
        return 0
    finally:
        upload.seek(0)
    return width * height


def refuse_oversized_image(upload: UploadedFile, content_type: str) -> int:
    """Raise AttachmentRejected for an image larger than SIGAP_IMAGE_MAX_PIXELS; return its pixel count."""
    pixels = image_pixels(upload, content_type)
    limit = settings.SIGAP_IMAGE_MAX_PIXELS
    if pixels > limit:
        raise AttachmentRejected(
            _(
                "Gambar “%(name)s” terlalu besar (%(mp)s megapiksel). Batasnya %(limit)s megapiksel; perkecil "
                "ukuran gambar lalu kirim lagi."
            )
            % {"name": upload.name, "mp": round(pixels / 1e6), "limit": round(limit / 1e6)}
        )
    return pixels


def strip_metadata(data: bytes, content_type: str, name: str) -> bytes:
    """The image re-encoded from its pixels alone, turned upright as its EXIF said: no EXIF, XMP, IPTC,
    JPEG comment, PNG text chunk (tEXt/zTXt/iTXt) or ICC profile survives.

    Re-encoding is the reliable way (lossless metadata surgery would mean parsing every container by hand);
    JPEG at quality 95 keeps evidence legible. Pillow copies some metadata from the source on save (the JPEG
    comment, the PNG ICC profile), so only the pixel-related `transparency` is carried over. An ICC profile
    can name a device or its owner in its text tags: the pixels are converted to sRGB with it and the
    profile dropped, so colours stay right. Other files are returned unchanged: documents can carry an
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
    Image = _pillow()
    from PIL import ImageOps, UnidentifiedImageError  # lazily, as _pillow() says why

    image_format = STRIPPABLE[content_type]
    try:
        with Image.open(io.BytesIO(data)) as image:
            # Checked again here, from the header, for callers that did not go through check().
            if image.size[0] * image.size[1] > settings.SIGAP_IMAGE_MAX_PIXELS:
                raise Image.DecompressionBombError(name)
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright = _to_srgb(upright, image.info.get("icc_profile"))
            if image_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            kept = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
            upright.info = kept
            out = io.BytesIO()
            options = {"quality": 95} if image_format in ("JPEG", "WEBP") else {}
            upright.save(out, image_format, **options)
    except Image.DecompressionBombError:
        raise AttachmentRejected(
            _("Gambar “%(name)s” terlalu besar untuk diproses; perkecil ukurannya lalu kirim lagi.") % {"name": name}
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise AttachmentRejected(
            _("Gambar “%(name)s” rusak atau terlalu besar untuk diproses.") % {"name": name}
        ) from None
    return out.getvalue()


def _to_srgb(image, icc: bytes | None):
    """The image's pixels in sRGB, so its ICC profile (and the text in it) can be left out."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image  # greyscale and palette images: the profile is simply left out
    from PIL import ImageCms  # lazily, as _pillow() says why

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile: the pixels as they are, without it
    converted.info = dict(image.info)
    return converted


def prepare(upload: UploadedFile, *, remove_metadata: bool) -> UploadedFile:
    """Check an upload and, if asked, strip its metadata; raises AttachmentRejected with the user's message.
    Views call this only once the form is otherwise valid and the rate limit passed (stripping decodes the
    image, the one costly step), and show a refusal with everything typed still in the form."""
    content_type = check(upload)
    if not remove_metadata:
        return upload
    data = strip_metadata(upload.read(), content_type, upload.name)
    return SimpleUploadedFile(upload.name, data, content_type)


@dataclass(frozen=True)
class StagedFile:
    """A checked upload already stored encrypted, waiting for its row (`record`) or its removal (`discard`)."""

    blob: str
    name: str
    content_type: str
    size: int
    sha256: str


def stage(upload: UploadedFile) -> StagedFile:
    """Check a file by its content and store it encrypted; raises AttachmentRejected with the user's message.
    Done before any database transaction is opened: writing the file is I/O, and a transaction held open
    while a large file is written keeps its row locks for as long."""
    content_type = check(upload)
    data = upload.read()
    blob = uuid.uuid4().hex
    try:
        stored = default_storage.save(f"cases/{blob[:2]}/{blob}", ContentFile(crypto.encrypt_bytes(data)))
    except Exception as exc:  # the disk or the bucket (SIGAP_STORAGE=s3): unreachable, full, misconfigured
        # Only the error's type: its text may carry the bucket, the endpoint or a path.
        logger.error("attachment storage refused a file: %s", type(exc).__name__)
        raise AttachmentRejected(
            _(
                "Berkas “%(name)s” tidak dapat disimpan saat ini: penyimpanan berkas tidak dapat dihubungi. Coba lagi "
                "nanti; bila masih gagal, beri tahu admin."
            )
            % {"name": upload.name}
        ) from exc
    return StagedFile(
        blob=stored,
        name=os.path.basename(upload.name)[:255],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def record(*, case: Case, staged: StagedFile, actor, at=None) -> Attachment:
    """The row and the audit event of a staged file, inside the caller's transaction (e.g. the transition whose
    evidence it is: both are kept, or neither)."""
    with transaction.atomic():
        attachment = Attachment.objects.create(
            case=case,
            name_encrypted=crypto.encrypt_text(staged.name),
            content_type=staged.content_type,
            size=staged.size,
            sha256=staged.sha256,
            blob=staged.blob,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if at is not None:
            Attachment.objects.filter(pk=attachment.pk).update(created_at=at)
            attachment.created_at = at
        # No file name in the log: names of evidence files often name people.
        event_data = {"attachment": str(attachment.uuid), "size": staged.size}
        if at is not None:
            event_data["from_reporter"] = True
        audit.record(case, "attachment_added", actor, data=event_data, at=at)
    return attachment


def discard(staged: StagedFile) -> None:
    """Remove a staged file whose row was never kept (its transaction failed or was refused)."""
    default_storage.delete(staged.blob)


def add(*, case: Case, upload: UploadedFile, actor, at=None) -> Attachment:
    """Check, encrypt and store a file of the case. `at` records a rounded time instead of now (an anonymous
    reporter's upload, cases.intake)."""
    staged = stage(upload)
    try:
        return record(case=case, staged=staged, actor=actor, at=at)
    except Exception:
        discard(staged)
        raise


class StorageUnavailable(Exception):
    """The stored file could not be read: the storage is unreachable, or the file is not where its row says."""


def read(attachment: Attachment) -> bytes:
    try:
        with default_storage.open(attachment.blob, "rb") as handle:
            stored = handle.read()
    except Exception as exc:  # the disk or the bucket; a wrong key or altered ciphertext still raises below
        logger.error("attachment storage could not read a file: %s", type(exc).__name__)
        raise StorageUnavailable from exc
    return crypto.decrypt_bytes(stored)


def record_download(attachment: Attachment, actor) -> None:
    audit.record(attachment.case, "attachment_downloaded", actor, data={"attachment": str(attachment.uuid)})


def rotate_all() -> int:
    """Re-encrypt every stored file and file name under the newest key. Readable throughout: MultiFernet
    decrypts with any listed key, so the web keeps serving while this runs.

    Besides the cases' attachments, the rows of other apps that store files through `stage` (`blob` and
    `name_encrypted` fields, e.g. evaluasi's documents), which they list in `registry.stored_file_models`."""
    count = 0
    for model in (Attachment, *registry.stored_file_models):
        for row in model.objects.iterator(chunk_size=200):
            with default_storage.open(row.blob, "rb") as handle:
                rotated = crypto.rotate(handle.read())
            # Write the new copy first and switch the row to it, so a download never finds the file missing.
            blob = uuid.uuid4().hex
            stored = default_storage.save(f"cases/{blob[:2]}/{blob}", ContentFile(rotated))
            model.objects.filter(pk=row.pk).update(
                blob=stored, name_encrypted=crypto.rotate(row.name_encrypted.encode()).decode()
            )
            default_storage.delete(row.blob)
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
