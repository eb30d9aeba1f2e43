"""docs/testing.md: its scenario file example runs, and it names every public strategy."""

from __future__ import annotations

import re
from pathlib import Path

from casework.testing import strategies as cs
from casework.testing.scenarios import load_scenarios
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")


def test_the_scenario_file_example_runs(tmp_path: Path) -> None:
    (example,) = [
        block for block in re.findall(r"```yaml\n(.*?)```", DOC, re.S) if "scenarios:" in block
    ]
    path = tmp_path / "scenarios_oasys.yaml"
    path.write_text(example, encoding="utf-8")
    loaded = load_scenarios(path)
    assert loaded.errors == ()
    assert [result.ok for result in loaded.run()] == [True, True]


def test_every_public_strategy_is_documented() -> None:
    strategies = [name for name in cs.__all__ if callable(getattr(cs, name))]
    undocumented = [name for name in strategies if f"{name}(" not in DOC and f"`{name}`" not in DOC]
    assert undocumented == []
