"""A command's JSON Lines file is parsed while the command starts (decision:
read-while-importing): begun as FILE is read, before the options whose callbacks import
the rules, taken by the command's read, closed when not taken."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from casework.cli import main
from casework.columnar import reader
from casework.columnar.reader import StartedRead
from tests.columnar.reading import bench_records, counted_parses

TARGETS = ("--set", "2007-08", "--period", "2007-04-01..2008-03-31", "--as-of", "2010-06-30")


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,500 bench cases: two batches of 1,500 lines (a chunk), three of ``score``'s 1,000."""
    path = tmp_path_factory.mktemp("started") / "cases.jsonl"
    lines = (json.dumps(record) + "\n" for record in bench_records(2_500))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.stdout, result.stderr


def _begun(monkeypatch: pytest.MonkeyPatch, events: list[str] | None = None) -> list[StartedRead]:
    """Each read a command begins from now on (and, in ``events``, when)."""
    begun: list[StartedRead] = []

    class Recorded(StartedRead):
        def __init__(self, path: Path, **kwargs: Any) -> None:
            super().__init__(path, **kwargs)
            begun.append(self)
            if events is not None:
                events.append("begun")

    monkeypatch.setattr(reader, "StartedRead", Recorded)
    return begun


def _not_begun(path: Path, **kwargs: Any) -> StartedRead:
    began = StartedRead(path, **kwargs)
    began.close()  # (not started: the command reads its file from the start)
    return began


@pytest.mark.parametrize("file_first", [True, False])
def test_the_file_is_begun_before_the_options_import_the_rules(
    case_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_first: bool
) -> None:
    from casework.rules import targets

    events: list[str] = []
    _begun(monkeypatch, events)
    named = targets.target_set

    def target_set(name: str) -> Any:
        events.append("target set")
        return named(name)

    monkeypatch.setattr(targets, "target_set", target_set)
    out = ("-f", "json", "-o", tmp_path / "t.json")
    args = (case_file, *TARGETS) if file_first else (*TARGETS, case_file)
    code, _, _ = invoke("targets", *args, *out)
    assert code == 0
    assert events == ["begun", "target set"]


@pytest.mark.parametrize(
    ("command", "batches"),
    [
        (("targets", *TARGETS, "-f", "json"), [1_500, 1_000]),
        (("validate", "-f", "json"), [1_500, 1_000]),
        (("findings", "--as-of", "2010-06-30", "-f", "csv"), [1_500, 1_000]),
        (("score", "--as-of", "2010-06-30", "--no-intervals", "-f", "json"), [1_000, 1_000, 500]),
    ],
)
def test_the_command_reads_what_was_begun_and_writes_the_same(
    case_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    batches: list[int],
) -> None:
    name, *options = command
    begun = _begun(monkeypatch)
    parsed = counted_parses(monkeypatch)
    code, _, _ = invoke(name, case_file, *options, "-o", tmp_path / "begun")
    assert code == 0
    assert len(begun) == 1
    assert not begun[0].started  # (taken: the command's read closed it)
    assert parsed == batches  # (each batch parsed once: what was begun was not read again)
    monkeypatch.setattr(reader, "StartedRead", _not_begun)
    code, _, _ = invoke(name, case_file, *options, "-o", tmp_path / "afresh")
    assert code == 0
    assert (tmp_path / "begun").read_bytes() == (tmp_path / "afresh").read_bytes()


def _workers_end() -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not any(t.name.startswith("casework-parse") for t in threading.enumerate()):
            return True
        time.sleep(0.01)
    return False


def test_a_usage_error_after_the_file_leaves_no_read_going(
    case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    begun = _begun(monkeypatch)
    code, _, err = invoke("targets", case_file, "--set", "2007-09")
    assert code == 2
    assert "no target set named '2007-09'" in err
    assert len(begun) == 1
    assert not begun[0].started  # (closed as the command ended)
    assert _workers_end()


def test_processes_reading_their_own_parts_close_the_read_begun(
    case_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework import cli

    begun = _begun(monkeypatch)
    going_when_parts_began: list[bool] = []
    parallel = cli._parallel_findings

    def in_parts(*args: Any, **kwargs: Any) -> Any:
        going_when_parts_began.append(begun[0].started)
        return parallel(*args, **kwargs)

    monkeypatch.setattr(cli, "_parallel_findings", in_parts)
    out = tmp_path / "f.csv"
    code, _, _ = invoke("findings", case_file, "--as-of", "2010-06-30", "-j", "2", "-o", out)
    assert code == 0
    assert going_when_parts_began == [False]  # (closed before the processes start)
    assert out.stat().st_size > 0
    assert _workers_end()


def test_a_json_document_is_not_begun(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    begun = _begun(monkeypatch)
    code, _, _ = invoke("validate", examples / "cases.json", "-f", "json")
    assert code == 0
    assert begun == []
