"""Gratifikasi services: saving the reporter's report, and the exports the UPG sends or keeps."""

from django.db import transaction
from django.utils.translation import gettext as _

from cases import audit, services
from cases.models import Case, Confidentiality
from gratifikasi.models import EDITABLE_BY_REPORTER, GratifikasiReport, Status


class ReportError(services.CaseError):
    pass


def report_save(*, reporter, form, formset, report: GratifikasiReport | None = None, submit: bool) -> GratifikasiReport:
    """Create or update the reporter's report with its objects; with `submit`, send it to the UPG.

    The report is locked and re-read first: a report already submitted from another tab is not overwritten.
    """
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    confidentiality = Confidentiality.RAHASIA if form.cleaned_data.get("confidential") else Confidentiality.BIASA
    with transaction.atomic():
        if report is None:
            unit = getattr(getattr(reporter, "profile", None), "unit", None)
            if unit is None:
                raise ReportError(_("Akun Anda belum terhubung ke unit kerja. Hubungi admin SIGAP unit Anda."))
            report = services.create_case(
                kind="gratifikasi",
                actor=reporter,
                unit=unit,
                reporter=reporter,
                confidentiality=confidentiality,
                **fields,
            )
        else:
            Case.objects.select_for_update().filter(pk=report.pk).values_list("pk").get()
            report = GratifikasiReport.objects.get(pk=report.pk)
            if report.reporter_id != reporter.pk:
                raise services.NotAllowed(_("Hanya pelapor yang dapat mengubah laporan ini."))
            if report.status not in EDITABLE_BY_REPORTER:
                raise services.AlreadyChanged(_("Laporan ini sudah diajukan dan tidak dapat diubah lagi."))
            for name, value in fields.items():
                setattr(report, name, value)
            report.confidentiality = confidentiality
            report.save()
        formset.instance = report
        formset.save()
        if submit:
            name = "submit" if report.status == Status.DRAFT else "complete"
            report = services.transition(report, name, reporter, expected_status=report.status)
    return report


def record_export(case: Case, actor, what: str) -> None:
    """Every PDF or XLSX export is an audit event on each case it contains."""
    audit.record(case, "exported", actor, data={"format": what})
