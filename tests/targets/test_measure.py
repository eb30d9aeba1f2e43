"""Judging one figure: the rule used, ties, direction, near misses, figures as written."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.rules.targets import NearMiss, TargetStatus, parse_figure, target_set

N = target_set("nps-2007-08")


@pytest.mark.parametrize("written", ["96%", " 96 % ", 0.96, Fraction(24, 25), Decimal("0.96")])
def test_a_percentage_may_be_written_as_printed_or_as_a_proportion(written: object) -> None:
    assert N["N01"].assess(written).figure == Fraction(24, 25)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "error"),
    [
        (96, "not a proportion between 0 and 1"),
        ("12%", "is a percentage, but this figure is not one"),
        ("lots", "is not a number"),
        (True, "not a truth value"),
    ],
)
def test_a_figure_that_cannot_be_meant_is_refused(written: object, error: str) -> None:
    measure = N["N15"] if written == "12%" else N["N01"]
    with pytest.raises((ValueError, TypeError), match=error):
        measure.assess(written)  # type: ignore[arg-type]


def test_thousands_separators_and_decimals_are_read_exactly() -> None:
    assert parse_figure("55,771", percent=False) == 55771
    assert parse_figure("12.1", percent=False) == Fraction(121, 10)
    assert parse_figure(0.1, percent=False) == Fraction(1, 10)  # not the nearest binary float


def test_a_tie_meets_whichever_way_is_better() -> None:
    assert N["N01"].assess("90%").status is TargetStatus.MET
    assert N["N04"].assess(35).status is TargetStatus.MET
    assert N["N04"].assess(Fraction(35 * 7 + 1, 7)).status is TargetStatus.NOT_MET
    assert N["N07"].assess(46300).status is TargetStatus.MET
    assert N["N07"].assess(46299).status is TargetStatus.NOT_MET


def test_the_comparison_is_on_the_unrounded_figure() -> None:
    # 89.6% prints as 90% but is short of 90%
    assessment = N["N01"].assess(Fraction(896, 1000))
    assert assessment.figure_display == "90%"
    assert assessment.status is TargetStatus.NOT_MET


def test_the_assessment_states_the_rule_and_the_reason() -> None:
    assessment = N["N04"].assess(43)
    assert assessment.rule == (
        "met when the figure is at most the target (a tie meets); no near-miss tolerance"
    )
    assert assessment.reason == "43 is above the target of 35 (8 over): not met."
    near = N["N06"].assess("68%", near_miss=NearMiss.relative("5%"))
    assert near.rule.endswith("near miss when short by no more than 5% of the target")
    assert near.reason == (
        "68% is below the target of 70% (2 points short), within the near-miss tolerance of "
        "5% of the target: near miss."
    )
    volume = N["N07"].assess(55771)
    assert volume.reason == "55771 (120% achieved) is at least the target of 46300: met."


def test_a_target_may_be_given_or_taken_from_an_area() -> None:
    rom = target_set("rom-east-of-england-2007-08")
    assert rom["S2"].assess(700, area="Essex").status is TargetStatus.NOT_MET  # 1400 there
    assert rom["S2"].assess(700, area="Hertfordshire").status is TargetStatus.MET
    assert rom["S2"].assess(700, target=701).status is TargetStatus.NOT_MET
    assert rom["S9"].assess("90%", area="Essex").target == Fraction(9, 10)


def test_a_measure_without_a_target_is_described_not_judged() -> None:
    pm7 = target_set("nps-2005-06")["PM7"]
    assessment = pm7.assess("40%")
    assert assessment.status is TargetStatus.NO_TARGET
    assert assessment.target is None
    assert assessment.reason == "40%: the sources set no target for it."


def test_near_miss_tolerances_can_differ_by_measure() -> None:
    tolerances = {"N06": NearMiss.absolute(2)}
    assert N["N06"].assess("68%", near_miss=tolerances).status is TargetStatus.NEAR_MISS
    assert N["N05"].assess("59%", near_miss=tolerances).status is TargetStatus.NOT_MET
    with pytest.raises(ValueError, match="cannot be negative"):
        NearMiss.absolute(-1)
    with pytest.raises(ValueError, match="cannot be negative"):
        NearMiss.relative("-5%")


def test_an_assessment_is_plain_json() -> None:
    data = N["N07"].assess(55771, near_miss=NearMiss.relative("5%")).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert (data["figure"], data["pct_achieved"], data["status"]) == ("55771", 120, "met")
    assert data["near_miss"] == {
        "kind": "relative",
        "amount": "1/20",
        "description": "5% of the target",
        "reading": None,
    }


figures = st.fractions(min_value=0, max_value=1)


@given(figure=figures, target=figures)
def test_higher_is_better_met_exactly_when_at_least_the_target(
    figure: Fraction, target: Fraction
) -> None:
    status = N["N01"].assess(figure, target=target).status
    assert (status is TargetStatus.MET) == (figure >= target)


@given(
    figure=st.fractions(min_value=0, max_value=100), target=st.fractions(min_value=1, max_value=100)
)
def test_lower_is_better_met_exactly_when_at_most_the_target(
    figure: Fraction, target: Fraction
) -> None:
    status = N["N04"].assess(figure, target=target).status
    assert (status is TargetStatus.MET) == (figure <= target)


@given(figure=figures, target=figures, share=st.fractions(min_value=0, max_value=1))
def test_a_tolerance_only_turns_misses_into_near_misses(
    figure: Fraction, target: Fraction, share: Fraction
) -> None:
    strict = N["N01"].assess(figure, target=target).status
    lenient = N["N01"].assess(figure, target=target, near_miss=NearMiss.relative(share)).status
    if strict is TargetStatus.MET:
        assert lenient is TargetStatus.MET
    else:
        assert lenient in {TargetStatus.NOT_MET, TargetStatus.NEAR_MISS}
        assert (lenient is TargetStatus.NEAR_MISS) == (target - figure <= share * target)
