"""InspectionTally: a chunk of findings at a time, merged in any order, gives exactly
score_inspection's scorecard (intervals included) and byte-identical reports."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casework.intervals as intervals_module
from casework import WorkingCalendar, load_cases, score_inspection
from casework._caserefs import CaseRefs, Lines
from casework.columnar import evaluate_columns
from casework.inspection_tally import InspectionTally
from casework.intervals import IntervalOptions, score_intervals
from casework.model.inspection import load_inspection
from casework.report import KeyedPseudonyms, SequentialPseudonyms, pseudonymise, pseudonymiser
from casework.report.dataframe import case_question_frame
from casework.report.inspection import inspection_report
from casework.rules import evaluate, ruleset
from casework.rules.engine import Finding, Outcome

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2007, 10, 15)
FEW = IntervalOptions(resamples=60, seed=4)


@pytest.fixture(scope="module")
def by_case(calendar: WorkingCalendar) -> list[list[Finding]]:
    """The example sample's omi-2007 findings, case by case."""
    cases = load_cases(EXAMPLES / "omi-sample.json").cases
    found = evaluate(cases, ruleset("omi-2007"), as_of=AS_OF, calendar=calendar)
    grouped: dict[str, list[Finding]] = {}
    for finding in found:
        grouped.setdefault(finding.case_ref, []).append(finding)
    return list(grouped.values())


def _flat(groups: Sequence[list[Finding]]) -> list[Finding]:
    return [finding for group in groups for finding in group]


def _tally(groups: Sequence[list[Finding]], partition: int, chunk: int) -> InspectionTally:
    tally = InspectionTally(partition=partition)
    for start in range(0, len(groups), chunk):
        tally.add(_flat(groups[start : start + chunk]))
    return tally


def _json(card: object) -> str:
    report = inspection_report(card, source="sample.json", chart=False)  # type: ignore[arg-type]
    return report.render("json")


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"not_evidenced": "unanswered"},
        {"groups": "all_of", "weighting": "pooled"},
        {"groups": "mean_of", "combine": "summary_as_question", "roh_thread_summaries": False},
    ],
)
def test_one_pass_gives_score_inspections_scorecard(
    by_case: list[list[Finding]], overrides: dict[str, object]
) -> None:
    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    expected = score_inspection(_flat(by_case), inspection=inspection, intervals=FEW, **overrides)
    tally = _tally(by_case, 0, 25)
    for compact in (False, True):
        card = tally.scorecard(inspection=inspection, intervals=FEW, compact=compact, **overrides)
        assert card == expected
        assert card.intervals == expected.intervals
        assert _json(card) == _json(expected)


@settings(max_examples=25)
@given(data=st.data())
def test_any_split_merged_in_any_order_is_the_whole(
    by_case: list[list[Finding]], data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(1, len(by_case) - 1), max_size=4), label="cuts"))
    bounds = [0, *cuts, len(by_case)]
    chunk = data.draw(st.integers(1, 40), label="chunk")
    tallies = [
        _tally(by_case[start:end], partition, chunk)
        for partition, (start, end) in enumerate(itertools.pairwise(bounds))
    ]
    rng = random.Random(data.draw(st.integers(0, 2**16), label="order"))
    while len(tallies) > 1:  # a random merge tree: any order, any grouping
        left = tallies.pop(rng.randrange(len(tallies)))
        right = tallies.pop(rng.randrange(len(tallies)))
        tallies.append(left.merge(right))
    merged = tallies[0]
    whole = _tally(by_case, 0, len(by_case))
    assert merged.refs == whole.refs
    options = {"not_evidenced": data.draw(st.sampled_from(["below_the_line", "unanswered"]))}
    card = merged.scorecard(intervals=FEW, **options)
    expected = score_inspection(_flat(by_case), intervals=FEW, **options)
    assert card == expected
    assert card.intervals == expected.intervals


