"""Reads of pengaduan that several places need: the public transparency page and the Open311 answers.

Each is a handful of aggregate queries whatever the number of complaints (STYLE: selectors, not per-row
Python), and returns numbers and plain words only, never what a complainant wrote or who they are.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import ngettext

from cases import registry
from cases.models import DeadlineClock
from pengaduan.models import FINAL_STATES, Category, Channel, Complaint

# The clocks of pengaduan/kind.py shown on the public page, in this order.
PUBLIC_CLOCKS = ("verification", "first_follow_up", "resolution", "dispute_answer")


def _clock_rule(code: str):
    return next(rule for rule in registry.get("pengaduan").clocks if rule.code == code)


def clock_length(code: str) -> str:
    """A clock's length as its rule in pengaduan/kind.py says it ("3 hari kerja", "60 hari kalender"): one
    source of truth, and the resolution length follows the HandlingRule an instansi set."""
    rule = _clock_rule(code)
    said = str(rule.length_label) if rule.length_label is not None else ""  # lazy: read the rule once
    if said:
        return said
    return ngettext("%(n)d hari kerja", "%(n)d hari kerja", rule.working_days) % {"n": rule.working_days}


def _clock_label(code: str) -> str:
    return f"{_clock_rule(code).label} ({clock_length(code)})"


@dataclass(frozen=True)
class ClockShare:
    code: str
    label: str
    decided: int  # clocks met, plus clocks still running past their due date
    on_time: int  # met on or before the due date

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.decided) if self.decided else None


@dataclass(frozen=True)
class PublicStatistics:
    year: int
    years: list[int]
    total: int
    per_month: list[tuple[int, int]]  # (1..12, count)
    per_category: list[tuple[str, str, int]]  # (code, label, count), all ten codes
    per_channel: list[tuple[str, str, int]]  # (code, label, count), every channel
    clocks: list[ClockShare]
    satisfaction_average: float | None
    satisfaction_count: int


def public_years() -> list[int]:
    """The years the page can show: from the first complaint to this year (one aggregate query)."""
    this_year = timezone.localdate().year
    first = Complaint.objects.aggregate(first=Min("received_at"))["first"]
    first_year = timezone.localtime(first).year if first is not None else this_year
    return list(range(min(first_year, this_year), this_year + 1))


def public_statistics(*, year: int) -> PublicStatistics:
    """The numbers of the public transparency page for complaints received in `year` (Asia/Jakarta).

    The share inside each clock counts the clocks that have a verdict: met (on time when met_on <= due_date)
    or still running past the due date (already outside it). A clock stopped because the complaint left the
    path (archived, forwarded elsewhere) or paused is not counted: nothing was due then. Seven queries, the
    handling rule (the resolution length) among them."""
    complaints = Complaint.objects.filter(received_at__year=year)

    months = dict(
        complaints.annotate(month=ExtractMonth("received_at")).values_list("month").annotate(n=Count("pk")).order_by()
    )
    categories = dict(complaints.values_list("category").annotate(n=Count("pk")).order_by())
    channels = dict(complaints.values_list("channel").annotate(n=Count("pk")).order_by())

    today = timezone.localdate()
    met = Q(met_on__isnull=False)
    overdue = Q(met_on__isnull=True, stopped_on__isnull=True, paused_on__isnull=True, due_date__lt=today)
    clock_rows = {
        row["code"]: row
        for row in DeadlineClock.objects.filter(case__in=complaints.values("pk"), code__in=PUBLIC_CLOCKS)
        .values("code")
        .annotate(
            decided=Count("pk", filter=met | overdue), on_time=Count("pk", filter=met & Q(met_on__lte=F("due_date")))
        )
        .order_by()
    }
    rated = complaints.filter(satisfaction__isnull=False).aggregate(avg=Avg("satisfaction"), n=Count("pk"))

    return PublicStatistics(
        year=year,
        years=public_years(),
        total=sum(months.values()),
        per_month=[(month, months.get(month, 0)) for month in range(1, 13)],
        per_category=[(code, label, categories.get(code, 0)) for code, label in Category.choices],
        per_channel=[(code, label, channels.get(code, 0)) for code, label in Channel.choices],
        clocks=[
            ClockShare(
                code=code,
                label=_clock_label(code),
                decided=clock_rows.get(code, {}).get("decided", 0),
                on_time=clock_rows.get(code, {}).get("on_time", 0),
            )
            for code in PUBLIC_CLOCKS
        ],
        satisfaction_average=round(rated["avg"], 1) if rated["avg"] is not None else None,
        satisfaction_count=rated["n"],
    )


# ---------------------------------------------------------------------------------------------------------
# Open311 GeoReport v2 (pengaduan/open311.py)

# The spec: "limited to 1000 requests", and a window of 90 days when no dates are given.
OPEN311_MAX_REQUESTS = 1000
OPEN311_DEFAULT_DAYS = 90


def open311_requests() -> QuerySet:
    """The complaints that partner applications filed through Open311, with what an answer shows: the service,
    the handling unit and the last change of status (not the last time someone looked at it). One query."""
    return (
        Complaint.objects.filter(open311__isnull=False)
        .select_related("service", "unit", "disposed_unit", "open311")
        .annotate(status_changed_at=Max("events__created_at", filter=~Q(events__to_status="")))
        .order_by("-received_at")
    )


def open311_search(
    *,
    ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    statuses: list[str] | None = None,
) -> list[Complaint]:
    """GET requests: by reference (which overrides the other filters, as the spec says), else by service,
    status and a window of requested_datetime (the last 90 days unless given), at most 1000."""
    requests = open311_requests()
    if ids:
        return list(requests.filter(reference__in=ids)[:OPEN311_MAX_REQUESTS])
    if service_codes:
        requests = requests.filter(service__code__in=service_codes)
    if statuses and set(statuses) != {"open", "closed"}:
        final = Q(status__in=list(FINAL_STATES))
        requests = requests.filter(final if "closed" in statuses else ~final)
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=OPEN311_DEFAULT_DAYS)
    if start is not None:
        requests = requests.filter(received_at__gte=start)
    if end is not None:
        requests = requests.filter(received_at__lte=end)
    return list(requests[:OPEN311_MAX_REQUESTS])
