"""Pengaturan (the admin) lists where declarations stand and which campaigns exist, never what anyone declared."""

import pytest
from django.urls import reverse

from benturan.models import Status
from tests.benturan.conftest import DECLARATION

pytestmark = pytest.mark.django_db


def test_the_admin_reads_where_a_declaration_stands_but_not_what_it_says(
    client, login_verified, admin_user, make_declaration
):
    declaration = make_declaration(Status.ANALYSING)
    login_verified(admin_user)
    listing = client.get(reverse("admin:benturan_declaration_changelist")).content.decode()
    page = client.get(reverse("admin:benturan_declaration_change", args=[declaration.pk])).content.decode()
    assert declaration.reference in listing and declaration.reference in page
    for secret in (DECLARATION["interest"], DECLARATION["people_involved"], DECLARATION["subject"]):
        assert secret not in listing and secret not in page


def test_the_admin_changes_no_declaration(client, login_verified, admin_user, make_declaration):
    declaration = make_declaration(Status.SUBMITTED)
    login_verified(admin_user)
    response = client.post(reverse("admin:benturan_declaration_change", args=[declaration.pk]), {"status": "closed"})
    assert response.status_code == 403
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED


def test_statements_are_not_in_the_admin():
    from django.contrib import admin

    from benturan.models import DeclaredInterest, InterestStatement

    assert not admin.site.is_registered(InterestStatement)
    assert not admin.site.is_registered(DeclaredInterest)


def test_the_admin_reads_a_declarations_log_in_words_without_its_texts(
    client, login_verified, admin_user, make_declaration, atasan
):
    from benturan import services
    from cases.models import CaseEvent

    declaration = make_declaration(Status.ANALYSING)
    services.decider_step_aside(declaration=declaration, actor=atasan, reason="Saya kerabat direktur peserta.")
    login_verified(admin_user)
    for event in CaseEvent.objects.filter(case=declaration):
        page = client.get(reverse("admin:cases_caseevent_change", args=[event.pk])).content.decode()
        assert page.count("kerabat") == 0
        assert "Prev hash" not in page and "From status" not in page
