"""The LKE Penguatan Pengawasan worksheet (PermenPANRB 90/2021; REFERENCE "LKE Penguatan Pengawasan"): the rules
that suggest an answer from SIGAP's data, and the worksheet's services (open, recompute, answer, score).

A question names its rule (``LkeQuestion.rule``); a rule reads the worksheet's unit and period and returns a
``Suggestion``: the option value (0–1) or the percentage (0–100), or None when the data cannot say, always with
its *basis* — the counts, the rule in words and links to the evidence — so the inspector sees why before
confirming. A question without a rule gets no suggestion: the inspector answers it. The suggestion never
becomes the answer by itself; an inspector confirms it, or overrides it with a note.

Definitions the regulation leaves open, stated here and in every basis:

- **Berkala**: every cadence period (EvaluationSchedule of the module, quarterly when none is set) that overlaps
  the worksheet period and has ended has an evaluation of the module for the unit or a unit above it; an
  evaluation belongs to the cadence period its evaluated period ends in. All → berkala; some → tidak berkala;
  none → belum. A cadence period not yet over is not yet owed.
- **Hasil evaluasi ditindaklanjuti**: over the recommendations of those evaluations (evaluated period ending in
  the worksheet period) due by the period's end (or today, if earlier), or begun already whatever their due
  date: semua when every one is sesuai/selesai or accepted as tidak dapat ditindaklanjuti; sebagian when at
  least one is settled or in process; belum when none is. No evaluation → belum; evaluations without such a
  recommendation → no suggestion.
- **Pengaduan yang harus ditindaklanjuti**: complaints received in the period, except those that are not the
  unit's to finish — out of scope, forwarded to another agency, archived as invalid, duplicates, converted to
  WBS. Selesai = closed; dalam proses = dispositioned, being followed up, answered (the complainant may still
  dispute); belum = still in verification, clarification or postponed.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benturan import selectors as benturan_selectors
from cases import policy, registry, workdays
from cases.models import Unit
from evaluasi import access, statistics
from evaluasi.models import (
    CADENCE_PERIOD,
    Cadence,
    Evaluation,
    EvaluationSchedule,
    FollowUp,
    LkeAnswer,
    LkeEdition,
    LkeQuestion,
    LkeSection,
    LkeWorksheet,
    Recommendation,
)
from evaluasi.periods import Period
from pengaduan.models import Status as ComplaintStatus

# ---------------------------------------------------------------------------------------------------------
# What a rule returns


@dataclass(frozen=True)
class Suggestion:
    """A suggested answer: ``value`` 0–1 (an option) or 0–100 (a percentage), None when the data cannot say.
    ``basis`` is JSON: ``rule`` (the rule in words), ``counts`` ([{label, value}]), ``links`` ([{label, url,
    kind?, link?}] — a link with ``kind`` and ``link`` is a set of cases, evaluasi.statistics.cases_behind), and
    ``module`` when the module's evaluation documents are evidence too."""

    value: Decimal | None
    label: str
    basis: dict


@dataclass(frozen=True)
class WorksheetScope:
    """What a rule reads: the worksheet's unit (with the units below it) and period, and today."""

    unit: Unit
    period: Period
    today: dt.date
    scope: statistics.Scope = field(compare=False)

    @classmethod
    def of(cls, worksheet: LkeWorksheet, today: dt.date | None = None) -> "WorksheetScope":
        period = worksheet_period(worksheet)
        return cls(worksheet.unit, period, today or workdays.today(), statistics.Scope.of(period, worksheet.unit))

    @property
    def unit_ids(self) -> set[int]:
        return set(self.scope.unit_ids)


RULES: dict[str, Callable[[WorksheetScope], Suggestion]] = {}


def rule(code: str):
    def register(function: Callable[[WorksheetScope], Suggestion]):
        RULES[code] = function
        return function

    return register


def worksheet_period(worksheet: LkeWorksheet) -> Period:
    """The worksheet's dates as a Period: a year, semester, quarter or month when they are one, else custom."""
    for kind in ("year", "semester", "quarter", "month"):
        period = Period.containing(kind, worksheet.period_start)
        if period.start == worksheet.period_start and period.end == worksheet.period_end:
            return period
    return Period.custom(worksheet.period_start, worksheet.period_end)


# ---------------------------------------------------------------------------------------------------------
# Evidence links


