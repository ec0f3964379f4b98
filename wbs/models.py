"""Whistleblowing reports (DESIGN §3): the detail model, the identity custodians' keys and seals, disclosure
requests, and the state machine.

Basis: SE MenPANRB 08/2012 (WBS in government agencies); PMK 205/2022 as a model of handling; UU 31/2014
Pasal 10 and PP 43/2018 on the reporter's protection and right to an answer; EU Directive 2019/1937 and
ISO 37002 as the international bar (acknowledgement, feedback within three months, confidentiality).

Everything the reporter wrote is encrypted at rest with the server data keys (EncryptedTextField); the
category and the handling data are plain, for statistics. The reporter's identity is not readable by the
server at all: it is sealed to the custodians (wbs/identity.py).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from cases import policy
from cases.fields import EncryptedTextField
from cases.models import Case


class Category(models.TextChoices):
    """REFERENCE.md "WBS categories"."""

    KORUPSI = "korupsi", _("Korupsi (termasuk gratifikasi yang tidak dilaporkan)")
    SUAP_PUNGLI = "suap_pungli", _("Suap atau pungutan liar")
    GRATIFIKASI = "gratifikasi", _("Gratifikasi")
    PENYALAHGUNAAN_WEWENANG = "penyalahgunaan_wewenang", _("Penyalahgunaan wewenang")
    PENGADAAN = "pengadaan", _("Pengadaan barang/jasa")
    BENTURAN_KEPENTINGAN = "benturan_kepentingan", _("Benturan kepentingan")
    DISIPLIN = "disiplin", _("Pelanggaran disiplin PNS (PP 94/2021)")
    KODE_ETIK = "kode_etik", _("Pelanggaran kode etik atau perilaku")
    LAINNYA = "lainnya", _("Lainnya")


class Knowledge(models.TextChoices):
    """How the reporter knows: what a handler weighs first when verifying (SE MenPANRB 08/2012)."""

    MELIHAT = "melihat", _("Saya melihat atau mengalaminya sendiri")
    MENDENGAR = "mendengar", _("Saya mendengar dari orang lain")
    DOKUMEN = "dokumen", _("Saya mengetahuinya dari dokumen")
    LAINNYA = "lainnya", _("Lainnya")


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFYING = "verifying", _("Verifikasi")
    NEEDS_INFO = "needs_info", _("Menunggu keterangan pelapor")
    NOT_ACTIONABLE = "not_actionable", _("Tidak dapat ditindaklanjuti")
    REFERRED = "referred", _("Diteruskan")
    REVIEWING = "reviewing", _("Penelaahan")
    INVESTIGATING = "investigating", _("Investigasi / audit")
    ADMINISTRATIVE_ACTION = "administrative_action", _("Tindakan administratif")
    RECOMMENDATION = "recommendation", _("Rekomendasi")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")
    CLOSED = "closed", _("Selesai")


FINAL_STATES = frozenset({Status.NOT_ACTIONABLE, Status.REFERRED, Status.CLOSED})

# What the reporter sees (DESIGN §3): Diterima, Diverifikasi, Ditindaklanjuti/Diteruskan, Selesai. Handling
# steps beyond that (investigation, recommendation) are not the reporter's to follow in detail.
REPORTER_STAGES = {
    Status.RECEIVED: _("Diterima"),
    Status.VERIFYING: _("Diverifikasi"),
    Status.NEEDS_INFO: _("Diverifikasi — petugas menunggu keterangan Anda"),
    Status.REVIEWING: _("Ditindaklanjuti"),
    Status.INVESTIGATING: _("Ditindaklanjuti"),
    Status.ADMINISTRATIVE_ACTION: _("Ditindaklanjuti"),
    Status.RECOMMENDATION: _("Ditindaklanjuti"),
    Status.FOLLOW_UP: _("Ditindaklanjuti"),
    Status.REFERRED: _("Diteruskan"),
    Status.NOT_ACTIONABLE: _("Selesai"),
    Status.CLOSED: _("Selesai"),
}
REPORTER_STEPS = (_("Diterima"), _("Diverifikasi"), _("Ditindaklanjuti / Diteruskan"), _("Selesai"))
_STEP = {
    Status.RECEIVED: 0,
    Status.VERIFYING: 1,
    Status.NEEDS_INFO: 1,
    Status.REVIEWING: 2,
    Status.INVESTIGATING: 2,
    Status.ADMINISTRATIVE_ACTION: 2,
    Status.RECOMMENDATION: 2,
    Status.FOLLOW_UP: 2,
    Status.REFERRED: 2,
    Status.NOT_ACTIONABLE: 3,
    Status.CLOSED: 3,
}


class ReferralTarget(models.TextChoices):
    KPK = "kpk", _("KPK")
    APH = "aph", _("Kepolisian atau Kejaksaan (APH)")
    OMBUDSMAN = "ombudsman", _("Ombudsman RI")
    INSTANSI_LAIN = "instansi_lain", _("Instansi lain yang berwenang")
    PENGADUAN = "pengaduan", _("Pengaduan masyarakat (ditangani sebagai pengaduan layanan)")


class Outcome(models.TextChoices):
    """REFERENCE.md: audit/investigation → recommendation."""

    SANKSI_DISIPLIN = "sanksi_disiplin", _("Penjatuhan hukuman disiplin")
    PEMULIHAN_KERUGIAN = "pemulihan_kerugian", _("Pemulihan kerugian negara")
    RUJUK_APH = "rujuk_aph", _("Diserahkan kepada aparat penegak hukum")
    PERBAIKAN_SISTEM = "perbaikan_sistem", _("Perbaikan sistem atau prosedur")
    TIDAK_TERBUKTI = "tidak_terbukti", _("Tidak terbukti")


def outcome_not_proven(report) -> bool:
    return report.outcome == Outcome.TIDAK_TERBUKTI


def outcome_needs_follow_up(report) -> bool:
    return bool(report.outcome) and report.outcome != Outcome.TIDAK_TERBUKTI


class WbsReport(Case):
    """A whistleblowing report. Always confidential (Confidentiality.RAHASIA): only the WBS coordinators and
    the handlers assigned to it see it, and people it names are excluded from it (CaseExclusion)."""

    case_ptr = models.OneToOneField(Case, on_delete=models.CASCADE, parent_link=True, primary_key=True)

    # What the reporter told: encrypted at rest.
    category = models.CharField(_("kategori"), max_length=40, choices=Category.choices)
    description = EncryptedTextField(_("apa yang terjadi"))
    involved = EncryptedTextField(_("siapa yang terlibat"), blank=True)
    location = EncryptedTextField(_("di mana"), blank=True)
    occurred = EncryptedTextField(_("kapan"), blank=True)
    method = EncryptedTextField(_("bagaimana caranya"), blank=True)
    knowledge = models.CharField(_("bagaimana pelapor mengetahui"), max_length=20, choices=Knowledge.choices)
    knowledge_detail = EncryptedTextField(_("keterangan"), blank=True)

    # The identity, sealed to the custodians (IdentitySeal); the server cannot open it.
    identity_provided = models.BooleanField(_("identitas diberikan"), default=False)
    identity_sealed = models.BinaryField(null=True, blank=True, editable=False)

    # Handling.
    referral_target = models.CharField(
        _("diteruskan kepada"), max_length=20, choices=ReferralTarget.choices, blank=True
    )
    referral_agency = models.CharField(_("nama instansi"), max_length=200, blank=True)
    referral_letter = models.CharField(_("nomor surat penerusan"), max_length=100, blank=True)
    referred_on = models.DateField(_("tanggal diteruskan"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=30, choices=Outcome.choices, blank=True)
    recommendation = EncryptedTextField(_("rekomendasi"), blank=True)
    follow_up_owner = models.CharField(_("penanggung jawab tindak lanjut"), max_length=200, blank=True)
    follow_up_due = models.DateField(_("target tindak lanjut"), null=True, blank=True)
    follow_up_result = EncryptedTextField(_("hasil tindak lanjut"), blank=True)
    follow_up_done_on = models.DateField(_("tindak lanjut selesai"), null=True, blank=True)

    # Set when the retention period ended and the content was destroyed; the row stays for statistics.
    purged_at = models.DateTimeField(_("dimusnahkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan WBS")
        verbose_name_plural = _("laporan WBS")

    @property
    def reporter_stage(self) -> str:
        return REPORTER_STAGES.get(self.status, "")

    @property
    def reporter_step(self) -> int:
        return _STEP.get(self.status, 0)

    # --- the state machine (DESIGN §3) ---------------------------------------------------------------------

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
        target=Status.NEEDS_INFO,
        permission=policy.handler,
        custom={"label": _("Minta keterangan pelapor"), "note_required": True},
    )
    def request_info(self):
        pass

    @transition(
        "status",
        source=Status.NEEDS_INFO,
        target=Status.VERIFYING,
        permission=policy.handler,
        custom={"label": _("Lanjutkan verifikasi")},
    )
    def resume_verification(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.NOT_ACTIONABLE,
        permission=policy.handler,
        custom={"label": _("Nyatakan tidak dapat ditindaklanjuti"), "note_required": True, "style": "danger"},
    )
    def reject(self):
        pass

    @transition(
        "status",
        source=[Status.VERIFYING, Status.REVIEWING, Status.INVESTIGATING],
        target=Status.REFERRED,
        permission=policy.handler,
        custom={
            "label": _("Teruskan ke instansi berwenang"),
            "form": "wbs.forms.ReferForm",
            # A referral to pengaduan also files a complaint (through the core registry).
            "service": "wbs.services.report_refer",
        },
    )
    def refer(self, *, referral_target: str, referral_agency: str, referral_letter: str, referred_on):
        self.referral_target = referral_target
        self.referral_agency = referral_agency
        self.referral_letter = referral_letter
        self.referred_on = referred_on

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.REVIEWING,
        permission=policy.handler,
        custom={"label": _("Layak ditindaklanjuti: mulai penelaahan")},
    )
    def accept(self):
        pass

    @transition(
        "status",
        source=Status.REVIEWING,
        target=Status.INVESTIGATING,
        permission=policy.handler,
        custom={"label": _("Mulai investigasi / audit")},
    )
    def start_investigation(self):
        pass

    @transition(
        "status",
        source=Status.REVIEWING,
        target=Status.ADMINISTRATIVE_ACTION,
        permission=policy.handler,
        custom={"label": _("Tangani dengan tindakan administratif")},
    )
    def take_administrative_action(self):
        pass

    @transition(
        "status",
        source=[Status.INVESTIGATING, Status.ADMINISTRATIVE_ACTION],
        target=Status.RECOMMENDATION,
        permission=policy.handler,
        custom={"label": _("Catat hasil dan rekomendasi"), "form": "wbs.forms.RecommendationForm"},
    )
    def record_recommendation(self, *, outcome: str, recommendation: str, follow_up_owner: str, follow_up_due):
        self.outcome = outcome
        self.recommendation = recommendation
        self.follow_up_owner = follow_up_owner
        self.follow_up_due = follow_up_due

    @transition(
        "status",
        source=Status.RECOMMENDATION,
        target=Status.FOLLOW_UP,
        permission=policy.handler,
        conditions=[outcome_needs_follow_up],
        custom={"label": _("Mulai pemantauan tindak lanjut")},
    )
    def start_follow_up(self):
        pass

    @transition(
        "status",
        source=Status.RECOMMENDATION,
        target=Status.CLOSED,
        permission=policy.handler,
        conditions=[outcome_not_proven],
        custom={"label": _("Tutup: tidak terbukti"), "note_required": True},
    )
    def close_not_proven(self):
        pass

    @transition(
        "status",
        source=Status.FOLLOW_UP,
        target=Status.CLOSED,
        permission=policy.handler,
        custom={"label": _("Tindak lanjut selesai: tutup laporan"), "form": "wbs.forms.CloseForm"},
    )
    def close(self, *, follow_up_result: str, follow_up_done_on):
        self.follow_up_result = follow_up_result
        self.follow_up_done_on = follow_up_done_on


class CustodianKey(models.Model):
    """An identity custodian's X25519 key pair; the private half only wrapped by their passphrase."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="custodian_key")
    public_key = models.BinaryField()
    wrapped_private = models.BinaryField()
    salt = models.BinaryField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kunci kustodian")
        verbose_name_plural = _("kunci kustodian")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def owner(self) -> str:
        # Binds the wrapped key to this row, so it cannot be copied to another custodian's row.
        return f"custodian:{self.pk}"

    @property
    def fingerprint(self) -> str:
        """The public key's SHA-256: names the key in URLs without a sequential id (STYLE.md)."""
        return hashlib.sha256(bytes(self.public_key)).hexdigest()


