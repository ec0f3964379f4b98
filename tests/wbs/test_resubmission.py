"""Back after a report was sent, then "Kirim" again (issue 8): the reporter lands on the receipt page, and no
second report is filed — whether the browser kept the old page (the same one-time token) or loaded the form
again and refilled what was typed (a new token, the same text)."""

import re

import pytest
import time_machine
from django.test import Client

from tests.wbs.test_public_intake import FORM, form_data
from wbs.models import WbsReport

pytestmark = pytest.mark.django_db


def token_of(page: str) -> str:
    return re.search(r'name="submission" value="([^"]+)"', page).group(1)


def fresh_form(client) -> str:
    return token_of(client.get(FORM).content.decode())


def test_the_kept_page_sent_again_long_after_shows_the_receipt_notice(client, coordinator):
    with time_machine.travel("2026-11-23 09:00:00+07:00", tick=False) as clock:
        data = form_data(submission=fresh_form(client))
        first = client.post(FORM, data)
        assert first.status_code == 302
        assert 'id="receipt"' in client.get(first["Location"]).content.decode()
        clock.shift(2 * 3600)  # the reporter comes back to the tab later and presses Back, then "Kirim"
        again = client.post(FORM, data)
        assert again.status_code == 302 and again["Location"] == first["Location"]
        notice = client.get(again["Location"]).content.decode()
    assert "sudah ditampilkan" in notice and 'id="receipt"' not in notice
    assert WbsReport.objects.count() == 1


def test_the_page_after_a_refusal_sent_twice_files_once(client, coordinator):
    refused = client.post(FORM, form_data(submission=fresh_form(client), description=""))
    data = form_data(submission=token_of(refused.content.decode()))
    first = client.post(FORM, data)
    second = client.post(FORM, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert WbsReport.objects.count() == 1


def test_a_reloaded_form_refilled_with_the_same_text_files_no_second_report(client, coordinator):
    first = client.post(FORM, form_data(submission=fresh_form(client)))
    client.get(first["Location"])  # the receipt, seen once
    # Back: the form page is never cached, so the browser loads it again (a new token) and refills the fields.
    again = client.post(FORM, form_data(submission=fresh_form(client)))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert "sudah ditampilkan" in client.get(again["Location"]).content.decode()
    assert WbsReport.objects.count() == 1


def test_a_changed_text_or_another_client_is_a_new_report(client, coordinator):
    client.post(FORM, form_data(submission=fresh_form(client)))
    changed = client.post(FORM, form_data(submission=fresh_form(client), location="Gudang barat"))
    other = Client(REMOTE_ADDR="198.51.100.20")
    elsewhere = other.post(FORM, form_data(submission=fresh_form(other)))
    assert changed.status_code == elsewhere.status_code == 302
    assert WbsReport.objects.count() == 3
