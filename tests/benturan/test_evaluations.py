"""Benturan's evaluations and recommendations live in evaluasi's register since issue 12 (module "benturan"):
the old addresses lead there, the figures read from there, and the migration carries the old rows over with their
uuids, texts encrypted, follow-up kept. What evaluasi's pages allow and refuse is tested in tests/evaluasi/."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cases import policy

pytestmark = pytest.mark.django_db

BEFORE = [("benturan", "0004_i11_map_status_fsm"), ("evaluasi", "0001_i12_initial")]
AFTER = [("benturan", "0005_i12_evaluations_moved_to_evaluasi"), ("evaluasi", "0002_i12_benturan_evaluations")]


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


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_the_old_rows_into_evaluasi(make_user, unit):
    inspektur = make_user("inspektur", policy.INSPEKTUR)
    owner = make_user("owner", policy.PEGAWAI)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldEvaluation = old.get_model("benturan", "Evaluation")
    OldRecommendation = old.get_model("benturan", "Recommendation")
    evaluation = OldEvaluation.objects.create(
        unit_id=unit.pk,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        held_on=dt.date(2026, 7, 10),
        participants="Inspektur",
        findings="Temuan lama",
        created_by_id=inspektur.pk,
    )
    rows = [
        ("Selesai", "selesai", "Sudah dikerjakan", dt.date(2026, 8, 1), dt.date(2026, 8, 30)),
        ("Tidak dapat", "tidak_dapat", "Programnya dihentikan", dt.date(2026, 8, 2), dt.date(2026, 8, 30)),
        ("Belum", "belum", "", None, dt.date(2099, 1, 1)),
    ]
    made = {
        text: OldRecommendation.objects.create(
            evaluation=evaluation,
            text=text,
            owner_id=owner.pk,
            due_on=due_on,
            status=status,
            follow_up=follow_up,
            completed_on=completed_on,
        ).uuid
        for text, status, follow_up, completed_on, due_on in rows
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from evaluasi.models import Evaluation, FollowUp, Recommendation

    moved = Evaluation.objects.get(uuid=evaluation.uuid)
    assert (moved.module, moved.unit_id, moved.findings) == ("benturan", unit.pk, "Temuan lama")
    done = Recommendation.objects.get(uuid=made["Selesai"])
    assert done.status == FollowUp.SELESAI and done.completed_on == dt.date(2026, 8, 1)
    assert done.issued_on == dt.date(2026, 7, 10) and done.unit_id == unit.pk and done.created_by_id == inspektur.pk
    assert [action.description for action in done.actions.all()] == ["Sudah dikerjakan"]
    assert done.warned  # past due: no reminder burst on the first sweep
    impossible = Recommendation.objects.get(uuid=made["Tidak dapat"])
    assert impossible.status == FollowUp.TIDAK_DAPAT and impossible.reason == "Programnya dihentikan"
    assert not impossible.actions.exists()
    waiting = Recommendation.objects.get(uuid=made["Belum"])
    assert waiting.status == FollowUp.BELUM and waiting.warned == [] and waiting.completed_on is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings FROM evaluasi_evaluation WHERE id = %s", [moved.pk])
        assert "Temuan lama" not in cursor.fetchone()[0]  # encrypted on the way in
    assert "benturan_evaluation" not in connection.introspection.table_names()
