"""Findings a chunk at a time: the same findings, the same rows, memory per chunk."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases, stream
from casework.columnar import evaluate_columns
from casework.model import Case
from casework.report import findings_report
from casework.rules import evaluate, ruleset
from casework.rules.engine import Evidence
from casework.stream import (
    FINDINGS_SCHEMA,
    UNWORDED_FINDINGS_SCHEMA,
    WORDS,
    FindingsWriter,
    chunked,
    evaluate_chunks,
    evidence_line,
    evidence_lines,
    findings_batch,
    table_batch,
    table_csv_rows,
    table_jsonl_lines,
    table_records,
)

AS_OF = dt.date(2007, 10, 15)


@pytest.fixture(scope="module")
def cases(examples: Path) -> tuple[Case, ...]:
    return load_cases(examples / "cases.json").cases


def test_chunked_keeps_order_and_every_item() -> None:
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []
    with pytest.raises(ValueError, match="at least 1"):
        list(chunked(range(3), 0))


@pytest.mark.parametrize("size", [1, 2, 5, 100])
def test_chunks_concatenate_to_one_evaluation(
    cases: tuple[Case, ...], calendar: WorkingCalendar, size: int
) -> None:
    rules = ruleset("national-standards-2007")
    whole = evaluate(cases, rules, as_of=AS_OF, calendar=calendar)
    chunks = list(evaluate_chunks(cases, rules, as_of=AS_OF, calendar=calendar, chunk_size=size))
    assert len(chunks) == -(-len(cases) // size)
    assert tuple(finding for chunk in chunks for finding in chunk) == whole.items


def test_streamed_csv_is_the_reports_csv(
    cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    rules = ruleset("national-standards-2007")
    whole = evaluate(cases, rules, as_of=AS_OF, calendar=calendar)
    out = io.StringIO()
    with FindingsWriter(None, "csv", stream=out) as writer:
        for chunk in evaluate_chunks(cases, rules, as_of=AS_OF, calendar=calendar, chunk_size=2):
            writer.write(chunk)
    assert writer.count == len(whole)
    assert out.getvalue() == findings_report(whole).render("csv")


def test_streamed_json_lines_are_the_findings_records(
    cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    whole = evaluate(cases, "national-standards-2005", as_of=AS_OF, calendar=calendar)
    out = io.StringIO()
    with FindingsWriter(None, "jsonl", stream=out) as writer:
        writer.write(whole[:3])
        writer.write(whole[3:])
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == whole.to_records()


def test_parquet_holds_every_finding_with_its_types(
    cases: tuple[Case, ...], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    whole = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    path = tmp_path / "findings.parquet"
    with FindingsWriter(path, "parquet") as writer:
        writer.write(whole[:10])
        writer.write(whole[10:])
    table = pq.read_table(path)
    assert table.num_rows == len(whole)
    assert table.schema.names == FINDINGS_SCHEMA.names
    rows = table.to_pylist()
    assert [row["case_ref"] for row in rows] == [f.case_ref for f in whole]
    assert [row["outcome"] for row in rows] == [f.outcome.value for f in whole]
    assert [row["reason"] for row in rows] == [f.reason for f in whole]
    assert {row["as_of"] for row in rows} == {AS_OF}
    assert [row["roh"] for row in rows] == [f.roh for f in whole]


@pytest.mark.parametrize("row_group_bytes", [1, 20_000, 10**9])
def test_parquet_row_groups_gather_chunks_without_changing_the_rows(
    cases: tuple[Case, ...], calendar: WorkingCalendar, tmp_path: Path, row_group_bytes: int
) -> None:
    whole = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    path = tmp_path / "findings.parquet"
    chunks = [whole[start : start + 7] for start in range(0, len(whole), 7)]
    with FindingsWriter(path, "parquet", row_group_bytes=row_group_bytes) as writer:
        for chunk in chunks:
            writer.write(chunk)
        batch_bytes = findings_batch(list(chunks[0])).nbytes
    groups = pq.ParquetFile(path).metadata.num_row_groups
    if row_group_bytes == 1:
        assert groups == len(chunks)  # every chunk its own row group
    elif row_group_bytes == 10**9:
        assert groups == 1  # all held until the file is closed
    else:
        assert batch_bytes < row_group_bytes
        assert 1 < groups < len(chunks)
    table = pq.read_table(path)
    assert table.to_pylist() == findings_batch(list(whole)).to_pylist()
    assert table.schema == FINDINGS_SCHEMA.with_metadata(table.schema.metadata)


def test_parquet_rows_held_when_an_error_ends_the_run_are_not_written(
    cases: tuple[Case, ...], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    whole = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    path = tmp_path / "findings.parquet"

    def interrupted() -> None:
        with FindingsWriter(path, "parquet") as writer:
            writer.write(whole)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert pq.read_table(path).num_rows == 0  # closed, without the held findings


class _FailingWrite:
    """A Parquet writer whose row group writes fail (a full disk, say), on its thread."""

    def __init__(self, writer: pq.ParquetWriter) -> None:
        self.writer = writer
        self.tried: list[str] = []

    def write_table(self, table: pa.Table, row_group_size: int) -> None:
        self.tried.append(threading.current_thread().name)
        raise OSError("No space left on device")

    def close(self) -> None:
        self.writer.close()


@pytest.mark.parametrize("failing", ["the last row group", "an earlier row group"])
def test_parquet_row_groups_written_on_a_thread_raise_their_errors_to_the_caller(
    cases: tuple[Case, ...], calendar: WorkingCalendar, tmp_path: Path, failing: str
) -> None:
    """A row group is written on a thread of its own; an error writing it is not lost: it
    is raised by the next write (an earlier row group) or on leaving the block (the
    last), and the file is closed."""
    whole = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    path = tmp_path / "findings.parquet"
    with (  # noqa: PT012
        pytest.raises(OSError, match="No space left on device"),
        FindingsWriter(path, "parquet", row_group_bytes=1) as writer,
    ):
        real = writer._parquet
        assert real is not None
        failing_writer = _FailingWrite(real)
        writer._parquet = failing_writer  # type: ignore[assignment]
        writer.write(whole[:5])  # (a row group of its own, on the thread)
        if failing == "an earlier row group":
            writer.write(whole[5:10])  # waits for the first: its error is raised here
            pytest.fail("the first row group's error was not raised by the next write")
    assert failing_writer.tried
    assert all(name.startswith("casework-parquet") for name in failing_writer.tried)
    assert pq.read_table(path).num_rows == 0  # closed, no row group written


def test_parquet_row_groups_written_on_a_thread_are_all_in_the_file_in_order(
    cases: tuple[Case, ...], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    whole = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    path = tmp_path / "findings.parquet"
    with FindingsWriter(path, "parquet", row_group_bytes=1) as writer:
        for start in range(0, len(whole), 3):
            writer.write(whole[start : start + 3])
    # (every row group was written before the block was left, in the order given)
    assert pq.ParquetFile(path).metadata.num_row_groups == -(-len(whole) // 3)
    assert pq.read_table(path).to_pylist() == findings_batch(list(whole)).to_pylist()


def test_findings_explained_without_words_are_written_only_so(
    cases: tuple[Case, ...], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    rules = ruleset("national-standards-2007")
    answered = evaluate_columns(cases, rules, as_of=AS_OF, calendar=calendar)
    worded, bare = answered.explain(), answered.explain(words=False)
    assert (worded.worded, bare.worded) == (True, False)
    assert [list(row) for row in table_csv_rows(bare, words=False)] == [
        [cell for name, cell in zip(FINDINGS_SCHEMA.names, row, strict=True) if name not in WORDS]
        for row in table_csv_rows(worded)
    ]
    assert table_batch(bare, words=False) == table_batch(worded).select(
        UNWORDED_FINDINGS_SCHEMA.names
    )
    lines = "".join(table_jsonl_lines(bare, words=False)).splitlines()
    assert lines == [
        json.dumps(record, ensure_ascii=False) for record in table_records(bare, words=False)
    ]
    assert [json.loads(line) for line in lines] == [
        {key: value for key, value in record.items() if key not in WORDS}
        for record in table_records(worded)
    ]
    with pytest.raises(ValueError, match="explained without words"):
        list(table_jsonl_lines(bare))
    with pytest.raises(ValueError, match="explained without words"):
        list(bare.findings())
    with pytest.raises(ValueError, match="explained without words"):
        table_batch(bare)
    with pytest.raises(ValueError, match="explained without words"):
        FindingsWriter(None, "csv", stream=io.StringIO()).write(bare)
    with (
        FindingsWriter(tmp_path / "f.parquet", "parquet") as writer,
        pytest.raises(ValueError, match="not the findings' written here"),
    ):
        writer.write_batch(table_batch(bare, words=False))


def test_an_empty_chunk_is_an_empty_batch() -> None:
    batch = findings_batch([])
    assert batch.num_rows == 0
    assert batch.schema == FINDINGS_SCHEMA


def test_writer_misuse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Parquet is written to a file"):
        FindingsWriter(None, "parquet", stream=io.StringIO())
    with pytest.raises(TypeError, match="a path or a stream"):
        FindingsWriter(tmp_path / "x.csv", "csv", stream=io.StringIO())
    with pytest.raises(ValueError, match="cannot stream findings as 'html'"):
        FindingsWriter(tmp_path / "x.html", "html")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="row_group_bytes must be at least 1, not 0"):
        FindingsWriter(tmp_path / "x.parquet", "parquet", row_group_bytes=0)


_VALUES = st.one_of(
    st.dates(),
    st.integers(),
    st.text(max_size=8),
    st.booleans(),
    st.fractions(),
    st.none(),
    st.datetimes(),  # a date too (a subclass): written as plain_value writes it
)
_ITEMS = st.builds(
    Evidence, label=st.text(max_size=6), value=_VALUES, source=st.none() | st.text(max_size=4)
)


@given(st.lists(st.lists(_ITEMS, max_size=4).map(tuple), max_size=6))
def test_evidence_lines_are_each_findings_evidence_line(
    evidence: list[tuple[Evidence, ...]],
) -> None:
    shared = [*evidence, *evidence[:2]]  # tuples met again are written from the first time
    assert evidence_lines(shared) == [evidence_line(items) for items in shared]


@given(st.lists(st.lists(_ITEMS, max_size=4).map(tuple), max_size=6))
def test_evidence_in_json_is_json_dumps_of_its_records(
    evidence: list[tuple[Evidence, ...]],
) -> None:
    """JSON Lines and the JSON report write each evidence tuple from its items' fields
    (labels, sources and dates encoded once): ``json.dumps`` of the records, on one line
    or indented at its place, whatever the values' types."""
    written = stream.EvidenceJson()  # (one writer for every tuple, as for a chunk)
    indented = stream.EvidenceJson("\n    ")  # (as a finding's field in the JSON report)
    for items in [*evidence, *evidence]:
        records = [item.to_dict() for item in items]
        assert written.of(items) == json.dumps(records, ensure_ascii=False)
        expected = json.dumps(records, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        assert indented.of(items) == expected


@given(
    values=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c"])), min_size=1),
    picks=st.lists(st.integers(0, 1_000), max_size=40),
)
def test_coded_cells_are_dictionary_encoded_as_arrow_encodes_their_strings(
    values: list[str | None], picks: list[int]
) -> None:
    """Distinct strings in order of first appearance (two codes may share a string),
    ``None`` a null: the dictionary and indices ``dictionary_encode`` gives."""
    codes = np.asarray([pick % len(values) for pick in picks], dtype=np.intp)
    encoded = stream._dictionary(values, codes)
    expected = pa.array([values[code] for code in codes], pa.string()).dictionary_encode()
    assert encoded.dictionary.equals(expected.dictionary)
    assert encoded.indices.equals(expected.indices.cast(pa.int32()))
