"""Reads that several places need: the inbox (cases.views, benchmarks), the case page's case and its timeline
(cases.views, the kinds' reporter pages).

Everything here starts from `policy.visible_cases`, so a filter or a search can only narrow what the user
may already see, and costs the same number of queries however many cases match.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import audit, policy, registry, services, workdays
from cases.models import (
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseLink,
    CaseUserObjectPermission,
    Confidentiality,
    DeadlineClock,
    Unit,
)

SEARCH_MAX_WORDS = 5


@dataclass(frozen=True)
class InboxFilters:
    kind: str = ""
    status: str = ""
    unit: Unit | None = None
    overdue: bool = False
    include_closed: bool = False
    q: str = ""
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None


def inbox_kinds(user) -> list[registry.CaseKind]:
    """The kinds whose cases this user can see, in registry order: the inbox offers only these."""
    if policy.has_role(user, policy.INSPEKTUR):
        return registry.all_kinds()
    codes = set(policy.handled_kinds(user))
    supervised = [kind.code for kind in registry.all_kinds() if kind.supervisor_sees]
    own = Q(reporter=user)
    if supervised:
        own |= Q(kind__in=supervised, reporter__profile__supervisor=user)
    # Kinds the user reported or supervises: a few rows per user, read through the reporter index.
    codes.update(Case.objects.filter(own).values_list("kind", flat=True).distinct().order_by())
    assigned = CaseUserObjectPermission.objects.filter(user=user, permission__codename=policy.HANDLE)
    codes.update(assigned.values_list("content_object__kind", flat=True).distinct().order_by())
    return [kind for kind in registry.all_kinds() if kind.code in codes]


def _readable_names(user) -> Q:
    """Cases whose names (reporter, giver) this user may search by. A confidential (Rahasia) case's names
    only by its reporter and those who handle it — assigned, or the kind's coordinator — not by everyone who
    may open it (an inspektur reads it page by page, each view an audit event; a search would let anyone
    test a name against every confidential report unlogged). Kinds with restricted content (WBS) never."""
    restricted = [kind.code for kind in registry.all_kinds() if kind.restricted_content]
    readable = Q(confidentiality=Confidentiality.BIASA) | Q(reporter=user)
    handled = policy.handled_kinds(user)
    if handled and policy.is_coordinator(user):
        readable |= Q(kind__in=handled)
    mine = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=policy.HANDLE
    )
    ours = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group__user=user, permission__codename=policy.HANDLE
    )
    readable |= Q(Exists(mine)) | Q(Exists(ours))
    return readable & ~Q(kind__in=restricted)


def _search(user, term: str) -> Q:
    """Every word must match the reference, the reporter's name, or a name field the kind declares
    (CaseKind.search_fields, e.g. the giver of a gratifikasi) — names only where `_readable_names`."""
    words = term.split()[:SEARCH_MAX_WORDS]
    readable = _readable_names(user)
    query = Q()
    for word in words:
        names = (
            Q(reporter__first_name__icontains=word)
            | Q(reporter__last_name__icontains=word)
            | Q(reporter__username__iexact=word)
        )
        for kind in registry.all_kinds():
            if kind.search_fields and not kind.restricted_content:
                matches = Q()
                for field in kind.search_fields:
                    matches |= Q(**{f"{field}__icontains": word})
                names |= Q(kind=kind.code, pk__in=kind.model.objects.filter(matches).values("pk"))
        query &= Q(reference__icontains=word) | (readable & names)
    return query


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def inbox_cases(*, user, filters: InboxFilters | None = None, today: dt.date | None = None) -> QuerySet:
    """The cases of a user's inbox, filtered, nearest due date first, each annotated with:

    - `overdue_now`: a running clock is past its due date today (Case.due_date is the nearest due date of
      the running, unpaused clocks — cases.deadlines.refresh_due_date). The red badge and the
      "overdue only" filter both read this one condition, so they always agree;

    and `with_late_history` marks the cases of the page shown with `was_late`.
    """
    return _inbox(policy.visible_cases(user), user=user, filters=filters or InboxFilters(), today=today)


def inbox_unrestricted(*, today: dt.date | None = None) -> QuerySet:
    """The inbox query over every case, with no policy: only the benchmarks' baseline uses it, to show what the
    policy's filter costs. Never for a page."""
    return _inbox(Case.objects.all(), user=None, filters=InboxFilters(), today=today)


# A clock that was late once: met after its due date, breached, or still running past it when stopped.
LATE_CLOCK = (
    Q(met_on__gt=F("due_date")) | Q(stopped_on__gt=F("due_date"), paused_on__isnull=True) | Q(breached_on__isnull=False)
)


def with_late_history(cases) -> list[Case]:
    """The cases of one inbox page, each marked `was_late`: not overdue now, but a clock was met after its due
    date, was breached, or was still running past it when the case closed — shown muted, as history.

    One query over the page's clocks, after the page is read. As a per-row EXISTS in the inbox query itself,
    PostgreSQL hashes every late clock of the table first (it plans for all visible cases, not the 25 shown):
    a page read that grew with the table (benchmarks/, issue 14)."""
    cases = list(cases)
    late = set(
        DeadlineClock.objects.filter(case_id__in=[case.pk for case in cases])
        .filter(LATE_CLOCK)
        .values_list("case_id", flat=True)
    )
    for case in cases:
        case.was_late = case.pk in late
    return cases


