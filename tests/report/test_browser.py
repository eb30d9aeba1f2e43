"""The findings report as a person sees it: rendered by headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image

from casework.report import findings_report
from casework.rules import Findings
from tests.report.browser import dom, require_chromium, screenshot


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    """Skipped with the reason where Chromium is missing; a failure where CI requires it."""
    require_chromium()


def _screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: $CASEWORK_SCREENSHOTS (to look at them afterwards) or a temp dir."""
    folder = Path(os.environ.get("CASEWORK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _ink(png: Path) -> float:
    """Share of pixels that are not (nearly) white."""
    pixels = image.imread(png)[..., :3]
    return float((pixels.min(axis=2) < 0.9).mean())


def test_findings_report_renders_in_chromium(example_findings: Findings, tmp_path: Path) -> None:
    page = findings_report(example_findings, source="cases.json").save(tmp_path / "findings.html")
    rendered = dom(page)
    assert '<h1>Findings: <span class="nobr">national-standards-2007</span></h1>' in rendered
    rules = len({f.rule_id for f in example_findings})
    assert rendered.count("<tr>") == 1 + rules + 1 + len(example_findings)

    png = screenshot(page, _screenshots(tmp_path) / "findings.png")
    pixels = image.imread(png)
    assert pixels.shape[:2] == (1600, 1200)
    assert 0.02 < _ink(png) < 0.6, "the page should show text and tables, not be blank"
    assert np.unique(pixels.reshape(-1, pixels.shape[2]), axis=0).shape[0] > 50


# The inspection, targets and comparison reports, made by the command line, are checked
# as Chromium shows them (screen and print) in test_screenshots.py.
