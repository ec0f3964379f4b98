"""The hub (/benturan/) by who you are: an employee's statements and declarations, a supervisor's declarations
waiting for a decision, the inspectorate's and unit heads' registers; never another person's declaration."""

import datetime as dt

import pytest
from django.urls import reverse

from benturan import views
from benturan.models import InterestStatement, StatementCampaign, Status
from cases import workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_links(monkeypatch):
    """Every page the hub links to, installed or not yet (the other parts of the module)."""
    monkeypatch.setattr(views, "_link", lambda name, *args: f"/stub/{name}/")


def hub(client, user):
    client.force_login(user)
    response = client.get(reverse("benturan:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_needs_a_signed_in_user(client):
    assert client.get(reverse("benturan:home")).status_code == 302


def test_every_employee_gets_their_own_block_and_the_explanation(client, all_links, pegawai):
    content = hub(client, pegawai)
    assert "7 hari kerja" in content and "Benturan kepentingan adalah" in content
    assert "/stub/declare/" in content and "/stub/declarations/" in content
    assert 'id="atasan"' not in content and "/stub/open/" not in content
    assert 'id="pengelola"' not in content and "/stub/statistics/" not in content


def test_the_statement_status_of_open_campaigns(client, all_links, pegawai, rekan, inspektur, unit):
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
    assert "Pernyataan tahunan" in mine and "pernyataan sudah disampaikan" in mine and "/stub/statement/" in mine
    assert "Kampanye lama" not in mine
    theirs = hub(client, rekan)
    assert "pernyataan belum disampaikan" in theirs


def test_the_supervisor_sees_what_waits_for_their_decision(client, all_links, make_declaration, atasan):
    declaration = make_declaration(Status.ANALYSING)
    due = declaration.clocks.get(code="decision").due_date
    content = hub(client, atasan)
    assert 'id="atasan"' in content and "/stub/open/" in content
    assert declaration.reference in content and declaration.subject in content
    assert due.strftime("%d-%m-%Y") in content


def test_a_decided_declaration_no_longer_waits(client, all_links, make_declaration, atasan):
    declaration = make_declaration(Status.DECIDED)
    content = hub(client, atasan)
    assert declaration.reference not in content
    assert "Tidak ada deklarasi yang menunggu keputusan Anda." in content


def test_nobody_else_sees_the_declaration(client, all_links, make_declaration, rekan, kepala, inspektur, pegawai):
    declaration = make_declaration(Status.SUBMITTED)
    for person in (rekan, kepala, inspektur, pegawai):
        content = hub(client, person)
        assert declaration.reference not in content, person
        assert declaration.subject not in content, person
    # kepala supervises atasan: the block is there, empty.
    assert "Tidak ada deklarasi yang menunggu keputusan Anda." in hub(client, kepala)


def test_the_inspectorate_and_unit_heads_get_the_registers(client, all_links, inspektur, kepala, unit, rekan):
    content = hub(client, inspektur)
    for name in ("maps", "campaigns", "evaluations", "statistics"):
        assert f"/stub/{name}/" in content
    unit.head = kepala
    unit.save()
    assert "/stub/statistics/" in hub(client, kepala)
    assert 'id="pengelola"' not in hub(client, rekan)


def test_only_installed_pages_are_linked(client, inspektur):
    content = hub(client, inspektur)
    assert reverse("benturan:statistics") in content and reverse("benturan:evaluations") in content
    links = views._available_links()
    assert set(links) <= set(views.HUB_LINKS)
    assert links["statistics"] == reverse("benturan:statistics")
