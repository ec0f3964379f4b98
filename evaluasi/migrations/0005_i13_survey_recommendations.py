"""Issue 13: a recommendation may follow up a survey's results; exactly one of case, evaluation, survey."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_i11_event_labels'),
        ('evaluasi', '0004_i12_one_current_edition'),
        ('survei', '0001_i13_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='recommendation',
            name='recommendation_of_case_or_evaluation',
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='survey',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='survei.survey', verbose_name='survei'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='survey',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='recommendations', to='survei.survey', verbose_name='survei'),
        ),
        migrations.AddConstraint(
            model_name='recommendation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('case__isnull', False), ('evaluation__isnull', True), ('survey__isnull', True)), models.Q(('case__isnull', True), ('evaluation__isnull', False), ('survey__isnull', True)), models.Q(('case__isnull', True), ('evaluation__isnull', True), ('survey__isnull', False)), _connector='OR'), name='recommendation_of_one_subject'),
        ),
    ]
