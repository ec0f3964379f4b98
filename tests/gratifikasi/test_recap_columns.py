"""The recap is declared with the shared export layer's columns and reads clock states from the clock model."""

import csv
import io

import pytest

from cases.models import DeadlineClock
from gratifikasi import exports
from gratifikasi.models import GratifikasiReport

pytestmark = pytest.mark.django_db


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_recap_column_is_declared_with_a_name_and_a_getter():
    for columns in (exports._report_columns(), exports._object_columns()):
        names = [column.name for column in columns]
        assert all(names) and len(set(names)) == len(names)
        assert all(column.value is not None for column in columns)


def test_the_recap_shows_a_paused_clock_as_paused(make_report):
    report = make_report(["submit", "start_verification"])
    clock = DeadlineClock.objects.filter(case_id=report.pk).exclude(met_on__isnull=False).first()
    DeadlineClock.objects.filter(pk=clock.pk).update(paused_on=clock.start_date)
    label = next(c.header for c in exports._report_columns() if c.name == f"clock_{clock.code}")
    data, count = exports.recap_csv(GratifikasiReport.objects.filter(pk=report.pk))
    assert count == 1
    assert csv_rows(data)[0][label] == "dijeda"


def test_the_recap_row_reads_its_state_from_the_clock_model(make_report):
    report = make_report(["submit", "start_verification"])
    rows = list(exports._recap_rows(GratifikasiReport.objects.filter(pk=report.pk)))
    row, _objects = rows[0]
    for code, clock in row.clocks.items():
        column = next(c for c in exports._report_columns() if c.name == f"clock_{code}")
        assert column.get(row) == str(clock.STATE_LABELS[clock.state(row.today)])
