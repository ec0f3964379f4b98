"""Exports and documents of benturan kepentingan: PDF with WeasyPrint, XLSX through cases.exports (declared
columns; no cell escapes the formula guard)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from benturan import selectors
from benturan.models import RiskMap, StatementCampaign
from cases.exports import DATETIME, NUMBER, PERCENT, Column, XlsxBook

# --- Declarations (letter)


def _organisation(unit) -> str:
    """The instansi the letterhead names above the unit: the top of the unit tree (as pengaduan's letter)."""
    top = unit
    while top.parent_id is not None:
        top = top.parent
    return top.name if top.pk != unit.pk else ""


def _person(user) -> dict:
    """Name, NIP, position and unit of a person as their profile has them now."""
    if user is None:
        return {}
    profile = getattr(user, "profile", None)
    return {
        "name": user.get_full_name() or user.username,
        "nip": getattr(profile, "nip", "") or "",
        "position": getattr(profile, "position", "") or "",
        "unit": getattr(getattr(profile, "unit", None), "name", ""),
    }


def decision_letter_pdf(declaration) -> bytes:
    """The supervisor's decision on a declared conflict of interest as a letter (UU 30/2014 Pasal 42–43;
    PermenPANRB 17/2024): number (the reference), the declarant, the matter, the outcome in words, the facts, the
    impact, the reasoning, the controls, the replacement if any, and who decided when. Always in Bahasa
    Indonesia, like every letter of the instansi (WeasyPrint, no network)."""
    from weasyprint import HTML  # heavy (cairo, fonts): loaded only when a PDF is made

    with override("id"):
        html = render_to_string(
            "benturan/declaration_letter_pdf.html",
            {
                "declaration": declaration,
                "unit": declaration.unit,
                "organisation": _organisation(declaration.unit),
                "declarant": _person(declaration.reporter),
                "decider": _person(declaration.decided_by),
                "replacement": _person(declaration.replacement),
                "opened_by": _person(declaration.opened_by),
                "outcome": declaration.get_outcome_display(),
                "activity_kind": declaration.get_activity_kind_display(),
                "source": declaration.get_source_display(),
                "generated": timezone.localtime(),
            },
        )
    # No base_url: the template embeds its styles and loads nothing, so nothing can be fetched.
    return HTML(string=html).write_pdf()


# --- Statistics


def statistics_xlsx(stats: dict) -> bytes:
    """The statistics page as one sheet: a row per figure (section, indicator, count, out of, share, note). The
    share is a number (count ÷ out of, shown as a percentage); the note column keeps text only."""
    columns = [
        Column(_("Bagian"), name="section"),
        Column(_("Indikator"), name="indicator"),
        Column(_("Jumlah"), NUMBER, name="value"),
        Column(_("Dari"), NUMBER, name="of"),
        Column(_("Persentase"), PERCENT, name="percent", width=12),
        Column(_("Keterangan"), name="note"),
    ]
    unit = stats["unit"]
    title = [
        [_("Statistik benturan kepentingan"), f"{stats['start']:%d-%m-%Y} – {stats['end']:%d-%m-%Y}"],
        [
            _("Unit kerja"),
            _("%(unit)s (termasuk unit di bawahnya)") % {"unit": unit.name} if unit else stats["scope_label"],
        ],
    ]
    book = XlsxBook()
    sheet = book.sheet(_("Statistik"), columns, title_rows=title)
    for section, indicator, value, of, note in stats["rows"]:
        fraction = value / of if value is not None and of else None
        sheet.write([section, indicator, value, of, fraction, note])
    return book.close()


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
            [_("Tahun"), risk_map.year, _("Versi"), risk_map.version],
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


# --- Statements


def _coverage_columns() -> list[Column]:
    return [
        Column(_("Kode unit"), name="unit_code", value=lambda r: r.unit.code),
        Column(_("Unit kerja"), name="unit", value=lambda r: r.unit.name),
        Column(_("Wajib mengisi"), NUMBER, total=True, name="population", value=lambda r: r.population),
        Column(_("Sudah mengisi"), NUMBER, total=True, name="filed", value=lambda r: r.filed),
        Column(_("Belum mengisi"), NUMBER, total=True, name="not_filed", value=lambda r: r.not_filed),
        Column(_("Menyatakan kepentingan"), NUMBER, total=True, name="declared", value=lambda r: r.declared),
        Column(
            _("Cakupan"),
            PERCENT,
            name="percent",
            width=12,
            ratio=("filed", "population"),
            value=lambda r: r.filed / r.population if r.population else 0.0,
        ),
    ]


def _people_columns(*, who_declared: bool) -> list[Column]:
    yes, no = _("ya"), _("tidak")
    columns = [
        Column(_("Kode unit"), name="unit_code", value=lambda p: p.profile.unit.code if p.profile.unit else ""),
        Column(_("Nama"), name="name", value=lambda p: p.get_full_name() or p.get_username()),
        Column(_("NIP"), name="nip", value=lambda p: p.profile.nip or ""),
        Column(_("Jabatan"), name="position", value=lambda p: p.profile.position),
        Column(_("Sudah mengisi"), name="filed", value=lambda p: yes if p.has_filed else no),
        Column(_("Disampaikan"), DATETIME, name="filed_at", value=lambda p: p.filed_at),
    ]
    if who_declared:  # the inspectorate only (benturan.access.may_see_who_declared)
        columns.insert(
            5, Column(_("Menyatakan kepentingan"), name="declared", value=lambda p: yes if p.declared_interest else no)
        )
    return columns


def campaign_coverage_xlsx(campaign: StatementCampaign, unit_ids: set[int] | None, *, who_declared: bool) -> bytes:
    """A campaign's coverage: one sheet per unit figures, one of the people (who filed, who declared an
    interest — never what they declared). `unit_ids` limits both to what the reader may see."""
    book = XlsxBook()
    title = [
        [_("Cakupan pernyataan kepentingan pribadi"), campaign.title],
        [_("Tahun"), campaign.year],
        [_("Periode"), f"{campaign.opens_on:%d-%m-%Y} – {campaign.closes_on:%d-%m-%Y}"],
    ]
    sheet = book.sheet(_("Per unit"), _coverage_columns(), title_rows=title)
    for row in selectors.campaign_coverage(campaign, unit_ids):
        sheet.write_item(row)
    sheet.totals(_("Jumlah"))
    people = book.sheet(_("Pegawai"), _people_columns(who_declared=who_declared), title_rows=title)
    for person in selectors.campaign_people(campaign, unit_ids, "semua").iterator(chunk_size=1000):
        people.write_item(person)
    return book.close()
