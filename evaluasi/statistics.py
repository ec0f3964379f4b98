"""The inspectorate's statistics over every case kind (DESIGN §6), per period and unit.

Every figure is counted over the cases *received* in the period (each kind says which date that is:
``KindStatistics.received_on``) in the chosen unit and the units below it. Each figure that is a number of
cases carries the filter of the cases behind it (``Figure.link``); ``cases_behind`` turns that filter back into
the queryset, so a figure and the list it links to are one definition and cannot disagree.

Per kind, whatever the number of cases: one query for the statuses, one per breakdown, one for the clocks, one
for the median handling time and one for overdue cases, plus the kind's own figures. A kind with
``min_cell`` (WBS) gets every count below the unit's total that is under it hidden, with a second cell hidden
where the hidden one could be worked out from the total (``suppress``).
"""

import datetime as dt
import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Aggregate, Count, Exists, F, FloatField, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import registry, workdays
from cases.models import DeadlineClock, Unit
from cases.registry import Figure, Group
from evaluasi import extensions
from evaluasi.periods import Period

DRAFT = "draft"


# ---------------------------------------------------------------------------------------------------------
# What a dashboard shows


@dataclass
class KindPanel:
    kind: registry.CaseKind
    received: Figure
    groups: list[Group] = field(default_factory=list)
    note: str = ""  # why figures are missing (WBS details only per year for the whole office)
    counted_at: dt.datetime | None = None  # set when the panel is a snapshot (evaluasi.snapshots), else live

    @property
    def min_cell(self) -> int:
        return self.kind.statistics.min_cell


@dataclass(frozen=True)
class Scope:
    """A period and the units it covers: ``unit`` and every unit below it; no unit: every unit."""

    period: Period
    unit: Unit | None = None
    unit_ids: tuple[int, ...] | None = None
    # False for a unit head: kinds with small-cell protection and inspectorate-only figures are left out.
    inspectorate: bool = True

    @classmethod
    def of(cls, period: Period, unit: Unit | None, *, inspectorate: bool = True) -> "Scope":
        return cls(period, unit, tuple(unit.descendant_ids()) if unit is not None else None, inspectorate)

    @property
    def whole_office(self) -> bool:
        """Every unit, or a unit at the top of the tree (the office itself)."""
        return self.unit is None or self.unit.parent_id is None

    def with_period(self, period: Period) -> "Scope":
        return replace(self, period=period)


def unit_by_code(code: str) -> Unit | None:
    """The unit a URL names, or None — also for what no unit code can be (a NUL byte PostgreSQL refuses in text,
    a code longer than the field), so a forged address is "unknown", never a server error."""
    if not code or "\x00" in code or len(code) > Unit._meta.get_field("code").max_length:
        return None
    return Unit.objects.filter(code=code).select_related("parent").first()


def stat_kinds(scope: "Scope | None" = None) -> list[registry.CaseKind]:
    """The kinds the statistics cover: every registered kind (one without its own figures still counts), but
    for a unit head not the kinds with small-cell protection: a head may be the person a WBS report is about,
    and "one report reached your unit this week" is already too much (DESIGN §3)."""
    kinds = registry.all_kinds()
    if scope is not None and not scope.inspectorate:
        kinds = [kind for kind in kinds if not kind.statistics.min_cell]
    return kinds


# ---------------------------------------------------------------------------------------------------------
# The cases of a scope, and the cases behind a figure


def _received_on(kind: registry.CaseKind) -> str:
    return kind.statistics.received_on


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def period_filter(kind: registry.CaseKind, start: dt.date, end: dt.date) -> Q:
    """Received from `start` to `end` (both included), in the office's time zone."""
    name = _received_on(kind)
    if kind.model._meta.get_field(name).get_internal_type() == "DateTimeField":
        return Q(**{f"{name}__gte": _day_start(start), f"{name}__lt": _day_start(end + dt.timedelta(days=1))})
    return Q(**{f"{name}__gte": start, f"{name}__lte": end})


def scope_cases(kind: registry.CaseKind, scope: Scope) -> QuerySet:
    """The kind's cases received in the scope's period in its units (drafts are never received)."""
    cases = kind.model.objects.exclude(status=DRAFT).filter(period_filter(kind, scope.period.start, scope.period.end))
    if scope.unit_ids is not None:
        cases = cases.filter(unit_id__in=scope.unit_ids)
    if not scope.inspectorate:
        # A status only the inspectorate reads (a complaint converted into a WBS report) is left out of the
        # population itself: hiding its cell alone would leave it as received minus the others.
        hidden = [
            code.removeprefix("status.") for code in kind.statistics.inspectorate_only if code.startswith("status.")
        ]
        if hidden:
            cases = cases.exclude(status__in=hidden)
    return cases