def _reverse(name: str, fallback: str) -> str:
    """The page's address; the fallback while the page (built in another part of issue 12) is not mounted."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _query(ws: WorksheetScope, **extra) -> str:
    return urlencode({"periode": ws.period.code, "unit": ws.unit.code, **extra})


def dashboard_link(ws: WorksheetScope) -> dict:
    return {"label": _("Statistik pengawasan periode ini"), "url": f"{reverse('evaluasi:dashboard')}?{_query(ws)}"}


def cases_link(label: str, kind: str, ws: WorksheetScope, link: dict) -> dict:
    """The list of cases behind a figure (evaluasi.statistics link dict), and the dict itself for the pack."""
    base = reverse("evaluasi:cases")
    return {"label": label, "url": f"{base}?{_query(ws, kind=kind, **link)}", "kind": kind, "link": link}


def evaluations_link(module: str, ws: WorksheetScope) -> dict:
    base = _reverse("evaluasi:evaluations", "/evaluasi/evaluasi/")
    return {"label": _("Daftar evaluasi modul ini"), "url": f"{base}?{_query(ws, modul=module)}"}


def _count(label: str, value) -> dict:
    return {"label": label, "value": value}


def _basis(text: str, counts: list[dict], links: list[dict], **extra) -> dict:
    return {"rule": text, "counts": counts, "links": links, **extra}


ONE, HALF, ZERO = Decimal("1"), Decimal("0.5"), Decimal("0")
FOUR_LEVEL = {
    "semua": Decimal("1"),
    "sebagian_besar": Decimal("0.67"),
    "sebagian_kecil": Decimal("0.33"),
    "belum": Decimal("0"),
}
FOUR_LEVEL_LABELS = {"semua": "Semua", "sebagian_besar": "Sebagian besar", "sebagian_kecil": "Sebagian kecil"}


def _yes_no(yes: bool | None) -> tuple[Decimal | None, str]:
    if yes is None:
        return None, ""
    return (ONE, "Ya") if yes else (ZERO, "Tidak")


def _active_officers(role: str) -> int:
    return get_user_model().objects.filter(is_active=True, groups__name=role).count()


# ---------------------------------------------------------------------------------------------------------
# Periodic evaluation and its follow-up (the c/d of pengaduan, b/c of WBS, d/e of benturan)


def ancestor_ids(unit: Unit) -> list[int]:
    """The unit and every unit above it: an evaluation of a parent unit covers the units below it."""
    found, current, seen = [], unit, set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        found.append(current.pk)
        current = current.parent
    return found


def cadence_periods(cadence: str, period: Period) -> list[Period]:
    """The cadence's periods (months, quarters, …) that overlap `period`, in order."""
    kind = CADENCE_PERIOD[Cadence(cadence)]
    periods, current = [], Period.containing(kind, period.start)
    while current.start <= period.end:
        periods.append(current)
        current = Period.containing(kind, current.end + dt.timedelta(days=1))
    return periods


def module_evaluations(module: str, ws: WorksheetScope):
    """The evaluations of `module` held by today for the worksheet's unit or a unit above it whose evaluated
    period ends inside the worksheet's period (an evaluation counts for the period its evaluated period ends in).
    """
    return Evaluation.objects.filter(
        module=module,
        unit_id__in=ancestor_ids(ws.unit),
        held_on__lte=ws.today,
        period_end__gte=ws.period.start,
        period_end__lte=ws.period.end,
    )


def schedule_cadence(module: str) -> str:
    schedule = EvaluationSchedule.objects.filter(module=module).first()
    return schedule.cadence if schedule else Cadence.QUARTERLY


