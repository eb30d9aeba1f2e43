"""`casework score` a chunk of cases at a time writes the report the whole-file path wrote:
the same JSON, byte for byte, and the same text."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from click.testing import CliRunner

from casework import WorkingCalendar, load_cases, load_inspection, score_inspection
from casework.cli import main
from casework.intervals import IntervalOptions
from casework.report.inspection import inspection_report
from casework.report.pseudonym import SequentialPseudonyms, pseudonymise
from casework.rules import evaluate, ruleset

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import case_records

RESAMPLES = 150


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def whole_file_report(
    path: Path,
    as_of: dt.date,
    calendar: WorkingCalendar,
    *,
    inspection: Path | None = None,
    pseudonyms: bool = False,
    format: str = "json",
) -> str:
    """The report as the command made it before it streamed: every finding in memory."""
    loaded = load_cases(path, as_of=as_of)
    findings = evaluate(loaded.cases, ruleset("omi-2007"), as_of=as_of, calendar=calendar)
    if pseudonyms:
        findings = pseudonymise(findings, SequentialPseudonyms())
    card = score_inspection(
        findings,
        inspection=load_inspection(inspection) if inspection else None,
        intervals=IntervalOptions(resamples=RESAMPLES),
    )
    report = inspection_report(card, source=path.name, load=loaded)
    return report.render(format)  # type: ignore[arg-type]


def test_the_example_sample_scores_as_before(examples: Path, calendar: WorkingCalendar) -> None:
    sample, inspection = examples / "omi-sample.json", examples / "omi-inspection.json"
    code, printed, _ = invoke(
        "score", str(sample), "-i", str(inspection), "-f", "json", "--resamples", str(RESAMPLES)
    )
    assert code == 0
    expected = whole_file_report(sample, dt.date(2007, 10, 15), calendar, inspection=inspection)
    assert printed == expected
    assert json.loads(printed)["scorecard"]["cases"] == 106


def test_a_generated_caseload_scores_as_before(tmp_path: Path, calendar: WorkingCalendar) -> None:
    as_of = dt.date(2010, 6, 30)
    records = [json.dumps(record) for record in case_records(3, 70, as_of)]
    records[12] = "{not json"
    path = tmp_path / "caseload.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    out = tmp_path / "scores.json"
    args = ("score", str(path), "--as-of", as_of.isoformat(), "--resamples", str(RESAMPLES))
    code, _, err = invoke(*args, "--pseudonymise", "-o", str(out))
    assert code == 1  # a record was rejected
    assert "rejected" in err
    expected = whole_file_report(path, as_of, calendar, pseudonyms=True)
    assert out.read_text(encoding="utf-8") == expected
    data = json.loads(expected)
    assert data["scorecard"]["cases"] == 69
    assert data["scorecard"]["warnings"]  # unanswered cases listed, a line at a time
    code, printed, _ = invoke(*args, "-f", "text")
    assert code == 1
    assert printed == whole_file_report(path, as_of, calendar, format="text")
