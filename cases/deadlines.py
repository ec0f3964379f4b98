"""Deadline clocks: started, stopped, paused and resumed by transitions; warned and escalated by a sweep.

A kind declares its clocks as ClockRules (cases.registry). The transition service calls `apply_rules` after
every transition; the periodic task calls `sweep`. Warnings go out at H-3 and H-1 (working days before the
due date) and an escalation on breach, each at most once per clock and stage: the stage's timestamp is set
under a row lock in the same transaction that queues the notification, and the outbox's dedupe key
refuses a second copy even if two sweeps race.
"""

import datetime as dt
import functools
import logging
from urllib.parse import quote

from django.db import transaction
from django.db.models import Min, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases import notifications, policy, workdays
from cases.models import Case, DeadlineClock
from cases.registry import ClockRule

logger = logging.getLogger(__name__)

RUNNING = Q(met_on__isnull=True, stopped_on__isnull=True)


def _rule_date(case: Case, source, today: dt.date) -> dt.date:
    if callable(source):
        value = source(case)
    elif source == "today":
        value = today
    else:
        value = getattr(case, source, None)
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return value or today


def start_clock(case: Case, rule: ClockRule, today: dt.date) -> DeadlineClock | None:
    if rule.applies is not None and not rule.applies(case):
        return None
    start = _rule_date(case, rule.start_from, today)
    length = rule.working_days(case) if callable(rule.working_days) else rule.working_days
    due = workdays.add_working_days(start, length)
    if rule.not_after:
        cap = DeadlineClock.objects.filter(case=case, code=rule.not_after).values_list("due_date", flat=True).first()
        due = min(due, cap) if cap else due
    with override("id"):  # stored in the source language; pages show the rule's text in the reader's
        label, basis = str(rule.label), str(rule.basis)[:200]
    clock, _created = DeadlineClock.objects.update_or_create(
        case=case,
        code=rule.code,
        defaults={
            "label": label,
            "basis": basis,
            "start_date": start,
            "working_days": length,
            "due_date": due,
            "paused_on": None,
            "paused_days": 0,
            "met_on": None,
            "stopped_on": None,
            "breached_on": None,
            "warned_h3_at": None,
            "warned_h1_at": None,
            "escalated_at": None,
        },
    )
    return clock


def apply_rules(case: Case, transition_name: str, today: dt.date | None = None) -> None:
    """Start, stop, pause or resume the case's clocks for this transition, then refresh `case.due_date`."""
    today = today or workdays.today()
    for rule in case.kind_def.clocks:
        if transition_name in rule.start_on:
            start_clock(case, rule, today)
        clocks = DeadlineClock.objects.filter(case=case, code=rule.code).filter(RUNNING)
        if transition_name in rule.stop_on:
            clocks.update(met_on=_rule_date(case, rule.stop_from, today))
        if transition_name in rule.pause_on:
            clocks.filter(paused_on__isnull=True).update(paused_on=today)
        if transition_name in rule.resume_on:
            for clock in clocks.filter(paused_on__isnull=False):
                paused = max(workdays.working_days_between(clock.paused_on, today), 0)
                clock.due_date = workdays.add_working_days(clock.due_date, paused)
                clock.paused_days += paused
                clock.paused_on = None
                clock.breached_on = None if clock.due_date >= today else clock.breached_on
                clock.save(update_fields=["due_date", "paused_days", "paused_on", "breached_on"])
    if case.status in case.kind_def.final_states:
        DeadlineClock.objects.filter(case=case).filter(RUNNING).update(stopped_on=today)
    refresh_due_date(case)


def refresh_due_date(case: Case) -> None:
    nearest = (
        DeadlineClock.objects.filter(case=case, paused_on__isnull=True)
        .filter(RUNNING)
        .aggregate(due=Min("due_date"))["due"]
    )
    Case.objects.filter(pk=case.pk).update(due_date=nearest)
    case.due_date = nearest


def _recipients(clock: DeadlineClock, escalate: bool, assignable: dict[int, list]) -> list:
    """Who hears about the clock: the case's assignee, else everyone who may be assigned it
    (`assignable`: policy.assignable_users_by_case of the batch); on breach also the assignee's supervisor."""
    case = clock.case
    people = [case.assignee] if case.assignee_id else list(assignable.get(case.pk, ()))
    if escalate and case.assignee_id:
        supervisor = getattr(getattr(case.assignee, "profile", None), "supervisor", None)
        if supervisor is not None:
            people.append(supervisor)
    return people


_STAGES = {
    # stage: the clock's field that records it was sent
    "h3": "warned_h3_at",
    "h1": "warned_h1_at",
    "breach": "escalated_at",
}


