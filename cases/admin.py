"""Admin: organisation, roles and the calendar. Cases themselves are not edited here — only through the
transition service — and the event log is read-only."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cases import workdays
from cases.models import CalendarOverride, CaseEvent, EmployeeProfile, RolePolicy, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


class EmployeeProfileForm(forms.ModelForm):
    class Meta:
        model = EmployeeProfile
        fields = ["user", "nip", "nik", "position", "rank", "unit", "institution", "supervisor", "phone", "address"]
        # NIK and address are encrypted text columns; they are edited as one line and a short box.
        widgets = {
            "nik": forms.TextInput(attrs={"inputmode": "numeric"}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }


@admin.register(EmployeeProfile)
class EmployeeProfileAdmin(admin.ModelAdmin):
    form = EmployeeProfileForm
    list_display = ["user", "nip", "position", "unit", "supervisor"]
    list_select_related = ["user", "unit", "supervisor"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "nip"]
    autocomplete_fields = ["user", "supervisor"]


@admin.register(RolePolicy)
class RolePolicyAdmin(admin.ModelAdmin):
    list_display = ["group", "require_two_factor"]
    list_editable = ["require_two_factor"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "description", "is_working_day"]
    date_hierarchy = "date"

    COVERAGE_MESSAGES = {
        "none": _("Tahun %(year)s di luar data paket holidays: hanya Sabtu–Minggu dan penyesuaian di sini yang libur."),
        "no_cuti_bersama": _("Cuti bersama tahun %(year)s belum ada di paket holidays: tambahkan di sini sesuai SKB."),
        "estimated": _(
            "Sebagian hari libur keagamaan tahun %(year)s masih perkiraan: sesuaikan dengan SKB bila berbeda."
        ),
    }

    def changelist_view(self, request, extra_context=None):
        this_year = workdays.today().year
        for year in (this_year, this_year + 1):
            coverage = workdays.year_coverage(year)
            if coverage in self.COVERAGE_MESSAGES:
                messages.warning(request, self.COVERAGE_MESSAGES[coverage] % {"year": year})
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.overrides_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.overrides_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        workdays.overrides_changed()


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["case", "seq", "action", "actor", "created_at", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["case", "actor"]
    search_fields = ["case__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
