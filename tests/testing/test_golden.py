"""Every rule set casework ships has a golden scenario file that asks each of its questions."""

from __future__ import annotations

import pytest

from casework.rules import available_rulesets, ruleset
from casework.testing.scenarios import load_scenarios
from tests.conftest import ROOT

SCENARIOS = ROOT / "tests" / "scenarios"


@pytest.mark.parametrize("name", available_rulesets())
def test_each_rule_set_has_golden_scenarios_for_every_rule(name: str) -> None:
    path = SCENARIOS / f"scenarios_{name.replace('-', '_')}.yaml"
    assert path.is_file(), f"no golden scenario file for {name}: add {path.relative_to(ROOT)}"
    loaded = load_scenarios(path)
    assert not loaded.errors
    assert {s.ruleset.lineage[0] for s in loaded.scenarios} == {ruleset(name).label}
    asked = {e.rule_id for s in loaded.scenarios for e in s.expect}
    missing = [r.id for r in ruleset(name).rules if r.id not in asked]
    assert not missing, f"{path.name} has no scenario for {missing}"
