"""Findings written by several processes (``findings --jobs``, casework.parallel) are the
findings one process writes: CSV and JSON Lines byte for byte, Parquet row for row, every
record accounted for alike, and the same messages and exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, parallel
from casework.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from casework.io import CaseFileError
from casework.parallel import FindingsJob, PartRuleError, write_findings
from casework.stream import UNWORDED_FINDINGS_SCHEMA, WORDS, MixedDatesError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import case_records

AS_OF = dt.date(2008, 4, 11)
RULES = ("--ruleset", "national-standards-2007", "--as-of", AS_OF.isoformat())


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """80 synthetic records with a bad line, a blank line, an invalid record and
    references repeated within and across any split."""
    records = [json.dumps(record) for record in case_records(11, 80, AS_OF)]
    records[10] = "{not json"
    records[20] = ""
    records[30] = json.dumps({"reference": "BAD-1", "as_of": "2008-04-11"})
    records[60] = records[5]  # far from the first use: another part for most splits
    records[61] = records[59]
    path = tmp_path_factory.mktemp("parallel") / "cases.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _job(calendar: WorkingCalendar, format: str, **more: object) -> FindingsJob:
    return FindingsJob(
        format=format,  # type: ignore[arg-type]
        calendar=calendar,
        ruleset="national-standards-2007",
        as_of=AS_OF,
        **more,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("format", ["csv", "jsonl", "parquet"])
def test_two_processes_write_what_one_writes(case_file: Path, tmp_path: Path, format: str) -> None:
    one, two = tmp_path / f"one.{format}", tmp_path / f"two.{format}"
    code_one, _, err_one = invoke("findings", str(case_file), *RULES, "-o", str(one))
    code_two, _, err_two = invoke("findings", str(case_file), *RULES, "-o", str(two), "-j", "2")
    assert code_one == code_two == EXIT_INPUT  # rejected records: exit 1 both ways
    assert err_two.replace("two.", "one.") == err_one
    assert "4 rejected" in err_one  # the bad line, the invalid record, two repeats
    if format == "parquet":
        # the same rows (row groups, and so the dictionaries of each, can fall differently)
        written, whole = pq.read_table(two), pq.read_table(one)
        assert written.schema == whole.schema
        assert written.to_pylist() == whole.to_pylist()
        assert whole.num_rows > 0
    else:
        assert two.read_bytes() == one.read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([one.name, two.name])


def _rows(path: Path, format: str) -> list[dict[str, object]]:
    """The findings written to ``path``, as dicts of their written values."""
    if format == "parquet":
        return pq.read_table(path).to_pylist()
    text = path.read_text(encoding="utf-8")
    if format == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("format", ["csv", "jsonl", "parquet"])
def test_no_reasons_writes_each_finding_without_its_words(
    case_file: Path, tmp_path: Path, format: str, jobs: str
) -> None:
    worded, bare = tmp_path / f"worded.{format}", tmp_path / f"bare.{format}"
    code, _, err = invoke("findings", str(case_file), *RULES, "-o", str(worded))
    bare_code, _, bare_err = invoke(
        "findings", str(case_file), *RULES, "-o", str(bare), "--no-reasons", "-j", jobs
    )
    assert bare_code == code == EXIT_INPUT
    assert bare_err.replace("bare.", "worded.") == err  # the same records accounted for
    expected = [
        {name: value for name, value in row.items() if name not in WORDS}
        for row in _rows(worded, format)
    ]
    assert _rows(bare, format) == expected
    assert len(expected) > 1000
    if format != "jsonl":  # the columns in order (a JSON record's keys: finding_record's)
        names = [field.name for field in UNWORDED_FINDINGS_SCHEMA]
        assert list(_rows(bare, format)[0]) == names
    if format == "parquet":
        assert pq.read_schema(bare).remove_metadata() == UNWORDED_FINDINGS_SCHEMA


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.integers(min_value=1, max_value=9),
    format=st.sampled_from(["csv", "jsonl"]),
    outcomes=st.lists(st.sampled_from(["met", "not_met", "cannot_assess"]), max_size=2),
)
def test_any_split_writes_the_one_process_bytes_and_errors(
    case_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
    parts: int,
    format: str,
    outcomes: list[str],
) -> None:
    folder = tmp_path_factory.mktemp("split")
    job = _job(WorkingCalendar.england_and_wales(), format, outcomes=tuple(outcomes))
    whole = write_findings(case_file, folder / "whole", job, jobs=1, parts=1)
    split = write_findings(case_file, folder / "split", job, jobs=1, parts=parts)
    assert (folder / "split").read_bytes() == (folder / "whole").read_bytes()
    assert split.errors == whole.errors
    assert [error.record for error in split.errors] == [11, 31, 61, 62]  # line numbers
    assert (split.accepted, split.findings) == (whole.accepted, whole.findings)
    assert split.records == 79  # every non-blank line
    assert sorted(path.name for path in folder.iterdir()) == ["split", "whole"]


def test_one_part_writes_what_the_command_writes(
    case_file: Path, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    invoke("findings", str(case_file), *RULES, "-o", str(tmp_path / "command.csv"))
    written = write_findings(case_file, tmp_path / "library.csv", _job(calendar, "csv"), jobs=1)
    assert (tmp_path / "library.csv").read_bytes() == (tmp_path / "command.csv").read_bytes()
    assert written.summary() == "79 records read: 75 cases accepted, 4 rejected"
    assert not written.ok


def test_mixed_dates_without_as_of_fail_and_leave_nothing(tmp_path: Path) -> None:
    early = [json.dumps(record) for record in case_records(3, 30, AS_OF)]
    late = [json.dumps(record) for record in case_records(4, 30, AS_OF + dt.timedelta(days=7))]
    for i, record in enumerate(late):  # other references
        late[i] = record.replace('"reference": "', '"reference": "L')
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(early + late) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = invoke("findings", str(source), "-o", str(out), "--jobs", "2")
    assert code == EXIT_USAGE
    assert "more than one date" in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mixed.jsonl"]
    with pytest.raises(MixedDatesError):
        write_findings(
            source, out, FindingsJob(format="csv", calendar=WorkingCalendar.england_and_wales()),
            jobs=1, parts=2,
        )  # fmt: skip
    assert not out.exists()


def test_a_file_with_no_records_is_the_one_process_error(
    tmp_path: Path, calendar: WorkingCalendar
) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match="holds no records"):
        write_findings(source, tmp_path / "out.csv", _job(calendar, "csv"), jobs=1, parts=2)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["empty.jsonl"]
    code, _, err = invoke("findings", str(source), *RULES, "-o", str(tmp_path / "o.csv"), "-j", "2")
    assert code == EXIT_INPUT
    assert err.strip() == "Error: empty.jsonl: holds no records (an empty file)"


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["-f", "csv"], "not written to --output"),
        (["-o", "{out}.json"], "not written to --output"),
        (["-o", "{out}.csv", "--case", "X"], "--case and --pseudonymise"),
        (["-o", "{out}.csv", "--pseudonymise"], "--case and --pseudonymise"),
    ],
)
def test_jobs_asked_where_they_cannot_run_is_one_line(
    case_file: Path, tmp_path: Path, args: list[str], why: str
) -> None:
    given_args = [arg.format(out=tmp_path / "out") for arg in args]
    code, out, err = invoke("findings", str(case_file), *RULES, *given_args, "--jobs", "2")
    assert code == EXIT_USAGE
    assert why in err
    assert "Traceback" not in err + out
    assert list(tmp_path.iterdir()) == []


def test_jobs_need_json_lines_and_at_least_one(examples: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out.csv")
    code, _, err = invoke("findings", str(examples / "cases.json"), "-o", out, "--jobs", "2")
    assert code == EXIT_USAGE
    assert "cases.json is not JSON Lines" in err
    code, _, err = invoke("findings", str(examples / "cases.json"), "-o", out, "--jobs", "0")
    assert code == EXIT_USAGE
    assert "--jobs" in err


def test_no_rule_set_in_force_is_a_usage_error(tmp_path: Path) -> None:
    # every date four years back (leap days stay leap days): before any National Standards
    records = [
        re.sub(r'"(\d{4})-', lambda m: f'"{int(m[1]) - 4}-', json.dumps(record))
        for record in case_records(2, 4, AS_OF)
    ]
    source = tmp_path / "old.jsonl"
    source.write_text("\n".join(records) + "\n", encoding="utf-8")
    single = invoke("findings", str(source), "-o", str(tmp_path / "a.csv"))
    parallel = invoke("findings", str(source), "-o", str(tmp_path / "b.csv"), "-j", "2")
    assert single[0] == parallel[0] == EXIT_USAGE
    assert "no national-standards rule set is in force on 2004-04-11" in single[2]
    assert parallel[2] == single[2]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.jsonl"]


def test_a_rule_failure_crosses_processes_with_what_the_message_needs() -> None:
    error = pickle.loads(pickle.dumps(PartRuleError("rule NS07.x raised KeyError on case R", True)))
    assert (error.where, error.outside_calendar) == ("rule NS07.x raised KeyError on case R", True)
    assert str(error) == error.where


def test_a_job_is_checked_when_made(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="csv, jsonl or parquet"):
        FindingsJob(format="json", calendar=calendar)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        FindingsJob(format="csv", calendar=calendar, chunk_size=0)
    with pytest.raises(ValueError, match="at least 1"):
        write_findings("x.jsonl", "y.csv", FindingsJob(format="csv", calendar=calendar), jobs=0)


def test_exit_ok_when_every_record_is_accepted(tmp_path: Path) -> None:
    source = tmp_path / "ok.jsonl"
    source.write_text(
        "\n".join(json.dumps(record) for record in case_records(8, 20, AS_OF)) + "\n",
        encoding="utf-8",
    )
    code, _, err = invoke("findings", str(source), *RULES, "-o", str(tmp_path / "f.csv"), "-j", "2")
    assert code == EXIT_OK
    assert "warning" not in err


def test_a_process_that_dies_is_one_line(
    case_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(parallel, "write_findings", broken)
    code, out, err = invoke(
        "findings", str(case_file), *RULES, "-o", str(tmp_path / "f.csv"), "-j", "2"
    )
    assert code == EXIT_INPUT
    assert err.strip().splitlines() == [
        "Error: a process of --jobs ended before its part was done (out of memory?); "
        "run again with fewer --jobs"
    ]
    assert "Traceback" not in out
    assert list(tmp_path.iterdir()) == []


def test_progress_is_told_part_by_part(
    case_file: Path, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    told: list[int] = []
    written = write_findings(
        case_file, tmp_path / "f.csv", _job(calendar, "csv"), jobs=1, parts=3, done=told.append
    )
    assert len(told) == 3
    assert told == sorted(told)
    assert told[-1] == written.records == 79
    code, _, err = invoke(
        "findings", str(case_file), *RULES, "-o", str(tmp_path / "g.csv"), "-j", "2", "--progress"
    )
    assert code == EXIT_INPUT
    assert "loaded 79 records" in err


def test_parts_are_four_a_process_and_at_most_part_bytes() -> None:
    assert parallel._parts(0, 2) == 2 * parallel.PARTS_PER_JOB
    assert parallel._parts(parallel.PART_BYTES * 8, 2) == 8
    assert parallel._parts(parallel.PART_BYTES * 100 + 1, 2) == 101  # none over PART_BYTES


def test_workers_end_when_the_process_that_started_them_is_killed(tmp_path: Path) -> None:
    """A parent killed outright (no clean-up of its own) leaves no worker running."""
    source = tmp_path / "cases.jsonl"
    records = (json.dumps(record) for record in case_records(21, 600, AS_OF))
    source.write_text("\n".join(records) + "\n", encoding="utf-8")
    script = tmp_path / "killed.py"
    script.write_text(
        "import datetime as dt, multiprocessing, os, signal, sys\n"
        "from casework import WorkingCalendar\n"
        "from casework.parallel import FindingsJob, write_findings\n"
        "def killed(_records):\n"
        "    print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "if __name__ == '__main__':\n"
        "    job = FindingsJob(format='csv', calendar=WorkingCalendar.england_and_wales(),\n"
        "                      ruleset='national-standards-2007',\n"
        f"                      as_of=dt.date.fromisoformat('{AS_OF}'))\n"
        f"    write_findings(sys.argv[1], sys.argv[2], job, jobs=2, parts=60, done=killed)\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(script), str(source), str(tmp_path / "out.csv")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == -signal.SIGKILL
    workers = [int(pid) for pid in run.stdout.split()]
    assert len(workers) >= 2  # the two workers (and the resource tracker)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _running(pid)]


def test_a_worker_whose_parent_ended_before_it_started_ends() -> None:
    """The parent's pid is handed to the worker: one that was killed while the worker was
    still starting (the worker then someone else's child already) is not waited for."""
    code = "import time\nfrom casework.parallel import _worker\n_worker(0)\ntime.sleep(60)\n"
    began = time.monotonic()
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=50, check=False)
    assert run.returncode == 1  # ended by its watch, not by the end of its sleep
    assert time.monotonic() - began < 50


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[1].startswith("Z"))
