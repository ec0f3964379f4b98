"""Files from people without an account, for any kind's public forms: several files from one input (works
without JavaScript), checked by content, size and image dimensions, and only decoded (to remove image
metadata) through `prepared_files()`, once the view has checked the rate limit and the rest of the form.

The rules of issue 8 (image bombs, fakes by name, totals), in the core so that every public form (WBS,
pengaduan) uses the same ones without importing another app.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import attachments

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type="file" multiple>`: works without JavaScript."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class EvidenceMixin:
    """Files plus the reporter's choice to keep image metadata; refused files are reported by name and the
    rest of the form keeps what was typed. Validation only looks (type by content, size, image dimensions from
    the header, the totals of the request); nothing is decoded until `prepared_files`."""

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Paling banyak %(n)d berkas sekali kirim.") % {"n": MAX_FILES})
        total = sum(upload.size for upload in uploads)
        if total > settings.SIGAP_UPLOAD_MAX_TOTAL_BYTES:
            raise ValidationError(
                _(
                    "Jumlah ukuran berkas %(size)s melebihi batas %(limit)s sekali kirim. Kirim sebagian sekarang "
                    "dan sisanya nanti melalui halaman pantau laporan."
                )
                % {"size": filesizeformat(total), "limit": filesizeformat(settings.SIGAP_UPLOAD_MAX_TOTAL_BYTES)}
            )
        errors, pixels = [], 0
        for upload in uploads:
            try:
                content_type = attachments.check(upload)
                pixels += attachments.image_pixels(upload, content_type)
            except attachments.AttachmentRejected as exc:
                errors.append(exc.message)
        if errors:
            raise ValidationError(errors)
        if pixels > settings.SIGAP_UPLOAD_MAX_PIXELS:
            raise ValidationError(
                _(
                    "Gambar-gambar ini bersama-sama terlalu besar untuk sekali kirim (%(mp)d megapiksel, batasnya "
                    "%(limit)d). Kirim sebagian sekarang dan sisanya nanti melalui halaman pantau laporan."
                )
                % {"mp": round(pixels / 1e6), "limit": round(settings.SIGAP_UPLOAD_MAX_PIXELS / 1e6)}
            )
        return uploads

    def prepared_files(self) -> list:
        """The files ready to store: image metadata removed unless the reporter chose to keep it. Raises
        attachments.AttachmentRejected (with the user's message) for an image that cannot be processed."""
        keep = bool(self.cleaned_data.get("keep_metadata"))
        return [attachments.prepare(upload, remove_metadata=not keep) for upload in self.cleaned_data["files"]]


def _files_help() -> str:
    return gettext(
        "PDF, foto, dokumen Office, teks, audio atau video; paling banyak %(n)d berkas, masing-masing "
        "%(mb)d MB. Dokumen dapat menyimpan nama pembuatnya di propertinya: periksa sebelum mengirim."
    ) % {"n": MAX_FILES, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}


def files_field() -> MultipleFileField:
    # Lazy as a whole: a lazy string formatted with % would be translated once, at import.
    return MultipleFileField(label=_("Bukti (berkas)"), required=False, help_text=lazy(_files_help, str)())


def keep_metadata_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Pertahankan metadata foto (lokasi, waktu, kamera) karena itu bagian dari bukti"),
        required=False,
        help_text=_("Biarkan tidak dicentang: metadata dapat mengungkap siapa Anda."),
    )
