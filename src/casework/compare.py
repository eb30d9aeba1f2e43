"""Compare two rule sets on the same cases: which findings change, and how figures move.

::

    from casework import compare

    diff = compare(cases, "national-standards-2007", variant, as_of=as_of, calendar=calendar)
    diff.changed_cases()  # ("C-0003", "C-0017")
    print(diff.to_text())  # counts per question, then each change with both reasons
    diff.to_dict()  # plain JSON

Findings are matched per case by question. By default a question is a rule
id; rule sets that ask the same question under different ids (``NS05.x`` and
``NS07.x``) are matched with ``match=`` (:func:`match_after_prefix`, a mapping,
or any function of the rule).

Figures plug in through ``figures=``: each is a function from findings to
named figures, computed for the baseline and the variant and set side by side.
:func:`inspection_figures` gives every score of :func:`~casework.score_inspection`
and :func:`target_figures` every figure and verdict of
:func:`~casework.target_performance`::

    diff = compare(
        cases,
        "nps-2007-08",
        variant,
        as_of=as_of,
        calendar=calendar,
        figures={"targets": target_figures("nps-2007-08", period=Period.financial_year(2007))},
    )
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import numpy as np

from casework._caserefs import PackedRefs, _same
from casework._display import arrow_table, html_summary
from casework._seen import SeenReferences
from casework._spill import Block, SpillFile
from casework.calendar import WorkingCalendar
from casework.intervals import Interval, IntervalOptions, difference_intervals
from casework.model import Case
from casework.rules.engine import Finding, Findings, Outcome, Rule, _alias, evaluate_case
from casework.rules.ruleset import RuleSet, resolve_ruleset
from casework.text import long_date, plural, round_half_up

if TYPE_CHECKING:
    import numpy.typing as npt
    from pandas import DataFrame

    from casework.columnar import CaseColumns, FindingColumns, RuleColumns
    from casework.performance import TargetReport, TargetTally

__all__ = [
    "Comparison",
    "FigureChange",
    "FigureValue",
    "Match",
    "OutcomeChange",
    "QuestionClashError",
    "RuleSummary",
    "Scorer",
    "SpilledChanges",
    "compare",
    "compare_columns",
    "inspection_figures",
    "match_after_prefix",
    "question_keys",
    "target_figures",
]

#: A figure: an exact proportion or score, a count, a verdict in words ("met", a
#: conclusion band), or ``None`` where it cannot be computed.
FigureValue: TypeAlias = Fraction | int | Decimal | str | None
#: Figures from findings: ``{"1.2 score": Fraction(...), ...}``.
Scorer: TypeAlias = Callable[[Findings], Mapping[str, FigureValue]]
#: How findings of the two rule sets are paired: a key per rule, or a mapping of rule ids to keys.
Match: TypeAlias = Callable[[Rule], str] | Mapping[str, str]

_WORDS = {
    Outcome.MET: "met",
    Outcome.NOT_MET: "not met",
    Outcome.NOT_APPLICABLE: "not applicable",
    Outcome.CANNOT_ASSESS: "cannot assess",
}
_SHORT = {
    Outcome.MET: "met",
    Outcome.NOT_MET: "not met",
    Outcome.NOT_APPLICABLE: "n/a",
    Outcome.CANNOT_ASSESS: "cannot",
}


_NOISE_WORDS = {True: "beyond sampling noise", False: "within sampling noise"}


def match_after_prefix(rule: Rule) -> str:
    """The rule id after its first dot: ``NS05.oasys-ppo`` and ``NS07.oasys-ppo`` pair up."""
    head, dot, tail = rule.id.partition(".")
    return tail if dot and tail else head


@attrs.frozen
class _InspectionFigures:
    """A scorer of every inspection figure that can also say which changes are beyond
    sampling noise (:meth:`noise`)."""

    scoring: Mapping[str, Any]
    intervals: IntervalOptions | None

    def __call__(self, findings: Findings) -> dict[str, FigureValue]:
        from casework.scoring import score_inspection  # noqa: PLC0415  (only when used)

        card = score_inspection(findings, intervals=False, **self.scoring)
        out: dict[str, FigureValue] = {}
        for criterion in card.criteria:
            out[f"criterion {criterion.id}"] = criterion.score
            out[f"criterion {criterion.id} conclusion"] = criterion.conclusion
        for section in card.sections:
            out[f"section {section.number}"] = section.score
        out["RoH thread"] = card.roh_thread.score
        for question in card.questions:
            out[f"question {question.id}"] = question.proportion
        return out

    def noise(self, before: Findings, after: Findings) -> dict[str, Interval]:
        """Paired bootstrap intervals of each figure's change (none with intervals off)."""
        if self.intervals is None:
            return {}
        from casework.scoring import score_inspection  # noqa: PLC0415  (only when used)

        old = score_inspection(before, intervals=False, **self.scoring)
        new = score_inspection(after, intervals=False, **self.scoring)
        return difference_intervals(old, new, self.intervals)


def inspection_figures(intervals: IntervalOptions | bool = True, **scoring: Any) -> Scorer:
    """Every figure of an inspection scorecard, for ``compare(figures={"inspection": ...})``.

    Per criterion its score and conclusion, per section its score, the RoH
    thread, and per question its proportion, named ``"criterion 1.2"``,
    ``"criterion 1.2 conclusion"``, ``"section 1"``, ``"RoH thread"``,
    ``"question 1.2.p"``. Keyword arguments go to :func:`~casework.score_inspection`
    (``inspection=``, ``options=``, ``bands=``, single options).

    With ``intervals`` (on by default; :class:`~casework.intervals.IntervalOptions`
    to choose the level, resamples and seed), every score and proportion change
    carries a paired bootstrap interval (:attr:`FigureChange.noise`): the same
    resampled cases scored under both rule sets, so
    :attr:`FigureChange.beyond_noise` says whether the change would show on
    another sample of the same size.
    """
    chosen = intervals if isinstance(intervals, IntervalOptions) else None
    if intervals is True:
        chosen = IntervalOptions()
    return _InspectionFigures(dict(scoring), chosen)


