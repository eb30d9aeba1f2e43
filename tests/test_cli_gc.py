"""The collector's settings while a command runs, and afterwards (cli._few_collections)."""

from __future__ import annotations

import gc
import subprocess
import sys
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


def test_the_program_leaves_every_object_frozen_as_it_ends(tmp_path: Path) -> None:
    """Run as the program (arguments from ``sys.argv``), a command ends with every object
    frozen, so the interpreter's shutdown does not walk them all once more; the
    ``atexit`` functions still run, and the command's output is whole."""
    script = tmp_path / "run.py"
    out = tmp_path / "findings.csv"
    script.write_text(
        "import atexit, gc, sys\n"
        "from casework.cli import main\n"
        "atexit.register(lambda: print('at exit', gc.get_freeze_count(),"
        " len(gc.get_objects()), gc.isenabled(), file=sys.stderr))\n"
        f"sys.argv = ['casework', 'findings', {str(EXAMPLES / 'cases.json')!r},"
        f" '-f', 'csv', '-o', {str(out)!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    _, frozen, tracked, enabled = done.stderr.strip().splitlines()[-1].rsplit(" ", 3)
    assert int(frozen) > 10_000
    assert int(tracked) < 1_000  # (only what was made after the command ended)
    assert enabled == "True"
    in_process = CliRunner().invoke(main, ["findings", str(EXAMPLES / "cases.json"), "-f", "csv"])
    assert in_process.exit_code == 0
    assert out.read_text() == in_process.output
