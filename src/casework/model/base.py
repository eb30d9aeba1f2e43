"""Shared building blocks of the case model: the record base class and date types."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import inspect
import itertools
import re
import textwrap
import typing
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

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

    A field's docstring is its description in the JSON Schema, read from the
    source when a schema is made, not when the class is (decision: command-startup).
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        # Error messages must never echo what was typed: it may be a name or a date of birth.
        hide_input_in_errors=True,
        defer_build=True,
    )

    _withheld: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler, /
    ) -> JsonSchemaValue:
        """The model's JSON Schema, each field described by its docstring.

        What pydantic's ``use_attribute_docstrings`` gives, without reading every
        model's source when the model is defined: a field without a description of its
        own takes the docstring under it in the nearest class that declares it.
        """
        json_schema = handler.resolve_ref_schema(handler(core_schema))
        properties = json_schema.get("properties", {})
        for name, field in cls.model_fields.items():
            key = name if field.alias is None else field.alias
            if key in properties and "description" not in properties[key]:
                described = _field_docstring(cls, name)
                if described is not None:
                    properties[key] = {**properties[key], "description": described}
        return json_schema

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


def _field_docstring(model: type[BaseModel], name: str) -> str | None:
    """The docstring under field ``name`` in the nearest class of ``model`` that declares it."""
    for owner in model.__mro__:
        if name in inspect.get_annotations(owner):
            return _attribute_docstrings(owner).get(name)
    return None


@functools.cache
def _attribute_docstrings(model: type) -> Mapping[str, str]:
    """Field name -> the string literal right under its annotation in the class body.

    Read as pydantic's ``use_attribute_docstrings`` reads them (an annotated name, then
    a string on its own), from the class's source; none if the source is not there.
    """
    try:
        source = textwrap.dedent(inspect.getsource(model))
    except (OSError, TypeError):
        return MappingProxyType({})
    if source.startswith((" ", "\t")):  # a string in the class less indented than the class
        source = f"def _wrapper():\n{source}"
    tree: ast.stmt = ast.parse(source).body[0]
    if isinstance(tree, ast.FunctionDef) and tree.name == "_wrapper":
        tree = tree.body[0]
    if not isinstance(tree, ast.ClassDef):
        return MappingProxyType({})
    found: dict[str, str] = {}
    statements = tree.body
    for statement, following in itertools.pairwise(statements):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.target.id] = inspect.cleandoc(following.value.value)
    return MappingProxyType(found)


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
