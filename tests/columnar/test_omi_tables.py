"""The OMI facts and RoH tables from raw tables equal those read from ``Case`` objects.

``omi.facts`` and ``omi.roh`` (casework.columnar.omi) are built from the chunk's raw
tables with array operations; each is compared, column by column (values and
dtypes), with the builder it replaced (tests/columnar/omi_reference.py, a loop over
the ``Case`` objects), on the witness, example, benchmark and generated cases.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import load_cases
from casework.model import Case
from casework.testing import strategies as cs
from tests.columnar.compare import WITNESSES, bench_cases, check_tables, witness_cases
from tests.columnar.omi_reference import facts_table, roh_table

EXAMPLES = [WITNESSES.parents[3] / "examples" / name for name in ("cases.json", "omi-sample.json")]


def same(cases: list[Case]) -> None:
    check_tables(cases, {"omi.facts": facts_table, "omi.roh": roh_table})


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    examples = [case for path in EXAMPLES for case in load_cases(path).cases]
    return [*witness_cases(), *examples, *bench_cases(11, 300)]


def test_the_fixed_cases_hold_the_facts_the_tables_read(fixed_cases: list[Case]) -> None:
    facts = facts_table(fixed_cases)
    # Every flag is true of some case and false of another, so each column is tested.
    for name in ("psr", "mappa", "breach", "screened", "events", "victims", "unpaid_work"):
        assert facts[name].any(), name
        assert not facts[name].all(), name
    assert (roh_table(fixed_cases)["risk_to.public"]).any()


def test_tables_from_raw_equal_the_tables_read_from_cases(fixed_cases: list[Case]) -> None:
    same(fixed_cases)


def test_an_empty_chunk_and_cases_with_nothing_recorded() -> None:
    same([])


@settings(max_examples=40)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=6))
def test_on_generated_cases_tables_from_raw_equal_the_tables_read_from_cases(
    cases: list[Case],
) -> None:
    same(cases)
