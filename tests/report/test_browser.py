"""HTML reports as a person sees them: rendered by headless Chromium."""

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
    assert "<h1>Findings: national-standards-2007</h1>" in rendered
    rules = len({f.rule_id for f in example_findings})
    assert rendered.count("<tr>") == 1 + rules + 1 + len(example_findings)

    png = screenshot(page, _screenshots(tmp_path) / "findings.png")
    pixels = image.imread(png)
    assert pixels.shape[:2] == (1600, 1200)
    assert 0.02 < _ink(png) < 0.6, "the page should show text and tables, not be blank"
    assert np.unique(pixels.reshape(-1, pixels.shape[2]), axis=0).shape[0] > 50


_MEASURE = """
<script>
const out = {};
for (const group of document.querySelectorAll('g[id^="chart1-"]')) {
  const box = group.querySelector('path').getBoundingClientRect();
  out[group.id.slice(7)] = box.height;
}
const svg = document.querySelector('figure svg').getBoundingClientRect();
const pre = document.createElement('pre');
pre.id = 'measured';
pre.textContent = JSON.stringify({bars: out, width: svg.width, height: svg.height});
document.body.appendChild(pre);
</script>
"""


def test_inspection_report_renders_in_chromium_with_chart_1(tmp_path: Path) -> None:
    import json
    import re

    from casework import WorkingCalendar, load_cases, load_inspection, score_inspection
    from casework.report import inspection_report
    from casework.report.charts import chart1_bars
    from casework.rules import evaluate
    from tests.conftest import EXAMPLES

    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    cases = load_cases(EXAMPLES / "omi-sample.json").cases
    findings = evaluate(
        cases, "omi-2007", as_of=inspection.as_of, calendar=WorkingCalendar.england_and_wales()
    )
    card = score_inspection(findings, inspection=inspection)
    page = inspection_report(card, source="omi-sample.json").save(tmp_path / "inspection.html")

    png = screenshot(page, _screenshots(tmp_path) / "inspection.png", height=2400)
    assert 0.02 < _ink(png) < 0.6

    # The same page with a measuring script: the chart as Chromium lays it out.
    measured_page = tmp_path / "measured.html"
    measured_page.write_text(
        page.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>"), encoding="utf-8"
    )
    rendered = dom(measured_page)
    found = re.search(r'<pre id="measured">(.*?)</pre>', rendered, re.DOTALL)
    assert found, "the measuring script did not run"
    measured = json.loads(found.group(1).replace("&quot;", '"'))
    scores = {bar.key: bar.percent for bar in chart1_bars(card)}
    assert measured["bars"].keys() == scores.keys()
    assert measured["width"] > 500, "the chart should be drawn at a readable size"
    scale = measured["bars"]["1.1"] / scores["1.1"]
    for key, score in scores.items():
        assert measured["bars"][key] == pytest.approx(score * scale, rel=0.02), key
    for criterion in card.criteria:
        assert f"{criterion.id} {criterion.criterion.title}: {criterion.display}" in rendered


def test_comparison_report_renders_in_chromium(tmp_path: Path) -> None:
    import datetime as dt

    from casework import WorkingCalendar, compare, load_cases
    from casework.compare import match_after_prefix
    from casework.report import comparison_report
    from tests.conftest import EXAMPLES

    diff = compare(
        load_cases(EXAMPLES / "cases.json").cases,
        "national-standards-2005",
        "national-standards-2007",
        as_of=dt.date(2007, 10, 15),
        calendar=WorkingCalendar.england_and_wales(),
        match=match_after_prefix,
    )
    page = comparison_report(diff, source="cases.json").save(tmp_path / "comparison.html")
    rendered = dom(page)
    assert "<h1>Comparison: national-standards-2005@" in rendered
    shared = [s for s in diff.rules if s.baseline_rule and s.variant_rule and s.changed]
    one_sided = [s for s in diff.rules if not (s.baseline_rule and s.variant_rule)]
    changes = [c for c in diff.changes if c.key in {s.key for s in shared}]
    # header and a row per question, per case that changed (one table per question, each
    # with its header), per question one set asks
    assert rendered.count("<tr>") == (1 + len(shared)) + (len(shared) + len(changes)) + (
        1 + len(one_sided)
    )
    png = screenshot(page, _screenshots(tmp_path) / "comparison.png", height=2400)
    assert 0.02 < _ink(png) < 0.6


def test_targets_report_renders_in_chromium_with_verdicts_in_colour_and_words(
    tmp_path: Path,
) -> None:
    import datetime as dt

    from casework import Period, WorkingCalendar, load_cases, target_performance
    from casework.report import target_report
    from casework.report.targets import STATUS_WORDS
    from tests.conftest import EXAMPLES

    report = target_performance(
        load_cases(EXAMPLES / "targets-cases.yaml").cases,
        "2007-08",
        period=Period.financial_year("2007-08"),
        as_of=dt.date(2008, 4, 11),
        calendar=WorkingCalendar.england_and_wales(),
    )
    page = target_report(report, source="targets-cases.yaml").save(tmp_path / "targets.html")
    png = screenshot(page, _screenshots(tmp_path) / "targets.png", height=1800)
    assert 0.02 < _ink(png) < 0.6
    # the met and not-met backgrounds are on screen, not only in the style sheet
    pixels = (image.imread(png)[..., :3] * 255).round().astype(int).reshape(-1, 3)
    colours = {tuple(p) for p in np.unique(pixels, axis=0)}
    assert (223, 240, 216) in colours  # met
    assert (247, 217, 215) in colours  # not met

    # the words stay beside the colours (and read in black and white)
    html = page.read_text(encoding="utf-8")
    for result in report:
        word = STATUS_WORDS[result.status]
        assert f'<td class="verdict v-{word.replace(" ", "-")}">{word}</td>' in html
