"""Raw tables written straight from decoded records (decisions: columnar-reader,
raw-writer-by-column).

The writer reads a chunk of records a *column at a time*: for each field of the
model it takes that field of every record of the chunk in one list comprehension
and turns the list into a numpy column (dates as day numbers, enum members as
codes by one dict lookup each, text as an object array), laid out exactly as
:func:`casework.columnar.raw.layout`. A list field's items of the whole chunk
become the rows of its table at once (owners by ``np.repeat``), and a single
nested model's fields are written for the records that have it and scattered
into its parent's rows. The records are the fast reader's msgspec Structs
(``casework._fastread``; ``msgspec.UNSET`` is the model's default) or
:class:`~casework.Case` objects, or both in one chunk. The plan of what to write
is derived from the model and the fast reader's plans, so it cannot drift from
either.

Written from Structs (:func:`write_lines`, *strict*), it makes the fast reader's
checks as array operations over the chunk: text with blanks at an end, the year
ranges and no date after the record's ``as_of``, an assessment written once
(``parts_with_assessment``), and the key count (a key written twice: the keys
the Structs hold, counted per record from the columns, against the ``":`` of the
record's text). A record failing one is left out of the tables and marked
*not taken*: the caller reads it the per-record way (fast reader, then pydantic),
which accepts it (then its ``Case`` is written with the others,
:func:`write_objects`) or gives today's located error. The model's ``after``
validators (the contradiction checks and each nested model's own) are not run
here: the chunked reader runs them on the tables (``casework.columnar.reader``).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import operator
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import msgspec
import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from casework._fastread import _KEY_END, FastReader, _Builder, _Plan
from casework._limits import DEFAULT_LIMITS, Limits
from casework.columnar.raw import (
    _DTYPES,
    _NONE_OF,
    NO_DAY,
    NO_INT,
    Column,
    Kind,
    RawTables,
    TableLayout,
    _default,
    _encode,
    _enum_codes,
    _is_model,
    _scalar_kind,
    _strip,
    layout,
)
from casework.model import base
from casework.model.case import Case
from casework.model.risk import OasysAssessment

__all__ = ["LinesWritten", "RawWriter", "raw_from_records", "raw_writer", "write_lines"]

_UNSET = msgspec.UNSET
_EPOCH = dt.date(1970, 1, 1).toordinal()
_SPACED_KEY = re.compile(r'"[ \t\r\n]+:')
_FIRST_AS_OF = dt.date(base.FIRST_YEAR, 1, 1)
_LAST_AS_OF = dt.date(base.LAST_YEAR, 12, 31)
#: The ordinal written for a missing date: NO_DAY once the epoch is taken off.
_NO_ORDINAL = int(NO_DAY) + _EPOCH
#: Stand-ins for a value left out (``UNSET``) while a column is made, none of them a
#: value: an ordinal, a code, a whole number (the model bounds every whole number).
_UNSET_ORDINAL = _NO_ORDINAL + 1
_UNSET_CODE = -2
_UNSET_INT = int(NO_INT) + 1
_TO_ORDINAL = dt.date.toordinal
#: The ``id`` of what stands for an absent model (``None``, or ``UNSET``: its default).
_ABSENT = frozenset((id(None), id(_UNSET)))
_Rows = npt.NDArray[np.intp]
_Array = npt.NDArray[Any]


# ---------------------------------------------------------------- the plan, from the model


@attrs.frozen
class _Value:
    """A plain value: one column (or the ``key``/``value`` of a child table)."""

    attribute: str
    column: str
    kind: Kind
    enum: type[enum.Enum] | None
    codes: Mapping[int, int] | None
    """Code by ``id`` of the value, for an enum (``None``: -1) or optional bool column
    (members, ``None``, ``True`` and ``False`` are each one object)."""
    optional: bool
    required: bool
    default: Any
    """The model's default (encoded), for a value left out."""
    text: bool
    """Text checked for blanks at an end (strict)."""
    first: int | None
    """A date's first day number allowed (strict), with no date after ``as_of``."""
    once: bool
    """``parts_with_assessment``: a record asking for it takes the per-record way."""
    counted: bool = True
    """A field of a model, whose key counts (not an item of a list or mapping)."""


