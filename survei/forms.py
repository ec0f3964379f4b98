"""The survey officer's forms (survei/views/officer.py). They check the shape of what was typed; what may be done
(whose unit, which status) is survei.services' to say.

Populations are typed as people write numbers here: "1.200" (the Indonesian thousands dot), "1,200" or "1 200"
mean 1200, the way a figure pasted from a spreadsheet or a report looks. A number with a decimal part ("1.5",
"12,75") or a group that is not three digits is refused with a message saying how to write it, never read as
something else.
"""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Unit
from survei import selectors
from survei.models import Instrument, SurveyStatus
from survei.services import MAX_POPULATION, MAX_REASON, ServiceSpec

# 1200 · 1.200 · 1,200 · 1 200 · 12.345.678 — digits in groups of three after the first.
_POPULATION = re.compile(r"^\d+$|^\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*$")
# "Nama layanan; 1.200", "Nama layanan<TAB>1200" (a spreadsheet's two columns pasted), "Nama layanan | 1200".
_SEPARATORS = re.compile(r"[;\t|]")


class PopulationError(ValueError):
    pass


def parse_population(text: str) -> int | None:
    """The population typed in `text` ("" → None: the target is then the minimum of 30). Raises
    PopulationError with the message to show."""
    text = (text or "").strip()
    if not text:
        return None
    if not _POPULATION.match(text):
        raise PopulationError(
            _("Populasi “%(text)s” bukan bilangan bulat. Tulis misalnya 1200 atau 1.200 (tanpa desimal).")
            % {"text": text[:40]}
        )
    value = int(re.sub(r"\D", "", text))
    if value > MAX_POPULATION:
        raise PopulationError(_("Populasi paling besar 100.000.000."))
    return value


class PopulationField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", gettext_lazy("Populasi (penerima layanan dalam periode)"))
        kwargs.setdefault(
            "help_text", gettext_lazy("Boleh memakai titik ribuan, mis. 1.200. Kosongkan bila belum diketahui.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def clean(self, value):
        text = super().clean(value)
        try:
            return parse_population(text)
        except PopulationError as error:
            raise forms.ValidationError(str(error)) from None


def parse_services(text: str) -> list[ServiceSpec]:
    """One service a line: "name; population" (population optional). Raises forms.ValidationError listing every
    line that cannot be read, with its number."""
    specs, problems = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = _SEPARATORS.split(line)
        name = parts[0].strip()
        population_text = "" if len(parts) == 1 else parts[-1].strip()
        if len(parts) > 2:
            problems.append(_("Baris %(n)d: tulis nama layanan, titik koma, lalu populasi.") % {"n": number})
            continue
        if not name:
            problems.append(_("Baris %(n)d: nama layanan kosong.") % {"n": number})
            continue
        if len(name) > 200:
            problems.append(_("Baris %(n)d: nama layanan paling panjang 200 karakter.") % {"n": number})
            continue
        try:
            population = parse_population(population_text)
        except PopulationError as error:
            problems.append(_("Baris %(n)d: %(problem)s") % {"n": number, "problem": error})
            continue
        specs.append(ServiceSpec(name, population))
    if problems:
        raise forms.ValidationError(problems)
    return specs


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SurveyForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit kerja"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Pilih salah satu unit yang Anda kelola.")},
    )
    title = forms.CharField(label=gettext_lazy("Judul survei"), max_length=200)
    instrument = forms.ModelChoiceField(
        label=gettext_lazy("Instrumen"),
        queryset=Instrument.objects.filter(is_active=True),
        error_messages={"invalid_choice": gettext_lazy("Pilih salah satu instrumen yang aktif.")},
    )
    period_start = forms.DateField(label=gettext_lazy("Mulai"), widget=DateInput())
    period_end = forms.DateField(label=gettext_lazy("Selesai"), widget=DateInput())
    services = forms.CharField(
        label=gettext_lazy("Layanan yang disurvei"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        error_messages={"required": gettext_lazy("Tuliskan sedikitnya satu layanan.")},
        help_text=gettext_lazy(
            "Satu layanan per baris: nama layanan; populasi. Contoh: “Pembuatan paspor; 1.200”. Populasi boleh "
            "dikosongkan (target memakai minimum 30 responden)."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=selectors.managed_unit_ids(user)).order_by("name")
        self.fields["instrument"].queryset = Instrument.objects.filter(is_active=True).order_by("kind", "name")

    def clean_services(self):
        specs = parse_services(self.cleaned_data["services"])
        if not specs:
            raise forms.ValidationError(_("Tuliskan sedikitnya satu layanan."))
        names = [spec.name.casefold() for spec in specs]
        twice = sorted({spec.name for spec in specs if names.count(spec.name.casefold()) > 1})
        if twice:
            raise forms.ValidationError(_("Layanan tertulis dua kali: %(names)s.") % {"names": ", ".join(twice)})
        return specs

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class ServiceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama layanan"), max_length=200)
    population = PopulationField()


class TransitionForm(forms.Form):
    """The status the officer's page showed (a stale page or a second click is refused by the service)."""

    expected_status = forms.ChoiceField(choices=SurveyStatus.choices, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, label=gettext_lazy("Umumkan meskipun di bawah target"))


class SetAsideForm(forms.Form):
    group = forms.CharField(max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Alasan dikeluarkan"),
        max_length=MAX_REASON,
        error_messages={"required": gettext_lazy("Tuliskan alasan jawaban dikeluarkan dari hasil.")},
    )


class RestoreForm(forms.Form):
    group = forms.CharField(max_length=40, widget=forms.HiddenInput)


class FollowUpPlanForm(forms.Form):
    follow_up_plan = forms.CharField(
        label=gettext_lazy("Rencana tindak lanjut"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Apa yang akan dilakukan unit atas hasil survei. Dapat diubah kapan saja, juga setelah hasil diumumkan."
        ),
    )
