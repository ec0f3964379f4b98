"""Pengaturan (the Django admin) for benturan kepentingan."""

from django.contrib import admin

from benturan.models import Declaration, MainFunction, RiskMap, RiskMapEntry, StatementCampaign
from cases.admin import CaseRegisterAdmin, ReadOnlyAdmin

# --- Declarations


@admin.register(Declaration)
class DeclarationAdmin(CaseRegisterAdmin):
    """Reference, status, unit and dates (CaseRegisterAdmin); nothing of the interest, the people or the decision:
    an admin manages users and settings, and a declaration is personal data."""


# --- Risk map
# A unit's main functions are a setting (the denominator of LKE benturan a): admins may keep them. The maps and
# their rows are written only by benturan.services (an approved version never changes), so they are read-only here.


@admin.register(MainFunction)
class MainFunctionAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_active", "order"]
    list_filter = ["is_active", "unit"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__code", "unit__name"]

    def has_delete_permission(self, request, obj=None):
        # Approved maps point at their functions: deactivate instead, so past coverage still reads the same.
        return False


class RiskMapEntryInline(admin.TabularInline):
    model = RiskMapEntry
    fields = ["order", "function", "position", "source", "likelihood", "impact"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RiskMap)
class RiskMapAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "version", "status", "prepared_by", "approved_by", "approved_at"]
    list_filter = ["status", "year"]
    list_select_related = ["unit", "prepared_by", "approved_by"]
    search_fields = ["unit__code", "unit__name"]
    inlines = [RiskMapEntryInline]


@admin.register(RiskMapEntry)
class RiskMapEntryAdmin(ReadOnlyAdmin):
    list_display = ["risk_map", "order", "function", "position", "source", "likelihood", "impact"]
    list_filter = ["source"]
    list_select_related = ["risk_map__unit", "function"]
    search_fields = ["position", "risk_map__unit__code"]


# --- Statements
# Campaigns are opened and read on their pages by the inspectorate; Pengaturan lists them and nothing more. The
# statements themselves (personal data) are not registered here at all.


@admin.register(StatementCampaign)
class StatementCampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "unit", "population", "opens_on", "closes_on", "created_by"]
    list_filter = ["year", "population"]
    list_select_related = ["unit", "created_by"]
    search_fields = ["title", "unit__code"]
