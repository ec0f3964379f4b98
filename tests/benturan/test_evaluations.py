"""Benturan's evaluations and recommendations live in evaluasi's register since issue 12 (module "benturan"):
the old addresses lead there and the figures read from there. The migration that carried the old rows over is
tested in tests/evaluasi/test_evaluations_benturan_move.py; what evaluasi's pages allow and refuse in
tests/evaluasi/."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_old_addresses_lead_to_evaluasi(client, inspektur):
    client.force_login(inspektur)
    some = uuid.uuid4()
    cases = [
        (reverse("benturan:evaluations"), reverse("evaluasi:evaluations") + "?module=benturan"),
        (reverse("benturan:evaluation_new"), reverse("evaluasi:evaluation_new")),
        (reverse("benturan:evaluation_detail", args=[some]), reverse("evaluasi:evaluation", args=[some])),
        (reverse("benturan:recommendation_update", args=[some]), reverse("evaluasi:recommendation", args=[some])),
    ]
    for old, new in cases:
        response = client.get(old)
        assert response.status_code == 302 and response["Location"] == new, old


def test_the_old_addresses_need_a_sign_in(client):
    response = client.get(reverse("benturan:evaluations"))
    assert response.status_code == 302 and "evaluasi" not in response["Location"].split("?")[0]


def test_the_home_page_links_the_owner_to_their_follow_ups(client, pegawai, inspektur, unit):
    from evaluasi import services
    from evaluasi.periods import Period

    evaluation = services.evaluation_record(
        module="benturan",
        unit=unit,
        period=Period.quarter(2026, 3),
        held_on=dt.date(2026, 10, 5),
        participants="P",
        findings="F",
        actor=inspektur,
    )
    services.recommendation_add(
        evaluation=evaluation, text="R", owner=pegawai, due_on=dt.date(2027, 1, 29), actor=inspektur
    )
    client.force_login(pegawai)
    body = client.get(reverse("benturan:home")).content.decode()
    assert reverse("evaluasi:my_follow_ups") in body
