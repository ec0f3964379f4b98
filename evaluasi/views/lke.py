"""The LKE Penguatan Pengawasan worksheet pages: the list (and opening a worksheet for a unit and period), the
worksheet with its suggestions, answers and scores, and the evidence pack.

The inspectorate opens, answers and recomputes; a unit head reads the worksheets of their units (and below);
nobody else reaches these pages. A worksheet is addressed by its UUID; one that does not exist is a 404, one the
reader may not read a 403.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import workdays
from cases.models import Unit
from evaluasi import access, lke
from evaluasi.models import LkeAnswer, LkeWorksheet
from evaluasi.periods import Period, PeriodError


class OpenForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit kerja"),
        queryset=Unit.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
    )
    periode = forms.CharField(
        label=gettext_lazy("Periode"),
        max_length=30,
        help_text=gettext_lazy("Contoh: 2026 (satu tahun), 2026-S1, 2026-Q3, 2026-01-01..2026-06-30."),
    )

    def clean_periode(self) -> Period:
        try:
            period = Period.parse(self.cleaned_data["periode"])
        except PeriodError as problem:
            raise forms.ValidationError(str(problem)) from None
        if period.start > workdays.today():
            # Its suggestions would all be "belum" for what has not happened yet.
            raise forms.ValidationError(_("Periode %(period)s belum dimulai.") % {"period": period.label})
        return period


class AnswerForm(forms.Form):
    """One question's answer: confirm the suggestion, or choose an option (a percentage 0–100) with a note."""

    question = forms.CharField(max_length=40, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("confirm", "confirm"), ("answer", "answer")], widget=forms.HiddenInput)
    value = forms.CharField(label=gettext_lazy("Jawaban"), max_length=20, required=False)
    note = forms.CharField(label=gettext_lazy("Catatan"), max_length=2000, required=False, widget=forms.Textarea)


def _readable(request, uuid) -> LkeWorksheet:
    worksheet = get_object_or_404(LkeWorksheet.objects.select_related("unit", "edition"), uuid=uuid)
    if not access.may_read_unit(request.user, worksheet.unit):
        raise PermissionDenied
    return worksheet


def _evaluable(request, uuid) -> LkeWorksheet:
    worksheet = _readable(request, uuid)
    if not access.may_evaluate(request.user):
        raise PermissionDenied
    return worksheet


@login_required
def worksheet_list(request):
    if not access.may_read_statistics(request.user):
        raise PermissionDenied
    may_open = access.may_evaluate(request.user)
    form = OpenForm(initial={"periode": str(workdays.today().year)}) if may_open else None
    if request.method == "POST":
        if not may_open:
            raise PermissionDenied
        form = OpenForm(request.POST)
        if form.is_valid():
            if lke.current_edition() is None:
                form.add_error(None, _("Belum ada edisi LKE yang berlaku; tambahkan di Pengaturan."))
            else:
                worksheet, created = lke.open_worksheet(
                    unit=form.cleaned_data["unit"], period=form.cleaned_data["periode"], actor=request.user
                )
                if not created:
                    messages.info(request, _("Lembar kerja untuk unit dan periode ini sudah ada; dibuka kembali."))
                return redirect("evaluasi:lke_worksheet", uuid=worksheet.uuid)
    worksheets = lke.readable_worksheets(request.user).order_by("-period_end", "unit__code")[:200]
    return render(
        request,
        "evaluasi/lke_list.html",
        {"worksheets": [(ws, lke.worksheet_period(ws)) for ws in worksheets], "form": form},
    )


def _render_worksheet(request, worksheet, *, errors: dict | None = None, typed: dict | None = None, status=200):
    return render(
        request,
        "evaluasi/lke_worksheet.html",
        {
            "worksheet": worksheet,
            "sheet": lke.sheet(worksheet, request.user),
            "may_answer": access.may_evaluate(request.user),
            "errors": errors or {},
            "typed": typed or {},
        },
        status=status,
    )


@login_required
def worksheet_detail(request, uuid):
    return _render_worksheet(request, _readable(request, uuid))


def _value(text: str) -> Decimal | None:
    # "66,67" and "50 %" as people type them; "1.000,5" stays unreadable (no percentage has a thousands dot).
    text = (text or "").strip().removesuffix("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise lke.AnswerRefused(_("Jawaban harus berupa angka."))
    return number


@login_required
@require_POST
def answer(request, uuid):
    worksheet = _evaluable(request, uuid)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_worksheet(request, worksheet, errors={"": _("Formulir tidak lengkap.")}, status=400)
    data = form.cleaned_data
    current = get_object_or_404(
        LkeAnswer.objects.select_related("question"), worksheet=worksheet, question__code=data["question"]
    )
    try:
        lke.answer_question(
            answer=current,
            actor=request.user,
            confirm=data["action"] == "confirm",
            value=None if data["action"] == "confirm" else _value(data["value"]),
            note=data["note"],
        )
    except lke.AnswerRefused as problem:
        # Given back with what was typed, next to its question.
        return _render_worksheet(
            request,
            worksheet,
            errors={current.question.code: str(problem)},
            typed={current.question.code: {"value": data["value"], "note": data["note"]}},
            status=400,
        )
    messages.success(request, _("Jawaban %(code)s disimpan.") % {"code": current.question.code})
    return redirect(f"{reverse('evaluasi:lke_worksheet', kwargs={'uuid': worksheet.uuid})}#q-{current.question.code}")


@login_required
@require_POST
def recompute(request, uuid):
    worksheet = _evaluable(request, uuid)
    changed = lke.recompute(worksheet)
    messages.success(request, _("Saran dihitung ulang; %(n)d saran berubah.") % {"n": changed})
    return redirect("evaluasi:lke_worksheet", uuid=worksheet.uuid)


@login_required
def pack(request, uuid):
    """The evidence pack is a background export (evaluasi.jobs: one ExportJob record as its audit, progress,
    the file for the inspector only, for a limited time): this address leads to the page that starts it."""
    worksheet = _evaluable(request, uuid)
    query = urlencode({"what": "lke.pack", "worksheet": str(worksheet.uuid)})
    return redirect(f"{reverse('evaluasi:export')}?{query}")


urlpatterns = [
    path("lke/", worksheet_list, name="lke_list"),
    path("lke/<uuid:uuid>/", worksheet_detail, name="lke_worksheet"),
    path("lke/<uuid:uuid>/jawab/", answer, name="lke_answer"),
    path("lke/<uuid:uuid>/hitung-ulang/", recompute, name="lke_recompute"),
    path("lke/<uuid:uuid>/paket-bukti.zip", pack, name="lke_pack"),
]
