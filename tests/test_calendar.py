"""Working days: bank holidays, Christmas, Easter, substitute days, and a slow reference."""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
import sys
from pathlib import Path

import holidays as holidays_package
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import CalendarError, Duration, TimeUnit, WorkingCalendar, add_months, add_weeks
from casework import calendar as calendar_module
from casework.calendar import check_england_and_wales

D = dt.date

# England & Wales bank holidays 2004-2012, typed in from the published lists (not from the
# `holidays` package) so that a change in the package cannot pass unnoticed.
BANK_HOLIDAYS_2004_2012 = {
    2004: ["01-01", "04-09", "04-12", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2005: ["01-03", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"],
    2006: ["01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"],
    2007: ["01-01", "04-06", "04-09", "05-07", "05-28", "08-27", "12-25", "12-26"],
    2008: ["01-01", "03-21", "03-24", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2009: ["01-01", "04-10", "04-13", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2010: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    # 2011: royal wedding on 29 April; 2012: spring holiday moved to 4 June, jubilee 5 June
    2011: ["01-03", "04-22", "04-25", "04-29", "05-02", "05-30", "08-29", "12-26", "12-27"],
    2012: ["01-02", "04-06", "04-09", "05-07", "06-04", "06-05", "08-27", "12-25", "12-26"],
}
FIXTURE = {
    dt.date.fromisoformat(f"{year}-{md}")
    for year, days in BANK_HOLIDAYS_2004_2012.items()
    for md in days
}


def test_weekday_bank_holidays_2004_2012_match_the_published_list(
    calendar: WorkingCalendar,
) -> None:
    days = [
        D(2004, 1, 1) + dt.timedelta(n) for n in range((D(2012, 12, 31) - D(2004, 1, 1)).days + 1)
    ]
    computed = {day for day in days if day.weekday() < 5 and not calendar.is_working_day(day)}
    assert computed == FIXTURE


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Christmas 2007: Tue 25 and Wed 26 Dec, Tue 1 Jan are holidays
        (D(2007, 12, 21), 5, D(2008, 1, 2)),
        (D(2007, 12, 24), 1, D(2007, 12, 27)),
        # Christmas 2004 fell on a Saturday: substitute days Mon 27 and Tue 28 Dec
        (D(2004, 12, 24), 1, D(2004, 12, 29)),
        # Easter 2007: Good Friday 6 April, Easter Monday 9 April
        (D(2007, 4, 5), 1, D(2007, 4, 10)),
        # Spring bank holiday 2005 (risk-of-harm-standards.md §6.2 worked example)
        (D(2005, 5, 27), 5, D(2005, 6, 6)),
        # New Year 2005 was a Saturday: substitute Monday 3 January
        (D(2004, 12, 31), 1, D(2005, 1, 4)),
        # day 0 is the start day whatever it is: a Saturday start counts from Monday
        (D(2007, 6, 2), 1, D(2007, 6, 4)),
        (D(2007, 6, 2), 0, D(2007, 6, 2)),
        (D(2007, 6, 1), 15, D(2007, 6, 22)),
        # counting back
        (D(2008, 1, 2), -5, D(2007, 12, 21)),  # 31, 28, 27, 24, 21 Dec
    ],
)
def test_add_working_days(
    calendar: WorkingCalendar, start: dt.date, n: int, expected: dt.date
) -> None:
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2007, 12, 21), D(2008, 1, 2), 5),
        (D(2007, 6, 1), D(2007, 6, 1), 0),
        (D(2007, 6, 8), D(2007, 6, 1), 0),
        (D(2007, 6, 1), D(2007, 6, 4), 1),  # Friday to Monday
        (D(2007, 4, 5), D(2007, 4, 9), 0),  # Thursday to Easter Monday
    ],
)
def test_working_days_between(
    calendar: WorkingCalendar, start: dt.date, end: dt.date, expected: int
) -> None:
    assert calendar.working_days_between(start, end) == expected


def test_christmas_day_and_easter_monday_are_not_working_days(calendar: WorkingCalendar) -> None:
    assert not calendar.is_working_day(D(2007, 12, 25))
    assert not calendar.is_working_day(D(2008, 3, 24))
    assert calendar.holiday_name(D(2008, 3, 24)) == "Easter Monday"
    assert calendar.is_working_day(D(2007, 12, 27))


def _slow_add(cal: WorkingCalendar, start: dt.date, n: int) -> dt.date:
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in cal.holidays:
            left -= 1
    return day


def _slow_between(cal: WorkingCalendar, start: dt.date, end: dt.date) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += day.weekday() < 5 and day not in cal.holidays
    return count


days_2000_2030 = st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 6, 30))


@given(start=days_2000_2030, n=st.integers(min_value=0, max_value=120))
def test_add_working_days_matches_day_by_day_reference(start: dt.date, n: int) -> None:
    cal = WorkingCalendar.england_and_wales()
    assert cal.add_working_days(start, n) == _slow_add(cal, start, n)


