"""The facts a sample draw reads, worked out for a chunk on its columns
(:func:`casework.columnar.sampling.chunk_sample_facts`), equal those read from each
``Case`` (:func:`casework.sampling.sample_facts`), case for case, on the witness
cases, generated cases, a synthetic caseload and hand-picked edge cases, as of several
days and with each option."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.columnar import CaseColumns
from casework.columnar.sampling import chunk_sample_facts
from casework.model import Case
from casework.sampling import ManagedFrom, SampleType, sample_facts
from casework.testing import make_case
from casework.testing import strategies as cs
from casework.testing.synthetic import generate_cases
from tests.columnar.compare import bench_cases, witness_cases

DAYS = (dt.date(2007, 10, 15), dt.date(2008, 3, 31), dt.date(2009, 2, 28), dt.date(2010, 6, 30))
OPTIONS: tuple[tuple[tuple[int, int], ManagedFrom], ...] = (
    ((5, 7), "start"),
    ((5, 7), "allocation"),
    ((0, 40), "allocation"),
    ((1, 2), "start"),
)


def _edge_cases() -> list[Case]:
    """Ties the draw must break as the scalar functions do, and codes at the edges."""
    base: dict[str, Any] = {
        "as_of": "2008-03-31",
        "sentence": {"kind": "community_order", "sentenced_on": "2007-10-01"},
    }
    staff = [
        {"staff": "B-2", "role": "po", "start": "2007-10-02"},
        {"staff": "C-3", "role": "pso", "start": "2007-10-02"},  # same day: the greater id
        {"staff": "A-1", "role": "po", "start": "2007-10-01", "end": "2007-10-05"},
        {"staff": "Z-9", "role": "spo", "start": "2007-12-01"},  # not an OM role
    ]
    return [
        make_case(reference="E-1", **base, om_assignments=staff,
                  offender={"ethnicity_code": " w1 "}),
        make_case(reference="E-6", **base, om_assignments=[
            {"staff": "F-6", "role": "po", "start": "2007-10-01"},
            {"staff": "G-7", "role": "tpo", "start": "2007-11-01", "end": "2008-03-31"},
        ]),  # (G-7 in post to the end of 31 March 2008)
        make_case(reference="E-2", **{**base, "as_of": "2010-06-30"},
                  roh=[{"level": "high", "on": "2007-11-01"}, {"level": "low", "on": "2008-04-15"}],
                  offender={"ethnicity_code": "a9"}),
        make_case(reference="E-3", **{**base, "sentence": {
            "kind": "licence", "sentenced_on": "2006-01-01", "released_on": "2007-09-30",
            "termination": {"on": "2008-03-31", "reason": "completed"}}},
            offender={"ethnicity_code": "NS"}),
        make_case(reference="E-4", **{**base, "sentence": {
            "kind": "custody", "sentenced_on": "2007-10-01"}},
            approved_premises=[{"arrived_on": "2008-03-31"}],
            victims=[{"id": "V1", "statutory": False}, {"id": "V2", "statutory": True}],
            offender={"ppo": [{"start": "2007-10-01", "end": "2008-03-31"}]}),
        make_case(reference="E-5", **{**base, "sentence": {
            "kind": "suspended_sentence_order", "sentenced_on": "2007-08-31",
            "starts_on": "2007-09-30"}, "as_of": "2010-06-30"},
            offender={"ppo": [{"start": "2008-04-01"}]}),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    caseload = generate_cases("caseload", seed=2, size=400)
    return [*witness_cases(), *bench_cases(5, 300), *caseload, *_edge_cases()]


def _differences(cases: list[Case], as_of: dt.date, months: tuple[int, int], start: ManagedFrom,
                 prefixes: frozenset[str] = frozenset("ABMO")) -> list[str]:  # fmt: skip
    got = chunk_sample_facts(
        CaseColumns.from_cases(cases),
        as_of,
        managed_months=months,
        managed_from=start,
        bme_prefixes=prefixes,
    )
    out = []
    for case, facts in zip(cases, got, strict=True):
        want = sample_facts(
            case, as_of, managed_months=months, managed_from=start, bme_prefixes=prefixes
        )
        if facts != want:
            out.append(f"{case.reference} as of {as_of} ({months}, {start}): {facts} != {want}")
    return out


@pytest.mark.parametrize("as_of", DAYS)
@pytest.mark.parametrize(("months", "start"), OPTIONS)
def test_the_facts_on_columns_are_the_cases_own(
    fixed_cases: list[Case], as_of: dt.date, months: tuple[int, int], start: ManagedFrom
) -> None:
    assert _differences(fixed_cases, as_of, months, start) == []


def test_other_bme_prefixes_are_read_alike(fixed_cases: list[Case]) -> None:
    assert _differences(fixed_cases, DAYS[1], (0, 40), "start", frozenset({"W"})) == []


def test_the_fixed_cases_reach_every_fact(fixed_cases: list[Case]) -> None:
    """The comparison is only as good as the cases: they hold every reason, type, unknown
    type and a tie between offender managers."""
    every = [
        sample_facts(case, day, managed_months=months, managed_from=start)
        for day in DAYS
        for months, start in OPTIONS
        for case in fixed_cases
    ]
    reasons = Counter(facts.ineligible for facts in every)
    assert set(reasons) == {None, "ended", "not_started", "too_recent", "too_long"}
    eligible = [facts for facts in every if facts.ineligible is None]
    assert set().union(*(facts.types for facts in eligible)) == set(SampleType)
    assert set().union(*(facts.unknown for facts in eligible)) == {
        SampleType.HIGH_ROH,
        SampleType.BME,
    }
    assert any(facts.offender_manager for facts in eligible)
    tie, ends = _edge_cases()[:2]
    assert sample_facts(tie, DAYS[1]).offender_manager == "C-3"
    assert sample_facts(ends, DAYS[1]).offender_manager == "G-7"
    assert sample_facts(ends, DAYS[1] + dt.timedelta(days=1)).offender_manager == "F-6"


@settings(max_examples=60, deadline=None)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=6),
    as_of=st.sampled_from(DAYS),
    option=st.sampled_from(OPTIONS),
)
def test_the_facts_on_columns_are_the_cases_own_for_generated_cases(
    cases: list[Case], as_of: dt.date, option: tuple[tuple[int, int], ManagedFrom]
) -> None:
    assert _differences(cases, as_of, *option) == []
