"""Pengaturan never shows WBS content (DESIGN §1.1: admins cannot read it): reports, identity seals and
disclosure requests are not in the admin at all; the custodians are listed read-only, without key material."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from wbs.models import CustodianKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user, login_verified):
    login_verified(admin_user)
    return client


def test_no_wbs_model_but_the_custodian_list_is_in_the_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "wbs"}
    assert registered == {CustodianKey}
    assert len(list(apps.get_app_config("wbs").get_models())) > 1  # the others exist and are left out


def test_a_report_is_not_reachable_in_the_admin(admin_client, make_report):
    report = make_report()
    assert admin_client.get(f"/admin/wbs/wbsreport/{report.pk}/change/").status_code == 404
    assert admin_client.get("/admin/cases/case/").status_code == 404


def test_the_custodian_list_is_read_only_and_shows_no_key(admin_client, custodian_key):
    page = admin_client.get(reverse("admin:wbs_custodiankey_changelist")).content.decode()
    assert str(custodian_key) in page
    change = reverse("admin:wbs_custodiankey_change", args=[custodian_key.pk])
    assert admin_client.post(change, {"is_active": ""}).status_code == 403
    assert CustodianKey.objects.get(pk=custodian_key.pk).is_active
    assert admin_client.get(reverse("admin:wbs_custodiankey_add")).status_code == 403
    page = admin_client.get(change).content.decode()
    assert "wrapped" not in page.lower() and "public_key" not in page