@given(start=days_2000_2030, end=days_2000_2030)
def test_working_days_between_matches_day_by_day_reference(start: dt.date, end: dt.date) -> None:
    cal = WorkingCalendar.england_and_wales()
    assert cal.working_days_between(start, end) == _slow_between(cal, start, end)


@given(start=days_2000_2030, n=st.integers(min_value=1, max_value=120))
def test_adding_then_counting_round_trips(start: dt.date, n: int) -> None:
    cal = WorkingCalendar.england_and_wales()
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    assert cal.is_working_day(end)
    assert cal.add_working_days(end, -n) <= start


def test_gb_without_england_subdivision_is_refused() -> None:
    national = holidays_package.country_holidays("GB", years=range(2006, 2009))
    with pytest.raises(CalendarError, match="Easter Monday"):
        check_england_and_wales(dict(national.items()), range(2006, 2009))


def test_explicit_holiday_list() -> None:
    cal = WorkingCalendar.from_holidays([D(2007, 12, 25), D(2007, 12, 26)])
    assert (cal.first_year, cal.last_year) == (2007, 2007)
    assert cal.add_working_days(D(2007, 12, 24), 1) == D(2007, 12, 27)
    empty = WorkingCalendar.from_holidays([], first_year=2007, last_year=2008)
    assert empty.add_working_days(D(2007, 12, 24), 1) == D(2007, 12, 25)
    with pytest.raises(CalendarError, match="needs first_year"):
        WorkingCalendar.from_holidays([])


def test_dates_outside_the_covered_years_are_refused() -> None:
    cal = WorkingCalendar.england_and_wales(2006, 2008)
    with pytest.raises(CalendarError, match="outside the years"):
        cal.is_working_day(D(2009, 1, 5))
    with pytest.raises(CalendarError, match="outside the years"):
        cal.add_working_days(D(2008, 12, 30), 10)


def test_weeks_and_months_are_calendar_arithmetic(calendar: WorkingCalendar) -> None:
    assert add_weeks(D(2007, 1, 1), 16) == D(2007, 4, 23)  # 112 days
    assert add_months(D(2007, 10, 31), 4) == D(2008, 2, 29)  # clamped to month end
    assert add_months(D(2007, 1, 31), 1) == D(2007, 2, 28)
    assert calendar.add(D(2007, 6, 1), Duration(4, TimeUnit.MONTHS)) == D(2007, 10, 1)
    assert calendar.add(D(2007, 6, 1), Duration(8, TimeUnit.WEEKS)) == D(2007, 7, 27)
    assert calendar.between(D(2007, 6, 1), D(2007, 10, 1), TimeUnit.MONTHS) == 4
    assert str(Duration(1, "working_days")) == "1 working day"
    assert str(Duration(16, "weeks")) == "16 weeks"


def test_england_and_wales_is_the_packages_gb_england_calendar() -> None:
    """Loading the package's UK module on its own gives what ``country_holidays`` gives."""
    cal = WorkingCalendar.england_and_wales()
    years = range(cal.first_year, cal.last_year + 1)
    package = holidays_package.country_holidays("GB", subdiv="ENG", years=years)
    assert dict(cal.holidays) == {day: str(name) for day, name in package.items()}
    assert len(cal.holidays) > 8 * len(years)


def test_england_and_wales_imports_no_other_country() -> None:
    """Run in a fresh interpreter: this session may have imported them all."""
    probe = (
        "import sys\n"
        "from casework.calendar import WorkingCalendar\n"
        "calendar = WorkingCalendar.england_and_wales()\n"
        "print(sorted(name for name in sys.modules if name.startswith('holidays.countries')))\n"
        "print(calendar.holiday_name(__import__('datetime').date(2007, 8, 27)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert run.stdout.splitlines() == ["[]", "Late Summer Bank Holiday"]


def test_england_and_wales_falls_back_on_country_holidays(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """If the package keeps its UK calendar elsewhere, its own ``country_holidays`` is used."""
    import importlib.util

    real = importlib.util.find_spec

    def elsewhere(name: str, package: str | None = None) -> object:
        spec = real(name, package)
        if name == "holidays.countries" and spec is not None:
            spec = importlib.util.spec_from_file_location(
                name, tmp_path / "__init__.py", submodule_search_locations=[str(tmp_path)]
            )
        return spec

    expected = dict(WorkingCalendar.england_and_wales(2006, 2009).holidays)
    monkeypatch.setattr(importlib.util, "find_spec", elsewhere)
    calendar_module._united_kingdom_holidays.cache_clear()
    try:
        fallback = calendar_module._united_kingdom_holidays()
        assert isinstance(fallback, functools.partial)
        assert fallback.func is holidays_package.country_holidays
        assert dict(WorkingCalendar.england_and_wales(2006, 2009).holidays) == expected
    finally:
        calendar_module._united_kingdom_holidays.cache_clear()
