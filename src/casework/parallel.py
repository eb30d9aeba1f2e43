"""Findings of a large JSON Lines file written by several processes at once.

``casework findings FILE --jobs N -o OUT`` (and :func:`write_findings`) cuts the file
into byte ranges at line ends (:func:`casework.scale.split_file`, :data:`PARTS_PER_JOB`
for each process), and a pool of ``N`` processes reads, evaluates, words and writes one
range at a time, a chunk at a time, as one process would (:func:`write_part`). The
parent puts each part in the output in file order as soon as it is done: CSV and JSON
Lines byte for byte as one process writes them (the first part writes the header and
the start of the file itself; the others are appended), Parquet from the parts' Arrow
record batches, the same rows in the same order (the row groups can fall differently:
one per chunk of each part).

Every record is still accounted for as one pass accounts for it: each part numbers
its records by their place in the whole file, and a case reference that an earlier
part used is found by the parent from the parts' references, held as one pass holds
them (:class:`casework._seen.SeenReferences`, 4 bytes a case); a part that holds one
is run again with it rejected, naming the record that used it first. Without an
assessment date the parts must agree on the cases' own
(:class:`~casework.stream.MixedDatesError`).

Processes are started with ``spawn`` (the same on every platform; a forked copy of a
process that has started Arrow's threads is not safe). Each holds one chunk at a time,
so memory is about ``N`` times one process's. The time is worth it for large files: on
the 100,000-case bench file two processes on two cores took 0.6 of the time of one;
at 10,000 cases starting them costs about what they save (docs/performance.md).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Final, Self

import attrs
import pyarrow as pa

from casework._process import own_process
from casework._seen import SeenReferences
from casework.calendar import CalendarError, WorkingCalendar
from casework.columnar import evaluate_columns
from casework.columnar.reader import Native, read_column_chunks, references_read_back
from casework.io import CaseError, case_file_format, read_summary
from casework.report.findings import selector
from casework.rules.engine import RuleError
from casework.rules.registry import ruleset as named_ruleset
from casework.rules.registry import ruleset_in_force
from casework.rules.ruleset import RuleSet
from casework.scale import PartRead, PartResult, Span, split_file
from casework.stream import (
    DEFAULT_CHUNK,
    MIXED_DATES,
    FindingsWriter,
    MixedDatesError,
    StreamFormat,
    cases_own_date,
    findings_schema,
    table_batch,
)

__all__ = [
    "FindingsJob",
    "PartRuleError",
    "WrittenFindings",
    "WrittenPart",
    "splittable",
    "write_findings",
    "write_part",
]


def splittable(path: str | Path) -> bool:
    """Whether a case file can be written in parts: JSON Lines, by its name."""
    return case_file_format(path) == "jsonl"


@attrs.frozen
class FindingsJob:
    """What each part is asked: the format, the rule set, the date and the findings kept.

    ``ruleset`` is a shipped rule set's name, or ``None`` for the National Standards in
    force on the assessment date; ``as_of`` ``None`` takes the cases' own date, which they
    must share. ``outcomes``, ``rules``, ``criteria`` and ``roh`` keep only some findings,
    as :func:`casework.report.select_findings` does. ``native`` is how each process
    parses its lines (:data:`casework.columnar.reader.Native`; one thread each by default,
    the processes being the parallel part). ``words=False`` writes the findings without
    the fields in words (:data:`casework.stream.WORDS`).
    """

    format: StreamFormat
    calendar: WorkingCalendar
    ruleset: str | None = None
    as_of: dt.date | None = None
    outcomes: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    roh: bool | None = None
    chunk_size: int = DEFAULT_CHUNK
    native: Native = "on"
    words: bool = True

    def __attrs_post_init__(self) -> None:
        if self.format not in ("csv", "jsonl", "parquet"):
            raise ValueError(f"cannot write findings in parts as {self.format!r}: "
                             "use csv, jsonl or parquet")  # fmt: skip
        if self.chunk_size < 1:
            raise ValueError(f"chunk size must be at least 1, not {self.chunk_size}")

    def chosen(self, assessed_on: dt.date) -> RuleSet:
        """The rule set evaluated (``LookupError`` if none is in force on the day)."""
        if self.ruleset is not None:
            return named_ruleset(self.ruleset)
        return ruleset_in_force(assessed_on)


@attrs.frozen
class WrittenPart(PartResult):
    """One part's outcome (:class:`casework.scale.PartResult`: its records accounted for,
    its findings counted) and the assessment date its cases were evaluated at (``None``:
    none accepted)."""

    assessed_on: dt.date | None = None


@attrs.frozen
class WrittenFindings:
    """The whole file's outcome (read as :class:`~casework.stream.StreamedRead` is read)."""

    parts: tuple[WrittenPart, ...]
    assessed_on: dt.date | None

    @property
    def accepted(self) -> int:
        """Cases accepted over every part."""
        return sum(part.accepted for part in self.parts)

    @property
    def errors(self) -> tuple[CaseError, ...]:
        """Every rejected record, in file order."""
        return tuple(e for part in self.parts for e in part.errors)

    @property
    def findings(self) -> int:
        """Findings written."""
        return sum(part.findings for part in self.parts)

    @property
    def records(self) -> int:
        """Records read: accepted + rejected."""
        return self.accepted + len(self.errors)

    @property
    def ok(self) -> bool:
        """Whether every record was accepted."""
        return not self.errors

    def summary(self) -> str:
        """One line, as :meth:`casework.LoadResult.summary` words it."""
        return read_summary(self.accepted, len(self.errors))


