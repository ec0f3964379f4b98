"""Admin ("Pengaturan"): organisation, roles and the calendar. Cases themselves are not edited here — only
through the transition service — and the event log is read-only.

Everything an admin reads here is Indonesian: the site's own titles, the sections of third-party apps, role
and status labels instead of codes, and people by their full names."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from guardian.conf import settings as guardian_settings

from cases import audit, policy, registry, workdays
from cases.models import CalendarOverride, CaseEvent, EmployeeProfile, RolePolicy, Unit

admin.site.site_title = _("Pengaturan SIGAP")
admin.site.site_header = _("Pengaturan SIGAP")
admin.site.index_title = _("Pengaturan")

# Section names of third-party apps. Only the app's verbose_name: a model's verbose_name is part of its
# migration state, and changing it here would make `makemigrations` want to write into site-packages.
THIRD_PARTY_SECTIONS = {
    "auth": _("Pengguna dan peran"),
    "axes": _("Pembatasan percobaan masuk"),
    "otp": _("Verifikasi dua langkah"),
    "otp_totp": _("Verifikasi dua langkah"),
    "otp_static": _("Kode cadangan verifikasi dua langkah"),
    "guardian": _("Izin per kasus"),
    "simple_history": _("Riwayat perubahan"),
}
for _label, _name in THIRD_PARTY_SECTIONS.items():
    if _label in apps.app_configs:
        apps.get_app_config(_label).verbose_name = _name

# The role groups are named by code (cases.policy); the admin shows what they mean.
ROLE_LABELS = {
    policy.PEGAWAI: _("Pegawai"),
    policy.PETUGAS_UPG: _("Petugas UPG"),
    policy.PETUGAS_PENGADUAN: _("Petugas pengaduan"),
    policy.PENGELOLA_WBS: _("Pengelola WBS"),
    policy.KUSTODIAN: _("Kustodian identitas"),
    policy.ATASAN: _("Atasan langsung"),
    policy.INSPEKTUR: _("Inspektur"),
    policy.ADMIN: _("Admin"),
    policy.PETUGAS_SURVEI: _("Petugas survei"),
}


def role_label(name: str) -> str:
    return str(ROLE_LABELS.get(name, name))


def person(user) -> str:
    """A user as people know them: full name, with the username to tell two namesakes apart."""
    if user is None:
        return "—"
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


# The devices of django-otp are not administered one by one: their screens are English and show secrets'
# metadata. An admin resets a user's two-factor sign-in from the user list instead (a lost phone).
for _model_name in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
    _model = apps.get_model(_model_name)
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


class RoleFilter(admin.SimpleListFilter):
    title = _("peran")
    parameter_name = "peran"

    def lookups(self, request, model_admin):
        return [(group.name, role_label(group.name)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(User)
class SigapUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "email", "roles", "is_staff", "is_active", "two_factor"]
    list_filter = ["is_staff", "is_superuser", "is_active", RoleFilter]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        # django-guardian's AnonymousUser row stands for signed-out visitors; nobody administers it.
        queryset = super().get_queryset(request).exclude(username=guardian_settings.ANONYMOUS_USER_NAME)
        return queryset.prefetch_related("groups").annotate(
            confirmed_devices=Count("totpdevice", filter=Q(totpdevice__confirmed=True), distinct=True)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: role_label(group.name)
        return field

    @admin.display(description=_("nama lengkap"), ordering="first_name")
    def full_name(self, user):
        return user.get_full_name() or "—"

    @admin.display(description=_("peran"))
    def roles(self, user):
        return ", ".join(sorted(role_label(group.name) for group in user.groups.all())) or "—"

    @admin.display(description=_("verifikasi dua langkah"), boolean=True)
    def two_factor(self, user):
        return bool(user.confirmed_devices)

    @admin.action(description=_("Atur ulang verifikasi dua langkah (ponsel hilang atau diganti)"))
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            for device in devices_for_user(user, confirmed=None):
                device.delete()
        self.message_user(
            request,
            _("Verifikasi dua langkah diatur ulang untuk %(n)d pengguna; mereka memasangnya lagi saat masuk.")
            % {"n": len(users)},
            messages.SUCCESS,
        )


@admin.register(Group)
class SigapGroupAdmin(GroupAdmin):
    list_display = ["name", "label"]

    @admin.display(description=_("peran"))
    def label(self, group):
        return role_label(group.name)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "head", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["head"]


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
    list_display = ["employee", "nip", "position", "unit", "supervisor_name"]
    list_select_related = ["user", "unit", "supervisor"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "nip"]
    autocomplete_fields = ["user", "supervisor"]

    @admin.display(description=_("pegawai"), ordering="user__first_name")
    def employee(self, profile):
        return person(profile.user)

    @admin.display(description=_("atasan langsung"), ordering="supervisor__first_name")
    def supervisor_name(self, profile):
        return person(profile.supervisor)


@admin.register(RolePolicy)
class RolePolicyAdmin(admin.ModelAdmin):
    list_display = ["group", "role", "require_two_factor"]
    list_editable = ["require_two_factor"]
    list_select_related = ["group"]

    @admin.display(description=_("peran"), ordering="group__name")
    def role(self, role_policy):
        return role_label(role_policy.group.name)


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are written only by SIGAP's own services (the audit log, a kind's register, the
    custodians' keys): Pengaturan shows them and nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseRegisterAdmin(ReadOnlyAdmin):
    """A kind's register of its cases without their content: where each case stands (its reference, status,
    unit, dates) — enough for an admin to find a stuck case and hand it to the right person, nothing of what it
    says or who it is about. What a case holds is read on its page, through cases.policy."""

    REGISTER_FIELDS = ["reference", "status", "unit", "confidentiality", "submitted_at", "closed_at", "due_date"]

    list_display = ["reference", "status_name", "unit", "confidentiality", "submitted_at", "due_date", "closed_at"]
    list_filter = ["status", "confidentiality"]
    list_select_related = ["unit"]
    search_fields = ["reference"]
    fields = REGISTER_FIELDS
    readonly_fields = REGISTER_FIELDS

    @admin.display(description=_("status"), ordering="status")
    def status_name(self, case):
        return case.status_label


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "seq", "action_name", "actor_name", "created_at", "from_label", "to_label"]
    list_filter = ["action"]
    list_select_related = ["case", "actor"]
    search_fields = ["case__reference"]
    # The event as the list shows it, in words; `data` holds ids and pointers to encrypted texts, never content.
    fields = ["case", "seq", "action_name", "actor_name", "created_at", "from_label", "to_label", "hash"]
    readonly_fields = fields

    @admin.display(description=_("tindakan"), ordering="action")
    def action_name(self, event):
        label = audit.action_label(event.action)
        transition = (event.data or {}).get("transition") if event.action == "transition" else None
        return f"{label}: {self._transition_label(event.case.kind, transition)}" if transition else label

    @admin.display(description=_("pelaku"), ordering="actor__first_name")
    def actor_name(self, event):
        return person(event.actor)

    @admin.display(description=_("dari status"))
    def from_label(self, event):
        return self._status_label(event.case.kind, event.from_status)

    @admin.display(description=_("ke status"))
    def to_label(self, event):
        return self._status_label(event.case.kind, event.to_status)

    @staticmethod
    def _status_label(kind: str, status: str) -> str:
        if not status:
            return "—"
        return str(dict(registry.get(kind).status_labels).get(status, status))

    @staticmethod
    def _transition_label(kind: str, name: str) -> str:
        model = registry.get(kind).model
        for transition in model._meta.get_field("status").get_all_transitions(model):
            if transition.name == name:
                return str(transition.custom.get("label", name))
        return name
