"""Raw tables written straight from decoded records (decision: columnar-reader).

:class:`RawWriter` appends each field of a record to per-column lists laid out
exactly as :func:`casework.columnar.raw.layout`, from the fast reader's msgspec
Structs (``casework._fastread``) or from :class:`~casework.Case` objects, with no
model object built on the way. Like the fast reader it is *generated from the
model* as Python source (one function per table and per flattened nested model),
so it cannot drift from the model, and a loop over field descriptions does not
cost several times more.

Reading a Struct (``strict``) it applies the fast reader's checks as it goes:
text with blanks at an end, the year range and no date after the record's
``as_of``, key counting (a key written twice), and an assessment written once
(``parts_with_assessment``). A record failing one is taken out again (every
table truncated to the rows before it) and :meth:`RawWriter.write_text` answers
``False``: the caller reads it the per-record way (fast reader, then pydantic),
which accepts it (then :meth:`RawWriter.write_case` writes its ``Case``) or gives
today's located error. The model's ``after`` validators (the contradiction
checks and each nested model's own) are not run here: the chunked reader runs
them on the tables (``casework.columnar.reader``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec
import numpy as np
from pydantic import BaseModel

from casework._fastread import _KEY_END, FastReader, _Builder, _FallbackError, _Plan
from casework._limits import Limits
from casework.columnar.raw import (
    _DTYPES,
    NO_DAY,
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

__all__ = ["RawWriter", "raw_from_records", "raw_writer"]

_UNSET = msgspec.UNSET
_EPOCH = dt.date(1970, 1, 1).toordinal()
_DEFAULT_LIMITS = Limits()
_SPACED_KEY = re.compile(r'"[ \t\r\n]+:')
_FIRST_AS_OF = dt.date(base.FIRST_YEAR, 1, 1)
_LAST_AS_OF = dt.date(base.LAST_YEAR, 12, 31)


class _Source:
    """Python source being written, with the objects it names."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {}
        self._ids: dict[int, str] = {}

    def const(self, prefix: str, value: Any) -> str:
        """A name in the generated module bound to ``value``."""
        known = self._ids.get(id(value))
        if known is not None and self.names[known] is value:
            return known
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        self._ids[id(value)] = name
        return name


def _ident(text: str) -> str:
    return re.sub(r"\W", "_", text)


