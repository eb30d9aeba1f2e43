"""Builders and an evaluator for the National Standards rule tests.

Each builder states only the facts a rule needs; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Finding, evaluate, ruleset
from casework.rules.parameters import Value
from casework.testing import make_case

D = dt.date
DAY = dt.timedelta(days=1)


def iso(day: dt.date) -> str:
    return day.isoformat()


def ruleset_of(rule_id: str) -> str:
    return "national-standards-2005" if rule_id.startswith("NS05.") else "national-standards-2007"


def finding(
    rule_id: str,
    case: Case,
    calendar: WorkingCalendar,
    *,
    as_of: dt.date | None = None,
    params: Mapping[str, Value] | None = None,
) -> Finding:
    """The one finding of one rule (from its own rule set, with any parameters supplied).

    The rule's arithmetic is asked on any date: the set's in-force check by the day the
    clock started is left out (tests/time checks it).
    """
    rs = ruleset(ruleset_of(rule_id))
    if params:
        rs = rs.with_parameters(params, note="test value")
    one = attrs.evolve(rs, rules=(rs.rule(rule_id),), by_clock=False)
    (result,) = evaluate(case, one, as_of=as_of or case.as_of, calendar=calendar)
    return result


def case(as_of: dt.date, sentence: Mapping[str, Any], **facts: Any) -> Case:
    """A case read on ``as_of`` with the sentence given and Tier 2 from the start."""
    start = sentence.get("released_on") or sentence["sentenced_on"]
    data: dict[str, Any] = {
        "as_of": iso(as_of),
        "sentence": {key: iso(v) if isinstance(v, dt.date) else v for key, v in sentence.items()},
        "tiers": [{"tier": 2, "on": iso(start)}],
    }
    data.update(facts)
    return make_case(**data)


def order(sentenced: dt.date, as_of: dt.date, **facts: Any) -> Case:
    """A community order sentenced on ``sentenced``."""
    return case(as_of, {"kind": "community_order", "sentenced_on": sentenced}, **facts)


def licence(released: dt.date, as_of: dt.date, **facts: Any) -> Case:
    """A licence case released on ``released`` (sentenced a year and a half before)."""
    sentenced = released - dt.timedelta(days=548)
    return case(
        as_of,
        {"kind": "licence", "sentenced_on": sentenced, "released_on": released},
        **facts,
    )


def custody(sentenced: dt.date, as_of: dt.date, **facts: Any) -> Case:
    """A custody case (not yet released)."""
    return case(as_of, {"kind": "custody", "sentenced_on": sentenced}, **facts)


def roh(level: str, on: dt.date) -> list[dict[str, str]]:
    return [{"level": level, "on": iso(on)}]


def full_oasys(aid: str, purpose: str, day: dt.date, **more: Any) -> dict[str, Any]:
    """An assessment with every part completed on ``day``, the screening calling for analysis."""
    return {
        "id": aid,
        "purpose": purpose,
        "completed_on": iso(day),
        "screening": {"completed_on": iso(day), "full_analysis_required": True},
        "full_analysis": {"completed_on": iso(day)},
        "rmp": {"completed_on": iso(day)},
        "sentence_plan": {"completed_on": iso(day)},
        **more,
    }


def review(
    aid: str, day: dt.date, *, trigger: str = "scheduled", reviews: str | None = None, **parts: Any
) -> dict[str, Any]:
    """A review; ``parts`` name what was done in it (``screening=True``, ``rmp=True``, ...)."""
    record: dict[str, Any] = {"id": aid, "purpose": "review", "trigger": trigger}
    if reviews:
        record["reviews"] = reviews
    for part in parts:
        if part == "screening":
            record[part] = {"completed_on": iso(day), "full_analysis_required": False}
        else:
            record[part] = {"completed_on": iso(day)}
    return record


def screening_only(aid: str, purpose: str, day: dt.date) -> dict[str, Any]:
    return {
        "id": aid,
        "purpose": purpose,
        "screening": {"completed_on": iso(day), "full_analysis_required": False},
    }


def plan_only(aid: str, purpose: str, day: dt.date) -> dict[str, Any]:
    return {"id": aid, "purpose": purpose, "sentence_plan": {"completed_on": iso(day)}}


def evidence(result: Finding) -> dict[str, Any]:
    """Evidence by label (the last one wins for repeated labels)."""
    return {item.label: item.value for item in result.evidence}


def due_dates(result: Finding) -> list[dt.date]:
    return [
        item.value
        for item in result.evidence
        if item.label.endswith("due by") and isinstance(item.value, dt.date)
    ]
