"""Target performance: the figures performance teams publish, computed from case records.

::

    from casework import Period, target_performance

    report = target_performance(
        cases, "nps-2007-08", period=Period.financial_year(2007), as_of=as_of, calendar=calendar
    )
    report["N02"].figure  # Fraction(24, 25): 96% of Tier 4 cases on time
    report["N02"].failed  # the cases that were not, each with its reason

How a figure is formed (national-targets.md §5.4; docs/targets.md):

* **Which units count.** Each finding of the measure's rule is placed in a
  period by its anchor event (t0 for timeliness, the resolution date for the
  enforcement targets, the termination date for completions of orders, the
  completion date for volumes). Findings outside the period are left out; so
  are findings with no anchor date yet (a breach not yet resolved), counted
  as ``unplaced``.
* **Proportion**: units that meet the rule / units in scope. Out-of-scope
  units (exclusions, such as PPOs from the Tier 4 target) are left out before
  the denominator is formed; so are units whose deadline has not passed
  (``pending``) and units that cannot be assessed, each reported.
* **Mean**: the average of a per-unit value (working days from the failure to
  comply to resolution); lower is better.
* **Volume**: a count of units done in the period against a target; % achieved
  = count / target x 100, rounded half-up as printed.
* **Change** (2005-06 PM4): share suitable at the end minus share at the start.

Each result is then judged as a published figure is (:meth:`Measure.assess`):
met, near miss (only with a tolerance; off by default) or not met, with the
rule used, the counts behind it and the units that failed. Everything is
exact (``Fraction``); rounding is for display only.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import os
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, cast, overload

import attrs
import numpy as np
import numpy.typing as npt
from dateutil.relativedelta import relativedelta

from casework._caserefs import Mapped
from casework._checked import checked_day
from casework._display import arrow_table, html_summary, short
from casework._spill import Block, SpillFile
from casework.calendar import WorkingCalendar
from casework.columnar import (
    NO_DAY,
    CaseColumns,
    FindingColumns,
    RuleColumns,
    day_number,
    evaluate_columns,
    from_day_number,
)
from casework.columnar.core import BASIS_CODE, OUTCOME_CODE, add_duration, special_rows
from casework.columnar.targets import (
    ANCHOR_DAYS,
    CHANGE_VALUES,
    HELD_DAYS,
    MEAN_VALUES,
    UNIT_WORDS,
)
from casework.model import Case
from casework.rules.engine import Basis, Evidence, Finding, Outcome, evaluate_case
from casework.rules.ruleset import RuleSet
from casework.rules.targets.anchors import ANCHORS, Anchor, anchor_date, evidence_value
from casework.rules.targets.catalogue import target_set as named_target_set
from casework.rules.targets.measure import (
    Aggregation,
    Assessment,
    Direction,
    FigureLike,
    Measure,
    NearMissSpec,
    Tally,
    TargetSet,
    TargetStatus,
    judge,
    parse_figure,
    tally,
    tolerance_for,
)
from casework.rules.targets.rules import CASE_RULE_ID
from casework.stream import DEFAULT_CHUNK, chunked
from casework.text import month_name

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = [
    "Counts",
    "Period",
    "Renaming",
    "TargetReport",
    "TargetResult",
    "TargetTally",
    "UnitList",
    "UnitRef",
    "target_performance",
]


#: Evidence label of the per-unit value that mean measures average.
MEAN_VALUE_LABEL = "working days to resolution"


def _financial_year(year: int | str) -> int:
    """``2007``, ``"2007"`` or ``"2007-08"`` -> 2007 (the year the financial year starts in)."""
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    if not isinstance(year, str):
        raise TypeError(
            f"a financial year is a year (2007) or its text ('2007-08'), not {type(year).__name__}"
        )
    first, _, second = year.strip().partition("-")
    if not (first.isdigit() and (not second or second.isdigit())) or (
        second and int(second) % 100 != (int(first) + 1) % 100
    ):
        raise ValueError(f"{year!r} is not a financial year such as '2007-08'")
    return int(first)


@attrs.frozen
class Period:
    """A reporting period: first and last day, inclusive, and a label.

    Financial years run from 1 April to 31 March ("April 2007 - March 2008",
    000:119); quarters are quarters of the financial year (Q1 is April to
    June); a rolling quarter is the three months ending with a month (003:129).
    """

    start: dt.date
    end: dt.date
    label: str = ""

    def __attrs_post_init__(self) -> None:
        checked_day(self.start, "start")
        checked_day(self.end, "end")
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")
        if not self.label:
            object.__setattr__(self, "label", f"{self.start.isoformat()} to {self.end.isoformat()}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @classmethod
    def financial_year(cls, year: int | str) -> Period:
        """1 April ``year`` to 31 March the year after (``2007`` or ``"2007-08"``)."""
        start = _financial_year(year)
        return cls(
            dt.date(start, 4, 1), dt.date(start + 1, 3, 31), f"{start}-{(start + 1) % 100:02d}"
        )

    @classmethod
    def quarter(cls, year: int | str, quarter: int) -> Period:
        """Quarter 1-4 of the financial year starting in ``year`` (Q1 = April to June)."""
        if quarter not in {1, 2, 3, 4}:
            raise ValueError("a quarter is 1, 2, 3 or 4")
        start = _financial_year(year)
        first = dt.date(start, 4, 1) + relativedelta(months=3 * (quarter - 1))
        last = first + relativedelta(months=3) - dt.timedelta(days=1)
        return cls(first, last, f"{start}-{(start + 1) % 100:02d} Q{quarter}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One calendar month."""
        first = dt.date(year, month, 1)
        last = first + relativedelta(months=1) - dt.timedelta(days=1)
        return cls(first, last, f"{month_name(month)} {year}")

    @classmethod
    def rolling_quarter(cls, year: int, month: int) -> Period:
        """The three calendar months ending with ``month`` of ``year``."""
        last = cls.month(year, month).end
        first = dt.date(year, month, 1) - relativedelta(months=2)
        return cls(first, last, f"rolling quarter to {month_name(month)} {year}")

    @classmethod
    def year_to_date(cls, year: int | str, through: dt.date) -> Period:
        """The financial year starting in ``year``, up to and including ``through``."""
        whole = cls.financial_year(year)
        if through not in whole:
            raise ValueError(f"{through} is not in the financial year {whole.label}")
        return cls(whole.start, through, f"{whole.label} to {through.isoformat()}")

    def months(self) -> tuple[Period, ...]:
        """The calendar months the period covers (whole or part), as periods."""
        out: list[Period] = []
        day = dt.date(self.start.year, self.start.month, 1)
        while day <= self.end:
            out.append(Period.month(day.year, day.month))
            day += relativedelta(months=1)
        return tuple(out)

    def rolling_quarters(self) -> tuple[Period, ...]:
        """A rolling quarter ending with each month of the period."""
        return tuple(Period.rolling_quarter(m.start.year, m.start.month) for m in self.months())

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-ready form."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


@attrs.frozen
class UnitRef:
    """A case, or a unit in it, behind a figure: the case, the unit, and why."""

    case_ref: str
    unit: str | None
    reason: str
    value: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "case_ref": self.case_ref,
            "unit": self.unit,
            "reason": self.reason,
            "value": self.value,
        }


class Renaming(Protocol):
    """How a chunk's case references are replaced in what a tally keeps
    (:func:`casework.report.pseudonymiser` makes one): a reference, a text that may hold
    references, a finding (:meth:`TargetTally.add_columns`)."""

    def reference(self, reference: str) -> str:
        """The reference's replacement."""
        ...  # pragma: no cover - a protocol

    def text(self, text: str) -> str:
        """The text with each reference in it replaced."""
        ...  # pragma: no cover - a protocol

    def finding(self, finding: Finding) -> Finding:
        """The finding with its reference replaced, in its fields and words."""
        ...  # pragma: no cover - a protocol


