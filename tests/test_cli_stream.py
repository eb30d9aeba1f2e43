"""The command line a chunk at a time: the same rows as the whole-file path, nothing partial."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from casework import dumps_cases, load_cases
from casework.cli import main


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_csv_to_a_file_is_streamed_and_is_the_csv_printed(examples: Path, tmp_path: Path) -> None:
    cases = str(examples / "cases.json")
    code, printed, _ = invoke("findings", cases, "--format", "csv")
    assert code == 0
    out = tmp_path / "findings.csv"
    code, _, err = invoke("findings", cases, "-o", str(out))
    assert code == 0
    assert "findings)" in err  # the streamed writer says how many it wrote
    assert out.read_text(encoding="utf-8") == printed
    assert not list(tmp_path.glob("*.part"))


def test_json_lines_hold_the_findings_of_the_json_report(examples: Path, tmp_path: Path) -> None:
    cases = str(examples / "cases.json")
    code, printed, _ = invoke("findings", cases, "--format", "json", "--outcome", "not_met")
    assert code == 0
    expected = json.loads(printed)["findings"]
    code, lines, _ = invoke("findings", cases, "--format", "jsonl", "--outcome", "not_met")
    assert code == 0
    assert [json.loads(line) for line in lines.splitlines()] == expected
    assert expected  # the filter kept something


def test_parquet_from_json_lines_with_rejected_records(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.parquet"
    code, _, err = invoke("findings", str(examples / "bad-cases.jsonl"), "-o", str(out))
    assert code == 1  # records were rejected; the findings cover the accepted cases
    assert "9 rejected" in err
    table = pq.read_table(out)
    accepted = {case.reference for case in load_cases(examples / "bad-cases.jsonl").cases}
    assert len(accepted) == 2
    assert set(table.column("case_ref").to_pylist()) == accepted


def test_an_error_leaves_no_partial_file(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    code, _, err = invoke(
        "findings", str(examples / "cases.json"), "--case", "NOPE", "-o", str(out)
    )
    assert code == 2
    assert "'NOPE': no accepted case" in err
    assert not out.exists()
    assert not list(tmp_path.glob("*.part"))


def test_cases_recorded_as_at_two_dates_need_an_as_of(tmp_path: Path, examples: Path) -> None:
    text = dumps_cases(load_cases(examples / "cases.json").cases[:2], format="jsonl")
    valid = [json.loads(line) for line in text.splitlines()]
    valid[1]["as_of"] = "2007-12-31"
    source = tmp_path / "two-dates.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in valid) + "\n", encoding="utf-8")
    code, _, err = invoke("findings", str(source), "-o", str(tmp_path / "f.parquet"))
    assert code == 2
    assert "more than one date" in err
    code, _, _ = invoke(
        "findings", str(source), "--as-of", "2008-01-15", "-o", str(tmp_path / "f.parquet")
    )
    assert code == 0


def test_parquet_needs_a_file(examples: Path) -> None:
    code, _, err = invoke("findings", str(examples / "cases.json"), "--format", "parquet")
    assert code == 2
    assert "Parquet is written to a file" in err
