"""The LKE editions and their questions in the admin (Pengaturan), so a new edition of the LKE is added as data.

Kept apart from evaluasi/admin.py (imported by EvaluasiConfig.ready()) so the LKE part stays in one place. A
question's ``rule`` must name a rule of evaluasi.lke (or stay empty: answered by hand), and its options must be
``{"label", "value"}`` with values from 1 down to 0: a typo is refused here, not found on the worksheet.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from evaluasi import lke
from evaluasi.models import LkeEdition, LkeQuestion


class LkeQuestionForm(forms.ModelForm):
    class Meta:
        model = LkeQuestion
        fields = ("order", "code", "section", "indicator", "text", "options", "weight", "rule", "evidence")

    def clean_rule(self):
        rule = self.cleaned_data.get("rule", "").strip()
        if rule and rule not in lke.RULES:
            raise forms.ValidationError(
                _("Aturan %(rule)s tidak dikenal. Pilihan: %(known)s.")
                % {"rule": rule, "known": ", ".join(sorted(lke.RULES))}
            )
        return rule

    def clean_options(self):
        options = self.cleaned_data.get("options") or []
        valid = isinstance(options, list) and all(
            isinstance(option, dict)
            and isinstance(option.get("label"), str)
            and isinstance(option.get("value"), int | float)
            and 0 <= option["value"] <= 1
            for option in options
        )
        if not valid:
            raise forms.ValidationError(
                _('Pilihan jawaban berupa daftar {"label": ..., "value": 0–1}; kosong untuk pertanyaan persentase.')
            )
        return options


class LkeQuestionInline(admin.TabularInline):
    model = LkeQuestion
    form = LkeQuestionForm
    extra = 0


@admin.register(LkeEdition)
class LkeEditionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "basis", "is_current")
    list_filter = ("is_current",)
    inlines = [LkeQuestionInline]


@admin.register(LkeQuestion)
class LkeQuestionAdmin(admin.ModelAdmin):
    form = LkeQuestionForm
    list_display = ("code", "edition", "section", "indicator", "weight", "rule")
    list_filter = ("edition", "section")
    search_fields = ("code", "text", "indicator")

    def get_fields(self, request, obj=None):
        return ("edition", *LkeQuestionForm.Meta.fields)
