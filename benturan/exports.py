"""Printable documents of benturan kepentingan: PDF (WeasyPrint, no network) and XLSX (declared columns,
cases.exports), always in Bahasa Indonesia: they are the unit's documents."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from benturan import selectors
from benturan.models import RiskMap
from cases.exports import NUMBER, Column, XlsxBook

# --- Risk map


def map_filename(risk_map: RiskMap, extension: str) -> str:
    """`identifikasi-bk-sekr-2027-v2.pdf`: unit, year and version, so two versions never share a name."""
    return f"identifikasi-bk-{slugify(risk_map.unit.code)}-{risk_map.year}-v{risk_map.version}.{extension}"


def _map_context(risk_map: RiskMap) -> dict:
    approver = risk_map.approved_by
    return {
        "risk_map": risk_map,
        "unit": risk_map.unit,
        "entries": selectors.map_entries(risk_map),
        "coverage": selectors.version_coverage(risk_map),
        "approver_name": (approver.get_full_name() or approver.get_username()) if approver else "",
        "approved_at": timezone.localtime(risk_map.approved_at) if risk_map.approved_at else None,
        "generated": timezone.localtime(),
    }


def map_pdf(risk_map: RiskMap) -> bytes:
    """The unit's "identifikasi benturan kepentingan" (PermenPANRB 17/2024: mapping per position), A4 landscape:
    header with unit, year and version, the identification table, the head's approval — or a DRAFT mark on
    every page while it is not approved."""
    from weasyprint import CSS, HTML  # heavy (cairo, fonts): loaded only when a PDF is made

    with override("id"):
        html = render_to_string("benturan/map_pdf.html", _map_context(risk_map))
    # The styles come as a stylesheet, not a <style> in the template (no template carries inline styles). No
    # base_url: the document loads nothing, so nothing can be fetched.
    stylesheet = CSS(string=render_to_string("benturan/map_pdf.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def _map_columns() -> list[Column]:
    return [
        Column(pgettext("nomor urut", "No"), NUMBER, name="number", width=5, value=lambda r: r[0]),
        Column(_("Tugas/fungsi utama"), name="function", value=lambda r: r[1].function.name if r[1].function else ""),
        Column(_("Jabatan/kelompok jabatan"), name="position", value=lambda r: r[1].position),
        Column(_("Bentuk benturan kepentingan"), name="conflict_form", width=45, value=lambda r: r[1].conflict_form),
        Column(_("Situasi yang menimbulkan"), name="situation", width=45, value=lambda r: r[1].situation),
        Column(_("Sumber"), name="source", value=lambda r: r[1].get_source_display()),
        Column(_("Kemungkinan"), NUMBER, name="likelihood", value=lambda r: r[1].likelihood),
        Column(_("Dampak"), NUMBER, name="impact", value=lambda r: r[1].impact),
        Column(_("Skor risiko"), NUMBER, name="score", value=lambda r: r[1].score),
        Column(_("Tingkat risiko"), name="band", value=lambda r: r[1].band),
        Column(_("Strategi pengendalian"), name="control", width=45, value=lambda r: r[1].control),
    ]


def map_xlsx(risk_map: RiskMap) -> bytes:
    """The identification table as a spreadsheet: title lines (unit, year, version, status, approval), one row
    per entry, the header frozen; every text cell guarded against formulas by cases.exports."""
    context = _map_context(risk_map)
    with override("id"):
        if risk_map.is_approved:
            status = _("Disetujui oleh %(name)s pada %(date)s") % {
                "name": context["approver_name"],
                "date": f"{context['approved_at']:%d-%m-%Y %H:%M}",
            }
        else:
            status = _("KONSEP — belum disetujui kepala unit")
        coverage = context["coverage"]
        title = [
            [_("Identifikasi benturan kepentingan")],
            [_("Unit kerja"), risk_map.unit.name],
            [_("Tahun"), str(risk_map.year), _("Versi"), str(risk_map.version)],
            [_("Status"), status],
            [
                _("Cakupan tugas/fungsi utama"),
                f"{coverage['mapped_count']}/{coverage['total']} ({coverage['percent']}%)",
                str(coverage["answer_label"]),
            ],
        ]
        book = XlsxBook()
        sheet = book.sheet(_("Identifikasi"), _map_columns(), title_rows=title)
        for number, entry in enumerate(context["entries"], start=1):
            sheet.write_item((number, entry))
    return book.close()
