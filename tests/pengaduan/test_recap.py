"""The XLSX recap per period and unit (issue 10): read back with openpyxl; typed cells; a formula-looking text
stays text; no complainant identity at all (not even an identified one's: the file travels); one `exported`
event per complaint it contains; for complaint officers and the inspectorate only."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from cases import workdays
from cases.models import Unit
from pengaduan.models import Complaint, Service
from tests.pengaduan import staff_fixtures
from tests.pengaduan.staff_fixtures import CONTACT, EMAIL, NAME

# The officers' fixtures (tests/pengaduan/staff_fixtures.py), bound here where pytest collects them.
_staff_setup = staff_fixtures._staff_setup
service = staff_fixtures.service
coordinator = staff_fixtures.coordinator
make_complaint = staff_fixtures.make_complaint

pytestmark = pytest.mark.django_db

URL = "/kelola/pengaduan/rekap/"


def params(**overrides) -> dict:
    today = workdays.today()
    return {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat(), **overrides}


def read(response) -> tuple[list, list[list]]:
    """The header row and the data rows (until the blank line before the totals)."""
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Nomor")
    data = []
    for row in rows[start + 1 :]:
        if not any(cell is not None for cell in row):
            break
        data.append(list(row))
    return list(rows[start]), data


def test_the_recap_has_a_row_per_complaint_with_its_clocks_and_outcomes(client, make_complaint, handler):
    closed = make_complaint("closed", mode="identified", lapor_tracking_id="LAPOR-9")
    Complaint.objects.filter(pk=closed.pk).update(satisfaction=4)
    received = make_complaint("received", mode="anonymous")
    client.force_login(handler)
    response = client.get(URL, params())
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, rows = read(response)
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_ref) == {closed.reference, received.reference}
    row = by_ref[closed.reference]
    assert row["Saluran"] == "Telepon"
    assert row["Nomor tiket LAPOR!"] == "LAPOR-9"
    assert row["Kategori"] == "02 Pelayanan masyarakat"
    assert row["Layanan"] == "Pembuatan KTP-el"
    assert row["Status"] == "Selesai"
    assert row["Cara selesai"] == "Konfirmasi dicatat petugas"
    assert row["Kepuasan (1–5)"] == 4
    assert isinstance(row["Diterima"], dt.datetime)
    assert isinstance(row["Dijawab"], dt.datetime)  # a date cell
    assert any(key.startswith("Tenggat: Verifikasi") for key in row)
    assert by_ref[received.reference]["Tenggat: Tindak lanjut pertama"] == "—"
    assert by_ref[received.reference]["Tenggat: Jawaban atas sanggahan pengadu"] == "—"  # no dispute, no clock


def test_no_identity_is_exported_whatever_the_mode(client, make_complaint, coordinator):
    for mode in ("identified", "confidential", "anonymous"):
        make_complaint(mode=mode)
    client.force_login(coordinator)
    response = client.get(URL, params())
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert len(read(response)[1]) == 3
    for secret in (NAME, CONTACT, EMAIL):
        assert not any(secret in cell for cell in cells)
    # The complainant's own words stay in SIGAP too.
    assert not any("Petugas loket meminta uang" in cell for cell in cells)


def test_a_formula_looking_text_stays_text(client, make_complaint, handler, unit):
    Service.objects.create(code="rumus", name='=HYPERLINK("http://x","klik")', unit=unit)
    make_complaint(service=Service.objects.get(code="rumus"), lapor_tracking_id="+1-2")
    client.force_login(handler)
    response = client.get(URL, params())
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header, rows = read(response)
    col = header.index("Layanan")
    data_row = next(r for r in sheet.iter_rows() if r[0].value and str(r[0].value).startswith("ADU-"))
    cell = data_row[col]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert cell.quotePrefix
    assert data_row[header.index("Nomor tiket LAPOR!")].quotePrefix


def test_the_period_and_the_unit_with_its_sub_units_filter(client, make_complaint, handler, unit, other_unit):
    sub = Unit.objects.create(code="SUB", name="Subbagian", parent=unit)
    inside = make_complaint()
    below = make_complaint()
    elsewhere = make_complaint()
    old = make_complaint()
    Complaint.objects.filter(pk=below.pk).update(unit=sub)
    Complaint.objects.filter(pk=elsewhere.pk).update(unit=other_unit)
    Complaint.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=400))
    client.force_login(handler)
    _header, rows = read(client.get(URL, params(unit=unit.pk)))
    assert {row[0] for row in rows} == {inside.reference, below.reference}


def test_each_export_is_an_audit_event_on_each_complaint(client, make_complaint, inspektur):
    first, second = make_complaint(), make_complaint()
    client.force_login(inspektur)
    assert client.get(URL, params()).status_code == 200
    for complaint in (first, second):
        events = complaint.events.filter(action="exported")
        assert events.count() == 1 and events.get().actor == inspektur


def test_a_bad_period_keeps_the_form_with_a_message(client, handler):
    client.force_login(handler)
    response = client.get(URL, params(start="2026-12-01", end="2026-11-01"))
    assert response.status_code == 200
    assert "Tanggal awal tidak boleh setelah tanggal akhir." in response.content.decode()


@pytest.mark.parametrize("persona", ["pegawai", "upg", "outsider"])
def test_only_complaint_officers_and_the_inspectorate_may_export(client, request, make_complaint, persona):
    complaint = make_complaint()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, params()).status_code == 403
    assert not complaint.events.filter(action="exported").exists()
