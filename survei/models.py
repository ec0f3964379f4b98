"""Surveys of the people a unit serves (DESIGN §7): the anti-corruption perception survey (IPAK), the
service-quality perception survey (IPKP) and the Survei Kepuasan Masyarakat (SKM, PermenPANRB 14/2017).

Nothing here is a case. An **instrument** is data: variables, items, each item's answer options with their
numeric values, the scale (1–4 or 1–6) and whether an item is worded negatively. Its content lives in an
**instrument version**; once a version has responses it is frozen, and a change is made on a copy (a new
version), so every response keeps the questions it answered. The **scoring rule** (how answers become the
published score: SKM's weighted mean and interval table, the 6→4 conversion for the LKE) is a versioned row too,
because the 6→4 conversion is not settled in any published text (REFERENCE "Surveys"). A **survey** pins one
instrument version and one rule version; its published result records both.

Respondents are anonymous (survei.intake.response_submit): no name, contact, address, client address or user
agent is stored. A response keeps the day it arrived (not the time) and a short device tag (survei.intake.device_tag)
that groups the responses one device sends within an hour without naming it, so flooding can be seen and set aside.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from cases.fields import EncryptedTextField
from cases.models import Unit


class InstrumentKind(models.TextChoices):
    SKM = "skm", _("Survei Kepuasan Masyarakat (SKM)")
    IPAK = "ipak", _("Survei Persepsi Anti Korupsi (IPAK)")
    IPKP = "ipkp", _("Survei Persepsi Kualitas Pelayanan (IPKP)")


class Instrument(models.Model):
    """A questionnaire as people name it ("SKM PermenPANRB 14/2017"), with the thresholds its results are
    compared with. Its questions are in its versions."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    kind = models.CharField(_("jenis"), max_length=8, choices=InstrumentKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    basis = models.CharField(_("dasar"), max_length=300, blank=True)
    # The LKE ZI 90/2021 result component: value on 0–4 × weight / 4 (IPAK and IPKP 17.5 each), minimum values
    # 3.60 / 3.20 (REFERENCE "Surveys"). Empty for SKM, which has its own grade.
    lke_weight = models.DecimalField(_("bobot LKE"), max_digits=5, decimal_places=2, null=True, blank=True)
    minimum_wbk = models.DecimalField(
        _("nilai minimum WBK (0–4)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    minimum_wbbm = models.DecimalField(
        _("nilai minimum WBBM (0–4)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    default_rule = models.ForeignKey(
        "ScoringRule", verbose_name=_("aturan skor bawaan"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("instrumen survei")
        verbose_name_plural = _("instrumen survei")

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> "InstrumentVersion | None":
        return self.versions.order_by("-number").first()


class InstrumentVersion(models.Model):
    """The questions of an instrument as they were asked. Frozen once it has responses (``is_used``)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    scale = models.PositiveSmallIntegerField(
        _("skala"), choices=[(4, _("1–4")), (6, _("1–6"))], help_text=_("Jumlah pilihan jawaban tiap butir.")
    )
    instructions = models.TextField(_("petunjuk pengisian"), blank=True, help_text=_("Ditampilkan di atas pertanyaan."))
    note = models.TextField(_("catatan perubahan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_unique"),
        ]
        verbose_name = _("versi instrumen")
        verbose_name_plural = _("versi instrumen")

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    @property
    def is_used(self) -> bool:
        """A survey that respondents can reach (opened, or beyond) asks these questions: they may no longer change,
        even before the first response — a poster with the link may already hang at the counter."""
        return Survey.objects.filter(instrument_version=self).exclude(status=SurveyStatus.DRAFT).exists()

    def items(self):
        return (
            Item.objects.filter(variable__version=self)
            .select_related("variable")
            .order_by("variable__order", "variable__pk", "order", "pk")
        )


class Variable(models.Model):
    """A variable (unsur, for SKM) and its weight among the instrument's variables (equal by default)."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="variables")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(
        _("bobot"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Kosongkan untuk bobot sama (1 / jumlah variabel)."),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="survey_variable_code_unique")]
        verbose_name = _("variabel")
        verbose_name_plural = _("variabel")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def _check_options(options) -> None:
    if not isinstance(options, list) or len(options) < 2:
        raise ValidationError(_("Butir perlu sedikitnya dua pilihan jawaban."))
    values = []
    for option in options:
        if not isinstance(option, dict) or not str(option.get("label", "")).strip():
            raise ValidationError(_("Setiap pilihan perlu label dan nilai."))
        value = option.get("value")
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(_("Nilai pilihan harus bilangan bulat."))
        values.append(value)
    if len(set(values)) != len(values):
        raise ValidationError(_("Nilai pilihan tidak boleh kembar."))


class Item(models.Model):
    """One question. ``options`` lists ``{"label": ..., "value": n}`` in the order shown, n on 1..scale.

    ``negative``: the item is worded so that a higher value is worse (an agreement with "petugas meminta
    imbalan"); its value is reversed (scale + 1 − n) before scoring. Items whose options already run from worst
    (1) to best (scale) — the usual IPAK form "1 selalu ada … 6 tidak ada sama sekali" — are not negative.
    """

    variable = models.ForeignKey(Variable, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("kode"), max_length=20)
    text = models.TextField(_("pertanyaan"))
    options = models.JSONField(_("pilihan jawaban"), validators=[_check_options])
    negative = models.BooleanField(
        _("pernyataan negatif (nilai dibalik)"),
        default=False,
        help_text=_("Centang bila nilai yang lebih tinggi berarti lebih buruk."),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["variable", "order", "pk"]
        verbose_name = _("butir pertanyaan")
        verbose_name_plural = _("butir pertanyaan")

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def clean(self):
        scale = self.variable.version.scale if self.variable_id else None
        if scale and isinstance(self.options, list):
            for option in self.options:
                value = option.get("value") if isinstance(option, dict) else None
                if isinstance(value, int) and not 1 <= value <= scale:
                    raise ValidationError({"options": _("Nilai pilihan harus 1 sampai %(n)d.") % {"n": scale}})

    def values(self) -> set[int]:
        return {option["value"] for option in self.options}


class RuleMethod(models.TextChoices):
    """How a rule turns answers into the published score (survei.scoring)."""

    SKM = "skm", _("SKM: NRR tertimbang × 25 dan tabel interval")
    LINEAR = "linear", _("Rata-rata, dikonversi linear ke 0–4 (1 → 0, skala maks → 4)")
    RATIO = "ratio", _("Rata-rata, dikonversi proporsional ke 0–4 (nilai / skala × 4)")
    MAP = "map", _("Rata-rata setelah tiap jawaban dipetakan ke nilai 0–4")


class ScoringRule(models.Model):
    """A versioned rule. ``params`` by method (survei.scoring.check_params says what each needs):

    - skm: ``{"weight": "equal" | "0.111", "multiplier": 25, "intervals": [[min_index, grade, label], ...]}``
    - linear, ratio: ``{}``
    - map: ``{"map": {"1": 0, ..., "6": 4}}`` (answer value → 0–4)

    A rule used by a survey is never changed: the admin saves a change as a new version (survei.admin)."""

    code = models.SlugField(_("kode"), max_length=60)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    name = models.CharField(_("nama"), max_length=200)
    method = models.CharField(_("metode"), max_length=12, choices=RuleMethod.choices)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    basis = models.TextField(_("dasar / alasan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="scoring_rule_version_unique")]
        verbose_name = _("aturan skor")
        verbose_name_plural = _("aturan skor")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def clean(self):
        from survei import scoring  # noqa: PLC0415 - scoring imports the models for its types

        problem = scoring.check_params(self.method, self.params)
        if problem:
            raise ValidationError({"params": problem})

    @property
    def is_used(self) -> bool:
        return Survey.objects.filter(rule=self).exists()


class SurveyStatus(models.TextChoices):
    DRAFT = "draf", _("Disiapkan")
    OPEN = "dibuka", _("Dibuka")
    CLOSED = "ditutup", _("Ditutup")
    PUBLISHED = "diumumkan", _("Hasil diumumkan")


def new_token() -> str:
    """The survey's public address part: short enough to type from a poster, too many to guess (31^10, about
    8 * 10^14: 31 characters, without those mistaken for one another: i, l, o, 0, 1)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Survey(FSMModelMixin, models.Model):
    """One survey period of a unit with one instrument version and one rule version. The status moves only by
    the transitions below, run by survei.services."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.CharField(_("kode tautan"), max_length=16, unique=True, default=new_token, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    instrument_version = models.ForeignKey(
        InstrumentVersion, verbose_name=_("instrumen"), on_delete=models.PROTECT, related_name="surveys"
    )
    rule = models.ForeignKey(ScoringRule, verbose_name=_("aturan skor"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("mulai"))
    period_end = models.DateField(_("selesai"))
    status = FSMField(
        _("status"), max_length=12, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT, protected=True
    )
    # What was published: the result as computed at publication (survei.scoring.Result.as_dict), with the
    # instrument version and rule version that produced it; the public page shows this, not a live count.
    published_result = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    follow_up_plan = models.TextField(_("rencana tindak lanjut"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "-pk"]
        indexes = [models.Index(fields=["unit", "period_end"])]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="survey_period_order")
        ]
        verbose_name = _("survei")
        verbose_name_plural = _("survei")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})

    @property
    def kind(self) -> str:
        return self.instrument_version.instrument.kind

    @transition("status", source=SurveyStatus.DRAFT, target=SurveyStatus.OPEN)
    def open(self):
        """Respondents may answer."""

    @transition("status", source=SurveyStatus.OPEN, target=SurveyStatus.CLOSED)
    def close(self):
        """No more responses; the results can be checked before they are published."""

    @transition("status", source=SurveyStatus.CLOSED, target=SurveyStatus.OPEN)
    def reopen(self):
        """More responses are needed (below the target), before anything is published."""

    @transition("status", source=SurveyStatus.CLOSED, target=SurveyStatus.PUBLISHED)
    def publish(self, *, result: dict, on):
        self.published_result, self.published_at = result, on


class SurveyService(models.Model):
    """A service the survey asks about, with the population served in the period (the officer's figure) from
    which the target sample is computed (survei.scoring.target_sample)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("layanan"), max_length=200)
    population = models.PositiveIntegerField(
        _("populasi (penerima layanan dalam periode)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000_000)],
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="survey_service_name_unique")]
        verbose_name = _("layanan yang disurvei")
        verbose_name_plural = _("layanan yang disurvei")

    def __str__(self) -> str:
        return self.name


# The optional respondent fields: bands and broad groups, none of which identifies anyone.
AGE_BANDS = [
    ("<20", "< 20"),
    ("20-29", "20–29"),
    ("30-39", "30–39"),
    ("40-49", "40–49"),
    ("50-59", "50–59"),
    ("60+", "≥ 60"),
]


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    SD = "sd", _("SD atau sederajat")
    SMP = "smp", _("SMP atau sederajat")
    SMA = "sma", _("SMA/SMK atau sederajat")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    S1 = "s1", _("Sarjana (S1)")
    S2 = "s2", _("Pascasarjana (S2/S3)")


class Occupation(models.TextChoices):
    PNS = "asn", _("ASN/TNI/Polri")
    SWASTA = "swasta", _("Pegawai swasta")
    WIRAUSAHA = "wirausaha", _("Wirausaha")
    PELAJAR = "pelajar", _("Pelajar/mahasiswa")
    LAINNYA = "lainnya", _("Lainnya")


class Response(models.Model):
    """One anonymous response. ``received_on`` is the day only; ``device_tag`` is survei.intake.device_tag's short
    pseudonym of the device (24 bits; it follows the hourly client pseudonym, and its salt is never stored), so a
    burst from one device is visible and can be set aside by an officer (``excluded``), while no response can be
    linked to an address, and responses of different hours not to each other."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    service = models.ForeignKey(SurveyService, on_delete=models.PROTECT, related_name="responses")
    received_on = models.DateField(_("diterima"))
    served_month = models.DateField(_("bulan menerima layanan"), null=True, blank=True)
    age_band = models.CharField(_("usia"), max_length=8, choices=AGE_BANDS, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True)
    comment = EncryptedTextField(_("saran / komentar"), blank=True)
    # "Did anyone pressure you to fill this in?" True: yes; False: no; None: not answered.
    pressured = models.BooleanField(_("ada yang menekan untuk mengisi"), null=True, blank=True)
    device_tag = models.CharField(max_length=6, blank=True, editable=False)
    excluded = models.BooleanField(_("dikeluarkan dari hasil"), default=False)
    excluded_reason = models.CharField(_("alasan dikeluarkan"), max_length=200, blank=True)
    # Who set the response aside and when: setting aside moves the published score, so it is answerable.
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikeluarkan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    excluded_at = models.DateTimeField(_("dikeluarkan pada"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["survey", "excluded"]),
            models.Index(fields=["survey", "received_on", "device_tag"]),
        ]
        verbose_name = _("jawaban responden")
        verbose_name_plural = _("jawaban responden")


class Answer(models.Model):
    """The value a respondent chose for one item (1..scale, as shown; survei.scoring reverses negative items).

    ``survey`` repeats the response's survey (``Answer.of`` sets it): a survey's result counts its answers by
    (item, value) from the index below alone, without reading every other survey's answers through the
    responses (benchmarks/survei_results.py: 380 → 97 ms for one of six surveys of 100,000 responses)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")]
        indexes = [models.Index(fields=["survey", "item", "value"], name="survei_answer_counts")]

    @classmethod
    def of(cls, response: Response, item_id: int, value: int) -> "Answer":
        return cls(survey_id=response.survey_id, response=response, item_id=item_id, value=value)
