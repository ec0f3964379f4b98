"""Personas and helpers of the complaint officers' tests (issue 10): a service in the catalogue, the complaint
coordinator, and a complaint filed and walked to a state. Imported by the officers' test modules (not a
conftest, which the public side's tests may want for their own)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone

from cases import policy, services
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint, Service

NAME = "Budi Pengadu Rahasia"
CONTACT = "0812-5555-1234"
EMAIL = "budi.pengadu@example.test"
ANSWER = "Uang telah dikembalikan dan petugas dibina."
DESCRIPTION = "Petugas loket meminta uang tambahan untuk mempercepat KTP"


@pytest.fixture(autouse=True)
def _staff_setup(db):
    """One-time PINs live in the cache; officers sign in with force_login (no second factor here)."""
    from cases.models import RolePolicy

    RolePolicy.objects.update(require_two_factor=False)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(unit):
    return Service.objects.create(code="ktp", name="Pembuatan KTP-el", unit=unit)


@pytest.fixture
def coordinator(make_user):
    """The complaint coordinator: a complaint officer with `coordinate_confidential`."""
    user = make_user("koordinator", policy.PETUGAS_PENGADUAN)
    user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    return user


PATHS = {
    "received": [],
    "verifying": ["start_verification"],
    "dispositioned": ["start_verification", "dispose"],
    "answered": ["start_verification", "dispose", "send_answer"],
    "closed": ["start_verification", "dispose", "send_answer", "record_confirmation"],
}


@pytest.fixture
def make_complaint(service, handler, handler2, unit):
    """A complaint recorded by `handler` (an officer) and walked to `state` by `handler2`."""

    def make(state="received", *, mode="identified", name=NAME, description=DESCRIPTION, **fields):
        values = {
            "service": service,
            "service_date": dt.date(2026, 11, 2),
            "location": "Kantor Kecamatan",
            "category": "02",
            "description": description,
            "expectation": "Uang dikembalikan",
            **fields,
        }
        identity = {"complainant_name": name, "complainant_contact": CONTACT, "complainant_email": EMAIL}
        complaint, _pin = pengaduan_services.complaint_file(
            fields=values,
            identity_mode=mode,
            identity=identity,
            files=[],
            channel="telepon",
            received_at=timezone.now() - dt.timedelta(hours=1),
            actor=handler,
        )
        for step in PATHS[state]:
            data = {}
            if step == "dispose":
                data = {"disposed_unit": unit, "handler": handler2}
            elif step == "send_answer":
                data = {"answer": ANSWER, "answer_signatory": "Kepala Sekretariat"}
            elif step == "record_confirmation":
                data = {"note": "Pengadu puas (telepon).", "reason": "Dikonfirmasi.", "confirmed": True}
            complaint = services.transition(complaint, step, handler2, **data)
        return Complaint.objects.get(pk=complaint.pk)

    return make
