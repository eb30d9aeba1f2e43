"""Findings a chunk at a time: Arrow record batches, and files written as they are made.

A national caseload (about 250,000 cases, several million findings) does not fit
comfortably in memory as Python objects. This module keeps memory flat in the
number of cases:

* :func:`evaluate_chunks` evaluates cases a chunk at a time and yields one
  :class:`~casework.rules.Findings` per chunk;
* :func:`findings_batch` turns a chunk of findings into an Arrow record batch
  with :data:`FINDINGS_SCHEMA` (dates as ``date32`` day numbers, repeated
  strings dictionary-encoded);
* :class:`FindingsWriter` writes chunks to CSV, JSON Lines or Parquet as they
  come, the CSV and JSON Lines rows exactly as ``casework findings`` writes them.

The chunk interface takes cases and returns Arrow record batches, so the same
function serves any engine that maps over batches (Dask, Spark ``mapInArrow``,
Ray ``map_batches``); see docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, Self, TypeVar, cast

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from casework.calendar import WorkingCalendar
from casework.columnar.columns import (
    NO_DAY,
    CaseColumns,
    day_isos,
    day_number,
    from_day_number,
    unique_days,
)
from casework.columnar.core import (
    BASES,
    LATE_UNITS,
    OUTCOMES,
    TEXT_ONLY,
    UNWORDED,
    FindingTable,
)
from casework.io import CaseError, iter_cases, read_summary
from casework.model.case import Case
from casework.rules.engine import (
    Evidence,
    Finding,
    Findings,
    Rule,
    evaluate_case,
    evidence_line,
    finding_record,
    plain_value,
)
from casework.rules.ruleset import RuleSet
from casework.schemas import FINDING_FIELDS
from casework.text import csv_cell, csv_field, csv_fields

if TYPE_CHECKING:  # imported when Parquet is written (start-up of the other formats)
    import pyarrow.parquet as pq

    from casework.columnar.reader import Native, StartedRead

__all__ = [
    "DEFAULT_CHUNK",
    "FINDINGS_SCHEMA",
    "MIXED_DATES",
    "ROW_GROUP_BYTES",
    "UNWORDED_FINDINGS_SCHEMA",
    "WORDS",
    "EvidenceJson",
    "FindingsWriter",
    "MixedDatesError",
    "StreamFormat",
    "StreamedRead",
    "cases_own_date",
    "chunked",
    "evaluate_chunks",
    "evidence_line",
    "evidence_lines",
    "evidence_text",
    "finding_cells",
    "findings_batch",
    "findings_csv_header",
    "findings_csv_lines",
    "findings_csv_rows",
    "findings_schema",
    "iso_dates",
    "record_columns",
    "record_keys",
    "table_batch",
    "table_csv_lines",
    "table_csv_rows",
    "table_jsonl_lines",
    "table_records",
]

#: Cases per chunk: large enough to amortise per-chunk costs, small enough to keep
#: a chunk's findings (about 30 per case for the National Standards) in a few MB.
#: ``casework findings -f parquet`` on 100,000 cases (Arrow's memory from jemalloc,
#: :func:`casework._process.arrow_allocator`), chunks of 1,000 cases: 11.2 s and 227 MB at
#: its peak; 2,000: 9.5-9.9 s and 281-294 MB (295 MB on a million cases, too near 300 MB);
#: 1,500: 4-6% slower than 2,000, 246-253 MB (260 MB on a million)
#: (docs/decisions.md#chunks-of-1500-cases).
DEFAULT_CHUNK = 1_500

#: Findings (Arrow bytes) held before they are written to Parquet as one row group. One
#: chunk's findings as a row group (27,000 rows for the National Standards) made about
#: 23 kB of writer metadata each, held in memory until the file is closed: 23 MB more at
#: 1,000,000 cases than at 100,000. With row groups of about 32 MiB (five chunks) the
#: peak grew 10 MB instead, and was about 40 MB higher at both sizes, the batches waiting
#: for their row group (docs/performance.md#parquet-row-groups).
ROW_GROUP_BYTES = 32 * 2**20

StreamFormat = Literal["csv", "jsonl", "parquet"]

T = TypeVar("T")

_CATEGORY = pa.dictionary(pa.int32(), pa.string())

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "category": _CATEGORY,
    "bool": pa.bool_(),
    "date": pa.date32(),
    "int": pa.int32(),
}

#: Columns of a findings record batch, in order: made from
#: :data:`casework.schemas.FINDING_FIELDS` (documented in docs/json.md).
FINDINGS_SCHEMA = pa.schema(
    [
        pa.field(field.name, _ARROW_TYPES[field.arrow], nullable=field.nullable)
        for field in FINDING_FIELDS
    ]
)


#: The fields of a finding in words: left out of findings written without words
#: (``casework findings --no-reasons``, :meth:`FindingColumns.explain(words=False)
#: <casework.columnar.FindingColumns.explain>`).
WORDS = ("reason", "evidence", "trigger_label", "standard")

#: :data:`FINDINGS_SCHEMA` without the fields in words (:data:`WORDS`).
UNWORDED_FINDINGS_SCHEMA = pa.schema(
    [field for field in FINDINGS_SCHEMA if field.name not in WORDS]
)


def findings_schema(words: bool = True) -> pa.Schema:
    """The columns findings are written with: :data:`FINDINGS_SCHEMA`, or without words
    :data:`UNWORDED_FINDINGS_SCHEMA`."""
    return FINDINGS_SCHEMA if words else UNWORDED_FINDINGS_SCHEMA


def _words_checked(table: FindingTable, words: bool) -> None:
    """Findings explained without words cannot be written with them."""
    if words and not table.worded:
        raise ValueError(f"{UNWORDED}; write them with words=False")


def _items_checked(table: FindingTable) -> None:
    """Findings whose evidence was explained as lines of text have no evidence items to
    write as JSON."""
    if table.lines is not None:
        raise ValueError(TEXT_ONLY)


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def evaluate_chunks(
    cases: Iterable[Case],
    ruleset: RuleSet,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[Findings]:
    """Evaluate ``cases`` a chunk at a time: one :class:`Findings` per chunk, in case order.

    Concatenated, the chunks are exactly ``evaluate(cases, ruleset, ...)``; only one
    chunk's findings are held at a time.
    """
    for chunk in chunked(cases, chunk_size):
        yield Findings(
            tuple(
                finding
                for case in chunk
                for finding in evaluate_case(
                    case, ruleset, as_of=as_of, calendar=calendar, options=options
                )
            )
        )


def evidence_text(finding: Finding) -> str:
    """The evidence as one line: ``label: value (source); ...`` (as the CSV shows it)."""
    return evidence_line(finding.evidence)


def evidence_lines(
    evidence: Sequence[tuple[Evidence, ...]], given: Sequence[str | None] | None = None
) -> list[str]:
    """:func:`evidence_line` of each finding's evidence, each tuple (findings share them: a
    case out of scope, a rule out of force) written once, each distinct date put in ISO form
    once. (Items are not looked up one by one: few are shared, and looking each up cost
    more than writing it.) ``given``: lines already written (``None`` where not), as
    :attr:`FindingTable.lines` holds them; those are taken as they are."""
    lines: dict[int, str] = {}
    iso: dict[dt.date, str] = {}
    shown: list[str] = []
    add = shown.append
    date = dt.date
    for items, written in zip(
        evidence, itertools.repeat(None) if given is None else given, strict=given is not None
    ):
        if written is not None:
            add(written)
            continue
        key = id(items)
        line = lines.get(key)
        if line is None:
            said: list[str] = []
            put = said.append
            for label, value, source in items:
                shown_value: object
                if type(value) is date:
                    shown_value = iso.get(value)
                    if shown_value is None:
                        shown_value = iso[value] = value.isoformat()
                elif type(value) is str or type(value) is int:  # (as plain_value leaves them)
                    shown_value = value
                else:
                    shown_value = plain_value(value)
                put(f"{label}: {shown_value} ({source})" if source else f"{label}: {shown_value}")
            line = lines[key] = "; ".join(said)
        add(line)
    return shown


def finding_cells(finding: Finding) -> tuple[str | None, ...]:
    """One finding as the cells of a findings table row (CSV), in :data:`FINDINGS_SCHEMA` order.

    Dates are ISO strings; ``None`` is an empty cell.
    """
    return (
        finding.case_ref,
        finding.rule_id,
        finding.unit,
        finding.criterion,
        finding.group,
        finding.question,
        finding.outcome.value,
        finding.basis.value,
        finding.reason,
        evidence_text(finding),
        "; ".join(finding.source),
        finding.kind.value,
        "true" if finding.roh else "false",
        finding.ruleset,
        finding.ruleset_version,
        finding.as_of.isoformat(),
        _iso(finding.trigger),
        finding.trigger_label,
        _iso(finding.due),
        _iso(finding.done),
        None if finding.late_by is None else str(finding.late_by),
        finding.late_unit,
        finding.standard,
    )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


_ROH = FINDINGS_SCHEMA.get_field_index("roh")
_AS_OF = FINDINGS_SCHEMA.get_field_index("as_of")


def findings_batch(findings: Sequence[Finding]) -> pa.RecordBatch:
    """A chunk of findings as an Arrow record batch with :data:`FINDINGS_SCHEMA`."""
    columns: list[Sequence[Any]] = (
        [list(column) for column in zip(*map(finding_cells, findings), strict=True)]
        if findings
        else [[] for _ in FINDINGS_SCHEMA]
    )
    columns[_ROH] = [finding.roh for finding in findings]
    columns[_AS_OF] = [finding.as_of for finding in findings]
    for name in ("trigger", "due", "done", "late_by"):
        columns[FINDINGS_SCHEMA.get_field_index(name)] = [
            getattr(finding, name) for finding in findings
        ]
    arrays = []
    for field, values in zip(FINDINGS_SCHEMA, columns, strict=True):
        if pa.types.is_dictionary(field.type):
            arrays.append(pa.array(values, type=pa.string()).dictionary_encode())
        else:
            arrays.append(pa.array(values, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=FINDINGS_SCHEMA)


def table_batch(table: FindingTable, *, words: bool = True) -> pa.RecordBatch:
    """Findings written from columns (:meth:`casework.columnar.FindingColumns.explain`) as
    an Arrow record batch with :data:`FINDINGS_SCHEMA`: equal to :func:`findings_batch` of
    the same findings, made without a :class:`Finding`. Fields of the rule and codes
    (outcome, basis, ...) are dictionary-encoded from the rule ranks and codes, dates
    made from day numbers. ``words=False``: :data:`UNWORDED_FINDINGS_SCHEMA`."""
    _words_checked(table, words)
    schema = findings_schema(words)
    cells = _TableCells(table)
    arrays = []
    for field in schema:
        name = field.name
        if name in ("trigger", "due", "done"):
            arrays.append(_dates(getattr(table, name)))
        elif name == "late_by":
            late = table.late_by
            arrays.append(pa.array(late.astype(np.int32), pa.int32(), mask=late < 0))
        elif name == "as_of":
            arrays.append(_dates(np.full(len(table), day_number(table.as_of), dtype=np.int64)))
        elif name == "roh":
            roh = np.asarray([rule.roh for rule in table.rules], dtype=bool)
            arrays.append(pa.array(roh[table.rank] if len(table) else roh[:0], pa.bool_()))
        elif name in _CODED:
            values, codes = cells.coded(name)
            arrays.append(_dictionary(values, codes))
        else:
            texts = cells.text(name)
            if pa.types.is_dictionary(field.type):
                arrays.append(pa.array(texts, type=pa.string()).dictionary_encode())
            else:
                arrays.append(pa.array(texts, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _dictionary(values: Sequence[str | None], codes: npt.NDArray[Any]) -> pa.Array:
    """``values[code]`` of each code, dictionary-encoded as ``dictionary_encode`` encodes the
    same strings (distinct strings in order of first appearance, ``None`` as null)."""
    if not len(codes):
        return pa.array([], pa.string()).dictionary_encode()
    # each code's first row, in one pass (np.unique would sort the codes)
    first = np.full(len(values), len(codes), dtype=np.intp)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.intp))
    seen = np.flatnonzero(first < len(codes))
    index_of = np.full(len(values), -1, dtype=np.int32)
    dictionary: list[str] = []
    known: dict[str, int] = {}
    for code in seen[np.argsort(first[seen], kind="stable")].tolist():
        value = values[code]
        if value is None:
            continue
        index = known.get(value)
        if index is None:
            index = known[value] = len(dictionary)
            dictionary.append(value)
        index_of[code] = index
    indices = index_of[codes]
    return pa.DictionaryArray.from_arrays(
        pa.array(indices, pa.int32(), mask=indices < 0), pa.array(dictionary, pa.string())
    )


#: Lines of CSV written at once (a piece of a chunk: about 1 MB of text).
CSV_LINES = 2_048


def table_csv_rows(table: FindingTable, *, words: bool = True) -> Iterator[tuple[str, ...]]:
    """Findings written from columns as CSV cells, exactly as :func:`findings_csv_rows`
    writes the same findings: fields of the rule and codes shown once per rule and code,
    other values once per distinct value. ``words=False``: without :data:`WORDS`."""
    _words_checked(table, words)
    shown = _csv_columns(table, lambda value: str(csv_cell(value)), findings_schema(words))
    return zip(*shown, strict=True)


def table_csv_lines(table: FindingTable, *, words: bool = True) -> Iterator[str]:
    """Findings written from columns as the lines of ``casework findings -f csv``, each
    ended by ``\\n``, in pieces of up to :data:`CSV_LINES` lines: the lines ``csv.writer``
    writes for :func:`table_csv_rows`, each distinct cell quoted once and each line
    joined in one call. ``words=False``: without :data:`WORDS`."""
    _words_checked(table, words)
    rows = zip(*_csv_line_columns(table, findings_schema(words)), strict=True)
    while piece := list(itertools.islice(rows, CSV_LINES)):
        yield "\n".join(map(",".join, piece)) + "\n"


#: At most this many combinations of the values of neighbouring coded fields are written
#: as one cell group (:func:`_csv_line_columns`).
_MOST_COMBINED = 4_096


def _csv_line_columns(table: FindingTable, schema: pa.Schema) -> list[list[str]]:
    """The cells of each line of :func:`table_csv_lines`, as :func:`_csv_columns` gives
    them, but with neighbouring coded fields (criterion, group and question; outcome and
    basis; the rule's source, kind and RoH flag with the rule set, its version and the
    date) joined by ``,`` into one cell group, written once per combination of their
    values that can occur: with the words, a line joins 15 cells, not 23 (the same
    text)."""
    cells = _TableCells(table)
    columns: list[list[str]] = []
    group: _Cells | None = None
    for field in schema:
        name = field.name
        if name not in _CODED_CELLS:
            if group is not None:
                columns.append(_cells_of(group))
                group = None
            columns.append(_csv_column(cells, name, csv_field))
            continue
        values, codes = cells.coded(name)
        cell = ([csv_field(value) for value in values], codes)
        joined = None if group is None else _combined(group, cell)
        if joined is None and group is not None:
            columns.append(_cells_of(group))
        group = cell if joined is None else joined
    if group is not None:
        columns.append(_cells_of(group))
    return columns


def _csv_columns(
    table: FindingTable, shown: Callable[[Any], str], schema: pa.Schema
) -> list[list[str]]:
    """Each field of ``schema`` as its cells, ``shown`` once per distinct value."""
    cells = _TableCells(table)
    return [_csv_column(cells, field.name, shown) for field in schema]


def _csv_column(cells: _TableCells, name: str, shown: Callable[[Any], str]) -> list[str]:
    """A field's cells, ``shown`` once per distinct value."""
    if name in _CODED_CELLS or name in ("trigger", "due", "done"):
        values, codes = cells.coded(name)
        distinct = np.asarray([shown(value) for value in values], dtype=object)
        listed: list[str] = distinct[codes].tolist()
        return listed
    texts = cells.text(name)
    every = set(texts)  # (each value shown once)
    known = csv_fields(every) if shown is csv_field else {value: shown(value) for value in every}
    return [known[value] for value in texts]


