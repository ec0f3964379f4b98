"""The LKE evidence pack: one ZIP with the worksheet (XLSX), its PDF report and, per sub-indicator (question), a
folder with the recaps behind its suggestion and the evaluation documents of its module.

The ZIP is written entry by entry to the output stream (``zipfile`` on a stream needs no seeking and keeps
only the entry being written in memory). A recap lists the cases behind each figure the suggestion links to —
reference, unit, status and dates only: no content, no names — filtered by cases.policy for the person who
asked, so the pack never shows a case its reader may not open. Every cell goes through the core writer
(cases.exports), and with it through the formula-injection guard.
"""

import re
import zipfile
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases import crypto, policy, registry
from cases.exports import DATE, DECIMAL, TEXT, Column, XlsxBook
from cases.models import Case
from evaluasi import access, jobs, lke, statistics
from evaluasi.models import Document, LkeWorksheet

ZIP_TYPE = "application/zip"


def pack_filename(worksheet: LkeWorksheet) -> str:
    period = lke.worksheet_period(worksheet)
    return f"paket-bukti-lke-{slugify(worksheet.unit.code)}-{slugify(period.code)}.zip"


def _folder(line: lke.Line) -> str:
    return f"{line.question.order:02d}-{slugify(line.question.code.replace('.', '-'))}"


# ---------------------------------------------------------------------------------------------------------
# The worksheet as XLSX


def _worksheet_columns() -> list[Column]:
    return [
        Column(_("Kode"), TEXT, name="code", value=lambda line: line.question.code),
        Column(_("Bagian"), TEXT, name="section", value=lambda line: line.question.get_section_display()),
        Column(_("Indikator"), TEXT, name="indicator", value=lambda line: line.question.indicator),
        Column(_("Pertanyaan"), TEXT, name="text", width=60, value=lambda line: line.question.text),
        Column(_("Bobot"), DECIMAL, name="weight", value=lambda line: line.question.weight),
        Column(_("Saran"), TEXT, name="suggestion", value=lambda line: line.answer.suggested_label),
        Column(_("Nilai saran"), DECIMAL, name="suggested_value", value=lambda line: line.answer.suggested_value),
        Column(_("Jawaban"), TEXT, name="answer", value=lambda line: line.answer.label or _("belum dijawab")),
        Column(_("Nilai jawaban"), DECIMAL, name="value", value=lambda line: line.answer.value),
        Column(_("Skor"), DECIMAL, name="score", value=lambda line: line.score or Decimal(0)),
        Column(_("Catatan"), TEXT, name="note", width=40, value=lambda line: line.answer.note),
        Column(
            _("Dikonfirmasi oleh"),
            TEXT,
            name="by",
            value=lambda line: (line.answer.confirmed_by.get_full_name() or line.answer.confirmed_by.get_username())
            if line.answer.confirmed_by
            else "",
        ),
        Column(
            _("Tanggal konfirmasi"),
            DATE,
            name="on",
            value=lambda line: timezone.localtime(line.answer.confirmed_at).date()
            if line.answer.confirmed_at
            else None,
        ),
        Column(_("Saran berubah"), TEXT, name="changed", value=lambda line: _("ya") if line.changed else ""),
    ]


def worksheet_xlsx(sheet: lke.Sheet) -> bytes:
    worksheet = sheet.worksheet
    book = XlsxBook()
    table = book.sheet(
        _("Lembar kerja"),
        _worksheet_columns(),
        title_rows=[
            [_("LKE Penguatan Pengawasan"), worksheet.edition.name],
            [_("Unit kerja"), f"{worksheet.unit.code} — {worksheet.unit.name}"],
            [_("Periode"), sheet.period.label, sheet.period.start, sheet.period.end],
        ],
    )
    for line in sheet.lines:
        table.write_item(line)
    table.row += 1
    for section in sheet.sections:
        table.note(section.label, section.score, section.weight)
    table.note(_("Jumlah"), sheet.score, sheet.weight)
    if sheet.unanswered:
        table.note(_("Belum dijawab (dihitung 0)"), sheet.unanswered)
    return book.close()


# ---------------------------------------------------------------------------------------------------------
# The PDF report


