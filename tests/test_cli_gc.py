"""The collector's settings while a command runs, and afterwards (cli._few_collections)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner

from casework import cli
from casework.cli import COMMAND_GC_THRESHOLDS, main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_a_command_runs_with_fewer_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int, int]] = []
    frozen: list[int] = []
    reading = cli._streamed

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        frozen.append(gc.get_freeze_count())
        return reading(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "_streamed", watched)
    result = CliRunner().invoke(main, ["validate", str(EXAMPLES / "cases.json")])
    assert result.exit_code == 0, result.output
    assert seen
    assert all(threshold == COMMAND_GC_THRESHOLDS for threshold in seen)
    assert all(count > 0 for count in frozen)


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(EXAMPLES / "cases.json")],
        ["validate", str(EXAMPLES / "bad-cases.jsonl")],  # exit 1: bad records
        ["findings", "no-such-file.jsonl"],  # exit 2: usage
    ],
)
def test_the_collector_is_left_as_found(args: list[str]) -> None:
    before = gc.get_threshold()
    assert before != COMMAND_GC_THRESHOLDS
    frozen = gc.get_freeze_count()
    CliRunner().invoke(main, args)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
