"""The arguments of the public API checked where they come in.

A wrong argument (``as_of="2007-10-15"``, ``calendar=None``, a record's dict where a
:class:`~casework.Case` belongs) gets one ``TypeError`` naming the argument, what was
given and what to pass instead, not an ``AttributeError`` from inside a rule. Nothing a
record holds is echoed: only the argument's type, or a date the caller gave.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (imported when a calendar is checked: reading files needs none)
    from casework.calendar import WorkingCalendar
    from casework.model.case import Case

__all__ = ["checked_calendar", "checked_day", "each_case", "not_a_case", "record_day"]


def checked_day(value: object, name: str = "as_of") -> dt.date:
    """``value`` if it is a :class:`datetime.date` (not a ``datetime``); else ``TypeError``."""
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        raise TypeError(
            f"{name} must be a datetime.date, not a datetime ({value.isoformat()}): "
            "pass its .date()"
        )
    if isinstance(value, str):
        raise TypeError(
            f"{name} must be a datetime.date, not the text {value!r}: "
            f"pass datetime.date.fromisoformat({value!r})"
        )
    raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def record_day(value: object, name: str = "as_of") -> dt.date | None:
    """The date records are read as at when they give none: ``None``, a
    :class:`datetime.date`, or its text as a record holds it (``"2007-10-15"``). Anything
    else is refused here (``TypeError``; ``ValueError`` for text that is not such a date),
    not in every record that lacks a date of its own."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            if _ISO_DAY.fullmatch(value) is None:
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
    return checked_day(value, name)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def checked_calendar(value: object, name: str = "calendar") -> WorkingCalendar:
    """``value`` if it is a :class:`~casework.WorkingCalendar`; else ``TypeError``."""
    from casework.calendar import WorkingCalendar  # noqa: PLC0415

    if isinstance(value, WorkingCalendar):
        return value
    raise TypeError(
        f"{name} must be a casework.WorkingCalendar (such as "
        f"WorkingCalendar.england_and_wales()), not {type(value).__name__}"
    )


def each_case(cases: Iterable[object], expected: str) -> Iterator[Case]:
    """Each of ``cases``, once, each a :class:`~casework.Case` (else the ``TypeError`` of
    :func:`not_a_case`); ``cases`` itself text, bytes or one record is a ``TypeError``
    saying it is not ``expected`` (such as "a casework.Case or an iterable of them")."""
    from casework.model.case import Case  # noqa: PLC0415  (the model: when cases are given)

    if isinstance(cases, str | bytes | Mapping):
        raise TypeError(f"cases must be {expected}, not {type(cases).__name__}")
    for position, case in enumerate(cases):
        if not isinstance(case, Case):
            raise not_a_case(case, position)
        yield case


def not_a_case(value: object, position: int) -> TypeError:
    """The error for an item of ``cases`` that is not a :class:`~casework.Case` (the
    ``position``-th, from 0)."""
    hint = (
        ": read records with casework.load_cases, which checks them and makes the cases"
        if isinstance(value, dict)
        else ""
    )
    return TypeError(f"cases[{position}] must be a casework.Case, not {type(value).__name__}{hint}")
