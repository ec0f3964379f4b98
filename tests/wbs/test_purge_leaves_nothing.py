"""A purge leaves nothing recoverable (issue 8): SQLite overwrites what is deleted, PostgreSQL's purged tables are
vacuumed, and the tombstone keeps its dates to the day."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseEvent
from tests.wbs.conftest import PATHS
from wbs import services as wbs_services
from wbs.models import WbsReport

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's secure_delete")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's VACUUM")


def _purge_all(settings, days_later: int = 3) -> int:
    settings.SIGAP_WBS_RETENTION_DAYS = 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=days_later)):
        return wbs_services.reports_purge_expired()


@sqlite_only
@pytest.mark.django_db
def test_every_sqlite_connection_overwrites_deleted_content():
    # Configured for every connection, not left to how the local SQLite library was built.
    assert "PRAGMA secure_delete=ON" in connection.settings_dict["OPTIONS"]["init_command"]
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
    finally:
        fresh.close()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_purged_content_cannot_be_read_back_from_the_sqlite_file(make_report, settings):
    report = make_report(PATHS["referred"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, involved FROM wbs_wbsreport WHERE case_ptr_id = %s", [report.pk])
        stored = [value for value in cursor.fetchone() if value]
    # What is stored is ciphertext, readable with the server's keys: that is what must not survive.
    assert stored and all(value.encode() in Path(connection.settings_dict["NAME"]).read_bytes() for value in stored)
    assert _purge_all(settings) == 1
    connection.close()  # everything on disk, nothing held in a journal
    data = _database_bytes()
    for value in stored:
        assert value.encode() not in data


def _database_bytes() -> bytes:
    name = connections["default"].settings_dict["NAME"]
    return b"".join(Path(path).read_bytes() for path in (name, f"{name}-journal", f"{name}-wal") if Path(path).exists())


@pytest.mark.django_db
def test_the_tombstone_keeps_its_dates_to_the_day(make_report, settings):
    report = make_report(PATHS["referred"])
    closed = WbsReport.objects.get(pk=report.pk).closed_at
    assert _purge_all(settings, days_later=3) == 1
    purged = WbsReport.objects.get(pk=report.pk)
    midnight = dt.time.min
    assert timezone.localtime(purged.purged_at).time() == midnight
    assert timezone.localtime(purged.closed_at).time() == midnight
    assert timezone.localdate(purged.closed_at) == timezone.localdate(closed)
    assert timezone.localtime(purged.submitted_at).time() == midnight
    event = CaseEvent.objects.get(case_id=report.pk, action="purged")
    assert timezone.localtime(event.created_at).time() == midnight


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_purged_tables_are_vacuumed_on_postgresql(make_report, settings):
    make_report(PATHS["referred"])
    with CaptureQueriesContext(connection) as queries:
        assert _purge_all(settings) == 1
    vacuumed = [query["sql"] for query in queries if query["sql"].startswith("VACUUM (ANALYZE)")]
    assert 'VACUUM (ANALYZE) "wbs_wbsreport"' in vacuumed
    assert 'VACUUM (ANALYZE) "cases_casetext"' in vacuumed and 'VACUUM (ANALYZE) "wbs_historicalwbsreport"' in vacuumed
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'wbs_wbsreport'")
        assert cursor.fetchone()[0] is not None
