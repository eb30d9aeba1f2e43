"""The native JSON Lines path (casework.columnar.arrowread).

Exactness: every line Arrow's path takes is a line the strict writer
(``rawread.write_lines``: msgspec, then its checks) takes too, and the raw tables of
the lines taken are the strict writer's of the same lines, row for row; a line it
leaves changes nothing, and the reader reads it the per-record way (today's located
error, or its ``Case``), whatever else the chunk holds. The path is not vacuous: it
takes the plain records (the benchmark's, the witnesses', the examples').
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casework import Case, Limits
from casework.columnar import arrowread
from casework.columnar.raw import raw_from_cases, same_tables
from casework.columnar.rawread import join_cases
from casework.columnar.rawread import write_lines as strict_lines
from casework.columnar.reader import StartedRead, read_column_chunks, read_jsonl_chunks
from casework.io import CaseFileError, _line_result
from casework.model.case import Case as CaseModel
from tests.columnar.reading import (
    AS_OF,
    WITNESSES,
    bench_records,
    counted_parses,
    example_records,
    fuzzed_lines,
)

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / ".data" / "caseload-10000-seed2007.jsonl"


def _texts(lines: list[bytes]) -> list[str]:
    return [line.decode("utf-8") for line in lines]


def _exact(
    lines: list[bytes],
    as_of: dt.date | None,
    limits: Limits = Limits(),  # noqa: B008  (frozen)
    reading: arrowread.Reading | None = None,
) -> list[bool]:
    """The lines the native path takes are taken by the strict writer too, with equal
    tables; returns which it took."""
    written = arrowread.write_lines(lines, as_of, limits, reading=reading)
    assert len(written.taken) == len(lines)
    taken = [line for line, took in zip(lines, written.taken, strict=True) if took]
    assert written.records == taken
    strict = strict_lines(_texts(taken), as_of, limits)
    assert all(strict.taken), [t for t, ok in zip(taken, strict.taken, strict=True) if not ok]
    assert same_tables(written.raw, strict.raw) == []
    return written.taken


def _lines(records: list[Any]) -> list[bytes]:
    return [json.dumps(record).encode() + b"\n" for record in records]


def test_the_schema_is_the_models_less_its_mappings() -> None:
    assert arrowread.available()
    schema = arrowread.schema()
    mappings = {"judgements"}  # (only mappings inside: an empty struct of no field)
    assert set(schema.names) | mappings == set(CaseModel.model_fields)
    roh = schema.field("roh").type.value_type
    assert [field.name for field in roh] == ["level", "on"]  # risk_to, a mapping: left out
    assert schema.field("tiers").type.value_type.field("tier").type == pa.int64()


def test_the_plain_records_are_taken_as_the_strict_writer_takes_them() -> None:
    witnesses = [json.loads(line) for line in WITNESSES.read_text().splitlines() if line.strip()]
    _exact(_lines(witnesses), None)  # (most give a mapping, RoH risk_to or judgements: left)
    _exact(_lines(example_records()), None)  # (most give RoH risk_to: left)
    assert all(_exact(_lines(bench_records(150)), None))
    plain = [record for record in witnesses if "risk_to" not in json.dumps(record)]
    assert all(_exact(_lines([r for r in plain if "judgements" not in r]), None))
    if BENCH.exists():  # (the benchmark's file, when made)
        with BENCH.open("rb") as stream:
            assert all(_exact(stream.readlines()[:300], None))


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(rng=st.randoms(use_true_random=False), mutate=st.booleans(), encode=st.booleans())
def test_fuzzed_and_mutated_lines_are_taken_only_as_the_strict_writer_takes_them(
    rng: random.Random, mutate: bool, encode: bool
) -> None:
    lines = fuzzed_lines(rng, 12, mutate=mutate, encode=encode)
    _exact(lines, AS_OF)
    _exact(lines[::-1], None)


def _example() -> dict[str, Any]:
    return {**bench_records(2)[1], "reference": "X-1"}


def _changed(change: Any) -> bytes:
    record = _example()
    change(record)
    return json.dumps(record).encode()


def _broken() -> dict[str, bytes]:
    """Lines of valid and invalid records the native path must leave (by name)."""
    day = _example()["sentence"]["sentenced_on"]
    plain = json.dumps(_example())
    lines = {
        "null": _changed(lambda r: r.update(area=None)),
        "null required": _changed(lambda r: r["sentence"].update(kind=None)),
        "null in a list": _changed(lambda r: r.update(tiers=[None])),
        "unknown key": _changed(lambda r: r.update(unknown=1)),
        "unknown nested key": _changed(lambda r: r["sentence"].update(other="x")),
        "mapping": _changed(lambda r: r.update(judgements={"answers": {"1.1": "yes"}})),
        "empty mapping": _changed(lambda r: r["roh"][0].update(risk_to={})),
        "tier as text": _changed(lambda r: r["tiers"][0].update(tier="2")),
        "tier as a float": re.sub(r'"tier": (\d)', r'"tier": \1.0', plain).encode(),
        "tier unknown": _changed(lambda r: r["tiers"][0].update(tier=7)),
        "enum unknown": _changed(lambda r: r["sentence"].update(kind="Custody")),
        "bool as a number": _changed(lambda r: r.update(child_safeguarding_concern=1)),
        "int out of range": _changed(lambda r: r["sentence"].update(custodial_months=1201)),
        "int as text": _changed(lambda r: r["sentence"].update(custodial_months="3")),
        "date not real": _changed(lambda r: r["sentence"].update(sentenced_on="2009-02-29")),
        "date short": _changed(lambda r: r["sentence"].update(sentenced_on="2009-2-01")),
        "date and time": _changed(lambda r: r["sentence"].update(sentenced_on=day + "T00:00")),
        "date too early": _changed(lambda r: r["sentence"].update(sentenced_on="1974-12-31")),
        "date after as_of": _changed(lambda r: r["sentence"].update(sentenced_on="2010-07-01")),
        "as_of out of range": _changed(lambda r: r.update(as_of="2051-01-01")),
        "no as_of": _changed(lambda r: r.pop("as_of")),
        "no reference": _changed(lambda r: r.pop("reference")),
        "no sentence kind": _changed(lambda r: r["sentence"].pop("kind")),
        "reference pattern": _changed(lambda r: r.update(reference="-B1")),
        "reference too long": _changed(lambda r: r.update(reference="B" * 65)),
        "empty reference": _changed(lambda r: r.update(reference="")),
        "area padded": _changed(lambda r: r.update(area=" West")),
        "area padded beyond ASCII": _changed(lambda r: r.update(area="West\u00a0")),
        "area padded by a line separator": _changed(lambda r: r.update(area="\u2028West")),
        "area too long": _changed(lambda r: r.update(area="\u00e9" * 81)),
        "parts with assessment": _changed(
            lambda r: r.update(
                assessments=[
                    {
                        "id": "A1",
                        "purpose": "start",
                        "completed_on": day,
                        "parts_with_assessment": True,
                    }
                ]
            )
        ),
        "key twice": plain.replace('"area":', '"area": "North", "area":').encode(),
        "nested key twice": plain.replace('"kind":', '"kind": "licence", "kind":', 1).encode(),
        "escaped quote and colon": _changed(lambda r: r.update(area='a \\" : b')),
        "two records": (plain + " " + plain).encode(),
        "leading blank": b" " + plain.encode(),
        "a list": b"[" + plain.encode() + b"]",
        "bad UTF-8": plain.encode().replace(b'"X-1"', b'"X-\xff1"'),
        "control character": plain.replace('"area": "', '"area": "\x01').encode(),
        "bom": b"\xef\xbb\xbf" + plain.encode(),
        "truncated": plain[:-1].encode(),
    }
    return {name: line + b"\n" for name, line in lines.items()}


def test_records_the_strict_writer_reads_otherwise_are_left() -> None:
    plain = json.dumps(_example()).encode() + b"\n"
    broken = _broken()
    for name, line in broken.items():
        assert _exact([line], None) == [False], name
        assert _exact([plain, line, plain], None) == [True, False, True], name
    # a spaced key, an escape and \r\n line ends are read as the strict writer reads them
    kept = {
        "spaced key": plain.replace(b'"area":', b'"area" :'),
        "crlf": plain[:-1] + b"\r\n",
        "escaped": json.dumps({**_example(), "area": "W\u00e9st\\/"}).encode() + b"\n",
        "no as_of, date given": _changed(lambda r: r.pop("as_of")) + b"\n",
    }
    for name, line in kept.items():
        as_of = dt.date(2010, 6, 30) if "given" in name else None
        assert _exact([plain, line], as_of) == [True, True], name
    # every line at once: the good ones taken, the others left
    lines = [plain, *broken.values(), plain]
    assert _exact(lines, None) == [True] + [False] * len(broken) + [True]


def test_a_reading_parses_against_the_fields_seen_and_still_reads_any_other() -> None:
    reading = arrowread.Reading()
    plain = _lines(bench_records(20))
    assert all(_exact(plain, None, reading=reading))  # (the fields these give: learnt)
    richer = [*_lines(example_records()), *_broken().values()]
    rich = [json.loads(line) for line in WITNESSES.read_text().splitlines() if line.strip()]
    richer += _lines([r for r in rich if "risk_to" not in json.dumps(r) and "judgements" not in r])
    fresh = _exact(richer, None)
    assert _exact(richer, None, reading=reading) == fresh
    assert _exact(plain, None, reading=reading) == [True] * len(plain)


def test_a_first_group_is_read_against_its_first_lines_fields_and_still_reads_any_other() -> None:
    """The first group is parsed against the fields of its first lines (``Reading.learn``):
    a field that only a later line of the group gives is read all the same."""
    plain = _lines(bench_records(arrowread.Reading.SAMPLE + 3))
    rich = [json.loads(line) for line in WITNESSES.read_text().splitlines() if line.strip()]
    later = _lines([*example_records(), *(r for r in rich if "risk_to" not in json.dumps(r))])
    later = [line for line in later if b"judgements" not in line]
    expected = [True] * len(plain) + _exact(later, None)
    assert _exact([*plain, *later], None, reading=arrowread.Reading()) == expected
    assert _exact([*plain, *later], None, reading=arrowread.Reading(threads=True)) == expected


def test_a_reading_of_records_it_mostly_leaves_stops_parsing_them() -> None:
    plain = _lines(bench_records(4))
    left = [_broken()["mapping"]] * 5
    reading = arrowread.Reading()
    assert _exact(plain + left, None, reading=reading) == [True] * 4 + [False] * 5
    assert _exact(plain, None, reading=reading) == [True] * 4  # (a chunk taken: again)
    for _ in range(arrowread.Reading.GIVE_UP):
        assert not reading.idle
        _exact(plain + left, None, reading=reading)
    assert reading.idle
    assert _exact(plain, None, reading=reading) == [False] * 4


def test_tighter_limits_leave_every_line() -> None:
    line = json.dumps(_example()).encode() + b"\n"
    assert _exact([line], None, Limits(max_depth=3)) == [False]
    assert _exact([line], None, Limits(max_record_values=len(line) - 2)) == [False]


def _dates() -> st.SearchStrategy[str]:
    real = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
    shaped = st.text(alphabet="0123456789-/ T:+Z\u0661a", min_size=8, max_size=12)
    mutated = st.tuples(real, st.integers(0, 9), st.sampled_from("0123456789-x /\u0660")).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :]
    )
    days = st.tuples(st.integers(0, 2100), st.integers(0, 13), st.integers(0, 32)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    )  # (29 to 31 days a month, leap years, month 0 and 13, day 0 and 32, year 0)
    return st.one_of(real, shaped, mutated, days)


def _python_day(text: str) -> int | None:
    """The day number of a date msgspec reads (``YYYY-MM-DD`` and real), else ``None``."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    if day.isoformat() != text:
        return None
    return day.toordinal() - dt.date(1970, 1, 1).toordinal()


