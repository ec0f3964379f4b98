"""Reads of benturan kepentingan that several places need (pages, exports, statistics, benchmarks)."""

import datetime as dt
from dataclasses import dataclass
from statistics import median

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from benturan import access
from benturan.models import (
    Declaration,
    InterestStatement,
    MainFunction,
    MapStatus,
    Outcome,
    RiskMap,
    RiskMapEntry,
    Source,
    StatementCampaign,
)
from cases import workdays
from cases.models import DeadlineClock, Unit
from evaluasi.models import OPEN_FOLLOW_UP, Evaluation, FollowUp, Recommendation

# --- Campaigns and statements


def campaign_unit_ids(campaign: StatementCampaign) -> list[int]:
    """The campaign's unit and every unit below it, walked once per campaign object (a page asks several times)."""
    cached = getattr(campaign, "_unit_ids", None)
    if cached is None or cached[0] != campaign.unit_id:
        cached = campaign._unit_ids = (campaign.unit_id, campaign.unit.descendant_ids())
    return cached[1]


def campaign_population(campaign: StatementCampaign) -> QuerySet:
    """Who must file in `campaign`: active employees of its unit and the units below, or only those whose
    profile position is one of the listed positions (compared without regard to case or surrounding spaces)."""
    users = get_user_model().objects.filter(is_active=True, profile__unit_id__in=campaign_unit_ids(campaign))
    positions = [position.lower() for position in campaign.position_list()]
    if campaign.population == "positions":
        users = users.annotate(position_lower=Lower(Trim("profile__position"))).filter(position_lower__in=positions)
    return users


def _statements(campaign: StatementCampaign) -> QuerySet:
    return InterestStatement.objects.filter(campaign=campaign)


def _filed_ids(campaign: StatementCampaign) -> QuerySet:
    """Who has filed in the campaign, as an uncorrelated `IN (…)`: PostgreSQL hashes it once (a hashed SubPlan)
    instead of looking each person up, which is what keeps the counts near a hand-written join."""
    return _statements(campaign).values("employee_id")


def _declared_ids(campaign: StatementCampaign) -> QuerySet:
    """Whose latest statement in the campaign declares an interest. "Latest in the campaign", not "not
    superseded": a statement filed in next year's campaign supersedes this one in the employee's history and must
    not change this campaign's figures after the fact; a correction that withdraws an interest is the truth now."""
    later = (
        _statements(campaign)
        .filter(employee_id=OuterRef("employee_id"))
        .filter(Q(filed_at__gt=OuterRef("filed_at")) | Q(filed_at=OuterRef("filed_at"), pk__gt=OuterRef("pk")))
    )
    return _statements(campaign).filter(has_interests=True).exclude(Exists(later)).values("employee_id")


def population_with_status(campaign: StatementCampaign) -> QuerySet:
    """The population annotated with `has_filed`, `declared_interest` (their latest statement in the campaign
    declares an interest) and `filed_at` (when that latest statement was filed, or None)."""
    latest_filed_at = (
        _statements(campaign).filter(employee=OuterRef("pk")).order_by("-filed_at", "-pk").values("filed_at")[:1]
    )
    return campaign_population(campaign).annotate(
        has_filed=ExpressionWrapper(Q(pk__in=_filed_ids(campaign)), output_field=BooleanField()),
        declared_interest=ExpressionWrapper(Q(pk__in=_declared_ids(campaign)), output_field=BooleanField()),
        filed_at=Subquery(latest_filed_at),
    )


@dataclass
class CoverageRow:
    unit: Unit
    population: int
    filed: int
    declared: int

    @property
    def not_filed(self) -> int:
        return self.population - self.filed

    @property
    def percent(self) -> float:
        return round(100 * self.filed / self.population, 1) if self.population else 0.0