def _clock_q(code: str, state: str, today: dt.date) -> Q:
    """Clocks of `code` in a state: decided (met, or running past due), on_time, late, overdue (running past
    due now)."""
    return Q(code=code) & _clock_q_state(state, today)


LINK_KEYS = ("status", "final", "breakdown", "value", "clock", "state", "overdue", "filter")


def cases_behind(kind: registry.CaseKind, scope: Scope, link: dict, *, today: dt.date | None = None) -> QuerySet:
    """The cases a figure counts. ``link`` is what ``Figure.link`` holds (or a URL's query, checked here): a
    status, the final states, a breakdown value, a clock state, overdue now, or a filter the kind names.
    Anything else is a ValueError (a forged address), never a silently wider list."""
    today = today or workdays.today()
    cases = scope_cases(kind, scope)
    if "status" in link:
        if link["status"] not in dict(kind.status_labels):
            raise ValueError("status")
        return cases.filter(status=link["status"])
    if "final" in link:
        if str(link["final"]) != "1":
            raise ValueError("final")
        return cases.filter(status__in=kind.final_states)
    if "breakdown" in link:
        breakdown = next((b for b in _breakdowns(kind) if b.code == link["breakdown"]), None)
        if breakdown is None:
            raise ValueError("breakdown")
        value = link.get("value", "")
        if value not in {str(code) for code, _label in _choices(kind, breakdown)}:
            raise ValueError("value")
        return cases.filter(**{breakdown.field: value})
    if "clock" in link:
        if link["clock"] not in {rule.code for rule in kind.clocks} or link.get("state") not in (
            "decided",
            "on_time",
            "late",
            "overdue",
        ):
            raise ValueError("clock")
        clocks = DeadlineClock.objects.filter(case=OuterRef("pk")).filter(_clock_q(link["clock"], link["state"], today))
        return cases.filter(Exists(clocks))
    if link.get("overdue"):
        return cases.exclude(status__in=kind.final_states).filter(due_date__lt=today)
    if "filter" in link:
        filters = kind.statistics.filters or {}
        if link["filter"] not in filters:
            raise ValueError("filter")
        return filters[link["filter"]](cases)
    if "all" in link:
        if str(link["all"]) != "1":
            raise ValueError("all")
        return cases
    raise ValueError("link")


# ---------------------------------------------------------------------------------------------------------
# Counting


def _breakdowns(kind: registry.CaseKind) -> tuple[registry.Breakdown, ...]:
    return kind.statistics.breakdowns


def _choices(kind: registry.CaseKind, breakdown: registry.Breakdown) -> list:
    return list(kind.model._meta.get_field(breakdown.field).choices or [])


