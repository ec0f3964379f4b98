"""The one writer layer every spreadsheet export goes through (DESIGN §1.1 "Exports").

What it guarantees, so that no export has to remember it:

- **No formula injection.** A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  (and their full-width forms, which East-Asian input methods type and Excel accepts as the same operators)
  is never evaluated. OWASP "CSV Injection" guidance:
  * XLSX: every text goes through ``write_string`` (never ``write``, which turns ``=…`` into a formula), so
    the cell is a string cell that Excel does not evaluate; a risky text also gets the ``quotePrefix`` style,
    which is what Excel itself stores when a user types ``'=…``: the cell keeps exactly the text typed by the
    reporter (no altered data in the file) and stays text when someone edits it and presses Enter.
  * CSV: a plain-text file has no cell types, so the text itself must change: a risky text is prefixed
    with a single quote (``'=…``) and every field is quoted, as OWASP recommends. The reader sees the
    apostrophe; that is the price of a CSV that is safe to double-click.
- **Real dates and numbers**: dates are date cells (dd-mm-yyyy), Rupiah are numbers (``#,##0``), so the
  file sorts, filters and sums; CSV writes ISO dates (YYYY-MM-DD) and plain digits.
- **Declared columns**: an export is a list of `Column` (header, type, width, value getter, name); the rows
  are read through the getters, so a new export declares what it shows and inherits everything here. Clock
  states come from the clock model (`clock_cell`), never from a rule copied into the export.
- **Usable sheets**: column widths fitted to the content (capped), the header row frozen, an autofilter on
  the table, and totals rows as ``SUBTOTAL(109, …)`` with the value cached, so they stay right when the
  reader filters.
- **Bounded memory**: xlsxwriter's constant_memory mode writes each row out as it goes.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone
from django.utils.text import slugify
from xlsxwriter.utility import xl_rowcol_to_cell

# OWASP CSV Injection: =, +, -, @, tab (0x09), carriage return (0x0D); with their full-width forms.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Excel's limit for one cell's text.
XLSX_MAX_TEXT = 32_767
MIN_WIDTH, MAX_WIDTH = 6, 60

TEXT, DATE, DATETIME, MONEY, NUMBER, PERCENT = "text", "date", "datetime", "money", "number", "percent"
# A number with decimals (an LKE weight 0.375, a score 1.125): shown with up to four decimals.
DECIMAL = "decimal"


def recap_filename(kind: str, params: dict, extension: str = "xlsx") -> str:
    """`rekap-<kind>-sekr-20260301-20260331.xlsx`: the kind, the period and the unit, so two recaps never share
    a name in the inspector's downloads folder."""
    unit = params.get("unit")
    scope = slugify(unit.code) if unit is not None else "semua-unit"
    return f"rekap-{kind}-{scope}-{params['start']:%Y%m%d}-{params['end']:%Y%m%d}.{extension}"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (or as a DDE command)."""
    return text.startswith(FORMULA_TRIGGERS)


def csv_text(value) -> str:
    """A text for a CSV cell: prefixed with a quote when a spreadsheet would evaluate it."""
    text = str(value)
    return "'" + text if is_formula_like(text) else text


@dataclass(frozen=True)
class Column:
    """One column of an export, declared once: what the header says, the cell type (TEXT, DATE, DATETIME,
    MONEY, NUMBER, PERCENT — a fraction shown as a percentage), its width, and how its value is read from the
    item a row shows. An export is a list of
    these; the writers below turn it into typed, guarded cells in XLSX and CSV alike."""

    header: str
    kind: str = TEXT
    # Summed in the totals row (money and number columns).
    total: bool = False
    # A PERCENT column's figure in the totals row: the names of the numerator and denominator columns, whose
    # totals it divides (a formula, so it follows the reader's filter too).
    ratio: tuple[str, str] | None = None
    # A stable name for code and tests (the header is translated).
    name: str = ""
    # Width in characters; None fits the column to its content (capped at MAX_WIDTH).
    width: int | None = None
    # Reads the cell's value from the row's item; columns without one take values given row by row (write()).
    value: Callable[[Any], Any] | None = None

    def get(self, item):
        if self.value is None:
            raise TypeError(f"Column {self.name or self.header!r} declares no value getter")
        return self.value(item)


def row_values(columns: Sequence[Column], item) -> list:
    """One item's row, read through its columns' getters."""
    return [column.get(item) for column in columns]


def clock_cell(clock, today: dt.date | None = None) -> str:
    """A deadline clock in a cell: its state as the clock model reads it (DeadlineClock.state) on `today`, or a
    dash for a clock the case never started. Exports never re-derive "on time" or "late" themselves."""
    return "—" if clock is None else str(clock.STATE_LABELS[clock.state(today)])


def _as_date(value) -> dt.datetime:
    return dt.datetime(value.year, value.month, value.day)


def _as_local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _display_length(value, kind: str) -> int:
    if kind == DATE:
        return 10
    if kind == DATETIME:
        return 16
    if kind in (PERCENT, DECIMAL):
        return 6
    if kind in (MONEY, NUMBER):
        # Digits plus the thousands separators of "#,##0".
        digits = len(str(int(value)))
        return digits + (digits - 1) // 3
    text = str(value)
    if "\n" not in text and "\r" not in text:  # the usual one-line cell, without splitting it
        return len(text)
    return max((len(line) for line in text.splitlines()), default=0)


class XlsxSheet:
    """One table on a sheet: optional title lines, a header row, data rows, then totals and notes."""

    def __init__(self, book: "XlsxBook", name: str, columns: Sequence[Column], title_rows: Sequence[Sequence]):
        self.book, self.columns = book, list(columns)
        self.sheet = book.workbook.add_worksheet(name[:31])
        self.row = 0
        for values in title_rows:
            # A whole number in a title line is a year or a version, not an amount: no thousands separator.
            self._write_cells(values, bold=True, whole=book.number_bold)
            self.row += 1
        if title_rows:
            self.row += 1  # a blank line between the title and the table
        self.header_row = self.row
        self.widths = [len(column.header) for column in self.columns]
        for col, column in enumerate(self.columns):
            self.sheet.write_string(self.row, col, self._text(column.header), book.header)
        self.row += 1
        self.first_data_row = self.row
        self.sums = [0] * len(self.columns)
        self.count = 0

    def _text(self, value) -> str:
        text = str(value)
        if len(text) > XLSX_MAX_TEXT:
            text = text[: XLSX_MAX_TEXT - 1] + "…"
        return text

    def _write_text(self, row: int, col: int, value, bold: bool = False) -> None:
        text = self._text(value)
        if is_formula_like(text):
            self.sheet.write_string(row, col, text, self.book.text_guarded_bold if bold else self.book.text_guarded)
        else:
            self.sheet.write_string(row, col, text, self.book.bold if bold else None)

    def _write_cells(self, values: Iterable, bold: bool = False, whole=None) -> None:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                value = str(value)
            if whole is not None and isinstance(value, int):
                self.sheet.write_number(self.row, col, value, whole)
            elif isinstance(value, int | Decimal | float):
                self.sheet.write_number(self.row, col, value, self.book.money_bold if bold else self.book.money)
            elif isinstance(value, dt.datetime):
                self.sheet.write_datetime(self.row, col, _as_local(value), self.book.datetime)
            elif isinstance(value, dt.date):
                self.sheet.write_datetime(self.row, col, _as_date(value), self.book.date)
            else:
                self._write_text(self.row, col, value, bold)

    def write(self, values: Sequence) -> None:
        """One data row, typed by its columns: text is always a string cell, guarded against formulas."""
        book = self.book
        for col, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            if value is None or value == "":
                continue
            if column.kind == DATE:
                self.sheet.write_datetime(self.row, col, _as_date(value), book.date)
            elif column.kind == DATETIME:
                self.sheet.write_datetime(self.row, col, _as_local(value), book.datetime)
            elif column.kind in (MONEY, NUMBER):
                if column.kind == MONEY:
                    fmt = book.money
                else:
                    # A NUMBER with a fraction (a median of 4.5 days) keeps its decimals; "0" would show 5.
                    fmt = book.number if value == int(value) else book.decimal
                self.sheet.write_number(self.row, col, value, fmt)
                self.sums[col] += value
            elif column.kind == PERCENT:
                self.sheet.write_number(self.row, col, value, book.percent)
            elif column.kind == DECIMAL:
                self.sheet.write_number(self.row, col, value, book.decimal)
            else:
                self._write_text(self.row, col, value)
            length = _display_length(value, column.kind)
            if length > self.widths[col]:
                self.widths[col] = length
        self.row += 1
        self.count += 1

    def write_item(self, item) -> None:
        """One data row for `item`, its values read by the columns' getters."""
        self.write(row_values(self.columns, item))

    def totals(self, label: str) -> dict[int, int]:
        """A totals row under the table (after a blank line): SUBTOTAL(109) of each `total` column, so the
        figure follows the reader's filter; the value is cached in the file for readers that do not
        recalculate. Returns the sums by column index."""
        self.row += 1
        self._write_text(self.row, 0, label, bold=True)
        found = {}
        names = {column.name: col for col, column in enumerate(self.columns) if column.name}
        for col, column in enumerate(self.columns):
            if column.ratio is not None:
                top, bottom = (names[name] for name in column.ratio)
                top_cell, bottom_cell = (xl_rowcol_to_cell(self.row, other) for other in (top, bottom))
                cached = self.sums[top] / self.sums[bottom] if self.sums[bottom] else 0
                formula = f"=IF({bottom_cell}=0,0,{top_cell}/{bottom_cell})"
                self.sheet.write_formula(self.row, col, formula, self.book.percent_bold, cached)
                continue
            if not column.total:
                continue
            first = xl_rowcol_to_cell(self.first_data_row, col)
            last = xl_rowcol_to_cell(max(self.first_data_row, self.row - 2), col)
            formula = f"=SUBTOTAL(109,{first}:{last})"
            fmt = self.book.money_bold if column.kind == MONEY else self.book.number_bold
            self.sheet.write_formula(self.row, col, formula, fmt, self.sums[col])
            found[col] = self.sums[col]
        self.row += 1
        return found

    def note(self, *values) -> None:
        """A line of text or figures under the table (a count, a breakdown), bold in its first cell."""
        self._write_cells(values, bold=True)
        self.row += 1

    def finish(self) -> None:
        last_data_row = max(self.first_data_row, self.first_data_row + self.count - 1)
        self.sheet.freeze_panes(self.header_row + 1, 0)
        self.sheet.autofilter(self.header_row, 0, last_data_row, len(self.columns) - 1)
        for col, (column, width) in enumerate(zip(self.columns, self.widths, strict=True)):
            if column.width is not None:
                self.sheet.set_column(col, col, column.width)
                continue
            # +2 for the autofilter's drop-down arrow.
            self.sheet.set_column(col, col, min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))