@attrs.frozen
class Counts:
    """Every finding of a measure's rule, accounted for once."""

    met: int = 0
    not_met: int = 0
    pending: int = 0
    """Placed in the period, deadline not yet passed and the work not yet done."""
    cannot_assess: int = 0
    excluded: int = 0
    """Placed in the period but outside the measure's population (an exclusion)."""
    outside_period: int = 0
    unplaced: int = 0
    """With no date that places them in any period yet (a breach not yet resolved)."""

    @property
    def in_scope(self) -> int:
        """The denominator of a proportion: met + not met."""
        return self.met + self.not_met

    @property
    def total(self) -> int:
        """Every finding counted."""
        return sum(attrs.astuple(self))

    def to_dict(self) -> dict[str, int]:
        """Plain JSON-ready form."""
        return {**attrs.asdict(self), "in_scope": self.in_scope}


@attrs.frozen
class TargetResult:
    """One measure's figure for a period (and area), judged, with what lies behind it."""

    measure: str
    label: str
    period: Period
    area: str | None
    aggregation: Aggregation
    direction: Direction
    unit: str
    status: TargetStatus
    reason: str
    figure: Fraction | None = None
    target: Fraction | None = None
    assessment: Assessment | None = None
    counts: Counts | None = None
    numerator: Fraction | None = None
    denominator: int | None = None
    failed: Sequence[UnitRef] = ()
    """Units that did not meet the rule (for a mean: units above the target): a tuple, or
    for a tally that spilled its units to disk a :class:`UnitList` reading them when
    iterated (equal to the tuple)."""
    pending_units: Sequence[UnitRef] = ()
    cannot_assess_units: Sequence[UnitRef] = ()
    basis: str = "computed"
    """``computed`` from findings, ``supplied`` as a figure, or ``none``."""
    anchor: str | None = None
    rule_id: str | None = None
    source: str = ""
    in_tally: bool = True
    """Whether the set's tally counts this measure (not 003's Additional National Measures)."""
    weighting: int | None = None
    """Weighted scorecard weighting (2005-06), if any."""

    @property
    def rule(self) -> str | None:
        """The judgement rule used, in words."""
        return None if self.assessment is None else self.assessment.rule

    @property
    def pct_achieved(self) -> int | None:
        """% achieved, for volumes (count / target x 100, half-up)."""
        if self.assessment is None:
            return None
        pct = self.assessment.pct_achieved
        return None if pct is None else int(pct)

    @property
    def figure_display(self) -> str | None:
        """The figure as it would be printed."""
        return None if self.assessment is None else self.assessment.figure_display

    def to_dict(self, *, lazy: bool = False) -> dict[str, Any]:
        """Plain JSON-ready form; with ``lazy``, unit lists a tally spilled to disk are
        sequences of dicts made when read (for writing a large report a piece at a time,
        as :meth:`casework.report.Report.write` does), not lists."""
        assessment = self.assessment

        def listed(refs: Sequence[UnitRef]) -> Sequence[dict[str, Any]]:
            if lazy and isinstance(refs, UnitList):
                return Mapped(refs, UnitRef.to_dict)
            return [ref.to_dict() for ref in refs]

        return {
            "measure": self.measure,
            "label": self.label,
            "period": self.period.to_dict(),
            "area": self.area,
            "aggregation": self.aggregation.value,
            "direction": self.direction.value,
            "unit": self.unit,
            "status": self.status.value,
            "reason": self.reason,
            "rule": self.rule,
            "figure": None if self.figure is None else str(self.figure),
            "figure_display": self.figure_display,
            "target": None if self.target is None else str(self.target),
            "target_display": None if assessment is None else assessment.target_display,
            "pct_achieved": self.pct_achieved,
            "numerator": None if self.numerator is None else str(self.numerator),
            "denominator": self.denominator,
            "counts": None if self.counts is None else self.counts.to_dict(),
            "failed": listed(self.failed),
            "pending": listed(self.pending_units),
            "cannot_assess": listed(self.cannot_assess_units),
            "basis": self.basis,
            "anchor": self.anchor,
            "rule_id": self.rule_id,
            "source": self.source,
            "in_tally": self.in_tally,
            "weighting": self.weighting,
        }


@attrs.frozen
class TargetReport:
    """Every measure of a target set for one period (and area)."""

    target_set: str
    version: str
    period: Period
    area: str | None
    results: tuple[TargetResult, ...]
    as_of: dt.date | None = None
    near_miss: str = "off"
    title: str = ""
    """The set's title as published (``National Probation Service national targets 2007-08``)."""
    national_share: Fraction | None = None
    """The cases' share of the national volume targets, when one was given."""

    def __iter__(self) -> Iterator[TargetResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, measure_id: str) -> TargetResult:
        for result in self.results:
            if result.measure == measure_id:
                return result
        raise KeyError(f"the report has no measure {measure_id!r}")

    def tally(self) -> Tally:
        """Met, near miss and not met over the measures the set tallies."""
        return tally(result for result in self.results if result.in_tally)

    def _verdicts(self) -> str:
        counts = self.tally()
        text = f"{counts.met} met, {counts.near_miss} near miss, {counts.not_met} not met"
        for count, words in (
            (counts.national, "national"),
            (counts.no_target, "no target"),
            (counts.no_data, "no figure"),
        ):
            text += f", {count} {words}" if count else ""
        return text

    def __repr__(self) -> str:
        area = f" ({self.area})" if self.area else ""
        return (
            f"<TargetReport {self.target_set} {self.period.label}{area}: {self._verdicts()}; "
            f"{len(self.results)} measures>"
        )

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: the verdicts, then the first measures."""
        facts = [("Period", self.period.label), ("Area", self.area or "every area, pooled")]
        facts.append(("Result", self._verdicts()))
        return html_summary(
            f"Target report: {self.target_set}",
            facts,
            ("Id", "Measure", "Figure", "Target", "Result"),
            [
                (
                    r.measure,
                    short(r.label, 50),
                    r.figure_display,
                    None if r.assessment is None else r.assessment.target_display,
                    r.status.value.replace("_", " "),
                )
                for r in self.results
            ],
            noun="measures",
            numeric=("Figure", "Target"),
        )

    def to_pandas(self) -> DataFrame:
        """One row per measure: figure, target, verdict, counts (``target_frame``).

        Needs pandas (``pip install "casework[dataframe]"``).
        """
        from casework.report.dataframe import target_frame  # noqa: PLC0415 (imports this)

        return target_frame(self)

    def to_arrow(self) -> Any:
        """:meth:`to_pandas` as a ``pyarrow.Table`` (``pip install "casework[arrow]"``)."""
        return arrow_table(self.to_pandas)

    def weighted_score(self, score: Callable[[TargetResult], Fraction]) -> Fraction:
        """A weighted scorecard (2005-06): sum of weight x score over weighted items, / weights.

        The sources give the weights (001:756-787) but no way of scoring an item, so
        ``score`` (a result -> a fraction, say the capped ratio of figure to target)
        must be supplied.
        """
        weighted = [(r, r.weighting) for r in self.results if r.weighting is not None]
        if not weighted:
            raise ValueError(f"the report of {self.target_set!r} has no weighted measures")
        total = sum(weight for _, weight in weighted)
        return sum((weight * score(r) for r, weight in weighted), Fraction(0)) / total

    def to_dict(self, *, lazy: bool = False) -> dict[str, Any]:
        """Plain JSON-ready form (``lazy``: as :meth:`TargetResult.to_dict`)."""
        return {
            "target_set": self.target_set,
            "version": self.version,
            "title": self.title,
            "period": self.period.to_dict(),
            "area": self.area,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "near_miss": self.near_miss,
            "national_share": None if self.national_share is None else str(self.national_share),
            "tally": self.tally().to_dict(),
            "results": [result.to_dict(lazy=lazy) for result in self.results],
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One flat row per measure (for a table or a DataFrame)."""
        rows = []
        for result in self.results:
            counts = result.counts.to_dict() if result.counts else {}
            rows.append(
                {
                    "target_set": self.target_set,
                    "period": self.period.label,
                    "area": self.area,
                    "measure": result.measure,
                    "label": result.label,
                    "figure": result.figure_display,
                    "target": None
                    if result.assessment is None
                    else result.assessment.target_display,
                    "status": result.status.value,
                    "pct_achieved": result.pct_achieved,
                    **{f"n_{key}": value for key, value in counts.items()},
                }
            )
        return rows


# ---------------------------------------------------------------- aggregation


def _mean_value(finding: Finding) -> int | None:
    """The per-unit value a mean measure averages, as the finding's evidence gives it."""
    value = evidence_value(finding, (MEAN_VALUE_LABEL,))
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _suitable_at_start(finding: Finding) -> bool:
    """Whether a change measure counts the finding's unit as suitable at the start."""
    return evidence_value(finding, ("suitable at start",)) is True


