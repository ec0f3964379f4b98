"""The evaluation exports (evaluasi.exports): the dashboard as XLSX, CSV and PDF, the cases behind a figure as
XLSX and CSV. Expected numbers are counted from the cases the test made, not from the statistics module."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from cases import services
from cases.models import Unit
from evaluasi import exports, jobs  # noqa: F401 - importing exports registers the exporters
from evaluasi.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_widget, handler):
    """Six 'uji' cases received this month: 2 submitted, 1 reviewing, 2 approved, 1 rejected."""
    made = [make_widget(status=status, title="ISI RAHASIA") for status in ("submitted",) * 2 + ("reviewing",)]
    made += [make_widget(status=status, title="ISI RAHASIA") for status in ("approved", "approved", "rejected")]
    return made


def period_code() -> str:
    from cases import workdays

    return Period.containing("month", workdays.today()).code


def params(**extra) -> dict:
    return {"periode": period_code(), "unit": "", **extra}


def make(user, what, **extra) -> bytes:
    _job, data = jobs.make_now(user, what, params(**extra), "uji")
    return data


def sheet_rows(sheet, header: str) -> tuple[list, list]:
    """The header row (the row whose first cell is `header`) and the data rows under it, up to a blank row."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == header)
    data = []
    for row in rows[start + 1 :]:
        if row[0].value is None:
            break
        data.append(row)
    return [cell.value for cell in rows[start]], data


def test_the_dashboard_workbook_has_every_figure_typed(cases, inspektur):
    book = openpyxl.load_workbook(io.BytesIO(make(inspektur, "dashboard.xlsx")))
    assert {"Uji", "Tindak lanjut"} <= set(book.sheetnames)
    header, rows = sheet_rows(book["Uji"], "Kelompok")
    assert header[:6] == ["Kelompok", "Kode", "Uraian", "Nilai", "Penyebut", "Persentase"]
    by_code = {row[1].value: row for row in rows}
    received = by_code["received"]
    assert received[3].value == 6 and received[3].data_type == "n"
    closed = by_code["closed"]
    assert (closed[3].value, closed[4].value) == (3, 6)  # approved + rejected over all received
    assert closed[5].data_type == "n" and closed[5].value == pytest.approx(0.5)
    assert by_code["status.submitted"][3].value == 2
    assert by_code["status.approved"][3].value == 2


def test_the_dashboard_workbook_carries_the_trend_with_real_dates(cases, inspektur):
    book = openpyxl.load_workbook(io.BytesIO(make(inspektur, "dashboard.xlsx")))
    sheet = next(book[name] for name in book.sheetnames if name.startswith("Tren"))
    header, rows = sheet_rows(sheet, "Jenis")
    uji = [row for row in rows if row[0].value == "Uji"]
    assert len(uji) == 12
    assert uji[-1][2].is_date and uji[-1][2].value.date() == Period.parse(period_code()).start
    assert uji[-1][4].value == 6 and uji[-1][4].data_type == "n"
    assert sum(row[4].value for row in uji[:-1]) == 0


def test_the_dashboard_csv_is_one_row_per_figure_with_a_bom(cases, inspektur):
    data = make(inspektur, "dashboard.csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Jenis", "Kelompok", "Kode", "Uraian", "Nilai", "Penyebut", "Persen", "Keterangan"]
    found = {(row[0], row[2]): row for row in rows[1:]}
    assert found[("uji", "received")][4] == "6"
    assert found[("uji", "closed")][4:7] == ["3", "6", "50.0"]
    assert any(row[0] == "tindak_lanjut" for row in rows[1:])


def test_the_dashboard_pdf_is_a_pdf_with_charts(cases, inspektur):
    data = make(inspektur, "dashboard.pdf", kind="uji")
    assert data.startswith(b"%PDF")
    assert len(data) > 5000


def test_the_cases_list_has_no_content_and_real_dates(cases, inspektur):
    data = make(inspektur, "cases.xlsx")
    assert b"ISI RAHASIA" not in data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, rows = sheet_rows(sheet, "Nomor")
    assert header == ["Nomor", "Jenis", "Unit", "Status", "Diterima", "Ditutup", "Melewati batas waktu"]
    assert sorted(row[0].value for row in rows) == sorted(case.reference for case in cases)
    assert all(row[4].is_date for row in rows)
    closed = [row for row in rows if row[3].value in ("Disetujui", "Ditolak")]
    assert len(closed) == 3 and all(row[5].is_date for row in closed)
    assert "ISI RAHASIA" not in str([[cell.value for cell in row] for row in sheet.iter_rows()])


def test_the_cases_behind_a_figure_are_exactly_its_cases(cases, inspektur):
    data = make(inspektur, "cases.csv", kind="uji", link={"status": "approved"})
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    expected = sorted(case.reference for case in cases if case.status == "approved")
    assert sorted(row[0] for row in rows[1:]) == expected


