"""Dated parameters: every threshold is data with a source, not a literal in code.

Parameter files are TOML, one table per parameter::

    [oasys_ppo]
    description = "OASys for PPO cases completed or updated within"
    unit = "working_days"

    [[oasys_ppo.values]]
    from = 2005-04-01
    value = 5
    source = "001:441"
    quote = "within five working days of the commencement of the order or release"

A parameter may have no value at all: the sources do not state it (the PSR
timescale, say). Rules that need it then report "cannot assess" unless a
value is supplied with :meth:`ParameterSet.with_values`. A change of standard
on a date is a new dated value, not new code.

Every value names its source: ``"NNN:line"`` for a seed document, or
``"decision:<slug>"`` for a reading this project chose where the sources are
silent or ambiguous (documented in ``docs/decisions.md`` under that slug).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import tomllib
from collections.abc import Iterable, Mapping
from fractions import Fraction
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from casework.calendar import Duration, TimeUnit

__all__ = [
    "MissingParameterError",
    "Parameter",
    "ParameterDef",
    "ParameterError",
    "ParameterSet",
    "ParameterTable",
    "ParameterValue",
]

Value: TypeAlias = int | Fraction | str | bool | tuple[str, ...]

_SOURCE = re.compile(r"^(\d{3}:\d+(-\d+)?|decision:[a-z0-9-]+)$")
_TIME_UNITS = frozenset(unit.value for unit in TimeUnit)
_UNITS = _TIME_UNITS | {"proportion", "count", "days", "flag", "set"}


class ParameterError(ValueError):
    """A parameter file that is malformed, or a request for an unknown parameter."""


class MissingParameterError(LookupError):
    """The sources state no value for a parameter in force, and none was supplied."""

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description
        super().__init__(f"no value for parameter {name!r} ({description})")


@attrs.frozen
class ParameterValue:
    """One dated value of a parameter."""

    value: Value
    start: dt.date
    end: dt.date | None
    source: str
    quote: str = ""
    note: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        """Whether this value applies on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class ParameterDef:
    """A parameter with its dated values (possibly none)."""

    name: str
    description: str
    unit: str | None
    values: tuple[ParameterValue, ...] = ()
    note: str = ""

    def at(self, day: dt.date) -> ParameterValue | None:
        """The value in force on ``day``, if the sources give one."""
        return next((value for value in self.values if value.in_force_on(day)), None)


@attrs.frozen
class Parameter:
    """A parameter's value as one rule set sees it."""

    name: str
    description: str
    value: Value
    unit: str | None
    source: str
    since: dt.date | None = None
    quote: str = ""
    note: str = ""
    overridden: bool = False

    @property
    def duration(self) -> Duration:
        """The value as a time limit; ``ParameterError`` if it is not one."""
        if self.unit not in _TIME_UNITS or not isinstance(self.value, int):
            raise ParameterError(f"parameter {self.name!r} is not a time limit")
        return Duration(self.value, TimeUnit(self.unit))

    def __str__(self) -> str:
        shown = str(self.duration) if self.unit in _TIME_UNITS else str(self.value)
        return f"{shown} ({self.source})"


def _frozen_definitions(mapping: Mapping[str, ParameterDef]) -> Mapping[str, ParameterDef]:
    return MappingProxyType(dict(mapping))


def _frozen_overrides(mapping: Mapping[str, Parameter]) -> Mapping[str, Parameter]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class ParameterSet:
    """Parameters resolved as at one date, with any overrides applied."""

    on: dt.date
    definitions: Mapping[str, ParameterDef] = attrs.field(converter=_frozen_definitions)
    overrides: Mapping[str, Parameter] = attrs.field(factory=dict, converter=_frozen_overrides)

    def get(self, name: str) -> Parameter:
        """The parameter; ``MissingParameterError`` when the sources give no value."""
        if name in self.overrides:
            return self.overrides[name]
        definition = self.definitions.get(name)
        if definition is None:
            raise ParameterError(f"unknown parameter {name!r}")
        value = definition.at(self.on)
        if value is None:
            raise MissingParameterError(name, definition.description)
        return Parameter(
            name=name,
            description=definition.description,
            value=value.value,
            unit=definition.unit,
            source=value.source,
            since=value.start,
            quote=value.quote,
            note=value.note or definition.note,
        )

    def has_value(self, name: str) -> bool:
        """Whether ``name`` resolves to a value."""
        try:
            self.get(name)
        except MissingParameterError:
            return False
        return True

    def with_values(self, values: Mapping[str, Value], *, note: str = "") -> ParameterSet:
        """A copy with some values replaced (for overlays and for unstated parameters)."""
        overrides = dict(self.overrides)
        for name, value in values.items():
            definition = self.definitions.get(name)
            if definition is None:
                raise ParameterError(f"unknown parameter {name!r}")
            _check_value(name, definition.unit, value)
            overrides[name] = Parameter(
                name=name,
                description=definition.description,
                value=_freeze(value),
                unit=definition.unit,
                source="override",
                note=note or "supplied by the caller",
                overridden=True,
            )
        return ParameterSet(self.on, self.definitions, overrides)

    def names(self) -> tuple[str, ...]:
        """Every parameter name known."""
        return tuple(sorted(self.definitions))


