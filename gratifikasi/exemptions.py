"""Advice on Peraturan KPK 2/2019 Pasal 2 ayat (3): gifts that need not be reported.

The rules are versioned and chosen by the date received: the 2019 text until 19-01-2026, the text as
amended by Peraturan KPK 1/2026 from 20-01-2026 (REFERENCE.md). This is advice for the reporter and the UPG
("this looks exempt under huruf o"); only the UPG decides.

Amounts are "paling banyak" (at most): a gift exactly at the limit is within it. The yearly limits from one
giver add up this report and the reporter's earlier reports from the same giver in the same calendar year.
"Not cash" excludes money and other means of exchange (vouchers, precious metal).

The advice errs one way only: it never says "exempt" on what it does not know. A missing, unreadable or zero
value, a value the reporter does not know, or a giver not yet described gives "cannot advise yet"
(UNDETERMINED), never "exempt". And the exemptions presume there is no conflict of interest (Pasal 2 ayat (3),
e.g. huruf a and m, and its penjelasan; Pasal 12B UU 20/2001 is about gifts "yang berhubungan dengan
jabatannya"): a gift from a vendor, partner, service user or anyone with an interest in the employee's duties,
or one the employee says is linked to them, is advised reportable whatever its occasion or value.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from cases import formats
from gratifikasi.legal import AMENDMENT_2026
from gratifikasi.models import (
    CASH_LIKE,
    GratifikasiObject,
    GratifikasiReport,
    Occasion,
    Relationship,
    ReportType,
    Status,
)


@dataclass(frozen=True)
class RuleSet:
    version: str
    wedding_per_giver: int  # huruf l
    colleague_per_gift: int  # huruf o
    colleague_per_year: int
    farewell_per_gift: int | None  # huruf n (removed in 2026: falls under o)
    farewell_per_year: int | None


RULES_2019 = RuleSet("Peraturan KPK 2/2019", 1_000_000, 200_000, 1_000_000, 300_000, 1_000_000)
RULES_2026 = RuleSet("Peraturan KPK 2/2019 jo. Peraturan KPK 1/2026", 1_500_000, 500_000, 1_500_000, None, None)


def rules_for(date_received: dt.date) -> RuleSet:
    return RULES_2026 if date_received >= AMENDMENT_2026 else RULES_2019


# Givers who by their position deal with the employee's duties: a gift from them is never presumed free of a
# conflict of interest, so no Pasal 2 ayat (3) exemption is advised.
CONFLICT_RELATIONSHIPS = frozenset(
    {Relationship.REKANAN, Relationship.MITRA, Relationship.PENGGUNA_LAYANAN, Relationship.BERKEPENTINGAN}
)

EXEMPT, REPORTABLE, UNDETERMINED = "exempt", "reportable", "undetermined"


@dataclass(frozen=True)
class Advice:
    letter: str  # huruf of Pasal 2(3), or "" when no exemption fits
    looks_exempt: bool
    reason: str
    basis: str
    outcome: str = ""  # EXEMPT, REPORTABLE or UNDETERMINED ("cannot advise yet")

    @property
    def undetermined(self) -> bool:
        return self.outcome == UNDETERMINED


def rupiah(value: int) -> str:
    return formats.rupiah(value)  # in the reader's language: Rp2.500.000 / Rp2,500,000


def giver_key(name: str, institution: str) -> tuple[str, str]:
    """Two reports name the same giver when name and institution match, ignoring case and spacing."""
    return " ".join(name.lower().split()), " ".join(institution.lower().split())


def earlier_from_same_giver(
    *, reporter, giver_name: str, giver_institution: str, until: dt.date, exclude_pk=None
) -> int:
    """The value of the reporter's earlier penerimaan reports from this giver in the same calendar year."""
    if not giver_name.strip() or reporter is None or not getattr(reporter, "pk", None):
        return 0
    key = giver_key(giver_name, giver_institution)
    reports = (
        GratifikasiReport.objects.filter(
            reporter=reporter,
            report_type=ReportType.PENERIMAAN,
            date_received__year=until.year,
            date_received__lte=until,
        )
        .exclude(status=Status.DRAFT)
        .exclude(pk=exclude_pk)
        .values_list("pk", "giver_name", "giver_institution")
    )
    same = [pk for pk, name, institution in reports if giver_key(name, institution) == key]
    return GratifikasiObject.objects.filter(report_id__in=same).aggregate(total=Sum("value"))["total"] or 0


