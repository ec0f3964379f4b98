import re

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cases import workdays
from cases.forms import PeriodUnitForm, TransitionDataForm
from cases.textlimits import LimitedTextForm
from gratifikasi.legal import AMENDMENT_2026
from gratifikasi.models import (
    MAX_VALUE,
    GratifikasiObject,
    GratifikasiReport,
    KpkChannel,
    KpkDecision,
    ObjectKind,
    ObjectLocation,
    ReportType,
    not_before_pasal_12c,
    not_in_future,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- Rupiah as people type it ----------------------------------------------------------------------------------

# "2.500.000", "Rp 2.500.000", "Rp2.500.000,00", "2500000": thousands grouped by dots (the Indonesian way),
# an optional "Rp"/"Rp." and an optional ",00" (sen are not counted). Anything else is refused with a message
# rather than guessed: "2,5 juta" or "2,500" could mean two numbers a thousand times apart.
RUPIAH = re.compile(r"^(?:rp\.?)?(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<sen>\d{1,2}))?$", re.IGNORECASE)


def parse_rupiah(text: str) -> int:
    """Whole Rupiah from what a person typed or pasted; ValidationError with the reason otherwise."""
    compact = re.sub(r"\s+", "", text)  # \s covers the no-break space of pasted amounts
    if compact.startswith("-") or compact.lower().startswith(("rp-", "rp.-", "-rp")):
        raise forms.ValidationError(_("Nilai tidak boleh negatif."), code="min_value")
    match = RUPIAH.match(compact)
    if not match:
        raise forms.ValidationError(
            _("Tulis nilai dalam rupiah dengan angka, mis. 2.500.000 atau Rp 2.500.000 (bukan “2,5 juta”)."),
            code="invalid",
        )
    if match["sen"] and int(match["sen"]):
        raise forms.ValidationError(_("Tulis nilai dalam rupiah penuh, tanpa sen."), code="invalid")
    return int(match["whole"].replace(".", ""))


def format_rupiah(value: int) -> str:
    """2500000 -> "2.500.000": how the value is shown back in the form, whatever the interface language."""
    return f"{value:,}".replace(",", ".")


class RupiahInput(forms.TextInput):
    """A text box (not type=number, which refuses "2.500.000" and loses what was typed) that shows the value
    grouped by dots; sigap/rupiah.js regroups it when the person leaves the box."""

    def __init__(self, attrs=None):
        # No autocomplete="off": it would stop the browser restoring the typed value on Back.
        defaults = {"inputmode": "numeric", "data-rupiah": "", "maxlength": "30"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_rupiah(value)
        return super().format_value(value)


class RupiahField(forms.Field):
    widget = RupiahInput
    default_error_messages = {
        "max_value": _("Nilai terlalu besar: paling banyak Rp%(limit)s. Periksa jumlah angka nolnya."),
    }

    def __init__(self, *, max_value: int = MAX_VALUE, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        return parse_rupiah(str(value))

    def validate(self, value):
        super().validate(value)
        if value is not None and value > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"], code="max_value", params={"limit": format_rupiah(self.max_value)}
            )

    def bound_data(self, data, initial):
        # Shown back grouped ("2500000" -> "2.500.000") when readable; as typed when not, so it can be fixed.
        try:
            return self.to_python(data)
        except forms.ValidationError:
            return data

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True


# Pasal 2 ayat (3) huruf a–q (REFERENCE.md); n exists only for reports received before 20-01-2026.
EXEMPTION_LETTERS = [
    ("a", _("a — pemberian dalam keluarga tanpa konflik kepentingan")),
    ("b", _("b — keuntungan dari simpanan, investasi, atau saham yang berlaku umum")),
    ("c", _("c — manfaat koperasi atau organisasi pegawai")),
    ("d", _("d — perlengkapan peserta kegiatan resmi")),
    ("e", _("e — barang promosi berlogo")),
    ("f", _("f — hadiah lomba atas biaya sendiri")),
    ("g", _("g — penghargaan pemerintah atas prestasi kerja")),
    ("h", _("h — hadiah langsung, undian, diskon, poin yang berlaku umum")),
    ("i", _("i — honor profesi di luar kedinasan")),
    ("j", _("j — kompensasi kedinasan sesuai standar biaya")),
    ("k", _("k — karangan bunga ucapan")),
    ("l", _("l — pernikahan, kelahiran, upacara adat/agama, dalam batas per pemberi")),
    ("m", _("m — musibah atau bencana")),
    ("n", _("n — pisah sambut, pensiun, ulang tahun antar rekan (aturan 2019)")),
    ("o", _("o — antar rekan, bukan uang, dalam batas")),
    ("p", _("p — hidangan untuk semua yang hadir")),
    ("q", _("q — pemberian kepada instansi dalam hubungan kedinasan")),
]


class ReportForm(LimitedTextForm, forms.ModelForm):
    confidential = forms.BooleanField(
        label=_("Saya meminta identitas dan laporan ini dirahasiakan"),
        required=False,
        help_text=_("Hanya petugas UPG yang ditugaskan dan inspektur yang dapat melihat laporan rahasia."),
    )
    kompensasi = forms.TypedChoiceField(
        label=_("Bila KPK menetapkan milik negara, saya bersedia membayar kompensasi"),
        choices=[("", _("Belum memutuskan")), ("1", _("Ya")), ("0", _("Tidak"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    related_to_duties = forms.TypedChoiceField(
        label=_("Apakah pemberi berurusan dengan tugas atau jabatan Anda, atau pemberian ini terkait tugas Anda?"),
        help_text=_(
            "Misalnya pemberi sedang mengurus izin, mengikuti pengadaan, diperiksa, atau dilayani oleh Anda. "
            "Bila ya, pemberian tidak dikecualikan dari kewajiban lapor."
        ),
        choices=[("1", _("Ya")), ("0", _("Tidak")), ("", _("Tidak tahu / belum menjawab"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = GratifikasiReport
        fields = [
            "report_type",
            "date_received",
            "place",
            "occasion",
            "event",
            "giver_name",
            "giver_institution",
            "giver_relationship",
            "giver_address",
            "related_to_duties",
            "summary",
            "kompensasi",
        ]
        widgets = {
            "date_received": DATE,
            "report_type": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    # Needed before a report may go to the UPG; a draft may leave them empty.
    REQUIRED_TO_SUBMIT = ["place", "giver_name", "giver_relationship", "summary"]

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        if self.instance.pk:
            self.fields["confidential"].initial = bool(self.instance.confidentiality)
            # The radio choices are "1"/"0"/"": a saved True or False must check the matching one again.
            for name in ("kompensasi", "related_to_duties"):
                self.initial[name] = {True: "1", False: "0"}.get(getattr(self.instance, name), "")
        self.fields["date_received"].validators = [not_in_future, not_before_pasal_12c]
        self.fields["report_type"].choices = list(self.fields["report_type"].choices)[1:]  # no "---------"
        self.fields["date_received"].widget.attrs["max"] = workdays.today().isoformat()

    @property
    def is_refusal(self) -> bool:
        """Whether the report, as posted or as saved, is a refusal (penolakan)."""
        if self.is_bound:
            return self.data.get("report_type") == ReportType.PENOLAKAN
        return self.instance.report_type == ReportType.PENOLAKAN

    def clean(self):
        data = super().clean()
        if data.get("report_type") == ReportType.PENOLAKAN:
            # Nothing was kept, so there is nothing KPK could declare state property and compensate.
            data["kompensasi"] = None
        if self.submitting:
            for name in self.REQUIRED_TO_SUBMIT:
                if not data.get(name):
                    self.add_error(name, _("Wajib diisi sebelum laporan diajukan."))
            if data.get("report_type") == ReportType.PENERIMAAN and data.get("related_to_duties") is None:
                self.add_error("related_to_duties", _("Jawab ya atau tidak sebelum laporan diajukan."))
        return data


class LocationSelect(forms.Select):
    """The location choices; "Disimpan pelapor" is hidden for a refusal (the page's script shows it again when
    the reporter switches to a receipt)."""

    refusal = False

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value == ObjectLocation.PELAPOR:
            option["attrs"]["data-receipt-only"] = True
            if self.refusal:
                option["attrs"].update(hidden=True, disabled=True)
        return option


class ObjectForm(LimitedTextForm, forms.ModelForm):
    value = RupiahField(
        label=_("Nilai (Rp)"),
        required=False,
        help_text=_("Tulis seperti biasa, mis. 2.500.000 atau Rp 2.500.000."),
    )

    class Meta:
        model = GratifikasiObject
        fields = [
            "kind",
            "description",
            "value",
            "value_is_estimate",
            "value_unknown",
            "value_unknown_reason",
            "location",
        ]
        widgets = {"value_unknown_reason": forms.TextInput(), "location": LocationSelect}
        help_texts = {"value_is_estimate": _("Tidak berlaku untuk uang: tulis jumlah yang diterima.")}

    def __init__(self, *args, refusal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        self.fields["location"].widget.refusal = refusal
        if refusal and self.instance.pk is None:  # a new row: the model's default is "Disimpan pelapor"
            self.initial["location"] = ObjectLocation.DIKEMBALIKAN

    def has_changed(self):
        # An empty new row of a refusal posts whichever location the page defaulted to: that alone is no object.
        if self.refusal and self.instance.pk is None:
            return any(name != "location" for name in self.changed_data)
        return super().has_changed()

    def clean_location(self):
        location = self.cleaned_data["location"]
        if self.refusal and location == ObjectLocation.PELAPOR:
            raise forms.ValidationError(_("Pada penolakan, objek tidak disimpan pelapor: pilih keberadaannya."))
        return location

    def clean(self):
        data = super().clean()
        unknown = data.get("value_unknown")
        if data.get("value_is_estimate") and data.get("kind") == ObjectKind.UANG:
            self.add_error("value_is_estimate", _("Uang tidak bernilai perkiraan: tulis jumlah yang diterima."))
        if unknown:
            if not (data.get("value_unknown_reason") or "").strip():
                self.add_error("value_unknown_reason", _("Jelaskan mengapa nilainya tidak diketahui."))
            if data.get("kind") == ObjectKind.UANG:
                self.add_error("value_unknown", _("Jumlah uang selalu diketahui: hitung dan tuliskan."))
            # Nothing to store but "unknown": a number typed next to the box is dropped, not half-believed.
            data["value"] = 0
            data["value_is_estimate"] = False
        elif data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Isi nilainya, atau tandai “nilai tidak diketahui” dan jelaskan."))
        else:
            data["value_unknown_reason"] = ""
        return data


class BaseObjectFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if self.submitting and not kept:
            raise forms.ValidationError(_("Isi paling sedikit satu objek gratifikasi beserta nilainya."))
        # Rp 0 for everything is a report that says nothing about what was given; the reporter either writes
        # the values or says they are unknown and why, so the UPG knows what to appraise.
        # Only when every value could be read: an unreadable or too large value has its own message, and
        # "all Rp 0" next to it would be wrong.
        readable = not any(f.errors for f in self.forms)
        if self.submitting and kept and readable and all(not f.cleaned_data.get("value") for f in kept):
            if not any(f.cleaned_data.get("value_unknown") for f in kept):
                raise forms.ValidationError(
                    _(
                        "Semua objek bernilai Rp 0. Tulis nilainya, atau tandai “nilai tidak diketahui” "
                        "dan jelaskan alasannya."
                    )
                )


ObjectFormSet = inlineformset_factory(
    GratifikasiReport,
    GratifikasiObject,
    form=ObjectForm,
    formset=BaseObjectFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


# --- data the UPG enters with a transition -----------------------------------------------------------------


def past_date_field(label):
    return forms.DateField(label=label, widget=DATE, validators=[not_in_future])


class NotReportableForm(TransitionDataForm):
    exemption_letter = forms.ChoiceField(
        label=_("Dasar pengecualian: huruf pada Pasal 2 ayat (3)"), choices=EXEMPTION_LETTERS
    )

    def clean_exemption_letter(self):
        letter = self.cleaned_data["exemption_letter"]
        if letter == "n" and self.case.date_received >= AMENDMENT_2026:
            raise forms.ValidationError(_("Huruf n dihapus sejak 20-01-2026; gunakan huruf o."))
        return letter


class RecommendationForm(TransitionDataForm):
    recommendation = forms.CharField(
        label=_("Rekomendasi UPG"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class CustodyForm(TransitionDataForm):
    custody_receipt = forms.CharField(label=_("Nomor tanda terima titipan"), max_length=100)
    custody_on = past_date_field(_("Tanggal dititipkan"))


class ForwardForm(TransitionDataForm):
    kpk_forwarded_on = past_date_field(_("Tanggal diteruskan ke KPK"))
    kpk_channel = forms.ChoiceField(label=_("Saluran"), choices=KpkChannel.choices)
    kpk_reference = forms.CharField(label=_("Nomor laporan GOL / nomor surat"), max_length=100)
    attachment = forms.FileField(label=_("Berkas pengantar (opsional)"), required=False)

    def clean_kpk_forwarded_on(self):
        value = self.cleaned_data["kpk_forwarded_on"]
        if value < self.case.date_received:
            raise forms.ValidationError(_("Tanggal diteruskan tidak boleh sebelum tanggal gratifikasi diterima."))
        received = self.case.received_by_upg_on
        if received and value < received:
            # The UPG can only forward what it has: the 10 HK forwarding clock starts on this same date.
            raise forms.ValidationError(
                _("Tanggal diteruskan tidak boleh sebelum laporan diterima UPG (%(date)s).")
                % {"date": received.strftime("%d-%m-%Y")}
            )
        return value


class KpkReturnForm(TransitionDataForm):
    kpk_returned_on = past_date_field(_("Tanggal KPK meminta kelengkapan"))

    def clean_kpk_returned_on(self):
        value = self.cleaned_data["kpk_returned_on"]
        if self.case.kpk_forwarded_on and value < self.case.kpk_forwarded_on:
            raise forms.ValidationError(_("Tanggal ini tidak boleh sebelum laporan diteruskan ke KPK."))
        return value


class KpkCompletionForm(TransitionDataForm):
    kpk_completed_on = past_date_field(_("Tanggal kelengkapan dikirim ke KPK"))

    def clean_kpk_completed_on(self):
        value = self.cleaned_data["kpk_completed_on"]
        if self.case.kpk_returned_on and value < self.case.kpk_returned_on:
            raise forms.ValidationError(_("Tanggal ini tidak boleh sebelum KPK meminta kelengkapan."))
        return value


class DecisionForm(TransitionDataForm):
    kpk_decision = forms.ChoiceField(label=_("Keputusan KPK"), choices=KpkDecision.choices)
    kpk_sk_number = forms.CharField(label=_("Nomor SK"), max_length=100)
    kpk_sk_date = past_date_field(_("Tanggal SK"))
    attachment = forms.FileField(label=_("Salinan SK (PDF)"), required=False)

    def clean_kpk_sk_date(self):
        value = self.cleaned_data["kpk_sk_date"]
        if self.case.kpk_forwarded_on and value < self.case.kpk_forwarded_on:
            raise forms.ValidationError(_("Tanggal SK tidak boleh sebelum laporan diteruskan ke KPK."))
        return value


class HandoverForm(TransitionDataForm):
    handover_evidence = forms.CharField(label=_("Nomor bukti setor / berita acara serah terima"), max_length=200)
    handover_on = past_date_field(_("Tanggal penyerahan / penyetoran"))
    attachment = forms.FileField(label=_("Bukti (opsional)"), required=False)


class RecapForm(PeriodUnitForm):
    """The recap's period (by the day gifts were received or refused) and unit, with the units under it."""
