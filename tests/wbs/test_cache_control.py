"""The decrypted WBS case page and the reporter's tracking pages are never kept by a browser or a proxy
(Cache-Control: no-store), and the public intake pages send no Referer to other sites (issue 8)."""

import pytest

from cases import intake

pytestmark = pytest.mark.django_db


def assert_no_store(response):
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


def test_the_decrypted_case_page_is_not_stored(client, make_report, coordinator):
    report = make_report()
    client.force_login(coordinator)
    response = client.get(f"/kasus/{report.reference}/")
    assert response.status_code == 200
    assert_no_store(response)


def test_the_public_form_and_every_tracking_page_are_not_stored(client, make_report):
    report = make_report()
    assert_no_store(client.get("/wbs/lapor/"))
    assert_no_store(client.get("/wbs/lapor/pantau/"))
    response = client.post("/wbs/lapor/pantau/", {"receipt": intake.format_receipt(report.receipt)})
    assert response.status_code == 302
    assert_no_store(response)
    status = client.get(response["Location"])
    assert status.status_code == 200
    assert_no_store(status)
    assert status["Referrer-Policy"] == "same-origin"
