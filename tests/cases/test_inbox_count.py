"""The inbox's count at scale (issue 14): exact up to SIGAP_INBOX_EXACT_COUNT_LIMIT, "more than N" beyond it."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.pagination import CappedPaginator
from tests.casetype.models import Widget

pytestmark = pytest.mark.django_db


def test_the_paginator_counts_exactly_up_to_its_limit_and_stops_beyond(make_widget):
    for _ in range(5):
        make_widget("submitted")
    cases = Widget.objects.order_by("pk")
    exact = CappedPaginator(cases, 2, limit=5)
    assert (exact.count, exact.capped, exact.num_pages) == (5, False, 3)
    capped = CappedPaginator(cases, 2, limit=4)
    # Counting stops at limit + 1: the page knows there are more, not how many.
    assert (capped.count, capped.capped) == (5, True)
    assert [case.pk for case in capped.page(2).object_list] == [case.pk for case in cases[2:4]]


def test_a_plain_list_is_capped_the_same_way():
    assert CappedPaginator(list(range(10)), 3, limit=4).count == 5
    assert CappedPaginator(list(range(4)), 3, limit=4).capped is False


def test_the_capped_count_reads_no_more_rows_than_the_limit(make_widget):
    for _ in range(6):
        make_widget("submitted")
    paginator = CappedPaginator(Widget.objects.order_by("pk"), 2, limit=3)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "COUNT(" in sql.upper() and "LIMIT 4" in sql.upper()


@override_settings(SIGAP_INBOX_EXACT_COUNT_LIMIT=3)
def test_the_inbox_says_more_than_the_limit_and_how_to_narrow_it(client, make_widget, handler):
    for _ in range(4):
        make_widget("submitted")
    client.force_login(handler)
    response = client.get(reverse("cases:inbox"))
    body = response.content.decode()
    assert response.context["page"].paginator.capped
    assert "Halaman 1 (lebih dari 3 kasus)" in body
    assert "jumlah pastinya tidak dihitung" in body
    assert "Halaman 1 dari" not in body
    # The next page still opens, and a filter that narrows the list below the limit counts exactly again.
    assert client.get(reverse("cases:inbox"), {"page": 2}).status_code == 200
    narrowed = client.get(reverse("cases:inbox"), {"status": "uji:reviewing"})
    assert not narrowed.context["page"].paginator.capped
    assert "lebih dari" not in narrowed.content.decode()


@override_settings(SIGAP_INBOX_EXACT_COUNT_LIMIT=10)
def test_below_the_limit_the_inbox_counts_exactly(client, make_widget, handler):
    for _ in range(4):
        make_widget("submitted")
    client.force_login(handler)
    body = client.get(reverse("cases:inbox")).content.decode()
    assert "(4 kasus)" in body and "lebih dari" not in body
