"""Pengaturan (the Django admin) for pengaduan: the service catalogue and the handling rule, which an admin
keeps; complaints read-only, without their content or the complainant's identity (docs/adding-a-case-kind.md
step 12). Complaints change only through the transition service."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from cases.admin import ReadOnlyAdmin
from pengaduan.models import ApiClient, Complaint, HandlingRule, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "unit", "is_active"]
    list_filter = ["is_active", "group"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(HandlingRule)
class HandlingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return not HandlingRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "channel", "category", "unit", "received_at", "late_filing"]
    list_filter = ["status", "channel", "category", "late_filing"]
    search_fields = ["reference", "lapor_tracking_id"]
    fields = ["reference", "status", "channel", "category", "service", "unit", "received_at", "late_filing"]
    readonly_fields = fields


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """A partner application's Open311 key: made on creation and shown once in the confirmation message; only
    its SHA-256 is kept. A lost key is not recovered: deactivate the client and create a new one."""

    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    fields = ["name", "is_active"]

    def save_model(self, request, obj, form, change):
        key = None if change else obj.issue_key()
        super().save_model(request, obj, form, change)
        if key is not None:
            messages.warning(
                request,
                _("Kunci API untuk %(name)s: %(key)s — salin sekarang; kunci ini tidak akan ditampilkan lagi.")
                % {"name": obj.name, "key": key},
            )

    def has_delete_permission(self, request, obj=None):
        # Complaints keep the client that filed them (PROTECT): deactivate instead.
        return False
