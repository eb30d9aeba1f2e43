"""Target reports: the published-style table, each miss explained, JSON, CSV and DataFrames."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from casework import NearMiss, Period, TargetReport, WorkingCalendar, load_cases, target_performance
from casework.cli import main
from casework.report import target_report
from casework.report.dataframe import target_frame, target_units_frame
from casework.report.targets import STATUS_WORDS, TARGET_COLUMNS
from tests.conftest import EXAMPLES, console_script


@pytest.fixture(scope="module")
def performance(calendar: WorkingCalendar) -> TargetReport:
    cases = load_cases(EXAMPLES / "targets-cases.yaml").cases
    return target_performance(
        cases,
        "nps-2007-08",
        period=Period.financial_year("2007-08"),
        as_of=dt.date(2008, 4, 11),
        calendar=calendar,
        near_miss=NearMiss.relative("5%"),
    )


def test_json_is_the_target_report_with_its_source(performance: TargetReport) -> None:
    data = target_report(performance, source="targets-cases.yaml").to_dict()
    assert data["kind"] == "targets"
    assert data["source"] == "targets-cases.yaml"
    assert {k: v for k, v in data.items() if k not in {"kind", "source"}} == performance.to_dict()


def test_text_has_one_row_per_measure_with_its_verdict(performance: TargetReport) -> None:
    text = target_report(performance).render("text")
    lines = text.splitlines()
    for result in performance:
        row = next(line for line in lines if line.startswith(f"{result.measure} "))
        assert STATUS_WORDS[result.status] in row
        if result.figure_display is not None:
            assert result.figure_display in row
    tally = performance.tally()
    assert f"{tally.met} met, {tally.near_miss} near miss, {tally.not_met} not met" in text


def test_every_miss_lists_the_units_behind_it(performance: TargetReport) -> None:
    markdown = target_report(performance).render("markdown")
    misses = [r for r in performance if r.status.value in {"not_met", "near_miss"}]
    assert misses
    for result in misses:
        assert f"### {result.measure}: " in markdown
        for ref in result.failed:
            assert f"* {ref.case_ref}" in markdown
            assert ref.reason.replace("_", "\\_")[:40] in markdown


def test_csv_has_one_row_per_measure(performance: TargetReport) -> None:
    rows = list(csv.DictReader(io.StringIO(target_report(performance).render("csv"))))
    assert [row["measure"] for row in rows] == [r.measure for r in performance]
    assert list(rows[0]) == [c.key for c in TARGET_COLUMNS]
    for row, result in zip(rows, performance, strict=True):
        assert row["status"] == result.status.value
        if result.counts is not None:
            assert int(row["n_met"]) == result.counts.met
            assert int(row["n_not_met"]) == result.counts.not_met


def test_target_frame_has_one_row_per_measure(performance: TargetReport) -> None:
    frame = target_frame(performance)
    assert list(frame.columns) == [c.key for c in TARGET_COLUMNS]
    assert list(frame["measure"]) == [r.measure for r in performance]
    assert frame["status"].dtype == "category"
    assert frame["in_tally"].dtype == bool
    counted = frame.dropna(subset=["n_met"])
    assert (counted["n_met"] + counted["n_not_met"] >= 0).all()
    assert frame.loc[frame["measure"] == "N03", "n_met"].item() == performance["N03"].counts.met
    assert pd.isna(frame.loc[frame["measure"] == "N15", "n_met"].item())


def test_target_units_frame_has_one_row_per_unit_behind_a_figure(performance: TargetReport) -> None:
    frame = target_units_frame(performance)
    assert list(frame.columns) == ["measure", "status", "case_ref", "unit", "value", "reason"]
    expected = [
        (r.measure, status, ref.case_ref)
        for r in performance
        for status, refs in (
            ("failed", r.failed),
            ("pending", r.pending_units),
            ("cannot_assess", r.cannot_assess_units),
        )
        for ref in refs
    ]
    assert (
        list(frame[["measure", "status", "case_ref"]].itertuples(index=False, name=None))
        == expected
    )
    assert len(frame) > 0


def test_the_report_names_the_set_and_marks_each_verdict_in_colour_and_words(
    performance: TargetReport,
) -> None:
    report = target_report(performance)
    text = report.render("text")
    assert (
        "Target set: National Probation Service national targets 2007-08 "
        "(nps-2007-08, version 2007-08.1)"
    ) in text
    assert "5 national volume targets shown, not judged" in text
    assert "figures=" not in text  # the notes name the command-line option, not Python
    assert "--figure N15=VALUE" in text
    page = report.render("html")
    for result in performance:
        word = STATUS_WORDS[result.status]
        css = "v-" + word.replace(" ", "-")
        assert f'<td class="verdict {css}">{word}</td>' in page
    assert "td.v-not-met" in page  # the colours are styled
    assert "td.v-met" in page


def test_figures_a_file_cannot_hold_are_given_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "targets.json"
    args = [str(EXAMPLES / "targets-cases.yaml"), "--set", "2007-08", "--format", "json"]
    given = subprocess.run(
        [
            *console_script(),
            "targets",
            *args,
            "--figure",
            "N15=9.5",
            "--figure",
            "N16=95%",
            "--national-share",
            "0.005%",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert given.returncode == 0, given.stderr
    results = {r["measure"]: r for r in json.loads(out.read_text())["results"]}
    assert (results["N15"]["figure_display"], results["N15"]["basis"]) == ("9.5", "supplied")
    assert results["N16"]["status"] == "met"  # 95% against 95%
    assert results["N07"]["status"] == "not_met"  # 2 against 2.315
    # misuse: one clear line and exit status 2 (in-process: the script was run above)
    for bad, message in (
        ("N99=1", "has no measure 'N99'"),
        ("N16=95", "not a proportion"),
        ("N15", "is not ID=VALUE"),
    ):
        wrong = CliRunner().invoke(main, ["targets", *args, "--figure", bad])
        assert wrong.exit_code == 2
        assert message in wrong.stderr
        assert wrong.exception is None or isinstance(wrong.exception, SystemExit)
