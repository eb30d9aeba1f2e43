"""The command line, through the installed console script."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import console_script


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*console_script(), *args], capture_output=True, text=True, check=False)


def test_validate_the_example_file(examples: Path) -> None:
    result = run("validate", str(examples / "cases.json"))
    assert result.returncode == 0, result.stderr
    assert "6 records read: 6 cases accepted, 0 rejected" in result.stdout


def test_validate_a_file_with_bad_records(examples: Path) -> None:
    result = run("validate", str(examples / "bad-cases.jsonl"))
    assert result.returncode == 1
    assert "11 records read: 2 cases accepted, 9 rejected" in result.stdout
    assert (
        "record 3 (BAD-03): tiers[0].tier: expected one of 1, 2, 3 or 4; "
        "found a whole number of 1 digit" in result.stdout
    )
    assert "Synthetic Person Seven" not in result.stdout


def test_validate_as_json(examples: Path) -> None:
    result = run("validate", "--format", "json", str(examples / "bad-cases.jsonl"))
    payload = json.loads(result.stdout)
    assert payload["records"] == payload["accepted"] + payload["rejected"] == 11
    assert payload["errors"][0]["problems"][0]["field"] == "sentence.released_on"
    assert payload["errors"][0]["problems"][0]["code"] == "release.before_sentence"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("validate", "missing.json"), "does not exist"),
        (("validate", "--as-of", "June", "x"), "is not a date"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "x").write_text("[]")
    result = subprocess.run(
        [*console_script(), *args], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("[{")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "broken.json: not valid JSON" in result.stderr


def test_schema_prints_json_schema() -> None:
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["$defs"]["Case"]["title"] == "Case"


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casework", "--help"], capture_output=True, text=True, check=True
    )
    assert "validate" in result.stdout


# ---------------------------------------------------------------------- findings

FINDINGS = ("findings", "--ruleset", "national-standards-2007", "--as-of", "2007-10-15")


def test_findings_on_the_example_file(examples: Path) -> None:
    result = run(*FINDINGS, str(examples / "cases.json"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["records"] == {"read": 6, "accepted": 6, "rejected": 0}
    assert len(data["findings"]) == 6 * len(data["rules"])
    assert sum(data["counts"].values()) == len(data["findings"])
    assert {f["ruleset"] for f in data["findings"]} == {"national-standards-2007"}


def test_findings_defaults_to_the_files_date_and_the_standards_in_force(examples: Path) -> None:
    explicit = run(*FINDINGS, str(examples / "cases.json"), "--format", "json")
    implicit = run("findings", str(examples / "cases.json"), "--format", "json")
    assert implicit.returncode == 0, implicit.stderr
    assert implicit.stdout == explicit.stdout


def test_findings_on_a_file_with_bad_records(examples: Path) -> None:
    result = run(*FINDINGS, str(examples / "bad-cases.jsonl"), "--format", "csv")
    assert result.returncode == 1
    assert "11 records read: 2 cases accepted, 9 rejected" in result.stderr
    assert "casework validate" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["case_ref"] for row in rows} == {"BAD-01", "GOOD-11"}
    assert "Synthetic Person" not in result.stdout + result.stderr


def test_findings_filters(examples: Path) -> None:
    result = run(
        *FINDINGS,
        str(examples / "cases.json"),
        "--outcome",
        "not_met",
        "--rule",
        "NS07.oasys-tier*",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert {row["outcome"] for row in rows} == {"not_met"}
    assert all(row["rule_id"].startswith("NS07.oasys-tier") for row in rows)


@pytest.mark.parametrize("format_", ["text", "markdown", "html"])
def test_findings_for_people(examples: Path, format_: str) -> None:
    result = run(
        *FINDINGS, str(examples / "cases.json"), "-f", format_, "--case", "EX-0003", "--detail"
    )
    assert result.returncode == 0, result.stderr
    assert "EX-0003" in result.stdout
    assert "EX-0001" not in result.stdout
    assert "2 working days after it was due on 25 April 2007" in " ".join(result.stdout.split())


def test_output_file_takes_its_format_from_the_suffix(examples: Path, tmp_path: Path) -> None:
    target = tmp_path / "findings.html"
    result = run(*FINDINGS, str(examples / "cases.json"), "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = run(*FINDINGS, str(examples / "cases.json"), "--output", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2
    assert "cannot tell the format" in bad.stderr


#: Each command that reads FILE and writes a report, with the options it needs.
_REPORTING = [
    ("validate",),
    ("findings",),
    ("score",),
    ("targets", "--set", "2007-08"),
    ("diff", "-b", "national-standards-2007", "-v", "national-standards-2005"),
    ("sample",),
]


@pytest.mark.parametrize("command", _REPORTING, ids=lambda c: c[0])
def test_an_unknown_output_suffix_is_refused_before_the_file_is_read(
    examples: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    # bad-cases.jsonl has rejected records: a command that read it would warn of them (or
    # for validate, list them) before reaching the output
    target = tmp_path / "report.pdf"
    result = run(*command, str(examples / "bad-cases.jsonl"), "-o", str(target))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: Invalid value for '--output': cannot tell the format of 'report.pdf'; use one of "
    )
    assert "rejected" not in result.stderr
    assert not target.exists()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"reference": ', encoding="utf-8")
    unread = run(*command, str(broken), "-o", str(target))  # (else: exit 1, not valid JSON)
    assert unread.returncode == 2
    assert "cannot tell the format of 'report.pdf'" in unread.stderr


def test_findings_names_the_suffixes_it_writes_a_chunk_at_a_time(
    examples: Path, tmp_path: Path
) -> None:
    result = run(*FINDINGS, str(examples / "cases.json"), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert (
        "use one of .csv, .htm, .html, .json, .jsonl, .markdown, .md, .ndjson, .parquet, .txt"
        in result.stderr
    )
    given = run(*FINDINGS, str(examples / "cases.json"), "-f", "csv", "-o", str(tmp_path / "x.pdf"))
    assert given.returncode == 0, given.stderr  # (--format given: any name will do)


def test_sample_writes_no_cases_when_its_output_cannot_be_written(
    examples: Path, tmp_path: Path
) -> None:
    drawn = tmp_path / "drawn.jsonl"
    args = ("sample", str(examples / "cases.json"), "--cases", str(drawn))
    result = run(*args, "-o", str(tmp_path / "sample.pdf"))
    assert result.returncode == 2
    assert not drawn.exists()
    assert run(*args, "-o", str(tmp_path / "sample.md")).returncode == 0
    assert drawn.exists()


def test_an_output_option_is_named_as_given_when_its_folder_is_missing(
    examples: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder"
    chart = run("score", str(examples / "cases.json"), "--chart", str(missing / "chart.png"))
    assert chart.returncode == 2
    assert "Invalid value for '--chart': cannot write 'chart.png'" in chart.stderr


def test_pseudonymised_findings(examples: Path, tmp_path: Path) -> None:
    plain = run(*FINDINGS, str(examples / "cases.json"), "--pseudonymise", "--format", "json")
    data = json.loads(plain.stdout)
    assert [f["case_ref"] for f in data["findings"]][:: len(data["rules"])] == [
        f"CASE-{i:04d}" for i in range(1, 7)
    ]
    assert "EX-000" not in plain.stdout

    key = tmp_path / "key"
    key.write_text("a secret of ours\n")
    keyed = run(
        *FINDINGS, str(examples / "cases.json"), "--pseudonym-key-file", str(key), "-f", "csv"
    )
    refs = {row["case_ref"] for row in csv.DictReader(io.StringIO(keyed.stdout))}
    from casework.report import KeyedPseudonyms

    names = KeyedPseudonyms(b"a secret of ours")
    assert refs == {names(f"EX-000{i}") for i in range(1, 7)}

    key.write_text("short\n")
    weak = run(*FINDINGS, str(examples / "cases.json"), "--pseudonym-key-file", str(key))
    assert weak.returncode == 2
    assert (
        "Invalid value for '--pseudonym-key-file': 'key': a pseudonym key needs at least 16 "
        "bytes (128 bits), not 5: make a random one (python -c 'import secrets; "
        "print(secrets.token_hex(32))' > pseudonym.key)" in " ".join(weak.stderr.split())
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ruleset", "nope"), "no rule set named 'nope'; known: national-standards, "),
        (("--as-of", "15/10/2007"), "is not a date"),
        (("--outcome", "failed"), "'failed' is not one of"),
        (("--as-of", "2001-01-01"), "no national-standards rule set is in force on 2001-01-01"),
        (("--format", "pdf"), "'pdf' is not one of"),
    ],
)
def test_findings_bad_arguments_exit_2(examples: Path, args: tuple[str, ...], message: str) -> None:
    result = run("findings", str(examples / "cases.json"), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_findings_asks_for_a_date_when_the_cases_disagree(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "reference": f"M-{day}",
                    "as_of": f"2007-10-{day}",
                    "sentence": {"kind": "community_order", "sentenced_on": "2007-06-01"},
                }
            )
            for day in (15, 16)
        )
    )
    # (every report is read a chunk at a time: the read stops at the second date)
    for extra in ((), ("--detail",), ("-f", "html"), ("--case", "M-15")):
        result = run("findings", str(path), *extra)
        assert result.returncode == 2
        assert "more than one date; give --as-of" in result.stderr
        assert result.stdout == ""


def test_findings_on_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("cases: [\n")
    result = run(*FINDINGS, str(path))
    assert result.returncode == 1
    assert "broken.yaml: not valid YAML" in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------------- progress


def _expected_findings(path: Path) -> int:
    """How many findings the library gives for the file (the CLI must agree)."""
    import datetime as dt

    from casework import WorkingCalendar, load_cases
    from casework.rules import evaluate

    cases = load_cases(path).cases
    calendar = WorkingCalendar.england_and_wales()
    return len(
        evaluate(cases, "national-standards-2007", as_of=dt.date(2007, 10, 15), calendar=calendar)
    )


def _many_cases(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "many.jsonl"
    with path.open("w") as stream:
        for number in range(count):
            record = {
                "reference": f"P-{number:05d}",
                "as_of": "2007-10-15",
                "sentence": {"kind": "community_order", "sentenced_on": "2007-06-01"},
                "tiers": [{"tier": 1 + number % 4, "on": "2007-06-01"}],
            }
            stream.write(json.dumps(record) + "\n")
    return path


def test_progress_never_mixes_into_the_output(tmp_path: Path) -> None:
    path = _many_cases(tmp_path, 5)
    result = run(*FINDINGS, str(path), "--progress", "--format", "json")
    assert result.returncode == 0
    assert "loaded 5 records" in result.stderr  # (JSON is written a chunk at a time)
    assert len(json.loads(result.stdout)["findings"]) == _expected_findings(path)
    quiet = run(*FINDINGS, str(path), "--format", "json")
    assert quiet.stderr == ""


def _with_terminal_stderr(*args: str) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal and stdout to a file."""
    import os
    import pty
    import tempfile

    primary, secondary = pty.openpty()
    with tempfile.TemporaryFile("w+") as stdout:
        process = subprocess.Popen([*console_script(), *args], stdout=stdout, stderr=secondary)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the process has closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(primary)
        code = process.wait(timeout=120)
        stdout.seek(0)
        return code, stdout.read(), b"".join(chunks).decode()


