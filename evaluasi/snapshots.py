"""Dashboard snapshots: the panels the inspectorate opens most (the whole office for this year, this quarter and
last year), counted by the sweep every few minutes where a kind has many cases, so such a dashboard is read,
not counted, while the snapshot is fresh (decision 0017: live, a year over 1,000,000 cases takes seconds).

A kind with fewer cases than ``SIGAP_STATISTICS_SNAPSHOT_MIN_CASES`` is always counted live, so a small office
sees a case it just filed at once. The page says when a snapshot's figures were counted; the lists behind them
are always read as they are now.
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from cases import registry, workdays
from evaluasi import statistics
from evaluasi.periods import Period


def _key(kind: registry.CaseKind, scope: statistics.Scope, day: dt.date, language: str) -> str:
    unit = scope.unit.pk if scope.unit is not None else "all"
    parts = ["evaluasi-snapshot", kind.code, scope.period.code, str(unit), str(scope.inspectorate), day.isoformat()]
    return ":".join([*parts, language])


# The beat counts every 10 minutes (the embedded runner every 15): a snapshot outlives one missed run, and
# one older than this is not shown at all.
LIFETIME_SECONDS = 30 * 60


def snapshot_scopes(today: dt.date) -> list[statistics.Scope]:
    periods = [Period.year(today.year), Period.containing("quarter", today), Period.year(today.year - 1)]
    return [statistics.Scope.of(period, None) for period in periods]


def refresh(*, today: dt.date | None = None) -> dict:
    """Count the snapshot scopes of every kind with many cases, in every language of the site (the panels
    carry their labels). Idempotent; the beat runs it every 10 minutes."""
    today = today or workdays.today()
    counted = {"kinds": 0, "panels": 0}
    for kind in statistics.stat_kinds():
        if kind.model.objects.count() < settings.SIGAP_STATISTICS_SNAPSHOT_MIN_CASES:
            continue
        counted["kinds"] += 1
        for scope in snapshot_scopes(today):
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    panel = statistics.kind_panel(kind, scope, today=today)
                    value = (panel.received, panel.groups, panel.note, timezone.now())
                    cache.set(_key(kind, scope, today, language), value, LIFETIME_SECONDS)
                counted["panels"] += 1
    return counted


def read(kind: registry.CaseKind, scope: statistics.Scope) -> statistics.KindPanel | None:
    """The snapshot of this kind and scope, counted today in the reader's language, or None."""
    kept = cache.get(_key(kind, scope, workdays.today(), translation.get_language() or ""))
    if kept is None:
        return None
    received, groups, note, counted_at = kept
    return statistics.KindPanel(kind=kind, received=received, groups=groups, note=note, counted_at=counted_at)


def dashboard(scope: statistics.Scope) -> list[statistics.KindPanel]:
    """statistics.dashboard, each panel from its snapshot where there is one."""
    return [read(kind, scope) or statistics.kind_panel(kind, scope) for kind in statistics.stat_kinds(scope)]
