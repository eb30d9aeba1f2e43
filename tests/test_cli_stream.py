"""The command line a chunk at a time: the same rows as the whole-file path, nothing partial."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import overload

import attrs
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, compare, dumps_cases, load_cases, target_performance
from casework.cli import main
from casework.columnar import read_column_chunks
from casework.compare import match_after_prefix, target_figures
from casework.model import Case
from casework.performance import Period
from casework.report import (
    Report,
    SequentialPseudonyms,
    comparison_report,
    findings_report,
    pseudonymise,
    pseudonymise_comparison,
    select_findings,
    select_questions,
)
from casework.report.comparison import proportion_figures
from casework.report.targets import target_report
from casework.rules import evaluate
from casework.rules.ruleset import resolve_ruleset
from casework.rules.targets import target_set
from casework.stream import UNWORDED_FINDINGS_SCHEMA, WORDS


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


def test_csv_refused_before_its_first_row_prints_nothing(examples: Path) -> None:
    """CSV to standard output is written as it is made: a run refused before its first
    row prints nothing, not a header; a run with no row prints the header alone."""
    cases = str(examples / "cases.json")
    for refused in (("--rule", "NOPE.*"), ("--criterion", "1.1"), ("--case", "NOPE")):
        code, printed, err = invoke("findings", cases, "-f", "csv", *refused)
        assert (code, printed) == (2, ""), refused
        assert err.startswith("Error: Invalid value"), refused
    code, printed, _ = invoke("findings", cases, "-f", "csv", "--rule", "NS07.oasys-*",
                              "--outcome", "not_met", "--case", "EX-0001")  # fmt: skip
    assert code == 0
    assert printed.splitlines() == [printed.split("\n", 1)[0]]
    assert printed.startswith("case_ref,rule_id,")


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


def test_no_reasons_with_picked_and_pseudonymised_cases(examples: Path, tmp_path: Path) -> None:
    # cases picked by reference and pseudonymised (on columns, a table of each chunk)
    cases = str(examples / "cases.json")
    picked = ("--case", "EX-0003", "--case", "EX-0001", "--pseudonymise")
    code, worded, _ = invoke("findings", cases, *picked, "--format", "jsonl")
    assert code == 0
    code, bare, _ = invoke("findings", cases, *picked, "--format", "jsonl", "--no-reasons")
    assert code == 0
    expected = [json.loads(line) for line in worded.splitlines()]
    for record in expected:
        for name in WORDS:
            del record[name]
    assert [json.loads(line) for line in bare.splitlines()] == expected
    assert {record["case_ref"] for record in expected} == {"CASE-0001", "CASE-0002"}
    code, printed, _ = invoke("findings", cases, *picked, "--format", "csv", "--no-reasons")
    assert code == 0  # to stdout too
    rows = list(csv.DictReader(io.StringIO(printed, newline="")))
    assert list(rows[0]) == [field.name for field in UNWORDED_FINDINGS_SCHEMA]
    assert [row["rule_id"] for row in rows] == [record["rule_id"] for record in expected]
    out = tmp_path / "bare.parquet"
    code, _, _ = invoke("findings", cases, *picked, "--no-reasons", "-o", str(out))
    assert code == 0
    assert pq.read_table(out).to_pylist() == [
        {**record, "source": "; ".join(record["source"]), "as_of": dt.date(2007, 10, 15)}
        | {name: _date(record[name]) for name in ("trigger", "due", "done")}
        for record in expected
    ]


def _date(text: object) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(str(text))


@pytest.mark.parametrize("format", ["text", "json", "html", "markdown"])
def test_no_reasons_for_a_report_is_one_line(examples: Path, format: str) -> None:
    code, _, err = invoke(
        "findings", str(examples / "cases.json"), "--format", format, "--no-reasons"
    )
    assert code == 2
    assert f"--no-reasons writes findings as csv, jsonl or parquet, not {format}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_read_that_fails_midway_is_one_line(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    import casework.parallel
    import casework.stream

    def failing(*_: object, **__: object) -> object:
        raise OSError("[Errno 5] Input/output error: 'bad-cases.jsonl'")

    monkeypatch.setattr(casework.stream.StreamedRead, "column_chunks", failing)
    monkeypatch.setattr(casework.parallel, "write_findings", failing)
    out = tmp_path / "findings.csv"
    code, _, err = invoke("findings", str(examples / "bad-cases.jsonl"), "-o", str(out), "-j", jobs)
    assert code == 1
    assert err == "Error: [Errno 5] Input/output error: 'bad-cases.jsonl'\n"
    assert list(tmp_path.iterdir()) == []  # nothing partial left


def test_parquet_needs_a_file(examples: Path) -> None:
    code, _, err = invoke("findings", str(examples / "cases.json"), "--format", "parquet")
    assert code == 2
    assert "Parquet is written to a file" in err


def _not_read_whole(*_args: object) -> None:
    raise AssertionError("the file was read whole")


@pytest.mark.parametrize("format_", ["json", "csv"])
def test_json_and_csv_are_written_a_chunk_at_a_time_as_the_whole_report(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format_: str
) -> None:
    # chunks of two cases; the document as findings_report of every finding writes it
    import casework.cli
    import casework.stream

    monkeypatch.setattr(casework.stream, "DEFAULT_CHUNK", 2)
    monkeypatch.setattr(casework.cli, "_read_cases", _not_read_whole)
    calendar = WorkingCalendar.england_and_wales()
    given = ("--as-of", "2007-10-15")
    for name, extra, pseudonyms in (
        ("cases.json", (), False),
        ("cases.json", ("--outcome", "not_met", "--rule", "NS07.oasys-*"), False),
        ("cases.json", ("--outcome", "cannot_assess", "--rule", "NS07.oasys-*"), False),
        ("cases.json", ("--pseudonymise",), True),
        ("bad-cases.jsonl", given, False),
    ):
        path = examples / name
        as_of = dt.date(2007, 10, 15) if extra == given else None
        load = load_cases(path, as_of=as_of)
        day = as_of or load.cases[0].as_of
        found = evaluate(load.cases, "national-standards-2007", as_of=day, calendar=calendar)
        if "--outcome" in extra:
            found = select_findings(found, outcomes=[extra[1]], rules=[extra[3]])
        if pseudonyms:
            found = pseudonymise(found, SequentialPseudonyms())
        expected = findings_report(found, source=name, load=load).render(format_)
        out = tmp_path / f"findings.{format_}"
        code, printed, _ = invoke("findings", str(path), *extra, "-f", format_)
        assert code == (1 if load.errors else 0)
        assert printed == expected
        code, _, err = invoke("findings", str(path), *extra, "-o", str(out))
        assert out.read_text(encoding="utf-8") == expected
        assert f"({len(found)} findings)" in err
    assert not list(tmp_path.glob("*.part"))


def whole_file_report(
    path: Path, calendar: WorkingCalendar, *, detail: bool, **filters: list[str]
) -> Report:
    """The findings report of a file read whole, as the command made it before it read a
    chunk at a time."""
    load = load_cases(path)
    day = load.cases[0].as_of
    found = select_findings(
        evaluate(load.cases, "national-standards-2007", as_of=day, calendar=calendar),
        **filters,  # type: ignore[arg-type]
    )
    return findings_report(found, source=path.name, load=load, detail=detail)


@pytest.mark.parametrize("format_", ["text", "markdown", "html"])
def test_a_report_of_named_cases_is_the_whole_files_report_of_them(
    examples: Path, calendar: WorkingCalendar, format_: str
) -> None:
    # --case with a report format reads the file a chunk at a time and keeps the cases
    # named: the report is the one made from the whole file read at once
    path = examples / "bad-cases.jsonl"
    expected = whole_file_report(path, calendar, detail=True, cases=["GOOD-11"])
    code, printed, err = invoke("findings", str(path), "--case", "GOOD-11", "--detail",
                                "-f", format_)  # fmt: skip
    assert code == 1  # records were rejected
    assert "9 rejected" in err
    assert printed == expected.render(format_)
    assert "GOOD-11" in printed
    assert "BAD-01" not in printed


def test_the_short_form_is_the_whole_files_summary(
    examples: Path, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    # the default text is counted a chunk at a time on columns (FindingsSummary)
    path = examples / "bad-cases.jsonl"
    expected = whole_file_report(path, calendar, detail=False, outcomes=["cannot_assess"])
    out = tmp_path / "summary.txt"
    code, _, err = invoke("findings", str(path), "--outcome", "cannot_assess", "-o", str(out))
    assert code == 1  # records were rejected
    assert "9 rejected" in err
    assert out.read_text(encoding="utf-8") == expected.render("text", width=100)


@pytest.mark.parametrize(
    ("args", "format_"),
    [(["--detail"], "text"), ([], "markdown"), ([], "html"), (["--detail"], "markdown")],
)
def test_the_whole_form_is_the_whole_files_report(
    examples: Path, calendar: WorkingCalendar, tmp_path: Path, args: list[str], format_: str
) -> None:
    # --detail, Markdown and HTML are put in words a chunk at a time (FindingsDetail), every
    # finding's row waiting in a temporary file, and written a piece at a time
    path = examples / "bad-cases.jsonl"
    expected = whole_file_report(path, calendar, detail=True, outcomes=["not_met", "met"])
    out = tmp_path / "every.out"
    code, _, err = invoke("findings", str(path), *args, "-f", format_, "-o", str(out),
                          "--outcome", "not_met", "--outcome", "met")  # fmt: skip
    assert code == 1  # records were rejected
    assert "9 rejected" in err
    assert out.read_text(encoding="utf-8") == expected.render(format_, width=100)


def test_the_whole_form_pseudonymised_is_the_whole_files(
    examples: Path, calendar: WorkingCalendar
) -> None:
    path = examples / "bad-cases.jsonl"
    load = load_cases(path)
    found = evaluate(
        load.cases, "national-standards-2007", as_of=load.cases[0].as_of, calendar=calendar
    )
    expected = findings_report(
        pseudonymise(found, SequentialPseudonyms()), source=path.name, load=load, detail=True
    )
    code, printed, _ = invoke("findings", str(path), "--detail", "--pseudonymise", "-f", "html")
    assert code == 1
    assert printed == expected.render("html")
    assert "GOOD-11" not in printed


def test_no_case_accepted_with_a_date_is_an_empty_report(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"reference": "X"}\n', encoding="utf-8")
    for args in ([], ["--detail"], ["-f", "html"]):
        code, printed, err = invoke("findings", str(path), "--as-of", "2008-01-01", *args)
        assert code == 1
        assert "0 cases accepted, 1 rejected" in err
        assert "Findings" in printed
        code, printed, err = invoke("findings", str(path), *args)
        assert code == 2
        assert "no case was accepted; give --as-of" in err


def test_a_case_not_in_the_file_is_named_with_the_closest(examples: Path) -> None:
    path = str(examples / "bad-cases.jsonl")
    for extra in ((), ("-f", "jsonl")):  # the report and the streamed writer
        code, _, err = invoke("findings", path, "--case", "GOOD-1", *extra)
        assert code == 2
        assert "'GOOD-1': no accepted case of bad-cases.jsonl" in err
        assert "(did you mean 'GOOD-11'?)" in err


class _Counted(Sequence[Case]):
    """A chunk's cases, counting which are made."""

    def __init__(self, cases: Sequence[Case]) -> None:
        self.cases, self.made = cases, []

    def __len__(self) -> int:
        return len(self.cases)

    @overload
    def __getitem__(self, index: int) -> Case: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Case]: ...
    def __getitem__(self, index: int | slice) -> Case | Sequence[Case]:
        assert isinstance(index, int)
        self.made.append(index)
        return self.cases[index]