#: Coded cells: each distinct cell, and each line's index among them.
_Cells = tuple[list[str], npt.NDArray[np.intp]]


def _cells_of(group: _Cells) -> list[str]:
    """Each line's cell of a group of coded cells."""
    listed: list[str] = np.asarray(group[0], dtype=object)[group[1]].tolist()
    return listed


def _combined(group: _Cells, cell: _Cells) -> _Cells | None:
    """A group of coded cells with one more on its right (:func:`_csv_line_columns`): by
    the same codes (two fields of the rule), one value (the run's), or every pair of
    values when they are few; ``None`` when they are many."""
    (left, left_codes), (right, right_codes) = group, cell
    if right_codes is left_codes:
        return [f"{a},{b}" for a, b in zip(left, right, strict=True)], left_codes
    if len(right) == 1:
        return [f"{a},{right[0]}" for a in left], left_codes
    if len(left) == 1:
        return [f"{left[0]},{b}" for b in right], right_codes
    if len(left) * len(right) > _MOST_COMBINED:
        return None
    return [f"{a},{b}" for a in left for b in right], left_codes * len(right) + right_codes


def table_records(table: FindingTable, *, words: bool = True) -> Iterator[dict[str, Any]]:
    """Findings written from columns as JSON records, exactly as
    :meth:`Finding.to_dict` gives the same findings. ``words=False``: without
    :data:`WORDS`."""
    _words_checked(table, words)
    if words:
        _items_checked(table)
    records = _table_records(table)
    return records if words else map(_unworded, records)


