"""The example notebook runs headless through Jupyter's own front end, top to bottom, and
every result type in it shows itself as compact HTML."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from tests.conftest import EXAMPLES

NOTEBOOK = EXAMPLES / "score-sample.ipynb"
RESULT_TYPES = ("Scorecard", "Findings", "LoadResult", "TargetReport", "Comparison", "Case")
"""The result types issue 13 asks to show as rich displays in a notebook."""


def _jupyter() -> str:
    script = Path(sys.executable).parent / "jupyter"
    assert script.exists(), "the notebook extra installs the jupyter front end (nbconvert)"
    return str(script)


def test_the_notebook_runs_headless_and_shows_each_result_as_html(tmp_path: Path) -> None:
    source = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in source.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    result = subprocess.run(
        [
            _jupyter(),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=300",
            str(NOTEBOOK),
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    notebook = nbformat.read(tmp_path / NOTEBOOK.name, as_version=4)
    by_source = {
        cell.source.strip().splitlines()[-1]: cell.outputs
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.outputs
    }
    outputs = [output for cell_outputs in by_source.values() for output in cell_outputs]
    data = [output.get("data", {}) for output in outputs]
    assert any("image/png" in item for item in data), "Chart 1 should be drawn"
    html = "\n".join(item.get("text/html", "") for item in data)
    assert "Performance against this criterion was good." in html
    assert '<div class="casework-report">' in html
    assert "106 records read: 106 cases accepted, 0 rejected" in "".join(
        output.get("text", "") for output in outputs
    )

    def shown(line: str) -> dict[str, str]:
        """The rich output (the value of the last line) of the cell whose last line is ``line``."""
        (output,) = [out for out in by_source[line] if out.output_type == "execute_result"]
        return dict(output["data"])

    # each result type: a compact HTML summary and a one-line text repr
    for name in RESULT_TYPES:
        plain_starts = (f"<{name} ", f"<{name}:", f"{name}(")
        results = [item for item in data if item.get("text/plain", "").startswith(plain_starts)]
        assert results, f"no cell shows a {name}"
        for item in results:
            assert '<div class="casework-repr">' in item.get("text/html", ""), name
    for line, title, plain in (
        ("findings", "Findings", "<Findings: 27242 findings, 106 cases"),
        ("loaded", "Cases loaded", "<LoadResult: 106 records read"),
        ("loaded.cases[0]", "Case ", "Case(reference="),
        ("card", "Scorecard: omi-2007", "<Scorecard omi-2007"),
        ("targets", "Target report: nps-2007-08", "<TargetReport nps-2007-08"),
        ("diff", "Comparison: omi-2007", "<Comparison omi-2007"),
    ):
        output = shown(line)
        assert '<div class="casework-repr">' in output["text/html"], line
        assert f"<strong>{title}" in output["text/html"], line
        assert output["text/plain"].startswith(plain), line
        assert len(output["text/plain"]) < 400, line
        assert len(output["text/html"]) < 6000, line  # first rows only, however many cases
    assert "more; 106 cases in all" in shown("loaded")["text/html"]
    assert "national" in shown("targets")["text/html"]
