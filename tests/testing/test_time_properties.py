"""Properties of time for every rule of every shipped rule set (issue 11).

* evaluating as at an earlier day reads the record as it stood that day:
  ``evaluate(case, as_of=d) == evaluate(case.as_at(d), as_of=d)``;
* ``as_at`` keeps no fact after the day and reading twice is reading once;
* every shipped set enforces its rules' in-force dates: no deadline is set under a
  rule not in force on the day its clock started (the National Standards and target
  sets, docs/decisions.md#standard-by-clock-start), and ``omi-2007``, read by the
  assessment date, answers nothing under a question not yet in force on it
  (docs/decisions.md#in-force-every-set); each set read the other way too.

Few examples per run (a 25th of the profile's, at least 5): each evaluates every shipped set.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.model import Case
from casework.model.base import dates_in
from casework.rules import Outcome, available_rulesets, evaluate, ruleset
from casework.rules.engine import IN_FORCE_BY, IN_FORCE_READINGS, Context, in_force_day
from casework.testing import default_calendar
from casework.testing.timeline import cases_with_earlier_days

CALENDAR = default_calendar()
SHIPPED = [ruleset(name) for name in available_rulesets()]
FEW = settings(max_examples=max(5, settings().max_examples // 25))


@FEW
@given(cases_with_earlier_days())
def test_evaluating_earlier_reads_the_record_as_it_stood(drawn: tuple[Case, dt.date]) -> None:
    case, day = drawn
    then = case.as_at(day)
    assert then.as_of == day
    assert all(found <= day for _, found in dates_in(then))
    for rules in SHIPPED:
        assert evaluate(case, rules, as_of=day, calendar=CALENDAR) == evaluate(
            then, rules, as_of=day, calendar=CALENDAR
        ), rules.name


@FEW
@given(cases_with_earlier_days())
def test_reading_as_at_twice_is_reading_once(drawn: tuple[Case, dt.date]) -> None:
    case, day = drawn
    middle = day + (case.as_of - day) / 2
    assert case.as_at(middle).as_at(day) == case.as_at(day)


@FEW
@given(cases_with_earlier_days(), st.sampled_from([None, *IN_FORCE_READINGS]))
def test_no_deadline_under_a_rule_not_in_force(
    drawn: tuple[Case, dt.date], reading: str | None
) -> None:
    case, day = drawn
    options = None if reading is None else {IN_FORCE_BY: reading}
    for rules in SHIPPED:
        assert rules.by_clock, rules.name
        ctx = Context.of(rules, as_of=day, calendar=CALENDAR, options=options)
        assert ctx.by_clock != ctx.by_assessment_date, rules.name
        for finding in evaluate(case, rules, as_of=day, calendar=CALENDAR, options=options):
            rule = rules.rule(finding.rule_id)
            if ctx.by_assessment_date:
                if not rule.in_force_from <= day:
                    assert finding.outcome is Outcome.NOT_APPLICABLE, finding
                    assert "after the assessment date" in finding.reason, finding
                continue
            if finding.due is None:
                continue
            started = in_force_day(finding, ctx)  # type: ignore[arg-type]
            assert started is not None, finding
            assert rule.in_force_on(started), (rules.name, finding.rule_id, finding.reason)
