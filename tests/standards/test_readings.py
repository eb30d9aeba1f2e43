"""The readings the National Standards rules take (docs/national-standards.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from casework import WorkingCalendar
from casework.rules import Basis, Outcome, ruleset
from casework.rules.engine import Context
from casework.rules.parameters import ParameterTable
from casework.rules.timing import deadline_check
from tests.standards.helpers import (
    DAY,
    D,
    case,
    custody,
    evidence,
    finding,
    full_oasys,
    licence,
    order,
    plan_only,
    review,
    roh,
    screening_only,
)

# ---------------------------------------------------------------- review cycles


def _high_roh_order(reviews: list[dt.date], as_of: dt.date) -> object:
    start = D(2006, 10, 2)
    return order(
        start,
        as_of,
        roh=roh("high", start),
        assessments=[
            screening_only("A", "start", start + 4 * DAY),
            *(review(f"R{n}", day, screening=True) for n, day in enumerate(reviews, start=1)),
        ],
    )


def test_2005_reviews_count_weeks_never_months(calendar: WorkingCalendar) -> None:
    # 16 weeks after Fri 6 Oct 2006 is Fri 26 Jan 2007; four months would be 6 Feb 2007
    late = finding(
        "NS05.roh-review-interval", _high_roh_order([D(2007, 2, 5)], D(2007, 3, 1)), calendar
    )
    assert late.outcome is Outcome.NOT_MET
    assert "10 days after it was due on 26 January 2007 (16 weeks after" in late.reason


def test_every_interval_is_checked_not_only_the_last(calendar: WorkingCalendar) -> None:
    # first review late (due 26 Jan), later ones on time: still not met
    reviews = [D(2007, 2, 1), D(2007, 5, 20), D(2007, 9, 1)]
    result = finding("NS05.roh-review-interval", _high_roh_order(reviews, D(2007, 9, 10)), calendar)
    assert result.outcome is Outcome.NOT_MET
    assert result.reason.startswith("1 of 4 intervals was late. RoH reviewed on 1 February 2007")
    facts = evidence(result)
    assert facts["interval 1: due by"] == D(2007, 1, 26)
    assert facts["interval 1: days late"] == 6
    assert facts["interval 4: due by"] == D(2007, 12, 22)
    assert facts["time limit"] == "16 weeks"
    on_time = finding(
        "NS05.roh-review-interval",
        _high_roh_order([D(2007, 1, 20), D(2007, 5, 10), D(2007, 8, 30)], D(2007, 9, 10)),
        calendar,
    )
    assert on_time.outcome is Outcome.MET
    assert on_time.reason.startswith("3 RoH reviews, all on time. The latest: RoH reviewed on 30")


def test_the_2005_cycle_starts_at_sentence_without_an_initial_assessment(
    calendar: WorkingCalendar,
) -> None:
    # a PSR plan before sentence does not start the cycle early
    built = order(
        D(2006, 10, 2), D(2007, 3, 1), assessments=[plan_only("P", "psr", D(2006, 9, 20))]
    )
    result = finding("NS05.plan-review-interval", built, calendar)
    assert result.reason == (
        "Sentence plan not reviewed by 1 March 2007: it was due on 22 January 2007 "
        "(16 weeks after sentence on 2 October 2006)."
    )


def test_no_review_is_due_after_the_order_has_ended(calendar: WorkingCalendar) -> None:
    sentence = {
        "kind": "community_order",
        "sentenced_on": D(2007, 10, 1),
        "termination": {"on": "2008-01-15", "reason": "completed"},
    }
    ended = case(D(2008, 6, 1), sentence)
    first = finding("NS07.roh-review-first", ended, calendar)
    assert (first.outcome, first.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert first.reason == (
        "Not applicable: the question applies to community and suspended sentence orders not "
        "ended before the first RoH review fell due. Supervision ended on 15 January 2008, "
        "before the review was due on 1 February 2008."
    )
    # a review done before it ended does not bring the case into scope
    early = case(
        D(2008, 6, 1), sentence, assessments=[review("R1", D(2007, 12, 10), screening=True)]
    )
    assert finding("NS07.roh-review-first", early, calendar).reason == first.reason
    reviewed = case(
        D(2008, 9, 1),
        {**sentence, "termination": {"on": "2008-04-01", "reason": "completed"}},
        assessments=[review("R1", D(2008, 1, 20), screening=True)],
    )
    interval = finding("NS07.roh-review-interval", reviewed, calendar)
    assert (interval.outcome, interval.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)


def test_the_release_assessment_is_not_the_review_after_release(
    calendar: WorkingCalendar,
) -> None:
    released = D(2008, 1, 7)
    built = licence(
        released,
        D(2008, 6, 1),
        assessments=[
            review("P", D(2008, 1, 3), trigger="pre_release", screening=True),
            review("Q", D(2008, 1, 9), trigger="release", rmp=True),
        ],
    )
    after = finding("NS07.roh-review-release", built, calendar)
    assert after.outcome is Outcome.NOT_MET
    assert after.reason.startswith("RoH not reviewed by 1 June 2008: it was due on 7 May 2008")
    prepared = finding("NS07.roh-review-pre-release", built, calendar)
    assert prepared.reason == "RoH reviewed on 3 January 2008, before release on 7 January 2008."
    # ... but it is a review following a significant event
    event = licence(
        released,
        D(2008, 6, 1),
        events=[{"on": "2008-01-08", "kind": "acute_risk_factor"}],
        assessments=[review("Q", D(2008, 1, 9), trigger="release", rmp=True)],
    )
    after_event = finding(
        "NS07.roh-review-event", event, calendar, params={"roh_review_event_limit": 5}
    )
    assert after_event.outcome is Outcome.MET


def test_repeat_reviews_count_from_when_the_first_was_due_if_it_never_came(
    calendar: WorkingCalendar,
) -> None:
    built = order(D(2007, 10, 1), D(2008, 6, 2))
    result = finding("NS07.roh-review-interval", built, calendar)
    assert result.reason == (
        "RoH not reviewed by 2 June 2008: it was due on 1 June 2008 (4 months after the date "
        "the first RoH review was due on 1 February 2008)."
    )
    pending = finding("NS07.roh-review-interval", order(D(2007, 10, 1), D(2008, 3, 1)), calendar)
    assert pending.basis is Basis.NOT_YET_DUE


def test_custody_reviews_count_only_while_in_custody_twelve_months(
    calendar: WorkingCalendar,
) -> None:
    early = case(
        D(2008, 6, 1),
        {"kind": "licence", "sentenced_on": D(2007, 6, 1), "released_on": D(2008, 1, 10)},
    )
    released_early = finding("NS07.roh-review-custody", early, calendar)
    assert (released_early.outcome, released_early.basis) == (
        Outcome.NOT_APPLICABLE,
        Basis.OUT_OF_SCOPE,
    )
    late = case(
        D(2008, 6, 1),
        {"kind": "licence", "sentenced_on": D(2006, 6, 1), "released_on": D(2008, 1, 10)},
    )
    assert finding("NS07.roh-review-custody", late, calendar).outcome is Outcome.NOT_MET
    young = custody(D(2007, 12, 1), D(2008, 6, 1))
    assert finding("NS07.roh-review-custody", young, calendar).basis is Basis.NOT_YET_DUE


def test_events_before_sentence_do_not_call_for_a_review(calendar: WorkingCalendar) -> None:
    built = order(
        D(2007, 9, 3),
        D(2007, 12, 1),
        events=[{"on": "2007-08-01", "kind": "significant_change"}],
    )
    result = finding("NS07.roh-review-event", built, calendar)
    assert (result.outcome, result.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)


# ---------------------------------------------------------------- unstated values


@pytest.mark.parametrize(
    ("rule_id", "parameter", "value"),
    [
        ("NS05.roh-review-event", "roh_review_event_limit", 5),
        ("NS07.roh-review-event", "roh_review_event_limit", 5),
        ("NS07.plan-review-interval", "plan_review_interval_months", 4),
        ("NS07.allocation", "allocation_limit", 5),
        ("NS07.induction", "induction_limit", 5),
        ("NS07.appointment-frequency", "appointment_interval_limit", 14),
        ("NS07.upw-frequency", "upw_session_interval_limit", 14),
    ],
)
def test_a_timescale_the_sources_leave_unstated_must_be_supplied(
    rule_id: str, parameter: str, value: int, calendar: WorkingCalendar
) -> None:
    built = case(
        D(2008, 3, 1),
        {
            "kind": "community_order",
            "sentenced_on": D(2007, 10, 1),
            "requirements": [{"kind": "unpaid_work", "hours": 80}, {"kind": "supervision"}],
        },
        roh=roh("high", D(2007, 10, 1)),
        events=[{"on": "2007-11-05", "kind": "significant_incident"}],
        assessments=[plan_only("A", "start", D(2007, 10, 5))],
    )
    unstated = finding(rule_id, built, calendar)
    assert (unstated.outcome, unstated.basis) == (Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
    assert unstated.reason.startswith(f"Cannot assess: no value is set for {parameter} (")
    assert unstated.reason.endswith("the sources do not state one, so it must be supplied.")
    supplied = finding(rule_id, built, calendar, params={parameter: value})
    assert supplied.basis is Basis.COMPUTED
    assert {item.source for item in supplied.evidence if item.label == "time limit"} == {"override"}


def test_unstated_parameters_have_no_value_in_either_rule_set() -> None:
    for name in ("national-standards-2005", "national-standards-2007"):
        parameters = ruleset(name).parameters
        for unstated in (
            "roh_review_event_limit",
            "plan_review_interval_months",
            "allocation_limit",
            "induction_limit",
            "appointment_interval_limit",
            "upw_session_interval_limit",
        ):
            assert not parameters.has_value(unstated), (name, unstated)


def test_the_review_interval_changes_from_16_weeks_to_4_months_on_30_september_2007() -> None:
    table = ParameterTable.default()
    before, after = table.resolve(D(2007, 9, 29)), table.resolve(D(2007, 9, 30))
    assert str(before.get("roh_review_interval_weeks").duration) == "16 weeks"
    assert not before.has_value("roh_review_interval_months")
    assert str(after.get("roh_review_interval_months").duration) == "4 months"
    assert not after.has_value("roh_review_interval_weeks")
    assert after.get("roh_review_interval_months").source == "004:515"


# ---------------------------------------------------------------- transfers and home visits


def test_a_transfer_home_visit_may_be_recorded_either_way(calendar: WorkingCalendar) -> None:
    on_transfer = order(
        D(2007, 6, 1),
        D(2007, 10, 1),
        transfer_in={"notified_on": "2007-09-03", "home_visit_on": "2007-09-10"},
    )
    as_visit = order(
        D(2007, 6, 1),
        D(2007, 10, 1),
        transfer_in={"notified_on": "2007-09-03"},
        home_visits=[{"on": "2007-08-01"}, {"on": "2007-09-10"}],
    )
    for built in (on_transfer, as_visit):
        result = finding("NS07.transfer-home-visit", built, calendar)
        assert result.reason.startswith("Home visit on 10 September 2007, on or before")


def test_approved_premises_residents_are_excluded_from_the_home_visit(
    calendar: WorkingCalendar,
) -> None:
    released = D(2007, 9, 3)
    resident = licence(
        released,
        D(2007, 10, 1),
        roh=roh("high", released),
        approved_premises=[{"arrived_on": "2007-09-05"}],
    )
    result = finding("NS07.home-visit-high-roh", resident, calendar)
    assert (result.outcome, result.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert result.reason == (
        "Not applicable: the question applies to high or very high RoH community orders, "
        "suspended sentence orders and licences, except those living in approved premises "
        "before the home visit fell due. Living in approved premises from 5 September 2007."
    )
    left_before = licence(
        released,
        D(2007, 10, 1),
        roh=roh("high", released),
        approved_premises=[{"arrived_on": "2007-08-01", "left_on": "2007-08-20"}],
    )
    assert finding("NS07.home-visit-high-roh", left_before, calendar).outcome is Outcome.NOT_MET


@pytest.mark.parametrize(
    ("notified", "outcome"), [("2007-09-03", Outcome.NOT_MET), ("2007-08-01", None)]
)
def test_transfer_rmp_review_reads_the_roh_level_at_notification(
    notified: str, outcome: Outcome | None, calendar: WorkingCalendar
) -> None:
    built = order(
        D(2007, 6, 1),
        D(2007, 10, 1),
        roh=[{"level": "medium", "on": "2007-06-01"}, {"level": "high", "on": "2007-09-01"}],
        transfer_in={"notified_on": notified, "first_contact_on": "2007-09-05"},
    )
    result = finding("NS07.transfer-rmp-review", built, calendar)
    if outcome is None:  # medium at notification
        assert (result.outcome, result.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    else:
        assert result.outcome is outcome


# ---------------------------------------------------------------- victims


def _statutory(sentence: dict[str, object], *victims: dict[str, object]) -> object:
    return case(D(2008, 2, 1), {"sentenced_on": D(2007, 10, 1), **sentence}, victims=list(victims))


@pytest.mark.parametrize(
    ("sentence", "conflict"),
    [
        ({"kind": "community_order"}, "the sentence is not custodial (community order)"),
        (
            {"kind": "custody", "custodial_months": 11},
            "the custodial term is 11 months",
        ),
        (
            {"kind": "custody", "offence_category": "other"},
            "the offence is recorded as neither serious sexual nor serious violent",
        ),
    ],
)
def test_a_sentence_that_cannot_be_statutory_contradicts_the_flag(
    sentence: dict[str, object], conflict: str, calendar: WorkingCalendar
) -> None:
    built = _statutory(sentence, {"id": "V1", "statutory": True})
    result = finding("NS07.victim-contact", built, calendar)
    assert (result.outcome, result.basis) == (Outcome.CANNOT_ASSESS, Basis.CONTRADICTORY)
    assert conflict in result.reason


def test_statutory_victims_are_counted_when_the_sentence_facts_are_not_recorded(
    calendar: WorkingCalendar,
) -> None:
    built = _statutory(
        {"kind": "custody"},
        {"id": "V1", "statutory": True, "contact_offered_on": "2007-11-01"},
        {"id": "V2", "statutory": False},
        {"id": "V3", "statutory": True, "contacted_on": "2007-11-30"},
    )
    result = finding("NS07.victim-contact", built, calendar)
    assert result.outcome is Outcome.NOT_MET
    assert result.reason.startswith("Victim V1: Victim contact offered on 1 November 2007, on or")
    assert "Victim V3: Victim contact offered on 30 November 2007, 4 days after" in result.reason
    assert "V2" not in result.reason


# ---------------------------------------------------------------- consistency


def test_a_full_analysis_in_a_later_assessment_counts(calendar: WorkingCalendar) -> None:
    built = order(
        D(2007, 9, 3),
        D(2007, 12, 1),
        assessments=[
            {
                "id": "A",
                "purpose": "start",
                "screening": {"completed_on": "2007-09-10", "full_analysis_required": True},
            },
            {
                "id": "R",
                "purpose": "review",
                "trigger": "scheduled",
                "full_analysis": {"completed_on": "2007-10-01"},
            },
        ],
    )
    assert finding("NS07.full-analysis-where-screened", built, calendar).outcome is Outcome.MET


def test_an_exemption_needs_an_spo_countersignature(calendar: WorkingCalendar) -> None:
    built = order(
        D(2007, 9, 3),
        D(2007, 12, 1),
        assessments=[
            {
                "id": "A",
                "purpose": "start",
                "screening": {"completed_on": "2007-09-10", "full_analysis_required": True},
                "full_analysis": {"exempted": True},
            }
        ],
    )
    result = finding("NS05.full-analysis-where-screened", built, calendar)
    assert result.reason == (
        "Screening of 10 September 2007: An exemption from the full analysis was claimed but "
        "not countersigned by an SPO."
    )
    not_called = order(
        D(2007, 9, 3),
        D(2007, 12, 1),
        assessments=[screening_only("A", "start", D(2007, 9, 10))],
    )
    assert (
        finding("NS05.full-analysis-where-screened", not_called, calendar).basis
        is Basis.OUT_OF_SCOPE
    )


def test_rmp_where_not_low_reads_the_level_in_force_on_as_of(calendar: WorkingCalendar) -> None:
    built = order(
        D(2007, 6, 1),
        D(2008, 1, 1),
        roh=[{"level": "medium", "on": "2007-06-05"}, {"level": "low", "on": "2007-11-01"}],
    )
    assert finding("NS07.rmp-where-not-low", built, calendar).basis is Basis.OUT_OF_SCOPE
    earlier = finding("NS07.rmp-where-not-low", built, calendar, as_of=D(2007, 10, 1))
    assert earlier.outcome is Outcome.NOT_MET
    before_any = finding("NS07.rmp-where-not-low", built, calendar, as_of=D(2007, 6, 2))
    assert before_any.reason == "Cannot assess: no RoH level is recorded on or before 2 June 2007."


def test_a_mappa_level_recorded_after_as_of_does_not_count(calendar: WorkingCalendar) -> None:
    built = order(
        D(2007, 6, 1),
        D(2008, 1, 1),
        mappa={"levels": [{"level": 3, "on": "2007-12-01"}]},
    )
    assert finding("NS07.mappa-level", built, calendar).outcome is Outcome.MET
    assert (
        finding("NS07.mappa-level", built, calendar, as_of=D(2007, 11, 1)).outcome
        is Outcome.NOT_MET
    )


# ---------------------------------------------------------------- RMP before release


def test_an_rmp_from_the_start_of_custody_is_not_one_prepared_for_release(
    calendar: WorkingCalendar,
) -> None:
    released = D(2007, 9, 7)
    built = licence(
        released,
        D(2007, 10, 1),
        roh=roh("high", released - 400 * DAY),
        assessments=[full_oasys("S", "start", released - 500 * DAY)],
    )
    result = finding("NS07.rmp-before-release", built, calendar)
    assert result.reason == "No risk management plan completed before release on 7 September 2007."
    on_the_day = licence(
        released,
        D(2007, 10, 1),
        roh=roh("high", released),
        assessments=[full_oasys("R", "release", released)],
    )
    same_day = finding("NS07.rmp-before-release", on_the_day, calendar)
    assert (
        same_day.reason == "Risk management plan completed on 7 September 2007, the day of release."
    )


# ---------------------------------------------------------------- wording


def test_work_done_on_the_weekend_after_a_deadline_is_late_by_calendar_days(
    calendar: WorkingCalendar,
) -> None:
    ctx = Context(D(2007, 10, 1), calendar, ParameterTable.default().resolve(D(2007, 10, 1)))
    # failure Fri 31 Aug 2007: 10 working days -> Fri 14 Sep; action on Sat 15 Sep
    verdict = deadline_check(
        ctx,
        done=D(2007, 9, 15),
        anchor=D(2007, 8, 31),
        anchor_label="the failure",
        limit="breach_action_limit",
    )
    assert verdict.outcome is Outcome.NOT_MET
    assert verdict.reason.startswith("Completed on 15 September 2007, 1 day after it was due on 14")
    assert {item.label: item.value for item in verdict.evidence}["days late"] == 1


@pytest.mark.parametrize("version", ["NS05", "NS07"])
def test_consistency_checks_in_both_versions(version: str, calendar: WorkingCalendar) -> None:
    plain = order(D(2007, 6, 1), D(2007, 10, 1))
    for check in ("full-analysis-where-screened", "mappa-level"):
        result = finding(f"{version}.{check}", plain, calendar)
        assert (result.outcome, result.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    missing = finding(f"{version}.rmp-where-not-low", plain, calendar)
    assert (missing.outcome, missing.basis) == (Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    low = order(D(2007, 6, 1), D(2007, 10, 1), roh=roh("low", D(2007, 6, 1)))
    assert finding(f"{version}.rmp-where-not-low", low, calendar).basis is Basis.OUT_OF_SCOPE
    screened = order(
        D(2007, 6, 1),
        D(2007, 10, 1),
        roh=roh("very_high", D(2007, 6, 1)),
        mappa={"levels": [{"level": 3, "on": "2007-06-05"}]},
        assessments=[full_oasys("A", "start", D(2007, 6, 5))],
    )
    for check in ("full-analysis-where-screened", "rmp-where-not-low", "mappa-level"):
        assert finding(f"{version}.{check}", screened, calendar).outcome is Outcome.MET, check
