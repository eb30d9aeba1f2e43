"""Properties of scoring that hold for any sample and any reading of the options."""

from __future__ import annotations

from fractions import Fraction
from random import Random

import attrs
from hypothesis import given
from hypothesis import strategies as st

from casework.rules import Finding, Outcome, RuleKind
from casework.scoring import Scorecard, ScoringOptions, score_inspection
from tests.omi.findings import finding

OUTCOMES = (Outcome.MET, Outcome.NOT_MET, Outcome.NOT_APPLICABLE, Outcome.CANNOT_ASSESS)
CRITERIA = ("1.2", "1.5", "2.2", "3.1")

options = st.builds(
    ScoringOptions,
    combine=st.sampled_from(["weighted", "summary_as_question"]),
    weighting=st.sampled_from(["equal", "pooled"]),
    groups=st.sampled_from(["separate", "all_of", "mean_of"]),
    not_evidenced=st.sampled_from(["below_the_line", "unanswered"]),
    roh_thread_summaries=st.booleans(),
    band_on=st.sampled_from(["displayed", "exact"]),
)


@st.composite
def samples(draw: st.DrawFn) -> list[Finding]:
    cases = [f"C{i}" for i in range(draw(st.integers(1, 6)))]
    findings: list[Finding] = []
    for criterion in draw(st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=3, unique=True)):
        questions = draw(st.integers(0, 4))
        for number in range(questions + 1):
            is_summary = number == questions
            if is_summary and not draw(st.booleans()):
                continue
            rule_id = f"{criterion}.summary" if is_summary else f"{criterion}.q{number}"
            kind = (
                RuleKind.SUMMARY
                if is_summary
                else draw(
                    st.sampled_from([RuleKind.QUALITY, RuleKind.QUALITY, RuleKind.DESCRIPTIVE])
                )
            )
            roh = draw(st.booleans())
            group = None if is_summary else draw(st.sampled_from([None, None, "g1", "g2"]))
            for case in cases:
                outcome = draw(st.sampled_from(OUTCOMES))
                evidenced = outcome is Outcome.NOT_MET and draw(st.booleans())
                findings.append(
                    finding(
                        case,
                        rule_id,
                        outcome,
                        kind=kind,
                        roh=roh,
                        group=group,
                        not_evidenced=evidenced,
                    )
                )
    return findings


def _scores(card: Scorecard) -> list[Fraction]:
    found = [c.score for c in card.criteria] + [s.score for s in card.sections]
    found += [card.roh_thread.score] + [q.proportion for q in card.questions]
    return [score for score in found if score is not None]


@given(samples(), options)
def test_scores_are_proportions_and_display_within_0_to_100(
    findings: list[Finding], chosen: ScoringOptions
) -> None:
    card = score_inspection(findings, options=chosen)
    for score in _scores(card):
        assert 0 <= score <= 1
    for crit in card.criteria:
        if crit.display is not None:
            assert 0 <= int(crit.display.rstrip("%")) <= 100


@given(samples(), options)
def test_every_case_is_counted_once_per_question(
    findings: list[Finding], chosen: ScoringOptions
) -> None:
    card = score_inspection(findings, options=chosen)
    for q in card.questions:
        groups = [q.above, q.below, q.unanswered, q.not_applicable]
        counted = [case for group in groups for case in group]
        assert sorted(counted) == sorted(card.cases)
        assert q.cases == len(card.cases)


@given(samples(), options, st.data())
def test_a_case_moved_above_the_line_never_lowers_a_score(
    findings: list[Finding], chosen: ScoringOptions, data: st.DataObject
) -> None:
    below = [
        i
        for i, f in enumerate(findings)
        if f.outcome is Outcome.NOT_MET
        and not (chosen.not_evidenced == "unanswered" and f.evidence[0].value == "not_evidenced")
    ]
    if not below:
        return
    index = data.draw(st.sampled_from(below))
    moved = list(findings)
    moved[index] = attrs.evolve(findings[index], outcome=Outcome.MET, evidence=())
    before = score_inspection(findings, options=chosen)
    after = score_inspection(moved, options=chosen)
    criterion = findings[index].criterion
    assert criterion is not None
    old, new = before.criterion(criterion).score, after.criterion(criterion).score
    # With a group collapsed all-of, a case below on one part and unanswered on another
    # becomes unanswered when the first part moves above: its figure may become undecidable.
    undecidable = chosen.groups == "all_of"
    if old is not None:  # a criterion with nothing scored (only descriptive counts) has none
        assert new is not None or undecidable
        assert new is None or new >= old
    for section in before.sections:
        new_section = after.section(section.number).score
        if section.score is not None:
            assert new_section is not None or undecidable
            assert new_section is None or new_section >= section.score
    if before.roh_thread.score is not None:
        assert after.roh_thread.score is not None
        assert after.roh_thread.score >= before.roh_thread.score


@given(samples(), options, st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_finding_order(
    findings: list[Finding], chosen: ScoringOptions, random: Random
) -> None:
    shuffled = list(findings)
    random.shuffle(shuffled)
    first = score_inspection(findings, options=chosen)
    second = score_inspection(shuffled, options=chosen)
    assert [(c.id, c.score) for c in first.criteria] == [(c.id, c.score) for c in second.criteria]
    assert first.roh_thread.score == second.roh_thread.score
