"""Snapshots: where a kind has many cases, the beat counts the whole office's year, quarter and last year, and
the dashboard reads them while fresh, saying when they were counted; below the threshold it counts live."""

import pytest
from django.test import override_settings

from cases import policy, registry, workdays
from evaluasi import snapshots, statistics
from evaluasi.periods import Period

pytestmark = pytest.mark.django_db


def test_below_the_threshold_nothing_is_snapshotted(make_user):
    assert snapshots.refresh() == {"kinds": 0, "panels": 0}


@override_settings(SIGAP_STATISTICS_SNAPSHOT_MIN_CASES=0)
def test_the_dashboard_reads_a_fresh_snapshot_and_says_when_it_was_counted(client, make_user, unit):
    client.force_login(make_user("ins", policy.INSPEKTUR))
    kind = registry.get("gratifikasi")
    counted = snapshots.refresh()
    assert counted["kinds"] == len(statistics.stat_kinds()) and counted["panels"] > 0
    scope = statistics.Scope.of(Period.year(workdays.today().year), None)
    before = snapshots.read(kind, scope)
    assert before is not None and before.counted_at is not None and before.received.value == 0
    page = client.get("/evaluasi/", {"periode": str(workdays.today().year)}).content.decode()
    assert 'data-snapshot="gratifikasi"' in page
    # A unit's own dashboard is not a snapshot scope: counted live, no such line.
    page = client.get("/evaluasi/", {"periode": str(workdays.today().year), "unit": unit.code}).content.decode()
    assert 'data-snapshot="gratifikasi"' not in page


@override_settings(SIGAP_STATISTICS_SNAPSHOT_MIN_CASES=0)
def test_a_snapshot_holds_what_the_live_count_says_at_its_time(make_user, unit):
    kind = registry.get("wbs")
    today = workdays.today()
    snapshots.refresh(today=today)
    scope = statistics.Scope.of(Period.year(today.year), None)
    live = statistics.kind_panel(kind, scope, today=today)
    kept = snapshots.read(kind, scope)
    assert kept.received == live.received and kept.groups == live.groups and kept.note == live.note
    # A scope the beat does not count has no snapshot: it is counted live.
    assert snapshots.read(kind, statistics.Scope.of(Period.year(today.year - 2), None)) is None
    assert snapshots.read(kind, statistics.Scope.of(Period.year(today.year), unit)) is None