def _inbox(cases: QuerySet, *, user, filters: InboxFilters, today: dt.date | None) -> QuerySet:
    today = today or workdays.today()
    overdue = Q(due_date__lt=today)
    cases = cases.select_related("unit", "assignee").annotate(
        overdue_now=ExpressionWrapper(overdue, output_field=BooleanField())
    )
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.status:
        kind, _sep, status = filters.status.rpartition(":")
        cases = cases.filter(status=status, **({"kind": kind} if kind else {}))
    elif not filters.include_closed:
        # Open cases by default; asking for a status (a final one included) shows what was asked for.
        cases = cases.filter(closed_at__isnull=True)
    if filters.unit:
        cases = cases.filter(unit_id__in=filters.unit.descendant_ids())
    if filters.overdue:
        cases = cases.filter(overdue)
    if filters.submitted_from:
        cases = cases.filter(submitted_at__gte=_day_start(filters.submitted_from))
    if filters.submitted_to:
        cases = cases.filter(submitted_at__lt=_day_start(filters.submitted_to + dt.timedelta(days=1)))
    if filters.q.strip():
        cases = cases.filter(_search(user, filters.q))
    # Nearest due date first; cases with no running clock after them, newest first.
    return cases.order_by(F("due_date").asc(nulls_last=True), "-created_at", "-pk")


# ---------------------------------------------------------------------------------------------------------
# One case


def case_for_page(*, user, reference: str) -> Case:
    """The case behind `reference` as its kind's detail model, for a page that shows all of it: resolved through
    the policy (404 for a case the user may not see), with what every case page shows loaded at once — unit,
    assignee, reporter, clocks — and the user's access read once (policy.load_access), so the page costs the same
    few queries however many buttons, clocks and events it has."""
    case = policy.get_case_or_404(user, reference)
    case = (
        case.kind_def.model.objects.select_related("unit", "assignee", "reporter")
        .prefetch_related("clocks")
        .get(pk=case.pk)
    )
    return policy.load_access(user, case)


@dataclass(frozen=True)
class Timeline:
    events: list[CaseEvent]
    # How often a confidential case was opened: every view is an event, counted rather than listed.
    views: int = 0


def case_timeline(*, case: Case, staff: bool, extra_actions: tuple[str, ...] = ()) -> Timeline:
    """A case's history for one reader, oldest first, in three queries whatever its length.

    The office (`staff`, policy.sees_internal) reads every event but the access log, which it gets as a count.
    The reporter reads only what concerns them (services.REPORTER_VISIBLE_EVENTS, plus `extra_actions` a kind's
    reporter page adds) — never internal notes, assignments or who opened the case — and transitions under a
    neutral "Status laporan": the office's action names ("Kembalikan untuk dilengkapi") read as orders to them.

    Each event gets its readable `text`, `note` and `reason` (restricted ones decrypted: services.event_texts),
    a `label` and a `to_label` (the status it moved to, or "").
    """
    events = case.events.select_related("actor").order_by("seq")
    views = 0
    if staff:
        views = events.filter(action="viewed").count()
        events = events.exclude(action="viewed")
    else:
        events = events.filter(action__in=services.REPORTER_VISIBLE_EVENTS + tuple(extra_actions))
    events = list(events)
    services.event_texts(case, events)
    status_labels = dict(case.kind_def.status_labels)
    transition_labels = {t.name: str(t.custom.get("label", t.name)) for t in case.get_all_status_transitions()}
    for event in events:
        event.to_label = status_labels.get(event.to_status, "") if event.to_status != event.from_status else ""
        event.label = audit.action_label(event.action)
        if event.action == "transition":
            if staff or not event.to_label:
                name = event.data.get("transition", "")
                event.label = transition_labels.get(name, name)
            else:
                event.label = _("Status laporan")
    return Timeline(events=events, views=views)


def last_event(*, case: Case, action: str, **filters) -> CaseEvent | None:
    """The case's latest event of `action` (e.g. the transition that sent a report back), its texts readable."""
    event = case.events.filter(action=action, **filters).order_by("-seq").first()
    if event is not None:
        services.event_texts(case, [event])
    return event


# ---------------------------------------------------------------------------------------------------------
# Links between cases


@dataclass(frozen=True)
class LinkedCase:
    """One link as one reader sees it: `other` is None when they may not see the other case, so the page says
    only that a link exists, without its reference."""

    relation: str
    label: str
    other: Case | None


def _incoming_labels() -> dict[str, str]:
    # The same link read from the other end: "Dialihkan ke X" on the source is "Dialihkan dari Y" on X.
    return {
        CaseLink.Relation.CONVERTED_TO: _("Dialihkan dari"),
        CaseLink.Relation.DUPLICATE_OF: _("Memiliki duplikat"),
        CaseLink.Relation.RELATED: _("Terkait"),
    }


def case_links(case: Case, user) -> list[LinkedCase]:
    """The case's links in both directions, oldest first, in two queries however many there are."""
    links = list(
        CaseLink.objects.filter(Q(from_case_id=case.pk) | Q(to_case_id=case.pk))
        .select_related("from_case", "to_case")
        .order_by("created_at", "pk")
    )
    if not links:
        return []
    others = {link.to_case if link.from_case_id == case.pk else link.from_case for link in links}
    visible = set(
        policy.visible_cases(user, Case.objects.filter(pk__in=[other.pk for other in others])).values_list(
            "pk", flat=True
        )
    )
    incoming = _incoming_labels()
    shown = []
    for link in links:
        outgoing = link.from_case_id == case.pk
        other = link.to_case if outgoing else link.from_case
        label = link.get_relation_display() if outgoing else incoming[link.relation]
        shown.append(LinkedCase(relation=link.relation, label=str(label), other=other if other.pk in visible else None))
    return shown
