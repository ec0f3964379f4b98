"""Forms of the follow-up and evaluation pages. They check the shape of what was typed; the rules (who, which
status, which dates) are evaluasi.services', whose refusals the views put back on the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import workdays
from cases.evidence import EvidenceMixin, MultipleFileField
from cases.models import Unit
from evaluasi import extensions, services
from evaluasi.models import FollowUp, module_choices
from evaluasi.periods import Period, PeriodError, choices_around

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units():
    return Unit.objects.filter(is_active=True).order_by("code")


def _files(label):
    return MultipleFileField(
        label=label,
        required=False,
        help_text=_("PDF, foto, dokumen Office atau teks; disimpan terenkripsi. Metadata foto dihapus."),
    )


class EvaluationForm(EvidenceMixin, forms.Form):
    module = forms.ChoiceField(label=_("Modul"))
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=Unit.objects.none())
    period = forms.CharField(
        label=_("Periode yang dievaluasi"),
        max_length=40,
        help_text=_(
            "Contoh: 2026-Q3 (triwulan), 2026-S1 (semester), 2026-07 (bulan), 2026, atau 2026-01-01..2026-03-31."
        ),
        widget=forms.TextInput(attrs={"list": "period-choices"}),
    )
    held_on = forms.DateField(label=_("Tanggal evaluasi"), widget=DATE)
    participants = forms.CharField(label=_("Peserta"), widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label=_("Temuan"), widget=forms.Textarea(attrs={"rows": 6}))
    files = _files(_("Dokumen (notulen, daftar hadir)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = module_choices()
        self.fields["unit"].queryset = _units()
        self.period_choices = choices_around(workdays.today())

    def clean_period(self):
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None


class DocumentForm(EvidenceMixin, forms.Form):
    files = _files(_("Dokumen"))

    def clean_files(self):
        uploads = super().clean_files()
        if not uploads:
            raise ValidationError(_("Pilih berkas yang akan diunggah."))
        return uploads


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Rekomendasi"), widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=services.active_users())
    due_on = forms.DateField(label=_("Batas waktu"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = services.active_users()
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class ActionForm(EvidenceMixin, forms.Form):
    done_on = forms.DateField(label=_("Tanggal tindak lanjut"), widget=DATE)
    description = forms.CharField(label=_("Uraian tindak lanjut"), widget=forms.Textarea(attrs={"rows": 4}))
    files = _files(_("Bukti"))
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class JudgeForm(forms.Form):
    """Accept or reopen: the status the inspector saw, so a change made meanwhile is not overridden."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class CannotForm(JudgeForm):
    reason = forms.CharField(label=_("Alasan tidak dapat ditindaklanjuti"), widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationFilterForm(forms.Form):
    module = forms.ChoiceField(label=_("Modul"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit kerja"), queryset=Unit.objects.none(), required=False, to_field_name="code"
    )
    year = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("Semua modul")), *module_choices()]
        self.fields["unit"].queryset = _units()


class RecommendationFilterForm(forms.Form):
    """The list's filters, in the query string the dashboard's follow-up figures link with (periode, unit,
    status)."""

    periode = forms.CharField(label=_("Periode"), required=False, max_length=40)
    unit = forms.ModelChoiceField(
        label=_("Unit kerja"), queryset=Unit.objects.none(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    modul = forms.ChoiceField(label=_("Modul"), required=False)
    terlambat = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()
        self.fields["status"].choices = [("", _("Semua status")), *FollowUp.choices]
        # With the modules of recommendations on something other than a case or an evaluation (survei).
        self.fields["modul"].choices = [("", _("Semua modul")), *module_choices(), *extensions.module_choices()]

    def clean_periode(self):
        text = self.cleaned_data.get("periode") or ""
        if not text:
            return None
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None