def test_a_progress_bar_on_a_terminal_for_large_files_only(tmp_path: Path) -> None:
    from casework.cli import PROGRESS_THRESHOLD

    large = _many_cases(tmp_path, PROGRESS_THRESHOLD)
    code, stdout, terminal = _with_terminal_stderr(*FINDINGS, str(large), "--format", "csv")
    assert code == 0
    assert f"Reading {large.name}" in terminal  # (read and evaluated a chunk at a time)
    assert f"{PROGRESS_THRESHOLD}/{PROGRESS_THRESHOLD}" in terminal
    assert "100%" in terminal
    assert stdout.count("\n") == 1 + _expected_findings(large)

    small = tmp_path / "small.jsonl"
    small.write_text("".join(large.read_text().splitlines(keepends=True)[:3]))
    code, _, terminal = _with_terminal_stderr(*FINDINGS, str(small), "--format", "csv")
    assert code == 0
    assert terminal == ""
    code, _, terminal = _with_terminal_stderr(*FINDINGS, str(large), "--no-progress")
    assert terminal == ""


# ---------------------------------------------------------------------- the rest


def test_validate_in_every_format(examples: Path) -> None:
    bad = str(examples / "bad-cases.jsonl")
    rows = list(csv.DictReader(io.StringIO(run("validate", bad, "-f", "csv").stdout)))
    assert rows[0].keys() == {"record", "case_ref", "field", "expected", "found", "code"}
    assert {row["code"] for row in rows} >= {"release.before_sentence", "json.invalid"}
    assert {row["record"] for row in rows} == {"2", "3", "4", "5", "6", "7", "8", "9", "10"}
    assert (
        "| Record | Case | Field | Expected | Found | Code |"
        in run("validate", bad, "-f", "markdown").stdout
    )
    assert "<table>" in run("validate", bad, "-f", "html").stdout


