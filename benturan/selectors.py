"""Reads of benturan kepentingan that several places need (pages, exports, statistics, benchmarks)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower, Trim

from benturan.models import InterestStatement, StatementCampaign
from cases.models import Unit

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