def target_figures(target_set: Any, *, period: Any, **reporting: Any) -> Scorer:
    """Every target figure and verdict, for ``compare(figures={"targets": ...})``.

    Per measure its figure (``"N02"``), its verdict (``"N02 status"``: met,
    near miss, not met ...) and, for volumes, the % achieved (``"N09 % achieved"``).
    ``target_set`` and ``period`` and any other keyword arguments (``area=``,
    ``near_miss=``, ``figures=`` ...) go to :func:`~casework.target_performance`;
    the findings compared must include the set's rules.

    :func:`compare_columns` takes it too: each side's figures are then counted a chunk of
    columns at a time (:class:`~casework.performance.TargetTally`), the units its report
    lists spilled to a temporary file.
    """
    return _TargetFigures(target_set, period, dict(reporting))


#: What :func:`target_figures` passes to :meth:`TargetTally.start` and to its ``report``.
_TALLY_START = frozenset({"area", "anchors", "measures"})
_TALLY_REPORT = frozenset({"near_miss", "figures", "national_share"})


@attrs.frozen
class _TargetFigures:
    """A scorer of every target figure (:func:`target_figures`) that can also count them
    on columns (:meth:`tally`)."""

    target_set: Any
    period: Any
    reporting: Mapping[str, Any]

    def __call__(self, findings: Findings) -> dict[str, FigureValue]:
        from casework.performance import target_performance  # noqa: PLC0415  (only when used)

        report = target_performance(findings, self.target_set, period=self.period, **self.reporting)
        return _target_values(report)

    def tally(self) -> _TargetCount:
        """A count of these figures a chunk of columns at a time (``ValueError`` if a
        keyword argument is one only findings take)."""
        from casework.performance import TargetTally  # noqa: PLC0415  (only when used)

        unknown = set(self.reporting) - _TALLY_START - _TALLY_REPORT
        if unknown:
            raise ValueError(
                f"target_figures({', '.join(sorted(unknown))}=...) needs findings: use compare"
            )
        tally = TargetTally.start(
            self.target_set,
            period=self.period,
            spill=True,
            **{k: v for k, v in self.reporting.items() if k in _TALLY_START},
        )
        return _TargetCount(tally, {k: v for k, v in self.reporting.items() if k in _TALLY_REPORT})


@attrs.frozen
class _TargetCount:
    """One side's target figures counted as chunks come (:meth:`_TargetFigures.tally`)."""

    tally: TargetTally
    reporting: Mapping[str, Any]

    def add_columns(self, answered: FindingColumns) -> None:
        self.tally.add_columns(answered)

    def values(self) -> dict[str, FigureValue]:
        return _target_values(self.tally.report(**self.reporting))

    def close(self) -> None:
        """Remove the units spilled to the temporary file."""
        self.tally.close()


def _target_values(report: TargetReport) -> dict[str, FigureValue]:
    """Each measure's figure, verdict and % achieved (:func:`target_figures`)."""
    out: dict[str, FigureValue] = {}
    for result in report:
        out[result.measure] = result.figure
        out[f"{result.measure} status"] = result.status.value
        if result.pct_achieved is not None:
            out[f"{result.measure} % achieved"] = result.pct_achieved
    return out


def _words(outcome: Outcome | None) -> str:
    return _WORDS[outcome] if outcome is not None else "not asked"


@attrs.frozen
class OutcomeChange:
    """One case whose answer to one question differs between the rule sets."""

    case_ref: str
    key: str
    """The question both findings answer (a rule id unless ``match=`` says otherwise)."""
    unit: str | None
    """The unit inside the case (a breach, a victim) for rules that answer per unit."""
    before: Finding | None
    """The baseline's finding; ``None`` when the baseline does not ask the question."""
    after: Finding | None
    """The variant's finding; ``None`` when the variant does not ask the question."""

    @property
    def before_outcome(self) -> Outcome | None:
        """The baseline's outcome."""
        return self.before.outcome if self.before else None

    @property
    def after_outcome(self) -> Outcome | None:
        """The variant's outcome."""
        return self.after.outcome if self.after else None

    @property
    def question(self) -> str:
        """The question asked (the variant's wording where both ask it)."""
        finding = self.after or self.before
        return finding.question if finding else self.key

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, both sides' outcome and reason side by side."""
        return {
            "case_ref": self.case_ref,
            "question": self.key,
            "unit": self.unit,
            "baseline": _side(self.before),
            "variant": _side(self.after),
        }


def _side(finding: Finding | None) -> dict[str, Any] | None:
    if finding is None:
        return None
    return {
        "rule_id": finding.rule_id,
        "outcome": finding.outcome.value,
        "basis": finding.basis.value,
        "reason": finding.reason,
    }


#: Changes a comparison made a chunk at a time holds in memory; past it, they go to a
#: temporary file (:class:`SpilledChanges`).
CHANGES_HELD = 4_096

_Numbered = tuple[int, OutcomeChange]
"""A change and its place among all the changes."""


@attrs.frozen
class _Group:
    """Changes in a run of chunks, by question: in memory (``held``), or in the spill file
    (``blocks``, one per question)."""

    counts: Mapping[str, int]
    held: Mapping[str, list[_Numbered]] | None = None
    blocks: Mapping[str, Block] | None = None