def advise(
    *,
    date_received: dt.date,
    occasion: str,
    objects: list[tuple[str, int | None]],
    earlier_this_year: int = 0,
    report_type: str = ReportType.PENERIMAAN,
    giver_relationship: str = "",
    related_to_duties: bool | None = None,
    for_record: bool = False,
) -> Advice:
    """`objects` are (kind, value) pairs of this report, value None when missing or unknown;
    `earlier_this_year` the sum from the same giver; `related_to_duties` the reporter's answer (None: not yet).
    `for_record`: the reasons are read by the UPG and KPK (the PDF), not said to the reporter on the form, so
    they speak of the reporter in the third person instead of "Anda"."""
    rules = rules_for(date_received)

    def say(to_reporter, on_record):
        return on_record if for_record else to_reporter

    def advice(letter, exempt, reason, outcome=None):
        return Advice(letter, exempt, str(reason), rules.version, outcome or (EXEMPT if exempt else REPORTABLE))

    def cannot_advise(reason):
        return advice("", False, reason, UNDETERMINED)

    if report_type == ReportType.PENOLAKAN:
        return advice("", False, _("Penolakan tetap dilaporkan agar tercatat; tidak ada pengecualian."))

    if not giver_relationship:
        return cannot_advise(
            say(
                _("Isi dulu siapa pemberinya dan hubungannya dengan Anda."),
                _("Pemberi dan hubungannya dengan pelapor belum diisi."),
            )
        )
    if not objects:
        return cannot_advise(
            say(
                _("Isi dulu objek yang diterima beserta nilainya dalam rupiah."),
                _("Objek yang diterima beserta nilainya dalam rupiah belum diisi."),
            )
        )
    if any(not value for _kind, value in objects):
        return cannot_advise(
            say(
                _(
                    "Nilai objek belum diisi, tidak terbaca, Rp 0, atau tidak diketahui: tanpa nilai, pengecualian "
                    "tidak dapat dinilai. Bila nilainya memang tidak diketahui, laporkan; UPG akan menaksirnya."
                ),
                _(
                    "Nilai objek belum diisi, tidak terbaca, Rp 0, atau tidak diketahui: tanpa nilai, pengecualian "
                    "tidak dapat dinilai; UPG menaksir nilainya."
                ),
            )
        )

    if giver_relationship in CONFLICT_RELATIONSHIPS or related_to_duties:
        return advice(
            "",
            False,
            say(
                _(
                    "Pemberi berurusan dengan tugas atau jabatan Anda, atau pemberian terkait tugas Anda. "
                    "Pengecualian Pasal 2 ayat (3) hanya berlaku bila tidak ada konflik kepentingan: wajib "
                    "dilaporkan, berapa pun nilainya dan apa pun acaranya."
                ),
                _(
                    "Pemberi berurusan dengan tugas atau jabatan pelapor, atau pemberian terkait tugas pelapor. "
                    "Pengecualian Pasal 2 ayat (3) hanya berlaku bila tidak ada konflik kepentingan: wajib "
                    "dilaporkan, berapa pun nilainya dan apa pun acaranya."
                ),
            ),
        )
    if related_to_duties is None:
        return cannot_advise(
            say(
                _("Jawab dulu apakah pemberi berurusan dengan tugas atau jabatan Anda."),
                _("Belum dijawab apakah pemberi berurusan dengan tugas atau jabatan pelapor."),
            )
        )

    total = sum(value for _kind, value in objects)
    has_cash = any(kind in CASH_LIKE for kind, _value in objects)
    year_total = total + earlier_this_year

    if occasion == Occasion.PERNIKAHAN_UPACARA:
        limit = rules.wedding_per_giver
        if total <= limit:
            return advice(
                "l",
                True,
                _("Nilai %(total)s tidak melebihi %(limit)s per pemberi untuk pernikahan atau upacara.")
                % {"total": rupiah(total), "limit": rupiah(limit)},
            )
        return advice(
            "",
            False,
            _("Nilai %(total)s melebihi batas %(limit)s per pemberi (huruf l): wajib dilaporkan.")
            % {"total": rupiah(total), "limit": rupiah(limit)},
        )

    if occasion == Occasion.PERPISAHAN_REKAN and rules.farewell_per_gift is not None:
        return _colleague(advice, "n", has_cash, total, year_total, rules.farewell_per_gift, rules.farewell_per_year)

    if occasion in {Occasion.ANTAR_REKAN, Occasion.PERPISAHAN_REKAN}:
        return _colleague(advice, "o", has_cash, total, year_total, rules.colleague_per_gift, rules.colleague_per_year)

    conditional = {
        Occasion.KELUARGA: ("a", _("Pemberian dalam keluarga dikecualikan bila tidak ada konflik kepentingan.")),
        Occasion.MUSIBAH: ("m", _("Pemberian saat musibah dikecualikan bila wajar dan tidak ada konflik kepentingan.")),
        Occasion.PESERTA_ACARA: ("d", _("Perlengkapan yang diberikan kepada semua peserta kegiatan resmi.")),
        Occasion.PROMOSI: ("e", _("Barang promosi berlogo yang diberikan secara umum, bukan uang.")),
        Occasion.HADIAH_UMUM: (
            "h",
            _("Hadiah, undian, diskon, atau poin yang berlaku umum dan tidak terkait kedinasan."),
        ),
        Occasion.KARANGAN_BUNGA: ("k", _("Karangan bunga sebagai ucapan.")),
        Occasion.HIDANGAN_UMUM: ("p", _("Hidangan yang disajikan untuk semua yang hadir.")),
    }
    if occasion in conditional:
        letter, reason = conditional[occasion]
        if has_cash and occasion in {Occasion.PROMOSI, Occasion.KARANGAN_BUNGA, Occasion.HIDANGAN_UMUM}:
            return advice("", False, _("Ada uang atau alat tukar: pengecualian ini tidak berlaku, wajib dilaporkan."))
        return advice(letter, True, reason)

    if occasion == Occasion.KEDINASAN:
        return advice(
            "",
            False,
            say(
                _(
                    "Pemberian yang terkait tugas atau jabatan tidak dikecualikan: laporkan ke UPG paling lambat "
                    "10 hari kerja sejak diterima, agar sampai di KPK sebelum 30 hari kerja."
                ),
                _(
                    "Pemberian yang terkait tugas atau jabatan tidak dikecualikan: wajib dilaporkan ke UPG paling "
                    "lambat 10 hari kerja sejak diterima, agar sampai di KPK sebelum 30 hari kerja."
                ),
            ),
        )
    # "Lainnya" and anything else that matches no letter of Pasal 2 ayat (3): not exempt, without claiming
    # the gift was linked to duties when the reporter said it was not.
    return advice(
        "",
        False,
        say(
            _(
                "Keadaan pemberian ini tidak termasuk pengecualian Pasal 2 ayat (3): laporkan ke UPG paling lambat "
                "10 hari kerja sejak diterima, agar sampai di KPK sebelum 30 hari kerja."
            ),
            _(
                "Keadaan pemberian ini tidak termasuk pengecualian Pasal 2 ayat (3): wajib dilaporkan ke UPG paling "
                "lambat 10 hari kerja sejak diterima, agar sampai di KPK sebelum 30 hari kerja."
            ),
        ),
    )