_EDGES = ["1900-02-29", "2000-02-29", "2100-02-29", "2008-02-29", "2009-02-29", "2009-04-31"]


_DAY_READERS = {"arrow": arrowread._day_numbers, "digits": arrowread._day_numbers_by_digits}


@example(texts=[*_EDGES, None, "0000-01-01", "2009-12-31", "2009-13-01"], cut=1, left=0)
@example(texts=["2009-12-31", "0000-01-01", "2008-02-29"], cut=0, left=0)
@example(texts=["2009-12-31", "2009-02-29"], cut=2, left=2)
@example(
    texts=["2009-1-31", "2009-01-31 ", " 2009-01-31", "+2009-01-31", "20090131", "2009-01-31T00"],
    cut=0,
    left=12,
)
@given(
    texts=st.lists(st.one_of(st.none(), _dates()), max_size=12),
    cut=st.integers(0, 3),
    left=st.integers(0, 12),
)
def test_dates_are_read_as_python_reads_them(texts: list[str | None], cut: int, left: int) -> None:
    """Both readers, over a column (a string Arrow refuses sends the whole column to
    the digits) and over each text alone (so Arrow's cast meets every text): the day
    of a real ``YYYY-MM-DD`` date, else bad; a row not given is neither (``left``: the
    row left out of those given, when there is one)."""
    array = pa.array(["2001-01-01"] * cut + texts, pa.string()).slice(cut)
    given_ = np.array([text is not None for text in texts], dtype=bool)
    if left < len(texts):
        given_[left] = False
    columns = [(array, given_, texts)]
    columns += [
        (pa.array([text], pa.string()), given_[row : row + 1], [text])
        for row, text in enumerate(texts)
    ]
    for name, read in _DAY_READERS.items():
        for column, given_rows, shown in columns:
            days, bad = read(column, given_rows)
            for row, text in enumerate(shown):
                if not given_rows[row]:
                    assert not bad[row], (name, text)
                    assert days[row] == 0, (name, text)
                    continue
                assert text is not None
                expected = _python_day(text)
                assert bad[row] == (expected is None), (name, text)
                assert days[row] == (0 if expected is None else expected), (name, text)


