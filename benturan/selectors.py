"""Reads of benturan kepentingan that several places need (pages, exports, statistics, benchmarks)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from benturan.models import InterestStatement, StatementCampaign
from cases.models import Unit

# --- Campaigns and statements


def campaign_population(campaign: StatementCampaign) -> QuerySet:
    """Who must file in `campaign`: active employees of its unit and the units below, or only those whose
    profile position is one of the listed positions (compared without regard to case or surrounding spaces)."""
    users = get_user_model().objects.filter(is_active=True, profile__unit_id__in=campaign.unit.descendant_ids())
    positions = [position.lower() for position in campaign.position_list()]
    if campaign.population == "positions":
        users = users.annotate(position_lower=Lower("profile__position")).filter(position_lower__in=positions)
    return users


def _filed(campaign: StatementCampaign):
    return InterestStatement.objects.filter(campaign=campaign, employee=OuterRef("pk"))


def population_with_status(campaign: StatementCampaign) -> QuerySet:
    """The population annotated with `has_filed` and `declared_interest` (their current statement in the
    campaign declares an interest)."""
    filed = _filed(campaign)
    declared = filed.filter(has_interests=True, superseded_by__isnull=True)
    return campaign_population(campaign).annotate(has_filed=Exists(filed), declared_interest=Exists(declared))


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
    people = population_with_status(campaign)
    if unit_ids is not None:
        people = people.filter(profile__unit_id__in=unit_ids)
    counts = (
        people.values("profile__unit_id")
        .annotate(
            population=Count("pk"),
            filed=Count("pk", filter=Q(has_filed=True)),
            declared=Count("pk", filter=Q(declared_interest=True)),
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
