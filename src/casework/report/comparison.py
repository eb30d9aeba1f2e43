"""Comparison reports: what a rule change does to a set of cases, question by question.

A :class:`~casework.compare.Comparison` becomes a :class:`~casework.report.Report`
like every other result: the questions whose outcomes moved, each case that
changed with both reasons side by side, the questions only one rule set asks,
and the figures (scores, target figures) before and after::

    report = comparison_report(compare(cases, "national-standards-2007", variant, ...))
    print(report)  # text; report.render("html"), report.save("diff.csv"), ...
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from casework._caserefs import Mapped
from casework.compare import (
    Comparison,
    FigureChange,
    FigureValue,
    OutcomeChange,
    RuleSummary,
    SpilledChanges,
)
from casework.intervals import level_text
from casework.io import LoadResult
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
from casework.report.findings import OUTCOME_WORDS, outcome_label
from casework.report.output import Report, record_counts
from casework.rules.engine import Finding, Findings, Outcome
from casework.rules.targets.measure import Aggregation, TargetSet
from casework.stream import StreamedRead
from casework.text import long_date, plural, round_half_up

__all__ = [
    "CHANGE_COLUMNS",
    "NOT_ASKED",
    "change_records",
    "comparison_question_records",
    "comparison_report",
    "figure_text",
    "proportion_figures",
    "select_questions",
]

NOT_ASKED = "not asked"
"""How an outcome reads on the side of a comparison whose rule set does not ask the question."""

#: Columns of the long change table (CSV, DataFrame): one row per case (and unit) and
#: question whose outcome differs. Outcomes and bases are their values (``not_met``);
#: both are empty on the side that does not ask the question.
CHANGE_COLUMNS: tuple[Column, ...] = (
    Column("case_ref", "Case"),
    Column("question", "Question"),
    Column("unit", "Unit"),
    Column("baseline_rule", "Baseline rule"),
    Column("baseline_outcome", "Baseline outcome"),
    Column("baseline_basis", "Baseline basis"),
    Column("baseline_reason", "Baseline reason"),
    Column("variant_rule", "Variant rule"),
    Column("variant_outcome", "Variant outcome"),
    Column("variant_basis", "Variant basis"),
    Column("variant_reason", "Variant reason"),
)


def _word(outcome: Outcome | None) -> str:
    return NOT_ASKED if outcome is None else OUTCOME_WORDS[outcome]


def _label(finding: Finding | None) -> str:
    return NOT_ASKED if finding is None else outcome_label(finding)


def _both_ask(summary: RuleSummary) -> bool:
    return summary.baseline_rule is not None and summary.variant_rule is not None


def _side(prefix: str, finding: Finding | None) -> dict[str, str | None]:
    return {
        f"{prefix}_rule": finding.rule_id if finding else None,
        f"{prefix}_outcome": finding.outcome.value if finding else None,
        f"{prefix}_basis": finding.basis.value if finding else None,
        f"{prefix}_reason": finding.reason if finding else None,
    }


def change_records(comparison: Comparison) -> list[dict[str, str | None]]:
    """One flat row per change, keyed as :data:`CHANGE_COLUMNS` (the CSV and DataFrame)."""
    return [_change_record(change) for change in comparison.changes]


def _change_record(change: OutcomeChange) -> dict[str, str | None]:
    return {
        "case_ref": change.case_ref,
        "question": change.key,
        "unit": change.unit,
        **_side("baseline", change.before),
        **_side("variant", change.after),
    }


def _of_keys(changes: Sequence[OutcomeChange], keys: Collection[str]) -> Sequence[OutcomeChange]:
    """The changes to these questions, in order: a view of changes kept in a temporary
    file, else a tuple."""
    if isinstance(changes, SpilledChanges):
        return changes.only(keys)
    return tuple(change for change in changes if change.key in keys)


def comparison_question_records(comparison: Comparison) -> list[dict[str, Any]]:
    """One flat row per question either rule set asks: its rules, ``changed`` and the
    outcome counts on each side (``baseline_met`` ... ``variant_cannot_assess``)."""
    return [
        {
            "question": summary.key,
            "text": summary.question,
            "baseline_rule": summary.baseline_rule,
            "variant_rule": summary.variant_rule,
            "changed": summary.changed,
            **{f"baseline_{o.value}": summary.before.get(o, 0) for o in Outcome},
            **{f"variant_{o.value}": summary.after.get(o, 0) for o in Outcome},
        }
        for summary in comparison.rules
    ]


def select_questions(comparison: Comparison, patterns: Collection[str]) -> Comparison:
    """The comparison restricted to questions matching any of the shell-style ``patterns``.

    A pattern matches a question's key or either side's rule id (``'NS07.roh-*'``,
    ``'*roh-review*'``). Figures are kept as they are: they are the rule sets'.
    """
    if not patterns:
        return comparison

    def wanted(summary: RuleSummary) -> bool:
        names = [summary.key, summary.baseline_rule, summary.variant_rule]
        return any(
            name is not None and fnmatch.fnmatchcase(name, pattern)
            for name in names
            for pattern in patterns
        )

    kept = tuple(summary for summary in comparison.rules if wanted(summary))
    keys = {summary.key for summary in kept}
    rule_ids = {
        rule for summary in kept for rule in (summary.baseline_rule, summary.variant_rule) if rule
    }
    return attrs.evolve(
        comparison,
        rules=kept,
        changes=_of_keys(comparison.changes, keys),
        baseline_findings=Findings(
            tuple(f for f in comparison.baseline_findings if f.rule_id in rule_ids)
        ),
        variant_findings=Findings(
            tuple(f for f in comparison.variant_findings if f.rule_id in rule_ids)
        ),
    )


def figure_text(value: FigureValue, *, percent: bool = False) -> str | None:
    """A figure as shown: counts and words as they are (``not_met`` as ``not met``),
    fractions to two places or, with ``percent``, as a percentage to one place (half-up)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, int):
        return str(value)
    exact = value if isinstance(value, Fraction) else Fraction(value)
    return f"{round_half_up(exact * 100, 1)}%" if percent else str(round_half_up(exact, 2))


