"""The chunked columnar reader (casework.columnar.reader): every record accounted for as
``iter_cases`` accounts for it, the accepted ones as columns with lazy cases."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import Case, CaseFileError, Limits, iter_cases
from casework.columnar import reader
from casework.columnar.raw import raw_from_cases, same_tables
from casework.columnar.rawread import slice_cases
from casework.columnar.reader import LazyCases, read_column_chunks, select_cases
from casework.stream import MixedDatesError, StreamedRead
from tests.columnar.reading import (
    AS_OF,
    ROOT,
    WITNESSES,
    assert_chunks_alike,
    bench_records,
    example_records,
    fuzzed_lines,
    jsonl,
    write_lines,
)


def test_the_bench_witness_and_example_records_are_read_alike(tmp_path: Path) -> None:
    records = [json.loads(line) for line in WITNESSES.read_text().splitlines() if line.strip()]
    records += bench_records(60) + example_records()
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl(records))
    for size in (1, 7, 1000):
        assert len(assert_chunks_alike(path, size=size)) == len(records)


def test_the_bad_cases_example_is_read_alike() -> None:
    assert_chunks_alike(ROOT / "examples" / "bad-cases.jsonl", as_of=None, size=4)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(rng=st.randoms(use_true_random=False), mutate=st.booleans(), encode=st.booleans())
def test_fuzzed_files_are_read_alike(
    rng: random.Random, mutate: bool, encode: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    lines = fuzzed_lines(rng, 6, mutate=mutate, encode=encode)
    if rng.random() < 0.3:
        lines.insert(rng.randrange(len(lines)), b"   ")  # a blank line: not a record
    if rng.random() < 0.3:
        lines.append(lines[0])  # a repeat of the first record
    path = write_lines(tmp_path_factory.mktemp("fuzz") / "cases.jsonl", lines)
    assert_chunks_alike(path, size=rng.choice([1, 2, 4, 100]))


def test_a_repeated_reference_is_rejected_across_chunks_naming_the_first(tmp_path: Path) -> None:
    first, second = example_records()[:2]
    again = {**second, "reference": first["reference"]}
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl([first, second, again, again]))
    assert_chunks_alike(path, size=2)
    errors = [e for c in read_column_chunks(path, size=2) for e in c.errors]
    assert [(e.record, e.code) for e in errors] == [
        (3, "record.duplicate_reference"),
        (4, "record.duplicate_reference"),
    ]


def test_contradictions_are_rejected_with_todays_error(tmp_path: Path) -> None:
    good, other = example_records()[:2]
    bad = json.loads(json.dumps(other))
    bad["sentence"]["released_on"] = bad["sentence"]["sentenced_on"]
    bad["sentence"]["kind"] = "community_order"
    period = json.loads(json.dumps(good))
    period["reference"] = "P-1"
    period["offender"] = {"ppo": [{"start": "2007-06-05", "end": "2007-06-01"}]}
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl([good, bad, period, other]))
    (chunk,) = read_column_chunks(path, size=10)
    assert [error.record for error in chunk.errors] == [2, 3]
    assert chunk.numbers.tolist() == [1, 4]
    assert_chunks_alike(path, size=10)


def test_json_and_yaml_documents_and_lists_of_mappings_are_read_alike(tmp_path: Path) -> None:
    for name in ("cases.json", "targets-cases.yaml"):
        path = ROOT / "examples" / name
        expected = [item for item in iter_cases(path) if isinstance(item, Case)]
        chunks = list(read_column_chunks(path, size=2))
        assert [r for c in chunks for r in c.columns.references] == [
            case.reference for case in expected
        ]
        cases = [c.columns.cases[row] for c in chunks for row in range(len(c.columns))]
        assert cases == expected
    records = example_records()
    (chunk,) = read_column_chunks(records, size=100)
    assert chunk.numbers.tolist() == list(range(1, len(records) + 1))


def test_a_file_without_records_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n  \n")
    with pytest.raises(CaseFileError) as refused:
        list(read_column_chunks(path))
    assert refused.value.code == "file.empty"
    with pytest.raises(ValueError, match="at least 1"):
        list(read_column_chunks(path, size=0))


def test_cases_are_built_only_when_indexed(tmp_path: Path) -> None:
    records = example_records()[:3]
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl(records))
    (chunk,) = read_column_chunks(path)
    cases = chunk.columns.cases
    assert isinstance(cases, LazyCases)
    assert len(cases) == 3
    assert cases[1].reference == records[1]["reference"]
    assert [case.reference for case in cases[0:3:2]] == [
        records[0]["reference"],
        records[2]["reference"],
    ]


def test_selected_rows_keep_their_children(tmp_path: Path) -> None:
    cases = [
        item for item in iter_cases(ROOT / "examples" / "cases.json") if isinstance(item, Case)
    ]
    keep = np.arange(len(cases)) % 2 == 1
    chosen = [case for case, kept in zip(cases, keep, strict=True) if kept]
    assert same_tables(select_cases(raw_from_cases(cases), keep), raw_from_cases(chosen)) == []


def test_a_range_of_rows_sliced_is_the_range_selected() -> None:
    cases = [
        item for item in iter_cases(ROOT / "examples" / "cases.json") if isinstance(item, Case)
    ]
    raw = raw_from_cases(cases)
    rows = np.arange(len(cases))
    for start in range(len(cases) + 1):
        for stop in range(start, len(cases) + 1):
            kept = (rows >= start) & (rows < stop)
            assert same_tables(slice_cases(raw, start, stop), select_cases(raw, kept)) == []


@pytest.mark.parametrize("read", [1, 4, 5, 2000])
@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_chunks_are_alike_whatever_the_lines_read_at_once(
    read: int, size: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # batches of lines split into several chunks, and chunks of several batches; bad
    # records and a reference repeated within and across batches among them
    monkeypatch.setattr(reader, "READ_SIZE", read)
    good = example_records()
    repeated = {**good[1], "reference": good[0]["reference"]}
    lines = [json.dumps(record).encode() for record in good]
    lines[2:2] = [b'{"reference": "BAD"}', json.dumps(repeated).encode(), b"{not json"]
    lines.append(json.dumps(repeated).encode())
    path = write_lines(tmp_path / "cases.jsonl", lines)
    assert_chunks_alike(path, size=size)


@pytest.mark.parametrize(("read_size", "read"), [(1, 2), (5, 4), (2000, 2000)])
def test_the_lines_read_at_once_can_be_chosen_per_read(
    read_size: int, read: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``read_size`` is what is read at once (whole chunks, at least one), not READ_SIZE,
    # and the chunks are the same
    batches: list[int] = []
    batched = reader._batched

    def spy(items: Any, size: int) -> Any:
        batches.append(size)
        return batched(items, size)

    monkeypatch.setattr(reader, "_batched", spy)
    records = example_records()
    path = write_lines(tmp_path / "cases.jsonl", [json.dumps(r).encode() for r in records])
    assert_chunks_alike(path, size=2, read_size=read_size)
    assert batches[-1] == read
    reading = StreamedRead(path, read_size=read_size)
    assert sum(len(columns) for columns in reading.column_chunks(2)) == len(records)
    assert batches[-1] == read
    list(read_column_chunks(path, size=2))
    assert batches[-1] == reader.READ_SIZE


def test_a_streamed_read_counts_and_dates_chunks_of_columns(tmp_path: Path) -> None:
    records = example_records()[:3]
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl([*records, {"reference": "BAD"}]))
    reading = StreamedRead(path)
    total = sum(len(columns) for columns in reading.column_chunks(2))
    assert (total, reading.accepted, len(reading.errors)) == (3, 3, 1)
    assert reading.assessed_on == dt.date.fromisoformat(records[0]["as_of"])
    mixed = [records[0], {**records[1], "as_of": "2008-01-31"}]
    path.write_bytes(jsonl(mixed))
    with pytest.raises(MixedDatesError):
        list(StreamedRead(path).column_chunks(5))
    assert len(list(StreamedRead(path, one_date=False).column_chunks(5))) == 1
    given = StreamedRead(path, AS_OF)
    list(given.column_chunks(5))
    assert given.assessed_on == AS_OF


def test_limits_are_kept_as_the_per_record_reader_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl(example_records()))
    assert_chunks_alike(path, limits=Limits(max_depth=3), size=3)
    assert_chunks_alike(path, limits=Limits(max_record_bytes=400), size=3)
