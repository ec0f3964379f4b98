"""Exports of benturan kepentingan through the one writer layer (cases.exports: declared columns, formula guard,
frozen header, autofilter)."""

from django.utils.translation import gettext as _

from benturan import selectors
from benturan.models import StatementCampaign
from cases.exports import DATETIME, NUMBER, TEXT, Column, XlsxBook

# --- Statements


def _coverage_columns() -> list[Column]:
    return [
        Column(_("Kode unit"), name="unit_code", value=lambda r: r.unit.code),
        Column(_("Unit kerja"), name="unit", value=lambda r: r.unit.name),
        Column(_("Wajib mengisi"), NUMBER, total=True, name="population", value=lambda r: r.population),
        Column(_("Sudah mengisi"), NUMBER, total=True, name="filed", value=lambda r: r.filed),
        Column(_("Belum mengisi"), NUMBER, total=True, name="not_filed", value=lambda r: r.not_filed),
        Column(_("Menyatakan kepentingan"), NUMBER, total=True, name="declared", value=lambda r: r.declared),
        # Text with one decimal ("87,5"), as the page shows it; the counts beside it are the numbers to sum.
        Column(_("Cakupan (%)"), TEXT, name="percent", value=lambda r: f"{r.percent:.1f}".replace(".", ",")),
    ]


def _people_columns() -> list[Column]:
    yes, no = _("ya"), _("tidak")
    return [
        Column(_("Kode unit"), name="unit_code", value=lambda p: p.profile.unit.code if p.profile.unit else ""),
        Column(_("Nama"), name="name", value=lambda p: p.get_full_name() or p.get_username()),
        Column(_("NIP"), name="nip", value=lambda p: p.profile.nip or ""),
        Column(_("Jabatan"), name="position", value=lambda p: p.profile.position),
        Column(_("Sudah mengisi"), name="filed", value=lambda p: yes if p.has_filed else no),
        Column(_("Menyatakan kepentingan"), name="declared", value=lambda p: yes if p.declared_interest else no),
        Column(_("Disampaikan"), DATETIME, name="filed_at", value=lambda p: p.filed_at),
    ]


def campaign_coverage_xlsx(campaign: StatementCampaign, unit_ids: set[int] | None) -> bytes:
    """A campaign's coverage: one sheet per unit figures, one of the people (who filed, who declared an
    interest — never what they declared). `unit_ids` limits both to what the reader may see."""
    book = XlsxBook()
    title = [
        [_("Cakupan pernyataan kepentingan pribadi"), campaign.title],
        [_("Tahun"), str(campaign.year)],
        [_("Periode"), f"{campaign.opens_on:%d-%m-%Y} – {campaign.closes_on:%d-%m-%Y}"],
    ]
    rows = selectors.campaign_coverage(campaign, unit_ids)
    sheet = book.sheet(_("Per unit"), _coverage_columns(), title_rows=title)
    for row in rows:
        sheet.write_item(row)
    sheet.totals(_("Jumlah"))
    people = book.sheet(_("Pegawai"), _people_columns(), title_rows=title)
    for person in selectors.campaign_people(campaign, unit_ids, "semua").iterator(chunk_size=1000):
        people.write_item(person)
    return book.close()
