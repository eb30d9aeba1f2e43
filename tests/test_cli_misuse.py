"""Every misuse of the command line: exactly one line on stderr, no traceback, and the exit
status docs/cli.md documents for it. Run in-process (click's runner, through the same
``main`` the console script calls) except where a real process matters."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import casework.columnar
import casework.rules
from casework import WorkingCalendar, cli
from casework.calendar import CalendarError
from casework.cli import EXIT_BUG, EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from casework.model import Case
from casework.rules import Finding, RuleError, RuleSet
from tests.conftest import EXAMPLES, console_script

CASES = str(EXAMPLES / "cases.json")
OMI = str(EXAMPLES / "omi-sample.json")
INSPECTION = str(EXAMPLES / "omi-inspection.json")
TARGET_CASES = str(EXAMPLES / "targets-cases.yaml")
TIER4 = str(EXAMPLES / "tier4-ten-days.toml")
NS07 = "national-standards-2007"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_error_line(result: Result, code: int) -> str:
    """The single stderr line of a failed command, after checking there is no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ")
    return lines[0]


def _calendar_years() -> str:
    calendar = WorkingCalendar.england_and_wales()
    return f"({calendar.first_year}-{calendar.last_year})"


@pytest.fixture(scope="module")
def overlays(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("overlays")
    (folder / "abort.toml").write_text('name = "x"\nbase = "os:abort"\n', encoding="utf-8")
    (folder / "loop-a.toml").write_text('name = "a"\nbase = "loop-b.toml"\n', encoding="utf-8")
    (folder / "loop-b.toml").write_text('name = "b"\nbase = "loop-a.toml"\n', encoding="utf-8")
    (folder / "adds.toml").write_text(
        f'name = "x"\nbase = "{NS07}"\nadd = ["tests.testing.test_overlays:extra_rule"]\n',
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # an assessment date outside the working-day calendar (read from the calendar)
        (("score", OMI, "--as-of", "2099-01-01"), "outside the years the working-day calendar"),
        (("targets", TARGET_CASES, "--set", "2007-08", "--as-of", "2099-01-01"), "2099-01-01"),
        (("findings", CASES, "--as-of", "1900-06-01"), "outside the years"),
        (("diff", CASES, "-b", NS07, "-v", TIER4, "--as-of", "2099-01-01"), "outside the years"),
        (("findings", CASES, "--as-of", "2007-13-01"), "is not a date"),
        # scoring options: the choices in words, never an internal validator tuple
        (
            ("score", OMI, "--option", "combine=foo"),
            "expected one of weighted, summary_as_question",
        ),
        (("score", OMI, "--option", "weighting=most"), "expected one of equal, pooled"),
        (("score", OMI, "--option", "individual_weight=2"), "between 0 and 1"),
        (("score", OMI, "--option", "individual_weight=lots"), "a share such as 80%"),
        (("score", OMI, "--option", "colour=red"), "NAME one of individual_weight"),
        (("score", OMI, "--chart", "chart.pdf"), "a chart is saved as .png or .svg"),
        # misspelt names: did you mean
        (("findings", CASES, "-r", "natonal-standards-2007"), f"did you mean '{NS07}'"),
        (("rules", "omi-2008"), "did you mean 'omi-2007'"),
        (("targets", TARGET_CASES, "--set", "nps-2007-8"), "did you mean 'nps-2007-08'"),
        (("diff", CASES, "-b", NS07, "-v", "national-standard-2005"), "did you mean"),
        # filters that match nothing
        (("findings", CASES, "--case", "EX-9999"), "no accepted case of cases.json"),
        (("findings", CASES, "--rule", "NS08.*"), "matches no rule of national-standards-2007"),
        (("findings", CASES, "--criterion", "9.9"), "has no question of this criterion"),
        (("diff", CASES, "-b", NS07, "-v", TIER4, "--case", "EX-9"), "no accepted case"),
        (("diff", CASES, "-b", NS07, "-v", TIER4, "--rule", "*nothing*"), "matches no question"),
        # code is not loaded from the command line without --allow-code
        (("diff", CASES, "-b", NS07, "-v", "os:abort"), "--allow-code"),
        # plain usage
        (("findings", "no-such-file.json"), "does not exist"),
        (("findings",), "Missing argument 'FILE'"),
        (("no-such-command",), "No such command"),
    ],
)
def test_misuse_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    line = one_error_line(invoke(*args), EXIT_USAGE)
    assert message in line
    assert "Attribute(" not in line  # no internal validator tuple


def test_the_calendar_years_are_named() -> None:
    line = one_error_line(invoke("score", OMI, "--as-of", "2099-01-01"), EXIT_USAGE)
    assert _calendar_years() in line


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    for args in (
        ("findings", CASES, "-o", str(missing / "findings.csv")),
        ("score", OMI, "-i", INSPECTION, "--chart", str(missing / "chart.png")),
        ("rulesets", "-o", str(missing / "rulesets.json")),
    ):
        line = one_error_line(invoke(*args), EXIT_USAGE)
        assert "does not exist" in line
    assert not missing.exists()