class _ChangeStore:
    """The changes found so far (:meth:`add`), a question at a time, in memory up to
    :data:`CHANGES_HELD`, then written a block per question to a temporary file."""

    def __init__(self) -> None:
        self.groups: list[_Group] = []
        self.file: SpillFile | None = None
        self._held: dict[str, list[_Numbered]] = {}
        self._count = 0
        self._held_count = 0

    def add(self, change: OutcomeChange) -> None:
        self._held.setdefault(change.key, []).append((self._count, change))
        self._count += 1
        self._held_count += 1
        if self._held_count >= CHANGES_HELD:
            self._write()

    def _write(self) -> None:
        if self.file is None:
            self.file = SpillFile()
        counts = {key: len(items) for key, items in self._held.items()}
        blocks = {key: self.file.append(items) for key, items in self._held.items()}
        self.groups.append(_Group(counts, blocks=blocks))
        self._held, self._held_count = {}, 0

    def changes(self) -> SpilledChanges:
        """Every change so far, in order (those held stay in memory)."""
        if self._held:
            counts = {key: len(items) for key, items in self._held.items()}
            self.groups.append(_Group(counts, held=self._held))
            self._held, self._held_count = {}, 0
        return SpilledChanges(tuple(self.groups), self.file)


class SpilledChanges(Sequence[OutcomeChange]):
    """The changes of a comparison made a chunk at a time (:func:`compare_columns`), in
    order (case by case, then question by question), kept :data:`CHANGES_HELD` at a time
    in a temporary file, a block per question, and read back as they are asked for:
    memory holds a block, not every change (each keeps both findings, about 5 KB).

    A sequence like the tuple of them (it compares equal to it). :meth:`of_key` reads one
    question's changes alone; :meth:`only` and :meth:`mapped` are views that keep some
    questions and change each change as it is read (as
    :func:`casework.report.select_questions` and
    :func:`casework.report.pseudonymise_comparison` do). The file is removed when no
    view of it is left. Pickled, it is the tuple of its changes."""

    __slots__ = ("_ends", "_file", "_groups", "_keys", "_last", "_mapping")

    def __init__(
        self,
        groups: tuple[_Group, ...],
        file: SpillFile | None,
        keys: frozenset[str] | None = None,
        mapping: Callable[[OutcomeChange], OutcomeChange] | None = None,
    ) -> None:
        self._groups = groups
        self._file = file
        self._keys = keys
        self._mapping = mapping
        self._last: tuple[int, list[OutcomeChange]] | None = None  # (the group last indexed)
        # where each group's changes end among those wanted
        self._ends = list(
            itertools.accumulate(
                sum(count for key, count in group.counts.items() if keys is None or key in keys)
                for group in groups
            )
        )

    def _wanted(self, group: _Group) -> list[str]:
        return [key for key in group.counts if self._keys is None or key in self._keys]

    def _numbered(self, group: _Group, key: str) -> list[_Numbered]:
        if group.held is not None:
            return group.held[key]
        assert group.blocks is not None
        assert self._file is not None
        items: list[_Numbered] = self._file.read(group.blocks[key])
        return items

    def _group(self, group: _Group) -> list[OutcomeChange]:
        """A group's changes wanted, in order, as read."""
        numbered = [item for key in self._wanted(group) for item in self._numbered(group, key)]
        numbered.sort(key=lambda item: item[0])
        mapping = self._mapping
        if mapping is None:
            return [change for _, change in numbered]
        return [mapping(change) for _, change in numbered]

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[OutcomeChange]:
        for group in self._groups:
            if self._wanted(group):
                yield from self._group(group)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return tuple(self)[index]
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError("change index out of range")
        number = bisect.bisect_right(self._ends, position)
        last = self._last
        if last is None or last[0] != number:  # (indexes in turn read a group once)
            last = self._last = (number, self._group(self._groups[number]))
        start = self._ends[number - 1] if number else 0
        return last[1][position - start]

    def __eq__(self, other: object) -> bool:
        return _same(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))

    def __repr__(self) -> str:
        return f"SpilledChanges({len(self)} changes)"

    def of_key(self, key: str) -> SpilledChanges:
        """The changes to one question, in order."""
        return self.only((key,))

    def only(self, keys: Iterable[str]) -> SpilledChanges:
        """The changes to these questions, in order (a view)."""
        wanted = frozenset(keys)
        kept = wanted if self._keys is None else wanted & self._keys
        return SpilledChanges(self._groups, self._file, kept, self._mapping)

    def mapped(self, change: Callable[[OutcomeChange], OutcomeChange]) -> SpilledChanges:
        """The changes, each given to ``change`` as it is read (a view); ``change`` must keep
        each change's question."""
        first = self._mapping
        mapping = change if first is None else lambda item: change(first(item))
        return SpilledChanges(self._groups, self._file, self._keys, mapping)


@attrs.frozen
class RuleSummary:
    """Counts for one question: outcomes under each rule set and the changes between them.

    Counts are of findings: one per case, or one per unit for rules that answer per unit.
    """

    key: str
    question: str
    baseline_rule: str | None
    """The baseline's rule id, or ``None`` if the baseline does not ask it."""
    variant_rule: str | None
    """The variant's rule id, or ``None`` if the variant does not ask it."""
    before: Mapping[Outcome, int]
    after: Mapping[Outcome, int]
    transitions: Mapping[tuple[Outcome | None, Outcome | None], int]
    """How many findings went from each outcome to each other (changes only)."""

    @property
    def changed(self) -> int:
        """How many findings (cases, or units) changed outcome on this question."""
        return sum(self.transitions.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "question": self.key,
            "text": self.question,
            "baseline_rule": self.baseline_rule,
            "variant_rule": self.variant_rule,
            "changed": self.changed,
            "baseline": {o.value: self.before.get(o, 0) for o in Outcome},
            "variant": {o.value: self.after.get(o, 0) for o in Outcome},
            "transitions": [
                {
                    "from": before.value if before else None,
                    "to": after.value if after else None,
                    "cases": count,
                }
                for (before, after), count in self.transitions.items()
            ],
        }


