"""Large case files in parts: evaluate each part on its own, then merge.

A JSON Lines case file is cut into byte ranges at line ends (:func:`split_file`).
Each part is read, validated and evaluated on its own (:func:`run_part`), giving
a :class:`PartResult`: the records accepted and rejected (located by their line
number in the whole file), the references seen, a target tally, inspection
counts (:class:`~casework.inspection_tally.InspectionTally`) and, if asked,
the part's findings written as Parquet. :func:`merge_parts` puts the parts
together: case references repeated across parts are found exactly (Arrow
``value_counts``) and the parts holding a repeat are run again with it rejected,
so the result is the one a single process gives, whatever the split.

Each part is read straight into columns (:func:`casework.columnar.reader.read_jsonl_chunks`
over the part's bytes), evaluated, counted and written from them, a chunk at a time.

The same functions run in one process (:func:`run_file`) or on a Dask cluster
(``casework.dask_runner``, with the ``dask`` extra); any engine that can map a
function over parts can call :func:`run_part`. Engines that hand over Arrow record
batches (Spark's ``mapInArrow``, Ray's ``map_batches``) call :func:`evaluate_batches`
or :func:`evaluate_batch`: case records in, findings record batches out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from casework.calendar import WorkingCalendar
from casework.columnar import CaseColumns, evaluate_columns
from casework.columnar.reader import DEFAULT_NATIVE, Native, read_jsonl_chunks
from casework.inspection_tally import InspectionTally, countable_on_columns
from casework.io import _LINE_BUFFER, CaseError
from casework.performance import Period, TargetTally
from casework.rules.registry import ruleset as named_ruleset
from casework.rules.ruleset import RuleSet
from casework.stream import (
    DEFAULT_CHUNK,
    FINDINGS_SCHEMA,
    FindingsWriter,
    findings_batch,
    table_batch,
)

__all__ = [
    "PLAIN_FINDINGS_SCHEMA",
    "Job",
    "PartRead",
    "PartResult",
    "Span",
    "evaluate_batch",
    "evaluate_batches",
    "merge_parts",
    "run_file",
    "run_part",
    "split_file",
]


@attrs.frozen
class Span:
    """A part of a JSON Lines file: bytes ``[start, end)``, whose first line is ``first_line``."""

    index: int
    start: int
    end: int
    first_line: int


def split_file(path: str | Path, parts: int) -> tuple[Span, ...]:
    """Cut a JSON Lines file into up to ``parts`` byte ranges, each ending at a line end.

    Reads the file once, in blocks, to count the lines before each cut, so each part
    numbers its records as the whole file does.
    """
    if parts < 1:
        raise ValueError(f"parts must be at least 1, not {parts}")
    target = Path(path)
    size = target.stat().st_size
    cuts = [0]
    with target.open("rb") as stream:
        for index in range(1, parts):
            stream.seek(max(size * index // parts, cuts[-1]))
            if stream.tell() > 0:
                stream.readline()  # to the end of the line the cut fell in
            position = stream.tell()
            if position >= size:
                break
            if position > cuts[-1]:
                cuts.append(position)
    cuts.append(size)
    spans = []
    line = 1
    with target.open("rb") as stream:
        for index, (start, end) in enumerate(itertools.pairwise(cuts)):
            spans.append(Span(index, start, end, line))
            stream.seek(start)
            remaining = end - start
            while remaining > 0:
                block = stream.read(min(remaining, 1 << 22))
                line += block.count(b"\n")
                remaining -= len(block)
    return tuple(spans)


@attrs.frozen
class Job:
    """What to do with each part: the rule set, the date, and what to keep.

    ``targets`` (a target set name) tallies target figures for ``period``;
    ``findings_dir`` writes each part's findings as ``part-NNNNN.parquet`` there;
    ``score`` counts inspection answers for a scorecard.
    """

    ruleset: str | RuleSet
    as_of: dt.date
    calendar: WorkingCalendar
    options: Mapping[str, Any] = attrs.field(factory=dict)
    targets: str | None = None
    period: Period | None = None
    area: str | None = None
    findings_dir: str | None = None
    chunk_size: int = DEFAULT_CHUNK
    score: bool = False
    """Count inspection answers (an :class:`~casework.inspection_tally.InspectionTally`
    per part, merged): for an ``omi-2007`` job, the scorecard of the whole file."""

    def rules(self) -> RuleSet:
        """The rule set (the target set's own when only targets are asked for)."""
        if isinstance(self.ruleset, RuleSet):
            return self.ruleset
        return named_ruleset(self.ruleset)

    def tally(self, partition: int) -> TargetTally | None:
        """An empty tally for one part, if targets are asked for."""
        if self.targets is None:
            return None
        if self.period is None:
            raise ValueError("a targets job needs a period")
        return TargetTally.start(
            self.targets, period=self.period, area=self.area, partition=partition
        )


@attrs.frozen
class PartResult:
    """One part's outcome: every record accounted for, and what the job kept."""

    span: Span
    accepted: int
    errors: tuple[CaseError, ...]
    references: pa.Array = attrs.field(eq=False, repr=False)
    """Accepted cases' references, in order (for finding repeats across parts)."""
    lines: pa.Array = attrs.field(eq=False, repr=False)
    """The line number of each accepted case."""
    findings: int
    tally: TargetTally | None = None
    parquet: str | None = None
    inspection: InspectionTally | None = None
    """The part's inspection counts, if the job scores."""

    @property
    def records(self) -> int:
        """Records read in the part: accepted + rejected."""
        return self.accepted + len(self.errors)


class _Window(io.RawIOBase):
    """The bytes of one part of a file, read from the file as they are asked for
    (``io.BufferedReader(_Window(stream, span))`` reads the part as a file)."""

    def __init__(self, stream: IO[bytes], span: Span) -> None:
        super().__init__()
        stream.seek(span.start)
        self._stream = stream
        self._left = span.end - span.start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(min(len(view), self._left))
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)


