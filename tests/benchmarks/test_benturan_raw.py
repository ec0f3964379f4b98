"""The benturan benchmark's baseline (benchmarks/benturan.py) is one raw SQL query that must count what the
coverage selector counts; checked here on generated data at a tiny size, in the PostgreSQL pass (the query uses
DISTINCT ON and a recursive CTE)."""

import pytest
from django.db import connection

from benchmarks.benturan import generate, raw_coverage, selector_coverage


@pytest.mark.django_db
def test_the_raw_query_counts_what_the_selector_counts():
    if connection.vendor != "postgresql":
        pytest.skip("the baseline query is PostgreSQL's (DISTINCT ON); it runs in the PostgreSQL pass")
    campaign, _inspector, stats = generate(200, 6, seed=7)
    found = raw_coverage(campaign)
    assert found == selector_coverage(campaign)
    assert sum(population for population, _filed, _declared in found.values()) == stats["active"] + 1  # + inspector
    assert all(filed <= population and declared <= filed for population, filed, declared in found.values())
