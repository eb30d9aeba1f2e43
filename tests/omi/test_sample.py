"""The synthetic OMI sample in examples/: regenerated exactly, loaded cleanly, scored end to end."""

from __future__ import annotations

import csv
import importlib.util
from fractions import Fraction
from types import ModuleType

import pytest

from casework import (
    Scorecard,
    WorkingCalendar,
    load_cases,
    load_inspection,
    score_inspection,
)
from casework.rules import evaluate
from casework.rules.omi2007 import question
from casework.rules.omi2007.question import Answering
from tests.conftest import EXAMPLES, ROOT

PUBLISHED = ROOT / "tests" / "omi" / "data" / "published-scores.csv"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_omi_sample", EXAMPLES / "make_omi_sample.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scorecard() -> Scorecard:
    result = load_cases(EXAMPLES / "omi-sample.json")
    assert result.ok, [str(error) for error in result.errors]
    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    findings = evaluate(
        result.cases,
        inspection.ruleset,
        as_of=inspection.as_of,
        calendar=WorkingCalendar.england_and_wales(),
    )
    return score_inspection(findings, inspection=inspection)


def test_the_example_files_are_what_the_script_writes() -> None:
    script = _script()
    assert (EXAMPLES / "omi-sample.json").read_text(encoding="utf-8") == script.sample_text()
    assert (EXAMPLES / "omi-inspection.json").read_text(encoding="utf-8") == (
        script.inspection_text()
    )


def test_every_case_loads_and_every_applicable_question_is_answered(scorecard: Scorecard) -> None:
    assert len(scorecard.cases) == 106
    assert scorecard.warnings == ()
    assert all(c.score is not None for c in scorecard.criteria)
    assert [c.id for c in scorecard.criteria] == [
        "1.1", "1.2", "1.3", "1.4", "1.5",
        "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
        "3.1", "3.2",
    ]  # fmt: skip


def test_the_sample_reproduces_the_printed_counts(scorecard: Scorecard) -> None:
    """Where the report prints "a of b" and the sample has b relevant cases, a are above."""
    checked = 0
    for q in scorecard.questions:
        if q.summary or question(q.id).answering is not Answering.JUDGED:
            continue
        rate, base = question(q.id).reported_rate, question(q.id).reported_base
        if rate is None or base is None or q.relevant != base:
            continue
        assert abs(len(q.above) - rate * base) <= Fraction(1, 2), q.id
        checked += 1
    assert checked >= 90


@pytest.mark.parametrize(
    ("question_id", "above", "relevant"),
    [
        ("1.1.e", 57, 61),  # 93% of 61 PSRs on time (004:344)
        ("1.3.f", 15, 21),  # 004:401
        ("2.1.v", 3, 6),  # 004:496
        ("2.1.w", 2, 6),
        ("2.1.x", 1, 3),
        ("2.3.a", 15, 20),  # 004:535
        ("2.4.g", 35, 40),  # 004:560
        ("2.4.h", 28, 40),
    ],
)
def test_computed_questions_reproduce_the_printed_counts_from_the_facts(
    scorecard: Scorecard, question_id: str, above: int, relevant: int
) -> None:
    q = scorecard.question(question_id)
    assert (len(q.above), q.relevant) == (above, relevant)


def test_the_sample_reaches_every_published_conclusion(scorecard: Scorecard) -> None:
    with PUBLISHED.open(encoding="utf-8") as stream:
        published = list(csv.DictReader(line for line in stream if not line.startswith("#")))
    for row in published:
        crit = scorecard.criterion(row["criterion"])
        assert crit.conclusion == row["conclusion"], row["criterion"]
    thread = scorecard.roh_thread.score
    assert thread is not None
    assert abs(thread - Fraction(65, 100)) <= Fraction(2, 100)  # published: 65% (004:205)


def test_which_cases_fell_below_the_line_is_one_call(scorecard: Scorecard) -> None:
    below = scorecard.cases_below("1.2.p")
    q = scorecard.question("1.2.p")
    assert below == q.below
    assert len(below) + len(q.above) == q.relevant == 80
    assert all(ref.startswith("OMI-") for ref in below)


def test_section_four_grades_come_through(scorecard: Scorecard) -> None:
    grades = [s.grade.label if s.grade else None for s in scorecard.section4]
    assert grades == [
        "Well met",
        "Well met",
        "Satisfactorily met",
        "Partly met",
        "Satisfactorily met",
        "Satisfactorily met",
    ]
