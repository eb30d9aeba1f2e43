"""Per-unit checks shared by National Standards rules and targets."""

from __future__ import annotations

import datetime as dt

from casework import WorkingCalendar
from casework.model.supervision import Breach, Psr, Victim
from casework.rules import Basis, Context, Outcome, ParameterTable
from casework.rules.engine import met, not_met, not_yet_due
from casework.rules.units import (
    breach_action,
    breach_resolution,
    combine,
    psr_delivery,
    victim_contact,
)
from casework.testing import make_case

D = dt.date


def _ctx(calendar: WorkingCalendar, as_of: dt.date) -> Context:
    return Context(as_of, calendar, ParameterTable.default().resolve(D(2007, 10, 1)))


def test_breach_action_ten_working_days_over_easter(calendar: WorkingCalendar) -> None:
    # failure Thursday 29 March 2007: 30 Mar, 2-5 Apr (5), Good Friday 6 and Easter Monday 9
    # April skipped, 10-13 Apr (9), 16 Apr (10) -> due Monday 16 April
    failed = D(2007, 3, 29)
    on_time = breach_action(
        _ctx(calendar, D(2007, 6, 1)), Breach(failed_on=failed, action_on=D(2007, 4, 16))
    )
    late = breach_action(
        _ctx(calendar, D(2007, 6, 1)), Breach(failed_on=failed, action_on=D(2007, 4, 17))
    )
    pending = breach_action(_ctx(calendar, D(2007, 4, 16)), Breach(failed_on=failed))
    assert on_time.outcome is Outcome.MET
    assert late.outcome is Outcome.NOT_MET
    assert late.reason.startswith("Breach action taken on 17 April 2007, 1 working day after")
    assert (pending.outcome, pending.basis) == (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)


def test_breach_resolution_twenty_five_working_days(calendar: WorkingCalendar) -> None:
    failed = D(2007, 6, 18)  # Monday; 19-22 Jun (4), then four full weeks (24), 23 Jul (25)
    ctx = _ctx(calendar, D(2007, 10, 1))
    assert (
        breach_resolution(ctx, Breach(failed_on=failed, resolved_on=D(2007, 7, 23))).outcome
        is Outcome.MET
    )
    assert (
        breach_resolution(ctx, Breach(failed_on=failed, resolved_on=D(2007, 7, 24))).outcome
        is Outcome.NOT_MET
    )
    unresolved = breach_resolution(ctx, Breach(failed_on=failed))
    assert unresolved.reason.startswith("Breach not resolved by 1 October 2007")


def test_victim_contact_eight_weeks(calendar: WorkingCalendar) -> None:
    case = make_case(sentence={"kind": "custody", "sentenced_on": "2007-02-12"})
    ctx = _ctx(calendar, D(2007, 10, 1))
    due = D(2007, 4, 9)  # 56 days: a bank holiday does not move a calendar-week limit
    assert victim_contact(ctx, case, Victim(id="V1", contact_offered_on=due)).outcome is Outcome.MET
    late = victim_contact(ctx, case, Victim(id="V1", contacted_on=due + dt.timedelta(days=1)))
    assert late.outcome is Outcome.NOT_MET
    assert "1 day after it was due on 9 April 2007" in late.reason


def test_psr_delivery_against_the_agreed_date(calendar: WorkingCalendar) -> None:
    ctx = _ctx(calendar, D(2007, 6, 20))
    base = {"kind": "standard_delivery", "requested_on": D(2007, 5, 11)}
    assert (
        psr_delivery(ctx, Psr(**base, due_on=D(2007, 6, 1), delivered_on=D(2007, 6, 1))).outcome
        is Outcome.MET
    )
    assert (
        psr_delivery(ctx, Psr(**base, due_on=D(2007, 6, 1), delivered_on=D(2007, 6, 4))).outcome
        is Outcome.NOT_MET
    )
    assert psr_delivery(ctx, Psr(**base, due_on=D(2007, 6, 20))).basis is Basis.NOT_YET_DUE
    assert psr_delivery(ctx, Psr(**base, due_on=D(2007, 6, 19))).outcome is Outcome.NOT_MET
    assert psr_delivery(ctx, Psr(**base)).basis is Basis.MISSING_DATA


def test_combine_units() -> None:
    a, b, c = met("a."), not_met("b."), not_yet_due("c.")
    assert combine([("One", a), ("Two", b)], none="none").outcome is Outcome.NOT_MET
    assert combine([("One", a), ("Two", c)], none="none").outcome is Outcome.MET
    assert combine([("One", c)], none="none").basis is Basis.NOT_YET_DUE
    empty = combine([], none="No breaches.")
    assert (empty.outcome, empty.reason) == (Outcome.NOT_APPLICABLE, "No breaches.")
    assert combine([("One", a), ("Two", b)], none="").reason == "One: a. Two: b."
