"""Pengaturan lists gratifikasi reports read-only and without their content: a report changes only through the
transition service, and who gave what is read on the case page, through the permission policy."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import strip_tags

from gratifikasi.models import GratifikasiReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user, login_verified):
    login_verified(admin_user)
    return client


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def test_it_lists_reports_by_reference_and_status_label_without_the_gift(admin_client, make_report):
    report = make_report(["submit"], giver_name="Hendro Rahasia")
    page = text(admin_client.get(reverse("admin:gratifikasi_gratifikasireport_changelist")))
    assert report.reference in page
    assert str(report.status_label) in page
    assert "Hendro Rahasia" not in page and "Parsel" not in page


def test_the_report_page_shows_no_content_and_cannot_be_changed(admin_client, make_report):
    report = make_report(["submit"], giver_name="Hendro Rahasia")
    url = reverse("admin:gratifikasi_gratifikasireport_change", args=[report.pk])
    page = text(admin_client.get(url))
    assert report.reference in page
    assert "Hendro Rahasia" not in page and "parsel" not in page.lower()
    assert admin_client.post(url, {"reference": "X"}).status_code == 403
    delete = reverse("admin:gratifikasi_gratifikasireport_delete", args=[report.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert GratifikasiReport.objects.get(pk=report.pk).reference == report.reference


def test_nobody_adds_a_report_in_the_admin(admin_client):
    model_admin = admin.site._registry[GratifikasiReport]
    assert admin_client.get(reverse("admin:gratifikasi_gratifikasireport_add")).status_code == 403
    assert not model_admin.has_add_permission(None)
