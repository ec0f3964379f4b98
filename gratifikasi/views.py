"""Gratifikasi pages: the employee's report form and list, the advice panel, the KPK PDF and the recap."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import policy, services, workdays
from cases.exports import recap_filename
from gratifikasi import exemptions, exports
from gratifikasi.forms import ObjectFormSet, RecapForm, ReportForm
from gratifikasi.legal import LEGAL_DAYS, UPG_DAYS
from gratifikasi.models import EDITABLE_BY_REPORTER, GratifikasiReport, Status
from gratifikasi.services import ReportError, draft_delete, report_save


@login_required
def report_list(request):
    reports = (
        GratifikasiReport.objects.filter(reporter=request.user)
        .select_related("unit")
        .prefetch_related("objects_received")
        .order_by("-created_at")
    )
    return render(request, "gratifikasi/report_list.html", {"reports": reports})


def _deadlines(date_received: dt.date) -> dict:
    today = workdays.today()
    upg = workdays.add_working_days(date_received, UPG_DAYS)
    legal = workdays.add_working_days(date_received, LEGAL_DAYS)
    return {"upg": upg, "legal": legal, "upg_passed": today > upg, "legal_passed": today > legal}


ADVICE_FIELDS = (
    "date_received",
    "occasion",
    "giver_name",
    "giver_institution",
    "giver_relationship",
    "related_to_duties",
    "report_type",
)


def _advice_context(request, form, formset, report=None) -> dict:
    """Deadlines and exemption advice from what is typed so far (or saved), valid or not yet."""
    if form.is_bound:
        typed = getattr(form, "cleaned_data", {})
        # Every row the reporter touched counts; a value missing, unreadable or unknown is None, so the advice
        # says "cannot advise yet" instead of judging the other rows alone.
        rows = (getattr(f, "cleaned_data", None) or {} for f in formset.forms)
        objects = [
            (row.get("kind", ""), None if row.get("value_unknown") else row.get("value"))
            for row in rows
            if row and not row.get("DELETE")
        ]
    elif report is not None:
        typed = {name: getattr(report, name) for name in ADVICE_FIELDS}
        rows = report.objects_received.values_list("kind", "value", "value_unknown")
        objects = [(kind, None if unknown else value) for kind, value, unknown in rows]
    else:
        return {}
    date_received = typed.get("date_received")
    if not date_received:
        return {}
    earlier = exemptions.earlier_from_same_giver(
        reporter=request.user,
        giver_name=typed.get("giver_name", ""),
        giver_institution=typed.get("giver_institution", ""),
        until=date_received,
        exclude_pk=report.pk if report else None,
    )
    advice = exemptions.advise(
        date_received=date_received,
        occasion=typed.get("occasion", ""),
        objects=objects,
        earlier_this_year=earlier,
        report_type=typed.get("report_type") or "penerimaan",
        giver_relationship=typed.get("giver_relationship") or "",
        related_to_duties=typed.get("related_to_duties"),
    )
    return {"deadlines": _deadlines(date_received), "advice": advice, "earlier": earlier}


def _object_changes(formset) -> list[dict]:
    """The objects the reporter added, changed or removed, as plain data for services.report_save: what an
    inline formset's save() would write, and nothing for rows left as they were."""
    # The form's own fields: an inline formset adds its parent link (`report`) to them.
    names = [name for name in formset.form._meta.fields if name != formset.fk.name]
    changes = []
    for form in formset.initial_forms:
        if form.instance.pk is None:
            continue
        if form in formset.deleted_forms:
            changes.append({"id": form.instance.pk, "delete": True})
        elif form.has_changed():
            changes.append({"id": form.instance.pk, **{name: form.cleaned_data[name] for name in names}})
    for form in formset.extra_forms:
        if form.has_changed() and not (formset.can_delete and formset._should_delete_form(form)):
            changes.append({"id": None, **{name: form.cleaned_data[name] for name in names}})
    return changes


def _form_page(request, report=None):
    submitting = "submit" in request.POST
    bound = request.method == "POST"
    form = ReportForm(request.POST or None, instance=report, submitting=submitting)
    formset = ObjectFormSet(
        request.POST or None,
        instance=report or GratifikasiReport(),
        prefix="objek",
        submitting=submitting,
        form_kwargs={"refusal": form.is_refusal},
    )
    # Validate both, so the advice panel sees the objects even when the report itself has an error.
    valid = bound and all([form.is_valid(), formset.is_valid()])
    if valid:
        try:
            report = report_save(
                reporter=request.user,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
                confidential=bool(form.cleaned_data.get("confidential")),
                objects=_object_changes(formset),
                report=report,
                submit=submitting,
            )
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except (ReportError, services.CaseError) as exc:
            messages.error(request, exc.message)
        else:
            if submitting:
                messages.success(
                    request,
                    _("Laporan %(ref)s diajukan ke UPG. Pantau statusnya di halaman ini.") % {"ref": report.reference},
                )
                return redirect("cases:detail", reference=report.reference)
            messages.success(
                request, _("Draf %(ref)s tersimpan. Anda dapat melanjutkannya kapan saja.") % {"ref": report.reference}
            )
            return redirect("gratifikasi:edit", reference=report.reference)
    elif bound:
        messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    context = {"form": form, "formset": formset, "report": report, **_advice_context(request, form, formset, report)}
    return render(request, "gratifikasi/report_form.html", context)


