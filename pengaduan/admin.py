"""Pengaturan (the Django admin) for pengaduan: the service catalogue and the handling rule, which an admin
keeps; complaints read-only, without their content or the complainant's identity (docs/adding-a-case-kind.md
step 12). Complaints change only through the transition service."""

from django.contrib import admin

from cases.admin import ReadOnlyAdmin
from pengaduan.models import Complaint, HandlingRule, Service


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
