"""The Python examples in the OMI docs run and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from tests.conftest import ROOT

DOCS = ("docs/omi-2007.md", "docs/scoring.md")


def _blocks(path: str) -> list[str]:
    text = (ROOT / path).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.+?)\n```", text, flags=re.DOTALL)


def _claims(block: str) -> list[str]:
    """``print(x)  # shown`` claims that ``shown`` is printed."""
    return [
        match.group(1)
        for line in block.splitlines()
        if line.startswith("print(") and (match := re.search(r"\)  # (.+)$", line))
    ]


@pytest.mark.parametrize("path", DOCS)
def test_doc_examples_print_what_they_say(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = _blocks(path)
    assert blocks
    for block in blocks:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(block, path, "exec"), {})
        claims = _claims(block)
        assert claims
        for claim in claims:
            assert claim in output.getvalue(), (path, claim)
