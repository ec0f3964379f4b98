"""Issue 14: one partial index per deadline-sweep stage (the running clocks still owed it), so the sweep reads
only what it will send and an idle sweep reads nothing; they replace the index of all running clocks."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_i14_inbox_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="deadlineclock",
            name="clock_running_due",
        ),
        migrations.AddIndex(
            model_name="deadlineclock",
            index=models.Index(
                condition=models.Q(
                    ("escalated_at__isnull", True),
                    ("met_on__isnull", True),
                    ("paused_on__isnull", True),
                    ("stopped_on__isnull", True),
                ),
                fields=["due_date", "id"],
                name="clock_owed_breach",
            ),
        ),
        migrations.AddIndex(
            model_name="deadlineclock",
            index=models.Index(
                condition=models.Q(
                    ("met_on__isnull", True),
                    ("paused_on__isnull", True),
                    ("stopped_on__isnull", True),
                    ("warned_h1_at__isnull", True),
                ),
                fields=["due_date", "id"],
                name="clock_owed_h1",
            ),
        ),
        migrations.AddIndex(
            model_name="deadlineclock",
            index=models.Index(
                condition=models.Q(
                    ("met_on__isnull", True),
                    ("paused_on__isnull", True),
                    ("stopped_on__isnull", True),
                    ("warned_h3_at__isnull", True),
                ),
                fields=["due_date", "id"],
                name="clock_owed_h3",
            ),
        ),
    ]
