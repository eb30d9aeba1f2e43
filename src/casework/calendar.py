"""Working days the way probation staff count them, and calendar weeks and months.

Conventions (docs/working-days.md):

* A working day is Monday to Friday, not a bank holiday.
* "Within N working days of X" means on or before ``add_working_days(X, N)``:
  X itself is day 0, whatever day of the week it is, and the count starts on
  the next working day (omi-2007-criteria.md §1.3 A16; risk-of-harm-standards.md §6.2).
* Weeks are 7 calendar days. Months are calendar months by
  ``dateutil.relativedelta``: adding a month to 31 January gives the last day of
  February (month-end clamping).

The calendar knows which years it covers and refuses dates outside them
rather than silently treating them as holiday-free.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

__all__ = [
    "CalendarError",
    "Duration",
    "TimeUnit",
    "WorkingCalendar",
    "WorkingDayTable",
    "add_months",
    "add_months_many",
    "add_weeks",
]

# The years a case date may fall in (casework.model.base.FIRST_YEAR-LAST_YEAR, 1975-2050)
# plus one either side, so a deadline computed from any valid date is covered
# (decision: supported-years; tests/test_calendar.py checks the two agree).
_DEFAULT_FIRST_YEAR = 1974
_DEFAULT_LAST_YEAR = 2051
_SATURDAY = 5


class CalendarError(ValueError):
    """A date outside the calendar's years, or a holiday list that cannot be right."""


class TimeUnit(enum.StrEnum):
    """Units a time limit can be written in."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"


def _a_date(value: object, name: str) -> dt.date:
    """``value`` if it is a date (a ``datetime`` is read as its day, as before); else the
    ``TypeError`` that names the argument (:func:`casework._checked.checked_day`)."""
    if isinstance(value, dt.date):
        return value
    from casework._checked import checked_day  # noqa: PLC0415

    return checked_day(value, name)


@attrs.frozen
class Duration:
    """A time limit: an amount of a unit, such as 5 working days or 4 months."""

    amount: int
    unit: TimeUnit = attrs.field(converter=TimeUnit)

    def __str__(self) -> str:
        words = {
            TimeUnit.WORKING_DAYS: ("working day", "working days"),
            TimeUnit.CALENDAR_DAYS: ("day", "days"),
            TimeUnit.WEEKS: ("week", "weeks"),
            TimeUnit.MONTHS: ("month", "months"),
        }[self.unit]
        return f"{self.amount} {words[0] if abs(self.amount) == 1 else words[1]}"


def add_weeks(start: dt.date, weeks: int) -> dt.date:
    """``start`` plus ``weeks`` x 7 calendar days (16 weeks is 112 days, not 4 months)."""
    return start + dt.timedelta(weeks=weeks)


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus calendar months, clamped to the end of a shorter month.

    The same as ``start + dateutil.relativedelta(months=months)``, computed directly.

    >>> add_months(dt.date(2007, 10, 31), 4)
    datetime.date(2008, 2, 29)
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(start.day, _days_in_month(year, month)))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _MONTH_DAYS[month - 1]


def _frozen_mapping(mapping: Mapping[dt.date, str]) -> Mapping[dt.date, str]:
    return MappingProxyType(dict(mapping))


def _weekdays_upto(ordinal: int) -> int:
    """Number of Mondays-to-Fridays from 1 January of year 1 (a Monday) up to ``ordinal``."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