def campaign_coverage(campaign: StatementCampaign, unit_ids: set[int] | None = None) -> list[CoverageRow]:
    """Per unit: how many must file, how many have, how many declared an interest. One grouped query; `unit_ids`
    limits it to the units the reader may see (benturan.access.coverage_unit_ids)."""
    people = campaign_population(campaign)
    if unit_ids is not None:
        people = people.filter(profile__unit_id__in=unit_ids)
    counts = (
        people.values("profile__unit_id")
        .annotate(
            population=Count("pk"),
            filed=Count("pk", filter=Q(pk__in=_filed_ids(campaign))),
            declared=Count("pk", filter=Q(pk__in=_declared_ids(campaign))),
        )
        .order_by()
    )
    units = Unit.objects.in_bulk([row["profile__unit_id"] for row in counts])
    rows = [
        CoverageRow(units[row["profile__unit_id"]], row["population"], row["filed"], row["declared"]) for row in counts
    ]
    return sorted(rows, key=lambda row: row.unit.code)


def coverage_totals(rows: list[CoverageRow]) -> CoverageRow | None:
    if not rows:
        return None
    return CoverageRow(
        Unit(code="", name=""),
        sum(row.population for row in rows),
        sum(row.filed for row in rows),
        sum(row.declared for row in rows),
    )


def campaign_includes(campaign: StatementCampaign, employee) -> bool:
    return campaign_population(campaign).filter(pk=employee.pk).exists()


def open_campaigns_for(employee, today) -> list[StatementCampaign]:
    """The campaigns open on `today` whose population includes `employee`, each with `my_statement` (their
    latest statement in it, or None) and `days_left` (calendar days to the closing date)."""
    found = []
    campaigns = StatementCampaign.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("unit")
    for campaign in campaigns.order_by("closes_on", "pk"):
        if not campaign_includes(campaign, employee):
            continue
        campaign.my_statement = (
            InterestStatement.objects.filter(campaign=campaign, employee=employee).order_by("-filed_at", "-pk").first()
        )
        campaign.days_left = (campaign.closes_on - today).days
        found.append(campaign)
    return found


def current_statement(employee) -> InterestStatement | None:
    """The employee's statement in force: the latest one, which no later one supersedes."""
    return (
        InterestStatement.objects.filter(employee=employee, superseded_by__isnull=True)
        .select_related("campaign", "unit")
        .order_by("-filed_at", "-pk")
        .first()
    )


def statement_history(employee) -> QuerySet:
    return (
        InterestStatement.objects.filter(employee=employee)
        .select_related("campaign", "unit")
        .annotate(interest_count=Count("interests"))
        .order_by("-filed_at", "-pk")
    )


def campaign_people(campaign: StatementCampaign, unit_ids: set[int] | None = None, status: str = "") -> QuerySet:
    """The population of `campaign` with their filing status, for the list under the coverage table: `status`
    "belum" (not filed), "sudah" (filed), "kepentingan" (declared an interest), or anything else for all."""
    people = population_with_status(campaign).select_related("profile__unit")
    if unit_ids is not None:
        people = people.filter(profile__unit_id__in=unit_ids)
    if status == "belum":
        people = people.exclude(pk__in=_filed_ids(campaign))
    elif status == "sudah":
        people = people.filter(pk__in=_filed_ids(campaign))
    elif status == "kepentingan":
        people = people.filter(pk__in=_declared_ids(campaign))
    return people.order_by("profile__unit__code", "first_name", "last_name", "username")


def flagged_for_supervisor(user) -> QuerySet:
    """Subordinates' statements in force that touch their position on the risk map: the supervisor's to act on
    (the notification links to one; this lists them all)."""
    return (
        InterestStatement.objects.filter(
            employee__profile__supervisor=user, employee__is_active=True, flagged=True, superseded_by__isnull=True
        )
        .select_related("employee", "campaign")
        .order_by("-filed_at", "-pk")
    )


def recent_twin(employee, subject: str, declaration=None):
    """The employee's declaration about the same matter (same subject, ignoring case and spaces) submitted in the
    last 24 hours, if any: the same declaration sent again, most likely (the Back button)."""
    since = timezone.now() - dt.timedelta(hours=24)
    subject = " ".join(subject.split())
    twins = Declaration.objects.filter(reporter=employee, submitted_at__gte=since, subject__iexact=subject)
    if declaration is not None:
        twins = twins.exclude(pk=declaration.pk)
    return twins.exclude(status="draft").order_by("-submitted_at").first()


# --- Statistics


