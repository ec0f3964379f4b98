"""Evaluation periods: a month, quarter, semester, year or custom range, named the way the inspectorate writes
them, and the series of earlier periods a trend is drawn over.

A period is written in a URL as ``2026`` (year), ``2026-S2`` (semester), ``2026-Q3`` (triwulan), ``2026-07``
(month) or ``2026-07-01..2026-09-15`` (custom, both days included). ``Period.parse`` reads exactly these and
nothing else, so a forged or mistyped address gets a message, never a guessed period.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = {
    "month": gettext_lazy("Bulan"),
    "quarter": gettext_lazy("Triwulan"),
    "semester": gettext_lazy("Semester"),
    "year": gettext_lazy("Tahun"),
    "custom": gettext_lazy("Rentang tanggal"),
}
MONTHS = (
    gettext_lazy("Januari"),
    gettext_lazy("Februari"),
    gettext_lazy("Maret"),
    gettext_lazy("April"),
    gettext_lazy("Mei"),
    gettext_lazy("Juni"),
    gettext_lazy("Juli"),
    gettext_lazy("Agustus"),
    gettext_lazy("September"),
    gettext_lazy("Oktober"),
    gettext_lazy("November"),
    gettext_lazy("Desember"),
)
# The longest custom range: ten years is more than any evaluation asks for and bounds the work a URL can ask.
MAX_DAYS = 3660
FIRST_YEAR, LAST_YEAR = 2000, 2100

_PATTERNS = (
    ("year", re.compile(r"^(\d{4})$")),
    ("semester", re.compile(r"^(\d{4})-S([12])$", re.IGNORECASE)),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("custom", re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")),
)


class PeriodError(ValueError):
    """The period cannot be read; the message is for the user."""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # the last day, included

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def semester(cls, year: int, half: int) -> "Period":
        return cls("semester", dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        return cls("quarter", dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls("month", dt.date(year, month, 1), _month_end(year, month))

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> "Period":
        if not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
            raise PeriodError(
                _("Periode harus di antara tahun %(first)d dan %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if end < start:
            raise PeriodError(_("Tanggal akhir periode tidak boleh sebelum tanggal awalnya."))
        if (end - start).days > MAX_DAYS:
            raise PeriodError(_("Periode paling panjang sepuluh tahun."))
        return cls("custom", start, end)

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> "Period":
        """The month, quarter, semester or year that `day` falls in."""
        if kind == "month":
            return cls.month(day.year, day.month)
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == "semester":
            return cls.semester(day.year, 1 if day.month <= 6 else 2)
        return cls.year(day.year)

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = (text or "").strip()
        for kind, pattern in _PATTERNS:
            match = pattern.match(text)
            if not match:
                continue
            if kind == "custom":
                try:
                    start, end = (dt.date.fromisoformat(part) for part in match.groups())
                except ValueError:
                    break
                if not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
                    break
                return cls.custom(start, end)
            year, part = int(match.group(1)), int(match.group(2)) if match.lastindex == 2 else 0
            if not FIRST_YEAR <= year <= LAST_YEAR or (kind == "month" and not 1 <= part <= 12):
                break
            if kind == "year":
                return cls.year(year)
            return {"semester": cls.semester, "quarter": cls.quarter, "month": cls.month}[kind](year, part)
        raise PeriodError(
            _("Periode %(text)s tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07, 2026-01-01..2026-03-31.")
            % {"text": text[:40] or "—"}
        )

    @property
    def code(self) -> str:
        """How the period is written in a URL (the inverse of parse)."""
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "semester":
            return f"{self.start.year}-S{1 if self.start.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """The period as people write it: "Triwulan III 2026", "Juli 2026", "1 Jan 2026 – 15 Mar 2026"."""
        if self.kind == "year":
            return _("Tahun %(year)d") % {"year": self.start.year}
        if self.kind == "semester":
            return _("Semester %(n)s %(year)d") % {"n": "I" if self.start.month == 1 else "II", "year": self.start.year}
        if self.kind == "quarter":
            roman = ("I", "II", "III", "IV")[(self.start.month - 1) // 3]
            return _("Triwulan %(n)s %(year)d") % {"n": roman, "year": self.start.year}
        if self.kind == "month":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"

    @property
    def short_label(self) -> str:
        """A label short enough for a chart axis: "Q3 2026", "Jul 2026", "S1 2026"."""
        if self.kind == "month":
            return f"{str(MONTHS[self.start.month - 1])[:3]} {self.start.year}"
        if self.kind in ("year", "semester", "quarter"):
            return self.code.replace("-", " ") if self.kind != "year" else self.code
        return f"{self.start:%d/%m/%y}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        day = self.start - dt.timedelta(days=1)
        if self.kind == "custom":
            return Period.custom(self.start - dt.timedelta(days=self.days), day)
        return Period.containing(self.kind, day)

    def series(self, count: int = 12) -> list["Period"]:
        """This period and the `count - 1` before it, oldest first (a trend's x axis); fewer when the calendar the
        app reads (FIRST_YEAR on) runs out."""
        periods = [self]
        while len(periods) < count and periods[-1].start.year > FIRST_YEAR:
            try:
                periods.append(periods[-1].previous())
            except PeriodError:
                break
        return periods[::-1]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def default_period(today: dt.date) -> Period:
    """What the dashboard opens on: the current quarter."""
    return Period.containing("quarter", today)


def choices_around(today: dt.date) -> list[tuple[str, str]]:
    """The periods offered in the dashboard's picker: this year and the two before, each as a year, its
    semesters, quarters and months (a custom range is typed)."""
    options = []
    for year in range(today.year, today.year - 3, -1):
        options.append(Period.year(year))
        options.extend(Period.semester(year, half) for half in (1, 2))
        options.extend(Period.quarter(year, quarter) for quarter in (1, 2, 3, 4))
        options.extend(Period.month(year, month) for month in range(1, 13))
    return [(period.code, period.label) for period in options if period.start <= today]
