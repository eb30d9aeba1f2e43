"""Every rule set enforces its rules' in-force dates (issue 11).

docs/decisions.md#in-force-every-set.

Hand-computed on real England and Wales dates: Good Friday 6 April and Easter Monday
9 April 2007 are not working days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from casework import Period, TargetStatus, WorkingCalendar, target_performance
from casework.model import Case
from casework.rules import (
    Basis,
    Findings,
    Outcome,
    RuleDefinitionError,
    available_rulesets,
    evaluate,
    ruleset,
)
from casework.testing import make_case, oasys

D = dt.date


def run(
    case: Case, name: str, as_of: dt.date, calendar: WorkingCalendar, **options: Any
) -> Findings:
    return evaluate(case, name, as_of=as_of, calendar=calendar, options=options or None)


def tier2_order(sentenced: str, oasys_on: str) -> Case:
    """A Tier 2, medium RoH community order and its first OASys, all parts on one day."""
    return make_case(
        as_of="2007-06-01",
        sentence={"sentenced_on": sentenced},
        tiers=[{"tier": 2, "on": sentenced}],
        roh=[{"level": "medium", "on": sentenced}],
        assessments=[oasys(oasys_on, id="A1")],
    )


# ------------------------------------------------------------------ target sets


@pytest.mark.parametrize("name", ["nps-2007-08", "rom-east-of-england-2007-08"])
def test_no_2007_08_target_deadline_for_an_order_sentenced_before_the_year(
    calendar: WorkingCalendar, name: str
) -> None:
    # N03/S18 (003:701) came in with the 2007-08 targets on 1 April 2007. Sentenced
    # Wednesday 28 March 2007: the clock started before it.
    case = tier2_order("2007-03-28", "2007-04-20")
    got = run(case, name, D(2007, 6, 1), calendar).get(case.reference, "NS07.oasys-tier1-3")
    assert (got.outcome, got.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert got.reason == (
        "Not applicable: the clock started with sentence on 28 March 2007, before the rule "
        "came into force on 1 April 2007."
    )
    assert (got.trigger, got.due, got.done, got.late_by) == (D(2007, 3, 28), None, None, None)


def test_the_other_reading_judges_it_by_the_assessment_date(calendar: WorkingCalendar) -> None:
    # 15 working days from Wednesday 28 March 2007: 29, 30 March, 2-5 April (6), Good
    # Friday and Easter Monday skipped, 10-13 April (10), 16-20 April (15): 20 April.
    case = tier2_order("2007-03-28", "2007-04-20")
    got = run(case, "nps-2007-08", D(2007, 6, 1), calendar, in_force_by="as_of").get(
        case.reference, "NS07.oasys-tier1-3"
    )
    assert got.outcome is Outcome.MET, got.reason
    assert (got.trigger, got.due, got.done) == (D(2007, 3, 28), D(2007, 4, 20), D(2007, 4, 20))


def test_an_order_sentenced_inside_the_year_keeps_its_deadline(calendar: WorkingCalendar) -> None:
    # 15 working days from Monday 2 April 2007: 3-5 April (3), 10-13 (7), 16-20 (12),
    # 23-25 (15): due Wednesday 25 April; done Monday 23 April.
    case = tier2_order("2007-04-02", "2007-04-23")
    for reading in ("trigger", "due", "as_of"):
        got = run(case, "nps-2007-08", D(2007, 6, 1), calendar, in_force_by=reading).get(
            case.reference, "NS07.oasys-tier1-3"
        )
        assert got.outcome is Outcome.MET, (reading, got.reason)
        assert (got.due, got.done) == (D(2007, 4, 25), D(2007, 4, 23)), reading


def test_the_year_s_figures_count_what_they_counted(calendar: WorkingCalendar) -> None:
    # The OASys targets place a case in a year by t0 (docs/decisions.md#period-anchor), the
    # day the clock starts: the 2007-08 figure is the same under either reading; only the
    # 2006-07 figure, a year before the target existed, loses the March order.
    cases = [tier2_order("2007-03-28", "2007-04-20"), tier2_order("2007-04-02", "2007-04-23")]
    cases[1] = cases[1].model_copy(update={"reference": "T-0002"})
    by_clock = evaluate(cases, "nps-2007-08", as_of=D(2007, 6, 1), calendar=calendar)
    by_as_of = evaluate(
        cases,
        "nps-2007-08",
        as_of=D(2007, 6, 1),
        calendar=calendar,
        options={"in_force_by": "as_of"},
    )
    year = Period.financial_year("2007-08")
    now = target_performance(by_clock, "nps-2007-08", period=year)["N03"]
    then = target_performance(by_as_of, "nps-2007-08", period=year)["N03"]
    assert (now.counts.met, now.counts.not_met) == (then.counts.met, then.counts.not_met) == (1, 0)
    before = Period.financial_year("2006-07")
    assert target_performance(by_clock, "nps-2007-08", period=before)["N03"].status is (
        TargetStatus.NO_DATA
    )
    earlier = target_performance(by_as_of, "nps-2007-08", period=before)["N03"]
    assert (earlier.counts.met, earlier.counts.not_met) == (1, 0)


# ------------------------------------------------------------------ the inspection


def with_psr(requested: str, due: str, delivered: str, *, sentenced: str) -> Case:
    return make_case(
        as_of="2007-10-15",
        sentence={"sentenced_on": sentenced},
        psr={
            "kind": "standard_delivery",
            "requested_on": requested,
            "due_on": due,
            "delivered_on": delivered,
        },
    )


def test_the_inspection_judges_a_report_requested_before_the_programme(
    calendar: WorkingCalendar,
) -> None:
    # omi-2007 questions are in force from 1 May 2006 (004:944); the inspection judged every
    # sampled report by the standards of its fieldwork, whenever it was requested.
    case = with_psr("2006-04-20", "2006-05-10", "2006-05-09", sentenced="2006-05-10")
    got = run(case, "omi-2007", D(2007, 10, 15), calendar).get(case.reference, "1.1.e")
    assert got.outcome is Outcome.MET, got.reason
    assert (got.trigger, got.due, got.done) == (D(2006, 4, 20), D(2006, 5, 10), D(2006, 5, 9))


def test_the_inspection_read_by_clock_start_leaves_that_report_out(
    calendar: WorkingCalendar,
) -> None:
    case = with_psr("2006-04-20", "2006-05-10", "2006-05-09", sentenced="2006-05-10")
    got = run(case, "omi-2007", D(2007, 10, 15), calendar, in_force_by="trigger").get(
        case.reference, "1.1.e"
    )
    assert (got.outcome, got.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert got.reason == (
        "Not applicable: the clock started with request on 20 April 2006, before the rule "
        "came into force on 1 May 2006."
    )
    # fell due on 10 May 2006, after 1 May: in force by the day it fell due
    by_due = run(case, "omi-2007", D(2007, 10, 15), calendar, in_force_by="due")
    assert by_due.get(case.reference, "1.1.e").outcome is Outcome.MET


def test_no_inspection_question_before_the_programme_began(calendar: WorkingCalendar) -> None:
    # Assessed as at Friday 28 April 2006, three days before the OMI programme (1 May 2006):
    # every question says so, in a case sentenced on 13 March 2006.
    case = with_psr("2006-02-13", "2006-03-13", "2006-03-10", sentenced="2006-03-13")
    case = case.model_copy(update={"as_of": D(2006, 4, 28)})
    found = run(case, "omi-2007", D(2006, 4, 28), calendar)
    assert {f.outcome for f in found} == {Outcome.NOT_APPLICABLE}
    assert len(found) == len(ruleset("omi-2007"))
    assert found.get(case.reference, "1.1.e").reason == (
        "Not applicable: the rule came into force on 1 May 2006, after the assessment date "
        "(28 April 2006)."
    )
    # the same record assessed from 1 May 2006 is judged
    later = run(
        case.model_copy(update={"as_of": D(2006, 5, 2)}), "omi-2007", D(2006, 5, 2), calendar
    )
    assert later.get(case.reference, "1.1.e").outcome is Outcome.MET


def test_every_shipped_set_enforces_and_says_how(calendar: WorkingCalendar) -> None:
    readings = {
        name: (ruleset(name).by_clock, ruleset(name).in_force_by) for name in available_rulesets()
    }
    assert readings == {
        "national-standards": (True, "trigger"),
        "national-standards-2005": (True, "trigger"),
        "national-standards-2007": (True, "trigger"),
        "nps-2005-06": (True, "trigger"),
        "nps-2007-08": (True, "trigger"),
        "omi-2007": (True, "as_of"),
        "rom-east-of-england-2007-08": (True, "trigger"),
    }


def test_an_unknown_reading_of_a_set_is_refused() -> None:
    with pytest.raises(RuleDefinitionError, match="in_force_by"):
        attrs.evolve(ruleset("omi-2007"), in_force_by="sample")


def test_a_set_that_enforces_nothing_answers_every_clock(calendar: WorkingCalendar) -> None:
    case = tier2_order("2007-03-28", "2007-04-20")
    unclocked = attrs.evolve(ruleset("nps-2007-08"), by_clock=False)
    got = evaluate(case, unclocked, as_of=D(2007, 6, 1), calendar=calendar)
    assert got.get(case.reference, "NS07.oasys-tier1-3").outcome is Outcome.MET
