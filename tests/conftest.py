"""Personas shared by every test (STYLE.md): pegawai, the handlers, kustodian, atasan, inspektur, admin and
an outsider with no role at all."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation

from cases import intake, policy, services
from cases.models import EmployeeProfile, Unit

PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def indonesian_by_default():
    """Each test starts in the default language. A request in English activates English for the thread
    (the locale middleware), and without this a later test calling a form or service directly would read
    English messages depending on the order the tests ran in."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def one_salt_hour(request, monkeypatch):
    """Throttle counts are kept per client pseudonym, and the pseudonym's salt changes every clock hour
    (cases.intake.client_tag). A test that counts submissions or look-ups would start again at zero if it
    ran across the hour; hold the hour still so such a test never flakes. A test that needs the real hour
    marks itself `real_salt_hour`."""
    if "real_salt_hour" not in request.keywords:
        monkeypatch.setattr(intake, "salt_hour", lambda: 0)


@pytest.fixture
def unit(db):
    root = Unit.objects.create(code="ROOT", name="Kantor")
    return Unit.objects.create(code="SEKR", name="Sekretariat", parent=root)


@pytest.fixture
def other_unit(unit):
    return Unit.objects.create(code="HUMAS", name="Humas", parent=unit.parent)


@pytest.fixture
def make_user(db, unit):
    def make(username, *roles, supervisor=None, **extra):
        user = get_user_model().objects.create_user(username, f"{username}@example.test", PASSWORD, **extra)
        # get_or_create: transactional tests flush the tables, including the groups the migration made.
        user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
        EmployeeProfile.objects.create(user=user, unit=unit, supervisor=supervisor)
        return user

    return make


@pytest.fixture
def atasan(make_user):
    return make_user("atasan", policy.ATASAN, policy.PEGAWAI)


@pytest.fixture
def pegawai(make_user, atasan):
    return make_user("pegawai", policy.PEGAWAI, supervisor=atasan)


@pytest.fixture
def handler(make_user):
    """A handler of the test kind 'uji' (whose handler group is petugas_pengaduan)."""
    return make_user("handler", policy.PETUGAS_PENGADUAN)


@pytest.fixture
def handler2(make_user):
    return make_user("handler2", policy.PETUGAS_PENGADUAN)


@pytest.fixture
def upg(make_user):
    return make_user("upg", policy.PETUGAS_UPG, policy.PEGAWAI)


@pytest.fixture
def inspektur(make_user):
    return make_user("inspektur", policy.INSPEKTUR)


@pytest.fixture
def kustodian(make_user):
    return make_user("kustodian", policy.KUSTODIAN)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", policy.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def make_widget(unit, pegawai):
    def make(status=None, reporter=None, **fields):
        reporter = reporter or pegawai
        fields.setdefault("event_date", dt.date(2026, 11, 20))
        case = services.create_case(kind="uji", actor=reporter, unit=unit, reporter=reporter, **fields)
        if status in (None, "draft"):
            return case
        walk = {
            "submitted": [("submit", reporter)],
            "reviewing": [("submit", reporter), ("start_review", None)],
            "returned": [("submit", reporter), ("start_review", None), ("send_back", None)],
            "approved": [("submit", reporter), ("start_review", None), ("approve", None)],
            "rejected": [("submit", reporter), ("start_review", None), ("reject", None)],
        }[status]
        from tests.casetype.models import Widget

        # Never the reporter: nobody handles their own case (cases.policy.is_conflicted).
        staff = get_user_model().objects.filter(groups__name=policy.PETUGAS_PENGADUAN).exclude(pk=reporter.pk).first()
        for name, actor in walk:
            # Closing steps need a reason and a confirmation (cases.policy.needs_confirmation).
            closing = {"reason": "Selesai ditelaah.", "confirmed": True} if name in ("approve", "reject") else {}
            case = services.transition(case, name, actor or staff, **closing)
        return Widget.objects.get(pk=case.pk)

    return make


@pytest.fixture
def widget(make_widget, handler):
    return make_widget()


@pytest.fixture
def login_verified(client):
    """Sign `client` in as a user who has also passed the second factor, as admin-capable accounts always
    must (cases.middleware.two_factor_required)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def log_in(user):
        client.force_login(user)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    return log_in
