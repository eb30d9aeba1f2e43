"""The three OASys targets split cases into groups that never overlap (003:697-701)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from casework.model import Case
from casework.rules import Basis, evaluate
from casework.testing import default_calendar
from casework.testing import strategies as cs

OASYS_2007 = ("NS07.oasys-ppo", "NS07.oasys-tier4", "NS07.oasys-tier1-3")
CALENDAR = default_calendar()
AS_OF = dt.date(2007, 10, 15)
#: The 2007-08 targets came into force with the year.
YEAR_START = dt.date(2007, 4, 1)
#: Orders and licences in the 2007-08 year: a PPO at the start or not (now and then one
#: before or only after it), with a tier recorded or none.
KINDS = ("community_order", "suspended_sentence_order", "licence")
CASES = st.one_of(
    *(cs.cases(kind=kind, as_of=AS_OF) for kind in KINDS),
    *(cs.cases(kind=kind, as_of=AS_OF, missing=["tier"]) for kind in KINDS),
)


@given(case=CASES)
def test_every_case_is_in_at_most_one_oasys_group_and_placed_cases_in_exactly_one(
    case: Case,
) -> None:
    found = evaluate(case, "nps-2007-08", as_of=AS_OF, calendar=CALENDAR)
    groups = [f for f in found if f.rule_id in OASYS_2007]
    assert len(groups) == 3
    in_group = [f.rule_id for f in groups if f.basis is not Basis.OUT_OF_SCOPE]
    if case.start_event[1] < YEAR_START:
        # the clock started before the 2007-08 targets: no group sets it a deadline
        # (docs/decisions.md#in-force-every-set)
        assert [f.due for f in groups] == [None, None, None], [f.reason for f in groups]
        return
    placed = case.is_ppo_on(case.start_event[1]) or bool(case.tiers)
    if placed:
        assert len(in_group) == 1, [f.reason for f in groups]
        if case.is_ppo_on(case.start_event[1]):
            assert in_group == ["NS07.oasys-ppo"]
    else:
        # no tier, not a PPO: N02 and N03 cannot place it; it is in no group
        assert [f.basis for f in groups] == [
            Basis.OUT_OF_SCOPE,
            Basis.MISSING_DATA,
            Basis.MISSING_DATA,
        ]
