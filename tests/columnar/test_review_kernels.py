"""The review kernels (casework.columnar.reviews) against their scalar rules, on hand-picked edges.

Each case below is chosen for one edge of ``reviews.py``: a due date clamped to a
month's end, a bank holiday inside a working-day limit, work done on the weekend
straight after a working-day due date, ``as_of`` on the due day, a record that ends
before the due date, an order ended before the review fell due, a clock started
before the 2007 standards, a parameter the sources leave without a value. Each
must give the outcome stated here, and the kernel must give what the scalar rule
gives: outcome, basis, trigger, due, done and lateness.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.calendar import TimeUnit
from casework.columnar import (
    KERNELS,
    LATE_UNITS,
    CaseColumns,
    day_number,
    from_day_number,
    lateness,
    rule_columns,
)
from casework.columnar.columns import days
from casework.columnar.reviews import ReviewKernel
from casework.model import Case
from casework.rules import Basis, Outcome, evaluate, ruleset
from casework.rules.ruleset import RuleSet
from casework.testing import strategies as cs
from casework.testing.builders import make_case, merge, oasys, review

#: Values for the timescales the sources leave unstated (as bench/evaluate.py gives them).
UNSTATED = {"roh_review_event_limit": 10, "plan_review_interval_months": 4}

NS07 = ruleset("national-standards-2007")
NS05 = ruleset("national-standards-2005")
REVIEW_RULES = tuple(
    (rules.name, rule.id)
    for rules in (NS07, NS05)
    for rule in rules
    if isinstance(KERNELS.get(rule.id), ReviewKernel)
)


def _supplied(rules: RuleSet) -> RuleSet:
    known = set(rules.parameters.names())
    return rules.with_parameters({k: v for k, v in UNSTATED.items() if k in known}, note="test")


def _view(outcome: Any, basis: Any, *dates: dt.date | None, late: int, unit: str | None
          ) -> tuple[Any, ...]:  # fmt: skip
    return (outcome, basis, *dates, late, unit)


def _compare(cases: list[Case], rules: RuleSet, rule_id: str, as_of: dt.date,
             calendar: WorkingCalendar, *, options: dict[str, Any] | None = None
             ) -> list[tuple[Any, ...]]:  # fmt: skip
    """The kernel's answers, each checked equal to the scalar finding's; returned."""
    answered = rule_columns(
        CaseColumns.from_cases(cases), rules, rule_id, as_of=as_of, calendar=calendar,
        options=options,
    )  # fmt: skip
    scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar,
                      options=options)  # fmt: skip
    got = []
    for row, finding in enumerate(scalar):
        mine = _view(
            answered.outcomes()[row],
            answered.bases()[row],
            from_day_number(answered.trigger[row]),
            from_day_number(answered.due[row]),
            from_day_number(answered.done[row]),
            late=int(answered.late_by[row]),
            unit=LATE_UNITS[answered.late_unit[row]],
        )
        theirs = _view(
            finding.outcome,
            finding.basis,
            finding.trigger,
            finding.due,
            finding.done,
            late=-1 if finding.late_by is None else finding.late_by,
            unit=finding.late_unit,
        )
        assert mine == theirs, (finding.case_ref, rule_id, finding.reason)
        got.append(mine)
    return got


def _community(sentenced: str, *assessments: dict[str, Any], **facts: Any) -> Case:
    base = {
        "sentence": {"kind": "community_order", "sentenced_on": sentenced},
        "tiers": [{"tier": 2, "on": sentenced}],
        "roh": [{"level": "high", "on": sentenced}],
        "assessments": list(assessments),
    }
    return make_case(**merge(base, facts))


D = dt.date
MET, NOT_MET, NA, CANNOT = (
    Outcome.MET,
    Outcome.NOT_MET,
    Outcome.NOT_APPLICABLE,
    Outcome.CANNOT_ASSESS,
)


def test_first_review_is_due_at_a_clamped_month_end(calendar: WorkingCalendar) -> None:
    """Sentenced 31 October 2007: four months on is 29 February 2008 (a leap year)."""
    start = oasys("2007-11-05")
    cases = [
        _community("2007-10-31", start, review("A1", "2008-02-29"), as_of="2008-03-31"),
        _community("2007-10-31", start, review("A1", "2008-03-01"), as_of="2008-03-31"),
        _community("2007-10-31", start, as_of="2008-02-29"),  # as_of on the due day
        _community("2007-10-31", start, as_of="2008-02-20"),  # the record ends before
        _community(
            "2007-10-31",
            start,
            as_of="2008-03-31",
            sentence={"termination": {"on": "2008-01-15", "reason": "completed"}},
        ),
        _community("2007-06-01", start, as_of="2008-03-31"),  # clock before the 2007 standards
    ]
    as_ofs = (D(2008, 3, 31), D(2008, 3, 31), D(2008, 2, 29), D(2008, 3, 10), D(2008, 3, 31),
              D(2008, 3, 31))  # fmt: skip
    found = [
        _compare([case], NS07, "NS07.roh-review-first", as_of, calendar)[0]
        for case, as_of in zip(cases, as_ofs, strict=True)
    ]
    due = D(2008, 2, 29)
    assert found[0] == (MET, Basis.COMPUTED, D(2007, 10, 31), due, due, -1, None)
    assert found[1] == (NOT_MET, Basis.COMPUTED, D(2007, 10, 31), due, D(2008, 3, 1), 1, "days")
    assert found[2][:2] == (NA, Basis.NOT_YET_DUE)
    assert found[3][:2] == (CANNOT, Basis.MISSING_DATA)
    assert found[4][:3] == (NA, Basis.OUT_OF_SCOPE, None)  # ended before the review fell due
    assert found[5] == (NA, Basis.OUT_OF_SCOPE, D(2007, 6, 1), None, None, -1, None)


def test_event_review_counts_working_days_over_christmas(calendar: WorkingCalendar) -> None:
    """Ten working days from Friday 14 December 2007 skip Christmas, Boxing Day and New
    Year's Day: due Wednesday 2 January 2008. Done on Saturday 16 February 2008, a day
    after a Friday due date, is late by one calendar day (no working day has passed)."""
    rules = _supplied(NS07)
    events = {"events": [{"on": "2007-12-14", "kind": "significant_change"}]}
    later = {"events": [{"on": "2008-02-01", "kind": "significant_incident"}]}
    start = oasys("2007-11-02")
    cases = [
        _community("2007-10-31", start, review("A1", "2008-01-01"), as_of="2008-03-31", **events),
        _community("2007-10-31", start, review("A1", "2008-01-03"), as_of="2008-03-31", **events),
        _community("2007-10-31", start, review("A1", "2008-02-16"), as_of="2008-03-31", **later),
        _community("2007-10-31", start, as_of="2008-03-31"),  # no event: out of scope
    ]
    found = _compare(cases, rules, "NS07.roh-review-event", D(2008, 3, 31), calendar)
    due = D(2008, 1, 2)
    assert found[0] == (MET, Basis.COMPUTED, D(2007, 12, 14), due, D(2008, 1, 1), -1, None)
    assert found[1] == (NOT_MET, Basis.COMPUTED, D(2007, 12, 14), due, D(2008, 1, 3), 1,
                        "working days")  # fmt: skip
    assert found[2] == (NOT_MET, Basis.COMPUTED, D(2008, 2, 1), D(2008, 2, 15), D(2008, 2, 16),
                        1, "days")  # fmt: skip
    assert found[3][:2] == (NA, Basis.OUT_OF_SCOPE)
    # Without a value for the limit, a case with an event cannot be assessed.
    bare = _compare(cases, NS07, "NS07.roh-review-event", D(2008, 3, 31), calendar)
    assert [row[:2] for row in bare] == [(CANNOT, Basis.NO_PARAMETER)] * 3 + [
        (NA, Basis.OUT_OF_SCOPE)
    ]


def test_every_interval_is_checked_and_the_first_late_one_decides(
    calendar: WorkingCalendar,
) -> None:
    start = oasys("2007-10-05")
    on_time = [review("A1", day) for day in ("2008-01-20", "2008-05-15", "2008-09-10")]
    late_second = [review("A1", day) for day in ("2008-01-20", "2008-06-01", "2008-09-10")]
    cases = [
        _community("2007-10-01", start, *on_time, as_of="2008-12-31"),
        _community("2007-10-01", start, *late_second, as_of="2008-12-31"),
        _community("2007-10-01", start, as_of="2008-12-31"),  # none: from the due date
    ]
    found = _compare(cases, NS07, "NS07.roh-review-interval", D(2008, 12, 31), calendar)
    # On time throughout, the last interval not yet due: the latest review decides.
    assert found[0] == (MET, Basis.COMPUTED, D(2008, 5, 15), D(2008, 9, 15), D(2008, 9, 10),
                        -1, None)  # fmt: skip
    assert found[1] == (NOT_MET, Basis.COMPUTED, D(2008, 1, 20), D(2008, 5, 20), D(2008, 6, 1),
                        12, "days")  # fmt: skip
    # No review at all: the cycle counts from the date the first was due (1 February 2008).
    assert found[2] == (NOT_MET, Basis.COMPUTED, D(2008, 2, 1), D(2008, 6, 1), None,
                        (D(2008, 12, 31) - D(2008, 6, 1)).days, "days")  # fmt: skip
    # Read later than the record goes: the last interval fell due after it ends.
    beyond = _compare(cases[:1], NS07, "NS07.roh-review-interval", D(2009, 3, 31), calendar)
    assert beyond[0] == (CANNOT, Basis.MISSING_DATA, D(2008, 9, 10), D(2009, 1, 10), None, -1,
                         None)  # fmt: skip


def test_plan_reviews_without_a_stated_timescale_cannot_be_assessed(
    calendar: WorkingCalendar,
) -> None:
    custody = make_case(sentence={"kind": "custody", "sentenced_on": "2007-10-01"})
    cases = [_community("2007-10-01", oasys("2007-10-05"), as_of="2008-06-30"), custody]
    found = _compare(cases, NS07, "NS07.plan-review-interval", D(2008, 6, 30), calendar)
    assert [row[:2] for row in found] == [(CANNOT, Basis.NO_PARAMETER), (NA, Basis.OUT_OF_SCOPE)]
    supplied = _compare(cases, _supplied(NS07), "NS07.plan-review-interval", D(2008, 6, 30),
                        calendar)  # fmt: skip
    assert supplied[0][:4] == (NOT_MET, Basis.COMPUTED, D(2007, 10, 5), D(2008, 2, 5))


def test_licence_reviews_before_and_after_release(calendar: WorkingCalendar) -> None:
    def licence(*assessments: dict[str, Any]) -> Case:
        return make_case(
            sentence={
                "kind": "licence",
                "sentenced_on": "2007-03-01",
                "released_on": "2007-11-15",
            },
            as_of="2008-06-30",
            assessments=list(assessments),
        )

    cases = [
        licence(oasys("2007-11-15", purpose="release"), review("A1", "2008-03-10")),
        licence(oasys("2007-11-20", purpose="release"), review("A1", "2008-03-20")),
        licence(),
    ]
    pre = _compare(cases, NS07, "NS07.roh-review-pre-release", D(2008, 6, 30), calendar)
    release = D(2007, 11, 15)
    assert pre[0] == (MET, Basis.COMPUTED, release, release, release, -1, None)
    assert pre[1] == (NOT_MET, Basis.COMPUTED, release, release, D(2007, 11, 20), 5, "days")
    assert pre[2] == (NOT_MET, Basis.COMPUTED, release, release, None,
                      (D(2008, 6, 30) - release).days, "days")  # fmt: skip
    first = _compare(cases, NS07, "NS07.roh-review-release", D(2008, 6, 30), calendar)
    assert [row[0] for row in first] == [MET, NOT_MET, NOT_MET]
    # Released 15 November 2007, eight months after sentence: before a review in custody
    # (12 months) was due, so that rule does not apply.
    custody = _compare(cases, NS07, "NS07.roh-review-custody", D(2008, 6, 30), calendar)
    assert [row[:2] for row in custody] == [(NA, Basis.OUT_OF_SCOPE)] * 3


def test_2005_reviews_need_an_roh_level_and_count_weeks(calendar: WorkingCalendar) -> None:
    no_roh = make_case(
        sentence={"kind": "community_order", "sentenced_on": "2006-01-02"},
        tiers=[{"tier": 2, "on": "2006-01-02"}],
        as_of="2006-12-31",
        assessments=[oasys("2006-01-10")],
        events=[{"on": "2006-03-01", "kind": "acute_risk_factor"}],
    )
    reviewed = _community(
        "2006-01-02", oasys("2006-01-10"), review("A1", "2006-05-02"), as_of="2006-12-31"
    )
    cases = [no_roh, reviewed]
    interval = _compare(cases, NS05, "NS05.roh-review-interval", D(2006, 12, 31), calendar)
    assert interval[0][:2] == (CANNOT, Basis.MISSING_DATA)
    # 16 weeks from 10 January 2006 is 2 May 2006 (112 days): on the due day.
    assert interval[1] == (NOT_MET, Basis.COMPUTED, D(2006, 5, 2), D(2006, 8, 22), None,
                           (D(2006, 12, 31) - D(2006, 8, 22)).days, "days")  # fmt: skip
    event = _compare(cases, _supplied(NS05), "NS05.roh-review-event", D(2006, 12, 31), calendar)
    assert event[0][:2] == (CANNOT, Basis.MISSING_DATA)


@pytest.mark.parametrize("option", [None, "due"])
def test_a_clock_outside_the_standard_is_answered_by_the_kernel_as_by_the_engine(
    calendar: WorkingCalendar, option: str | None
) -> None:
    """Every 2005 interval's clock starts after the 2005 standards ended: not applicable,
    without asking the scalar rule (the kernel holds its answers to the rule's dates)."""
    options = None if option is None else {"in_force_by": option}
    case = _community(
        "2007-10-01",
        oasys("2007-10-03"),
        review("A1", "2007-11-20"),
        review("A1", "2008-03-01"),
        as_of="2008-06-30",
    )
    found = _compare(
        [case], NS05, "NS05.roh-review-interval", D(2008, 6, 30), calendar, options=options
    )
    assert found[0][0] is NA


@settings(max_examples=40)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=6),
    pick=st.sampled_from(REVIEW_RULES),
    supply=st.booleans(),
    offset=st.integers(min_value=-30, max_value=600),
    option=st.sampled_from([None, "trigger", "due"]),
)
def test_review_kernels_agree_with_their_rules_on_generated_cases(  # noqa: PLR0917
    cases: list[Case],
    pick: tuple[str, str],
    supply: bool,
    offset: int,
    option: str | None,
    calendar: WorkingCalendar,
) -> None:
    name, rule_id = pick
    rules = ruleset(name)
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    options = None if option is None else {"in_force_by": option}
    chosen = _supplied(rules) if supply else rules
    _compare(cases, chosen, rule_id, as_of, calendar, options=options)


def test_columnar_lateness_on_the_due_day_counts_working_days(calendar: WorkingCalendar) -> None:
    """``timing.lateness``: known only up to the due day itself is 0 working days late
    (not 0 calendar days); a Saturday straight after a Friday due date is 1 day late."""
    due = days([day_number(D(2008, 2, 15))] * 3)
    at = days([day_number(D(2008, 2, 15)), day_number(D(2008, 2, 16)), day_number(D(2008, 2, 18))])
    count, in_days = lateness(calendar, due, at, TimeUnit.WORKING_DAYS)
    assert count.tolist() == [0, 1, 1]
    assert in_days.tolist() == [False, True, False]


def test_every_review_rule_has_its_kernel() -> None:
    assert {rule_id for _, rule_id in REVIEW_RULES} == {
        "NS07.roh-review-first",
        "NS07.roh-review-release",
        "NS07.roh-review-interval",
        "NS07.roh-review-custody",
        "NS07.roh-review-pre-release",
        "NS07.roh-review-event",
        "NS07.plan-review-interval",
        "NS05.roh-review-interval",
        "NS05.roh-review-event",
        "NS05.plan-review-interval",
    }
