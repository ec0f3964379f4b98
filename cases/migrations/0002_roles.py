"""Create the role groups (DESIGN §1.1) and their policies. The roles that can reach identities or change
users (pengelola WBS, kustodian identitas, admin) require two-factor sign-in from the start; an admin can
require it of any other role in Pengaturan > Kebijakan peran."""

from django.db import migrations

ROLES = {
    "pegawai": False,
    "petugas_upg": False,
    "petugas_pengaduan": False,
    "pengelola_wbs": True,
    "kustodian_identitas": True,
    "atasan": False,
    "inspektur": False,
    "admin": True,
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RolePolicy = apps.get_model("cases", "RolePolicy")
    for name, require_two_factor in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        RolePolicy.objects.get_or_create(group=group, defaults={"require_two_factor": require_two_factor})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
