"""The HTML reports an inspector is handed (inspection, targets, comparison), made by the
command line and checked as Chromium shows them: on screen (a screenshot and the laid-out
page) and printed (A4 PDF).

One set of reports is rendered for the whole module (two Chromium runs per report: the
screen at 1200 pixels wide with a screenshot, and the print styles at A4's printable
width with the PDF). A small script added to a copy of each page measures what Chromium
laid out: boxes wider than the page or their cell, images that did not load, text too
small or too faint to read, the colours of the verdicts. Set ``CASEWORK_SCREENSHOTS`` to
a folder to keep the PNGs and PDFs and look at them.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib import image

from casework.cli import main
from tests.conftest import EXAMPLES
from tests.report.browser import render, require_chromium

SCREEN = (1200, 2400)
PRINT_WIDTH = 688
"""A4's printable width in CSS pixels: 210 mm less the @page margins (14 mm each side)."""

COMMANDS = {
    "inspection": ["score", "omi-sample.json", "-i", "omi-inspection.json"],
    "targets": ["targets", "targets-cases.yaml", "--set", "2007-08", "--period", "2007-08"],
    "comparison": [
        "diff",
        "omi-sample.json",
        "-b",
        "omi-2007",
        "-v",
        "five-day-breach-action.toml",
        "--scores",
    ],
    # a long title of ids and versions: kept whole where the line breaks
    "comparison-targets": [
        "diff",
        "targets-cases.yaml",
        "-b",
        "nps-2007-08",
        "-v",
        "twenty-day-resolution.yaml",
        "--targets",
        "2007-08",
    ],
}

_MEASURE = (
    f"<script>\n{(Path(__file__).parent / 'measure.js').read_text(encoding='utf-8')}</script>\n"
)


@dataclass(frozen=True)
class Rendered:
    """One report as Chromium showed it."""

    html: str
    png: Path
    pdf: Path
    screen: dict[str, Any]
    printed: dict[str, Any]
    size: tuple[int, int]
    """The screenshot's width and height in pixels."""
    ink: float
    """Share of the screenshot's pixels that are not (nearly) white."""
    colours: set[tuple[int, int, int]]
    """The screenshot's distinct colours, (r, g, b) in 0-255."""


def _measured(dom: str) -> dict[str, Any]:
    found = re.search(
        r'<pre id="measured" style="display: none;">([A-Za-z0-9+/=]*)</pre>', dom, re.DOTALL
    )
    assert found, "the measuring script did not run"
    measured: dict[str, Any] = json.loads(base64.b64decode(found.group(1)).decode("utf-8"))
    return measured


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """The inspection, targets and comparison reports, made by `casework` and rendered once."""
    require_chromium()
    work = tmp_path_factory.mktemp("reports")
    keep = os.environ.get("CASEWORK_SCREENSHOTS")
    shots = Path(keep) if keep else work
    shots.mkdir(parents=True, exist_ok=True)
    for name in ("omi-sample.json", "omi-inspection.json", "targets-cases.yaml"):
        shutil.copy(EXAMPLES / name, work / name)
    for overlay in ("five-day-breach-action.toml", "twenty-day-resolution.yaml"):
        shutil.copy(EXAMPLES / overlay, work)
    out: dict[str, Rendered] = {}
    cwd = Path.cwd()
    os.chdir(work)
    try:
        for name, args in COMMANDS.items():
            result = CliRunner().invoke(main, [*args, "-o", f"{name}.html"])
            assert result.exit_code == 0, result.output
    finally:
        os.chdir(cwd)
    for name in COMMANDS:
        html = (work / f"{name}.html").read_text(encoding="utf-8")
        assert "@media print {" in html, "the page has print styles to check"
        screen = work / f"{name}-measured.html"
        screen.write_text(html.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
        # the print styles applied on screen, at the printed page's width
        printed = work / f"{name}-print.html"
        printed.write_text(
            screen.read_text(encoding="utf-8").replace("@media print {", "@media all {"),
            encoding="utf-8",
        )
        png, pdf = shots / f"{name}.png", shots / f"{name}.pdf"
        on_screen = _measured(render(screen, png=png, width=SCREEN[0], height=SCREEN[1]))
        on_paper = _measured(render(printed, pdf=pdf, width=PRINT_WIDTH, height=1000))
        pixels = image.imread(png)[..., :3]
        out[name] = Rendered(
            html=html,
            png=png,
            pdf=pdf,
            screen=on_screen,
            printed=on_paper,
            size=(pixels.shape[1], pixels.shape[0]),
            ink=float((pixels.min(axis=2) < 0.9).mean()),
            colours=_colours(pixels),
        )
    return out


def _colours(pixels: np.ndarray[Any, Any]) -> set[tuple[int, int, int]]:
    rgb = (pixels * 255).round().astype(np.int64).reshape(-1, 3)
    packed = np.unique((rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2])
    return {(int(v >> 16), int(v >> 8 & 255), int(v & 255)) for v in packed}


def _pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """Each page's size in points, read from the PDF's page objects."""
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-"), "not a PDF"
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    sizes = {
        tuple(round(float(v)) for v in box.split()[2:4])
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)
    }
    assert len(sizes) == 1, sizes
    (size,) = sizes
    return [(float(size[0]), float(size[1]))] * pages