class _Generator:
    """Writes the functions of the writer from the model, the fast reader's plans
    (the checks of each field) and the raw layout (the columns)."""

    def __init__(self, *, checking: bool = True) -> None:
        self.checking = checking
        """Whether the functions make the fast reader's checks (not for a ``Case``)."""
        self.builder = _Builder()
        self.builder.plan(Case, 1)
        self.plans: dict[type[BaseModel], _Plan] = self.builder.plans
        self.src = _Source()
        self.tables: dict[str, TableLayout] = {}
        self.columns: dict[str, list[Column]] = {}
        self.functions: list[list[str]] = []
        self._count = 0

    # -------------------------------------------------------------- helpers

    def append(self, table: str, column: str) -> str:
        return f"A_{_ident(table)}__{_ident(column)}"

    def spec_of(self, model: type[BaseModel], name: str) -> tuple[Any, ...]:
        for field, spec, *_ in self.plans[model].fields:
            if field == name:
                return spec
        raise KeyError(name)

    def fresh(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    # -------------------------------------------------------------- tables

    def table(self, model: type[BaseModel], name: str, parent: str | None) -> str:
        """The function writing one object of ``model`` as a row of table ``name``."""
        function = f"w_{_ident(name)}"
        columns: list[Column] = (
            [] if parent is None else [Column("owner", Kind.INT), Column("position", Kind.INT)]
        )
        self.tables[name] = TableLayout(name, parent, ())  # parents before children
        self.columns[name] = columns
        head = (
            [f"def {function}(s, as_of, strict):", f"    row = len(L_{_ident(name)})"]
            if parent is None
            else [
                f"def {function}(s, as_of, strict, owner, position):",
                f"    row = len(L_{_ident(name)})",
                f"    {self.append(name, 'owner')}(owner)",
                f"    {self.append(name, 'position')}(position)",
            ]
        )
        body = self.fields(model, name, "", columns, var="s", top=parent is None)
        self.tables[name] = TableLayout(name, parent, tuple(columns))
        first = columns[0].name
        self.src.names[f"L_{_ident(name)}"] = first  # replaced by the list when bound
        self.functions.append(
            [*head, "    k = 0", *(f"    {line}" for line in body), "    return k"]
        )
        return function

    def fields(
        self,
        model: type[BaseModel],
        table: str,
        prefix: str,
        columns: list[Column],
        *,
        var: str,
        top: bool = False,
    ) -> list[str]:
        """Statements writing each field of ``var`` (an object of ``model``) into ``table``,
        adding the number of keys given to ``k``."""
        lines: list[str] = []
        parts_once = model is OasysAssessment
        for name, info in model.model_fields.items():
            annotation, optional = _strip(info.annotation)
            column = f"{prefix}{name}"
            required = info.is_required()
            spec = self.spec_of(model, name)
            origin = typing.get_origin(annotation)
            lines.append(f"v = {var}.{name}")
            if top and model is Case and name == "as_of":
                # The record's own, or the date given for records without one (decided by
                # the caller): counted as a key only when written.
                columns.append(Column(column, Kind.DAY))
                lines += [
                    "if v is not UNSET:",
                    "    k += 1",
                    f"{self.append(table, column)}(as_of.toordinal() - EPOCH)",
                ]
                continue
            if _is_model(annotation):
                lines += self.nested(
                    annotation, info, table, column, columns, optional=optional, required=required
                )
            elif origin is tuple:
                lines += self.listed(annotation, info, table, column, spec=spec, required=required)
            elif origin is dict:
                lines += self.mapping(annotation, info, table, column, spec=spec, required=required)
            else:
                kind, enum_type = _scalar_kind(annotation, optional)
                columns.append(Column(column, kind, enum_type))
                write = self.scalar("v", kind, enum_type, spec, self.append(table, column))
                if parts_once and name == "parts_with_assessment" and self.checking:
                    write = ["if strict and v:", "    raise Fallback", *write]
                lines += self.unless_unset(
                    info,
                    required,
                    write,
                    [
                        f"{self.append(table, column)}("
                        f"{self.src.const('D', _encode(_default(info)(), kind, enum_type))})"
                    ],
                )
        return lines

    @staticmethod
    def unless_unset(info: Any, required: bool, write: list[str], default: list[str]) -> list[str]:
        if required:
            return ["k += 1", *write]
        return [
            "if v is UNSET:",
            *(f"    {line}" for line in default or ["pass"]),
            "else:",
            "    k += 1",
            *(f"    {line}" for line in write),
        ]

    def check(self, var: str, spec: tuple[Any, ...]) -> list[str]:
        kind = spec[0] if self.checking else None
        if kind == "text":
            return [f"if {var}.strip() != {var}:", "    raise Fallback"]
        if kind == "day":
            first = self.src.const("FIRST", dt.date(spec[1], 1, 1))
            return [f"if {var} < {first} or {var} > as_of:", "    raise Fallback"]
        return []

    def scalar(
        self,
        var: str,
        kind: Kind,
        enum_type: type[enum.Enum] | None,
        spec: tuple[Any, ...],
        append: str,
    ) -> list[str]:
        """Check ``var`` by ``spec`` and append its encoded value."""
        optional = spec[0] == "optional"
        inner = spec[1] if optional else spec
        checks = self.check(var, inner)
        if kind is Kind.DAY:
            value = f"{var}.toordinal() - EPOCH"
        elif kind is Kind.ENUM:
            assert enum_type is not None
            value = f"{self.src.const('CODES', _enum_codes(enum_type))}[{var}]"
        elif kind is Kind.OPTIONAL_BOOL:
            value = f"(1 if {var} else 0)"
        else:
            value = var
        present = [*checks, f"{append}({value})"]
        if not optional:
            return present
        none = {Kind.DAY: "NO_DAY", Kind.ENUM: "-1", Kind.OPTIONAL_BOOL: "-1", Kind.INT: "NO_INT"}
        return [
            f"if {var} is None:",
            f"    {append}({none.get(kind, 'None')})",
            "else:",
            *(f"    {line}" for line in present),
        ]

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
    ) -> list[str]:
        """A single nested model, flattened into the parent's table."""
        if optional:
            columns.append(Column(column, Kind.BOOL, presence=True))
        start = len(columns)
        var = self.fresh("s")
        # Inlined: a function per nested model costs a call per object.
        body = self.fields(model, table, f"{column}.", columns, var=var)
        absent = [
            f"{self.append(table, col.name)}({self.src.const('D', self.none_of(col))})"
            for col in columns[start:]
        ]
        presence = [f"{self.append(table, column)}(True)"] if optional else []
        present = [*presence, f"{var} = v", *body]
        if optional:
            present = [
                "if v is None:",
                f"    {self.append(table, column)}(False)",
                *(f"    {line}" for line in absent),
                "else:",
                *(f"    {line}" for line in present),
            ]
        default: list[str] = []
        factory = info.default_factory
        if required:
            pass
        elif factory is not None:
            if factory is not model or factory not in self.plans:
                raise TypeError(f"{column}: an unsupported default")
            empty = self.src.const("E", self.plans[model].struct())
            # its fields at their defaults, none of them a key of the record
            default = [*presence, "k0 = k", f"{var} = {empty}", *body, "k = k0"]
        else:
            if not optional or info.default is not None:
                raise TypeError(f"{column}: an unsupported default")
            default = [f"{self.append(table, column)}(False)", *absent]
        return self.unless_unset(info, required, present, default)

    @staticmethod
    def none_of(column: Column) -> Any:
        return {
            Kind.DAY: NO_DAY,
            Kind.ENUM: -1,
            Kind.BOOL: False,
            Kind.OPTIONAL_BOOL: -1,
            Kind.INT: int(np.iinfo(np.int64).min),
            Kind.TEXT: None,
        }[column.kind]

    def child_name(self, table: str, column: str) -> str:
        return column if table == "case" else f"{table}.{column}"

    def listed(
        self,
        annotation: Any,
        info: Any,
        table: str,
        column: str,
        *,
        spec: tuple[Any, ...],
        required: bool,
    ) -> list[str]:
        """A list: a child table, one row per item."""
        item, _ = _strip(annotation.__args__[0])
        child = self.child_name(table, column)
        self.no_default(info, column)
        if _is_model(item):
            function = self.table(item, child, table)
            write = [
                "if v:",
                "    for i, x in enumerate(v):",
                f"        k += {function}(x, as_of, strict, row, i)",
            ]
        else:
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
            spec = spec[1]  # ("tuple", item spec)
            write = [
                "if v:",
                "    for i, x in enumerate(v):",
                f"        {self.append(child, 'owner')}(row)",
                f"        {self.append(child, 'position')}(i)",
                *(
                    f"        {line}"
                    for line in self.scalar("x", kind, enum_type, spec, self.append(child, "value"))
                ),
            ]
            self.src.names[f"L_{_ident(child)}"] = "owner"
        return self.unless_unset(info, required, write, [])

    def mapping(
        self,
        annotation: Any,
        info: Any,
        table: str,
        column: str,
        *,
        spec: tuple[Any, ...],
        required: bool,
    ) -> list[str]:
        key, value = (_strip(arg)[0] for arg in annotation.__args__)
        key_kind = _scalar_kind(key, False)
        value_kind = _scalar_kind(value, False)
        child = self.child_name(table, column)
        self.no_default(info, column)
        self.tables[child] = TableLayout(
            child,
            table,
            (
                Column("owner", Kind.INT),
                Column("position", Kind.INT),
                Column("key", key_kind[0], key_kind[1]),
                Column("value", value_kind[0], value_kind[1]),
            ),
        )
        self.src.names[f"L_{_ident(child)}"] = "owner"
        if spec[0] == "optional":
            spec = spec[1]
        _, key_spec, value_spec = spec
        write = [
            "if v:",
            "    k += len(v)",
            "    for i, (y, x) in enumerate(v.items()):",
            f"        {self.append(child, 'owner')}(row)",
            f"        {self.append(child, 'position')}(i)",
            *(
                f"        {line}"
                for line in self.scalar("y", *key_kind, key_spec, self.append(child, "key"))
            ),
            *(
                f"        {line}"
                for line in self.scalar("x", *value_kind, value_spec, self.append(child, "value"))
            ),
        ]
        return self.unless_unset(info, required, write, [])

    @staticmethod
    def no_default(info: Any, column: str) -> None:
        default = _default(info)()
        if default:
            raise TypeError(f"{column}: a list or mapping with a default that is not empty")

    # -------------------------------------------------------------- compiling

    def compile(self) -> tuple[str, dict[str, TableLayout]]:
        self.table(Case, "case", None)
        tables = {name: self.tables[name] for name in self.tables}
        columns = [
            (table.name, column.name) for table in tables.values() for column in table.columns
        ]
        lists = {name: f"L_{_ident(name)}" for name in tables}
        outer = ["def bind(columns):"]
        for table, column in columns:
            values = f"columns[{table!r}][{column!r}]"
            outer.append(f"    {self.append(table, column)} = {values}.append")
        for name, local in lists.items():
            first = self.src.names.pop(local)
            outer.append(f"    {local} = columns[{name!r}][{first!r}]")
        for function in self.functions:
            outer.extend(f"    {line}" for line in function)
        outer.append("    return w_case")
        return "\n".join(outer), tables