@attrs.frozen
class FigureChange:
    """One figure (a score, a proportion, a count) under each rule set."""

    group: str
    """Which family of figures (the ``figures=`` key it came from)."""
    name: str
    before: FigureValue
    after: FigureValue
    noise: Interval | None = None
    """A paired bootstrap interval of ``after - before`` over resamples of the cases,
    when the scorer gives one (:func:`inspection_figures`)."""

    @property
    def beyond_noise(self) -> bool | None:
        """Whether the change is beyond sampling noise: its interval leaves out 0.
        ``None`` without an interval."""
        if self.noise is None:
            return None
        return self.noise.low > 0 or self.noise.high < 0

    @property
    def delta(self) -> Fraction | int | None:
        """``after - before``, or ``None`` when either is missing or is words."""
        if self.before is None or self.after is None:
            return None
        if isinstance(self.before, str) or isinstance(self.after, str):
            return None
        if isinstance(self.before, int) and isinstance(self.after, int):
            return self.after - self.before
        return Fraction(self.after) - Fraction(self.before)

    @property
    def changed(self) -> bool:
        """Whether the figure moved."""
        return self.before != self.after

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form; exact fractions as ``"n/d"`` text."""
        return {
            "group": self.group,
            "name": self.name,
            "baseline": _plain_figure(self.before),
            "variant": _plain_figure(self.after),
            "delta": _plain_figure(self.delta),
            "changed": self.changed,
            "noise": self.noise.to_dict() if self.noise else None,
            "beyond_noise": self.beyond_noise,
        }


def _plain_figure(value: FigureValue) -> str | int | None:
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def _shown_figure(value: FigureValue) -> str:
    if value is None:
        return "-"
    if isinstance(value, int | str):
        return str(value)
    exact = value if isinstance(value, Fraction) else Fraction(value)
    return str(round_half_up(exact, 2))


@attrs.frozen
class Comparison:
    """How a variant rule set's findings and figures differ from a baseline's on the same cases."""

    baseline: str
    """The baseline's label (``name@version``)."""
    variant: str
    """The variant's label."""
    as_of: dt.date
    cases: Sequence[str]
    """References of the cases compared, in order (a compact sequence that compares
    equal to the tuple of them)."""
    changes: Sequence[OutcomeChange]
    """Every (case, question) whose outcome differs, in case order then question order: a
    tuple, or from :func:`compare_columns` a :class:`SpilledChanges` (read from a
    temporary file as it is iterated; equal to the tuple)."""
    rules: tuple[RuleSummary, ...]
    """One summary per question asked by either rule set."""
    figures: tuple[FigureChange, ...] = ()
    """Every figure from the ``figures=`` scorers, changed or not."""
    variant_changes: tuple[str, ...] = ()
    """What the variant's overlay changed (``RuleSet.changes``), if it is a derived set."""
    baseline_findings: Findings = attrs.field(factory=Findings, eq=False, repr=False)
    variant_findings: Findings = attrs.field(factory=Findings, eq=False, repr=False)

    def changed_cases(self) -> tuple[str, ...]:
        """References of the cases with at least one change, in case order."""
        return tuple(dict.fromkeys(change.case_ref for change in self.changes))

    @property
    def questions(self) -> tuple[RuleSummary, ...]:
        """One summary per question asked by either rule set (``questions`` in JSON; also
        :attr:`rules`)."""
        return self.rules

    def where(
        self,
        *,
        case_ref: str | None = None,
        rule_id: str | None = None,
        key: str | None = None,
        unit: str | None = None,
        question: str | None = None,
        case: str | None = None,
    ) -> tuple[OutcomeChange, ...]:
        """The changes matching every condition given (the names of docs/vocabulary.md).

        ``case_ref``: the case; ``rule_id``: either side's rule id; ``key``: the question
        both findings answer (what they were paired by); ``unit``: the unit in the case.
        Older aliases: ``case`` for ``case_ref``; ``question`` matches a key or either
        side's rule id.
        """
        wanted_case = _alias("case_ref", case_ref, "case", case)

        def rule_ids(change: OutcomeChange) -> set[str]:
            return {f.rule_id for f in (change.before, change.after) if f is not None}

        return tuple(
            change
            for change in self.changes
            if (wanted_case is None or change.case_ref == wanted_case)
            and (rule_id is None or rule_id in rule_ids(change))
            and (key is None or change.key == key)
            and (unit is None or change.unit == unit)
            and (question is None or question == change.key or question in rule_ids(change))
        )

    def changed_figures(self) -> tuple[FigureChange, ...]:
        """The figures that moved."""
        return tuple(figure for figure in self.figures if figure.changed)

    def _summary(self) -> str:
        text = (
            f"{plural(len(self.cases), 'case')}, {len(self.changed_cases())} changed, "
            f"{plural(len(self.changes), 'change')}"
        )
        if self.figures:
            text += f"; {len(self.changed_figures())} of {len(self.figures)} figures moved"
        return text

    def __repr__(self) -> str:
        return f"<Comparison {self.baseline} -> {self.variant}: {self._summary()}>"

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: what moved, then the first changes."""
        facts = [("Baseline", self.baseline), ("Variant", self.variant)]
        facts.append(("Result", self._summary()))
        moved = self.changed_figures()
        title = f"Comparison: {self.baseline} -> {self.variant}"
        figures = (
            html_summary(
                title,
                facts,
                ("Figure", "Baseline", "Variant"),
                [
                    (f"{f.group}: {f.name}", _shown_figure(f.before), _shown_figure(f.after))
                    for f in moved
                ],
                noun="figures moved",
                numeric=("Baseline", "Variant"),
            )
            if moved
            else ""
        )
        changes = html_summary(
            "Changes" if moved else title,
            () if moved else facts,
            ("Case", "Question", "Baseline", "Variant"),
            [
                (
                    c.case_ref if c.unit is None else f"{c.case_ref} ({c.unit})",
                    c.key,
                    "-" if c.before_outcome is None else c.before_outcome.value,
                    "-" if c.after_outcome is None else c.after_outcome.value,
                )
                for c in self.changes
            ],
            noun="changes",
        )
        return figures + changes  # what moved first, as in the report

    def to_pandas(self) -> DataFrame:
        """One row per case and question whose outcome moved (``comparison_frame``).

        Needs pandas (``pip install "casework[dataframe]"``); the figures are in
        :func:`casework.report.dataframe.figure_change_frame`.
        """
        from casework.report.dataframe import comparison_frame  # noqa: PLC0415 (imports this)

        return comparison_frame(self)

    def to_arrow(self) -> Any:
        """:meth:`to_pandas` as a ``pyarrow.Table`` (``pip install "casework[arrow]"``)."""
        return arrow_table(self.to_pandas)

    def to_dict(self, *, changes: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
        """Plain JSON-ready form (stable field names). ``changes``: the list of changes to
        hold (a sequence read as it is written: :func:`casework.report.comparison_report`
        gives one), instead of the list of each change's ``to_dict()``."""
        if changes is None:
            changes = [change.to_dict() for change in self.changes]
        return {
            "baseline": self.baseline,
            "variant": self.variant,
            "variant_changes": list(self.variant_changes),
            "as_of": self.as_of.isoformat(),
            "cases": len(self.cases),
            "changed_cases": list(self.changed_cases()),
            "questions": [summary.to_dict() for summary in self.rules],
            "changes": changes,
            "figures": [figure.to_dict() for figure in self.figures],
        }

    def to_text(self, *, reasons: bool = True, unchanged: bool = False) -> str:
        """A plain-text report: the headline, counts per question, each change, figures.

        Args:
            reasons: show both reasons under each change.
            unchanged: also list questions and figures that did not move.
        """
        changed = self.changed_cases()
        moved = [summary for summary in self.rules if summary.changed]
        lines = [
            f"Comparison: {self.baseline} (baseline) -> {self.variant} (variant)",
            f"As of {long_date(self.as_of)}; {plural(len(self.cases), 'case')} compared.",
        ]
        lines.extend(f"  variant: {text}" for text in self.variant_changes)
        lines.append(
            f"{plural(len(changed), 'case')} of {len(self.cases)} changed outcome on "
            f"{plural(len(moved), 'question')} ({plural(len(self.changes), 'change')})."
        )
        shown = self.rules if unchanged else tuple(moved)
        if shown:
            width = max(len(summary.key) for summary in shown)
            lines += ["", "Questions (outcome counts baseline -> variant):"]
            for summary in shown:
                counts = ", ".join(
                    f"{_SHORT[o]} {summary.before.get(o, 0)}->{summary.after.get(o, 0)}"
                    for o in Outcome
                    if summary.before.get(o, 0) or summary.after.get(o, 0)
                )
                lines.append(
                    f"  {summary.key:<{width}}  {summary.changed:>4} changed  {counts}".rstrip()
                )
                for (before, after), count in summary.transitions.items():
                    lines.append(
                        f"  {'':<{width}}        {count} {_words(before)} -> {_words(after)}"
                    )
        if self.changes:
            lines += ["", "Changes:"]
            for change in self.changes:
                unit = f" ({change.unit})" if change.unit else ""
                lines.append(
                    f"  {change.case_ref}  {change.key}{unit}: "
                    f"{_words(change.before_outcome)} -> {_words(change.after_outcome)}"
                )
                if reasons:
                    lines.append(f"    baseline: {change.before.reason if change.before else '-'}")
                    lines.append(f"    variant:  {change.after.reason if change.after else '-'}")
        figures = self.figures if unchanged else self.changed_figures()
        if figures:
            lines += ["", "Figures (baseline -> variant):"]
            for figure in figures:
                delta = figure.delta
                sign = "+" if delta is not None and delta > 0 else ""
                noise = figure.beyond_noise
                lines.append(
                    f"  {figure.group}: {figure.name}  {_shown_figure(figure.before)} -> "
                    f"{_shown_figure(figure.after)}"
                    + (f" ({sign}{_shown_figure(delta)})" if delta is not None else "")
                    + ("" if noise is None else f" [{_NOISE_WORDS[noise]}]")
                )
        elif self.figures:
            lines += ["", f"No figure moved ({plural(len(self.figures), 'figure')} compared)."]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.to_text()


