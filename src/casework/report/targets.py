"""Target reports: met, near miss or not met per target, and the cases behind each figure."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from casework._caserefs import Mapped
from casework.io import LoadResult
from casework.performance import Period, TargetReport, TargetResult, UnitList, UnitRef
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
from casework.rules.targets.measure import Aggregation, TargetStatus
from casework.stream import StreamedRead
from casework.text import long_date, plural

__all__ = ["STATUS_WORDS", "TARGET_COLUMNS", "target_records", "target_report", "unit_records"]

STATUS_WORDS = {
    TargetStatus.MET: "met",
    TargetStatus.NEAR_MISS: "near miss",
    TargetStatus.NOT_MET: "not met",
    TargetStatus.NO_TARGET: "no target",
    TargetStatus.NO_DATA: "no figure",
    TargetStatus.NATIONAL: "national",
}

#: Columns of the long target table (CSV): one row per measure.
TARGET_COLUMNS: tuple[Column, ...] = (
    Column("target_set", "Target set"),
    Column("period", "Period"),
    Column("area", "Area"),
    Column("measure", "Measure"),
    Column("label", "Label"),
    Column("figure", "Figure"),
    Column("target", "Target"),
    Column("status", "Status"),
    Column("pct_achieved", "% achieved"),
    Column("numerator", "Numerator"),
    Column("denominator", "Denominator"),
    Column("n_met", "Met"),
    Column("n_not_met", "Not met"),
    Column("n_pending", "Pending"),
    Column("n_cannot_assess", "Cannot assess"),
    Column("n_excluded", "Excluded"),
    Column("n_outside_period", "Outside period"),
    Column("n_unplaced", "Unplaced"),
    Column("in_tally", "In tally"),
    Column("rule_id", "Rule"),
    Column("source", "Source"),
)


def _units_of(count: int, unit: str) -> str:
    """``1 breach``, ``3 breaches``, ``2 cases``."""
    return plural(count, unit, unit + "es" if unit.endswith(("ch", "sh", "s", "x")) else None)


def _counted(result: TargetResult) -> str | None:
    """What the figure was formed from, in words: ``3 of 4 cases``, ``3 breaches``."""
    counts = result.counts
    if counts is None:
        return None
    if result.aggregation is Aggregation.PROPORTION:
        return f"{counts.met} of {_units_of(counts.in_scope, result.unit)}"
    if result.aggregation is Aggregation.VOLUME:
        return _units_of(counts.met, result.unit)
    return _units_of(counts.in_scope, result.unit)


def _percent(share: Fraction) -> str:
    return f"{float(share * 100):.4f}".rstrip("0").rstrip(".") + "%"


def _period_text(period: Period) -> str:
    dates = f"{long_date(period.start)} to {long_date(period.end)}"
    plain = f"{period.start.isoformat()} to {period.end.isoformat()}"
    return dates if period.label == plain else f"{period.label}: {dates}"


def _target_shown(result: TargetResult) -> str | None:
    if result.assessment is not None:
        return _grouped(result.assessment.target_display)
    return None


def _grouped(shown: str | None) -> str | None:
    """A whole number in thousands (``46300`` as ``46,300``, as the sources print it);
    percentages, means and words unchanged."""
    return f"{int(shown):,}" if shown is not None and shown.isdigit() else shown


def _unit_line(ref: UnitRef) -> str:
    if ref.unit is None or ref.unit in ref.reason:
        return f"{ref.case_ref}: {ref.reason}"
    return f"{ref.case_ref} ({ref.unit}): {ref.reason}"


def _units(title: str, refs: Sequence[UnitRef]) -> BulletList:
    if isinstance(refs, UnitList):
        return BulletList(Mapped(refs, _unit_line), title=title)
    return BulletList(tuple(_unit_line(ref) for ref in refs), title=title)


def _measure_section(result: TargetResult) -> Section:
    blocks: list[Block] = [Paragraph(result.reason)]
    if result.failed:
        what = "above the target" if result.aggregation is Aggregation.MEAN else "not meeting it"
        count = _units_of(len(result.failed), result.unit)
        blocks.append(_units(f"{count} {what}:", result.failed))
    if result.pending_units:
        blocks.append(_units("Not yet due:", result.pending_units))
    if result.cannot_assess_units:
        blocks.append(_units("Cannot be assessed:", result.cannot_assess_units))
    return Section(f"{result.measure}: {result.label}", tuple(blocks), id=result.measure)


def _row(report: TargetReport, result: TargetResult) -> tuple[str | int | None, ...]:
    counts = result.counts.to_dict() if result.counts is not None else {}
    return (
        report.target_set,
        report.period.label,
        report.area,
        result.measure,
        result.label,
        result.figure_display,
        _target_shown(result),
        result.status.value,
        result.pct_achieved,
        None if result.numerator is None else str(result.numerator),
        result.denominator,
        *(
            counts.get(key)
            for key in (
                "met",
                "not_met",
                "pending",
                "cannot_assess",
                "excluded",
                "outside_period",
                "unplaced",
            )
        ),
        "true" if result.in_tally else "false",
        result.rule_id,
        result.source,
    )


def target_records(report: TargetReport) -> list[dict[str, Any]]:
    """One flat row per measure, keyed as :data:`TARGET_COLUMNS` (the CSV and DataFrame)."""
    keys = [column.key for column in TARGET_COLUMNS]
    return [dict(zip(keys, _row(report, result), strict=True)) for result in report]


def unit_records(report: TargetReport) -> list[dict[str, Any]]:
    """One row per unit behind a figure that did not count towards it as met.

    ``status`` is ``failed`` (not met; for a mean, above the target), ``pending``
    (not yet due) or ``cannot_assess``.
    """
    return [
        {
            "measure": result.measure,
            "status": status,
            "case_ref": ref.case_ref,
            "unit": ref.unit,
            "value": ref.value,
            "reason": ref.reason,
        }
        for result in report
        for status, refs in (
            ("failed", result.failed),
            ("pending", result.pending_units),
            ("cannot_assess", result.cannot_assess_units),
        )
        for ref in refs
    ]


def target_report(
    report: TargetReport,
    *,
    source: str | None = None,
    load: LoadResult | StreamedRead | None = None,
) -> Report:
    """A target performance report: a table like the published one, then each miss explained.

    Args:
        report: from :func:`casework.target_performance`.
        source: the name of the case file, shown and kept in the data.
        load: the load result, to say how many records were read and rejected.
    """
    tally = report.tally()
    period = report.period
    name = f"{report.target_set}, version {report.version}"
    facts = [
        ("Target set", f"{report.title} ({name})" if report.title else name),
        ("Period", _period_text(period)),
        ("Area", report.area or "every area, pooled"),
    ]
    if report.as_of is not None:
        facts.append(("As of", long_date(report.as_of)))
    if source is not None:
        facts.append(("Case file", source))
    if load is not None:
        facts.append(("Records", load.summary()))
    facts.append(("Near miss", report.near_miss))
    if report.national_share is not None:
        facts.append(
            (
                "National share",
                f"{_percent(report.national_share)} of each national volume target",
            )
        )
    facts.append(
        (
            "Result",
            f"{tally.met} met, {tally.near_miss} near miss, {tally.not_met} not met"
            + (f"; {tally.no_target} with no target" if tally.no_target else "")
            + (f"; {tally.no_data} with no figure" if tally.no_data else "")
            + (
                f"; {tally.national} national volume "
                f"{'target' if tally.national == 1 else 'targets'} shown, not judged"
                if tally.national
                else ""
            ),
        )
    )
    summary = Table(
        (
            Column("measure", "Id", nowrap=True),
            Column("label", "Measure"),
            Column("figure", "Figure", "right"),
            Column("target", "Target", "right"),
            Column("status", "Result", nowrap=True, verdict=True),
            Column("counted", "Counted"),
        ),
        tuple(
            (
                r.measure,
                r.label,
                _grouped(r.figure_display),
                _target_shown(r),
                STATUS_WORDS[r.status],
                _counted(r),
            )
            for r in report
        ),
    )
    misses = [r for r in report if r.status in {TargetStatus.NOT_MET, TargetStatus.NEAR_MISS}]
    others = [r for r in report if r not in misses]
    key = [
        "Met: the figure is at least the target (at most, where lower is better); a tie meets.",
        "Near miss: short of the target by no more than the near-miss tolerance (off unless "
        "one is given).",
        "Not met: short of the target by more than that.",
    ]
    if tally.national:
        key.append(
            "National: a national volume target (a count for the whole country), shown beside "
            "the count from these cases but not judged against it; give the cases' share of "
            "the national targets with --national-share to judge them."
        )
    if any(r.basis == "none" for r in report):
        key.append(
            "No figure: case records cannot give this figure; give the published one with "
            "--figure ID=VALUE (say --figure N15=9.5)."
        )
    blocks: list[Block] = [
        Facts(tuple(facts)),
        Section("Targets", (summary, BulletList(tuple(key), title="Key:"))),
        Section(
            "Targets not met",
            tuple(_measure_section(r) for r in misses) or (Paragraph("Every target was met."),),
        ),
    ]
    if others:
        blocks.append(Section("Other targets", tuple(_measure_section(r) for r in others)))
    data: dict[str, Any] = {"kind": "targets", "source": source}
    if load is not None:
        data["records"] = record_counts(load)
    data |= report.to_dict(lazy=True)
    document = Document(f"Target performance: {report.target_set}", tuple(blocks))
    table = Table(TARGET_COLUMNS, tuple(tuple(row.values()) for row in target_records(report)))
    return Report(document, data, table)
