"""The target tables from raw tables equal those read from ``Case`` objects.

``tgt.case`` and ``tgt.breaches`` (casework.columnar.targets) are built from the
chunk's raw tables with array operations; each is compared, column by column
(values and dtypes), with the builder it replaced (tests/columnar/targets_reference.py,
a loop over the ``Case`` objects), on witness, example, benchmark and generated cases.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import load_cases
from casework.model import Case
from casework.testing import strategies as cs
from tests.columnar.compare import WITNESSES, case_records, check_tables
from tests.columnar.targets_reference import breach_table, case_table

EXAMPLES = [WITNESSES.parents[3] / "examples" / n for n in ("cases.json", "targets-cases.yaml")]


def same(cases: list[Case]) -> None:
    check_tables(cases, {"tgt.case": case_table, "tgt.breaches": breach_table})


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    witnesses = list(load_cases(WITNESSES).cases)
    examples = [case for path in EXAMPLES for case in load_cases(path).cases]
    bench = [Case.model_validate(r) for r in case_records(13, 300, dt.date(2009, 3, 31))]
    return [*witnesses, *examples, *bench]


def test_the_fixed_cases_hold_the_facts_the_tables_read(fixed_cases: list[Case]) -> None:
    facts = case_table(fixed_cases)
    assert (facts["reason"] >= 0).any()
    assert (facts["reason"] < 0).any()
    assert len(set(facts["at_end"].tolist())) == 3
    assert (breach_table(fixed_cases)["resolution"] >= 0).any()


def test_tables_from_raw_equal_the_tables_read_from_cases(fixed_cases: list[Case]) -> None:
    same(fixed_cases)
    same([])


@settings(max_examples=40)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=6))
def test_on_generated_cases_tables_from_raw_equal_the_tables_read_from_cases(
    cases: list[Case],
) -> None:
    same(cases)
