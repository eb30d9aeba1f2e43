"""Faster arithmetic used by the rules gives exactly what the slower forms gave."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from casework import add_months
from casework.text import long_date


def test_add_months_matches_relativedelta() -> None:
    day = dt.date(1999, 1, 1)
    while day < dt.date(2013, 1, 1):
        for months in (-13, -1, 0, 1, 4, 12, 25):
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += dt.timedelta(days=3)


def test_long_date_names_months_in_english() -> None:
    assert long_date(dt.date(2008, 2, 29)) == "29 February 2008"
    assert [long_date(dt.date(2007, m, 1)).split()[1] for m in range(1, 13)] == [
        f"{dt.date(2007, m, 1):%B}" for m in range(1, 13)
    ]
