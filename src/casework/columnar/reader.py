"""Case files read into columns a chunk at a time (decision: columnar-reader).

:func:`read_column_chunks` reads a case file into :class:`ColumnChunk`\\s: the
accepted records of each chunk as :class:`~casework.columnar.CaseColumns` (raw
tables written straight from the decoded records, ``casework.columnar.rawread``;
``Case`` objects built only when asked for, :class:`LazyCases`), and the located
errors of the rejected ones. Every record is accounted for exactly as
:func:`casework.iter_cases` accounts for it: the same records accepted, the same
errors word for word, a repeated case reference rejected naming the record that
used it first.

JSON Lines files take the fast way: Arrow's JSON reader for the lines it can take
exactly (``casework.columnar.arrowread``; decision: native-json-reader), the raw
writer for the others; JSON and YAML documents (read whole anyway)
and lists of mappings go through :func:`casework.iter_cases` and
:meth:`CaseColumns.from_cases`.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import itertools
import os
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, overload

import attrs
import numpy as np
import numpy.typing as npt

from casework._checked import record_day
from casework._fastread import fast_reader
from casework._limits import DEFAULT_LIMITS, Limits
from casework._seen import SeenReferences
from casework.columnar import arrowread
from casework.columnar.arrowread import Parsed
from casework.columnar.checks import contradicted
from casework.columnar.columns import CaseColumns, Mask
from casework.columnar.raw import RawTables
from casework.columnar.rawread import (
    join_cases,
    select_cases,
    slice_cases,
    write_lines,
    write_objects,
)
from casework.io import (
    _LINE_BUFFER,
    CaseError,
    CaseFileError,
    Format,
    Source,
    _jsonl_lines,
    _line_result,
    _os_reason,
    case_file_format,
    iter_cases,
    repeated_reference,
)
from casework.model.case import Case

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = [
    "DEFAULT_NATIVE",
    "DEFAULT_SIZE",
    "ColumnChunk",
    "LazyCases",
    "Native",
    "StartedRead",
    "read_column_chunks",
    "read_jsonl_chunks",
    "references_read_back",
    "select_cases",
]

#: Records per chunk.
DEFAULT_SIZE = 1_000
#: Lines of a JSON Lines file parsed and written to raw tables at once, then split
#: into chunks of the size asked (a multiple of it, or one chunk when it is larger):
#: Arrow's reader and the raw writer cost per batch as well as per line, and the
#: batch's lines and raw tables are all it adds to a chunk's memory. 1,000 lines (with
#: chunks of 1,000, 2,000 peaked 20-36 MB higher, 299 MB for ``findings -f parquet`` at a
#: million cases); a batch is always whole chunks, so the commands' chunks of 1,500
#: (:data:`casework.stream.DEFAULT_CHUNK`) are read one a batch; a read may choose its
#: own (``read_size``: ``targets``'s; decision: read-in-batches).
READ_SIZE = 1_000
Native = Literal["on", "threads", "off"]
"""How JSON Lines are parsed (decision: native-json-reader): ``"on"``, Arrow's JSON
reader on the calling thread, the lines it cannot take exactly the per-record way;
``"threads"``, the same on Arrow's thread pool, each batch of lines after the first
parsed on a worker thread while the chunks of the one before are used (decision:
parse-ahead); ``"off"``, every line the per-record way (the strict writer, then
pydantic)."""
#: The default :data:`Native`.
DEFAULT_NATIVE: Native = "on"


Item = bytes | str | Case
"""A chunk's record as kept: its line (as read), its text, or its case once built."""


def _line_of(item: bytes | str) -> bytes:
    return item if isinstance(item, bytes) else item.encode("utf-8")


