"""Every rule set casework ships has a golden scenario file (tests/scenarios/).

Each file asks every timeliness and consistency rule of its set, except rules a
set shares with National Standards (the same rule, covered in their files). The
``national-standards`` file asks cases across the change of 30 September 2007.
"""

from __future__ import annotations

import pytest

from casework.rules import Rule, RuleKind, available_rulesets, ruleset
from casework.testing.scenarios import load_scenarios
from tests.conftest import ROOT

SCENARIOS = ROOT / "tests" / "scenarios"
STANDARDS = ("national-standards-2005", "national-standards-2007")
DATED = (RuleKind.TIMELINESS, RuleKind.CONSISTENCY)


ACROSS = "national-standards"  # every rule of both versions, read by the day each clock started


def _shared_with_standards(name: str, rule: Rule) -> bool:
    if name == ACROSS:  # the versioned rules themselves, covered in their own files
        return any(rule.id in ruleset(other) for other in STANDARDS)
    return name not in STANDARDS and any(
        rule.id in ruleset(other) and ruleset(other).rule(rule.id) is rule for other in STANDARDS
    )


@pytest.mark.parametrize("name", available_rulesets())
def test_each_rule_set_has_golden_scenarios(name: str) -> None:
    path = SCENARIOS / f"scenarios_{name.replace('-', '_')}.yaml"
    assert path.is_file(), f"no golden scenario file for {name}: add {path.relative_to(ROOT)}"
    loaded = load_scenarios(path)
    assert loaded.errors == ()
    assert {s.ruleset.lineage[0] for s in loaded.scenarios} == {ruleset(name).label}
    asked = {e.rule_id for s in loaded.scenarios for e in s.expect}
    missing = [
        rule.id
        for rule in ruleset(name).rules
        if rule.kind in DATED and rule.id not in asked and not _shared_with_standards(name, rule)
    ]
    assert missing == [], f"{path.name} has no scenario for {missing}"


def test_every_golden_scenario_file_is_for_a_shipped_rule_set() -> None:
    names = {f"scenarios_{name.replace('-', '_')}.yaml" for name in available_rulesets()}
    assert {path.name for path in SCENARIOS.glob("scenarios_*.yaml")} == names