def periodic_evaluation(module: str, ws: WorksheetScope) -> Suggestion:
    """Berkala / tidak berkala / belum (module docstring)."""
    cadence = schedule_cadence(module)
    periods = cadence_periods(cadence, ws.period)
    ends = list(
        module_evaluations(module, ws)
        .filter(period_end__gte=periods[0].start, period_end__lte=periods[-1].end)
        .values_list("period_end", flat=True)
    )
    covered = [period for period in periods if any(period.contains(end) for end in ends)]
    owed = [period for period in periods if period.end < ws.today]
    missing = [period for period in owed if period not in covered]
    if not covered and not owed:
        value, label = None, ""  # nothing is owed yet (a worksheet of this year in its first quarter)
    elif not covered:
        value, label = ZERO, "Belum"
    elif not missing:
        value, label = ONE, "Berkala"
    else:
        value, label = HALF, "Tidak berkala"
    counts = [
        _count(_("Frekuensi evaluasi (pengaturan)"), str(Cadence(cadence).label)),
        _count(_("Periode evaluasi yang sudah berakhir"), len(owed)),
        _count(_("Periode yang memiliki evaluasi"), len(covered)),
        _count(_("Evaluasi tercatat"), len(ends)),
    ]
    if missing:
        counts.append(_count(_("Periode tanpa evaluasi"), ", ".join(period.label for period in missing)))
    text = _(
        "Berkala bila setiap periode evaluasi (%(cadence)s) dalam periode lembar kerja yang sudah berakhir memiliki "
        "evaluasi modul ini untuk unit ini atau unit di atasnya (evaluasi dihitung pada periode tempat akhir periode "
        "yang dievaluasinya jatuh); tidak berkala bila hanya sebagian; belum bila tidak ada sama sekali."
    ) % {"cadence": str(Cadence(cadence).label).lower()}
    return Suggestion(value, label, _basis(text, counts, [evaluations_link(module, ws)], module=module))


def evaluation_follow_up(module: str, ws: WorksheetScope) -> Suggestion:
    """Semua / sebagian / belum from the follow-up of the module's evaluation recommendations (module docstring)."""
    cutoff = min(ws.period.end, ws.today)
    evaluations = module_evaluations(module, ws)
    recommendations = Recommendation.objects.filter(evaluation__in=evaluations)
    # Due by the cut-off, or already started whatever its due date: one done early counts as done, one begun
    # early as begun; only one neither due nor begun is left out (it is not owed yet).
    owed = Q(due_on__lte=cutoff) | ~Q(status=FollowUp.BELUM)
    by_status = dict(recommendations.filter(owed).values_list("status").annotate(n=Count("pk")).order_by())
    not_due = recommendations.exclude(owed).count()
    evaluations = evaluations.count()
    due = sum(by_status.values())
    settled = by_status.get(FollowUp.SELESAI, 0) + by_status.get(FollowUp.TIDAK_DAPAT, 0)
    started = settled + by_status.get(FollowUp.PROSES, 0)
    if not evaluations:
        value, label = ZERO, "Belum"
    elif not due:
        value, label = None, ""
    elif settled == due:
        value, label = ONE, "Semua"
    elif started:
        value, label = HALF, "Sebagian"
    else:
        value, label = ZERO, "Belum"
    counts = [
        _count(_("Evaluasi dalam periode"), evaluations),
        _count(_("Rekomendasi yang dinilai (jatuh tempo atau sudah mulai ditindaklanjuti)"), due),
    ]
    counts += [_count(str(label_), by_status.get(code, 0)) for code, label_ in FollowUp.choices]
    counts.append(_count(_("Rekomendasi belum jatuh tempo dan belum ditindaklanjuti (tidak dinilai)"), not_due))
    text = _(
        "Atas rekomendasi evaluasi modul ini (periode evaluasi berakhir dalam periode lembar kerja) yang jatuh tempo "
        "sampai %(cutoff)s atau sudah mulai ditindaklanjuti: semua bila setiap rekomendasi sesuai/selesai atau "
        "diterima tidak dapat ditindaklanjuti; sebagian bila sebagian sudah selesai atau dalam proses; belum bila "
        "belum ada yang ditindaklanjuti atau belum ada evaluasi. Tanpa rekomendasi yang dinilai: tidak ada saran."
    ) % {"cutoff": cutoff.strftime("%d-%m-%Y")}
    return Suggestion(value, label, _basis(text, counts, [evaluations_link(module, ws)], module=module))


for _module, _periodic, _follow in (
    ("pengaduan", "pengaduan.evaluasi_berkala", "pengaduan.hasil_evaluasi"),
    ("wbs", "wbs.evaluasi_berkala", "wbs.hasil_evaluasi"),
    ("benturan", "benturan.evaluasi_berkala", "benturan.hasil_evaluasi"),
):
    rule(_periodic)(lambda ws, module=_module: periodic_evaluation(module, ws))
    rule(_follow)(lambda ws, module=_module: evaluation_follow_up(module, ws))


# ---------------------------------------------------------------------------------------------------------
# Gratifikasi and WBS


