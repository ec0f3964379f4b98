"""Exports and documents of benturan kepentingan: PDF with WeasyPrint, XLSX through cases.exports (declared
columns; no cell escapes the formula guard)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.exports import NUMBER, Column, XlsxBook

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
    """The statistics page as one sheet: a row per figure (section, indicator, count, out of, percent/note)."""
    columns = [
        Column(_("Bagian"), name="section"),
        Column(_("Indikator"), name="indicator"),
        Column(_("Jumlah"), NUMBER, name="value"),
        Column(_("Dari"), NUMBER, name="of"),
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
    for row in stats["rows"]:
        sheet.write(row)
    return book.close()