class _Median(Aggregate):
    """percentile_cont(0.5) on PostgreSQL; elsewhere the caller takes the median in Python."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_days(cases: QuerySet, received_on: str = "submitted_at") -> float | None:
    """Median calendar days from receipt (the kind's received_on) to closing, over the closed cases of `cases`."""
    closed = cases.filter(closed_at__isnull=False, **{f"{received_on}__isnull": False})
    duration = F("closed_at") - F(received_on)
    if connection.vendor == "postgresql":
        from django.db.models.functions import Extract  # noqa: PLC0415 - only PostgreSQL reads an interval's epoch

        seconds = Extract(duration, "epoch", output_field=FloatField())
        result = closed.aggregate(median=_Median(seconds))["median"]
        return round(result / 86400, 1) if result is not None else None
    spans = [
        span.total_seconds()
        for span in closed.annotate(span=duration).values_list("span", flat=True).order_by().iterator(chunk_size=5000)
        if span is not None
    ]
    if not spans:
        return None
    return round(pystats.median(spans) / 86400, 1)


def _clock_rows(cases: QuerySet, today: dt.date) -> dict[str, dict]:
    """Per clock code: how many have a verdict, how many were met on time, how many run past due now."""
    return {
        row["code"]: row
        for row in DeadlineClock.objects.filter(case__in=cases.values("pk"))
        .values("code")
        .annotate(
            decided=Count("pk", filter=_clock_q_state("decided", today)),
            on_time=Count("pk", filter=_clock_q_state("on_time", today)),
            overdue=Count("pk", filter=_clock_q_state("overdue", today)),
        )
        .order_by()
    }


def _clock_q_state(state: str, today: dt.date) -> Q:
    """A clock's verdict: met (on time or late), running past its due date today (late already), or stopped
    unmet by the case's closing after its due date (it was late when it stopped). A clock stopped unmet on or
    before its due date, or paused, has no verdict: the case left that path before anything was owed."""
    met = Q(met_on__isnull=False)
    overdue = Q(met_on__isnull=True, stopped_on__isnull=True, paused_on__isnull=True, due_date__lt=today)
    stopped_late = Q(met_on__isnull=True, stopped_on__isnull=False, stopped_on__gt=F("due_date"))
    return {
        "decided": met | overdue | stopped_late,
        "on_time": met & Q(met_on__lte=F("due_date")),
        "late": (met & Q(met_on__gt=F("due_date"))) | overdue | stopped_late,
        "overdue": overdue,
    }[state]


def _clock_label(rule: registry.ClockRule) -> str:
    """The clock's name with its length, so "Lapor ke UPG" reads "Lapor ke UPG (10 HK)" on the dashboard: the
    share met means nothing without the length it was measured against."""
    if rule.length_label:
        length = str(rule.length_label)
    elif isinstance(rule.working_days, int) and rule.working_days:
        length = _("%(n)d HK") % {"n": rule.working_days}
    else:
        return str(rule.label)
    return _("%(label)s (%(length)s)") % {"label": rule.label, "length": length}


def _clock_figures(kind: registry.CaseKind, cases: QuerySet, today: dt.date) -> list[Figure]:
    rows = _clock_rows(cases, today)
    figures = []
    for rule in kind.clocks:
        row = rows.get(rule.code, {"decided": 0, "on_time": 0, "overdue": 0})
        figures.append(
            Figure(
                code=f"clock.{rule.code}",
                label=_clock_label(rule),
                value=row["on_time"],
                denominator=row["decided"],
                link={"clock": rule.code, "state": "on_time"},
                denominator_link={"clock": rule.code, "state": "decided"},
                note=str(rule.basis),
            )
        )
    return figures


def suppress(figures: list[Figure], min_cell: int, *, complementary: bool = True) -> list[Figure]:
    """Hide every count from 1 to `min_cell` - 1 (a zero alone says nothing about anyone). When the cells add up
    to a total shown elsewhere and exactly one is hidden, the smallest other cell is hidden too, so the hidden one
    cannot be worked out by subtraction. A share is hidden when its numerator or denominator is."""
    if not min_cell:
        return figures

    def small(number) -> bool:
        return number is not None and 0 < number < min_cell

    def exposes(figure: Figure) -> bool:
        if figure.unit:  # Rupiah, days, a score: not a number of people
            return False
        rest = figure.denominator - figure.value if figure.denominator is not None and figure.value is not None else 0
        # A share exposes its numerator, its denominator and what is left (3 of 4 on time: 1 late).
        return small(figure.value) or small(figure.denominator) or small(rest)

    hidden = [exposes(figure) for figure in figures]
    if complementary and sum(hidden) == 1:
        # The smallest other cell, a zero included: with 2 = "< 3" + 0 + 0 the zeros would give it away.
        candidates = [
            (figure.value, index)
            for index, figure in enumerate(figures)
            if not hidden[index] and figure.value is not None and figure.denominator is None
        ]
        if candidates:
            hidden[min(candidates)[1]] = True
    return [
        replace(figure, suppressed=True, link=None, denominator_link=None) if hide else figure
        for figure, hide in zip(figures, hidden, strict=True)
    ]


def _counts(kind: registry.CaseKind, cases: QuerySet, today: dt.date) -> tuple[Counter, dict[str, Counter], int]:
    """Statuses, every breakdown and the overdue count from one grouped query (status × breakdown values: a few
    hundred groups at most, summed here) instead of one scan of the period's cases each
    (benchmarks/results-evaluasi-dashboard-2026-12-02.md)."""
    breakdowns = _breakdowns(kind)
    overdue_now = Q(due_date__lt=today) & ~Q(status__in=kind.final_states)
    statuses: Counter = Counter()
    per_breakdown = {breakdown.code: Counter() for breakdown in breakdowns}
    overdue = 0
    rows = (
        cases.values_list("status", *[breakdown.field for breakdown in breakdowns])
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue_now))
        .order_by()
    )
    for status, *values, n, late in rows:
        statuses[status] += n
        for breakdown, value in zip(breakdowns, values, strict=True):
            per_breakdown[breakdown.code][value] += n
        overdue += late
    return statuses, per_breakdown, overdue