@attrs.frozen
class _Model:
    """A single nested model, flattened into its parent's table."""

    attribute: str
    column: str
    steps: tuple[Any, ...]
    optional: bool
    required: bool
    empty: Any
    """What a left-out value stands for: the model's empty Struct (a default
    factory) or ``None``."""
    columns: tuple[Column, ...]
    """Its columns in the parent's table (with a presence column, when optional)."""


@attrs.frozen
class _Items:
    """A list of models: a child table, one row per item."""

    attribute: str
    child: str
    steps: tuple[Any, ...]
    required: bool


@attrs.frozen
class _Values:
    """A list of plain values: a child table with a ``value`` column."""

    attribute: str
    child: str
    value: _Value
    required: bool


@attrs.frozen
class _Entries:
    """A mapping: a child table with ``key`` and ``value`` columns."""

    attribute: str
    child: str
    key: _Value
    value: _Value
    required: bool


@attrs.frozen
class _AsOf:
    """The case's ``as_of``: the record's own or the date given (counted when written)."""

    attribute: str


_Step = _Value | _Model | _Items | _Values | _Entries | _AsOf


def _codes(kind: Kind, enum_type: type[enum.Enum] | None) -> Mapping[int, int] | None:
    if kind is Kind.ENUM:
        assert enum_type is not None
        codes: dict[Any, int] = {**_enum_codes(enum_type), None: -1}
    elif kind is Kind.OPTIONAL_BOOL:
        codes = {None: -1, False: 0, True: 1}
    elif kind is Kind.BOOL:
        codes = {False: 0, True: 1}
    else:
        return None
    return {id(_UNSET): _UNSET_CODE, **{id(value): code for value, code in codes.items()}}