class PartRuleError(RuntimeError):
    """A rule raised in a part (:class:`~casework.rules.RuleError`, kept across processes):
    ``where`` names the rule and the case; ``outside_calendar`` whether a date of the case
    was outside the working-day calendar (the input's problem, not a bug)."""

    def __init__(self, where: str, outside_calendar: bool) -> None:
        super().__init__(where, outside_calendar)
        self.where = where
        self.outside_calendar = outside_calendar

    def __str__(self) -> str:
        return self.where


def write_part(
    path: str | Path,
    span: Span,
    job: FindingsJob,
    out: str | Path,
    *,
    header: bool = True,
    reject: dict[int, int] | None = None,
) -> WrittenPart:
    """Read, evaluate and write one part of a JSON Lines file, a chunk at a time.

    CSV and JSON Lines are written to ``out`` as one process writes them (CSV's header
    only with ``header``); Parquet's findings as an Arrow IPC stream of record batches
    (:func:`~casework.stream.findings_schema`), for :func:`write_findings` to put in
    one file. ``reject`` is :func:`casework.scale.run_part`'s: records whose reference an
    earlier part used.
    """
    reading = PartRead(
        path, span, size=job.chunk_size, as_of=job.as_of, reject=reject, native=job.native
    )
    assessed_on = job.as_of
    chosen: RuleSet | None = None
    count = 0
    # (only the findings kept are put in words)
    wanted = selector(outcomes=job.outcomes, rules=job.rules, criteria=job.criteria, roh=job.roh)
    with contextlib.ExitStack() as stack:
        write = _part_writer(stack, job, Path(out), header)
        for columns in reading.columns():
            if job.as_of is None:
                assessed_on = cases_own_date(columns, assessed_on)
            assert assessed_on is not None
            if chosen is None:
                chosen = job.chosen(assessed_on)
            try:
                answered = evaluate_columns(
                    columns, chosen, as_of=assessed_on, calendar=job.calendar
                )
            except RuleError as exc:
                where = str(exc).split(": ", 1)[0]  # "rule NS07.x raised KeyError on case R"
                raise PartRuleError(where, isinstance(exc.__cause__, CalendarError)) from None
            # CSV and Parquet write the evidence as lines of text
            found = answered.explain(words=job.words, where=wanted, text=job.format != "jsonl")
            write(found)
            count += len(found)
    return WrittenPart(
        **reading.accounted(),
        findings=count,
        assessed_on=assessed_on if reading.accepted else None,
    )


