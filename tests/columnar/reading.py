"""Helpers shared by the columnar reader's tests: the records they read, and the
reference every reading is compared with (today's per-record reader)."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from casework import Case, CaseError, Limits, iter_cases
from casework.columnar import arrowread
from casework.columnar.raw import raw_from_cases, same_tables
from casework.columnar.reader import read_column_chunks
from casework.io import iter_jsonl_cases
from tests.fuzz.engine import _dumps, _encode_line, fresh_record, mutate_record

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2007, 10, 15)
WITNESSES = ROOT / "tests" / "testing" / "data" / "outcome-witnesses.jsonl"


def bench_records(count: int) -> list[dict[str, Any]]:
    """The benchmark's generated records (bench/generate.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import case_records
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return list(case_records(2007, count, dt.date(2010, 6, 30)))


def example_records() -> list[dict[str, Any]]:
    document = json.loads((ROOT / "examples" / "cases.json").read_text(encoding="utf-8"))
    return [{"as_of": document["as_of"], **record} for record in document["cases"]]


def fuzzed_lines(rng: random.Random, count: int, *, mutate: bool, encode: bool) -> list[bytes]:
    """Lines of the fuzz engine's records (tests/fuzz), mutated and broken as bytes or not."""
    lines = []
    for number in range(count):
        record, token = fresh_record(rng, number)
        value: Any = mutate_record(rng, record, token)[0] if mutate else record
        text = _dumps(value)
        lines.append(_encode_line(rng, text) if encode else text.encode("utf-8", "surrogatepass"))
    return lines


def assert_chunks_alike(
    path: Path,
    *,
    as_of: dt.date | None = AS_OF,
    limits: Limits = Limits(),  # noqa: B008  (frozen)
    size: int = 3,
    read_size: int | None = None,
) -> list[Case]:
    """The file read in chunks of columns accounts for every record as ``iter_cases``
    does: the same errors in the same order, the same cases (built lazily, equal), their
    raw tables equal the reference reader's of those cases, every record number once.
    Returns the accepted cases."""
    expected = list(iter_cases(path, as_of=as_of, limits=limits))
    chunks = list(
        read_column_chunks(path, as_of=as_of, limits=limits, size=size, read_size=read_size)
    )
    errors = [error for chunk in chunks for error in chunk.errors]
    assert errors == [item for item in expected if isinstance(item, CaseError)]
    cases = [item for item in expected if isinstance(item, Case)]
    done = 0
    assert all(chunk.records == size for chunk in chunks[:-1])
    for chunk in chunks:
        assert chunk.records <= size
        columns = chunk.columns
        mine = cases[done : done + len(columns)]
        done += len(columns)
        assert list(columns.references) == [case.reference for case in mine]
        assert same_tables(columns.raw, raw_from_cases(mine)) == []
        assert [columns.cases[row] for row in range(len(columns))] == mine
    assert done == len(cases)
    with path.open("rb") as stream:
        every = [number for number, _ in iter_jsonl_cases(stream, as_of=as_of, limits=limits)]
    numbers = [int(n) for chunk in chunks for n in chunk.numbers]
    assert sorted(numbers + [error.record for error in errors]) == every
    return cases


def write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def jsonl(records: list[Any]) -> bytes:
    buffer = io.StringIO()
    for record in records:
        buffer.write(json.dumps(record) + "\n")
    return buffer.getvalue().encode()


def counted_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lines of each batch Arrow is asked to parse from now on
    (:func:`casework.columnar.arrowread.parse_lines`)."""
    parsed: list[int] = []
    parse = arrowread.parse_lines

    def counted(lines: list[bytes], *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(lines))
        return parse(lines, *args, **kwargs)

    monkeypatch.setattr(arrowread, "parse_lines", counted)
    return parsed