def test_only_the_named_cases_of_a_chunk_are_made(examples: Path) -> None:
    from casework.cli import _Named

    chunk = next(read_column_chunks(examples / "cases.json")).columns
    counted = _Counted(chunk.cases)
    named = _Named(["EX-0003", "EX-0001", "NOPE"])
    picked = named.read(attrs.evolve(chunk, cases=counted))
    assert [case.reference for case in picked] == ["EX-0001", "EX-0003"]
    assert counted.made == [chunk.references.index(ref) for ref in ("EX-0001", "EX-0003")]
    assert named.found == {"EX-0001", "EX-0003"}


@settings(max_examples=200)
@given(
    name=st.text("AB01-", min_size=1, max_size=6),
    references=st.lists(st.text("AB01-", min_size=1, max_size=6), max_size=12),
    cut=st.integers(min_value=0, max_value=12),
)
def test_the_closest_name_read_in_parts_is_the_closest_of_all(
    name: str, references: list[str], cut: int
) -> None:
    """Read a chunk at a time, the closest reference to a name not found is the one
    difflib picks from every reference at once (the suggestion of a mistyped --case)."""
    from casework.cli import _Named

    named = _Named([name])
    named.read_references(references[:cut])
    named.read_references(references[cut:])
    if name in references:
        assert named.found == {name}
        return
    close = difflib.get_close_matches(name, references, n=1)
    assert named.closest.get(name, (0, None))[1] == (close[0] if close else None)


