"""Key rotation keeps every report readable; the retention purge leaves a content-free tombstone."""

import base64
import datetime as dt
from pathlib import Path

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from cases import attachments, audit, crypto, intake, services
from cases.models import Attachment, CaseEvent, CaseExclusion, CaseText, DeadlineClock, TrackingCredential
from tests.wbs.conftest import CONTENT, IDENTITY, PASSPHRASE, PATHS, jpeg_with_gps
from wbs import services as wbs_services
from wbs.models import DisclosureRequest, IdentitySeal, WbsReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_report(make_report, coordinator, kustodian, custodian_key, pegawai):
    report = make_report(PATHS["closed"], identity=IDENTITY, files=[jpeg_with_gps()])
    services.add_comment(report, coordinator, "Catatan tim.")
    request = wbs_services.disclosure_request(
        report=report, requester=coordinator, reason="Alasan yang cukup panjang untuk diuji."
    )
    wbs_services.disclosure_decide(
        disclosure=request, custodian=kustodian, approve=True, reason="Ya.", passphrase=PASSPHRASE
    )
    CaseExclusion.objects.create(case_id=report.pk, user=pegawai, reason="terlapor")
    stored = WbsReport.objects.get(pk=report.pk)
    stored.receipt = report.receipt
    return stored


def raw_column(table, column, pk_column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{pk_column}" = %s', [pk])
        return cursor.fetchone()[0]


def test_rotation_keeps_everything_readable_under_the_new_key_alone(full_report, settings):
    old_token = raw_column("wbs_wbsreport", "description", "case_ptr_id", full_report.pk)
    new_key = Fernet.generate_key().decode()
    settings.DATA_ENCRYPTION_KEYS = [new_key, *settings.DATA_ENCRYPTION_KEYS]
    call_command("rotate_data_keys", stdout=open("/dev/null", "w"))
    settings.DATA_ENCRYPTION_KEYS = [new_key]  # the old key is retired
    report = WbsReport.objects.get(pk=full_report.pk)
    assert report.description == CONTENT and report.recommendation
    assert raw_column("wbs_wbsreport", "description", "case_ptr_id", report.pk) != old_token
    assert {text.text for text in CaseText.objects.filter(case_id=report.pk)} >= {"Catatan tim."}
    assert all(history.description == CONTENT for history in WbsReport.history.filter(case_ptr_id=report.pk))
    assert DisclosureRequest.objects.get().reason.startswith("Alasan")
    stored = attachments.read(Attachment.objects.get(case_id=report.pk))
    assert stored.startswith(b"\xff\xd8")  # still the JPEG
    assert Attachment.objects.get(case_id=report.pk).name == "foto.jpg"


def test_tokens_carry_no_time():
    token = crypto.encrypt_bytes(b"x")
    # Fernet: version byte, then the 64-bit time it was made; ours are all made at time 0 (cases.crypto).
    assert int.from_bytes(base64.urlsafe_b64decode(token)[1:9], "big") == 0


def test_purge_leaves_a_content_free_tombstone(full_report, settings, django_capture_on_commit_callbacks):
    receipt = full_report.receipt
    settings.SIGAP_WBS_RETENTION_DAYS = 30
    files_dir = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    blob = Attachment.objects.get(case_id=full_report.pk).blob
    assert (files_dir / blob).exists()
    assert wbs_services.reports_purge_expired() == 0  # inside its retention period
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=31)):
        with django_capture_on_commit_callbacks(execute=True):
            assert wbs_services.reports_purge_expired() == 1
    report = WbsReport.objects.get(pk=full_report.pk)
    assert report.purged_at is not None
    assert (report.category, report.status, report.outcome) == ("pengadaan", "closed", "sanksi_disiplin")
    assert report.description == "" and report.recommendation == "" and report.identity_sealed is None
    assert not Attachment.objects.filter(case_id=report.pk).exists() and not (files_dir / blob).exists()
    for model in (CaseText, TrackingCredential, CaseExclusion):
        assert not model.objects.filter(case_id=report.pk).exists()
    assert not IdentitySeal.objects.exists() and not DisclosureRequest.objects.exists()
    assert not WbsReport.history.filter(case_ptr_id=report.pk).exists()
    assert DeadlineClock.objects.filter(case_id=report.pk).exists()  # on-time statistics stay
    assert CaseEvent.objects.filter(case_id=report.pk, action="purged").exists()
    assert list(audit.verify()) == []  # the chain is intact
    assert intake.find_case(receipt) is None


def test_reports_inside_retention_or_still_open_are_kept(make_report, settings):
    settings.SIGAP_WBS_RETENTION_DAYS = 30
    closed = make_report(PATHS["not_actionable"])
    open_report = make_report(PATHS["investigating"])
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=29)):
        assert wbs_services.reports_purge_expired() == 0
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=400)):
        assert wbs_services.reports_purge_expired() == 1
    assert WbsReport.objects.get(pk=closed.pk).purged_at is not None
    assert WbsReport.objects.get(pk=open_report.pk).description == CONTENT


def test_the_purge_command(make_report, settings):
    settings.SIGAP_WBS_RETENTION_DAYS = 1
    make_report(PATHS["referred"])
    from io import StringIO

    out = StringIO()
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=3)):
        call_command("purge_wbs", stdout=out)
    assert "Purged 1 report" in out.getvalue()
