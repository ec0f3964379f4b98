"""The report as a PDF for KPK, and the period recap as XLSX."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases import registry, workdays
from cases.exports import DATE, MONEY, NUMBER, Column, XlsxBook, csv_bytes
from cases.models import DeadlineClock
from gratifikasi.exemptions import advise_report
from gratifikasi.models import GratifikasiObject, GratifikasiReport, ReportType


def report_pdf(report: GratifikasiReport, *, for_reporter: bool = False) -> bytes:
    """The fields of KPK's Formulir Laporan Gratifikasi (Peraturan KPK 2/2019 Pasal 5), to attach when
    forwarding, or for the reporter as proof of reporting (WeasyPrint, no network). Always in Bahasa
    Indonesia, whatever the user's interface language: it is KPK's form."""
    from weasyprint import HTML

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


def _clock_cell(clock: DeadlineClock | None, today) -> str:
    if clock is None:
        return "—"
    if clock.met_on:
        return _("tepat waktu") if clock.met_on <= clock.due_date else _("terlambat")
    if clock.stopped_on:
        return _("dihentikan")
    return _("terlampaui") if clock.due_date < today else _("berjalan")


def recap_filename(params: dict, extension: str = "xlsx") -> str:
    """`rekap-gratifikasi-sekr-20260301-20260331.xlsx`: the period and the unit, so two recaps never share
    a name in the inspector's downloads folder."""
    unit = params.get("unit")
    scope = slugify(unit.code) if unit is not None else "semua-unit"
    return f"rekap-gratifikasi-{scope}-{params['start']:%Y%m%d}-{params['end']:%Y%m%d}.{extension}"


def _report_columns() -> list[Column]:
    clock_labels = {rule.code: str(rule.label) for rule in registry.get("gratifikasi").clocks}
    return [
        Column(_("Nomor")),
        Column(_("Jenis laporan")),
        Column(_("Unit kerja")),
        Column(_("Pelapor")),
        Column(_("NIP pelapor")),
        Column(_("Jabatan pelapor")),
        Column(_("Tanggal diterima/ditolak"), DATE),
        Column(_("Diajukan"), DATE),
        Column(_("Diterima UPG"), DATE),
        Column(_("Status")),
        Column(_("Rahasia")),
        Column(_("Pemberi")),
        Column(_("Instansi pemberi")),
        Column(_("Hubungan")),
        Column(_("Peristiwa")),
        Column(_("Jumlah objek"), NUMBER, total=True),
        Column(_("Nilai total (Rp)"), MONEY, total=True),
        Column(_("Diteruskan ke KPK"), DATE),
        Column(_("Saluran")),
        Column(_("Nomor GOL/surat")),
        Column(_("Keputusan KPK")),
        Column(_("Nomor SK")),
        Column(_("Tanggal SK"), DATE),
        Column(_("Terlambat ke KPK")),
    ] + [Column(_("Tenggat: %(clock)s") % {"clock": clock_labels.get(code, code)}) for code in CLOCKS]


def _object_columns() -> list[Column]:
    return [
        Column(_("Nomor")),
        Column(_("Jenis laporan")),
        Column(_("Tanggal diterima/ditolak"), DATE),
        Column(_("Jenis objek")),
        Column(_("Uraian objek")),
        Column(_("Nilai (Rp)"), MONEY, total=True),
        Column(_("Nilai perkiraan")),
        Column(_("Keberadaan")),
    ]


def _recap_rows(reports):
    """(report type, total value, the report's row, its objects' rows) for each report, oldest first.

    A confidential report (the reporter asked KPK for confidentiality) keeps its reporter and giver out of a
    file that travels: the UPG has them in SIGAP."""
    today = workdays.today()
    masked = "—"
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
    yes, no = _("ya"), _("tidak")
    for report in reports.iterator(chunk_size=500):
        clocks = {clock.code: clock for clock in report.clocks.all()}
        objects = list(report.objects_received.all())
        total = sum(obj.value for obj in objects)
        legal = clocks.get("kpk_legal")
        reporter = report.reporter
        profile = getattr(reporter, "profile", None)
        secret = bool(report.confidentiality)
        refusal = report.report_type == ReportType.PENOLAKAN
        kind = label["report_type"].get(report.report_type, "")
        row = [
            report.reference,
            kind,
            report.unit.name,
            masked if secret else (reporter.get_full_name() or reporter.get_username()) if reporter else "",
            masked if secret else (profile.nip or "") if profile else "",
            masked if secret else (profile.position if profile else ""),
            report.date_received,
            timezone.localtime(report.submitted_at).date() if report.submitted_at else None,
            report.received_by_upg_on,
            status.get(report.status, report.status),
            yes if secret else no,
            masked if secret else report.giver_name,
            masked if secret else report.giver_institution,
            label["giver_relationship"].get(report.giver_relationship, ""),
            label["occasion"].get(report.occasion, ""),
            len(objects),
            total,
            report.kpk_forwarded_on,
            label["kpk_channel"].get(report.kpk_channel, ""),
            report.kpk_reference,
            label["kpk_decision"].get(report.kpk_decision, ""),
            report.kpk_sk_number,
            report.kpk_sk_date,
            yes if legal and legal.is_late else no,
        ] + [_clock_cell(clocks.get(code), today) for code in CLOCKS]
        object_rows = [
            [
                report.reference,
                kind,
                report.date_received,
                label["kind"].get(obj.kind, ""),
                obj.description,
                obj.value,
                yes if obj.value_is_estimate else no,
                # A refused gift never reached the reporter: where it "is now" does not apply.
                "—" if refusal else label["location"].get(obj.location, ""),
            ]
            for obj in objects
        ]
        yield report.report_type, total, row, object_rows


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
    for report_type, total, row, object_rows in _recap_rows(reports):
        report_sheet.write(row)
        for object_row in object_rows:
            object_sheet.write(object_row)
        counted = by_type.setdefault(report_type, [0, 0])
        counted[0] += 1
        counted[1] += total
    count = report_sheet.count
    report_sheet.totals(_("Jumlah"))
    report_sheet.note(_("Jumlah laporan"), count)
    report_sheet.note(_("Penerimaan"), *by_type[ReportType.PENERIMAAN])
    report_sheet.note(_("Penolakan"), *by_type[ReportType.PENOLAKAN])
    object_sheet.totals(_("Jumlah"))
    return book.close(), count


def recap_csv(reports) -> tuple[bytes, int]:
    """The recap's first sheet as CSV (one row per report), for tools that read no XLSX."""
    rows = [row for _type, _total, row, _objects in _recap_rows(reports)]
    return csv_bytes(_report_columns(), rows), len(rows)


def record_recap(reports, actor, what: str = "xlsx-recap") -> None:
    from gratifikasi.services import export_record

    for case_id in reports.values_list("pk", flat=True).iterator(chunk_size=500):
        export_record(case=GratifikasiReport(pk=case_id), actor=actor, what=what)
