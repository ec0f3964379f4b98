"""The export benchmark's writers (benchmarks/evaluasi_export.py) on generated data at a tiny size, in the
PostgreSQL pass (the generator loads with COPY): the exporter and the bare baseline write valid workbooks with
the same case rows. Only that they run and agree is checked, never a timing."""

import datetime as dt

import openpyxl
import pytest
from django.db import connection

from benchmarks import generate as generate_module
from benchmarks.evaluasi_export import KIND, write_bare, write_exporter
from benchmarks.generate import generate, sweep_dates
from cases import workdays
from cases.models import Case


# In the test's transaction, without the generator's closing VACUUM (which cannot run in one): a transactional
# test would flush every table afterwards, the groups the migrations made included, which later tests need.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator loads with PostgreSQL's COPY")
@pytest.mark.django_db
def test_the_exporter_and_the_baseline_write_the_same_cases(tmp_path, monkeypatch):
    monkeypatch.setattr(generate_module, "analyse", lambda: None)
    today, last_sweep = sweep_dates(workdays.today())
    generate(120, 7, today, last_sweep, 0.02)
    expected = set(Case.objects.filter(kind=KIND).exclude(status="draft").values_list("reference", flat=True))
    found = {}
    for name, write in (("exporter", write_exporter), ("bare", write_bare)):
        path = tmp_path / f"{name}.xlsx"
        assert write(str(path)) > 0
        sheet = openpyxl.load_workbook(path).worksheets[0]
        rows = [row for row in sheet.iter_rows() if str(row[0].value).startswith("UJI-")]
        assert all(isinstance(row[4].value, dt.datetime) for row in rows)  # received: a date cell
        found[name] = {row[0].value for row in rows}
    assert found["exporter"] == found["bare"] == expected
