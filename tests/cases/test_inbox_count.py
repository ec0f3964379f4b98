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
    # In the list's own order: the index of that order is walked, and left after limit + 1 rows.
    assert "COUNT(" in sql.upper() and "LIMIT 4" in sql.upper() and "ORDER BY" in sql.upper()


@override_settings(SIGAP_INBOX_EXACT_COUNT_LIMIT=3)
def test_the_inbox_says_more_than_the_limit_and_how_to_narrow_it(client, make_widget, handler, monkeypatch):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 2)  # (a limit is at least a page: small pages, few cases)
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


def test_a_short_first_page_is_its_own_count(make_widget):
    for _ in range(3):
        make_widget("submitted")
    paginator = CappedPaginator(Widget.objects.order_by("pk"), 5, limit=1000)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(None)
        assert (len(page.object_list), paginator.count, paginator.num_pages, page.has_next()) == (3, 3, 1, False)
    # One query: the page itself, one item longer than a page; no COUNT.
    assert len(queries.captured_queries) == 1
    assert "COUNT(" not in queries.captured_queries[0]["sql"].upper()


def test_a_full_first_page_counts_only_when_asked(make_widget):
    for _ in range(6):
        make_widget("submitted")
    paginator = CappedPaginator(Widget.objects.order_by("pk"), 5, limit=1000)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page("1")
    assert len(queries.captured_queries) == 1 and len(page.object_list) == 5
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, page.has_next()) == (6, True)
    assert len(queries.captured_queries) == 1 and "COUNT(" in queries.captured_queries[0]["sql"].upper()
    assert [case.pk for case in paginator.get_page(2).object_list] == [
        case.pk for case in Widget.objects.order_by("pk")
    ][5:]


def test_beyond_the_limit_the_pages_are_those_of_the_first_limit_items(make_widget):
    for _ in range(7):
        make_widget("submitted")
    cases = [case.pk for case in Widget.objects.order_by("pk")]
    paginator = CappedPaginator(Widget.objects.order_by("pk"), 2, limit=4)
    assert (paginator.capped, paginator.num_pages) == (True, 2)
    # A page number past them (typed into the address) shows the last of them, not the 5th item alone.
    last = paginator.get_page(9)
    assert (last.number, [case.pk for case in last.object_list], last.has_next()) == (2, cases[2:4], False)


@override_settings(SIGAP_INBOX_EXACT_COUNT_LIMIT=2)
def test_a_limit_below_a_page_counts_as_a_page(client, make_widget, handler):
    # Found by the outside trial: 10 cases on one page were "more than 2", and other page numbers showed 3.
    for _ in range(4):
        make_widget("submitted")
    client.force_login(handler)
    for number in (None, "abc", "0", "-1", "2", "999"):
        page = client.get(reverse("cases:inbox"), {"page": number} if number else {}).context["page"]
        assert (page.number, len(page.object_list), page.paginator.count, page.paginator.capped) == (1, 4, 4, False)


def test_capped_pages_hold_the_first_limit_items_whatever_the_page_number(make_widget):
    for _ in range(7):
        make_widget("submitted")
    cases = [case.pk for case in Widget.objects.order_by("pk")]
    paginator = CappedPaginator(Widget.objects.order_by("pk"), 2, limit=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (6, True, 3)
    pages = {number: [case.pk for case in paginator.get_page(number).object_list] for number in ("abc", "2", "3")}
    # Page 3 holds the 5th item only: not the 6th, which was counted to know there are more.
    assert pages == {"abc": cases[0:2], "2": cases[2:4], "3": cases[4:5]}
