"""The dashboard's charts are drawn from the panels the page just computed: a chart after the page counts no
case again; a chart on its own computes its panel."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import policy

pytestmark = pytest.mark.django_db


def _case_counts(queries) -> int:
    return sum('"cases_case"' in query["sql"] and "COUNT(" in query["sql"].upper() for query in queries)


def test_a_chart_after_the_page_counts_nothing_again(client, make_user):
    client.force_login(make_user("ins", policy.INSPEKTUR))
    with CaptureQueriesContext(connection) as alone:
        assert client.get("/evaluasi/grafik/gratifikasi/status.svg", {"periode": "2026"}).status_code == 200
    assert _case_counts(alone.captured_queries) > 0
    cache.clear()
    assert client.get("/evaluasi/", {"periode": "2026"}).status_code == 200
    with CaptureQueriesContext(connection) as after:
        response = client.get("/evaluasi/grafik/gratifikasi/status.svg", {"periode": "2026"})
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert _case_counts(after.captured_queries) == 0


@pytest.mark.parametrize("code", ["A\x00", "X" * 200])
def test_a_unit_no_code_can_be_is_unknown_not_a_server_error(client, make_user, code):
    client.force_login(make_user("ins2", policy.INSPEKTUR))
    assert client.get("/evaluasi/", {"periode": "2026", "unit": code}).status_code == 400
    assert (
        client.get("/evaluasi/kasus/", {"kind": "gratifikasi", "periode": "2026", "all": "1", "unit": code}).status_code
        == 400
    )


def test_a_chart_opened_on_its_own_may_colour_itself_and_run_nothing(client, make_user):
    client.force_login(make_user("ins3", policy.INSPEKTUR))
    response = client.get("/evaluasi/grafik/gratifikasi/status.svg", {"periode": "2026"})
    policy_header = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy_header and "default-src 'none'" in policy_header
    assert "script" not in policy_header and b"<script" not in response.content
