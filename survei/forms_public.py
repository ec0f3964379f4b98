"""The respondent's form (issue 13 "Respondents"), built from the survey's pinned instrument version: the
service received and when, optional bands, every item as a group of radio buttons, an optional comment and the
integrity question. No name, contact or address is asked for.

Every message is in Indonesian and names what to fix; a form that comes back keeps every choice made (the
honeypot aside, which always comes back empty)."""

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survei.models import AGE_BANDS, Education, Item, Occupation, Sex, Survey, Variable

COMMENT_MAX_LENGTH = 2000
_MONTH = re.compile(r"(\d{4})-(\d{2})")

NOT_ANSWERED = _("— tidak diisi —")


class Pressure:
    """The integrity question's answers as sent by the form; None (not answered) is stored for the third."""

    YES = "ya"
    NO = "tidak"
    DECLINED = "tidak-menjawab"
    CHOICES = [(YES, _("Ya")), (NO, _("Tidak")), (DECLINED, _("Tidak ingin menjawab"))]
    STORED = {YES: True, NO: False, DECLINED: None, "": None}


@dataclass(frozen=True)
class Question:
    """One item as shown: its number on the page (1, 2, … across the whole form) and its bound field."""

    number: int
    item: Item
    field: forms.BoundField


@dataclass(frozen=True)
class VariableGroup:
    variable: Variable
    questions: list[Question]


def item_field_name(item: Item) -> str:
    return f"item_{item.pk}"


class ResponseForm(forms.Form):
    """One response to `survey`. The item fields are added per item (``item_<id>``), in the version's order."""

    service = forms.ModelChoiceField(
        label=_("Layanan yang Anda terima"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Pilih layanan yang Anda terima."),
            "invalid_choice": _("Layanan yang dipilih tidak ada pada survei ini. Pilih salah satu dari daftar."),
        },
    )
    served_month = forms.CharField(
        label=_("Bulan Anda menerima layanan (tidak wajib)"),
        required=False,
        max_length=7,
        help_text=_("Contoh: 2026-11 untuk November 2026."),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    age_band = forms.ChoiceField(label=_("Usia (tidak wajib)"), required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin (tidak wajib)"), required=False)
    education = forms.ChoiceField(label=_("Pendidikan terakhir (tidak wajib)"), required=False)
    occupation = forms.ChoiceField(label=_("Pekerjaan (tidak wajib)"), required=False)
    comment = forms.CharField(
        label=_("Saran atau komentar (tidak wajib)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jangan menulis nama, nomor telepon atau alamat. Paling panjang 2000 karakter."),
        error_messages={
            "max_length": _(
                "Saran atau komentar paling panjang %(limit_value)d karakter; yang Anda tulis %(show_value)d "
                "karakter. Persingkat sedikit."
            )
        },
    )
    pressured = forms.ChoiceField(
        label=_("Apakah ada pihak yang menekan atau mengarahkan Anda untuk mengisi survei ini?"),
        choices=Pressure.CHOICES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Pilih salah satu jawaban: ya, tidak, atau tidak ingin menjawab.")},
    )
    # The honeypot: rendered by hand in the template, empty, outside what people and screen readers see (as on
    # the complaint form, pengaduan.forms.ComplaintForm).
    homepage = forms.CharField(label=_("Jangan diisi"), required=False, max_length=200)
    # One-time token against double submission (survei.views.respond).
    submission = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Set when the respondent, told that the same answers just came from this device, says they are someone
    # else (a phone at a service counter): survei.intake.submit then stores them.
    another_respondent = forms.BooleanField(widget=forms.HiddenInput, required=False)

    # The fields shown before the items, after them, and in the "about you" part (the template's order).
    BAND_FIELDS = ("age_band", "sex", "education", "occupation")

    def __init__(self, *args, survey: Survey, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.today = today or timezone.localdate()
        services = survey.services.order_by("order", "pk")
        self.fields["service"].queryset = services
        if not self.is_bound:
            self.initial["submission"] = secrets.token_urlsafe(16)
            only = list(services[:2])
            if len(only) == 1:
                self.initial["service"] = only[0].pk
        for name, choices in (
            ("age_band", AGE_BANDS),
            ("sex", Sex.choices),
            ("education", Education.choices),
            ("occupation", Occupation.choices),
        ):
            field = self.fields[name]
            field.choices = [("", NOT_ANSWERED), *choices]
            field.error_messages["invalid_choice"] = _("Pilih salah satu dari daftar, atau biarkan tidak diisi.")
        self.items = list(survey.instrument_version.items())
        for number, item in enumerate(self.items, start=1):
            self.fields[item_field_name(item)] = forms.TypedChoiceField(
                label=item.text,
                choices=[(str(option["value"]), option["label"]) for option in item.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Pertanyaan nomor %(n)d belum dijawab.") % {"n": number},
                    "invalid_choice": _("Jawaban pertanyaan nomor %(n)d tidak ada di pilihannya. Pilih salah satu.")
                    % {"n": number},
                },
            )

    # --- what the template shows --------------------------------------------------------------------------

    def groups(self) -> list[VariableGroup]:
        """The items under their variables, numbered across the form."""
        groups: list[VariableGroup] = []
        for number, item in enumerate(self.items, start=1):
            if not groups or groups[-1].variable.pk != item.variable_id:
                groups.append(VariableGroup(item.variable, []))
            groups[-1].questions.append(Question(number, item, self[item_field_name(item)]))
        return groups

    def band_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BAND_FIELDS]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, what, message) for each field with an error, in the page's order. An item's message already
        names its number ("Pertanyaan nomor 3 belum dijawab."), so its `what` is empty and the message is the
        link."""
        items = {item_field_name(item) for item in self.items}
        rows = []
        for field in self:
            if not field.errors or field.name in ("homepage", "submission"):
                continue
            rows.append((f"f-{field.name}", "" if field.name in items else field.label, " ".join(field.errors)))
        return rows

    # --- validation ---------------------------------------------------------------------------------------

    def clean_served_month(self) -> dt.date | None:
        text = (self.cleaned_data.get("served_month") or "").strip()
        if not text:
            return None
        match = _MONTH.fullmatch(text)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Tulis bulan sebagai tahun-bulan, misalnya 2026-11."))
        month = dt.date(int(match.group(1)), int(match.group(2)), 1)
        if month > self.today.replace(day=1):
            raise forms.ValidationError(_("Bulan menerima layanan tidak boleh setelah bulan ini."))
        earliest = dt.date(self.survey.period_start.year - 1, 1, 1)
        if month < earliest:
            raise forms.ValidationError(
                _("Survei ini menanyakan layanan sejak %(year)d. Pilih bulan yang lebih baru.")
                % {"year": earliest.year}
            )
        return month

    def clean_comment(self) -> str:
        return (self.cleaned_data.get("comment") or "").strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            raise forms.ValidationError(
                _(
                    "Jawaban belum terkirim karena sebuah kolom tersembunyi terisi (mungkin oleh pengisian otomatis "
                    "browser). Pilihan Anda tetap ada; kirim sekali lagi."
                )
            )
        return cleaned

    def response_data(self) -> dict:
        """What survei.intake.response_submit takes."""
        data = self.cleaned_data
        return {
            "service": data["service"],
            "served_month": data.get("served_month"),
            **{name: data.get(name) or "" for name in self.BAND_FIELDS},
            "comment": data.get("comment") or "",
            "pressured": Pressure.STORED.get(data.get("pressured") or ""),
            "answers": {item.pk: data[item_field_name(item)] for item in self.items},
        }
