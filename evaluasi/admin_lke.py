"""The LKE editions and their questions in the admin (Pengaturan), so a new edition of the LKE is added as data.

Kept apart from evaluasi/admin.py (imported by EvaluasiConfig.ready()) so the LKE part stays in one place.
"""

from django.contrib import admin

from evaluasi.models import LkeEdition, LkeQuestion


class LkeQuestionInline(admin.TabularInline):
    model = LkeQuestion
    extra = 0
    fields = ("order", "code", "section", "indicator", "text", "options", "weight", "rule", "evidence")


@admin.register(LkeEdition)
class LkeEditionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "basis", "is_current")
    list_filter = ("is_current",)
    inlines = [LkeQuestionInline]


@admin.register(LkeQuestion)
class LkeQuestionAdmin(admin.ModelAdmin):
    list_display = ("code", "edition", "section", "indicator", "weight", "rule")
    list_filter = ("edition", "section")
    search_fields = ("code", "text", "indicator")
