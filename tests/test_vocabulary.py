"""One vocabulary: docs/vocabulary.md's table of names holds for Finding, Findings.where,
Comparison.where and the command line, and each filter keeps what its field says."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from casework import WorkingCalendar, compare, load_cases
from casework.cli import main
from casework.compare import Comparison
from casework.rules import Finding, Findings, evaluate
from casework.rules.ruleset import resolve_ruleset
from casework.schemas import FINDING_FIELDS
from tests.conftest import ROOT

PAGE = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
CODE = re.compile(r"`([^`]+)`")


def _filters_table() -> list[dict[str, str]]:
    section = PAGE.split("## Filters", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [
        dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]


ROWS = _filters_table()


def _names(cell: str) -> list[str]:
    """The names a cell gives: keywords without ``=``, options as written."""
    return [name.rstrip("=") for name in CODE.findall(cell)]


def _keywords(function: object) -> set[str]:
    return set(inspect.signature(function).parameters) - {"self"}  # type: ignore[arg-type]


def _options(command: str) -> set[str]:
    return {option for param in main.commands[command].params for option in param.opts}


def test_the_table_lists_every_filter() -> None:
    assert len(ROWS) >= 8
    listed_findings = {name for row in ROWS for name in _names(row["`Findings.where`"])}
    listed_comparison = {name for row in ROWS for name in _names(row["`Comparison.where`"])}
    assert listed_findings == _keywords(Findings.where)
    assert listed_comparison == _keywords(Comparison.where)


@pytest.mark.parametrize("row", ROWS, ids=[row["Meaning"] for row in ROWS])
def test_each_name_in_the_table_exists(row: dict[str, str]) -> None:
    fields = {field.name for field in FINDING_FIELDS}
    for field in _names(row["Field (`Finding`, JSON)"]):
        assert field in fields
        assert field in attrs_fields(Finding)
    first = _names(row["`Findings.where`"])
    if first:
        assert first[0] in fields  # a filter is named after the field it matches
    for command, column in (("findings", "`casework findings`"), ("diff", "`casework diff`")):
        assert set(_names(row[column])) <= _options(command)


def attrs_fields(cls: type) -> set[str]:
    return {field.name for field in cls.__attrs_attrs__}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def example_findings(examples: Path) -> Findings:
    """National Standards findings on cases.json, OMI findings on ten sampled cases
    (criteria, groups) and target rules' on the targets example (units)."""
    calendar = WorkingCalendar.england_and_wales()
    found: list[Finding] = []
    for name, rules, count in (
        ("cases.json", "national-standards-2007", None),
        ("omi-sample.json", "omi-2007", 10),
        ("targets-cases.yaml", "nps-2007-08", None),
    ):
        cases = load_cases(examples / name).cases[:count]
        found += evaluate(cases, rules, as_of=cases[0].as_of, calendar=calendar)
    return Findings(tuple(found))


FIELD_FILTERS = ("case_ref", "rule_id", "outcome", "criterion", "roh", "unit", "group")


@pytest.mark.parametrize("name", FIELD_FILTERS)
def test_findings_where_keeps_what_its_field_says(example_findings: Findings, name: str) -> None:
    values = list(dict.fromkeys(getattr(f, name) for f in example_findings))
    present = [value for value in values if value is not None]
    assert present, f"the examples have no {name}"
    for value in present[:3]:
        expected = [f for f in example_findings if getattr(f, name) == value]
        assert list(example_findings.where(**{name: value})) == expected
        assert 0 < len(expected) <= len(example_findings)


def test_findings_aliases_give_the_same(example_findings: Findings) -> None:
    finding = example_findings[5]
    assert example_findings.where(case=finding.case_ref, rule=finding.rule_id) == (
        example_findings.where(case_ref=finding.case_ref, rule_id=finding.rule_id)
    )
    with pytest.raises(TypeError, match="not both"):
        example_findings.where(case_ref=finding.case_ref, case="OTHER")


@pytest.fixture(scope="module")
def comparison(examples: Path) -> Comparison:
    result = load_cases(examples / "cases.json")
    return compare(
        result.cases,
        "national-standards-2007",
        resolve_ruleset(str(examples / "tier4-ten-days.toml")),
        as_of=result.cases[0].as_of,
        calendar=WorkingCalendar.england_and_wales(),
    )


def test_comparison_where_by_field_and_alias(comparison: Comparison) -> None:
    assert comparison.changes
    change = comparison.changes[0]
    by_case = [c for c in comparison.changes if c.case_ref == change.case_ref]
    assert list(comparison.where(case_ref=change.case_ref)) == by_case
    assert comparison.where(case=change.case_ref) == comparison.where(case_ref=change.case_ref)
    side = change.before or change.after
    assert side is not None
    by_rule = [
        c
        for c in comparison.changes
        if side.rule_id in {f.rule_id for f in (c.before, c.after) if f is not None}
    ]
    assert list(comparison.where(rule_id=side.rule_id)) == by_rule
    assert list(comparison.where(key=change.key)) == [
        c for c in comparison.changes if c.key == change.key
    ]
    assert comparison.where(question=change.key) == comparison.where(key=change.key)
    assert comparison.where(question=side.rule_id) == comparison.where(rule_id=side.rule_id)
    assert comparison.where(case_ref="NOT-A-CASE") == ()
    with pytest.raises(TypeError, match="not both"):
        comparison.where(case_ref=change.case_ref, case="OTHER")


def test_comparison_questions_is_the_json_name(comparison: Comparison) -> None:
    assert comparison.questions == comparison.rules
    assert [q["question"] for q in comparison.to_dict()["questions"]] == [
        summary.key for summary in comparison.questions
    ]
