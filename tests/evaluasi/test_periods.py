"""Periods are read from a URL exactly, written back the same way, and lined up for a trend."""

import datetime as dt

import pytest

from evaluasi.periods import Period, PeriodError, choices_around, default_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "Tahun 2026"),
        ("2026-S1", D(2026, 1, 1), D(2026, 6, 30), "Semester I 2026"),
        ("2026-S2", D(2026, 7, 1), D(2026, 12, 31), "Semester II 2026"),
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), "Triwulan I 2026"),
        ("2026-q4", D(2026, 10, 1), D(2026, 12, 31), "Triwulan IV 2026"),
        ("2028-02", D(2028, 2, 1), D(2028, 2, 29), "Februari 2028"),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28), "Februari 2026"),
        ("2026-01-15..2026-03-14", D(2026, 1, 15), D(2026, 3, 14), "15-01-2026 – 14-03-2026"),
    ],
)
def test_each_written_form_reads_and_writes_back(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert Period.parse(period.code) == period


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-Q5",
        "2026-Q0",
        "2026-S3",
        "2026-13",
        "2026-00",
        "1999",
        "2101",
        "2026-02-30..2026-03-01",
        "2026-03-01..2026-01-01",
        "2016-01-01..2026-12-31",
        "2026;DROP",
        "2026-07-01..",
        "Q3 2026",
    ],
)
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(PeriodError) as refused:
        Period.parse(text)
    assert str(refused.value)


def test_a_trend_is_the_periods_of_the_same_kind_before_it():
    assert [p.code for p in Period.parse("2026-Q1").series(4)] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert [p.code for p in Period.parse("2026-01").series(3)] == ["2025-11", "2025-12", "2026-01"]
    assert [p.code for p in Period.parse("2026-S1").series(3)] == ["2025-S1", "2025-S2", "2026-S1"]
    custom = Period.parse("2026-03-01..2026-03-10").series(2)
    assert [(p.start, p.end) for p in custom] == [(D(2026, 2, 19), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 10))]


def test_the_dashboard_opens_on_the_current_quarter_and_offers_no_future_period():
    assert default_period(D(2026, 12, 2)).code == "2026-Q4"
    offered = [code for code, _label in choices_around(D(2026, 12, 2))]
    assert "2026-12" in offered and "2024" in offered and "2027" not in offered
    assert all(Period.parse(code).start <= D(2026, 12, 2) for code in offered)


def test_a_custom_range_outside_the_calendar_is_refused_not_a_server_error():
    for start, end in ((D(9999, 12, 1), D(9999, 12, 31)), (D(1, 1, 1), D(1, 12, 31)), (D(1999, 12, 1), D(2000, 1, 5))):
        with pytest.raises(PeriodError):
            Period.custom(start, end)


def test_a_trend_stops_where_the_calendar_starts():
    assert [p.code for p in Period.year(2001).series(12)] == ["2000", "2001"]
    assert Period.custom(D(2000, 1, 1), D(2000, 3, 1)).series(12) == [Period.custom(D(2000, 1, 1), D(2000, 3, 1))]