def _chunks_alike(path: Path, as_of: dt.date | None, size: int) -> None:
    """Read with the native path (on one thread or Arrow's pool) or without it, the
    chunks are the same: errors word for word, record numbers, raw tables (the reference
    reader's of the cases)."""
    records = list(read_column_chunks(path, as_of=as_of, size=size, native="off"))
    native = list(read_column_chunks(path, as_of=as_of, size=size, native="on"))
    threads = list(read_column_chunks(path, as_of=as_of, size=size, native="threads"))
    # (a batch a chunk: on a thread, each batch after the first parsed ahead)
    ahead = list(read_column_chunks(path, as_of=as_of, size=size, native="threads", read_size=size))
    # (begun before it was asked for: its first batches parsed at once, StartedRead)
    began = StartedRead(path, size=size, read_size=size)
    started = list(
        read_column_chunks(
            path, as_of=as_of, size=size, native="threads", read_size=size, started=began
        )
    )
    assert not began.started  # (taken)
    assert len(native) == len(threads) == len(ahead) == len(started) == len(records)
    for mine, theirs in [
        *zip(native, records, strict=True),
        *zip(threads, records, strict=True),
        *zip(ahead, records, strict=True),
        *zip(started, records, strict=True),
    ]:
        assert mine.errors == theirs.errors
        assert mine.numbers.tolist() == theirs.numbers.tolist()
        assert same_tables(mine.columns.raw, theirs.columns.raw) == []
        cases = [theirs.columns.cases[row] for row in range(len(theirs.columns))]
        assert [mine.columns.cases[row] for row in range(len(mine.columns))] == cases
        assert same_tables(mine.columns.raw, raw_from_cases(cases)) == []


