"""The example notebook runs headless, top to bottom, and draws what it says."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from tests.conftest import EXAMPLES


def test_the_notebook_scores_the_sample_and_draws_the_chart() -> None:
    notebook = nbformat.read(EXAMPLES / "score-sample.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
        allow_errors=False,
    )
    client.execute()
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    data = [output.get("data", {}) for output in outputs]
    assert any("image/png" in item for item in data), "Chart 1 should be drawn"
    html = "\n".join(item.get("text/html", "") for item in data)
    assert "Performance against this criterion was good." in html
    assert '<div class="casework-report">' in html
    assert "106 records read: 106 cases accepted, 0 rejected" in "".join(
        output.get("text", "") for output in outputs
    )
