"""Charts drawn with matplotlib (the optional ``report`` extra): the inspection's Chart 1.

Chart 1 of an inspection report shows "percentage scores for each Offender
Management Inspection Criterion and for each of the sections 1-3" (004:181):
one bar per criterion, 1.1 to 3.2, and one per section, each section's bar
after its criteria. Bars carry their displayed percentage; dashed lines mark
where the conclusion bands start.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot,
no global state), and SVG output is deterministic (fixed ids, no date).
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from casework.report.document import Column, Figure, Table
from casework.scoring import Scorecard
from casework.text import percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

__all__ = [
    "Bar",
    "chart1",
    "chart1_bars",
    "chart1_figure",
    "chart1_table",
    "png_bytes",
    "require_matplotlib",
    "save_chart",
    "svg_text",
]

CRITERION_COLOURS = {1: "#8fb3de", 2: "#9fd2b4", 3: "#f2c38f"}
SECTION_COLOURS = {1: "#1d4f91", 2: "#1e7a46", 3: "#b3631b"}
CAPTION = "Chart 1: criterion and section scores (%)"


@attrs.frozen
class Bar:
    """One bar of Chart 1: what it is, its label, its exact score."""

    key: str
    """``1.2`` for a criterion, ``section-1`` for a section."""
    label: str
    section: int
    score: Any
    """The exact score (a ``Fraction``)."""
    is_section: bool

    @property
    def percent(self) -> float:
        """Height of the bar, in percent."""
        return float(self.score * 100)


def chart1_bars(card: Scorecard) -> tuple[Bar, ...]:
    """The bars of Chart 1 in order: each section's criteria, then the section.

    Criteria and sections with no score (no relevant case at all) have no bar.
    """
    bars: list[Bar] = []
    for section in card.sections:
        for criterion in card.criteria:
            if criterion.section == section.number and criterion.score is not None:
                bars.append(Bar(criterion.id, criterion.id, section.number, criterion.score, False))
        if section.score is not None:
            key = f"section-{section.number}"
            bars.append(Bar(key, f"Section {section.number}", section.number, section.score, True))
    return tuple(bars)


def _matplotlib() -> Any:
    """matplotlib, imported when a chart is drawn (it is an optional extra, and slow to import)."""
    try:
        matplotlib = importlib.import_module("matplotlib")
        importlib.import_module("matplotlib.figure")
    except ImportError:
        raise ImportError('charts need matplotlib: pip install "casework[report]"') from None
    return matplotlib


def require_matplotlib() -> None:
    """Raise ``ImportError`` with the install hint when matplotlib is missing (so a command
    can check before doing any work)."""
    _matplotlib()


def chart1(card: Scorecard) -> MplFigure:
    """Chart 1 as a matplotlib figure (each bar's ``gid`` is ``chart1-<key>``)."""
    matplotlib = _matplotlib()
    bars = chart1_bars(card)
    figure: MplFigure = matplotlib.figure.Figure(figsize=(10, 4.8), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    positions: list[float] = []
    x = 0.0
    for index in range(len(bars)):
        if index and bars[index - 1].is_section:
            x += 0.8  # a gap between sections
        positions.append(x)
        x += 1.0
    for position, bar in zip(positions, bars, strict=True):
        colours = SECTION_COLOURS if bar.is_section else CRITERION_COLOURS
        (patch,) = axes.bar(
            position,
            bar.percent,
            width=0.8,
            color=colours[bar.section],
            edgecolor="#333333",
            linewidth=0.6,
        )
        patch.set_gid(f"chart1-{bar.key}")
        axes.annotate(
            percent(bar.score),
            (position, bar.percent),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold" if bar.is_section else "normal",
        )
    styles = ("--", ":", "-.")
    for (bound, band), style in zip(reversed(card.bands.bands[1:]), styles, strict=False):
        axes.axhline(
            float(bound * 100),
            color="#666666",
            linestyle=style,
            linewidth=0.8,
            label=f"conclusion '{band.phrase}' from {percent(bound)}",
        )
    axes.set_xticks(positions, [bar.label for bar in bars], rotation=0, fontsize=8)
    for tick, bar in zip(axes.get_xticklabels(), bars, strict=True):
        if bar.is_section:
            tick.set_fontweight("bold")
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")
    axes.set_ylim(0, 105)
    axes.set_yticks(range(0, 101, 20), [f"{value}%" for value in range(0, 101, 20)])
    axes.set_ylabel("Score")
    axes.set_title(CAPTION, fontsize=11)
    axes.legend(loc="upper right", fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)
    axes.yaxis.grid(True, color="#e5e5e5")
    return figure


def _rc() -> dict[str, Any]:
    return {"svg.hashsalt": "casework-chart", "svg.fonttype": "none", "font.family": "DejaVu Sans"}


def svg_text(figure: MplFigure) -> str:
    """The figure as an SVG element to put inside HTML (no XML prolog, no date)."""
    matplotlib = _matplotlib()
    buffer = io.StringIO()
    with matplotlib.rc_context(_rc()):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def png_bytes(figure: MplFigure, *, dpi: int = 150) -> bytes:
    """The figure as PNG."""
    matplotlib = _matplotlib()
    buffer = io.BytesIO()
    with matplotlib.rc_context(_rc()):
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _alt(bars: Sequence[Bar], card: Scorecard) -> str:
    parts = []
    for section in card.sections:
        members = ", ".join(
            f"{bar.label} {percent(bar.score)}"
            for bar in bars
            if bar.section == section.number and not bar.is_section
        )
        shown = section.display or "no score"
        parts.append(f"Section {section.number} {shown} ({members})")
    return "Bar chart of scores: " + "; ".join(parts) + "."


def chart1_table(card: Scorecard) -> Table:
    """The numbers Chart 1 draws, as a table (for text, Markdown and screen readers)."""
    return Table(
        (Column("bar", "Bar", nowrap=True), Column("score", "Score", "right")),
        tuple((bar.label, percent(bar.score)) for bar in chart1_bars(card)),
        caption=CAPTION,
    )


def chart1_figure(card: Scorecard, *, draw: bool = True) -> Figure:
    """Chart 1 for a report: SVG (and PNG) when matplotlib is installed, always the numbers."""
    bars = chart1_bars(card)
    table = chart1_table(card)
    if not draw:
        return Figure("", _alt(bars, card), CAPTION, table=table)
    try:
        figure = chart1(card)
    except ImportError:
        note = "Install casework[report] (matplotlib) to draw the chart. "
        return Figure("", note + _alt(bars, card), CAPTION, table=table)
    # The drawing carries its own title, so the HTML needs no caption under it.
    return Figure(svg_text(figure), _alt(bars, card), "", table=table)


def save_chart(
    card: Scorecard, path: str | Path, format: Literal["png", "svg"] | None = None
) -> Path:
    """Save Chart 1 as PNG or SVG (by ``format``, else by the file's suffix)."""
    target = Path(path)
    kind = format or target.suffix.lower().lstrip(".")
    figure = chart1(card)
    if kind == "svg":
        target.write_text(svg_text(figure), encoding="utf-8")
    elif kind == "png":
        target.write_bytes(png_bytes(figure))
    else:
        raise ValueError(f"a chart is saved as .png or .svg, not {target.name!r}")
    return target