def table_jsonl_lines(table: FindingTable, *, words: bool = True) -> Iterator[str]:
    """Findings written from columns as the lines of ``casework findings -f jsonl``, each
    ended by ``\\n``, in pieces of up to :data:`CSV_LINES` lines: ``json.dumps`` of each
    of :func:`table_records` (``ensure_ascii=False``), each distinct value encoded once
    and each line made by one template. ``words=False``: without :data:`WORDS`."""
    _words_checked(table, words)
    keys = [key for key in record_keys() if words or key not in WORDS]
    template = "{{" + ", ".join(f"{_json_text(key)}: {{}}" for key in keys) + "}}"
    columns = record_columns(table, keys, sources=_json_dumps, evidence=EvidenceJson().of)
    lines = map(template.format, *columns)
    while piece := list(itertools.islice(lines, CSV_LINES)):
        yield "\n".join(piece) + "\n"


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


class EvidenceJson:
    """A finding's evidence as ``json.dumps`` of its records writes it (``ensure_ascii``
    off), made from the items' fields: each label and source encoded once, each date
    once; values of other types as ``json.dumps`` writes :func:`plain_value` of them.
    ``pad``: as ``indent=2`` writes the list where a line end and this indent start
    its lines (:func:`casework.report.output.json_text`); ``None``: on one line, with
    the default separators (JSON Lines)."""

    def __init__(self, pad: str | None = None) -> None:
        self._texts: dict[str, str] = {}
        self._dates: dict[dt.date, str] = {}
        self._pad = pad
        if pad is not None:
            item, field = pad + "  ", pad + "    "
            self._open = "[" + item
            self._between = "," + item
            self._close = pad + "]"
            self._parts = ("{" + field + '"label": ', "," + field + '"value": ',
                           "," + field + '"source": ', item + "}")  # fmt: skip
        else:
            self._open, self._between, self._close = "[", ", ", "]"
            self._parts = ('{"label": ', ', "value": ', ', "source": ', "}")

    def _text(self, text: str | None) -> str:
        if text is None:
            return "null"
        found = self._texts.get(text)
        if found is None:
            found = self._texts[text] = _json_text(text)
        return found

    def of(self, items: tuple[Evidence, ...]) -> str:
        """The evidence records of ``items`` in JSON."""
        if not items:
            return "[]"
        label_at, value_at, source_at, end = self._parts
        parts = []
        for label, value, source in items:
            kind = type(value)
            if kind is dt.date:  # (exactly: a date and time is written as plain_value does)
                day = cast("dt.date", value)
                shown = self._dates.get(day)
                if shown is None:
                    shown = self._dates[day] = f'"{day.isoformat()}"'
            elif kind is str:
                shown = _json_text(cast("str", value))
            elif kind is int:  # (exactly: a boolean is written as json.dumps does)
                shown = int.__repr__(cast("int", value))
            elif value is None:
                shown = "null"
            else:  # (a boolean, a fraction, a date and time)
                shown = json.dumps(plain_value(value), ensure_ascii=False)
            parts.append(
                label_at + self._text(label) + value_at + shown + source_at
                + self._text(source) + end
            )  # fmt: skip
        return self._open + self._between.join(parts) + self._close


