"""A whole rule set on columns equals the scalar engine: outcome, basis, dates, and every
finding's reason and evidence word for word (FindingColumns.explain), in order.

Every shipped rule set, on the stored witness cases, benchmark cases and generated
cases, at several evaluation dates: :func:`evaluate_columns` (kernels where a rule
has one, the scalar rule elsewhere) must give, finding by finding, what
:func:`casework.rules.evaluate` gives. A kernel that drifts from its scalar rule, or
a unit out of order, fails here.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases
from casework.columnar import CaseColumns, evaluate_columns
from casework.model import Case
from casework.rules import available_rulesets, evaluate, ruleset
from casework.testing import strategies as cs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import case_records
from tests.columnar.compare import SETS, WITNESSES, check, rules_for


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    witnesses = list(load_cases(WITNESSES).cases)
    generated = [Case.model_validate(r) for r in case_records(5, 200, dt.date(2009, 3, 31))]
    return [*witnesses, *generated]


@pytest.mark.parametrize("name", available_rulesets())
def test_every_shipped_rule_set_on_columns_equals_the_scalar_engine(
    fixed_cases: list[Case], calendar: WorkingCalendar, name: str
) -> None:
    for as_of in (dt.date(2008, 1, 15), dt.date(2012, 1, 1)):
        check(fixed_cases, name, as_of, calendar)


def test_without_the_unstated_timescales_columns_equal_the_scalar_engine(
    fixed_cases: list[Case], calendar: WorkingCalendar
) -> None:
    # As `casework findings` runs them: the unstated timescales cannot assess (no_parameter);
    # an OMI question computed by a National Standards rule words that its own way.
    check(fixed_cases, "national-standards-2007", dt.date(2010, 6, 30), calendar, supplied=False)
    witnesses = list(load_cases(WITNESSES).cases)
    check(witnesses, "omi-2007", dt.date(2010, 6, 30), calendar, supplied=False)


@pytest.mark.parametrize("name", ["national-standards", "national-standards-2007"])
def test_the_in_force_reading_by_due_date_on_columns_equals_the_scalar_engine(
    fixed_cases: list[Case], calendar: WorkingCalendar, name: str
) -> None:
    check(fixed_cases, name, dt.date(2012, 1, 1), calendar, {"in_force_by": "due"})


@settings(max_examples=20)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=6),
    name=st.sampled_from(SETS),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_on_generated_cases_columns_equal_the_scalar_engine(
    cases: list[Case], name: str, offset: int, calendar: WorkingCalendar
) -> None:
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    check(cases, name, as_of, calendar)


def test_findings_are_the_scalar_engines_word_for_word(
    fixed_cases: list[Case], calendar: WorkingCalendar
) -> None:
    rules = rules_for("national-standards-2007")
    as_of = dt.date(2009, 3, 31)
    answered = evaluate_columns(fixed_cases[:40], rules, as_of=as_of, calendar=calendar)
    scalar = evaluate(fixed_cases[:40], rules, as_of=as_of, calendar=calendar)
    assert list(answered.findings()) == list(scalar)
    assert len(answered) == len(scalar)
    one = answered.rule("NS07.oasys-tier4")
    assert [one.finding(i) for i in range(len(one))] == list(
        scalar.where(rule_id="NS07.oasys-tier4")
    )


def test_columns_built_once_are_reused(fixed_cases: list[Case], calendar: WorkingCalendar) -> None:
    columns = CaseColumns.from_cases(fixed_cases[:10])
    rules = ruleset("national-standards-2007")
    first = evaluate_columns(columns, rules, as_of=dt.date(2009, 3, 31), calendar=calendar)
    assert first.columns is columns
    with pytest.raises(KeyError, match="no columnar table named 'nothing'"):
        columns.table("nothing")
    with pytest.raises(KeyError, match="not in rule set"):
        first.rule("NS07.no-such-rule")
