"""The two National Standards rule sets: declarations, shared bodies, pure evaluation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Finding, RuleSet, evaluate, iter_findings, ruleset
from tests.standards.helpers import D, iso, make_case

SETS = ("national-standards-2005", "national-standards-2007")
UNSTATED = {
    "roh_review_event_limit": 5,
    "plan_review_interval_months": 4,
    "allocation_limit": 5,
    "induction_limit": 5,
    "appointment_interval_limit": 14,
    "upw_session_interval_limit": 14,
}


@pytest.mark.parametrize("name", SETS)
def test_every_rule_is_declared_in_full(name: str) -> None:
    rs = ruleset(name)
    prefix = "NS05." if name.endswith("2005") else "NS07."
    for rule in rs:
        assert rule.id.startswith(prefix), rule.id
        assert re.fullmatch(r"NS0[57]\.[a-z0-9-]+", rule.id), rule.id
        assert rule.question.endswith("?"), rule.id
        assert rule.source, rule.id
        assert rule.in_force_on(rs.in_force_from), rule.id
        for parameter in rule.parameters:
            assert parameter in rs.parameters.definitions, (rule.id, parameter)
        assert rule.applies_to.description, rule.id


def test_rules_whose_standard_did_not_change_share_one_body() -> None:
    old, new = ruleset(SETS[0]), ruleset(SETS[1])
    shared = [
        "rmp-release-high-roh",
        "roh-review-event",
        "breach-action",
        "breach-resolution",
        "victim-contact",
        "psr-delivery",
        "mappa-level",
    ]
    for suffix in shared:
        assert old.rule(f"NS05.{suffix}").check is new.rule(f"NS07.{suffix}").check, suffix
    # one body each, built for the version's time limit (docs/decisions.md#consistency-windows)
    for suffix in ("full-analysis-where-screened", "rmp-where-not-low"):
        before, after = old.rule(f"NS05.{suffix}"), new.rule(f"NS07.{suffix}")
        assert before.check.__qualname__ == after.check.__qualname__, suffix
        assert before.parameters == ("oasys_high_roh_limit",)
        assert "oasys_tier1to3_limit" in after.parameters


def test_the_review_rules_differ_between_the_versions() -> None:
    old, new = ruleset(SETS[0]), ruleset(SETS[1])
    assert old.rule("NS05.roh-review-interval").parameters == ("roh_review_interval_weeks",)
    assert "roh_review_interval_months" in new.rule("NS07.roh-review-interval").parameters
    assert old.rule("NS05.plan-review-interval").parameters == ("plan_review_interval_weeks",)
    assert new.rule("NS07.plan-review-interval").parameters == ("plan_review_interval_months",)


def _sample() -> list[Case]:
    """Forty cases that make most rules do real work: a fixed, Hypothesis-free sample."""
    kinds = ["community_order", "licence", "custody", "suspended_sentence_order"]
    levels = ["low", "medium", "high", "very_high"]
    cases = []
    for n in range(40):
        start = D(2007, 1, 8) + dt.timedelta(days=17 * n)
        kind = kinds[n % 4]
        sentence: dict[str, Any] = {"kind": kind, "sentenced_on": iso(start)}
        if kind == "licence":
            sentence["sentenced_on"] = iso(start - dt.timedelta(days=400 + n))
            sentence["released_on"] = iso(start)
        if kind == "custody":
            sentence.update(custodial_months=12 + n % 7, offence_category="serious_violent")
        day = lambda k, start=start: iso(start + dt.timedelta(days=k))  # noqa: E731
        facts: dict[str, Any] = {
            "reference": f"S{n:02d}",
            "as_of": "2009-12-31",
            "sentence": sentence,
            "tiers": [{"tier": 1 + n % 4, "on": iso(start)}],
            "roh": [{"level": levels[(n + n // 4) % 4], "on": day(2)}],
            "assessments": [
                {
                    "id": "A",
                    "purpose": "release" if kind == "licence" else "start",
                    "completed_on": day(3 + n % 9),
                    "screening": {"completed_on": day(2), "full_analysis_required": n % 3 == 0},
                    "full_analysis": {"completed_on": day(6)} if n % 6 == 0 else None,
                    "rmp": {"completed_on": day(4 + n % 5)} if n % 5 else None,
                    "sentence_plan": {"completed_on": day(5 + n % 11)},
                },
                *(
                    {
                        "id": f"R{k}",
                        "purpose": "review",
                        "trigger": "scheduled",
                        "screening": {
                            "completed_on": day(100 * k + n % 30),
                            "full_analysis_required": False,
                        },
                        "sentence_plan": {"completed_on": day(100 * k + n % 30)},
                    }
                    for k in range(1, 1 + n % 4)
                ),
            ],
            "events": [{"on": day(60), "kind": "significant_change"}] if n % 5 == 1 else [],
            "breaches": [{"failed_on": day(30), "action_on": day(30 + n % 15)}] if n % 3 else [],
            "victims": [{"id": "V1", "statutory": True, "contacted_on": day(40 + n)}]
            if kind == "custody"
            else [],
            "transfer_in": {"notified_on": day(20), "first_appointment_on": day(22 + n % 6)}
            if n % 7 == 2 and kind != "custody"
            else None,
            "home_visits": [{"on": day(8 + n % 8)}] if n % 2 else [],
            "mappa": {"levels": [{"level": 1 + n % 3, "on": day(5)}]} if n % 8 == 3 else None,
            "offender": {"ppo": [{"start": iso(start)}]} if n % 9 == 4 else {},
            "psr": {
                "kind": "standard_delivery",
                "requested_on": day(-21),
                "due_on": day(-1),
                "delivered_on": day(-1 + n % 3),
            }
            if n % 5 == 0
            else None,
        }
        cases.append(make_case({key: v for key, v in facts.items() if v is not None}))
    return cases


def _key(finding: Finding) -> tuple[str, str]:
    return finding.case_ref, finding.rule_id


@pytest.mark.parametrize("name", SETS)
def test_evaluation_is_the_same_in_any_order_or_split(name: str, calendar: WorkingCalendar) -> None:
    rs: RuleSet = ruleset(name).with_parameters(UNSTATED)
    cases = _sample()
    as_of = D(2009, 12, 31)

    def run(chunk: list[Case]) -> list[Finding]:
        return list(evaluate(chunk, rs, as_of=as_of, calendar=calendar))

    forward = run(cases)
    backward = run(cases[::-1])
    halves = run(cases[:20]) + run(cases[20:])
    one_by_one = [f for single in cases for f in run([single])]
    streamed = list(iter_findings(iter(cases), rs, as_of=as_of, calendar=calendar))
    assert forward == halves == one_by_one == streamed
    assert sorted(forward, key=_key) == sorted(backward, key=_key)
    assert run(cases) == forward  # no state kept between runs
    assert len(forward) == len(cases) * len(rs)
    outcomes = {(f.rule_id, f.outcome) for f in forward}
    worked = {rule_id for rule_id, outcome in outcomes if outcome.value in {"met", "not_met"}}
    assert len(worked) >= len(rs) * 3 // 4, sorted({r.id for r in rs} - worked)
