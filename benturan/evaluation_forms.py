"""Forms of monitoring and evaluation (LKE benturan kepentingan d and e) and of the statistics page.

Kept beside benturan/forms.py so the parallel work on the declaration and register forms never touches them."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from benturan.forms import DATE, text_field
from benturan.models import FollowUp
from cases import workdays
from cases.models import Unit
from cases.textlimits import show_limits
from cases.validators import not_in_future

# How many empty recommendation rows a new evaluation starts with, and how many "Tambah baris" adds.
EXTRA_ROWS = 2


class EvaluationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit kerja yang dievaluasi"), queryset=Unit.objects.none())
    period_start = forms.DateField(label=_("Periode dari"), widget=DATE)
    period_end = forms.DateField(label=_("Periode sampai"), widget=DATE)
    held_on = forms.DateField(label=_("Tanggal evaluasi"), widget=DATE, validators=[not_in_future])
    participants = text_field(_("Peserta"), rows=2, help_text=_("Nama dan jabatan, satu per baris."))
    findings = text_field(_("Temuan"), rows=5, help_text=_("Apa yang berjalan, apa yang belum, dan mengapa."))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        today = workdays.today()
        self.fields["held_on"].initial = today
        show_limits(self)

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("Akhir periode tidak boleh sebelum awalnya."))
        return data


class RecommendationForm(forms.Form):
    text = text_field(_("Rekomendasi"), rows=2)
    owner = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=get_user_model().objects.none())
    due_on = forms.DateField(label=_("Batas waktu"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        )


RecommendationFormSet = forms.formset_factory(RecommendationForm, extra=EXTRA_ROWS, max_num=50, validate_max=True)


class RecommendationUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status tindak lanjut"), choices=FollowUp.choices)
    follow_up = text_field(
        _("Tindak lanjut"),
        required=False,
        help_text=_("Apa yang sudah dilakukan; wajib berisi alasan bila tidak dapat ditindaklanjuti."),
    )
    completed_on = forms.DateField(label=_("Tanggal selesai"), required=False, widget=DATE, validators=[not_in_future])

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == FollowUp.TIDAK_DAPAT and not (data.get("follow_up") or "").strip():
            self.add_error("follow_up", _("Tuliskan mengapa rekomendasi ini tidak dapat ditindaklanjuti."))
        if status == FollowUp.SELESAI and not data.get("completed_on") and "completed_on" not in self.errors:
            self.add_error("completed_on", _("Isi tanggal rekomendasi selesai ditindaklanjuti."))
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
