"""The report as a PDF for KPK, and the period recap as XLSX and CSV (declared columns, cases.exports)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases import registry, workdays
from cases.exports import DATE, MONEY, NUMBER, Column, XlsxBook, clock_cell, csv_items
from gratifikasi.exemptions import advise_report
from gratifikasi.models import GratifikasiObject, GratifikasiReport, ReportType


def report_pdf(report: GratifikasiReport, *, for_reporter: bool = False) -> bytes:
    """The fields of KPK's Formulir Laporan Gratifikasi (Peraturan KPK 2/2019 Pasal 5), to attach when
    forwarding, or for the reporter as proof of reporting (WeasyPrint, no network). Always in Bahasa
    Indonesia, whatever the user's interface language: it is KPK's form."""
    from weasyprint import HTML  # heavy (cairo, fonts): loaded only when a PDF is made

    reporter = report.reporter
    objects = list(report.objects_received.all())
    with override("id"):
        html = render_to_string(
            "gratifikasi/report_pdf.html",
            {
                "report": report,
                "reporter": reporter,
                "profile": getattr(reporter, "profile", None),
                "objects": objects,
                "total": sum(obj.value for obj in objects),
                "attachments": list(report.attachments.all()),
                "clocks": report.clocks.all(),
                "advice": advise_report(report),
                "submitted": timezone.localtime(report.submitted_at) if report.submitted_at else None,
                "generated": timezone.localtime(),
                "for_reporter": for_reporter,
            },
        )
    # No base_url: the template embeds its styles and loads nothing, so nothing can be fetched.
    return HTML(string=html).write_pdf()


CLOCKS = ["report_to_upg", "upg_forward", "kpk_legal", "kpk_decision", "handover"]
# What a confidential report shows instead of who reported it and who gave.
MASKED = "—"


@dataclass(frozen=True)
class RecapRow:
    """One report as the recap shows it: the report, and what its row needs read once (labels, clocks,
    objects). A confidential report (the reporter asked KPK for confidentiality) keeps its reporter and giver
    out of a file that travels: the UPG has them in SIGAP."""

    report: GratifikasiReport
    type_label: str
    status_label: str
    relationship: str
    occasion: str
    channel: str
    decision: str
    objects: list
    total: int
    clocks: dict
    today: dt.date

    @property
    def secret(self) -> bool:
        return bool(self.report.confidentiality)

    def shown(self, value):
        return MASKED if self.secret else value

    @property
    def reporter_name(self) -> str:
        reporter = self.report.reporter
        return (reporter.get_full_name() or reporter.get_username()) if reporter else ""

    @property
    def profile(self):
        return getattr(self.report.reporter, "profile", None)


@dataclass(frozen=True)
class ObjectRow:
    row: RecapRow
    obj: GratifikasiObject
    kind_label: str
    location: str


def _report_columns() -> list[Column]:
    clock_labels = {rule.code: str(rule.label) for rule in registry.get("gratifikasi").clocks}
    yes, no = _("ya"), _("tidak")

    def late_to_kpk(row: RecapRow) -> str:
        legal = row.clocks.get("kpk_legal")
        return yes if legal and legal.is_late else no

    def submitted(row: RecapRow):
        return timezone.localtime(row.report.submitted_at).date() if row.report.submitted_at else None

    return [
        Column(_("Nomor"), name="reference", value=lambda r: r.report.reference),
        Column(_("Jenis laporan"), name="report_type", value=lambda r: r.type_label),
        Column(_("Unit kerja"), name="unit", value=lambda r: r.report.unit.name),
        Column(_("Pelapor"), name="reporter", value=lambda r: r.shown(r.reporter_name)),
        Column(_("NIP pelapor"), name="nip", value=lambda r: r.shown((r.profile.nip or "") if r.profile else "")),
        Column(_("Jabatan pelapor"), name="position", value=lambda r: r.shown(r.profile.position if r.profile else "")),
        Column(_("Tanggal diterima/ditolak"), DATE, name="date_received", value=lambda r: r.report.date_received),
        Column(_("Diajukan"), DATE, name="submitted", value=submitted),
        Column(_("Diterima UPG"), DATE, name="received_by_upg_on", value=lambda r: r.report.received_by_upg_on),
        Column(_("Status"), name="status", value=lambda r: r.status_label),
        Column(_("Rahasia"), name="confidential", value=lambda r: yes if r.secret else no),
        Column(_("Pemberi"), name="giver_name", value=lambda r: r.shown(r.report.giver_name)),
        Column(_("Instansi pemberi"), name="giver_institution", value=lambda r: r.shown(r.report.giver_institution)),
        Column(_("Hubungan"), name="giver_relationship", value=lambda r: r.relationship),
        Column(_("Peristiwa"), name="occasion", value=lambda r: r.occasion),
        Column(_("Jumlah objek"), NUMBER, total=True, name="object_count", value=lambda r: len(r.objects)),
        Column(_("Nilai total (Rp)"), MONEY, total=True, name="total_value", value=lambda r: r.total),
        Column(_("Diteruskan ke KPK"), DATE, name="kpk_forwarded_on", value=lambda r: r.report.kpk_forwarded_on),
        Column(_("Saluran"), name="kpk_channel", value=lambda r: r.channel),
        Column(_("Nomor GOL/surat"), name="kpk_reference", value=lambda r: r.report.kpk_reference),
        Column(_("Keputusan KPK"), name="kpk_decision", value=lambda r: r.decision),
        Column(_("Nomor SK"), name="kpk_sk_number", value=lambda r: r.report.kpk_sk_number),
        Column(_("Tanggal SK"), DATE, name="kpk_sk_date", value=lambda r: r.report.kpk_sk_date),
        Column(_("Terlambat ke KPK"), name="late_to_kpk", value=late_to_kpk),
    ] + [
        Column(
            _("Tenggat: %(clock)s") % {"clock": clock_labels.get(code, code)},
            name=f"clock_{code}",
            value=lambda r, code=code: clock_cell(r.clocks.get(code), r.today),
        )
        for code in CLOCKS
    ]


def _object_columns() -> list[Column]:
    yes, no = _("ya"), _("tidak")
    return [
        Column(_("Nomor"), name="reference", value=lambda o: o.row.report.reference),
        Column(_("Jenis laporan"), name="report_type", value=lambda o: o.row.type_label),
        Column(_("Tanggal diterima/ditolak"), DATE, name="date_received", value=lambda o: o.row.report.date_received),
        Column(_("Jenis objek"), name="kind", value=lambda o: o.kind_label),
        Column(_("Uraian objek"), name="description", value=lambda o: o.obj.description),
        Column(_("Nilai (Rp)"), MONEY, total=True, name="value", value=lambda o: o.obj.value),
        Column(_("Nilai perkiraan"), name="estimate", value=lambda o: yes if o.obj.value_is_estimate else no),
        Column(_("Keberadaan"), name="location", value=lambda o: o.location),
    ]


def _recap_rows(reports):
    """(the report's row, its objects' rows) for each report, oldest first."""
    today = workdays.today()
    reports = (
        reports.select_related("unit", "reporter__profile")
        .order_by("date_received", "pk")
        .prefetch_related(Prefetch("objects_received", queryset=GratifikasiObject.objects.order_by("pk")), "clocks")
    )
    # Choice labels resolved once per export, not per cell: get_FOO_display() hashes the lazy labels of the
    # field's choices on every call, which was half the export's time.
    label = {
        name: {value: str(text) for value, text in model._meta.get_field(name).flatchoices}
        for model, names in (
            (GratifikasiReport, ("report_type", "giver_relationship", "occasion", "kpk_channel", "kpk_decision")),
            (GratifikasiObject, ("kind", "location")),
        )
        for name in names
    }
    status = {value: str(text) for value, text in registry.get("gratifikasi").status_labels}
    for report in reports.iterator(chunk_size=500):
        objects = list(report.objects_received.all())
        row = RecapRow(
            report=report,
            type_label=label["report_type"].get(report.report_type, ""),
            status_label=status.get(report.status, report.status),
            relationship=label["giver_relationship"].get(report.giver_relationship, ""),
            occasion=label["occasion"].get(report.occasion, ""),
            channel=label["kpk_channel"].get(report.kpk_channel, ""),
            decision=label["kpk_decision"].get(report.kpk_decision, ""),
            objects=objects,
            total=sum(obj.value for obj in objects),
            clocks={clock.code: clock for clock in report.clocks.all()},
            today=today,
        )
        refusal = report.report_type == ReportType.PENOLAKAN
        object_rows = [
            ObjectRow(
                row=row,
                obj=obj,
                kind_label=label["kind"].get(obj.kind, ""),
                # A refused gift never reached the reporter: where it "is now" does not apply.
                location="—" if refusal else label["location"].get(obj.location, ""),
            )
            for obj in objects
        ]
        yield row, object_rows


def recap_xlsx(reports, params: dict) -> tuple[bytes, int]:
    """The period recap (LKE evidence: "rekap laporan gratifikasi berkala", received and refused).

    Sheet 1 has one row per report, with its reporter, its total value, dates, status at KPK and whether
    each clock was met; sheet 2 one row per object. Both end in totals that follow the reader's filter and
    that add up: the reports' totals and the objects' values sum to the same figure. Rows stream out to both
    sheets as they are read (constant_memory).
    """
    unit = params.get("unit")
    title = [
        [_("Rekap laporan gratifikasi"), f"{params['start']:%d-%m-%Y} – {params['end']:%d-%m-%Y}"],
        [
            _("Unit kerja"),
            _("%(unit)s (termasuk unit di bawahnya)") % {"unit": unit.name} if unit else _("Semua unit"),
        ],
    ]
    book = XlsxBook()
    report_sheet = book.sheet(_("Laporan"), _report_columns(), title_rows=title)
    object_sheet = book.sheet(_("Objek"), _object_columns(), title_rows=title)
    by_type = {ReportType.PENERIMAAN: [0, 0], ReportType.PENOLAKAN: [0, 0]}
    for row, object_rows in _recap_rows(reports):
        report_sheet.write_item(row)
        for object_row in object_rows:
            object_sheet.write_item(object_row)
        counted = by_type.setdefault(row.report.report_type, [0, 0])
        counted[0] += 1
        counted[1] += row.total
    count = report_sheet.count
    report_sheet.totals(_("Jumlah"))
    report_sheet.note(_("Jumlah laporan"), count)
    report_sheet.note(_("Penerimaan"), *by_type[ReportType.PENERIMAAN])
    report_sheet.note(_("Penolakan"), *by_type[ReportType.PENOLAKAN])
    object_sheet.totals(_("Jumlah"))
    return book.close(), count


def recap_csv(reports) -> tuple[bytes, int]:
    """The recap's first sheet as CSV (one row per report), for tools that read no XLSX."""
    rows = [row for row, _objects in _recap_rows(reports)]
    return csv_items(_report_columns(), rows), len(rows)
