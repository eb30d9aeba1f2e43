"""Periods and the aggregation of findings into target figures: properties that always hold."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import Period, TargetStatus, target_performance
from casework.rules import Basis, Evidence, Finding, Outcome, RuleKind

D = dt.date
YEAR = Period.financial_year(2007)


def test_periods() -> None:
    assert (YEAR.start, YEAR.end, YEAR.label) == (D(2007, 4, 1), D(2008, 3, 31), "2007-08")
    assert Period.financial_year("2007-08") == YEAR
    with pytest.raises(ValueError, match="not a financial year"):
        Period.financial_year("2007-09")
    q4 = Period.quarter(2007, 4)
    assert (q4.start, q4.end, q4.label) == (D(2008, 1, 1), D(2008, 3, 31), "2007-08 Q4")
    assert Period.month(2008, 2).end == D(2008, 2, 29)
    rolling = Period.rolling_quarter(2008, 2)
    assert (rolling.start, rolling.end) == (D(2007, 12, 1), D(2008, 2, 29))
    assert rolling.label == "rolling quarter to February 2008"
    assert len(YEAR.months()) == 12
    assert YEAR.rolling_quarters()[0] == Period.rolling_quarter(2007, 4)
    assert Period.year_to_date(2007, D(2007, 10, 15)).end == D(2007, 10, 15)
    with pytest.raises(ValueError, match="before it starts"):
        Period(D(2008, 1, 2), D(2008, 1, 1))
    with pytest.raises(ValueError, match="a quarter is"):
        Period.quarter(2007, 5)


def _finding(
    index: int,
    rule_id: str,
    outcome: Outcome,
    basis: Basis,
    evidence: tuple[Evidence, ...],
) -> Finding:
    return Finding(
        case_ref=f"C{index:04d}",
        rule_id=rule_id,
        question="?",
        outcome=outcome,
        basis=basis,
        reason="synthetic",
        evidence=evidence,
        source=("003:715",),
        kind=RuleKind.TIMELINESS,
        roh=False,
        criterion=None,
        ruleset="nps-2007-08",
        ruleset_version="2007-08.1",
        as_of=D(2008, 4, 30),
        unit="Pre-sentence report",
    )


KINDS = {
    "met": (Outcome.MET, Basis.COMPUTED),
    "not_met": (Outcome.NOT_MET, Basis.COMPUTED),
    "pending": (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE),
    "cannot_assess": (Outcome.CANNOT_ASSESS, Basis.MISSING_DATA),
    "excluded": (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
}

#: (kind, request date or None)
units = st.lists(
    st.tuples(
        st.sampled_from(sorted(KINDS)),
        st.one_of(st.none(), st.dates(D(2006, 10, 1), D(2008, 6, 30))),
    ),
    max_size=40,
)


def _reports(drawn: list[tuple[str, dt.date | None]]) -> list[Finding]:
    """PSR findings (N14): placed by the request date, when there is one."""
    out = []
    for index, (kind, requested) in enumerate(drawn):
        evidence = () if requested is None else (Evidence("requested", requested),)
        out.append(_finding(index, "TGT.psr-delivery", *KINDS[kind], evidence))
    return out


@given(drawn=units)
def test_every_finding_is_counted_once_and_the_figure_is_met_over_in_scope(
    drawn: list[tuple[str, dt.date | None]],
) -> None:
    result = target_performance(_reports(drawn), "nps-2007-08", period=YEAR, measures=["N14"])[
        "N14"
    ]
    counts = result.counts
    assert counts is not None
    assert counts.total == len(drawn)
    inside = [kind for kind, day in drawn if day is not None and day in YEAR]
    assert counts.unplaced == sum(1 for _, day in drawn if day is None)
    assert counts.outside_period == len(drawn) - len(inside) - counts.unplaced
    for kind in KINDS:
        assert getattr(counts, kind) == inside.count(kind)
    in_scope = inside.count("met") + inside.count("not_met")
    if in_scope:
        assert result.figure == Fraction(inside.count("met"), in_scope)
        assert result.denominator == counts.in_scope == in_scope
        assert len(result.failed) == inside.count("not_met")
        assert result.status is (
            TargetStatus.MET if result.figure >= Fraction(9, 10) else TargetStatus.NOT_MET
        )
    else:
        assert result.status is TargetStatus.NO_DATA


@given(drawn=units, extra=st.lists(st.sampled_from(["pending", "excluded", "cannot_assess"])))
def test_pending_excluded_and_unassessable_units_never_move_the_figure(
    drawn: list[tuple[str, dt.date | None]], extra: list[str]
) -> None:
    findings = _reports(drawn)
    more = [
        _finding(
            1000 + i, "TGT.psr-delivery", *KINDS[kind], (Evidence("requested", D(2007, 6, 1)),)
        )
        for i, kind in enumerate(extra)
    ]
    before = target_performance(findings, "nps-2007-08", period=YEAR, measures=["N14"])["N14"]
    after = target_performance([*findings, *more], "nps-2007-08", period=YEAR, measures=["N14"])[
        "N14"
    ]
    assert after.figure == before.figure
    assert after.status is before.status


@given(drawn=units)
def test_counts_over_the_four_quarters_add_up_to_the_year(
    drawn: list[tuple[str, dt.date | None]],
) -> None:
    findings = _reports(drawn)
    year = target_performance(findings, "nps-2007-08", period=YEAR, measures=["N14"])["N14"]
    quarters = [
        target_performance(
            findings, "nps-2007-08", period=Period.quarter(2007, q), measures=["N14"]
        )["N14"]
        for q in (1, 2, 3, 4)
    ]
    assert year.counts is not None
    for field in ("met", "not_met", "pending", "cannot_assess", "excluded"):
        assert sum(getattr(q.counts, field) for q in quarters) == getattr(year.counts, field)


@given(drawn=units, seed=st.randoms(use_true_random=False))
def test_the_order_of_findings_does_not_matter(
    drawn: list[tuple[str, dt.date | None]], seed: object
) -> None:
    findings = _reports(drawn)
    shuffled = list(findings)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    first = target_performance(findings, "nps-2007-08", period=YEAR, measures=["N14"])["N14"]
    second = target_performance(shuffled, "nps-2007-08", period=YEAR, measures=["N14"])["N14"]
    assert (first.figure, first.counts, first.status) == (
        second.figure,
        second.counts,
        second.status,
    )
    assert sorted(map(str, first.failed)) == sorted(map(str, second.failed))


def _breaches(days: list[int]) -> list[Finding]:
    """Breach-resolution findings (N04) resolved in the year after the given working days."""
    out = []
    for index, value in enumerate(days):
        outcome = Outcome.MET if value <= 25 else Outcome.NOT_MET
        evidence = (
            Evidence("breach resolved", D(2007, 10, 1)),
            Evidence("working days to resolution", value),
        )
        out.append(_finding(index, "TGT.breach-resolution", outcome, Basis.COMPUTED, evidence))
    return out


resolution_days = st.lists(st.integers(0, 200), min_size=1, max_size=30)


@given(days=resolution_days)
def test_the_mean_is_lower_is_better_and_lists_the_units_over_the_target(days: list[int]) -> None:
    result = target_performance(_breaches(days), "nps-2007-08", period=YEAR, measures=["N04"])[
        "N04"
    ]
    assert result.figure == Fraction(sum(days), len(days))
    assert result.status is (
        TargetStatus.MET if Fraction(sum(days), len(days)) <= 35 else TargetStatus.NOT_MET
    )
    assert sorted(ref.value or 0 for ref in result.failed) == sorted(d for d in days if d > 35)
    assert result.counts is not None
    assert result.counts.met + result.counts.not_met == len(days)


@given(days=resolution_days, index=st.integers(0, 29), faster=st.integers(1, 50))
def test_resolving_a_breach_sooner_never_turns_met_into_not_met(
    days: list[int], index: int, faster: int
) -> None:
    index %= len(days)
    sooner = list(days)
    sooner[index] = max(0, sooner[index] - faster)
    before = target_performance(_breaches(days), "nps-2007-08", period=YEAR, measures=["N04"])
    after = target_performance(_breaches(sooner), "nps-2007-08", period=YEAR, measures=["N04"])
    if before["N04"].status is TargetStatus.MET:
        assert after["N04"].status is TargetStatus.MET


@given(days=resolution_days)
def test_a_volume_counts_the_units_done_in_the_period(days: list[int]) -> None:
    findings = [
        _finding(
            i,
            "TGT.upw-completion",
            Outcome.MET,
            Basis.COMPUTED,
            (Evidence("completed", D(2007, 4, 1) + dt.timedelta(days=d * 3)),),
        )
        for i, d in enumerate(days)
    ]
    shown = target_performance(findings, "nps-2007-08", period=YEAR, measures=["N07"])["N07"]
    # the cases are the whole country's: judged against the whole national target
    result = target_performance(
        findings, "nps-2007-08", period=YEAR, measures=["N07"], national_share="100%"
    )["N07"]
    inside = sum(1 for d in days if D(2007, 4, 1) + dt.timedelta(days=d * 3) <= YEAR.end)
    assert shown.figure == result.figure == inside
    assert shown.status is TargetStatus.NATIONAL
    assert shown.pct_achieved is None
    # half-up for a non-negative number: floor(x + 1/2)
    assert result.pct_achieved == (Fraction(inside * 100, 46300) + Fraction(1, 2)) // 1