@functools.cache
def record_keys() -> tuple[str, ...]:
    """The keys of a finding's JSON record, in order (:func:`finding_record`'s)."""
    blank: dict[str, Any] = dict.fromkeys(inspect.signature(finding_record).parameters)
    return tuple(finding_record(**{**blank, "evidence": (), "source": ()}))


#: ``json.dumps(text, ensure_ascii=False)`` of a string (the encoder's own function).
_json_text: Callable[[str], str] = json.encoder.encode_basestring


def _json_texts(values: Iterable[str | None]) -> dict[str | None, str]:
    """Each distinct text (or ``None``) as JSON."""
    return {value: "null" if value is None else _json_text(value) for value in set(values)}


def record_columns(
    table: FindingTable,
    keys: Sequence[str],
    *,
    sources: Callable[[list[str]], str],
    evidence: Callable[[tuple[Evidence, ...]], str],
) -> list[list[str]]:
    """Each field ``keys`` names of the findings' JSON records (:func:`table_records`), as
    each finding's value in JSON: text, numbers, booleans and ``null`` as ``json`` writes
    them, each distinct value once; the rule's sources as ``sources`` writes their list,
    once per rule, and the evidence as ``evidence`` writes its tuple (:class:`EvidenceJson`),
    once per shared tuple."""
    if "evidence" in keys:
        _items_checked(table)
    cells = _TableCells(table)
    rules = table.rules
    columns: list[list[str]] = []
    for key in keys:
        if key == "evidence":
            said: dict[int, str] = {}  # (an evidence tuple is often shared: encoded once)
            column = []
            for items in table.evidence:
                text = said.get(id(items))
                if text is None:
                    text = said[id(items)] = evidence(items)
                column.append(text)
            columns.append(column)
            continue
        if key in ("source", "roh"):
            per_rule = [
                sources(list(rule.source)) if key == "source" else ("true" if rule.roh else "false")
                for rule in rules
            ]
            columns.append(cells.by_rule(per_rule))
            continue
        if key == "late_by":
            distinct, codes = unique_days(table.late_by)
            shown = ["null" if late < 0 else str(late) for late in distinct.tolist()]
            columns.append(np.asarray(shown, dtype=object)[codes].tolist())
            continue
        if key in _CODED or key in ("as_of", "trigger", "due", "done"):
            values, codes = cells.coded(key)
            known = _json_texts(values)
            columns.append(np.asarray([known[v] for v in values], dtype=object)[codes].tolist())
            continue
        texts: list[str | None] = cells.text(key)
        known = _json_texts(texts)
        columns.append([known[value] for value in texts])
    return columns


