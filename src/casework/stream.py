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

import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self, TypeVar

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from casework.calendar import WorkingCalendar
from casework.columnar.columns import CaseColumns, day_number, from_day_number
from casework.io import CaseError, iter_cases, read_summary
from casework.model.case import Case
from casework.rules.engine import Finding, Findings, evaluate_case
from casework.rules.ruleset import RuleSet
from casework.schemas import FINDING_FIELDS
from casework.text import csv_cell

__all__ = [
    "DEFAULT_CHUNK",
    "FINDINGS_SCHEMA",
    "FindingsWriter",
    "MixedDatesError",
    "StreamFormat",
    "StreamedRead",
    "chunked",
    "evaluate_chunks",
    "evidence_text",
    "finding_cells",
    "findings_batch",
    "findings_csv_header",
    "findings_csv_rows",
]

#: Cases per chunk: large enough to amortise per-chunk costs, small enough to keep
#: a chunk's findings (about 30 per case for the National Standards) in a few MB.
DEFAULT_CHUNK = 1_000

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
    parts = []
    for item in finding.evidence:
        value = item.to_dict()["value"]
        source = f" ({item.source})" if item.source else ""
        parts.append(f"{item.label}: {value}{source}")
    return "; ".join(parts)


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


def findings_csv_header() -> list[str]:
    """The header of the findings CSV (the column keys of ``casework findings -f csv``)."""
    return [field.name for field in FINDINGS_SCHEMA]


def findings_csv_rows(findings: Iterable[Finding]) -> Iterator[list[str]]:
    """Findings as CSV cells, exactly as ``casework findings -f csv`` writes them: cells a
    spreadsheet would run as formulas neutralised (:func:`casework.text.csv_cell`)."""
    for finding in findings:
        yield [str(csv_cell(cell)) for cell in finding_cells(finding)]


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
                raise MixedDatesError(
                    "the cases are recorded as at more than one date; "
                    "give --as-of YYYY-MM-DD for the assessment date"
                )
            yield item

    def column_chunks(self, size: int = DEFAULT_CHUNK) -> Iterator[CaseColumns]:
        """The accepted records a chunk at a time as columns
        (:func:`casework.columnar.reader.read_column_chunks`; ``Case`` objects built only
        when asked for), counted and dated as :meth:`cases` counts and dates them."""
        from casework.columnar.reader import read_column_chunks  # noqa: PLC0415

        for chunk in read_column_chunks(self.source, as_of=self.as_of, size=size):
            self.errors.extend(chunk.errors)
            columns = chunk.columns
            if not len(columns):
                continue
            self.accepted += len(columns)
            if self.as_of is not None:
                self.assessed_on = self.as_of
            else:
                dates = columns.record_as_of
                if self.assessed_on is None:
                    self.assessed_on = from_day_number(int(dates[0]))
                if self.one_date and bool(np.any(dates != day_number(self.assessed_on))):
                    raise MixedDatesError(
                        "the cases are recorded as at more than one date; "
                        "give --as-of YYYY-MM-DD for the assessment date"
                    )
            yield columns


class MixedDatesError(ValueError):
    """A streamed file's cases are recorded as at different dates and no date was given."""


class FindingsWriter:
    """Write findings chunk by chunk to CSV, JSON Lines or Parquet; memory stays flat.

    ::

        with FindingsWriter(path, "parquet") as writer:
            for chunk in evaluate_chunks(cases, rules, as_of=day, calendar=calendar):
                writer.write(chunk)

    ``stream`` writes CSV or JSON Lines to an open text stream instead of a path.
    """

    def __init__(
        self,
        path: str | Path | None,
        format: StreamFormat,
        *,
        stream: IO[str] | None = None,
    ) -> None:
        if (path is None) == (stream is None):
            raise TypeError("give a path or a stream, not both")
        if format == "parquet" and path is None:
            raise ValueError("Parquet is written to a file: give a path")
        if format not in ("csv", "jsonl", "parquet"):
            raise ValueError(f"cannot stream findings as {format!r}: use csv, jsonl or parquet")
        self.format: StreamFormat = format
        self.count = 0
        self._path = Path(path) if path is not None else None
        self._owned: IO[str] | None = None
        self._text: IO[str] | None = stream
        self._parquet: pq.ParquetWriter | None = None
        self._csv: Any = None

    def __enter__(self) -> Self:
        if self.format == "parquet":
            assert self._path is not None
            self._parquet = pq.ParquetWriter(self._path, FINDINGS_SCHEMA, compression="zstd")
            return self
        if self._text is None:
            assert self._path is not None
            self._owned = self._path.open("w", encoding="utf-8", newline="")
            self._text = self._owned
        if self.format == "csv":
            self._csv = csv.writer(self._text, lineterminator="\n")
            self._csv.writerow(findings_csv_header())
        return self

    def write(self, findings: Sequence[Finding]) -> None:
        """Append one chunk of findings."""
        if self._parquet is not None:
            self._parquet.write_batch(findings_batch(findings))
        elif self._csv is not None:
            self._csv.writerows(findings_csv_rows(findings))
        else:
            assert self._text is not None
            buffer = io.StringIO()
            for finding in findings:
                buffer.write(json.dumps(finding.to_dict(), ensure_ascii=False))
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
            self._parquet.close()
        if self._owned is not None:
            self._owned.close()