def kind_panel(kind: registry.CaseKind, scope: Scope, *, today: dt.date | None = None) -> KindPanel:
    """Everything the dashboard shows for one kind in one scope.

    A kind with ``min_cell`` (WBS) shows, below the whole office or for a period other than a year, only the
    number received (hidden when small): a breakdown by status or category of a month, a custom range or a
    sub-unit could be subtracted from the year's or the office's to single out a report. For the whole office
    and a year it shows statuses, categories, overdue and the clocks with small cells hidden; never a median
    (a median of one closed report is that report's handling time) and never "closed" beside the statuses
    (the sum of the final statuses would give a hidden one away)."""
    today = today or workdays.today()
    cases = scope_cases(kind, scope)
    statuses, per_breakdown, overdue = _counts(kind, cases, today)
    received = sum(statuses.values())
    min_cell = kind.statistics.min_cell
    received_figure = Figure("received", _("Diterima"), received, link={"all": 1})
    if min_cell and not scope.whole_office:
        received_figure = suppress([received_figure], min_cell)[0]
    panel = KindPanel(kind=kind, received=received_figure)
    if min_cell and not (scope.whole_office and scope.period.kind == "year"):
        panel.note = _(
            "Rincian %(kind)s hanya ditampilkan per tahun untuk seluruh kantor, agar tidak ada angka yang dapat "
            "menunjuk pelapor."
        ) % {"kind": kind.label}
        return panel

    handling = [Figure("overdue", _("Melewati batas waktu saat ini"), overdue, link={"overdue": 1})]
    if not min_cell:
        closed = sum(statuses.get(code, 0) for code in kind.final_states)
        handling[:0] = [
            Figure(
                "closed",
                _("Selesai / ditutup"),
                closed,
                denominator=received,
                link={"final": 1},
                denominator_link={"all": 1},
            )
        ]
        handling.append(
            Figure(
                "median_days",
                _("Median lama penanganan (hari kalender)"),
                median_days(cases, _received_on(kind)),
                unit="days",
            )
        )
    panel.groups.append(Group("handling", _("Penanganan"), suppress(handling, min_cell, complementary=False)))
    status_figures = [
        Figure(f"status.{code}", str(label), statuses.get(code, 0), link={"status": code})
        for code, label in kind.status_labels
        if code != DRAFT
    ]
    panel.groups.append(Group("status", _("Menurut status"), suppress(status_figures, min_cell), chart=True))
    for breakdown in _breakdowns(kind):
        counts = per_breakdown[breakdown.code]
        figures = [
            Figure(
                f"{breakdown.code}.{code}",
                str(label),
                counts.get(code, 0),
                link={"breakdown": breakdown.code, "value": str(code)},
            )
            for code, label in _choices(kind, breakdown)
        ]
        panel.groups.append(Group(breakdown.code, str(breakdown.label), suppress(figures, min_cell), chart=True))
    if kind.clocks:
        panel.groups.append(
            Group(
                "clocks",
                _("Tepat waktu per tenggat"),
                suppress(_clock_figures(kind, cases, today), min_cell, complementary=False),
            )
        )
    if kind.statistics.figures:
        for group in kind.statistics.figures(cases, scope):
            panel.groups.append(replace(group, figures=suppress(group.figures, min_cell, complementary=False)))
    if not scope.inspectorate and kind.statistics.inspectorate_only:
        hidden = set(kind.statistics.inspectorate_only)
        panel.groups = [
            replace(group, figures=[figure for figure in group.figures if figure.code not in hidden])
            for group in panel.groups
        ]
    return panel


def dashboard(scope: Scope, *, kinds: list[registry.CaseKind] | None = None, today: dt.date | None = None):
    """One panel per kind."""
    return [kind_panel(kind, scope, today=today) for kind in (kinds or stat_kinds(scope))]


# ---------------------------------------------------------------------------------------------------------
# Trends and comparisons


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[str, int | None]]  # (period label, count or None when hidden)


