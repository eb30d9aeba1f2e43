"""Targets and measures as data, and the judgement of a figure against a target.

A :class:`Measure` is one published target or performance measure: its exact
wording and where it is printed, what is counted, how the figure is formed
(a proportion, a mean, a volume, a change), which way is better, and the
threshold (national, or one per area). :meth:`Measure.assess` judges a figure
alone, so an analyst can check a published table line by line; the same
judgement is applied to figures computed from case records
(:func:`casework.performance.target_performance`).

The judgement (000:118-120 key "Met or exceeded / Near Miss / Not met";
national-targets.md §3.1):

* met when the figure is at least the target, or at most the target where
  lower is better; a tie meets; the comparison is on the unrounded figure;
* near miss when it is not met but short by no more than a tolerance. The
  sources never define one (docs/decisions.md#near-miss), so it is off unless
  a :class:`NearMiss` is given;
* not met otherwise.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

import attrs

from casework.text import round_half_up

if TYPE_CHECKING:
    from casework.rules.ruleset import RuleSet

__all__ = [
    "Aggregation",
    "Assessment",
    "Direction",
    "FigureLike",
    "Measure",
    "NearMiss",
    "NearMissReading",
    "NearMissSpec",
    "Tally",
    "TargetSet",
    "TargetStatus",
    "parse_figure",
]

FigureLike: TypeAlias = Fraction | Decimal | int | float | str


class Direction(enum.StrEnum):
    """Which way is better."""

    HIGHER = "higher"
    """Met when the figure is at least the target."""
    LOWER = "lower"
    """Met when the figure is at most the target (average days, sickness, stand-down)."""


class Aggregation(enum.StrEnum):
    """How a measure's figure is formed from the units it counts."""

    PROPORTION = "proportion"
    """Units meeting the rule / units in scope (exclusions and pending units left out)."""
    MEAN = "mean"
    """Average of a per-unit value (working days to resolve a breach; sickness days)."""
    VOLUME = "volume"
    """A count against a target; % achieved = count / target x 100."""
    CHANGE = "change"
    """Share at the end minus share at the start (2005-06 PM4), in percentage points."""


class TargetStatus(enum.StrEnum):
    """The verdict on a figure."""

    MET = "met"
    NEAR_MISS = "near_miss"
    NOT_MET = "not_met"
    NO_TARGET = "no_target"
    """The sources give no threshold (PM3, PM7, the regional PT13 values)."""
    NO_DATA = "no_data"
    """There is no figure: nothing in scope, or no case-level rule and no figure supplied."""
    NATIONAL = "national"
    """A national volume target (46,300 completions): the count from a file's cases is shown
    beside it, not judged against it, unless the file's share of the national target is given
    (docs/decisions.md#national-volume-targets)."""


