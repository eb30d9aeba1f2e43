"""Raw tables from JSON Lines by Arrow's native JSON reader (decision: native-json-reader).

The reader's fast path: a chunk's lines are parsed by ``pyarrow.json`` (in C++,
against an explicit schema derived from the model, so nothing is inferred) into
nested Arrow columns, and the raw tables (:func:`casework.columnar.raw.layout`)
are made from them with array operations only: list offsets give each child
table's owners and positions, struct validity gives a nested model's presence,
dates are read from the string buffers into day numbers, enum values become
codes by ``index_in``. No Python object is made per value, bar text.

**Exactness.** A line is *taken* only when this path can show that the raw
writer's strict way (``casework.columnar.rawread.write_lines``: msgspec, then its
checks) takes it with the same columns; every other line is left to that way
(and from there to pydantic), which takes it or gives today's located error. So:

* a line is fed to Arrow only if it is valid UTF-8, starts with ``{`` and ends
  with ``}`` (before its line end), and is within the limits; a line whose text
  breaks the parse (a type the schema refuses, bad JSON, a control character, a
  key given twice) is found by parsing halves of the lines again, and left;
  those checks make each line exactly one row (a line ending a top-level object
  is followed by a line starting one, else the parse fails; see ``_parsed``);
* Arrow cannot tell a key left out from a key given ``null``, and it drops keys
  the schema does not know (and mapping fields, not in the schema): so the keys
  Arrow read (the non-null ones) are counted per line against the keys of the
  line's text (each ``":``, as ``rawread`` counts them). A line with a null, an
  unknown key, a mapping or a key twice has more keys in its text and is left;
  with no null, a null in Arrow is a key left out, which takes the model's
  default (or fails, when required);
* each value is checked as msgspec and the strict writer check it: enum values
  exactly (``index_in`` over the members), dates written ``YYYY-MM-DD`` and real,
  from the field's first year and not after the record's ``as_of``, whole numbers
  within bounds, text lengths in code points, patterns by Python's ``re.search``
  (as msgspec), no blank at either end (as ``str.strip``), list items not null,
  ``parts_with_assessment`` not set, ``as_of`` given or the date given and within
  the years. Constraints come from the fast reader's Structs
  (``msgspec.inspect``), defaults and columns from the raw writer's plan, so
  neither is written here.

tests/columnar/test_arrowread.py proves, over fuzzed, mutated and hand-broken
lines, that the tables of the lines taken equal the strict writer's of the same
lines, and that every line taken is one it takes.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Sequence
from typing import Any

import attrs
import msgspec.inspect as mi
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.json as pj

from casework._fastread import _Builder
from casework._limits import DEFAULT_LIMITS, Limits
from casework.columnar.raw import _DTYPES, _NONE_OF, Kind, RawTables, layout
from casework.columnar.rawread import (
    _AsOf,
    _Entries,
    _Items,
    _Model,
    _planned,
    _positions,
    _Value,
    _Values,
    join_cases,
    select_cases,
)
from casework.model import base
from casework.model.case import Case

# Arrow's compute functions are called by name from the registry they live in, not through
# ``pyarrow.compute``: that module makes a Python function with its docstring for each of
# Arrow's some 290 compute functions when it is imported (about 30 ms in every command that
# reads a file, most of it parsing the docstrings), and the reader calls seven (decision:
# command-startup). ``pyarrow.compute`` re-exports these very names; a pyarrow that keeps
# them elsewhere is read through it.
try:
    from pyarrow._compute import CastOptions as _CastOptions
    from pyarrow._compute import SetLookupOptions as _SetLookupOptions
    from pyarrow._compute import call_function as _call_function
except ImportError:  # pragma: no cover - another pyarrow's layout
    from pyarrow.compute import CastOptions as _CastOptions
    from pyarrow.compute import SetLookupOptions as _SetLookupOptions
    from pyarrow.compute import call_function as _call_function

__all__ = [
    "NativeWritten",
    "Parsed",
    "Reading",
    "available",
    "parse_lines",
    "schema",
    "write_lines",
    "write_parsed",
]

_EPOCH = dt.date(1970, 1, 1).toordinal()
_FIRST_AS_OF = dt.date(base.FIRST_YEAR, 1, 1).toordinal() - _EPOCH
_LAST_AS_OF = dt.date(base.LAST_YEAR, 12, 31).toordinal() - _EPOCH
_Array = npt.NDArray[Any]
_Mask = npt.NDArray[np.bool_]
_OPEN, _CLOSE, _NEWLINE, _RETURN = ord("{"), ord("}"), ord("\n"), ord("\r")
_QUOTE, _COLON, _BLANK = ord('"'), ord(":"), ord(" ")
#: A key of JSON text: a quote, blanks, a colon (as casework._fastread counts keys).
_KEY_END = re.compile(rb'"[ \t\r\n]*:')
#: Per byte: it may start or end a character ``str.strip`` takes off (``str.isspace``):
#: such an ASCII character, or any byte of a character beyond ASCII (then the text is
#: asked, ``_blank_ends``).
_MAYBE_SPACE = np.array([chr(byte).isspace() or byte >= 0x80 for byte in range(256)])
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]
_NUMPY = {pa.int32().id: np.int32, pa.int64().id: np.int64}


class UnsupportedError(TypeError):
    """The model has a field this path cannot read (a casework defect: tests build the plan)."""


# ---------------------------------------------------------------- the plan, from the model


@attrs.frozen
class _Leaf:
    """A plain value: the raw writer's step and msgspec's constraints on it."""

    step: _Value
    arrow: pa.DataType
    members: pa.Array | None = None
    """An enum's values in the enum's order (the index is the code)."""
    ge: int | None = None
    le: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None


@attrs.frozen
class _Nested:
    """A single nested model (a struct)."""

    step: _Model
    nodes: tuple[_Node, ...]
    arrow: pa.DataType


@attrs.frozen
class _List:
    """A list of models (a list of structs) or of plain values."""

    step: _Items | _Values
    nodes: tuple[_Node, ...]
    """The item's fields (a list of models)."""
    leaf: _Leaf | None
    """The item (a list of plain values)."""
    arrow: pa.DataType


