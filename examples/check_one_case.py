"""Check one case, as a service would: parse a record, evaluate it, answer in JSON.

    python examples/check_one_case.py

The record is what a form or another system might send (synthetic). A bad
record gets a located error, never an exception; a good one gets one finding
per question of the National Standards in force on the assessment date.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from casework import Case, WorkingCalendar
from casework.io import parse_record
from casework.rules import evaluate_case, ruleset_in_force

# Built once at start-up; both are immutable and safe to share.
CALENDAR = WorkingCalendar.england_and_wales()

RECORD: dict[str, Any] = {
    "reference": "SVC-0001",
    "sentence": {"kind": "licence", "sentenced_on": "2006-11-20", "released_on": "2007-08-06"},
    "offender": {"ppo": [{"start": "2007-01-15"}]},
    "tiers": [{"tier": 3, "on": "2007-08-06"}],
    "roh": [{"level": "high", "on": "2007-08-01"}],
    "assessments": [
        {
            "id": "A1",
            "purpose": "release",
            "completed_on": "2007-08-10",
            "screening": {"completed_on": "2007-08-01", "full_analysis_required": True},
            "full_analysis": {"completed_on": "2007-08-10"},
            "rmp": {"completed_on": "2007-08-03"},
            "sentence_plan": {"kind": "initial", "completed_on": "2007-08-15"},
        }
    ],
    "home_visits": [{"on": "2007-08-14", "purpose": "risk_of_harm"}],
}


def check(record: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The service's answer for one record: its findings, or why it cannot be read."""
    parsed = parse_record(record, as_of=as_of)
    if not isinstance(parsed, Case):
        return {
            "ok": False,
            "case_ref": parsed.case_ref,
            "problems": [str(problem) for problem in parsed.problems],
        }
    rules = ruleset_in_force(as_of)
    findings = evaluate_case(parsed, rules, as_of=as_of, calendar=CALENDAR)
    return {
        "ok": True,
        "case_ref": parsed.reference,
        "ruleset": rules.label,
        "not_met": [f.to_dict() for f in findings if f.outcome.value == "not_met"],
        "counts": {
            outcome: sum(f.outcome.value == outcome for f in findings)
            for outcome in ("met", "not_met", "not_applicable", "cannot_assess")
        },
    }


def main() -> int:
    as_of = dt.date(2007, 10, 15)
    answer = check(RECORD, as_of)
    print(json.dumps(answer, indent=2))
    assert answer["ok"], answer
    late = {finding["rule_id"] for finding in answer["not_met"]}
    # Released Monday 6 August 2007; a PPO: OASys due within 5 working days (13 August),
    # but the sentence plan was completed on 15 August.
    assert "NS07.oasys-ppo" in late, late

    bad = check({**RECORD, "tiers": [{"tier": 5, "on": "2007-08-06"}]}, as_of)
    print(json.dumps(bad, indent=2))
    assert not bad["ok"]
    assert bad["problems"] == [
        "tiers[0].tier: expected one of 1, 2, 3 or 4; found a whole number of 1 digit"
    ]
    return 0


if __name__ == "__main__":
    sys.exit(main())
