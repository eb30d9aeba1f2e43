"""pytest-benchmark timings for ``evaluate`` (not part of the test suite).

    .venv/bin/python -m pytest bench --benchmark-enable

For the 100,000-case figure use ``python bench/evaluate.py --cases 100000``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import evaluate, ruleset
from evaluate import UNSTATED
from generate import case_records

AS_OF = dt.date(2010, 6, 30)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return [Case.model_validate(record) for record in case_records(2007, 1_000, AS_OF)]


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.england_and_wales()


@pytest.mark.parametrize("name", ["national-standards-2005", "national-standards-2007"])
def test_evaluate_a_thousand_cases(
    benchmark: Any, name: str, cases: list[Case], calendar: WorkingCalendar
) -> None:
    rs = ruleset(name).with_parameters(UNSTATED)
    findings = benchmark(evaluate, cases, rs, as_of=AS_OF, calendar=calendar)
    assert len(findings) == len(cases) * len(rs)
