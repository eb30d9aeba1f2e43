"""Parts of a case file read into columns: the same records, errors, findings and figures
as one pass, and the Arrow record batch interface for other engines."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import sys
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases, score_inspection
from casework.columnar.reader import read_column_chunks, read_jsonl_chunks
from casework.intervals import IntervalOptions
from casework.performance import Period, target_performance
from casework.rules import evaluate, met, ruleset
from casework.scale import (
    PLAIN_FINDINGS_SCHEMA,
    Job,
    Span,
    evaluate_batch,
    evaluate_batches,
    merge_parts,
    repeats_across,
    run_file,
    run_part,
)
from casework.stream import FINDINGS_SCHEMA

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import case_records

AS_OF = dt.date(2008, 4, 11)
PERIOD = Period.financial_year(2007)


@pytest.fixture(scope="module")
def repeats_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 synthetic records, a byte order mark first, one reference used four times
    (first in the file's first lines, then three times near its end), a bad line."""
    records = [json.dumps(record) for record in case_records(23, 60, AS_OF)]
    records[40] = records[2]
    records[47] = records[2]
    records[55] = records[2]
    records[50] = records[49]
    records[30] = "[1, 2"
    path = tmp_path_factory.mktemp("columns") / "repeats.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(records) + "\n").encode("utf-8"))
    return path


def spans_at(path: Path, cuts: list[int]) -> tuple[Span, ...]:
    """The parts of a file cut after the given lines (0-based line indexes)."""
    data = path.read_bytes()
    ends = [index + 1 for index, byte in enumerate(data) if byte == ord("\n")]
    bounds = [0, *(ends[cut] for cut in sorted(set(cuts))), len(data)]
    spans = []
    for index, (start, end) in enumerate(itertools.pairwise(bounds)):
        spans.append(Span(index, start, end, data[:start].count(b"\n") + 1))
    return tuple(spans)


def test_a_whole_stream_reads_as_read_column_chunks(repeats_file: Path) -> None:
    with repeats_file.open("rb") as stream:
        ours = list(read_jsonl_chunks(stream, size=7))
    theirs = list(read_column_chunks(repeats_file, size=7))
    assert [chunk.errors for chunk in ours] == [chunk.errors for chunk in theirs]
    assert [chunk.numbers.tolist() for chunk in ours] == [
        chunk.numbers.tolist() for chunk in theirs
    ]
    assert [list(chunk.columns.raw["case"]["reference"]) for chunk in ours] == [
        list(chunk.columns.raw["case"]["reference"]) for chunk in theirs
    ]
    assert {error.record for chunk in ours for error in chunk.errors} == {31, 41, 48, 51, 56}


def test_a_stream_numbers_from_its_first_line_and_takes_repeats_from_before_it(
    repeats_file: Path,
) -> None:
    (_, later) = spans_at(repeats_file, [39])
    assert later.first_line == 41
    data = repeats_file.read_bytes()[later.start : later.end]
    reference = json.loads(repeats_file.read_bytes()[3:].splitlines()[2])["reference"]
    unchecked = list(read_jsonl_chunks(io.BytesIO(data), first_line=41))
    assert [e.record for chunk in unchecked for e in chunk.errors] == [48, 51, 56]
    assert unchecked[0].numbers[0] == 41
    told = list(read_jsonl_chunks(io.BytesIO(data), first_line=41, repeats={41: 3}))
    errors = [error for chunk in told for error in chunk.errors]
    assert [error.record for error in errors] == [41, 48, 51, 56]
    named = {error.record: error.problems[0].found for error in errors}
    assert named == {
        41: "the reference of record 3",
        48: "the reference of record 3",  # not 41: record 3 used it first
        51: "the reference of record 50",
        56: "the reference of record 3",
    }
    assert errors[0].case_ref == reference
    free = list(read_jsonl_chunks(io.BytesIO(data), first_line=41, check_repeats=False))
    assert sum(len(chunk.columns) for chunk in free) == 20
    assert list(read_jsonl_chunks(io.BytesIO(b""), first_line=9)) == []


def test_parts_of_any_cut_account_for_every_record_as_one_pass(
    repeats_file: Path, calendar: WorkingCalendar
) -> None:
    loaded = load_cases(repeats_file)
    job = Job("nps-2007-08", AS_OF, calendar, targets="nps-2007-08", period=PERIOD, chunk_size=4)
    whole = target_performance(
        loaded.cases, "nps-2007-08", period=PERIOD, as_of=AS_OF, calendar=calendar
    )
    for cuts in ([], [1], [2, 44], [39, 40, 46, 47], [9, 19, 29, 39, 49]):
        spans = spans_at(repeats_file, cuts)
        parts = [run_part(repeats_file, span, job) for span in spans]
        for index, reject in repeats_across(parts).items():
            parts[index] = run_part(repeats_file, spans[index], job, reject=reject)
        result = merge_parts(parts)
        assert result.errors == loaded.errors, cuts
        assert result.accepted == len(loaded.cases)
        assert result.tally is not None
        assert result.tally.report(as_of=AS_OF) == whole