@attrs.frozen
class _Mapping:
    """A mapping: not in the schema (Arrow reads no maps); a line giving one is left."""

    step: _Entries


@attrs.frozen
class _Date:
    """The case's ``as_of``."""

    step: _AsOf


_Node = _Leaf | _Nested | _List | _Mapping | _Date


def _bare(kind: Any) -> Any:
    """The msgspec type without ``None`` (a null is never taken: keys are counted)."""
    if isinstance(kind, mi.UnionType):
        rest = [item for item in kind.types if not isinstance(item, mi.NoneType)]
        if len(rest) != 1:
            raise UnsupportedError(f"a union: {kind}")
        return rest[0]
    return kind


def _leaf(step: _Value, kind: Any) -> _Leaf:
    kind = _bare(kind)
    raw = step.kind
    if raw is Kind.DAY and isinstance(kind, mi.DateType):
        return _Leaf(step, pa.string())
    if raw is Kind.ENUM and isinstance(kind, mi.EnumType):
        values = [member.value for member in kind.cls]
        if all(type(value) is str for value in values):
            return _Leaf(step, pa.string(), _text_array(values))
        if all(type(value) is int for value in values):
            return _Leaf(step, pa.int64(), _int_array(np.array(values, dtype=np.int64)))
        raise UnsupportedError(f"{step.column}: an enum of mixed values")
    if raw in (Kind.BOOL, Kind.OPTIONAL_BOOL) and isinstance(kind, mi.BoolType):
        return _Leaf(step, pa.bool_())
    if raw is Kind.INT and isinstance(kind, mi.IntType):
        if kind.gt is not None or kind.lt is not None or kind.multiple_of is not None:
            raise UnsupportedError(f"{step.column}: a constraint not known here")
        return _Leaf(step, pa.int64(), ge=kind.ge, le=kind.le)
    if raw is Kind.TEXT and isinstance(kind, mi.StrType):
        pattern = None if kind.pattern is None else re.compile(kind.pattern)
        return _Leaf(
            step,
            pa.string(),
            min_length=kind.min_length,
            max_length=kind.max_length,
            pattern=pattern,
        )
    raise UnsupportedError(f"{step.column}: {raw} read as {kind}")


def _nodes(steps: tuple[Any, ...], struct: Any) -> tuple[_Node, ...]:
    fields = {field.name: field for field in struct.fields}
    if len(fields) != len(steps):
        raise UnsupportedError(f"{struct.cls.__name__}: fields and steps differ")
    nodes: list[_Node] = []
    for step in steps:
        name = "as_of" if isinstance(step, _AsOf) else step.attribute
        field = fields[name]
        if field.encode_name != name:
            raise UnsupportedError(f"{name}: renamed")
        kind = _bare(field.type)
        if isinstance(step, _AsOf):
            if not isinstance(kind, mi.DateType):
                raise UnsupportedError("as_of: not a date")
            nodes.append(_Date(step))
        elif isinstance(step, _Value):
            nodes.append(_leaf(step, kind))
        elif isinstance(step, _Model):
            if not isinstance(kind, mi.StructType):
                raise UnsupportedError(f"{name}: not a model")
            inner = _nodes(step.steps, kind)
            nodes.append(_Nested(step, inner, _struct(inner)))
        elif isinstance(step, _Items):
            if not isinstance(kind, mi.VarTupleType) or not isinstance(
                kind.item_type, mi.StructType
            ):
                raise UnsupportedError(f"{name}: not a list of models")
            inner = _nodes(step.steps, kind.item_type)
            nodes.append(_List(step, inner, None, pa.list_(_struct(inner))))
        elif isinstance(step, _Values):
            if not isinstance(kind, mi.VarTupleType):
                raise UnsupportedError(f"{name}: not a list")
            item = _leaf(step.value, kind.item_type)
            nodes.append(_List(step, (), item, pa.list_(item.arrow)))
        else:  # a mapping
            if step.required or not isinstance(kind, mi.DictType):
                raise UnsupportedError(f"{name}: a required mapping")
            nodes.append(_Mapping(step))
    return tuple(nodes)


