"""Target tallies merge: any split of the cases, merged in any order, gives the whole's report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases
from casework.model import Case
from casework.performance import Period, TargetTally, target_performance
from casework.rules import Finding, evaluate
from casework.stream import evaluate_chunks

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import itertools

from generate import case_records

AS_OF = dt.date(2008, 4, 11)
PERIOD = Period.financial_year(2007)
SETS = ("nps-2007-08", "nps-2005-06", "rom-east-of-england-2007-08")


@pytest.fixture(scope="module")
def cases(examples: Path) -> list[Case]:
    hand = load_cases(examples / "targets-cases.yaml").cases
    synthetic = [Case.model_validate(r) for r in case_records(11, 60, AS_OF)]
    return [*hand, *synthetic]


@pytest.fixture(scope="module")
def per_case(cases: list[Case], calendar: WorkingCalendar) -> dict[str, list[list[Finding]]]:
    """Each set's findings, one list per case, in case order."""
    from casework.rules.targets.catalogue import target_set

    out = {}
    for name in SETS:
        rules = target_set(name).ruleset
        out[name] = [
            list(evaluate(case, rules, as_of=AS_OF, calendar=calendar).items) for case in cases
        ]
    return out


def _tally(name: str, parts: list[list[Finding]], partition: int) -> TargetTally:
    tally = TargetTally.start(name, period=PERIOD, partition=partition)
    for chunk in parts:
        tally.add(chunk)
    return tally


@given(data=st.data())
def test_a_merge_of_any_split_equals_the_whole(
    per_case: dict[str, list[list[Finding]]], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(SETS), label="target set")
    findings = per_case[name]
    whole = target_performance([f for case in findings for f in case], name, period=PERIOD)
    cuts = sorted(data.draw(st.sets(st.integers(1, len(findings) - 1), max_size=6), label="cuts"))
    bounds = [0, *cuts, len(findings)]
    parts = [findings[a:b] for a, b in itertools.pairwise(bounds)]
    tallies = [_tally(name, part, index) for index, part in enumerate(parts)]
    order = data.draw(st.permutations(range(len(tallies))), label="merge order")
    merged = tallies[order[0]]
    for index in order[1:]:
        merged = (
            merged.merge(tallies[index])
            if data.draw(st.booleans(), label="side")
            else tallies[index].merge(merged)
        )
    assert merged.report() == whole


def test_chunked_evaluation_tallies_to_target_performance(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    whole = target_performance(cases, "nps-2007-08", period=PERIOD, as_of=AS_OF, calendar=calendar)
    tally = TargetTally.start("nps-2007-08", period=PERIOD)
    for chunk in evaluate_chunks(
        cases, tally.ruleset, as_of=AS_OF, calendar=calendar, chunk_size=7
    ):
        tally.add(chunk)
    assert tally.report(as_of=AS_OF) == whole
    assert whole["N03"].counts is not None
    assert whole["N03"].counts.in_scope > 0


def test_only_like_tallies_merge() -> None:
    first = TargetTally.start("nps-2007-08", period=PERIOD)
    other = TargetTally.start("nps-2007-08", period=Period.financial_year(2006))
    with pytest.raises(ValueError, match="only tallies of one target set"):
        first.merge(other)


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("area", [None, "Essex"])
def test_cases_and_their_findings_give_the_same_report(
    cases: list[Case], calendar: WorkingCalendar, name: str, area: str | None
) -> None:
    """From cases, kernels answer the OASys measures; from findings, the findings do."""
    from casework.rules.targets.catalogue import target_set

    targets = target_set(name)
    if area is not None and targets.areas and area not in targets.areas:
        area = targets.areas[0]
    findings = evaluate(cases, targets.ruleset, as_of=AS_OF, calendar=calendar)
    from_findings = target_performance(findings, name, period=PERIOD, area=area)
    from_cases = target_performance(
        cases, name, period=PERIOD, as_of=AS_OF, calendar=calendar, area=area
    )
    assert from_cases == from_findings
