"""The evaluasi dashboard benchmark's baseline (benchmarks/evaluasi_dashboard.py) is hand-written SQL that must
count what evaluasi.statistics.dashboard counts; checked here on a small generated data set, in the PostgreSQL
pass (the SQL uses GROUPING SETS and percentile_cont). The whole benchmark also runs at its tiny size in
tests/benchmarks/test_benchmarks.py."""

import pytest
from django.db import connection

from benchmarks import evaluasi_dashboard as bench
from cases import registry, workdays
from cases.models import Case
from evaluasi.periods import Period


@pytest.mark.django_db
def test_the_hand_written_sql_counts_what_the_dashboard_counts():
    if connection.vendor != "postgresql":
        pytest.skip("the baseline is PostgreSQL's SQL (GROUPING SETS, percentile_cont); it runs in the PostgreSQL pass")
    today = workdays.today()
    stats = bench.generate(600, seed=7, year=today.year, in_year=0.7, today=today)
    assert sum(stats[code] for code in bench.KINDS) == Case.objects.count() == 600
    period = Period.year(today.year)
    expected = bench.comparable(bench.baseline(period, today))
    assert bench.dashboard_figures(bench.dashboard(period, today)) == expected
    # The data exercises what the figures count: every kind received cases, closed some, has clocks decided.
    for code in bench.KINDS:
        # WBS shows no "closed" beside its statuses (decision 0017): its closed cases are in the final statuses.
        closed = expected[code].get(
            "closed", sum(expected[code]["status"].get(s, 0) for s in registry.get(code).final_states)
        )
        assert expected[code]["received"] > 0 and closed > 0
        assert any(decided for _on_time, decided in expected[code]["clocks"].values())
    assert any(expected[code]["overdue"] for code in bench.KINDS)