def _struct(nodes: tuple[_Node, ...]) -> pa.DataType:
    return pa.struct(_fields(nodes))


def _fields(nodes: tuple[_Node, ...]) -> list[pa.Field]:
    out = []
    for node in nodes:
        if isinstance(node, _Mapping):
            continue
        if isinstance(node, _Date):
            out.append(pa.field("as_of", pa.string()))
        else:
            out.append(pa.field(node.step.attribute, node.arrow))
    return out


@attrs.frozen
class _Plan:
    nodes: tuple[_Node, ...]
    schema: pa.Schema
    max_depth: int
    max_digits: int


@functools.cache
def _plan() -> _Plan:
    _, steps = _planned()
    builder = _Builder()
    struct = builder.plan(Case, 1).struct
    nodes = _nodes(steps["case"], mi.type_info(struct))
    return _Plan(nodes, pa.schema(_fields(nodes)), builder.max_depth, builder.max_digits)


def available() -> bool:
    """Whether this path can read the model (it always can: a test builds the plan)."""
    try:
        _plan()
    except UnsupportedError:  # pragma: no cover - a defect the tests would show
        return False
    return True


def schema() -> pa.Schema:
    """The explicit Arrow schema of a case record (derived from the model)."""
    return _plan().schema


# ---------------------------------------------------------------- parsing


def _fits(limits: Limits) -> bool:
    plan = _plan()
    return plan.max_depth <= min(
        limits.max_depth, DEFAULT_LIMITS.max_depth
    ) and plan.max_digits <= min(limits.max_number_digits, DEFAULT_LIMITS.max_number_digits)


def _read(
    data: bytes, longest: int, threads: bool, schema: pa.Schema, unknown: str
) -> pa.Table | None:
    """The records of ``data`` (whole lines), or ``None`` when Arrow refuses them."""
    block = max(longest + 2, (len(data) // 2 + longest + 2) if threads else len(data) + 1, 1 << 16)
    try:
        return pj.read_json(
            pa.BufferReader(data),
            read_options=pj.ReadOptions(use_threads=threads, block_size=block),
            memory_pool=pa.system_memory_pool(),
            parse_options=pj.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior=unknown
            ),
        )
    except (pa.ArrowException, ValueError):
        return None


_Path = tuple[str, ...]


class Reading:
    """One file's (or stream's) reading by this path: whether Arrow parses on its thread
    pool, and the fields the file's records have given so far.

    Arrow parses faster against a schema of the fields a file uses than against the
    model's every field (each field of the schema costs per record). A group of lines
    is parsed against the fields seen so far with a field not among them an error; on
    an error, against the model's schema (a field not in it ignored: the keys are
    counted), and the fields that group gives are added to those seen. Either way the
    columns are the same: a field a schema leaves out is read as given by no record.
    """

    def __init__(self, *, threads: bool = False) -> None:
        self.threads = threads
        self._seen: set[_Path] = set()
        self._schema: pa.Schema | None = None
        self._short = 0

    #: Chunks in a row where this path takes fewer than half the lines (records with a
    #: mapping, RoH ``risk_to`` or ``judgements``, which Arrow cannot read; or errors)
    #: after which the reading stops parsing with Arrow: the lines would be parsed twice.
    GIVE_UP = 2

    @property
    def idle(self) -> bool:
        """Whether this reading has stopped parsing with Arrow (:attr:`GIVE_UP`)."""
        return self._short >= self.GIVE_UP

    def tally(self, taken: int, lines: int) -> None:
        """Count a chunk: ``taken`` of its ``lines`` taken."""
        self._short = self._short + 1 if 2 * taken < lines else 0

    #: Lines of a file's first group read first on their own (:meth:`learn`).
    SAMPLE = 64

    def learn(self, lines: Sequence[bytes]) -> None:
        """Before a file's first group: read its first :attr:`SAMPLE` lines for the fields
        the file uses, so the group is read against those, as every later group is, not
        against the model's every field (slower per record, and its table slower to
        write). A field the sample lacks is found as any later group's is; a sample
        Arrow refuses teaches nothing."""
        if self._schema is None and len(lines) > self.SAMPLE:
            sample = lines[: self.SAMPLE]
            self.read(b"".join(sample), max(map(len, sample)))

    def read(self, data: bytes, longest: int) -> pa.Table | None:
        """The records of ``data``, or ``None`` when Arrow refuses them."""
        if self._schema is not None:
            table = _read(data, longest, self.threads, self._schema, "error")
            if table is not None:
                return table
        table = _read(data, longest, self.threads, _plan().schema, "ignore")
        if table is not None:
            before = len(self._seen)
            for field, column in zip(table.schema, table.columns, strict=True):
                _given(column.combine_chunks(), (field.name,), self._seen)
            if len(self._seen) != before or self._schema is None:
                self._schema = pa.schema(_only(list(_plan().schema), (), self._seen))
        return table


def _given(array: pa.Array, path: _Path, seen: set[_Path]) -> None:
    """Add the path of each field with a value in ``array`` (at ``path``) to ``seen``."""
    if array.null_count == len(array):
        return
    seen.add(path)
    kind = array.type
    if pa.types.is_list(kind):
        array = _call("list_flatten", array)  # (what ListArray.flatten calls)
        kind = array.type
    if pa.types.is_struct(kind):
        for index, field in enumerate(kind):
            _given(array.field(index), (*path, field.name), seen)


def _only(fields: list[pa.Field], path: _Path, seen: set[_Path]) -> list[pa.Field]:
    """The fields at ``path`` that ``seen`` holds, and theirs within them."""
    out = []
    for field in fields:
        inner = (*path, field.name)
        if inner not in seen:
            continue
        kind = field.type
        if pa.types.is_list(kind) and pa.types.is_struct(kind.value_type):
            kind = pa.list_(pa.struct(_only(list(kind.value_type), inner, seen)))
        elif pa.types.is_struct(kind):
            kind = pa.struct(_only(list(kind), inner, seen))
        out.append(pa.field(field.name, kind))
    return out


def _parsed(
    lines: list[bytes], reading: Reading, joined: bytes | None = None
) -> tuple[list[pa.Table], list[list[int]]]:
    """The tables of the lines Arrow reads, and the indexes of each one's lines, in order.

    Every line starts with ``{`` and ends with ``}`` (then its line end): a line's last
    ``}`` can only end a top-level object, as the next line's ``{`` could follow
    nothing else (and a string cannot run past a line end: Arrow refuses control
    characters in strings), so a group of lines read without error holds at least one
    row per line, and exactly one each when its rows are as many as its lines. A
    group Arrow refuses, or with more rows, is read again in halves, down to the line.
    ``joined``: the lines joined, where the caller has them (not joined again).
    """
    tables: list[pa.Table] = []
    indexes: list[list[int]] = []
    # (a loop, not a recursive closure: a closure's cycle would keep each chunk's lines
    # and tables until the garbage collector's oldest generation is collected)
    reading.learn(lines)
    spans = [(0, len(lines))] if lines else []
    while spans:
        start, stop = spans.pop()
        group = lines[start:stop]
        whole = joined if joined is not None and stop - start == len(lines) else None
        table = reading.read(b"".join(group) if whole is None else whole, max(map(len, group)))
        if table is not None and table.num_rows == stop - start:
            tables.append(table)
            indexes.append(list(range(start, stop)))
        elif stop - start > 1:
            middle = (start + stop) // 2
            spans += [(middle, stop), (start, middle)]  # (the first half next)
    return tables, indexes


def _lengths(lines: Sequence[bytes]) -> npt.NDArray[np.int64]:
    return np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))


