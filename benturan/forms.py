"""Forms of benturan kepentingan: the declaration, the supervisor's steps, and the registers beside it."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benturan.models import (
    NEEDS_REPLACEMENT,
    ActivityKind,
    InterestCategory,
    Level,
    MainFunction,
    Outcome,
    Source,
    StatementCampaign,
)
from benturan.services import campaign_problems
from cases import policy, workdays
from cases.forms import TransitionDataForm
from cases.models import Unit
from cases.textlimits import show_limits
from cases.validators import not_in_future

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX_LENGTH = 4000


def text_field(label, *, required: bool = True, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class DeclarationForm(forms.Form):
    """An employee's declaration of an actual conflict, or a supervisor's about a subordinate."""

    subject = forms.CharField(
        label=_("Keputusan, penugasan, atau kegiatan yang terkait"),
        max_length=300,
        help_text=_("Mis. “Evaluasi penawaran paket pengadaan laptop 2027” atau “Pemeriksaan reguler Bagian X”."),
    )
    activity_kind = forms.ChoiceField(label=_("Jenis kegiatan"), choices=ActivityKind.choices)
    activity_date = forms.DateField(label=_("Tanggal keputusan atau kegiatan (bila ada)"), required=False, widget=DATE)
    source = forms.ChoiceField(label=_("Sumber benturan kepentingan"), choices=Source.choices)
    interest = text_field(
        _("Kepentingan yang berbenturan"),
        help_text=_("Apa kepentingan pribadi Anda dan mengapa dapat memengaruhi keputusan atau kegiatan itu."),
    )
    people_involved = text_field(
        _("Pihak yang terlibat (opsional)"),
        required=False,
        rows=2,
        help_text=_("Nama orang atau badan usaha yang terkait, dan hubungannya dengan Anda."),
    )
    supervisor_involved = forms.BooleanField(
        label=_("Atasan langsung saya termasuk pihak dalam benturan kepentingan ini"),
        required=False,
        help_text=_("Bila dicentang, deklarasi diputuskan oleh atasan dari atasan Anda."),
    )

    def __init__(self, *args, proactive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if proactive:
            # The supervisor opening it decides it; they are not part of it.
            del self.fields["supervisor_involved"]
        show_limits(self)


def employees():
    """The people a form may name (a replacement official, a subordinate, an owner): active employees with a
    profile — never django-guardian's AnonymousUser or another account that is nobody's employee record."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .select_related("profile")
        .order_by("first_name", "last_name", "username")
    )


class EmployeeChoiceField(forms.ModelChoiceField):
    """Names people as a letter would: full name, position and NIP, not a username."""

    def label_from_instance(self, user):
        profile = user.profile
        label = user.get_full_name() or user.get_username()
        if profile.position:
            label += f" — {profile.position}"
        if profile.nip:
            label += f" (NIP {profile.nip})"
        return label


class ProactiveDeclarationForm(DeclarationForm):
    employee = EmployeeChoiceField(label=_("Bawahan"), queryset=get_user_model().objects.none())

    def __init__(self, *args, supervisor, **kwargs):
        super().__init__(*args, proactive=True, **kwargs)
        self.fields["employee"].queryset = employees().filter(profile__supervisor=supervisor)
        self.order_fields(["employee"])
        # The supervisor writes this one about a subordinate: the help texts speak of "the employee".
        self.fields["interest"].help_text = _(
            "Kepentingan pribadi bawahan yang Anda ketahui dan mengapa dapat memengaruhi keputusan atau kegiatan itu."
        )
        self.fields["people_involved"].help_text = _(
            "Nama orang atau badan usaha yang terkait, dan hubungannya dengan bawahan."
        )