def _colleague(advice, letter, has_cash, total, year_total, per_gift, per_year) -> Advice:
    if has_cash:
        return advice("", False, _("Pemberian antar rekan berupa uang atau alat tukar tidak dikecualikan."))
    if total > per_gift:
        return advice(
            "",
            False,
            _("Nilai %(total)s melebihi batas %(limit)s per pemberian (huruf %(letter)s).")
            % {"total": rupiah(total), "limit": rupiah(per_gift), "letter": letter},
        )
    if year_total > per_year:
        return advice(
            "",
            False,
            _(
                "Bersama pemberian sebelumnya dari pemberi yang sama tahun ini, jumlahnya %(year)s, melebihi batas "
                "%(limit)s setahun (huruf %(letter)s)."
            )
            % {"year": rupiah(year_total), "limit": rupiah(per_year), "letter": letter},
        )
    return advice(
        letter,
        True,
        _("Bukan uang, %(total)s per pemberian dan %(year)s setahun dari pemberi yang sama: dalam batas.")
        % {"total": rupiah(total), "year": rupiah(year_total)},
    )


def advise_report(report: GratifikasiReport) -> Advice:
    """The advice on a saved report, for its record (the PDF the UPG sends to KPK): in the third person."""
    rows = report.objects_received.values_list("kind", "value", "value_unknown")
    return advise(
        date_received=report.date_received,
        occasion=report.occasion,
        objects=[(kind, None if unknown else value) for kind, value, unknown in rows],
        giver_relationship=report.giver_relationship,
        related_to_duties=report.related_to_duties,
        earlier_this_year=earlier_from_same_giver(
            reporter=report.reporter,
            giver_name=report.giver_name,
            giver_institution=report.giver_institution,
            until=report.date_received,
            exclude_pk=report.pk,
        ),
        report_type=report.report_type,
        for_record=True,
    )
