"""The three OASys targets split cases into groups that never overlap (003:697-701)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Basis, evaluate
from casework.testing import make_case

OASYS_2007 = ("NS07.oasys-ppo", "NS07.oasys-tier4", "NS07.oasys-tier1-3")
CALENDAR = WorkingCalendar.england_and_wales(2005, 2009)
D = dt.date


@st.composite
def cases(draw: st.DrawFn) -> Case:
    sentenced = draw(st.dates(D(2007, 4, 2), D(2007, 9, 28)))
    kind = draw(st.sampled_from(["community_order", "suspended_sentence_order", "licence"]))
    sentence: dict[str, Any] = {"kind": kind, "sentenced_on": sentenced.isoformat()}
    start = sentenced
    if kind == "licence":
        start = sentenced + dt.timedelta(days=draw(st.integers(0, 20)))
        sentence["released_on"] = start.isoformat()
    offender: dict[str, Any] = {}
    ppo = draw(st.sampled_from(["never", "at start", "ended before", "from after"]))
    if ppo == "at start":
        offender["ppo"] = [{"start": (start - dt.timedelta(days=30)).isoformat()}]
    elif ppo == "ended before":
        offender["ppo"] = [
            {"start": "2006-01-02", "end": (start - dt.timedelta(days=1)).isoformat()}
        ]
    elif ppo == "from after":
        offender["ppo"] = [{"start": (start + dt.timedelta(days=1)).isoformat()}]
    tiers = [
        {"tier": tier, "on": (start + dt.timedelta(days=offset)).isoformat()}
        for offset, tier in enumerate(draw(st.lists(st.integers(1, 4), max_size=2)))
    ]
    return make_case(
        reference="P-1",
        as_of="2007-10-15",
        offender=offender,
        sentence=sentence,
        tiers=tiers,
    )


@given(case=cases())
def test_every_case_is_in_at_most_one_oasys_group_and_placed_cases_in_exactly_one(
    case: Case,
) -> None:
    found = evaluate(case, "nps-2007-08", as_of=D(2007, 10, 15), calendar=CALENDAR)
    groups = [f for f in found if f.rule_id in OASYS_2007]
    assert len(groups) == 3
    in_group = [f.rule_id for f in groups if f.basis is not Basis.OUT_OF_SCOPE]
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