def test_a_forged_figure_link_is_refused(cases, inspektur):
    with pytest.raises(PermissionDenied):
        jobs.check(inspektur, "cases.xlsx", params(kind="uji", link={"status": "nonsense"}))


def test_outsiders_and_other_units_heads_export_nothing(cases, outsider, make_user, other_unit):
    with pytest.raises(PermissionDenied):
        jobs.check(outsider, "dashboard.xlsx", params())
    head = make_user("kepala_humas")
    Unit.objects.filter(pk=other_unit.pk).update(head=head)
    jobs.check(head, "dashboard.xlsx", params(unit=other_unit.code))
    with pytest.raises(PermissionDenied):
        jobs.check(head, "cases.xlsx", params(unit="SEKR"))
    with pytest.raises(PermissionDenied):
        jobs.check(head, "dashboard.xlsx", params())  # every unit: the inspectorate only


@pytest.fixture
def risky_units(unit, pegawai):
    """Cases in units whose codes start with each formula trigger (a code is typed in Pengaturan)."""
    made = []
    for code in ("=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(1)"):
        risky = Unit.objects.create(code=code, name="Unit", parent=unit.parent)
        case = services.create_case(
            kind="uji", actor=pegawai, unit=risky, reporter=pegawai, event_date=dt.date(2026, 11, 20)
        )
        made.append(services.transition(case, "submit", pegawai))
    return made


def test_formula_like_cells_stay_text_in_xlsx(risky_units, inspektur):
    sheet = openpyxl.load_workbook(io.BytesIO(make(inspektur, "cases.xlsx"))).active
    _header, rows = sheet_rows(sheet, "Nomor")
    cells = {row[2].value: row[2] for row in rows}
    assert set(cells) == {"=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(1)"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells.values())


def test_formula_like_cells_are_quoted_in_csv(risky_units, inspektur):
    rows = list(csv.reader(io.StringIO(make(inspektur, "cases.csv").decode("utf-8-sig"))))
    assert sorted(row[2] for row in rows[1:]) == sorted(["'=HYPERLINK(1)", "'+1+1", "'-2+3", "'@SUM(1)"])


def test_the_dashboards_export_links_carry_the_scope(unit):
    from django.template.loader import render_to_string

    from evaluasi.statistics import Scope

    html = render_to_string("evaluasi/_export_buttons.html", {"scope": Scope.of(Period.parse("2026-Q3"), unit)})
    for what in ("dashboard.xlsx", "dashboard.csv", "dashboard.pdf", "cases.xlsx"):
        assert f"/evaluasi/ekspor/?what={what}&amp;periode=2026-Q3&amp;unit=SEKR" in html
    assert "audit.xlsx" not in html  # only with may_export_audit
    html = render_to_string(
        "evaluasi/_export_buttons.html", {"scope": Scope.of(Period.parse("2026"), None), "may_export_audit": True}
    )
    assert "what=audit.xlsx&amp;periode=2026&amp;unit=" in html


def test_a_hidden_figure_never_reaches_a_file(monkeypatch, inspektur, unit):
    """A cell WBS hides (a count under 3 below the unit level) is written empty with a note, never its value."""
    from cases import registry
    from evaluasi import statistics

    hidden = statistics.Figure("status.x", "Sedikit", 2, suppressed=True)
    panel = statistics.KindPanel(
        kind=registry.get("uji"),
        received=statistics.Figure("received", "Diterima", 10),
        groups=[statistics.Group("status", "Menurut status", [hidden], chart=True)],
    )
    monkeypatch.setattr(statistics, "dashboard", lambda scope, **kwargs: [panel])
    sheet = openpyxl.load_workbook(io.BytesIO(make(inspektur, "dashboard.xlsx", kind="uji")))["Uji"]
    _header, rows = sheet_rows(sheet, "Kelompok")
    row = next(row for row in rows if row[1].value == "status.x")
    assert row[3].value is None and "< 3" in row[7].value
    csv_rows = list(csv.reader(io.StringIO(make(inspektur, "dashboard.csv", kind="uji").decode("utf-8-sig"))))
    found = next(r for r in csv_rows if r[2] == "status.x")
    assert found[4] == "" and "< 3" in found[7]
    assert make(inspektur, "dashboard.pdf", kind="uji").startswith(b"%PDF")


def test_each_kinds_sheet_ends_with_its_trend(cases, inspektur):
    sheet = openpyxl.load_workbook(io.BytesIO(make(inspektur, "dashboard.xlsx")))["Uji"]
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == "Tren 12 periode")
    trend = rows[start + 1 : start + 13]
    assert [cell.value for cell in rows[start][:4]] == ["Tren 12 periode", "Mulai", "Diterima", "Ditutup pada periode"]
    assert len(trend) == 12 and all(row[1].is_date for row in trend)
    assert trend[-1][0].value == Period.parse(period_code()).label
    assert (trend[-1][2].value, trend[-1][3].value) == (6, 3) and trend[-1][2].data_type == "n"
