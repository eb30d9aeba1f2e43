"""Charts drawn with matplotlib (the optional ``report`` extra): the inspection's Chart 1.

Chart 1 of an inspection report shows "percentage scores for each Offender
Management Inspection Criterion and for each of the sections 1-3" (004:181):
one bar per criterion, 1.1 to 3.2, and one per section, each section's bar
after its criteria. Bars carry their displayed percentage; dashed lines mark
where the conclusion bands start. When the scorecard has intervals
(:mod:`casework.intervals`), each bar has an error bar from its interval's low
to its high end (gid ``errorbar-<key>``), and the percentage sits above it.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot,
no global state), and SVG output is deterministic (fixed ids, no date).
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from casework.intervals import level_text
from casework.report.document import Column, Figure, Table
from casework.scoring import Scorecard
from casework.text import month_name, percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

__all__ = [
    "Bar",
    "chart1",
    "chart1_bars",
    "chart1_figure",
    "chart1_table",
    "chart1_title",
    "fieldwork_month",
    "png_bytes",
    "require_matplotlib",
    "save_chart",
    "svg_text",
]

CRITERION_COLOURS = {1: "#8fb3de", 2: "#9fd2b4", 3: "#f2c38f"}
SECTION_COLOURS = {1: "#1d4f91", 2: "#1e7a46", 3: "#b3631b"}
CAPTION = "Chart 1: criterion and section scores (%)"
TITLE = "Chart 1: Scoring of sections 1-3"
"""The published chart's own title (004:183)."""


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
    low: float | None = None
    """Lower end of the score's confidence interval (a proportion), if intervals are on."""
    high: float | None = None
    """Upper end of the score's confidence interval."""

    @property
    def percent(self) -> float:
        """Height of the bar, in percent."""
        return float(self.score * 100)

    @property
    def error(self) -> tuple[float, float] | None:
        """The error bar, in percentage points below and above the bar's top."""
        if self.low is None or self.high is None:
            return None
        return max(0.0, self.percent - self.low * 100), max(0.0, self.high * 100 - self.percent)


def chart1_bars(card: Scorecard) -> tuple[Bar, ...]:
    """The bars of Chart 1 in order: each section's criteria, then the section.

    Criteria and sections with no score (no relevant case at all) have no bar.
    Each bar carries its confidence interval when the card has intervals.
    """
    intervals = card.intervals
    bars: list[Bar] = []
    for section in card.sections:
        for criterion in card.criteria:
            if criterion.section == section.number and criterion.score is not None:
                found = intervals.criterion(criterion.id) if intervals else None
                bars.append(
                    Bar(
                        criterion.id,
                        criterion.id,
                        section.number,
                        criterion.score,
                        False,
                        *((found.low, found.high) if found else ()),
                    )
                )
        if section.score is not None:
            key = f"section-{section.number}"
            found = intervals.section(section.number) if intervals else None
            bars.append(
                Bar(
                    key,
                    f"Section {section.number}",
                    section.number,
                    section.score,
                    True,
                    *((found.low, found.high) if found else ()),
                )
            )
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
    level = card.intervals.options.level if card.intervals else None
    labelled = False
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
        error = bar.error
        if error is not None:
            drawn = axes.errorbar(
                position,
                bar.percent,
                yerr=[[error[0]], [error[1]]],
                fmt="none",
                ecolor="#222222",
                elinewidth=0.8,
                capsize=3,
                label=None if labelled else f"{level_text(level or 0.0)} interval",
            )
            labelled = True
            for artist in drawn.lines[2]:
                artist.set_gid(f"errorbar-{bar.key}")
        axes.annotate(
            percent(bar.score),
            (position, bar.percent + (error[1] if error else 0.0)),
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
        if bar.is_section:  # level, on a line of its own below the criteria's labels
            tick.set_fontweight("bold")
            tick.set_y(-0.055)
    axes.set_ylim(0, 105)
    axes.set_yticks(range(0, 101, 20), [f"{value}%" for value in range(0, 101, 20)])
    axes.set_ylabel("Score")
    axes.set_title(chart1_title(card), fontsize=11)
    axes.legend(loc="upper right", fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)
    axes.yaxis.grid(True, color="#e5e5e5")
    return figure


def fieldwork_month(card: Scorecard) -> str | None:
    """The month and year of the fieldwork (``October 2007``; ``October-November 2007`` for
    a week across two), from the inspection file; ``None`` without one."""
    if card.inspection is None:
        return None
    first = card.inspection.fieldwork.start
    last = card.inspection.fieldwork.end or first
    if (first.year, first.month) == (last.year, last.month):
        return f"{month_name(first.month)} {first.year}"
    if first.year == last.year:
        return f"{month_name(first.month)}-{month_name(last.month)} {last.year}"
    return f"{month_name(first.month)} {first.year}-{month_name(last.month)} {last.year}"


def chart1_title(card: Scorecard) -> str:
    """Chart 1's title as published (004:183-185): ``Chart 1: Scoring of sections 1-3``, then
    ``Offender Management Inspection: <area> (<month and year of fieldwork>)``, from the
    inspection file (the second line only with one)."""
    month = fieldwork_month(card)
    if card.inspection is None or month is None:
        return TITLE
    return f"{TITLE}\nOffender Management Inspection: {card.inspection.area} ({month})"


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


def _interval_cell(bar: Bar) -> str | None:
    if bar.low is None or bar.high is None:
        return None
    return f"{percent(Fraction(bar.low))} to {percent(Fraction(bar.high))}"


def chart1_table(card: Scorecard) -> Table:
    """The numbers Chart 1 draws, as a table (for text, Markdown and screen readers)."""
    bars = chart1_bars(card)
    if not any(bar.error for bar in bars):
        return Table(
            (Column("bar", "Bar", nowrap=True), Column("score", "Score", "right")),
            tuple((bar.label, percent(bar.score)) for bar in bars),
            caption=CAPTION,
        )
    return Table(
        (
            Column("bar", "Bar", nowrap=True),
            Column("score", "Score", "right"),
            Column("interval", "Interval (error bar)", "right", nowrap=True),
        ),
        tuple((bar.label, percent(bar.score), _interval_cell(bar)) for bar in bars),
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
