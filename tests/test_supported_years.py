"""Case dates and the calendar cover the same years: a valid case can never make a rule raise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from casework import Case, CaseError, WorkingCalendar, case_from_request
from casework.model.base import FIRST_YEAR, LAST_YEAR
from casework.rules import available_rulesets, evaluate, ruleset
from casework.testing import CASE_DEFAULTS, merge
from casework.testing import strategies as cs

CALENDAR = WorkingCalendar.england_and_wales()
RULESETS = [ruleset(name) for name in available_rulesets()]


def test_the_default_calendar_covers_the_case_years_and_one_more_either_side() -> None:
    assert (CALENDAR.first_year, CALENDAR.last_year) == (FIRST_YEAR - 1, LAST_YEAR + 1)


def test_a_year_typo_is_refused_at_load_not_by_a_rule() -> None:
    record = merge(CASE_DEFAULTS, {"sentence": {"sentenced_on": "1907-06-01"}})
    error = case_from_request(record)
    assert isinstance(error, CaseError)
    assert [(p.field, p.code) for p in error.problems] == [
        ("sentence.sentenced_on", "date.out_of_range")
    ]
    born = merge(CASE_DEFAULTS, {"personal": {"date_of_birth": "1907-06-01"}})
    assert isinstance(case_from_request(born), Case)  # dates of birth go back to 1900


def _shifted(value: Any, days: dt.timedelta) -> Any:
    if isinstance(value, dt.date):
        return value + days
    if isinstance(value, dict):
        return {key: _shifted(item, days) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_shifted(item, days) for item in value]
    return value


def _moved_to(case: Case, edge: str) -> Case:
    """The case with every date moved: its earliest to 1 January of the first year, or its
    as_of to 31 December of the last (the facts' order, and so validity, unchanged)."""
    data = case.model_dump(exclude={"personal"})
    days = _dates(data)
    if edge == "first":
        delta = dt.date(FIRST_YEAR, 1, 1) - min(days)
    else:
        delta = dt.date(LAST_YEAR, 12, 31) - case.as_of
    return Case.model_validate(_shifted(data, delta))


def _dates(value: Any) -> list[dt.date]:
    if isinstance(value, dt.date):
        return [value]
    if isinstance(value, dict):
        return [day for item in value.values() for day in _dates(item)]
    if isinstance(value, list | tuple):
        return [day for item in value for day in _dates(item)]
    return []


@settings(max_examples=max(10, settings().max_examples // 3), deadline=None)
@given(case=cs.cases(), edge=st.sampled_from(["first", "last"]))
def test_no_rule_raises_on_a_valid_case_at_either_end_of_the_years(case: Case, edge: str) -> None:
    moved = _moved_to(case, edge)
    for rules in RULESETS:
        findings = evaluate([moved], rules, as_of=moved.as_of, calendar=CALENDAR)
        assert len(findings) >= 1
