"""Public complaints about a service (pengaduan masyarakat, DESIGN §4): the service catalogue, the complaint and
its state machine.

Basis: UU 25/2009 Pasal 36–37 (every provider manages complaints); Perpres 76/2013 on complaint handling in
public services (a complaint within 30 days of the service, resolved within 60 days of a complete file, the
complainant's identity kept confidential); PermenPANRB 62/2018, the national guide of SP4N-LAPOR! (verify and
forward within 3 HK, first follow-up within 5 HK, closed 10 HK after the answer when the complainant does not
reply). The clocks and their bases are in pengaduan/kind.py.

What the complainant wrote and who they are are encrypted at rest (EncryptedTextField); the service, category,
channel and dates are plain, for the statistics and the public transparency page.
"""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from cases import policy, workdays
from cases.fields import EncryptedTextField
from cases.models import Case, Unit

# Perpres 76/2013: a complaint is lodged within 30 days of the service. A later one is accepted and flagged
# (issue 10), never refused: the unit decides what it can still do.
LODGING_DAYS = 30
# SP4N-LAPOR!: the complainant may confirm or dispute the answer within 10 HK; silence closes the complaint.
REPLY_WORKING_DAYS = 10


class Channel(models.TextChoices):
    WEB = "web", _("Formulir web")
    EMAIL = "email", _("Surel")
    TELEPON = "telepon", _("Telepon")
    WHATSAPP_SMS = "whatsapp_sms", _("WhatsApp / SMS")
    SURAT = "surat", _("Surat")
    LOKET = "loket", _("Datang langsung (loket)")
    KOTAK = "kotak", _("Kotak pengaduan")
    MEDIA_SOSIAL = "media_sosial", _("Media sosial")
    MEDIA_MASSA = "media_massa", _("Media massa")
    LAPOR = "lapor", _("Disposisi SP4N-LAPOR!")
    OPEN311 = "open311", _("Aplikasi mitra (Open311)")


# The channels an officer records by hand; the web form and Open311 file their own.
RECORDED_CHANNELS = [choice for choice in Channel.choices if choice[0] not in (Channel.WEB, Channel.OPEN311)]


class Category(models.TextChoices):
    """REFERENCE.md "Pengaduan problem codes" (PermenPAN PER/05/M.PAN/4/2009 practice)."""

    PENYALAHGUNAAN_WEWENANG = "01", _("01 Penyalahgunaan wewenang")
    PELAYANAN_MASYARAKAT = "02", _("02 Pelayanan masyarakat")
    KORUPSI_PUNGLI = "03", _("03 Korupsi / pungli")
    KEPEGAWAIAN = "04", _("04 Kepegawaian")
    PERTANAHAN = "05", _("05 Pertanahan / perumahan")
    HUKUM = "06", _("06 Hukum / peradilan / HAM")
    KEWASPADAAN_NASIONAL = "07", _("07 Kewaspadaan nasional")
    TATALAKSANA = "08", _("08 Tatalaksana / regulasi")
    LINGKUNGAN_HIDUP = "09", _("09 Lingkungan hidup")
    UMUM = "10", _("10 Umum")


class IdentityMode(models.TextChoices):
    """How the complainant appears (Perpres 76/2013: the identity is kept confidential when asked)."""

    IDENTIFIED = "identified", _("Dengan identitas: petugas melihat nama dan kontak saya")
    CONFIDENTIAL = "confidential", _("Dirahasiakan: hanya koordinator pengaduan yang melihat identitas saya")
    ANONYMOUS = "anonymous", _("Anonim: saya tidak memberikan identitas")


class Closure(models.TextChoices):
    CONFIRMED = "confirmed", _("Dikonfirmasi pengadu")
    NO_REPLY = "no_reply", _("Otomatis: tidak ada tanggapan 10 hari kerja")
    RECORDED = "recorded", _("Konfirmasi dicatat petugas")


class ResolutionUnit(models.TextChoices):
    CALENDAR = "calendar", _("hari kalender")
    WORKING = "working", _("hari kerja")


