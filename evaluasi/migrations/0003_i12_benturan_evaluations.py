"""Benturan kepentingan's own evaluations and recommendations (benturan 0001–0004) become evaluasi's, module
"benturan": one register of periodic evaluations and follow-up for every module (issue 12).

Each row keeps its uuid, so benturan's old addresses redirect to the same record here. A recommendation's issue
date is its evaluation's date; its written follow-up becomes one action by its owner (dated the day it was
completed, else the evaluation's), a "tidak dapat" one's text its reason. Reminders already past are marked sent,
so the first sweep does not escalate years-old recommendations at once. Texts are encrypted on the way in
(EncryptedTextField). benturan's history rows are not copied; its next migration drops its tables.
"""

import datetime as dt

from django.db import migrations

STAGES = ["due_in_3", "due_in_1", "due_today", "overdue"]


def copy_rows(apps, schema_editor):
    OldEvaluation = apps.get_model("benturan", "Evaluation")
    OldRecommendation = apps.get_model("benturan", "Recommendation")
    Evaluation = apps.get_model("evaluasi", "Evaluation")
    Recommendation = apps.get_model("evaluasi", "Recommendation")
    FollowUpAction = apps.get_model("evaluasi", "FollowUpAction")
    today = dt.date.today()
    for old in OldEvaluation.objects.order_by("pk").iterator():
        evaluation = Evaluation.objects.create(
            uuid=old.uuid,
            module="benturan",
            unit_id=old.unit_id,
            period_start=old.period_start,
            period_end=old.period_end,
            held_on=old.held_on,
            participants=old.participants,
            findings=old.findings,
            created_by_id=old.created_by_id,
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(created_at=old.created_at)
        for rec in OldRecommendation.objects.filter(evaluation_id=old.pk).order_by("pk"):
            closed = rec.status in ("selesai", "tidak_dapat")
            new = Recommendation.objects.create(
                uuid=rec.uuid,
                evaluation=evaluation,
                unit_id=old.unit_id,
                text=rec.text,
                owner_id=rec.owner_id,
                issued_on=min(old.held_on, rec.due_on),
                due_on=rec.due_on,
                status=rec.status,
                reason=rec.follow_up if rec.status == "tidak_dapat" else "",
                completed_on=rec.completed_on if closed else None,
                created_by_id=old.created_by_id,
                warned=STAGES if rec.due_on < today else [],
            )
            if rec.follow_up.strip() and rec.status != "tidak_dapat":
                action = FollowUpAction.objects.create(
                    recommendation=new,
                    done_on=rec.completed_on or old.held_on,
                    description=rec.follow_up,
                    created_by_id=rec.owner_id,
                )
                FollowUpAction.objects.filter(pk=action.pk).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluasi", "0002_i12_lke_seed"),
        ("benturan", "0004_i11_map_status_fsm"),
    ]

    # Not reversible: benturan's tables are gone after its next migration.
    operations = [migrations.RunPython(copy_rows, migrations.RunPython.noop)]
