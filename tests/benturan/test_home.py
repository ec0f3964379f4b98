"""The hub (/benturan/) by who you are: an employee's statements and declarations, a supervisor's declarations
waiting for a decision, the inspectorate's and unit heads' registers; never another person's declaration."""

import datetime as dt

import pytest
from django.urls import reverse

from benturan.models import InterestStatement, StatementCampaign, Status
from cases import workdays

pytestmark = pytest.mark.django_db


def hub(client, user):
    client.force_login(user)
    response = client.get(reverse("benturan:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_needs_a_signed_in_user(client):
    assert client.get(reverse("benturan:home")).status_code == 302


def test_every_employee_gets_their_own_block_and_the_explanation(client, pegawai):
    content = hub(client, pegawai)
    assert "7 hari kerja" in content and "Benturan kepentingan adalah" in content
    assert reverse("benturan:declare") in content and reverse("benturan:declarations") in content
    assert 'id="atasan"' not in content and reverse("benturan:open") not in content
    assert 'id="pengelola"' not in content and reverse("benturan:statistics") not in content


def test_the_statement_status_of_open_campaigns(client, pegawai, rekan, inspektur, unit):
    today = workdays.today()
    campaign = StatementCampaign.objects.create(
        year=today.year,
        title="Pernyataan tahunan",
        unit=unit.parent,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        created_by=inspektur,
    )
    StatementCampaign.objects.create(
        year=today.year - 1,
        title="Kampanye lama",
        unit=unit.parent,
        opens_on=today - dt.timedelta(days=400),
        closes_on=today - dt.timedelta(days=300),
        created_by=inspektur,
    )
    now = dt.datetime.now(dt.UTC)
    InterestStatement.objects.create(
        campaign=campaign, employee=pegawai, unit=unit, has_interests=False, filed_at=now, confirmed_at=now
    )
    mine = hub(client, pegawai)
    assert (
        "Pernyataan tahunan" in mine
        and "pernyataan sudah disampaikan" in mine
        and reverse("benturan:statement") in mine
    )
    assert "Kampanye lama" not in mine
    theirs = hub(client, rekan)
    assert "pernyataan belum disampaikan" in theirs


def test_the_supervisor_sees_what_waits_for_their_decision(client, make_declaration, atasan):
    declaration = make_declaration(Status.ANALYSING)
    due = declaration.clocks.get(code="decision").due_date
    content = hub(client, atasan)
    assert 'id="atasan"' in content and reverse("benturan:open") in content
    assert declaration.reference in content and declaration.subject in content
    assert due.strftime("%d-%m-%Y") in content


def test_a_decided_declaration_no_longer_waits(client, make_declaration, atasan):
    declaration = make_declaration(Status.DECIDED)
    content = hub(client, atasan)
    assert declaration.reference not in content
    assert "Tidak ada deklarasi yang menunggu keputusan Anda." in content


def test_nobody_else_sees_the_declaration(client, make_declaration, rekan, kepala, inspektur, pegawai):
    declaration = make_declaration(Status.SUBMITTED)
    for person in (rekan, kepala, inspektur, pegawai):
        content = hub(client, person)
        assert declaration.reference not in content, person
        assert declaration.subject not in content, person
    # kepala supervises atasan: the block is there, empty.
    assert "Tidak ada deklarasi yang menunggu keputusan Anda." in hub(client, kepala)


def test_the_inspectorate_and_unit_heads_get_the_registers(client, inspektur, kepala, unit, rekan):
    content = hub(client, inspektur)
    for name in ("maps", "campaigns", "statistics"):
        assert reverse(f"benturan:{name}") in content
    # Benturan's evaluations are in evaluasi's register since issue 12.
    assert reverse("evaluasi:evaluations") + "?module=benturan" in content
    unit.head = kepala
    unit.save()
    assert reverse("benturan:statistics") in hub(client, kepala)
    assert 'id="pengelola"' not in hub(client, rekan)


def test_the_supervisor_finds_a_flagged_statement_on_the_hub(client, pegawai, atasan, monkeypatch):
    from benturan import services

    monkeypatch.setattr(services, "statement_flag_reason", lambda **kwargs: "Bersinggungan.")
    statement = services.statement_file(
        employee=pegawai, campaign=None, has_interests=True, interests=[{"category": "keluarga", "party": "CV X"}]
    )
    content = hub(client, atasan)
    assert reverse("benturan:statement_detail", args=[statement.uuid]) in content
    assert "CV X" not in content  # the hub names whose, never what
