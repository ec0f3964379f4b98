"""compare_units for a kind with small-cell suppression (WBS): a hidden unit cannot be worked out from the
scope's total shown on the dashboard."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cases import registry
from cases.models import Unit
from evaluasi import statistics
from evaluasi.periods import Period
from wbs.models import WbsReport

pytestmark = pytest.mark.django_db


def report(unit, number, day):
    moment = dt.datetime(2026, 8, day, 9, tzinfo=ZoneInfo("Asia/Jakarta"))
    return WbsReport.objects.create(
        kind="wbs",
        reference=f"WBS-C{number:04d}",
        unit=unit,
        status="received",
        submitted_at=moment,
        category="korupsi",
        description="-",
        knowledge="melihat",
    )


def test_one_small_unit_hides_the_next_smallest_too(unit, other_unit):
    third = Unit.objects.create(code="HUKUM", name="Hukum", parent=unit.parent)
    counts = {unit: 6, other_unit: 1, third: 4}
    number = 0
    for owner, count in counts.items():
        for _ in range(count):
            number += 1
            report(owner, number, 1 + number % 28)
    rows = dict(
        statistics.compare_units(registry.get("wbs"), statistics.Scope.of(Period.quarter(2026, 3), unit.parent))
    )
    assert rows[unit] == 6
    assert rows[other_unit] is None  # 1 < 3
    # Else 11 - 6 - 4 - 0 = 1: the smallest other bar goes too — the office's own (none filed on it directly).
    assert rows[unit.parent] is None
    assert rows[third] == 4


def test_no_suppression_for_a_kind_without_min_cell(unit, other_unit):
    rows = dict(
        statistics.compare_units(registry.get("gratifikasi"), statistics.Scope.of(Period.quarter(2026, 3), unit.parent))
    )
    assert rows == {unit.parent: 0, unit: 0, other_unit: 0}
