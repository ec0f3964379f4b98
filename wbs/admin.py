"""Pengaturan (the Django admin) for WBS: the identity custodians, read-only. Never a report's content.

DESIGN §1.1: admins manage users and settings but cannot read WBS content, so WbsReport, its identity seals
and disclosure requests are deliberately not registered here (tests/wbs/test_admin.py keeps it so). What an
admin needs to see is whether custodians exist, since a report's identity is sealed to every active one.
Keys are made and removed on SIGAP's own pages (wbs.services), never here, and no key material is shown.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.admin import ReadOnlyAdmin
from wbs.models import CustodianKey


@admin.register(CustodianKey)
class CustodianKeyAdmin(ReadOnlyAdmin):
    list_display = ["custodian", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    fields = ["custodian", "is_active", "created_at"]
    readonly_fields = ["custodian", "is_active", "created_at"]

    @admin.display(description=_("kustodian"), ordering="user__first_name")
    def custodian(self, key):
        return str(key)
