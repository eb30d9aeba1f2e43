"""Every example script runs, and does what it says, from a clean working folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

#: Scripts tested elsewhere: the sample generator is checked by tests/omi/test_sample.py
#: (it rewrites the bundled sample, so it is not run here).
ELSEWHERE = {"make_omi_sample.py"}
SCRIPTS = sorted(path for path in EXAMPLES.glob("*.py") if path.name not in ELSEWHERE)


def run(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )


def test_the_uses_are_all_there() -> None:
    names = {path.name for path in SCRIPTS}
    assert {"check_one_case.py", "custom_rule.py", "score_sample.py", "compute_targets.py"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=[path.name for path in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    result = run(script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_score_sample_writes_the_report_and_chart(tmp_path: Path) -> None:
    result = run(EXAMPLES / "score_sample.py", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Section 3: 61%" in result.stdout
    written = {path.name for path in (tmp_path / "out").iterdir()}
    assert written == {"inspection.html", "questions.csv", "chart1.png", "chart1.svg"}
    assert (tmp_path / "out" / "chart1.png").read_bytes().startswith(b"\x89PNG")


def test_custom_rule_tests_run_under_pytest_too(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(EXAMPLES / "custom_rule.py"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    tests = (EXAMPLES / "custom_rule.py").read_text(encoding="utf-8").count("\ndef test_")
    assert f"{tests} passed" in result.stdout