@pytest.mark.parametrize("name", ["abort.toml", "loop-a.toml", "adds.toml"])
def test_overlay_files_name_no_code(overlays: Path, name: str) -> None:
    expected = {
        "abort.toml": "base: 'os:abort' names Python code",
        "loop-a.toml": "name each other in a loop",
        "adds.toml": "add[0]",
    }[name]
    line = one_error_line(invoke("diff", CASES, "-b", NS07, "-v", str(overlays / name)), 2)
    assert expected in line


def test_allow_code_loads_a_rule_set_and_overlay_rules_by_reference(overlays: Path) -> None:
    by_reference = "casework.rules.standards:national_standards_2005"
    result = invoke("diff", CASES, "-b", by_reference, "-v", NS07, "--allow-code", "-f", "json")
    assert result.exit_code == EXIT_OK, result.stderr
    assert json.loads(result.stdout)["kind"] == "comparison"
    result = invoke("diff", CASES, "-b", NS07, "-v", str(overlays / "adds.toml"), "--allow-code")
    assert result.exit_code == EXIT_OK, result.stderr


def test_chart_without_matplotlib_is_exit_2_with_the_install_hint_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    unreadable = tmp_path / "cases.json"
    unreadable.write_text("{not json", encoding="utf-8")  # reading it would fail with exit 1
    chart = tmp_path / "chart.png"
    line = one_error_line(invoke("score", str(unreadable), "--chart", str(chart)), EXIT_USAGE)
    assert 'pip install "casework[report]"' in line
    assert not chart.exists()


def test_a_date_the_calendar_does_not_cover_from_the_file_itself(tmp_path: Path) -> None:
    """A date past the supported years is a located error at load: no rule ever sees it."""
    data = json.loads(Path(CASES).read_text(encoding="utf-8"))
    calendar = WorkingCalendar.england_and_wales()
    data["as_of"] = f"{calendar.last_year + 5}-01-02"
    for record in data["cases"]:
        record.pop("as_of", None)
    late = tmp_path / "late.json"
    late.write_text(json.dumps(data), encoding="utf-8")
    result = invoke("validate", str(late), "-f", "json")
    assert result.exit_code == EXIT_INPUT
    errors = json.loads(result.stdout)["errors"]
    assert len(errors) == len(data["cases"])
    assert {p["code"] for e in errors for p in e["problems"]} == {"date.out_of_range"}
    assert "Traceback" not in result.stderr


def test_filters_that_leave_nothing_say_so() -> None:
    first = invoke("findings", CASES, "--case", "EX-0001", "--rule", "NS07.*", "-f", "json")
    finding = json.loads(first.stdout)["findings"][0]
    other = next(o for o in ("met", "not_met") if o != finding["outcome"])
    args = ("--case", "EX-0001", "--rule", finding["rule_id"], "--outcome", other)
    result = invoke("findings", CASES, *args, "-f", "json")
    assert result.exit_code == EXIT_OK
    assert json.loads(result.stdout)["findings"] == []
    assert result.stderr.splitlines() == ["note: no finding matches the filters given"]
    assert invoke("findings", CASES, "--case", "EX-0001").stderr == ""


def _without_answers(tmp_path: Path, count: int) -> Path:
    data = json.loads(Path(OMI).read_text(encoding="utf-8"))
    data["cases"] = data["cases"][:count]
    for record in data["cases"]:
        record.pop("judgements", None)
    path = tmp_path / "no-answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_score_without_inspector_answers_warns_at_the_top_and_on_stderr(tmp_path: Path) -> None:
    result = invoke("score", str(_without_answers(tmp_path, 12)), "-i", INSPECTION)
    assert result.exit_code == EXIT_OK
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("warning: no-answers.json: only ")
    assert "could be assessed" in warning
    first_paragraph = result.stdout.split("\n\n")[1]
    assert first_paragraph.startswith("Warning: only ")
    payload = json.loads(
        invoke("score", str(_without_answers(tmp_path, 12)), "-i", INSPECTION, "-f", "json").stdout
    )
    assert "could be assessed" in payload["evidence_warning"]


def test_score_with_answers_does_not_warn(tmp_path: Path) -> None:
    data = json.loads(Path(OMI).read_text(encoding="utf-8"))
    data["cases"] = data["cases"][:12]
    answered = tmp_path / "answered.json"
    answered.write_text(json.dumps(data), encoding="utf-8")
    result = invoke("score", str(answered), "-i", INSPECTION, "-f", "json")
    assert result.exit_code == EXIT_OK
    assert result.stderr == ""
    assert json.loads(result.stdout)["evidence_warning"] is None


