"""Terminal output: width, names never broken, plain text off a terminal, progress, and the
grouped findings text (issue 13, text output)."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from casework import console
from casework.cli import main
from casework.report.document import Column, Document, Paragraph, Section, Table, render_text
from casework.rules.registry import available_rulesets
from tests.conftest import console_script

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BOX = set("─│┌┐└┘├┤┬┴┼━┃═║")
FINDINGS = ("findings", "--as-of", "2007-10-15", "--ruleset", "national-standards-2007")


def invoke(*args: str, columns: int | None = None) -> Result:
    env = {"COLUMNS": str(columns) if columns is not None else None}
    return CliRunner().invoke(main, list(args), env=env)


# ---------------------------------------------------------------------- width


@pytest.mark.parametrize("columns", [40, 60, 200])
def test_rulesets_never_split_a_name(columns: int) -> None:
    result = invoke("rulesets", columns=columns)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for name in available_rulesets():
        assert any(line.startswith(f"{name} ") for line in lines), (name, result.stdout)
    # no line starts with the tail of a name broken at a hyphen
    assert not any(line.startswith("england") for line in lines)


def test_rulesets_one_line_each_on_a_wide_terminal() -> None:
    result = invoke("rulesets", columns=200)
    rows = result.stdout.splitlines()[4:]  # title, rule, blank, header, dashes
    assert len(rows) == 1 + len(available_rulesets())  # the dashes, then one line per set
    assert max(len(line) for line in rows) > 100


def _note_lines(text: str) -> list[str]:
    """The lines of the findings note ("Met % is met out of ...")."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Met % is"))
    end = lines.index("", start)
    return lines[start:end]


def test_text_follows_columns_and_width(examples: Path) -> None:
    cases = str(examples / "cases.json")
    narrow = invoke(*FINDINGS, cases, columns=60)
    wide = invoke(*FINDINGS, cases, columns=200)
    assert narrow.exit_code == wide.exit_code == 0, narrow.output
    assert len(_note_lines(narrow.stdout)) > 1
    assert all(len(line) <= 60 for line in _note_lines(narrow.stdout))
    assert len(_note_lines(wide.stdout)) == 1
    assert len(_note_lines(wide.stdout)[0]) > 100
    # the Cannot assess column of the by-case table wraps between rule ids at 60 columns
    assert max(map(len, narrow.stdout.splitlines())) < max(map(len, wide.stdout.splitlines()))
    # --width wins over COLUMNS
    assert invoke(*FINDINGS, cases, "--width", "60", columns=200).stdout == narrow.stdout
    # off a terminal and without COLUMNS: 100 columns, the same wherever it runs
    plain = invoke(*FINDINGS, cases).stdout
    assert all(len(line) <= 100 for line in _note_lines(plain))
    assert len(_note_lines(plain)) == 2


def test_a_file_written_is_100_wide_unless_width_given(examples: Path, tmp_path: Path) -> None:
    cases = str(examples / "cases.json")
    out = tmp_path / "findings.txt"
    assert invoke(*FINDINGS, cases, "-o", str(out), columns=200).exit_code == 0
    assert len(_note_lines(out.read_text())) == 2
    assert invoke(*FINDINGS, cases, "-o", str(out), "--width", "200").exit_code == 0
    assert len(_note_lines(out.read_text())) == 1


def test_a_width_below_40_is_refused() -> None:
    result = invoke("rulesets", "--width", "20")
    assert result.exit_code == 2
    assert "--width" in result.stderr


@pytest.mark.parametrize("columns", [40, 60, 200])
def test_case_and_rule_ids_are_never_broken(examples: Path, columns: int) -> None:
    result = invoke(*FINDINGS, str(examples / "cases.json"), "--detail", columns=columns)
    words = set(result.stdout.split())
    for ref in (f"EX-000{n}" for n in range(1, 7)):
        assert ref in words
    for rule_id in ("NS07.oasys-tier1-3", "NS07.plan-review-interval", "NS07.oasys-tier4"):
        assert rule_id in words or f"{rule_id}," in words
    assert not any(word.endswith("-") for word in words if word.startswith("NS07."))


def test_plain_text_never_breaks_a_word() -> None:
    long_word = "an-identifier-much-longer-than-the-column-it-sits-in"
    text = f"{long_word} and some free text to wrap over several lines"
    table = Table(
        (Column("id", "Id"), Column("text", "Text")),
        (("rom-east-of-england-2007-08", text),),
    )
    out = render_text(Document("T", (table, Paragraph(text))), width=40)
    words = out.split()
    assert "rom-east-of-england-2007-08" in words
    assert words.count(long_word) == 2
    paragraph = out.splitlines()[-3:]
    assert paragraph == [long_word, "and some free text to wrap over several", "lines"]


