import datetime as dt

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cases import workdays
from cases.forms import TransitionDataForm
from gratifikasi.models import (
    GratifikasiObject,
    GratifikasiReport,
    KpkChannel,
    KpkDecision,
    not_before_pasal_12c,
    not_in_future,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

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


class ReportForm(forms.ModelForm):
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
        self.fields["date_received"].validators = [not_in_future, not_before_pasal_12c]
        self.fields["report_type"].choices = list(self.fields["report_type"].choices)[1:]  # no "---------"
        self.fields["date_received"].widget.attrs["max"] = workdays.today().isoformat()

    def clean(self):
        data = super().clean()
        if self.submitting:
            for name in self.REQUIRED_TO_SUBMIT:
                if not data.get(name):
                    self.add_error(name, _("Wajib diisi sebelum laporan diajukan."))
        return data


class ObjectForm(forms.ModelForm):
    class Meta:
        model = GratifikasiObject
        fields = ["kind", "description", "value", "value_is_estimate", "location"]
        widgets = {"value": forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"})}
        error_messages = {
            "value": {
                "min_value": _("Nilai tidak boleh negatif."),
                "invalid": _("Tulis nilai dalam rupiah sebagai bilangan bulat, tanpa titik, mis. 1500000."),
            }
        }


class BaseObjectFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if self.submitting and not kept:
            raise forms.ValidationError(_("Isi paling sedikit satu objek gratifikasi beserta nilainya."))


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
        from gratifikasi.exemptions import AMENDMENT_2026

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


class RecapForm(forms.Form):
    start = forms.DateField(label=_("Dari tanggal"), widget=DATE)
    end = forms.DateField(label=_("Sampai tanggal"), widget=DATE)
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None, required=False, empty_label=_("Semua unit"))

    def __init__(self, *args, **kwargs):
        from cases.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        today = workdays.today()
        self.fields["start"].initial = dt.date(today.year, 1, 1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Tanggal awal tidak boleh setelah tanggal akhir."))
        return data
