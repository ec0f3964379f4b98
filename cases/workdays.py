"""Hari kerja: Monday–Friday minus Indonesian national holidays, cuti bersama and an admin's overrides.

Every deadline counted in working days uses this module. Convention (DESIGN §1.1): the day of the triggering
event is day 0 and never counts; the Nth working day after it is the last day allowed.

National holidays come from the `holidays` package (country ID, categories public + government; the
government category holds cuti bersama). Outside the years the package covers, only weekends count as days
off, plus what an admin adds as a CalendarOverride; `year_coverage()` tells the admin which is the case.
"""

import datetime as dt
from functools import lru_cache

import holidays
from django.core.cache import cache
from django.utils import timezone

from cases.models import CalendarOverride

_CATEGORIES = ("public", "government")
_VERSION_KEY = "sigap:calendar-overrides-version"


def today() -> dt.date:
    """Today in Asia/Jakarta (settings.TIME_ZONE), the zone every deadline is counted in."""
    return timezone.localdate()


@lru_cache(maxsize=256)
def _national_days_off(year: int) -> frozenset[dt.date]:
    if not holidays.Indonesia.start_year <= year <= holidays.Indonesia.end_year:
        return frozenset()
    return frozenset(holidays.country_holidays("ID", years=year, categories=_CATEGORIES).keys())


def year_coverage(year: int) -> str:
    """'complete', 'no_cuti_bersama' (holidays known, cuti bersama not yet decreed/in the package),
    'estimated' (some religious holidays are computed, not decreed) or 'none' (weekends only)."""
    if not holidays.Indonesia.start_year <= year <= holidays.Indonesia.end_year:
        return "none"
    public = holidays.country_holidays("ID", years=year, categories=("public",))
    if any("estimated" in name.lower() for name in public.values()):
        return "estimated"
    if not holidays.country_holidays("ID", years=year, categories=("government",)):
        return "no_cuti_bersama"
    return "complete"


def overrides_changed() -> None:
    """Called after an admin edits the calendar, so every process reloads its overrides."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, timeout=None)
    _overrides.cache_clear()


@lru_cache(maxsize=64)
def _overrides(year: int, version: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    rows = CalendarOverride.objects.filter(date__year=year).values_list("date", "is_working_day")
    off = frozenset(date for date, working in rows if not working)
    on = frozenset(date for date, working in rows if working)
    return off, on


def _year_calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    version = cache.get(_VERSION_KEY, 0)
    extra_off, extra_on = _overrides(year, version)
    return _national_days_off(year) | extra_off, extra_on


def is_working_day(day: dt.date) -> bool:
    days_off, extra_on = _year_calendar(day.year)
    if day in extra_on:
        return True
    return day.weekday() < 5 and day not in days_off


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The Nth working day after `start` (day 0). `add_working_days(friday, 1)` is the next working Monday."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
