"""A case file in parts gives what one pass gives: every record, every finding, every figure."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from casework import WorkingCalendar, load_cases, score_inspection
from casework.intervals import IntervalOptions
from casework.performance import Period, target_performance
from casework.rules import evaluate, ruleset
from casework.scale import Job, run_file, split_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import itertools

from generate import case_records

AS_OF = dt.date(2008, 4, 11)
PERIOD = Period.financial_year(2007)


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 synthetic records with a bad line, a blank line, an invalid record and repeats."""
    records = [json.dumps(record) for record in case_records(5, 120, AS_OF)]
    records[10] = "{not json"
    records[20] = ""
    records[30] = json.dumps({"reference": "BAD-1", "as_of": "2008-04-11"})
    records[70] = records[5]  # repeats a reference far from the first use
    records[71] = records[69]  # repeats the record just before it
    records[119] = records[100]
    path = tmp_path_factory.mktemp("scale") / "cases.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def job(calendar: WorkingCalendar) -> Job:
    return Job("nps-2007-08", AS_OF, calendar, targets="nps-2007-08", period=PERIOD)


def test_split_file_cuts_at_line_ends_and_numbers_lines(case_file: Path) -> None:
    data = case_file.read_bytes()
    spans = split_file(case_file, 5)
    assert spans[0].start == 0
    assert spans[-1].end == len(data)
    for before, after in itertools.pairwise(spans):
        assert before.end == after.start
        assert data[after.start - 1 : after.start] == b"\n"
        assert after.first_line == data[: after.start].count(b"\n") + 1
    assert split_file(case_file, 1)[0].end == len(data)
    with pytest.raises(ValueError, match="at least 1"):
        split_file(case_file, 0)


@pytest.mark.parametrize("parts", [1, 2, 3, 5, 9])
def test_any_number_of_parts_gives_the_single_pass_result(
    case_file: Path, job: Job, calendar: WorkingCalendar, parts: int
) -> None:
    loaded = load_cases(case_file)
    result = run_file(case_file, job, parts=parts)
    assert result.accepted == len(loaded.cases)
    assert result.errors == loaded.errors
    assert result.accepted + len(result.errors) == 119  # every non-blank line accounted for
    whole = target_performance(
        loaded.cases, "nps-2007-08", period=PERIOD, as_of=AS_OF, calendar=calendar
    )
    assert result.tally is not None
    assert result.tally.report(as_of=AS_OF) == whole


def test_findings_parts_make_the_single_pass_findings(
    case_file: Path, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    job = Job("national-standards-2007", AS_OF, calendar, findings_dir=str(tmp_path))
    result = run_file(case_file, job, parts=4)
    table = pq.read_table(list(result.parquet))
    whole = evaluate(
        load_cases(case_file).cases, "national-standards-2007", as_of=AS_OF, calendar=calendar
    )
    assert result.findings == len(whole) == table.num_rows
    assert table.column("case_ref").to_pylist() == [f.case_ref for f in whole]
    assert table.column("reason").to_pylist() == [f.reason for f in whole]


def test_the_calendar_pickles_by_value(calendar: WorkingCalendar) -> None:
    copy = pickle.loads(pickle.dumps(calendar))
    assert copy.holidays == calendar.holidays
    assert (copy.first_year, copy.last_year, copy.name) == (
        calendar.first_year,
        calendar.last_year,
        calendar.name,
    )


def test_a_record_batch_gives_the_findings_of_its_valid_records(
    examples: Path, calendar: WorkingCalendar
) -> None:
    import pyarrow as pa

    from casework import dumps_cases
    from casework.scale import evaluate_batch
    from casework.stream import FINDINGS_SCHEMA

    cases = load_cases(examples / "cases.json").cases
    lines = [*dumps_cases(cases, format="jsonl").splitlines(), "{not json", '{"reference": "X"}']
    batch = pa.RecordBatch.from_pydict({"record": lines})
    as_of = dt.date(2007, 10, 15)
    out = evaluate_batch(batch, "national-standards-2007", as_of=as_of, calendar=calendar)
    whole = evaluate(cases, "national-standards-2007", as_of=as_of, calendar=calendar)
    assert out.schema == FINDINGS_SCHEMA
    assert out.column("case_ref").to_pylist() == [f.case_ref for f in whole]
    assert out.column("reason").to_pylist() == [f.reason for f in whole]


def test_a_scoring_job_in_parts_gives_the_one_pass_scorecard(
    case_file: Path, calendar: WorkingCalendar
) -> None:
    job = Job("omi-2007", AS_OF, calendar, score=True, chunk_size=9)
    few = IntervalOptions(resamples=40, seed=1)
    cases = load_cases(case_file).cases
    expected = score_inspection(
        evaluate(cases, ruleset("omi-2007"), as_of=AS_OF, calendar=calendar), intervals=few
    )
    whole = run_file(case_file, job, parts=1)
    parts = run_file(case_file, job, parts=4)
    assert len(parts.parts) == 4
    for result in (whole, parts):
        assert result.inspection is not None
        card = result.inspection.scorecard(intervals=few)
        assert card.cases == tuple(case.reference for case in cases)
        assert card == expected
        assert card.intervals == expected.intervals
    assert pickle.loads(pickle.dumps(parts.parts[1])).inspection == parts.parts[1].inspection