class QuestionClashError(ValueError):
    """Two rules of one rule set that ``match`` pairs with the same question."""

    def __init__(self, ruleset: RuleSet, first: Rule, second: Rule, key: str) -> None:
        self.ruleset, self.first, self.second, self.key = ruleset, first, second, key
        super().__init__(
            f"rules {first.id!r} and {second.id!r} of {ruleset.label} both match "
            f"question {key!r}; give a match= that tells them apart"
        )


def question_keys(ruleset: RuleSet, match: Match | None = None) -> dict[str, Rule]:
    """Each rule of ``ruleset`` under the question ``match`` pairs it with (by default its
    id); raises :class:`QuestionClashError` if two rules would answer the same question,
    ``TypeError`` for a ``match`` that is neither a function of a rule nor a mapping."""
    if not (match is None or callable(match) or isinstance(match, Mapping)):
        raise TypeError(
            "match is a function of a rule (such as match_after_prefix) or a mapping of rule "
            f"ids, not {type(match).__name__}"
        )
    keyed: dict[str, Rule] = {}
    for rule in ruleset.rules:
        if match is None:
            key = rule.id
        elif callable(match):
            key = match(rule)
        else:
            key = match.get(rule.id, rule.id)
        if key in keyed:
            raise QuestionClashError(ruleset, keyed[key], rule, key)
        keyed[key] = rule
    return keyed