def _is_excluded(finding: Finding) -> bool:
    return finding.outcome is Outcome.NOT_APPLICABLE and finding.basis is not Basis.NOT_YET_DUE


@attrs.frozen
class _Unit:
    """What a figure needs of one finding: where it came in the input, why, and its value."""

    key: tuple[int, int, int]
    """(partition, chunk, position in the chunk): the order of the input, across any split."""
    ref: UnitRef
    value: int | None = None
    suitable_at_start: bool = False

    @classmethod
    def of(cls, key: tuple[int, int, int], finding: Finding) -> _Unit:
        return cls(
            key,
            UnitRef(finding.case_ref, finding.unit, finding.reason),
            _mean_value(finding),
            _suitable_at_start(finding),
        )

    def with_value(self) -> UnitRef:
        return attrs.evolve(self.ref, value=self.value)

    def row(self) -> tuple[Any, ...]:
        """The unit as plain values (how a spill file holds it)."""
        ref = self.ref
        return (
            self.key,
            ref.case_ref,
            ref.unit,
            ref.reason,
            ref.value,
            self.value,
            self.suitable_at_start,
        )

    @classmethod
    def of_row(cls, row: tuple[Any, ...]) -> _Unit:
        key, case_ref, unit, reason, ref_value, value, suitable = row
        return cls(key, UnitRef(case_ref, unit, reason, ref_value), value, suitable)


def _key(unit: _Unit) -> tuple[int, int, int]:
    return unit.key


class _Run:
    """Units in input order, each read when iterated: blocks of a spill file (or, once
    pickled, the blocks' bytes), then units held in memory."""

    __slots__ = ("blocks", "count", "file", "tail")

    def __init__(
        self,
        file: SpillFile | None,
        blocks: tuple[Block, ...] | tuple[bytes, ...],
        tail: tuple[_Unit, ...],
        count: int,
    ) -> None:
        self.file = file
        self.blocks = blocks
        self.tail = tail
        self.count = count

    @property
    def on_disk(self) -> bool:
        return self.file is not None

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[_Unit]:
        file, of_row = self.file, _Unit.of_row
        for block in self.blocks:
            rows = (
                pickle.loads(block)
                if isinstance(block, bytes)
                else cast("SpillFile", file).read(block)
            )
            for row in rows:
                yield of_row(row)
        yield from self.tail

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its blocks' bytes (a spill file is this process's own): read from
        memory on the other side."""
        file = self.file
        blocks = tuple(
            block if isinstance(block, bytes) else cast("SpillFile", file).read_bytes(block)
            for block in self.blocks
        )
        return _Run, (None, blocks, self.tail, self.count)


class _Units:
    """The units of one pool and outcome, in input order: runs from merged tallies, then
    this tally's own (spilled blocks, then those still held in memory)."""

    __slots__ = ("blocks", "count", "file", "held", "runs")

    def __init__(self, runs: tuple[_Run, ...] = ()) -> None:
        self.runs = runs
        self.file: SpillFile | None = None
        self.blocks: list[Block] = []
        self.held: list[_Unit] = []
        self.count = sum(len(run) for run in runs)

    def append(self, unit: _Unit) -> None:
        self.held.append(unit)
        self.count += 1

    def spill(self, file: SpillFile) -> None:
        """Write the units held in memory to ``file`` as one block."""
        if self.held:
            self.blocks.append(file.append([unit.row() for unit in self.held]))
            self.file = file
            self.held = []

    def all_runs(self) -> tuple[_Run, ...]:
        own = len(self.blocks) + len(self.held)
        if not own:
            return self.runs
        count = sum(block[2] for block in self.blocks) + len(self.held)
        return (*self.runs, _Run(self.file, tuple(self.blocks), tuple(self.held), count))

    @property
    def spilled(self) -> bool:
        return any(run.on_disk or run.blocks for run in self.all_runs())

    def files(self) -> set[SpillFile]:
        return {run.file for run in self.all_runs() if run.file is not None}

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[_Unit]:
        runs = self.all_runs()
        if len(runs) == 1:
            return iter(runs[0])
        return heapq.merge(*runs, key=_key)

    def merged(self, other: _Units) -> _Units:
        """Both parts' units in input order; sorted runs merged as they are read (two
        lists held in memory are merged into one)."""
        runs = (*self.all_runs(), *other.all_runs())
        if len(runs) > 1 and not any(run.blocks for run in runs):
            merged = tuple(heapq.merge(*runs, key=_key))
            runs = (_Run(None, (), merged, len(merged)),)
        return _Units(runs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Units):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return _Units, (self.all_runs(),)

    def __repr__(self) -> str:
        return f"<_Units {self.count}{' spilled' if self.spilled else ''}>"


class _Kept:
    """Which units of a mean a list keeps, by their own value: ``over`` the target (those
    failing), or ``none`` (no value yet: pending)."""

    __slots__ = ("direction", "target", "which")

    def __init__(self, which: str, target: Fraction | None, direction: Direction) -> None:
        self.which, self.target, self.direction = which, target, direction

    def __call__(self, unit: _Unit) -> bool:
        value = unit.value
        if self.which == "none":
            return value is None
        return value is not None and not _within(value, self.target, self.direction)

    def __reduce__(self) -> tuple[Any, ...]:
        return _Kept, (self.which, self.target, self.direction)


def _within(value: int, target: Fraction | None, direction: Direction) -> bool:
    return target is None or (value <= target if direction is Direction.LOWER else value >= target)


_Part = tuple[_Units, _Kept | None, bool]


class UnitList(Sequence[UnitRef]):
    """The units a figure lists (:attr:`TargetResult.failed`, ``pending_units``,
    ``cannot_assess_units``) of a tally that spilled them to disk: a read-only sequence
    that reads them, in input order, each time it is iterated. It equals (and hashes as)
    the tuple of the same units, so a report made this way equals one made in memory.

    It reads the tally's spill file: iterate it before the tally is closed.
    """

    __slots__ = ("_count", "_parts")

    def __init__(self, parts: tuple[_Part, ...], count: int | None = None) -> None:
        self._parts = parts
        self._count = count

    def __iter__(self) -> Iterator[UnitRef]:
        for units, kept, valued in self._parts:
            for unit in units:
                if kept is None or kept(unit):
                    yield unit.with_value() if valued else unit.ref

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self)
        return self._count

    @overload
    def __getitem__(self, index: int) -> UnitRef: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[UnitRef, ...]: ...
    def __getitem__(self, index: int | slice) -> UnitRef | tuple[UnitRef, ...]:
        if isinstance(index, slice):
            if (index.start or 0) >= 0 and (index.stop or 0) >= 0 and (index.step or 1) > 0:
                return tuple(itertools.islice(self, index.start, index.stop, index.step))
            return tuple(self)[index]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError("unit index out of range")
        return next(itertools.islice(self, position, None))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str) or not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"UnitList({len(self)} units)"


def _listed(parts: tuple[_Part, ...], count: int, spilled: bool) -> Sequence[UnitRef]:
    """The units of ``parts``: a tuple when they are all in memory, else a :class:`UnitList`
    reading them from disk when iterated."""
    listed = UnitList(parts, count)
    return listed if spilled else tuple(listed)


