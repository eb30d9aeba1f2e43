"""Scenario files read and run without pytest: expectations, errors located by line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from casework.rules import Basis, Outcome, ruleset
from casework.testing.scenarios import (
    Scenario,
    ScenarioError,
    ScenarioFailedError,
    load_scenarios,
)

HEAD = "ruleset: national-standards-2007\nas_of: 2007-10-15\n"


def _load(tmp_path: Path, text: str) -> tuple[Scenario | ScenarioError, ...]:
    path = tmp_path / "scenarios_t.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenarios(path, display="scenarios_t.yaml").entries


def _one(tmp_path: Path, text: str) -> Scenario | ScenarioError:
    (entry,) = _load(tmp_path, text)
    return entry


def test_expectations_in_words_and_in_full(tmp_path: Path) -> None:
    scenario = _one(
        tmp_path,
        HEAD
        + "scenarios:\n  - name: words\n    expect:\n"
        + "      NS07.oasys-ppo: Not Applicable\n"
        + "      NS07.oasys-tier4: out-of-scope\n"
        + "      NS07.oasys-tier1-3:\n"
        + "        {basis: computed, outcome: not met, reason: [due on, 22 June]}\n",
    )
    assert isinstance(scenario, Scenario)
    ppo, tier4, tier13 = scenario.expect
    assert (ppo.outcome, ppo.basis) == (Outcome.NOT_APPLICABLE, None)
    assert (tier4.outcome, tier4.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert (tier13.outcome, tier13.basis, tier13.reason) == (
        Outcome.NOT_MET,
        Basis.COMPUTED,
        ("due on", "22 June"),
    )
    assert [e.line for e in scenario.expect] == [6, 7, 8]
    result = scenario.run()
    assert result.ok
    result.check()  # does not raise
    assert "every expected outcome came out" in result.report()


def test_facts_merge_onto_defaults_and_take_the_scenario_date(tmp_path: Path) -> None:
    scenario = _one(
        tmp_path,
        HEAD
        + "defaults:\n  area: Northshire\n  tiers: [{tier: 4, on: 2007-06-01}]\n"
        + "scenarios:\n  - name: merged\n    as_of: 2007-07-02\n"
        + "    facts: {sentence: {kind: custody}}\n"
        + "    expect: {NS07.oasys-tier4: not_met}\n",
    )
    assert isinstance(scenario, Scenario)
    case = scenario.case
    assert (case.area, case.as_of, case.sentence.kind.value) == (
        "Northshire",
        dt.date(2007, 7, 2),
        "custody",
    )
    assert case.sentence.sentenced_on == dt.date(2007, 6, 1)  # kept from casework's defaults
    assert scenario.as_of == dt.date(2007, 7, 2)
    assert scenario.run().ok


def test_yaml_1_1_booleans_stay_words(tmp_path: Path) -> None:
    """``on:`` keys and ``yes``/``no`` answers are text, not True/False."""
    scenario = _one(
        tmp_path,
        HEAD
        + "scenarios:\n  - name: words\n    facts:\n"
        + "      tiers: [{tier: 4, on: 2007-06-01}]\n"
        + "      judgements: {answers: {1.1.a: yes, 1.1.b: no}}\n"
        + "      child_safeguarding_concern: true\n"
        + "    expect: {NS07.oasys-tier4: not_met}\n",
    )
    assert isinstance(scenario, Scenario)
    assert scenario.case.tiers[0].on == dt.date(2007, 6, 1)
    assert {k: v.value for k, v in scenario.case.judgements.answers.items()} == {
        "1.1.a": "yes",
        "1.1.b": "no",
    }
    assert scenario.case.child_safeguarding_concern is True


def test_a_mismatch_is_reported_and_raised(tmp_path: Path) -> None:
    scenario = _one(
        tmp_path,
        HEAD
        + "scenarios:\n  - name: wrong\n    expect:\n"
        + "      NS07.oasys-tier1-3: {outcome: not_met, reason: on time}\n",
    )
    assert isinstance(scenario, Scenario)
    result = scenario.run()
    (mismatch,) = result.mismatches
    assert mismatch.problems == ("reason",)
    assert result.report().splitlines()[2:] == [
        "  question NS07.oasys-tier1-3 (scenarios_t.yaml:6): " + mismatch.finding.question,
        "    expected: not_met, reason containing 'on time'",
        "    actual:   not_met (computed)",
        "    reason:   " + mismatch.finding.reason,
    ]
    with pytest.raises(ScenarioFailedError, match="1 of 1 questions differ"):
        result.check()


def test_parameters_and_inline_overlays(tmp_path: Path) -> None:
    first, second = _load(
        tmp_path,
        "as_of: 2007-10-15\nparameters: {oasys_tier1to3_limit: 10}\nscenarios:\n"
        "  - name: file parameters\n    ruleset: national-standards-2007\n"
        "    expect: {NS07.oasys-tier1-3: not_met}\n"
        "  - name: inline overlay\n"
        "    ruleset: {name: pilot, base: national-standards-2007, remove: [NS07.oasys-ppo]}\n"
        "    expect: {NS07.oasys-tier1-3: not_met}\n",
    )
    assert isinstance(first, Scenario)
    assert isinstance(second, Scenario)
    assert first.ruleset.label == ruleset("national-standards-2007").label
    assert first.ruleset.parameters.get("oasys_tier1to3_limit").value == 10
    assert "NS07.oasys-ppo" not in second.ruleset
    assert second.ruleset.label == f"pilot@{ruleset('national-standards-2007').version}"
    assert second.ruleset.parameters.get("oasys_tier1to3_limit").value == 10


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "  - expect: {NS07.oasys-ppo: met}\n",
            "scenarios_t.yaml:4: scenario '#1': name: every scenario needs a name",
        ),
        ("  - name: a::b\n    expect: {NS07.oasys-ppo: met}\n", "name: a name cannot contain '::'"),
        (
            "  - name: x\n    colour: red\n    expect: {NS07.oasys-ppo: met}\n",
            ":5: scenario 'x': colour: not a scenario key",
        ),
        ("  - name: x\n", "scenario 'x': expect: expected a mapping of question"),
        (
            "  - name: x\n    facts: [1]\n    expect: {NS07.oasys-ppo: met}\n",
            "scenario 'x': facts: expected a mapping of case facts",
        ),
        (
            "  - name: x\n    expect: {NS07.oasys-ppo: [met]}\n",
            "expect.NS07.oasys-ppo: expected an outcome",
        ),
        (
            "  - name: x\n    expect: {NS07.oasys-ppo: {result: met}}\n",
            "expect.NS07.oasys-ppo.result: not an expectation key",
        ),
        (
            "  - name: x\n    expect: {NS07.oasys-ppo: {basis: computed}}\n",
            "expect.NS07.oasys-ppo: an expectation needs an outcome",
        ),
        (
            "  - name: x\n    expect: {NS07.oasys-ppo: {outcome: met, basis: not_yet_due}}\n",
            "basis not_yet_due goes with outcome not_applicable, not met",
        ),
        (
            "  - name: x\n    expect: {NS07.oasys-ppo: {outcome: met, basis: guessed}}\n",
            "expect.NS07.oasys-ppo.basis: expected one of computed",
        ),
        (
            "  - name: x\n    expect: {NS07.oasys-ppo: {outcome: met, reason: 3}}\n",
            "expect.NS07.oasys-ppo.reason: expected a fragment",
        ),
        (
            "  - name: x\n    as_of: soon\n    expect: {NS07.oasys-ppo: met}\n",
            ":5: scenario 'x': as_of: expected a date (YYYY-MM-DD); found 'soon'",
        ),
        (
            "  - name: x\n    ruleset: 7\n    expect: {NS07.oasys-ppo: met}\n",
            "scenario 'x': ruleset: expected a rule set name",
        ),
        (
            "  - name: x\n    parameters: {nope: 1}\n    expect: {NS07.oasys-ppo: met}\n",
            "scenario 'x': parameters: parameters.nope: no parameter of that name",
        ),
        (
            "  - name: x\n    facts: {assessments: [{id: A1}]}\n"
            "    expect: {NS07.oasys-ppo: met}\n",
            "facts.assessments[0].purpose: expected a value (this field is required)",
        ),
        ("  - 7\n", "scenario '#1': expected a mapping with name, facts and expect"),
    ],
)
def test_each_mistake_is_located(tmp_path: Path, body: str, message: str) -> None:
    entry = _one(tmp_path, HEAD + "scenarios:\n" + body)
    assert isinstance(entry, ScenarioError)
    assert message in str(entry)


def test_names_must_be_unique_and_other_scenarios_still_load(tmp_path: Path) -> None:
    entries = _load(
        tmp_path,
        HEAD
        + "scenarios:\n"
        + "  - {name: same, expect: {NS07.oasys-ppo: not_applicable}}\n"
        + "  - {name: same, expect: {NS07.oasys-ppo: not_applicable}}\n"
        + "  - {name: other, facts: {sentence: {kind: licence}}, expect: {NS07.oasys-ppo: met}}\n",
    )
    assert [type(e).__name__ for e in entries] == ["Scenario", "ScenarioError", "ScenarioError"]
    assert str(entries[1]) == (
        "scenarios_t.yaml:5: scenario 'same': name: the name is already used by scenario #1; "
        "names must be unique within a file"
    )
    path = tmp_path / "scenarios_t.yaml"
    with pytest.raises(ScenarioError, match="already used"):
        load_scenarios(path).run()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "scenarios_t.yaml: the file is empty"),
        ("- 1\n", "scenarios_t.yaml:1: expected a mapping with a 'scenarios' list"),
        ("scenarios: []\n", "scenarios_t.yaml:1: scenarios: expected a non-empty list"),
        (
            "defaults: 3\nscenarios: [{name: x}]\n",
            "scenarios_t.yaml:1: defaults: expected a mapping",
        ),
        (
            "as_of: 15/10/2007\nscenarios: [{name: x}]\n",
            "scenarios_t.yaml:1: as_of: expected a date",
        ),
    ],
)
def test_file_level_mistakes_raise(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "scenarios_t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path, display="scenarios_t.yaml")
    assert str(info.value).startswith(message)


UNITS = """\
ruleset: nps-2007-08
as_of: 2007-10-15
scenarios:
  - name: two breaches
    facts:
      breaches:
        # 18 June + 25 working days = 23 July; 6 August + 25 (27 August is a bank
        # holiday) = 11 September
        - {failed_on: 2007-06-18, resolved_on: 2007-07-23}
        - {failed_on: 2007-08-06, resolved_on: 2007-09-28}
    expect:
      TGT.breach-resolution:
%s
"""


def test_per_unit_expectations(tmp_path: Path) -> None:
    scenario = _one(
        tmp_path,
        UNITS
        % (
            "        Breach of 18 June 2007: met\n"
            "        Breach of 6 August 2007: {outcome: not_met, reason: due on 11 September 2007}"
        ),
    )
    assert isinstance(scenario, Scenario)
    assert [(e.unit, e.outcome) for e in scenario.expect] == [
        ("Breach of 18 June 2007", Outcome.MET),
        ("Breach of 6 August 2007", Outcome.NOT_MET),
    ]
    assert scenario.run().ok


def test_per_unit_mismatches_name_the_unit(tmp_path: Path) -> None:
    scenario = _one(
        tmp_path,
        UNITS % "        Breach of 18 June 2007: not_met\n        Breach of 7 August 2007: met",
    )
    assert isinstance(scenario, Scenario)
    result = scenario.run()
    assert [(m.unit, m.problems) for m in result.mismatches] == [
        ("Breach of 18 June 2007", ("outcome",)),
        ("Breach of 7 August 2007", ("unit",)),
        ("Breach of 6 August 2007", ("unit",)),
    ]
    report = result.report()
    assert "1 of 1 questions differ" in report
    assert (
        "  question TGT.breach-resolution, unit 'Breach of 7 August 2007' (scenarios_t.yaml:14)"
        in report
    )
    assert (
        "    actual:   no finding for this unit (units found: 'Breach of 18 June 2007', "
        "'Breach of 6 August 2007')" in report
    )
    assert "    expected: (this unit is not listed)" in report


def test_one_expectation_for_every_unit(tmp_path: Path) -> None:
    scenario = _one(tmp_path, UNITS % "        {outcome: met}")
    assert isinstance(scenario, Scenario)
    (mismatch,) = scenario.run().mismatches
    assert mismatch.unit == "Breach of 6 August 2007"


def test_a_case_level_rule_has_no_units(tmp_path: Path) -> None:
    entry = _one(
        tmp_path,
        HEAD + "scenarios:\n  - name: x\n    expect:\n"
        "      NS07.breach-action: {Breach of 18 June 2007: met}\n",
    )
    assert isinstance(entry, ScenarioError)
    assert "expect.NS07.breach-action.Breach of 18 June 2007: not an expectation key" in str(entry)