@login_required
def report_create(request):
    return _form_page(request)


@login_required
def report_edit(request, reference):
    report = GratifikasiReport.objects.filter(reference=reference, reporter=request.user).first()
    if report is None:
        raise Http404
    if report.status not in EDITABLE_BY_REPORTER:
        messages.info(request, _("Laporan ini sudah diajukan; perubahan dilakukan oleh UPG."))
        return redirect("cases:detail", reference=reference)
    return _form_page(request, report)


@login_required
@require_POST
def advice(request):
    """The advice panel for the form's current values (fetched by the page's script as you type)."""
    form = ReportForm(request.POST)
    form.is_valid()
    formset = ObjectFormSet(request.POST, instance=GratifikasiReport(), prefix="objek")
    formset.is_valid()
    report = None
    if request.POST.get("reference"):
        report = GratifikasiReport.objects.filter(reference=request.POST["reference"], reporter=request.user).first()
    return render(request, "gratifikasi/_advice.html", _advice_context(request, form, formset, report))


@login_required
def report_pdf(request, reference):
    """KPK's form as PDF: for the UPG and inspectors to send or keep, and for the reporter as proof of
    reporting — their own reports only, once submitted. Every download is an `exported` audit event."""
    report = policy.get_case_or_404(request.user, reference, GratifikasiReport.objects.all())
    staff = policy.sees_internal(request.user, report)
    own = policy.is_reporter(request.user, report)
    if not (staff or own):
        raise PermissionDenied(_("Hanya pelapor, UPG, dan inspektur yang dapat mengunduh formulir ini."))
    if not staff and report.status == Status.DRAFT:
        messages.info(request, _("Bukti pelaporan tersedia setelah laporan diajukan ke UPG."))
        return redirect("gratifikasi:edit", reference=reference)
    pdf = exports.report_pdf(report, for_reporter=not staff)
    services.export_record(case=report, actor=request.user, what="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_delete(request, reference):
    """A draft's author deletes it, after a confirmation page (GET shows it, POST deletes)."""
    report = GratifikasiReport.objects.filter(reference=reference, reporter=request.user).first()
    if report is None:
        raise Http404
    if report.status != Status.DRAFT:
        messages.info(request, _("Hanya draf yang dapat dihapus; laporan ini sudah diajukan ke UPG."))
        return redirect("cases:detail", reference=reference)
    if request.method == "POST":
        try:
            draft_delete(reporter=request.user, report=report)
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except services.CaseError as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", reference=reference)
        messages.success(request, _("Draf dihapus."))
        return redirect("gratifikasi:list")
    return render(request, "gratifikasi/report_delete.html", {"report": report})


@login_required
def recap(request):
    if not (policy.has_role(request.user, policy.PETUGAS_UPG) or policy.has_role(request.user, policy.INSPEKTUR)):
        raise PermissionDenied(_("Rekap gratifikasi hanya untuk UPG dan inspektur."))
    form = RecapForm(request.GET or None)
    if form.is_valid():
        reports = (
            policy.visible_cases(request.user, GratifikasiReport.objects.all())
            .filter(date_received__gte=form.cleaned_data["start"], date_received__lte=form.cleaned_data["end"])
            .exclude(status=Status.DRAFT)
        )
        if form.cleaned_data["unit"]:
            reports = reports.filter(unit_id__in=form.cleaned_data["unit"].descendant_ids())
        if request.GET.get("format") == "csv":
            data, _count = exports.recap_csv(reports)
            services.exports_record(cases=reports, actor=request.user, what="csv-recap")
            response = HttpResponse(data, content_type="text/csv; charset=utf-8")
            name = recap_filename("gratifikasi", form.cleaned_data, "csv")
        else:
            data, _count = exports.recap_xlsx(reports, form.cleaned_data)
            services.exports_record(cases=reports, actor=request.user, what="xlsx-recap")
            response = HttpResponse(
                data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            name = recap_filename("gratifikasi", form.cleaned_data)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "gratifikasi/recap.html", {"form": form})
