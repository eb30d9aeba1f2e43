"""The project's promises about itself: README commands, CI script, changelog."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_opens_with_the_run_and_test_commands() -> None:
    run, test = _readme_commands()[:2]
    assert run.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert "casework " in run
    assert test.startswith("python3 -m venv .venv && .venv/bin/pip install -e")
    assert test.endswith("pytest")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test = _readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_changelog_keeps_a_criteria_section() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert "### Criteria" in text
