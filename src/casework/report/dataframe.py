"""pandas DataFrames of findings, in long format (the optional ``dataframe`` extra).

Install with ``pip install "casework[dataframe]"``. Each function returns a
fresh DataFrame; nothing here changes the findings.

* :func:`findings_frame`: one row per case and question.
* :func:`evidence_frame`: one row per fact a finding relied on.
* :func:`rule_summary_frame`: one row per question, with outcome counts.
* :func:`question_frame`, :func:`criterion_frame`, :func:`section_frame`: a
  scorecard's questions, criteria and sections, one row each.
* :func:`case_question_frame`: one row per case and question of a scorecard:
  above or below the line, unanswered or not applicable.
* :func:`target_frame`: one row per target measure: figure, target, verdict, counts.
* :func:`target_units_frame`: one row per case or unit that kept a target figure down.
* :func:`comparison_frame`: one row per case and question whose outcome a rule change moved.
* :func:`comparison_question_frame`: one row per question of a comparison, with outcome
  counts under each rule set.
* :func:`figure_change_frame`: one row per figure of a comparison, before and after.

    >>> frame = findings_frame(findings)  # doctest: +SKIP
    >>> frame.pivot(index="case_ref", columns="rule_id", values="outcome")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from casework.compare import Comparison
from casework.intervals import BandChances, Interval
from casework.performance import TargetReport
from casework.report.comparison import (
    CHANGE_COLUMNS,
    change_records,
    comparison_question_records,
)
from casework.report.inspection import QUESTION_COLUMNS, question_records
from casework.report.targets import TARGET_COLUMNS, target_records, unit_records
from casework.rules.engine import Basis, Finding, Outcome
from casework.rules.targets.measure import TargetStatus
from casework.scoring import Scorecard
from casework.text import percent, round_half_up

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = [
    "FINDING_FRAME_COLUMNS",
    "case_question_frame",
    "comparison_frame",
    "comparison_question_frame",
    "criterion_frame",
    "evidence_frame",
    "figure_change_frame",
    "findings_frame",
    "question_frame",
    "require_pandas",
    "rule_summary_frame",
    "section_frame",
    "target_frame",
    "target_units_frame",
]

FINDING_FRAME_COLUMNS = (
    "case_ref",
    "rule_id",
    "unit",
    "criterion",
    "group",
    "question",
    "outcome",
    "basis",
    "reason",
    "kind",
    "roh",
    "source",
    "ruleset",
    "ruleset_version",
    "as_of",
    "trigger",
    "trigger_label",
    "due",
    "done",
    "late_by",
    "late_unit",
    "standard",
)


def require_pandas() -> Any:
    """The pandas module, or an ``ImportError`` saying how to install it."""
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError('DataFrames need pandas: pip install "casework[dataframe]"') from None


def _categories(pd: Any, values: list[str], kind: type[Outcome] | type[Basis]) -> Any:
    return pd.Categorical(values, categories=[member.value for member in kind])


def _days(pd: Any, values: list[Any]) -> Any:
    return pd.to_datetime(pd.Series(values, dtype=object))


def findings_frame(findings: Iterable[Finding]) -> DataFrame:
    """One row per case and question (per unit, for rules that answer per unit).

    Columns: ``case_ref``, ``rule_id``, ``unit`` (the breach, victim, report...
    a per-unit rule answered about; else None), ``criterion``, ``group``, ``question``,
    ``outcome`` and ``basis`` (categoricals, in the order of
    :class:`~casework.rules.Outcome` and :class:`~casework.rules.Basis`),
    ``reason``, ``kind``, ``roh`` (bool), ``source`` (``"; "``-joined),
    ``ruleset``, ``ruleset_version``, ``as_of`` (datetime64), and the deadline as
    data: ``trigger``, ``due``, ``done`` (datetime64, NaT where none), ``trigger_label``,
    ``late_by`` (nullable Int64), ``late_unit`` and ``standard``.
    """
    pd = require_pandas()
    items = list(findings)
    frame = pd.DataFrame(
        {
            "case_ref": [f.case_ref for f in items],
            "rule_id": [f.rule_id for f in items],
            "unit": [f.unit for f in items],
            "criterion": [f.criterion for f in items],
            "group": [f.group for f in items],
            "question": [f.question for f in items],
            "outcome": _categories(pd, [f.outcome.value for f in items], Outcome),
            "basis": _categories(pd, [f.basis.value for f in items], Basis),
            "reason": [f.reason for f in items],
            "kind": [f.kind.value for f in items],
            "roh": pd.Series([f.roh for f in items], dtype=bool),
            "source": ["; ".join(f.source) for f in items],
            "ruleset": [f.ruleset for f in items],
            "ruleset_version": [f.ruleset_version for f in items],
            "as_of": pd.to_datetime(pd.Series([f.as_of for f in items], dtype=object)),
            "trigger": _days(pd, [f.trigger for f in items]),
            "trigger_label": [f.trigger_label for f in items],
            "due": _days(pd, [f.due for f in items]),
            "done": _days(pd, [f.done for f in items]),
            "late_by": pd.array([f.late_by for f in items], dtype="Int64"),
            "late_unit": [f.late_unit for f in items],
            "standard": [f.standard for f in items],
        },
        columns=list(FINDING_FRAME_COLUMNS),
    )
    return cast("DataFrame", frame)


def evidence_frame(findings: Iterable[Finding]) -> DataFrame:
    """One row per fact a finding relied on: ``case_ref``, ``rule_id``, ``unit``, ``label``,
    ``value`` (as in JSON: ISO dates, fractions as ``"a/b"``), ``source``."""
    pd = require_pandas()
    rows = [
        {"case_ref": f.case_ref, "rule_id": f.rule_id, "unit": f.unit, **item.to_dict()}
        for f in findings
        for item in f.evidence
    ]
    columns = ["case_ref", "rule_id", "unit", "label", "value", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    return cast("DataFrame", frame)


def rule_summary_frame(findings: Iterable[Finding]) -> DataFrame:
    """One row per question: how many findings had each outcome, and the share met.

    ``met_share`` is met / (met + not met) as a float rounded half-up to four
    places, or NaN when no case was assessed.
    """
    pd = require_pandas()
    frame = findings_frame(findings)
    counts = pd.crosstab(frame["rule_id"], frame["outcome"], dropna=False)
    counts = counts.reindex(
        index=list(dict.fromkeys(frame["rule_id"])),
        columns=[outcome.value for outcome in Outcome],
        fill_value=0,
    )
    counts.columns = pd.Index([str(column) for column in counts.columns])
    counts.index.name = "rule_id"
    questions = frame.drop_duplicates("rule_id").set_index("rule_id")["question"]
    result = counts.astype("int64")
    result.insert(0, "question", questions)
    assessed = result["met"] + result["not_met"]
    result["met_share"] = [
        float(round_half_up(Fraction(int(met), int(total)), 4)) if total else float("nan")
        for met, total in zip(result["met"], assessed, strict=True)
    ]
    return cast("DataFrame", result.reset_index())


def target_frame(report: TargetReport) -> DataFrame:
    """One row per measure of a target report (columns as
    :data:`~casework.report.targets.TARGET_COLUMNS`; ``status`` a categorical)."""
    pd = require_pandas()
    columns = [column.key for column in TARGET_COLUMNS]
    frame = pd.DataFrame(target_records(report), columns=columns)
    frame["status"] = pd.Categorical(
        frame["status"], categories=[status.value for status in TargetStatus]
    )
    for key in columns:
        if key.startswith("n_") or key in {"pct_achieved", "denominator"}:
            frame[key] = frame[key].astype("Int64")
    frame["in_tally"] = frame["in_tally"] == "true"
    return cast("DataFrame", frame)


def target_units_frame(report: TargetReport) -> DataFrame:
    """One row per unit behind a figure that did not count as met: ``measure``,
    ``status`` (failed, pending, cannot_assess), ``case_ref``, ``unit``, ``value``, ``reason``."""
    pd = require_pandas()
    columns = ["measure", "status", "case_ref", "unit", "value", "reason"]
    return cast("DataFrame", pd.DataFrame(unit_records(report), columns=columns))


def _float(value: Fraction | None) -> float:
    return float("nan") if value is None else float(value)


def _float_or_nan(value: float | None) -> float:
    return float("nan") if value is None else value


def question_frame(card: Scorecard) -> DataFrame:
    """One row per question of a scorecard (columns as
    :data:`~casework.report.inspection.QUESTION_COLUMNS`): the counts, flags,
    ``proportion`` as a float (NaN with no relevant case), ``display`` (half-up) and
    ``interval_low`` / ``interval_high`` (the Wilson interval; NaN with none)."""
    pd = require_pandas()
    rows = [
        {
            **row,
            "proportion": _float(row["proportion"]),
            "interval_low": _float_or_nan(row["interval_low"]),
            "interval_high": _float_or_nan(row["interval_high"]),
        }
        for row in question_records(card)
    ]
    columns = [column.key for column in QUESTION_COLUMNS]
    return cast("DataFrame", pd.DataFrame(rows, columns=columns))


def _ends(interval: Interval | None) -> dict[str, float]:
    if interval is None:
        return {"low": float("nan"), "high": float("nan")}
    return {"low": interval.low, "high": interval.high}


def _band_columns(chances: BandChances | None) -> dict[str, Any]:
    share = None if chances is None else chances.published_share
    return {
        "same_band": float("nan") if share is None else share,
        "band_flag": None if chances is None else chances.unstable,
    }


def criterion_frame(card: Scorecard) -> DataFrame:
    """One row per criterion: ``criterion``, ``section``, ``title``, ``score`` (float),
    ``display``, ``individual`` (mean of the questions), ``summary`` (the summary
    question's proportion), ``basis``, ``band``, ``conclusion``; and how sure the
    score is (:mod:`casework.intervals`; NaN / None with intervals off): ``low`` and
    ``high`` (the bootstrap interval), ``same_band`` (share of resamples giving the
    published band) and ``band_flag`` (True when that share is under the threshold)."""
    pd = require_pandas()
    intervals = card.intervals
    rows = [
        {
            "criterion": c.id,
            "section": c.section,
            "title": c.criterion.title if c.criterion else None,
            "score": _float(c.score),
            "display": c.display,
            "individual": _float(c.individual),
            "summary": _float(c.summary.proportion if c.summary else None),
            "basis": c.basis,
            "band": c.band.key if c.band else None,
            "conclusion": c.conclusion,
            **_ends(intervals.criterion(c.id) if intervals else None),
            **_band_columns(intervals.band(c.id) if intervals else None),
        }
        for c in card.criteria
    ]
    columns = ["criterion", "section", "title", "score", "display", "individual", "summary"]
    columns += ["basis", "band", "conclusion", "low", "high", "same_band", "band_flag"]
    return cast("DataFrame", pd.DataFrame(rows, columns=columns))


def section_frame(card: Scorecard) -> DataFrame:
    """One row per scored section, and one for the RoH thread: ``section``
    (``"1"``..``"3"``, ``"roh_thread"``), ``title``, ``score`` (float), ``display``,
    ``criteria`` (how many were averaged; questions, for the thread), ``low`` and
    ``high`` (the bootstrap interval; NaN with intervals off)."""
    pd = require_pandas()
    intervals = card.intervals
    rows = [
        {
            "section": str(s.number),
            "title": s.section.title if s.section else None,
            "score": _float(s.score),
            "display": s.display,
            "criteria": len(s.criteria),
            **_ends(intervals.section(s.number) if intervals else None),
        }
        for s in card.sections
    ]
    thread = card.roh_thread
    rows.append(
        {
            "section": "roh_thread",
            "title": "Risk of Harm thread",
            "score": _float(thread.score),
            "display": None if thread.score is None else percent(thread.score),
            "criteria": len(thread.questions),
            **_ends(intervals.roh_thread if intervals else None),
        }
    )
    columns = ["section", "title", "score", "display", "criteria", "low", "high"]
    return cast("DataFrame", pd.DataFrame(rows, columns=columns))


POSITIONS = ("above", "below", "unanswered", "not_applicable")


def case_question_frame(card: Scorecard) -> DataFrame:
    """One row per case and question of a scorecard (long format): ``case_ref``,
    ``criterion``, ``question_id``, ``position`` (above, below, unanswered,
    not_applicable: a categorical), ``not_evidenced`` (bool)."""
    pd = require_pandas()
    rows = [
        (case_ref, q.criterion, q.id, position, case_ref in not_evidenced)
        for q in card.questions
        for not_evidenced in (set(q.not_evidenced),)
        for position in POSITIONS
        for case_ref in getattr(q, position)
    ]
    frame = pd.DataFrame(
        rows, columns=["case_ref", "criterion", "question_id", "position", "not_evidenced"]
    )
    frame["position"] = pd.Categorical(frame["position"], categories=list(POSITIONS))
    frame["not_evidenced"] = frame["not_evidenced"].astype(bool)
    return cast("DataFrame", frame)


def comparison_frame(comparison: Comparison) -> DataFrame:
    """One row per case (and unit) and question whose outcome differs between the rule sets
    (columns as :data:`~casework.report.comparison.CHANGE_COLUMNS`). ``baseline_outcome``,
    ``variant_outcome`` and the bases are categoricals; missing (NaN) on the side whose
    rule set does not ask the question."""
    pd = require_pandas()
    columns = [column.key for column in CHANGE_COLUMNS]
    frame = pd.DataFrame(change_records(comparison), columns=columns)
    for side in ("baseline", "variant"):
        frame[f"{side}_outcome"] = _categories(pd, list(frame[f"{side}_outcome"]), Outcome)
        frame[f"{side}_basis"] = _categories(pd, list(frame[f"{side}_basis"]), Basis)
    return cast("DataFrame", frame)


def comparison_question_frame(comparison: Comparison) -> DataFrame:
    """One row per question either rule set asks: ``question`` (the key findings were
    paired by), ``text``, ``baseline_rule`` and ``variant_rule`` (None where a set does not
    ask it), ``changed``, and the count of each outcome under each set
    (``baseline_met`` ... ``variant_cannot_assess``)."""
    pd = require_pandas()
    columns = ["question", "text", "baseline_rule", "variant_rule", "changed"]
    columns += [f"{side}_{o.value}" for side in ("baseline", "variant") for o in Outcome]
    return cast("DataFrame", pd.DataFrame(comparison_question_records(comparison), columns=columns))


def _figure_cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int):
        return value
    return float(value)


def figure_change_frame(comparison: Comparison) -> DataFrame:
    """One row per figure compared: ``group``, ``name``, ``baseline`` and ``variant``
    (floats for fractions, ints for counts, words for verdicts, None where there is no
    figure), ``delta`` (float; NaN for words or a missing side), ``changed`` (bool),
    ``noise_low`` and ``noise_high`` (the paired bootstrap interval of the change; NaN
    without one) and ``beyond_noise`` (True, False, or None without an interval)."""
    pd = require_pandas()
    rows = [
        {
            "group": figure.group,
            "name": figure.name,
            "baseline": _figure_cell(figure.before),
            "variant": _figure_cell(figure.after),
            "delta": _float(None if figure.delta is None else Fraction(figure.delta)),
            "changed": figure.changed,
            "noise_low": figure.noise.low if figure.noise else float("nan"),
            "noise_high": figure.noise.high if figure.noise else float("nan"),
            "beyond_noise": figure.beyond_noise,
        }
        for figure in comparison.figures
    ]
    columns = ["group", "name", "baseline", "variant", "delta", "changed"]
    columns += ["noise_low", "noise_high", "beyond_noise"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["baseline"] = frame["baseline"].astype(object)
    frame["variant"] = frame["variant"].astype(object)
    frame["changed"] = frame["changed"].astype(bool)
    frame["beyond_noise"] = frame["beyond_noise"].astype(object)
    return cast("DataFrame", frame)
