"""Benturan kepentingan (DESIGN §5): the declaration case, the risk map, the yearly statements, evaluations.

Legal basis: UU 30/2014 Pasal 42–43 (an official with a conflict of interest must not decide; they inform their
supervisor, who decides); PermenPANRB 17/2024 on managing conflicts of interest (replaces 37/2012: mapping of
the risks per position, a yearly register of personal interests, declarations of actual conflicts, controls,
monitoring and evaluation); the ministry rules implementing it, which give the supervisor 7 working days to
decide a declaration.

Only the declaration is a case (one row of `cases.Case`, handled by the supervisor). The risk map, the
statement campaigns and the evaluations are registers of the unit, kept here beside it.

Transition methods change only this declaration; `cases.services.transition` runs them (with the fields the
supervisor entered as keyword arguments), saves, recomputes the clocks and writes the audit event.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from cases import policy
from cases.fields import EncryptedTextField
from cases.models import Case, Unit


class Source(models.TextChoices):
    """Where a conflict comes from (UU 30/2014 Pasal 43 ayat (2); PermenPANRB 17/2024; REFERENCE.md)."""

    KEPENTINGAN_PRIBADI = "kepentingan_pribadi", _("Kepentingan pribadi, bisnis, atau keuangan")
    KELUARGA = "keluarga", _("Hubungan keluarga atau kerabat")
    AFILIASI = "afiliasi", _("Afiliasi (mewakili atau dibayar suatu pihak)")
    REKOMENDASI = "rekomendasi", _("Rekomendasi atau titipan suatu pihak")
    PEKERJAAN_LUAR = "pekerjaan_luar", _("Pekerjaan di luar jabatan")
    RANGKAP_JABATAN = "rangkap_jabatan", _("Rangkap jabatan")
    GRATIFIKASI = "gratifikasi", _("Gratifikasi")
    KELEMAHAN_SISTEM = "kelemahan_sistem", _("Kelemahan sistem organisasi")


class Level(models.IntegerChoices):
    """Likelihood and impact on the five-step scale of the unit's risk register."""

    SANGAT_RENDAH = 1, _("1 — sangat rendah")
    RENDAH = 2, _("2 — rendah")
    SEDANG = 3, _("3 — sedang")
    TINGGI = 4, _("4 — tinggi")
    SANGAT_TINGGI = 5, _("5 — sangat tinggi")


def risk_band(likelihood: int, impact: int) -> str:
    """The risk level of a map entry from likelihood × impact (1–25), in the bands of a 5×5 risk matrix."""
    score = likelihood * impact
    if score >= 15:
        return str(_("Sangat tinggi"))
    if score >= 10:
        return str(_("Tinggi"))
    if score >= 5:
        return str(_("Sedang"))
    return str(_("Rendah"))


# ---------------------------------------------------------------------------------------------------------
# Risk map (pemetaan / identifikasi benturan kepentingan)