def _part_writer(
    stack: contextlib.ExitStack, job: FindingsJob, out: Path, header: bool
) -> Callable[[Any], None]:
    """How a part writes each chunk's findings (:class:`~casework.columnar.FindingTable`)."""
    words = job.words
    if job.format != "parquet":
        writer = stack.enter_context(FindingsWriter(out, job.format, header=header, words=words))
        return writer.write
    sink = stack.enter_context(pa.OSFile(str(out), "wb"))
    batches = stack.enter_context(pa.ipc.new_stream(sink, findings_schema(words)))

    def write(found: Any) -> None:
        batches.write_batch(table_batch(found, words=words))

    return write


def write_findings(
    path: str | Path,
    output: str | Path,
    job: FindingsJob,
    *,
    jobs: int = 2,
    parts: int | None = None,
    done: Callable[[int], object] | None = None,
) -> WrittenFindings:
    """Write the findings of a JSON Lines case file to ``output`` using ``jobs`` processes.

    The file is cut into ``parts`` parts (by default :data:`PARTS_PER_JOB` per process,
    more for a file larger than that many :data:`PART_BYTES`) and each is run by
    :func:`write_part` in a pool of ``jobs`` processes (in this process when ``jobs`` is
    1). Each part is put in ``output`` as soon as it and the parts before
    it are done, in file order, while the later parts run. CSV and JSON Lines come out byte
    for byte as one process writes them, Parquet with the same rows in the same order.
    Errors are those of one process: :class:`~casework.CaseFileError` for a file with no
    records, :class:`~casework.stream.MixedDatesError`, ``LookupError`` when no rule set is
    in force on the cases' date, :class:`PartRuleError` when a rule raised. On an error
    nothing is left at ``output`` or beside it. ``done``, if given, is called with the
    records read so far each time a part is put in the output (for progress).

    In a script (not a notebook) call it under ``if __name__ == "__main__":``: each process
    is started afresh and imports the script's main module.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    source, target = Path(path), Path(output)
    spans = split_file(source, parts or _parts(source.stat().st_size, jobs))
    outs = [
        target if i == 0 and job.format != "parquet" else _part_path(target, i)
        for i in range(len(spans))
    ]
    results: list[WrittenPart] = []
    try:
        with _pool(min(jobs, len(spans))) as pool, _Joined(job, target) as joined:

            def run(i: int, reject: dict[int, int] | None = None) -> Future[WrittenPart]:
                return pool.submit(
                    write_part, source, spans[i], job, outs[i], header=i == 0, reject=reject
                )

            seen = SeenReferences(references_read_back(source, job.as_of))
            pending = collections.deque(run(i) for i in range(len(spans)))
            for i in range(len(spans)):
                result = pending.popleft().result()  # (a future done with is let go)
                reject = _used_before(seen, result)
                if reject:  # run again, rejecting what an earlier part used
                    result = run(i, reject).result()
                results.append(_counted(result))
                _one_date(results, job)
                if done is not None:
                    done(sum(written.records for written in results))
                if outs[i] != target:
                    joined.add(outs[i])
                    outs[i].unlink()
        if not any(result.records for result in results):
            next(iter(read_column_chunks(source)))  # the one-process error: no records
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        for part in outs:
            if part != target:
                part.unlink(missing_ok=True)
    return WrittenFindings(tuple(results), _one_date(results, job))


#: Parts a file is cut into for each process (:func:`write_findings`), at the least:
#: smaller parts even out the processes' shares, and a part is put in the output while
#: later ones run.
PARTS_PER_JOB: Final = 4
#: The most bytes of a file in one part: a process keeps a part's references until the
#: part is done (about 100 bytes a case), so parts stay this small whatever the file's
#: size (32 MiB: about 9,000 bench cases).
PART_BYTES: Final = 32 << 20


def _parts(size: int, jobs: int) -> int:
    """How many parts a file of ``size`` bytes is cut into for ``jobs`` processes."""
    return max(jobs * PARTS_PER_JOB, -(-size // PART_BYTES))


def _used_before(seen: SeenReferences, part: WrittenPart) -> dict[int, int]:
    """The records of ``part`` whose reference an earlier part used: ``{line: first
    line}``, from ``seen``, the references of the parts before it (4 bytes a case:
    :class:`casework._seen.SeenReferences`), which then holds this part's too. The part
    has rejected the repeats within it itself, so its accepted references are distinct."""
    lines = part.lines.to_pylist()
    firsts = seen.check(part.references.to_pylist(), lines)
    return {line: first for line, first in zip(lines, firsts, strict=True) if first is not None}


def _counted(part: WrittenPart) -> WrittenPart:
    """A part without its references (checked, and held compactly in the parent)."""
    return attrs.evolve(part, references=_NONE, lines=_NO_LINES)


_NONE = pa.nulls(0, pa.string())  # (an array from a list would import pandas)
_NO_LINES = pa.nulls(0, pa.int64())


class _Joined:
    """The output the parts are put in, one after another: Parquet written from their
    record batches, CSV and JSON Lines appended (the first part writes the file itself)."""

    def __init__(self, job: FindingsJob, target: Path) -> None:
        self._target = target
        self._parquet = (
            FindingsWriter(target, "parquet", words=job.words) if job.format == "parquet" else None
        )

    def __enter__(self) -> Self:
        if self._parquet is not None:
            self._parquet.__enter__()
        return self

    def add(self, part: Path) -> None:
        """Put a part's findings after those already in."""
        if self._parquet is None:
            with self._target.open("ab") as sink, part.open("rb") as source:
                shutil.copyfileobj(source, sink, 1 << 22)
            return
        with pa.OSFile(str(part)) as stream:  # (a memory map would count in the RSS)
            for batch in pa.ipc.open_stream(stream):
                self._parquet.write_batch(batch)

    def __exit__(self, *exc_info: Any) -> None:
        if self._parquet is not None:
            self._parquet.__exit__(*exc_info)  # (after an error, the rows held are dropped)


