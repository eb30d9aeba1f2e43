"""Golden scenarios a practitioner can read: facts in, expected outcome out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from casework import WorkingCalendar, yaml
from casework.model import Case
from casework.rules import Basis, Finding, Outcome, evaluate
from casework.testing import CASE_DEFAULTS, merge

GOLDEN = Path(__file__).resolve().parent / "golden"

EXPECTED = {
    "met": (Outcome.MET, None),
    "not_met": (Outcome.NOT_MET, None),
    "not_yet_due": (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE),
    "out_of_scope": (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
    "cannot_assess": (Outcome.CANNOT_ASSESS, None),
}


def _scenarios() -> list[Any]:
    params = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8"))
        for scenario in document["scenarios"]:
            params.append(
                pytest.param(document["ruleset"], scenario, id=f"{path.stem}: {scenario['name']}")
            )
    return params


def _matches(finding: Finding, expected: str) -> bool:
    outcome, basis = EXPECTED[expected]
    return finding.outcome is outcome and (basis is None or finding.basis is basis)


@pytest.mark.parametrize(("rules", "scenario"), _scenarios())
def test_golden_scenario(calendar: WorkingCalendar, rules: str, scenario: dict[str, Any]) -> None:
    as_of: dt.date = scenario["as_of"]
    case = Case.model_validate(
        merge(CASE_DEFAULTS, {**scenario["case"], "as_of": as_of.isoformat()})
    )
    found = evaluate(case, rules, as_of=as_of, calendar=calendar)
    for rule_id, expected in scenario["expect"].items():
        of_rule = [f for f in found if f.rule_id == rule_id]
        if isinstance(expected, str):
            (finding,) = of_rule
            assert _matches(finding, expected), (rule_id, finding.reason)
        else:
            assert [f.unit for f in of_rule] == list(expected), rule_id
            for finding in of_rule:
                assert _matches(finding, expected[finding.unit]), (rule_id, finding.reason)


def test_every_golden_file_has_scenarios() -> None:
    assert len(_scenarios()) >= 15
