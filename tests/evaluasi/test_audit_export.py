"""The audit-log exports (evaluasi.exports audit.xlsx / audit.csv): a case's log for the inspectorate, with
exactly one `exported` event appended to that case's chain; a period's log over the cases of a scope. Never the
events' data payload; every cell through the formula-injection guard."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from cases import audit, workdays
from cases.models import CaseEvent
from evaluasi import jobs
from evaluasi.models import ExportJob
from evaluasi.periods import Period

pytestmark = pytest.mark.django_db

RISKY = ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)")


@pytest.fixture
def case(make_widget, handler, make_user):
    case = make_widget(status="approved")
    # A comment event whose payload must never reach the file, and actors whose usernames start with every
    # formula trigger.
    audit.record(case, "comment", handler, data={"text": "ISI CATATAN RAHASIA"})
    for name in RISKY:
        audit.record(case, "viewed", make_user(name))
    audit.record(case, "comment", None)  # a system step: no actor
    return case


def url(case, **query) -> str:
    return reverse("evaluasi:case_audit_log", kwargs={"reference": case.reference}) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def data_rows(sheet, header="Urutan"):
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == header)
    found = []
    for row in rows[start + 1 :]:
        if row[0].value is None:
            break
        found.append(row)
    return [cell.value for cell in rows[start]], found


def test_the_inspectorate_downloads_a_cases_log_with_one_exported_event(client, case, inspektur):
    expected = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", "hash"))
    client.force_login(inspektur)
    response = client.get(url(case))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert b"ISI CATATAN RAHASIA" not in response.content
    header, rows = data_rows(openpyxl.load_workbook(io.BytesIO(response.content)).active)
    assert header == ["Urutan", "Waktu", "Tindakan", "Oleh", "Dari status", "Ke status", "Hash sebelumnya", "Hash"]
    assert [(row[0].value, row[7].value) for row in rows] == expected
    assert all(row[0].data_type == "n" and row[1].is_date for row in rows)
    assert rows[0][2].value == "Kasus dibuat"
    # One event on the case's chain for the export, one ExportJob row; the chain still verifies.
    exported = CaseEvent.objects.filter(case=case, action="exported")
    assert exported.count() == 1 and exported.get().actor == inspektur
    assert ExportJob.objects.filter(requested_by=inspektur, what="audit.xlsx").count() == 1
    assert not list(audit.verify())


def test_actor_names_that_look_like_formulas_stay_text(client, case, inspektur):
    client.force_login(inspektur)
    _header, rows = data_rows(openpyxl.load_workbook(io.BytesIO(client.get(url(case)).content)).active)
    risky = [row[3] for row in rows if str(row[3].value).startswith(("=", "+", "-", "@"))]
    assert sorted(cell.value for cell in risky) == sorted(RISKY)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    body = client.get(url(case, format="csv")).content
    assert body.startswith("\ufeff".encode())
    actors = [row[3] for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))]
    assert sorted(a for a in actors if a.startswith("'")) == sorted("'" + name for name in RISKY)
    assert "—" in actors  # a system step without an actor


def test_only_the_inspectorate_and_only_visible_cases(client, case, handler, outsider):
    client.force_login(handler)  # sees the case, is not the inspectorate
    assert client.get(url(case)).status_code == 403
    client.force_login(outsider)
    assert client.get(url(case)).status_code == 404
    assert not CaseEvent.objects.filter(case=case, action="exported").exists()
    assert not ExportJob.objects.exists()


def test_a_periods_log_covers_the_scopes_cases_and_adds_no_case_events(
    client, case, inspektur, other_unit, make_widget, pegawai
):
    from cases import services

    elsewhere = services.create_case(kind="uji", actor=pegawai, unit=other_unit, reporter=pegawai)
    events = CaseEvent.objects.count()
    period = Period.containing("month", workdays.today()).code
    client.force_login(inspektur)
    response = client.get(reverse("evaluasi:export"), {"what": "audit.csv", "periode": period, "unit": "SEKR"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nomor", "Jenis", "Urutan"]
    assert {row[0] for row in rows[1:]} == {case.reference}
    assert len(rows) - 1 == CaseEvent.objects.filter(case=case).count()
    assert elsewhere.reference not in response.content.decode()
    assert CaseEvent.objects.count() == events
    assert ExportJob.objects.get().what == "audit.csv"


def test_a_periods_log_is_the_inspectorates(case, make_user, unit):
    head = make_user("kepala")
    unit.head = head
    unit.save()
    period = Period.containing("month", workdays.today()).code
    assert not jobs.EXPORTERS["audit.xlsx"].allowed(head, {"periode": period, "unit": unit.code})