class _Planner:
    """Derives the steps of each table from the model and the fast reader's plans
    (the checks of each field)."""

    def __init__(self) -> None:
        builder = _Builder()
        builder.plan(Case, 1)
        self.plans: dict[type[BaseModel], _Plan] = builder.plans
        self.tables: dict[str, TableLayout] = {}
        self.steps: dict[str, tuple[_Step, ...]] = {}

    def spec_of(self, model: type[BaseModel], name: str) -> tuple[Any, ...]:
        for field, spec, *_ in self.plans[model].fields:
            if field == name:
                return spec
        raise KeyError(name)

    def table(self, model: type[BaseModel], name: str, parent: str | None) -> None:
        columns: list[Column] = (
            [] if parent is None else [Column("owner", Kind.INT), Column("position", Kind.INT)]
        )
        self.tables[name] = TableLayout(name, parent, ())  # parents before children
        steps = self.fields(model, name, "", columns)
        self.tables[name] = TableLayout(name, parent, tuple(columns))
        self.steps[name] = steps

    def value(
        self,
        attribute: str,
        column: str,
        kind: Kind,
        enum_type: type[enum.Enum] | None,
        spec: tuple[Any, ...],
        *,
        optional: bool,
        required: bool,
        default: Any,
        once: bool = False,
        counted: bool = True,
    ) -> _Value:
        inner = spec[1] if spec[0] == "optional" else spec
        first = None
        if inner[0] == "day":
            first = dt.date(inner[1], 1, 1).toordinal() - _EPOCH
        return _Value(
            attribute,
            column,
            kind,
            enum_type,
            _codes(kind, enum_type),
            optional=optional or spec[0] == "optional",
            required=required,
            default=default,
            text=inner[0] == "text",
            first=first,
            once=once,
            counted=counted,
        )

    def fields(
        self, model: type[BaseModel], table: str, prefix: str, columns: list[Column]
    ) -> tuple[_Step, ...]:
        steps: list[_Step] = []
        for name, info in model.model_fields.items():
            annotation, optional = _strip(info.annotation)
            column = f"{prefix}{name}"
            required = info.is_required()
            spec = self.spec_of(model, name)
            origin = typing.get_origin(annotation)
            if model is Case and table == "case" and name == "as_of":
                columns.append(Column(column, Kind.DAY))
                steps.append(_AsOf(name))
            elif _is_model(annotation):
                steps.append(
                    self.nested(
                        annotation,
                        info,
                        table,
                        column,
                        columns,
                        optional=optional,
                        required=required,
                    )
                )
            elif origin is tuple:
                steps.append(
                    self.listed(annotation, info, table, column, spec=spec, required=required)
                )
            elif origin is dict:
                steps.append(
                    self.mapping(annotation, info, table, column, spec=spec, required=required)
                )
            else:
                kind, enum_type = _scalar_kind(annotation, optional)
                columns.append(Column(column, kind, enum_type))
                steps.append(
                    self.value(
                        name,
                        column,
                        kind,
                        enum_type,
                        spec,
                        optional=optional,
                        required=required,
                        default=_encode(_default(info)(), kind, enum_type),
                        once=model is OasysAssessment and name == "parts_with_assessment",
                    )
                )
        return tuple(steps)

    def nested(
        self,
        model: type[BaseModel],
        info: Any,
        table: str,
        column: str,
        columns: list[Column],
        *,
        optional: bool,
        required: bool,
    ) -> _Model:
        start = len(columns)
        if optional:
            columns.append(Column(column, Kind.BOOL, presence=True))
        steps = self.fields(model, table, f"{column}.", columns)
        empty: Any = None
        factory = info.default_factory
        if required:
            pass
        elif factory is not None:
            if factory is not model or factory not in self.plans:
                raise TypeError(f"{column}: an unsupported default")
            empty = self.plans[model].struct()  # its fields at their defaults
        elif not optional or info.default is not None:
            raise TypeError(f"{column}: an unsupported default")
        return _Model(
            column.rsplit(".", 1)[-1],
            column,
            steps,
            optional,
            required,
            empty,
            tuple(columns[start:]),
        )

    @staticmethod
    def child_name(table: str, column: str) -> str:
        return column if table == "case" else f"{table}.{column}"

    @staticmethod
    def no_default(info: Any, column: str) -> None:
        if _default(info)():
            raise TypeError(f"{column}: a list or mapping with a default that is not empty")

    def listed(
        self,
        annotation: Any,
        info: Any,
        table: str,
        column: str,
        *,
        spec: tuple[Any, ...],
        required: bool,
    ) -> _Items | _Values:
        item, _ = _strip(annotation.__args__[0])
        child = self.child_name(table, column)
        self.no_default(info, column)
        attribute = column.rsplit(".", 1)[-1]
        if _is_model(item):
            self.table(item, child, table)
            return _Items(attribute, child, self.steps[child], required)
        kind, enum_type = _scalar_kind(item, False)
        self.tables[child] = TableLayout(
            child,
            table,
            (
                Column("owner", Kind.INT),
                Column("position", Kind.INT),
                Column("value", kind, enum_type),
            ),
        )
        if spec[0] == "optional":
            spec = spec[1]
        value = self.value(
            "value",
            "value",
            kind,
            enum_type,
            spec[1],
            optional=False,
            required=True,
            default=None,
            counted=False,
        )
        return _Values(attribute, child, value, required)

    def mapping(
        self,
        annotation: Any,
        info: Any,
        table: str,
        column: str,
        *,
        spec: tuple[Any, ...],
        required: bool,
    ) -> _Entries:
        key, value = (_strip(arg)[0] for arg in annotation.__args__)
        key_kind, key_enum = _scalar_kind(key, False)
        value_kind, value_enum = _scalar_kind(value, False)
        child = self.child_name(table, column)
        self.no_default(info, column)
        self.tables[child] = TableLayout(
            child,
            table,
            (
                Column("owner", Kind.INT),
                Column("position", Kind.INT),
                Column("key", key_kind, key_enum),
                Column("value", value_kind, value_enum),
            ),
        )
        if spec[0] == "optional":
            spec = spec[1]
        _, key_spec, value_spec = spec
        key_value = self.value(
            "key", "key", key_kind, key_enum, key_spec, optional=False, required=True, default=None,
            counted=False,
        )  # fmt: skip
        value_value = self.value(
            "value", "value", value_kind, value_enum, value_spec, optional=False, required=True,
            default=None, counted=False,
        )  # fmt: skip
        return _Entries(column.rsplit(".", 1)[-1], child, key_value, value_value, required)


@functools.cache
def _planned() -> tuple[dict[str, TableLayout], dict[str, tuple[_Step, ...]]]:
    """The writer's layout (equal to :func:`casework.columnar.raw.layout`; a test checks
    it) and the steps writing each table."""
    planner = _Planner()
    planner.table(Case, "case", None)
    return planner.tables, planner.steps


# ---------------------------------------------------------------- writing a chunk


_is = operator.is_


def _unset(values: list[Any]) -> npt.NDArray[np.bool_]:
    """Per value: whether it was left out (``msgspec.UNSET``)."""
    return np.fromiter(map(_is, values, itertools.repeat(_UNSET)), dtype=bool, count=len(values))


