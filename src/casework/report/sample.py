"""The sample report: how an inspection's case sample was drawn, and every adjustment made."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from casework.io import LoadResult
from casework.report.charts import svg_text
from casework.report.document import (
    Block,
    BulletList,
    Column,
    Document,
    Facts,
    Figure,
    Paragraph,
    Section,
    Table,
)
from casework.report.output import Report, record_counts
from casework.sampling import CaseSample, SampledCase, SampleType
from casework.text import long_date, plural

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

    from casework.stream import StreamedRead

__all__ = ["SAMPLE_COLUMNS", "composition_chart", "composition_figure", "sample_report"]

CHART_CAPTION = "Share of each type: eligible population and sample (%)"

#: Columns of the long sample table (CSV): one row per sampled case.
SAMPLE_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Case", nowrap=True),
    Column("origin", "How chosen"),
    Column("added_for", "Added to meet"),
    Column("displaced", "Displaced", nowrap=True),
    Column("types", "Counts for"),
    Column("offender_manager", "Offender manager", nowrap=True),
)

_ORIGIN_WORDS = {"random": "at random", "minimum": "to meet a minimum"}

_BECAUSE_WORDS = {
    "max_size": "the sample was at its maximum size",
    "per_manager": "its offender manager was at the cap",
}

_INELIGIBLE_WORDS = {
    "ended": "the order or licence had ended by the sampling date",
    "not_started": "management starts after the sampling date",
    "too_recent": "managed for less than the window",
    "too_long": "managed for longer than the window",
}


def _type_label(kind: SampleType) -> str:
    return kind.value.replace("_", " ")


def _case_row(entry: SampledCase) -> tuple[str | None, ...]:
    return (
        entry.reference,
        _ORIGIN_WORDS[entry.origin],
        _type_label(entry.added_for) if entry.added_for else None,
        entry.displaced,
        ", ".join(_type_label(t) for t in entry.types),
        entry.offender_manager,
    )


def _method(sample: CaseSample) -> Paragraph:
    shortest, longest = sample.managed_months
    since = (
        "its start (sentence, or release for a licence)"
        if sample.managed_from == "start"
        else "its first allocation to an offender manager"
    )
    draw = (
        "in proportion to the eligible community orders, licences and custody cases"
        if sample.stratify
        else "as one simple random draw"
    )
    cap = (
        f" No offender manager has more than {sample.per_manager} cases."
        if sample.per_manager is not None
        else ""
    )
    drawn = len(sample.drawn_at_random) + len(sample.displaced)
    return Paragraph(
        f"Eligible: cases managed for {shortest} to {longest} months on "
        f"{long_date(sample.as_of)}, counted from {since}, and not ended by then "
        f'("approximately six months", 004:951). {plural(drawn, "case")} drawn at random of '
        f"the {sample.size} asked for, {draw} (seed {sample.seed}); cases were then added at "
        f"random to meet each minimum, growing the sample up to {sample.max_size} and past that "
        f"displacing randomly drawn cases that no minimum needs.{cap} The minimum numbers and "
        "the window are casework parameters: the inspectorate names the types but gives no "
        "numbers (docs/sampling.md)."
    )


def _composition(sample: CaseSample) -> Table:
    total = len(sample.entries)
    rows = []
    for row in sample.composition:
        data = row.to_dict(sample.eligible, total)
        rows.append(
            (
                _type_label(row.type),
                row.minimum or None,
                row.eligible,
                data["eligible_share"],
                row.unknown or None,
                row.drawn_at_random,
                row.added or None,
                row.in_sample,
                data["sample_share"],
                ("met" if row.met else "NOT MET") if row.minimum else None,
            )
        )
    return Table(
        (
            Column("type", "Type"),
            Column("minimum", "Minimum", "right"),
            Column("eligible", "Eligible", "right"),
            Column("eligible_share", "% eligible", "right"),
            Column("unknown", "Not recorded", "right"),
            Column("drawn_at_random", "Drawn", "right"),
            Column("added", "Added", "right"),
            Column("in_sample", "In sample", "right"),
            Column("sample_share", "% sample", "right"),
            Column("met", "Minimum"),
        ),
        tuple(rows),
        caption="Each type in the eligible population and in the sample. 'Drawn' counts the "
        "random draw before top-ups; 'Not recorded' counts eligible cases whose record "
        "cannot say (no RoH level, no REM code).",
    )


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def composition_chart(sample: CaseSample) -> MplFigure:
    """Paired bars per type: its share of the eligible population and of the sample, with
    the minimum marked as a share of the sample (needs matplotlib, ``casework[report]``)."""
    matplotlib = importlib.import_module("matplotlib")
    importlib.import_module("matplotlib.figure")
    total = len(sample.entries)
    rows = sample.composition
    figure: MplFigure = matplotlib.figure.Figure(figsize=(9, 4), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    xs = list(range(len(rows)))
    eligible = [_percent(row.eligible, sample.eligible) for row in rows]
    drawn = [_percent(row.in_sample, total) for row in rows]
    axes.bar([x - 0.2 for x in xs], eligible, width=0.4, color="#8fb3de", label="eligible")
    axes.bar([x + 0.2 for x in xs], drawn, width=0.4, color="#1d4f91", label="sample")
    for x, row in zip(xs, rows, strict=True):
        if row.minimum and total:
            axes.hlines(
                _percent(row.minimum, total), x - 0.4, x + 0.4, colors="#b3631b", linestyles="--"
            )
    axes.plot([], [], color="#b3631b", linestyle="--", label="minimum (share of sample)")
    axes.set_xticks(xs, [_type_label(row.type).replace(" ", "\n") for row in rows], fontsize=8)
    axes.set_ylabel("% of cases")
    axes.set_title(CHART_CAPTION, fontsize=11)
    axes.legend(loc="upper right", fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def composition_figure(sample: CaseSample, *, draw: bool = True) -> Figure:
    """The composition chart for a report; without matplotlib, its description only."""
    total = len(sample.entries)
    alt = "Bar chart of each type's share: " + "; ".join(
        f"{_type_label(row.type)} {row.to_dict(sample.eligible, total)['eligible_share']} of "
        f"eligible cases, {row.to_dict(sample.eligible, total)['sample_share']} of the sample"
        for row in sample.composition
    )
    if not draw:
        return Figure("", alt, CHART_CAPTION)
    try:
        figure = composition_chart(sample)
    except ImportError:
        return Figure("", "Install casework[report] (matplotlib) to draw the chart. " + alt)
    return Figure(svg_text(figure), alt, "")


def _adjustments(sample: CaseSample) -> Block:
    added = sample.added
    because = {d.by: _BECAUSE_WORDS[d.because] for d in sample.displaced}
    if not added:
        return Paragraph("No case was added: the random draw met every minimum.")
    return Table(
        (
            Column("step", "Step", "right"),
            Column("reference", "Case added", nowrap=True),
            Column("added_for", "To meet the minimum of"),
            Column("displaced", "Displacing (drawn at random)", nowrap=True),
            Column("because", "Because"),
        ),
        tuple(
            (
                e.step,
                e.reference,
                _type_label(e.added_for) if e.added_for else None,
                e.displaced,
                because.get(e.reference),
            )
            for e in added
        ),
        caption="In the order the top-ups were made.",
    )


def sample_report(
    sample: CaseSample,
    *,
    source: str | None = None,
    load: LoadResult | StreamedRead | None = None,
    chart: bool = False,
) -> Report:
    """A report of a drawn sample: method, eligibility, composition, adjustments, cases.

    ``source`` names the caseload file; ``load`` adds its record counts to the data;
    ``chart`` adds a chart of the composition (drawn when matplotlib is installed; meant
    for HTML: text and Markdown show its one-line description).
    """
    total = len(sample.entries)
    facts: list[tuple[str, str]] = []
    if source:
        facts.append(("Caseload", source))
    facts += [
        ("Sampling date", long_date(sample.as_of)),
        ("Seed", str(sample.seed)),
        ("Cases in the caseload", str(sample.population)),
        ("Eligible", str(sample.eligible)),
        ("Sample", f"{total} ({len(sample.drawn_at_random)} at random, {len(sample.added)} added)"),
        ("Minimums not met", str(len(sample.unmet)) if sample.unmet else "none"),
    ]
    ineligible = BulletList(
        tuple(
            f"{plural(count, 'case')}: {_INELIGIBLE_WORDS.get(reason, reason)}"
            for reason, count in sample.ineligible.items()
        ),
        title="Cases left out:" if sample.ineligible else "",
        empty="Every case was eligible.",
    )
    unmet = BulletList(
        tuple(
            f"{_type_label(u.type)}: {u.achieved} of the {u.minimum} asked for, because "
            f"{u.explanation}."
            for u in sample.unmet
        ),
        empty="Every minimum was met.",
    )
    cases = Table(SAMPLE_COLUMNS, tuple(_case_row(entry) for entry in sample.entries))
    blocks: list[Block] = [
        Facts(tuple(facts)),
        _method(sample),
        Section("Eligibility", (ineligible,), id="eligibility"),
        Section(
            "Composition against the eligible population",
            (_composition(sample), *((composition_figure(sample),) if chart else ())),
        ),
        Section("Minimums not met", (unmet,), id="unmet"),
        Section("Cases added to meet a minimum", (_adjustments(sample),), id="added"),
    ]
    if sample.notes:
        blocks.append(Section("Notes", (BulletList(sample.notes),), id="notes"))
    blocks.append(Section("Cases in the sample", (cases,), id="cases"))
    data: dict[str, Any] = sample.to_dict()
    if source:
        data["source"] = source
    if load is not None:
        data["records"] = record_counts(load)
    return Report(Document("Case sample", tuple(blocks)), data, cases)
