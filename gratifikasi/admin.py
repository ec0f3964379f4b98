"""Pengaturan (the Django admin) for gratifikasi: a read-only register of the reports, without their content.

A report changes only through the transition service (cases.services.transition), so nothing here adds,
edits or deletes one. Who received what from whom is read on the case page, through the permission policy
(cases.policy: segregation of duties, confidential cases); an admin manages users and settings and sees only
where each report stands — enough to find a stuck case by its reference and hand it to the right officer.
"""

from django.contrib import admin

from cases.admin import CaseRegisterAdmin
from gratifikasi.models import GratifikasiReport


@admin.register(GratifikasiReport)
class GratifikasiReportAdmin(CaseRegisterAdmin):
    """Reference, status, unit and dates (CaseRegisterAdmin); none of the gift, the giver or the reporter."""