@rule("gratifikasi.implementasi")
def gratifikasi_implemented(ws: WorksheetScope) -> Suggestion:
    """Ya when the UPG has active officers and reports were received through it in the period; Tidak without an
    UPG; no suggestion when the UPG received nothing (the control may work without reports)."""
    kind = registry.get("gratifikasi")
    cases = statistics.scope_cases(kind, ws.scope)
    by_type = dict(cases.values_list("report_type").annotate(n=Count("pk")).order_by())
    received = sum(by_type.values())
    officers = _active_officers(policy.PETUGAS_UPG)
    value, label = _yes_no(False if not officers else (True if received else None))
    counts = [
        _count(_("Petugas UPG aktif"), officers),
        _count(_("Laporan gratifikasi diterima"), received),
        _count(_("Penerimaan"), by_type.get("penerimaan", 0)),
        _count(_("Penolakan"), by_type.get("penolakan", 0)),
    ]
    links = [
        dashboard_link(ws),
        cases_link(_("Laporan diterima"), kind.code, ws, {"all": 1}),
        cases_link(_("Penerimaan"), kind.code, ws, {"breakdown": "report_type", "value": "penerimaan"}),
        cases_link(_("Penolakan"), kind.code, ws, {"breakdown": "report_type", "value": "penolakan"}),
    ]
    text = _(
        "Ya bila UPG memiliki petugas aktif dan menerima laporan dalam periode; Tidak bila tidak ada petugas UPG; "
        "tanpa laporan dalam periode SIGAP tidak memberi saran (jawab berdasarkan SK UPG dan prosedur)."
    )
    return Suggestion(value, label, _basis(text, counts, links))


@rule("wbs.diterapkan")
def wbs_applied(ws: WorksheetScope) -> Suggestion:
    """Ya when the WBS has active managers (the channel is run), Tidak otherwise. Counts only: the number of
    reports is shown as "< 3" under WBS's minimum cell (no cell narrows a reporter down)."""
    kind = registry.get("wbs")
    received = statistics.scope_cases(kind, ws.scope).count()
    min_cell = kind.statistics.min_cell
    shown = f"< {min_cell}" if min_cell and 0 < received < min_cell else received
    officers = _active_officers(policy.PENGELOLA_WBS)
    value, label = _yes_no(officers > 0)
    counts = [_count(_("Pengelola WBS aktif"), officers), _count(_("Laporan WBS diterima"), shown)]
    text = _("Ya bila saluran WBS dikelola (ada pengelola WBS aktif); Tidak bila tidak ada.")
    return Suggestion(value, label, _basis(text, counts, [dashboard_link(ws)]))


# ---------------------------------------------------------------------------------------------------------
# Pengaduan


NOT_THE_UNITS = (
    ComplaintStatus.OUT_OF_SCOPE,
    ComplaintStatus.FORWARDED_ELSEWHERE,
    ComplaintStatus.ARCHIVED,
    ComplaintStatus.DUPLICATE,
    ComplaintStatus.CONVERTED_TO_WBS,
)
WAITING = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.VERIFYING,
    ComplaintStatus.NEEDS_CLARIFICATION,
    ComplaintStatus.POSTPONED,
)
IN_PROCESS = (ComplaintStatus.DISPOSITIONED, ComplaintStatus.IN_PROGRESS, ComplaintStatus.ANSWERED)
FINISHED = (ComplaintStatus.CLOSED,)


@dataclass(frozen=True)
class ComplaintCounts:
    by_status: dict[str, int]

    def _sum(self, statuses) -> int:
        return sum(self.by_status.get(status, 0) for status in statuses)

    @property
    def received(self) -> int:
        return sum(self.by_status.values())

    @property
    def not_the_units(self) -> int:
        return self._sum(NOT_THE_UNITS)

    @property
    def waiting(self) -> int:
        return self._sum(WAITING)

    @property
    def in_process(self) -> int:
        return self._sum(IN_PROCESS)

    @property
    def finished(self) -> int:
        return self._sum(FINISHED)

    @property
    def to_handle(self) -> int:
        return self.waiting + self.in_process + self.finished


def complaint_counts(ws: WorksheetScope) -> ComplaintCounts:
    cases = statistics.scope_cases(registry.get("pengaduan"), ws.scope)
    return ComplaintCounts(dict(cases.values_list("status").annotate(n=Count("pk")).order_by()))


def _status_links(ws: WorksheetScope, counts: ComplaintCounts, statuses) -> list[dict]:
    labels = dict(ComplaintStatus.choices)
    return [
        cases_link(str(labels[status]), "pengaduan", ws, {"status": str(status)})
        for status in statuses
        if counts.by_status.get(status, 0)
    ]


