"""The command line's help examples name only files the project ships, and they are valid."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest

from casework.cli import main
from casework.rules.ruleset import resolve_ruleset
from tests.conftest import EXAMPLES

#: Options whose value is a file the command writes, not one it reads.
WRITES = {"-o", "--output", "--chart", "--cases", ">"}
SUFFIXES = {".json", ".jsonl", ".yaml", ".yml", ".toml", ".csv"}


def _help(name: str | None) -> str:
    root = click.Context(main, info_name="casework")
    if name is None:
        return main.get_help(root)
    command = main.commands[name]
    return command.get_help(click.Context(command, info_name=name, parent=root))


def _example_commands(text: str) -> list[list[str]]:
    commands: list[str] = []
    joined = False
    for raw in text.splitlines():
        line = raw.strip()
        if joined:
            commands[-1] = commands[-1].rstrip("\\").rstrip() + " " + line
        elif line.startswith("casework "):
            commands.append(line)
        joined = line.endswith("\\")
    return [shlex.split(command.split(" | ")[0]) for command in commands]


def _files_read(words: list[str]) -> list[str]:
    read = []
    for before, word in zip(["", *words], words, strict=False):
        if Path(word).suffix in SUFFIXES and before not in WRITES:
            read.append(word)
    return read


@pytest.mark.parametrize("name", [None, *sorted(main.commands)])
def test_help_examples_read_only_files_in_examples(name: str | None) -> None:
    commands = _example_commands(_help(name))
    assert commands, f"casework {name or ''} --help has no example"
    for words in commands:
        for file in _files_read(words):
            assert (EXAMPLES / file).is_file(), f"{' '.join(words)}: {file} is not shipped"
            if Path(file).suffix in {".toml"} or file.endswith("-resolution.yaml"):
                resolve_ruleset(str(EXAMPLES / file))  # an overlay that applies