def parse_figure(value: FigureLike, *, percent: bool) -> Fraction:
    """A figure as an exact fraction.

    Percentages are proportions: ``"96%"`` and ``0.96`` both give ``24/25``; a bare
    number above 1 for a percentage measure is refused rather than guessed at.
    Floats are read by their shortest decimal form (``0.9`` is nine tenths).
    Strings may carry thousands separators (``"55,771"``).
    """
    if isinstance(value, bool):
        raise TypeError("a figure must be a number, not a truth value")
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        is_percent = text.endswith("%")
        try:
            number = Fraction(text.removesuffix("%").strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{value!r} is not a number") from None
        if is_percent:
            if not percent:
                raise ValueError(f"{value!r} is a percentage, but this figure is not one")
            return number / 100
    elif isinstance(value, float):
        number = Fraction(repr(value))
    elif isinstance(value, Fraction | Decimal | int):
        number = Fraction(value)
    else:
        raise TypeError(f"a figure must be a number or a string, not {type(value).__name__}")
    if percent and not 0 <= number <= 1:
        raise ValueError(
            f"{value!r} is not a proportion between 0 and 1: write a percentage as a "
            f"string such as '{value}%', or as a proportion"
        )
    return number


@attrs.frozen
class NearMiss:
    """A near-miss tolerance: how far short of a target still counts as a near miss.

    ``relative``: a share of the target (``NearMiss.relative("5%")``: 68% against 70%
    is 2/70 = 2.9% short, a near miss). ``absolute``: in the measure's own units,
    percentage points for percentages (``NearMiss.absolute(2)``).
    """

    kind: Literal["relative", "absolute"]
    amount: Fraction = attrs.field(converter=Fraction)
    reading: str | None = attrs.field(default=None, kw_only=True)
    """The name of the target set's near-miss reading this tolerance is (``"published"``),
    if it is one (:meth:`TargetSet.near_miss_reading`)."""

    @classmethod
    def relative(cls, share: FigureLike) -> NearMiss:
        """Short by no more than ``share`` of the target (``"5%"`` or ``0.05``)."""
        number = parse_figure(share, percent=True)
        if number < 0:
            raise ValueError("a near-miss tolerance cannot be negative")
        return cls("relative", number)

    @classmethod
    def absolute(cls, amount: FigureLike) -> NearMiss:
        """Short by no more than ``amount`` (percentage points, days or units)."""
        number = parse_figure(amount, percent=False)
        if number < 0:
            raise ValueError("a near-miss tolerance cannot be negative")
        return cls("absolute", number)

    def allowance(self, target: Fraction, aggregation: Aggregation) -> Fraction:
        """The largest shortfall that is a near miss, in the figure's own units."""
        if self.kind == "relative":
            return self.amount * abs(target)
        return self.amount / 100 if _is_percent(aggregation) else self.amount

    def describe(self, aggregation: Aggregation) -> str:
        """``"5% of the target"`` or ``"2 percentage points"``, naming the reading if any."""
        if self.kind == "relative":
            text = f"{_decimal(self.amount * 100)}% of the target"
        else:
            unit = "percentage points" if _is_percent(aggregation) else "units"
            text = f"{_decimal(self.amount)} {unit}"
        return text + self._named()

    def _named(self) -> str:
        return "" if self.reading is None else f" (near-miss reading {self.reading!r})"

    def __str__(self) -> str:
        if self.kind == "relative":
            return f"{_decimal(self.amount * 100)}% of the target{self._named()}"
        return (
            f"{_decimal(self.amount)} (percentage points, or the measure's own units)"
            f"{self._named()}"
        )

    def to_dict(self) -> dict[str, str | None]:
        """Plain JSON-ready form."""
        return {
            "kind": self.kind,
            "amount": str(self.amount),
            "description": str(self),
            "reading": self.reading,
        }


@attrs.frozen
class NearMissReading:
    """A named near-miss tolerance a target set offers: the one that reproduces a published
    table (``[near_miss_readings.published]`` in the set's file).

    The sources never define a near miss (docs/decisions.md#near-miss): a reading is
    casework's, chosen from the range of tolerances that reproduce the table, and says so.
    """

    name: str
    tolerance: NearMiss
    source: str
    reproduces: str
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "name": self.name,
            "tolerance": self.tolerance.to_dict(),
            "source": self.source,
            "reproduces": self.reproduces,
            "notes": self.notes,
        }


#: A tolerance for every measure, one per measure id, or none (the default).
NearMissSpec: TypeAlias = NearMiss | Mapping[str, NearMiss] | None


def tolerance_for(spec: NearMissSpec, measure_id: str) -> NearMiss | None:
    """The tolerance that applies to one measure."""
    if spec is None or isinstance(spec, NearMiss):
        return spec
    return spec.get(measure_id)


def _is_percent(aggregation: Aggregation) -> bool:
    return aggregation in {Aggregation.PROPORTION, Aggregation.CHANGE}