def _shaped_lines(lengths: npt.NDArray[np.int64], joined: bytes) -> _Mask:
    """Of each line (of these ``lengths``, ``joined``), whether it starts with ``{`` and
    ends with ``}``, then ``\\n`` or ``\\r\\n``; with no Python per line (the parse runs
    on a worker beside the interpreter, and needs its lock for this)."""
    if not joined:
        return np.zeros(len(lengths), dtype=bool)
    text = np.frombuffer(joined, dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    end = starts + lengths
    filled = lengths > 0
    last = np.where(filled, end - 1, 0)
    ended = filled & (text[last] == _NEWLINE)
    end = end - ended
    before = np.where(end > starts, end - 1, 0)
    end = end - (ended & (end > starts) & (text[before] == _RETURN))
    shaped: _Mask = end - starts >= 2
    rows = np.flatnonzero(shaped)
    shaped[rows] = (text[starts[rows]] == _OPEN) & (text[end[rows] - 1] == _CLOSE)
    return shaped


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")  # (the text is decoded again when a case is built)
    except UnicodeDecodeError:
        return False
    return True


# ---------------------------------------------------------------- writing the tables


def _call(name: str, *arrays: Any, options: Any = None) -> Any:
    """Arrow's compute function ``name`` of ``arrays``, with its default options unless
    given (what ``pyarrow.compute.<name>`` calls; for ``cast``, ``safe`` options)."""
    return _call_function(name, list(arrays), options)


# Arrays to and from numpy through their buffers: pyarrow's own conversions (to_numpy,
# pa.array of a list or an array) import pandas, half a second and 35 MB on first use.


def _numbers(array: pa.Array, none: int = 0) -> _Array:
    """The values of a numeric array as a new numpy array, ``none`` for a null."""
    dtype = _NUMPY[array.type.id]
    stored = np.frombuffer(array.buffers()[1], dtype=dtype, count=array.offset + len(array))
    out = stored[array.offset :].copy()
    if array.null_count:
        out[~_valid(array)] = none
    return out


def _bits(array: pa.Array, none: bool = False) -> _Mask:
    """The values of a boolean array as a numpy array, ``none`` for a null."""
    stored = np.frombuffer(array.buffers()[1], dtype=np.uint8)
    bits = np.unpackbits(stored, count=array.offset + len(array), bitorder="little")
    out = bits[array.offset :].astype(bool)
    if array.null_count:
        out[~_valid(array)] = none
    return out


def _int_array(values: _Array) -> pa.Array:
    return pa.Array.from_buffers(
        pa.int64(), len(values), [None, pa.py_buffer(np.ascontiguousarray(values, np.int64))]
    )


def _bool_array(values: _Mask) -> pa.Array:
    packed = np.packbits(values, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(packed)])


