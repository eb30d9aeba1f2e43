"""Fixtures for the report tests: findings from the bundled example cases."""

from __future__ import annotations

import datetime as dt

import pytest

from casework import LoadResult, WorkingCalendar, load_cases
from casework.rules import Findings, evaluate
from tests.conftest import EXAMPLES

AS_OF = dt.date(2007, 10, 15)


@pytest.fixture(scope="session")
def example_load() -> LoadResult:
    return load_cases(EXAMPLES / "cases.json")


@pytest.fixture(scope="session")
def example_findings(example_load: LoadResult, calendar: WorkingCalendar) -> Findings:
    return evaluate(example_load.cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