def _decimal(value: Fraction, places: int = 2) -> str:
    """A number without trailing zeros: 2.5, 3, 12.1."""
    text = format(round_half_up(value, places), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def display(value: Fraction, aggregation: Aggregation, places: int) -> str:
    """A figure as printed: ``96%``, ``43``, ``12.1``, ``55771``, ``+3 points``."""
    if aggregation is Aggregation.PROPORTION:
        return f"{round_half_up(value * 100, places)}%"
    if aggregation is Aggregation.CHANGE:
        points = round_half_up(value * 100, places)
        return f"{'+' if points > 0 else ''}{points} points"
    return str(round_half_up(value, places))


def _amount(value: Fraction, aggregation: Aggregation) -> str:
    """A difference in the figure's units: ``2 points``, ``8 days``, ``1``."""
    if _is_percent(aggregation):
        return f"{_decimal(value * 100)} points"
    return _decimal(value)


@attrs.frozen
class Assessment:
    """A figure judged against a target: the verdict, the rule used, and why."""

    measure: str
    figure: Fraction
    target: Fraction | None
    status: TargetStatus
    rule: str
    reason: str
    direction: Direction
    aggregation: Aggregation
    places: int = 0
    shortfall: Fraction | None = None
    near_miss: NearMiss | None = None
    area: str | None = None

    @property
    def achieved(self) -> Fraction | None:
        """Figure / target, for volume measures (000:120 "% Achieved")."""
        if (
            self.aggregation is not Aggregation.VOLUME
            or not self.target
            or self.status is TargetStatus.NATIONAL
        ):
            return None
        return self.figure / self.target

    @property
    def pct_achieved(self) -> Decimal | None:
        """% achieved as printed: figure / target x 100, rounded half-up to a whole number."""
        achieved = self.achieved
        return None if achieved is None else round_half_up(achieved * 100)

    @property
    def figure_display(self) -> str:
        """The figure as it would be printed."""
        return display(self.figure, self.aggregation, self.places)

    @property
    def target_display(self) -> str | None:
        """The target as it would be printed."""
        if self.target is None:
            return None
        return display(self.target, self.aggregation, _places_of(self.target, self.aggregation))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form; exact values as fraction strings, display values as printed."""
        pct = self.pct_achieved
        return {
            "measure": self.measure,
            "area": self.area,
            "figure": str(self.figure),
            "figure_display": self.figure_display,
            "target": None if self.target is None else str(self.target),
            "target_display": self.target_display,
            "status": self.status.value,
            "rule": self.rule,
            "reason": self.reason,
            "direction": self.direction.value,
            "aggregation": self.aggregation.value,
            "shortfall": None if self.shortfall is None else str(self.shortfall),
            "pct_achieved": None if pct is None else int(pct),
            "near_miss": None if self.near_miss is None else self.near_miss.to_dict(),
        }


def _places_of(value: Fraction, aggregation: Aggregation) -> int:
    """Decimal places needed to print a target exactly (3.8% needs 1)."""
    scaled = value * 100 if _is_percent(aggregation) else value
    for places in range(4):
        if (scaled * 10**places).denominator == 1:
            return places
    return 4


def judge(
    *,
    measure: str,
    figure: Fraction,
    target: Fraction | None,
    direction: Direction,
    aggregation: Aggregation,
    places: int = 0,
    near_miss: NearMiss | None = None,
    area: str | None = None,
) -> Assessment:
    """Judge ``figure`` against ``target`` (see module notes)."""
    better = "at least" if direction is Direction.HIGHER else "at most"
    rule = f"met when the figure is {better} the target (a tie meets)"
    rule += (
        f"; near miss when short by no more than {near_miss.describe(aggregation)}"
        if near_miss is not None
        else "; no near-miss tolerance"
    )
    shown = display(figure, aggregation, places)
    status, shortfall, reason = _verdict(
        figure, target, direction, aggregation, near_miss, shown=shown, better=better
    )
    return Assessment(
        measure=measure,
        figure=figure,
        target=target,
        status=status,
        rule=rule,
        reason=reason,
        direction=direction,
        aggregation=aggregation,
        places=places,
        shortfall=shortfall,
        near_miss=near_miss,
        area=area,
    )


def _verdict(
    figure: Fraction,
    target: Fraction | None,
    direction: Direction,
    aggregation: Aggregation,
    near_miss: NearMiss | None,
    *,
    shown: str,
    better: str,
) -> tuple[TargetStatus, Fraction | None, str]:
    if target is None:
        return TargetStatus.NO_TARGET, None, f"{shown}: the sources set no target for it."
    goal = display(target, aggregation, _places_of(target, aggregation))
    shortfall = target - figure if direction is Direction.HIGHER else figure - target
    if aggregation is Aggregation.VOLUME and target:
        shown += f" ({round_half_up(figure / target * 100)}% achieved)"
    if shortfall <= 0:
        return TargetStatus.MET, shortfall, f"{shown} is {better} the target of {goal}: met."
    side, gap = ("below", "short") if direction is Direction.HIGHER else ("above", "over")
    gap = f"{_amount(shortfall, aggregation)} {gap}"
    if near_miss is not None and shortfall <= near_miss.allowance(target, aggregation):
        return (
            TargetStatus.NEAR_MISS,
            shortfall,
            f"{shown} is {side} the target of {goal} ({gap}), within the near-miss "
            f"tolerance of {near_miss.describe(aggregation)}: near miss.",
        )
    return (
        TargetStatus.NOT_MET,
        shortfall,
        f"{shown} is {side} the target of {goal} ({gap}): not met.",
    )


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class Measure:
    """One target or performance measure of a target set, with where it is printed.

    ``threshold`` is the national (or default) target; ``area_thresholds`` the
    targets that differ by area (ROM SLAs). ``rule_id`` names the case-level rule
    whose findings form the figure, ``anchor`` the event that places a unit in a
    reporting period; measures with no rule (staff sickness, volumes the case
    model does not record) are judged from figures only.
    """

    id: str
    label: str
    wording: str
    source: str
    aggregation: Aggregation = attrs.field(converter=Aggregation)
    direction: Direction = attrs.field(converter=Direction)
    unit: str
    version: str
    target_set: str
    threshold: Fraction | None = None
    area_thresholds: Mapping[str, Fraction] = attrs.field(factory=dict, converter=_frozen)
    area_sources: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    rule_id: str | None = None
    anchor: str | None = None
    places: int = 0
    heading: str | None = None
    block: str | None = None
    in_tally: bool = True
    weighting: int | None = None
    published: str | None = None
    annex_wording: str | None = None
    annex_source: str | None = None
    counterpart: tuple[str, ...] = ()
    notes: str = ""

    @property
    def percent(self) -> bool:
        """Whether the figure is a percentage."""
        return _is_percent(self.aggregation)

    def threshold_for(self, area: str | None = None) -> Fraction | None:
        """The target for ``area`` (its own, else the national one).

        With no area, a volume measure whose targets are set per area only has
        the sum of the area targets as its regional target (national-targets.md
        §5.4 step 11); other measures with per-area targets only have none.
        """
        if area is not None:
            return self.area_thresholds.get(area, self.threshold)
        if (
            self.threshold is None
            and self.area_thresholds
            and self.aggregation is Aggregation.VOLUME
        ):
            return sum(self.area_thresholds.values(), Fraction(0))
        return self.threshold

    def parse(self, value: FigureLike) -> Fraction:
        """A figure in this measure's units (``"96%"`` or ``0.96`` for percentages)."""
        return parse_figure(value, percent=self.percent)

    def assess(
        self,
        actual: FigureLike,
        target: FigureLike | None = None,
        *,
        area: str | None = None,
        near_miss: NearMissSpec | str = None,
        places: int | None = None,
    ) -> Assessment:
        """Judge a figure alone, as printed in a results table.

        Args:
            actual: the figure (``"96%"``, ``0.96``, ``43``, ``"12.1"``, ``55771``).
            target: the target to judge against, where it differs from the one stored
                (an area's own target, or a target from another year's table).
            area: judge against this area's stored target.
            near_miss: a tolerance (off by default: met or not met only), or the name of
                one of the set's near-miss readings (``"published"``).
            places: decimal places to print the figure with (default: the measure's).
        """
        goal = self.parse(target) if target is not None else self.threshold_for(area)
        if isinstance(near_miss, str):
            from casework.rules.targets.catalogue import target_set  # noqa: PLC0415  (cycle)

            near_miss = target_set(self.target_set).near_miss_reading(near_miss)
        return judge(
            measure=self.id,
            figure=self.parse(actual),
            target=goal,
            direction=self.direction,
            aggregation=self.aggregation,
            places=self.places if places is None else places,
            near_miss=tolerance_for(near_miss, self.id),
            area=area,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready description of the measure."""
        return {
            "id": self.id,
            "target_set": self.target_set,
            "version": self.version,
            "label": self.label,
            "wording": self.wording,
            "source": self.source,
            "published": self.published,
            "annex_wording": self.annex_wording,
            "annex_source": self.annex_source,
            "heading": self.heading,
            "block": self.block,
            "aggregation": self.aggregation.value,
            "direction": self.direction.value,
            "unit": self.unit,
            "threshold": None if self.threshold is None else str(self.threshold),
            "area_thresholds": {area: str(value) for area, value in self.area_thresholds.items()},
            "area_sources": dict(self.area_sources),
            "rule_id": self.rule_id,
            "anchor": self.anchor,
            "in_tally": self.in_tally,
            "weighting": self.weighting,
            "counterpart": list(self.counterpart),
            "notes": self.notes,
        }


class _Judged(Protocol):
    @property
    def measure(self) -> str: ...
    @property
    def status(self) -> TargetStatus: ...


@attrs.frozen
class Tally:
    """How many measures were met, nearly met and not met."""

    met: int = 0
    near_miss: int = 0
    not_met: int = 0
    no_target: int = 0
    no_data: int = 0
    national: int = 0
    """National volume targets shown beside a file's count, not judged (no share given)."""

    @property
    def judged(self) -> int:
        """Measures with a verdict against a target."""
        return self.met + self.near_miss + self.not_met

    @property
    def missed(self) -> int:
        """Measures not met (a near miss is a miss; 003's "SLA targets failing")."""
        return self.near_miss + self.not_met

    def to_dict(self) -> dict[str, int]:
        """Plain JSON-ready form."""
        return attrs.asdict(self)


def tally(items: Iterable[_Judged]) -> Tally:
    """Count verdicts."""
    counts = dict.fromkeys(TargetStatus, 0)
    for item in items:
        counts[item.status] += 1
    return Tally(
        met=counts[TargetStatus.MET],
        near_miss=counts[TargetStatus.NEAR_MISS],
        not_met=counts[TargetStatus.NOT_MET],
        no_target=counts[TargetStatus.NO_TARGET],
        no_data=counts[TargetStatus.NO_DATA],
        national=counts[TargetStatus.NATIONAL],
    )


@attrs.frozen
class TargetSet:
    """A named, dated, versioned set of targets and measures (one year's table)."""

    name: str
    title: str
    year: str
    version: str
    period_start: dt.date
    period_end: dt.date
    sources: tuple[str, ...]
    measures: tuple[Measure, ...]
    areas: tuple[str, ...] = ()
    notes: str = ""
    near_miss_readings: tuple[NearMissReading, ...] = ()
    """Named near-miss tolerances (``"published"``); none is used unless asked for."""

    def near_miss_reading(self, name: str) -> NearMiss:
        """The tolerance of the reading called ``name``, marked with its name;
        ``KeyError`` naming the readings there are."""
        for reading in self.near_miss_readings:
            if reading.name == name:
                return attrs.evolve(reading.tolerance, reading=name)
        known = ", ".join(r.name for r in self.near_miss_readings) or "none"
        raise KeyError(
            f"target set {self.name!r} has no near-miss reading {name!r}; it has {known}"
        )

    def __iter__(self) -> Iterator[Measure]:
        return iter(self.measures)

    def __len__(self) -> int:
        return len(self.measures)

    def __contains__(self, measure_id: object) -> bool:
        return any(measure.id == measure_id for measure in self.measures)

    def __getitem__(self, measure_id: str) -> Measure:
        return self.measure(measure_id)

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id; ``KeyError`` naming the ids there are."""
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        known = ", ".join(m.id for m in self.measures)
        raise KeyError(f"target set {self.name!r} has no measure {measure_id!r}; it has {known}")

    @property
    def label(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    @property
    def ruleset(self) -> RuleSet:
        """The rule set whose findings form this set's figures (same name)."""
        from casework.rules.registry import ruleset  # noqa: PLC0415  (registry imports rules)

        return ruleset(self.name)

    @property
    def weightings(self) -> Mapping[str, int]:
        """Weighted scorecard weightings by measure id (2005-06, 001:756-787)."""
        return MappingProxyType(
            {m.id: m.weighting for m in self.measures if m.weighting is not None}
        )

    def tally(self, items: Iterable[_Judged]) -> Tally:
        """Count verdicts of the measures this set tallies (003's 21 SLA rows, not the
        "Additional National Measures"; every measure of the national sets)."""
        counted = {m.id for m in self.measures if m.in_tally}
        return tally(item for item in items if item.measure in counted)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready description of the set and its measures."""
        return {
            "name": self.name,
            "title": self.title,
            "year": self.year,
            "version": self.version,
            "period": [self.period_start.isoformat(), self.period_end.isoformat()],
            "sources": list(self.sources),
            "areas": list(self.areas),
            "notes": self.notes,
            "near_miss_readings": [r.to_dict() for r in self.near_miss_readings],
            "measures": [m.to_dict() for m in self.measures],
        }