def _as_shown(value: FigureValue, percent: bool) -> Fraction | int | None:
    """The number a figure is shown as (:func:`figure_text`): rounded as printed."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, int):
        return value
    exact = value if isinstance(value, Fraction) else Fraction(value)
    return Fraction(round_half_up(exact * 100, 1)) if percent else Fraction(round_half_up(exact, 2))


def _delta_text(figure: FigureChange, percent: bool) -> str | None:
    """The change between the figures as shown, so the three columns agree: 77.0% to 75.3%
    is -1.7 points, even when the exact figures differ by 1.75 points."""
    before, after = _as_shown(figure.before, percent), _as_shown(figure.after, percent)
    if before is None or after is None:
        return None
    delta = after - before
    sign = "+" if delta > 0 else ""
    if isinstance(delta, int):
        return f"{sign}{delta}"
    if percent:
        return f"{sign}{round_half_up(delta, 1)} points"
    return f"{sign}{round_half_up(delta, 2)}"


def proportion_figures(
    *, scores: str | None = None, targets: tuple[str, TargetSet] | None = None
) -> Callable[[FigureChange], bool]:
    """Which figures are proportions, for :func:`comparison_report`'s ``percentages``.

    Args:
        scores: the group name given to :func:`~casework.compare.inspection_figures`
            (every figure of it that is a fraction is a proportion or a score).
        targets: the group name given to :func:`~casework.compare.target_figures` and
            its target set (its proportion measures' figures).
    """
    group, target_set = targets if targets is not None else (None, None)
    proportions = {
        measure.id
        for measure in (target_set.measures if target_set is not None else ())
        if measure.aggregation is Aggregation.PROPORTION
    }

    def is_proportion(figure: FigureChange) -> bool:
        if scores is not None and figure.group == scores:
            return True
        return figure.group == group and figure.name in proportions

    return is_proportion


def _counts_text(counts: Mapping[Outcome, int]) -> str:
    shown = [f"{counts[o]} {OUTCOME_WORDS[o]}" for o in Outcome if counts.get(o, 0)]
    return ", ".join(shown) or "none"


def _transitions_text(summary: RuleSummary) -> str:
    return "; ".join(
        f"{count} {_word(before)} to {_word(after)}"
        for (before, after), count in summary.transitions.items()
    )


def _overview(summaries: list[RuleSummary]) -> Table:
    """One row per question: how many changed, and each outcome's count before -> after."""
    return Table(
        (
            Column("question", "Question", nowrap=True),
            Column("changed", "Changed", "right"),
            Column("met", "Met", "right"),
            Column("not_met", "Not met", "right"),
            Column("not_applicable", "N/A", "right"),
            Column("cannot_assess", "Cannot assess", "right"),
        ),
        tuple(
            (
                s.key,
                s.changed,
                *(f"{s.before.get(o, 0)} -> {s.after.get(o, 0)}" for o in Outcome),
            )
            for s in summaries
        ),
        caption="Findings with each outcome, baseline -> variant",
    )


def _case_cell(change: OutcomeChange) -> str:
    """The case, and the unit unless the reasons name it (``Breach of 2 July 2007: ...``)."""
    reasons = [finding.reason for finding in (change.before, change.after) if finding]
    if change.unit is None or any(change.unit in reason for reason in reasons):
        return change.case_ref
    return f"{change.case_ref}: {change.unit}"


def _question_section(summary: RuleSummary, changes: Sequence[OutcomeChange]) -> Section:
    """One question that changed: its wording, rules, transitions, and each case both ways."""
    facts = []
    if summary.baseline_rule != summary.key or summary.variant_rule != summary.key:
        facts.append(
            ("Rules", f"{summary.baseline_rule} (baseline), {summary.variant_rule} (variant)")
        )
    facts.append(("Changes", _transitions_text(summary)))
    table = Table(
        (
            Column("case_ref", "Case", nowrap=True),
            Column("change", "Outcome", nowrap=True),
            Column("baseline_reason", "Baseline reason"),
            Column("variant_reason", "Variant reason"),
        ),
        Mapped(changes, _change_row),
    )
    return Section(
        summary.key, (Paragraph(summary.question), Facts(tuple(facts)), table), id=summary.key
    )


def _change_row(change: OutcomeChange) -> tuple[str | None, ...]:
    return (
        _case_cell(change),
        f"{_label(change.before)} to {_label(change.after)}",
        change.before.reason if change.before else None,
        change.after.reason if change.after else None,
    )


def _noise_text(figure: FigureChange, percent: bool) -> str | None:
    noise = figure.noise
    if noise is None:
        return None
    ends = [Fraction(noise.low), Fraction(noise.high)]
    if percent:
        low, high = (f"{round_half_up(end * 100, 1)}" for end in ends)
        return f"{low} to {high} points"
    low, high = (f"{round_half_up(end, 2)}" for end in ends)
    return f"{low} to {high}"


def _figure_blocks(
    comparison: Comparison,
    figures: tuple[FigureChange, ...],
    shares: Callable[[FigureChange], bool],
) -> tuple[Block, ...]:
    if not figures:
        return (Paragraph(f"No figure moved ({plural(len(comparison.figures), 'figure')})."),)
    noisy = [f for f in figures if f.noise is not None]
    columns = [
        Column("group", "Group", nowrap=True),
        Column("name", "Figure", nowrap=True),
        Column("baseline", "Baseline", "right"),
        Column("variant", "Variant", "right"),
        Column("delta", "Change", "right"),
    ]
    if noisy:
        level = level_text(noisy[0].noise.level if noisy[0].noise else 0.0)
        columns += [
            Column("noise", f"Change, {level} interval", "right", nowrap=True),
            Column("beyond_noise", "Beyond sampling noise"),
        ]
    rows = []
    for f in figures:
        row: tuple[str | None, ...] = (
            f.group,
            f.name,
            figure_text(f.before, percent=shares(f)),
            figure_text(f.after, percent=shares(f)),
            _delta_text(f, shares(f)),
        )
        if noisy:
            beyond = f.beyond_noise
            verdict = None if beyond is None else ("yes" if beyond else "no")
            row += (_noise_text(f, shares(f)), verdict)
        rows.append(row)
    blocks: list[Block] = [
        Table(tuple(columns), tuple(rows)),
        Paragraph(
            "Proportions are shown as percentages to one place and other "
            "fractions to two, rounded half-up; each change is the difference "
            "of the figures as shown. The JSON form holds them exactly."
        ),
    ]
    if noisy:
        blocks.append(
            Paragraph(
                "A change is beyond sampling noise when its interval leaves out zero: the "
                "cases were resampled with replacement and each resample scored under both "
                "rule sets (a paired bootstrap), so the interval is of the change itself, as "
                "it would come out on other samples of the same size (docs: scoring, How sure "
                "each score is)."
            )
        )
    return tuple(blocks)


def comparison_report(
    comparison: Comparison,
    *,
    source: str | None = None,
    load: LoadResult | StreamedRead | None = None,
    unchanged: bool = False,
    paired_by: str | None = None,
    percentages: Callable[[FigureChange], bool] | None = None,
    title: str | None = None,
) -> Report:
    """What a variant rule set changes against a baseline on the same cases, as a report.

    Questions both rule sets ask are listed with their outcome counts and, per
    case, both reasons side by side. Questions only one asks are summarised by
    their counts (every case "changes" on them: ``casework findings`` lists
    their findings); the JSON, CSV and DataFrame forms hold them case by case too.

    Args:
        comparison: from :func:`casework.compare` (pseudonymise it first with
            :func:`~casework.report.pseudonymise_comparison` if needed).
        source: the name of the case file, shown and kept in the data.
        load: the load result (or the streamed read), to say how many records were read
            and rejected.
        unchanged: also list the questions and figures that did not move.
        paired_by: how questions were paired across the sets, in words (shown and kept).
        percentages: which figures are proportions, shown as percentages with changes
            in points (:func:`proportion_figures` knows casework's own scorers').
        title: a title instead of ``Comparison: <baseline> and <variant>``.
    """
    shares = percentages or (lambda _figure: False)
    shared = [summary for summary in comparison.rules if _both_ask(summary)]
    one_sided = [summary for summary in comparison.rules if not _both_ask(summary)]
    moved = [summary for summary in shared if summary.changed]
    moved_keys = {summary.key for summary in moved}
    changes = _of_keys(comparison.changes, moved_keys)
    changed_cases = {change.case_ref for change in changes}

    facts = [
        ("Baseline", comparison.baseline),
        ("Variant", comparison.variant),
        ("As of", long_date(comparison.as_of)),
    ]
    if source is not None:
        facts.append(("Case file", source))
    if load is not None:
        facts.append(("Records", load.summary()))
    if paired_by is not None:
        facts.append(("Paired by", paired_by))
    facts.append(("Cases", str(len(comparison.cases))))
    facts.append(
        (
            "Changed",
            f"{plural(len(changed_cases), 'case')} of {len(comparison.cases)} changed outcome on "
            f"{plural(len(moved), 'question')} both rule sets ask "
            f"({plural(len(changes), 'change')})",
        )
    )
    if one_sided:
        facts.append(("Asked by one only", plural(len(one_sided), "question")))
    blocks: list[Block] = [Facts(tuple(facts))]
    if comparison.variant_changes:
        blocks.append(BulletList(comparison.variant_changes, title="The variant's changes:"))

    if comparison.figures:
        figures = comparison.figures if unchanged else comparison.changed_figures()
        blocks.append(
            Section("Score and target changes", _figure_blocks(comparison, figures, shares))
        )

    shown = shared if unchanged else moved
    blocks.append(
        Section(
            "Questions" if unchanged else "Questions that changed",
            (_overview(shown),)
            if shown
            else (Paragraph("No question both rule sets ask changed outcome for any case."),),
        )
    )
    if changes:
        blocks.append(
            Section(
                "Cases that changed",
                tuple(_question_section(s, _of_keys(changes, (s.key,))) for s in moved),
            )
        )
    if one_sided:
        blocks.append(
            Section(
                "Asked by one rule set only",
                (
                    Table(
                        (
                            Column("question", "Question", nowrap=True),
                            Column("asked_by", "Asked by"),
                            Column("outcomes", "Outcomes"),
                        ),
                        tuple(
                            (
                                s.key,
                                "baseline" if s.baseline_rule else "variant",
                                _counts_text(s.before if s.baseline_rule else s.after),
                            )
                            for s in one_sided
                        ),
                    ),
                ),
            )
        )
    data: dict[str, Any] = {"kind": "comparison", "source": source, "paired_by": paired_by}
    if load is not None:
        data["records"] = record_counts(load)
    # the changes' rows made as they are written (read from a temporary file, if kept in one)
    data |= comparison.to_dict(changes=Mapped(comparison.changes, OutcomeChange.to_dict))
    document = Document(
        title or f"Comparison: {comparison.baseline} and {comparison.variant}", tuple(blocks)
    )
    keys = [column.key for column in CHANGE_COLUMNS]
    table = Table(
        CHANGE_COLUMNS,
        Mapped(comparison.changes, lambda change: _cells(_change_record(change), keys)),
    )
    return Report(document, data, table)


def _cells(record: Mapping[str, str | None], keys: Sequence[str]) -> tuple[str | None, ...]:
    return tuple(record[key] for key in keys)