def test_a_chunk_with_bad_records_gives_their_errors_and_reads_the_rest(tmp_path: Path) -> None:
    plain = [json.dumps(record).encode() + b"\n" for record in bench_records(12)]
    broken = _broken()
    lines = [
        *plain[:3],
        broken["tier as text"],  # refused by Arrow: found by halving, read per record
        plain[3],
        broken["null"],  # valid: the strict writer takes it
        b"\n",
        broken["date not real"],  # an error
        *plain[4:8],
        broken["mapping"],  # valid: the strict writer takes it
        broken["key twice"],  # an error
        *plain[8:],
    ]
    lines = [line.replace(b'"X-1"', f'"X-{n}"'.encode()) for n, line in enumerate(lines)]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"".join(lines))
    found = list(read_column_chunks(path, size=50, native="on"))
    assert len(found) == 1
    chunk = found[0]
    assert [error.record for error in chunk.errors] == [8, 14]
    assert [error.record for error in chunk.errors] == [
        number
        for number, line in enumerate(lines, start=1)
        if line.strip() and not isinstance(_line_result(number, line, Limits(), None), Case)
    ]
    assert len(chunk.columns) == len(plain) + 3
    # the good lines were Arrow's, the others the per-record way's
    written = arrowread.write_lines([line for line in lines if line.strip()], None)
    assert sum(written.taken) == len(plain)
    for size in (1, 4, 50):
        _chunks_alike(path, None, size)


