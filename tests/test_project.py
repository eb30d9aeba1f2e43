"""The project's promises about itself: README commands, CI script, changelog."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, console_script


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, re.DOTALL)


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


def _readme_cli_lines() -> list[str]:
    """Every ``casework ...`` line of the README's command blocks after the first two, and
    the command the first one runs once installed (``... && .venv/bin/casework score ...``)."""
    run = _readme_commands()[0].rsplit("&& .venv/bin/", 1)[-1]
    lines = [run] if run.startswith("casework ") else []
    for block in _readme_commands()[2:]:
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command.startswith("casework "):
                lines.append(command)
    return lines


def test_the_readme_shows_every_command() -> None:
    from casework.cli import main

    shown = {line.split()[1] for line in _readme_cli_lines()}
    assert shown == set(main.commands)


@pytest.mark.parametrize("command", _readme_cli_lines())
def test_every_command_the_readme_shows_runs(command: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    args = shlex.split(command)[1:]
    result = subprocess.run(
        [*console_script(), *args], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    if "-o" in args:
        written = [args[i + 1] for i, arg in enumerate(args) if arg in {"-o", "--chart"}]
        assert all((tmp_path / name).stat().st_size > 0 for name in written)
    else:
        assert result.stdout.strip()