def _table_records(table: FindingTable) -> Iterator[dict[str, Any]]:
    cells = _TableCells(table)
    names = [
        "case_ref", "rule_id", "question", "outcome", "basis", "reason", "source", "kind",
        "criterion", "ruleset", "ruleset_version", "unit", "group", "trigger_label",
        "late_unit", "standard",
    ]  # fmt: skip
    columns = {name: cells.text(name) for name in names}
    columns["source"] = cells.by_rule([rule.source for rule in table.rules])
    columns["roh"] = cells.by_rule([rule.roh for rule in table.rules])
    for name in ("trigger", "due", "done"):
        columns[name] = iso_dates(getattr(table, name))
    columns["late_by"] = [None if late < 0 else late for late in table.late_by.tolist()]
    as_of = table.as_of.isoformat()
    evidence = table.evidence
    for i in range(len(table)):
        values = {name: column[i] for name, column in columns.items()}
        yield finding_record(evidence=evidence[i], as_of=as_of, **values)


class _TableCells:
    """The fields of a :class:`FindingTable` as lists of plain values, one per finding, or
    as the distinct values and each finding's code."""

    def __init__(self, table: FindingTable) -> None:
        self.table = table
        self._ranks: list[int] | None = None

    @property
    def ranks(self) -> list[int]:
        if self._ranks is None:
            self._ranks = self.table.rank.tolist()
        return self._ranks

    def by_rule(self, values: Sequence[T]) -> list[T]:
        """A value of each finding's rule."""
        return [values[rank] for rank in self.ranks]

    def coded(self, name: str) -> tuple[list[Any], npt.NDArray[np.intp]]:
        """A field as :func:`finding_cells` gives it, as its distinct values and each
        finding's index among them (for the fields of the rule, codes and dates)."""
        table, rules = self.table, self.table.rules
        if name in _PER_RULE:
            return [_PER_RULE[name](rule) for rule in rules], table.rank
        if name == "roh":
            return ["true" if rule.roh else "false" for rule in rules], table.rank
        zeros = np.zeros(len(table), dtype=np.intp)
        if name in ("ruleset", "ruleset_version"):
            value = table.ruleset.name if name == "ruleset" else table.ruleset.version
            return [value], zeros
        if name == "as_of":
            return [table.as_of.isoformat()], zeros
        if name == "outcome":
            return _OUTCOME_VALUES, table.outcome.astype(np.intp)
        if name == "basis":
            return _BASIS_VALUES, table.basis.astype(np.intp)
        if name == "late_unit":
            return list(LATE_UNITS), table.late_unit.astype(np.intp)
        if name == "late_by":
            # (np.unique's answer, by a table over the span of the counts, not a sort)
            distinct, inverse = unique_days(table.late_by)
            counts = [None if late < 0 else str(late) for late in distinct.tolist()]
            return counts, inverse
        return _iso_coded(getattr(table, name))  # trigger, due, done

    def text(self, name: str) -> list[Any]:
        """A field as text (``None`` for none), as :func:`finding_cells` gives it."""
        table = self.table
        if name in _PER_RULE or name in _CODED:
            values, codes = self.coded(name)
            shown = np.asarray(values, dtype=object)
            listed: list[Any] = shown[codes].tolist()
            return listed
        if name == "evidence":
            return evidence_lines(table.evidence, table.lines)
        own: list[Any] = getattr(table, name)
        return own