def test_files_read_with_and_without_the_native_path_are_alike(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = fuzzed_lines(rng, 30, mutate=True, encode=True) + _lines(bench_records(20))
    rng.shuffle(lines)
    path = tmp_path / "fuzzed.jsonl"
    path.write_bytes(b"\n".join(line.rstrip(b"\n") for line in lines) + b"\n")
    for size in (7, 100):
        _chunks_alike(path, AS_OF, size)


def test_a_part_of_a_file_is_read_alike_from_its_first_line(tmp_path: Path) -> None:
    lines = _lines(bench_records(10))
    data = b"".join(lines)
    with_native = list(read_jsonl_chunks(_stream(data), first_line=41, size=4, native="on"))
    without = list(read_jsonl_chunks(_stream(data), first_line=41, size=4, native="off"))
    assert [c.numbers.tolist() for c in with_native] == [c.numbers.tolist() for c in without]
    assert with_native[0].numbers.tolist() == [41, 42, 43, 44]
    for mine, theirs in zip(with_native, without, strict=True):
        assert same_tables(mine.columns.raw, theirs.columns.raw) == []


def _stream(data: bytes) -> Any:
    return io.BytesIO(data)


def _offers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Each batch written from Arrow's parse from now on: its lines, and whether they
    were offered (not when the reading had given up)."""
    offers: list[tuple[int, bool]] = []
    write = arrowread.write_parsed

    def counted(parsed: arrowread.Parsed, *args: Any, **kwargs: Any) -> Any:
        offers.append((len(parsed.lines), parsed.tried))
        return write(parsed, *args, **kwargs)

    monkeypatch.setattr(arrowread, "write_parsed", counted)
    return offers


def test_batches_parsed_ahead_are_parsed_as_on_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed ahead on a worker thread, each batch is written as offered to Arrow exactly
    when it is on the calling thread: a reading gives up after the same batches (here
    before the fourth, after two of mostly mappings; the fourth's parse, started while
    the third was written, is set aside), and the chunks are the same."""
    plain = _lines(bench_records(12))
    mapping = _broken()["mapping"]
    lines = [*plain[:6], *[mapping] * 11, *plain[6:]]  # (batches of 6: 6 taken, 0, 1, -)
    lines = [line.replace(b'"X-1"', f'"X-{n}"'.encode()) for n, line in enumerate(lines)]
    path = tmp_path / "leaves.jsonl"
    path.write_bytes(b"".join(lines))
    seen = {}
    for native in ("on", "threads", 3, 4):
        offers = _offers(monkeypatch)
        # (a read begun early: 3 or all 4 batches parsed before the first is written)
        began = (
            None
            if isinstance(native, str)
            else StartedRead(path, size=3, read_size=6, batches=native)
        )
        chunks = list(
            read_column_chunks(
                path, size=3, native="threads" if began else native, read_size=6, started=began
            )
        )
        seen[native] = (offers, chunks)
        monkeypatch.undo()
    (on, on_chunks), (ahead, ahead_chunks) = seen["on"], seen["threads"]
    assert on == ahead == seen[3][0] == seen[4][0] == [(6, True), (6, True), (6, True), (5, False)]
    for mine, theirs in [
        *zip(ahead_chunks, on_chunks, strict=True),
        *zip(seen[3][1], on_chunks, strict=True),
        *zip(seen[4][1], on_chunks, strict=True),
    ]:
        assert mine.errors == theirs.errors
        assert mine.numbers.tolist() == theirs.numbers.tolist()
        assert same_tables(mine.columns.raw, theirs.columns.raw) == []


def test_the_next_batch_is_parsed_while_this_one_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the worker, a batch's parse is started before the batch before it is written
    (so the parse, not the writing, sets the pace), and the batches are written in order."""
    path = tmp_path / "plain.jsonl"
    path.write_bytes(b"".join(_lines(bench_records(12))))
    submitted: list[int] = []
    seen_at_write: list[int] = []
    submit = ThreadPoolExecutor.submit
    write = arrowread.write_parsed

    def counted(self: ThreadPoolExecutor, function: Any, *args: Any, **kwargs: Any) -> Any:
        submitted.append(len(args[0]))
        return submit(self, function, *args, **kwargs)

    def writing(parsed: arrowread.Parsed, *args: Any, **kwargs: Any) -> Any:
        seen_at_write.append(len(submitted))
        return write(parsed, *args, **kwargs)

    monkeypatch.setattr(ThreadPoolExecutor, "submit", counted)
    monkeypatch.setattr(arrowread, "write_parsed", writing)
    chunks = list(read_column_chunks(path, size=3, native="threads", read_size=3))
    assert [chunk.numbers.tolist() for chunk in chunks] == [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [10, 11, 12],
    ]
    assert submitted == [3, 3, 3, 3]
    assert seen_at_write == [2, 3, 4, 4]  # (the next batch's parse begun: none after the last)


def test_a_reading_left_early_leaves_no_worker_running(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_bytes(b"".join(_lines(bench_records(20))))
    chunks = read_column_chunks(path, size=2, native="threads", read_size=2)
    first = next(chunks)
    assert first.numbers.tolist() == [1, 2]
    assert any(thread.name.startswith("casework-parse") for thread in threading.enumerate())
    chunks.close()  # (a caller that stops: the batch being parsed ahead is waited for)
    assert not any(thread.name.startswith("casework-parse") for thread in threading.enumerate())


def _shaped(line: bytes) -> bool:
    """A line Arrow may be given, one line at a time: ``{`` first, ``}`` last before its
    line end (``\\n`` or ``\\r\\n``)."""
    body = line.removesuffix(b"\n")
    if body != line:
        body = body.removesuffix(b"\r")
    return len(body) >= 2 and body.startswith(b"{") and body.endswith(b"}")


_LINE_BYTES = st.sampled_from([b"{", b"}", b"\r", b"\n", b"a", b" ", b"\xc3\xa9", b"\xff"])


@settings(max_examples=300)
@given(st.lists(st.lists(_LINE_BYTES, max_size=6).map(b"".join), max_size=12))
@example([b"{}", b"{}\n", b"{}\r\n", b"{\r\n", b"\n", b"}\n", b"{a}\r", b"\r\n"])
def test_lines_are_told_fit_for_arrow_as_one_by_one(lines: list[bytes]) -> None:
    joined = b"".join(lines)
    shaped = arrowread._shaped_lines(arrowread._lengths(lines), joined).tolist()
    assert shaped == [_shaped(line) for line in lines]


def test_only_lines_of_utf_8_are_offered_to_arrow() -> None:
    plain = _lines(bench_records(3))
    accented = plain[1].replace(b'"reference": "B', '"reference": "\u00e9'.encode())
    broken = plain[2].replace(b'"reference": "B', b'"reference": "\xff')
    assert accented != plain[1]
    assert broken != plain[2]
    lines = [plain[0], accented, broken]
    parsed = arrowread.parse_lines(lines, reading=arrowread.Reading())
    assert parsed.candidates == [0, 1]
    ascii_only = arrowread.parse_lines(plain, reading=arrowread.Reading())
    assert ascii_only.candidates == [0, 1, 2]


def test_a_read_begun_early_parses_its_first_batches_before_it_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_bytes(b"".join(_lines(bench_records(12))))
    parsed = counted_parses(monkeypatch)
    began = StartedRead(path, size=3, read_size=3, batches=2)
    assert began.started
    deadline = time.monotonic() + 10  # (the parses run on their own thread)
    while len(parsed) < 2 and time.monotonic() < deadline:
        time.sleep(0.001)
    assert parsed == [3, 3]  # (two batches parsed, none written, nothing asked for)
    chunks = list(read_column_chunks(path, size=3, native="threads", read_size=3, started=began))
    assert [chunk.numbers.tolist() for chunk in chunks] == [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [10, 11, 12],
    ]
    assert parsed == [3, 3, 3, 3]  # (the read took them: no batch parsed twice)
    assert not began.started
    began.close()  # (after the read: nothing more to do)


@pytest.mark.parametrize(
    ("size", "read_size", "native", "limits"),
    [
        (3, 6, "threads", Limits()),
        (3, 3, "on", Limits()),
        (3, 3, "threads", Limits(max_record_bytes=10_000)),
    ],
)
def test_a_read_begun_early_is_taken_only_by_the_read_it_was_begun_for(
    tmp_path: Path, size: int, read_size: int, native: Any, limits: Limits
) -> None:
    """Another batch size, another way of parsing or other limits: the read begun early is
    closed unused and the file read from the start; the chunks are the same."""
    path = tmp_path / "plain.jsonl"
    path.write_bytes(b"".join(_lines(bench_records(7))))
    began = StartedRead(path, size=3, read_size=3)
    chunks = list(
        read_column_chunks(
            path, size=size, native=native, read_size=read_size, limits=limits, started=began
        )
    )
    assert not began.started
    expected = list(read_column_chunks(path, size=size, native="off", limits=limits))
    assert [chunk.numbers.tolist() for chunk in chunks] == [c.numbers.tolist() for c in expected]
    for mine, theirs in zip(chunks, expected, strict=True):
        assert same_tables(mine.columns.raw, theirs.columns.raw) == []


def test_a_read_begun_early_of_a_json_document_is_closed_unused(tmp_path: Path) -> None:
    jsonl = tmp_path / "plain.jsonl"
    jsonl.write_bytes(b"".join(_lines(bench_records(3))))
    document = tmp_path / "plain.json"
    document.write_text(json.dumps({"cases": bench_records(3)}), encoding="utf-8")
    began = StartedRead(jsonl)
    chunks = list(read_column_chunks(document, native="threads", started=began))
    assert not began.started
    assert [chunk.numbers.tolist() for chunk in chunks] == [[1, 2, 3]]


def test_a_file_that_cannot_be_opened_is_not_begun(tmp_path: Path) -> None:
    began = StartedRead(tmp_path / "missing.jsonl")
    assert not began.started
    began.close()  # (nothing to close)
    with pytest.raises(CaseFileError, match=r"missing\.jsonl: cannot be read"):
        list(read_column_chunks(tmp_path / "missing.jsonl", native="threads", started=began))


def test_joined_chunks_are_the_cases_in_the_order_given() -> None:
    records = bench_records(6)
    cases = [_line_result(n, line, Limits(), None) for n, line in enumerate(_lines(records), 1)]
    assert all(isinstance(case, Case) for case in cases)
    first = raw_from_cases(cases[:4])
    second = raw_from_cases(cases[4:])
    order = np.array([4, 0, 1, 5, 3, 2])
    joined = join_cases([first, second], order)
    assert same_tables(joined, raw_from_cases([cases[row] for row in order])) == []