def _planted_records(tmp_path: Path) -> Path:
    data = json.loads(Path(CASES).read_text(encoding="utf-8"))
    first, second = data["cases"][:2]
    first["reference"] = '=HYPERLINK("http://evil.invalid","x")'
    second["reference"] = "EX-9\nrecord 99 (EX-0002): all good\x1b[31m"
    data["cases"] = [first, second]
    path = tmp_path / "planted.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_validate_csv_neutralises_formulas(tmp_path: Path) -> None:
    """The planted references are not echoed at all (input privacy), and no cell of the CSV
    starts a formula (tests/report/test_safe_output.py checks the neutralising itself)."""
    result = invoke("validate", str(_planted_records(tmp_path)), "-f", "csv")
    assert result.exit_code == EXIT_INPUT
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 3  # the header and one row per rejected record: no forged row
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert "HYPERLINK" not in result.stdout
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("format_", ["text", "markdown", "html"])
def test_a_reference_cannot_forge_a_line_or_colour_the_terminal(
    tmp_path: Path, format_: str
) -> None:
    result = invoke("validate", str(_planted_records(tmp_path)), "-f", format_)
    assert "\x1b" not in result.stdout
    assert not any(line.startswith("record 99") for line in result.stdout.splitlines())
    assert "record 99" not in result.stdout  # the invalid reference is never echoed


def _run_with_a_bug(
    *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real console entry point, with the validation report broken as a bug would (the
    command imports it from casework.report when it runs)."""
    code = (
        "import casework.cli as cli\n"
        "import casework.report as report\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('Jane Doe, born 1970-01-01')\n"
        "report.validation_report = broken\n"
        "cli.main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *extra, "validate", CASES],
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_unexpected_error_is_one_line_exit_3_and_echoes_nothing() -> None:
    result = _run_with_a_bug()
    assert result.returncode == EXIT_BUG
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: unexpected RuntimeError")
    assert "bug in casework" in line
    assert "--debug" in line
    assert "Jane Doe" not in line
    assert "1970" not in line


def test_debug_shows_the_traceback() -> None:
    result = _run_with_a_bug("--debug")
    assert "Traceback" in result.stderr
    assert result.returncode not in {EXIT_OK, EXIT_BUG}


def test_the_console_script_also_prints_one_line() -> None:
    result = subprocess.run(
        [*console_script(), "score", OMI, "--option", "combine=foo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == EXIT_USAGE
    assert len(result.stderr.splitlines()) == 1
    assert "expected one of weighted" in result.stderr


def test_casework_alone_shows_the_help() -> None:
    result = invoke()
    assert result.exit_code == EXIT_OK
    assert result.stdout.startswith("Usage: ")
    assert "Exit status:" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("cause", "code", "expected"),
    [
        (CalendarError("1907-05-01 is outside the years"), EXIT_INPUT, "outside the years"),
        (KeyError("Jane Doe"), EXIT_BUG, "bug in casework"),
    ],
)
def test_a_rule_that_raises_is_one_line_naming_the_rule_and_case(
    monkeypatch: pytest.MonkeyPatch, cause: Exception, code: int, expected: str
) -> None:
    def failing(case: Case, rules: RuleSet, **_: object) -> list[Finding]:
        try:
            raise cause
        except Exception as exc:
            message = f"rule R.x raised {type(exc).__name__} on case {case.reference}: {exc}"
            raise RuleError(message) from exc

    def failing_columns(cases: object, rules: RuleSet, **_: object) -> None:
        try:
            raise cause
        except Exception as exc:
            message = f"rule R.x raised {type(exc).__name__} on case EX-0001: {exc}"
            raise RuleError(message) from exc

    monkeypatch.setattr(casework.rules, "evaluate_case", failing)  # the CLI imports it from there
    monkeypatch.setattr(casework.columnar, "evaluate_columns", failing_columns)
    # --detail: every finding, from the scalar engine; the short form is made on columns
    for extra in (("--detail",), ()):
        line = one_error_line(invoke("findings", CASES, *extra), code)
        assert line.startswith(f"Error: rule R.x raised {type(cause).__name__} on case EX-0001: ")
        assert expected in line
        assert "Jane Doe" not in line
        assert "1907" not in line


def test_a_reader_that_goes_away_early_ends_the_run_quietly_with_the_broken_pipe_status() -> None:
    """`casework findings ... | head`: the listing (several MB) is far longer than a pipe
    holds, the reader stops after one line; click's own handling exits 1, ours 141."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    command = [sys.executable, "-m", "casework", "findings", str(examples / "omi-sample.json"),
               "--detail"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a shell runs it
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as run:
        assert run.stdout is not None
        assert run.stderr is not None
        first = run.stdout.readline()
        run.stdout.close()
        errors = run.stderr.read()
        code = run.wait(timeout=120)
    assert first.strip()
    assert code == cli.EXIT_BROKEN_PIPE
    assert errors == b""