class PartRead:
    """One part of a JSON Lines file read a chunk at a time into columns
    (:func:`casework.columnar.reader.read_jsonl_chunks` over the part's bytes, its lines
    numbered as in the whole file), keeping what accounts for its records: the rejected
    records' errors, and the accepted cases' references and line numbers.

    ``as_of`` and ``native`` mean what they mean for the reader; ``reject`` maps line
    numbers to the earlier line whose reference they repeat (:func:`repeats_across`).
    """

    def __init__(
        self,
        path: str | Path,
        span: Span,
        *,
        size: int = DEFAULT_CHUNK,
        as_of: dt.date | None = None,
        reject: Mapping[int, int] | None = None,
        native: Native = DEFAULT_NATIVE,
    ) -> None:
        self.path = Path(path)
        self.span = span
        self.errors: list[CaseError] = []
        self._size, self._as_of, self._reject, self._native = size, as_of, reject, native
        self._references: list[pa.Array] = []
        self._lines: list[pa.Array] = []

    def columns(self) -> Iterator[CaseColumns]:
        """The accepted records of each chunk, in file order (chunks with none left out)."""
        with (
            self.path.open("rb") as stream,
            io.BufferedReader(_Window(stream, self.span), _LINE_BUFFER) as part,
        ):
            chunks = read_jsonl_chunks(
                part,
                first_line=self.span.first_line,
                as_of=self._as_of,
                size=self._size,
                repeats=self._reject,
                native=self._native,
            )
            for chunk in chunks:
                self.errors.extend(chunk.errors)
                columns = chunk.columns
                if not len(columns):
                    continue
                self._references.append(
                    pa.array(columns.raw["case"]["reference"], type=pa.string())
                )
                self._lines.append(pa.array(chunk.numbers, type=pa.int64()))
                yield columns

    @property
    def accepted(self) -> int:
        """Cases accepted so far."""
        return sum(len(chunk) for chunk in self._references)

    def accounted(self) -> dict[str, Any]:
        """What a :class:`PartResult` says of the records read: ``span``, ``accepted``,
        ``errors``, ``references`` and ``lines``."""
        return {
            "span": self.span,
            "accepted": self.accepted,
            "errors": tuple(self.errors),
            "references": _joined(self._references, pa.string()),
            "lines": _joined(self._lines, pa.int64()),
        }