def _text_array(values: Sequence[str]) -> pa.Array:
    encoded = [value.encode("utf-8", "surrogatepass") for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(value) for value in encoded], out=offsets[1:])
    return pa.StringArray.from_buffers(
        len(encoded), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))
    )


def _valid(array: pa.Array) -> _Mask:
    if array.null_count == 0:
        return np.ones(len(array), dtype=bool)
    stored = np.frombuffer(array.buffers()[0], dtype=np.uint8)
    bits = np.unpackbits(stored, count=array.offset + len(array), bitorder="little")
    return bits[array.offset :].astype(bool)


def _strings(array: pa.Array) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], _Array]:
    """A string array's starts and lengths in bytes, and its bytes."""
    buffers = array.buffers()
    stored = np.frombuffer(buffers[1], dtype=np.int32, count=array.offset + len(array) + 1)
    offsets: npt.NDArray[np.int64] = stored[array.offset :].astype(np.int64)
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.zeros(0, dtype=np.uint8)
    )
    return offsets[:-1], np.diff(offsets), data


def _day_numbers(array: pa.Array, given: _Mask) -> tuple[npt.NDArray[np.int64], _Mask]:
    """Day numbers of dates written ``YYYY-MM-DD`` where ``given``; the rows given that
    are not such a date (msgspec's RFC 3339 dates), or are of year 0.

    Arrow's cast to ``date32`` reads a column's dates in C++, ten times as fast as the
    digits are read here (:func:`_day_numbers_by_digits`). It takes exactly the strings
    of ten bytes that the digits take (four digits, ``-``, two, ``-``, two, a real day;
    no string of another length: tests/columnar/test_arrowread.py), and year 0, which is
    refused here; a column with any string it refuses (given or not) is read by the
    digits instead."""
    try:
        parsed = _call("cast", array, options=_CastOptions.safe(pa.date32()))
    except pa.ArrowInvalid:
        return _day_numbers_by_digits(array, given)
    stored = np.frombuffer(parsed.buffers()[1], dtype=np.int32, count=parsed.offset + len(parsed))
    days = stored[parsed.offset :].astype(np.int64)
    bad = given & (~_valid(parsed) | (days < _YEAR_ONE))
    return np.where(given & ~bad, days, 0), bad


#: The day number of 1 January of year 1 (the first day ``datetime.date`` holds).
_YEAR_ONE = dt.date(1, 1, 1).toordinal() - _EPOCH


