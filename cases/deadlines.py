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

from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
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


def _recipients(clock: DeadlineClock, escalate: bool) -> list:
    case = clock.case
    people = [case.assignee] if case.assignee_id else list(policy.assignable_users(case))
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


def sweep(today: dt.date | None = None, batch_size: int = 500) -> dict[str, int]:
    """Warn at H-3 and H-1 and escalate breaches. Idempotent: running it twice sends nothing new."""
    today = today or workdays.today()
    h3, h1 = workdays.add_working_days(today, 3), workdays.add_working_days(today, 1)
    running = DeadlineClock.objects.filter(RUNNING, paused_on__isnull=True)
    stages = {
        "breach": running.filter(due_date__lt=today, escalated_at__isnull=True),
        "h1": running.filter(due_date__gte=today, due_date__lte=h1, warned_h1_at__isnull=True),
        "h3": running.filter(due_date__gt=h1, due_date__lte=h3, warned_h3_at__isnull=True),
    }
    counts = {}
    for stage, queryset in stages.items():
        counts[stage] = 0
        field = _STAGES[stage]
        while True:
            with transaction.atomic():
                clocks = list(
                    queryset.select_for_update(skip_locked=True, of=("self",))
                    .select_related("case__assignee__profile__supervisor")
                    .order_by("due_date", "pk")[:batch_size]
                )
                if not clocks:
                    break
                now = timezone.now()
                for clock in clocks:
                    changes = {field: now}
                    if stage == "breach":
                        changes["breached_on"] = clock.breached_on or today
                    if stage == "h1":
                        # A clock that starts inside H-3 gets only the nearer warning.
                        changes["warned_h3_at"] = clock.warned_h3_at or now
                    DeadlineClock.objects.filter(pk=clock.pk).update(**changes)
                    notifications.queue(
                        recipients=_recipients(clock, escalate=stage == "breach"),
                        texts=functools.partial(_message, clock, stage),
                        link=reverse("cases:detail", args=[clock.case.reference]),
                        dedupe_key=f"clock:{clock.pk}:{stage}:{clock.due_date.isoformat()}",
                        restricted=clock.case.kind_def.restricted_content,
                        case=clock.case,
                        headline="deadline_passed" if stage == "breach" else "deadline_near",
                    )
                counts[stage] += len(clocks)
    logger.info("deadline sweep %s: %s", today, counts)
    return counts