def iso_dates(day_numbers: npt.NDArray[np.int64]) -> list[str | None]:
    """Day numbers as ISO dates (``None`` for none), each distinct day written once."""
    values, codes = _iso_coded(day_numbers)
    shown = np.asarray(values, dtype=object)
    listed: list[str | None] = shown[codes].tolist()
    return listed


def _iso_coded(day_numbers: npt.NDArray[np.int64]) -> tuple[list[str | None], npt.NDArray[np.intp]]:
    """Day numbers as their distinct ISO dates (``None`` for none) and each one's index."""
    distinct, inverse = unique_days(day_numbers)
    return day_isos(distinct.tolist()), inverse.reshape(-1)


_PER_RULE: dict[str, Callable[[Rule], Any]] = {
    "rule_id": lambda rule: rule.id,
    "criterion": lambda rule: rule.criterion,
    "group": lambda rule: rule.group,
    "question": lambda rule: rule.question,
    "source": lambda rule: "; ".join(rule.source),
    "kind": lambda rule: rule.kind.value,
}
#: Fields dictionary-encoded from codes (:meth:`_TableCells.coded`): those of the rule, the
#: rule set's, outcome, basis and late_unit.
_CODED = frozenset({*_PER_RULE, "ruleset", "ruleset_version", "outcome", "basis", "late_unit"})
#: Fields written from codes (:meth:`_TableCells.coded`): a rule's, the run's, a code's.
_CODED_CELLS = _CODED | {"roh", "as_of", "late_by"}
_OUTCOME_VALUES = [outcome.value for outcome in OUTCOMES]
_BASIS_VALUES = [basis.value for basis in BASES]


def _dates(day_numbers: npt.NDArray[np.int64]) -> pa.Array:
    missing = day_numbers == NO_DAY
    stamps = np.where(missing, 0, day_numbers).astype(np.int32)
    return pa.array(stamps, pa.int32(), mask=missing).cast(pa.date32())


def findings_csv_header(words: bool = True) -> list[str]:
    """The header of the findings CSV (the column keys of ``casework findings -f csv``;
    ``words=False``: without :data:`WORDS`)."""
    return [field.name for field in findings_schema(words)]


def _unworded(record: dict[str, Any]) -> dict[str, Any]:
    """A finding's JSON record without the fields in words (:data:`WORDS`)."""
    for name in WORDS:
        del record[name]
    return record


#: The cells of a finding written without words: their places in :func:`finding_cells`.
_CELLS_WITHOUT_WORDS = [i for i, name in enumerate(FINDINGS_SCHEMA.names) if name not in WORDS]


def findings_csv_rows(findings: Iterable[Finding]) -> Iterator[list[str]]:
    """Findings as CSV cells, exactly as ``casework findings -f csv`` writes them: cells a
    spreadsheet would run as formulas neutralised (:func:`casework.text.csv_cell`)."""
    for finding in findings:
        yield [str(csv_cell(cell)) for cell in finding_cells(finding)]


def findings_csv_lines(findings: Iterable[Finding], *, words: bool = True) -> str:
    """Findings as the lines of ``casework findings -f csv``, each ended by ``\\n`` (the
    lines ``csv.writer`` writes for :func:`findings_csv_rows`). ``words=False``: without
    :data:`WORDS`."""
    if words:
        return "".join(",".join(map(csv_field, finding_cells(f))) + "\n" for f in findings)
    kept = _CELLS_WITHOUT_WORDS
    return "".join(
        ",".join(csv_field(cells[i]) for i in kept) + "\n" for cells in map(finding_cells, findings)
    )


