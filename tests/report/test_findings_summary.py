"""The findings report made a chunk at a time from columns, short (FindingsSummary) or whole
(FindingsDetail), is the one findings_report(..., detail=False or True) makes from every
Finding at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import LoadResult, WorkingCalendar, load_cases
from casework.columnar import evaluate_columns
from casework.model import Case
from casework.report import (
    SequentialPseudonyms,
    findings_report,
    pseudonymise,
    pseudonymise_table,
    select_findings,
    selector,
)
from casework.report import findings as findings_module
from casework.report.findings import FindingsDetail, FindingsSummary
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
    detail: bool = False,
    renamed: bool = False,
) -> None:
    rules = ruleset(name)
    found = select_findings(evaluate(cases, rules, as_of=as_of, calendar=calendar), **filters)  # type: ignore[arg-type]
    if renamed:
        found = pseudonymise(found, SequentialPseudonyms())
    expected = findings_report(found, source="cases.jsonl", load=load, detail=detail)
    names = SequentialPseudonyms()
    with (FindingsDetail if detail else FindingsSummary)() as made_up:
        for start in range(0, len(cases), chunk):
            answered = evaluate_columns(
                cases[start : start + chunk], rules, as_of=as_of, calendar=calendar
            )
            table = answered.explain(words=detail, where=selector(**filters))  # type: ignore[arg-type]
            if renamed:
                table = pseudonymise_table(table, names)
            made_up.add(table)
        made = made_up.report(source="cases.jsonl", load=load)
        assert made_up.count == len(found)
        for format_ in ("text", "markdown", "html"):
            assert made.render(format_, width=100) == expected.render(format_, width=100)
    assert made.data == {key: value for key, value in expected.data.items() if key != "findings"}


@pytest.mark.parametrize("detail", [False, True])
@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("chunk", [1, 4, 1_000])
def test_the_examples_reported_a_chunk_at_a_time(
    calendar: WorkingCalendar, filters: dict[str, object], chunk: int, detail: bool
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
            detail=detail,
        )


@pytest.mark.parametrize("detail", [False, True])
def test_other_rule_sets_and_dates(calendar: WorkingCalendar, detail: bool) -> None:
    cases = list(load_cases(EXAMPLES / "cases.json").cases)
    both(cases, "national-standards", dt.date(2009, 1, 1), calendar, filters={}, chunk=2,
         detail=detail)  # fmt: skip
    omi = list(load_cases(EXAMPLES / "omi-sample.json").cases)
    both(omi, "omi-2007", omi[0].as_of, calendar, filters={"outcomes": ["not_met"]}, chunk=3,
         detail=detail)  # fmt: skip


@pytest.mark.parametrize("detail", [False, True])
def test_pseudonymised_a_chunk_at_a_time(calendar: WorkingCalendar, detail: bool) -> None:
    """Each chunk's table pseudonymised as it comes (the pseudonyms numbered on) gives the
    report of the findings pseudonymised at once."""
    cases = list(load_cases(EXAMPLES / "cases.json").cases)
    both(cases, "national-standards-2007", cases[0].as_of, calendar, filters={}, chunk=3,
         detail=detail, renamed=True)  # fmt: skip


@pytest.mark.parametrize("form", [FindingsSummary, FindingsDetail])
def test_nothing_added_is_the_report_of_no_findings(form: type[FindingsSummary]) -> None:
    with form() as made_up:
        made = made_up.report(source="none.jsonl")
        expected = findings_report([], source="none.jsonl", detail=form is FindingsDetail)
        for format_ in ("text", "markdown", "html"):
            assert made.render(format_) == expected.render(format_)


def test_the_whole_form_needs_the_words(calendar: WorkingCalendar) -> None:
    cases = list(load_cases(EXAMPLES / "cases.json").cases)
    answered = evaluate_columns(
        cases, ruleset("national-standards-2007"), as_of=cases[0].as_of, calendar=calendar
    )
    with FindingsDetail() as made_up, pytest.raises(ValueError, match="reasons are needed"):
        made_up.add(answered.explain(words=False))


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
        # two readings at once, and an index asked for while reading, keep their places
        assert list(zip(table.rows, table.rows, strict=True)) == list(zip(rows, rows, strict=True))
        assert [(row, table.rows[-1]) for row in table.rows] == [(row, rows[-1]) for row in rows]


def test_a_long_spooled_table_is_read_a_batch_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(findings_module, "_SPOOL_BATCH", 3)
    with tmp_path.joinpath("spool").open("w+", encoding="utf-8") as spool:
        rows = findings_module._SpooledRows(spool)
        made = [(f"C-{n}", "é" * (n % 4) or None, str(n)) for n in range(10)]
        rows.extend(made[:4])
        for row in made[4:]:
            rows.append(row)
        assert list(rows) == made
        assert list(zip(rows, rows, strict=True)) == list(zip(made, made, strict=True))
        assert rows[7] == made[7]


@settings(max_examples=15)
@given(
    drawn=st.lists(cs.cases(), min_size=1, max_size=6),
    offset=st.integers(min_value=-30, max_value=400),
    filters=st.sampled_from(FILTERS),
    chunk=st.integers(min_value=1, max_value=4),
)
def test_generated_cases_reported_a_chunk_at_a_time(
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
    for detail in (False, True):
        both(drawn, "national-standards-2007", as_of, calendar, filters=filters, chunk=chunk,
             detail=detail)  # fmt: skip