def worksheet_pdf(sheet: lke.Sheet) -> bytes:
    """The worksheet as a report (A4), always in Bahasa Indonesia like the other PDF documents."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 - heavy (cairo, fonts): loaded only when a PDF is made

    with override("id"):
        html = render_to_string("evaluasi/lke_report_pdf.html", {"sheet": sheet, "generated": timezone.localtime()})
    # No base_url: the document loads nothing, so nothing can be fetched.
    stylesheet = CSS(string=render_to_string("evaluasi/lke_report_pdf.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


# ---------------------------------------------------------------------------------------------------------
# Per sub-indicator: the recaps and documents


def _recap_columns() -> list[Column]:
    return [
        Column(_("Angka"), TEXT, name="figure", value=lambda row: row[0]),
        Column(_("Nomor"), TEXT, name="reference", value=lambda row: row[1].reference),
        Column(_("Unit kerja"), TEXT, name="unit", value=lambda row: row[1].unit.code),
        # In the words of the case's own kind (two kinds may share a status code with other labels).
        Column(_("Status"), TEXT, name="status", value=lambda row: row[2].get(row[1].status, row[1].status)),
        Column(
            _("Diterima"),
            DATE,
            name="received",
            value=lambda row: timezone.localtime(row[1].submitted_at).date() if row[1].submitted_at else None,
        ),
        Column(
            _("Ditutup"),
            DATE,
            name="closed",
            value=lambda row: timezone.localtime(row[1].closed_at).date() if row[1].closed_at else None,
        ),
    ]


def recap_xlsx(line: lke.Line, ws: lke.WorksheetScope, user) -> bytes | None:
    """The cases behind each figure the suggestion links to, one row per case and figure; None without any
    linked figure."""
    links = [link for link in (line.answer.basis or {}).get("links", []) if link.get("kind") and link.get("link")]
    counts = (line.answer.basis or {}).get("counts", [])
    if not links and not counts:
        return None
    book = XlsxBook()
    table = book.sheet(
        _("Kasus"),
        _recap_columns(),
        title_rows=[[line.question.code, line.question.text], [_("Dasar saran"), line.answer.basis.get("rule", "")]]
        + [[count["label"], count["value"]] for count in counts],
    )
    visible = policy.visible_cases(user).values("pk")
    for link in links:
        try:
            kind = registry.get(link["kind"])
            cases = statistics.cases_behind(kind, ws.scope, link["link"], today=ws.today)
        except (LookupError, ValueError):
            continue
        rows = (
            Case.objects.filter(pk__in=cases.values("pk"))
            .filter(pk__in=visible)
            .select_related("unit")
            .only("reference", "status", "submitted_at", "closed_at", "unit__code")
            .order_by("submitted_at", "pk")
        )
        labels = {code: str(label) for code, label in kind.status_labels}
        for case in rows.iterator(chunk_size=2000):
            table.write_item((link["label"], case, labels))
    return book.close()


def _documents(module: str, ws: lke.WorksheetScope):
    return Document.objects.filter(
        evaluation__module=module,
        evaluation__unit_id__in=lke.ancestor_ids(ws.unit),
        evaluation__period_end__gte=ws.period.start,
        evaluation__period_end__lte=ws.period.end,
    ).order_by("created_at", "pk")


def _safe_name(name: str) -> str:
    """A document's name as a file name inside the ZIP: no folders, no control characters."""
    name = re.sub(r"[\x00-\x1f/\\]+", "_", name).strip(". ") or "dokumen"
    return name[:120]


# ---------------------------------------------------------------------------------------------------------
# The pack


def build_pack(worksheet: LkeWorksheet, user, out, progress=None) -> tuple[str, str]:
    """Write the pack to the binary stream `out`; returns (filename, content type)."""
    sheet = lke.sheet(worksheet)
    ws = lke.WorksheetScope.of(worksheet)
    lines = sheet.lines
    total = len(lines) + 2
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lembar-kerja-lke.xlsx", worksheet_xlsx(sheet))
        step()
        archive.writestr("laporan-lke.pdf", worksheet_pdf(sheet))
        step()
        for line in lines:
            folder = _folder(line)
            recap = recap_xlsx(line, ws, user)
            if recap is not None:
                archive.writestr(f"{folder}/rekap.xlsx", recap)
            module = (line.answer.basis or {}).get("module")
            if module:
                seen: set[str] = set()
                for document in _documents(module, ws).iterator():
                    name = _safe_name(crypto.decrypt_text(document.name_encrypted))
                    if name in seen:
                        name = f"{document.uuid.hex[:8]}-{name}"
                    seen.add(name)
                    with default_storage.open(document.blob, "rb") as handle:
                        archive.writestr(f"{folder}/dokumen/{name}", crypto.decrypt_bytes(handle.read()))
            step()
    return pack_filename(worksheet), ZIP_TYPE


def _allowed(user, params: dict) -> bool:
    try:
        exists = LkeWorksheet.objects.filter(uuid=params.get("worksheet")).exists()
    except (ValueError, ValidationError):  # a forged UUID
        return False
    return access.may_evaluate(user) and exists


@jobs.exporter("lke.pack", allowed=_allowed)
def write_pack(job, out, progress) -> tuple[str, str]:
    """The background job's entry (evaluasi.jobs): ``job.params["worksheet"]`` is the worksheet's UUID."""
    worksheet = LkeWorksheet.objects.select_related("unit", "edition").get(uuid=job.params["worksheet"])
    return build_pack(worksheet, job.requested_by, out, progress)