def _message(clock: DeadlineClock, stage: str) -> tuple[str, str]:
    reference = clock.case.reference
    due = clock.due_date.strftime("%d-%m-%Y")
    if stage == "breach":
        subject = _("[SIGAP] %(ref)s: batas waktu terlampaui") % {"ref": reference}
        body = _("Tenggat “%(label)s” kasus %(ref)s berakhir %(due)s dan belum dipenuhi.")
    else:
        subject = _("[SIGAP] %(ref)s: batas waktu mendekat") % {"ref": reference}
        body = _("Tenggat “%(label)s” kasus %(ref)s berakhir %(due)s.")
    return subject, body % {"label": clock.label, "ref": reference, "due": due}


def _stage_changes(stage: str, today: dt.date, now: dt.datetime) -> dict:
    """The one UPDATE a batch of clocks gets when `stage` is sent for them."""
    changes = {_STAGES[stage]: now}
    if stage == "breach":
        changes["breached_on"] = Coalesce("breached_on", Value(today))
    if stage == "h1":
        # A clock that starts inside H-3 gets only the nearer warning.
        changes["warned_h3_at"] = Coalesce("warned_h3_at", Value(now))
    return changes


def stage_querysets(today: dt.date) -> dict:
    """The clocks still owed each stage on `today`, in the order the sweep sends them. Each stage's filter is
    the predicate of its partial index (DeadlineClock.Meta: clock_owed_<stage>), so a sweep that finds nothing
    to do reads nothing, however many clocks are running."""
    h3, h1 = workdays.add_working_days(today, 3), workdays.add_working_days(today, 1)
    running = DeadlineClock.objects.filter(RUNNING, paused_on__isnull=True)
    return {
        "breach": running.filter(due_date__lt=today, escalated_at__isnull=True),
        "h1": running.filter(due_date__gte=today, due_date__lte=h1, warned_h1_at__isnull=True),
        "h3": running.filter(due_date__gt=h1, due_date__lte=h3, warned_h3_at__isnull=True),
    }


def _case_links():
    """reverse("cases:detail", args=[reference]) for many references with one reverse(): the paths differ only by
    the reference, quoted as reverse() quotes it (a reference with a slash, which none has, goes through
    reverse() itself)."""
    marker = "SIGAP0REFERENCE0MARKER"
    head, tail = reverse("cases:detail", args=[marker]).split(marker)

    def link(reference: str) -> str:
        if "/" in reference:
            return reverse("cases:detail", args=[reference])
        return head + quote(reference, safe=RFC3986_SUBDELIMS + "/~:@") + tail

    return link


def _send_batch(clocks: list[DeadlineClock], stage: str, today: dt.date) -> None:
    """Mark one locked batch as sent for `stage` and queue its messages: one UPDATE, the recipients of every
    unassigned case in one go, one INSERT into the outbox, whatever the batch's size."""
    DeadlineClock.objects.filter(pk__in=[clock.pk for clock in clocks]).update(
        **_stage_changes(stage, today, timezone.now())
    )
    assignable = policy.assignable_users_by_case(clock.case for clock in clocks if not clock.case.assignee_id)
    link = _case_links()
    escalate = stage == "breach"
    notifications.queue_many(
        notifications.Outgoing(
            recipients=_recipients(clock, escalate, assignable),
            texts=functools.partial(_message, clock, stage),
            link=link(clock.case.reference),
            dedupe_key=f"clock:{clock.pk}:{stage}:{clock.due_date.isoformat()}",
            restricted=clock.case.kind_def.restricted_content,
            case=clock.case,
            headline="deadline_passed" if escalate else "deadline_near",
        )
        for clock in clocks
    )


def sweep(today: dt.date | None = None, batch_size: int = 500) -> dict[str, int]:
    """Warn at H-3 and H-1 and escalate breaches. Idempotent: running it twice sends nothing new.

    Set-based: per stage and batch, one locking SELECT (with the assignee, their profile and supervisor), one
    UPDATE, one query per handler group and one for exclusions when the batch holds unassigned cases, and one
    INSERT into the outbox, so the time grows with the clocks that change stage, not with the running clocks.
    The stage's timestamp is set in the same transaction that queues the messages, and the outbox's dedupe key
    (`clock:<pk>:<stage>:<due>:<user pk>`) refuses a second copy even if two sweeps race."""
    today = today or workdays.today()
    counts = {}
    for stage, queryset in stage_querysets(today).items():
        counts[stage] = 0
        while True:
            with transaction.atomic():
                clocks = list(
                    queryset.select_for_update(skip_locked=True, of=("self",))
                    .select_related("case__assignee__profile__supervisor__profile")
                    .order_by("due_date", "pk")[:batch_size]
                )
                if not clocks:
                    break
                _send_batch(clocks, stage, today)
                counts[stage] += len(clocks)
    logger.info("deadline sweep %s: %s", today, counts)
    return counts
