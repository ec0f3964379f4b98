"""The shared export writer (cases.exports): every text cell safe from formula injection, real dates and
numbers, usable sheets. Each export also has its own read-back test (tests/gratifikasi/test_exports.py)."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from cases.exports import DATE, DATETIME, MONEY, NUMBER, PERCENT, TEXT, Column, XlsxBook, csv_bytes, is_formula_like

RISKY = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "\uff1d1+1", "=cmd|' /C calc'!A0"]
HARMLESS = ["Budi", "1-2", "a=b", " =1", "", "Rp 1.000"]


@pytest.mark.parametrize("text", RISKY)
def test_it_recognises_formula_like_texts(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", HARMLESS)
def test_it_leaves_ordinary_texts_alone(text):
    assert not is_formula_like(text)


def test_it_writes_risky_xlsx_texts_as_quote_prefixed_string_cells():
    book = XlsxBook()
    sheet = book.sheet("Data", [Column("Teks", TEXT)])
    for text in RISKY[:4] + ["Budi"]:
        sheet.write([text])
    data = book.close()

    cells = [row[0] for row in openpyxl.load_workbook(io.BytesIO(data))["Data"].iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == RISKY[:4] + ["Budi"]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.quotePrefix for cell in cells] == [True, True, True, True, False]


def test_it_writes_real_dates_and_numbers_with_totals_that_follow_the_filter():
    book = XlsxBook()
    columns = [Column("Tanggal", DATE), Column("Waktu", DATETIME), Column("Nilai", MONEY, total=True)]
    sheet = book.sheet("Data", columns, title_rows=[["Judul"]])
    sheet.write([dt.date(2026, 3, 10), dt.datetime(2026, 3, 10, 9, 30), 1_500_000])
    sheet.write([dt.date(2026, 3, 11), None, 250])
    assert sheet.totals("Jumlah") == {2: 1_500_250}
    data = book.close()

    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Data"]
    assert values["A3"].value == "Tanggal"
    assert values["A4"].value == dt.datetime(2026, 3, 10) and values["A4"].number_format == "dd-mm-yyyy"
    assert values["B4"].value == dt.datetime(2026, 3, 10, 9, 30)
    assert values["C4"].value == 1_500_000 and values["C4"].number_format == "#,##0"
    assert values["C7"].value == 1_500_250
    formulas = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    assert formulas["C7"].value == "=SUBTOTAL(109,C4:C5)"
    assert formulas.freeze_panes == "A4"
    assert formulas.auto_filter.ref == "A3:C5"


def test_it_writes_shares_as_percentages_with_a_total_that_divides_the_totals():
    book = XlsxBook()
    columns = [
        Column("Wajib", NUMBER, total=True, name="all"),
        Column("Sudah", NUMBER, total=True, name="done"),
        Column("Cakupan", PERCENT, name="share", ratio=("done", "all")),
    ]
    sheet = book.sheet("Data", columns, title_rows=[["Tahun", 2026]])
    sheet.write([4, 1, 0.25])
    sheet.write([6, 3, 0.5])
    sheet.totals("Jumlah")
    data = book.close()

    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Data"]
    assert values["B1"].value == 2026 and values["B1"].number_format == "0"  # a year, not "2.026"
    assert values["C4"].value == 0.25 and values["C4"].number_format == "0.0%"
    assert values["C7"].value == pytest.approx(0.4)
    formulas = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    assert formulas["C7"].value == "=IF(A7=0,0,B7/A7)"


def test_it_fits_column_widths_to_the_content_within_a_cap():
    book = XlsxBook()
    sheet = book.sheet("Data", [Column("A"), Column("B"), Column("C")])
    sheet.write(["x", "y" * 30, "z" * 500])
    dims = openpyxl.load_workbook(io.BytesIO(book.close()))["Data"].column_dimensions
    assert dims["A"].width < dims["B"].width < dims["C"].width <= 61


def test_it_quotes_and_prefixes_risky_csv_texts():
    columns = [Column("Nama"), Column("Tanggal", DATE), Column("Nilai", MONEY)]
    data = csv_bytes(columns, [["=1+1", dt.date(2026, 3, 10), -5], ["@A1", None, 1_000], ["Budi", None, 0]])

    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=1+1","2026-03-10","-5"'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["Nama", "Tanggal", "Nilai"],
        ["'=1+1", "2026-03-10", "-5"],
        ["'@A1", "", "1000"],
        ["Budi", "", "0"],
    ]
