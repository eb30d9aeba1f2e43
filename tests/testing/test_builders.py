"""Builders state only the facts that matter; work_done_earlier moves work, never triggers."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import Case
from casework.model import AssessmentPurpose, OasysPart, ReviewTrigger
from casework.model.base import dates_in
from casework.testing import (
    default_calendar,
    make_case,
    make_cases,
    oasys,
    review,
    work_done_earlier,
)
from casework.testing import strategies as cs

D = dt.date


def test_an_oasys_with_every_part_on_one_day_and_a_review() -> None:
    case = make_case(
        assessments=[
            oasys("2007-06-08", missing=["rmp"], dates={"sentence_plan": D(2007, 6, 12)}),
            review("A1", "2007-09-20", trigger="significant_incident", full_analysis_required=True),
        ]
    )
    start, later = case.assessments
    assert start.purpose is AssessmentPurpose.START
    assert {part: start.part_completed_on(part) for part in OasysPart} == {
        OasysPart.ASSESSMENT: D(2007, 6, 8),
        OasysPart.SCREENING: D(2007, 6, 8),
        OasysPart.FULL_ANALYSIS: D(2007, 6, 8),
        OasysPart.RMP: None,
        OasysPart.SENTENCE_PLAN: D(2007, 6, 12),
    }
    assert (later.id, later.reviews, later.trigger) == (
        "R-2007-09-20",
        "A1",
        ReviewTrigger.SIGNIFICANT_INCIDENT,
    )
    assert later.screening is not None
    assert later.screening.full_analysis_required


def test_oasys_refuses_unknown_parts() -> None:
    with pytest.raises(ValueError, match="unknown OASys parts"):
        oasys("2007-06-08", missing=["rsr"])


def test_make_cases_numbers_references_unless_given() -> None:
    cases = make_cases({}, {"reference": "MINE"}, {"tiers": [{"tier": 4, "on": "2007-06-01"}]})
    assert [c.reference for c in cases] == ["T-0001", "MINE", "T-0003"]


def test_the_default_calendar_is_built_once() -> None:
    assert default_calendar() is default_calendar()
    assert default_calendar().holiday_name(D(2007, 8, 27)) is not None


def test_work_done_earlier_stops_after_the_clock_start() -> None:
    case = make_case(
        assessments=[oasys("2007-05-25", purpose="psr", id="P"), oasys("2007-06-20")],
        breaches=[{"failed_on": "2007-07-02", "action_on": "2007-07-10"}],
        victims=[{"id": "V1", "contact_offered_on": "2007-06-05"}],
    )
    moved = work_done_earlier(case, 7)
    assert moved.assessments[0].completed_on == D(2007, 5, 25)  # before sentence: stays
    assert moved.assessments[1].completed_on == D(2007, 6, 13)
    assert moved.breaches[0].action_on == D(2007, 7, 3)
    assert moved.victims[0].contact_offered_on == D(2007, 6, 2)  # still after sentence
    assert moved.sentence == case.sentence
    with pytest.raises(ValueError, match="must not be negative"):
        work_done_earlier(case, -1)


@given(cs.cases(), st.integers(0, 90))
def test_work_done_earlier_keeps_the_order_of_work_and_events(case: Case, days: int) -> None:
    moved = work_done_earlier(case, days)
    assert moved.sentence == case.sentence
    assert moved.tiers == case.tiers
    assert [b.failed_on for b in moved.breaches] == [b.failed_on for b in case.breaches]
    events = Counter(day for path, day in dates_in(case) if path != ("as_of",))
    events.subtract(_work_dates(case))  # what is left: the dates of events, not of work
    for old, new in zip(_work_dates(case), _work_dates(moved), strict=True):
        assert old - dt.timedelta(days=days) <= new <= old
        for event in (day for day, n in events.items() if n > 0 and day <= old):
            assert new > event if event < old else new == old, (old, new, event)


def _work_dates(case: Case) -> list[dt.date]:
    """The case's work dates in a fixed order (those work_done_earlier moves)."""
    found: list[dt.date | None] = []
    for assessment in case.assessments:
        found += [assessment.completed_on, assessment.countersigned_on]
        for part in (assessment.screening, assessment.full_analysis, assessment.rmp):
            found += [getattr(part, "completed_on", None)]
        found += [
            assessment.full_analysis.exemption_countersigned_on
            if assessment.full_analysis
            else None
        ]
        found += [assessment.sentence_plan.completed_on if assessment.sentence_plan else None]
    found += [v.on for v in (*case.inductions, *case.home_visits)]
    found += [d for b in case.breaches for d in (b.action_on, b.resolved_on)]
    found += [
        d for v in case.victims for d in (v.contact_offered_on, v.contacted_on, v.face_to_face_on)
    ]
    found += [case.psr.delivered_on if case.psr else None]
    if case.transfer_in:
        found += [case.transfer_in.first_appointment_on, case.transfer_in.home_visit_on]
    return [day for day in found if day is not None]