#: diff runs: a file with rejected records, rule sets paired after their prefix (with
#: questions one set asks), target figures counted as the file is read, pseudonymised.
DIFFS = [
    ("bad-cases.jsonl", "national-standards-2007", "tier4-ten-days.toml", None, ()),
    ("cases.json", "national-standards-2005", "national-standards-2007", "2010-06-30", ()),
    ("targets-cases.yaml", "nps-2007-08", "twenty-day-resolution.yaml", None,
     ("--targets", "2007-08", "--unchanged")),
    ("cases.json", "national-standards-2007", "tier4-ten-days.toml", None,
     ("--pseudonymise", "--rule", "NS07.oasys-*")),
]  # fmt: skip


@pytest.mark.parametrize("run", DIFFS)
def test_diff_read_a_chunk_at_a_time_is_the_whole_files_diff(
    examples: Path,
    calendar: WorkingCalendar,
    run: tuple[str, str, str, str | None, tuple[str, ...]],
) -> None:
    # without --scores, diff reads the file a chunk at a time and compares on columns
    # (compare_columns): every format is the report compare() of the whole file gives
    name, baseline, variant, as_of, more = run
    path = examples / name
    overlay = str(examples / variant) if variant.endswith((".toml", ".yaml")) else variant
    load = load_cases(path)
    day = dt.date.fromisoformat(as_of) if as_of else load.cases[0].as_of
    chosen = resolve_ruleset(baseline), resolve_ruleset(overlay)
    targets = "--targets" in more
    figures = {"targets": target_figures("2007-08", period=Period.financial_year(2007))}
    whole = compare(load.cases, *chosen, as_of=day, calendar=calendar,
                    match=match_after_prefix if as_of else None,
                    figures=figures if targets else None)  # fmt: skip
    whole = select_questions(whole, ["NS07.oasys-*"] if "--rule" in more else [])
    if "--pseudonymise" in more:
        whole = pseudonymise_comparison(whole, SequentialPseudonyms())
    expected = comparison_report(
        whole,
        source=path.name,
        load=load,
        unchanged="--unchanged" in more,
        paired_by="the rule id after its prefix (NS05.x with NS07.x)" if as_of else "rule id",
        percentages=proportion_figures(
            scores="scores", targets=("targets", target_set("2007-08")) if targets else None
        ),
    )
    dated = ("--as-of", as_of) if as_of else ()
    for format_ in ("text", "markdown", "html", "json", "csv"):
        code, printed, _err = invoke("diff", str(path), "-b", baseline, "-v", overlay, *dated,
                                     *more, "-f", format_)  # fmt: skip
        assert code == (0 if load.ok else 1)
        assert printed == expected.render(format_, width=100), format_


def test_pseudonymised_targets_a_chunk_at_a_time_are_the_whole_files(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chunks of two cases, each evaluated on columns and pseudonymised as a table, the
    # references of each forgotten once counted: the report of every finding pseudonymised
    import casework.stream

    monkeypatch.setattr(casework.stream, "DEFAULT_CHUNK", 2)
    calendar = WorkingCalendar.england_and_wales()
    path = examples / "targets-cases.yaml"
    load = load_cases(path)
    found = evaluate(load.cases, "nps-2007-08", as_of=load.cases[0].as_of, calendar=calendar)
    performance = target_performance(
        pseudonymise(found, SequentialPseudonyms()), "2007-08", period=Period.financial_year(2007)
    )
    expected = target_report(performance, source=path.name, load=load)
    for format_ in ("markdown", "json"):
        code, printed, _ = invoke("targets", str(path), "-s", "2007-08", "--pseudonymise",
                                  "-f", format_)  # fmt: skip
        assert code == 0
        assert printed == expected.render(format_)
    assert "CASE-0010" in printed
