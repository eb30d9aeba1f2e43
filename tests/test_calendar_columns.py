"""The calendar's whole-column answers equal its one-day answers, day for day."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.calendar import CalendarError, Duration, TimeUnit, add_months, add_months_many

# Days well inside the covered years, so a step of up to 400 working days stays inside.
DAYS = st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2033, 12, 31))
STEPS = st.integers(min_value=-400, max_value=400)


def _column(days: list[dt.date]) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]")


def _dates(column: np.ndarray) -> list[dt.date | None]:
    return [None if np.isnat(value) else value.astype(dt.date) for value in column]


@given(days=st.lists(DAYS, min_size=1, max_size=40), n=STEPS)
def test_add_working_days_many_equals_the_scalar_method(
    calendar: WorkingCalendar, days: list[dt.date], n: int
) -> None:
    expected = [calendar.add_working_days(day, n) for day in days]
    assert _dates(calendar.add_working_days_many(_column(days), n)) == expected


@given(pairs=st.lists(st.tuples(DAYS, STEPS), min_size=1, max_size=40))
def test_a_column_of_steps_equals_the_scalar_method(
    calendar: WorkingCalendar, pairs: list[tuple[dt.date, int]]
) -> None:
    days = [day for day, _ in pairs]
    steps = np.array([n for _, n in pairs])
    expected = [calendar.add_working_days(day, n) for day, n in pairs]
    assert _dates(calendar.add_working_days_many(_column(days), steps)) == expected


@given(pairs=st.lists(st.tuples(DAYS, DAYS), min_size=1, max_size=40))
def test_working_days_between_many_equals_the_scalar_method(
    calendar: WorkingCalendar, pairs: list[tuple[dt.date, dt.date]]
) -> None:
    starts = _column([start for start, _ in pairs])
    ends = _column([end for _, end in pairs])
    expected = [calendar.working_days_between(start, end) for start, end in pairs]
    assert calendar.working_days_between_many(starts, ends).tolist() == expected


@given(days=st.lists(DAYS, min_size=1, max_size=40))
def test_is_working_day_many_equals_the_scalar_method(
    calendar: WorkingCalendar, days: list[dt.date]
) -> None:
    expected = [calendar.is_working_day(day) for day in days]
    assert calendar.is_working_day_many(_column(days)).tolist() == expected


@given(
    days=st.lists(DAYS, min_size=1, max_size=40),
    amount=st.integers(min_value=-30, max_value=30),
    unit=st.sampled_from(list(TimeUnit)),
)
def test_add_many_equals_the_scalar_method_in_every_unit(
    calendar: WorkingCalendar, days: list[dt.date], amount: int, unit: TimeUnit
) -> None:
    duration = Duration(amount, unit)
    expected = [calendar.add(day, duration) for day in days]
    assert _dates(calendar.add_many(_column(days), duration)) == expected


def test_month_end_clamping_matches_add_months() -> None:
    days = [dt.date(2007, 10, 31), dt.date(2008, 1, 31), dt.date(2007, 3, 31)]
    expected = [add_months(day, 4) for day in days]
    assert expected == [dt.date(2008, 2, 29), dt.date(2008, 5, 31), dt.date(2007, 7, 31)]
    assert _dates(add_months_many(_column(days), 4)) == expected


def _late_in_month(year: int, month: int, day: int) -> dt.date:
    """The ``day`` (28-31) of the month, or its last day when it has fewer."""
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


#: Any day of years 101-9899, or of 1790-2310 (around the looked-up years 1800-2299), a
#: third of them the 28th to 31st (where clamping happens).
ANY_DAY = st.one_of(
    st.dates(min_value=dt.date(101, 1, 1), max_value=dt.date(9899, 12, 31)),
    st.dates(min_value=dt.date(1790, 1, 1), max_value=dt.date(2310, 12, 31)),
    st.builds(
        _late_in_month,
        st.integers(min_value=101, max_value=9899),
        st.integers(min_value=1, max_value=12),
        st.integers(min_value=28, max_value=31),
    ),
)


@given(
    days=st.lists(ANY_DAY, min_size=1, max_size=40),
    months=st.one_of(st.integers(-40, 40), st.integers(min_value=-1200, max_value=1200)),
)
def test_add_months_many_equals_add_months_on_any_day(days: list[dt.date], months: int) -> None:
    # Looked up for 1800-2299, by integer arithmetic elsewhere: leap days, month ends.
    assert _dates(add_months_many(_column(days), months)) == [add_months(d, months) for d in days]


@pytest.mark.parametrize("months", [-1, 0, 1, 13, -13])
def test_add_months_many_across_the_edges_of_the_looked_up_years(months: int) -> None:
    days = [
        dt.date(1799, 12, 31),
        dt.date(1800, 1, 1),
        dt.date(1800, 1, 31),
        dt.date(1800, 2, 28),
        dt.date(2299, 12, 31),
        dt.date(2300, 1, 1),
        dt.date(2299, 1, 31),
    ]
    assert _dates(add_months_many(_column(days), months)) == [add_months(d, months) for d in days]


def test_missing_days_stay_missing(calendar: WorkingCalendar) -> None:
    column = np.array(["2007-12-21", "NaT"], dtype="datetime64[D]")
    # 21 December 2007 was a Friday; 25 and 26 December were bank holidays.
    assert _dates(calendar.add_working_days_many(column, 2)) == [dt.date(2007, 12, 27), None]
    assert calendar.working_days_between_many(column, column[::-1]).tolist() == [-1, -1]


def test_day_numbers_are_accepted(calendar: WorkingCalendar) -> None:
    number = (dt.date(2007, 12, 21) - dt.date(1970, 1, 1)).days
    assert _dates(calendar.add_working_days_many(np.array([number]), 2)) == [dt.date(2007, 12, 27)]


def test_outside_the_covered_years_raises_like_the_scalar_method(
    calendar: WorkingCalendar,
) -> None:
    late = dt.date(calendar.last_year, 12, 28)
    with pytest.raises(CalendarError) as scalar:
        calendar.add_working_days(late, 5)
    with pytest.raises(CalendarError) as column:
        calendar.add_working_days_many(_column([dt.date(2007, 1, 2), late]), 5)
    assert str(column.value) == str(scalar.value)
    early = dt.date(calendar.first_year - 1, 12, 30)
    with pytest.raises(CalendarError, match=f"{early.isoformat()} is outside"):
        calendar.add_working_days_many(_column([early]), 1)


def test_a_custom_holiday_list_is_honoured() -> None:
    calendar = WorkingCalendar.from_holidays([dt.date(2007, 6, 1)], first_year=2007, last_year=2007)
    # Thursday 31 May 2007 + 1 working day skips the holiday on Friday 1 June.
    assert _dates(calendar.add_working_days_many(_column([dt.date(2007, 5, 31)]), 1)) == [
        dt.date(2007, 6, 4)
    ]