class XlsxBook:
    """An XLSX workbook written row by row: xlsxwriter's constant_memory mode keeps one row per sheet in
    memory and the rest in temporary files (its in_memory option would switch that off), so memory stays
    bounded however many rows an export has. Rows of a sheet must be written in order.

    ``output``: a binary file to write the workbook to (a background export's temporary file), so not even the
    finished file is held in memory; without it the book is built in memory and ``close()`` returns its bytes."""

    def __init__(self, output=None):
        self.buffer = io.BytesIO() if output is None else None
        self.workbook = xlsxwriter.Workbook(
            self.buffer if output is None else output,
            {
                "constant_memory": True,
                # Belt and braces: even a stray write() never turns text into a formula, number or link.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        add = self.workbook.add_format
        self.bold = add({"bold": True})
        self.header = add({"bold": True, "bg_color": "#EEEEEE", "bottom": 1, "text_wrap": True, "valign": "top"})
        self.text_guarded = add({"quote_prefix": True})
        self.text_guarded_bold = add({"quote_prefix": True, "bold": True})
        self.money = add({"num_format": "#,##0"})
        self.money_bold = add({"num_format": "#,##0", "bold": True})
        self.number = add({"num_format": "0"})
        self.number_bold = add({"num_format": "0", "bold": True})
        # A share kept as a fraction (0.273) and shown as a percentage with one decimal, so it sorts and computes.
        self.percent = add({"num_format": "0.0%"})
        self.percent_bold = add({"num_format": "0.0%", "bold": True})
        self.decimal = add({"num_format": "0.0###"})
        self.date = add({"num_format": "dd-mm-yyyy"})
        self.datetime = add({"num_format": "dd-mm-yyyy hh:mm"})
        self.sheets: list[XlsxSheet] = []

    def sheet(self, name: str, columns: Sequence[Column], *, title_rows: Sequence[Sequence] = ()) -> XlsxSheet:
        sheet = XlsxSheet(self, name, columns, title_rows)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> bytes:
        """Finish the sheets and the file; the bytes of a book built in memory (b"" when written to `output`)."""
        for sheet in self.sheets:
            sheet.finish()
        self.workbook.close()
        return self.buffer.getvalue() if self.buffer is not None else b""


def _csv_cells(columns: Sequence[Column], values: Sequence) -> list[str]:
    cells = []
    for column, value in zip(columns, values, strict=True):
        if value is None:
            cells.append("")
        elif column.kind == DATE:
            cells.append(value.isoformat())
        elif column.kind == DATETIME:
            cells.append(_as_local(value).isoformat(sep=" ", timespec="minutes"))
        elif column.kind in (MONEY, NUMBER, PERCENT, DECIMAL):
            cells.append(str(value))
        else:
            cells.append(csv_text(value))
    return cells


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, so Excel reads Indonesian text right), every field quoted,
    risky texts prefixed with a quote, dates in ISO 8601 and numbers as plain digits."""
    buffer = io.BytesIO()
    csv_write(buffer, columns, rows)
    return buffer.getvalue()


def csv_write(output, columns: Sequence[Column], rows: Iterable[Sequence], *, every: int = 0, progress=None) -> int:
    """csv_bytes written to the binary file `output` as the rows come (a background export of 100,000 rows
    holds one row at a time); calls ``progress(rows written)`` every `every` rows. Returns the number of rows."""
    text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=True)
    try:
        text.write("\ufeff")
        writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow([csv_text(column.header) for column in columns])
        count = 0
        for values in rows:
            writer.writerow(_csv_cells(columns, values))
            count += 1
            if every and progress is not None and count % every == 0:
                progress(count)
        text.flush()
    finally:
        text.detach()  # leave `output` open: it belongs to the caller
    return count


def csv_items(columns: Sequence[Column], items: Iterable) -> bytes:
    """csv_bytes for declared columns: each item's row read through the getters."""
    return csv_bytes(columns, (row_values(columns, item) for item in items))