@attrs.define
class StreamedRead:
    """A case file read a record at a time: the cases are handed on, only counts are kept.

    :meth:`cases` yields each accepted case once; rejected records are kept (they are
    few, and reports list them). The assessment date is the one given, or the cases'
    own when they all share one: a case recorded as at another date stops the read
    with :class:`MixedDatesError`. Reports take it where they take a
    :class:`~casework.LoadResult` (``records``, ``accepted``, ``errors``, ``summary()``).
    """

    source: str | Path
    as_of: dt.date | None = None
    one_date: bool = True
    """Whether the cases must share one assessment date (not for validation alone)."""
    native: Native = "on"
    """How :meth:`column_chunks` parses JSON Lines
    (:data:`casework.columnar.reader.Native`)."""
    read_size: int | None = None
    """Lines of JSON Lines :meth:`column_chunks` parses at once
    (:func:`casework.columnar.reader.read_column_chunks`)."""
    started: StartedRead | None = attrs.field(default=None, eq=False, repr=False)
    """A read of the file begun earlier (:class:`casework.columnar.reader.StartedRead`):
    the first :meth:`column_chunks` takes it if it matches (else closes it)."""
    assessed_on: dt.date | None = None
    accepted: int = 0
    errors: list[CaseError] = attrs.Factory(list)

    @property
    def records(self) -> int:
        """Records read so far: accepted + rejected."""
        return self.accepted + len(self.errors)

    @property
    def ok(self) -> bool:
        """Whether every record read so far was accepted."""
        return not self.errors

    def summary(self) -> str:
        """One line, as :meth:`casework.LoadResult.summary` words it."""
        return read_summary(self.accepted, len(self.errors))

    def cases(self) -> Iterator[Case]:
        """Each accepted case, in file order (JSON Lines files are read line by line)."""
        for item in iter_cases(self.source, as_of=self.as_of):
            if not isinstance(item, Case):
                self.errors.append(item)
                continue
            self.accepted += 1
            if self.as_of is not None:
                self.assessed_on = self.as_of
            elif self.assessed_on is None:
                self.assessed_on = item.as_of
            elif item.as_of != self.assessed_on and self.one_date:
                raise MixedDatesError(MIXED_DATES)
            yield item

    def column_chunks(self, size: int = DEFAULT_CHUNK) -> Iterator[CaseColumns]:
        """The accepted records a chunk at a time as columns
        (:func:`casework.columnar.reader.read_column_chunks`; ``Case`` objects built only
        when asked for), counted and dated as :meth:`cases` counts and dates them."""
        from casework.columnar.reader import read_column_chunks  # noqa: PLC0415

        started, self.started = self.started, None
        chunks = read_column_chunks(
            self.source,
            as_of=self.as_of,
            size=size,
            native=self.native,
            read_size=self.read_size,
            started=started,
        )
        try:
            for chunk in chunks:
                self.errors.extend(chunk.errors)
                columns = chunk.columns
                if not len(columns):
                    continue
                self.accepted += len(columns)
                if self.as_of is not None:
                    self.assessed_on = self.as_of
                else:
                    self.assessed_on = cases_own_date(columns, self.assessed_on, self.one_date)
                yield columns
        finally:  # (the file closed at once when a chunk's dates stop the read)
            chunks.close()


def cases_own_date(columns: CaseColumns, settled: dt.date | None, one_date: bool = True) -> dt.date:
    """The assessment date a chunk's cases give when none was asked for: ``settled`` (the
    date of the cases read before), or else the first case's own; with ``one_date``, a
    case recorded as at another date raises :class:`MixedDatesError`."""
    dates = columns.record_as_of
    if settled is None:
        settled = from_day_number(int(dates[0]))
        assert settled is not None  # (a case's as_of is a required date)
    if one_date and bool(np.any(dates != day_number(settled))):
        raise MixedDatesError(MIXED_DATES)
    return settled


class MixedDatesError(ValueError):
    """A streamed file's cases are recorded as at different dates and no date was given."""


#: What :class:`MixedDatesError` says.
MIXED_DATES = (
    "the cases are recorded as at more than one date; "
    "give --as-of YYYY-MM-DD for the assessment date"
)


