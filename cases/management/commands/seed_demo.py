"""Demo organisation, a user for every role, and each registered kind's demo cases (its `demo_data` hook,
<app>/demo.py). Development only: refuses in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases import policy, registry
from cases.middleware import DEMO_EMAIL_DOMAIN
from cases.models import EmployeeProfile, RolePolicy, Unit

DEMO_PASSWORD = "sigap-demo-2026"

# username, full name, roles, unit code, supervisor username, NIP
DEMO_USERS = [
    ("kepala", "Dr. Hari Prasetyo, S.H., M.H.", [policy.ATASAN, policy.PEGAWAI], "KANTOR", None, "196805051992031001"),
    ("atasan", "Dra. Sri Wahyuni, M.Si.", [policy.ATASAN, policy.PEGAWAI], "SEKR", "kepala", "197001011995032001"),
    ("pegawai", "Budi Santoso", [policy.PEGAWAI], "SEKR", "atasan", "198805122015031002"),
    ("upg", "Rina Marlina (UPG)", [policy.PETUGAS_UPG, policy.PEGAWAI], "INSP", "inspektur", "198903032014022003"),
    ("upg2", "Agus Salim (UPG)", [policy.PETUGAS_UPG, policy.PEGAWAI], "INSP", "inspektur", "199002022016031004"),
    (
        "pengaduan",
        "Dewi Lestari (Pengaduan)",
        [policy.PETUGAS_PENGADUAN, policy.PEGAWAI],
        "HUMAS",
        "atasan",
        "199104042017032005",
    ),
    (
        "layanan",
        "Yusuf Hidayat (Layanan)",
        [policy.PETUGAS_PENGADUAN, policy.PEGAWAI],
        "SEKR",
        "atasan",
        "199205052018031009",
    ),
    ("wbs", "Hendra Gunawan (WBS)", [policy.PENGELOLA_WBS, policy.PEGAWAI], "INSP", "inspektur", "198707072012121006"),
    (
        "kustodian",
        "Sari Indah (Kustodian)",
        [policy.KUSTODIAN, policy.PEGAWAI],
        "INSP",
        "inspektur",
        "198506062010122007",
    ),
    (
        "inspektur",
        "Ir. Bambang Wijaya, M.M.",
        [policy.INSPEKTUR, policy.PEGAWAI],
        "INSP",
        "kepala",
        "196812121993031008",
    ),
    ("admin", "Admin SIGAP", [policy.ADMIN], "SEKR", None, None),
    # Runs the office's surveys (survei/): its own unit and the units below it.
    (
        "petugas_survei",
        "Lina Kartika (Survei)",
        [policy.PETUGAS_SURVEI, policy.PEGAWAI],
        "KANTOR",
        "atasan",
        "199306062019032010",
    ),
]

POSITIONS = {
    "kepala": "Kepala Kantor Wilayah",
    "atasan": "Kepala Bagian Umum",
    "pegawai": "Analis Pengadaan Barang/Jasa",
    "upg": "Auditor Pertama (anggota UPG)",
    "upg2": "Auditor Muda (anggota UPG)",
    "pengaduan": "Pranata Humas",
    "layanan": "Analis Pelayanan (petugas tindak lanjut pengaduan)",
    "wbs": "Auditor Madya (pengelola WBS)",
    "kustodian": "Auditor Madya",
    "inspektur": "Inspektur",
    "admin": "Pranata Komputer",
    "petugas_survei": "Analis Kebijakan (petugas survei)",
}

# What KPK's reporting form asks beyond the above (pangkat/golongan; made-up NIK, phone and address).
RANKS = {
    "kepala": "Pembina Utama Muda, IV/c",
    "atasan": "Pembina, IV/a",
    "pegawai": "Penata Muda Tk. I, III/b",
    "upg": "Penata Muda, III/a",
    "upg2": "Penata, III/c",
    "pengaduan": "Penata Muda Tk. I, III/b",
    "layanan": "Penata Muda, III/a",
    "wbs": "Penata Tk. I, III/d",
    "kustodian": "Pembina, IV/a",
    "inspektur": "Pembina Utama Muda, IV/c",
    "admin": "Penata Muda, III/a",
    "petugas_survei": "Penata Muda, III/a",
}
DEMO_INSTITUTION = "Kementerian Contoh Republik Indonesia (demo)"

UNITS = [
    ("KANTOR", "Kantor Wilayah (demo)", None),
    ("INSP", "Inspektorat", "KANTOR"),
    ("SEKR", "Sekretariat", "KANTOR"),
    ("HUMAS", "Bagian Hubungan Masyarakat", "SEKR"),
]


class Command(BaseCommand):
    help = "Create demo units, one user for every role (password printed) and demo cases."

    demo_notes: list[str]

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-credentials",
            action="store_false",
            dest="print_credentials",
            help="Do not print the demo users (`serve` prints them itself, last).",
        )

    def handle(self, *args, print_credentials=True, **options):
        self.demo_notes = []
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with SIGAP_ENV=production")
        User = get_user_model()
        if User.objects.filter(username="pegawai").exists():
            self.stdout.write("Demo data already present.")
        else:
            with transaction.atomic():
                self._seed(User)
        if print_credentials:
            self.print_credentials()

    def _seed(self, User):
        units = {}
        for code, name, parent in UNITS:
            units[code] = Unit.objects.create(code=code, name=name, parent=units.get(parent))
        users = {}
        for number, (username, full_name, roles, unit, supervisor, nip) in enumerate(DEMO_USERS, start=1):
            first, _, last = full_name.partition(" ")
            user = User.objects.create_user(
                username, f"{username}@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, first_name=first, last_name=last
            )
            if username == "admin":
                user.is_staff = user.is_superuser = True
                user.save()
            user.groups.set(Group.objects.filter(name__in=roles))
            users[username] = user
            EmployeeProfile.objects.create(
                user=user,
                nip=nip,
                position=POSITIONS[username],
                unit=units[unit],
                supervisor=users.get(supervisor),
                rank=RANKS[username],
                institution=DEMO_INSTITUTION,
                nik=f"3171{number:012d}",
                phone=f"0812-0000-{number:04d}",
                address=f"Jl. Contoh No. {number}, Jakarta Pusat 10110",
            )
        # The heads of the units: they approve their unit's documents (e.g. the conflict-of-interest risk map).
        for code, head in (("KANTOR", "kepala"), ("SEKR", "atasan"), ("INSP", "inspektur")):
            Unit.objects.filter(pk=units[code].pk).update(head=users[head])
            units[code].head = users[head]
        # Rina coordinates the UPG: confidential gratifikasi reports reach her first and she assigns them.
        users["upg"].user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
        # Hendra coordinates the WBS: every whistleblowing report is confidential and reaches him first.
        users["wbs"].user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
        # Dewi coordinates complaints: only she sees the identity of a complainant who asked for confidentiality.
        users["pengaduan"].user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
        # Demo accounts sign in with a password only; a real installation keeps the migration's defaults.
        RolePolicy.objects.update(require_two_factor=False)
        # Each kind makes its own demo cases (<app>/demo.py): the core never imports a case app.
        for kind in registry.all_kinds():
            if kind.demo_data is not None:
                self.demo_notes += kind.demo_data(units, users)
        # Then the apps that build on the kinds' cases (evaluasi's recommendations), registered the same way.
        for hook in registry.demo_data_hooks:
            self.demo_notes += hook(units, users)

    def print_credentials(self):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD})"))
        for username, full_name, roles, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {', '.join(roles):<32} {full_name}")
        for line in self.demo_notes:
            self.stdout.write(line)
        # The demo's opt-out of two-factor sign-in, said out loud (cases.middleware.demo_password_only).
        if settings.SIGAP_DEMO_PASSWORD_ONLY:
            self.stdout.write(
                self.style.WARNING(
                    "Two-factor sign-in is OFF for these demo users (SIGAP_DEMO_PASSWORD_ONLY=true; role policies "
                    "switched off by seed_demo). Any other account with admin access must set up 2FA."
                )
            )
        else:
            self.stdout.write(
                "Two-factor sign-in: 'admin' must set it up at first sign-in (an authenticator app); "
                "SIGAP_DEMO_PASSWORD_ONLY=true lets the demo users sign in with the password alone."
            )
        self.stdout.write("")