def test_compact_sequences_read_as_tuples(by_case: list[list[Finding]]) -> None:
    # Some answers missing, so that warnings list unanswered cases.
    unsure = [
        [
            attrs.evolve(f, outcome=Outcome.CANNOT_ASSESS) if i % 7 == c % 3 else f
            for i, f in enumerate(group)
        ]
        for c, group in enumerate(by_case)
    ]
    tally = _tally(unsure, 0, 30)
    plain = tally.scorecard(intervals=False)
    compact = tally.scorecard(intervals=False, compact=True)
    for mine, theirs in zip(compact.questions, plain.questions, strict=True):
        assert isinstance(mine.above, CaseRefs)
        assert tuple(mine.above) == theirs.above
        assert mine.below == theirs.below
        assert theirs.below == mine.below
        assert hash(mine.unanswered) == hash(theirs.unanswered)
        assert list(mine.not_evidenced) == list(theirs.not_evidenced)
        if theirs.not_applicable:
            assert mine.not_applicable[0] == theirs.not_applicable[0]
            assert mine.not_applicable[-1:] == theirs.not_applicable[-1:]
            assert theirs.not_applicable[0] in mine.not_applicable
    assert isinstance(compact.warnings, Lines)
    assert compact.warnings == plain.warnings
    assert compact.warnings[0] == plain.warnings[0]
    assert compact.cases_below("1.1.a") == plain.cases_below("1.1.a")
    assert case_question_frame(compact).equals(case_question_frame(plain))
    assert mine.above != ("no such case",)
    assert compact.warnings != ("no such line",)


def test_reports_write_json_a_piece_at_a_time(by_case: list[list[Finding]]) -> None:
    card = _tally(by_case, 0, 30).scorecard(intervals=FEW, compact=True)
    report = inspection_report(card, chart=False)
    stream = io.StringIO()
    report.write(stream, "json")
    assert stream.getvalue() == report.render("json")
    assert report.to_dict()["scorecard"]["questions"][0]["cases"]["above"] == list(
        card.questions[0].above
    )
    text = io.StringIO()
    report.write(text, "text")
    assert text.getvalue() == report.render("text")


def test_intervals_counted_in_blocks_equal_the_whole(
    by_case: list[list[Finding]], monkeypatch: pytest.MonkeyPatch
) -> None:
    card = _tally(by_case, 0, 30).scorecard(intervals=False, compact=True)
    expected = score_intervals(card, FEW, engine="python")
    monkeypatch.setattr(intervals_module, "BLOCK_CELLS", 7 * len(card.cases) + 3)
    monkeypatch.setattr(intervals_module, "CASE_BLOCK", 17)
    assert score_intervals(card, FEW, engine="numpy") == expected


def test_a_case_found_twice_is_refused(by_case: list[list[Finding]]) -> None:
    first, second = by_case[0], by_case[1]
    tally = InspectionTally()
    with pytest.raises(ValueError, match="two findings for question"):
        tally.add([*first, first[-1]])
    tally = InspectionTally()
    with pytest.raises(ValueError, match="are not together"):
        tally.add([*first[:3], *second, *first[3:]])
    part = _tally(by_case[:3], 0, 3)
    again = _tally(by_case[2:5], 1, 3)
    with pytest.raises(ValueError, match="two findings for question"):
        part.merge(again)
    # The same reference in a later part, with no question in common: not one case's findings.
    stray = InspectionTally(partition=1)
    stray.add([attrs.evolve(by_case[1][0], case_ref=by_case[0][0].case_ref)])
    stray.questions.clear()
    with pytest.raises(ValueError, match="are not together"):
        part.merge(stray)


def test_findings_with_no_criterion_are_left_out(calendar: WorkingCalendar) -> None:
    cases = load_cases(EXAMPLES / "omi-sample.json").cases[:3]
    others = evaluate(cases, ruleset("national-standards-2007"), as_of=AS_OF, calendar=calendar)
    tally = InspectionTally()
    tally.add(others)
    assert len(others) > 0
    assert tally.cases == 0
    assert tally.scorecard(intervals=False).criteria == ()


