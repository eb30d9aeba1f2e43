"""docs/targets.md: its example runs and says what it prints; it lists every measure."""

from __future__ import annotations

import re

import pytest

from casework.rules.targets import available_target_sets, target_set
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "targets.md").read_text(encoding="utf-8")


def test_the_example_runs_and_prints_what_it_says(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = re.search(r"```python\n(.+?)\n```", DOC, re.DOTALL)
    assert code is not None
    monkeypatch.chdir(ROOT)
    exec(compile(code.group(1), "docs/targets.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "75% not_met"
    assert printed[1].startswith("75% is below the target of 90% (15 points short): not met.")
    assert printed[2].startswith("[('S2', 'OASys completed on 9 July 2007, 5 working days after")
    assert printed[3] == "120"


@pytest.mark.parametrize("name", available_target_sets())
def test_every_measure_is_listed_with_its_source(name: str) -> None:
    section = DOC[DOC.index(f"### `{name}`") :]
    for measure in target_set(name):
        row = next(line for line in section.splitlines() if line.startswith(f"| {measure.id} |"))
        assert measure.source in row
        assert measure.label in row
