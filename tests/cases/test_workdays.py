"""Working days around Lebaran 2026, cuti bersama, Christmas and year ends, weekends, and admin overrides.

2026 calendar (SKB 3 Menteri; the holidays package, categories public + government):
  16–17 Feb Imlek (16 cuti bersama); 18–19 Mar Nyepi (18 cuti bersama); 20–24 Mar Idulfitri with cuti bersama
  (21–22 fall on a weekend); 3 Apr Good Friday; 14–15 May Ascension; 27–28 May Iduladha; 1 Jun Pancasila;
  24–25 Dec Christmas (24 cuti bersama).
"""

import datetime as dt

import pytest

from cases import workdays
from cases.models import CalendarOverride
from cases.workdays import add_working_days, working_days_between

D = dt.date

pytestmark = pytest.mark.django_db


def test_it_starts_counting_the_day_after():
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)  # Monday -> Tuesday


def test_it_skips_the_weekend():
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday -> Monday
    assert add_working_days(D(2026, 11, 21), 1) == D(2026, 11, 23)  # Saturday -> Monday


def test_it_skips_lebaran_2026_and_its_cuti_bersama():
    # Thu 19 Mar is Nyepi; Fri 20, Mon 23, Tue 24 are Idulfitri cuti bersama / holidays.
    assert add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 25)) == 1
    # 10 HK from Friday 13 Mar: 16, 17, 25, 26, 27, 30, 31 Mar, 1, 2, 6 Apr (3 Apr is Good Friday).
    assert add_working_days(D(2026, 3, 13), 10) == D(2026, 4, 6)


def test_it_counts_30_working_days_across_lebaran():
    received = D(2026, 3, 2)
    due = add_working_days(received, 30)
    # 3–6, 9–13, 16–17, 25–27, 30–31 Mar (16 HK), 1–2, 6–10, 13–17, 20–21 Apr (14 HK).
    assert due == D(2026, 4, 21)
    assert working_days_between(received, due) == 30


def test_it_crosses_the_year_end_with_christmas_cuti_bersama():
    # 24 (cuti bersama) and 25 Dec 2026 off, 26–27 weekend, 1 Jan 2027 New Year.
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 28)
    assert add_working_days(D(2026, 12, 23), 4) == D(2026, 12, 31)
    assert add_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)


def test_between_is_negative_backwards_and_zero_on_the_same_day():
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 23)) == -4


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 23), -1)


def test_admin_overrides_add_a_holiday_and_a_working_day():
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)
    CalendarOverride.objects.create(date=D(2026, 11, 24), description="Libur daerah")
    workdays.overrides_changed()
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)
    # A Saturday declared a working day (a decree moving a holiday) counts.
    CalendarOverride.objects.create(date=D(2026, 11, 28), is_working_day=True, description="Hari kerja pengganti")
    workdays.overrides_changed()
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 28)


def test_years_outside_the_package_count_weekends_and_overrides_only():
    assert workdays.year_coverage(2150) == "none"
    assert add_working_days(D(2150, 1, 1), 1) == D(2150, 1, 2)  # 1 Jan 2150 is a Thursday; no New Year data
    CalendarOverride.objects.create(date=D(2150, 1, 2), description="Tahun baru (ditetapkan admin)")
    workdays.overrides_changed()
    assert add_working_days(D(2150, 1, 1), 1) == D(2150, 1, 5)


def test_coverage_says_which_years_are_decreed():
    assert workdays.year_coverage(2026) == "complete"
    assert workdays.year_coverage(2031) in {"estimated", "no_cuti_bersama"}