def _complaint_counts_basis(counts: ComplaintCounts) -> list[dict]:
    return [
        _count(_("Pengaduan diterima"), counts.received),
        _count(
            _("Bukan untuk diselesaikan unit (bukan kewenangan, diteruskan, diarsipkan, duplikat, ke WBS)"),
            counts.not_the_units,
        ),
        _count(_("Harus ditindaklanjuti"), counts.to_handle),
        _count(_("Belum ditindaklanjuti (verifikasi, klarifikasi, ditunda)"), counts.waiting),
        _count(_("Dalam proses"), counts.in_process),
        _count(_("Selesai"), counts.finished),
    ]


HANDLING_TEXT = gettext_lazy(
    "Harus ditindaklanjuti = pengaduan yang diterima dalam periode kecuali yang bukan kewenangan, diteruskan ke "
    "instansi lain, diarsipkan, duplikat atau dialihkan ke WBS. Selesai = status selesai; dalam proses = "
    "didisposisikan, ditindaklanjuti, dijawab."
)


@rule("pengaduan.persentase_penanganan")
def complaint_handling_percent(ws: WorksheetScope) -> Suggestion:
    """Reform: selesai ÷ harus ditindaklanjuti × 100, to two decimals; no suggestion without complaints."""
    counts = complaint_counts(ws)
    value = None
    if counts.to_handle:
        value = (Decimal(100 * counts.finished) / Decimal(counts.to_handle)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    links = [dashboard_link(ws), cases_link(_("Pengaduan diterima"), "pengaduan", ws, {"all": 1})]
    links += _status_links(ws, counts, (*WAITING, *IN_PROCESS, *FINISHED))
    text = _("Persentase = selesai ÷ harus ditindaklanjuti × 100. ") + str(HANDLING_TEXT)
    return Suggestion(
        value, f"{value}%" if value is not None else "", _basis(text, _complaint_counts_basis(counts), links)
    )


@rule("pengaduan.implementasi")
def complaint_policy_implemented(ws: WorksheetScope) -> Suggestion:
    """Ya when complaints were received and handled through SIGAP in the period; no suggestion without any."""
    counts = complaint_counts(ws)
    value, label = _yes_no(True if counts.received else None)
    text = _(
        "Ya bila pengaduan diterima dan dikelola melalui SIGAP dalam periode; tanpa pengaduan SIGAP tidak memberi "
        "saran (jawab berdasarkan kebijakan/SOP)."
    )
    links = [dashboard_link(ws), cases_link(_("Pengaduan diterima"), "pengaduan", ws, {"all": 1})]
    return Suggestion(value, label, _basis(text, _complaint_counts_basis(counts), links))


@rule("pengaduan.ditindaklanjuti")
def complaints_followed_up(ws: WorksheetScope) -> Suggestion:
    """Ya when no complaint of the period is past its verification (3 HK) or first follow-up (5 HK) deadline
    without it; Tidak otherwise; no suggestion without complaints to handle."""
    kind = registry.get("pengaduan")
    counts = complaint_counts(ws)
    overdue = {
        code: statistics.cases_behind(kind, ws.scope, {"clock": code, "state": "overdue"}, today=ws.today).count()
        for code in ("verification", "first_follow_up")
    }
    value, label = _yes_no((sum(overdue.values()) == 0) if counts.to_handle else None)
    basis_counts = _complaint_counts_basis(counts) + [
        _count(_("Lewat batas verifikasi 3 HK tanpa penerusan"), overdue["verification"]),
        _count(_("Lewat batas tindak lanjut pertama 5 HK"), overdue["first_follow_up"]),
    ]
    links = [dashboard_link(ws)]
    links += [
        cases_link(label_, kind.code, ws, {"clock": code, "state": "overdue"})
        for code, label_ in (
            ("verification", _("Lewat batas verifikasi")),
            ("first_follow_up", _("Lewat batas tindak lanjut pertama")),
        )
        if overdue[code]
    ]
    links += _status_links(ws, counts, (*IN_PROCESS, *FINISHED))
    text = _(
        "Ya bila tidak ada pengaduan periode ini yang melewati batas verifikasi (3 HK) atau tindak lanjut pertama "
        "(5 HK) tanpa ditindaklanjuti (PermenPANRB 62/2018); Tidak bila ada. "
    ) + str(HANDLING_TEXT)
    return Suggestion(value, label, _basis(text, basis_counts, links))


# ---------------------------------------------------------------------------------------------------------
# Benturan kepentingan


@rule("benturan.pemetaan")
def conflicts_mapped(ws: WorksheetScope) -> Suggestion:
    """The approved risk maps' coverage of the main functions (benturan.selectors.map_statistics, lke_answer)."""
    stats = benturan_selectors.map_statistics(unit_ids=ws.unit_ids, year=ws.period.end.year)
    value, label = None, ""
    if stats["total"]:
        value, label = FOUR_LEVEL[stats["answer"]], FOUR_LEVEL_LABELS.get(stats["answer"], "Belum")
    counts = [
        _count(_("Tugas/fungsi utama aktif"), stats["total"]),
        _count(_("Dipetakan pada peta yang disetujui"), stats["mapped_count"]),
        _count(_("Persentase"), stats["percent"]),
    ]
    text = _(
        "Peta risiko tahun %(year)d yang disetujui: semua fungsi utama dipetakan = semua; paling sedikit separuh = "
        "sebagian besar; lebih dari nol = sebagian kecil; tidak ada atau belum disetujui = belum. Tanpa fungsi "
        "utama tercatat: tidak ada saran."
    ) % {"year": ws.period.end.year}
    return Suggestion(value, label, _basis(text, counts, [dashboard_link(ws)]))


def _statement_stats(ws: WorksheetScope) -> dict:
    return benturan_selectors.statement_statistics(units=ws.unit_ids, start=ws.period.start, end=ws.period.end)


@rule("benturan.sosialisasi")
def conflicts_socialised(ws: WorksheetScope) -> Suggestion:
    """Ya when a statement campaign reaching the unit was opened in the period's years (its notice to every
    employee is the socialisation SIGAP records); Tidak otherwise."""
    stats = _statement_stats(ws)
    value, label = _yes_no(stats["campaigns"] > 0)
    text = _(
        "Ya bila ada kampanye pernyataan benturan kepentingan yang menjangkau unit ini pada tahun periode "
        "(pemberitahuannya kepada pegawai adalah sosialisasi yang tercatat di SIGAP); sosialisasi di luar SIGAP "
        "dijawab dengan mengubah saran disertai catatan."
    )
    counts = [_count(_("Kampanye pernyataan dibuka"), stats["campaigns"])]
    return Suggestion(value, label, _basis(text, counts, [dashboard_link(ws)]))


@rule("benturan.implementasi")
def conflicts_implemented(ws: WorksheetScope) -> Suggestion:
    """The statement coverage (filed ÷ population) on the same thresholds as the map (lke_answer)."""
    stats = _statement_stats(ws)
    value, label = None, ""
    if stats["population"]:
        answer = benturan_selectors.lke_answer(stats["filed"], stats["population"])
        value, label = FOUR_LEVEL[answer], FOUR_LEVEL_LABELS.get(answer, "Belum")
    counts = [
        _count(_("Pegawai wajib menyampaikan pernyataan"), stats["population"]),
        _count(_("Sudah menyampaikan"), stats["filed"]),
        _count(_("Menyatakan memiliki kepentingan"), stats["declared"]),
    ]
    text = _(
        "Cakupan pernyataan benturan kepentingan: semua pegawai = semua; paling sedikit separuh = sebagian besar; "
        "lebih dari nol = sebagian kecil; tidak ada = belum. Tanpa kampanye: tidak ada saran."
    )
    return Suggestion(value, label, _basis(text, counts, [dashboard_link(ws)]))


# ---------------------------------------------------------------------------------------------------------
# The worksheet


def suggest(question: LkeQuestion, ws: WorksheetScope) -> Suggestion | None:
    """The question's suggestion, its label taken from the edition's options; None without a rule."""
    if not question.rule:
        return None
    function = RULES.get(question.rule)
    if function is None:
        text = _("Aturan saran %(rule)s tidak dikenal: jawab secara manual.") % {"rule": question.rule}
        return Suggestion(None, "", _basis(text, [], []))
    suggestion = function(ws)
    if suggestion.value is not None and question.options:
        for option in question.options:
            if Decimal(str(option["value"])) == suggestion.value:
                return Suggestion(suggestion.value, option["label"], suggestion.basis)
    return suggestion


def current_edition() -> LkeEdition | None:
    return LkeEdition.objects.filter(is_current=True).order_by("code").first()


def open_worksheet(*, unit: Unit, period: Period, actor, edition: LkeEdition | None = None) -> tuple:
    """The worksheet of `unit` and `period` under `edition` (the current one by default): the existing one when
    it is there, else a new one with its suggestions computed. Returns (worksheet, created)."""
    edition = edition or current_edition()
    if edition is None:
        raise LookupError("no current LKE edition")
    with transaction.atomic():
        worksheet, created = LkeWorksheet.objects.get_or_create(
            edition=edition,
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            defaults={"created_by": actor},
        )
    if created:
        recompute(worksheet)
    return worksheet, created


def _snapshot(answer: LkeAnswer) -> dict:
    value = answer.suggested_value
    return {"value": None if value is None else str(value.normalize()), "label": answer.suggested_label}


def recompute(worksheet: LkeWorksheet, *, today: dt.date | None = None) -> int:
    """Compute every suggestion again from the data, keeping the confirmed answers (each remembers the suggestion
    it was confirmed against, so the page marks those whose suggestion has since changed). Returns how many
    suggestions changed.

    Under the worksheet's row lock, like answer_question: a confirmation made while the suggestions are being
    recomputed waits, instead of being written over by a row read before it. Only the suggestion's fields are
    written, and only for answers whose suggestion changed (each save is a history row)."""
    ws = WorksheetScope.of(worksheet, today)
    questions = list(worksheet.edition.questions.all())
    suggestions = {question.pk: suggest(question, ws) for question in questions}
    changed = 0
    now = timezone.now()
    with transaction.atomic():
        LkeWorksheet.objects.select_for_update().filter(pk=worksheet.pk).first()
        answers = {answer.question_id: answer for answer in worksheet.answers.all()}
        for question in questions:
            suggestion = suggestions[question.pk]
            answer = answers.get(question.pk) or LkeAnswer(worksheet=worksheet, question=question)
            before = (_snapshot(answer), (answer.basis or {}).get("counts")) if answer.pk else None
            kept = (answer.basis or {}).get("confirmed_suggestion")
            if suggestion is None:
                answer.suggested_value, answer.suggested_label, answer.basis = None, "", {}
            else:
                answer.suggested_value, answer.suggested_label = suggestion.value, suggestion.label
                answer.basis = dict(suggestion.basis)
                answer.suggested_at = now
            if kept is not None:
                answer.basis["confirmed_suggestion"] = kept
            if before is None:
                answer.save()
                continue
            if before[0] != _snapshot(answer):
                changed += 1
            elif before[1] == answer.basis.get("counts"):
                continue  # nothing new: no write, no history row
            answer.save(update_fields=["suggested_value", "suggested_label", "basis", "suggested_at"])
    return changed


class AnswerRefused(ValueError):
    """The answer cannot be recorded; the message is for the inspector."""


def _option_label(question: LkeQuestion, value: Decimal) -> str | None:
    for option in question.options:
        if Decimal(str(option["value"])) == value:
            return option["label"]
    return None


def answer_question(*, answer: LkeAnswer, actor, confirm: bool, value: Decimal | None = None, note: str = "") -> None:
    """Confirm the suggestion, or answer with `value` (an option's value, or a percentage 0–100). An answer that
    differs from a suggestion is an override and needs a note saying why (the LKE evaluator asks)."""
    question, note = answer.question, (note or "").strip()
    with transaction.atomic():
        # The worksheet's row lock orders this after a recompute running now (recompute's docstring), and the
        # answer is read again under it: the suggestion confirmed is the one stored, not the one on the page.
        LkeWorksheet.objects.select_for_update().filter(pk=answer.worksheet_id).first()
        answer.refresh_from_db()
        if confirm:
            if answer.suggested_value is None:
                raise AnswerRefused(_("Pertanyaan ini tidak memiliki saran untuk dikonfirmasi; pilih jawaban."))
            value, label = answer.suggested_value, answer.suggested_label
            # A question edited in Pengaturan after its rule was set (a percentage rule on a question with
            # options, or the other way round) must not put a value the score cannot read.
            fits = (
                _option_label(question, value) is not None if question.options else Decimal(0) <= value <= Decimal(100)
            )
            if not fits:
                raise AnswerRefused(_("Saran ini tidak cocok dengan pilihan pertanyaan; pilih jawaban sendiri."))
        else:
            if value is None:
                raise AnswerRefused(_("Pilih jawaban."))
            if question.options:
                label = _option_label(question, value)
                if label is None:
                    raise AnswerRefused(_("Jawaban tidak ada pada pilihan pertanyaan ini."))
            else:
                if not Decimal(0) <= value <= Decimal(100):
                    raise AnswerRefused(_("Persentase harus antara 0 dan 100."))
                value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                label = f"{value.normalize():f}%"
            overrides = answer.suggested_value is not None and value != answer.suggested_value
            if overrides and not note:
                raise AnswerRefused(_("Jawaban berbeda dari saran: tuliskan catatan alasannya."))
        answer.value, answer.label, answer.note = value, label, note
        answer.confirmed_by, answer.confirmed_at = actor, timezone.now()
        answer.basis = {**(answer.basis or {}), "confirmed_suggestion": _snapshot(answer)}
        answer.save(update_fields=["value", "label", "note", "confirmed_by", "confirmed_at", "basis"])


def suggestion_changed(answer: LkeAnswer) -> bool:
    """Confirmed against a suggestion that has since changed (after "hitung ulang saran")."""
    kept = (answer.basis or {}).get("confirmed_suggestion")
    return answer.confirmed_at is not None and kept is not None and kept != _snapshot(answer)


# ---------------------------------------------------------------------------------------------------------
# Scores


def answer_score(answer: LkeAnswer) -> Decimal | None:
    """Option value × weight, or percentage ÷ 100 × weight (REFERENCE); None while unanswered (counted 0)."""
    if answer.value is None:
        return None
    value = answer.value if answer.question.options else answer.value / Decimal(100)
    return (value * answer.question.weight).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass
class Line:
    answer: LkeAnswer
    score: Decimal | None
    changed: bool
    # The basis (counts, links) is the inspectorate's alone for a WBS question: "< 3 reports" in a unit is
    # already too much for its head (evaluasi.access.protected_modules).
    basis_hidden: bool = False

    @property
    def question(self) -> LkeQuestion:
        return self.answer.question


@dataclass
class Indicator:
    section: str
    name: str
    lines: list[Line] = field(default_factory=list)

    @property
    def weight(self) -> Decimal:
        return sum((line.question.weight for line in self.lines), Decimal(0))

    @property
    def score(self) -> Decimal:
        return sum((line.score or Decimal(0) for line in self.lines), Decimal(0))


@dataclass
class Section:
    code: str
    label: str
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def weight(self) -> Decimal:
        return sum((indicator.weight for indicator in self.indicators), Decimal(0))

    @property
    def score(self) -> Decimal:
        return sum((indicator.score for indicator in self.indicators), Decimal(0))


@dataclass
class Sheet:
    worksheet: LkeWorksheet
    period: Period
    sections: list[Section]

    @property
    def lines(self) -> list[Line]:
        return [line for section in self.sections for indicator in section.indicators for line in indicator.lines]

    @property
    def weight(self) -> Decimal:
        return sum((section.weight for section in self.sections), Decimal(0))

    @property
    def score(self) -> Decimal:
        return sum((section.score for section in self.sections), Decimal(0))

    @property
    def unanswered(self) -> int:
        return sum(1 for line in self.lines if line.score is None)


def sheet(worksheet: LkeWorksheet, reader=None) -> Sheet:
    """The worksheet grouped by section and indicator (in question order) with each score: one query. For a
    reader other than the inspectorate the basis of a protected module's questions is left out."""
    hidden = set() if reader is None or access.is_inspector(reader) else set(access.protected_modules())
    answers = (
        worksheet.answers.select_related("question", "confirmed_by").order_by("question__order", "question__code").all()
    )
    sections: dict[str, Section] = {code: Section(code, str(label)) for code, label in LkeSection.choices}
    indicators: dict[tuple[str, str], Indicator] = {}
    for answer in answers:
        question = answer.question
        key = (question.section, question.indicator)
        if key not in indicators:
            indicators[key] = Indicator(question.section, question.indicator)
            sections[question.section].indicators.append(indicators[key])
        basis_hidden = question.code.split(".", 1)[0] in hidden or (answer.basis or {}).get("module") in hidden
        indicators[key].lines.append(Line(answer, answer_score(answer), suggestion_changed(answer), basis_hidden))
    return Sheet(worksheet, worksheet_period(worksheet), [s for s in sections.values() if s.indicators])


def readable_worksheets(user):
    """Every worksheet for the inspectorate; a unit head's units' (and below) for a unit head; none else."""
    allowed = access.statistics_unit_ids(user)
    worksheets = LkeWorksheet.objects.select_related("unit", "edition")
    if allowed is None:
        return worksheets
    return worksheets.filter(Q(unit_id__in=allowed))