class MainFunction(models.Model):
    """One of a unit's main functions (tugas dan fungsi utama). LKE benturan (a) asks whether conflicts are
    mapped "dalam tugas fungsi utama": the map's coverage is the share of these with at least one entry."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tugas/fungsi utama"), max_length=300)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "order", "name"]
        verbose_name = _("tugas/fungsi utama")
        verbose_name_plural = _("tugas/fungsi utama")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="main_function_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class MapStatus(models.TextChoices):
    DRAFT = "draft", _("Konsep")
    APPROVED = "approved", _("Disetujui")


class RiskMap(FSMModelMixin, models.Model):
    """A unit's identification of conflict-of-interest risks for one year, in numbered versions. An approved
    version is the unit's document and never changes; a change after approval is a new version.

    Its one step, draft → approved, is a django-fsm transition like a case's (protected status): only
    benturan.services.map_approve runs it, under the map's row lock, and simple-history records who and when."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    status = FSMField(_("status"), max_length=16, choices=MapStatus.choices, default=MapStatus.DRAFT, protected=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("disusun oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit_id", "-version"]
        verbose_name = _("peta risiko benturan kepentingan")
        verbose_name_plural = _("peta risiko benturan kepentingan")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "version"], name="risk_map_version_unique"),
            # One draft at a time per unit and year: two drafts would be two truths.
            models.UniqueConstraint(
                fields=["unit", "year"], condition=models.Q(status="draft"), name="risk_map_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year} v{self.version}"

    @property
    def is_approved(self) -> bool:
        return self.status == MapStatus.APPROVED

    @transition("status", source=MapStatus.DRAFT, target=MapStatus.APPROVED)
    def approve(self, *, by) -> None:
        self.approved_by = by
        self.approved_at = timezone.now()


class RiskMapEntry(models.Model):
    """One row of the identification table: who (a position or group of positions), what form of conflict,
    in which situation, from which source, how likely and how harmful, and the control strategy."""

    risk_map = models.ForeignKey(RiskMap, on_delete=models.CASCADE, related_name="entries")
    function = models.ForeignKey(
        MainFunction,
        verbose_name=_("tugas/fungsi utama"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    position = models.CharField(
        _("jabatan/kelompok jabatan"),
        max_length=200,
        help_text=_("Mis. Pejabat Pengadaan, Bendahara Pengeluaran, Auditor, Petugas Pelayanan."),
    )
    conflict_form = models.TextField(_("bentuk benturan kepentingan"))
    situation = models.TextField(_("situasi yang menimbulkan"))
    source = models.CharField(_("sumber"), max_length=32, choices=Source.choices)
    likelihood = models.PositiveSmallIntegerField(_("kemungkinan"), choices=Level.choices, default=Level.SEDANG)
    impact = models.PositiveSmallIntegerField(_("dampak"), choices=Level.choices, default=Level.SEDANG)
    control = models.TextField(_("strategi pengendalian"))
    order = models.PositiveIntegerField(_("urutan"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["risk_map_id", "order", "pk"]
        verbose_name = _("baris peta risiko")
        verbose_name_plural = _("baris peta risiko")

    def __str__(self) -> str:
        return f"{self.position}: {self.get_source_display()}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return risk_band(self.likelihood, self.impact)


# ---------------------------------------------------------------------------------------------------------
# Yearly statements (daftar kepentingan pribadi / surat pernyataan)


class Population(models.TextChoices):
    ALL = "all", _("Seluruh pegawai")
    POSITIONS = "positions", _("Jabatan tertentu")


class StatementCampaign(models.Model):
    """A call for the yearly statement: who must file (every employee of a unit and the units below it, or
    listed positions), between which dates. Opened by an inspector, who owns it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("judul"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Pegawai unit ini dan unit di bawahnya."),
    )
    population = models.CharField(_("wajib mengisi"), max_length=16, choices=Population.choices, default=Population.ALL)
    positions = models.TextField(
        _("jabatan yang wajib mengisi"), blank=True, help_text=_("Satu jabatan per baris, sama dengan profil pegawai.")
    )
    opens_on = models.DateField(_("tanggal buka"))
    closes_on = models.DateField(_("tanggal tutup"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-opens_on"]
        constraints = [
            # The same campaign twice would split one year's statements between two coverages.
            models.UniqueConstraint(Lower("title"), "unit", "year", name="campaign_title_unique_per_unit_year")
        ]
        verbose_name = _("kampanye pernyataan")
        verbose_name_plural = _("kampanye pernyataan")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Tanggal tutup tidak boleh sebelum tanggal buka.")})
        if self.population == Population.POSITIONS and not self.position_list():
            raise ValidationError({"positions": _("Sebutkan paling sedikit satu jabatan.")})

    def position_list(self) -> list[str]:
        return [line.strip() for line in self.positions.splitlines() if line.strip()]

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class InterestStatement(models.Model):
    """What one employee filed: a register of personal interests, or a statement that they have none.

    Never edited: a correction or a later change of circumstances is a new statement that supersedes the
    previous one (`supersedes`), so the register keeps what was declared when."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        StatementCampaign,
        verbose_name=_("kampanye"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="+"
    )
    # As they were when filing: a later transfer does not move a filed statement to another unit's figures.
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), null=True, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    has_interests = models.BooleanField(_("menyatakan kepentingan"))
    filed_at = models.DateTimeField(_("disampaikan"))
    # When the employee confirmed it with their password (re-authentication), which makes it their statement.
    confirmed_at = models.DateTimeField(_("dikonfirmasi"))
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("menggantikan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    is_change = models.BooleanField(_("perubahan keadaan"), default=False)
    # Set when a declared interest touches the employee's position on the unit's approved risk map.
    flagged = models.BooleanField(_("perlu perhatian atasan"), default=False)
    flag_reason = models.TextField(_("alasan ditandai"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("pernyataan kepentingan pribadi")
        verbose_name_plural = _("pernyataan kepentingan pribadi")
        indexes = [
            # The coverage page: who has filed in a campaign.
            models.Index(fields=["campaign", "employee"], name="statement_campaign_employee"),
            models.Index(fields=["employee", "-filed_at"], name="statement_employee_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.filed_at:%Y-%m-%d}"


class InterestCategory(models.TextChoices):
    USAHA_KEUANGAN = "usaha_keuangan", _("Kepentingan usaha atau keuangan (saham, usaha, investasi)")
    KELUARGA = "keluarga", _("Hubungan keluarga di unit atau dengan mitra/penyedia")
    PEKERJAAN_LUAR = "pekerjaan_luar", _("Pekerjaan atau jabatan di luar instansi")
    RANGKAP_JABATAN = "rangkap_jabatan", _("Rangkap jabatan (komisaris, pengurus, dewan pengawas)")
    AFILIASI = "afiliasi", _("Afiliasi (organisasi, partai, asosiasi, yayasan)")
    LAINNYA = "lainnya", _("Lainnya")


# Which sources on the risk map a declared interest touches: a flagged statement is one whose interest is of a
# source the employee's position is mapped for.
CATEGORY_SOURCES = {
    InterestCategory.USAHA_KEUANGAN: {Source.KEPENTINGAN_PRIBADI},
    InterestCategory.KELUARGA: {Source.KELUARGA},
    InterestCategory.PEKERJAAN_LUAR: {Source.PEKERJAAN_LUAR},
    InterestCategory.RANGKAP_JABATAN: {Source.RANGKAP_JABATAN},
    InterestCategory.AFILIASI: {Source.AFILIASI, Source.REKOMENDASI},
    InterestCategory.LAINNYA: set(Source.values),
}


class DeclaredInterest(models.Model):
    """One interest in a statement. Personal data (UU 27/2022): the party and the description are encrypted."""

    statement = models.ForeignKey(InterestStatement, on_delete=models.CASCADE, related_name="interests")
    category = models.CharField(_("jenis kepentingan"), max_length=32, choices=InterestCategory.choices)
    party = EncryptedTextField(_("pihak/badan usaha/orang terkait"))
    description = EncryptedTextField(_("uraian"), blank=True)

    class Meta:
        ordering = ["statement_id", "pk"]
        verbose_name = _("kepentingan yang dinyatakan")
        verbose_name_plural = _("kepentingan yang dinyatakan")

    def __str__(self) -> str:
        return self.get_category_display()


# ---------------------------------------------------------------------------------------------------------
# The declaration of an actual conflict: the case


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan kepada atasan")
    ANALYSING = "analysing", _("Dianalisis atasan")
    DECIDED = "decided", _("Diputuskan")
    CONTROLS_IN_PLACE = "controls_in_place", _("Pengendalian dilaksanakan")
    MONITORING = "monitoring", _("Dipantau")
    CLOSED = "closed", _("Selesai")


FINAL_STATES = frozenset({Status.CLOSED})
# While the supervisor has not decided, the decision or activity the declaration is about is frozen.
FROZEN_STATES = frozenset({Status.SUBMITTED, Status.ANALYSING})


class ActivityKind(models.TextChoices):
    KEPUTUSAN = "keputusan", _("Keputusan atau tindakan administrasi")
    PENGADAAN = "pengadaan", _("Pengadaan barang/jasa")
    PERIZINAN = "perizinan", _("Perizinan atau pelayanan")
    PENGAWASAN = "pengawasan", _("Pemeriksaan, audit, atau pengawasan")
    KEPEGAWAIAN = "kepegawaian", _("Rekrutmen, promosi, mutasi, atau penilaian pegawai")
    KEUANGAN = "keuangan", _("Pengelolaan keuangan atau aset")
    PENUGASAN = "penugasan", _("Penugasan atau kegiatan lain")


class Outcome(models.TextChoices):
    """What the supervisor decides (DESIGN §5; PermenPANRB 17/2024 on the handling of an actual conflict)."""

    NO_CONFLICT = "no_conflict", _("Tidak terdapat benturan kepentingan")
    RECUSAL = "recusal", _("Pegawai mengundurkan diri dari pengambilan keputusan")
    MOVED = "moved", _("Keputusan dialihkan kepada pejabat lain")
    RESTRICTED_ACCESS = "restricted_access", _("Pembatasan akses atas informasi")
    MEMBER_REPLACED = "member_replaced", _("Anggota tim diganti")
    DIVESTMENT = "divestment", _("Pelepasan kepentingan (divestasi)")
    TRANSFER = "transfer", _("Pemindahan tugas atau jabatan")
    OTHER = "other", _("Lainnya")


# Outcomes that hand the work to someone else: the decision names who.
NEEDS_REPLACEMENT = frozenset({Outcome.MOVED, Outcome.MEMBER_REPLACED})


def needs_controls(instance: "Declaration") -> bool:
    return bool(instance.outcome) and instance.outcome != Outcome.NO_CONFLICT


def may_close(instance: "Declaration") -> bool:
    """A declaration closes after monitoring, or straight after a decision that found no conflict."""
    return instance.status == Status.MONITORING or instance.outcome == Outcome.NO_CONFLICT


class Declaration(Case):
    """A declared (or, by the supervisor, proactively opened) conflict of interest about one decision,
    assignment or activity.

    The case's `reporter` is the employee whose interest it is, also when their supervisor opened it
    (`opened_by`): it is their conflict, they follow it and they answer the supervisor's questions. The
    supervisor who decides is the case's assignee (benturan.services routes it; nobody assigns it by hand).
    """

    case = models.OneToOneField(Case, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("keputusan, penugasan, atau kegiatan"), max_length=300)
    activity_kind = models.CharField(_("jenis kegiatan"), max_length=32, choices=ActivityKind.choices)
    activity_date = models.DateField(_("tanggal kegiatan/keputusan"), null=True, blank=True)
    source = models.CharField(_("sumber benturan"), max_length=32, choices=Source.choices)
    interest = EncryptedTextField(_("kepentingan yang berbenturan"))
    people_involved = EncryptedTextField(_("pihak yang terlibat"), blank=True)
    supervisor_involved = models.BooleanField(
        _("atasan langsung terlibat"),
        default=False,
        help_text=_(
            "Centang bila atasan langsung Anda termasuk pihak dalam benturan ini: atasan berikutnya memutuskan."
        ),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuka oleh atasan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The decision (filled by `decide`).
    outcome = models.CharField(_("keputusan"), max_length=32, choices=Outcome.choices, blank=True)
    facts = EncryptedTextField(_("kebenaran situasi"), blank=True)
    impact = EncryptedTextField(_("dampak"), blank=True)
    reasoning = EncryptedTextField(_("pertimbangan"), blank=True)
    controls = EncryptedTextField(_("langkah pengendalian"), blank=True)
    replacement = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pejabat/anggota pengganti"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    controls_done_on = models.DateField(_("pengendalian dilaksanakan"), null=True, blank=True)
    controls_evidence = EncryptedTextField(_("bukti pengendalian"), blank=True)
    monitoring_until = models.DateField(_("dipantau sampai"), null=True, blank=True)
    monitoring_plan = EncryptedTextField(_("rencana pemantauan"), blank=True)

    class Meta:
        verbose_name = _("deklarasi benturan kepentingan")
        verbose_name_plural = _("deklarasi benturan kepentingan")

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATES

    @transition(
        "status",
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=policy.reporter,
        custom={"label": _("Ajukan kepada atasan"), "service": "benturan.services.declaration_submit"},
    )
    def submit(self):
        pass

    @transition(
        "status",
        source=Status.SUBMITTED,
        target=Status.ANALYSING,
        permission=policy.handler,
        custom={"label": _("Mulai analisis")},
    )
    def start_analysis(self):
        pass

    @transition(
        "status",
        source=Status.ANALYSING,
        target=Status.DECIDED,
        permission=policy.handler,
        custom={
            "label": _("Tetapkan keputusan"),
            "form": "benturan.forms.DecisionForm",
            "service": "benturan.services.declaration_decide",
        },
    )
    def decide(
        self,
        *,
        outcome: str,
        facts: str,
        impact: str,
        reasoning: str,
        controls: str = "",
        replacement=None,
        decided_on: dt.date,
        decided_by=None,
    ):
        self.outcome = outcome
        self.facts, self.impact, self.reasoning, self.controls = facts, impact, reasoning, controls
        self.replacement = replacement
        self.decided_on = decided_on
        self.decided_by = decided_by

    @transition(
        "status",
        source=Status.DECIDED,
        target=Status.CONTROLS_IN_PLACE,
        permission=policy.handler,
        conditions=[needs_controls],
        custom={"label": _("Catat pengendalian dilaksanakan"), "form": "benturan.forms.ControlsForm"},
    )
    def record_controls(self, *, controls_done_on: dt.date, controls_evidence: str):
        self.controls_done_on = controls_done_on
        self.controls_evidence = controls_evidence

    @transition(
        "status",
        source=Status.CONTROLS_IN_PLACE,
        target=Status.MONITORING,
        permission=policy.handler,
        custom={"label": _("Mulai pemantauan"), "form": "benturan.forms.MonitoringForm"},
    )
    def start_monitoring(self, *, monitoring_until: dt.date, monitoring_plan: str):
        self.monitoring_until = monitoring_until
        self.monitoring_plan = monitoring_plan

    @transition(
        "status",
        source=[Status.DECIDED, Status.MONITORING],
        target=Status.CLOSED,
        permission=policy.handler,
        conditions=[may_close],
        custom={"label": _("Tutup deklarasi")},
    )
    def close(self):
        pass


# ---------------------------------------------------------------------------------------------------------
# Monitoring and evaluation (LKE benturan kepentingan d and e): evaluasi.models.Evaluation and Recommendation with
# module "benturan" (moved there in issue 12, evaluasi 0002), like every other module's.
