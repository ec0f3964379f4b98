"""The dashboard renders every kind's panel over the demo data for the inspectorate, and refuses others."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_inspectorate_reads_every_kind_for_the_year(client, demo):
    client.force_login(get_user_model().objects.get(username="inspektur"))
    response = client.get("/evaluasi/", {"periode": "2026"})
    assert response.status_code == 200
    body = response.content.decode()
    for kind in ("gratifikasi", "wbs", "pengaduan", "benturan"):
        assert f'id="kind-{kind}"' in body


def test_an_employee_is_refused(client, demo):
    client.force_login(get_user_model().objects.get(username="pegawai"))
    assert client.get("/evaluasi/").status_code == 403


def test_a_mistyped_period_says_so(client, demo):
    client.force_login(get_user_model().objects.get(username="inspektur"))
    response = client.get("/evaluasi/", {"periode": "2026-Q5"})
    assert "tidak dikenal" in response.content.decode()