@attrs.define
class _Pool:
    """The findings of one measure placed in the period, by outcome.

    Units that met are kept one by one only where a figure needs them (``keep_met``:
    a mean regroups them by their own value); otherwise only their number and how
    many were suitable at the start are kept, so memory does not grow with them.
    """

    keep_met: bool = False
    met: _Units = attrs.Factory(_Units)
    met_count: int = 0
    met_suitable: int = 0
    not_met: _Units = attrs.Factory(_Units)
    pending: _Units = attrs.Factory(_Units)
    cannot_assess: _Units = attrs.Factory(_Units)
    excluded: int = 0
    outside: int = 0
    unplaced: int = 0

    def stores(self) -> tuple[_Units, ...]:
        """The units kept one by one, by outcome."""
        return (self.met, self.not_met, self.pending, self.cannot_assess)

    @property
    def spilled(self) -> bool:
        """Whether some of the units are on disk."""
        return any(units.spilled for units in self.stores())

    def add(
        self, key: tuple[int, int, int], finding: Finding, day: dt.date | None, period: Period
    ) -> None:
        if day is None:
            self.unplaced += 1
        elif day not in period:
            self.outside += 1
        elif _is_excluded(finding):
            self.excluded += 1
        elif finding.outcome is Outcome.NOT_APPLICABLE:
            self.pending.append(_Unit.of(key, finding))
        elif finding.outcome is Outcome.CANNOT_ASSESS:
            self.cannot_assess.append(_Unit.of(key, finding))
        elif finding.outcome is Outcome.MET:
            unit = _Unit.of(key, finding)
            self.met_count += 1
            self.met_suitable += unit.suitable_at_start
            if self.keep_met:
                self.met.append(unit)
        else:
            self.not_met.append(_Unit.of(key, finding))

    def add_columns(
        self,
        answered: RuleColumns,
        in_area: Any,
        day: Any,
        period: Period,
        chunk: tuple[int, int],
        *,
        values: Any = None,
        suitable: Any = None,
        renaming: Renaming | None = None,
    ) -> None:
        """Count a kernel's answers for a chunk: ``in_area`` and ``day`` (the anchor's day
        number, NO_DAY when none) per answer, for a mean each answer's ``values`` (-1:
        none), and for a change whether each was suitable at the start (``suitable``, 1
        or 0); only the units a report lists (and for a mean, those it averages) are
        written, their references replaced by ``renaming`` when given."""
        first, last = day_number(period.start), day_number(period.end)
        dated = in_area & (day != NO_DAY)
        placed = dated & (day >= first) & (day <= last)
        self.unplaced += int((in_area & ~dated).sum())
        self.outside += int((dated & ~placed).sum())
        pending = answered.mask(Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)
        excluded = answered.mask(Outcome.NOT_APPLICABLE) & ~pending
        met = answered.mask(Outcome.MET)
        self.excluded += int((placed & excluded).sum())
        self.met_count += int((placed & met).sum())
        if suitable is not None:
            self.met_suitable += int((placed & met & (suitable == 1)).sum())
        written = placed & ~excluded
        if not self.keep_met:
            written &= ~met
        chosen = np.flatnonzero(written)
        said = _explained(answered, chosen)
        for index, (reason, _evidence) in zip(chosen.tolist(), said, strict=True):
            value = None if values is None or values[index] < 0 else int(values[index])
            reference = answered.columns.references[int(answered.row[index])]
            if renaming is None:
                ref = UnitRef(reference, answered.unit[index], reason)
            else:
                ref = UnitRef(
                    renaming.reference(reference), answered.unit[index], renaming.text(reason)
                )
            unit = _Unit(
                (*chunk, index), ref, value, suitable is not None and bool(suitable[index] == 1)
            )
            if met[index]:
                self.met.append(unit)
            elif pending[index]:
                self.pending.append(unit)
            elif answered.outcome[index] == _CANNOT_CODE:
                self.cannot_assess.append(unit)
            else:
                self.not_met.append(unit)

    def merged(self, other: _Pool) -> _Pool:
        return _Pool(
            keep_met=self.keep_met,
            met=self.met.merged(other.met),
            met_count=self.met_count + other.met_count,
            met_suitable=self.met_suitable + other.met_suitable,
            not_met=self.not_met.merged(other.not_met),
            pending=self.pending.merged(other.pending),
            cannot_assess=self.cannot_assess.merged(other.cannot_assess),
            excluded=self.excluded + other.excluded,
            outside=self.outside + other.outside,
            unplaced=self.unplaced + other.unplaced,
        )


@attrs.frozen
class _Listing:
    """A pool as a report reads it: the counts and the units listed. For a mean the units
    are regrouped by their own value: one within the target meets, one over it fails (so
    the units that pull the mean over are the ones listed as failing), and one with no
    value yet (a breach placed by its failure date, not yet resolved) is pending."""

    counts: Counts
    failed: Sequence[UnitRef]
    pending: Sequence[UnitRef]
    cannot_assess: Sequence[UnitRef]
    total: int = 0
    """A mean: the sum of the values averaged."""
    suitable: int = 0
    """A change: the units met or not met that were suitable at the start."""


def _listing(measure: Measure, pool: _Pool, target: Fraction | None) -> _Listing:
    """The pool's counts and listed units; read from disk when iterated if it spilled."""
    spilled = pool.spilled
    failed: tuple[_Part, ...] = ((pool.not_met, None, False),)
    pending: tuple[_Part, ...] = ((pool.pending, None, False),)
    met, not_met, waiting = pool.met_count, len(pool.not_met), len(pool.pending)
    total = suitable = 0
    if measure.aggregation is Aggregation.MEAN:
        direction = measure.direction
        met = not_met = 0
        for unit in itertools.chain(pool.met, pool.not_met):
            value = unit.value
            if value is None:
                waiting += 1
                continue
            total += value
            if _within(value, target, direction):
                met += 1
            else:
                not_met += 1
        over, none = _Kept("over", target, direction), _Kept("none", target, direction)
        failed = ((pool.met, over, True), (pool.not_met, over, True))
        pending = (*pending, (pool.met, none, False), (pool.not_met, none, False))
    elif measure.aggregation is Aggregation.CHANGE:
        suitable = pool.met_suitable + sum(unit.suitable_at_start for unit in pool.not_met)
    return _Listing(
        counts=Counts(
            met=met,
            not_met=not_met,
            pending=waiting,
            cannot_assess=len(pool.cannot_assess),
            excluded=pool.excluded,
            outside_period=pool.outside,
            unplaced=pool.unplaced,
        ),
        failed=_listed(failed, not_met, spilled),
        pending=_listed(pending, waiting, spilled),
        cannot_assess=_listed(
            ((pool.cannot_assess, None, False),), len(pool.cannot_assess), spilled
        ),
        total=total,
        suitable=suitable,
    )


def _figure(
    measure: Measure, listing: _Listing
) -> tuple[Fraction | None, Fraction | None, int | None]:
    """(figure, numerator, denominator) for one measure's pool."""
    met, units = listing.counts.met, listing.counts.in_scope
    match measure.aggregation:
        case Aggregation.PROPORTION:
            return (Fraction(met, units) if units else None), Fraction(met), units
        case Aggregation.VOLUME:
            return Fraction(met), Fraction(met), None
        case Aggregation.MEAN:
            if not units:
                return None, None, 0
            total = Fraction(listing.total)
            return total / units, total, units
        case Aggregation.CHANGE:
            if not units:
                return None, None, 0
            change = Fraction(met - listing.suitable, units)
            return change, Fraction(met - listing.suitable), units


def _computed(
    measure: Measure,
    pool: _Pool,
    *,
    period: Period,
    area: str | None,
    anchor: Anchor,
    near_miss: NearMissSpec,
    national_share: Fraction | None = None,
) -> TargetResult:
    target = measure.threshold_for(area)
    national = _is_national_volume(measure, area)
    if national and target is not None and national_share is not None:
        target *= national_share
    listing = _listing(measure, pool, target)
    figure, numerator, denominator = _figure(measure, listing)
    common = _common(measure, period, area)
    extra: dict[str, Any] = {
        "counts": listing.counts,
        "numerator": numerator,
        "denominator": denominator,
        "failed": listing.failed,
        "pending_units": listing.pending,
        "cannot_assess_units": listing.cannot_assess,
        "anchor": anchor.name,
        "rule_id": measure.rule_id,
    }
    if figure is None:
        return TargetResult(
            **common,
            **extra,
            status=TargetStatus.NO_DATA,
            target=target,
            reason=f"Nothing in scope in {period.label} (counting {_units(0, measure.unit)}): "
            "there is no figure.",
        )
    if national and target is not None and national_share is None:
        return _national(measure, figure, target, common | extra, area=area)
    assessment = judge(
        measure=measure.id,
        figure=figure,
        target=target,
        direction=measure.direction,
        aggregation=measure.aggregation,
        places=measure.places,
        near_miss=tolerance_for(near_miss, measure.id),
        area=area,
    )
    reason = _explain(measure, assessment, listing.counts, numerator, denominator)
    if national and national_share is not None and measure.threshold is not None:
        reason += (
            f" The target is {_percent(national_share)} of the national target of "
            f"{_thousands(measure.threshold)}, the share given for these cases."
        )
    return TargetResult(
        **common,
        **extra,
        status=assessment.status,
        reason=reason,
        figure=figure,
        target=target,
        assessment=assessment,
    )


