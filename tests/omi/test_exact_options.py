"""Scoring options are exact: 0.8 is four fifths and 0.65 is thirteen twentieths, however
they are written (docs/scoring.md#options; CHANGELOG, Criteria)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from casework.scoring import ScoringOptions, ThreadScore, exact_fraction


@pytest.mark.parametrize("written", [0.8, "0.8", "80%", "4/5", Decimal("0.8"), Fraction(4, 5)])
def test_individual_weight_is_exact(written: object) -> None:
    assert ScoringOptions(individual_weight=written).individual_weight == Fraction(4, 5)  # type: ignore[arg-type]


@pytest.mark.parametrize("written", [0.65, "0.65", "65%", "13/20"])
def test_a_thread_of_exactly_65_percent_is_not_below_a_65_percent_threshold(
    written: object,
) -> None:
    threshold = ScoringOptions(reinspection_threshold=written).reinspection_threshold  # type: ignore[arg-type]
    assert threshold == Fraction(13, 20)
    assert ThreadScore((), Fraction(13, 20), threshold).below_threshold is False
    assert ThreadScore((), Fraction(64, 100), threshold).below_threshold is True


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "lots", [0.8]])
def test_not_a_share(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        exact_fraction(bad)
