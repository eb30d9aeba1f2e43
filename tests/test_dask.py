"""Dask scale-out: two local worker processes give exactly the one-process result."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from casework import WorkingCalendar
from casework.dask_runner import run_file_on_dask
from casework.intervals import IntervalOptions
from casework.performance import Period
from casework.scale import Job, run_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import case_records

AS_OF = dt.date(2008, 4, 11)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        # dashboard on a free port: a fixed one clashes with any other cluster running
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_two_workers_give_the_one_process_result(
    client: Client, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    records = [json.dumps(record) for record in case_records(9, 150, AS_OF)]
    records[40] = records[3]  # a repeated reference, found across parts
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    job = Job(
        "nps-2007-08",
        AS_OF,
        calendar,
        targets="nps-2007-08",
        period=Period.financial_year(2007),
    )
    local = run_file(path, job, parts=1)
    distributed = run_file_on_dask(path, job, client=client, parts=6)
    assert len(distributed.parts) == 6
    assert distributed.accepted == local.accepted == 149
    assert distributed.errors == local.errors
    assert [error.record for error in distributed.errors] == [41]
    assert distributed.findings == local.findings
    assert local.tally is not None
    assert distributed.tally is not None
    assert distributed.tally.report() == local.tally.report()


def test_a_client_is_required(calendar: WorkingCalendar, tmp_path: Path) -> None:
    job = Job("nps-2007-08", AS_OF, calendar)
    with pytest.raises(TypeError, match=r"distributed\.Client"):
        run_file_on_dask(tmp_path / "x.jsonl", job, client=object())


def test_two_workers_score_as_one_process(
    client: Client, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    records = [json.dumps(record) for record in case_records(11, 40, AS_OF)]
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    job = Job("omi-2007", AS_OF, calendar, score=True, chunk_size=5)
    local = run_file(path, job, parts=1)
    distributed = run_file_on_dask(path, job, client=client, parts=3)
    assert local.inspection is not None
    assert distributed.inspection is not None
    assert distributed.inspection.cases == 40
    few = IntervalOptions(resamples=30)
    card = distributed.inspection.scorecard(intervals=few)
    assert card == local.inspection.scorecard(intervals=few)
    assert card.intervals == local.inspection.scorecard(intervals=few).intervals


def test_workers_write_the_one_process_findings_as_a_parquet_dataset(
    client: Client, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    records = [json.dumps(record) for record in case_records(13, 30, AS_OF)]
    records[25] = records[2]  # a repeat found across parts: its part is written again
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    rules = "national-standards-2007"
    local = run_file(path, Job(rules, AS_OF, calendar, findings_dir=str(tmp_path / "one")))
    distributed = run_file_on_dask(
        path,
        Job(rules, AS_OF, calendar, findings_dir=str(tmp_path / "two")),
        client=client,
        parts=3,
    )
    assert len(distributed.parquet) == 3
    assert [error.record for error in distributed.errors] == [26]
    assert distributed.errors == local.errors
    ours = pq.read_table(list(distributed.parquet))
    assert ours.num_rows == distributed.findings == local.findings
    assert ours.to_pylist() == pq.read_table(list(local.parquet)).to_pylist()