@functools.cache
def _compiled(
    checking: bool = True,
) -> tuple[Callable[[dict[str, dict[str, list[Any]]]], Any], dict[str, TableLayout]]:
    """The writer's ``bind(columns)`` and layout; ``checking``: with the fast reader's
    checks (for Structs), or without them (for validated ``Case`` objects)."""
    generator = _Generator(checking=checking)
    source, tables = generator.compile()
    namespace: dict[str, Any] = {
        "UNSET": _UNSET,
        "Fallback": _FallbackError,
        "EPOCH": _EPOCH,
        "NO_DAY": NO_DAY,
        "NO_INT": int(np.iinfo(np.int64).min),
        **generator.src.names,
    }
    exec(source, namespace)  # (source generated from the model above)
    return namespace["bind"], tables


class RawWriter:
    """Per-column lists of one chunk's raw tables, written a record at a time.

    :meth:`write_text` reads one line of JSON text the fast way (or answers
    ``False``: read it the per-record way); :meth:`write_case` writes a validated
    ``Case``; :meth:`tables` gives the raw tables of the records written.
    """

    def __init__(self, limits: Limits = _DEFAULT_LIMITS) -> None:
        bind, tables = _compiled()
        self.layout = tables
        self.columns: dict[str, dict[str, list[Any]]] = {
            name: {column.name: [] for column in table.columns} for name, table in tables.items()
        }
        self._write = bind(self.columns)
        self._write_case = _compiled(checking=False)[0](self.columns)
        reader = _reader()
        self._decode = reader._decoder.decode
        self.fast = reader.fits(limits)
        self._values = min(limits.max_record_values, _DEFAULT_LIMITS.max_record_values)
        self.count = 0
        """Records written."""
        self.records: list[tuple[Any, dt.date] | None] = []
        """Per record written: its Struct and date when read from text, else ``None``."""

    def write_text(self, text: str, as_of: dt.date | None) -> bool:
        """Write the record in one line of JSON text; ``False`` (nothing written) when the
        fast path cannot accept it, as :meth:`casework._fastread.FastReader.read` decides."""
        if not self.fast or len(text) + 1 > self._values:
            return False
        try:
            struct: Any = self._decode(text)
        except Exception:  # msgspec.DecodeError (or anything): pydantic will say what
            return False
        record_as_of = struct.as_of
        if record_as_of is _UNSET:
            if type(as_of) is not dt.date:
                return False
            record_as_of = as_of
        if not _FIRST_AS_OF <= record_as_of <= _LAST_AS_OF:
            return False
        try:
            keys = self._write(struct, record_as_of, True)
        except Exception:  # _FallbackError (or anything): the per-record way will say what
            self._truncate()
            return False
        # (the keys counted as the fast reader counts them: _KEY_END; without blanks
        # before a colon, that is the number of '":')
        written = text.count('":') if _SPACED_KEY.search(text) is None else None
        if keys != (len(_KEY_END.findall(text)) if written is None else written):
            self._truncate()  # a key written twice (msgspec keeps the last), or \" before a colon
            return False
        self.count += 1
        self.records.append((struct, record_as_of))
        return True

    def write_case(self, case: Any) -> None:
        """Write a validated ``Case`` (or any object with the model's fields and values)."""
        self._write_case(case, case.as_of, False)
        self.count += 1
        self.records.append(None)

    def _truncate(self) -> None:
        """Take out a record written in part: every table back to the rows before it."""
        rows: dict[str, int] = {}
        for name, table in self.layout.items():
            columns = self.columns[name]
            if table.parent is None:
                kept = self.count
            else:
                kept = bisect.bisect_left(columns["owner"], rows[table.parent])
            rows[name] = kept
            for values in columns.values():
                del values[kept:]

    def tables(self) -> RawTables:
        """The raw tables of the records written (:func:`casework.columnar.raw.layout`)."""
        out: dict[str, dict[str, Any]] = {}
        for name, table in self.layout.items():
            columns = self.columns[name]
            out[name] = {
                column.name: _array(columns[column.name], column.kind) for column in table.columns
            }
        return RawTables(out)


def _array(values: list[Any], kind: Kind) -> Any:
    if kind is Kind.TEXT:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array(values, dtype=_DTYPES[kind])


@functools.cache
def _reader() -> FastReader:
    from casework._fastread import fast_reader  # noqa: PLC0415

    return fast_reader()


def raw_writer(limits: Limits = _DEFAULT_LIMITS) -> RawWriter:
    """A new writer (its lists empty)."""
    return RawWriter(limits)


def raw_from_records(cases: Iterable[Any]) -> RawTables:
    """The raw tables of validated cases through the generated writer (the fast
    equivalent of :func:`casework.columnar.raw.raw_from_cases` for ``Case`` objects)."""
    writer = RawWriter()
    for case in cases:
        writer.write_case(case)
    return writer.tables()


def same_layout(tables: Mapping[str, TableLayout]) -> bool:
    """Whether the writer's layout is the raw layout (a test checks it)."""
    return dict(tables) == dict(layout())