@pytest.mark.parametrize("name", COMMANDS)
def test_the_screenshot_shows_a_full_page_of_report(
    reports: dict[str, Rendered], name: str
) -> None:
    report = reports[name]
    assert report.size == SCREEN
    assert 0.02 < report.ink < 0.6, "the page should show text and tables, not be blank"
    assert len(report.colours) > 50, "text is anti-aliased: a rendered page has many shades"
    # the heading's rule (#1d4f91) is drawn: the style sheet applied
    assert (29, 79, 145) in report.colours


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("medium", ["screen", "printed"])
def test_nothing_is_wider_than_the_page_or_its_cell(
    reports: dict[str, Rendered], name: str, medium: str
) -> None:
    measured = getattr(reports[name], medium)
    assert measured["scroll_width"] <= measured["viewport"], "the page scrolls sideways"
    assert measured["wider_than_page"] == []
    assert measured["overflowing"] == []
    assert measured["tables"] > 0


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("medium", ["screen", "printed"])
def test_every_text_is_large_and_dark_enough_to_read(
    reports: dict[str, Rendered], name: str, medium: str
) -> None:
    measured = getattr(reports[name], medium)
    assert measured["small"] == [], "text under 11 px"
    assert measured["faint"] == [], "text below WCAG AA contrast (4.5:1) on its background"


@pytest.mark.parametrize("name", COMMANDS)
def test_titles_keep_ids_whole_and_contents_link_every_section(
    reports: dict[str, Rendered], name: str
) -> None:
    for measured in (reports[name].screen, reports[name].printed):
        assert measured["broken_ids"] == [], "an id or version split over two lines"
        assert measured["h1_lines"] <= 2
        assert measured["contents"] == [f"#{s}" for s in measured["sections"]]
        assert len(measured["sections"]) >= 2
        assert measured["numbers"]["other"] == [], "numbers are right-aligned"
        assert measured["numbers"]["right"] > 0


@pytest.mark.parametrize("name", COMMANDS)
def test_the_print_gives_a4_pages(reports: dict[str, Rendered], name: str) -> None:
    pages = _pdf_pages(reports[name].pdf)
    assert len(pages) > 0
    assert pages[0] == pytest.approx((595.0, 842.0), abs=1.0)  # A4, from the @page rule
    assert b"/Font" in reports[name].pdf.read_bytes(), "the print holds text, not only images"


def test_inspection_report_shows_its_summary_and_chart_1(reports: dict[str, Rendered]) -> None:
    report = reports["inspection"]
    assert report.screen["sections"][0] == "summary"
    # the scores the summary table prints, criterion by criterion and section by section
    printed = {
        key.lower().replace(" ", "-"): int(percent)
        for key, percent in re.findall(
            r'<tr><td class="id">(\d\.\d|Section \d)</td><td>[^<]*</td>'
            r'<td class="num">(\d+)%</td>',
            report.html,
        )
    }
    assert len(printed) == 17  # 14 criteria and sections 1-3
    for measured in (report.screen, report.printed):
        (chart,) = measured["images"]
        assert chart["loaded"]
        assert chart["width"] > 0.9 * measured["content_width"], "Chart 1 spans the page"
        assert measured["bars"].keys() == printed.keys()
        scale = measured["bars"]["1.1"] / printed["1.1"]
        for key, score in printed.items():
            # bars drawn from exact scores, labels rounded to a whole percent
            assert measured["bars"][key] == pytest.approx(score * scale, rel=0.02), key
    assert len(_pdf_pages(report.pdf)) < 60, "the printed report stays a handout"


def test_targets_report_shows_verdicts_in_colour_and_words(reports: dict[str, Rendered]) -> None:
    report = reports["targets"]
    backgrounds: dict[str, set[tuple[int, ...]]] = {}
    for verdict in report.screen["verdicts"]:
        backgrounds.setdefault(verdict["text"], set()).add(tuple(verdict["background"]))
    assert {"met", "not met", "national"} <= backgrounds.keys()
    assert backgrounds["met"] == {(223, 240, 216)}
    assert backgrounds["not met"] == {(247, 217, 215)}
    # the colours are on screen, not only in the style sheet
    assert (223, 240, 216) in report.colours
    assert (247, 217, 215) in report.colours
    # national volume targets are shown, not judged against a handful of cases
    assert "national volume targets shown, not judged" in report.html
    assert ">46,300<" in report.html
    for measured in (report.screen, report.printed):
        assert all(v["lines"] == 1 for v in measured["verdicts"]), "a verdict on one line"


def test_comparison_report_puts_the_score_changes_first(reports: dict[str, Rendered]) -> None:
    report = reports["comparison"]
    assert report.screen["sections"] == [
        "score-and-target-changes",
        "questions-that-changed",
        "cases-that-changed",
    ]
    assert "criterion 2.4" in report.html
    # a row per case that changed, as many as the summary counts
    (changed,) = re.findall(r"<dt>Changed</dt><dd>(\d+) cases? of", report.html)
    cases = report.html[report.html.index('<section id="cases-that-changed">') :]
    assert cases.count("<tr>") == 1 + int(changed) > 1
    assert len(_pdf_pages(report.pdf)) >= 2