def compare(
    cases: Case | Iterable[Case],
    baseline: RuleSet | str,
    variant: RuleSet | str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
    match: Match | None = None,
    figures: Mapping[str, Scorer] | None = None,
) -> Comparison:
    """Evaluate both rule sets on the same cases and report what differs.

    Args:
        cases: one case or any iterable of cases, with distinct references.
        baseline: the rule set as it is (a :class:`RuleSet` or a reference
            :func:`~casework.rules.ruleset.resolve_ruleset` accepts: a name,
            ``"package.module:attribute"``, an overlay file).
        variant: the rule set as it would be.
        as_of: the assessment date for both.
        calendar: the working-day calendar for both.
        options: evaluation options for both.
        match: how questions are paired across the sets (default: same rule id).
        figures: named scorers, ``{"inspection": scorer}``; each is called
            with the baseline's and the variant's findings.

    Returns:
        a :class:`Comparison`: every (case, question) whose outcome differs,
        counts per question, and every figure before and after.

    For a large case file, :func:`compare_columns` compares a chunk of columns at a time.
    """
    tally = _Tally.start(resolve_ruleset(baseline), resolve_ruleset(variant), match)
    before_all: list[Finding] = []
    after_all: list[Finding] = []
    for case in (cases,) if isinstance(cases, Case) else cases:
        tally.note([case.reference])
        found_before = _by_key(
            evaluate_case(case, tally.before, as_of=as_of, calendar=calendar, options=options),
            tally.before_rules,
        )
        found_after = _by_key(
            evaluate_case(case, tally.after, as_of=as_of, calendar=calendar, options=options),
            tally.after_rules,
        )
        before_all.extend(found_before.values())
        after_all.extend(found_after.values())
        for key in tally.keys:
            units = [u for k, u in found_before if k == key]
            units += [u for k, u in found_after if k == key and u not in units]
            for unit in units:
                old, new = found_before.get((key, unit)), found_after.get((key, unit))
                old_outcome = old.outcome if old else None
                new_outcome = new.outcome if new else None
                if old_outcome is not None:
                    tally.before_counts[key][old_outcome] += 1
                if new_outcome is not None:
                    tally.after_counts[key][new_outcome] += 1
                if old_outcome != new_outcome:
                    tally.transitions[key][(old_outcome, new_outcome)] += 1
                    tally.changes.append(OutcomeChange(case.reference, key, unit, old, new))
    before_findings, after_findings = Findings(tuple(before_all)), Findings(tuple(after_all))
    return attrs.evolve(
        tally.comparison(as_of),
        figures=_figures(figures or {}, before_findings, after_findings),
        baseline_findings=before_findings,
        variant_findings=after_findings,
    )


def compare_columns(
    chunks: Iterable[CaseColumns],
    baseline: RuleSet | str,
    variant: RuleSet | str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
    match: Match | None = None,
    figures: Mapping[str, Scorer] | None = None,
) -> Comparison:
    """:func:`compare` of the cases in ``chunks`` (chunks of columns, as
    :func:`casework.read_column_chunks` reads a case file), a chunk at a time, so memory
    does not grow with the number of cases: both rule sets evaluated on columns
    (:func:`casework.columnar.evaluate_columns`), the answers paired by outcome code, and
    only the changed findings put in words.

    Equal to :func:`compare` of the same cases, change for change, count for count and
    figure for figure (tests/testing/test_compare_columns.py), except that it keeps
    neither side's findings (:attr:`Comparison.baseline_findings` and
    :attr:`~Comparison.variant_findings` are empty). ``figures=`` takes
    :func:`target_figures` (counted on columns as the chunks come); the inspection
    scores (:func:`inspection_figures`) need every finding, so :func:`compare` them.
    """
    tally = _Tally.start(resolve_ruleset(baseline), resolve_ruleset(variant), match)
    tally.store = _ChangeStore()  # (kept in a temporary file past CHANGES_HELD)
    with contextlib.ExitStack() as stack:
        counts: dict[str, tuple[_TargetCount, _TargetCount]] = {}
        for group, scorer in (figures or {}).items():
            if not isinstance(scorer, _TargetFigures):
                raise ValueError(
                    f"figures={{{group!r}: ...}}: compare_columns counts target_figures only; "
                    "other figures need every finding (use compare)"
                )
            pair = (scorer.tally(), scorer.tally())
            for count in pair:
                stack.callback(count.close)
            counts[group] = pair
        for columns in chunks:
            sides = tally.add_columns(columns, as_of=as_of, calendar=calendar, options=options)
            for pair in counts.values():
                for count, side in zip(pair, sides, strict=True):
                    count.add_columns(side)
        moved = tuple(
            change
            for group, (old, new) in counts.items()
            for change in _figure_changes(group, old.values(), new.values(), {})
        )
    return attrs.evolve(tally.comparison(as_of), figures=moved)


