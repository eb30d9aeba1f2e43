"""The inspection report: scores laid out as HMI Probation's OMI report lays them out.

Summary of scores (Chart 1, the section 4 table, the RoH thread), then per
section and criterion: the score, the conclusion sentence, the question table
(proportions and counts) and the strengths and areas for improvement drawn
from the question results.

Which questions are listed as strengths or areas for improvement is not
something the report states a rule for: its lists are the inspectors' choice
(004:343-352 lists 71% among the strengths and 82% among the areas for
improvement of criterion 1.1). casework lists a question as a strength when
at least ``strengths_from`` of its relevant cases were above the line, and
as an area for improvement when fewer than ``improvements_below`` were
(docs/decisions.md#report-highlights); both can be changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs

from casework.intervals import Interval, ScoreIntervals, level_text, share_text
from casework.io import LoadResult
from casework.report.charts import chart1_figure
from casework.report.document import (
    Block,
    BulletList,
    Column,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
)
from casework.report.output import Report, record_counts
from casework.scoring import FEW_ASSESSED, CriterionScore, QuestionScore, Scorecard
from casework.stream import StreamedRead
from casework.text import long_date, percent, plural

__all__ = [
    "QUESTION_COLUMNS",
    "Highlights",
    "highlights",
    "inspection_report",
    "question_records",
]

SECTION_TITLES = {
    1: "Assessment and sentence planning",
    2: "Implementation of interventions",
    3: "Achievement and monitoring of outcomes",
    4: "Leadership and strategic management",
}

#: Columns of the long question table (CSV): one row per question.
QUESTION_COLUMNS: tuple[Column, ...] = (
    Column("criterion", "Criterion"),
    Column("question_id", "Question id"),
    Column("question", "Question"),
    Column("kind", "Kind"),
    Column("summary", "Summary"),
    Column("scored", "Scored"),
    Column("roh", "RoH thread"),
    Column("group", "Group"),
    Column("above", "Above the line"),
    Column("below", "Below the line"),
    Column("relevant", "Relevant"),
    Column("unanswered", "Unanswered"),
    Column("not_applicable", "Not applicable"),
    Column("not_evidenced", "Not evidenced"),
    Column("proportion", "Proportion"),
    Column("display", "Shown as"),
    Column("interval_low", "Interval low"),
    Column("interval_high", "Interval high"),
)


@attrs.frozen
class Highlights:
    """The questions listed as strengths and as areas for improvement of one criterion."""

    strengths: tuple[QuestionScore, ...]
    improvements: tuple[QuestionScore, ...]


def highlights(
    criterion: CriterionScore,
    *,
    strengths_from: Fraction = Fraction(3, 4),
    improvements_below: Fraction = Fraction(2, 3),
) -> Highlights:
    """Strengths: questions at or above ``strengths_from``; areas for improvement: below
    ``improvements_below``. Best first and worst first; summary questions and
    questions with no relevant case are never listed."""
    scored = [
        (q, q.proportion) for q in criterion.questions if q.proportion is not None and not q.summary
    ]
    strengths = sorted(
        ((q, p) for q, p in scored if p >= strengths_from), key=lambda item: -item[1]
    )
    improvements = sorted(
        ((q, p) for q, p in scored if p < improvements_below), key=lambda item: item[1]
    )
    return Highlights(tuple(q for q, _ in strengths), tuple(q for q, _ in improvements))


def _share(question: QuestionScore) -> str:
    above, relevant = question.counts
    shown = percent(question.proportion) if question.proportion is not None else "-"
    return f"{above} of {relevant} relevant cases ({shown})"


def _highlight_text(question: QuestionScore) -> str:
    return f"{question.id} {question.question} Sufficient in {_share(question)}."


def _interval_text(interval: Interval | None) -> str | None:
    return None if interval is None else interval.display


def _level_text(intervals: ScoreIntervals) -> str:
    return level_text(intervals.options.level)


def _question_rows(
    questions: Iterable[QuestionScore], intervals: ScoreIntervals | None
) -> tuple[tuple[str | int | None, ...], ...]:
    rows = []
    for q in questions:
        above, relevant = q.counts
        label = f"{q.question} (summary)" if q.summary else q.question
        row: tuple[str | int | None, ...] = (
            q.id,
            label,
            above,
            relevant,
            percent(q.proportion) if q.proportion is not None else None,
        )
        if intervals is not None:
            row += (_interval_text(intervals.question(q.id)),)
        rows.append((*row, "RoH" if q.roh else None))
    return tuple(rows)


def _question_table(intervals: ScoreIntervals | None) -> tuple[Column, ...]:
    interval = (
        (Column("interval", f"{_level_text(intervals)} interval", "right", nowrap=True),)
        if intervals is not None
        else ()
    )
    return (
        Column("id", "Id", nowrap=True),
        Column("question", "Question"),
        Column("above", "Sufficient", "right"),
        Column("relevant", "Relevant", "right"),
        Column("proportion", "%", "right"),
        *interval,
        Column("roh", "Thread"),
    )


def _criterion_section(
    criterion: CriterionScore,
    strengths_from: Fraction,
    improvements_below: Fraction,
    intervals: ScoreIntervals | None,
) -> Section:
    title = criterion.criterion.title if criterion.criterion else ""
    score = criterion.display or "no score"
    blocks: list[Block] = []
    if criterion.criterion is not None:
        blocks.append(Paragraph(criterion.criterion.statement))
    facts = [("Score", score)]
    if criterion.conclusion:
        facts.append(("Conclusion", criterion.conclusion))
    if criterion.basis != "weighted":
        facts.append(("Basis", criterion.basis.replace("_", " ")))
    if intervals is not None:
        interval = intervals.criterion(criterion.id)
        if interval is not None:
            facts.append((f"{_level_text(intervals)} interval", interval.display))
        chances = intervals.band(criterion.id)
        if chances is not None and chances.text:
            facts.append(("Conclusion band on resampling", chances.text))
            if chances.unstable:
                facts.append(
                    (
                        "Band flag",
                        f"the published band holds in fewer than "
                        f"{percent(Fraction(chances.threshold))} of resamples",
                    )
                )
    blocks.append(Facts(tuple(facts)))
    listed = [*criterion.questions, *([criterion.summary] if criterion.summary else [])]
    table = _question_table(intervals)
    blocks.append(Table(table, _question_rows(listed, intervals)))
    if criterion.descriptive:
        blocks.append(
            Table(
                table,
                _question_rows(criterion.descriptive, intervals),
                caption="Context (counted, not scored)",
            )
        )
    chosen = highlights(
        criterion, strengths_from=strengths_from, improvements_below=improvements_below
    )
    blocks.append(
        BulletList(tuple(_highlight_text(q) for q in chosen.strengths), title="Strengths")
    )
    blocks.append(
        BulletList(
            tuple(_highlight_text(q) for q in chosen.improvements),
            title="Areas for improvement",
        )
    )
    return Section(
        f"{criterion.id} {title}: {score}", tuple(blocks), id=f"criterion-{criterion.id}"
    )


def _band_cell(intervals: ScoreIntervals, criterion_id: str) -> str | None:
    chances = intervals.band(criterion_id)
    share = None if chances is None else chances.published_share
    if chances is None or share is None:
        return None
    text = f"{share_text(share)} of resamples"
    if chances.unstable:
        return f"{text} (flag: under {percent(Fraction(chances.threshold))})"
    return text


def _summary_of_scores(card: Scorecard, chart: bool) -> Section:
    blocks: list[Block] = [chart1_figure(card, draw=chart)]
    intervals = card.intervals
    columns = [
        Column("criterion", "Criterion", nowrap=True),
        Column("title", "Title"),
        Column("score", "Score", "right"),
    ]
    if intervals is not None:
        columns.append(
            Column("interval", f"{_level_text(intervals)} interval", "right", nowrap=True)
        )
    columns.append(Column("conclusion", "Conclusion"))
    if intervals is not None:
        columns.append(Column("band_share", "Same conclusion in"))
    rows: list[tuple[str | int | None, ...]] = []
    for c in card.criteria:
        row: list[str | int | None] = [c.id, c.criterion.title if c.criterion else None, c.display]
        if intervals is not None:
            row.append(_interval_text(intervals.criterion(c.id)))
        row.append(c.conclusion)
        if intervals is not None:
            row.append(_band_cell(intervals, c.id))
        rows.append(tuple(row))
    for sec in card.sections:
        row = [f"Section {sec.number}", SECTION_TITLES.get(sec.number), sec.display]
        if intervals is not None:
            row.append(_interval_text(intervals.section(sec.number)))
        row.append(None)
        if intervals is not None:
            row.append(None)
        rows.append(tuple(row))
    scores = Table(tuple(columns), tuple(rows), caption="Criterion and section scores")
    blocks.append(scores)
    if card.section4:
        blocks.append(
            Table(
                (
                    Column("criterion", "Criterion", nowrap=True),
                    Column("title", "Title"),
                    Column("grade", "Grade"),
                ),
                tuple(
                    (s.criterion.id, s.criterion.title, s.grade.label if s.grade else None)
                    for s in card.section4
                ),
                caption="Table 1: Section 4, Leadership and strategic management",
            )
        )
    thread = card.roh_thread
    thread_rows: list[tuple[str | int | None, ...]] = [
        ("Score for Risk of Harm thread", percent(thread.score) if thread.score else None),
        ("Questions averaged", len(thread.questions)),
    ]
    if thread.threshold is not None:
        flagged = "yes" if thread.below_threshold else "no"
        thread_rows.append((f"Below the threshold of {percent(thread.threshold)}", flagged))
    thread_columns = [Column("item", "Risk of Harm thread"), Column("value", "Value", "right")]
    if intervals is not None:
        # The interval in a column of its own, beside the score it is of.
        thread_columns.append(
            Column("interval", f"{_level_text(intervals)} interval", "right", nowrap=True)
        )
        shown = _interval_text(intervals.roh_thread)
        thread_rows = [(*row, shown if i == 0 else None) for i, row in enumerate(thread_rows)]
    blocks.append(
        Table(tuple(thread_columns), tuple(thread_rows), caption="Table 2: Risk of Harm thread")
    )
    if intervals is not None:
        blocks.append(Paragraph(_method_text(intervals)))
    return Section("Summary of scores", tuple(blocks), id="summary")


def _method_text(intervals: ScoreIntervals) -> str:
    options = intervals.options
    unstable = intervals.unstable()
    flagged = (
        f" Flagged: {', '.join(unstable)} (the published conclusion holds in fewer than "
        f"{percent(Fraction(options.band_threshold))} of resamples)."
        if unstable
        else ""
    )
    return (
        f"How sure each score is: {_level_text(intervals)} intervals. Questions: Wilson score "
        f"intervals. Criteria, sections and the RoH thread: percentile bootstrap over the "
        f"{plural(intervals.cases, 'case')} of the sample ({options.resamples:,} resamples, "
        f'seed {options.seed}), each case keeping all its answers; "Same conclusion in" is '
        f"the share of resamples giving the published conclusion.{flagged} The intervals cover "
        "sampling variation only: not disagreement between assessors, and not the effect of "
        "cases added to the sample to meet minimum numbers, which were not drawn at random "
        "(docs: scoring, How sure each score is)."
    )


def question_records(card: Scorecard) -> list[dict[str, Any]]:
    """One row per question of the scorecard, keyed as :data:`QUESTION_COLUMNS`.

    Counts are ints, flags bools, ``proportion`` an exact ``Fraction`` (``None``
    with no relevant case), ``display`` the half-up percentage, ``interval_low`` and
    ``interval_high`` the Wilson interval as floats (``None`` with no relevant case or
    with intervals turned off).
    """
    intervals = card.intervals
    return [
        {
            "criterion": q.criterion,
            "question_id": q.id,
            "question": q.question,
            "kind": q.kind.value,
            "summary": q.summary,
            "scored": q.scored,
            "roh": q.roh,
            "group": q.group,
            "above": len(q.above),
            "below": len(q.below),
            "relevant": q.relevant,
            "unanswered": len(q.unanswered),
            "not_applicable": len(q.not_applicable),
            "not_evidenced": len(q.not_evidenced),
            "proportion": q.proportion,
            "display": None if q.proportion is None else percent(q.proportion),
            "interval_low": None if interval is None else interval.low,
            "interval_high": None if interval is None else interval.high,
        }
        for q in card.questions
        for interval in (intervals.question(q.id) if intervals is not None else None,)
    ]


def _csv_cell(value: object) -> str | int | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return str(value)
    return value if value is None or isinstance(value, int | str) else str(value)


def inspection_report(
    card: Scorecard,
    *,
    source: str | None = None,
    load: LoadResult | StreamedRead | None = None,
    chart: bool = True,
    strengths_from: Fraction = Fraction(3, 4),
    improvements_below: Fraction = Fraction(2, 3),
    few_assessed: Fraction = FEW_ASSESSED,
) -> Report:
    """An inspection report from a scorecard (:func:`casework.score_inspection`).

    Args:
        card: the scorecard.
        source: the case file's name, shown and kept in the data.
        load: the load result, to say how many records were read and rejected.
        chart: draw Chart 1 (needs matplotlib, the ``report`` extra); without it,
            or without matplotlib, the chart's numbers are shown as a table.
        strengths_from, improvements_below: which questions are listed as
            strengths and areas for improvement (:func:`highlights`).
        few_assessed: when fewer than this share of the applicable case-answers
            could be assessed, the report opens with a warning
            (:meth:`Scorecard.evidence_warning`); it is also in the data.
    """
    inspection = card.inspection
    facts: list[tuple[str, str]] = []
    if inspection is not None:
        facts.append(("Area", inspection.area))
        fieldwork = inspection.fieldwork
        if fieldwork.end is not None:
            facts.append(
                ("Fieldwork", f"{long_date(fieldwork.start)} to {long_date(fieldwork.end)}")
            )
        facts.append(("As of", long_date(inspection.as_of)))
    facts.append(("Rule set", ", ".join(card.rulesets) or "-"))
    if source is not None:
        facts.append(("Case file", source))
    if load is not None:
        facts.append(("Records", load.summary()))
    facts.append(("Cases", str(len(card.cases))))
    warning = card.evidence_warning(few_assessed)
    blocks: list[Block] = [Paragraph(f"Warning: {warning}.")] if warning else []
    blocks.extend([Facts(tuple(facts)), _summary_of_scores(card, chart)])
    for section in card.sections:
        criteria = [c for c in card.criteria if c.section == section.number]
        title = SECTION_TITLES.get(section.number, f"Section {section.number}")
        blocks.append(
            Section(
                f"Section {section.number}: {title}: {section.display or 'no score'}",
                tuple(
                    _criterion_section(c, strengths_from, improvements_below, card.intervals)
                    for c in criteria
                ),
                id=f"section-{section.number}",
            )
        )
    if card.section4:
        blocks.append(
            Section(
                f"Section 4: {SECTION_TITLES[4]}",
                tuple(
                    Section(
                        f"{s.criterion.id} {s.criterion.title}: "
                        f"{s.grade.label if s.grade else 'not graded'}",
                        (Paragraph(s.criterion.statement),),
                    )
                    for s in card.section4
                ),
                id="section-4",
            )
        )
    if card.warnings:
        blocks.append(Section("Warnings", (BulletList(card.warnings),), id="warnings"))
    title = "Offender Management Inspection"
    if inspection is not None:
        title = f"{title}: {inspection.area}"
    data: dict[str, Any] = {"kind": "inspection", "source": source, "evidence_warning": warning}
    if load is not None:
        data["records"] = record_counts(load)
    data["highlights"] = {
        "strengths_from": str(strengths_from),
        "improvements_below": str(improvements_below),
        "criteria": {
            c.id: {
                "strengths": [q.id for q in chosen.strengths],
                "improvements": [q.id for q in chosen.improvements],
            }
            for c in card.criteria
            for chosen in (
                highlights(c, strengths_from=strengths_from, improvements_below=improvements_below),
            )
        },
    }
    data["scorecard"] = card.to_dict()
    keys = [column.key for column in QUESTION_COLUMNS]
    table = Table(
        QUESTION_COLUMNS,
        tuple(tuple(_csv_cell(row[key]) for key in keys) for row in question_records(card)),
    )
    return Report(Document(title, tuple(blocks)), data, table)