@settings(max_examples=25)  # each example runs every part: a few seconds in all
@given(cuts=st.lists(st.integers(min_value=0, max_value=58), max_size=6))
def test_any_cut_gives_the_one_pass_records_and_findings(
    repeats_file: Path, calendar: WorkingCalendar, cuts: list[int]
) -> None:
    rules = ruleset("national-standards-2007").only(["NS07.oasys-ppo", "NS07.oasys-tier4"])
    job = Job(rules, AS_OF, calendar, chunk_size=5)
    loaded = load_cases(repeats_file)
    spans = spans_at(repeats_file, cuts)
    parts = [run_part(repeats_file, span, job) for span in spans]
    for index, reject in repeats_across(parts).items():
        parts[index] = run_part(repeats_file, spans[index], job, reject=reject)
    result = merge_parts(parts)
    assert result.errors == loaded.errors
    assert [ref for part in result.parts for ref in part.references.to_pylist()] == [
        case.reference for case in loaded.cases
    ]
    assert result.findings == len(evaluate(loaded.cases, rules, as_of=AS_OF, calendar=calendar))


def test_one_job_writes_findings_and_scores_as_one_pass(
    repeats_file: Path, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    job = Job("omi-2007", AS_OF, calendar, score=True, findings_dir=str(tmp_path), chunk_size=6)
    result = run_file(repeats_file, job, parts=3)
    cases = load_cases(repeats_file).cases
    whole = evaluate(cases, "omi-2007", as_of=AS_OF, calendar=calendar)
    table = pq.read_table(list(result.parquet))
    assert result.findings == len(whole) == table.num_rows
    assert table.column("case_ref").to_pylist() == [f.case_ref for f in whole]
    assert table.column("rule_id").to_pylist() == [f.rule_id for f in whole]
    assert table.column("reason").to_pylist() == [f.reason for f in whole]
    assert table.column("due").to_pylist() == [f.due for f in whole]
    few = IntervalOptions(resamples=20, seed=3)
    assert result.inspection is not None
    assert result.inspection.scorecard(intervals=few) == score_inspection(whole, intervals=few)


def test_questions_of_a_rule_sets_own_making_are_counted_from_findings(
    repeats_file: Path, calendar: WorkingCalendar
) -> None:
    rules = ruleset("omi-2007")
    own = attrs.evolve(rules.rule("1.1.a"), check=lambda _case, _ctx: met("Always."))
    variant = rules.derive("always", replace=[own])
    job = Job(variant, AS_OF, calendar, score=True, chunk_size=8)
    result = run_file(repeats_file, job, parts=2)
    cases = load_cases(repeats_file).cases
    few = IntervalOptions(resamples=20, seed=3)
    expected = score_inspection(
        evaluate(cases, variant, as_of=AS_OF, calendar=calendar), intervals=few
    )
    assert result.inspection is not None
    assert result.inspection.scorecard(intervals=few) == expected


def _records(path: Path) -> list[str]:
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8").splitlines()


def test_record_batches_in_give_findings_batches_out(
    repeats_file: Path, calendar: WorkingCalendar
) -> None:
    lines = _records(repeats_file)
    batches = [
        pa.RecordBatch.from_pydict({"record": lines[start : start + 16]})
        for start in range(0, len(lines), 16)
    ]
    out = list(
        evaluate_batches(iter(batches), "national-standards-2007", as_of=AS_OF, calendar=calendar)
    )
    assert len(out) == len(batches)
    assert all(batch.schema == FINDINGS_SCHEMA for batch in out)
    found = pa.Table.from_batches(out)
    # Each batch on its own, references not checked: a repeated record is evaluated again.
    first = {case.reference: case for case in load_cases(repeats_file).cases}
    cases = [first[json.loads(line)["reference"]] for line in lines if line != "[1, 2"]
    assert len(cases) == 59
    whole = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    assert found.column("case_ref").to_pylist() == [f.case_ref for f in whole]
    assert found.column("reason").to_pylist() == [f.reason for f in whole]
    assert found.column("outcome").to_pylist() == [f.outcome.value for f in whole]


def test_a_batch_may_be_a_table_of_bytes_or_hold_nothing_valid(
    repeats_file: Path, calendar: WorkingCalendar
) -> None:
    lines = _records(repeats_file)[:5]
    table = pa.table({"record": pa.array([line.encode() for line in lines], pa.binary())})
    out = evaluate_batch(table, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    text = pa.RecordBatch.from_pydict({"record": lines})
    assert out == evaluate_batch(text, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    assert out.num_rows == len(
        evaluate(
            load_cases(repeats_file).cases[:5],
            "national-standards-2007",
            as_of=AS_OF,
            calendar=calendar,
        )
    )
    plain = evaluate_batch(
        text, "national-standards-2007", as_of=AS_OF, calendar=calendar, plain=True
    )
    assert plain.schema == PLAIN_FINDINGS_SCHEMA
    assert not any(pa.types.is_dictionary(field.type) for field in plain.schema)
    assert plain.to_pylist() == out.to_pylist()
    for records in ([], ["{nope", None, ""]):
        empty = pa.RecordBatch.from_pydict({"record": pa.array(records, pa.string())})
        none = evaluate_batch(empty, "national-standards-2007", as_of=AS_OF, calendar=calendar)
        assert none.schema == FINDINGS_SCHEMA
        assert none.num_rows == 0