class LazyCases(Sequence[Case]):
    """A chunk's cases, each built from its record (its line, kept with the
    chunk) only when indexed, then kept. Iterating builds every one: kernels never do."""

    def __init__(
        self,
        items: list[Item],
        numbers: Sequence[int],
        as_of: dt.date | None,
        limits: Limits,
    ) -> None:
        self._items = items
        self._numbers = numbers
        self._as_of = as_of
        self._limits = limits

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Case: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Case]: ...

    def __getitem__(self, index: int | slice) -> Case | Sequence[Case]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        if isinstance(item, Case):
            return item
        case = self.fast_case(index)
        if case is None:  # (not after the reader's checks: the per-record way says why)
            found = _line_result(self._numbers[index], _line_of(item), self._limits, self._as_of)
            if not isinstance(found, Case):
                raise ValueError(f"record {self._numbers[index]} is not a valid case")
            case = self._items[index] = found
        return case

    def fast_case(self, index: int) -> Case | None:
        """The case of row ``index`` when the fast reader accepts its record (kept), else
        ``None``."""
        item = self._items[index]
        if isinstance(item, Case):
            return item
        reader = fast_reader()
        text = item.decode("utf-8") if isinstance(item, bytes) else item
        case = reader.read(text, self._as_of, self._limits) if reader.fits(self._limits) else None
        if case is not None:
            self._items[index] = case
        return case

    def item(self, index: int) -> Item:
        """Row ``index``'s record (its line or text), or its case once built."""
        return self._items[index]

    def taken(self, rows: npt.NDArray[np.intp]) -> LazyCases:
        """The cases of these rows, in this order."""
        return LazyCases(
            [self._items[row] for row in rows.tolist()],
            [self._numbers[row] for row in rows.tolist()],
            self._as_of,
            self._limits,
        )


@attrs.frozen
class ColumnChunk:
    """A chunk of a case file's records: the accepted ones as columns, the others' errors."""

    columns: CaseColumns
    """The accepted records, in file order (``columns.cases`` is lazy)."""
    numbers: npt.NDArray[np.int64]
    """The record number of each accepted case (row for row)."""
    errors: tuple[CaseError, ...]
    """The rejected records' located errors, in file order (``error.record`` its number)."""

    @property
    def records(self) -> int:
        """Records in the chunk: accepted + rejected."""
        return len(self.columns) + len(self.errors)


def read_column_chunks(
    source: Source,
    *,
    format: Format | None = None,
    as_of: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    size: int = DEFAULT_SIZE,
    native: Native = DEFAULT_NATIVE,
    read_size: int | None = None,
    started: StartedRead | None = None,
) -> Generator[ColumnChunk, None, None]:
    """Read a case file into chunks of columns, in file order.

    Contract (for ``validate``, ``score``, ``targets``, ``findings`` and other readers):

    * each chunk covers ``size`` consecutive records (the last may cover fewer),
      blank lines of JSON Lines not counted; together the chunks account for every
      record exactly once, as :func:`casework.iter_cases` does: a record accepted
      there is a row of some chunk's ``columns`` (``numbers`` gives its record
      number), a record rejected there is in that chunk's ``errors`` with the same
      :class:`~casework.CaseError` (equal, word for word);
    * a case reference used by an earlier record of the source is rejected
      (``record.duplicate_reference``, naming the first), across chunks;
    * ``columns.raw`` holds the chunk's raw tables (read from the records, not from
      ``Case`` objects) and ``columns.cases`` builds a ``Case`` only when indexed: a
      caller that needs every case should keep to columns and raw tables;
    * ``as_of`` and ``limits`` mean what they mean for :func:`casework.load_cases`;
      a file that cannot be read at all raises :class:`~casework.CaseFileError`
      (on the first ``next``) as :func:`casework.iter_cases` does;
    * memory is one chunk's plus, for the repeat check of a JSON Lines file, 4 bytes
      per accepted record (:class:`casework._seen.SeenReferences`; 16 more on a
      temporary file);
    * ``native`` (JSON Lines only) chooses how lines are parsed (:data:`Native`); the
      chunks are the same whichever it is;
    * ``read_size`` (JSON Lines only): lines parsed at once, :data:`READ_SIZE` when
      ``None`` (whole chunks, at least one); the chunks are the same whatever it is;
    * ``started``: a read of the file begun earlier (:class:`StartedRead`), taken if it
      matches this read (else closed); the chunks are the same either way.
    """
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    as_of = record_day(as_of)
    if isinstance(source, str | os.PathLike) and case_file_format(source, format) == "jsonl":
        yield from _jsonl_chunks(
            Path(source), as_of, limits, size, native, read_size=read_size, started=started
        )
        return
    if started is not None:
        started.close()
    number = 0
    for items in _batched(iter_cases(source, format=format, as_of=as_of, limits=limits), size):
        cases: list[Case] = []
        numbers: list[int] = []
        errors: list[CaseError] = []
        for item in items:
            number += 1
            if isinstance(item, Case):
                cases.append(item)
                numbers.append(number)
            else:
                errors.append(item)
        yield ColumnChunk(
            CaseColumns.from_cases(tuple(cases)), np.asarray(numbers, np.int64), tuple(errors)
        )