def _part_path(target: Path, index: int) -> Path:
    return target.with_name(f"{target.name}.{index:05d}.tmp")


@contextlib.contextmanager
def _pool(jobs: int) -> Iterator[Executor]:
    """``jobs`` spawned processes, or this process for one; on leaving, the parts not yet
    started are dropped (after an error, say) and the running ones waited for."""
    executor: Executor
    if jobs == 1:
        executor = _InProcess()
    else:
        context = multiprocessing.get_context("spawn")
        executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_worker, initargs=(os.getpid(),)
        )
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _worker(parent: int) -> None:
    """Each worker process is set up as a command's process
    (:func:`casework._process.own_process`), this module's imports made first (so they are
    among the objects left out of the collector's passes), and ends if ``parent``, the
    process that started it, ends (killed, say) instead of running its parts on with no one
    to read them. The parent's pid is given, not read here: a parent killed while this
    process was still starting would have left it another's child already, and waiting
    for that one to end (it did in 4 of 24 runs of the test).

    Its Arrow memory comes from the system's allocator, not Arrow's default (mimalloc):
    a worker reads part after part, and with mimalloc its peak grew from 207 MB at
    100,000 cases to 229-235 MB at a million (about 55 parts each instead of 4); with the
    system's, 163 and 169-170 MB, in about the same time
    (docs/decisions.md#findings-in-processes)."""
    own_process()
    pa.set_memory_pool(pa.system_memory_pool())
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


#: How often a worker looks whether the process that started it is still there.
PARENT_CHECK_SECONDS: Final = 1.0


def _end_with(parent: int) -> None:
    """End this process when its parent has gone (it is then another's child)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


class _InProcess(Executor):
    """An executor that runs each call at once, here (raising as the call raises)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _one_date(results: Sequence[WrittenPart], job: FindingsJob) -> dt.date | None:
    """The assessment date: the one given, or the one the parts' cases share."""
    if job.as_of is not None:
        return job.as_of
    dates = {result.assessed_on for result in results if result.assessed_on is not None}
    if len(dates) > 1:
        raise MixedDatesError(MIXED_DATES)
    return dates.pop() if dates else None