def _day_numbers_by_digits(array: pa.Array, given: _Mask) -> tuple[npt.NDArray[np.int64], _Mask]:
    """:func:`_day_numbers`, read from the digits of the string buffer."""
    out = np.zeros(len(array), dtype=np.int64)
    starts, lengths, data = _strings(array)
    ok = given & (lengths == 10)
    bad = given & ~ok
    count = int(np.count_nonzero(ok))
    if not count:
        return out, bad
    at = starts[ok]
    first = int(at[0])
    if int(lengths.sum()) == 10 * count and int(at[-1]) == first + 10 * (count - 1):
        chars = data[first : first + 10 * count].reshape(count, 10)  # (the common case)
    else:
        chars = data[at[:, None] + np.arange(10)]
    digits = chars - np.uint8(ord("0"))  # (a byte that is not a digit wraps past 9)
    good = (digits[:, _DIGITS] <= 9).all(axis=1)
    good &= (chars[:, 4] == ord("-")) & (chars[:, 7] == ord("-"))
    digits = digits.astype(np.int32)
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 5] * 10 + digits[:, 6]
    day = digits[:, 8] * 10 + digits[:, 9]
    good &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    month = np.where(good, month, 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    good &= day <= _DAYS_IN_MONTH[month] + ((month == 2) & leap)
    # days from the civil date (H. Hinnant's days_from_civil), in whole numbers
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    of_cycle = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    out[ok] = np.where(good, era.astype(np.int64) * 146097 + of_cycle - 719468, 0)
    if not good.all():
        bad[np.flatnonzero(ok)[~good]] = True
    return out, bad


def _blank_ends(array: pa.Array, given: _Mask) -> _Mask:
    """Rows given whose text has a blank at an end (``str.strip`` would change it)."""
    starts, lengths, data = _strings(array)
    filled = given & (lengths > 0)
    if not filled.any():
        return np.zeros(len(array), dtype=bool)
    first = data[starts[filled]]
    last = data[starts[filled] + lengths[filled] - 1]
    maybe = np.zeros(len(array), dtype=bool)
    maybe[filled] = _MAYBE_SPACE[first] | _MAYBE_SPACE[last]
    out = np.zeros(len(array), dtype=bool)
    for row in np.flatnonzero(maybe).tolist():  # (a character beyond ASCII at an end)
        text = array[row].as_py()
        out[row] = text.strip() != text
    return out


class _Writer:
    """One chunk's raw tables being made from its Arrow records."""

    def __init__(self, size: int, as_of: npt.NDArray[np.int64]) -> None:
        self.as_of = as_of
        self.tables: dict[str, dict[str, _Array]] = {"case": {}}
        self.case_of: dict[str, npt.NDArray[np.intp]] = {"case": np.arange(size, dtype=np.intp)}
        self.keys: dict[str, npt.NDArray[np.int64]] = {"case": np.zeros(size, dtype=np.int64)}
        self.failed = np.zeros(size, dtype=bool)

    def fail(self, table: str, rows: _Mask) -> None:
        if rows.any():
            self.failed[self.case_of[table][rows]] = True

    def fields(
        self,
        table: str,
        nodes: tuple[_Node, ...],
        objects: pa.StructArray,
        exists: _Mask,
        given: _Mask,
    ) -> None:
        """Write the fields of ``objects`` into ``table`` (a row per object): ``exists``,
        the rows where the object is (given, or the model's default); ``given``, where
        its text gives it."""
        for node in nodes:
            if isinstance(node, _Date):
                continue  # (written first: the other dates are checked against it)
            if isinstance(node, _Mapping):
                self.empty(node.step.child, table)
                continue
            index = objects.type.get_field_index(node.step.attribute)
            array = (
                objects.field(index) if index >= 0 else pa.nulls(len(objects), type=node.arrow)
            )  # (a field the schema left out: no record gives it)
            present = given & _valid(array)
            self.keys[table] += present
            if node.step.required:
                self.fail(table, exists & ~present)
            if isinstance(node, _Leaf):
                self.tables[table][node.step.column] = self.leaf(
                    table, node, array, exists, present
                )
            elif isinstance(node, _Nested):
                self.nested(table, node, array, exists, present)
            else:
                self.listed(table, node, array, present)

    def nested(
        self, table: str, node: _Nested, array: pa.Array, exists: _Mask, present: _Mask
    ) -> None:
        step = node.step
        # absent: none (optional) or a failure (required); or, with a default model, that
        # model (its fields at their defaults)
        inner = present if step.empty is None else exists
        if step.optional:
            self.tables[table][step.columns[0].name] = inner.copy()
        self.fields(table, node.nodes, array, inner, present)

    def listed(self, table: str, node: _List, array: pa.Array, present: _Mask) -> None:
        offsets = _numbers(array.offsets).astype(np.int64)
        lengths = np.where(present, np.diff(offsets), 0)
        starts = offsets[:-1]
        values = array.values
        total = int(lengths.sum())
        first = int(starts[present][0]) if total else 0
        # the items of the rows given: a slice when they are contiguous (always, but for
        # rows not given whose items Arrow kept), else taken
        span = np.flatnonzero(present)
        contiguous = total == 0 or (
            int(offsets[span[-1] + 1]) - first == total
            and bool((starts[span][1:] == offsets[span[:-1] + 1]).all())
        )
        if contiguous:
            items = values.slice(first, total)
        else:  # pragma: no cover - Arrow leaves no items under a null list
            index = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
            items = _call("take", values, _int_array(index))
        owner = np.repeat(np.arange(len(lengths), dtype=np.intp), lengths)
        child = node.step.child
        self.case_of[child] = self.case_of[table][owner]
        self.tables[child] = {"owner": owner.astype(np.int64), "position": _positions(lengths)}
        self.keys[child] = np.zeros(total, dtype=np.int64)
        everywhere = np.ones(total, dtype=bool)
        self.fail(child, ~_valid(items))  # (a null item)
        if node.leaf is not None:
            self.tables[child]["value"] = self.leaf(child, node.leaf, items, everywhere, everywhere)
            return
        self.fields(child, node.nodes, items, everywhere, everywhere & _valid(items))

    def empty(self, child: str, parent: str) -> None:
        """A table no line taken has rows of (a mapping)."""
        self.tables[child] = {
            column.name: np.zeros(0, dtype=_DTYPES[column.kind])
            for column in layout()[child].columns
        }
        self.case_of[child] = np.zeros(0, dtype=np.intp)

    def leaf(
        self, table: str, node: _Leaf, array: pa.Array, exists: _Mask, present: _Mask
    ) -> _Array:
        """The column of a plain value: checked where present, the default where it is
        left out, none where its object is not."""
        step = node.step
        kind = step.kind
        absent = exists & ~present
        none = ~exists
        out: _Array
        if not present.any():  # (a field no record gives: common, and quick to tell)
            out = np.full(len(present), step.default, dtype=_DTYPES[kind])
            if none.any():
                out[none] = _NONE_OF[kind]
            return out
        if kind is Kind.DAY:
            out, bad = _day_numbers(array, present)
            self.fail(table, bad)
            assert step.first is not None
            late = out > self.as_of[self.case_of[table]]
            self.fail(table, present & ~bad & ((out < step.first) | late))
        elif kind is Kind.ENUM:
            assert node.members is not None
            codes = _call("index_in", array, options=_SetLookupOptions(node.members))
            out = _numbers(codes, -1).astype(np.int16)
            self.fail(table, present & (out < 0))
        elif kind is Kind.BOOL or kind is Kind.OPTIONAL_BOOL:
            out = _bits(array, False)
            if step.once:
                self.fail(table, present & out)
            if kind is Kind.OPTIONAL_BOOL:
                out = out.astype(np.int8)
        elif kind is Kind.INT:
            out = _numbers(array, 0).astype(np.int64)
            if node.ge is not None:
                self.fail(table, present & (out < node.ge))
            if node.le is not None:
                self.fail(table, present & (out > node.le))
        else:
            out = self.text(table, node, array, present)
        if absent.any():
            out[absent] = step.default
        if none.any():
            out[none] = _NONE_OF[kind]
        return out

    def text(self, table: str, node: _Leaf, array: pa.Array, present: _Mask) -> _Array:
        out: _Array = np.empty(len(array), dtype=object)
        out[:] = array.to_pylist()
        _, lengths, _ = _strings(array)
        if node.min_length is not None:  # (a code point takes at least a byte)
            self.fail(table, present & (lengths < node.min_length))
        if node.max_length is not None and (present & (lengths > node.max_length)).any():
            points = _numbers(_call("utf8_length", array), 0)
            self.fail(table, present & (points > node.max_length))
        if node.pattern is not None:
            search = node.pattern.search
            given = _call("filter", array, _bool_array(present))
            unmatched = [
                value for value in _call("unique", given).to_pylist() if search(value) is None
            ]
            if unmatched:
                found = _call("is_in", array, options=_SetLookupOptions(_text_array(unmatched)))
                self.fail(table, present & _bits(found, False))
        if node.step.text:
            self.fail(table, _blank_ends(array, present))
        return out

    def case_keys(self) -> npt.NDArray[np.int64]:
        size = len(self.failed)
        out = np.zeros(size, dtype=np.int64)
        for name, keys in self.keys.items():
            if len(keys):
                out += np.bincount(self.case_of[name], weights=keys, minlength=size).astype(
                    np.int64
                )
        return out

    def raw(self) -> RawTables:
        return RawTables(
            {
                name: {column.name: self.tables[name][column.name] for column in table.columns}
                for name, table in layout().items()
            }
        )


def _as_of(
    array: pa.Array, given_as_of: dt.date | None
) -> tuple[npt.NDArray[np.int64], _Mask, _Mask]:
    """Each record's ``as_of`` as a day number (its own, or the date given), whether its
    text gives it, and the records that cannot take it (no date; not a date in range)."""
    given = _valid(array)
    days, bad = _day_numbers(array, given)
    if not given.all():
        if type(given_as_of) is dt.date:
            days[~given] = given_as_of.toordinal() - _EPOCH
        else:
            bad |= ~given
    bad |= (days < _FIRST_AS_OF) | (days > _LAST_AS_OF)
    return days, given, bad


def _text_keys(data: bytes) -> int | None:
    """The keys of these lines (each ``":``), or ``None`` when a quote is followed by a
    blank (a key may be spaced from its colon: then count line by line)."""
    text = np.frombuffer(data, dtype=np.uint8)
    quote = text[:-1] == _QUOTE
    after = text[1:]
    if (quote & (after <= _BLANK)).any():
        return None
    return int(np.count_nonzero(quote & (after == _COLON)))


#: Lines whose keys :func:`_lines_keys` counts at once (its arrays a few of their size).
_KEYS_AT_ONCE = 256


def _lines_keys(lines: list[bytes]) -> int | None:
    """:func:`_text_keys` of the lines joined, counted a few lines at a time (a key's
    quote and colon, or a quote and a blank, are never in two lines: each line ends
    with its line end)."""
    total = 0
    for start in range(0, len(lines), _KEYS_AT_ONCE):
        keys = _text_keys(b"".join(lines[start : start + _KEYS_AT_ONCE]))
        if keys is None:
            return None
        total += keys
    return total


def _line_keys(lines: list[bytes]) -> npt.NDArray[np.int64]:
    """Per line, its keys as the fast reader counts them (``"``, blanks, ``:``)."""
    return np.array([len(_KEY_END.findall(line)) for line in lines], dtype=np.int64)


def _write(table: pa.Table, lines: list[bytes], as_of: dt.date | None) -> tuple[RawTables, _Mask]:
    """The raw tables of the records of ``table`` (one per line of ``lines``), and which
    of them fail a check (their rows are in the tables: the caller drops them)."""
    plan = _plan()
    records = pa.StructArray.from_arrays(
        [column.combine_chunks() for column in table.columns], fields=list(table.schema)
    )
    size = len(records)
    stated_as_of = records.type.get_field_index("as_of")
    days, stated, bad = _as_of(
        records.field(stated_as_of) if stated_as_of >= 0 else pa.nulls(size, pa.string()), as_of
    )
    writer = _Writer(size, days)
    writer.failed |= bad
    writer.keys["case"] += stated
    everywhere = np.ones(size, dtype=bool)
    writer.tables["case"]["as_of"] = days
    writer.fields("case", plan.nodes, records, everywhere, everywhere)
    keys = writer.case_keys()
    total = _lines_keys(lines)
    if total != int(keys.sum()):
        writer.failed |= keys != _line_keys(lines)
    return writer.raw(), writer.failed


@attrs.frozen
class NativeWritten:
    """The lines of a chunk this path took, as raw tables."""

    raw: RawTables
    """The tables of the lines taken, in line order."""
    taken: list[bool]
    """Per line: taken (a row of :attr:`raw`), or left to the strict writer's way."""
    records: list[bytes]
    """Each line taken (row for row), as given: valid UTF-8."""


@attrs.frozen
class Parsed:
    """A batch of lines as Arrow parsed them (:func:`parse_lines`), to be written
    (:func:`write_parsed`): the first step, which a worker thread can take while the
    last batch is used (Arrow's parse holds no lock)."""

    lines: Sequence[bytes]
    """The batch's lines, as given to :func:`parse_lines`."""
    tried: bool
    """Whether the lines were offered to Arrow (not when the limits are tighter than this
    path's, or the reading has given up: :attr:`Reading.idle`)."""
    candidates: list[int]
    """The index of each line fed to Arrow."""
    fed: list[bytes]
    """Each line fed, ended by a line end."""
    tables: list[pa.Table]
    """The tables of the groups of fed lines Arrow read, one row a line."""
    groups: list[list[int]]
    """The index (in :attr:`fed`) of each table's lines."""


def parse_lines(
    lines: Sequence[bytes], limits: Limits = DEFAULT_LIMITS, *, reading: Reading
) -> Parsed:
    """Parse the lines of a batch this path may take (:func:`write_lines`' first step)."""
    if not _fits(limits) or reading.idle:
        return Parsed(lines, False, [], [], [], [])
    most = min(limits.max_record_values, DEFAULT_LIMITS.max_record_values)
    # (a line's characters are at most its bytes: the values limit as rawread checks it)
    joined = b"".join(lines)
    lengths = _lengths(lines)
    fits = _shaped_lines(lengths, joined) & (lengths + 1 <= most)
    candidates: list[int] = np.flatnonzero(fits).tolist()
    if not joined.isascii():  # (text in ASCII is UTF-8: else each line is decoded)
        candidates = [index for index in candidates if _utf8(lines[index])]
    fed = [_ended(lines[index]) for index in candidates]
    # (every line offered, as given: Arrow reads the text already joined, not a copy)
    same = len(fed) == len(lines) and all(map(operator.is_, fed, lines))
    tables, groups = _parsed(fed, reading, joined if same else None)
    return Parsed(lines, True, candidates, fed, tables, groups)


def write_parsed(parsed: Parsed, as_of: dt.date | None, *, reading: Reading) -> NativeWritten:
    """Write the lines :func:`parse_lines` parsed (:func:`write_lines`' second step), and
    count them in ``reading``."""
    lines = parsed.lines
    taken = [False] * len(lines)
    if not parsed.tables:
        if parsed.tried:
            reading.tally(0, len(lines))
        return NativeWritten(_nothing(), taken, [])
    parts = []
    kept: list[int] = []
    fed, candidates = parsed.fed, parsed.candidates
    for table, group in zip(parsed.tables, parsed.groups, strict=True):
        raw, failed = _write(table, [fed[index] for index in group], as_of)
        if failed.any():
            raw = select_cases(raw, ~failed)
        parts.append(raw)
        kept.extend(index for index, bad in zip(group, failed.tolist(), strict=True) if not bad)
    raw = parts[0] if len(parts) == 1 else join_cases(parts, np.arange(len(kept)))
    for index in kept:
        taken[candidates[index]] = True
    reading.tally(len(kept), len(lines))
    return NativeWritten(raw, taken, [lines[candidates[index]] for index in kept])


def write_lines(
    lines: Sequence[bytes],
    as_of: dt.date | None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    reading: Reading | None = None,
) -> NativeWritten:
    """Write the records of these JSON Lines (each a line's bytes, as
    ``casework.io._jsonl_lines`` gives them) that this path can take exactly; the
    others are marked not taken. ``reading``: the file's reading so far (a new one,
    on the calling thread, when not given). :func:`parse_lines`, then
    :func:`write_parsed`."""
    reading = Reading() if reading is None else reading
    return write_parsed(parse_lines(lines, limits, reading=reading), as_of, reading=reading)


def _ended(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n"


@functools.cache
def _nothing_cached() -> RawTables:
    from casework.columnar.rawread import write_objects  # noqa: PLC0415

    return write_objects([], [])


def _nothing() -> RawTables:
    """The raw tables of no record."""
    return _nothing_cached()
