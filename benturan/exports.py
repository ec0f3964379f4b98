"""Exports of benturan kepentingan (declared columns, cases.exports: no cell escapes the formula guard)."""

from django.utils.translation import gettext as _

from cases.exports import NUMBER, Column, XlsxBook

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
