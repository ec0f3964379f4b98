"""Evaluation (DESIGN §6): follow-up of recommendations, periodic evaluation records per module, the LKE
Penguatan Pengawasan worksheet, and the exports the inspectorate downloads.

Nothing here is a case. A recommendation belongs to a case (any kind) or to an evaluation; its follow-up status
follows the BPK categories (Peraturan BPK 2/2017) and moves by django-fsm transitions run by
``evaluasi.services``. The LKE questions are data, versioned by edition (PermenPANRB 90/2021 is seeded), so a new
edition is added in Pengaturan, not in code.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from cases import registry
from cases.fields import EncryptedTextField
from cases.models import Case, StoredFile, Unit


def module_choices() -> list[tuple[str, str]]:
    """The modules an evaluation can be about: every registered case kind."""
    return [(kind.code, kind.label) for kind in registry.all_kinds()]


def _check_module(code: str) -> None:
    if code not in {kind.code for kind in registry.all_kinds()}:
        raise ValidationError(_("Modul %(code)s tidak dikenal.") % {"code": code})


class Cadence(models.TextChoices):
    MONTHLY = "bulanan", _("Bulanan")
    QUARTERLY = "triwulanan", _("Triwulanan")
    SEMESTER = "semesteran", _("Semesteran")
    YEARLY = "tahunan", _("Tahunan")


# The period kind (evaluasi.periods) each cadence divides a year into.
CADENCE_PERIOD = {
    Cadence.MONTHLY: "month",
    Cadence.QUARTERLY: "quarter",
    Cadence.SEMESTER: "semester",
    Cadence.YEARLY: "year",
}


class EvaluationSchedule(models.Model):
    """How often a module must be evaluated for the LKE's "berkala" (an admin setting; REFERENCE: "berkala" is
    not defined by the regulation)."""

    module = models.CharField(_("modul"), max_length=32, unique=True, validators=[_check_module])
    cadence = models.CharField(_("frekuensi"), max_length=12, choices=Cadence.choices, default=Cadence.QUARTERLY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["module"]
        verbose_name = _("jadwal evaluasi")
        verbose_name_plural = _("jadwal evaluasi")

    def __str__(self) -> str:
        return f"{self.module}: {self.get_cadence_display()}"


class Evaluation(models.Model):
    """A periodic evaluation of a module in a unit: the meeting or review, who took part, what was found."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = models.CharField(_("modul"), max_length=32, validators=[_check_module])
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("periode dari"))
    period_end = models.DateField(_("periode sampai"))
    held_on = models.DateField(_("tanggal evaluasi"))
    participants = models.TextField(_("peserta"))
    findings = EncryptedTextField(_("temuan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["findings"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["module", "unit", "period_end"])]
        verbose_name = _("evaluasi berkala")
        verbose_name_plural = _("evaluasi berkala")

    def __str__(self) -> str:
        return f"{self.module} {self.unit.code} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Akhir periode tidak boleh sebelum awalnya.")})

    @property
    def module_label(self) -> str:
        """The module as people name it ("Benturan kepentingan"), not its code."""
        return str(dict(module_choices()).get(self.module, self.module))


class FollowUp(models.TextChoices):
    """Follow-up status of a recommendation (Peraturan BPK 2/2017 practice, REFERENCE "tindak lanjut")."""

    BELUM = "belum", _("Belum ditindaklanjuti")
    PROSES = "proses", _("Dalam proses")
    SELESAI = "selesai", _("Sesuai / selesai")
    TIDAK_DAPAT = "tidak_dapat", _("Tidak dapat ditindaklanjuti")


OPEN_FOLLOW_UP = (FollowUp.BELUM, FollowUp.PROSES)


