"""Pengaturan (the Django admin) for gratifikasi: a read-only register of the reports, without their content.

A report changes only through the transition service (cases.services.transition), so nothing here adds,
edits or deletes one. Who received what from whom is read on the case page, through the permission policy
(cases.policy: segregation of duties, confidential cases); an admin manages users and settings and sees only
where each report stands — enough to find a stuck case by its reference and hand it to the right officer.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.admin import ReadOnlyAdmin
from gratifikasi.models import GratifikasiReport

# The Case columns an admin may read; none of the gift, the giver or the reporter.
REGISTER_FIELDS = ["reference", "status", "unit", "confidentiality", "submitted_at", "closed_at", "due_date"]


@admin.register(GratifikasiReport)
class GratifikasiReportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status_name", "unit", "confidentiality", "submitted_at", "due_date", "closed_at"]
    list_filter = ["status", "confidentiality"]
    list_select_related = ["unit"]
    search_fields = ["reference"]
    fields = REGISTER_FIELDS
    readonly_fields = REGISTER_FIELDS

    @admin.display(description=_("status"), ordering="status")
    def status_name(self, report):
        return report.status_label