def statistics_units(user) -> set[int] | None:
    """The units whose figures `user` may read: all (None) for the inspectorate, the units they head (with the
    units below) for a unit head, nothing (an empty set) for anyone else."""

    if access.is_inspector(user):
        return None
    return access.headed_unit_ids(user)


def _percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


@dataclass
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return _percent(self.numerator, self.denominator)


def declaration_statistics(*, units: set[int] | None, start, end, today=None) -> dict:
    """Declarations received in [start, end] (the day the 7 HK "decision" clock started: submitted, or opened by
    the supervisor) in `units` (None: every unit): by outcome and source, decided inside the 7 HK (clock met on
    or before its due date), decided late, undecided and overdue today, and the median calendar days from
    receipt to decision. Grouped queries; the median reads one column of the decided ones."""

    today = today or workdays.today()
    clocks = DeadlineClock.objects.filter(case_id=OuterRef("pk"), code="decision")
    received = DeadlineClock.objects.filter(code="decision", start_date__gte=start, start_date__lte=end)
    declarations = Declaration.objects.filter(pk__in=received.values("case_id"))
    if units is not None:
        declarations = declarations.filter(unit_id__in=units)
    timed = declarations.annotate(
        received_on=Subquery(clocks.values("start_date")[:1]),
        due=Subquery(clocks.values("due_date")[:1]),
        met=Subquery(clocks.values("met_on")[:1]),
    )
    totals = timed.aggregate(
        received=Count("pk"),
        decided=Count("pk", filter=Q(met__isnull=False)),
        in_time=Count("pk", filter=Q(met__isnull=False, met__lte=F("due"))),
        late=Count("pk", filter=Q(met__isnull=False, met__gt=F("due"))),
        undecided=Count("pk", filter=Q(met__isnull=True)),
        overdue=Count("pk", filter=Q(met__isnull=True, due__lt=today)),
    )
    by_outcome = dict(declarations.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")).order_by())
    by_source = dict(declarations.values_list("source").annotate(n=Count("pk")).order_by())
    days = [(met - got).days for got, met in timed.filter(met__isnull=False).values_list("received_on", "met")]
    return {
        **totals,
        "in_time_ratio": Ratio(totals["in_time"], totals["decided"]),
        "per_outcome": [(code, label, by_outcome.get(code, 0)) for code, label in Outcome.choices],
        "per_source": [(code, label, by_source.get(code, 0)) for code, label in Source.choices],
        "median_days": median(days) if days else None,
    }


# Benturan's evaluations in evaluasi's register (evaluasi.models.Evaluation.module).
MODULE = "benturan"


def evaluation_statistics(*, units: set[int] | None, start, end, today=None) -> dict:
    """Evaluations held in [start, end] in `units` (LKE benturan d: "berkala" when at least two were held in a
    calendar year of the period), and the follow-up of their units' recommendations (LKE benturan e): of the
    recommendations due by the end of the period (or today, if earlier), how many are done (selesai).

    Read from evaluasi's register, module "benturan" (the evaluations moved there in issue 12)."""

    today = today or workdays.today()
    evaluations = Evaluation.objects.filter(module=MODULE, held_on__gte=start, held_on__lte=end)
    recommendations = Recommendation.objects.filter(evaluation__module=MODULE, due_on__lte=min(end, today))
    if units is not None:
        evaluations = evaluations.filter(unit_id__in=units)
        recommendations = recommendations.filter(evaluation__unit_id__in=units)
    per_year = dict(evaluations.values_list("held_on__year").annotate(n=Count("pk")).order_by())
    by_status = dict(recommendations.values_list("status").annotate(n=Count("pk")).order_by())
    due = sum(by_status.values())
    late = recommendations.filter(status__in=OPEN_FOLLOW_UP, due_on__lt=today).count()
    # Open work not yet due: not part of the ratio, but not to be hidden behind "0 / 0" either.
    not_due = Recommendation.objects.filter(
        due_on__gt=min(end, today), status__in=OPEN_FOLLOW_UP, evaluation__in=evaluations
    ).count()
    return {
        "not_due": not_due,
        "held": sum(per_year.values()),
        "per_year": sorted(per_year.items()),
        # The rule used for "berkala": at least two evaluations in every calendar year of the period.
        "periodic": bool(per_year) and all(per_year.get(year, 0) >= 2 for year in range(start.year, end.year + 1)),
        "follow_up": Ratio(by_status.get(FollowUp.SELESAI, 0), due),
        "per_status": [(code, label, by_status.get(code, 0)) for code, label in FollowUp.choices],
        "late": late,
    }


def statement_statistics(*, units: set[int] | None, start, end) -> dict:
    """Statement coverage of the campaigns of the period's years that reach `units`: one grouped query per
    campaign (campaign_coverage), added up; and the campaigns opened (their notice is the socialisation)."""
    campaigns = list(StatementCampaign.objects.filter(year__gte=start.year, year__lte=end.year).select_related("unit"))
    rows, opened = [], 0
    for campaign in campaigns:
        reach = set(campaign.unit.descendant_ids())
        visible = reach if units is None else reach & set(units)
        if not visible:
            continue
        opened += 1
        rows.extend(campaign_coverage(campaign, visible))
    totals = coverage_totals(rows)
    return {
        "campaigns": opened,
        "population": totals.population if totals else 0,
        "filed": totals.filed if totals else 0,
        "declared": totals.declared if totals else 0,
        "coverage": Ratio(totals.filed if totals else 0, totals.population if totals else 0),
    }


def map_statistics(*, unit_ids: set[int] | None, year: int) -> dict:
    """The risk maps' coverage of the main functions of every unit in scope (`unit_ids`, None: all), each unit on
    its latest approved map of `year`: per unit, and together — the LKE (a) answer for the scope is counted over
    all their functions, so a sub-unit without a map lowers it instead of being left out."""
    # Three grouped queries whatever the number of units (a ministry has hundreds), not map_coverage per unit:
    # active functions per unit, the latest approved map per unit, the functions each of those maps covers.
    functions = MainFunction.objects.filter(is_active=True, unit__is_active=True)
    if unit_ids is not None:
        functions = functions.filter(unit_id__in=unit_ids)
    totals = dict(functions.values_list("unit_id").annotate(n=Count("pk")).order_by())
    latest = {}
    approved = RiskMap.objects.filter(unit_id__in=totals, year=year, status=MapStatus.APPROVED).order_by("version")
    for risk_map in approved:
        latest[risk_map.unit_id] = risk_map  # ordered by version: the last one stays
    covered = dict(
        functions.filter(entries__risk_map__in=latest.values())
        .values_list("unit_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    units = Unit.objects.in_bulk(totals)
    rows = [
        {
            "unit": units[unit_id],
            "risk_map": latest.get(unit_id),
            "mapped_count": covered.get(unit_id, 0),
            "total": total,
        }
        for unit_id, total in sorted(totals.items(), key=lambda item: units[item[0]].code)
    ]
    mapped, total = sum(row["mapped_count"] for row in rows), sum(row["total"] for row in rows)
    answer = lke_answer(mapped, total, approved=any(row["risk_map"] for row in rows))
    return {
        "rows": rows,
        "mapped_count": mapped,
        "total": total,
        "percent": (mapped * 100 // total) if total else 0,
        "answer": answer,
        "answer_label": LKE_ANSWERS[answer],
    }


def figures(*, start, end, unit=None, allowed: set[int] | None) -> dict:
    """Every figure of the statistics page and its export, for the period and unit chosen (`unit` None: every
    unit the reader may see, `allowed`; None there means all)."""
    if unit is not None:
        unit_ids = set(unit.descendant_ids())
        if allowed is not None:
            unit_ids &= allowed
    else:
        unit_ids = allowed  # None: every unit
    declarations = declaration_statistics(units=unit_ids, start=start, end=end)
    evaluations = evaluation_statistics(units=unit_ids, start=start, end=end)
    statements = statement_statistics(units=unit_ids, start=start, end=end)
    risk_map = map_statistics(unit_ids=unit_ids, year=end.year)
    stats = {
        "start": start,
        "end": end,
        "unit": unit,
        "scope_label": gettext("Semua unit") if allowed is None else gettext("Semua unit yang Anda pimpin"),
        "declarations": declarations,
        "evaluations": evaluations,
        "statements": statements,
        "map": risk_map,
    }
    stats["rows"] = statistics_rows(stats)
    return stats


def statistics_rows(stats: dict) -> list[list]:
    """The figures as rows (section, indicator, count, out of, note), for the export."""
    declarations, evaluations, statements = stats["declarations"], stats["evaluations"], stats["statements"]
    section = gettext("Deklarasi")
    rows = [
        [section, gettext("Deklarasi diterima"), declarations["received"], None, ""],
        [
            section,
            gettext("Diputuskan dalam 7 hari kerja"),
            declarations["in_time"],
            declarations["decided"],
            "",
        ],
        [section, gettext("Diputuskan terlambat"), declarations["late"], declarations["decided"], ""],
        [section, gettext("Belum diputuskan"), declarations["undecided"], None, ""],
        [section, gettext("Belum diputuskan dan lewat tenggat hari ini"), declarations["overdue"], None, ""],
        [
            section,
            gettext("Median hari kalender sampai keputusan"),
            None,
            None,
            "–" if declarations["median_days"] is None else str(declarations["median_days"]),
        ],
    ]
    rows += [[gettext("Keputusan"), label, count, None, ""] for _code, label, count in declarations["per_outcome"]]
    rows += [[gettext("Sumber"), label, count, None, ""] for _code, label, count in declarations["per_source"]]
    rows += [
        [gettext("Pernyataan"), gettext("Kampanye pernyataan dibuka"), statements["campaigns"], None, ""],
        [
            gettext("Pernyataan"),
            gettext("Pegawai yang sudah menyampaikan pernyataan"),
            statements["filed"],
            statements["population"],
            "",
        ],
        [gettext("Evaluasi"), gettext("Evaluasi dilaksanakan"), evaluations["held"], None, ""],
        [
            gettext("Evaluasi"),
            gettext("Rekomendasi selesai ditindaklanjuti"),
            evaluations["follow_up"].numerator,
            evaluations["follow_up"].denominator,
            "",
        ],
    ]
    risk_map = stats["map"]
    if risk_map["total"]:
        rows.append(
            [
                gettext("Peta risiko"),
                gettext("Tugas/fungsi utama yang dipetakan"),
                risk_map["mapped_count"],
                risk_map["total"],
                str(risk_map["answer_label"]),
            ]
        )
    return rows


# --- Risk map

# LKE Penguatan Pengawasan, benturan kepentingan (a): "Telah terdapat identifikasi/pemetaan benturan kepentingan
# dalam tugas fungsi utama" — answered from the share of the unit's main functions that the approved map covers.
LKE_ANSWERS = {
    "semua": _("Semua"),
    "sebagian_besar": _("Sebagian besar"),
    "sebagian_kecil": _("Sebagian kecil"),
    "belum": _("Belum ada"),
}


def lke_answer(mapped: int, total: int, approved: bool = True) -> str:
    """The LKE answer for `mapped` of `total` functions: semua at 100 %, sebagian besar from 50 %, sebagian kecil
    above 0, belum at 0 or without an approved map (a draft is not yet the unit's identification)."""
    if not approved or total == 0 or mapped == 0:
        return "belum"
    if mapped >= total:
        return "semua"
    if mapped * 2 >= total:
        return "sebagian_besar"
    return "sebagian_kecil"


def latest_approved_map(*, unit: Unit, year: int) -> RiskMap | None:
    return RiskMap.objects.filter(unit=unit, year=year, status=MapStatus.APPROVED).order_by("-version").first()


def map_coverage(*, unit: Unit, year: int) -> dict:
    """How far the unit's main functions are mapped in `year` (LKE benturan a), counted on the latest APPROVED
    version of the unit's map for that year (a draft does not count yet).

    Only active main functions count; a row of the map without a function maps nothing. Returns:

    - ``unit``, ``year``; ``risk_map``: the approved version counted, or None;
    - ``mapped``, ``unmapped``: lists of MainFunction;
    - ``total``, ``mapped_count``, ``unmapped_count``: ints;
    - ``percent``: int 0–100, rounded down (100 only when every function is mapped), 0 without functions;
    - ``answer``: "semua" | "sebagian_besar" | "sebagian_kecil" | "belum" (LKE_ANSWERS), ``answer_label``.
    """
    return _coverage(unit, year, latest_approved_map(unit=unit, year=year))


def version_coverage(risk_map: RiskMap) -> dict:
    """map_coverage's figures for one version, draft or not: what it covers (for a draft: would cover once
    approved). Its ``answer`` is what the LKE answer would be if this version were the approved one."""
    return _coverage(risk_map.unit, risk_map.year, risk_map, counted_as_approved=True)


def _coverage(unit: Unit, year: int, risk_map: RiskMap | None, counted_as_approved: bool = False) -> dict:
    functions = list(MainFunction.objects.filter(unit=unit, is_active=True).order_by("order", "name"))
    mapped_ids = set()
    if risk_map is not None:
        mapped_ids = set(
            risk_map.entries.filter(function__isnull=False).values_list("function_id", flat=True).distinct()
        )
    mapped = [function for function in functions if function.pk in mapped_ids]
    unmapped = [function for function in functions if function.pk not in mapped_ids]
    total = len(functions)
    answer = lke_answer(len(mapped), total, approved=counted_as_approved or risk_map is not None)
    return {
        "unit": unit,
        "year": year,
        "risk_map": risk_map,
        "mapped": mapped,
        "unmapped": unmapped,
        "total": total,
        "mapped_count": len(mapped),
        "unmapped_count": len(unmapped),
        "percent": (len(mapped) * 100 // total) if total else 0,
        "answer": answer,
        "answer_label": LKE_ANSWERS[answer],
    }


def readable_map_unit_ids(user) -> set[int] | None:
    """The units whose maps `user` may read (benturan.access.may_read_map): every unit (None) for the
    inspectorate; otherwise the units they head with those below, and their own unit with those above it."""
    if access.is_inspector(user):
        return None
    ids = set(access.headed_unit_ids(user))
    profile = getattr(user, "profile", None)
    unit = profile.unit if profile is not None else None
    while unit is not None and unit.pk not in ids:
        ids.add(unit.pk)
        unit = unit.parent
    return ids


def map_visible(user, risk_map: RiskMap) -> bool:
    """A preparer reads every version; an employee of the unit reads the approved ones (a draft is not yet
    the unit's document)."""
    if access.may_prepare_map(user, risk_map.unit):
        return True
    return risk_map.is_approved and access.may_read_map(user, risk_map.unit)


@dataclass
class MapYear:
    """One unit and year on the maps page: its versions, the current draft, the latest approved version."""

    unit: Unit
    year: int
    versions: list
    draft: RiskMap | None
    approved: RiskMap | None
    coverage: dict | None = None

    @property
    def latest(self) -> RiskMap:
        return self.versions[0]


def map_years(user) -> list[MapYear]:
    """Every unit and year with a map that `user` may read, newest year first, with its coverage."""
    maps = RiskMap.objects.select_related("unit", "approved_by").order_by("-year", "unit__code", "-version")
    unit_ids = readable_map_unit_ids(user)
    if unit_ids is not None:
        maps = maps.filter(unit_id__in=unit_ids)
    groups: dict[tuple[int, int], MapYear] = {}
    for risk_map in maps:
        if not map_visible(user, risk_map):
            continue
        key = (risk_map.unit_id, risk_map.year)
        group = groups.get(key)
        if group is None:
            group = groups[key] = MapYear(
                unit=risk_map.unit, year=risk_map.year, versions=[], draft=None, approved=None
            )
        group.versions.append(risk_map)
        if risk_map.status == MapStatus.DRAFT:
            group.draft = risk_map
        elif group.approved is None:
            group.approved = risk_map
    for group in groups.values():
        group.coverage = map_coverage(unit=group.unit, year=group.year)
    return list(groups.values())


def preparable_units(user):
    """The units whose maps and main functions `user` may prepare."""
    units = Unit.objects.filter(is_active=True).order_by("code")
    if access.is_inspector(user):
        return units
    return units.filter(pk__in=access.headed_unit_ids(user))


def map_entries(risk_map: RiskMap) -> list[RiskMapEntry]:
    return list(risk_map.entries.select_related("function").order_by("order", "pk"))