def _lengths(values: list[Any]) -> npt.NDArray[np.intp]:
    """The length of each list or mapping (0 for ``UNSET`` and ``None``)."""
    return np.fromiter(
        map(operator.length_hint, values, itertools.repeat(0)), dtype=np.intp, count=len(values)
    )


def _blank(values: list[Any]) -> npt.NDArray[np.bool_]:
    """Per value, text with blanks at an end (pydantic would strip them)."""
    try:
        stripped = list(map(str.strip, values))
    except TypeError:  # (None or UNSET among them)
        return np.array([v.__class__ is str and v.strip() != v for v in values], dtype=bool)
    # str.strip gives the text itself when there is nothing to strip
    if stripped == values:
        return np.zeros(len(values), dtype=bool)
    return np.fromiter(map(operator.is_not, stripped, values), dtype=bool, count=len(values))


def _positions(lengths: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
    """0, 1, ... within each run of ``lengths``."""
    total = int(lengths.sum())
    starts = np.cumsum(lengths) - lengths
    out: npt.NDArray[np.int64] = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
    return out


class _Chunk:
    """One chunk being written: its columns, and (strict) the keys and failures found."""

    def __init__(self, size: int, as_of: npt.NDArray[np.int64], strict: bool) -> None:
        self.strict = strict
        self.as_of = as_of
        self.tables: dict[str, dict[str, _Array]] = {}
        self.rows: dict[str, int] = {"case": size}
        self.case_of: dict[str, _Rows] = {"case": np.arange(size, dtype=np.intp)}
        self.keys: dict[str, npt.NDArray[np.int64]] = {}
        self.failed = np.zeros(size, dtype=bool)
        """Per case (strict): a check failed."""

    # ------------------------------------------------------------ bookkeeping

    def put(self, table: str, column: Column | _Value, values: _Array, rows: _Rows | None) -> None:
        """Column ``column`` of ``table`` takes ``values`` at ``rows`` (``None``: all)."""
        name = column.name if isinstance(column, Column) else column.column
        kind = column.kind
        if rows is None:
            self.tables[table][name] = values
            return
        out = self.tables[table].get(name)
        if out is None:
            out = self.tables[table][name] = np.full(
                self.rows[table], _NONE_OF[kind], dtype=_DTYPES[kind]
            )
        out[rows] = values

    def count(self, table: str, rows: _Rows | None, keys: Any) -> None:
        """Add ``keys`` (per row, or one number) to the keys given by these rows."""
        if not self.strict:
            return
        if rows is None:
            self.keys[table] += keys
        else:
            self.keys[table][rows] += keys

    def fail(self, table: str, rows: _Rows | None, failed: npt.NDArray[np.bool_]) -> None:
        """These rows (``failed`` per row) fail a check: their cases too."""
        if failed.any():
            cases = self.case_of[table] if rows is None else self.case_of[table][rows]
            self.failed[cases[failed]] = True

    # ------------------------------------------------------------ values

    def encode(self, table: str, value: _Value, values: list[Any], rows: _Rows | None) -> _Array:
        """The column of ``values`` (one left out, ``UNSET``, is the model's default),
        checked and its keys given counted (strict)."""
        kind = value.kind
        unset: npt.NDArray[np.bool_] | None = None  # (None: none left out)
        out: _Array
        if values and values[0] is _UNSET and values.count(_UNSET) == len(values):
            # (a field no record of the chunk gives: common, and quick to tell)
            return np.full(len(values), value.default, dtype=_DTYPES[kind])  # (no keys)
        if kind is Kind.DAY:
            out, unset = self.days(table, value, values, rows)
        elif value.codes is not None:
            out, unset = self.coded(table, value, values, rows)
        elif kind is Kind.TEXT:
            out = np.empty(len(values), dtype=object)
            out[:] = values
            if not value.required:
                unset = _unset(values)
                if unset.any():
                    out[unset] = value.default
            if self.strict and value.text:
                self.fail(table, rows, _blank(values))
        elif value.required:
            out = np.array(values, dtype=_DTYPES[kind])
        else:
            out = np.array(
                [NO_INT if v is None else _UNSET_INT if v is _UNSET else v for v in values],
                dtype=np.int64,
            )
            unset = out == _UNSET_INT
            if unset.any():
                out[unset] = value.default
        if value.counted:
            self.count(table, rows, 1 if unset is None else ~unset)
        return out

    def days(
        self, table: str, value: _Value, values: list[Any], rows: _Rows | None
    ) -> tuple[_Array, npt.NDArray[np.bool_] | None]:
        """A day column, checked (strict): the year range, no day after ``as_of``."""
        try:
            ordinals = list(map(_TO_ORDINAL, values))
        except TypeError:  # (None or UNSET among them)
            ordinals = [
                _NO_ORDINAL if v is None else _UNSET_ORDINAL if v is _UNSET else v.toordinal()
                for v in values
            ]
        out = np.array(ordinals, dtype=np.int64)
        unset = None if value.required else out == _UNSET_ORDINAL
        out -= _EPOCH
        if unset is not None and unset.any():
            out[unset] = value.default
        if self.strict and value.first is not None:
            cases = self.case_of[table] if rows is None else self.case_of[table][rows]
            late = (out != NO_DAY) & ((out < value.first) | (out > self.as_of[cases]))
            self.fail(table, rows, late)
        return out, unset

    def coded(
        self, table: str, value: _Value, values: list[Any], rows: _Rows | None
    ) -> tuple[_Array, npt.NDArray[np.bool_] | None]:
        """An enum, bool or optional bool column: a code per value."""
        assert value.codes is not None
        kind = value.kind
        try:
            codes = list(map(value.codes.__getitem__, map(id, values)))
        except KeyError:  # not the members themselves (a Case built without validation)
            codes = [_UNSET_CODE if v is _UNSET else _encode(v, kind, value.enum) for v in values]
        out: _Array = np.array(codes, dtype=np.int16 if kind is Kind.ENUM else np.int8)
        unset = None
        if not value.required:
            unset = out == _UNSET_CODE
            if unset.any():
                out[unset] = value.default
        if kind is Kind.BOOL:
            out = out.astype(bool)
            if self.strict and value.once:
                self.fail(table, rows, out)
        return out, unset

    def given(
        self, table: str, step: Any, values: list[Any], rows: _Rows | None, default: Any
    ) -> list[Any]:
        """``values`` with those left out (``UNSET``) replaced by ``default``; the others
        counted as keys given."""
        if step.required:
            self.count(table, rows, 1)
            return values
        unset = _unset(values)
        self.count(table, rows, ~unset)
        if unset.any():
            return [default if v is _UNSET else v for v in values]
        return values

    # ------------------------------------------------------------ tables

    def table(
        self,
        name: str,
        objects: list[Any],
        owner: _Rows,
        position: npt.NDArray[np.int64],
        parent: str,
    ) -> None:
        """Write the rows of child table ``name``: one per object, owned by ``owner``."""
        steps = _planned()[1]
        size = len(objects)
        self.rows[name] = size
        self.case_of[name] = self.case_of[parent][owner]
        self.tables[name] = {"owner": owner.astype(np.int64), "position": position}
        if self.strict:
            self.keys[name] = np.zeros(size, dtype=np.int64)
        self.fields(name, steps[name], objects, None)

    def fields(
        self, table: str, steps: tuple[_Step, ...], objects: list[Any], rows: _Rows | None
    ) -> None:
        """Write each field of ``objects`` (all present) at ``rows`` of ``table``."""
        for step in steps:
            values = list(map(operator.attrgetter(step.attribute), objects))
            if isinstance(step, _Value):
                self.put(table, step, self.encode(table, step, values, rows), rows)
            elif isinstance(step, _Model):
                self.nested(table, step, values, rows)
            elif isinstance(step, _Items | _Values | _Entries):
                self.listed(table, step, values, rows)
            else:  # as_of, the record's own or the one given: counted only when written
                self.count(table, rows, ~_unset(values))
                self.put(table, Column("as_of", Kind.DAY), self.as_of, rows)

    def nested(self, table: str, step: _Model, values: list[Any], rows: _Rows | None) -> None:
        if step.optional and step.empty is None:
            # absent (None) or left out (UNSET, the default None): absent
            if not step.required and self.strict:
                self.count(table, rows, ~_unset(values))
            elif step.required:
                self.count(table, rows, 1)
            absent = list(map(_ABSENT.__contains__, map(id, values)))
            present = ~np.array(absent, dtype=bool)
            self.put(table, step.columns[0], present, rows)
            if any(absent):
                values = list(itertools.compress(values, map(operator.not_, absent)))
                at = np.flatnonzero(present)
                rows = at if rows is None else rows[at]  # (the none values where absent: put)
            self.fields(table, step.steps, values, rows)
            return
        values = self.given(table, step, values, rows, step.empty)
        if step.optional:  # (the default an empty model: present unless None)
            present = np.fromiter(
                map(operator.is_not, values, itertools.repeat(None)),
                dtype=bool,
                count=len(values),
            )
            self.put(table, step.columns[0], present, rows)
            if not present.all():
                at = np.flatnonzero(present)
                values = [values[i] for i in at.tolist()]
                rows = at if rows is None else rows[at]
        self.fields(table, step.steps, values, rows)

    def listed(
        self, table: str, step: _Items | _Values | _Entries, values: list[Any], rows: _Rows | None
    ) -> None:
        if step.required:
            self.count(table, rows, 1)
        elif self.strict:
            self.count(table, rows, ~_unset(values))
        lengths = _lengths(values)  # (one left out, UNSET, is empty: the model's default)
        owners = np.arange(len(values), dtype=np.intp) if rows is None else rows
        owner = np.repeat(owners, lengths)
        position = _positions(lengths)
        if isinstance(step, _Items):
            items = [item for v in values if v for item in v]
            self.table(step.child, items, owner, position, table)
            return
        child = step.child
        self.rows[child] = len(owner)
        self.case_of[child] = self.case_of[table][owner]
        self.tables[child] = {"owner": owner.astype(np.int64), "position": position}
        if isinstance(step, _Values):
            items = [item for v in values if v for item in v]
            self.put(child, step.value, self.encode(child, step.value, items, None), None)
            return
        self.count(table, rows, lengths)  # a mapping's keys
        keys = [key for v in values if v for key in v]
        items = [item for v in values if v for item in v.values()]
        self.put(child, step.key, self.encode(child, step.key, keys, None), None)
        self.put(child, step.value, self.encode(child, step.value, items, None), None)

    # ------------------------------------------------------------ the result

    def case_keys(self) -> npt.NDArray[np.int64]:
        """Per case (strict): the keys its record gives, as the fast reader counts them."""
        size = self.rows["case"]
        out = np.zeros(size, dtype=np.int64)
        for name, keys in self.keys.items():
            out += np.bincount(self.case_of[name], weights=keys, minlength=size).astype(np.int64)
        return out

    def raw(self) -> RawTables:
        tables, _ = _planned()
        return RawTables(
            {
                name: {column.name: self.tables[name][column.name] for column in table.columns}
                for name, table in tables.items()
            }
        )


def _write(objects: list[Any], as_of: list[dt.date], strict: bool) -> _Chunk:
    _, steps = _planned()
    days = np.array([day.toordinal() for day in as_of], dtype=np.int64) - _EPOCH
    chunk = _Chunk(len(objects), days, strict)
    chunk.tables["case"] = {}
    if strict:
        chunk.keys["case"] = np.zeros(len(objects), dtype=np.int64)
    chunk.fields("case", steps["case"], objects, None)
    return chunk


def write_objects(objects: Sequence[Any], as_of: Sequence[dt.date]) -> RawTables:
    """The raw tables of these records, in this order: ``Case`` objects, or Structs the
    strict writer took (:attr:`LinesWritten.structs`), or both; ``as_of`` is each
    record's date (its own, or the one given to a Struct without it). No checks."""
    return _write(list(objects), list(as_of), strict=False).raw()


@attrs.frozen
class LinesWritten:
    """The records of a chunk of lines the writer took, as raw tables."""

    raw: RawTables
    """The tables of the records taken, in line order."""
    taken: list[bool]
    """Per line: taken (a row of :attr:`raw`), or left to the per-record way."""
    structs: list[Any]
    """The Struct of each record taken (row for row)."""
    as_of: list[dt.date]
    """The date of each record taken: its own, or the one given."""


def _key_counts(texts: list[str]) -> npt.NDArray[np.int64]:
    """Per line, the keys it writes as the fast reader counts them (``_KEY_END``;
    without blanks before a colon, that is the number of ``":``)."""
    return np.array(
        [
            text.count('":') if _SPACED_KEY.search(text) is None else len(_KEY_END.findall(text))
            for text in texts
        ],
        dtype=np.int64,
    )


def _spaced_or_counted(texts: list[str]) -> int | None:
    """The ``":`` of all the lines together, or ``None`` where a quote is followed by a
    blank (a key may be spaced from its colon): over the chunk's bytes at once.

    Each key a Struct holds is a ``":`` of its own line (when no blank comes before the
    colon), so the Structs' keys and the ``":`` of the chunk agree in total only if they
    agree line by line."""
    data = np.frombuffer("\n".join(texts).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    quote = data[:-1] == _QUOTE
    after = data[1:]
    if (quote & (after <= _BLANK)).any():  # (blanks, and control characters)
        return None
    return int(np.count_nonzero(quote & (after == _COLON)))


_QUOTE, _COLON, _BLANK = ord('"'), ord(":"), ord(" ")


def write_lines(
    texts: Sequence[str], as_of: dt.date | None, limits: Limits = DEFAULT_LIMITS
) -> LinesWritten:
    """Write the record of each line of JSON text the fast way; a line the fast path
    cannot accept (as :meth:`casework._fastread.FastReader.read` decides, bar the
    model's ``after`` validators) is left out and marked not taken."""
    reader = _reader()
    taken = [False] * len(texts)
    structs: list[Any] = []
    dates: list[dt.date] = []
    lines: list[int] = []
    if reader.fits(limits):
        most = min(limits.max_record_values, DEFAULT_LIMITS.max_record_values)
        decode = reader._decoder.decode
        for index, text in enumerate(texts):
            if len(text) + 1 > most:
                continue
            try:
                struct: Any = decode(text)
            except Exception:  # msgspec.DecodeError (or anything): pydantic will say what
                continue
            record_as_of = struct.as_of
            if record_as_of is _UNSET:
                if type(as_of) is not dt.date:
                    continue
                record_as_of = as_of
            if not _FIRST_AS_OF <= record_as_of <= _LAST_AS_OF:
                continue
            structs.append(struct)
            dates.append(record_as_of)
            lines.append(index)
    chunk = _write(structs, dates, strict=True)
    written = [texts[index] for index in lines]
    keys = chunk.case_keys()
    if _spaced_or_counted(written) != int(keys.sum()):
        # a key written twice (msgspec keeps the last), or \" before a colon
        chunk.failed |= keys != _key_counts(written)
    raw = chunk.raw()
    if chunk.failed.any():
        keep = ~chunk.failed
        raw = select_cases(raw, keep)
        kept = np.flatnonzero(keep).tolist()
        structs = [structs[row] for row in kept]
        dates = [dates[row] for row in kept]
        lines = [lines[row] for row in kept]
    for index in lines:
        taken[index] = True
    return LinesWritten(raw, taken, structs, dates)


def select_cases(raw: RawTables, keep: npt.NDArray[np.bool_]) -> RawTables:
    """The raw tables of the kept cases (one flag per case row), owners renumbered."""
    tables = layout()
    kept: dict[str, npt.NDArray[np.bool_]] = {"case": keep}
    renumber: dict[str, npt.NDArray[np.int64]] = {"case": np.cumsum(keep) - 1}
    out: dict[str, dict[str, Any]] = {}
    for name, table in raw.tables.items():
        parent = tables[name].parent
        mask = keep if parent is None else kept[parent][table["owner"]]
        kept[name] = mask
        renumber[name] = np.cumsum(mask) - 1
        columns = {column: values[mask] for column, values in table.items()}
        if parent is not None:
            columns["owner"] = renumber[parent][table["owner"][mask]].astype(table["owner"].dtype)
        out[name] = columns
    return RawTables(out)


class RawWriter:
    """Records written one at a time, then their raw tables (for tests and callers with
    one record at a time; the chunked reader writes a chunk at once, :func:`write_lines`).

    :meth:`write_text` takes one line of JSON text the fast way (or answers ``False``:
    read it the per-record way); :meth:`write_case` takes a validated ``Case``;
    :meth:`tables` gives the raw tables of the records taken, in order.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.layout = _planned()[0]
        self._objects: list[Any] = []
        self._as_of: list[dt.date] = []

    @property
    def count(self) -> int:
        """Records written."""
        return len(self._objects)

    def write_text(self, text: str, as_of: dt.date | None) -> bool:
        """Take the record in one line of JSON text; ``False`` (nothing taken) when the
        fast path cannot accept it."""
        written = write_lines([text], as_of, self.limits)
        if not written.taken[0]:
            return False
        self._objects.extend(written.structs)
        self._as_of.extend(written.as_of)
        return True

    def write_case(self, case: Any) -> None:
        """Take a validated ``Case`` (or any object with the model's fields and values)."""
        self._objects.append(case)
        self._as_of.append(case.as_of)

    def tables(self) -> RawTables:
        """The raw tables of the records taken (:func:`casework.columnar.raw.layout`)."""
        return write_objects(self._objects, self._as_of)


@functools.cache
def _reader() -> FastReader:
    from casework._fastread import fast_reader  # noqa: PLC0415

    return fast_reader()


def raw_writer(limits: Limits = DEFAULT_LIMITS) -> RawWriter:
    """A new writer (nothing written)."""
    return RawWriter(limits)


def raw_from_records(cases: Iterable[Any]) -> RawTables:
    """The raw tables of validated cases through the writer (the fast equivalent of
    :func:`casework.columnar.raw.raw_from_cases` for ``Case`` objects)."""
    objects = list(cases)
    return write_objects(objects, [case.as_of for case in objects])


def same_layout(tables: Mapping[str, TableLayout]) -> bool:
    """Whether the writer's layout is the raw layout (a test checks it)."""
    return dict(tables) == dict(layout())


def slice_cases(raw: RawTables, start: int, stop: int) -> RawTables:
    """The raw tables of case rows ``start`` to ``stop`` (as ``select_cases`` with those
    rows kept), as views of ``raw``'s columns: every table's rows are in their owners'
    order, so a range of owners owns a range of rows."""
    tables = layout()
    spans: dict[str, tuple[int, int]] = {"case": (start, stop)}
    out: dict[str, dict[str, Any]] = {}
    for name, table in raw.tables.items():
        parent = tables[name].parent
        if parent is None:
            low, high = start, stop
            columns = {column: values[low:high] for column, values in table.items()}
        else:
            first, last = spans[parent]
            owner = table["owner"]
            low, high = (int(at) for at in np.searchsorted(owner, (first, last)))
            columns = {column: values[low:high] for column, values in table.items()}
            columns["owner"] = owner[low:high] - owner.dtype.type(first)
        spans[name] = (low, high)
        out[name] = columns
    return RawTables(out)


def join_cases(parts: Sequence[RawTables], order: npt.NDArray[np.intp]) -> RawTables:
    """The cases of several chunks' raw tables as one chunk's, case row ``i`` the case
    ``order[i]`` of the parts one after another (``order`` a permutation), each case's
    rows in every table with it, in order."""
    tables = layout()
    joined: dict[str, dict[str, Any]] = {}
    for name, table in tables.items():
        columns: dict[str, Any] = {}
        for column in table.columns:
            pieces = [part[name][column.name] for part in parts]
            if column.name == "owner" and table.parent is not None:
                # each part's owners come after the parent rows of the parts before it
                starts = np.cumsum([0, *(_rows(part, table.parent) for part in parts[:-1])])
                pieces = [piece + start for piece, start in zip(pieces, starts, strict=True)]
            columns[column.name] = (
                np.concatenate(pieces) if pieces else np.zeros(0, dtype=_DTYPES[column.kind])
            )
        joined[name] = columns
    return _reordered(RawTables(joined), order)


def _rows(raw: RawTables, name: str) -> int:
    return len(next(iter(raw[name].values())))


def _reordered(raw: RawTables, order: npt.NDArray[np.intp]) -> RawTables:
    """The raw tables with case row ``i`` the case ``order[i]`` (a permutation)."""
    tables = layout()
    new_row: dict[str, npt.NDArray[np.intp]] = {}
    out: dict[str, dict[str, Any]] = {}
    for name, table in raw.tables.items():
        parent = tables[name].parent
        if parent is None:
            rows = np.asarray(order, dtype=np.intp)
            owner = None
        else:
            owner = new_row[parent][table["owner"]]
            rows = np.argsort(owner, kind="stable")  # (each parent's rows kept in order)
        renumbered = np.empty(len(rows), dtype=np.intp)
        renumbered[rows] = np.arange(len(rows), dtype=np.intp)
        new_row[name] = renumbered
        columns = {column: values[rows] for column, values in table.items()}
        if owner is not None:
            columns["owner"] = owner[rows].astype(table["owner"].dtype)
        out[name] = columns
    return RawTables(out)