def _is_national_volume(measure: Measure, area: str | None) -> bool:
    """A count judged against a national total: the measure is a volume and the target
    used is the national one (not an area's own, nor a region's sum of area targets)."""
    return (
        measure.aggregation is Aggregation.VOLUME
        and measure.threshold is not None
        and (area is None or area not in measure.area_thresholds)
    )


def _thousands(value: Fraction) -> str:
    """``46,300``; a fraction as a decimal (``231.5``)."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def _percent(share: Fraction) -> str:
    text = f"{float(share * 100):.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _national(
    measure: Measure,
    figure: Fraction,
    target: Fraction,
    fields: dict[str, Any],
    *,
    area: str | None,
) -> TargetResult:
    """A count shown beside its national target, not judged against it."""
    count = _units(figure, measure.unit)
    reason = (
        f"{count} counted in these cases. The target of {_thousands(target)} is for the whole "
        "country: a count from one file's cases is not judged against it. Give the cases' "
        "share of the national target to judge them (--national-share on the command "
        "line, national_share in Python)."
    )
    assessment = Assessment(
        measure=measure.id,
        figure=figure,
        target=target,
        status=TargetStatus.NATIONAL,
        rule="a national volume target: shown beside the count, judged only against a share "
        "given for the cases",
        reason=reason,
        direction=measure.direction,
        aggregation=measure.aggregation,
        places=measure.places,
        area=area,
    )
    return TargetResult(
        **fields,
        status=TargetStatus.NATIONAL,
        reason=reason,
        figure=figure,
        target=target,
        assessment=assessment,
    )


def _units(count: int | Fraction | None, unit: str) -> str:
    """``3 breaches``, ``1 case``, ``2 staff members``."""
    plural = unit + ("es" if unit.endswith(("ch", "sh", "s", "x")) else "s")
    return f"{count} {unit if count == 1 else plural}"


def _explain(
    measure: Measure,
    assessment: Assessment,
    counts: Counts,
    numerator: Fraction | None,
    denominator: int | None,
) -> str:
    unit = measure.unit
    match measure.aggregation:
        case Aggregation.PROPORTION:
            basis = f"{numerator} of {_units(denominator, unit)} in scope met the rule"
        case Aggregation.VOLUME:
            basis = f"{_units(numerator, unit)} counted"
        case Aggregation.MEAN:
            basis = f"{numerator} {MEAN_VALUE_LABEL} over {_units(denominator, unit)}"
        case Aggregation.CHANGE:
            basis = f"net change of {numerator} over {_units(denominator, unit)}"
    left_out = [
        f"{count} {label}"
        for count, label in (
            (counts.pending, "pending"),
            (counts.cannot_assess, "cannot be assessed"),
            (counts.excluded, "excluded"),
        )
        if count
    ]
    tail = f"; left out: {', '.join(left_out)}" if left_out else ""
    return f"{assessment.reason} ({basis}{tail}.)"


def _common(measure: Measure, period: Period, area: str | None) -> dict[str, Any]:
    return {
        "measure": measure.id,
        "label": measure.label,
        "period": period,
        "area": area,
        "aggregation": measure.aggregation,
        "direction": measure.direction,
        "unit": measure.unit,
        "source": measure.source,
        "in_tally": measure.in_tally,
        "weighting": measure.weighting,
    }


def _supplied(
    measure: Measure,
    value: FigureLike,
    *,
    period: Period,
    area: str | None,
    near_miss: NearMissSpec,
) -> TargetResult:
    assessment = measure.assess(value, area=area, near_miss=near_miss)
    return TargetResult(
        **_common(measure, period, area),
        status=assessment.status,
        reason=f"{assessment.reason} (figure supplied)",
        figure=assessment.figure,
        target=assessment.target,
        assessment=assessment,
        basis="supplied",
    )


def _no_rule(measure: Measure, *, period: Period, area: str | None) -> TargetResult:
    return TargetResult(
        **_common(measure, period, area),
        status=TargetStatus.NO_DATA,
        target=measure.threshold_for(area),
        reason=(
            f"No case-level rule: this measure counts {_units(0, measure.unit)[2:]}, which case "
            f"records do not hold. Give the figure to judge it: --figure {measure.id}=VALUE on "
            "the command line, the figures argument in Python."
        ),
        basis="none",
    )


def _is_cases(
    items: Iterable[Finding] | Iterable[Case] | Iterable[CaseColumns],
) -> tuple[bool, Iterable[Any]]:
    iterator = iter(items)
    first = next(iterator, None)
    if first is None:
        return False, ()
    rest = itertools.chain((first,), iterator)
    if isinstance(first, Case | CaseColumns):
        return True, rest
    if isinstance(first, Finding):
        return False, rest
    raise TypeError(f"expected cases, chunks of columns or findings, not {type(first).__name__}")


def _index(
    findings: Iterable[Finding],
) -> tuple[dict[str, Finding], dict[str, list[Finding]], dt.date | None]:
    """Case headers by case, other findings by rule; each (case, rule, unit) once."""
    headers: dict[str, Finding] = {}
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    seen: dict[tuple[str, str, str | None], Finding] = {}
    latest: dt.date | None = None
    for finding in findings:
        key = (finding.case_ref, finding.rule_id, finding.unit)
        earlier = seen.get(key)
        if earlier is not None:
            if (earlier.outcome, earlier.basis, earlier.reason, earlier.evidence) != (
                finding.outcome,
                finding.basis,
                finding.reason,
                finding.evidence,
            ):
                raise ValueError(
                    f"two different findings for case {finding.case_ref}, rule "
                    f"{finding.rule_id}{'' if finding.unit is None else ', ' + finding.unit}: "
                    "give the findings of one evaluation"
                )
            continue
        seen[key] = finding
        latest = finding.as_of if latest is None else max(latest, finding.as_of)
        if finding.rule_id == CASE_RULE_ID:
            headers[finding.case_ref] = finding
        else:
            by_rule[finding.rule_id].append(finding)
    return headers, by_rule, latest


def _in_area(
    findings: list[Finding], headers: Mapping[str, Finding], area: str | None
) -> list[Finding]:
    if area is None:
        return findings
    return [
        f
        for f in findings
        if f.case_ref in headers and evidence_value(headers[f.case_ref], ("area",)) == area
    ]


#: Aggregations counted on columns: each unit met or not, or (a mean) a value per unit.
_ON_COLUMNS = frozenset(
    {Aggregation.PROPORTION, Aggregation.VOLUME, Aggregation.MEAN, Aggregation.CHANGE}
)
_CANNOT_CODE = OUTCOME_CODE[Outcome.CANNOT_ASSESS]


def _found_at(answered: RuleColumns, chosen: npt.NDArray[np.intp]) -> list[Finding]:
    """The findings of these answers (ascending), each case asked of the scalar rule once."""
    if answered.found is not None:
        return [answered.found[int(index)] for index in chosen]
    only = answered.ruleset.only([answered.rule.id])
    ctx = answered.context
    firsts = np.searchsorted(answered.row, answered.row[chosen], side="left")
    asked: dict[int, tuple[Finding, ...]] = {}
    out: list[Finding] = []
    for index, first in zip(chosen.tolist(), firsts.tolist(), strict=True):
        row = int(answered.row[index])
        found = asked.get(row)
        if found is None:
            found = asked[row] = evaluate_case(
                answered.columns.cases[row],
                only,
                as_of=ctx.as_of,
                calendar=ctx.calendar,
                options=ctx.options,
            )
        out.append(found[index - first])
    return out


def _explained(
    answered: RuleColumns, chosen: npt.NDArray[np.intp]
) -> list[tuple[str, tuple[Evidence, ...]]]:
    """Reason and evidence of these answers (ascending), word for word the findings'.

    A rule answering once per case is explained as :meth:`RuleColumns.explained` explains
    it, only these answers put in words (a kernel's :class:`~casework.columnar.Wording`
    where it has one: no ``Case`` read); a rule answering per unit by the words of its units
    (:data:`casework.columnar.targets.UNIT_WORDS`) where they are known, else by its
    findings."""
    if not chosen.size:
        return []
    if answered.found is not None:
        return [(found.reason, found.evidence) for found in _found_at(answered, chosen)]
    if answered.rule.units is not None:
        words = UNIT_WORDS.get(answered.rule.id)
        said: list[tuple[str, tuple[Evidence, ...]] | None] = (
            [None] * len(chosen)
            if words is None
            else [None if s is None else (s[0], s[1]) for s in words(answered, chosen)]
        )
        left = np.asarray([i for i, s in enumerate(said) if s is None], dtype=np.intp)
        for i, found in zip(left.tolist(), _found_at(answered, chosen[left]), strict=True):
            said[i] = (found.reason, found.evidence)
        return [s for s in said if s is not None]
    wanted = np.zeros(len(answered), dtype=bool)
    wanted[chosen] = True
    reasons, evidence, _labels, _standards = answered.explained(wanted)
    return [(reasons[i], evidence[i]) for i in chosen.tolist()]


def _on_columns(
    answered: RuleColumns, anchor: Anchor, measure: Measure, facts: _CaseFacts
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64] | None] | None:
    """Per answer of a kernel: the anchor's day and, for a mean, the unit's value (-1:
    none), for a change whether it was suitable at the start (1 or 0); ``None`` when the
    columns do not hold them (the findings are counted instead).

    A case-level anchor is read from the case's dates (:class:`_CaseFacts`); a unit's own
    from the answer's columns (:data:`casework.columnar.targets.ANCHOR_DAYS`), except for
    the answers the scalar rule gave (``origin`` -1) and those the in-force dates held
    (out of scope with a trigger; unless :data:`~casework.columnar.targets.HELD_DAYS`
    names the anchor), read from their findings as :meth:`TargetTally.add` reads them."""
    rule_id = answered.rule.id
    by_case = anchor.case_label is not None
    mean = measure.aggregation is Aggregation.MEAN
    change = measure.aggregation is Aggregation.CHANGE
    on_unit = ANCHOR_DAYS.get((rule_id, anchor.name))
    on_value = MEAN_VALUES.get(rule_id) if mean else CHANGE_VALUES.get(rule_id) if change else None
    if (not by_case and on_unit is None) or ((mean or change) and on_value is None):
        return None
    if anchor.case_label is not None:
        days = facts.days(anchor.case_label)[answered.row]
    else:
        assert on_unit is not None
        days = on_unit(answered)
    values = None if on_value is None else on_value(answered)
    if by_case and values is None:
        return days, None
    origin = answered.origin
    held = (answered.basis == BASIS_CODE[Basis.OUT_OF_SCOPE]) & (answered.trigger != NO_DAY)
    if values is None and (rule_id, anchor.name) in HELD_DAYS:
        held[:] = False  # (their days are the anchor's days already)
    own = held if origin is None else held | (origin < 0)
    chosen = np.flatnonzero(own)
    if chosen.size:
        days = days.copy()
        values = None if values is None else values.copy()
        for index, finding in zip(chosen.tolist(), _found_at(answered, chosen), strict=True):
            if not by_case:
                days[index] = day_number(anchor_date(anchor, finding, None))
            if values is not None and change:
                values[index] = _suitable_at_start(finding)
            elif values is not None:
                value = _mean_value(finding)
                values[index] = -1 if value is None else value
    return days, values


class _CaseFacts:
    """Per case of a chunk, what its ``TGT.case`` finding records and a tally reads: the
    area and the case-level anchor days (start, sentence, termination, six-month point).

    Read from the columns; the cases the kernels leave to the scalar engine (a record read
    as it stood earlier, a case sentenced after ``as_of``) and any case whose ``TGT.case``
    answer is not the usual one are read from that finding, so every value is the one
    :meth:`TargetTally.add` reads from the findings.
    """

    def __init__(self, header: RuleColumns) -> None:
        self.header = header
        columns, ctx = header.columns, header.context
        self.facts = columns.table("tgt.case")
        if header.found is not None:
            own = np.ones(len(columns), dtype=bool)
        else:
            own = special_rows(columns, ctx) | (header.basis != BASIS_CODE[Basis.DESCRIPTIVE])
        self.own = np.flatnonzero(own)
        self._days: dict[str, npt.NDArray[np.int64]] = {}
        self._areas: npt.NDArray[Any] | None = None

    @classmethod
    def of(cls, header: RuleColumns) -> _CaseFacts:
        if not np.array_equal(header.row, np.arange(len(header.columns))):
            raise ValueError(f"{CASE_RULE_ID} must answer once for every case")
        return cls(header)

    def _recorded(self, row: int, label: str) -> object:
        return evidence_value(self.header.finding(row), (label,))

    def in_area(self, area: str | None) -> npt.NDArray[np.bool_]:
        """Per case: whether it counts for ``area`` (every case when ``None``)."""
        if area is None:
            return np.ones(len(self.header.columns), dtype=bool)
        chosen: npt.NDArray[np.bool_] = self.areas() == area
        return chosen

    def areas(self) -> npt.NDArray[Any]:
        """Per case: its area (``None`` for none)."""
        if self._areas is None:
            areas = self.facts["area"].copy()
            for row in self.own:
                areas[row] = self._recorded(int(row), "area")  # type: ignore[assignment]
            self._areas = areas
        return self._areas

    def renamed(self, renaming: Renaming, area: str | None) -> bool:
        """Whether ``renaming`` changes an area a tally of ``area`` reads (as text in the
        ``TGT.case`` findings it would rename; a pooled tally reads none)."""
        if area is None:
            return False
        return any(
            renaming.text(value) != value
            for value in set(self.areas().tolist())
            if isinstance(value, str)
        )

    def days(self, label: str) -> npt.NDArray[np.int64]:
        """Per case: the day number of the ``TGT.case`` date ``label`` (NO_DAY if none)."""
        found = self._days.get(label)
        if found is not None:
            return found
        columns, ctx = self.header.columns, self.header.context
        if label == "start":
            found = columns.start.copy()
        elif label == "sentence":
            found = columns.sentenced.copy()
        elif label == "terminated":
            found = self.facts["terminated"].astype(np.int64)
        elif label == "six-month point":
            if ctx.parameters.has_value("breach_free_period"):
                period = ctx.param("breach_free_period").duration
                found = add_duration(ctx.calendar, columns.start, period)
            else:
                found = np.full(len(columns), NO_DAY, dtype=np.int64)
        else:
            raise ValueError(f"{CASE_RULE_ID} records no date {label!r}")
        for row in self.own:
            value = self._recorded(int(row), label)
            found[row] = day_number(value) if isinstance(value, dt.date) else NO_DAY
        self._days[label] = found
        return found

    def date(self, label: str, row: int) -> dt.date | None:
        """The ``TGT.case`` date ``label`` of one case."""
        return from_day_number(int(self.days(label)[row]))


@attrs.define
class TargetTally:
    """A target set's findings for one period (and area), tallied a chunk at a time.

    :func:`target_performance` is ``TargetTally.start(...)``, :meth:`add` of every
    finding, then :meth:`report`. Tallied in chunks (one chunk holds whole cases),
    memory holds only the counts and the units a report lists, never the findings.
    Tallies of any split of the cases merge (:meth:`merge`, associative and
    commutative) into the tally of the whole: each unit keeps its place in the input
    as ``(partition, chunk, position)``, so a merged report lists units in input order.

    ::

        tally = TargetTally.start("nps-2007-08", period=Period.financial_year(2007))
        for chunk in evaluate_chunks(cases, tally.ruleset, as_of=day, calendar=calendar):
            tally.add(chunk)
        report = tally.report()

    **Spilling.** The units a report lists (every unit not met, pending or that cannot be
    assessed, each with its sentence: about 400 bytes a case) are held in memory unless
    the tally is started with ``spill``: then they are written, a chunk at a time, to a
    temporary file (in ``spill_dir``, default :func:`tempfile.gettempdir`) and the
    report's unit lists are :class:`UnitList` sequences that read that file when iterated
    (equal to the tuples a tally in memory gives). ``spill=True`` spills from the first
    chunk; ``spill=N`` once N units are held (a small caseload never touches the disk;
    the command line uses :data:`SPILL_AFTER`). Close the tally (:meth:`close`, or use it
    as a context manager) once its report is written to remove the file at once; else it
    is removed when the tally and every report reading it are garbage collected. A
    spilled tally merges with any other (their files are read in turn) and pickles with
    its units' bytes (read from memory on the other side).
    """

    targets: TargetSet = attrs.field(eq=False)
    period: Period
    area: str | None
    anchors: dict[str, Anchor]
    pools: dict[str, _Pool]
    measures: frozenset[str] | None = None
    """Only these measure ids (``None``: every measure)."""
    partition: int = 0
    chunks: int = 0
    latest: dt.date | None = None
    spill: _Spill | None = attrs.field(default=None, eq=False)
    """Where and when the listed units go to disk (``None``: they stay in memory)."""

    @classmethod
    def start(
        cls,
        target_set: TargetSet | str,
        *,
        period: Period,
        area: str | None = None,
        anchors: Mapping[str, str] | None = None,
        measures: Iterable[str] | None = None,
        partition: int = 0,
        spill: bool | int = False,
        spill_dir: str | os.PathLike[str] | None = None,
    ) -> TargetTally:
        """An empty tally; ``partition`` orders this tally's units before a later partition's.

        ``spill``: write the units a report lists to a temporary file in ``spill_dir``
        (``True``: from the first chunk; a number: once that many are held in memory;
        ``False``, the default: never). See the class's notes on spilling.
        """
        if spill is not False and (isinstance(spill, bool) or spill >= 0):
            chosen_spill = _Spill(spill_dir, 0 if spill is True else int(spill))
        elif spill is False:
            chosen_spill = None
        else:
            raise ValueError("spill is True, False or a number of units (0 or more)")
        targets = named_target_set(target_set) if isinstance(target_set, str) else target_set
        if not isinstance(targets, TargetSet):
            raise TypeError(
                "target_set must be a TargetSet or the name of one (such as 'nps-2007-08'), "
                f"not {type(target_set).__name__}"
            )
        if not isinstance(period, Period):
            raise TypeError(
                "period must be a casework.performance.Period (Period.financial_year(2007), "
                f"Period.quarter(2007, 1), Period(start, end)), not {type(period).__name__}"
            )
        if area is not None and targets.areas and area not in targets.areas:
            raise ValueError(
                f"{area!r} is not an area of {targets.name}: {', '.join(targets.areas)}"
            )
        overrides = dict(anchors or {})
        chosen = None if measures is None else set(measures)
        for name in (*overrides, *(chosen or ())):
            targets.measure(name)  # KeyError for an unknown id
        for name, anchor_name in overrides.items():
            if anchor_name not in ANCHORS:
                raise ValueError(
                    f"anchor {anchor_name!r} for {name} is not one of {sorted(ANCHORS)}"
                )
        counted = {
            measure.id: ANCHORS[overrides.get(measure.id, measure.anchor)]
            for measure in targets
            if (chosen is None or measure.id in chosen)
            and measure.rule_id is not None
            and measure.anchor is not None
        }
        return cls(
            targets=targets,
            period=period,
            area=area,
            anchors=counted,
            pools={
                measure_id: _Pool(
                    keep_met=targets.measure(measure_id).aggregation is Aggregation.MEAN
                )
                for measure_id in counted
            },
            measures=None if chosen is None else frozenset(chosen),
            partition=partition,
            spill=chosen_spill,
        )

    def _spill_held(self) -> None:
        """After a chunk: the units held in memory to the spill file, once it is in use
        or they reach the spill's threshold."""
        spill = self.spill
        if spill is None:
            return
        stores = [units for pool in self.pools.values() for units in pool.stores()]
        if spill.file is None:
            if sum(len(units.held) for units in stores) < max(spill.after, 1):
                return
            spill.file = SpillFile(spill.directory)
        for units in stores:
            units.spill(spill.file)

    def files(self) -> set[SpillFile]:
        """The spill files the tally's units are read from (its own and merged parts')."""
        found = {file for pool in self.pools.values() for u in pool.stores() for file in u.files()}
        if self.spill is not None and self.spill.file is not None:
            found.add(self.spill.file)
        return found

    @property
    def spilled(self) -> bool:
        """Whether some of the units listed are on disk."""
        return any(pool.spilled for pool in self.pools.values())

    def close(self) -> None:
        """Remove the spill files now (the report's unit lists can no longer be read)."""
        for file in self.files():
            file.close()

    def __enter__(self) -> TargetTally:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def ruleset(self) -> RuleSet:
        """The rule set whose findings the tally counts: only the rules it needs when only
        some measures are asked for (the findings of those rules are the same)."""
        rules = self.targets.ruleset
        if self.measures is None:
            return rules
        needed = {self.targets.measure(measure_id).rule_id for measure_id in self.anchors}
        return rules.only({CASE_RULE_ID, *(rule for rule in needed if rule is not None)})

    def add(self, findings: Iterable[Finding]) -> None:
        """Count one chunk of findings (whole cases: a case's findings in one chunk)."""
        headers, by_rule, latest = _index(findings)
        if latest is not None:
            self.latest = latest if self.latest is None else max(self.latest, latest)
        for measure_id, anchor in self.anchors.items():
            rule_id = self.targets.measure(measure_id).rule_id
            assert rule_id is not None
            pool = self.pools[measure_id]
            chosen = _in_area(by_rule.get(rule_id, []), headers, self.area)
            for position, finding in enumerate(chosen):
                day = anchor_date(anchor, finding, headers.get(finding.case_ref))
                pool.add((self.partition, self.chunks, position), finding, day, self.period)
        self.chunks += 1
        self._spill_held()

    def add_columns(self, answered: FindingColumns, *, renaming: Renaming | None = None) -> None:
        """Count one chunk evaluated on columns (:func:`casework.columnar.evaluate_columns`
        of :attr:`ruleset`, whole cases): the same counts and units :meth:`add` of the
        chunk's findings gives (tests/targets/test_tally_columns.py).

        ``renaming``: the chunk's references replaced in the units kept, as :meth:`add` of
        the chunk's findings renamed (``renaming.finding``) keeps them; the case's area is
        read as it was (a chunk where renaming would change an area is counted from its
        renamed findings).

        Each measure is counted with masks on its rule's outcome and basis columns, the
        cases placed in the period by the day of the measure's anchor (start, sentence,
        termination, six-month point: the dates ``TGT.case`` records, read from the
        columns) and in the area by the case's own; a sentence is written only for the
        units a report lists (not met, pending, cannot assess). A measure whose figure
        needs more than the columns hold (a mean of working days, a change in
        accommodation, a unit's own anchor date, a rule with no kernel) is counted from
        that rule's findings alone (:meth:`RuleColumns.findings`).
        """
        if CASE_RULE_ID not in answered.ruleset:  # no case dates: findings as they are
            self._add_findings_of(answered, renaming)
            return
        header = answered.rule(CASE_RULE_ID)
        ctx = header.context
        facts = _CaseFacts.of(header)
        if renaming is not None and facts.renamed(renaming, self.area):
            self.add(map(renaming.finding, answered.findings()))
            return
        if len(answered.columns):
            self.latest = ctx.as_of if self.latest is None else max(self.latest, ctx.as_of)
        by_rule = {found.rule.id: found for found in answered.by_rule}
        chunk = (self.partition, self.chunks)
        for measure_id, anchor in self.anchors.items():
            measure = self.targets.measure(measure_id)
            found = by_rule.get(measure.rule_id or "")
            if found is None:
                continue
            pool = self.pools[measure_id]
            in_area = facts.in_area(self.area)[found.row]
            counted = (
                _on_columns(found, anchor, measure, facts)
                if found.found is None and measure.aggregation in _ON_COLUMNS
                else None
            )
            if counted is not None:
                days, values = counted
                change = measure.aggregation is Aggregation.CHANGE
                pool.add_columns(
                    found, in_area, days, self.period, chunk,
                    values=None if change else values,
                    suitable=values if change else None,
                    renaming=renaming,
                )  # fmt: skip
                continue
            findings = found.findings()
            for index in np.flatnonzero(in_area):
                finding = findings[int(index)]
                if renaming is not None:
                    finding = renaming.finding(finding)
                if anchor.case_label is not None:
                    day = facts.date(anchor.case_label, int(found.row[index]))
                else:
                    day = anchor_date(anchor, finding, None)
                pool.add((*chunk, int(index)), finding, day, self.period)
        self.chunks += 1
        self._spill_held()

    def _add_findings_of(self, answered: FindingColumns, renaming: Renaming | None) -> None:
        """:meth:`add` of the findings of the rules the measures count, the others left
        unworded (a rule set without case dates, such as National Standards: :meth:`add`
        reads only those rules' findings, and the evaluation date)."""
        counted = {self.targets.measure(measure_id).rule_id for measure_id in self.anchors}
        kept = tuple(found for found in answered.by_rule if found.rule.id in counted)
        findings = attrs.evolve(answered, by_rule=kept).findings()
        self.add(findings if renaming is None else map(renaming.finding, findings))
        if kept or not len(answered.columns) or not answered.by_rule:
            return
        as_of = answered.by_rule[0].context.as_of  # (the findings left out were as of it)
        self.latest = as_of if self.latest is None else max(self.latest, as_of)

    def add_cases(
        self,
        cases: Sequence[Case] | CaseColumns,
        *,
        as_of: dt.date,
        calendar: WorkingCalendar,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        """Evaluate one chunk of cases on columns (:func:`casework.columnar.evaluate_columns`:
        kernels where a rule has one, else case by case) and count it (:meth:`add_columns`).
        The report is the one :meth:`add` of the chunk's findings gives
        (tests/targets/test_tally_columns.py)."""
        self.add_columns(
            evaluate_columns(
                cases, self.ruleset, as_of=as_of, calendar=calendar, options=dict(options or {})
            )
        )

    def merge(self, other: TargetTally) -> TargetTally:
        """The tally of both parts together (neither part is changed)."""
        if (self.targets.name, self.targets.version, self.period, self.area, self.anchors) != (
            other.targets.name,
            other.targets.version,
            other.period,
            other.area,
            other.anchors,
        ) or self.measures != other.measures:
            raise ValueError("only tallies of one target set, period, area and anchors merge")
        latest = [day for day in (self.latest, other.latest) if day is not None]
        return attrs.evolve(
            self,
            pools={key: pool.merged(other.pools[key]) for key, pool in self.pools.items()},
            partition=min(self.partition, other.partition),
            chunks=self.chunks + other.chunks,
            latest=max(latest, default=None),
        )

    def report(
        self,
        *,
        near_miss: NearMissSpec | str = None,
        figures: Mapping[str, FigureLike] | None = None,
        as_of: dt.date | None = None,
        national_share: Fraction | None = None,
    ) -> TargetReport:
        """Every measure's figure and verdict from what has been tallied.

        ``near_miss`` is a tolerance, one per measure id, or the name of one of the
        set's near-miss readings (``"published"`` for nps-2007-08); ``national_share``
        as for :func:`target_performance`.
        """
        if isinstance(near_miss, str):
            near_miss = self.targets.near_miss_reading(near_miss)
        supplied = dict(figures or {})
        for name in supplied:
            self.targets.measure(name)  # KeyError for an unknown id
        results = []
        period, area = self.period, self.area
        for measure in self.targets:
            if self.measures is not None and measure.id not in self.measures:
                continue
            if measure.id in supplied:
                result = _supplied(
                    measure, supplied[measure.id], period=period, area=area, near_miss=near_miss
                )
            elif measure.id in self.anchors:
                result = _computed(
                    measure,
                    self.pools[measure.id],
                    anchor=self.anchors[measure.id],
                    near_miss=near_miss,
                    period=period,
                    area=area,
                    national_share=national_share,
                )
            else:
                result = _no_rule(measure, period=period, area=area)
            results.append(result)
        return TargetReport(
            target_set=self.targets.name,
            version=self.targets.version,
            period=period,
            area=area,
            results=tuple(results),
            as_of=as_of or self.latest,
            near_miss=_describe_near_miss(near_miss),
            title=self.targets.title,
            national_share=national_share,
        )


class _Spill:
    """Where a tally's listed units go to disk, and after how many (its file is opened at
    the first spill; a pickled tally opens its own)."""

    __slots__ = ("after", "directory", "file")

    def __init__(self, directory: str | os.PathLike[str] | None, after: int) -> None:
        self.directory = directory
        self.after = after
        self.file: SpillFile | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return _Spill, (self.directory, self.after)


#: Units a tally of the ``targets`` command holds in memory before it spills them (about
#: 10 MB): a small caseload never touches the disk.
SPILL_AFTER = 25_000


def target_performance(
    findings_or_cases: Iterable[Finding] | Iterable[Case] | Iterable[CaseColumns] | Case,
    target_set: TargetSet | str,
    *,
    period: Period,
    as_of: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
    area: str | None = None,
    near_miss: NearMissSpec | str = None,
    anchors: Mapping[str, str] | None = None,
    figures: Mapping[str, FigureLike] | None = None,
    measures: Iterable[str] | None = None,
    options: Mapping[str, Any] | None = None,
    national_share: FigureLike | None = None,
) -> TargetReport:
    """Every measure of a target set for one period: figures, verdicts, and the units behind them.

    Args:
        findings_or_cases: findings of the target set's rule set (``evaluate(cases,
            "nps-2007-08", ...)``; findings of a National Standards rule set give the
            OASys targets), or the cases themselves, evaluated here: ``Case`` objects,
            or chunks already read into columns (``chunk.columns for chunk in
            casework.columnar.read_column_chunks(path)``, the fast way from a file;
            the chunks' rejected records are the caller's to report).
        target_set: a :class:`TargetSet` or its name (``"nps-2007-08"``, or just
            ``"2007-08"`` for a national set, as on the command line).
        period: the reporting period (:class:`Period`).
        as_of, calendar: the evaluation date and working calendar; required with cases
            and refused with findings (which carry their own).
        area: count only cases of this area (from the ``TGT.case`` finding; findings of
            cases without one are left out) and judge against the area's own targets.
            ``None`` pools every area: volumes with only area targets are judged
            against their sum.
        near_miss: a :class:`NearMiss` tolerance, one per measure id, or the name of one of
            the set's near-miss readings (``"published"`` for nps-2007-08); off by default.
            The report says which was used (``TargetReport.near_miss``).
        anchors: count a measure by another event (``{"N05": "failure"}``; see ANCHORS).
        figures: figures for measures with no case-level rule (staff sickness), or to
            replace a computed one, as published (``{"N15": "12.1"}``).
        measures: only these measure ids.
        options: evaluation options, with cases (``{"acceptable_absence": "exclude"}``).
        national_share: the cases' share of the national volume targets (``"0.5%"``,
            ``Fraction(1, 200)``): a national count such as 46,300 unpaid work completions is
            then judged at that share. Without it, such targets are shown beside the count
            with the status ``national``, not judged: a file's cases are not the country's
            (docs/decisions.md#national-volume-targets).
    """
    share = None if national_share is None else parse_figure(national_share, percent=True)
    if share is not None and share <= 0:
        raise ValueError("a national share must be more than 0%")
    tally = TargetTally.start(
        target_set, period=period, area=area, anchors=anchors, measures=measures
    )
    is_cases, items = _is_cases(
        (findings_or_cases,) if isinstance(findings_or_cases, Case) else findings_or_cases
    )
    if is_cases:
        if as_of is None or calendar is None:
            raise TypeError("target_performance needs as_of and calendar to evaluate cases")
        items = iter(items)
        first = next(items)
        if isinstance(first, CaseColumns):  # chunks already read into columns
            for columns in itertools.chain((first,), items):
                tally.add_cases(columns, as_of=as_of, calendar=calendar, options=options)
        else:
            for chunk in chunked(itertools.chain((first,), items), DEFAULT_CHUNK):
                tally.add_cases(chunk, as_of=as_of, calendar=calendar, options=options)
    else:
        if as_of is not None or calendar is not None or options:
            raise TypeError("as_of, calendar and options are for cases; findings carry their own")
        tally.add(items)
    return tally.report(near_miss=near_miss, figures=figures, as_of=as_of, national_share=share)


def _describe_near_miss(spec: NearMissSpec) -> str:
    if spec is None:
        return "off"
    if isinstance(spec, Mapping):
        return "; ".join(f"{mid}: {tolerance}" for mid, tolerance in spec.items())
    return str(spec)