def test_rulesets_and_rules(examples: Path) -> None:
    listed = json.loads(run("rulesets", "--format", "json").stdout)
    names = [item["name"] for item in listed["rulesets"]]
    assert {"national-standards-2005", "national-standards-2007"} <= set(names)
    reference = json.loads(run("rules", "national-standards-2007", "-f", "json").stdout)
    (only,) = reference["rulesets"]
    from casework.rules import ruleset

    assert [rule["id"] for rule in only["rules"]] == [
        r.id for r in ruleset("national-standards-2007")
    ]
    unknown = run("rules", "nope")
    assert unknown.returncode == 2
    assert "no rule set named 'nope'" in unknown.stderr


def test_help_teaches_with_examples_and_exit_codes() -> None:
    top = run("--help").stdout
    for command in ("validate", "findings", "diff", "rulesets", "rules", "schema"):
        assert command in top
    assert "Exit status" in top
    findings_help = run("findings", "--help").stdout
    assert "casework findings cases.json --outcome not_met" in findings_help
    assert "--pseudonymise" in findings_help
    assert "1  some records were rejected" in findings_help
    diff_help = run("diff", "--help").stdout
    assert "casework diff cases.json -b national-standards-2005 -v national-standards-2007" in (
        diff_help
    )
    assert "--pseudonymise" in diff_help


