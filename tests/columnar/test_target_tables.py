"""The target tables from raw tables equal those read from ``Case`` objects.

``tgt.case``, ``tgt.breaches`` and ``tgt.victims`` (casework.columnar.targets) are built from the
chunk's raw tables with array operations; each is compared, column by column
(values and dtypes), with the builder it replaced (tests/columnar/targets_reference.py,
a loop over the ``Case`` objects), on witness, example, benchmark and generated cases.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import load_cases
from casework.columnar.targets import numbered
from casework.model import Case
from casework.rules.targets.rules import _labelled
from casework.testing import strategies as cs
from tests.columnar.compare import WITNESSES, bench_cases, check_tables, witness_cases
from tests.columnar.targets_reference import breach_table, case_table, victim_table

EXAMPLES = [WITNESSES.parents[3] / "examples" / n for n in ("cases.json", "targets-cases.yaml")]


def same(cases: list[Case]) -> None:
    check_tables(
        cases, {"tgt.case": case_table, "tgt.breaches": breach_table, "tgt.victims": victim_table}
    )


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    examples = [case for path in EXAMPLES for case in load_cases(path).cases]
    return [*witness_cases(), *examples, *bench_cases(13, 300)]


def test_the_fixed_cases_hold_the_facts_the_tables_read(fixed_cases: list[Case]) -> None:
    facts = case_table(fixed_cases)
    assert (facts["reason"] >= 0).any()
    assert (facts["reason"] < 0).any()
    assert len(set(facts["at_end"].tolist())) == 3
    assert (breach_table(fixed_cases)["resolution"] >= 0).any()
    assert len(victim_table(fixed_cases)["label"])


def test_statutory_victims_are_labelled_in_record_order() -> None:
    victims = [
        {"id": "V1", "statutory": True, "contacted_on": "2007-07-02"},
        {"id": "V2", "statutory": False},
        {"id": "V3", "statutory": True, "contact_offered_on": "2007-06-20"},
    ]
    record = {
        "reference": "N-1",
        "as_of": "2008-03-31",
        "sentence": {"kind": "custody", "sentenced_on": "2007-06-01"},
        "victims": victims,
    }
    cases = [Case.model_validate(record), Case.model_validate({**record, "reference": "N-2"})]
    assert victim_table(cases)["label"].tolist() == ["Victim V1", "Victim V3"] * 2
    same(cases)


def test_units_that_read_the_same_are_numbered_as_the_rules_number_them() -> None:
    owner = np.asarray([0, 0, 0, 1, 2, 2], dtype=np.intp)
    texts = ["A", "B", "A", "A", "C", "C"]
    assert numbered(owner, texts) == ["A (1)", "B", "A (2)", "A", "C (1)", "C (2)"]
    for row in range(3):
        mine = [t for o, t in zip(owner.tolist(), texts, strict=True) if o == row]
        theirs = [label for label, _ in _labelled(mine, lambda text: text)]
        assert theirs == [n for o, n in zip(owner.tolist(), numbered(owner, texts),
                                            strict=True) if o == row]  # fmt: skip


@settings(max_examples=40)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=6))
def test_on_generated_cases_tables_from_raw_equal_the_tables_read_from_cases(
    cases: list[Case],
) -> None:
    same(cases)
