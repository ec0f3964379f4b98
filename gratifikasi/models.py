"""Gratifikasi reports (DESIGN §2): the detail model, its objects, and the state machine.

Legal basis: UU 31/1999 jo. UU 20/2001 Pasal 12B–12C; UU 30/2002 Pasal 16–18; Peraturan KPK 2/2019 as amended
by Peraturan KPK 1/2026 (in force 20 January 2026).

Transition methods change only this report; `cases.services.transition` runs them (with the fields the
officer entered as keyword arguments), saves, recomputes the clocks and writes the audit event.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from cases import policy, workdays
from cases.models import Case
from cases.validators import (
    not_in_future,  # noqa: F401 — also referenced as gratifikasi.models.not_in_future by migrations
)

# UU 20/2001 (which inserted Pasal 12C into UU 31/1999) came into force on 21 November 2001; there is no
# reporting duty, and no KPK, for gifts received before it.
PASAL_12C_IN_FORCE = dt.date(2001, 11, 21)


class ReportType(models.TextChoices):
    PENERIMAAN = "penerimaan", _("Penerimaan (saya menerima)")
    PENOLAKAN = "penolakan", _("Penolakan (saya menolak)")


class Relationship(models.TextChoices):
    KELUARGA = "keluarga", _("Keluarga")
    REKAN_KERJA = "rekan_kerja", _("Rekan kerja / sesama pegawai")
    ATASAN_BAWAHAN = "atasan_bawahan", _("Atasan atau bawahan")
    REKANAN = "rekanan", _("Rekanan / penyedia barang dan jasa")
    MITRA = "mitra", _("Mitra kerja / mitra kegiatan")
    BERKEPENTINGAN = (
        "berkepentingan",
        _("Pihak yang berkepentingan dengan tugas saya (pemohon izin, peserta lelang, pihak yang diperiksa, …)"),
    )
    PENGGUNA_LAYANAN = "pengguna_layanan", _("Pengguna layanan / masyarakat")
    INSTANSI = "instansi", _("Instansi pemerintah lain")
    LAINNYA = "lainnya", _("Lainnya")


class Occasion(models.TextChoices):
    """What the gift was given for: the facts the Pasal 2(3) exemptions turn on."""

    KEDINASAN = "kedinasan", _("Terkait tugas atau jabatan (rapat, layanan, pengadaan, perizinan, …)")
    PERNIKAHAN_UPACARA = (
        "pernikahan_upacara",
        _("Pernikahan, khitanan, kelahiran, akikah, baptis, potong gigi, upacara adat atau agama"),
    )
    ANTAR_REKAN = "antar_rekan", _("Pemberian antar rekan kerja (bukan kedinasan)")
    PERPISAHAN_REKAN = "perpisahan_rekan", _("Pisah sambut, pensiun, mutasi, promosi, atau ulang tahun (antar rekan)")
    KELUARGA = "keluarga", _("Pemberian dalam keluarga")
    MUSIBAH = "musibah", _("Musibah atau bencana yang dialami penerima atau keluarganya")
    PESERTA_ACARA = "peserta_acara", _("Seminar kit atau perlengkapan untuk semua peserta kegiatan resmi")
    PROMOSI = "promosi", _("Barang promosi berlogo")
    HADIAH_UMUM = "hadiah_umum", _("Hadiah langsung, undian, diskon, atau poin yang berlaku umum")
    KARANGAN_BUNGA = "karangan_bunga", _("Karangan bunga ucapan")
    HIDANGAN_UMUM = "hidangan_umum", _("Hidangan yang disajikan untuk semua yang hadir")
    LAINNYA = "lainnya", _("Lainnya")


class ObjectKind(models.TextChoices):
    UANG = "uang", _("Uang")
    BARANG = "barang", _("Barang")
    VOUCHER = "voucher", _("Voucher / kartu belanja")
    LOGAM_MULIA = "logam_mulia", _("Logam mulia")
    MAKANAN = "makanan", _("Makanan / hidangan")
    CENDERAMATA = "cenderamata", _("Cenderamata")
    TIKET = "tiket", _("Tiket perjalanan")
    PENGINAPAN = "penginapan", _("Penginapan")
    FASILITAS = "fasilitas", _("Fasilitas lainnya")
    LAINNYA = "lainnya", _("Lainnya")


# The largest value a gift object may have: Rp1 triliun. The largest gratifikasi reported to KPK are land,
# houses and cars worth billions; a thousand times a large house is no gift anyone reports, so anything above
# is a typing slip (extra zeros, a pasted account number). A real gift beyond it can still be reported with
# its value marked unknown and explained. Far below 2^53: the live panel's JavaScript numbers hold it exactly.
MAX_VALUE = 1_000_000_000_000

# Money or "alat tukar lainnya": never within the non-cash exemptions (huruf n and o).
CASH_LIKE = {ObjectKind.UANG, ObjectKind.VOUCHER, ObjectKind.LOGAM_MULIA}


class ObjectLocation(models.TextChoices):
    PELAPOR = "pelapor", _("Disimpan pelapor")
    TITIPAN_UPG = "titipan_upg", _("Dititipkan ke UPG")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan kepada pemberi")
    HABIS = "habis", _("Habis dikonsumsi / tidak ada lagi")
    LAINNYA = "lainnya", _("Lainnya")


class KpkChannel(models.TextChoices):
    GOL_INSTITUSI = "gol_institusi", _("GOL — akun UPG instansi")
    GOL_INDIVIDU = "gol_individu", _("GOL — akun pelapor")
    EMAIL = "email", _("Surel")
    SURAT = "surat", _("Surat")
    LANGSUNG = "langsung", _("Langsung ke KPK")


class KpkDecision(models.TextChoices):
    MILIK_PENERIMA = "milik_penerima", _("Milik penerima")
    MILIK_NEGARA = "milik_negara", _("Milik negara")
    MILIK_NEGARA_KOMPENSASI = "milik_negara_kompensasi", _("Milik negara dengan kompensasi")
    TIDAK_DITINDAKLANJUTI = "tidak_ditindaklanjuti", _("Tidak ditindaklanjuti")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan ke UPG")
    VERIFYING = "verifying", _("Sedang diverifikasi UPG")
    INCOMPLETE = "incomplete", _("Perlu dilengkapi pelapor")
    NOT_REPORTABLE = "not_reportable", _("Tidak wajib dilaporkan")
    RECORDED = "recorded", _("Penolakan dicatat")
    ANALYSING = "analysing", _("Sedang dianalisis UPG")
    FORWARDED_TO_KPK = "forwarded_to_kpk", _("Diteruskan ke KPK")
    RETURNED_BY_KPK = "returned_by_kpk", _("Diminta dilengkapi oleh KPK")
    DECIDED = "decided", _("Sudah ada keputusan KPK")
    SETTLING = "settling", _("Penyerahan / penyetoran")
    CLOSED = "closed", _("Selesai")


FINAL_STATES = frozenset({Status.NOT_REPORTABLE, Status.CLOSED})
EDITABLE_BY_REPORTER = frozenset({Status.DRAFT, Status.INCOMPLETE})


def not_before_pasal_12c(value: dt.date) -> None:
    if value < PASAL_12C_IN_FORCE:
        raise ValidationError(
            _(
                "Tanggal sebelum 21-11-2001 tidak dapat dilaporkan: kewajiban lapor gratifikasi (Pasal 12C "
                "UU 20/2001) baru berlaku sejak tanggal itu."
            )
        )


class GratifikasiReport(Case):
    case = models.OneToOneField(Case, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="+")

    # --- what the reporter tells ---------------------------------------------------------------------------
    report_type = models.CharField(_("jenis laporan"), max_length=12, choices=ReportType.choices)
    date_received = models.DateField(_("tanggal diterima/ditolak"), validators=[not_in_future, not_before_pasal_12c])
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    occasion = models.CharField(_("peristiwa"), max_length=32, choices=Occasion.choices, default=Occasion.KEDINASAN)
    event = models.CharField(_("kegiatan atau peristiwa terkait"), max_length=300, blank=True)
    # max_length on a TextField is enforced by its form field only; it keeps the PDF and the page readable.
    summary = models.TextField(
        _("kronologi"), max_length=5000, blank=True, help_text=_("Bagaimana, bersama siapa, dan mengapa.")
    )
    giver_name = models.CharField(_("nama pemberi"), max_length=200, blank=True)
    giver_institution = models.CharField(_("instansi / perusahaan pemberi"), max_length=200, blank=True)
    giver_relationship = models.CharField(
        _("hubungan dengan pelapor"), max_length=20, choices=Relationship.choices, blank=True
    )
    giver_address = models.CharField(_("alamat pemberi"), max_length=300, blank=True)
    # The Pasal 2 ayat (3) exemptions presume no conflict of interest: the reporter's own answer to "does the
    # giver deal with my duties, or is the gift linked to them?" (None: not answered yet).
    related_to_duties = models.BooleanField(_("terkait tugas atau jabatan saya"), null=True, blank=True)
    kompensasi = models.BooleanField(
        _("bersedia membayar kompensasi"),
        null=True,
        blank=True,
        help_text=_(
            "Bila KPK menetapkan milik negara, saya bersedia membayar nilainya agar barang menjadi milik saya."
        ),
    )

    # --- what the UPG records -----------------------------------------------------------------------------
    received_by_upg_on = models.DateField(_("tanggal diterima UPG"), null=True, blank=True)
    exemption_letter = models.CharField(_("huruf pengecualian"), max_length=1, blank=True)
    recommendation = models.TextField(_("rekomendasi UPG"), max_length=4000, blank=True)
    custody_receipt = models.CharField(_("nomor tanda terima titipan"), max_length=100, blank=True)
    custody_on = models.DateField(_("tanggal dititipkan"), null=True, blank=True)
    kpk_forwarded_on = models.DateField(_("tanggal diteruskan ke KPK"), null=True, blank=True)
    kpk_channel = models.CharField(_("saluran"), max_length=20, choices=KpkChannel.choices, blank=True)
    kpk_reference = models.CharField(_("nomor GOL / surat"), max_length=100, blank=True)
    kpk_returned_on = models.DateField(_("tanggal dikembalikan KPK"), null=True, blank=True)
    kpk_completed_on = models.DateField(_("tanggal kelengkapan dikirim"), null=True, blank=True)
    kpk_decision = models.CharField(_("keputusan KPK"), max_length=32, choices=KpkDecision.choices, blank=True)
    kpk_sk_number = models.CharField(_("nomor SK KPK"), max_length=100, blank=True)
    kpk_sk_date = models.DateField(_("tanggal SK KPK"), null=True, blank=True)
    handover_evidence = models.CharField(_("bukti setor / berita acara"), max_length=200, blank=True)
    handover_on = models.DateField(_("tanggal penyerahan / penyetoran"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan gratifikasi")
        verbose_name_plural = _("laporan-laporan gratifikasi")

    @property
    def total_value(self) -> int:
        return self.objects_received.aggregate(total=Sum("value"))["total"] or 0

    @property
    def is_late_to_kpk(self) -> bool:
        """Pasal 12C: reached KPK (or is still not there) after 30 HK from the date received."""
        legal = self.clocks.filter(code="kpk_legal").first()
        return legal is not None and legal.is_late

    def is_refusal(self) -> bool:
        return self.report_type == ReportType.PENOLAKAN

    def is_receipt(self) -> bool:
        return self.report_type == ReportType.PENERIMAAN

    def has_objects(self) -> bool:
        return self.objects_received.exists()

    # --- the reporter ------------------------------------------------------------------------------------

    @transition(
        "status",
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=policy.reporter,
        conditions=[has_objects],
        custom={"label": _("Ajukan ke UPG")},
    )
    def submit(self):
        # The UPG receives the report when it is submitted to it: this one date is "Diterima UPG" and day 0 of
        # the UPG's 10 HK forwarding clock. A report sent back and completed keeps its first date.
        if self.received_by_upg_on is None:
            self.received_by_upg_on = workdays.today()

    @transition(
        "status",
        source=Status.INCOMPLETE,
        target=Status.VERIFYING,
        permission=policy.reporter,
        custom={"label": _("Kirim kelengkapan ke UPG")},
    )
    def complete(self):
        pass

    # --- the UPG -----------------------------------------------------------------------------------------

    @transition(
        "status",
        source=Status.SUBMITTED,
        target=Status.VERIFYING,
        permission=policy.handler,
        custom={"label": _("Mulai verifikasi")},
    )
    def start_verification(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.INCOMPLETE,
        permission=policy.handler,
        custom={"label": _("Kembalikan untuk dilengkapi"), "note_required": True},
    )
    def request_completion(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.NOT_REPORTABLE,
        permission=policy.handler,
        conditions=[is_receipt],
        custom={
            "label": _("Nyatakan tidak wajib dilaporkan"),
            "style": "danger",
            "form": "gratifikasi.forms.NotReportableForm",
        },
    )
    def declare_not_reportable(self, *, exemption_letter: str):
        self.exemption_letter = exemption_letter

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.RECORDED,
        permission=policy.handler,
        conditions=[is_refusal],
        custom={"label": _("Catat penolakan")},
    )
    def record_refusal(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.ANALYSING,
        permission=policy.handler,
        conditions=[is_receipt],
        custom={"label": _("Mulai analisis")},
    )
    def start_analysis(self):
        pass

    @transition(
        "status",
        source=Status.ANALYSING,
        target=None,
        permission=policy.handler,
        custom={"label": _("Catat rekomendasi"), "form": "gratifikasi.forms.RecommendationForm"},
    )
    def record_recommendation(self, *, recommendation: str):
        self.recommendation = recommendation

    @transition(
        "status",
        source=[Status.VERIFYING, Status.ANALYSING, Status.RECORDED],
        target=None,  # records a fact; the state stays
        permission=policy.handler,
        custom={"label": _("Catat titipan barang"), "form": "gratifikasi.forms.CustodyForm"},
    )
    def record_custody(self, *, custody_receipt: str, custody_on: dt.date):
        self.custody_receipt, self.custody_on = custody_receipt, custody_on

    @transition(
        "status",
        source=[Status.ANALYSING, Status.RECORDED],
        target=Status.FORWARDED_TO_KPK,
        permission=policy.handler,
        custom={"label": _("Teruskan ke KPK"), "form": "gratifikasi.forms.ForwardForm"},
    )
    def forward_to_kpk(self, *, kpk_forwarded_on: dt.date, kpk_channel: str, kpk_reference: str):
        # Checked here and not only in ForwardForm: the UPG can only forward what it has received, and the 10 HK
        # forwarding clock (pedoman pengendalian gratifikasi) starts on that receipt. The service makes it a CaseError.
        if self.date_received and kpk_forwarded_on < self.date_received:
            raise ValidationError(_("Tanggal diteruskan tidak boleh sebelum tanggal gratifikasi diterima."))
        if self.received_by_upg_on and kpk_forwarded_on < self.received_by_upg_on:
            raise ValidationError(
                _("Tanggal diteruskan tidak boleh sebelum laporan diterima UPG (%(date)s).")
                % {"date": self.received_by_upg_on.strftime("%d-%m-%Y")}
            )
        self.kpk_forwarded_on, self.kpk_channel, self.kpk_reference = kpk_forwarded_on, kpk_channel, kpk_reference

    @transition(
        "status",
        source=Status.FORWARDED_TO_KPK,
        target=Status.RETURNED_BY_KPK,
        permission=policy.handler,
        custom={"label": _("Catat permintaan kelengkapan KPK"), "form": "gratifikasi.forms.KpkReturnForm"},
    )
    def kpk_returned(self, *, kpk_returned_on: dt.date):
        self.kpk_returned_on = kpk_returned_on

    @transition(
        "status",
        source=Status.RETURNED_BY_KPK,
        target=Status.FORWARDED_TO_KPK,
        permission=policy.handler,
        custom={"label": _("Catat kelengkapan terkirim ke KPK"), "form": "gratifikasi.forms.KpkCompletionForm"},
    )
    def resend_to_kpk(self, *, kpk_completed_on: dt.date):
        self.kpk_completed_on = kpk_completed_on

    @transition(
        "status",
        source=Status.FORWARDED_TO_KPK,
        target=Status.DECIDED,
        permission=policy.handler,
        custom={"label": _("Catat keputusan KPK"), "form": "gratifikasi.forms.DecisionForm"},
    )
    def record_decision(self, *, kpk_decision: str, kpk_sk_number: str, kpk_sk_date: dt.date):
        self.kpk_decision, self.kpk_sk_number, self.kpk_sk_date = kpk_decision, kpk_sk_number, kpk_sk_date

    def needs_handover(self) -> bool:
        return self.kpk_decision in {KpkDecision.MILIK_NEGARA, KpkDecision.MILIK_NEGARA_KOMPENSASI}

    @transition(
        "status",
        source=Status.DECIDED,
        target=Status.SETTLING,
        permission=policy.handler,
        conditions=[needs_handover],
        custom={"label": _("Proses penyerahan / penyetoran")},
    )
    def start_settlement(self):
        pass

    @transition(
        "status",
        source=Status.SETTLING,
        target=Status.CLOSED,
        permission=policy.handler,
        custom={"label": _("Catat bukti setor dan tutup"), "form": "gratifikasi.forms.HandoverForm"},
    )
    def record_handover(self, *, handover_evidence: str, handover_on: dt.date):
        self.handover_evidence, self.handover_on = handover_evidence, handover_on

    def closable_without_handover(self) -> bool:
        return not self.needs_handover()

    @transition(
        "status",
        source=[Status.DECIDED, Status.RECORDED],
        target=Status.CLOSED,
        permission=policy.handler,
        conditions=[closable_without_handover],
        custom={"label": _("Tutup")},
    )
    def close(self):
        pass


class GratifikasiObject(models.Model):
    """One object of a report: a report of a wedding gift may hold an envelope and a parcel."""

    report = models.ForeignKey(GratifikasiReport, on_delete=models.CASCADE, related_name="objects_received")
    kind = models.CharField(_("jenis"), max_length=20, choices=ObjectKind.choices)
    description = models.CharField(_("uraian"), max_length=300)
    # Rupiah, whole numbers: money is never a float (DESIGN §1.2). 0 with `value_unknown` when nobody knows it.
    value = models.PositiveBigIntegerField(
        _("nilai (Rp)"), validators=[MinValueValidator(0), MaxValueValidator(MAX_VALUE)]
    )
    # Not preselected: an estimate is a claim the reporter makes, and cash has an exact amount.
    value_is_estimate = models.BooleanField(_("nilai perkiraan"), default=False)
    value_unknown = models.BooleanField(_("nilai tidak diketahui"), default=False)
    value_unknown_reason = models.CharField(_("alasan nilai tidak diketahui"), max_length=500, blank=True)
    location = models.CharField(
        _("keberadaan sekarang"), max_length=20, choices=ObjectLocation.choices, default=ObjectLocation.PELAPOR
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("objek gratifikasi")
        verbose_name_plural = _("objek-objek gratifikasi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"
