"""Pengaturan for the evaluation layer: the cadence per module (the LKE's "berkala"), and registers of the
evaluations and recommendations without their content.

Admins manage settings; they read no finding, recommendation or reason here (evaluasi.access: being admin opens
nothing), so the registers show where each record stands — module, unit, dates, status — and no encrypted field,
in the list or on the record's page. The content is read on the evaluasi pages, by those evaluasi.access lets in.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.admin import ReadOnlyAdmin
from evaluasi.models import Evaluation, EvaluationSchedule, Recommendation


@admin.register(EvaluationSchedule)
class EvaluationScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["module", "cadence"]
    list_editable = ["cadence"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["uuid", "module", "unit", "period_start", "period_end", "held_on", "created_at"]
    list_filter = ["module"]
    list_select_related = ["unit"]
    fields = ["uuid", "module", "unit", "period_start", "period_end", "held_on", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["uuid", "unit", "status", "issued_on", "due_on", "completed_on"]
    list_filter = ["status"]
    list_select_related = ["unit"]
    fields = [
        "uuid",
        "case",
        "evaluation",
        "unit",
        "owner",
        "status",
        "issued_on",
        "due_on",
        "completed_on",
        "warned",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
