"""The answer letter to the complainant as a PDF, and the period recap as XLSX (declared columns,
cases.exports), as gratifikasi does its KPK form and recap."""

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases import registry, workdays
from cases.exports import DATE, DATETIME, NUMBER, Column, XlsxBook, clock_cell
from pengaduan.models import Category, Channel, Closure, Complaint

# How much of what the complainant wrote the letter repeats before the answer: enough to say which complaint it
# answers, not the whole file.
SUMMARY_CHARS = 600


def letter_addressee(identity: dict | None) -> str:
    """Who the letter is addressed to: the complainant's name as the reader may read it
    (pengaduan.services.complaint_identity_read: an identified complainant's for the office, a confidential
    one's for the complaint coordinator only), otherwise "Pengadu"."""
    return (identity or {}).get("name") or "Pengadu"


def _organisation(unit) -> str:
    """The instansi the letterhead names above the unit: the top of the unit tree."""
    top = unit
    while top.parent_id is not None:
        top = top.parent
    return top.name if top.pk != unit.pk else ""


def answer_letter_pdf(complaint: Complaint, *, addressee: str) -> bytes:
    """The answer letter (Perpres 76/2013: the complainant is answered in writing): letterhead with the unit
    that answered, number (the complaint's reference), date, addressee, a summary of the complaint, the answer
    and the signatory. Always in Bahasa Indonesia, like every letter of the instansi (WeasyPrint, no network)."""
    from weasyprint import HTML  # heavy (cairo, fonts): loaded only when a PDF is made

    unit = complaint.disposed_unit or complaint.unit
    with override("id"):
        html = render_to_string(
            "pengaduan/answer_letter_pdf.html",
            {
                "complaint": complaint,
                "unit": unit,
                "organisation": _organisation(unit),
                "addressee": addressee,
                "received": timezone.localtime(complaint.received_at),
                "summary": Truncator(complaint.description).chars(SUMMARY_CHARS),
                "generated": timezone.localtime(),
            },
        )
    # No base_url: the template embeds its styles and loads nothing, so nothing can be fetched.
    return HTML(string=html).write_pdf()


# ---------------------------------------------------------------------------------------------------------
# The recap: never an identity. Not even an identified complainant's name: the file travels (to the
# inspectorate, into LKE evidence) and a name is not needed to count what was followed up; SIGAP has it.

CLOCKS = ["verification", "first_follow_up", "resolution", "dispute_answer"]


@dataclass(frozen=True)
class RecapRow:
    complaint: Complaint
    labels: dict
    clocks: dict
    today: dt.date

    def label(self, field: str) -> str:
        return self.labels[field].get(getattr(self.complaint, field), "")


def _columns() -> list[Column]:
    clock_labels = {rule.code: str(rule.label) for rule in registry.get("pengaduan").clocks}
    yes, no = _("ya"), _("tidak")
    return (
        [
            Column(_("Nomor"), name="reference", value=lambda r: r.complaint.reference),
            Column(_("Diterima"), DATETIME, name="received_at", value=lambda r: r.complaint.received_at),
            Column(_("Saluran"), name="channel", value=lambda r: r.label("channel")),
            Column(_("Nomor tiket LAPOR!"), name="lapor_tracking_id", value=lambda r: r.complaint.lapor_tracking_id),
            Column(_("Kategori"), name="category", value=lambda r: r.label("category")),
            Column(
                _("Layanan"),
                name="service",
                value=lambda r: r.complaint.service.name if r.complaint.service_id else "",
            ),
            Column(_("Unit kerja"), name="unit", value=lambda r: r.complaint.unit.name),
            Column(_("Lewat 30 hari"), name="late_filing", value=lambda r: yes if r.complaint.late_filing else no),
            Column(_("Status"), name="status", value=lambda r: r.labels["status"].get(r.complaint.status, "")),
        ]
        + [
            Column(
                _("Tenggat: %(clock)s") % {"clock": clock_labels.get(code, code)},
                name=f"clock_{code}",
                value=lambda r, code=code: clock_cell(r.clocks.get(code), r.today),
            )
            for code in CLOCKS
        ]
        + [
            Column(_("Dijawab"), DATE, name="answered_on", value=lambda r: r.complaint.answered_on),
            Column(_("Cara selesai"), name="closure", value=lambda r: r.label("closure")),
            Column(_("Sanggahan"), NUMBER, total=True, name="dispute_count", value=lambda r: r.complaint.dispute_count),
            Column(_("Kepuasan (1–5)"), NUMBER, name="satisfaction", value=lambda r: r.complaint.satisfaction),
        ]
    )


def _rows(complaints):
    today = workdays.today()
    labels = {
        "channel": {value: str(text) for value, text in Channel.choices},
        "category": {value: str(text) for value, text in Category.choices},
        "closure": {value: str(text) for value, text in Closure.choices},
        "status": {value: str(text) for value, text in registry.get("pengaduan").status_labels},
    }
    # Only the columns the recap shows are read: the identity and the complainant's words never leave the
    # database for this file.
    queryset = (
        complaints.select_related("unit", "service")
        .only(
            "reference",
            "received_at",
            "channel",
            "lapor_tracking_id",
            "category",
            "service__name",
            "unit__name",
            "late_filing",
            "status",
            "answered_on",
            "closure",
            "dispute_count",
            "satisfaction",
            "kind",
        )
        .prefetch_related("clocks")
        .order_by("received_at", "pk")
    )
    for complaint in queryset.iterator(chunk_size=500):
        clocks = {clock.code: clock for clock in complaint.clocks.all()}
        yield RecapRow(complaint=complaint, labels=labels, clocks=clocks, today=today)


def recap_xlsx(complaints, params: dict) -> tuple[bytes, int]:
    """The period recap (LKE Penguatan Pengawasan, pengaduan a–d: every complaint followed up): one row per
    complaint with its channel, category, dates, each clock's outcome, status and satisfaction."""
    unit = params.get("unit")
    title = [
        [_("Rekap pengaduan masyarakat"), f"{params['start']:%d-%m-%Y} – {params['end']:%d-%m-%Y}"],
        [
            _("Unit kerja"),
            _("%(unit)s (termasuk unit di bawahnya)") % {"unit": unit.name} if unit else _("Semua unit"),
        ],
        [_("Identitas pengadu tidak dimuat dalam rekap ini.")],
    ]
    book = XlsxBook()
    sheet = book.sheet(_("Pengaduan"), _columns(), title_rows=title)
    for row in _rows(complaints):
        sheet.write_item(row)
    count = sheet.count
    sheet.totals(_("Jumlah"))
    sheet.note(_("Jumlah pengaduan"), count)
    return book.close(), count
