"""The question catalogue holds every item the report prints, as printed."""

from __future__ import annotations

import csv
from fractions import Fraction

import pytest

from casework.rules import RuleKind, RuleSet, ruleset
from casework.rules.omi2007 import (
    QUESTIONS,
    SCORED_CRITERIA,
    judgement_problems,
    question,
    summary_id,
)
from casework.rules.omi2007.question import Answering
from casework.testing import make_case
from tests.conftest import ROOT

ITEMS = ROOT / "tests" / "omi" / "data" / "omi-2007-items.csv"

KINDS = {
    "T": {RuleKind.TIMELINESS},
    "Q": {RuleKind.QUALITY},
    "D": {RuleKind.DESCRIPTIVE},
    "Q (outcome)": {RuleKind.OUTCOME},
    "T/Q": {RuleKind.TIMELINESS, RuleKind.CONSISTENCY},
}


def _items() -> list[dict[str, str]]:
    with ITEMS.open(encoding="utf-8") as stream:
        return list(csv.DictReader(line for line in stream if not line.startswith("#")))


@pytest.fixture(scope="module")
def omi() -> RuleSet:
    return ruleset("omi-2007")


def test_every_reported_item_is_a_question_with_its_source_line(omi: RuleSet) -> None:
    expected = _items()
    assert len(expected) == 243
    missing = [item["id"] for item in expected if item["id"] not in omi]
    assert missing == []
    for item in expected:
        rule = omi.rule(item["id"])
        assert rule.source[0] == item["source"], item["id"]
        assert rule.criterion == item["criterion"], item["id"]
        assert rule.kind in KINDS[item["kind"]], item["id"]
        assert rule.roh is (item["roh"] == "Y"), item["id"]


def test_no_question_beyond_the_reported_items_and_one_summary_per_criterion(omi: RuleSet) -> None:
    reported = {item["id"] for item in _items()}
    summaries = {summary_id(c.id) for c in SCORED_CRITERIA}
    assert {rule.id for rule in omi} == reported | summaries
    assert len(omi) == len(reported) + 14
    for crit in SCORED_CRITERIA:
        summary = omi.rule(summary_id(crit.id))
        assert summary.kind is RuleKind.SUMMARY
        assert summary.criterion == crit.id
        assert summary.roh is (crit.id in {"1.2", "2.2"})


def test_printed_rates_are_carried_as_reported() -> None:
    for item in _items():
        found = question(item["id"]).reported_rate
        if not item["rate"]:
            assert found is None, item["id"]
            continue
        text = item["rate"]
        printed = Fraction(int(text[:-1]), 100) if text.endswith("%") else Fraction(text)
        assert found == printed, item["id"]
        if "/" in text:
            assert question(item["id"]).reported_base == int(text.split("/")[1]), item["id"]


def test_ambiguous_roh_tags_record_the_reading_taken() -> None:
    for item in _items():
        if item["roh_tag"] == "?":
            assert "RoH thread" in question(item["id"]).roh_note, item["id"]


def test_section_three_is_never_in_the_roh_thread() -> None:
    assert not [q.id for q in QUESTIONS if q.section == 3 and q.roh]


def test_questions_are_in_report_order_and_ids_are_unique() -> None:
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))
    lines = [(q.criterion, int(q.source[0].split(":")[1])) for q in QUESTIONS]
    for crit in SCORED_CRITERIA:
        ordered = [line for c, line in lines if c == crit.id]
        assert ordered == sorted(ordered), crit.id


def test_descriptive_and_area_items_are_not_scored() -> None:
    for q in QUESTIONS:
        unscored = q.kind is RuleKind.DESCRIPTIVE or q.answering is Answering.AREA
        assert q.scored is not unscored, q.id


def test_unknown_question_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no OMI 2007 question"):
        question("1.2.zz")


def test_mistyped_judgement_ids_are_reported() -> None:
    case = make_case(
        judgements={
            "answers": {"1.2.p": "yes", "1.2.pp": "no", "4.1.a": "yes"},
            "summaries": {"1.2": "yes", "4.1": "no"},
        }
    )
    assert judgement_problems(case) == (
        "answer for unknown question '1.2.pp'",
        "answer for unknown question '4.1.a'",
        "summary for unknown criterion '4.1' (expected one of 1.1 to 3.2)",
    )
    assert judgement_problems(make_case()) == ()