# ---------------------------------------------------------------------- targets

TARGETS = ("targets", "--set", "2007-08", "--period", "2007-04-01..2008-03-31")


def test_targets_on_the_example_file(examples: Path) -> None:
    result = run(*TARGETS, str(examples / "targets-cases.yaml"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    import datetime as dt

    from casework import Period, WorkingCalendar, load_cases, target_performance

    expected = target_performance(
        load_cases(examples / "targets-cases.yaml").cases,
        "nps-2007-08",
        period=Period(dt.date(2007, 4, 1), dt.date(2008, 3, 31)),
        as_of=dt.date(2008, 4, 11),
        calendar=WorkingCalendar.england_and_wales(),
    ).to_dict()
    assert data["results"] == expected["results"]
    assert data["tally"] == expected["tally"]
    assert data["records"] == {"read": 10, "accepted": 10, "rejected": 0}


def test_targets_text_reads_like_the_published_table(examples: Path) -> None:
    result = run(*TARGETS, str(examples / "targets-cases.yaml"))
    assert result.returncode == 0, result.stderr
    assert "Period:     1 April 2007 to 31 March 2008" in result.stdout
    row = next(line for line in result.stdout.splitlines() if line.startswith("N05 "))
    assert row.split()[-5:] == ["met", "2", "of", "3", "breaches"]


@pytest.mark.parametrize(
    ("period", "label"),
    [("2007-08", "2007-08: 1 April 2007"), ("2007-08-Q2", "2007-08 Q2: 1 July 2007")],
)
def test_targets_periods(examples: Path, period: str, label: str) -> None:
    result = run(
        "targets", "--set", "nps-2007-08", "--period", period, str(examples / "targets-cases.yaml")
    )
    assert result.returncode == 0, result.stderr
    assert f"Period:     {label}" in result.stdout


def test_targets_near_miss_and_area(examples: Path) -> None:
    result = run(
        *TARGETS,
        str(examples / "targets-cases.yaml"),
        "--near-miss",
        "5%",
        "--area",
        "Essex",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["area"] == "Essex"
    assert data["near_miss"] == "5% of the target"


def test_targets_name_the_near_miss_reading_used(examples: Path) -> None:
    result = run(*TARGETS, str(examples / "targets-cases.yaml"), "--near-miss-reading", "published")
    assert result.returncode == 0, result.stderr
    assert "Near miss:  5% of the target (near-miss reading 'published')" in result.stdout


def test_targets_on_a_file_with_bad_records(examples: Path) -> None:
    result = run(*TARGETS, str(examples / "bad-cases.jsonl"), "--format", "csv")
    assert result.returncode == 1
    assert "9 rejected" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["measure"] for row in rows][:3] == ["N01", "N02", "N03"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "2099-00"), "no target set named '2099-00'; known: nps-2005-06"),
        (("--set", "2007-08", "--period", "April"), "is not a period"),
        (("--set", "2007-08", "--period", "2008-03-31..2007-04-01"), "cannot end"),
        (("--set", "2007-08", "--near-miss", "lots"), "--near-miss"),
        (("--set", "2007-08", "--near-miss-reading", "kind"), "has no near-miss reading 'kind'"),
        (("--set", "2005-06", "--near-miss-reading", "published"), "it has none"),
        (
            ("--set", "2007-08", "--near-miss", "5%", "--near-miss-reading", "published"),
            "give one of --near-miss, --near-miss-points or --near-miss-reading",
        ),
        (("--set", "rom-east-of-england-2007-08", "--area", "Kent"), "'Kent' is not an area"),
        (
            ("--set", "2007-08", "--area", "essex"),
            "Invalid value for '--area': 'essex': no accepted case of targets-cases.yaml is in "
            "this area (did you mean 'Essex'?)",
        ),
        (
            ("--set", "rom-east-of-england-2007-08", "--area", "Norfolk"),
            "'Norfolk': no accepted case of targets-cases.yaml is in this area",
        ),
        ((), "Missing option '--set'"),
    ],
)
def test_targets_bad_arguments_exit_2(examples: Path, args: tuple[str, ...], message: str) -> None:
    result = run("targets", str(examples / "targets-cases.yaml"), *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_an_area_no_accepted_case_is_in_is_named_after_the_rejected_records(
    examples: Path,
) -> None:
    # (the area may be a rejected record's: the warning of them comes first)
    result = run(*TARGETS, str(examples / "bad-cases.jsonl"), "--area", "Essex")
    assert result.returncode == 2, result.stderr
    warning, error = result.stderr.splitlines()[-2:]
    assert warning.startswith("warning: bad-cases.jsonl: 11 records read: 2 cases accepted, 9 ")
    assert error.startswith("Error: Invalid value for '--area': 'Essex': no accepted case of ")


def test_targets_pseudonymised(examples: Path) -> None:
    result = run(*TARGETS, str(examples / "targets-cases.yaml"), "--pseudonymise", "-f", "markdown")
    assert result.returncode == 0, result.stderr
    assert "* CASE-0002: OASys completed on 22 May 2007" in result.stdout
    for ref in ("E1", "E2", "S1", "S4"):
        assert f"* {ref}:" not in result.stdout


# ---------------------------------------------------------------------- score

SCORE = ("score", "--ruleset", "omi-2007", "--as-of", "2007-10-15")


def test_score_the_bundled_sample(examples: Path, tmp_path: Path) -> None:
    chart = tmp_path / "chart1.svg"
    result = run(
        "score",
        str(examples / "omi-sample.json"),
        "--inspection",
        str(examples / "omi-inspection.json"),
        "--chart",
        str(chart),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    from casework import WorkingCalendar, load_cases, load_inspection, score_inspection
    from casework.rules import evaluate

    inspection = load_inspection(examples / "omi-inspection.json")
    findings = evaluate(
        load_cases(examples / "omi-sample.json").cases,
        "omi-2007",
        as_of=inspection.as_of,
        calendar=WorkingCalendar.england_and_wales(),
    )
    assert data["scorecard"] == score_inspection(findings, inspection=inspection).to_dict()
    assert data["records"] == {"read": 106, "accepted": 106, "rejected": 0}
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    assert f"Wrote {chart}" in result.stderr


def test_score_as_the_report_reads(examples: Path) -> None:
    result = run(*SCORE, str(examples / "omi-sample.json"))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Offender Management Inspection" in text
    assert "Chart 1: criterion and section scores (%)" in text
    assert "Areas for improvement" in text
    line = next(line for line in text.splitlines() if line.startswith("3.1 "))
    assert "58%" in line


def test_score_html_is_one_self_contained_page(examples: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run(*SCORE, str(examples / "omi-sample.json"), "-o", str(page))
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 1
    assert 'id="chart1-section-3"' in html
    assert "<link" not in html
    assert "<script" not in html


def test_score_options_change_the_scores(examples: Path) -> None:
    base = json.loads(run(*SCORE, str(examples / "omi-sample.json"), "-f", "json").stdout)
    other = json.loads(
        run(
            *SCORE,
            str(examples / "omi-sample.json"),
            "--option",
            "roh_thread_summaries=false",
            "--option",
            "reinspection_threshold=70%",
            "-f",
            "json",
        ).stdout
    )
    assert other["scorecard"]["options"]["roh_thread_summaries"] is False
    assert other["scorecard"]["roh_thread"]["threshold"] == "7/10"
    assert other["scorecard"]["roh_thread"]["below_threshold"] is True
    assert len(other["scorecard"]["roh_thread"]["questions"]) < len(
        base["scorecard"]["roh_thread"]["questions"]
    )


def test_score_csv_has_one_row_per_question(examples: Path) -> None:
    result = run(*SCORE, str(examples / "omi-sample.json"), "-f", "csv", "--pseudonymise")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["criterion"] for row in rows} >= {"1.1", "3.2"}
    assert all(int(row["above"]) + int(row["below"]) == int(row["relevant"]) for row in rows)


def test_score_pseudonymised_report_shows_no_reference(examples: Path) -> None:
    result = run(*SCORE, str(examples / "omi-sample.json"), "--pseudonymise", "-f", "json")
    data = json.loads(result.stdout)
    below = data["scorecard"]["questions"][0]["cases"]
    refs = [ref for group in below.values() for ref in group]
    assert refs
    assert all(ref.startswith("CASE-") for ref in refs)
    assert "OMI-0" not in result.stdout


def test_score_a_file_with_bad_records(examples: Path) -> None:
    result = run(*SCORE, str(examples / "bad-cases.jsonl"), "-f", "markdown")
    assert result.returncode == 1
    assert "9 rejected" in result.stderr
    assert "# Offender Management Inspection" in result.stdout
    assert "**Cases:** 2" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--option", "speed=fast"), "expected NAME=VALUE with NAME one of"),
        (("--option", "combine=average"), "'--option'"),
        (("--option", "roh_thread_summaries=maybe"), "expected true or false"),
        (("--chart", "chart.pdf"), "a chart is saved as .png or .svg"),
        (("--strengths-from", "150%"), "not between 0% and 100%"),
        (("--ruleset", "national-standards-2007"), "has no inspection questions to score"),
    ],
)
def test_score_bad_arguments_exit_2(examples: Path, args: tuple[str, ...], message: str) -> None:
    result = run("score", str(examples / "omi-sample.json"), "--as-of", "2007-10-15", *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_score_with_a_broken_inspection_file(examples: Path, tmp_path: Path) -> None:
    broken = tmp_path / "inspection.json"
    broken.write_text('{"area": "X", "as_of": "2007-10-15"}')
    result = run("score", str(examples / "omi-sample.json"), "--inspection", str(broken))
    assert result.returncode == 1
    assert "inspection.json: fieldwork" in result.stderr


# ---------------------------------------------------------------------- diff

NS05_NS07 = (
    "diff",
    "--baseline",
    "national-standards-2005",
    "--variant",
    "national-standards-2007",
)
TIER4_TEN = ("diff", "-b", "national-standards-2007", "-v")


def _compared(path: Path, baseline: str, variant: str, **options: object) -> dict[str, object]:
    """What the library says for the file (the CLI must agree)."""
    import datetime as dt

    from casework import WorkingCalendar, compare, load_cases

    cases = load_cases(path).cases
    calendar = WorkingCalendar.england_and_wales()
    diff = compare(
        cases, baseline, variant, as_of=dt.date(2007, 10, 15), calendar=calendar, **options
    )  # type: ignore[arg-type]
    result: dict[str, object] = diff.to_dict()
    return json.loads(json.dumps(result))  # type: ignore[no-any-return]


def test_diff_of_the_2005_and_2007_standards(examples: Path) -> None:
    from casework.compare import match_after_prefix

    result = run(*NS05_NS07, str(examples / "cases.json"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    expected = _compared(
        examples / "cases.json",
        "national-standards-2005",
        "national-standards-2007",
        match=match_after_prefix,
    )
    assert {k: v for k, v in data.items() if k in expected} == expected
    assert data["paired_by"] == "the rule id after its prefix (NS05.x with NS07.x)"
    assert data["records"] == {"read": 6, "accepted": 6, "rejected": 0}
    # by hand: EX-0004's initial RoH assessment was on 10 May 2007; 16 weeks on (2005) is
    # 30 August, passed by 15 October; in 2007 the interval runs 4 months from the first
    # review's due date, 8 September, to 8 January 2008; but that clock started before the
    # 2007 standards came into force on 30 September: no 2007 deadline
    (review,) = [c for c in data["changes"] if c["question"] == "roh-review-interval"]
    assert review["case_ref"] == "EX-0004"
    assert (review["baseline"]["outcome"], review["variant"]["outcome"]) == (
        "not_met",
        "not_applicable",
    )
    assert "due on 30 August 2007 (16 weeks after" in review["baseline"]["reason"]
    assert "clock started before 30 September 2007" in review["variant"]["reason"]
    assert "the first on 8 September 2007" in review["variant"]["reason"]


def test_diff_text_pairs_the_questions_and_lists_one_sided_ones(examples: Path) -> None:
    result = run(*NS05_NS07, str(examples / "cases.json"), "--rule", "*roh-review*")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert (
        "Rules:   NS05.roh-review-interval (baseline), NS07.roh-review-interval (variant)" in text
    )
    one_sided = text[text.index("Asked by one rule set only") :]
    assert "roh-review-first        variant" in one_sided
    assert "oasys-high-roh" not in text  # left out by --rule


def test_diff_with_an_overlay_file(examples: Path) -> None:
    overlay = examples / "tier4-ten-days.toml"
    result = run(*TIER4_TEN, str(overlay), str(examples / "cases.json"), "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == {
        "kind": "comparison",
        "source": "cases.json",
        "paired_by": "rule id",
        "records": {"read": 6, "accepted": 6, "rejected": 0},
        **_compared(examples / "cases.json", "national-standards-2007", str(overlay)),
    }
    # by hand: EX-0004, sentenced 8 May 2007, OASys on 22 May: 10 working days, not 5;
    # EX-0005's came 19 working days after sentence, late either way
    assert data["changed_cases"] == ["EX-0004"]
    assert data["variant"] == "tier4-ten-days@proposal-1"
    assert data["variant_changes"] == ["oasys_tier4_limit: 5 working days -> 10 working days"]


def _oasys_file(tmp_path: Path) -> Path:
    """Tier 2 orders sentenced Friday 1 June 2007 (10 working days: 15 June; 15: 22 June)."""
    from casework import dumps_cases
    from casework.testing import make_cases, oasys

    done = ["2007-06-08", "2007-06-15", "2007-06-18", "2007-06-22", "2007-06-25", None]
    cases = make_cases(*({"assessments": [oasys(day)] if day else []} for day in done))
    path = tmp_path / "oasys.jsonl"
    path.write_text(dumps_cases(cases, format="jsonl"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "ten-days.toml",
            'name = "ten-days"\nbase = "national-standards-2007"\n'
            '[parameters]\noasys_tier1to3_limit = "10 working days"\n',
        ),
        (
            "ten-days.yaml",
            "name: ten-days\nbase: national-standards-2007\n"
            "parameters:\n  oasys_tier1to3_limit: 10\n",
        ),
    ],
)
def test_diff_fifteen_working_days_become_ten(tmp_path: Path, name: str, text: str) -> None:
    overlay = tmp_path / name
    overlay.write_text(text, encoding="utf-8")
    result = run(*TIER4_TEN, str(overlay), str(_oasys_file(tmp_path)), "-f", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # by hand: 8 and 15 June are within both limits; 18 and 22 June within 15 working days
    # only; 25 June and never are late under both
    assert [(r["case_ref"], r["baseline_outcome"], r["variant_outcome"]) for r in rows] == [
        ("T-0003", "met", "not_met"),
        ("T-0004", "met", "not_met"),
    ]
    assert {r["question"] for r in rows} == {"NS07.oasys-tier1-3"}
    assert "1 working day after it was due on 15 June 2007" in rows[0]["variant_reason"]


def test_diff_on_a_file_with_bad_records(examples: Path) -> None:
    result = run(*NS05_NS07, str(examples / "bad-cases.jsonl"), "--format", "csv")
    assert result.returncode == 1
    assert "11 records read: 2 cases accepted, 9 rejected" in result.stderr
    assert "casework validate" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert {row["case_ref"] for row in rows} <= {"BAD-01", "GOOD-11"}
    assert "Synthetic Person" not in result.stdout + result.stderr
    text = run(*NS05_NS07, str(examples / "bad-cases.jsonl"))
    assert text.returncode == 1
    assert "Records:           11 records read: 2 cases accepted, 9 rejected" in text.stdout
    assert "Cases:             2" in text.stdout


@pytest.mark.parametrize(
    ("format_", "marks"),
    [
        ("text", ["Comparison: national-standards-2005@", "Questions that changed\n-----"]),
        ("markdown", ["# Comparison: ", "| Question | Changed | Met |", "### roh-review-interval"]),
        ("html", ["<!DOCTYPE html>", '<section id="roh-review-interval">', "</html>"]),
    ],
)
def test_diff_for_people(examples: Path, format_: str, marks: list[str]) -> None:
    result = run(*NS05_NS07, str(examples / "cases.json"), "-f", format_, "--case", "EX-0004")
    assert result.returncode == 0, result.stderr
    for mark in marks:
        assert mark in result.stdout
    assert "EX-0004" in result.stdout
    assert "EX-0001" not in result.stdout


def test_diff_csv_has_one_row_per_change(examples: Path) -> None:
    result = run(*NS05_NS07, str(examples / "cases.json"), "-f", "csv")
    data = json.loads(run(*NS05_NS07, str(examples / "cases.json"), "-f", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "case_ref",
        "question",
        "unit",
        "baseline_rule",
        "baseline_outcome",
        "baseline_basis",
        "baseline_reason",
        "variant_rule",
        "variant_outcome",
        "variant_basis",
        "variant_reason",
    ]
    assert [(r["case_ref"], r["question"]) for r in rows] == [
        (c["case_ref"], c["question"]) for c in data["changes"]
    ]
    asked_by_2007_only = [r for r in rows if r["question"] == "oasys-tier4"]
    assert len(asked_by_2007_only) == 6
    assert {r["baseline_outcome"] for r in asked_by_2007_only} == {""}


def test_diff_scores(examples: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "five-days.toml"
    overlay.write_text(
        'name = "five-days"\nbase = "omi-2007"\n'
        '[parameters]\nomi_breach_action_limit = "5 working days"\n',
        encoding="utf-8",
    )
    args = ("diff", str(examples / "omi-sample.json"), "-b", "omi-2007", "-v", str(overlay))
    result = run(*args, "--scores", "--as-of", "2007-10-15", "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {c["question"] for c in data["changes"]} == {"2.4.g"}
    moved = {f["name"]: f for f in data["figures"] if f["changed"]}
    assert {f["group"] for f in data["figures"]} == {"scores"}
    assert "question 2.4.g" in moved
    assert "criterion 2.4" in moved
    assert {name for name in moved if not name.startswith("question")} <= {
        "criterion 2.4",
        "criterion 2.4 conclusion",
        "section 2",
        "RoH thread",
    }
    text = run(*args, "--scores", "--as-of", "2007-10-15").stdout
    row = next(line for line in text.splitlines() if line.startswith("scores  question 2.4.g"))
    baseline, variant = moved["question 2.4.g"]["baseline"], moved["question 2.4.g"]["variant"]
    from fractions import Fraction

    from casework.text import round_half_up

    shown = [f"{round_half_up(Fraction(v) * 100, 1)}%" for v in (baseline, variant)]
    assert row.split()[3:5] == shown


def test_diff_targets(examples: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "twenty.yaml"
    overlay.write_text(
        "name: twenty\nbase: nps-2007-08\n"
        "parameters:\n  breach_resolution_limit: 20 working days\n",
        encoding="utf-8",
    )
    result = run(
        "diff",
        str(examples / "targets-cases.yaml"),
        "-b",
        "nps-2007-08",
        "-v",
        str(overlay),
        "--targets",
        "2007-08",
        "--period",
        "2007-04-01..2008-03-31",
        "-f",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # by hand: E1's breach of 18 June 2007 was resolved on 20 July, 24 working days on;
    # E6's of 28 March 2007 on 4 May, 25 working days on (Easter Friday and Monday between)
    assert [(c["case_ref"], c["question"]) for c in data["changes"]] == [
        ("E1", "TGT.breach-resolution"),
        ("E6", "TGT.breach-resolution"),
    ]
    moved = {f["name"] for f in data["figures"] if f["changed"]}
    assert "N05" in moved
    assert moved <= {"N05", "N05 status"}


def test_diff_pseudonymised(examples: Path) -> None:
    result = run(*NS05_NS07, str(examples / "cases.json"), "--pseudonymise", "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["changed_cases"] == [f"CASE-{i:04d}" for i in range(1, 7)]
    assert "EX-000" not in result.stdout
    for format_ in ("text", "markdown", "html", "csv"):
        shown = run(*NS05_NS07, str(examples / "cases.json"), "--pseudonymise", "-f", format_)
        assert "EX-000" not in shown.stdout, format_


def test_diff_pairs_by_hand(examples: Path) -> None:
    result = run(
        *NS05_NS07,
        str(examples / "cases.json"),
        "--pair",
        "NS05.oasys-high-roh=NS07.oasys-tier1-3",
        "--rule",
        "*oasys*",
        "-f",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    paired = next(q for q in data["questions"] if q["question"] == "oasys-tier1-3")
    assert (paired["baseline_rule"], paired["variant_rule"]) == (
        "NS05.oasys-high-roh",
        "NS07.oasys-tier1-3",
    )
    assert data["paired_by"].endswith("; NS05.oasys-high-roh with NS07.oasys-tier1-3")
    by_id = json.loads(
        run(*NS05_NS07, str(examples / "cases.json"), "--match", "id", "-f", "json").stdout
    )
    assert all(q["baseline_rule"] is None or q["variant_rule"] is None for q in by_id["questions"])


def test_diff_progress_goes_to_stderr(tmp_path: Path, examples: Path) -> None:
    path = _many_cases(tmp_path, 5)
    for targets in ((), ("--targets", "2007-08")):  # (target figures counted as it reads)
        result = run(*NS05_NS07, str(path), *targets, "--progress", "-f", "json")
        assert result.returncode == 0, result.stderr
        assert "loaded 5 records" in result.stderr  # (the file compared a chunk at a time)
        assert json.loads(result.stdout)["cases"] == 5
    sample = str(examples / "omi-sample.json")
    five_days = str(examples / "five-day-breach-action.toml")
    scored = run("diff", sample, "-b", "omi-2007", "-v", five_days, "--scores", "--no-intervals",
                 "--progress", "-f", "json")  # fmt: skip
    assert scored.returncode == 0, scored.stderr
    assert "compared 106 of 106 cases" in scored.stderr  # (scores: the whole file, case by case)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-b", "nope", "-v", "national-standards-2007"), "no rule set 'nope': give a registered"),
        (("-b", "national-standards-2007", "-v", "missing.toml"), "cannot read the overlay file"),
        (("-b", "national-standards-2007", "-v", "broken.toml"), "broken.toml: not valid TOML"),
        (("-b", "national-standards-2007", "-v", "unknown.yaml"), "no parameter of that name"),
        (("-b", "national-standards-2007"), "Missing option '--variant'"),
        (
            ("-b", "national-standards-2007", "-v", "national-standards-2007", "--scores"),
            "neither rule set has inspection questions",
        ),
        (
            (
                "-b",
                "national-standards-2005",
                "-v",
                "national-standards-2005",
                "--targets",
                "2007-08",
            ),
            "neither rule set asks a question the measures of nps-2007-08 count",
        ),
        (
            ("-b", "national-standards-2007", "-v", "national-standards-2007", "-p", "2007-08"),
            "give --targets too",
        ),
        (
            ("-b", "national-standards-2005", "-v", "national-standards-2007", "--pair", "x"),
            "expected BASELINE_RULE=VARIANT_RULE",
        ),
        (
            (
                "-b",
                "national-standards-2005",
                "-v",
                "national-standards-2007",
                "--pair",
                "NS05.oasys-high-roh=NS07.oasys-ppo",
            ),
            "would both answer question 'oasys-ppo'",
        ),
        (("-b", "omi-2007", "-v", "omi-2007", "--match", "prefix"), "would both answer question"),
        (("-b", "omi-2007", "-v", "omi-2007", "--as-of", "soon"), "is not a date"),
    ],
)
def test_diff_bad_arguments_exit_2(
    examples: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "broken.toml").write_text("name = [\n", encoding="utf-8")
    (tmp_path / "unknown.yaml").write_text(
        "name: x\nbase: national-standards-2007\nparameters: {no_such_limit: 3}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [*console_script(), "diff", str(examples / "cases.json"), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""
