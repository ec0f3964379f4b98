"""The instruments, their versions and the scoring rules in the admin (Pengaturan): the survey content is data an
admin edits (issue 13), under one rule — what respondents answered and how it was scored never changes after the
fact (survei.models).

- An instrument version that has responses (``is_used``) is shown read-only, its variables and items too; the
  action "Salin ke versi baru" copies it (variables, items, options) to the next number and opens the copy.
- A scoring rule a survey uses is not changed when saved: the change is saved as a new row of the same code,
  version + 1, and the message says so (survei.services.scoring_rule_save).
- Surveys are run from the officer's pages (their transitions are survei.services'); here they are read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from survei import scoring, services
from survei.models import (
    Instrument,
    InstrumentVersion,
    Item,
    ScoringRule,
    Survey,
    SurveyService,
    SurveyStatus,
    Variable,
)


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = (
            "code",
            "kind",
            "name",
            "basis",
            "lke_weight",
            "minimum_wbk",
            "minimum_wbbm",
            "default_rule",
            "is_active",
        )

    def clean(self):
        cleaned = super().clean()
        rule, kind = cleaned.get("default_rule"), cleaned.get("kind") or getattr(self.instance, "kind", "")
        version = self.instance.current_version() if self.instance.pk else None
        # Without a version yet, the scale the kind is asked on (SKM 1–4, the ZI perception surveys 1–6).
        scale = version.scale if version is not None else (4 if kind == "skm" else 6)
        if rule is not None and kind:
            misfit = scoring.rule_fits(rule.method, rule.params, scale, kind)
            if misfit:
                self.add_error("default_rule", misfit)
        return cleaned


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    form = InstrumentForm
    list_display = ("name", "code", "kind", "default_rule", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    # What a result is compared with and where the LKE reads it: fixed once a survey has been run with the
    # instrument, so a published result and its PDF never disagree (a new threshold is a new instrument).
    FIXED_WHEN_USED = ("code", "kind", "lke_weight", "minimum_wbk", "minimum_wbbm")

    def get_readonly_fields(self, request, obj=None):
        used = (
            obj is not None
            and Survey.objects.filter(instrument_version__instrument=obj).exclude(status=SurveyStatus.DRAFT).exists()
        )
        return self.FIXED_WHEN_USED if used else ()


class _FrozenWhenUsed:
    """Read-only once the version (of the object, or the inline's parent) is used by an opened survey."""

    @staticmethod
    def _version(obj):
        if isinstance(obj, InstrumentVersion):
            return obj
        if isinstance(obj, Variable):
            return obj.version
        if isinstance(obj, Item):
            return obj.variable.version
        return None

    def _frozen(self, obj) -> bool:
        version = self._version(obj)
        return version is not None and version.pk is not None and version.is_used

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if isinstance(self, admin.options.InlineModelAdmin):
            return not self._frozen(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class VariableInline(_FrozenWhenUsed, admin.TabularInline):
    model = Variable
    extra = 0
    fields = ("order", "code", "name", "weight")


@admin.action(description=gettext_lazy("Salin ke versi baru"))
def copy_to_new_version(modeladmin, request, queryset):
    versions = list(queryset)
    if len(versions) != 1:
        modeladmin.message_user(request, _("Pilih tepat satu versi untuk disalin."), messages.WARNING)
        return None
    copy = services.instrument_version_copy(version=versions[0])
    modeladmin.message_user(
        request,
        _(
            "Versi %(old)d disalin menjadi versi %(new)d. Ubah pertanyaannya di sini; survei yang sudah berjalan tetap "
            "memakai versi lamanya."
        )
        % {"old": versions[0].number, "new": copy.number},
        messages.SUCCESS,
    )
    return redirect(reverse("admin:survei_instrumentversion_change", args=[copy.pk]))


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(_FrozenWhenUsed, admin.ModelAdmin):
    list_display = ("instrument", "number", "scale", "created_at")
    list_filter = ("instrument",)
    inlines = [VariableInline]
    actions = [copy_to_new_version]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if version is not None and version.is_used and request.method == "GET":
            self.message_user(
                request,
                _(
                    "Versi ini sudah dipakai survei yang dibuka sehingga tidak dapat diubah. Untuk mengubah "
                    "pertanyaan, pilih versi ini di daftar lalu jalankan tindakan “Salin ke versi baru”."
                ),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ("variable", "code", "text", "options", "negative", "order")

    def clean_variable(self):
        variable = self.cleaned_data["variable"]
        if variable is not None and variable.version.is_used:
            raise forms.ValidationError(
                _(
                    "Versi instrumen ini sudah dipakai survei yang dibuka. Salin ke versi baru, lalu tambahkan "
                    "butirnya di sana."
                )
            )
        return variable


@admin.register(Item)
class ItemAdmin(_FrozenWhenUsed, admin.ModelAdmin):
    form = ItemForm
    list_display = ("code", "variable", "negative", "order")
    list_filter = ("variable__version__instrument", "variable__version__number")
    search_fields = ("code", "text")
    list_select_related = ("variable__version__instrument",)


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "version", "method", "created_at")
    list_filter = ("method", "code")
    # The version number is the admin's to read, not to type: a used rule's change takes the next one itself.
    readonly_fields = ("version", "created_at")
    fields = ("code", "version", "name", "method", "params", "basis", "created_at")

    def save_model(self, request, obj, form, change):
        saved, new = services.scoring_rule_save(rule=obj)
        if new:
            self.message_user(
                request,
                _(
                    "Aturan ini sudah dipakai survei, jadi tidak diubah: perubahan disimpan sebagai versi baru "
                    "%(version)d (kode %(code)s). Versi lama dan hasil survei yang memakainya tetap."
                )
                % {"version": saved.version, "code": saved.code},
                messages.WARNING,
            )


class SurveyServiceInline(admin.TabularInline):
    model = SurveyService
    extra = 0
    fields = ("name", "population", "order")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read-only: a survey is created, opened, closed and published on the officer's pages, through
    survei.services, never by editing its status here."""

    list_display = ("title", "unit", "status", "period_start", "period_end")
    list_filter = ("status", "instrument_version__instrument")
    search_fields = ("title",)
    inlines = [SurveyServiceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
