"""Gratifikasi services: saving the reporter's report, and the exports the UPG sends or keeps."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cases import services
from cases.models import Case, Confidentiality
from gratifikasi.models import EDITABLE_BY_REPORTER, GratifikasiObject, GratifikasiReport, Status


class ReportError(services.CaseError):
    pass


def report_save(
    *,
    reporter,
    fields: dict[str, Any],
    confidential: bool,
    objects: list[dict[str, Any]],
    report: GratifikasiReport | None = None,
    submit: bool,
) -> GratifikasiReport:
    """Create or update the reporter's report with its objects; with `submit`, send it to the UPG.

    `fields` are the report's own fields; `objects` the changes to its objects, each a dict of the object's
    fields with `id` (None for a new object) and `delete` (an existing object to remove). Objects the reporter
    did not change are left out, so no history row says they were edited.

    The report is locked and re-read first: a report already submitted from another tab is not overwritten.
    """
    confidentiality = Confidentiality.RAHASIA if confidential else Confidentiality.BIASA
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
        _objects_save(report, objects)
        if submit:
            name = "submit" if report.status == Status.DRAFT else "complete"
            report = services.transition(report, name, reporter, expected_status=report.status)
    return report


def _objects_save(report: GratifikasiReport, objects: list[dict[str, Any]]) -> None:
    """Apply the object changes in the order an inline formset does: existing ones (edit or delete), then new.
    An id is looked up among this report's objects only: an id from another report is refused."""
    changes = sorted(objects, key=lambda item: item.get("id") is None)
    for item in changes:
        data = {name: value for name, value in item.items() if name not in ("id", "delete")}
        if item.get("id") is None:
            if not item.get("delete"):
                GratifikasiObject.objects.create(report=report, **data)
            continue
        try:
            obj = report.objects_received.get(pk=item["id"])
        except GratifikasiObject.DoesNotExist:
            raise ReportError(_("Objek gratifikasi ini bukan bagian dari laporan ini.")) from None
        if item.get("delete"):
            obj.delete()
            continue
        for name, value in data.items():
            setattr(obj, name, value)
        obj.save()


def draft_delete(*, reporter, report: GratifikasiReport) -> None:
    """Delete a draft with everything it holds (cases.services.draft_delete)."""
    services.draft_delete(reporter=reporter, case=report)