@attrs.define
class _Tally:
    """What :func:`compare` and :func:`compare_columns` count as they go: the questions
    (``keys``: the baseline's, then those only the variant asks), each question's outcome
    counts under both sets and its transitions (in the order first seen), the cases
    compared and the changes, in case order then question order."""

    before: RuleSet
    after: RuleSet
    before_rules: dict[str, Rule]
    after_rules: dict[str, Rule]
    keys: list[str]
    before_counts: dict[str, Counter[Outcome]]
    after_counts: dict[str, Counter[Outcome]]
    transitions: dict[str, Counter[tuple[Outcome | None, Outcome | None]]]
    refs: PackedRefs = attrs.Factory(PackedRefs)
    """The references of the cases compared, in order (packed: a few bytes a case)."""
    seen: SeenReferences = attrs.field(init=False)
    """The references compared, for the repeat check (4 bytes a case in memory)."""
    changes: list[OutcomeChange] = attrs.Factory(list)
    store: _ChangeStore | None = None
    """Where the changes go instead of :attr:`changes` when kept in a temporary file
    (:func:`compare_columns`)."""

    def __attrs_post_init__(self) -> None:
        self.seen = SeenReferences(self._references_of)

    def _references_of(self, numbers: Sequence[int]) -> dict[int, str]:
        return {number: self.refs[number] for number in numbers}

    @classmethod
    def start(cls, before: RuleSet, after: RuleSet, match: Match | None) -> _Tally:
        before_rules = question_keys(before, match)
        after_rules = question_keys(after, match)
        keys = [*before_rules, *(key for key in after_rules if key not in before_rules)]
        return cls(
            before=before,
            after=after,
            before_rules=before_rules,
            after_rules=after_rules,
            keys=keys,
            before_counts={key: Counter() for key in keys},
            after_counts={key: Counter() for key in keys},
            transitions={key: Counter() for key in keys},
        )

    def note(self, references: Sequence[str]) -> None:
        """The next cases compared, by reference (``ValueError`` for one seen before)."""
        numbers = range(len(self.refs), len(self.refs) + len(references))
        for reference, first in zip(references, self.seen.check(references, numbers), strict=True):
            if first is not None:
                raise ValueError(
                    f"case reference {reference!r} appears twice; compared cases need "
                    "distinct references"
                )
        self.refs.extend(references)

    def add_columns(
        self,
        columns: CaseColumns,
        *,
        as_of: dt.date,
        calendar: WorkingCalendar,
        options: dict[str, Any] | None,
    ) -> tuple[FindingColumns, FindingColumns]:
        """Compare a chunk of cases on columns (:func:`compare_columns`); both sides'
        answers."""
        from casework.columnar import evaluate_columns  # noqa: PLC0415  (only when used)
        from casework.columnar.core import OUTCOMES  # noqa: PLC0415

        self.note(columns.references)
        sides = tuple(
            evaluate_columns(columns, rules, as_of=as_of, calendar=calendar, options=options)
            for rules in (self.before, self.after)
        )
        places = [{a.rule.id: i for i, a in enumerate(side.by_rule)} for side in sides]
        parts: list[_Pairs] = []
        for rank, key in enumerate(self.keys):
            asked = (self.before_rules.get(key), self.after_rules.get(key))
            rules = tuple(
                -1 if rule is None else place[rule.id]
                for rule, place in zip(asked, places, strict=True)
            )
            answered = tuple(
                None if at < 0 else side.by_rule[at] for at, side in zip(rules, sides, strict=True)
            )
            pairs = _paired(*answered, rank=rank, rules=rules, size=len(columns))
            for counts, codes in zip(
                (self.before_counts[key], self.after_counts[key]), pairs.outcome, strict=True
            ):
                tallied = np.bincount(codes[codes >= 0], minlength=len(OUTCOMES))
                counts.update({OUTCOMES[code]: int(n) for code, n in enumerate(tallied) if n})
            parts.append(pairs.changed())
        changed = _Pairs.joined(parts)
        found = [
            _findings_at(side, changed.rule[k], changed.answer[k]) for k, side in enumerate(sides)
        ]
        references = sides[0].columns.references
        for i, row in enumerate(changed.row.tolist()):
            key = self.keys[changed.rank[i]]
            old, new = found[0][i], found[1][i]
            self.transitions[key][
                (None if old is None else old.outcome, None if new is None else new.outcome)
            ] += 1
            unit = old.unit if old is not None else None if new is None else new.unit
            change = OutcomeChange(references[row], key, unit, old, new)
            if self.store is not None:
                self.store.add(change)
            else:
                self.changes.append(change)
        return sides[0], sides[1]

    def comparison(self, as_of: dt.date) -> Comparison:
        """What was counted, as a :class:`Comparison` (no figures, no findings kept)."""
        summaries = tuple(
            RuleSummary(
                key=key,
                question=(self.after_rules.get(key) or self.before_rules[key]).question,
                baseline_rule=self.before_rules[key].id if key in self.before_rules else None,
                variant_rule=self.after_rules[key].id if key in self.after_rules else None,
                before=dict(self.before_counts[key]),
                after=dict(self.after_counts[key]),
                transitions=dict(self.transitions[key]),
            )
            for key in self.keys
        )
        return Comparison(
            baseline=self.before.label,
            variant=self.after.label,
            as_of=as_of,
            cases=self.refs,
            changes=tuple(self.changes) if self.store is None else self.store.changes(),
            rules=summaries,
            variant_changes=self.after.changes,
        )


Codes: TypeAlias = "npt.NDArray[np.int8]"
Positions: TypeAlias = "npt.NDArray[np.intp]"


