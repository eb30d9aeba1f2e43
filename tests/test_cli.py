"""The command line, through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _casework() -> list[str]:
    script = Path(sys.executable).parent / "casework"
    if script.exists():
        return [str(script)]
    found = shutil.which("casework")
    assert found, "the casework console script is not installed"
    return [found]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_casework(), *args], capture_output=True, text=True, check=False)


def test_validate_the_example_file(examples: Path) -> None:
    result = run("validate", str(examples / "cases.json"))
    assert result.returncode == 0, result.stderr
    assert "6 records read: 6 cases accepted, 0 rejected" in result.stdout


def test_validate_a_file_with_bad_records(examples: Path) -> None:
    result = run("validate", str(examples / "bad-cases.jsonl"))
    assert result.returncode == 1
    assert "11 records read: 2 cases accepted, 9 rejected" in result.stdout
    assert (
        "record 3 (BAD-03): tiers[0].tier: expected one of 1, 2, 3 or 4; found 5" in result.stdout
    )
    assert "Synthetic Person Seven" not in result.stdout


def test_validate_as_json(examples: Path) -> None:
    result = run("validate", "--format", "json", str(examples / "bad-cases.jsonl"))
    payload = json.loads(result.stdout)
    assert payload["records"] == payload["accepted"] + payload["rejected"] == 11
    assert payload["errors"][0]["problems"][0]["field"] == "sentence.released_on"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("validate", "missing.json"), "does not exist"),
        (("validate", "--as-of", "June", "x"), "is not a date"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "x").write_text("[]")
    result = subprocess.run(
        [*_casework(), *args], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("[{")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "broken.json: not valid JSON" in result.stderr


def test_schema_prints_json_schema() -> None:
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["$defs"]["Case"]["title"] == "Case"


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casework", "--help"], capture_output=True, text=True, check=True
    )
    assert "validate" in result.stdout
