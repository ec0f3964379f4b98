"""WBS personas and helpers: a coordinator and a plain handler, two identity custodians with keys, and a
report walked to any state."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import policy, services, workdays
from wbs import services as wbs_services
from wbs.models import WbsReport

PASSPHRASE = "kunci rahasia kustodian satu"
PASSPHRASE2 = "kunci rahasia kustodian dua"

CONTENT = "Kepala gudang XQZV menerima suap dari rekanan setiap bulan"
IDENTITY = {"name": "Siti Pelapor Rahasia", "id_number": "3171234567890123", "contact": "0812-9999-7777", "note": ""}

# The data a handler enters with each transition that needs it (the forms' fields).
DATA = {
    "refer": {
        "referral_target": "kpk",
        "referral_agency": "KPK",
        "referral_letter": "R-1/WBS/2026",
        "referred_on": None,
    },
    "record_recommendation": {
        "outcome": "sanksi_disiplin",
        "recommendation": "Jatuhkan hukuman disiplin sedang.",
        "follow_up_owner": "Bagian Kepegawaian",
        "follow_up_due": None,
    },
    "close": {"follow_up_result": "SK hukuman disiplin terbit.", "follow_up_done_on": None},
}

# Closing steps also need a reason and a confirmation (cases.policy.needs_confirmation).
CLOSING = {"reason": "Sesuai hasil penanganan.", "confirmed": True}
for _name in ("reject", "refer", "close_not_proven", "close"):
    DATA[_name] = {**DATA.get(_name, {}), **CLOSING}


def data_for(name: str, **overrides) -> dict:
    data = {key: (value if value is not None else workdays.today()) for key, value in DATA.get(name, {}).items()}
    return {**data, **overrides}


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles and one-time receipts live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _password_sign_in(db):
    """WBS handlers and custodians must use two-factor sign-in by default (migration cases.0002); the page
    tests here are about the WBS, so they sign in with force_login and no second factor."""
    from cases.models import RolePolicy

    RolePolicy.objects.update(require_two_factor=False)


@pytest.fixture
def coordinator(make_user):
    """A WBS handler who receives every (confidential) report and assigns it."""
    user = make_user("wbs_koordinator", policy.PENGELOLA_WBS, policy.PEGAWAI)
    user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    return user


@pytest.fixture
def wbs_handler(make_user):
    """A WBS handler who sees a report only once assigned to it."""
    return make_user("wbs_petugas", policy.PENGELOLA_WBS, policy.PEGAWAI)


@pytest.fixture
def custodian_key(kustodian):
    return wbs_services.custodian_key_create(user=kustodian, passphrase=PASSPHRASE)


@pytest.fixture
def kustodian2(make_user):
    return make_user("kustodian2", policy.KUSTODIAN)


@pytest.fixture
def custodian_key2(kustodian2):
    return wbs_services.custodian_key_create(user=kustodian2, passphrase=PASSPHRASE2)


PATHS = {
    "received": [],
    "verifying": ["start_verification"],
    "needs_info": ["start_verification", "request_info"],
    "not_actionable": ["start_verification", "reject"],
    "referred": ["start_verification", "refer"],
    "reviewing": ["start_verification", "accept"],
    "investigating": ["start_verification", "accept", "start_investigation"],
    "administrative_action": ["start_verification", "accept", "take_administrative_action"],
    "recommendation": ["start_verification", "accept", "start_investigation", "record_recommendation"],
    "follow_up": ["start_verification", "accept", "start_investigation", "record_recommendation", "start_follow_up"],
    "closed": [
        "start_verification",
        "accept",
        "start_investigation",
        "record_recommendation",
        "start_follow_up",
        "close",
    ],
}


@pytest.fixture
def make_report(unit, coordinator):
    def make(path=(), *, identity=None, files=(), **fields):
        values = {
            "category": "pengadaan",
            "description": CONTENT,
            "involved": "Kepala gudang",
            "knowledge": "melihat",
            **fields,
        }
        report, receipt = wbs_services.report_submit(fields=values, unit=unit, identity=identity, files=list(files))
        for step in path:
            name, overrides = step if isinstance(step, tuple) else (step, {})
            note = "Mohon keterangan tambahan." if name in ("request_info", "reject", "close_not_proven") else ""
            report = services.transition(report, name, coordinator, note=note, **data_for(name, **overrides))
        report = WbsReport.objects.get(pk=report.pk)
        report.receipt = receipt
        return report

    return make


def jpeg_with_gps(name="foto.jpg") -> SimpleUploadedFile:
    """A small JPEG whose EXIF names a camera owner and a GPS position."""
    from PIL import Image

    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "Siti Pemilik Kamera"  # Artist
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 10.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")
