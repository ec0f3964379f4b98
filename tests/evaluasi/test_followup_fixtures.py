"""Shared fixtures of the follow-up, evaluation and reminder tests, imported by them (named test_followup_* to
sit with the files this work owns; it holds no tests). An inspector and a second one, the owner (pegawai, whose
supervisor is the atasan), the head of the owner's unit (the atasan), the head of another unit, an evaluation of
the test kind and a recommendation on it."""

import datetime as dt

import pytest

from cases import policy
from evaluasi import services
from evaluasi.periods import Period

SECRET = "Rekomendasi rahasia: perbaiki pengadaan paket X"


@pytest.fixture
def inspektur2(make_user):
    return make_user("inspektur2", policy.INSPEKTUR)


@pytest.fixture
def unit_head(atasan, unit):
    unit.head = atasan
    unit.save()
    return atasan


@pytest.fixture
def other_head(make_user, other_unit):
    head = make_user("kepala_humas", policy.ATASAN, policy.PEGAWAI)
    other_unit.head = head
    other_unit.save()
    return head


@pytest.fixture
def evaluation(inspektur, unit):
    return services.evaluation_record(
        module="uji",
        unit=unit,
        period=Period.quarter(2026, 3),
        held_on=dt.date(2026, 10, 5),
        participants="Inspektur, kepala bagian",
        findings="Temuan rahasia evaluasi",
        actor=inspektur,
    )


@pytest.fixture
def recommendation(evaluation, pegawai, inspektur):
    return services.recommendation_add(
        evaluation=evaluation,
        text=SECRET,
        owner=pegawai,
        due_on=dt.date(2026, 12, 31),
        actor=inspektur,
        issued_on=dt.date(2026, 10, 6),
    )


@pytest.fixture
def as_user(client, login_verified):
    """Sign the test client in as `user` (with the second factor, which inspectors' roles may require)."""

    def sign_in(user):
        client.logout()
        login_verified(user)
        return client

    return sign_in
