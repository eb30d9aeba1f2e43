"""The short findings report made a chunk at a time from columns (FindingsSummary) is the
one findings_report(..., detail=False) makes from every Finding at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import LoadResult, WorkingCalendar, load_cases
from casework.columnar import evaluate_columns
from casework.model import Case
from casework.report import findings_report, select_findings, selector
from casework.report.findings import FindingsSummary
from casework.rules import evaluate, ruleset
from casework.testing import strategies as cs
from tests.conftest import EXAMPLES

FILTERS: list[dict[str, object]] = [
    {},
    {"outcomes": ["not_met", "cannot_assess"]},
    {"outcomes": ["met"], "rules": ["NS07.oasys-*"]},
    {"roh": True},
    {"rules": ["NS07.mappa-level", "NS07.induction"]},
    {"criteria": ["nothing"]},  # (nothing kept)
]


def both(
    cases: list[Case],
    name: str,
    as_of: dt.date,
    calendar: WorkingCalendar,
    *,
    filters: dict[str, object],
    chunk: int,
    load: LoadResult | None = None,
) -> None:
    rules = ruleset(name)
    found = select_findings(evaluate(cases, rules, as_of=as_of, calendar=calendar), **filters)  # type: ignore[arg-type]
    expected = findings_report(found, source="cases.jsonl", load=load, detail=False)
    with FindingsSummary() as summary:
        for start in range(0, len(cases), chunk):
            answered = evaluate_columns(
                cases[start : start + chunk], rules, as_of=as_of, calendar=calendar
            )
            summary.add(answered.explain(words=False, where=selector(**filters)))  # type: ignore[arg-type]
        made = summary.report(source="cases.jsonl", load=load)
        assert summary.count == len(found)
        for format_ in ("text", "markdown", "html"):
            assert made.render(format_, width=100) == expected.render(format_, width=100)
    assert made.data == {key: value for key, value in expected.data.items() if key != "findings"}


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("chunk", [1, 4, 1_000])
def test_the_examples_summarised_a_chunk_at_a_time(
    calendar: WorkingCalendar, filters: dict[str, object], chunk: int
) -> None:
    for file in ("cases.json", "bad-cases.jsonl"):
        load = load_cases(EXAMPLES / file)
        cases = list(load.cases)
        both(
            cases,
            "national-standards-2007",
            cases[0].as_of,
            calendar,
            filters=filters,
            chunk=chunk,
            load=load,
        )


def test_other_rule_sets_and_dates(calendar: WorkingCalendar) -> None:
    cases = list(load_cases(EXAMPLES / "cases.json").cases)
    both(cases, "national-standards", dt.date(2009, 1, 1), calendar, filters={}, chunk=2)
    omi = list(load_cases(EXAMPLES / "omi-sample.json").cases)
    both(omi, "omi-2007", omi[0].as_of, calendar, filters={"outcomes": ["not_met"]}, chunk=3)


def test_nothing_added_is_the_report_of_no_findings() -> None:
    with FindingsSummary() as summary:
        made = summary.report(source="none.jsonl")
        expected = findings_report([], source="none.jsonl", detail=False)
        assert made.render("text") == expected.render("text")


def test_the_cases_listed_wait_in_a_file_and_read_back_alike(
    calendar: WorkingCalendar, tmp_path: Path
) -> None:
    cases = list(load_cases(EXAMPLES / "cases.json").cases)
    answered = evaluate_columns(
        cases, ruleset("national-standards-2007"), as_of=cases[0].as_of, calendar=calendar
    )
    with FindingsSummary(tmp_path) as summary:
        summary.add(answered.explain(words=False))
        table = summary.report().document.blocks[2].blocks[0]  # type: ignore[attr-defined]
        rows = list(table.rows)
        assert len(rows) == len(table.rows) == 6
        assert list(table.rows) == rows  # (read again, the same)
        assert table.rows[1] == rows[1]
        assert table.rows[-1] == rows[-1]
        assert table.rows[1:3] == rows[1:3]
        with pytest.raises(IndexError):
            table.rows[6]
        assert rows[1][0] == "EX-0002"
        assert all(len(row) == 3 for row in rows)


@settings(max_examples=15)
@given(
    drawn=st.lists(cs.cases(), min_size=1, max_size=6),
    offset=st.integers(min_value=-30, max_value=400),
    filters=st.sampled_from(FILTERS),
    chunk=st.integers(min_value=1, max_value=4),
)
def test_generated_cases_summarised_a_chunk_at_a_time(
    drawn: list[Case],
    offset: int,
    filters: dict[str, object],
    chunk: int,
    calendar: WorkingCalendar,
) -> None:
    references = [case.reference for case in drawn]
    if len(set(references)) != len(references):
        return  # (a file's references are its own: the reader rejects a repeat)
    as_of = max(case.as_of for case in drawn) + dt.timedelta(days=offset)
    both(drawn, "national-standards-2007", as_of, calendar, filters=filters, chunk=chunk)
