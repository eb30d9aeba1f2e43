"""Shared building blocks of the case model: the record base class and date types."""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from casework.model.enums import ROH_LEVEL_ALIASES, RohLevel

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: First and last year a case date may fall in (decision: supported-years). The default
#: :class:`~casework.WorkingCalendar` covers these years plus one either side, so every
#: deadline the rules compute from a valid date is a day the calendar knows.
FIRST_YEAR = 1975
LAST_YEAR = 2050
#: Dates of birth may be older than any case date.
FIRST_BIRTH_YEAR = 1900


class CodedError(ValueError):
    """A rejection with a stable ``code`` (``"date.out_of_range"``) beside its message.

    Validators raise it; loaders read the code from the error pydantic wraps it in.
    The message says what was expected and never shows the value found.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def _day_in(value: object, first: int, last: int) -> dt.date:
    if isinstance(value, dt.datetime):
        raise CodedError("date.with_time", "expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and len(value) <= 40 and _ISO_DAY.match(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise CodedError(
                "date.impossible", "expected a real calendar date (YYYY-MM-DD)"
            ) from None
    else:
        raise CodedError("date.invalid", "expected a date as YYYY-MM-DD")
    if not first <= day.year <= last:
        raise CodedError("date.out_of_range", f"expected a date in the years {first}-{last}")
    return day


def _parse_day(value: object) -> object:
    """Accept a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string in the supported years.

    pydantic's lax mode would also take integers (as Unix time) and datetimes;
    on a case file either is a clerk's mistake, so they are rejected here. A
    year outside :data:`FIRST_YEAR` to :data:`LAST_YEAR` (a typo such as 1907)
    is rejected too: no calendar the rules count with could place it.
    """
    return _day_in(value, FIRST_YEAR, LAST_YEAR)


def _parse_birth_day(value: object) -> object:
    return _day_in(value, FIRST_BIRTH_YEAR, LAST_YEAR)


#: A calendar day. Accepts ``datetime.date`` or ``"YYYY-MM-DD"``.
Day = Annotated[dt.date, BeforeValidator(_parse_day)]

#: A date of birth: like :data:`Day`, from the year :data:`FIRST_BIRTH_YEAR`.
BirthDay = Annotated[dt.date, BeforeValidator(_parse_birth_day)]


def _parse_roh(value: object) -> object:
    if isinstance(value, RohLevel):
        return value
    if isinstance(value, str):
        level = ROH_LEVEL_ALIASES.get(value.strip().lower())
        if level is not None:
            return level
    return value  # let the enum validator report the allowed values


_RohInput = Literal[
    "low",
    "medium",
    "high",
    "very_high",
    "very high",
    "RLRH",
    "RMRH",
    "RHRH",
    "RVHR",
    "RVRH",
]

#: A risk of harm level. Accepts the canonical values and register codes
#: (``RLRH``, ``RMRH``, ``RHRH``, ``RVHR``, ``RVRH``), case-insensitively.
RohLevelInput = Annotated[RohLevel, BeforeValidator(_parse_roh, json_schema_input_type=_RohInput)]

#: A short identifier: a case reference, an assessment id, a question id.
Identifier = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$"),
]

#: Free text written by staff. Never echoed in error messages.
FreeText = Annotated[str, Field(max_length=2000)]


class _Withheld:
    """Stands in for a personal or free-text value in ``repr`` and ``str``."""

    def __repr__(self) -> str:
        return "<withheld>"


class Record(BaseModel):
    """Base of every case-file type: immutable, unknown fields rejected.

    ``repr()`` and ``str()`` show the fields listed in ``_withheld`` (names,
    dates of birth, free text) as ``<withheld>``, so a case printed in a test
    failure, a notebook or a log never shows who it is about.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        use_attribute_docstrings=True,
        # Error messages must never echo what was typed: it may be a name or a date of birth.
        hide_input_in_errors=True,
        defer_build=True,
    )

    _withheld: ClassVar[frozenset[str]] = frozenset()

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name in self._withheld and value not in (None, ()):
                yield name, _Withheld()
            else:
                yield name, value


class Period(Record):
    """A span of days, ``start`` to ``end`` inclusive; ``end`` is ``None`` while open."""

    start: Day
    """First day of the period."""
    end: Day | None = None
    """Last day of the period, or ``None`` while it is still open."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise CodedError("period.end_before_start", "expected end on or after start")
        return self

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.start <= day and (self.end is None or day <= self.end)


def _may_hold_dates(annotation: object) -> bool:
    """Whether a field's type can hold a date: a date, a model, or a container of either."""
    if isinstance(annotation, type):
        return issubclass(annotation, dt.date | BaseModel)
    return any(_may_hold_dates(arg) for arg in typing.get_args(annotation))


@functools.cache
def _date_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that can hold a date (worked out once per model class)."""
    return tuple(
        name for name, field in model.model_fields.items() if _may_hold_dates(field.annotation)
    )


def dates_in(
    value: Any, path: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], dt.date]]:
    """Every date held anywhere in a model (or list / dict of models), with its path.

    Only fields whose type can hold a date are visited, so the walk is cheap.
    """
    found: list[tuple[tuple[str | int, ...], dt.date]] = []
    _collect(value, path, found)
    return found


def _collect(
    value: Any, path: tuple[str | int, ...], found: list[tuple[tuple[str | int, ...], dt.date]]
) -> None:
    if isinstance(value, dt.date):
        found.append((path, value))
    elif isinstance(value, BaseModel):
        for name in _date_fields(type(value)):
            item = getattr(value, name)
            if item is not None:
                _collect(item, (*path, name), found)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            _collect(item, (*path, index), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, (*path, str(key)), found)