def run_part(
    path: str | Path, span: Span, job: Job, *, reject: Mapping[int, int] | None = None
) -> PartResult:
    """Read, validate and evaluate one part of a JSON Lines file.

    The part is read a chunk at a time straight into columns (:class:`PartRead`: a
    record's ``Case`` is built only if a rule without a kernel, or a count, asks for
    it), evaluated on them (:func:`casework.columnar.evaluate_columns`), counted on them
    (:meth:`TargetTally.add_columns`, :meth:`InspectionTally.add_columns`) and, with
    ``job.findings_dir``, written from them (:meth:`FindingColumns.explain`). ``reject``
    maps line numbers to the earlier line whose reference they repeat (found by
    :func:`repeats_across`); those records are rejected as a single pass over the whole
    file would reject them.
    """
    rules = job.rules()
    tally = job.tally(span.index)
    inspection = InspectionTally(partition=span.index) if job.score else None
    on_columns = inspection is None or countable_on_columns(rules)
    options = dict(job.options)
    reading = PartRead(path, span, size=job.chunk_size, reject=reject)
    count = 0
    parquet = None
    with contextlib.ExitStack() as stack:
        writer = None
        if job.findings_dir is not None:
            parquet = str(Path(job.findings_dir) / f"part-{span.index:05d}.parquet")
            writer = stack.enter_context(FindingsWriter(parquet, "parquet"))
        for columns in reading.columns():
            answered = evaluate_columns(
                columns, rules, as_of=job.as_of, calendar=job.calendar, options=options
            )
            count += len(answered)
            if tally is not None:
                tally.add_columns(answered)
            if inspection is not None:
                if on_columns:
                    inspection.add_columns(answered)
                else:
                    inspection.add(answered.findings())
            if writer is not None:
                writer.write(answered.explain())
    return PartResult(
        **reading.accounted(),
        findings=count,
        tally=tally,
        parquet=parquet,
        inspection=inspection,
    )


def _joined(arrays: list[pa.Array], kind: pa.DataType) -> pa.Array:
    # (an empty array made from a list would import pandas, in a worker of casework.parallel)
    return pa.concat_arrays(arrays) if arrays else pa.nulls(0, kind)


def repeats_across(parts: Sequence[PartResult]) -> dict[int, dict[int, int]]:
    """Records whose reference an earlier part already used: ``{part: {line: first line}}``."""
    if len(parts) < 2:
        return {}
    references = pa.chunked_array([part.references for part in parts], type=pa.string())
    counts = pc.value_counts(references)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if len(repeated) == 0:
        return {}
    out: dict[int, dict[int, int]] = {}
    first_line: dict[str, int] = {}
    for part in sorted(parts, key=lambda p: p.span.index):
        mask = pc.is_in(part.references, value_set=repeated)
        for reference, line in zip(
            part.references.filter(mask).to_pylist(),
            part.lines.filter(mask).to_pylist(),
            strict=True,
        ):
            first = first_line.setdefault(reference, line)
            if first != line:
                out.setdefault(part.span.index, {})[line] = first
    return out


@attrs.frozen
class RunResult:
    """A whole file's outcome, merged from its parts."""

    parts: tuple[PartResult, ...]
    tally: TargetTally | None
    inspection: InspectionTally | None = None
    """The inspection counts of the whole file (``Job(score=True)``): ``.scorecard()``."""

    @property
    def accepted(self) -> int:
        """Cases accepted over every part."""
        return sum(part.accepted for part in self.parts)

    @property
    def errors(self) -> tuple[CaseError, ...]:
        """Every rejected record, in file order."""
        return tuple(
            sorted((e for part in self.parts for e in part.errors), key=lambda e: e.record)
        )

    @property
    def findings(self) -> int:
        """Findings over every part."""
        return sum(part.findings for part in self.parts)

    @property
    def parquet(self) -> tuple[str, ...]:
        """The parts' Parquet files, in file order (a Parquet dataset when read together)."""
        return tuple(part.parquet for part in self.parts if part.parquet is not None)