class FindingsWriter:
    """Write findings chunk by chunk to CSV, JSON Lines or Parquet; memory stays flat.

    ::

        with FindingsWriter(path, "parquet") as writer:
            for chunk in evaluate_chunks(cases, rules, as_of=day, calendar=calendar):
                writer.write(chunk)

    ``stream`` writes CSV or JSON Lines to an open text stream instead of a path.
    The CSV header line is written with the first row, or on leaving the ``with`` block
    without an error if no row came: a run refused before its first row writes nothing
    to a stream. ``header=False`` leaves it out (a part of a file written in parts:
    :mod:`casework.parallel`). Parquet findings are gathered into row groups of about
    ``row_group_bytes`` (:data:`ROW_GROUP_BYTES`) of Arrow data; the rows and their order
    do not depend on it. A row group is encoded and written on a thread of its own while
    the next is gathered (Arrow's Parquet writer holds no lock), one at a time: at most
    two row groups are held. ``words=False`` writes every finding without the fields in
    words (:data:`WORDS`; a chunk explained with ``words=False`` is written only so).
    """

    def __init__(
        self,
        path: str | Path | None,
        format: StreamFormat,
        *,
        stream: IO[str] | None = None,
        header: bool = True,
        row_group_bytes: int = ROW_GROUP_BYTES,
        words: bool = True,
    ) -> None:
        if (path is None) == (stream is None):
            raise TypeError("give a path or a stream, not both")
        if format == "parquet" and path is None:
            raise ValueError("Parquet is written to a file: give a path")
        if format not in ("csv", "jsonl", "parquet"):
            raise ValueError(f"cannot stream findings as {format!r}: use csv, jsonl or parquet")
        if row_group_bytes < 1:
            raise ValueError(f"row_group_bytes must be at least 1, not {row_group_bytes}")
        self.format: StreamFormat = format
        self.count = 0
        self._path = Path(path) if path is not None else None
        self._owned: IO[str] | None = None
        self._text: IO[str] | None = stream
        self._parquet: pq.ParquetWriter | None = None
        self._header = header
        self._row_group_bytes = row_group_bytes
        self._words = words
        self._schema = findings_schema(words)
        self._held: list[pa.RecordBatch] = []
        self._held_bytes = 0
        self._writing: ThreadPoolExecutor | None = None
        self._written: Future[None] | None = None  # (the row group being written)

    def __enter__(self) -> Self:
        if self.format == "parquet":
            assert self._path is not None
            import pyarrow.parquet as pq  # noqa: PLC0415

            self._parquet = pq.ParquetWriter(self._path, self._schema, compression="zstd")
            self._writing = ThreadPoolExecutor(1, thread_name_prefix="casework-parquet")
            return self
        if self._text is None:
            assert self._path is not None
            self._owned = self._path.open("w", encoding="utf-8", newline="")
            self._text = self._owned
        return self

    def _write_header(self) -> None:
        """The CSV header line, once, before the first row (if the writer writes one)."""
        if self._header and self.format == "csv":
            self._header = False
            assert self._text is not None
            self._text.write(",".join(map(csv_field, findings_csv_header(self._words))) + "\n")

    def write_batch(self, batch: pa.RecordBatch) -> None:
        """Append findings already made a record batch with the writer's schema
        (:func:`findings_schema`; by :func:`table_batch` in another process, say) to a
        Parquet file."""
        if self._parquet is None:
            raise ValueError("record batches are written to Parquet only")
        if batch.schema != self._schema:
            raise ValueError("the batch's columns are not the findings' written here")
        self._hold(batch)
        self.count += batch.num_rows

    def _hold(self, batch: pa.RecordBatch) -> None:
        """Gather ``batch`` into the row group being made; write it once it is large."""
        self._held.append(batch)
        self._held_bytes += batch.nbytes
        if self._held_bytes >= self._row_group_bytes:
            self._write_held()

    def _write_held(self) -> None:
        """Write the gathered batches as one row group, on the writing thread once the row
        group before has been written (an error writing it is raised here). Each batch has
        its own dictionaries (outcome, basis, ...); unified, the Parquet writer keeps them
        dictionary-encoded."""
        if not self._held:
            return
        assert self._parquet is not None
        assert self._writing is not None
        held, self._held, self._held_bytes = self._held, [], 0
        self._wait_written()
        self._written = self._writing.submit(self._write_row_group, self._parquet, held)

    def _write_row_group(self, parquet: pq.ParquetWriter, batches: list[pa.RecordBatch]) -> None:
        table = pa.Table.from_batches(batches, schema=self._schema).unify_dictionaries()
        parquet.write_table(table, row_group_size=max(table.num_rows, 1))

    def _wait_written(self) -> None:
        """Wait for the row group being written; raise what writing it raised."""
        written, self._written = self._written, None
        if written is not None:
            written.result()

    def write(self, findings: Sequence[Finding] | FindingTable) -> None:
        """Append one chunk of findings: :class:`Finding` objects, or a chunk's findings
        as columns (:meth:`casework.columnar.FindingColumns.explain`), written the same."""
        table = findings if isinstance(findings, FindingTable) else None
        listed = cast(Sequence[Finding], findings)
        words = self._words
        if self._parquet is not None:
            if table is not None:
                self._hold(table_batch(table, words=words))
            else:
                batch = findings_batch(listed)
                self._hold(batch if words else batch.select(self._schema.names))
        elif self.format == "csv":
            assert self._text is not None
            if not len(findings):
                return  # (the header waits for a row or the end)
            self._write_header()
            if table is not None:
                self._text.writelines(table_csv_lines(table, words=words))
            else:
                self._text.write(findings_csv_lines(listed, words=words))
        elif table is not None:
            assert self._text is not None
            self._text.writelines(table_jsonl_lines(table, words=words))
        else:
            assert self._text is not None
            records = (
                finding.to_dict() if words else _unworded(finding.to_dict()) for finding in listed
            )
            buffer = io.StringIO()
            for record in records:
                buffer.write(json.dumps(record, ensure_ascii=False))
                buffer.write("\n")
            self._text.write(buffer.getvalue())
        self.count += len(findings)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._parquet is not None:
            assert self._writing is not None
            try:
                if exc_type is None:
                    self._write_held()
                    self._wait_written()
            finally:
                self._writing.shutdown(wait=True)  # (an error already raised: not again)
                self._parquet.close()
        try:
            if exc_type is None and self._text is not None:
                self._write_header()  # (no row came: the header alone)
        finally:
            if self._owned is not None:
                self._owned.close()