class Service(models.Model):
    """The unit's catalogue of services a complaint can be about, kept by an admin. `code` is the Open311
    service_code."""

    code = models.SlugField(_("kode layanan"), max_length=64, unique=True)
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    group = models.CharField(_("kelompok"), max_length=100, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit penyelenggara"), on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("katalog layanan")

    def __str__(self) -> str:
        return self.name


class HandlingRule(models.Model):
    """The rules an instansi may set in its standar pelayanan. One row (pk=1), edited in Pengaturan.

    Perpres 76/2013 says "60 hari" without "kerja": calendar days by default; an instansi whose standar
    pelayanan counts working days switches the unit here, and the clock says which."""

    resolution_days = models.PositiveSmallIntegerField(
        _("batas penyelesaian"), default=60, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    resolution_unit = models.CharField(
        _("satuan batas penyelesaian"), max_length=10, choices=ResolutionUnit.choices, default=ResolutionUnit.CALENDAR
    )

    class Meta:
        verbose_name = _("aturan penanganan pengaduan")
        verbose_name_plural = _("aturan penanganan pengaduan")

    def __str__(self) -> str:
        return f"{self.resolution_days} {self.get_resolution_unit_display()}"

    @classmethod
    def current(cls) -> "HandlingRule":
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFYING = "verifying", _("Verifikasi")
    NEEDS_CLARIFICATION = "needs_clarification", _("Menunggu klarifikasi pengadu")
    POSTPONED = "postponed", _("Ditunda")
    OUT_OF_SCOPE = "out_of_scope", _("Bukan kewenangan")
    FORWARDED_ELSEWHERE = "forwarded_elsewhere", _("Diteruskan ke instansi lain")
    ARCHIVED = "archived", _("Diarsipkan")
    DUPLICATE = "duplicate", _("Duplikat")
    DISPOSITIONED = "dispositioned", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Selesai")
    CONVERTED_TO_WBS = "converted_to_wbs", _("Dialihkan ke WBS")


FINAL_STATES = frozenset(
    {Status.FORWARDED_ELSEWHERE, Status.ARCHIVED, Status.DUPLICATE, Status.CLOSED, Status.CONVERTED_TO_WBS}
)
# Before disposition: what a complaint officer still decides about.
SCREENING = (Status.RECEIVED, Status.VERIFYING, Status.POSTPONED)

# What the complainant sees: plain words, not the office's workflow.
REPORTER_STAGES = {
    Status.RECEIVED: _("Diterima"),
    Status.VERIFYING: _("Sedang diperiksa petugas"),
    Status.NEEDS_CLARIFICATION: _("Petugas meminta keterangan tambahan dari Anda"),
    Status.POSTPONED: _("Ditunda sementara"),
    Status.OUT_OF_SCOPE: _("Bukan kewenangan kami"),
    Status.FORWARDED_ELSEWHERE: _("Diteruskan ke instansi yang berwenang"),
    Status.ARCHIVED: _("Diarsipkan"),
    Status.DUPLICATE: _("Digabung dengan pengaduan yang sama"),
    Status.DISPOSITIONED: _("Diteruskan ke unit yang menangani"),
    Status.IN_PROGRESS: _("Sedang ditindaklanjuti"),
    Status.ANSWERED: _("Sudah dijawab: mohon konfirmasi"),
    Status.CLOSED: _("Selesai"),
    Status.CONVERTED_TO_WBS: _("Dialihkan ke Whistle-Blowing System"),
}
REPORTER_STEPS = (_("Diterima"), _("Diperiksa"), _("Ditindaklanjuti"), _("Dijawab"), _("Selesai"))
_STEP = {
    Status.RECEIVED: 0,
    Status.VERIFYING: 1,
    Status.NEEDS_CLARIFICATION: 1,
    Status.POSTPONED: 1,
    Status.OUT_OF_SCOPE: 1,
    Status.DISPOSITIONED: 2,
    Status.IN_PROGRESS: 2,
    Status.ANSWERED: 3,
    Status.FORWARDED_ELSEWHERE: 4,
    Status.ARCHIVED: 4,
    Status.DUPLICATE: 4,
    Status.CLOSED: 4,
    Status.CONVERTED_TO_WBS: 4,
}


class Complaint(Case):
    """A complaint about a service, from the public web form, an officer recording another channel, or a partner
    application (Open311)."""

    case = models.OneToOneField(Case, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="+")

    # --- what the complainant told (encrypted where it is their words) --------------------------------------
    service = models.ForeignKey(
        Service, verbose_name=_("layanan"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    service_date = models.DateField(_("tanggal layanan"), null=True, blank=True)
    location = models.CharField(_("tempat layanan"), max_length=200, blank=True)
    category = models.CharField(_("kategori masalah"), max_length=2, choices=Category.choices)
    description = EncryptedTextField(_("apa yang terjadi"))
    expectation = EncryptedTextField(_("harapan pengadu"), blank=True)
    truth_statement = models.BooleanField(_("pernyataan kebenaran"), default=False)

    # --- how it arrived: the clocks count from received_at, not from data entry -------------------------------
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    received_at = models.DateTimeField(_("diterima pada"))
    channel_reference = models.CharField(_("nomor surat / rujukan saluran"), max_length=100, blank=True)
    lapor_tracking_id = models.CharField(_("nomor tiket SP4N-LAPOR!"), max_length=50, blank=True, db_index=True)
    # Lodged more than LODGING_DAYS after the service: accepted and flagged (Perpres 76/2013).
    late_filing = models.BooleanField(_("diajukan lewat 30 hari"), default=False)

    # --- who complains (identified: the handlers see it; confidential: the coordinator only; anonymous: none) -
    identity_mode = models.CharField(_("identitas"), max_length=12, choices=IdentityMode.choices)
    complainant_name = EncryptedTextField(_("nama pengadu"), blank=True)
    complainant_contact = EncryptedTextField(_("kontak pengadu"), blank=True)
    complainant_email = EncryptedTextField(_("surel pengadu"), blank=True)

    # --- handling -------------------------------------------------------------------------------------------
    disposed_unit = models.ForeignKey(
        Unit, verbose_name=_("unit tujuan disposisi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposed_on = models.DateField(_("tanggal disposisi"), null=True, blank=True)
    first_response_on = models.DateField(_("tindak lanjut pertama"), null=True, blank=True)
    answer = EncryptedTextField(_("jawaban"), blank=True)
    answer_signatory = models.CharField(_("penandatangan jawaban"), max_length=200, blank=True)
    answered_on = models.DateField(_("tanggal jawaban"), null=True, blank=True)
    # The last day the complainant may confirm or dispute the answer; the sweep closes it after that.
    reply_due = models.DateField(_("batas tanggapan pengadu"), null=True, blank=True)
    dispute_count = models.PositiveSmallIntegerField(_("jumlah sanggahan"), default=0)
    forwarded_agency = models.CharField(_("instansi tujuan"), max_length=200, blank=True)
    forwarded_letter = models.CharField(_("nomor surat penerusan"), max_length=100, blank=True)
    forwarded_on = models.DateField(_("tanggal diteruskan"), null=True, blank=True)
    closure = models.CharField(_("cara selesai"), max_length=12, choices=Closure.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("kepuasan"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = EncryptedTextField(_("komentar kepuasan"), blank=True)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        indexes = [models.Index(fields=["channel", "received_at"], name="complaint_channel_received")]
        constraints = [
            # One LAPOR! ticket, one complaint (the officers' form says which complaint has it; this holds
            # when two officers record the same disposition at the same moment).
            models.UniqueConstraint(
                Upper("lapor_tracking_id"),
                condition=~models.Q(lapor_tracking_id=""),
                name="complaint_lapor_ticket_unique",
            ),
        ]

    @property
    def reporter_stage(self) -> str:
        return REPORTER_STAGES.get(self.status, "")

    @property
    def reporter_step(self) -> int:
        return _STEP.get(self.status, 0)

    @property
    def received_on(self) -> dt.date:
        """Day 0 of the verification clock: the day the complaint actually arrived (Asia/Jakarta)."""
        return timezone.localdate(self.received_at)

    @property
    def may_reply(self) -> bool:
        """The complainant may still confirm or dispute the answer."""
        return self.status == Status.ANSWERED and self.reply_due is not None and workdays.today() <= self.reply_due

    # --- the state machine (DESIGN §4) ---------------------------------------------------------------------

    @transition(
        "status",
        source=Status.RECEIVED,
        target=Status.VERIFYING,
        permission=policy.handler,
        custom={"label": _("Mulai verifikasi")},
    )
    def start_verification(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.NEEDS_CLARIFICATION,
        permission=policy.handler,
        custom={"label": _("Minta klarifikasi pengadu"), "note_required": True},
    )
    def request_clarification(self):
        pass

    @transition(
        "status",
        source=Status.NEEDS_CLARIFICATION,
        target=Status.VERIFYING,
        permission=policy.public_reporter,
        custom={"label": _("Pengadu memberikan klarifikasi")},
    )
    def clarify(self):
        """The complainant answers from the tracking page (pengaduan.services.complaint_clarify)."""

    @transition(
        "status",
        source=Status.NEEDS_CLARIFICATION,
        target=Status.VERIFYING,
        permission=policy.handler,
        custom={"label": _("Klarifikasi diterima lewat saluran lain"), "note_required": True},
    )
    def record_clarification(self):
        """The complainant answered by telephone or letter: the officer records it and verification resumes."""

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.POSTPONED,
        permission=policy.handler,
        custom={"label": _("Tunda"), "note_required": True},
    )
    def postpone(self):
        pass

    @transition(
        "status",
        source=Status.POSTPONED,
        target=Status.VERIFYING,
        permission=policy.handler,
        custom={"label": _("Lanjutkan verifikasi")},
    )
    def resume(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.OUT_OF_SCOPE,
        permission=policy.handler,
        custom={"label": _("Nyatakan bukan kewenangan"), "note_required": True},
    )
    def declare_out_of_scope(self):
        pass

    @transition(
        "status",
        source=Status.OUT_OF_SCOPE,
        target=Status.FORWARDED_ELSEWHERE,
        permission=policy.handler,
        custom={"label": _("Teruskan ke instansi lain"), "form": "pengaduan.forms.ForwardForm"},
    )
    def forward_elsewhere(self, *, forwarded_agency: str, forwarded_letter: str, forwarded_on: dt.date):
        if forwarded_on < self.received_on:
            raise ValidationError(_("Tanggal penerusan tidak boleh sebelum pengaduan diterima."))
        self.forwarded_agency = forwarded_agency
        self.forwarded_letter = forwarded_letter
        self.forwarded_on = forwarded_on

    @transition(
        "status",
        source=[Status.RECEIVED, Status.VERIFYING, Status.POSTPONED, Status.OUT_OF_SCOPE],
        target=Status.ARCHIVED,
        permission=policy.handler,
        custom={"label": _("Arsipkan"), "style": "danger"},
    )
    def archive(self):
        """Invalid or not to be followed up (LAPOR!: arsipkan); the reason is the confirmation's."""

    @transition(
        "status",
        source=[Status.RECEIVED, Status.VERIFYING, Status.POSTPONED],
        target=Status.DUPLICATE,
        permission=policy.handler,
        custom={
            "label": _("Tandai duplikat"),
            "form": "pengaduan.forms.DuplicateForm",
            "service": "pengaduan.services.complaint_mark_duplicate",
        },
    )
    def mark_duplicate(self, *, original: str):
        """`original` is the other complaint's reference; the service links the two (cases.CaseLink)."""

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.DISPOSITIONED,
        permission=policy.handler,
        custom={"label": _("Disposisikan ke unit"), "form": "pengaduan.forms.DisposeForm"},
    )
    def dispose(self, *, disposed_unit: Unit, handler):
        """The complaint now belongs to the unit it was disposed to: its inbox, its recap and its figures count
        it there (`disposed_unit` keeps where it went, `unit` follows it)."""
        self.disposed_unit = disposed_unit
        self.unit = disposed_unit
        self.disposed_on = workdays.today()
        self.assignee = handler

    @transition(
        "status",
        source=Status.DISPOSITIONED,
        target=Status.IN_PROGRESS,
        permission=policy.handler,
        custom={"label": _("Kirim tindak lanjut pertama"), "note_required": True},
    )
    def respond_first(self):
        """The first follow-up to the complainant (LAPOR!: 5 HK); the note is what they read."""
        self.first_response_on = workdays.today()

    @transition(
        "status",
        source=[Status.DISPOSITIONED, Status.IN_PROGRESS],
        target=Status.ANSWERED,
        permission=policy.handler,
        custom={"label": _("Kirim jawaban"), "form": "pengaduan.forms.AnswerForm"},
    )
    def send_answer(self, *, answer: str, answer_signatory: str):
        today = workdays.today()
        self.answer = answer
        self.answer_signatory = answer_signatory
        self.answered_on = today
        self.first_response_on = self.first_response_on or today
        self.reply_due = workdays.add_working_days(today, REPLY_WORKING_DAYS)

    @transition(
        "status",
        source=Status.ANSWERED,
        target=Status.CLOSED,
        permission=policy.public_reporter,
        # Within the 10 HK, like a dispute: after them the complaint is the sweep's to close (no_reply).
        conditions=[lambda complaint: complaint.may_reply],
        custom={"label": _("Pengadu menyatakan selesai")},
    )
    def confirm(self):
        self.closure = Closure.CONFIRMED

    @transition(
        "status",
        source=Status.ANSWERED,
        target=Status.IN_PROGRESS,
        permission=policy.public_reporter,
        conditions=[lambda complaint: complaint.may_reply],
        custom={"label": _("Pengadu menyanggah jawaban")},
    )
    def dispute(self):
        self.dispute_count += 1
        self.reply_due = None

    @transition(
        "status",
        source=Status.ANSWERED,
        target=Status.CLOSED,
        permission=policy.handler,
        custom={"label": _("Catat konfirmasi pengadu"), "note_required": True},
    )
    def record_confirmation(self):
        """The complainant confirmed by telephone or letter."""
        self.closure = Closure.RECORDED

    @transition(
        "status",
        source=Status.ANSWERED,
        target=Status.CLOSED,
        permission=policy.system,
        conditions=[lambda complaint: not complaint.may_reply],
        custom={"label": _("Ditutup otomatis: tidak ada tanggapan")},
    )
    def close_without_reply(self):
        """Run by the periodic sweep (pengaduan.services.complaints_close_unanswered), once."""
        self.closure = Closure.NO_REPLY

    @transition(
        "status",
        source=[Status.RECEIVED, Status.VERIFYING, Status.POSTPONED, Status.DISPOSITIONED, Status.IN_PROGRESS],
        target=Status.CONVERTED_TO_WBS,
        permission=policy.handler,
        custom={
            "label": _("Alihkan ke WBS (dugaan korupsi)"),
            "style": "danger",
            "form": "pengaduan.forms.ConvertForm",
            "service": "pengaduan.services.complaint_convert_to_wbs",
        },
    )
    def convert_to_wbs(self, *, wbs_category: str):
        """Run through pengaduan.services.complaint_convert_to_wbs (the `service` above), which files the WBS
        report through the core registry and links the two; `wbs_category` is that service's."""


# ---------------------------------------------------------------------------------------------------------
# Open311 GeoReport v2 (pengaduan/open311.py): the partner applications that may file complaints


class ApiClient(models.Model):
    """A partner application allowed to POST complaints through Open311 (its `api_key`). An admin issues the
    key in Pengaturan; it is shown once and only its SHA-256 is kept: the key is 32 random bytes, so a plain
    hash is as strong as a slow one and lets the API find the client with one indexed query."""

    name = models.CharField(_("nama aplikasi mitra"), max_length=200)
    key_hash = models.CharField(_("sidik kunci API"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aplikasi mitra Open311")
        verbose_name_plural = _("aplikasi mitra Open311")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def issue_key(self) -> str:
        """Give the client a new key and return it in clear, to be shown once; the caller saves."""
        key = secrets.token_urlsafe(32)
        self.key_hash = self.hash_key(key)
        return key

    @classmethod
    def authenticate(cls, key: str) -> "ApiClient | None":
        if not key:
            return None
        return cls.objects.filter(key_hash=cls.hash_key(key), is_active=True).first()


class Open311Request(models.Model):
    """Which partner application filed a complaint, and the Open311 token that finds it again. Nothing about
    the complainant: that stays in the complaint, encrypted."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="open311")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="requests")
    token = models.UUIDField(unique=True, editable=False)

    class Meta:
        verbose_name = _("permintaan Open311")
        verbose_name_plural = _("permintaan Open311")

    def __str__(self) -> str:
        return str(self.token)