@attrs.frozen
class _Pairs:
    """The answers to one question in a chunk of cases, paired across the rule sets: for
    each (case, unit), its case row, the question's rank, its place among the chunk's
    pairs (``order``), and per side (baseline, variant) the rule's place in that side's
    rules, the answer (its position in that rule's columns) and its outcome code (-1
    where that side gives none)."""

    row: Positions
    rank: Positions
    order: Positions
    rule: tuple[Positions, Positions]
    answer: tuple[Positions, Positions]
    outcome: tuple[Codes, Codes]

    def changed(self) -> _Pairs:
        """The pairs whose outcome differs."""
        return self.take(np.flatnonzero(self.outcome[0] != self.outcome[1]))

    def take(self, at: Positions) -> _Pairs:
        return _Pairs(
            self.row[at],
            self.rank[at],
            self.order[at],
            (self.rule[0][at], self.rule[1][at]),
            (self.answer[0][at], self.answer[1][at]),
            (self.outcome[0][at], self.outcome[1][at]),
        )

    @staticmethod
    def joined(parts: Sequence[_Pairs]) -> _Pairs:
        """Every question's pairs in :func:`compare`'s order: case by case, questions in
        order, each question's units in order."""

        def cat(name: str, side: int | None = None) -> Any:
            arrays = [getattr(part, name) for part in parts]
            return np.concatenate(arrays if side is None else [a[side] for a in arrays])

        every = _Pairs(
            cat("row"),
            cat("rank"),
            cat("order"),
            (cat("rule", 0), cat("rule", 1)),
            (cat("answer", 0), cat("answer", 1)),
            (cat("outcome", 0), cat("outcome", 1)),
        )
        return every.take(np.lexsort((every.order, every.rank, every.row)))


def _paired(
    old: RuleColumns | None,
    new: RuleColumns | None,
    *,
    rank: int,
    rules: tuple[int, ...],
    size: int,
) -> _Pairs:
    """One question's answers in a chunk of ``size`` cases paired as :func:`compare` pairs
    findings: per case, the baseline's units in its order, then the variant's units the
    baseline does not give, in the variant's order; a unit one side gives twice in a case
    is paired once, by its last answer (as :func:`_by_key` keeps it). A question each side
    answers once per case is paired row by row."""
    sides = (old, new)
    if all(answered is not None and _once_per_case(answered, size) for answered in sides):
        every = np.arange(size, dtype=np.intp)
        answers = (every, every)
        rows, order = every, every
    else:
        index: list[dict[tuple[int, str | None], int]] = [{}, {}]
        for seen, answered in zip(index, sides, strict=True):
            if answered is not None:
                for i, pair in enumerate(zip(answered.row.tolist(), answered.unit, strict=True)):
                    seen[pair] = i  # (the last answer; its place the first's)
        before, after = index
        pairs = [*before, *(pair for pair in after if pair not in before)]
        rows = np.asarray([row for row, _unit in pairs], dtype=np.intp)
        order = np.arange(len(pairs), dtype=np.intp)
        answers = (
            np.asarray([before.get(pair, -1) for pair in pairs], dtype=np.intp),
            np.asarray([after.get(pair, -1) for pair in pairs], dtype=np.intp),
        )
    outcome = tuple(
        np.full(len(rows), -1, dtype=np.int8)
        if answered is None
        else np.where(at >= 0, answered.outcome[np.maximum(at, 0)], -1).astype(np.int8)
        for answered, at in zip(sides, answers, strict=True)
    )
    return _Pairs(
        rows,
        np.full(len(rows), rank, dtype=np.intp),
        order,
        (np.full(len(rows), rules[0], dtype=np.intp), np.full(len(rows), rules[1], dtype=np.intp)),
        answers,
        (outcome[0], outcome[1]),
    )


def _once_per_case(answered: RuleColumns, size: int) -> bool:
    """Whether a rule answered each of ``size`` cases once, in order, with no unit (a rule
    of one's own may name a unit in a case-level verdict: then it is paired by unit)."""
    return (
        len(answered) == size
        and answered.unit.count(None) == size
        and bool(np.array_equal(answered.row, np.arange(size)))
    )


def _findings_at(
    side: FindingColumns, rules: Positions, answers: Positions
) -> list[Finding | None]:
    """The findings of these answers (``answers[k]`` of the ``rules[k]``-th rule; -1: none),
    in words, as :func:`~casework.rules.engine.evaluate_case` words them; ``None`` where
    there is no answer."""
    found: list[Finding | None] = [None] * len(answers)
    given = np.flatnonzero(answers >= 0)
    if given.size:
        positions = side.positions(rules[given], answers[given])
        table = side.explain(where=lambda _table: positions)
        for k, finding in zip(given.tolist(), table.findings(), strict=True):
            found[k] = finding
    return found


def _by_key(
    findings: Sequence[Finding], rules: Mapping[str, Rule]
) -> dict[tuple[str, str | None], Finding]:
    key_of = {rule.id: key for key, rule in rules.items()}
    return {(key_of[finding.rule_id], finding.unit): finding for finding in findings}


def _figures(
    scorers: Mapping[str, Scorer], before: Findings, after: Findings
) -> tuple[FigureChange, ...]:
    out: list[FigureChange] = []
    for group, scorer in scorers.items():
        old, new = scorer(before), scorer(after)
        noise = getattr(scorer, "noise", None)
        intervals: Mapping[str, Interval] = noise(before, after) if callable(noise) else {}
        out.extend(_figure_changes(group, old, new, intervals))
    return tuple(out)


def _figure_changes(
    group: str,
    old: Mapping[str, FigureValue],
    new: Mapping[str, FigureValue],
    intervals: Mapping[str, Interval],
) -> list[FigureChange]:
    """Each figure of a group before and after: the baseline's in order, then the
    variant's others."""
    names = [*old, *(name for name in new if name not in old)]
    return [
        FigureChange(group, name, old.get(name), new.get(name), intervals.get(name))
        for name in names
    ]
