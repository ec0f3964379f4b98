"""Forms of the WBS: the public report and tracking forms, and the handlers' and custodians' forms."""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import intake, workdays
from cases.evidence import EvidenceMixin, files_field, keep_metadata_field
from cases.forms import TransitionDataForm
from cases.models import Unit
from cases.textlimits import MESSAGE_MAX_LENGTH
from cases.validators import not_in_future
from wbs.models import Category, Knowledge, Outcome, ReferralTarget, WbsReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX = 10_000


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
    files = files_field()
    keep_metadata = keep_metadata_field()
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
    files = files_field()
    keep_metadata = keep_metadata_field()

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