class Recommendation(FSMModelMixin, models.Model):
    """A recommendation of a case, of an evaluation or of a survey's results, its owner and due date, and how
    far it is followed up.

    ``unit`` is the unit the recommendation counts for (the case's, the evaluation's or the survey's), kept here so the
    follow-up percentage of a unit is one indexed count. The status moves only by the transitions below.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, verbose_name=_("kasus"), null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    # The follow-up of a survey's results (survei/, issue 13: the LKE asks that SKM results are followed up).
    # By name: survei builds on evaluasi, not the other way round.
    survey = models.ForeignKey(
        "survei.Survey",
        verbose_name=_("survei"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("rekomendasi"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penanggung jawab"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("tanggal rekomendasi"))
    due_on = models.DateField(_("batas waktu"))
    status = FSMField(
        _("status tindak lanjut"), max_length=16, choices=FollowUp.choices, default=FollowUp.BELUM, protected=True
    )
    reason = EncryptedTextField(_("alasan tidak dapat ditindaklanjuti"), blank=True)
    completed_on = models.DateField(_("selesai"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    # Reminders sent (one each): "due_soon", "due_today", "overdue" (evaluasi.tasks).
    warned = models.JSONField(default=list, blank=True)

    history = HistoricalRecords(excluded_fields=["text", "reason"])

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["unit", "issued_on"]), models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, evaluation__isnull=True, survey__isnull=True)
                | Q(case__isnull=True, evaluation__isnull=False, survey__isnull=True)
                | Q(case__isnull=True, evaluation__isnull=True, survey__isnull=False),
                name="recommendation_of_one_subject",
            )
        ]
        verbose_name = _("rekomendasi")
        verbose_name_plural = _("rekomendasi")

    def __str__(self) -> str:
        return f"{self.uuid.hex[:8]} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FOLLOW_UP

    @transition("status", source=[FollowUp.BELUM, FollowUp.PROSES], target=FollowUp.PROSES)
    def act(self):
        """The owner recorded a follow-up action (FollowUpAction)."""

    @transition("status", source=[FollowUp.BELUM, FollowUp.PROSES], target=FollowUp.SELESAI)
    def accept(self, *, on):
        """The inspectorate found the follow-up in line with the recommendation."""
        self.completed_on = on

    @transition("status", source=[FollowUp.BELUM, FollowUp.PROSES], target=FollowUp.TIDAK_DAPAT)
    def cannot(self, *, reason, on):
        """It cannot be followed up, for a reason the inspectorate accepts."""
        self.reason, self.completed_on = reason, on

    @transition("status", source=[FollowUp.SELESAI, FollowUp.TIDAK_DAPAT], target=FollowUp.PROSES)
    def reopen(self):
        """The inspectorate took back an acceptance (the evidence did not hold)."""
        self.completed_on = None


class FollowUpAction(models.Model):
    """One thing done to follow a recommendation up, with its date and evidence (Document)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    done_on = models.DateField(_("tanggal"))
    description = EncryptedTextField(_("uraian tindak lanjut"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["done_on", "pk"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")


class Document(StoredFile):
    """A file of an evaluation (minutes, attendance list) or evidence of a follow-up action, kept like a case's
    attachment (cases.models.StoredFile, cases.attachments)."""

    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    action = models.ForeignKey(
        FollowUpAction, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluation__isnull=False, action__isnull=True)
                | Q(evaluation__isnull=True, action__isnull=False),
                name="document_of_evaluation_or_action",
            )
        ]


# ---------------------------------------------------------------------------------------------------------
# The LKE worksheet


class LkeSection(models.TextChoices):
    PEMENUHAN = "pemenuhan", _("Pemenuhan")
    REFORM = "reform", _("Reform")
    # Issue 13: the questions the surveys answer (survei.lke), outside Penguatan Pengawasan.
    PELAYANAN = "pelayanan", _("Pemenuhan — Peningkatan Kualitas Pelayanan Publik")
    HASIL = "hasil", _("Hasil — Survei persepsi")


class LkeEdition(models.Model):
    """An edition of the LKE Zona Integritas (its question set for Penguatan Pengawasan)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    basis = models.CharField(_("dasar hukum"), max_length=200)
    is_current = models.BooleanField(_("berlaku"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_current", "code"]
        # One edition is the one in force: a second "berlaku" would make new worksheets pick one by its code.
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_lke_edition")
        ]
        verbose_name = _("edisi LKE")
        verbose_name_plural = _("edisi LKE")

    def __str__(self) -> str:
        return self.name


class LkeQuestion(models.Model):
    """One question of an edition. ``options`` is a list of ``{"label": ..., "value": 0..1}`` from best to worst
    (REFERENCE: option values), or empty for a percentage question (answered 0–100). ``rule`` names the
    suggestion rule of evaluasi.lke that proposes an answer from the data; empty: answered by hand."""

    edition = models.ForeignKey(LkeEdition, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("kode"), max_length=40)
    section = models.CharField(_("bagian"), max_length=12, choices=LkeSection.choices)
    indicator = models.CharField(_("indikator"), max_length=200)
    text = models.TextField(_("pertanyaan"))
    options = models.JSONField(_("pilihan jawaban"), default=list, blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=3)
    rule = models.CharField(_("aturan saran"), max_length=60, blank=True)
    evidence = models.TextField(_("bukti yang diminta"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["edition", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="lke_question_code_unique")]
        verbose_name = _("pertanyaan LKE")
        verbose_name_plural = _("pertanyaan LKE")

    def __str__(self) -> str:
        return f"{self.code} — {self.text[:60]}"


class LkeWorksheet(models.Model):
    """The worksheet of one unit for one period under one edition."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    edition = models.ForeignKey(LkeEdition, on_delete=models.PROTECT, related_name="worksheets")
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("periode dari"))
    period_end = models.DateField(_("periode sampai"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "unit", "period_start", "period_end"], name="lke_worksheet_unique"
            )
        ]
        verbose_name = _("lembar kerja LKE")
        verbose_name_plural = _("lembar kerja LKE")


class LkeAnswer(models.Model):
    """A question's answer on a worksheet: the suggestion computed from the data, with its basis, and the
    inspector's confirmed (or overriding) answer with a note. ``value`` is the option value (0–1), or the
    percentage (0–100) for a percentage question."""

    worksheet = models.ForeignKey(LkeWorksheet, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(LkeQuestion, on_delete=models.PROTECT, related_name="+")
    suggested_value = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    suggested_label = models.CharField(max_length=200, blank=True)
    basis = models.JSONField(default=dict, blank=True)
    suggested_at = models.DateTimeField(null=True, blank=True)
    value = models.DecimalField(_("jawaban"), max_digits=7, decimal_places=4, null=True, blank=True)
    label = models.CharField(_("jawaban"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question__order", "question__code"]
        constraints = [models.UniqueConstraint(fields=["worksheet", "question"], name="lke_answer_unique")]


# ---------------------------------------------------------------------------------------------------------
# Background exports


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Siap diunduh")
    FAILED = "failed", _("Gagal")
    EXPIRED = "expired", _("Kedaluwarsa")


class ExportJob(models.Model):
    """An export made in the background for the person who asked (evaluasi.jobs): its progress, and the file,
    offered to that person only until ``expires_at``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    blob = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"]), models.Index(fields=["status"])]

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, round(100 * self.done / self.total)) if self.total else 0
