"""The report as a PDF for KPK, and the period recap as XLSX."""

import io

import xlsxwriter
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import registry, workdays
from cases.models import DeadlineClock
from gratifikasi.exemptions import advise_report
from gratifikasi.models import GratifikasiObject, GratifikasiReport


def report_pdf(report: GratifikasiReport) -> bytes:
    """The fields of KPK's Formulir Laporan Gratifikasi, to attach when forwarding (WeasyPrint, no network)."""
    from weasyprint import HTML

    reporter = report.reporter
    html = render_to_string(
        "gratifikasi/report_pdf.html",
        {
            "report": report,
            "reporter": reporter,
            "profile": getattr(reporter, "profile", None),
            "objects": report.objects_received.all(),
            "clocks": report.clocks.all(),
            "advice": advise_report(report),
            "generated": timezone.localtime(),
        },
    )
    # No base_url: the template embeds its styles and loads nothing, so nothing can be fetched.
    return HTML(string=html).write_pdf()


CLOCKS = ["report_to_upg", "upg_forward", "kpk_legal", "kpk_decision", "handover"]


def _clock_cell(clock: DeadlineClock | None, today) -> str:
    if clock is None:
        return "—"
    if clock.met_on:
        return _("tepat waktu") if clock.met_on <= clock.due_date else _("terlambat")
    if clock.stopped_on:
        return _("dihentikan")
    return _("terlampaui") if clock.due_date < today else _("berjalan")


def recap_xlsx(reports, params: dict) -> tuple[bytes, int]:
    """One row per object of every report in the period (a report with two objects gives two rows), with the
    report's dates, status at KPK and whether each clock was met. Streams rows: constant_memory mode."""
    today = workdays.today()
    clock_labels = {rule.code: str(rule.label) for rule in registry.get("gratifikasi").clocks}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet(_("Rekap gratifikasi"))
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(
        0, 0, [_("Rekap laporan gratifikasi"), f"{params['start']:%d-%m-%Y} – {params['end']:%d-%m-%Y}"], bold
    )
    headers = [
        _("Nomor"),
        _("Jenis laporan"),
        _("Unit kerja"),
        _("Tanggal diterima"),
        _("Diajukan"),
        _("Status"),
        _("Rahasia"),
        _("Pemberi"),
        _("Hubungan"),
        _("Peristiwa"),
        _("Jenis objek"),
        _("Uraian objek"),
        _("Nilai (Rp)"),
        _("Total laporan (Rp)"),
        _("Diteruskan ke KPK"),
        _("Saluran"),
        _("Nomor GOL/surat"),
        _("Keputusan KPK"),
        _("Nomor SK"),
        _("Tanggal SK"),
        _("Terlambat ke KPK"),
    ] + [_("Tenggat: %(clock)s") % {"clock": clock_labels.get(code, code)} for code in CLOCKS]
    sheet.write_row(2, 0, headers, bold)
    row, count = 3, 0
    reports = (
        reports.select_related("unit")
        .order_by("date_received", "pk")
        .prefetch_related(Prefetch("objects_received", queryset=GratifikasiObject.objects.order_by("pk")), "clocks")
    )
    for report in reports.iterator(chunk_size=500):
        count += 1
        clocks = {clock.code: clock for clock in report.clocks.all()}
        objects = list(report.objects_received.all()) or [None]
        total = sum(obj.value for obj in objects if obj)
        legal = clocks.get("kpk_legal")
        for obj in objects:
            values = [
                report.reference,
                report.get_report_type_display(),
                report.unit.name,
                report.date_received,
                timezone.localtime(report.submitted_at).date() if report.submitted_at else None,
                report.status_label,
                _("ya") if report.confidentiality else _("tidak"),
                # A confidential report's giver stays out of a file that travels: the UPG has it in SIGAP.
                "—" if report.confidentiality else report.giver_name,
                report.get_giver_relationship_display(),
                report.get_occasion_display(),
                obj.get_kind_display() if obj else "",
                obj.description if obj else "",
                obj.value if obj else None,
                total,
                report.kpk_forwarded_on,
                report.get_kpk_channel_display(),
                report.kpk_reference,
                report.get_kpk_decision_display(),
                report.kpk_sk_number,
                report.kpk_sk_date,
                _("ya") if legal and legal.is_late else _("tidak"),
            ] + [_clock_cell(clocks.get(code), today) for code in CLOCKS]
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if col in (3, 4, 14, 19):
                    sheet.write_datetime(row, col, _as_datetime(value), date)
                elif col in (12, 13):
                    sheet.write_number(row, col, value, money)
                else:
                    sheet.write(row, col, str(value))
            row += 1
    sheet.write(row + 1, 0, _("Jumlah laporan: %(n)s") % {"n": count}, bold)
    book.close()
    return buffer.getvalue(), count


def _as_datetime(value):
    import datetime as dt

    return dt.datetime(value.year, value.month, value.day)


def record_recap(reports, actor) -> None:
    from gratifikasi.services import record_export

    for case_id in reports.values_list("pk", flat=True).iterator(chunk_size=500):
        record_export(GratifikasiReport(pk=case_id), actor, "xlsx-recap")
