"""Raw tables: a chunk of case records as plain columns, one table per repeated entity.

This is the layer between reading and the kernels. Its layout comes from the
:class:`~casework.Case` model itself (:func:`layout`), so it cannot drift from it:

* table ``"case"`` has one row per case; every other table has one row per item
  of a list (or entry of a mapping) field, named by the field's dotted path from
  the case (``"assessments"``, ``"sentence.requirements"``, ``"roh.risk_to"``,
  ``"judgements.answers"``), rows in record order (parents in order, then each
  parent's items in order), with ``owner``, the row of the parent in the
  parent's table, and ``position``, the item's index in its list;
* a single nested model is *flattened* into its parent's table under dotted names
  (``"sentence.kind"``, ``"assessments"``' ``"screening.completed_on"``); an
  optional one also has a presence column of its own name (``"screening"``:
  ``True`` where the model is there). The fields of an absent model hold their
  "none" value;
* values by kind (:class:`Kind`): dates as day numbers (``int64``, :data:`NO_DAY`
  for none), enum members as codes (``int16``, the member's index in the enum's
  order, ``-1`` for none; :func:`code_of`), ``bool`` as ``bool``, ``bool | None``
  as ``int8`` (``-1`` none, ``0``, ``1``), whole numbers as ``int64``
  (:data:`NO_INT` for none), text as an ``object`` array of ``str`` or ``None``;
* a list of plain values is a table with a ``value`` column; a mapping is a table
  with ``key`` and ``value`` columns.

A field left out of a record has the model's default, so raw tables read from a
record equal those read from the validated ``Case`` (:func:`raw_from_cases` is
the reference: it walks any objects with the model's field names, ``Case``
objects or the fast reader's Structs, where ``msgspec.UNSET`` stands for the
default).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Annotated, Any

import attrs
import msgspec
import numpy as np
import numpy.typing as npt
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from casework.model import Case

__all__ = [
    "NO_DAY",
    "NO_INT",
    "Column",
    "Kind",
    "RawTable",
    "RawTables",
    "TableLayout",
    "code_of",
    "codes_of",
    "layout",
    "lookup",
    "raw_from_cases",
    "same_tables",
]

RawTable = dict[str, npt.NDArray[Any]]
"""Equal-length columns by name; every table but ``"case"`` has ``owner`` and ``position``."""

#: A missing day in a day-number column.
NO_DAY = np.iinfo(np.int64).min
#: A missing whole number in an ``int64`` column.
NO_INT = np.iinfo(np.int64).min
_EPOCH = dt.date(1970, 1, 1).toordinal()
_UNSET = msgspec.UNSET


class Kind(enum.Enum):
    """How a plain value is held in a column."""

    DAY = "day"
    ENUM = "enum"
    BOOL = "bool"
    OPTIONAL_BOOL = "optional_bool"
    INT = "int"
    TEXT = "text"


@attrs.frozen
class Column:
    """One column of a table: its name, what it holds, and the model field it comes from."""

    name: str
    kind: Kind
    enum: type[enum.Enum] | None = None
    """The enum of an :attr:`Kind.ENUM` column."""
    presence: bool = False
    """A presence column of an optional nested model (kind BOOL)."""


@attrs.frozen
class TableLayout:
    """The columns of one raw table and the tables nested under it."""

    name: str
    parent: str | None
    columns: tuple[Column, ...]


@functools.cache
def _enum_codes(enum_type: type[enum.Enum]) -> dict[enum.Enum, int]:
    return {member: code for code, member in enumerate(enum_type)}


def code_of(member: enum.Enum) -> int:
    """The code of an enum member in a raw column (its index in the enum's order)."""
    return _enum_codes(type(member))[member]


def lookup(enum_type: type[enum.Enum], value: Callable[[Any], int]) -> npt.NDArray[np.int8]:
    """Per code of ``enum_type`` in a raw column, ``value(member)``: index it with a raw
    column to translate the codes (``lookup(RohLevel, rank)[raw["roh"]["level"]]``)."""
    out = np.zeros(len(_enum_codes(enum_type)), dtype=np.int8)
    for member, code in _enum_codes(enum_type).items():
        out[code] = value(member)
    return out


def codes_of(*members: enum.Enum) -> npt.NDArray[np.int16]:
    """The codes of several members, for ``np.isin``."""
    return np.asarray([code_of(member) for member in members], dtype=np.int16)


# ---------------------------------------------------------------- the layout from the model


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``Annotated`` and ``None``; whether ``None`` was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                raise TypeError(f"raw tables do not support the union {annotation!r}")
            annotation = args[0]
        else:
            return annotation, optional


def _scalar_kind(annotation: Any, optional: bool) -> tuple[Kind, type[enum.Enum] | None]:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Kind.ENUM, annotation
    if annotation is dt.date:
        return Kind.DAY, None
    if annotation is bool:
        return (Kind.OPTIONAL_BOOL if optional else Kind.BOOL), None
    if annotation is int:
        return Kind.INT, None
    if annotation is str:
        return Kind.TEXT, None
    raise TypeError(f"raw tables do not support the type {annotation!r}")


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


_Step = tuple[Any, ...]
"""A step of reading one object into its table: the attribute, a getter of its default,
and the action, a tuple tagged ``value`` (column, kind, enum), ``model`` (prefix, steps,
optional), ``list`` (table), ``scalars`` (table, kind, enum) or ``mapping`` (table, key
kind and enum, value kind and enum)."""


@attrs.frozen
class _Plan:
    tables: dict[str, TableLayout]
    steps: dict[str, tuple[_Step, ...]]
    """How one object of each table is read: its steps."""


def _default(info: Any) -> Callable[[], Any]:
    if info.default_factory is not None:
        return info.default_factory  # type: ignore[no-any-return]
    value = None if info.default is PydanticUndefined else info.default
    return lambda: value


@functools.cache
def _plan() -> _Plan:
    tables: dict[str, TableLayout] = {}
    steps: dict[str, tuple[_Step, ...]] = {}

    def model_steps(
        model: type[BaseModel], table: str, prefix: str, columns: list[Column]
    ) -> list[_Step]:
        out: list[_Step] = []
        for name, info in model.model_fields.items():
            annotation, optional = _strip(info.annotation)
            column = f"{prefix}{name}"
            default = _default(info)
            origin = typing.get_origin(annotation)
            if _is_model(annotation):
                if optional:
                    columns.append(Column(column, Kind.BOOL, presence=True))
                inner = model_steps(annotation, table, f"{column}.", columns)
                out.append((name, default, ("model", column, tuple(inner), optional)))
            elif origin is tuple:
                item, _ = _strip(typing.get_args(annotation)[0])
                child = column if table == "case" else f"{table}.{column}"
                if _is_model(item):
                    make_table(item, child, table)
                    out.append((name, default, ("list", child)))
                else:
                    kind, enum_type = _scalar_kind(item, False)
                    tables[child] = TableLayout(
                        child, table, (*_owned(), Column("value", kind, enum_type))
                    )
                    out.append((name, default, ("scalars", child, kind, enum_type)))
            elif origin is dict:
                key, value = (_strip(arg)[0] for arg in typing.get_args(annotation))
                key_kind = _scalar_kind(key, False)
                value_kind = _scalar_kind(value, False)
                child = column if table == "case" else f"{table}.{column}"
                tables[child] = TableLayout(
                    child,
                    table,
                    (
                        *_owned(),
                        Column("key", key_kind[0], key_kind[1]),
                        Column("value", value_kind[0], value_kind[1]),
                    ),
                )
                out.append((name, default, ("mapping", child, key_kind, value_kind)))
            else:
                kind, enum_type = _scalar_kind(annotation, optional)
                columns.append(Column(column, kind, enum_type))
                out.append((name, default, ("value", column, kind, enum_type)))
        return out

    def make_table(model: type[BaseModel], name: str, parent: str | None) -> None:
        columns: list[Column] = [] if parent is None else list(_owned())
        tables[name] = TableLayout(name, parent, ())  # keeps parents before children
        found = model_steps(model, name, "", columns)
        tables[name] = TableLayout(name, parent, tuple(columns))
        steps[name] = tuple(found)

    make_table(Case, "case", None)
    return _Plan(tables=tables, steps=steps)


def _owned() -> tuple[Column, Column]:
    return Column("owner", Kind.INT), Column("position", Kind.INT)


def layout() -> Mapping[str, TableLayout]:
    """Every raw table and its columns, parents before children, derived from the model."""
    return _plan().tables


# ---------------------------------------------------------------- the reference reader


#: The value of each kind of column for a value left out (the writers' too).
_NONE_OF: dict[Kind, Any] = {
    Kind.DAY: NO_DAY,
    Kind.ENUM: -1,
    Kind.BOOL: False,
    Kind.OPTIONAL_BOOL: -1,
    Kind.INT: NO_INT,
    Kind.TEXT: None,
}


def _encode(value: Any, kind: Kind, enum_type: type[enum.Enum] | None) -> Any:
    if value is None:
        return _NONE_OF[kind]
    if kind is Kind.DAY:
        return value.toordinal() - _EPOCH
    if kind is Kind.ENUM:
        assert enum_type is not None
        return _enum_codes(enum_type)[enum_type(value)]
    if kind is Kind.OPTIONAL_BOOL:
        return 1 if value else 0
    return value


_DTYPES: dict[Kind, Any] = {
    Kind.DAY: np.int64,
    Kind.ENUM: np.int16,
    Kind.BOOL: np.bool_,
    Kind.OPTIONAL_BOOL: np.int8,
    Kind.INT: np.int64,
    Kind.TEXT: object,
}


def _column(values: list[Any], kind: Kind) -> npt.NDArray[Any]:
    if kind is Kind.TEXT:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.asarray(values, dtype=_DTYPES[kind])


@attrs.frozen
class RawTables:
    """One chunk's raw tables by name (:func:`layout`)."""

    tables: Mapping[str, RawTable]

    def __getitem__(self, name: str) -> RawTable:
        return self.tables[name]

    def __len__(self) -> int:
        """The number of cases."""
        return len(self.tables["case"]["reference"])

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def children(self, name: str, owner: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """Rows of table ``name`` whose owner is in ``owner`` (a boolean per parent row
        would be ``np.flatnonzero(mask[table["owner"]])``; this is the same for rows)."""
        return np.flatnonzero(np.isin(self.tables[name]["owner"], owner))


def raw_from_cases(cases: Iterable[Any]) -> RawTables:
    """The raw tables of a chunk of cases (``Case`` objects or objects with the same
    field names; ``msgspec.UNSET`` is the model's default). The reference reader."""
    plan = _plan()
    values: dict[str, dict[str, list[Any]]] = {
        name: {column.name: [] for column in table.columns} for name, table in plan.tables.items()
    }
    counts = dict.fromkeys(plan.tables, 0)

    def read(obj: Any, steps: tuple[_Step, ...], table: str, present: bool) -> None:
        into = values[table]
        for attribute, default, action in steps:
            value = getattr(obj, attribute, _UNSET) if present else None
            if value is _UNSET:
                value = default()
            tag = action[0]
            if tag == "value":
                _, column, kind, enum_type = action
                into[column].append(_encode(value, kind, enum_type))
            elif tag == "model":
                _, column, inner, optional = action
                if optional:
                    into[column].append(value is not None)
                read(value, inner, table, value is not None)
            elif tag == "list":
                child = action[1]
                for position, item in enumerate(value or ()):
                    add_row(item, child, counts[table], position)
            elif tag == "scalars":
                _, child, kind, enum_type = action
                for position, item in enumerate(value or ()):
                    row = values[child]
                    row["owner"].append(counts[table])
                    row["position"].append(position)
                    row["value"].append(_encode(item, kind, enum_type))
                    counts[child] += 1
            else:  # mapping
                _, child, (key_kind, key_enum), (value_kind, value_enum) = action
                for position, (key, item) in enumerate((value or {}).items()):
                    row = values[child]
                    row["owner"].append(counts[table])
                    row["position"].append(position)
                    row["key"].append(_encode(key, key_kind, key_enum))
                    row["value"].append(_encode(item, value_kind, value_enum))
                    counts[child] += 1

    def add_row(obj: Any, table: str, owner: int | None, position: int) -> None:
        # A parent's row number is its count *before* its children are read, so the
        # count goes up after the object's own values (children refer to it).
        if owner is not None:
            values[table]["owner"].append(owner)
            values[table]["position"].append(position)
        read(obj, plan.steps[table], table, True)
        counts[table] += 1

    for case in cases:
        add_row(case, "case", None, 0)
    return RawTables(
        {
            name: {
                column.name: _column(values[name][column.name], column.kind)
                for column in table.columns
            }
            for name, table in plan.tables.items()
        }
    )


def same_tables(left: RawTables, right: RawTables) -> list[str]:
    """Where two chunks' raw tables differ (``table.column``); empty when equal."""
    out = []
    for name in sorted(set(left.tables) | set(right.tables)):
        a, b = left.tables.get(name), right.tables.get(name)
        if a is None or b is None:
            out.append(name)
            continue
        for column in sorted(set(a) | set(b)):
            if column not in a or column not in b or not _equal(a[column], b[column]):
                out.append(f"{name}.{column}")
    return out


def _equal(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.all(a == b))
