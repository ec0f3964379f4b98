"""One number format per language (issue 8): Bahasa Indonesia writes 2.500.000, English 2,500,000 — in
templates, in texts built in Python (the exemption advice) and never inside a link."""

from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from cases import formats
from gratifikasi import exemptions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "expected"), [("id", "Rp2.500.000"), ("en", "Rp2,500,000")])
def test_rupiah_follows_the_active_language(language, expected):
    with translation.override(language):
        assert formats.rupiah(2_500_000) == expected
        # The exemption advice (built in Python) writes amounts as the templates do.
        assert exemptions.rupiah(2_500_000) == expected
        rendered = Template("{% load humanize %}Rp{{ v|intcomma }} {{ v }}").render(Context({"v": 2_500_000}))
        assert rendered == f"{expected} {expected[2:]}"


def test_page_numbers_in_links_stay_plain_digits_past_a_thousand(client, handler):
    from cases.models import Notification

    client.force_login(handler)
    Notification.objects.bulk_create(Notification(user=handler, subject=f"n{i}", body="") for i in range(1002))
    with mock.patch("cases.views.PAGE_SIZE", 1):
        page = client.get(reverse("cases:notifications"), {"page": 1001}).content.decode()
    assert 'href="?page=1000"' in page and 'href="?page=1002"' in page
    assert "1.001" in page  # the page number shown to the reader is grouped