class RepeatCheck(Protocol):
    """The repeat check a chunk's accepted records go through (``check`` as
    :meth:`casework._seen.SeenReferences.check`)."""

    def check(self, references: Sequence[str], numbers: Sequence[int]) -> list[int | None]:
        """Per record: ``None`` (a new reference, now remembered) or the first's number."""
        ...  # pragma: no cover - a protocol


def _batched(items: Any, size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _jsonl_chunks(
    path: Path,
    as_of: dt.date | None,
    limits: Limits,
    size: int,
    native: Native,
    *,
    read_size: int | None = None,
    started: StartedRead | None = None,
) -> Iterator[ColumnChunk]:
    taken = None
    if started is not None:
        taken = started.take(path, _batch(size, read_size), limits, native)
    stream: IO[bytes]
    if taken is None:
        try:
            stream = path.open("rb", buffering=_LINE_BUFFER)
        except OSError as exc:
            raise CaseFileError(f"{path.name}: cannot be read ({_os_reason(exc)})") from None
        reading = arrowread.Reading(threads=native == "threads")
        batches: Iterator[list[_Line]] | _Parses = _batched(
            _jsonl_lines(stream, limits), _batch(size, read_size)
        )
    else:
        stream, batches, reading = taken
    seen = SeenReferences(references_read_back(path, as_of, limits))
    read = 0
    with stream:
        for lines, written in _batches_written(
            batches, as_of=as_of, limits=limits, native=native, reading=reading
        ):
            read += len(lines)
            yield from _jsonl_split(lines, written, size, as_of=as_of, limits=limits, seen=seen)
    if read == 0:
        raise CaseFileError(f"{path.name}: holds no records (an empty file)", "file.empty")


#: Batches a read started early (:class:`StartedRead`) parses before it is taken: about
#: what Arrow parses while a command imports the rest of its modules (0.1 s); each
#: holds its lines and Arrow's tables until taken.
START_BATCHES = 2


class StartedRead:
    """A JSON Lines file opened and its first batches of lines already being parsed by
    Arrow on a worker thread (decision: read-while-importing).

    A command starts one as soon as it knows its file, then reads its other options and
    imports the modules it needs (about 0.1 s) while the parse runs beside it.
    :func:`read_column_chunks` takes it (:meth:`take`) when asked for the same file in
    batches of the same size, with the same limits, parsing on a thread; the chunks are
    then exactly those of a read from the start. Any other read closes it unused. A file
    that cannot be opened or read is not started: the read proper meets the same error
    and says it. :meth:`close` stops it, taken or not (a command closes it as it ends);
    closing twice does nothing.
    """

    def __init__(
        self,
        path: Path,
        *,
        size: int = DEFAULT_SIZE,
        read_size: int | None = None,
        limits: Limits = DEFAULT_LIMITS,
        batches: int = START_BATCHES,
    ) -> None:
        self.path = path
        self.batch = _batch(size, read_size)
        self.limits = limits
        self._started: tuple[IO[bytes], _Parses, arrowread.Reading] | None = None
        self._owned = self._started  # (what close() closes, even once taken)
        try:
            stream = path.open("rb", buffering=_LINE_BUFFER)
        except OSError:
            return
        # (Arrow parses on this one thread until the read is taken, not on its pool: the
        # pool's second thread would take the core the command imports on)
        reading = arrowread.Reading(threads=False)
        parses = _Parses(_batched(_jsonl_lines(stream, limits), self.batch), limits, reading)
        try:
            parses.fill(batches)
        except OSError:
            parses.close(wait=False)
            stream.close()
            return
        self._started = self._owned = (stream, parses, reading)

    @property
    def started(self) -> bool:
        """Whether it is parsing (or has parsed) and has not been taken or closed."""
        return self._started is not None

    def take(
        self, path: Path, batch: int, limits: Limits, native: Native
    ) -> tuple[IO[bytes], _Parses, arrowread.Reading] | None:
        """Its stream, parses and reading, for a read of ``path`` in batches of ``batch``
        lines, with these limits, parsing on a thread (the read then owns them); for any
        other read ``None``, and it is closed."""
        started = self._started
        self._started = None
        if started is None:
            return None
        if (path, batch, limits, native) == (self.path, self.batch, self.limits, "threads"):
            started[2].threads = True  # (from here on as the read proper: on Arrow's pool)
            return started
        self.close()
        return None

    def close(self) -> None:
        """Stop parsing (a parse under way is left to end on its own) and close the file,
        taken or not: a read that took them is over by then (the command has ended). A
        read left unfinished by an error is so closed at once, not when the collector
        finds it."""
        self._started = None
        if self._owned is not None:
            stream, parses, _ = self._owned
            self._owned = None
            parses.close(wait=False)
            stream.close()


def _batch(size: int, read_size: int | None = None) -> int:
    """Lines read at once for chunks of ``size``: whole chunks, at least one, about
    ``read_size`` lines (:data:`READ_SIZE` when ``None``)."""
    return size * max(1, (READ_SIZE if read_size is None else read_size) // size)


_Line = tuple[int, bytes, Any]
_Written = tuple[RawTables, list[Item], list[int], list[CaseError]]


def _batches_written(
    batches: Iterator[list[_Line]] | _Parses,
    *,
    as_of: dt.date | None,
    limits: Limits,
    native: Native,
    reading: arrowread.Reading,
) -> Iterator[tuple[list[_Line], _Written]]:
    """Each batch of lines with its records written (:func:`_written`), in order.

    With ``native="threads"`` the next batch is parsed (:func:`arrowread.parse_lines`)
    on a worker thread while this one is written and its chunks used (:class:`_Parses`,
    which ``batches`` may already be: a read started early, :class:`StartedRead`)."""
    if native != "threads":
        assert not isinstance(batches, _Parses)  # (a started read parses on a thread)
        for lines in batches:
            yield lines, _written(lines, as_of, limits, native, reading)
        return
    parses = batches if isinstance(batches, _Parses) else _Parses(batches, limits, reading)
    try:
        while (taken := parses.take()) is not None:
            lines, parsed = taken
            yield lines, _written(lines, as_of, limits, native, reading, parsed=parsed)
    finally:
        parses.close()


class _Parses:
    """Batches of lines, each parsed by Arrow on a worker thread before it is used: Arrow's
    parse holds no lock, so it runs beside the interpreter, on another core where there
    is one (decision: parse-ahead). :meth:`take` gives the oldest batch with its parse
    and submits the next one's before that batch is written; :meth:`fill` submits more
    (a read started early, :class:`StartedRead`). A parse started before the batch
    before it was counted in ``reading`` is set aside (written as not offered to Arrow)
    if that count gave the reading up, so each batch is written as on one thread,
    however many were parsed ahead."""

    def __init__(
        self, batches: Iterator[list[_Line]], limits: Limits, reading: arrowread.Reading
    ) -> None:
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 (commands only)

        self._batches = batches
        self._limits = limits
        self._reading = reading
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="casework-parse")
        self._pending: collections.deque[tuple[list[_Line], Future[Parsed]]] = collections.deque()
        self._read_all = False

    def fill(self, depth: int) -> None:
        """Read batches and submit their parses until ``depth`` are submitted and not taken
        (or the lines run out)."""
        while not self._read_all and len(self._pending) < depth:
            lines = next(self._batches, None)
            if lines is None:
                self._read_all = True
                return
            fed = [line for _, line in _candidates(lines)]
            parsing = self._worker.submit(
                arrowread.parse_lines, fed, self._limits, reading=self._reading
            )
            self._pending.append((lines, parsing))

    def take(self) -> tuple[list[_Line], Parsed] | None:
        """The next batch and its parse (``None`` after the last); the next batch's parse
        is submitted before this one is returned to be written."""
        self.fill(1)
        if not self._pending:
            return None
        lines, parsing = self._pending.popleft()
        parsed = parsing.result()
        if parsed.tried and self._reading.idle:
            # (parsed before the last batch was counted, which gave the reading up)
            parsed = arrowread.Parsed(parsed.lines, False, [], [], [], [])
        self.fill(1)  # (parsed while this is written and used)
        return lines, parsed

    def close(self, *, wait: bool = True) -> None:
        """Stop: parses not begun are dropped, one under way is waited for (or, with
        ``wait=False``, left to end on its own)."""
        self._pending.clear()
        self._worker.shutdown(wait=wait, cancel_futures=True)


def _candidates(lines: list[_Line]) -> list[tuple[int, bytes]]:
    """The lines Arrow may be given (a line too long has a problem), with their numbers."""
    return [(number, line) for number, line, problem in lines if problem is None]


def _jsonl_split(
    lines: list[_Line],
    written: _Written,
    size: int,
    *,
    as_of: dt.date | None,
    limits: Limits,
    seen: RepeatCheck,
) -> Iterator[ColumnChunk]:
    """The chunks of ``size`` lines of a batch of lines parsed and written at once
    (``written``: :func:`_written`): each chunk the rows, items and errors of its own
    lines, then checked on its own, in order (the repeat check sees the chunks one
    after another)."""
    raw, items, numbers, errors = written
    firsts = [number for number, _, _ in lines[::size]]
    # (accepted records are in record order: a chunk's are a range of rows)
    bounds = [*np.searchsorted(np.asarray(numbers, dtype=np.int64), firsts).tolist(), len(numbers)]
    own: list[list[CaseError]] = [[] for _ in firsts]
    for error in errors:
        own[bisect.bisect_right(firsts, error.record) - 1].append(error)
    for index, (start, stop) in enumerate(itertools.pairwise(bounds)):
        part = raw if len(firsts) == 1 else slice_cases(raw, start, stop)
        written = (part, items[start:stop], numbers[start:stop], own[index])
        yield _jsonl_chunk(written, as_of=as_of, limits=limits, seen=seen)


def _jsonl_chunk(
    written: tuple[RawTables, list[Item], list[int], list[CaseError]],
    *,
    as_of: dt.date | None,
    limits: Limits,
    seen: RepeatCheck,
) -> ColumnChunk:
    """A chunk's column chunk from its lines' written records (:func:`_written`): the
    model's remaining checks and the repeat check, then the columns."""
    raw, items, numbers, errors = written
    cases = LazyCases(items, numbers, as_of, limits)
    keep = np.ones(len(items), dtype=bool)
    # The model's checks the writer does not make (the contradiction checks, each nested
    # model's own): a record they refuse is read the per-record way for its error.
    for row in np.flatnonzero(_contradicted(raw)).tolist():
        item = cases.item(row)
        found = (
            item
            if isinstance(item, Case)
            else _line_result(numbers[row], _line_of(item), limits, as_of)
        )
        if isinstance(found, CaseError):
            errors.append(found)
            keep[row] = False
    references = raw["case"]["reference"]
    checked = np.flatnonzero(keep).tolist()
    candidates = [references[row] for row in checked]
    firsts = seen.check(candidates, [numbers[row] for row in checked])
    for row, reference, first in zip(checked, candidates, firsts, strict=True):
        if first is not None:
            errors.append(repeated_reference(numbers[row], first, reference))
            keep[row] = False
    if not keep.all():
        rows = np.flatnonzero(keep)
        raw = select_cases(raw, keep)
        cases = cases.taken(rows)
        numbers = [numbers[row] for row in rows.tolist()]
        errors.sort(key=lambda error: error.record)
    elif errors:
        errors.sort(key=lambda error: error.record)
    return ColumnChunk(
        CaseColumns.from_raw(raw, cases), np.asarray(numbers, dtype=np.int64), tuple(errors)
    )


def references_read_back(
    path: Path, as_of: dt.date | None, limits: Limits = DEFAULT_LIMITS
) -> Callable[[Sequence[int]], dict[int, str]]:
    """The references of accepted records of ``path`` by record number, each record read
    back from the file the per-record way (only on a hash hit of the repeat check)."""

    def reference_of(wanted: Sequence[int]) -> dict[int, str]:
        left = set(wanted)
        found: dict[int, str] = {}
        with path.open("rb", buffering=_LINE_BUFFER) as stream:
            for number, line, _ in _jsonl_lines(stream, limits):
                if number in left:
                    case = _line_result(number, line, limits, as_of)
                    if not isinstance(case, Case):  # (it was accepted when read)
                        raise CaseFileError(f"{path.name}: changed while being read")
                    found[number] = case.reference
                    left.discard(number)
                    if not left:
                        break
        if left:
            raise CaseFileError(f"{path.name}: changed while being read")
        return found

    return reference_of


def _written(
    lines: list[_Line],
    as_of: dt.date | None,
    limits: Limits,
    native: Native = DEFAULT_NATIVE,
    reading: arrowread.Reading | None = None,
    *,
    parsed: Parsed | None = None,
) -> _Written:
    """The chunk's accepted records (raw tables, the line's text or its ``Case``, the
    record number) and the others' errors, before the model's remaining checks.

    The lines Arrow's JSON reader takes (``casework.columnar.arrowread``, exactly as
    the strict writer would) are written from its columns; the others as before.
    ``parsed``: the lines without a problem already parsed with ``reading``."""
    if native == "off":
        return _written_by_records(lines, as_of, limits)
    candidates = _candidates(lines)
    if reading is None:
        reading = arrowread.Reading(threads=native == "threads")
    fast = (
        arrowread.write_lines([line for _, line in candidates], as_of, limits, reading=reading)
        if parsed is None
        else arrowread.write_parsed(parsed, as_of, reading=reading)
    )
    if not any(fast.taken):
        return _written_by_records(lines, as_of, limits)
    numbers = [number for (number, _), took in zip(candidates, fast.taken, strict=True) if took]
    taken = set(numbers)
    rest = [entry for entry in lines if entry[0] not in taken]
    if not rest:
        return fast.raw, list(fast.records), numbers, []
    raw, items, others, errors = _written_by_records(rest, as_of, limits)
    if not others:
        return fast.raw, list(fast.records), numbers, errors
    order = np.argsort(np.asarray(numbers + others, dtype=np.int64), kind="stable")
    every: list[Item] = [*fast.records, *items]
    every_number = numbers + others
    return (
        join_cases([fast.raw, raw], order),
        [every[row] for row in order.tolist()],
        [every_number[row] for row in order.tolist()],
        errors,
    )


def _written_by_records(
    lines: list[tuple[int, bytes, Any]], as_of: dt.date | None, limits: Limits
) -> tuple[RawTables, list[Item], list[int], list[CaseError]]:
    """:func:`_written` without Arrow: the strict writer (msgspec), then pydantic."""
    # The lines the fast way may take, written a chunk at once (rawread.write_lines);
    # the others, and those it does not take, are read the per-record way.
    items: list[Item] = []
    numbers: list[int] = []
    errors: list[CaseError] = []
    texts: list[str] = []
    text_numbers: list[int] = []
    text_lines: list[bytes] = []
    slow: dict[int, Case | CaseError] = {}
    for number, line, problem in lines:
        if problem is not None:
            errors.append(CaseError(number, None, (problem,)))
            continue
        try:
            texts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            slow[number] = _line_result(number, line, limits, as_of)
            continue
        text_numbers.append(number)
        text_lines.append(line)
    written = write_lines(texts, as_of, limits)
    for number, line, taken in zip(text_numbers, text_lines, written.taken, strict=True):
        if not taken:
            slow[number] = _line_result(number, line, limits, as_of)
    raw = written.raw
    if slow:
        objects: list[Any] = []
        dates: list[dt.date] = []
        fast = iter(zip(written.structs, written.as_of, strict=True))
        by_number = dict(zip(text_numbers, texts, strict=True))
        for number, _, problem in lines:
            if problem is not None:
                continue
            result = slow.get(number)
            if result is None:
                struct, day = next(fast)
                objects.append(struct)
                dates.append(day)
                items.append(by_number[number])
                numbers.append(number)
            elif isinstance(result, Case):
                objects.append(result)
                dates.append(result.as_of)
                items.append(result)
                numbers.append(number)
            else:
                errors.append(result)
        if len(objects) != len(raw):  # a Case read the per-record way among them
            raw = write_objects(objects, dates)
    else:
        items.extend(texts)
        numbers.extend(text_numbers)
    return raw, items, numbers, errors


def _contradicted(raw: RawTables) -> Mask:
    """Rows whose record the model's own checks refuse beyond what the raw writer checks:
    the contradiction checks (``Case._contradictions``) and each nested model's ``after``
    validators (periods in order, ...), as column operations
    (:func:`casework.columnar.checks.contradicted`, proved equal to the model's checks
    in tests/columnar/test_checks.py). A flagged record is read the per-record way,
    which gives the model's located error."""
    return contradicted(raw)


def read_jsonl_chunks(
    stream: IO[bytes],
    *,
    first_line: int = 1,
    as_of: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    size: int = DEFAULT_SIZE,
    repeats: Mapping[int, int] | None = None,
    check_repeats: bool = True,
    native: Native = DEFAULT_NATIVE,
) -> Iterator[ColumnChunk]:
    """Read a JSON Lines byte stream (a whole file, a part of one: ``casework.scale``)
    into chunks of columns, its lines numbered from ``first_line``.

    The contract of :func:`read_column_chunks` for a ``.jsonl`` file, the same
    chunks and errors, but for a stream that may be one part of a file:

    * an empty stream gives no chunks (a part may hold no records);
    * ``repeats`` maps record numbers to the number of an earlier record, outside
      the stream, that used the same case reference (found by the caller, who sees
      every part: :func:`casework.scale.repeats_across`). Such a record is rejected
      naming that record, as one pass over the whole file rejects it, and so is any
      later record of the stream with the same reference;
    * ``check_repeats=False`` leaves references unchecked (every record is checked
      on its own, as :func:`casework.iter_jsonl_cases` does);
    * ``native`` as for :func:`read_column_chunks`.
    """
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    seen: RepeatCheck = _PartSeen(repeats or {}) if check_repeats else _Unchecked()
    reading = arrowread.Reading(threads=native == "threads")
    for lines, written in _batches_written(
        _batched(_jsonl_lines(stream, limits, first_line), _batch(size)),
        as_of=as_of,
        limits=limits,
        native=native,
        reading=reading,
    ):
        yield from _jsonl_split(lines, written, size, as_of=as_of, limits=limits, seen=seen)


class _PartSeen:
    """The repeat check of one part of a file (:func:`read_jsonl_chunks`): the references
    seen in the part, each with the record that used it first; a record named in
    ``earlier`` takes the earlier record given there as its reference's first use. A
    part is a bounded share of a file, so its references are kept as they are (the
    whole-file read keeps them compactly: :class:`casework._seen.SeenReferences`)."""

    def __init__(self, earlier: Mapping[int, int]) -> None:
        self._earlier = earlier
        self._first: dict[str, int] = {}

    def check(self, references: Sequence[str], numbers: Sequence[int]) -> list[int | None]:
        """Per record: ``None`` (its reference is new here) or the first use's number."""
        firsts: list[int | None] = []
        for reference, number in zip(references, numbers, strict=True):
            first = self._first.setdefault(reference, self._earlier.get(number, number))
            firsts.append(None if first == number else first)
        return firsts


class _Unchecked:
    """No reference remembered: every record uses its reference first."""

    def check(self, references: Sequence[str], numbers: Sequence[int]) -> list[int | None]:
        """``None`` for every record."""
        return [None] * len(references)
