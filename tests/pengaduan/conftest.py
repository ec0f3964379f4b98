"""Pengaduan personas and helpers: a complaint officer and a coordinator, the other personas of the office, and a
complaint walked to any state of its machine (DESIGN §4)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

from cases import policy, services, workdays
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint, IdentityMode

DESCRIPTION = "Petugas loket meminta uang tambahan untuk mempercepat izin"

# Closing steps also need a reason and a confirmation (cases.policy.needs_confirmation).
CLOSING = {"reason": "Sesuai hasil penanganan.", "confirmed": True}
CLOSING_STEPS = {
    "forward_elsewhere",
    "archive",
    "mark_duplicate",
    "confirm",
    "record_confirmation",
    "close_without_reply",
    "convert_to_wbs",
}
# Steps marked note_required: refused without a note for the complainant.
NOTE_STEPS = {
    t.name for t in Complaint(status="received").get_all_status_transitions() if t.custom.get("note_required")
}
# The complainant's own steps (no account) and the sweep's: cases.services.transition(case, name, None, by=...).
REPORTER_STEPS = {"clarify", "confirm", "dispute"}
SYSTEM_STEPS = {"close_without_reply"}

PATHS = {
    "received": [],
    "verifying": ["start_verification"],
    "needs_clarification": ["start_verification", "request_clarification"],
    "postponed": ["start_verification", "postpone"],
    "out_of_scope": ["start_verification", "declare_out_of_scope"],
    "forwarded_elsewhere": ["start_verification", "declare_out_of_scope", "forward_elsewhere"],
    "archived": ["archive"],
    "duplicate": ["mark_duplicate"],
    "dispositioned": ["start_verification", "dispose"],
    "in_progress": ["start_verification", "dispose", "respond_first"],
    "answered": ["start_verification", "dispose", "send_answer"],
    "closed": ["start_verification", "dispose", "send_answer", "record_confirmation"],
    "converted_to_wbs": ["start_verification", "convert_to_wbs"],
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles and tracking credentials live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _organisation(unit):
    """A complaint without a service belongs to the top of the organisation (pengaduan.services.intake_unit)."""
    return unit


@pytest.fixture(autouse=True)
def _password_sign_in(db):
    """The page tests here are about pengaduan: officers sign in with force_login and no second factor."""
    from cases.models import RolePolicy

    RolePolicy.objects.update(require_two_factor=False)


@pytest.fixture
def officer(make_user):
    """A complaint officer (petugas_pengaduan)."""
    return make_user("petugas_aduan", policy.PETUGAS_PENGADUAN, policy.PEGAWAI)


@pytest.fixture
def officer2(make_user):
    return make_user("petugas_aduan2", policy.PETUGAS_PENGADUAN, policy.PEGAWAI)


@pytest.fixture
def coordinator(make_user):
    """The complaint coordinator: the only officer who sees a confidential complainant's identity."""
    user = make_user("koordinator_aduan", policy.PETUGAS_PENGADUAN, policy.PEGAWAI)
    user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    return user


@pytest.fixture
def wbs_officer(make_user):
    return make_user("wbs_petugas", policy.PENGELOLA_WBS, policy.PEGAWAI)


@pytest.fixture
def others(pegawai, upg, wbs_officer, inspektur, admin_user, atasan):
    """Everyone in the office who is not a complaint officer: none of them may run any step of a complaint."""
    return {
        "pegawai": pegawai,
        "upg": upg,
        "wbs": wbs_officer,
        "inspektur": inspektur,
        "admin": admin_user,
        "atasan": atasan,
    }


def runner(name: str):
    """What runs the step, as the case page does (cases.views._runner): the transition service, or the kind's
    own service for a step that writes more than the complaint (a duplicate's link, the conversion)."""
    meta = next(t for t in Complaint(status="received").get_all_status_transitions() if t.name == name)
    path = meta.custom.get("service")
    return import_string(path) if path else services.transition


@pytest.fixture
def custodian_key(make_user):
    """Makes sure an identity custodian has a key: a complaint with an identity is converted into a WBS report
    only when its identity can be sealed to one."""

    def ensure():
        from wbs import services as wbs_services
        from wbs.models import CustodianKey

        if not CustodianKey.objects.filter(is_active=True).exists():
            custodian = make_user("kustodian_aduan", policy.KUSTODIAN)
            wbs_services.custodian_key_create(user=custodian, passphrase="kunci kustodian pengaduan")

    return ensure


@pytest.fixture
def data_for(unit, officer, custodian_key):
    """The data each step needs (the forms' fields), a note where one is required and a reason and a
    confirmation for a closing step."""

    def data(name: str, **overrides) -> dict:
        if name == "convert_to_wbs":
            custodian_key()
        values = {
            "forward_elsewhere": {
                "forwarded_agency": "Ombudsman RI",
                "forwarded_letter": "S-12/ADU/2026",
                "forwarded_on": workdays.today(),
            },
            "dispose": {"disposed_unit": unit, "handler": officer},
            "send_answer": {"answer": "Izin Anda telah terbit.", "answer_signatory": "Kepala Bagian Umum"},
            "convert_to_wbs": {"wbs_category": "korupsi"},
        }.get(name, {})
        if name == "mark_duplicate" and "original" not in overrides:
            values = {"original": make_original(unit).reference}
        if name in NOTE_STEPS:
            values = {**values, "note": "Mohon keterangan tambahan."}
        if name in CLOSING_STEPS:
            values = {**values, **CLOSING}
        return {**values, **overrides}

    return data


def make_original(unit) -> Complaint:
    complaint, _pin = pengaduan_services.complaint_file(
        fields={"category": "02", "description": "Pengaduan yang sama, lebih dulu.", "truth_statement": True},
        identity_mode=IdentityMode.ANONYMOUS,
        identity=None,
        files=[],
    )
    return complaint


def file_complaint(*, identity_mode=IdentityMode.IDENTIFIED, identity=None, received_at=None, actor=None, **fields):
    values = {
        "category": "02",
        "description": DESCRIPTION,
        "expectation": "Izin terbit sesuai standar pelayanan.",
        "location": "Loket 2",
        "service_date": timezone.localdate() - dt.timedelta(days=3),
        "truth_statement": True,
        **fields,
    }
    identity = identity or {
        "complainant_name": "Warga Pengadu",
        "complainant_contact": "0812-0000-1111",
        "complainant_email": "warga@example.test",
    }
    channel = {"channel": "telepon"} if actor is not None else {}
    return pengaduan_services.complaint_file(
        fields=values,
        identity_mode=identity_mode,
        identity=identity,
        files=[],
        received_at=received_at,
        actor=actor,
        **channel,
    )


@pytest.fixture
def make_complaint(unit, officer, data_for):
    """A complaint filed on the public form (no actor) and walked along `path` by the officer."""

    def make(path=(), **options) -> Complaint:
        complaint, pin = file_complaint(**options)
        for step in path:
            name, overrides = step if isinstance(step, tuple) else (step, {})
            complaint = runner(name)(complaint, name, officer, **data_for(name, **overrides))
        complaint = Complaint.objects.get(pk=complaint.pk)
        complaint.pin = pin
        return complaint

    return make
