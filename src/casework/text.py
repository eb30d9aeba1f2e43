"""Wording helpers for findings and reports: long dates, plurals, half-up percentages."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["long_date", "month_name", "percent", "plural", "round_half_up"]


_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(month: int) -> str:
    """English name of month 1-12, whatever the locale."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    return _MONTHS[month]


def long_date(day: dt.date) -> str:
    """``31 December 2007`` (English month names whatever the locale)."""
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 working day`` / ``2 working days``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def round_half_up(value: Fraction, places: int = 0) -> Decimal:
    """Round a fraction half-up (60.5 -> 61), never to even as ``round()`` does."""
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def percent(value: Fraction, places: int = 0) -> str:
    """A proportion as a percentage rounded half-up: ``Fraction(121, 200)`` -> ``"61%"``."""
    return f"{round_half_up(value * 100, places)}%"
