"""Dates, bank holidays and work dated on, or a day either side of, a time limit's due day."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from casework.calendar import Duration, TimeUnit, WorkingCalendar
from casework.rules.ruleset import parse_duration
from casework.testing.strategies._common import (
    EARLIEST,
    LATEST,
    _calendar,
    _days,
    _upto,
    known_limits,
)


def bank_holidays(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
) -> st.SearchStrategy[dt.date]:
    """Bank holidays (substitute days included) between ``earliest`` and ``latest``."""
    days = sorted(day for day in _calendar(calendar).holidays if earliest <= day <= latest)
    if not days:
        raise InvalidArgument(f"no bank holiday between {earliest} and {latest}")
    return st.sampled_from(days)


@functools.lru_cache(maxsize=128)
def edge_dates(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
) -> st.SearchStrategy[dt.date]:
    """Days where date arithmetic goes wrong: bank holidays and the days around them,
    weekends, month ends, 29 February."""
    cal = _calendar(calendar)
    holidays = [day for day in cal.holidays if earliest <= day <= latest]
    near = sorted(
        {
            day + _days(shift)
            for day in holidays
            for shift in (-3, -2, -1, 1, 2, 3)
            if earliest <= day + _days(shift) <= latest
        }
    )
    month_ends = []
    day = dt.date(earliest.year, earliest.month, 1)
    while day <= latest:
        end = day + relativedelta(months=1) - _days(1)
        if earliest <= end <= latest:
            month_ends.append(end)
        day += relativedelta(months=1)
    options: list[st.SearchStrategy[dt.date]] = [
        st.sampled_from(candidates)
        for candidates in (sorted(holidays), near, month_ends)
        if candidates
    ]
    options.append(
        st.dates(min_value=earliest, max_value=latest).map(
            lambda d: d + _days((5 - d.weekday()) % 7) if d + _days(6) <= latest else d
        )
    )
    return st.one_of(options)


@functools.lru_cache(maxsize=128)
def dates(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
) -> st.SearchStrategy[dt.date]:
    """Any day between ``earliest`` and ``latest``, edge days (:func:`edge_dates`) often."""
    if latest < earliest:
        raise InvalidArgument(f"latest {latest} is before earliest {earliest}")
    return st.one_of(
        st.dates(min_value=earliest, max_value=latest),
        edge_dates(earliest, latest, calendar=calendar),
    )


def work_dates(
    anchor: dt.date,
    latest: dt.date,
    *,
    calendar: WorkingCalendar | None = None,
    limits: Sequence[Duration] | None = None,
    on_due_day: bool = False,
    before: bool = False,
    undone: bool = True,
) -> st.SearchStrategy[dt.date | None]:
    """When work whose clock starts at ``anchor`` was done; ``None`` if not done by ``latest``.

    Args:
        anchor: the event that starts the clock (day 0).
        latest: the last day work can be recorded (``as_of``).
        calendar: working days are counted on it.
        limits: the time limits whose due days (and a working day either side)
            are drawn often (default: :func:`known_limits`).
        on_due_day: only ever exactly on the due day of one of ``limits``.
        before: work may be done a little before the anchor (a pre-release
            assessment, an assessment for the report before sentence).
        undone: the work may not have been done at all.
    """
    cal = _calendar(calendar)
    chosen = tuple(limits) if limits is not None else known_limits()
    if not chosen:
        raise InvalidArgument("work_dates needs at least one time limit")

    @st.composite
    def build(draw: st.DrawFn) -> dt.date | None:
        return _work_day(
            draw, anchor, latest, cal, chosen, on_due_day=on_due_day, before=before, undone=undone
        )

    return build()


def _work_day(
    draw: st.DrawFn,
    anchor: dt.date,
    latest: dt.date,
    cal: WorkingCalendar,
    limits: Sequence[Duration] = (),
    *,
    on_due_day: bool = False,
    before: bool = False,
    undone: bool = True,
) -> dt.date | None:
    """:func:`work_dates` drawn from a few cached strategies (a case draws dozens of these)."""
    chosen = limits or known_limits()
    mode = 0 if on_due_day else draw(st.integers(0, 5 if undone else 4))
    if mode <= 1:  # on the due day of a limit, or a working day either side of it
        day = cal.add(anchor, chosen[draw(st.integers(0, len(chosen) - 1))])
        if mode == 1:
            day = cal.add_working_days(day, 2 * draw(st.integers(0, 1)) - 1)
        return _upto(day if before else max(day, anchor), latest)
    if mode == 2:  # promptly
        return _upto(cal.add_working_days(anchor, draw(st.integers(0, 5))), latest)
    if mode == 3:
        return _upto(cal.add_working_days(anchor, draw(st.integers(0, 40))), latest)
    if mode == 4:
        return _upto(anchor + _days(draw(st.integers(-30 if before else 0, 240))), latest)
    return None


@attrs.frozen
class Deadline:
    """A clock start, a time limit and the day it falls due."""

    anchor: dt.date
    limit: Duration
    due: dt.date


def holiday_deadlines(
    limit: Duration | str,
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
) -> st.SearchStrategy[Deadline]:
    """Clock starts whose deadline meets a bank holiday.

    For a limit in weeks, months or calendar days, the due day itself is a
    bank holiday. For a limit in working days (whose due day never is), a
    bank holiday falls between the start and the due day, so the deadline is
    pushed back by it. ``limit`` is a Duration or words ("10 working days").
    """
    duration = parse_duration(limit) if isinstance(limit, str) else limit
    cal = _calendar(calendar)
    holidays = sorted(day for day in cal.holidays if earliest <= day <= latest)
    if duration.unit is TimeUnit.WORKING_DAYS:
        weekday_holidays = [day for day in holidays if day.weekday() < 5]
        if not weekday_holidays or duration.amount < 1:
            raise InvalidArgument(f"no bank holiday can fall inside {duration} in that range")
        anchors = st.sampled_from(weekday_holidays).flatmap(
            lambda day: st.integers(1, duration.amount).map(
                lambda back: cal.add_working_days(day, -back)
            )
        )
    else:
        found = sorted(
            {
                start
                for day in holidays
                for start in _starts_due_on(day, duration, cal)
                if earliest <= start <= latest
            }
        )
        if not found:
            raise InvalidArgument(f"no {duration} deadline falls on a bank holiday in that range")
        anchors = st.sampled_from(found)
    return anchors.map(lambda start: Deadline(start, duration, cal.add(start, duration)))


def _starts_due_on(day: dt.date, duration: Duration, cal: WorkingCalendar) -> list[dt.date]:
    if duration.unit is TimeUnit.MONTHS:
        guess = day - relativedelta(months=duration.amount)
        candidates = [guess + _days(shift) for shift in range(-3, 4)]
    elif duration.unit is TimeUnit.WEEKS:
        candidates = [day - _days(7 * duration.amount)]
    else:
        candidates = [day - _days(duration.amount)]
    return [start for start in candidates if cal.add(start, duration) == day]