@pytest.mark.parametrize("chunk", [7, 106])
@pytest.mark.parametrize("options", [{}, {"computed_answers": "compute"}])
def test_counting_columns_equals_counting_findings(
    by_case: list[list[Finding]], calendar: WorkingCalendar, chunk: int, options: dict[str, str]
) -> None:
    """``add_columns`` of a chunk evaluated on columns keeps exactly what ``add`` of its
    findings keeps: every byte, key, wording and the scorecard, "not evidenced" included."""
    cases = list(load_cases(EXAMPLES / "omi-sample.json").cases)
    rules = ruleset("omi-2007")
    by_findings, by_columns = InspectionTally(), InspectionTally()
    for start in range(0, len(cases), chunk):
        part = cases[start : start + chunk]
        by_findings.add(evaluate(part, rules, as_of=AS_OF, calendar=calendar, options=options))
        by_columns.add_columns(
            evaluate_columns(part, rules, as_of=AS_OF, calendar=calendar, options=options)
        )
    assert by_columns.refs == by_findings.refs
    assert by_columns.keys == by_findings.keys
    assert by_columns.rulesets == by_findings.rulesets
    assert by_columns.latest == by_findings.latest
    assert by_columns.questions == by_findings.questions
    flagged = sum(byte & 8 != 0 for q in by_columns.questions.values() for byte in q.codes)
    assert flagged > 0  # the sample records "not evidenced" answers, so the flag is read
    for unanswered in ("below_the_line", "unanswered"):
        assert by_columns.scorecard(intervals=FEW, not_evidenced=unanswered) == (
            by_findings.scorecard(intervals=FEW, not_evidenced=unanswered)
        )


@pytest.mark.parametrize("keyed", [False, True])
def test_renamed_columns_count_as_the_pseudonymised_findings(
    calendar: WorkingCalendar, keyed: bool
) -> None:
    """``add_columns(renaming=pseudonymiser(...))`` keeps what ``add`` of the chunk's
    pseudonymised findings keeps: the cases under their pseudonyms, in order; a chunk in
    which a case is referenced ``not_evidenced`` (the recorded answer's value, renamed
    in the evidence) is counted from its renamed findings, the flag lost as there."""
    cases = list(load_cases(EXAMPLES / "omi-sample.json").cases)
    cases[3] = cases[3].model_copy(update={"reference": "not_evidenced"})
    rules = ruleset("omi-2007")
    names = [KeyedPseudonyms(b"k" * 32) if keyed else SequentialPseudonyms() for _ in "ab"]
    by_findings, by_columns = InspectionTally(), InspectionTally()
    for start in range(0, len(cases), 9):
        part = cases[start : start + 9]
        by_findings.add(
            pseudonymise(evaluate(part, rules, as_of=AS_OF, calendar=calendar), names[0])
        )
        answered = evaluate_columns(part, rules, as_of=AS_OF, calendar=calendar)
        renaming = pseudonymiser(answered.explain(words=False).case_ref, names[1])
        by_columns.add_columns(answered, renaming=renaming)
        for each in names:
            if isinstance(each, SequentialPseudonyms):
                each.forget()
    assert by_columns.refs == by_findings.refs
    assert not {case.reference for case in cases} & set(by_columns.refs)
    assert by_columns.keys == by_findings.keys
    assert by_columns.questions == by_findings.questions
    assert by_columns.scorecard(intervals=FEW) == by_findings.scorecard(intervals=FEW)


def test_a_case_counted_twice_on_columns_is_refused(calendar: WorkingCalendar) -> None:
    cases = list(load_cases(EXAMPLES / "omi-sample.json").cases)[:3]
    tally = InspectionTally()
    answered = evaluate_columns(cases, ruleset("omi-2007"), as_of=AS_OF, calendar=calendar)
    tally.add_columns(answered)
    with pytest.raises(ValueError, match="not together"):
        tally.add_columns(answered)


def test_rule_sets_with_questions_of_their_own_are_counted_from_findings(
    calendar: WorkingCalendar,
) -> None:
    from casework.inspection_tally import countable_on_columns
    from casework.rules import met

    rules = ruleset("omi-2007")
    own = attrs.evolve(rules.rule("1.1.a"), check=lambda _case, _ctx: met("Always."))
    variant = rules.derive("always", replace=[own])
    assert countable_on_columns(rules)
    assert not countable_on_columns(variant)
    cases = list(load_cases(EXAMPLES / "omi-sample.json").cases)[:2]
    answered = evaluate_columns(cases, variant, as_of=AS_OF, calendar=calendar)
    with pytest.raises(ValueError, match="questions of its own making"):
        InspectionTally().add_columns(answered)
