"""Time-correct findings (issue 11), each against a hand-computed expectation on real
England and Wales dates (Good Friday 6 April and Easter Monday 9 April 2007)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from casework import WorkingCalendar
from casework.model import Case, SentenceKind
from casework.model.timeline import NotBegunError
from casework.rules import Basis, Findings, Outcome, evaluate, ruleset_in_force
from casework.rules.engine import UnknownFindingError
from casework.testing import make_case, oasys, review

D = dt.date


def run(
    case: Case, name: str, as_of: dt.date, calendar: WorkingCalendar, **options: Any
) -> Findings:
    return evaluate(case, name, as_of=as_of, calendar=calendar, options=options or None)


# ------------------------------------------------------------ across the change


def straddling() -> Case:
    """High RoH order sentenced 1 Feb 2007, OASys 1 March, reviews 20 June and 15 October."""
    return make_case(
        as_of="2007-11-01",
        sentence={"sentenced_on": "2007-02-01"},
        tiers=[{"tier": 2, "on": "2007-02-01"}],
        roh=[{"level": "high", "on": "2007-02-01"}],
        assessments=[
            oasys("2007-03-01", id="A1"),
            review("A1", "2007-06-20", id="R1"),
            review("A1", "2007-10-15", id="R2"),
        ],
    )


def test_a_cycle_straddling_the_change_is_read_by_the_day_its_clock_started(
    calendar: WorkingCalendar,
) -> None:
    # 20 June 2007 + 16 weeks (112 days) = 10 October: 15 October is 5 days late.
    for name in ("national-standards-2005", "national-standards"):
        got = run(straddling(), name, D(2007, 11, 1), calendar).get(
            "T-0001", "NS05.roh-review-interval"
        )
        assert got.outcome is Outcome.NOT_MET, got.reason
        assert (got.trigger, got.due, got.done) == (
            D(2007, 6, 20),
            D(2007, 10, 10),
            D(2007, 10, 15),
        )
        assert (got.late_by, got.late_unit) == (5, "days")
        assert got.trigger_label == "the previous RoH review"
    # The 2007 set leaves that interval to the 2005 standard; the next runs 4 months from
    # 15 October: due 15 February 2008, not yet due on 1 November 2007.
    for name in ("national-standards-2007", "national-standards"):
        got = run(straddling(), name, D(2007, 11, 1), calendar).get(
            "T-0001", "NS07.roh-review-interval"
        )
        assert (got.outcome, got.basis) == (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)
        assert (got.trigger, got.due) == (D(2007, 10, 15), D(2008, 2, 15))
    combined = run(straddling(), "national-standards", D(2007, 11, 1), calendar)
    assert combined.get("T-0001", "NS05.roh-review-interval").standard == "2005"
    assert combined.get("T-0001", "NS07.roh-review-interval").standard == "2007"


def test_the_other_reading_puts_the_straddling_cycle_under_the_standard_it_fell_due_in(
    calendar: WorkingCalendar,
) -> None:
    # By due date: the 2005 due date (10 October) is after the change, the 2007 one
    # (20 June + 4 months = 20 October) under it: met under 2007.
    findings = run(straddling(), "national-standards", D(2007, 11, 1), calendar, in_force_by="due")
    ns07 = findings.get("T-0001", "NS07.roh-review-interval")
    assert ns07.outcome is Outcome.MET, ns07.reason
    assert (ns07.trigger, ns07.due, ns07.done, ns07.late_by) == (
        D(2007, 6, 20),
        D(2007, 10, 20),
        D(2007, 10, 15),
        None,
    )
    # 1 March + 16 weeks = 21 June: the first interval is the 2005 standard's, on time.
    ns05 = findings.get("T-0001", "NS05.roh-review-interval")
    assert ns05.outcome is Outcome.MET, ns05.reason
    assert (ns05.trigger, ns05.due, ns05.done) == (D(2007, 3, 1), D(2007, 6, 21), D(2007, 6, 20))


def test_an_unknown_reading_is_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="in_force_by"):
        run(straddling(), "national-standards", D(2007, 11, 1), calendar, in_force_by="end")


def test_no_2007_deadline_for_an_order_sentenced_before_the_2007_standards(
    calendar: WorkingCalendar,
) -> None:
    case = make_case(
        as_of="2007-12-01",
        sentence={"sentenced_on": "2007-03-01"},
        tiers=[{"tier": 2, "on": "2007-03-01"}],
        roh=[{"level": "low", "on": "2007-03-01"}],
    )
    chosen = ruleset_in_force(D(2007, 12, 1))
    assert chosen.name == "national-standards-2007"
    findings = evaluate(case, chosen, as_of=D(2007, 12, 1), calendar=calendar)
    first = findings.get("T-0001", "NS07.roh-review-first")
    assert (first.outcome, first.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert (first.trigger, first.due) == (D(2007, 3, 1), None)
    assert "1 March 2007" in first.reason
    assert "30 September 2007" in first.reason
    assert "1 July 2007" not in first.reason
    interval = findings.get("T-0001", "NS07.roh-review-interval")
    assert interval.outcome is Outcome.NOT_APPLICABLE
    assert "not in force" in interval.reason


def test_the_2005_set_runs_no_16_week_interval_into_2008(calendar: WorkingCalendar) -> None:
    case = make_case(
        as_of="2008-06-02",
        sentence={"sentenced_on": "2007-10-01"},
        roh=[{"level": "high", "on": "2007-10-01"}],
        assessments=[oasys("2007-10-05", id="A1")],
    )
    got = run(case, "national-standards-2005", D(2008, 6, 2), calendar).get(
        "T-0001", "NS05.roh-review-interval"
    )
    assert (got.outcome, got.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert "5 October 2007" in got.reason


# ------------------------------------------------------------ facts as known on as_of


def late_oasys() -> Case:
    """Tier 4 order sentenced Monday 2 April 2007: 5 working days over Easter, due 11 April.

    Read on 30 April; OASys completed late on 20 April."""
    return make_case(
        as_of="2007-04-30",
        sentence={"sentenced_on": "2007-04-02"},
        tiers=[{"tier": 4, "on": "2007-04-02"}],
        assessments=[oasys("2007-04-20")],
    )


def test_an_earlier_as_of_does_not_read_the_future(calendar: WorkingCalendar) -> None:
    early = run(late_oasys(), "national-standards-2007", D(2007, 4, 5), calendar)
    got = early.get("T-0001", "NS07.oasys-tier4")
    assert (got.outcome, got.basis) == (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)
    assert (got.due, got.done) == (D(2007, 4, 11), None)
    assert "20 April" not in got.reason
    assert early == run(
        late_oasys().as_at(D(2007, 4, 5)), "national-standards-2007", D(2007, 4, 5), calendar
    )
    # 12 April: overdue by one working day, still not knowing about 20 April.
    got = run(late_oasys(), "national-standards-2007", D(2007, 4, 12), calendar).get(
        "T-0001", "NS07.oasys-tier4"
    )
    assert (got.outcome, got.done, got.late_by, got.late_unit) == (
        Outcome.NOT_MET,
        None,
        1,
        "working days",
    )
    # On the record's own date: done on 20 April, 7 working days late (12-13, 16-20 April).
    got = run(late_oasys(), "national-standards-2007", D(2007, 4, 30), calendar).get(
        "T-0001", "NS07.oasys-tier4"
    )
    assert (got.outcome, got.done, got.late_by, got.late_unit) == (
        Outcome.NOT_MET,
        D(2007, 4, 20),
        7,
        "working days",
    )


def high_roh_order(as_of: str) -> Case:
    """High RoH order sentenced Monday 19 March 2007: 5 working days, due 26 March."""
    return make_case(
        as_of=as_of,
        sentence={"sentenced_on": "2007-03-19"},
        tiers=[{"tier": 2, "on": "2007-03-19"}],
        roh=[{"level": "high", "on": "2007-03-19"}],
    )


def test_a_deadline_after_the_record_ends_cannot_be_assessed(calendar: WorkingCalendar) -> None:
    got = run(
        high_roh_order("2007-03-25"), "national-standards-2005", D(2007, 4, 15), calendar
    ).get("T-0001", "NS05.oasys-high-roh")
    assert (got.outcome, got.basis) == (Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    assert got.due == D(2007, 3, 26)
    assert "25 March 2007" in got.reason
    assert "15 April" not in got.reason.split("but")[0]


def test_a_deadline_inside_the_record_is_not_met_counted_to_the_record(
    calendar: WorkingCalendar,
) -> None:
    got = run(
        high_roh_order("2007-03-28"), "national-standards-2005", D(2007, 4, 15), calendar
    ).get("T-0001", "NS05.oasys-high-roh")
    assert got.outcome is Outcome.NOT_MET
    assert (got.due, got.late_by, got.late_unit) == (D(2007, 3, 26), 2, "working days")
    assert "by 28 March 2007" in got.reason


def test_as_at_drops_every_later_fact() -> None:
    case = make_case(
        as_of="2007-11-01",
        sentence={"kind": "licence", "sentenced_on": "2007-01-10", "released_on": "2007-06-04"},
        roh=[{"level": "medium", "on": "2007-01-10"}, {"level": "high", "on": "2007-09-01"}],
        assessments=[
            oasys("2007-05-30", id="A1", purpose="release", dates={"sentence_plan": "2007-06-12"}),
            review("A1", "2007-09-20", id="R1"),
        ],
    )
    before = case.as_at(D(2007, 6, 1))
    assert before.as_of == D(2007, 6, 1)
    assert before.sentence.kind is SentenceKind.CUSTODY
    assert before.sentence.released_on is None
    assert [r.level.value for r in before.roh] == ["medium"]
    (only,) = before.assessments
    assert only.id == "A1"
    assert only.sentence_plan is None
    assert only.completed_on == D(2007, 5, 30)
    assert case.as_at(D(2007, 11, 1)) is case
    with pytest.raises(NotBegunError):
        case.as_at(D(2007, 1, 9))
    with pytest.raises(ValueError, match="only up to"):
        case.as_at(D(2007, 11, 2))


def test_a_case_sentenced_after_as_of_has_nothing_applicable(calendar: WorkingCalendar) -> None:
    findings = run(late_oasys(), "national-standards", D(2007, 3, 30), calendar)
    assert {f.outcome for f in findings} == {Outcome.NOT_APPLICABLE}
    assert all("after the assessment date" in f.reason for f in findings)


# ------------------------------------------------------------ windows


def medium_order(**facts: Any) -> Case:
    """Medium RoH order sentenced Friday 1 June 2007 (2005 standards): RMP due 8 June."""
    return make_case(
        as_of="2007-06-20",
        sentence={"sentenced_on": "2007-06-01"},
        roh=[{"level": "medium", "on": "2007-06-01"}],
        **facts,
    )


def test_rmp_where_not_low_waits_for_its_five_working_days(calendar: WorkingCalendar) -> None:
    early = run(medium_order(), "national-standards-2005", D(2007, 6, 7), calendar).get(
        "T-0001", "NS05.rmp-where-not-low"
    )
    assert (early.outcome, early.basis) == (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)
    assert early.due == D(2007, 6, 8)
    late = run(medium_order(), "national-standards-2005", D(2007, 6, 11), calendar).get(
        "T-0001", "NS05.rmp-where-not-low"
    )
    assert late.outcome is Outcome.NOT_MET
    assert late.due == D(2007, 6, 8)


def screened() -> Case:
    """Tier 2 order sentenced Monday 1 October 2007; a screening on 2 October calls for a full
    analysis, none done: 15 working days from the screening, due 23 October."""
    return make_case(
        as_of="2007-10-30",
        sentence={"sentenced_on": "2007-10-01"},
        tiers=[{"tier": 2, "on": "2007-10-01"}],
        assessments=[oasys("2007-10-02", missing=["full_analysis"], full_analysis_required=True)],
    )


def test_full_analysis_where_screened_waits_for_its_fifteen_working_days(
    calendar: WorkingCalendar,
) -> None:
    inside = run(screened(), "national-standards-2007", D(2007, 10, 14), calendar).get(
        "T-0001", "NS07.full-analysis-where-screened"
    )
    assert (inside.outcome, inside.basis) == (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)
    assert (inside.trigger, inside.due) == (D(2007, 10, 2), D(2007, 10, 23))
    after = run(screened(), "national-standards-2007", D(2007, 10, 24), calendar).get(
        "T-0001", "NS07.full-analysis-where-screened"
    )
    assert after.outcome is Outcome.NOT_MET


# ------------------------------------------------------------ lookups


def test_where_and_get_take_the_field_names_and_say_what_is_unknown(
    calendar: WorkingCalendar,
) -> None:
    findings = run(straddling(), "national-standards", D(2007, 11, 1), calendar)
    by_field = findings.where(case_ref="T-0001", rule_id="NS05.roh-review-interval")
    assert by_field == findings.where(case="T-0001", rule="NS05.roh-review-interval")
    assert len(by_field) == 1
    assert findings.get(case_ref="T-0001", rule_id="NS05.roh-review-interval") == by_field[0]
    with pytest.raises(LookupError, match="no case 'T-9999'"):
        findings.where(case_ref="T-9999")
    with pytest.raises(UnknownFindingError, match=r"no rule 'NS09\.nothing'"):
        findings.get("T-0001", "NS09.nothing")


def test_a_review_that_only_re_scores_is_an_roh_review(calendar: WorkingCalendar) -> None:
    # 002:879: RoH reviews measured by OASys "reviewed and re-scored". Initial OASys
    # 1 March 2007 + 16 weeks = 21 June; a re-score on 20 June is on time.
    case = make_case(
        as_of="2007-07-02",
        sentence={"sentenced_on": "2007-02-01"},
        tiers=[{"tier": 2, "on": "2007-02-01"}],
        roh=[{"level": "high", "on": "2007-02-01"}],
        assessments=[
            oasys("2007-03-01", id="A1"),
            {
                "id": "R1",
                "purpose": "review",
                "trigger": "scheduled",
                "reviews": "A1",
                "completed_on": "2007-06-20",
            },
        ],
    )
    got = run(case, "national-standards-2005", D(2007, 7, 2), calendar).get(
        "T-0001", "NS05.roh-review-interval"
    )
    assert got.outcome is Outcome.MET, got.reason
    assert (got.due, got.done) == (D(2007, 6, 21), D(2007, 6, 20))
    plan = run(case, "national-standards-2005", D(2007, 7, 2), calendar).get(
        "T-0001", "NS05.plan-review-interval"
    )
    assert plan.outcome is Outcome.NOT_MET  # a re-score is not a sentence plan review


def test_the_deadline_is_in_every_output(calendar: WorkingCalendar) -> None:
    import csv
    import io

    from casework.report import findings_report
    from casework.report.dataframe import findings_frame

    findings = run(late_oasys(), "national-standards-2007", D(2007, 4, 30), calendar).where(
        rule_id="NS07.oasys-tier4"
    )
    (record,) = findings.to_records()
    assert {k: record[k] for k in ("trigger", "due", "done", "late_by", "late_unit")} == {
        "trigger": "2007-04-02",
        "due": "2007-04-11",
        "done": "2007-04-20",
        "late_by": 7,
        "late_unit": "working days",
    }
    report = findings_report(findings)
    (row,) = csv.DictReader(io.StringIO(report.render("csv")))
    assert (row["trigger_label"], row["due"], row["done"], row["late_by"]) == (
        "sentence",
        "2007-04-11",
        "2007-04-20",
        "7",
    )
    assert "7 working days" in report.render("text")
    frame = findings_frame(findings)
    assert str(frame["due"].iloc[0].date()) == "2007-04-11"
    assert int(frame["late_by"].iloc[0]) == 7
