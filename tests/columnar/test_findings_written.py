"""Findings written from columns are byte for byte the findings written from Finding objects.

`casework findings` (CSV, JSON Lines, Parquet) writes each chunk from
FindingColumns.explain: reasons and evidence from the rules' own templates, the rest
from the columns. Here each format is written both ways and the bytes compared, on the
examples, the witness cases and generated cases, with and without the unstated
timescales; filters on columns (select_table) keep what select_findings keeps.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases, stream
from casework.columnar import evaluate_columns
from casework.columnar.core import FindingTable
from casework.model import Case
from casework.report import select_findings, select_table
from casework.rules import Finding, evaluate, ruleset
from casework.rules.ruleset import RuleSet
from casework.stream import FindingsWriter, StreamFormat
from casework.testing import strategies as cs
from tests.columnar.compare import WITNESSES, case_records, rules_for


def written(found: list[Finding] | FindingTable, form: StreamFormat, path: Path) -> bytes:
    if form == "parquet":
        with FindingsWriter(path, form) as writer:
            writer.write(found)
        return path.read_bytes()
    stream = io.StringIO()
    with FindingsWriter(None, form, stream=stream) as writer:
        writer.write(found)
    return stream.getvalue().encode()


def both_ways(
    cases: list[Case], rules: RuleSet, as_of: dt.date, calendar: WorkingCalendar, tmp: Path
) -> None:
    found = list(evaluate(cases, rules, as_of=as_of, calendar=calendar))
    table = evaluate_columns(cases, rules, as_of=as_of, calendar=calendar).explain()
    assert len(table) == len(found)
    for form in ("csv", "jsonl", "parquet"):
        expected = written(found, form, tmp / f"objects.{form}")
        assert written(table, form, tmp / f"columns.{form}") == expected, form


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    witnesses = list(load_cases(WITNESSES).cases)
    generated = [Case.model_validate(r) for r in case_records(11, 80, dt.date(2009, 3, 31))]
    return [*witnesses, *generated]


@pytest.mark.parametrize("supplied", [True, False])
def test_every_format_is_byte_identical(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path, supplied: bool
) -> None:
    name = "national-standards-2007"
    rules = rules_for(name) if supplied else ruleset(name)
    both_ways(cases, rules, dt.date(2010, 6, 30), calendar, tmp_path)


@pytest.mark.parametrize(
    ("file", "name"),
    [
        ("cases.json", "national-standards-2007"),
        ("cases.json", "national-standards"),
        ("omi-sample.json", "omi-2007"),
    ],
)
def test_the_examples_are_written_the_same(
    examples: Path, calendar: WorkingCalendar, tmp_path: Path, file: str, name: str
) -> None:
    loaded = load_cases(examples / file)
    as_of = loaded.cases[0].as_of
    both_ways(list(loaded.cases), ruleset(name), as_of, calendar, tmp_path)


def test_no_findings_are_written_the_same(calendar: WorkingCalendar, tmp_path: Path) -> None:
    both_ways([], ruleset("national-standards-2007"), dt.date(2010, 6, 30), calendar, tmp_path)


@settings(max_examples=10)
@given(
    drawn=st.lists(cs.cases(), min_size=1, max_size=4),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_generated_cases_are_written_the_same(
    drawn: list[Case],
    offset: int,
    calendar: WorkingCalendar,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    as_of = max(case.as_of for case in drawn) + dt.timedelta(days=offset)
    both_ways(
        drawn, ruleset("national-standards-2007"), as_of, calendar, tmp_path_factory.mktemp("w")
    )


@pytest.mark.parametrize(
    "filters",
    [
        {"outcomes": ["not_met", "cannot_assess"]},
        {"rules": ["NS07.oasys-*", "NS07.rmp-*"], "roh": True},
        {"criteria": ["nothing"]},
        {"cases": ["EX-0003", "EX-0001"], "outcomes": ["met"]},
    ],
)
def test_filters_on_columns_keep_what_the_finding_filters_keep(
    examples: Path, calendar: WorkingCalendar, tmp_path: Path, filters: dict[str, object]
) -> None:
    loaded = list(load_cases(examples / "cases.json").cases)
    rules = ruleset("national-standards-2007")
    as_of = loaded[0].as_of
    found = select_findings(evaluate(loaded, rules, as_of=as_of, calendar=calendar), **filters)  # type: ignore[arg-type]
    table = select_table(
        evaluate_columns(loaded, rules, as_of=as_of, calendar=calendar).explain(),
        **filters,  # type: ignore[arg-type]
    )
    assert len(table) == len(found)
    assert written(table, "jsonl", tmp_path) == written(list(found), "jsonl", tmp_path)


@pytest.mark.parametrize(("lines", "combined"), [(1, 4_096), (2, 4_096), (7, 4_096), (7, 1)])
def test_csv_written_in_pieces_is_the_same(
    examples: Path,
    calendar: WorkingCalendar,
    lines: int,
    combined: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chunk's CSV is written ``CSV_LINES`` lines at a time: the pieces join to the CSV
    of the Finding objects, whatever the piece size, and each ends a line; neighbouring
    coded cells are joined once per combination of values, or (``combined=1``: every
    pair of values too many) only by the same codes or one value."""
    loaded = list(load_cases(examples / "cases.json").cases)
    as_of = loaded[0].as_of
    rules = ruleset("national-standards-2007")
    found = list(evaluate(loaded, rules, as_of=as_of, calendar=calendar))
    table = evaluate_columns(loaded, rules, as_of=as_of, calendar=calendar).explain()
    monkeypatch.setattr(stream, "CSV_LINES", lines)
    monkeypatch.setattr(stream, "_MOST_COMBINED", combined)
    pieces = list(stream.table_csv_lines(table))
    assert len(pieces) == -(-len(found) // lines)
    assert all(piece.count("\n") == len(piece.splitlines()) for piece in pieces)
    assert "".join(pieces) == stream.findings_csv_lines(found)
    _header, *rows = written(found, "csv", Path("unused")).decode().splitlines(keepends=True)
    assert "".join(rows) == "".join(pieces)