def merge_parts(parts: Iterable[PartResult]) -> RunResult:
    """Parts in file order with their tallies merged (no repeats left: see :func:`run_file`)."""
    ordered = tuple(sorted(parts, key=lambda part: part.span.index))
    tallies = [part.tally for part in ordered if part.tally is not None]
    tally = None
    if tallies:
        tally = tallies[0]
        for other in tallies[1:]:
            tally = tally.merge(other)
    counted = [part.inspection for part in ordered if part.inspection is not None]
    inspection = None
    if counted:
        inspection = counted[0]
        for more in counted[1:]:
            inspection = inspection.merge(more)
    return RunResult(ordered, tally, inspection)


def run_file(path: str | Path, job: Job, *, parts: int = 1) -> RunResult:
    """Evaluate a JSON Lines file in ``parts`` parts in this process, then merge them.

    The result is the same for any number of parts (tests/test_scale.py).
    """
    spans = split_file(path, parts)
    results = [run_part(path, span, job) for span in spans]
    for index, reject in repeats_across(results).items():
        results[index] = run_part(path, spans[index], job, reject=reject)
    return merge_parts(results)


def evaluate_batch(
    batch: pa.RecordBatch | pa.Table,
    ruleset: RuleSet | str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: Mapping[str, Any] | None = None,
    plain: bool = False,
) -> pa.RecordBatch:
    """Findings for a record batch of case records: the Arrow-in, Arrow-out chunk interface.

    ``batch`` (a record batch, or a table) has a ``record`` column of JSON case records,
    text or bytes, one per row as in a JSON Lines file. The records are read straight
    into columns and evaluated on them as one chunk; the findings come back as a record
    batch with :data:`~casework.stream.FINDINGS_SCHEMA`, in row order, each with its
    reason, exactly as :func:`casework.rules.evaluate` gives them for the valid records.
    Records that are not valid cases give no findings, and references are not checked
    for repeats: check the input with :func:`casework.load_cases` or :func:`run_part`,
    which account for every record. ``plain=True`` gives the columns Arrow
    dictionary-encodes (the ``category`` fields) as plain strings
    (:data:`PLAIN_FINDINGS_SCHEMA`), for an engine that takes no dictionaries (Spark).
    This is the function to hand to Ray's ``map_batches``; :func:`evaluate_batches`
    is the one for Spark's ``mapInArrow`` (docs/performance.md).
    """
    rules = named_ruleset(ruleset) if isinstance(ruleset, str) else ruleset
    records = [
        (text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text or b"")
        for text in batch.column("record").to_pylist()
    ]
    stream = io.BytesIO(b"\n".join(record.replace(b"\n", b" ") for record in records))
    found = [
        evaluate_columns(
            chunk.columns, rules, as_of=as_of, calendar=calendar, options=dict(options or {})
        ).explain()
        for chunk in read_jsonl_chunks(stream, size=max(len(records), 1), check_repeats=False)
    ]
    out = table_batch(found[0]) if found else findings_batch([])
    return _plain(out) if plain else out


#: :data:`~casework.stream.FINDINGS_SCHEMA` with plain strings where it has Arrow
#: dictionaries: the findings batches of ``evaluate_batch(..., plain=True)``.
PLAIN_FINDINGS_SCHEMA = pa.schema(
    [
        pa.field(field.name, field.type.value_type, nullable=field.nullable)
        if pa.types.is_dictionary(field.type)
        else field
        for field in FINDINGS_SCHEMA
    ]
)


def _plain(batch: pa.RecordBatch) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [
            column.dictionary_decode() if pa.types.is_dictionary(column.type) else column
            for column in batch.columns
        ],
        schema=PLAIN_FINDINGS_SCHEMA,
    )


def evaluate_batches(
    batches: Iterable[pa.RecordBatch],
    ruleset: RuleSet | str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: Mapping[str, Any] | None = None,
    plain: bool = False,
) -> Iterator[pa.RecordBatch]:
    """:func:`evaluate_batch` of each record batch in turn: an iterator of record
    batches of case records in, an iterator of findings record batches out (one for
    each batch given), the shape Spark's ``mapInArrow`` asks for."""
    rules = named_ruleset(ruleset) if isinstance(ruleset, str) else ruleset
    for batch in batches:
        yield evaluate_batch(
            batch, rules, as_of=as_of, calendar=calendar, options=options, plain=plain
        )
