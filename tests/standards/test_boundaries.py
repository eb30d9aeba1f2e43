"""Boundary tests for every National Standards timeliness rule.

For each rule and two trigger dates (one whose window crosses a weekend, one
whose window crosses or ends on a bank holiday): done on the due date is met,
done the day after is not met, nothing done is "not yet due" up to the due
date and not met the day after; a missing fact gives "cannot assess" and a
case outside the population "not applicable". Due dates are worked by hand in
the comments; working days skip weekends and England & Wales bank holidays,
weeks and months do not move for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Basis, Outcome
from casework.rules.parameters import Value
from tests.standards.helpers import (
    DAY,
    D,
    case,
    custody,
    due_dates,
    finding,
    full_oasys,
    iso,
    licence,
    order,
    plan_only,
    review,
    roh,
    screening_only,
)

Build = Callable[[dt.date, dt.date | None, dt.date], Case]
"""(trigger, done or None, as_of) -> a case."""

# Windows: (trigger, due). Worked by hand:
# 5 working days
WD5_2006 = {
    "weekend": (D(2006, 9, 6), D(2006, 9, 13)),  # Wed; Thu Fri, (weekend), Mon Tue Wed
    "bank holiday": (D(2006, 12, 22), D(2007, 1, 3)),  # Fri; 25+26 Dec and 1 Jan skipped
}
WD5_2007 = {
    "weekend": (D(2007, 9, 5), D(2007, 9, 12)),
    "bank holiday": (D(2007, 12, 21), D(2008, 1, 2)),  # Fri; 25+26 Dec and 1 Jan skipped
}
# 10 working days
WD10_2006 = {
    "weekend": (D(2006, 9, 4), D(2006, 9, 18)),  # Mon; two weekends
    "bank holiday": (D(2007, 3, 29), D(2007, 4, 16)),  # Thu; Good Friday, Easter Monday
}
WD10_2007 = {
    "weekend": (D(2007, 9, 3), D(2007, 9, 17)),
    "bank holiday": (D(2008, 3, 13), D(2008, 3, 31)),  # Thu; Good Friday 21, Easter Monday 24
}
# 15 working days
WD15_2007 = {
    "weekend": (D(2007, 9, 5), D(2007, 9, 26)),  # Wed; three weekends
    "bank holiday": (D(2007, 12, 14), D(2008, 1, 9)),  # Fri; 25+26 Dec, 1 Jan
}
# 25 working days
WD25_2006 = {
    "weekend": (D(2006, 6, 19), D(2006, 7, 24)),  # Mon; five weekends
    "bank holiday": (D(2006, 12, 11), D(2007, 1, 18)),  # Mon; 25+26 Dec, 1 Jan
}
WD25_2007 = {
    "weekend": (D(2007, 6, 18), D(2007, 7, 23)),
    "bank holiday": (D(2007, 12, 10), D(2008, 1, 17)),
}
# weeks: calendar days, never moved for a weekend or bank holiday
WEEKS16_2006 = {
    "weekend": (D(2006, 10, 6), D(2007, 1, 26)),  # Fri + 112 days = Fri; Sat is late
    "bank holiday": (D(2006, 12, 18), D(2007, 4, 9)),  # due on Easter Monday itself
}
WEEKS8_2006 = {
    "weekend": (D(2006, 2, 27), D(2006, 4, 24)),  # Mon + 56 days
    "bank holiday": (D(2006, 2, 20), D(2006, 4, 17)),  # due on Easter Monday itself
}
WEEKS8_2007 = {
    "weekend": (D(2007, 9, 7), D(2007, 11, 2)),  # Fri + 56 days = Fri; Sat is late
    "bank holiday": (D(2008, 1, 28), D(2008, 3, 24)),  # due on Easter Monday itself
}
# months: calendar months, never moved
MONTHS4_2007 = {
    "weekend": (D(2007, 10, 2), D(2008, 2, 2)),  # due on a Saturday
    "bank holiday": (D(2008, 4, 25), D(2008, 8, 25)),  # due on the late summer bank holiday
}
MONTHS12_2007 = {
    "weekend": (D(2007, 2, 2), D(2008, 2, 2)),  # due on a Saturday
    "bank holiday": (D(2008, 4, 10), D(2009, 4, 10)),  # due on Good Friday
}
# calendar days (a supplied 14-day appointment gap)
DAYS14_2007 = {
    "weekend": (D(2007, 10, 5), D(2007, 10, 19)),  # Fri; Sat is late
    "bank holiday": (D(2008, 3, 10), D(2008, 3, 24)),  # due on Easter Monday itself
}
# the day of release itself (before release)
RELEASE_2007 = {
    "weekend": (D(2007, 9, 7), D(2007, 9, 7)),  # Fri release; Sat is late
    "bank holiday": (D(2008, 3, 20), D(2008, 3, 20)),  # Thu release; Good Friday is late
}


@dataclass(frozen=True)
class Spec:
    rule: str
    build: Build
    windows: Mapping[str, tuple[dt.date, dt.date]]
    out_of_scope: Build | None
    cannot_assess: Build | None = None
    no_cannot_assess: str = ""
    no_out_of_scope: str = ""
    params: Mapping[str, Value] = field(default_factory=dict)
    not_yet_due: bool = True


def _opt(done: dt.date | None, make: Callable[[dt.date], Any]) -> list[Any]:
    return [make(done)] if done is not None else []


# ---------------------------------------------------------------- builders


def _oasys_case(*, tier: int = 2, level: str = "medium", ppo: bool = False) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        facts: dict[str, Any] = {
            "tiers": [{"tier": tier, "on": iso(trigger)}],
            "roh": roh(level, trigger),
            "assessments": _opt(done, lambda d: full_oasys("A", "start", d)),
        }
        if ppo:
            facts["offender"] = {"ppo": [{"start": iso(trigger - 30 * DAY)}]}
        return order(trigger, as_of, **facts)

    return build


def _no_roh(build: Build) -> Build:
    def without(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        return build(trigger, done, as_of).model_copy(update={"roh": ()})

    return without


def _rmp_release(level: str = "high") -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        return licence(
            trigger,
            as_of,
            roh=roh(level, trigger),
            assessments=_opt(
                done, lambda d: {"id": "R", "purpose": "release", "rmp": {"completed_on": iso(d)}}
            ),
        )

    return build


def _roh_cycle_2005(level: str = "high") -> Build:
    # the initial RoH assessment on the trigger date, sentence three days before
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        return order(
            trigger - 3 * DAY,
            as_of,
            roh=roh(level, trigger),
            assessments=[
                screening_only("A", "start", trigger),
                *_opt(done, lambda d: review("R1", d, reviews="A", screening=True)),
            ],
        )

    return build


def _plan_cycle(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    return order(
        trigger - 3 * DAY,
        as_of,
        assessments=[
            plan_only("A", "start", trigger),
            *_opt(done, lambda d: review("R1", d, reviews="A", sentence_plan=True)),
        ],
    )


def _event(level: str = "high", *, with_event: bool = True) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        return order(
            trigger - 60 * DAY,
            as_of,
            roh=roh(level, trigger - 60 * DAY),
            events=[{"on": iso(trigger), "kind": "significant_incident"}] if with_event else [],
            assessments=_opt(
                done, lambda d: review("R1", d, trigger="significant_incident", rmp=True)
            ),
        )

    return build


def _breach(field_name: str, *, with_breach: bool = True) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        breach: dict[str, str] = {"failed_on": iso(trigger)}
        if done is not None:
            breach[field_name] = iso(done)
        return order(trigger - 90 * DAY, as_of, breaches=[breach] if with_breach else [])

    return build


def _victim(*, months: int = 18, statutory: bool = True) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        victim: dict[str, Any] = {"id": "V1", "statutory": statutory}
        if done is not None:
            victim["contact_offered_on"] = iso(done)
        sentence = {
            "kind": "custody",
            "sentenced_on": trigger,
            "custodial_months": months,
            "offence_category": "serious_violent",
        }
        return case(as_of, sentence, victims=[victim])

    return build


def _psr(*, agreed: bool = True, with_psr: bool = True) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        psr: dict[str, str] = {"kind": "standard_delivery", "requested_on": iso(trigger - 15 * DAY)}
        if agreed:
            psr["due_on"] = iso(trigger)
        if done is not None:
            psr["delivered_on"] = iso(done)
        return order(trigger, as_of, **({"psr": psr} if with_psr else {}))

    return build


def _first_review(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    return order(trigger, as_of, assessments=_opt(done, lambda d: review("R1", d, screening=True)))


def _release_review(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    return licence(
        trigger, as_of, assessments=_opt(done, lambda d: review("R1", d, screening=True))
    )


def _interval_2007(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    # first review on the trigger date; the next is due four months later
    return order(
        trigger - 90 * DAY,
        as_of,
        assessments=[
            review("R1", trigger, screening=True),
            *_opt(done, lambda d: review("R2", d, reviews="R1", screening=True)),
        ],
    )


def _custody_review(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    return custody(trigger, as_of, assessments=_opt(done, lambda d: review("R1", d, rmp=True)))


def _pre_release(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    return licence(
        trigger,
        as_of,
        assessments=_opt(done, lambda d: review("P", d, trigger="pre_release", screening=True)),
    )


def _transfer(field_name: str, *, with_transfer: bool = True) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        transfer: dict[str, str] = {"notified_on": iso(trigger)}
        if done is not None:
            transfer[field_name] = iso(done)
        facts = {"transfer_in": transfer} if with_transfer else {}
        return order(trigger - 60 * DAY, as_of, **facts)

    return build


def _transfer_rmp(level: str = "high", *, contact: bool = True) -> Build:
    # notified two days before first contact (the trigger)
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        transfer = {"notified_on": iso(trigger - 2 * DAY)}
        if contact:
            transfer["first_contact_on"] = iso(trigger)
        return order(
            trigger - 60 * DAY,
            as_of,
            roh=roh(level, trigger - 60 * DAY),
            transfer_in=transfer,
            assessments=_opt(done, lambda d: review("T", d, trigger="transfer", rmp=True)),
        )

    return build


def _home_visit(level: str = "high") -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        return order(
            trigger,
            as_of,
            roh=roh(level, trigger),
            home_visits=_opt(done, lambda d: {"on": iso(d), "purpose": "risk_of_harm"}),
        )

    return build


def _allocation(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    return order(
        trigger,
        as_of,
        om_assignments=_opt(done, lambda d: {"staff": "S1", "role": "po", "start": iso(d)}),
    )


def _induction(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
    return order(trigger, as_of, inductions=_opt(done, lambda d: {"on": iso(d)}))


def _appointments(*, upw_only: bool = False) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        sentence: dict[str, Any] = {"kind": "community_order", "sentenced_on": trigger}
        if upw_only:
            sentence["requirements"] = [{"kind": "unpaid_work", "hours": 100}]
        return case(
            as_of, sentence, contacts=_opt(done, lambda d: {"on": iso(d), "kind": "office"})
        )

    return build


def _upw(*, with_upw: bool = True) -> Build:
    def build(trigger: dt.date, done: dt.date | None, as_of: dt.date) -> Case:
        requirement = {"kind": "unpaid_work", "hours": 100, "commenced_on": iso(trigger)}
        sentence = {
            "kind": "community_order",
            "sentenced_on": trigger - 10 * DAY,
            "requirements": [requirement] if with_upw else [{"kind": "supervision"}],
        }
        return case(
            as_of,
            sentence,
            contacts=_opt(done, lambda d: {"on": iso(d), "kind": "unpaid_work_session"}),
        )

    return build


def _community(trigger: dt.date, _done: dt.date | None, as_of: dt.date) -> Case:
    return order(trigger, as_of)


def _licence(trigger: dt.date, _done: dt.date | None, as_of: dt.date) -> Case:
    return licence(trigger, as_of)


def _custody(trigger: dt.date, _done: dt.date | None, as_of: dt.date) -> Case:
    return custody(trigger, as_of)


NO_MISSING_PPO = "PPO status is a list of periods: none recorded means not a PPO"
NO_MISSING_START = "every case records its sentence (and a licence its release)"
NO_MISSING_UNIT = "a breach always records its failure to comply; a transfer its notification"

SPECS = [
    # ------------------------------------------------------------ 2005
    Spec(
        "NS05.oasys-high-roh",
        _oasys_case(level="high"),
        WD5_2006,
        _oasys_case(level="medium"),
        _no_roh(_oasys_case(level="high")),
    ),
    Spec(
        "NS05.oasys-ppo",
        _oasys_case(ppo=True),
        WD5_2006,
        _oasys_case(ppo=False),
        no_cannot_assess=NO_MISSING_PPO,
    ),
    Spec(
        "NS05.rmp-release-high-roh",
        _rmp_release("high"),
        WD5_2006,
        _rmp_release("medium"),
        _no_roh(_rmp_release("high")),
    ),
    Spec(
        "NS05.roh-review-interval",
        _roh_cycle_2005("high"),
        WEEKS16_2006,
        _roh_cycle_2005("medium"),
        _no_roh(_roh_cycle_2005("high")),
    ),
    Spec(
        "NS05.roh-review-event",
        _event("high"),
        WD5_2006,
        _event("high", with_event=False),
        _no_roh(_event("high")),
        params={"roh_review_event_limit": 5},
    ),
    Spec(
        "NS05.plan-review-interval",
        _plan_cycle,
        WEEKS16_2006,
        _custody,
        no_cannot_assess="without an initial plan the cycle counts from the start",
    ),
    Spec(
        "NS05.breach-action",
        _breach("action_on"),
        WD10_2006,
        _breach("action_on", with_breach=False),
        no_cannot_assess=NO_MISSING_UNIT,
    ),
    Spec(
        "NS05.breach-resolution",
        _breach("resolved_on"),
        WD25_2006,
        _breach("resolved_on", with_breach=False),
        no_cannot_assess=NO_MISSING_UNIT,
    ),
    Spec(
        "NS05.victim-contact",
        _victim(),
        WEEKS8_2006,
        _victim(statutory=False),
        _victim(months=6),
    ),
    Spec(
        "NS05.psr-delivery",
        _psr(),
        {
            "weekend": (D(2006, 9, 8), D(2006, 9, 8)),  # agreed Fri; Sat is late
            "bank holiday": (D(2006, 12, 22), D(2006, 12, 22)),  # agreed Fri; Christmas after
        },
        _psr(with_psr=False),
        _psr(agreed=False),
    ),
    # ------------------------------------------------------------ 2007
    Spec(
        "NS07.oasys-ppo",
        _oasys_case(ppo=True),
        WD5_2007,
        _oasys_case(ppo=False),
        no_cannot_assess=NO_MISSING_PPO,
    ),
    Spec(
        "NS07.oasys-tier4",
        _oasys_case(tier=4),
        WD5_2007,
        _oasys_case(tier=2),
        lambda t, d, a: _oasys_case(tier=4)(t, d, a).model_copy(update={"tiers": ()}),
    ),
    Spec(
        "NS07.oasys-tier1-3",
        _oasys_case(tier=3),
        WD15_2007,
        _oasys_case(tier=4),
        lambda t, d, a: _oasys_case(tier=3)(t, d, a).model_copy(update={"tiers": ()}),
    ),
    Spec(
        "NS07.rmp-release-high-roh",
        _rmp_release("high"),
        WD5_2007,
        _rmp_release("medium"),
        _no_roh(_rmp_release("high")),
    ),
    Spec(
        "NS07.rmp-before-release",
        _rmp_release("medium"),
        RELEASE_2007,
        _rmp_release("low"),
        _no_roh(_rmp_release("medium")),
        not_yet_due=False,
    ),
    Spec(
        "NS07.roh-review-first",
        _first_review,
        MONTHS4_2007,
        _licence,
        no_cannot_assess=NO_MISSING_START,
    ),
    Spec(
        "NS07.roh-review-release",
        _release_review,
        MONTHS4_2007,
        _community,
        no_cannot_assess=NO_MISSING_START,
    ),
    Spec(
        "NS07.roh-review-interval",
        _interval_2007,
        MONTHS4_2007,
        _custody,
        no_cannot_assess=NO_MISSING_START,
    ),
    Spec(
        "NS07.roh-review-custody",
        _custody_review,
        MONTHS12_2007,
        _community,
        no_cannot_assess=NO_MISSING_START,
    ),
    Spec(
        "NS07.roh-review-pre-release",
        _pre_release,
        RELEASE_2007,
        _custody,
        no_cannot_assess=NO_MISSING_START,
        not_yet_due=False,
    ),
    Spec(
        "NS07.roh-review-event",
        _event("low"),
        WD5_2007,
        _event("low", with_event=False),
        no_cannot_assess="an event always records its date",
        params={"roh_review_event_limit": 5},
    ),
    Spec(
        "NS07.plan-review-interval",
        _plan_cycle,
        MONTHS4_2007,
        _custody,
        no_cannot_assess="without an initial plan the cycle counts from the start",
        params={"plan_review_interval_months": 4},
    ),
    Spec(
        "NS07.breach-action",
        _breach("action_on"),
        WD10_2007,
        _breach("action_on", with_breach=False),
        no_cannot_assess=NO_MISSING_UNIT,
    ),
    Spec(
        "NS07.breach-resolution",
        _breach("resolved_on"),
        WD25_2007,
        _breach("resolved_on", with_breach=False),
        no_cannot_assess=NO_MISSING_UNIT,
    ),
    Spec(
        "NS07.victim-contact",
        _victim(),
        WEEKS8_2007,
        _victim(statutory=False),
        _victim(months=6),
    ),
    Spec(
        "NS07.psr-delivery",
        _psr(),
        {
            "weekend": (D(2007, 9, 7), D(2007, 9, 7)),  # agreed Fri; Sat is late
            "bank holiday": (D(2008, 3, 20), D(2008, 3, 20)),  # agreed Thu; Good Friday is late
        },
        _psr(with_psr=False),
        _psr(agreed=False),
    ),
    Spec(
        "NS07.transfer-first-appointment",
        _transfer("first_appointment_on"),
        WD5_2007,
        _transfer("first_appointment_on", with_transfer=False),
        no_cannot_assess=NO_MISSING_UNIT,
    ),
    Spec(
        "NS07.transfer-home-visit",
        _transfer("home_visit_on"),
        WD10_2007,
        _transfer("home_visit_on", with_transfer=False),
        no_cannot_assess=NO_MISSING_UNIT,
    ),
    Spec(
        "NS07.transfer-rmp-review",
        _transfer_rmp("high"),
        WD5_2007,
        _transfer_rmp("medium"),
        _transfer_rmp("high", contact=False),
    ),
    Spec(
        "NS07.home-visit-high-roh",
        _home_visit("high"),
        WD10_2007,
        _home_visit("medium"),
        _no_roh(_home_visit("high")),
    ),
    Spec(
        "NS07.allocation",
        _allocation,
        WD5_2007,
        _licence,
        no_cannot_assess=NO_MISSING_START,
        params={"allocation_limit": 5},
    ),
    Spec(
        "NS07.induction",
        _induction,
        WD5_2007,
        None,
        no_cannot_assess=NO_MISSING_START,
        no_out_of_scope="every case is offered an induction, custody cases too (004:556)",
        params={"induction_limit": 5},
    ),
    Spec(
        "NS07.appointment-frequency",
        _appointments(),
        DAYS14_2007,
        _appointments(upw_only=True),
        no_cannot_assess=NO_MISSING_START,
        params={"appointment_interval_limit": 14},
    ),
    Spec(
        "NS07.upw-frequency",
        _upw(),
        DAYS14_2007,
        _upw(with_upw=False),
        no_cannot_assess=NO_MISSING_START,
        params={"upw_session_interval_limit": 14},
    ),
]

WINDOWS = [
    pytest.param(spec, name, id=f"{spec.rule}-{name}") for spec in SPECS for name in spec.windows
]


def _result(spec: Spec, calendar: WorkingCalendar, built: Case, as_of: dt.date) -> Any:
    return finding(spec.rule, built, calendar, as_of=as_of, params=spec.params)


@pytest.mark.parametrize(("spec", "window"), WINDOWS)
def test_done_on_the_due_date_is_met(spec: Spec, window: str, calendar: WorkingCalendar) -> None:
    trigger, due = spec.windows[window]
    as_of = due + 7 * DAY
    result = _result(spec, calendar, spec.build(trigger, due, as_of), as_of)
    assert (result.outcome, result.basis) == (Outcome.MET, Basis.COMPUTED), result.reason
    assert due in due_dates(result)


@pytest.mark.parametrize(("spec", "window"), WINDOWS)
def test_done_the_day_after_the_due_date_is_not_met(
    spec: Spec, window: str, calendar: WorkingCalendar
) -> None:
    trigger, due = spec.windows[window]
    as_of = due + 7 * DAY
    result = _result(spec, calendar, spec.build(trigger, due + DAY, as_of), as_of)
    assert (result.outcome, result.basis) == (Outcome.NOT_MET, Basis.COMPUTED), result.reason
    assert due in due_dates(result)


@pytest.mark.parametrize(("spec", "window"), [p for p in WINDOWS if p.values[0].not_yet_due])
def test_nothing_done_is_not_yet_due_until_the_due_date_passes(
    spec: Spec, window: str, calendar: WorkingCalendar
) -> None:
    trigger, due = spec.windows[window]
    pending = _result(spec, calendar, spec.build(trigger, None, due), due)
    assert (pending.outcome, pending.basis) == (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)
    assert pending.reason.count("Not yet due") >= 1
    overdue = _result(spec, calendar, spec.build(trigger, None, due + DAY), due + DAY)
    assert (overdue.outcome, overdue.basis) == (Outcome.NOT_MET, Basis.COMPUTED), overdue.reason


@pytest.mark.parametrize("spec", [s for s in SPECS if not s.not_yet_due], ids=lambda s: s.rule)
def test_nothing_done_by_release_is_not_met_at_once(spec: Spec, calendar: WorkingCalendar) -> None:
    trigger, due = spec.windows["weekend"]
    result = _result(spec, calendar, spec.build(trigger, None, due), due)
    assert (result.outcome, result.basis) == (Outcome.NOT_MET, Basis.COMPUTED)


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if s.cannot_assess is not None], ids=lambda s: s.rule
)
def test_a_missing_or_contradictory_fact_cannot_be_assessed(
    spec: Spec, calendar: WorkingCalendar
) -> None:
    assert spec.cannot_assess is not None
    trigger, due = spec.windows["weekend"]
    as_of = due + 7 * DAY
    result = _result(spec, calendar, spec.cannot_assess(trigger, due, as_of), as_of)
    assert result.outcome is Outcome.CANNOT_ASSESS
    assert result.basis in {Basis.MISSING_DATA, Basis.CONTRADICTORY}
    assert result.reason.startswith("Cannot assess: ")


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if s.out_of_scope is not None], ids=lambda s: s.rule
)
def test_a_case_outside_the_population_is_not_applicable(
    spec: Spec, calendar: WorkingCalendar
) -> None:
    assert spec.out_of_scope is not None
    trigger, due = spec.windows["weekend"]
    as_of = due + 7 * DAY
    result = _result(spec, calendar, spec.out_of_scope(trigger, due, as_of), as_of)
    assert (result.outcome, result.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert result.reason.startswith("Not applicable: ")


def test_every_rule_without_a_missing_fact_or_out_of_scope_case_says_why() -> None:
    for spec in SPECS:
        assert (spec.cannot_assess is None) == bool(spec.no_cannot_assess), spec.rule
        assert (spec.out_of_scope is None) == bool(spec.no_out_of_scope), spec.rule
