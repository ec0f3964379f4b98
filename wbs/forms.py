"""Forms of the WBS: the public report and tracking forms, and the handlers' and custodians' forms."""

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import attachments, intake, workdays
from cases.forms import TransitionDataForm
from cases.models import Unit
from cases.textlimits import MESSAGE_MAX_LENGTH
from cases.validators import not_in_future
from wbs.models import Category, Knowledge, Outcome, ReferralTarget, WbsReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_FILES = 10
TEXT_MAX = 10_000


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
    rest of the form keeps what was typed.

    Validation only looks: type by content, size, image dimensions from the header, and the totals of the
    request. Nothing is decoded until the view has checked the rate limit and the rest of the form is valid,
    and then only through `prepared_files` (issue 8: a refused or throttled form decoded image bombs)."""

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


def _files_field():
    # Lazy as a whole: a lazy string formatted with % would be translated once, at import.
    return MultipleFileField(label=_("Bukti (berkas)"), required=False, help_text=lazy(_files_help, str)())


def _keep_metadata_field():
    return forms.BooleanField(
        label=_("Pertahankan metadata foto (lokasi, waktu, kamera) karena itu bagian dari bukti"),
        required=False,
        help_text=_("Biarkan tidak dicentang: metadata dapat mengungkap siapa Anda."),
    )


class IdentityFields(forms.Form):
    identity_name = forms.CharField(label=_("Nama"), max_length=200, required=False)
    identity_number = forms.CharField(
        label=_("NIP atau NIK"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    identity_contact = forms.CharField(
        label=_("Kontak (telepon atau surel)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    identity_note = forms.CharField(
        label=_("Keterangan lain tentang Anda (opsional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_identity_number(self):
        number = "".join(self.cleaned_data["identity_number"].split())
        if number and (not number.isdigit() or len(number) not in (16, 18)):
            raise ValidationError(_("NIK terdiri dari 16 angka, NIP dari 18 angka."))
        return number

    def identity(self) -> dict | None:
        data = self.cleaned_data
        identity = {
            "name": data.get("identity_name", "").strip(),
            "id_number": data.get("identity_number", ""),
            "contact": data.get("identity_contact", "").strip(),
            "note": data.get("identity_note", "").strip(),
        }
        return identity if any(identity.values()) else None


class ReportForm(EvidenceMixin, IdentityFields, forms.ModelForm):
    """The public whistleblowing form (DESIGN §3): what, who, where, when, how, how the reporter knows,
    evidence; the identity optional and separate."""

    unit = forms.ModelChoiceField(
        label=_("Unit kerja yang dilaporkan (bila tahu)"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label=_("— tidak tahu / seluruh instansi —"),
    )
    files = _files_field()
    keep_metadata = _keep_metadata_field()
    # One-time token against double submission (cases.intake_views.IntakeViews.report).
    submission = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = WbsReport
        fields = ["category", "description", "involved", "location", "occurred", "method", "knowledge",
                  "knowledge_detail"]  # fmt: skip
        labels = {
            "category": _("Jenis pelanggaran"),
            "description": _("Apa yang terjadi?"),
            "involved": _("Siapa yang terlibat? (nama, jabatan, unit)"),
            "location": _("Di mana?"),
            "occurred": _("Kapan? (tanggal atau perkiraan waktu)"),
            "method": _("Bagaimana caranya?"),
            "knowledge": _("Bagaimana Anda mengetahuinya?"),
            "knowledge_detail": _("Keterangan tambahan"),
        }
        help_texts = {
            "description": _(
                "Ceritakan sejelas mungkin. Laporan dapat ditindaklanjuti bila memuat apa, siapa, "
                "di mana, kapan dan bagaimana, dengan bukti awal."
            ),  # fmt: skip
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
            "involved": forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
            "location": forms.TextInput(attrs={"maxlength": 500}),
            "occurred": forms.TextInput(attrs={"maxlength": 200}),
            "method": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
            "knowledge": forms.RadioSelect,
            "knowledge_detail": forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        }

    def __init__(self, *args, identity_accepted: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.identity_accepted = identity_accepted
        self.fields["category"].choices = [("", _("— pilih —"))] + list(Category.choices)
        self.fields["knowledge"].choices = list(Knowledge.choices)
        if not identity_accepted:
            for name in IdentityFields.base_fields:
                self.fields.pop(name)
        if not self.is_bound:
            self.initial["submission"] = secrets.token_urlsafe(16)

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 20:
            raise ValidationError(_("Uraikan kejadiannya paling sedikit 20 karakter."))
        if len(text) > TEXT_MAX:
            raise ValidationError(_("Uraian paling panjang %(n)d karakter.") % {"n": TEXT_MAX})
        return text

    def identity(self) -> dict | None:
        return super().identity() if self.identity_accepted else None

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TrackForm(forms.Form):
    receipt = forms.CharField(
        label=_("Kode tanda terima (16 angka)"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autocapitalize": "off"}),
    )

    def clean_receipt(self):
        digits = intake.normalise_receipt(self.cleaned_data["receipt"])
        if digits is None:
            raise ValidationError(_("Kode tanda terima terdiri dari 16 angka."))
        return digits


class ReporterMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Pesan kepada petugas"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReporterFilesForm(EvidenceMixin, forms.Form):
    files = _files_field()
    keep_metadata = _keep_metadata_field()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("files"):
            raise ValidationError(_("Pilih berkas yang akan dikirim."))
        return cleaned


class ReporterIdentityForm(IdentityFields):
    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("identity_name") or cleaned.get("identity_contact")):
            raise ValidationError(_("Isi paling sedikit nama atau kontak Anda."))
        return cleaned


# --- data a handler enters with a transition ----------------------------------------------------------------


class ReferForm(TransitionDataForm):
    referral_target = forms.ChoiceField(label=_("Diteruskan kepada"), choices=ReferralTarget.choices)
    referral_agency = forms.CharField(label=_("Nama instansi / unit penerima"), max_length=200)
    referral_letter = forms.CharField(label=_("Nomor surat penerusan"), max_length=100)
    referred_on = forms.DateField(label=_("Tanggal diteruskan"), widget=DATE, validators=[not_in_future])


class RecommendationForm(TransitionDataForm):
    outcome = forms.ChoiceField(label=_("Hasil"), choices=Outcome.choices)
    recommendation = forms.CharField(
        label=_("Rekomendasi"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_owner = forms.CharField(label=_("Penanggung jawab tindak lanjut"), max_length=200, required=False)
    follow_up_due = forms.DateField(label=_("Target tindak lanjut selesai"), widget=DATE, required=False)

    def clean(self):
        cleaned = super().clean()
        needs_follow_up = cleaned.get("outcome") and cleaned["outcome"] != Outcome.TIDAK_TERBUKTI
        if needs_follow_up and not (cleaned.get("follow_up_owner") and cleaned.get("follow_up_due")):
            raise ValidationError(_("Rekomendasi yang harus ditindaklanjuti memerlukan penanggung jawab dan target."))
        due = cleaned.get("follow_up_due")
        if due and due < workdays.today():
            self.add_error("follow_up_due", _("Target tidak boleh sebelum hari ini."))
        return cleaned


class CloseForm(TransitionDataForm):
    follow_up_result = forms.CharField(
        label=_("Hasil tindak lanjut"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_done_on = forms.DateField(label=_("Tanggal selesai"), widget=DATE, validators=[not_in_future])


# --- identity protection ----------------------------------------------------------------------------------


class ExcludeForm(forms.Form):
    person = forms.CharField(
        label=_("Terlapor: NIP atau nama pengguna"),
        max_length=150,
        help_text=_("Orang ini dan atasannya tidak akan dapat melihat laporan ini."),
    )
    reason = forms.CharField(
        label=_("Alasan pengecualian"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan pengecualian.")},
    )
    confirmed = forms.BooleanField(
        label=_("Saya yakin: pengecualian tidak dapat dibatalkan dari layar ini."),
        error_messages={"required": _("Centang konfirmasi untuk mengecualikan.")},
    )

    def clean_person(self):
        value = self.cleaned_data["person"].strip()
        user = get_user_model().objects.filter(Q(username=value) | Q(profile__nip=value)).first()
        if user is None:
            raise ValidationError(_("Tidak ada pegawai dengan NIP atau nama pengguna itu."))
        return user


class CustodianRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=2000,
        error_messages={"required": _("Tuliskan alasan pencabutan kunci kustodian.")},
    )
    confirmed = forms.BooleanField(
        label=_("Saya yakin: kunci ini dicabut dan tidak dapat dipulihkan."),
        error_messages={"required": _("Centang konfirmasi untuk mencabut kunci.")},
    )


class DisclosureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka identitas pelapor"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kustodian identitas menilai alasan ini. Pelapor akan diberi tahu bila disetujui."),
    )


class PassphraseField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.PasswordInput(attrs={"autocomplete": "off"}))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)


class DisclosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("deny", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Alasan keputusan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    passphrase = PassphraseField(label=_("Frasa sandi kustodian"))


class CustodianKeyForm(forms.Form):
    passphrase = PassphraseField(label=_("Frasa sandi baru (paling sedikit 12 karakter)"), min_length=12)
    passphrase_again = PassphraseField(label=_("Ulangi frasa sandi"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("passphrase") and cleaned.get("passphrase") != cleaned.get("passphrase_again"):
            raise ValidationError(_("Kedua frasa sandi tidak sama."))
        return cleaned


class PassphraseChangeForm(CustodianKeyForm):
    current = PassphraseField(label=_("Frasa sandi sekarang"))
    field_order = ["current", "passphrase", "passphrase_again"]


class PassphraseForm(forms.Form):
    passphrase = PassphraseField(label=_("Frasa sandi kustodian"))