# ---------------------------------------------------------------------- plain off a terminal


@pytest.mark.parametrize(
    "args",
    [
        ("rulesets",),
        (*FINDINGS, "{cases}"),
        (*FINDINGS, "{cases}", "--detail"),
        ("validate", "{bad}"),
        ("targets", "{targets}", "-s", "2007-08"),
    ],
)
def test_off_a_terminal_output_is_plain(examples: Path, args: tuple[str, ...]) -> None:
    files = {
        "{cases}": str(examples / "cases.json"),
        "{bad}": str(examples / "bad-cases.jsonl"),
        "{targets}": str(examples / "targets-cases.yaml"),
    }
    progress = ("--progress",) if args[0] != "rulesets" else ()
    result = invoke(*(files.get(arg, arg) for arg in args), *progress, columns=80)
    assert result.exit_code in (0, 1), result.output
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream
        assert not BOX & set(stream)


# ---------------------------------------------------------------------- drawn with rich


def _drawn(document: Document, width: int) -> list[str]:
    out = io.StringIO()
    console.print_document(document, out, width)
    text = out.getvalue()
    assert ANSI.search(text)  # drawn for a terminal: bold headings
    return [line.rstrip() for line in ANSI.sub("", text).splitlines()]


def test_on_a_terminal_tables_fit_the_width_and_ids_stay_whole() -> None:
    title = "A long title of a rule set that wraps in a narrow terminal"
    table = Table(
        (
            Column("name", "Name", nowrap=True),
            Column("title", "Title"),
            Column("n", "Rules", "right"),
        ),
        tuple((name, title, 3) for name in available_rulesets()),
    )
    document = Document("Rule sets", (Section("All", (table, Paragraph(title * 2))),))
    for width in (50, 120):
        lines = _drawn(document, width)
        assert all(len(line) <= width for line in lines), lines
        for name in available_rulesets():
            assert any(line.startswith(f"{name} ") for line in lines), (name, lines)
    assert len(_drawn(document, 50)) > len(_drawn(document, 120))


def test_on_a_terminal_a_table_that_cannot_fit_is_drawn_wider_not_cut() -> None:
    wide_id = "x" * 70
    table = Table((Column("id", "Id", nowrap=True), Column("t", "Text")), ((wide_id, "a b"),))
    lines = _drawn(Document("T", (table,)), 40)
    assert any(wide_id in line for line in lines)


def test_on_a_terminal_verdicts_are_coloured_and_worded() -> None:
    table = Table(
        (Column("id", "Target", nowrap=True), Column("v", "Verdict", verdict=True)),
        (("N01", "met"), ("N02", "not met")),
    )
    out = io.StringIO()
    console.print_document(Document("T", (table,)), out, 60)
    text = out.getvalue()
    assert "\x1b[32mmet" in text  # green
    assert "\x1b[31mnot met" in text  # red


def _with_terminal_stdout(*args: str) -> tuple[int, str]:
    """Run the installed script with stdout on a pseudo-terminal."""
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    process = subprocess.Popen(
        [*console_script(), *args], stdout=secondary, stderr=subprocess.DEVNULL, env=env
    )
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
    return process.wait(timeout=120), b"".join(chunks).decode()


def test_on_a_terminal_stdout_is_drawn_with_rich() -> None:
    code, terminal = _with_terminal_stdout("rulesets", "--width", "60")
    assert code == 0
    assert ANSI.search(terminal)
    assert "─" in terminal
    lines = ANSI.sub("", terminal).replace("\r\n", "\n").splitlines()
    for name in available_rulesets():
        assert any(line.startswith(f"{name} ") for line in lines), (name, lines)


# ---------------------------------------------------------------------- progress


