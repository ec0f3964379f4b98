"""The case page reads a fixed number of queries, however long the case's history: a case worked for a year has
hundreds of events, messages and files, and the page must not make a query for each of them."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import attachments, policy, services, workdays
from cases.models import Confidentiality, RolePolicy
from gratifikasi.models import GratifikasiObject

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"bukti " * 20

# What the page may read for any case, any persona: the session and user, the user's roles and permissions,
# the case and its detail row, the policy's answers, clocks, files, the timeline and the texts of its events,
# and the sections other apps add (evaluasi's recommendations on the case: one query). On PostgreSQL, opening a
# confidential case records the view, and every recorded event takes the audit write fence (cases.audit._writing:
# one statement, issue 14).
MAX_QUERIES = 32


@pytest.fixture(autouse=True)
def _password_sign_in(db):
    # WBS handlers must use a second factor by default (migration cases.0002); these tests count queries of
    # the case page itself, signed in with force_login.
    RolePolicy.objects.update(require_two_factor=False)


@pytest.fixture
def gratifikasi_case(unit, pegawai, upg):
    report = services.create_case(
        kind="gratifikasi",
        actor=pegawai,
        unit=unit,
        reporter=pegawai,
        report_type="penerimaan",
        date_received=workdays.today() - dt.timedelta(days=3),
        giver_name="Budi",
        giver_institution="PT Rekanan",
        summary="parsel",
    )
    GratifikasiObject.objects.create(report=report, kind="barang", description="Parsel", value=750_000)
    report = services.transition(report, "submit", pegawai)
    return services.transition(report, "start_verification", upg)


@pytest.fixture
def wbs_coordinator(make_user):
    user = make_user("wbs_koordinator", policy.PENGELOLA_WBS, policy.PEGAWAI)
    user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    return user


@pytest.fixture
def wbs_case(unit, wbs_coordinator):
    report = services.create_case(
        kind="wbs",
        actor=None,
        unit=unit,
        status="received",
        confidentiality=Confidentiality.RAHASIA,
        category="pengadaan",
        description="Kepala gudang menerima suap",
        involved="Kepala gudang",
        knowledge="melihat",
    )
    return services.transition(report, "start_verification", wbs_coordinator)


def grow(case, handler, reporter, start: int, stop: int) -> None:
    """Give the case more events of every kind the timeline shows: messages both ways, internal notes and
    files."""
    for i in range(start, stop):
        services.add_message(case, handler, f"Pesan petugas {i}")
        if reporter is not None:
            services.add_message(case, reporter, f"Pesan pelapor {i}")
        else:
            services.add_reporter_message(case, f"Pesan pelapor {i}")
        services.add_comment(case, handler, f"Catatan {i}")
        if i % 10 == 0:
            attachments.add(case=case, upload=SimpleUploadedFile(f"bukti{i}.pdf", PDF), actor=handler)


def page_queries(client, user, case) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def counts(client, case, handler, reporter, viewers):
    """The queries each viewer's page makes with 10 events of each kind, then with 100."""
    grow(case, handler, reporter, 0, 10)
    small = {name: page_queries(client, user, case)[0] for name, user in viewers.items()}
    grow(case, handler, reporter, 10, 100)
    large = {}
    for name, user in viewers.items():
        large[name], html = page_queries(client, user, case)
        # The page did show the long history (a page that shows nothing would also be constant).
        assert "Pesan petugas 99" in html
    return small, large


def test_the_gratifikasi_case_page_makes_the_same_few_queries_however_long_its_history(
    client, gratifikasi_case, pegawai, upg, inspektur
):
    viewers = {"handler": upg, "reporter": pegawai, "inspektur": inspektur}
    small, large = counts(client, gratifikasi_case, upg, pegawai, viewers)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large


def test_the_wbs_case_page_makes_the_same_few_queries_however_long_its_history(
    client, wbs_case, wbs_coordinator, inspektur
):
    # A WBS reporter has no account: they follow the case on the public tracking page, not this one.
    viewers = {"handler": wbs_coordinator, "inspektur": inspektur}
    small, large = counts(client, wbs_case, wbs_coordinator, None, viewers)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