class DecisionForm(TransitionDataForm):
    outcome = forms.ChoiceField(label=_("Keputusan"), choices=Outcome.choices, widget=forms.RadioSelect)
    facts = text_field(
        _("Kebenaran situasi"), help_text=_("Apa yang benar terjadi: kepentingan apa, siapa, dan sejak kapan.")
    )
    impact = text_field(_("Dampak"), help_text=_("Dampak benturan kepentingan itu pada keputusan atau kegiatan."))
    reasoning = text_field(_("Pertimbangan keputusan"))
    controls = text_field(
        _("Langkah pengendalian"),
        required=False,
        help_text=_("Wajib bila ada benturan: siapa melakukan apa, dan kapan."),
    )
    replacement = EmployeeChoiceField(
        label=_("Pejabat atau anggota tim pengganti"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Wajib bila keputusan dialihkan atau anggota tim diganti."),
    )
    decided_on = forms.DateField(label=_("Tanggal keputusan"), widget=DATE, validators=[not_in_future])

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["replacement"].queryset = employees().exclude(pk__in=policy.conflicted_ids(case))
        self.fields["decided_on"].initial = workdays.today()

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        submitted = self.case.submitted_at
        if submitted and value < timezone.localdate(submitted):
            raise forms.ValidationError(_("Tanggal keputusan tidak boleh sebelum deklarasi diajukan."))
        return value

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome and outcome != Outcome.NO_CONFLICT and not (cleaned.get("controls") or "").strip():
            self.add_error("controls", _("Tuliskan langkah pengendalian untuk keputusan ini."))
        if outcome in NEEDS_REPLACEMENT and not cleaned.get("replacement"):
            self.add_error("replacement", _("Pilih pejabat atau anggota tim pengganti."))
        return cleaned


class ControlsForm(TransitionDataForm):
    controls_done_on = forms.DateField(
        label=_("Tanggal pengendalian dilaksanakan"), widget=DATE, validators=[not_in_future]
    )
    controls_evidence = text_field(
        _("Bukti pelaksanaan"), help_text=_("Mis. nomor surat tugas pengganti, berita acara, atau catatan rapat.")
    )
    attachment = forms.FileField(label=_("Berkas bukti (opsional)"), required=False)

    def clean_controls_done_on(self):
        value = self.cleaned_data["controls_done_on"]
        if self.case.decided_on and value < self.case.decided_on:
            raise forms.ValidationError(_("Tanggal ini tidak boleh sebelum tanggal keputusan."))
        return value


class MonitoringForm(TransitionDataForm):
    monitoring_until = forms.DateField(label=_("Dipantau sampai"), widget=DATE)
    monitoring_plan = text_field(_("Rencana pemantauan"), rows=2)

    def clean_monitoring_until(self):
        value = self.cleaned_data["monitoring_until"]
        if value < workdays.today():
            raise forms.ValidationError(_("Tanggal akhir pemantauan tidak boleh di masa lalu."))
        return value


class StepAsideForm(forms.Form):
    reason = text_field(
        _("Mengapa Anda terlibat dalam benturan kepentingan ini"),
        rows=2,
        help_text=_("Deklarasi dilimpahkan kepada atasan Anda; Anda tidak lagi dapat melihatnya."),
    )
    confirmed = forms.BooleanField(label=_("Saya memahami dan ingin melimpahkan deklarasi ini"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)


# --- Risk map


class MainFunctionForm(forms.Form):
    name = forms.CharField(
        label=_("Tugas/fungsi utama"),
        max_length=300,
        help_text=_("Mis. “Pengadaan barang/jasa”, “Pelayanan perizinan”, “Pengelolaan keuangan”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)


class RiskMapNewForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = workdays.today().year


class RiskMapEntryForm(forms.Form):
    """One row of the identification table (the columns of the unit's identifikasi benturan kepentingan)."""

    function = forms.ModelChoiceField(
        label=_("Tugas/fungsi utama"),
        queryset=None,
        required=False,
        help_text=_("Baris tanpa tugas/fungsi utama tidak dihitung dalam cakupan pemetaan."),
    )
    position = forms.CharField(
        label=_("Jabatan/kelompok jabatan"),
        max_length=200,
        help_text=_("Mis. Pejabat Pengadaan, Bendahara Pengeluaran, Auditor, Petugas Pelayanan."),
    )
    conflict_form = text_field(_("Bentuk benturan kepentingan"))
    situation = text_field(_("Situasi yang menimbulkan"))
    source = forms.ChoiceField(label=_("Sumber"), choices=Source.choices)
    likelihood = forms.TypedChoiceField(label=_("Kemungkinan"), choices=Level.choices, coerce=int, initial=Level.SEDANG)
    impact = forms.TypedChoiceField(label=_("Dampak"), choices=Level.choices, coerce=int, initial=Level.SEDANG)
    control = text_field(_("Strategi pengendalian"))

    def __init__(self, *args, unit, function=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Active functions of the unit, and the row's own one even if it was deactivated since.
        functions = MainFunction.objects.filter(unit=unit)
        keep = Q(is_active=True) | Q(pk=function.pk) if function is not None else Q(is_active=True)
        self.fields["function"].queryset = functions.filter(keep).order_by("order", "name")
        show_limits(self)


class RiskMapApproveForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("Saya telah memeriksa peta risiko ini dan menyetujuinya sebagai dokumen unit"),
        error_messages={"required": _("Centang pernyataan persetujuan untuk menyetujui peta risiko.")},
    )


# --- Statements


class StatementForm(forms.Form):
    """The yearly statement: no conflicting interest, or a register of interests (the formset below)."""

    has_interests = forms.TypedChoiceField(
        label=_("Pernyataan"),
        choices=[
            ("0", _("Saya tidak memiliki kepentingan pribadi yang berbenturan")),
            ("1", _("Saya memiliki kepentingan pribadi berikut")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih salah satu pernyataan.")},
    )


class InterestForm(forms.Form):
    """One interest. A row left empty is ignored; a row begun needs its category and the party."""

    category = forms.ChoiceField(
        label=_("Jenis kepentingan"), choices=[("", "—"), *InterestCategory.choices], required=False
    )
    party = forms.CharField(
        label=_("Pihak, badan usaha, atau orang yang terkait"),
        max_length=300,
        required=False,
        help_text=_("Mis. “PT Sinar Laptop (komisaris)” atau “adik kandung, direktur CV Maju”."),
    )
    description = forms.CharField(
        label=_("Uraian (opsional)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if any((cleaned.get(name) or "").strip() for name in ("category", "party", "description")):
            if not cleaned.get("category"):
                self.add_error("category", _("Pilih jenis kepentingan."))
            if not (cleaned.get("party") or "").strip():
                self.add_error("party", _("Sebutkan pihak yang terkait."))
        return cleaned

    def interest(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("category"):
            return None
        return {"category": data["category"], "party": data["party"], "description": data.get("description", "")}


# Three empty rows; "Tambah baris" adds three more and keeps what was typed (no script needed).
INTEREST_ROWS = 3
InterestFormSet = forms.formset_factory(InterestForm, extra=INTEREST_ROWS, max_num=30, validate_max=True)


class ConfirmStatementForm(forms.Form):
    """The confirmation that makes the statement the employee's own: their password again (re-authentication)
    and the truth statement."""

    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Untuk memastikan pernyataan ini disampaikan oleh Anda sendiri."),
        error_messages={"required": _("Masukkan kata sandi Anda untuk mengonfirmasi.")},
    )
    truthful = forms.BooleanField(
        label=_("Saya menyatakan dengan sebenarnya"),
        error_messages={"required": _("Centang pernyataan ini untuk menyampaikan.")},
    )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = StatementCampaign
        fields = ["year", "title", "unit", "population", "positions", "opens_on", "closes_on"]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "population": forms.RadioSelect,
            "positions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("code")
        today = workdays.today()
        self.fields["year"].initial = today.year
        self.fields["opens_on"].initial = today

    def clean(self):
        data = super().clean()
        for field, message in campaign_problems(data).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


class StatisticsForm(forms.Form):
    """A year, or a period from/to; and a unit with the units below it (only those the reader may see)."""

    year = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)
    start = forms.DateField(label=_("Atau dari tanggal"), required=False, widget=DATE)
    end = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DATE)
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, units, all_units: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("Semua unit") if all_units else _("Semua unit yang Anda pimpin")
        self.fields["year"].initial = workdays.today().year

    def clean(self):
        data = super().clean()
        start, end, year = data.get("start"), data.get("end"), data.get("year")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Isi tanggal awal dan akhir, atau kosongkan keduanya dan pilih tahun."))
            if start > end:
                raise forms.ValidationError(_("Tanggal awal tidak boleh setelah tanggal akhir."))
        else:
            year = year or workdays.today().year
            data["start"], data["end"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return data