@attrs.frozen(eq=False)
class WorkingCalendar:
    """Working days: weekdays that are not holidays, within a range of covered years.

    Build one with :meth:`england_and_wales` or :meth:`from_holidays`; pass it
    to everything that counts days. It is immutable and cheap to share.
    """

    holidays: Mapping[dt.date, str] = attrs.field(converter=_frozen_mapping, repr=False)
    first_year: int
    last_year: int
    name: str = "custom"
    _weekday_holidays: tuple[int, ...] = attrs.field(init=False, repr=False)
    _table: WorkingDayTable | None = attrs.field(init=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise CalendarError(f"first_year {self.first_year} is after last_year {self.last_year}")
        outside = sorted(
            day for day in self.holidays if not self.first_year <= day.year <= self.last_year
        )
        if outside:
            raise CalendarError(
                f"holiday {outside[0].isoformat()} is outside the covered years "
                f"{self.first_year}-{self.last_year}"
            )
        ordinals = sorted(day.toordinal() for day in self.holidays if day.weekday() < _SATURDAY)
        object.__setattr__(self, "_weekday_holidays", tuple(ordinals))

    def __reduce__(self) -> tuple[type[WorkingCalendar], tuple[Any, ...]]:
        """Pickle by value (for worker processes): the holidays, the years and the name."""
        return (WorkingCalendar, (dict(self.holidays), self.first_year, self.last_year, self.name))

    # ------------------------------------------------------------ construction

    @classmethod
    def england_and_wales(
        cls, first_year: int = _DEFAULT_FIRST_YEAR, last_year: int = _DEFAULT_LAST_YEAR
    ) -> WorkingCalendar:
        """England & Wales bank holidays, substitute days included, from the ``holidays`` package.

        The package's ``GB`` calendar without a subdivision leaves out Easter
        Monday and the August bank holiday (they are not UK-wide), so the
        England subdivision is asked for and the result is checked for both.
        The package's United Kingdom module is loaded on its own, without the
        package's every other country (decision: command-startup).
        """
        years = range(first_year, last_year + 1)
        united_kingdom = _united_kingdom_holidays()
        table = united_kingdom(subdiv="ENG", years=years)
        dates = {day: str(name) for day, name in table.items()}
        check_england_and_wales(dates, years)
        return cls(dates, first_year, last_year, name="England and Wales")

    @classmethod
    def from_holidays(
        cls,
        holidays: Iterable[dt.date] | Mapping[dt.date, str],
        *,
        first_year: int | None = None,
        last_year: int | None = None,
        name: str = "custom",
    ) -> WorkingCalendar:
        """A calendar from an explicit holiday list.

        The covered years default to the years the list spans; give them
        explicitly when a year has no holiday (or for an empty list).
        """
        named = (
            dict(holidays) if isinstance(holidays, Mapping) else dict.fromkeys(holidays, "holiday")
        )
        years = [day.year for day in named]
        first = first_year if first_year is not None else min(years, default=None)
        last = last_year if last_year is not None else max(years, default=None)
        if first is None or last is None:
            raise CalendarError("an empty holiday list needs first_year and last_year")
        return cls(named, first, last, name=name)

    # ------------------------------------------------------------ queries

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` is in a year the calendar knows the holidays of."""
        return self.first_year <= _a_date(day, "day").year <= self.last_year

    def _check(self, day: dt.date) -> None:
        if not self.covers(day):
            raise CalendarError(
                f"{day.isoformat()} is outside the years this calendar covers "
                f"({self.first_year}-{self.last_year}); build it with a wider range"
            )

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a holiday."""
        self._check(_a_date(day, "day"))
        return day.weekday() < _SATURDAY and day not in self.holidays

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday's name, if ``day`` is one."""
        return self.holidays.get(_a_date(day, "day"))

    def _working_upto(self, ordinal: int) -> int:
        return _weekdays_upto(ordinal) - bisect.bisect_right(self._weekday_holidays, ordinal)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 when ``end <= start``."""
        self._check(_a_date(start, "start"))
        self._check(_a_date(end, "end"))
        if end <= start:
            return 0
        return self._working_upto(end.toordinal()) - self._working_upto(start.toordinal())

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` is day 0, whatever day it is).

        A negative ``n`` counts back: the ``|n|``-th working day before ``start``.
        """
        self._check(_a_date(start, "start"))
        ordinal = start.toordinal()
        remaining = abs(n)
        step = 1 if n >= 0 else -1
        while remaining > 0:
            if remaining > 5:
                # Jump whole weeks (at most 5 working days each) but leave at least one
                # working day to step to, so the result is always a working day.
                jump = ordinal + step * ((remaining - 1) // 5) * 7
                self._check(dt.date.fromordinal(jump))
                if step > 0:  # days passed: (ordinal, jump]
                    remaining -= self._working_upto(jump) - self._working_upto(ordinal)
                else:  # days passed: [jump, ordinal)
                    remaining -= self._working_upto(ordinal - 1) - self._working_upto(jump - 1)
                ordinal = jump
            else:
                ordinal += step
                candidate = dt.date.fromordinal(ordinal)
                self._check(candidate)
                if self.is_working_day(candidate):
                    remaining -= 1
        result = dt.date.fromordinal(ordinal)
        self._check(result)
        return result

    def add(self, start: dt.date, duration: Duration) -> dt.date:
        """``start`` plus a duration in any unit."""
        _a_date(start, "start")
        match duration.unit:
            case TimeUnit.WORKING_DAYS:
                return self.add_working_days(start, duration.amount)
            case TimeUnit.CALENDAR_DAYS:
                return start + dt.timedelta(days=duration.amount)
            case TimeUnit.WEEKS:
                return add_weeks(start, duration.amount)
            case TimeUnit.MONTHS:
                return add_months(start, duration.amount)

    def between(self, start: dt.date, end: dt.date, unit: TimeUnit) -> int:
        """Whole units from ``start`` to ``end`` (negative when ``end`` is before ``start``).

        Working days count as :meth:`working_days_between`; weeks and months
        count completed units.
        """
        if _a_date(end, "end") < _a_date(start, "start"):
            return -self.between(end, start, unit)
        match unit:
            case TimeUnit.WORKING_DAYS:
                return self.working_days_between(start, end)
            case TimeUnit.CALENDAR_DAYS:
                return (end - start).days
            case TimeUnit.WEEKS:
                return (end - start).days // 7
            case TimeUnit.MONTHS:
                delta = relativedelta(end, start)
                return delta.years * 12 + delta.months

    # ------------------------------------------------------------ whole columns

    def table(self) -> WorkingDayTable:
        """The working days precomputed for whole columns (built once, then cached)."""
        cached = self._table
        if cached is None:
            cached = WorkingDayTable.build(self)
            object.__setattr__(self, "_table", cached)
        return cached

    def _indices(self, days: Any) -> tuple[Any, Any]:
        """Day numbers as covered-range indices, and the mask of days that are present."""
        table = self.table()
        values = np.asarray(days)
        if values.dtype.kind == "M":
            present = ~np.isnat(values)
            numbers = values.astype("datetime64[D]").astype(np.int64)
        else:
            present = np.ones(values.shape, dtype=bool)
            numbers = values.astype(np.int64)
        outside = present & ((numbers < table.first) | (numbers > table.last))
        if outside.any():
            self._check(_day(int(numbers[outside][0])))
        return np.where(present, numbers - table.first, 0), present

    def add_working_days_many(self, days: Any, n: Any) -> Any:
        """:meth:`add_working_days` for a whole column of days (``datetime64[D]`` or day numbers).

        ``n`` is one count or a column of them. Missing days (``NaT``) stay missing.
        Returns ``datetime64[D]``; raises :class:`CalendarError` as the scalar method would.
        """
        table = self.table()
        index, present = self._indices(days)
        steps = np.broadcast_to(np.asarray(n, dtype=np.int64), index.shape)
        before = table.count[index] - table.is_working[index]  # working days before the day
        rank = np.where(steps > 0, table.count[index] + steps, before + steps + 1)
        moved = present & (steps != 0)
        bad = moved & ((rank < 1) | (rank > table.working.size))
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            beyond = table.last + 1 if steps[position] > 0 else table.first - 1
            self._check(_day(beyond))
        found = table.working[np.clip(rank - 1, 0, table.working.size - 1)]
        result = np.where(moved, found, index + table.first)
        return _as_days(result, present)

    def working_days_between_many(self, start: Any, end: Any) -> Any:
        """:meth:`working_days_between` for whole columns.

        Returns ``int64`` counts, ``-1`` where either day is missing.
        """
        table = self.table()
        first, first_present = self._indices(start)
        second, second_present = self._indices(end)
        counted = np.maximum(table.count[second] - table.count[first], 0)
        return np.where(first_present & second_present, counted, -1)

    def is_working_day_many(self, days: Any) -> Any:
        """:meth:`is_working_day` for a whole column (missing days are ``False``)."""
        table = self.table()
        index, present = self._indices(days)
        return present & table.is_working[index]

    def add_many(self, days: Any, duration: Duration) -> Any:
        """:meth:`add` for a whole column of days: ``datetime64[D]``, missing stays missing."""
        if duration.unit is TimeUnit.WORKING_DAYS:
            return self.add_working_days_many(days, duration.amount)
        values = np.asarray(days)
        if values.dtype.kind != "M":
            values = values.astype("datetime64[D]")
        values = values.astype("datetime64[D]")
        if duration.unit is TimeUnit.MONTHS:
            return add_months_many(values, duration.amount)
        step = duration.amount * (7 if duration.unit is TimeUnit.WEEKS else 1)
        return values + np.timedelta64(step, "D")


#: Where the ``holidays`` package keeps its United Kingdom calendar, and its class there.
_UK_MODULE = "holidays.countries.united_kingdom"
_UK_CLASS = "UnitedKingdom"


@functools.cache  # the package's module, loaded once a process (it cannot change)
def _united_kingdom_holidays() -> Callable[..., Mapping[dt.date, object]]:
    """The ``holidays`` package's United Kingdom calendar class (``holidays.GB``).

    ``holidays.country_holidays("GB")`` imports ``holidays.countries``, whose
    ``__init__`` imports all of the package's countries (about 250 modules); the UK
    module needs none of them, only the package's shared modules. It is loaded from
    its file the way the importlib documentation shows ("Importing a source file
    directly"), not entered in ``sys.modules``. If the package keeps it elsewhere, the
    package's own ``country_holidays`` is used; tests/test_calendar.py checks that both
    give the same days and names.
    """
    import importlib.util  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    import holidays  # noqa: PLC0415  (imported only when needed; its __init__ imports no country)

    countries = importlib.util.find_spec("holidays.countries")
    folders = countries.submodule_search_locations if countries is not None else None
    path = Path(next(iter(folders)), "united_kingdom.py") if folders else None
    spec = (
        importlib.util.spec_from_file_location(_UK_MODULE, path)
        if path is not None and path.is_file()
        else None
    )
    if spec is None or spec.loader is None:
        return functools.partial(holidays.country_holidays, "GB")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entity: Callable[..., Mapping[dt.date, object]] = getattr(module, _UK_CLASS)
    return entity


def check_england_and_wales(holidays: Mapping[dt.date, str], years: Iterable[int]) -> None:
    """Refuse a holiday set that lacks Easter Monday or the August bank holiday.

    Both are England & Wales bank holidays every year since 1971; a set built
    from the ``holidays`` package's ``GB`` calendar without ``subdiv="ENG"``
    silently drops them.
    """
    for year in years:
        easter_monday = easter(year) + dt.timedelta(days=1)
        if easter_monday not in holidays:
            raise CalendarError(
                f"the holiday list has no Easter Monday ({easter_monday.isoformat()}) in {year}: "
                "England & Wales bank holidays need the England subdivision"
            )
        if year >= 1971:
            last_monday = dt.date(year, 8, 31)
            last_monday -= dt.timedelta(days=last_monday.weekday())
            if last_monday not in holidays:
                raise CalendarError(
                    f"the holiday list has no August bank holiday ({last_monday.isoformat()}) "
                    f"in {year}: England & Wales bank holidays need the England subdivision"
                )


# ---------------------------------------------------------------- whole columns

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


@attrs.frozen
class WorkingDayTable:
    """A calendar's working days precomputed over its covered years, for whole columns.

    Days are day numbers (days since 1970-01-01, as ``numpy.datetime64[D]``, Arrow
    ``date32`` and Polars ``Date`` hold them). ``count[i]`` is the number of working
    days on or before day ``first + i`` within the covered range; ``working`` lists the
    covered working days in order. Built once per calendar by
    :meth:`WorkingCalendar.table`; every answer equals the scalar method's
    (tests/test_calendar_columns.py proves it with Hypothesis).
    """

    first: int
    """Day number of 1 January of the first covered year."""
    last: int
    """Day number of 31 December of the last covered year."""
    count: npt.NDArray[np.int64] = attrs.field(repr=False)
    working: npt.NDArray[np.int64] = attrs.field(repr=False)
    is_working: npt.NDArray[np.bool_] = attrs.field(repr=False)

    @classmethod
    def build(cls, calendar: WorkingCalendar) -> WorkingDayTable:
        """Precompute the table for ``calendar`` (about 15,000 days for 41 years)."""
        first = dt.date(calendar.first_year, 1, 1).toordinal() - _EPOCH_ORDINAL
        last = dt.date(calendar.last_year, 12, 31).toordinal() - _EPOCH_ORDINAL
        days = np.arange(first, last + 1, dtype=np.int64)
        # 1970-01-01 was a Thursday: weekday (Monday 0) is (day + 3) mod 7.
        is_working = (days + 3) % 7 < _SATURDAY
        holidays = np.array(
            [ordinal - _EPOCH_ORDINAL for ordinal in calendar._weekday_holidays], dtype=np.int64
        )
        if holidays.size:
            is_working[holidays - first] = False
        return cls(
            first=first,
            last=last,
            count=np.cumsum(is_working, dtype=np.int64),
            working=days[is_working],
            is_working=is_working,
        )


def _day(number: int) -> dt.date:
    return dt.date.fromordinal(number + _EPOCH_ORDINAL)


def _as_days(numbers: Any, present: Any) -> Any:
    result = numbers.astype("datetime64[D]")
    result[~present] = np.datetime64("NaT")
    return result


def add_months_many(days: Any, months: int) -> Any:
    """:func:`add_months` for a ``datetime64[D]`` column (month-end clamping; NaT stays NaT).

    Days of 1800-2299 are looked up in precomputed tables (month and day of each day,
    first day and length of each month); any other day is worked out with integer
    arithmetic (the proleptic Gregorian calendar, as ``datetime.date``). Both are several
    times quicker than numpy's conversions between days and months.
    """
    values = np.asarray(days, dtype="datetime64[D]")
    present = ~np.isnat(values)
    numbers = np.where(present, values.view(np.int64), 0)
    table = _month_table()
    index = numbers - table.first_day
    target = table.month[np.clip(index, 0, table.month.size - 1)] + months
    at = target - table.first_month
    inside = (index >= 0) & (index < table.month.size) & (at >= 0) & (at < table.month_start.size)
    at = np.clip(at, 0, table.month_start.size - 1)
    day = table.day[np.clip(index, 0, table.day.size - 1)]
    moved = table.month_start[at] + np.minimum(day, table.month_length[at]) - 1
    if not inside.all():
        moved[~inside] = _add_months_by_arithmetic(numbers[~inside], months)
    result = moved.astype("datetime64[D]")
    result[~present] = np.datetime64("NaT")
    return result


@attrs.frozen
class _MonthTable:
    first_day: int
    """Day number of the first day in :attr:`month` and :attr:`day`."""
    month: Any
    """Per day: its month as ``year * 12 + month - 1``."""
    day: Any
    """Per day: its day of the month."""
    first_month: int
    month_start: Any
    """Per month from ``first_month``: the day number of its first day."""
    month_length: Any


@functools.cache
def _month_table() -> _MonthTable:
    first, last = dt.date(1800, 1, 1), dt.date(2299, 12, 31)
    first_day = first.toordinal() - _EPOCH_ORDINAL
    numbers = np.arange(first_day, last.toordinal() - _EPOCH_ORDINAL + 1, dtype=np.int64)
    year, month, day = _civil(numbers)
    first_month = first.year * 12
    months = np.arange(first_month, (last.year + 1) * 12, dtype=np.int64)
    year_of, month_of = np.divmod(months, 12)
    month_of += 1
    return _MonthTable(
        first_day=first_day,
        month=year * 12 + month - 1,
        day=day,
        first_month=first_month,
        month_start=_day_numbers(year_of, month_of, np.ones_like(months)),
        month_length=_MONTH_LENGTHS[month_of - 1] + ((month_of == 2) & _leap(year_of)),
    )


def _add_months_by_arithmetic(numbers: Any, months: int) -> Any:
    year, month, day = _civil(numbers)
    year, month = np.divmod(year * 12 + (month - 1) + months, 12)
    month += 1
    length = _MONTH_LENGTHS[month - 1] + ((month == 2) & _leap(year))
    return _day_numbers(year, month, np.minimum(day, length))


_MONTH_LENGTHS = np.asarray(_MONTH_DAYS, dtype=np.int64)
_UNIX_SHIFT = 719_468
"""Days from 0000-03-01 to 1970-01-01: the day-number algorithms count years from March."""


def _leap(year: Any) -> Any:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def _civil(numbers: Any) -> tuple[Any, Any, Any]:
    """Year, month (1-12) and day of each day number (days since 1970-01-01)."""
    shifted = numbers + _UNIX_SHIFT
    era = shifted // 146_097  # 400-year cycles (floor division: days before 0000-03-01 too)
    of_era = shifted - era * 146_097
    year_of_era = (of_era - of_era // 1_460 + of_era // 36_524 - of_era // 146_096) // 365
    of_year = of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    from_march = (5 * of_year + 2) // 153
    day = of_year - (153 * from_march + 2) // 5 + 1
    month = np.where(from_march < 10, from_march + 3, from_march - 9)
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, day


def _day_numbers(year: Any, month: Any, day: Any) -> Any:
    """Day numbers (days since 1970-01-01) of civil dates: :func:`_civil` undone."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + of_year
    return era * 146_097 + of_era - _UNIX_SHIFT
