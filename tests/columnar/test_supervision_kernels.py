"""The supervision, consistency and RMP kernels agree with their scalar rules, case by case.

Hand-picked edge cases (bank holidays, weekends, as_of on the due day, records
ending before the due date, missing dates and parameters) and generated cases,
with the timescales the sources leave unstated supplied as in ``bench/`` and left
unset (cannot assess: no parameter).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.columnar import KERNELS, LATE_UNITS, CaseColumns, from_day_number, rule_columns
from casework.columnar.core import late_codes
from casework.model import Case
from casework.rules import evaluate, ruleset
from casework.rules.ruleset import RuleSet
from casework.testing import strategies as cs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from evaluate import UNSTATED
from tests.columnar.compare import check

RULES = (
    "allocation",
    "induction",
    "psr-delivery",
    "victim-contact",
    "home-visit-high-roh",
    "transfer-first-appointment",
    "transfer-home-visit",
    "transfer-rmp-review",
    "breach-action",
    "breach-resolution",
    "rmp-release-high-roh",
    "rmp-before-release",
    "rmp-where-not-low",
    "mappa-level",
    "appointment-frequency",
    "upw-frequency",
    "full-analysis-where-screened",
)
SETS = ("national-standards-2007", "national-standards-2005")


def _rules(name: str, supplied: bool) -> RuleSet:
    rules = ruleset(name)
    if not supplied:
        return rules
    known = set(rules.parameters.names())
    return rules.with_parameters({k: v for k, v in UNSTATED.items() if k in known}, note="test")


def _mine() -> list[tuple[str, str]]:
    return [
        (name, rule.id)
        for name in SETS
        for rule in ruleset(name)
        if rule.id in KERNELS and rule.id.split(".", 1)[1] in RULES
    ]


def _check(cases: list[Case], rules: RuleSet, rule_id: str, as_of: dt.date,
           calendar: WorkingCalendar) -> list[tuple[Any, ...]]:  # fmt: skip
    """Kernel and scalar rule agree on every case; the scalar answers, for the caller."""
    answered = rule_columns(
        CaseColumns.from_cases(cases), rules, rule_id, as_of=as_of, calendar=calendar
    )
    scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar)
    outcomes, bases = answered.outcomes(), answered.bases()
    seen = []
    for row, finding in enumerate(scalar):
        expected = (
            finding.outcome,
            finding.basis,
            finding.trigger,
            finding.due,
            finding.done,
            -1 if finding.late_by is None else finding.late_by,
            finding.late_unit,
        )
        got = (
            outcomes[row],
            bases[row],
            from_day_number(answered.trigger[row]),
            from_day_number(answered.due[row]),
            from_day_number(answered.done[row]),
            int(answered.late_by[row]),
            LATE_UNITS[answered.late_unit[row]],
        )
        assert got == expected, (finding.case_ref, rule_id, finding.reason)
        seen.append(expected)
    return seen


def _case(reference: str, **parts: Any) -> Case:
    record: dict[str, Any] = {
        "reference": reference,
        "as_of": "2008-03-31",
        "sentence": {"kind": "community_order", "sentenced_on": "2007-12-18"},
        "tiers": [{"tier": 2, "on": "2007-12-18"}],
        "roh": [{"level": "high", "on": "2007-12-18"}],
    }
    record.update(parts)
    return Case.model_validate(record)


def _edge_cases() -> list[Case]:
    """Deadlines across Christmas and New Year 2007 (18 Dec + 5 working days = 27 Dec),
    weekends, the due day itself, and missing facts."""
    licence = {
        "kind": "licence",
        "sentenced_on": "2006-01-10",
        "released_on": "2007-12-21",
        "custodial_months": 24,
        "offence_category": "serious_violent",
    }
    return [
        _case("E-01", om_assignments=[{"staff": "S1", "role": "po", "start": "2007-12-27"}]),
        _case("E-02", om_assignments=[{"staff": "S1", "role": "po", "start": "2007-12-28"}]),
        # Allocated to someone who is not an offender manager only: not allocated.
        _case("E-03", om_assignments=[{"staff": "S1", "role": "vlo", "start": "2007-12-19"}]),
        # Late on the Saturday straight after a Friday due date: late by calendar days.
        _case(
            "E-04",
            sentence={"kind": "community_order", "sentenced_on": "2008-01-11"},
            om_assignments=[{"staff": "S1", "role": "pso", "start": "2008-01-19"}],
            inductions=[{"on": "2008-01-19"}],
        ),
        # A record that ends on the due date, and one that ends before it.
        _case("E-05", as_of="2007-12-27"),
        _case("E-06", as_of="2007-12-24"),
        _case(
            "E-07",
            inductions=[{"on": "2007-12-20", "full": False}, {"on": "2008-01-02"}],
            psr={
                "kind": "standard_delivery",
                "requested_on": "2007-11-01",
                "due_on": "2007-11-29",
                "delivered_on": "2007-12-01",
            },
        ),
        _case("E-08", psr={"kind": "fast_delivery", "requested_on": "2007-11-01"}),
        _case(
            "E-09",
            psr={"kind": "fast_delivery", "requested_on": "2007-11-01", "due_on": "2007-11-05"},
        ),
        _case(
            "E-10",
            sentence={**licence, "sentenced_on": "2007-10-01"},
            victims=[
                {"id": "V1", "statutory": True, "contacted_on": "2008-03-01"},
                {"id": "V2", "statutory": True, "contact_offered_on": "2008-01-20"},
                {"id": "V3", "statutory": False},
            ],
        ),
        _case("E-11", victims=[{"id": "V1", "statutory": True}]),  # not custodial
        _case(
            "E-12",
            sentence={**licence, "custodial_months": 6},
            victims=[{"id": "V1", "statutory": True}],
        ),
        _case(
            "E-13",
            sentence=licence,
            roh=[{"level": "very_high", "on": "2007-12-01"}],
            home_visits=[{"on": "2007-12-20"}, {"on": "2008-01-07"}],
        ),
        _case("E-14", roh=[], home_visits=[{"on": "2007-12-20"}]),
        _case("E-15", approved_premises=[{"arrived_on": "2007-12-27"}]),
        _case("E-16", approved_premises=[{"arrived_on": "2007-11-01", "left_on": "2007-12-17"}]),
        _case(
            "E-17",
            transfer_in={
                "notified_on": "2008-03-20",
                "first_contact_on": "2008-03-25",
                "home_visit_on": "2008-03-31",
            },
        ),
        _case(
            "E-18",
            transfer_in={"notified_on": "2008-01-04"},
            roh=[{"level": "low", "on": "2007-12-18"}, {"level": "high", "on": "2008-01-05"}],
        ),
        _case(
            "E-19",
            transfer_in={
                "notified_on": "2008-01-04",
                "first_contact_on": "2008-01-07",
                "first_appointment_on": "2008-01-14",
            },
            assessments=[
                {"id": "A1", "purpose": "start", "rmp": {"completed_on": "2008-01-03"}},
                {
                    "id": "A2",
                    "purpose": "review",
                    "trigger": "transfer",
                    "rmp": {"completed_on": "2008-01-15"},
                },
            ],
        ),
        _case("E-20", roh=[], transfer_in={"notified_on": "2008-01-04"}),
        _case(
            "E-21",
            breaches=[
                {"failed_on": "2008-02-01", "action_on": "2008-02-20"},
                {"failed_on": "2007-12-20", "action_on": "2008-01-02", "resolved_on": "2008-01-30"},
                {"failed_on": "2008-03-28"},
            ],
        ),
        _case("E-22", breaches=[{"failed_on": "2008-03-28"}, {"failed_on": "2008-03-27"}]),
        # Appointments across the 2007 standards' start, a gap too long, supervision ending
        # before the first fell due, unpaid work only, and unpaid work sessions.
        _case(
            "E-27",
            as_of="2008-02-29",
            sentence={
                "kind": "community_order",
                "sentenced_on": "2007-09-03",
                "requirements": [{"kind": "supervision", "months": 12}],
            },
            contacts=[
                {"on": d}
                for d in (
                    "2007-09-20",
                    "2007-10-08",
                    "2007-10-08",
                    "2007-10-30",
                    "2007-12-20",
                    "2008-01-02",
                )
            ],
        ),
        _case(
            "E-28",
            as_of="2008-01-31",
            sentence={
                "kind": "community_order",
                "sentenced_on": "2007-12-18",
                "termination": {"on": "2008-01-03", "reason": "revoked_breach"},
            },
        ),
        _case(
            "E-29",
            sentence={
                "kind": "community_order",
                "sentenced_on": "2007-10-01",
                "requirements": [
                    {
                        "kind": "unpaid_work",
                        "hours": 100,
                        "commenced_on": "2007-10-10",
                        "completed_on": "2008-02-01",
                    }
                ],
            },
            contacts=[
                {"on": d, "kind": "unpaid_work_session"}
                for d in ("2007-10-13", "2007-10-27", "2007-11-24", "2008-01-26")
            ],
        ),
        _case(
            "E-30",
            sentence={
                "kind": "suspended_sentence_order",
                "sentenced_on": "2007-11-01",
                "requirements": [
                    {"kind": "unpaid_work", "hours": 60},
                    {"kind": "curfew", "months": 3},
                ],
            },
            contacts=[
                {"on": "2007-11-10", "kind": "unpaid_work_session"},
                {"on": "2007-11-12", "kind": "programme_session"},
                {"on": "2007-11-20"},
            ],
        ),
        # Weekly appointments and unpaid work sessions: on time throughout.
        _case(
            "E-31",
            sentence={
                "kind": "community_order",
                "sentenced_on": "2007-12-18",
                "requirements": [
                    {"kind": "unpaid_work", "hours": 40},
                    {"kind": "supervision", "months": 6},
                ],
            },
            contacts=[
                {"on": (dt.date(2007, 12, 20) + dt.timedelta(weeks=w)).isoformat(), "kind": k}
                for w in range(14)
                for k in ("office", "unpaid_work_session")
            ],
        ),
        # Screenings calling for a full analysis: done later, exempted (countersigned or
        # not), none yet, and two screenings on one day.
        _case(
            "E-32",
            assessments=[
                {
                    "id": "A1",
                    "purpose": "start",
                    "completed_on": "2007-12-20",
                    "screening": {"completed_on": "2007-12-19", "full_analysis_required": True},
                },
                {
                    "id": "A2",
                    "purpose": "review",
                    "trigger": "scheduled",
                    "reviews": "A1",
                    "screening": {"completed_on": "2008-02-01", "full_analysis_required": True},
                    "full_analysis": {"exempted": True, "exemption_countersigned_on": "2008-02-05"},
                },
                {
                    "id": "A3",
                    "purpose": "review",
                    "trigger": "scheduled",
                    "reviews": "A1",
                    "screening": {"completed_on": "2008-02-01", "full_analysis_required": True},
                    "full_analysis": {"exempted": True},
                },
            ],
        ),
        _case(
            "E-33",
            tiers=[{"tier": 4, "on": "2007-12-18"}],
            assessments=[
                {
                    "id": "A1",
                    "purpose": "start",
                    "screening": {"completed_on": "2008-03-20", "full_analysis_required": True},
                },
            ],
        ),
        # Release assessments: an RMP on the day of release, one after it, none at all.
        _case(
            "E-23",
            sentence=licence,
            roh=[{"level": "medium", "on": "2007-12-21"}],
            assessments=[{"id": "A1", "purpose": "release", "rmp": {"completed_on": "2007-12-21"}}],
        ),
        _case(
            "E-24",
            sentence=licence,
            assessments=[{"id": "A1", "purpose": "release", "rmp": {"completed_on": "2008-01-02"}}],
        ),
        _case("E-25", sentence=licence, mappa={"levels": []}),
        _case(
            "E-26",
            roh=[{"level": "low", "on": "2007-12-18"}],
            mappa={"levels": [{"level": 2, "on": "2007-12-20"}]},
        ),
    ]


@pytest.mark.parametrize("supplied", [True, False])
@pytest.mark.parametrize(("name", "rule_id"), _mine())
def test_edge_cases_agree(calendar: WorkingCalendar, name: str, rule_id: str,
                          supplied: bool) -> None:  # fmt: skip
    cases = _edge_cases()
    for as_of in (dt.date(2007, 12, 27), dt.date(2008, 3, 31), dt.date(2009, 6, 1)):
        _check(cases, _rules(name, supplied), rule_id, as_of, calendar)


def test_edge_cases_reach_every_outcome(calendar: WorkingCalendar) -> None:
    """The hand-picked cases are not all one answer: each rule family meets them all."""
    rules = _rules("national-standards-2007", True)
    seen = set()
    for rule_id in ("NS07.allocation", "NS07.breach-action", "NS07.psr-delivery"):
        for as_of in (dt.date(2007, 12, 27), dt.date(2008, 3, 31)):
            seen |= {(o, b) for o, b, *_ in _check(_edge_cases(), rules, rule_id, as_of, calendar)}
    assert {str(o) for o, _ in seen} == {"met", "not_met", "not_applicable", "cannot_assess"}
    assert {str(b) for _, b in seen} >= {"not_yet_due", "missing_data", "out_of_scope"}


def test_late_on_the_due_day_itself_counts_working_days(calendar: WorkingCalendar) -> None:
    """As :func:`casework.rules.timing.lateness`: 0 working days when nothing has passed,
    calendar days when late on a weekend straight after the due date."""
    import numpy as np

    from casework.calendar import TimeUnit
    from casework.columnar import day_number

    due = np.asarray([day_number(dt.date(2008, 1, 11))] * 3, dtype=np.int64)
    at = np.asarray([day_number(dt.date(2008, 1, d)) for d in (11, 13, 14)], dtype=np.int64)
    count, unit = late_codes(calendar, due, at, TimeUnit.WORKING_DAYS)
    assert count.tolist() == [0, 2, 1]
    assert [LATE_UNITS[u] for u in unit] == ["working days", "days", "working days"]


@pytest.mark.parametrize("rule_id", ["NS07.appointment-frequency", "NS07.upw-frequency"])
def test_intervals_held_to_the_standard_by_due_date_agree(calendar: WorkingCalendar,
                                                          rule_id: str) -> None:  # fmt: skip
    rules = _rules("national-standards-2007", True)
    cases = _edge_cases()
    for as_of in (dt.date(2007, 10, 10), dt.date(2008, 3, 31)):
        columns = CaseColumns.from_cases(cases)
        options = {"in_force_by": "due"}
        got = rule_columns(columns, rules, rule_id, as_of=as_of, calendar=calendar,
                           options=options)  # fmt: skip
        scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar,
                          options=options)  # fmt: skip
        assert got.outcomes() == [f.outcome for f in scalar]
        assert got.bases() == [f.basis for f in scalar]
        assert [from_day_number(d) for d in got.trigger] == [f.trigger for f in scalar]
        assert [from_day_number(d) for d in got.due] == [f.due for f in scalar]


@settings(max_examples=40, deadline=None)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=8),
    pick=st.sampled_from(_mine()),
    supplied=st.booleans(),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_generated_cases_agree(cases: list[Case], pick: tuple[str, str], supplied: bool,
                               offset: int, calendar: WorkingCalendar) -> None:  # fmt: skip
    name, rule_id = pick
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    _check(cases, _rules(name, supplied), rule_id, as_of, calendar)


def test_oasys_kernel_counts_a_record_ending_on_the_due_day_in_working_days(
    calendar: WorkingCalendar,
) -> None:
    """core.lateness as timing.lateness: nothing done by a record that ends on the due
    day is late by 0 working days (not 0 calendar days)."""
    case = _case("L-01", as_of="2007-12-27", tiers=[{"tier": 4, "on": "2007-12-18"}])
    _check([case], ruleset("national-standards-2007"), "NS07.oasys-tier4",
           dt.date(2008, 3, 31), calendar)  # fmt: skip


def test_approved_premises_are_worded_from_columns_as_by_the_rule(
    calendar: WorkingCalendar,
) -> None:
    """NS07.home-visit-high-roh's population detail worded from columns, word for word the
    rule's: the first stay in the record's order from the start to the due date (here not
    the earliest), a stay that ended before the start left out."""
    cases = [
        _case("P-01", approved_premises=[
            {"arrived_on": "2007-12-27"},
            {"arrived_on": "2007-11-01", "left_on": "2007-12-20"},
        ]),
        _case("P-02", approved_premises=[
            {"arrived_on": "2007-11-01", "left_on": "2007-12-17"},
            {"arrived_on": "2007-12-20"},
        ]),
        _case("P-03", approved_premises=[{"arrived_on": "2007-11-01", "left_on": "2007-12-17"}]),
    ]  # fmt: skip
    as_of = dt.date(2008, 3, 31)
    check(cases, "national-standards-2007", as_of, calendar)
    rules = _rules("national-standards-2007", True).only(["NS07.home-visit-high-roh"])
    reasons = [finding.reason for finding in evaluate(cases, rules, as_of=as_of, calendar=calendar)]
    assert "Living in approved premises from 27 December 2007." in reasons[0]
    assert "Living in approved premises from 20 December 2007." in reasons[1]
    assert "approved premises" not in reasons[2]