def test_progress_lines_on_stderr_off_a_terminal(examples: Path) -> None:
    # the cases named are read, then evaluated: two lines
    cases = str(examples / "cases.json")
    result = invoke(*FINDINGS, cases, "--progress", "-f", "markdown", "--case", "EX-0001")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["loaded 6 records", "evaluated 1 of 1 cases"]
    assert result.stdout.startswith("# ")
    # a report of the whole file is read and evaluated in one pass: the reading's lines
    result = invoke(*FINDINGS, cases, "--progress", "-f", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["loaded 6 records"]
    assert result.stdout.startswith("# ")


def test_progress_of_findings_written_a_chunk_at_a_time(examples: Path) -> None:
    # Read and evaluated in one pass: the reading's lines are its progress.
    result = invoke(*FINDINGS, str(examples / "cases.json"), "--progress", "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["loaded 6 records"]
    assert len(json.loads(result.stdout)["findings"]) == 162


@pytest.mark.parametrize("off", ["--quiet", "--no-progress", None])
def test_no_progress_when_quiet_or_by_default_off_a_terminal(
    examples: Path, off: str | None
) -> None:
    args = [*FINDINGS, str(examples / "cases.json"), "-f", "json"]
    result = invoke(*args, *([off] if off else []))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_progress_of_a_streamed_read(examples: Path) -> None:
    result = invoke("validate", str(examples / "bad-cases.jsonl"), "--progress")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["loaded 11 records"]
    quiet = invoke("validate", str(examples / "bad-cases.jsonl"), "--quiet")
    assert quiet.stderr == ""
    assert quiet.stdout == result.stdout


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_lines_every_n_records_or_seconds() -> None:
    out = io.StringIO()
    clock = _Clock()
    with console.Progress(
        "Reading x.jsonl",
        "loaded",
        "records",
        total=20_000,
        approximate=True,
        choice=True,
        stream=out,
        every=5_000,
        every_seconds=5.0,
        clock=clock,
    ) as progress:
        for _ in range(12_000):
            progress.advance()
        clock.now = 6.0
        progress.advance()
    assert out.getvalue().splitlines() == [
        "loaded 5,000 of ~20,000 records",
        "loaded 10,000 of ~20,000 records",
        "loaded 12,001 of ~20,000 records",
        "loaded 12,001 records",
    ]


def test_progress_has_no_last_line_when_the_stage_fails() -> None:
    out = io.StringIO()

    def fail() -> None:
        with console.Progress("x", "evaluated", "cases", total=3, choice=True, stream=out) as p:
            p.advance()
            raise LookupError("stopped")

    with pytest.raises(LookupError, match="stopped"):
        fail()
    assert out.getvalue() == ""


def test_records_of_a_json_lines_file_are_estimated(tmp_path: Path, examples: Path) -> None:
    path = tmp_path / "three.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n{"a": 3}')
    assert console.estimate_records(path) == 3
    assert console.estimate_records(examples / "cases.json") is None


# ---------------------------------------------------------------------- grouped findings


def test_findings_text_is_grouped_by_default(examples: Path) -> None:
    cases = str(examples / "cases.json")
    grouped = invoke(*FINDINGS, cases)
    detail = invoke(*FINDINGS, cases, "--detail")
    assert grouped.exit_code == detail.exit_code == 0, grouped.output
    lines = grouped.stdout.splitlines()
    header = next(line for line in lines if line.startswith("Rule  "))
    assert header.split() == [
        "Rule", "Met", "Not", "met", "Not", "yet", "due", "N/A", "Cannot", "assess", "Met", "%"
    ]  # fmt: skip
    row = next(line for line in lines if line.startswith("NS07.oasys-tier1-3 "))
    assert row.split() == ["NS07.oasys-tier1-3", "1", "1", "0", "4", "0", "50%"]
    assert "Not met and cannot assess, by case" in lines
    case = next(line for line in lines if line.startswith("EX-0004 "))
    assert case.split()[1] == "NS07.oasys-tier4"
    assert "NS07.roh-review-event," in case.split()
    assert not any(line.startswith("EX-0005  NS07") for line in lines)  # nothing not met
    assert "Reason" not in grouped.stdout
    assert len(lines) * 5 < len(detail.stdout.splitlines())
    assert "Reason" in detail.stdout
    assert invoke(*FINDINGS, cases, "--all").stdout == detail.stdout


def test_detail_changes_only_the_text(examples: Path) -> None:
    cases = str(examples / "cases.json")
    for format_ in ("json", "csv", "markdown", "html"):
        short = invoke(*FINDINGS, cases, "-f", format_)
        full = invoke(*FINDINGS, cases, "-f", format_, "--detail")
        assert short.stdout == full.stdout, format_
    assert "Reason" in invoke(*FINDINGS, cases, "-f", "markdown").stdout


def test_grouped_findings_from_the_library(examples: Path) -> None:
    from casework.report import findings_report

    result = invoke(*FINDINGS, str(examples / "cases.json"), "-f", "json")
    data = json.loads(result.stdout)
    assert data["counts"]["not_met"] == 3
    from casework import WorkingCalendar, load_cases
    from casework.rules import evaluate

    found = evaluate(
        load_cases(examples / "cases.json").cases,
        "national-standards-2007",
        as_of=__import__("datetime").date(2007, 10, 15),
        calendar=WorkingCalendar.england_and_wales(),
    )
    short = findings_report(found, detail=False)
    full = findings_report(found)
    assert short.to_dict() == full.to_dict()
    assert short.render("csv") == full.render("csv")
    assert "Not met and cannot assess, by case" in short.render("text")
    assert "Not met and cannot assess, by case" not in full.render("text")
