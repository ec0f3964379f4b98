"""Declared export columns (cases.exports.Column: header, type, width, getter) and the clock states exports
read from the clock model (DeadlineClock.state), never from a rule of their own."""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest

from cases.exports import DATE, MONEY, Column, XlsxBook, clock_cell, csv_items, row_values
from cases.models import DeadlineClock

D = dt.date
ITEMS = [
    SimpleNamespace(name="=HYPERLINK(1)", on=D(2026, 3, 2), value=1_500_000),
    SimpleNamespace(name="Budi", on=D(2026, 3, 3), value=250_000),
]
COLUMNS = [
    Column("Nama", name="name", width=30, value=lambda item: item.name),
    Column("Tanggal", DATE, name="on", value=lambda item: item.on),
    Column("Nilai", MONEY, total=True, name="value", value=lambda item: item.value),
]


def test_rows_are_read_through_the_declared_getters():
    assert row_values(COLUMNS, ITEMS[1]) == ["Budi", D(2026, 3, 3), 250_000]


def test_a_declared_export_writes_typed_guarded_cells_at_the_declared_width():
    book = XlsxBook()
    sheet = book.sheet("Data", COLUMNS)
    for item in ITEMS:
        sheet.write_item(item)
    sheet.totals("Jumlah")
    data = book.close()

    ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    name, on, value = (cell for cell in ws[2])
    assert name.value == "=HYPERLINK(1)" and name.data_type == "s" and name.quotePrefix
    assert on.value == dt.datetime(2026, 3, 2) and on.number_format == "dd-mm-yyyy"
    assert value.value == 1_500_000 and value.number_format == "#,##0"
    # The declared width, not one fitted to the 13 characters of the longest name.
    assert ws.column_dimensions["A"].width == pytest.approx(30, abs=1)


def test_a_declared_export_as_csv():
    rows = list(csv.reader(io.StringIO(csv_items(COLUMNS, ITEMS).decode("utf-8-sig"))))
    assert rows == [
        ["Nama", "Tanggal", "Nilai"],
        ["'=HYPERLINK(1)", "2026-03-02", "1500000"],
        ["Budi", "2026-03-03", "250000"],
    ]


def test_a_column_without_a_getter_says_so():
    with pytest.raises(TypeError, match="no value getter"):
        row_values([Column("Nama", name="name")], ITEMS[0])


TODAY = D(2026, 3, 10)


def clock(**fields) -> DeadlineClock:
    values = {"due_date": D(2026, 3, 9), "start_date": D(2026, 3, 2), "working_days": 5, **fields}
    return DeadlineClock(code="x", label="x", basis="x", **values)


@pytest.mark.parametrize(
    ("fields", "state", "label"),
    [
        ({"met_on": D(2026, 3, 9)}, DeadlineClock.ON_TIME, "tepat waktu"),
        ({"met_on": D(2026, 3, 10)}, DeadlineClock.LATE, "terlambat"),
        ({"stopped_on": D(2026, 3, 10)}, DeadlineClock.STOPPED, "dihentikan"),
        # A paused clock is paused, even past its due date (the exports used to call it running or overdue).
        ({"paused_on": D(2026, 3, 5)}, DeadlineClock.PAUSED, "dijeda"),
        ({"breached_on": D(2026, 3, 10)}, DeadlineClock.OVERDUE, "terlampaui"),
        # Past its due date before the sweep marked it: overdue, as the row's red mark already said.
        ({}, DeadlineClock.OVERDUE, "terlampaui"),
        ({"due_date": D(2026, 3, 12)}, DeadlineClock.RUNNING, "berjalan"),
    ],
)
def test_a_clock_has_one_state_that_pages_and_exports_read(fields, state, label):
    assert clock(**fields).state(TODAY) == state
    assert clock_cell(clock(**fields), TODAY) == label


def test_a_clock_the_case_never_started_is_a_dash():
    assert clock_cell(None, TODAY) == "—"
