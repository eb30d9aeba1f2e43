"""The pytest plugin: a downstream-style folder of scenario files runs with pytest alone."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT

pytest_plugins = ["pytester"]

DOWNSTREAM = ROOT / "tests" / "downstream"

FAILING = """\
ruleset: national-standards-2007
as_of: 2007-10-15
scenarios:
  - name: a late OASys someone thought was on time
    facts:
      assessments:
        - id: A1
          purpose: start
          completed_on: 2007-06-25
          screening: {completed_on: 2007-06-22, full_analysis_required: false}
          sentence_plan: {completed_on: 2007-06-22}
    expect:
      NS07.oasys-ppo: not_applicable
      NS07.oasys-tier1-3: met
"""


@pytest.fixture
def downstream(pytester: pytest.Pytester) -> pytest.Pytester:
    """A copy of tests/downstream as the project pytest runs in."""
    shutil.copytree(DOWNSTREAM, pytester.path, dirs_exist_ok=True)
    return pytester


def test_the_downstream_folder_runs_through_the_plugin(downstream: pytest.Pytester) -> None:
    result = downstream.runpytest("-v")
    result.assert_outcomes(passed=9)
    result.stdout.fnmatch_lines(
        [
            "checks/scenarios_area.yaml::tier recorded on the day of sentence PASSED*",
            "checks/scenarios_oasys.yaml::OASys on the 15th working day is on time PASSED*",
            "checks/scenarios_pilot.yaml::the 15th working day is late under the proposal PASSED*",
        ]
    )


def test_a_failing_scenario_reports_file_scenario_question_expected_and_actual(
    downstream: pytest.Pytester,
) -> None:
    (downstream.path / "checks" / "scenarios_wrong.yaml").write_text(FAILING, encoding="utf-8")
    result = downstream.runpytest()
    result.assert_outcomes(passed=9, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*scenario: a late OASys someone thought was on time*",
            "checks/scenarios_wrong.yaml:4: scenario 'a late OASys someone thought was on time':"
            " 1 of 2 questions differ",
            "  rule set national-standards-2007@*, as_of 2007-10-15, case T-0001",
            "  question NS07.oasys-tier1-3 (checks/scenarios_wrong.yaml:14): Tier 1-3 case*",
            "    expected: met",
            "    actual:   not_met (computed)",
            "    reason:   OASys completed on 25 June 2007, 1 working day after it was due on "
            "22 June 2007 (15 working days after sentence on 1 June 2007).",
            "FAILED checks/scenarios_wrong.yaml::a late OASys someone thought was on time*",
        ]
    )
    assert "NS07.oasys-ppo (" not in result.stdout.str()  # the question that matched is not listed
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "ruleset: national-standards-2007\nas_of: 2007-10-15\nscenarios:\n"
            "  - name: licence without release\n    facts:\n"
            "      sentence: {kind: licence}\n    expect: {NS07.oasys-ppo: met}\n",
            "checks/scenarios_bad.yaml:6: scenario 'licence without release': "
            "facts.sentence.released_on: expected a release date for a licence case; found nothing",
        ),
        (
            "ruleset: national-standards-2007\nas_of: 2007-10-15\nscenarios:\n"
            "  - name: misspelt question\n    expect:\n      NS07.oasys-tier13: met\n",
            "checks/scenarios_bad.yaml:6: scenario 'misspelt question': expect.NS07.oasys-tier13: "
            "national-standards-2007@* has no question 'NS07.oasys-tier13'; "
            "did you mean 'NS07.oasys-tier1-3'?",
        ),
        (
            "ruleset: national-standards-2007\nas_of: 2007-10-15\nscenarios:\n"
            "  - name: unknown outcome\n    expect:\n      NS07.oasys-ppo: passed\n",
            "checks/scenarios_bad.yaml:6: scenario 'unknown outcome': expect.NS07.oasys-ppo: "
            "expected one of met, not_met, not_applicable, cannot_assess, out_of_scope, "
            "not_yet_due, missing_data, contradictory, no_parameter, unanswered; found 'passed'",
        ),
        (
            "ruleset: national-standards-2007\nscenarios:\n"
            "  - name: no date\n    expect: {NS07.oasys-ppo: met}\n",
            "checks/scenarios_bad.yaml:3: scenario 'no date': as_of: no as_of: give it in the "
            "scenario or at the top of the file",
        ),
    ],
)
def test_a_bad_scenario_names_file_line_scenario_and_field(
    downstream: pytest.Pytester, text: str, message: str
) -> None:
    (downstream.path / "checks" / "scenarios_bad.yaml").write_text(text, encoding="utf-8")
    result = downstream.runpytest()
    result.assert_outcomes(passed=9, failed=1)
    result.stdout.fnmatch_lines([message])
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scenarios: [\n", "checks/scenarios_bad.yaml:2: not valid YAML: *"),
        (
            "ruleset: national-standards-2007\ncolour: blue\nscenarios: []\n",
            "checks/scenarios_bad.yaml:2: colour: not a scenario-file key (expected one of *",
        ),
        (
            "ruleset: national-standards-2099\nscenarios:\n  - {name: x, expect: {a: met}}\n",
            "checks/scenarios_bad.yaml:1: ruleset: no rule set 'national-standards-2099': *",
        ),
        (
            "scenarios:\n  - name: a\n    expect: {a: met}\n    expect: {b: met}\n",
            "checks/scenarios_bad.yaml:4: the key 'expect' appears twice in one mapping",
        ),
    ],
)
def test_a_bad_file_is_a_located_collection_error(
    downstream: pytest.Pytester, text: str, message: str
) -> None:
    (downstream.path / "checks" / "scenarios_bad.yaml").write_text(text, encoding="utf-8")
    result = downstream.runpytest()
    result.assert_outcomes(passed=0, errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting checks/scenarios_bad.yaml*", message])
    assert "Traceback" not in result.stdout.str()


def test_file_names_are_configurable_and_the_plugin_can_be_turned_off(
    downstream: pytest.Pytester,
) -> None:
    golden = downstream.path / "checks" / "oasys.golden.yaml"
    shutil.move(downstream.path / "checks" / "scenarios_oasys.yaml", golden)
    downstream.runpytest().assert_outcomes(passed=6)
    (downstream.path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ntestpaths = ["checks"]\npythonpath = ["."]\n'
        'casework_scenarios = ["*.golden.yaml"]\n',
        encoding="utf-8",
    )
    downstream.runpytest().assert_outcomes(passed=3)
    downstream.runpytest("-p", "no:casework").assert_outcomes()


def test_the_plugin_is_registered_in_this_run(pytestconfig: pytest.Config) -> None:
    """casework's own golden files (tests/scenarios) are collected by the same plugin."""
    assert pytestconfig.pluginmanager.has_plugin("casework")
    assert pytestconfig.getini("casework_scenarios") == ["scenarios_*.yaml", "scenarios_*.yml"]