class IdentitySeal(models.Model):
    """A report's identity data key, sealed to one custodian's public key."""

    report = models.ForeignKey(WbsReport, on_delete=models.CASCADE, related_name="seals")
    custodian = models.ForeignKey(CustodianKey, on_delete=models.CASCADE, related_name="seals")
    ephemeral_public = models.BinaryField()
    sealed_key = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "custodian"], name="identity_seal_unique")]


class DisclosureDecision(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan kustodian")
    APPROVED = "approved", _("Disetujui")
    DENIED = "denied", _("Ditolak")


class DisclosureRequest(models.Model):
    """A handler's request to see a reporter's identity, decided by a custodian who is not the requester.

    An approved identity is kept, encrypted with the server keys, for the requester only until
    `expires_at`; then it is erased (wbs.services.disclosures_expire), and every view before that is an
    audit event."""

    uuid = models.UUIDField(unique=True, editable=False)
    report = models.ForeignKey(WbsReport, on_delete=models.CASCADE, related_name="disclosures")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("alasan permintaan"))
    decision = models.CharField(max_length=10, choices=DisclosureDecision.choices, default=DisclosureDecision.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(_("alasan keputusan"), blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    identity = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open request per handler and report: a second click does not file a second request.
            models.UniqueConstraint(
                fields=["report", "requester"],
                condition=models.Q(decision="pending"),
                name="disclosure_one_pending_per_requester",
            )
        ]
