"""evaluasi 0002 carries benturan's own evaluations and recommendations (benturan 0001–0004) into evaluasi's register,
module "benturan", before benturan 0005 drops its tables: uuids kept (benturan's old addresses redirect by them),
texts encrypted on the way in, follow-up kept as an action or a reason, past reminders marked sent.

Transactional (SQLite alters tables outside a transaction only). Its flush at the end takes the rows the migrations
made (groups, settings); it sits here, after tests/cases/, whose tests/cases/test_demo.py needs them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases import policy

BEFORE = [("benturan", "0004_i11_map_status_fsm"), ("evaluasi", "0001_i12_initial")]
AFTER = [("benturan", "0005_i12_evaluations_moved_to_evaluasi"), ("evaluasi", "0003_i12_benturan_evaluations")]


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