@attrs.frozen
class ParameterTable:
    """Every parameter definition, loaded from TOML."""

    definitions: Mapping[str, ParameterDef] = attrs.field(converter=_frozen_definitions)

    @classmethod
    def default(cls) -> ParameterTable:
        """The parameters shipped with casework (``casework/rules/data/*.toml``), read
        once (every shipped rule set resolves them; the table cannot be changed)."""
        return _shipped_table() if cls is ParameterTable else cls.from_texts(_shipped_texts())

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> ParameterTable:
        """Parameters from TOML files on disk."""
        return cls.from_texts((Path(p).name, Path(p).read_text(encoding="utf-8")) for p in paths)

    @classmethod
    def from_texts(cls, texts: Iterable[tuple[str, str]]) -> ParameterTable:
        """Parameters from ``(name, TOML text)`` pairs; a name may be defined once only."""
        definitions: dict[str, ParameterDef] = {}
        for origin, text in texts:
            try:
                document = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ParameterError(f"{origin}: not valid TOML: {exc}") from None
            for name, table in document.items():
                if name in definitions:
                    raise ParameterError(f"{origin}: parameter {name!r} is defined twice")
                definitions[name] = _definition(origin, name, table)
        return cls(definitions)

    def resolve(self, on: dt.date) -> ParameterSet:
        """The parameters as at ``on``."""
        return ParameterSet(on, self.definitions)


def _shipped_texts() -> list[tuple[str, str]]:
    folder = resources.files("casework.rules") / "data"
    return [
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and entry.name.startswith("parameters")
    ]


@functools.cache
def _shipped_table() -> ParameterTable:
    return ParameterTable.from_texts(_shipped_texts())


def _definition(origin: str, name: str, table: Any) -> ParameterDef:
    where = f"{origin}: [{name}]"
    if not isinstance(table, dict):
        raise ParameterError(f"{where} must be a table")
    unknown = set(table) - {"description", "unit", "values", "note"}
    if unknown:
        raise ParameterError(f"{where}: unknown keys {sorted(unknown)}")
    description = table.get("description")
    if not isinstance(description, str) or not description:
        raise ParameterError(f"{where}: needs a description")
    unit = table.get("unit")
    if unit is not None and unit not in _UNITS:
        raise ParameterError(f"{where}: unit {unit!r} is not one of {sorted(_UNITS)}")
    values = tuple(
        _value(where, unit, index, raw) for index, raw in enumerate(table.get("values", []))
    )
    ordered = sorted(values, key=lambda v: v.start)
    for before, after in itertools.pairwise(ordered):
        if before.end is None or before.end >= after.start:
            raise ParameterError(
                f"{where}: values from {before.start} and {after.start} overlap; "
                "give the earlier one an 'to' date before the later one starts"
            )
    return ParameterDef(name, description, unit, tuple(ordered), str(table.get("note", "")))


def _value(where: str, unit: str | None, index: int, raw: Any) -> ParameterValue:
    here = f"{where} values[{index}]"
    if not isinstance(raw, dict):
        raise ParameterError(f"{here} must be a table")
    unknown = set(raw) - {"from", "to", "value", "source", "quote", "note"}
    if unknown:
        raise ParameterError(f"{here}: unknown keys {sorted(unknown)}")
    start, end = raw.get("from"), raw.get("to")
    if not isinstance(start, dt.date) or (end is not None and not isinstance(end, dt.date)):
        raise ParameterError(f"{here}: 'from' (and 'to', if given) must be dates")
    if end is not None and end < start:
        raise ParameterError(f"{here}: 'to' {end} is before 'from' {start}")
    source = raw.get("source")
    if not isinstance(source, str) or not _SOURCE.match(source):
        raise ParameterError(f"{here}: source must be 'NNN:line' or 'decision:<slug>'")
    if "value" not in raw:
        raise ParameterError(f"{here}: needs a value")
    _check_value(here, unit, raw["value"])
    return ParameterValue(
        value=_freeze(raw["value"]),
        start=start,
        end=end,
        source=source,
        quote=str(raw.get("quote", "")),
        note=str(raw.get("note", "")),
    )


def _check_value(where: str, unit: str | None, value: object) -> None:
    if unit in _TIME_UNITS or unit in {"count", "days"}:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ParameterError(f"{where}: a {unit} value must be a whole number")
    elif unit == "proportion":
        if not isinstance(value, int | float | Fraction) or isinstance(value, bool):
            raise ParameterError(f"{where}: a proportion must be a number between 0 and 1")
        if not 0 <= value <= 1:
            raise ParameterError(f"{where}: a proportion must be between 0 and 1")
    elif unit == "flag":
        if not isinstance(value, bool):
            raise ParameterError(f"{where}: a flag must be true or false")
    elif unit == "set" and (
        not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value)
    ):
        raise ParameterError(f"{where}: a set must be a list of strings")


def _freeze(value: object) -> Value:
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    if isinstance(value, float):
        # exact: 0.9 in a file means nine tenths, not the nearest binary float
        return Fraction(str(value))
    if isinstance(value, int | str | bool | Fraction):
        return value
    raise ParameterError(f"unsupported parameter value {value!r}")
