"""Pengaduan forms: one per transition that asks for data (the `form` paths in pengaduan/models.py). The public
form and the officers' recording form follow below them."""

import datetime as dt
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import intake, policy
from cases.evidence import EvidenceMixin, files_field, keep_metadata_field
from cases.forms import PeriodUnitForm, TransitionDataForm
from cases.models import Unit
from cases.textlimits import MESSAGE_MAX_LENGTH, LimitedTextForm
from cases.validators import not_in_future
from pengaduan import services
from pengaduan.models import RECORDED_CHANNELS, Category, Channel, Complaint, IdentityMode, Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX = 10_000

# Kept in step with the WBS categories without importing the app (no app imports another): the core's
# conversion hands the category over as data, and WBS checks it.
WBS_CATEGORIES = [
    ("korupsi", _("Korupsi (termasuk gratifikasi yang tidak dilaporkan)")),
    ("suap_pungli", _("Suap atau pungutan liar")),
    ("penyalahgunaan_wewenang", _("Penyalahgunaan wewenang")),
    ("pengadaan", _("Pengadaan barang/jasa")),
]


class ForwardForm(TransitionDataForm):
    forwarded_agency = forms.CharField(label=_("Instansi tujuan"), max_length=200)
    forwarded_letter = forms.CharField(label=_("Nomor surat penerusan"), max_length=100)
    forwarded_on = forms.DateField(label=_("Tanggal diteruskan"), widget=DATE, validators=[not_in_future])

    def clean_forwarded_on(self):
        # Also checked by the transition; here so the form comes back with what was typed.
        day = self.cleaned_data["forwarded_on"]
        if day < self.case.received_on:
            raise forms.ValidationError(_("Tanggal penerusan tidak boleh sebelum pengaduan diterima."))
        return day


class DuplicateForm(TransitionDataForm):
    original = forms.CharField(
        label=_("Nomor pengaduan yang sama"),
        max_length=32,
        help_text=_("Mis. ADU-2026-000123. Kedua pengaduan disimpan dan saling ditautkan."),
    )

    def clean_original(self):
        reference = self.cleaned_data["original"].strip().upper()
        if reference == self.case.reference:
            raise forms.ValidationError(_("Pengaduan tidak dapat menjadi duplikat dirinya sendiri."))
        if not Complaint.objects.filter(reference=reference).exists():
            raise forms.ValidationError(_("Tidak ada pengaduan dengan nomor %(ref)s.") % {"ref": reference})
        return reference