def trend(kind: registry.CaseKind, scope: Scope, *, count: int = 12) -> tuple[list[Period], list[Series]]:
    """Received and closed per period, for the `count` periods ending with the scope's: two queries. A kind
    with small-cell protection (WBS) is drawn per year only, the last five: months or quarters beside the year
    would let a hidden one be found by subtraction."""
    if kind.statistics.min_cell:
        periods = Period.year(scope.period.end.year).series(min(count, 5))
    else:
        periods = scope.period.series(count)
    base = kind.model.objects.exclude(status=DRAFT)
    if scope.unit_ids is not None:
        base = base.filter(unit_id__in=scope.unit_ids)
    span = period_filter(kind, periods[0].start, periods[-1].end)
    received = base.filter(span).aggregate(
        **{f"p{i}": Count("pk", filter=period_filter(kind, p.start, p.end)) for i, p in enumerate(periods)}
    )
    closed_at = {
        f"p{i}": Count(
            "pk",
            filter=Q(closed_at__gte=_day_start(p.start), closed_at__lt=_day_start(p.end + dt.timedelta(days=1))),
        )
        for i, p in enumerate(periods)
    }
    closed = base.filter(
        closed_at__gte=_day_start(periods[0].start), closed_at__lt=_day_start(periods[-1].end + dt.timedelta(days=1))
    ).aggregate(**closed_at)
    min_cell = kind.statistics.min_cell

    def points(counts: dict) -> list[tuple[str, int | None]]:
        return [
            (p.short_label, None if min_cell and 0 < counts[f"p{i}"] < min_cell else counts[f"p{i}"])
            for i, p in enumerate(periods)
        ]

    # "Closed in the period" counts older cases closed then too, unlike the panel's "Selesai / ditutup" (cases
    # received in the period that are closed now): the label says which.
    return periods, [Series(_("Diterima"), points(received)), Series(_("Ditutup pada periode"), points(closed))]


def compare_units(kind: registry.CaseKind, scope: Scope) -> list[tuple[Unit, int | None]]:
    """Received per unit directly below the scope's unit (each with its own sub-units), or per top unit when
    the scope is every unit: one query, rolled up over the (small) unit tree in Python. The scope's unit comes
    first with the cases filed on it directly, so the bars add up to the total."""
    units = list(Unit.objects.filter(parent=scope.unit) if scope.unit is not None else Unit.objects.filter(parent=None))
    parent_of = dict(Unit.objects.values_list("pk", "parent_id"))
    top = {unit.pk for unit in units}

    def branch(unit_id):
        seen = set()
        while unit_id is not None and unit_id not in top and unit_id not in seen:
            seen.add(unit_id)
            unit_id = parent_of.get(unit_id)
        return unit_id if unit_id in top else None

    counts: dict[int, int] = {}
    for unit_id, n in scope_cases(kind, scope).values_list("unit_id").annotate(n=Count("pk")).order_by():
        key = branch(unit_id)
        if key is None and scope.unit is not None:
            key = scope.unit.pk  # filed on the scope's unit itself (a WBS report naming no unit goes to the top)
        if key is not None:
            counts[key] = counts.get(key, 0) + n
    if scope.unit is not None:
        units.insert(0, scope.unit)
    min_cell = kind.statistics.min_cell
    # The units add up to (nearly always exactly) the scope's total, which the dashboard shows: hide the
    # complementary cell too, or a single hidden unit is the total minus the others (suppress, above).
    cells = suppress([Figure(str(unit.pk), "", counts.get(unit.pk, 0)) for unit in units], min_cell)
    return [(unit, None if cell.suppressed else cell.value) for unit, cell in zip(units, cells, strict=True)]


# ---------------------------------------------------------------------------------------------------------
# Follow-up of recommendations


def follow_up(scope: Scope, *, module: str | None = None) -> Group:
    """ "Persentase tindak lanjut": the recommendations issued in the period (on cases of the scope's units and on
    their evaluations) by status; the share is sesuai/selesai over all (REFERENCE, BPK practice). One query."""
    from evaluasi.models import FollowUp, Recommendation  # noqa: PLC0415 - models import this module's callers

    recommendations = Recommendation.objects.filter(issued_on__gte=scope.period.start, issued_on__lte=scope.period.end)
    if scope.unit_ids is not None:
        recommendations = recommendations.filter(unit_id__in=scope.unit_ids)
    if module:
        # A survey's recommendation has neither a case nor an evaluation: its module ("survei") is registered
        # with its own condition (evaluasi.extensions).
        recommendations = recommendations.filter(extensions.module_condition(module))
    if not scope.inspectorate:
        # A recommendation on a WBS case or of a WBS evaluation says a report exists and where: not for a unit
        # head (evaluasi.selectors.recommendation_list leaves the same out).
        protected = [kind.code for kind in registry.all_kinds() if kind.statistics.min_cell]
        recommendations = recommendations.exclude(Q(case__kind__in=protected) | Q(evaluation__module__in=protected))
    counts = dict(recommendations.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    figures = [
        Figure(
            "follow_up.percent",
            _("Persentase tindak lanjut (sesuai ÷ seluruh rekomendasi)"),
            counts.get(FollowUp.SELESAI, 0),
            denominator=total,
            link={"status": FollowUp.SELESAI},
            denominator_link={},
        )
    ]
    figures += [
        Figure(f"follow_up.{code}", str(label), counts.get(code, 0), link={"status": code})
        for code, label in FollowUp.choices
    ]
    return Group("follow_up", _("Tindak lanjut rekomendasi"), figures, chart=True)