class DisposeForm(TransitionDataForm):
    disposed_unit = forms.ModelChoiceField(
        label=_("Unit tujuan"), queryset=Unit.objects.filter(is_active=True), empty_label=_("— pilih unit —")
    )
    handler = forms.ModelChoiceField(label=_("Petugas penanganan"), queryset=None, empty_label=_("— pilih petugas —"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # Only people who may handle it without a conflict (cases.policy): never the complainant or a person
        # the complaint is about.
        self.fields["handler"].queryset = policy.assignable_users(case)
        self.fields["handler"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if case.service_id:
            self.fields["disposed_unit"].initial = case.service.unit_id


class AnswerForm(TransitionDataForm):
    answer = forms.CharField(
        label=_("Jawaban kepada pengadu"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    answer_signatory = forms.CharField(
        label=_("Penandatangan surat jawaban"),
        max_length=200,
        help_text=_("Nama dan jabatan, mis. Kepala Bagian Umum."),
    )


class ConvertForm(TransitionDataForm):
    wbs_category = forms.ChoiceField(label=_("Kategori laporan WBS"), choices=WBS_CATEGORIES)


# ---------------------------------------------------------------------------------------------------------
# Officers' forms: a complaint recorded from another channel, and the recap's filter


# The same modes as the public form's, in the officer's words (the public form speaks as the complainant).
RECORDED_IDENTITY_CHOICES = [
    (IdentityMode.IDENTIFIED, _("Dengan identitas: petugas melihat nama dan kontak pengadu")),
    (IdentityMode.CONFIDENTIAL, _("Dirahasiakan: hanya koordinator pengaduan yang melihat identitas pengadu")),
    (IdentityMode.ANONYMOUS, _("Anonim: pengadu tidak memberikan identitas")),
]


class RecordForm(EvidenceMixin, LimitedTextForm, forms.Form):
    """A complaint that came by e-mail, telephone, letter, the loket, LAPOR! …, typed in by an officer. The
    clocks count from when it actually arrived (`received_date` + `received_time`), not from data entry."""

    channel = forms.ChoiceField(label=_("Saluran"), choices=[("", _("— pilih saluran —")), *RECORDED_CHANNELS])
    received_date = forms.DateField(
        label=_("Tanggal diterima"),
        widget=DATE,
        validators=[not_in_future],
        help_text=_("Kapan pengaduan benar-benar diterima (cap surat, waktu telepon), bukan hari ini mencatat."),
    )
    received_time = forms.TimeField(
        label=_("Jam diterima"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    lapor_tracking_id = forms.CharField(
        label=_("Nomor tiket SP4N-LAPOR!"),
        max_length=50,
        required=False,
        help_text=_("Wajib untuk disposisi SP4N-LAPOR!."),
    )
    channel_reference = forms.CharField(
        label=_("Nomor surat / rujukan saluran"),
        max_length=100,
        required=False,
        help_text=_("Mis. nomor surat, nomor agenda loket, tautan unggahan media sosial."),
    )
    service = forms.ModelChoiceField(
        label=_("Layanan"), queryset=Service.objects.none(), required=False, empty_label=_("— tidak ada di katalog —")
    )
    service_date = forms.DateField(label=_("Tanggal layanan"), widget=DATE, required=False, validators=[not_in_future])
    location = forms.CharField(label=_("Tempat layanan"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Kategori masalah"), choices=[("", _("— pilih kategori —")), *Category.choices]
    )
    description = forms.CharField(
        label=_("Apa yang diadukan"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    expectation = forms.CharField(
        label=_("Harapan pengadu"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    identity_mode = forms.ChoiceField(
        label=_("Identitas pengadu"), choices=RECORDED_IDENTITY_CHOICES, widget=forms.RadioSelect
    )
    complainant_name = forms.CharField(label=_("Nama pengadu"), max_length=200, required=False)
    complainant_contact = forms.CharField(label=_("Telepon / alamat pengadu"), max_length=300, required=False)
    complainant_email = forms.EmailField(label=_("Surel pengadu"), required=False)
    # The same checks as the public forms (cases.evidence): type by content, sizes, image dimensions; metadata
    # removed when stored (an officer files the complainant's evidence, not their own).
    files = files_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["service"].queryset = Service.objects.filter(is_active=True).select_related("unit")

    def clean_lapor_tracking_id(self):
        lapor_id = self.cleaned_data["lapor_tracking_id"].strip()
        existing = services.complaint_with_lapor_id(lapor_id)
        if existing is not None:
            if policy.can_view(self.user, existing):
                raise forms.ValidationError(
                    _("Nomor tiket LAPOR! ini sudah tercatat pada pengaduan %(ref)s.") % {"ref": existing.reference}
                )
            raise forms.ValidationError(_("Nomor tiket LAPOR! ini sudah tercatat pada pengaduan lain."))
        return lapor_id

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("channel") == Channel.LAPOR
            and not cleaned.get("lapor_tracking_id")
            and not self.has_error("lapor_tracking_id")
        ):
            self.add_error("lapor_tracking_id", _("Disposisi SP4N-LAPOR! memerlukan nomor tiket LAPOR!."))
        day, time = cleaned.get("received_date"), cleaned.get("received_time")
        if day and time:
            received_at = timezone.make_aware(dt.datetime.combine(day, time))
            if received_at > timezone.now():
                self.add_error("received_time", _("Waktu diterima tidak boleh di masa depan."))
            cleaned["received_at"] = received_at
            service_date = cleaned.get("service_date")
            if service_date and service_date > day:
                self.add_error("service_date", _("Tanggal layanan tidak boleh setelah pengaduan diterima."))
        mode = cleaned.get("identity_mode")
        if mode in (IdentityMode.IDENTIFIED, IdentityMode.CONFIDENTIAL) and not cleaned.get("complainant_name"):
            self.add_error("complainant_name", _("Isi nama pengadu, atau pilih anonim."))
        return cleaned

    def filing(self) -> dict:
        """The keyword arguments of pengaduan.services.complaint_record, from the valid form."""
        data = self.cleaned_data
        return {
            "fields": {
                name: data[name]
                for name in (
                    "service",
                    "service_date",
                    "location",
                    "category",
                    "description",
                    "expectation",
                    "channel_reference",
                    "lapor_tracking_id",
                )
            },
            "identity_mode": data["identity_mode"],
            "identity": {name: data[name] for name in ("complainant_name", "complainant_contact", "complainant_email")},
            "files": self.prepared_files(),
            "channel": data["channel"],
            "received_at": data["received_at"],
        }


class RecapForm(PeriodUnitForm):
    """The recap's period (by the day complaints were received) and unit, with the units under it."""


# Public forms: the complainant's, without an account (pengaduan/views.py INTAKE, the core's intake pages).
# Every text field shows its limit (cases.textlimits, with a live counter when JavaScript runs); files follow
# the same rules as the WBS form (cases.evidence).


class ComplaintForm(EvidenceMixin, LimitedTextForm, forms.Form):
    """The public complaint form. Who the complainant is depends on how they choose to appear: identified
    (name and a contact, seen by the officers), confidential (the same, seen only by the complaint coordinator)
    or anonymous (no name or contact is taken, even if sent). An e-mail address for news is allowed in every
    mode; it is never shown to the officers of a confidential or anonymous complaint.

    The honeypot (`homepage`) is hidden from people and screen readers. A filled one is refused politely,
    without filing: the form comes back with everything typed and the honeypot emptied, so a person whose
    browser filled it by itself only has to send again; a robot learns nothing it could not read anyway."""

    service = forms.ModelChoiceField(
        label=_("Layanan yang diadukan"),
        queryset=Service.objects.filter(is_active=True),
        empty_label=_("— pilih layanan —"),
        error_messages={"required": _("Pilih layanan yang Anda adukan.")},
    )
    service_date = forms.DateField(
        label=_("Tanggal Anda menerima layanan"), widget=DATE, required=False, validators=[not_in_future]
    )
    service_date_unknown = forms.BooleanField(label=_("Saya tidak ingat tanggalnya"), required=False)
    location = forms.CharField(label=_("Di mana? (kantor, loket, alamat)"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Jenis masalah"),
        choices=[("", _("— pilih —"))] + list(Category.choices),
        error_messages={"required": _("Pilih jenis masalah.")},
    )
    description = forms.CharField(
        label=_("Apa yang terjadi?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ceritakan apa yang Anda alami, kapan, dan siapa petugas yang melayani bila tahu; paling sedikit 20 "
            "karakter."
        ),
        error_messages={"required": _("Ceritakan apa yang terjadi.")},
    )
    expectation = forms.CharField(
        label=_("Apa yang Anda harapkan? (tidak wajib)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = files_field()
    keep_metadata = keep_metadata_field()
    identity_mode = forms.ChoiceField(
        label=_("Bagaimana Anda ingin tampil?"),
        choices=IdentityMode.choices,
        widget=forms.RadioSelect,
        initial=IdentityMode.IDENTIFIED,
        error_messages={"required": _("Pilih cara Anda tampil.")},
    )
    complainant_name = forms.CharField(
        label=_("Nama"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    complainant_contact = forms.CharField(
        label=_("Telepon atau alamat"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    complainant_email = forms.EmailField(
        label=_("Surel untuk kabar perkembangan (tidak wajib)"),
        max_length=254,
        required=False,
        help_text=_(
            "Boleh diisi dengan cara tampil apa pun. Untuk pengaduan dirahasiakan dan anonim, surel hanya "
            "memberi tahu bahwa ada kabar baru, tanpa isinya."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    truth_statement = forms.BooleanField(
        label=_("Saya menyatakan bahwa pengaduan ini benar sesuai yang saya alami atau ketahui."),
        error_messages={"required": _("Centang pernyataan kebenaran untuk mengirim pengaduan.")},
    )
    # The honeypot: rendered by hand in the template, empty, outside what people and screen readers see.
    homepage = forms.CharField(label=_("Jangan diisi"), required=False, max_length=200)
    # One-time token against double submission (cases.intake_views.IntakeViews.report).
    submission = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        # What identifies the same complaint sent again (cases.intake_views: the fingerprint).
        fields = ["service", "service_date", "location", "category", "description", "expectation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].label_from_instance = lambda service: (
            f"{service.group} · {service.name}" if service.group else service.name
        )
        if not self.is_bound:
            self.initial["submission"] = secrets.token_urlsafe(16)

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 20:
            raise forms.ValidationError(_("Ceritakan apa yang terjadi paling sedikit 20 karakter."))
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            raise forms.ValidationError(
                _(
                    "Pengaduan belum terkirim karena sebuah kolom tersembunyi terisi (mungkin oleh pengisian "
                    "otomatis browser). Periksa isian Anda, lalu kirim sekali lagi."
                )
            )
        if (
            not cleaned.get("service_date")
            and not cleaned.get("service_date_unknown")
            and not self.has_error("service_date")
        ):
            self.add_error("service_date", _("Isi tanggal layanan, atau centang “Saya tidak ingat tanggalnya”."))
        mode = cleaned.get("identity_mode")
        if mode in (IdentityMode.IDENTIFIED, IdentityMode.CONFIDENTIAL):
            if not (cleaned.get("complainant_name") or "").strip():
                self.add_error("complainant_name", _("Tuliskan nama Anda, atau pilih tampil anonim."))
            has_email = cleaned.get("complainant_email") or self.has_error("complainant_email")
            if not (cleaned.get("complainant_contact") or "").strip() and not has_email:
                self.add_error(
                    "complainant_contact",
                    _("Tuliskan paling sedikit satu kontak: telepon, alamat atau surel. Atau pilih tampil anonim."),
                )
        return cleaned

    def complaint_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "service": data["service"],
            "service_date": data.get("service_date"),
            "location": data.get("location", "").strip(),
            "category": data["category"],
            "description": data["description"],
            "expectation": data.get("expectation", "").strip(),
            "truth_statement": data["truth_statement"],
        }

    def identity(self) -> dict:
        """What is stored of who complains: nothing but an e-mail for news when anonymous."""
        data = self.cleaned_data
        email = (data.get("complainant_email") or "").strip()
        if data["identity_mode"] == IdentityMode.ANONYMOUS:
            return {"complainant_email": email}
        return {
            "complainant_name": data.get("complainant_name", "").strip(),
            "complainant_contact": data.get("complainant_contact", "").strip(),
            "complainant_email": email,
        }


class TrackForm(forms.Form):
    """The tracking number (the complaint's reference) and the 8-digit PIN (cases.intake "number_pin")."""

    number = forms.CharField(
        label=_("Nomor pengaduan (mis. ADU-2026-000123)"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    pin = forms.CharField(
        label=_("PIN (8 angka)"),
        max_length=20,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    # The same lenient reading as the credential's (cases.intake): "adu 2026 123", "1234 5678", "1234-5678".
    def clean_number(self):
        number = intake.normalise_number(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError(_("Nomor pengaduan seperti ADU-2026-000123."))
        return number

    def clean_pin(self):
        pin = intake.normalise_pin(self.cleaned_data["pin"])
        if pin is None:
            raise forms.ValidationError(_("PIN terdiri dari 8 angka."))
        return pin


class ComplainantMessageForm(LimitedTextForm, forms.Form):
    text = forms.CharField(
        label=_("Keterangan tambahan untuk petugas"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan pesan Anda.")},
    )


class ComplainantFilesForm(EvidenceMixin, forms.Form):
    files = files_field()
    keep_metadata = keep_metadata_field()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("files"):
            raise forms.ValidationError(_("Pilih berkas yang akan dikirim."))
        return cleaned


class ClarifyForm(LimitedTextForm, forms.Form):
    text = forms.CharField(
        label=_("Keterangan yang diminta petugas"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tuliskan keterangan yang diminta petugas.")},
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the status page also shows the "add information" form, whose field is `text` too, and
        # two `id_text` would send both labels to the first box (and a screen reader to the wrong one).
        kwargs.setdefault("auto_id", "klarifikasi_%s")
        super().__init__(*args, **kwargs)


class ConfirmForm(forms.Form):
    """Accepting the answer closes the complaint for good: the complainant ticks that they mean it."""

    accepted = forms.BooleanField(
        label=_("Saya menyatakan jawaban ini menyelesaikan pengaduan saya. Setelah ini pengaduan ditutup."),
        error_messages={"required": _("Centang pernyataan ini bila jawaban sudah menyelesaikan masalah Anda.")},
    )


class DisputeForm(LimitedTextForm, forms.Form):
    text = forms.CharField(
        label=_("Mengapa jawaban ini belum menyelesaikan masalah Anda?"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan mengapa jawaban belum menyelesaikan masalah Anda.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "sanggah_%s")  # its own ids, as ClarifyForm's
        super().__init__(*args, **kwargs)


class RateForm(LimitedTextForm, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Seberapa puas Anda dengan penanganan pengaduan ini?"),
        choices=[
            (5, _("5 — sangat puas")),
            (4, _("4 — puas")),
            (3, _("3 — cukup")),
            (2, _("2 — kurang puas")),
            (1, _("1 — tidak puas")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih nilai 1 sampai 5."),
            "invalid_choice": _("Pilih nilai 1 sampai 5."),
        },
    )
    comment = forms.CharField(
        label=_("Komentar (tidak wajib)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
