"""How sure each score is: confidence intervals and band chances for a :class:`Scorecard`.

An inspection scores a sample of about 110 cases (004:951); another sample of
the same size from the same caseload would give other figures. This module
says how far they could plausibly move (docs/scoring.md#how-sure-each-score-is):

* per **question**, a Wilson score interval for its proportion (above the line
  over relevant cases);
* per **criterion**, **section** and for the **RoH thread**, a percentile
  bootstrap interval: the sample's cases are drawn again with replacement,
  ``resamples`` times from a fixed ``seed``, each drawn case bringing all its
  answers with it, and every figure is recomputed exactly as
  :func:`~casework.score_inspection` computes it (same options, same A7
  renormalisation when a question has no relevant case in a resample);
* per **criterion**, the share of resamples in which its conclusion band is
  each band ("good in 38% of resamples, priority in 62%"), and a flag where
  the published band holds in fewer than ``band_threshold`` of them.

Nothing here reads the clock or global random state: the draws are those of
:class:`random.Random` seeded with ``seed`` (made by numpy's copy of the same
generator on the numpy path), over the cases ordered by their
answers, so one sample gives one answer whatever the order of its file and
whatever its case references (a pseudonymised sample gives the same intervals). The
counting is vectorised with numpy when it is installed (it comes with the
``report`` and ``dataframe`` extras); without it a pure-Python path gives
bit-for-bit the same figures.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
import importlib
import math
import random
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal

import attrs

from casework._caserefs import CaseRefs, SpilledRefs, spill_refs
from casework._process import release_free_memory
from casework.text import round_half_up

if TYPE_CHECKING:
    from casework.scoring import BandTable, CriterionScore, QuestionScore, Scorecard

__all__ = [
    "BandChances",
    "Interval",
    "IntervalOptions",
    "ScoreIntervals",
    "bootstrap_figures",
    "difference_intervals",
    "level_text",
    "resample_weights",
    "score_intervals",
    "share_text",
    "wilson_interval",
]

Engine = Literal["auto", "numpy", "python"]
Method = Literal["wilson", "bootstrap"]

#: A float score this close below a band's bound counts as reaching it: figures
#: are exact fractions and the floats carrying them may fall a rounding error short.
BOUND_TOLERANCE = 1e-9


def _level(_instance: object, _attribute: object, value: float) -> None:
    if not 0 < value < 1:
        raise ValueError(f"the confidence level must be between 0 and 1, not {value}")


def _share(_instance: object, _attribute: object, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"band_threshold must be between 0 and 1, not {value}")


def _positive(_instance: object, _attribute: object, value: int) -> None:
    if value < 1:
        raise ValueError(f"resamples must be at least 1, not {value}")


def _to_float(value: float | Fraction | str) -> float:
    if isinstance(value, str):
        text = value.strip()
        return float(Fraction(text[:-1]) / 100) if text.endswith("%") else float(Fraction(text))
    return float(value)


@attrs.frozen
class IntervalOptions:
    """How the intervals are computed (docs/scoring.md#how-sure-each-score-is).

    None of these comes from the sources: the report prints no interval.
    """

    level: float = attrs.field(default=0.95, converter=_to_float, validator=_level)
    """Confidence level of every interval (95% by default)."""
    resamples: int = attrs.field(default=2000, validator=_positive)
    """Bootstrap resamples of the case sample."""
    seed: int = 0
    """Seed of the bootstrap draws: the same sample and seed give the same intervals."""
    band_threshold: float = attrs.field(default=0.8, converter=_to_float, validator=_share)
    """A criterion's band is flagged when it holds in fewer than this share of resamples."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "level": self.level,
            "resamples": self.resamples,
            "seed": self.seed,
            "band_threshold": self.band_threshold,
        }


def _pct(value: float) -> str:
    return f"{round_half_up(Fraction(value) * 100)}"


def level_text(level: float) -> str:
    """A confidence level as a percentage: ``0.95`` -> ``"95%"``, ``0.975`` -> ``"97.5%"``."""
    return f"{round_half_up(Fraction(level) * 100, 1).normalize():f}%"


def share_text(share: float) -> str:
    """A share of resamples as a whole percentage, never rounded to 0% or 100% unless it is."""
    if 0 < share < 0.005:
        return "under 1%"
    if 0.995 <= share < 1:
        return "over 99%"
    return f"{_pct(share)}%"


@attrs.frozen
class Interval:
    """A confidence interval for one figure (a proportion, 0 to 1), and how it was found."""

    low: float
    high: float
    level: float
    method: Method

    @property
    def display(self) -> str:
        """``"52% to 71%"``: both ends as whole percentages, half-up."""
        return f"{_pct(self.low)}% to {_pct(self.high)}%"

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval (ends included)."""
        return self.low <= value <= self.high

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "low": self.low,
            "high": self.high,
            "level": self.level,
            "method": self.method,
            "display": self.display,
        }


@attrs.frozen
class BandChances:
    """How often each conclusion band came out for a criterion over the resamples."""

    published: str | None
    """The band of the sample's own score (a band key), ``None`` with no score."""
    shares: tuple[tuple[str, float], ...]
    """``(band key, share of resamples)``, in the band table's order, bands never seen left
    out; ``("none", share)`` last when some resamples leave the criterion with no score."""
    threshold: float

    @property
    def published_share(self) -> float | None:
        """The share of resamples giving the published band."""
        if self.published is None:
            return None
        return dict(self.shares).get(self.published, 0.0)

    @property
    def unstable(self) -> bool | None:
        """Whether the published band holds in fewer than ``threshold`` of the resamples."""
        share = self.published_share
        return None if share is None else share < self.threshold

    @property
    def text(self) -> str:
        """``"priority in 62% of resamples, good in 38%"``: most frequent first."""
        ordered = sorted(self.shares, key=lambda item: -item[1])
        parts = [
            f"{'no score' if key == 'none' else key} in {share_text(share)}"
            for key, share in ordered
        ]
        if not parts:
            return ""
        parts[0] += " of resamples"
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "published": self.published,
            "shares": dict(self.shares),
            "published_share": self.published_share,
            "threshold": self.threshold,
            "unstable": self.unstable,
            "text": self.text,
        }


@attrs.frozen
class ScoreIntervals:
    """Every interval of a scorecard, and the band chances of its criteria."""

    options: IntervalOptions
    cases: int
    """The sample size resampled."""
    questions: Mapping[str, Interval]
    """Wilson intervals by question id (questions with a relevant case)."""
    criteria: Mapping[str, Interval]
    """Bootstrap intervals by criterion id (criteria with a score)."""
    bands: Mapping[str, BandChances]
    """Band chances by criterion id."""
    sections: Mapping[int, Interval]
    """Bootstrap intervals by section number."""
    roh_thread: Interval | None

    def question(self, question_id: str) -> Interval | None:
        """A question's interval, ``None`` when it has no relevant case."""
        return self.questions.get(question_id)

    def criterion(self, criterion_id: str) -> Interval | None:
        """A criterion's interval, ``None`` when it has no score."""
        return self.criteria.get(criterion_id)

    def section(self, number: int) -> Interval | None:
        """A section's interval, ``None`` when it has no score."""
        return self.sections.get(number)

    def band(self, criterion_id: str) -> BandChances | None:
        """A criterion's band chances."""
        return self.bands.get(criterion_id)

    def unstable(self) -> tuple[str, ...]:
        """Criteria whose published band holds in fewer than ``band_threshold`` of resamples."""
        return tuple(cid for cid, chances in self.bands.items() if chances.unstable)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "options": self.options.to_dict(),
            "cases": self.cases,
            "methods": {
                "questions": "wilson",
                "criteria": "bootstrap",
                "sections": "bootstrap",
                "roh_thread": "bootstrap",
            },
            "questions": {key: value.to_dict() for key, value in self.questions.items()},
            "criteria": {
                key: {
                    "interval": value.to_dict(),
                    "bands": chances.to_dict() if (chances := self.bands.get(key)) else None,
                }
                for key, value in self.criteria.items()
            },
            "sections": {str(key): value.to_dict() for key, value in self.sections.items()},
            "roh_thread": self.roh_thread.to_dict() if self.roh_thread else None,
        }


# ---------------------------------------------------------------- Wilson


def _z(level: float) -> float:
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def wilson_interval(above: int, relevant: int, level: float = 0.95) -> Interval | None:
    """The Wilson score interval for ``above`` of ``relevant`` cases; ``None`` with none.

    ``p = above / relevant``, ``z`` the normal quantile for ``level``::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) x sqrt(p(1 - p)/n + z²/4n²)
    """
    if not 0 <= above <= relevant:
        raise ValueError(f"{above} above the line of {relevant} relevant cases")
    if relevant == 0:
        return None
    z = _z(level)
    n = relevant
    p = above / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # At 0 and at all cases the interval reaches 0 (or 1) exactly; floats would miss it.
    low = 0.0 if above == 0 else max(0.0, centre - half)
    high = 1.0 if above == relevant else min(1.0, centre + half)
    return Interval(low, high, level, "wilson")


# ---------------------------------------------------------------- the design


@attrs.frozen
class _Part:
    columns: tuple[int, ...]
    """One column (a question, or an all-of group as one question), or the members of a
    mean-of group."""


@attrs.frozen
class _CriterionPlan:
    id: str
    parts: tuple[_Part, ...]
    summary: int | None
    bounds: tuple[float, ...]
    """Float lower bounds of bands 1.. (band 0 starts at 0), already shifted for
    ``band_on="displayed"``."""
    keys: tuple[str, ...]


@attrs.frozen
class _Design:
    """What a scorecard's figures are made of, as columns of case indices."""

    cases: tuple[str, ...]
    columns: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    """Per column: indices of the cases above the line, and of those below it."""
    questions: tuple[tuple[str, int], ...]
    criteria: tuple[_CriterionPlan, ...]
    sections: tuple[tuple[int, tuple[int, ...]], ...]
    """Section number and the positions of its criteria in ``criteria``."""
    thread: tuple[int, ...]
    pooled: bool
    summary_as_question: bool
    weight: float


def _bounds(bands: BandTable, displayed: bool) -> tuple[float, ...]:
    out = []
    for bound, _band in bands.bands[1:]:
        # displayed: round_half_up(100 s) >= ceil(100 b)  <=>  100 s >= ceil(100 b) - 1/2
        edge = (Fraction(math.ceil(bound * 100)) - Fraction(1, 2)) / 100 if displayed else bound
        out.append(float(edge) - BOUND_TOLERANCE)
    return tuple(out)


def _design(
    card: Scorecard, cases: Sequence[str], *, sources: list[QuestionScore] | None = None
) -> _Design:
    """The design of ``card`` over ``cases``; with ``sources``, the columns are left empty
    and the question behind each column is appended to ``sources`` instead."""
    from casework.scoring import GroupScore  # noqa: PLC0415  (scoring imports this module)

    index = {ref: i for i, ref in enumerate(cases)} if sources is None else {}
    columns: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    seen: dict[int, int] = {}

    def column(question: QuestionScore) -> int:
        key = id(question)
        if key not in seen:
            if sources is not None:
                seen[key] = len(sources)
                sources.append(question)
                return seen[key]
            seen[key] = len(columns)
            columns.append(
                (
                    tuple(index[ref] for ref in question.above),
                    tuple(index[ref] for ref in question.below),
                )
            )
        return seen[key]

    by_id = {q.id: q for q in card.questions}
    questions = tuple((q.id, column(q)) for q in card.questions)
    displayed = card.options.band_on == "displayed"
    bounds = _bounds(card.bands, displayed)
    keys = tuple(band.key for _bound, band in card.bands.bands)
    plans: list[_CriterionPlan] = []
    # Means are summed in question-id order, so one sample gives the same floats
    # whatever order its findings came in.
    for crit in card.criteria:
        parts: list[_Part] = []
        for part in sorted(crit.parts, key=lambda item: item.id):
            if isinstance(part, GroupScore):
                if part.combined is not None:
                    parts.append(_Part((column(part.combined),)))
                else:
                    members = sorted(part.members, key=lambda member: member.id)
                    parts.append(_Part(tuple(column(by_id[m.id]) for m in members)))
            else:
                parts.append(_Part((column(by_id[part.id]),)))
        summary = column(by_id[crit.summary.id]) if crit.summary is not None else None
        plans.append(_CriterionPlan(crit.id, tuple(parts), summary, bounds, keys))
    positions = {crit.id: i for i, crit in enumerate(card.criteria)}
    sections = tuple((s.number, tuple(positions[cid] for cid in s.criteria)) for s in card.sections)
    thread = tuple(
        column(by_id[q.id]) for q in sorted(card.roh_thread.questions, key=lambda q: q.id)
    )
    return _Design(
        cases=tuple(cases),
        columns=tuple(columns),
        questions=questions,
        criteria=tuple(plans),
        sections=sections,
        thread=thread,
        pooled=card.options.weighting == "pooled",
        summary_as_question=card.options.combine == "summary_as_question",
        weight=float(card.options.individual_weight),
    )


# ---------------------------------------------------------------- vector arithmetic

# A vector holds one figure per resample: a list of floats (pure Python) or a numpy
# array. NaN stands for "no figure" (no relevant case in that resample). Every
# operation is done element by element in the same order on both paths, so they
# give the same floats.

Vector = Any


class _Python:
    name = "python"

    def tally(
        self, weights: Sequence[Sequence[int]], columns: Sequence[tuple[tuple[int, ...], ...]]
    ) -> list[tuple[Vector, Vector]]:
        # Each case's multiplicities over all rows packed side by side into one integer,
        # a fixed-width field per row: adding the integers of a column's cases adds
        # every row at once. A row's counts sum to the sample size, so no field
        # overflows into the next.
        rows = len(weights)
        size = len(weights[0]) if rows else 0
        code = "H" if size < 1 << 16 else "Q"
        width = array(code).itemsize * rows
        packed = [
            int.from_bytes(array(code, case).tobytes(), sys.byteorder)
            for case in zip(*weights, strict=True)
        ]

        def unpack(value: int) -> list[float]:
            fields = array(code)
            fields.frombytes(value.to_bytes(width, sys.byteorder))
            return [float(count) for count in fields]

        out: list[tuple[Vector, Vector]] = []
        for above, below in columns:
            up = sum(packed[i] for i in above)
            down = sum(packed[i] for i in below)
            out.append((unpack(up), unpack(up + down)))
        return out

    def ratio(self, above: Vector, relevant: Vector) -> Vector:
        return [a / r if r else math.nan for a, r in zip(above, relevant, strict=True)]

    def add(self, vectors: Sequence[Vector]) -> Vector:
        total = [0.0] * len(vectors[0])
        for vector in vectors:
            total = [t + v for t, v in zip(total, vector, strict=True)]
        return total

    def nanmean(self, vectors: Sequence[Vector], size: int) -> Vector:
        if not vectors:
            return [math.nan] * size
        out = []
        for values in zip(*vectors, strict=True):
            total, count = 0.0, 0
            for value in values:
                if not math.isnan(value):
                    total += value
                    count += 1
            out.append(total / count if count else math.nan)
        return out

    def combine(self, individual: Vector, summary: Vector, weight: float) -> Vector:
        rest = 1 - weight
        out = []
        for i, s in zip(individual, summary, strict=True):
            if math.isnan(i):
                out.append(s)
            elif math.isnan(s):
                out.append(i)
            else:
                out.append(weight * i + rest * s)
        return out

    def subtract(self, after: Vector, before: Vector) -> Vector:
        return [a - b for a, b in zip(after, before, strict=True)]

    def values(self, vector: Vector) -> list[float]:
        return list(vector)


class _Numpy:
    name = "numpy"

    def __init__(self, np: Any) -> None:
        self.np = np

    def tally(
        self, weights: Sequence[Sequence[int]], columns: Sequence[tuple[tuple[int, ...], ...]]
    ) -> list[tuple[Vector, Vector]]:
        np = self.np
        # Counts are small whole numbers, exact in float64: the products go through BLAS.
        matrix = np.asarray(weights, dtype=np.float64)
        n = matrix.shape[1]
        ups = np.zeros((n, len(columns)))
        relevant = np.zeros((n, len(columns)))
        for j, (above, below) in enumerate(columns):
            ups[list(above), j] = 1.0
            relevant[list(above) + list(below), j] = 1.0
        up_counts = matrix @ ups
        totals = matrix @ relevant
        return [(up_counts[:, j], totals[:, j]) for j in range(len(columns))]

    def ratio(self, above: Vector, relevant: Vector) -> Vector:
        np = self.np
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(relevant > 0, above / np.where(relevant > 0, relevant, 1), np.nan)

    def add(self, vectors: Sequence[Vector]) -> Vector:
        total = self.np.zeros(len(vectors[0]))
        for vector in vectors:
            total = total + vector
        return total

    def nanmean(self, vectors: Sequence[Vector], size: int) -> Vector:
        np = self.np
        total = np.zeros(size)
        count = np.zeros(size, dtype=np.int64)
        for vector in vectors:
            ok = ~np.isnan(vector)
            total = total + np.where(ok, vector, 0.0)
            count = count + ok
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)

    def combine(self, individual: Vector, summary: Vector, weight: float) -> Vector:
        np = self.np
        both = weight * individual + (1 - weight) * summary
        alone = np.where(np.isnan(summary), individual, both)
        return np.where(np.isnan(individual), summary, alone)

    def subtract(self, after: Vector, before: Vector) -> Vector:
        return after - before

    def values(self, vector: Vector) -> list[float]:
        return list(vector.tolist())


#: Cells (resamples x cases) of the case multiplicities held at a time by the numpy path
#: (8 bytes each), and cases counted at a time against the columns' codes.
BLOCK_CELLS = 1 << 21
CASE_BLOCK = 4096


class _NumpyCodes(_Numpy):
    """numpy, counting against a matrix of codes (one byte per case and column: 0 above
    the line, 1 below it, 2 neither), a block of cases at a time, so memory does not
    grow as cases x columns x 8 bytes. Counts are whole numbers, exact in float64 in
    whatever order they are added, so every figure is the one :class:`_Numpy` gives."""

    def __init__(self, np: Any, codes: Any, block: int | None = None) -> None:
        super().__init__(np)
        self.codes = codes
        """The matrix (cases x columns), or a :class:`_CodesFile` holding it."""
        self.block = block or CASE_BLOCK

    def tally(
        self, weights: Sequence[Sequence[int]], columns: Sequence[tuple[tuple[int, ...], ...]]
    ) -> list[tuple[Vector, Vector]]:
        np = self.np
        matrix = np.asarray(weights, dtype=np.float64)
        rows, width = self.codes.shape
        ups = np.zeros((matrix.shape[0], width))
        totals = np.zeros((matrix.shape[0], width))
        for start in range(0, rows, self.block):
            codes = self.codes[start : start + self.block]
            part = matrix[:, start : start + self.block]
            ups += part @ (codes == 0).astype(np.float64)
            totals += part @ (codes <= 1).astype(np.float64)
        return [(ups[:, j], totals[:, j]) for j in range(width)]


class _CodesFile:
    """A matrix of codes (a byte per case and column, a row per case) in a file, read a
    block of rows at a time with ``numpy.fromfile`` (no memory map: pages touched by a
    map count in the process's resident memory)."""

    def __init__(self, np: Any, path: Path, rows: int, width: int) -> None:
        self.np = np
        self.path = path
        self.shape = (rows, width)

    def __getitem__(self, rows: slice) -> Any:
        start, stop, _step = rows.indices(self.shape[0])
        width = self.shape[1]
        count = max(0, stop - start) * width
        found = self.np.fromfile(self.path, dtype=self.np.uint8, count=count, offset=start * width)
        return found.reshape(-1, width)


def _positions(np: Any, refs: Sequence[str], cases: Sequence[str], index: dict[str, int]) -> Any:
    """Where ``refs`` are in ``cases`` (``index`` filled on first need)."""
    if isinstance(refs, CaseRefs) and refs.refs is cases:
        return refs.positions()
    if not index:
        index.update((ref, i) for i, ref in enumerate(cases))
    return np.fromiter((index[ref] for ref in refs), dtype=np.int64, count=len(refs))


def _canonical_positions(np: Any, card: Scorecard, index: dict[str, int]) -> Any:
    """:func:`_canonical_order` of one card, as the positions of its cases in
    ``card.cases``: a byte per case and question, sorted with ``numpy.lexsort``."""
    cases = card.cases
    size = len(cases)
    keys = []
    for question in sorted(card.questions, key=lambda q: q.id):
        codes = np.full(size, 4, dtype=np.uint8)
        for code, name in enumerate(("above", "below", "unanswered", "not_applicable")):
            codes[_positions(np, getattr(question, name), cases, index)] = code
        keys.append(codes)
    by_ref = np.empty(size, dtype=np.int64)
    by_ref[sorted(range(size), key=cases.__getitem__)] = np.arange(size)
    return np.lexsort((by_ref, *reversed(keys)))


def _compact_figures(
    card: Scorecard, options: IntervalOptions, np: Any
) -> tuple[_Design, dict[str, list[float]]]:
    """The bootstrap figures of ``card`` (as :func:`_evaluate` gives them on every resample),
    a block of resamples at a time from the codes of its cases: memory holds the codes
    (a byte per case and column) and one block of case multiplicities."""
    index: dict[str, int] = {}
    cases = card.cases
    order = _canonical_positions(np, card, index)
    rank = np.empty(len(cases), dtype=np.int64)
    rank[order] = np.arange(len(cases))
    sources: list[QuestionScore] = []
    design = _design(card, (), sources=sources)
    codes = np.full((len(cases), len(sources)), 2, dtype=np.uint8)
    for j, question in enumerate(sources):
        codes[rank[_positions(np, question.above, cases, index)], j] = 0
        codes[rank[_positions(np, question.below, cases, index)], j] = 1
    return design, _resampled(design, _NumpyCodes(np, codes), len(cases), options)


def _resampled(
    design: _Design, backend: _NumpyCodes, size: int, options: IntervalOptions
) -> dict[str, list[float]]:
    """Every figure of ``design`` on each resample, a block of resamples at a time.

    Cases whose codes are the same (next to each other in the canonical order: the
    cases are sorted by their answers) are counted as one group: a figure reads only
    how many times each group was drawn, so the matrix of multiplicities is
    resamples x groups, not x cases, and every count is the same whole number."""
    np = backend.np
    group_of, distinct = _groups(np, backend.codes, size)
    grouped = _NumpyCodes(np, distinct, backend.block)
    rows = max(1, BLOCK_CELLS // max(1, distinct.shape[0]))
    values: dict[str, list[float]] = {}
    counts = _counts(np, group_of, resamples=options.resamples, seed=options.seed, rows=rows)
    for weights in counts:
        found = _evaluate(design, weights, grouped, questions=False)
        for name, vector in found.items():
            values.setdefault(name, []).extend(backend.values(vector))
    return values


def _groups(np: Any, codes: Any, size: int) -> tuple[Any, Any]:
    """Runs of cases with the same codes: each case's run (the smallest unsigned type
    that holds them) and the codes of each run (a matrix, a row per run; for codes in a
    file, a :class:`_CodesFile` beside it, as the number of runs grows with the cases),
    read a block of cases at a time."""
    width = codes.shape[1]
    spilled = codes.path.with_name("groups.bin") if isinstance(codes, _CodesFile) else None
    starts: list[Any] = []
    firsts: list[Any] = []
    count = 0
    previous = None
    block = max(1, CASE_BLOCK)
    with spilled.open("wb") if spilled is not None else contextlib.nullcontext() as out:
        for start in range(0, size, block):
            part = codes[start : start + block]
            new = np.ones(len(part), dtype=bool)
            new[1:] = (part[1:] != part[:-1]).any(axis=1)
            if previous is not None:
                new[0] = bool((part[0] != previous).any())
            starts.append(new)
            found = part[new]
            count += len(found)
            if out is not None:
                found.tofile(out)
            else:
                firsts.append(found)
            previous = part[-1].copy()
    if spilled is not None:
        distinct = _CodesFile(np, spilled, count, width)
    elif firsts:
        distinct = np.concatenate(firsts).reshape(-1, width)
    else:
        distinct = np.zeros((0, width), dtype=np.uint8)
    if not starts:
        return np.zeros(0, dtype=np.uint8), distinct
    kind = next(t for t in (np.uint8, np.uint16, np.uint32) if count <= np.iinfo(t).max)
    # each case's run, numbered a block at a time into the smallest type (the first case
    # starts a run: no number wraps)
    numbers = np.empty(size, dtype=kind)
    done = 0
    for start, new in zip(range(0, size, block), starts, strict=True):
        numbered = np.cumsum(new, dtype=np.uint32)
        numbered += done
        numbered -= 1
        numbers[start : start + len(new)] = numbered
        done = int(numbered[-1]) + 1
    return numbers, distinct


#: Cases drawn at a time for one resample (a float64 each while drawn).
DRAW_PIECE = 1 << 16


def _counts(np: Any, group_of: Any, *, resamples: int, seed: int, rows: int) -> Iterator[Any]:
    """The resamples' group multiplicities, ``rows`` resamples at a time (a float64 matrix,
    rows x groups, the same one filled again: read it before the next).

    The draws are :func:`_draws`': :meth:`random.Random.choices` over ``range(cases)`` is
    ``floor(random() * cases)`` per draw, and numpy's legacy ``RandomState`` is the same
    Mersenne Twister with the same 53-bit doubles (``random_sample``), so given the state of
    ``random.Random(seed)`` it gives the very same doubles, and the same products and
    floors (tests/omi/test_intervals.py checks the draws equal)."""
    cases = len(group_of)
    groups = int(group_of.max()) + 1 if cases else 0
    draws = _python_draws(np, seed)
    matrix = np.zeros((max(1, min(rows, resamples)), groups))
    filled = 0
    for _ in range(resamples):
        row = matrix[filled]
        row[:] = 0.0
        for start in range(0, cases, DRAW_PIECE):
            drawn = draws(min(DRAW_PIECE, cases - start), cases)
            row += np.bincount(group_of[drawn], minlength=groups)
        filled += 1
        if filled == len(matrix):
            yield matrix
            filled = 0
    if filled:
        yield matrix[:filled]


def _python_draws(np: Any, seed: int) -> Callable[[int, int], Any]:
    """``draw(k, n)``: the next ``k`` of :meth:`random.Random.choices` over ``range(n)``
    from ``random.Random(seed)``, as a numpy array, drawn by numpy."""
    state = random.Random(seed).getstate()[1]
    generator = np.random.RandomState(0)  # (any seed: its state is set next)
    generator.set_state(("MT19937", np.asarray(state[:-1], dtype=np.uint32), state[-1]))

    def draw(k: int, n: int) -> Any:
        return np.floor(generator.random_sample(k) * float(n)).astype(np.intp)

    return draw


#: Cases sorted in memory at a time into the canonical order by the spilled path (a byte
#: per case and question for the answers, and per column for the codes): runs of this
#: many cases are sorted, then merged.
RUN_CASES = 1 << 15


def _spilled_figures(
    card: Scorecard, options: IntervalOptions, np: Any
) -> tuple[_Design, dict[str, list[float]]]:
    """:func:`_compact_figures` of a card whose cases are in files
    (:class:`~casework._caserefs.SpilledRefs`), in bounded memory: the cases are put in
    the canonical order by an external sort (runs of :data:`RUN_CASES` sorted by their
    answers and reference, then merged), their codes written to a file in that order
    and read a block of cases at a time by every block of resamples."""
    cases = card.cases
    assert isinstance(cases, SpilledRefs)
    size = len(cases)
    sources: list[QuestionScore] = []
    design = _design(card, (), sources=sources)
    questions = sorted(card.questions, key=lambda q: q.id)
    names = ("above", "below", "unanswered", "not_applicable")
    width = len(sources)
    sets: dict[int, frozenset[str]] = {}

    def listed(refs: Sequence[str], start: int, stop: int, block: list[str]) -> Any:
        if isinstance(refs, CaseRefs) and refs.refs is cases:
            return refs.matches(start, stop)
        members = sets.get(id(refs))
        if members is None:  # a list made of others (a group scored as one): as strings
            members = sets[id(refs)] = frozenset(refs)
        return np.fromiter((ref in members for ref in block), dtype=bool, count=len(block))

    with tempfile.TemporaryDirectory(prefix="bootstrap-", dir=cases.directory) as scratch:
        folder = Path(scratch)
        runs: list[tuple[Path, int]] = []
        for start in range(0, size, RUN_CASES):
            stop = min(size, start + RUN_CASES)
            block = cases.block(start, stop)
            keys = np.full((stop - start, len(questions)), len(names), dtype=np.uint8)
            for j, question in enumerate(questions):
                for code, name in enumerate(names):
                    keys[listed(getattr(question, name), start, stop, block), j] = code
            codes = np.full((stop - start, width), 2, dtype=np.uint8)
            for j, question in enumerate(sources):
                codes[listed(question.above, start, stop, block), j] = 0
                codes[listed(question.below, start, stop, block), j] = 1
            by_ref = np.empty(len(block), dtype=np.int64)
            by_ref[sorted(range(len(block)), key=block.__getitem__)] = np.arange(len(block))
            order = np.lexsort((by_ref, *reversed(list(keys.T))))
            run = folder / f"run{len(runs)}"
            run.mkdir()
            keys[order].tofile(run / "keys.bin")
            codes[order].tofile(run / "codes.bin")
            _write_refs(run, [block[i] for i in order.tolist()])
            runs.append((run, stop - start))
        merged = folder / "codes.bin"
        _merge_runs(np, runs, len(questions), width, merged)
        # the sort's arrays are freed; glibc would keep their pages resident beside the
        # resamples' arrays (a million cases: 35 MB given back; peak 206 MB before, 190-193
        # after; decision: score-memory-released)
        release_free_memory()
        backend = _NumpyCodes(np, _CodesFile(np, merged, size, width))
        return design, _resampled(design, backend, size, options)


def _write_refs(folder: Path, refs: Sequence[str]) -> None:
    """References in the files :class:`~casework._caserefs.SpilledRefs` reads."""
    data, lengths = spill_refs(refs)
    (folder / "refs.bin").write_bytes(data)
    lengths.cumsum().tofile(folder / "ends.bin")


#: Rows held while the runs are merged: read from the runs, shared among them (a run's
#: share at least one row; a million cases make 31 runs), and written at a time.
MERGE_ROWS = 1 << 10


def _merge_runs(np: Any, runs: list[tuple[Path, int]], keys: int, width: int, out: Path) -> None:
    """Merge the sorted runs (by answers, then reference) into one file of codes."""

    share = max(1, MERGE_ROWS // max(1, len(runs)))

    def rows(run: Path, size: int) -> Iterator[tuple[bytes, str, bytes]]:
        refs = SpilledRefs(run, size)
        for start in range(0, size, share):
            count = min(share, size - start)
            answers = np.fromfile(run / "keys.bin", np.uint8, count * keys, offset=start * keys)
            codes = np.fromfile(run / "codes.bin", np.uint8, count * width, offset=start * width)
            block = refs.block(start, start + count)
            for i in range(count):
                yield (
                    answers[i * keys : (i + 1) * keys].tobytes(),
                    block[i],
                    codes[i * width : (i + 1) * width].tobytes(),
                )

    with out.open("wb") as stream:
        pending: list[bytes] = []
        for _answers, _ref, codes in heapq.merge(*(rows(run, size) for run, size in runs)):
            pending.append(codes)
            if len(pending) >= MERGE_ROWS:
                stream.write(b"".join(pending))
                pending.clear()
        stream.write(b"".join(pending))


def _backend(engine: Engine) -> _Python | _Numpy:
    if engine == "python":
        return _Python()
    try:
        np = importlib.import_module("numpy")
    except ImportError:
        if engine == "numpy":
            raise ImportError('the numpy engine needs numpy: pip install "numpy"') from None
        return _Python()
    return _Numpy(np)


# ---------------------------------------------------------------- figures per resample


def _evaluate(
    design: _Design,
    weights: Sequence[Sequence[int]],
    backend: _Python | _Numpy,
    *,
    questions: bool = True,
) -> dict[str, Vector]:
    """Every figure of the design under each row of case multiplicities, by figure name
    (the names of :func:`casework.compare.inspection_figures`)."""
    size = len(weights)
    tallies = backend.tally(weights, design.columns)
    proportions = [backend.ratio(up, total) for up, total in tallies]
    out: dict[str, Vector] = {}
    if questions:
        for question_id, col in design.questions:
            out[f"question {question_id}"] = proportions[col]
    scores: list[Vector] = []
    for plan in design.criteria:
        part_values = [
            proportions[part.columns[0]]
            if len(part.columns) == 1
            else backend.nanmean([proportions[c] for c in part.columns], size)
            for part in plan.parts
        ]
        summary = proportions[plan.summary] if plan.summary is not None else None
        if design.summary_as_question:
            scored = [*part_values, *([summary] if summary is not None else [])]
            score = backend.nanmean(scored, size)
        else:
            if not plan.parts:
                individual = backend.nanmean([], size)
            elif design.pooled:
                cols = [c for part in plan.parts for c in part.columns]
                individual = backend.ratio(
                    backend.add([tallies[c][0] for c in cols]),
                    backend.add([tallies[c][1] for c in cols]),
                )
            else:
                individual = backend.nanmean(part_values, size)
            score = backend.combine(
                individual,
                summary if summary is not None else backend.nanmean([], size),
                design.weight,
            )
        scores.append(score)
        out[f"criterion {plan.id}"] = score
    for number, members in design.sections:
        out[f"section {number}"] = backend.nanmean([scores[i] for i in members], size)
    if design.pooled and design.thread:
        out["RoH thread"] = backend.ratio(
            backend.add([tallies[c][0] for c in design.thread]),
            backend.add([tallies[c][1] for c in design.thread]),
        )
    else:
        out["RoH thread"] = backend.nanmean([proportions[c] for c in design.thread], size)
    return out


def resample_weights(cases: int, resamples: int, seed: int) -> list[list[int]]:
    """Case multiplicities of each bootstrap resample: ``resamples`` rows of ``cases``
    counts summing to ``cases``, drawn with replacement by :class:`random.Random` (``seed``)."""
    rows = []
    for draws in _draws(cases, resamples, seed):
        row = [0] * cases
        for drawn in draws:
            row[drawn] += 1
        rows.append(row)
    return rows


def _draws(cases: int, resamples: int, seed: int) -> Iterator[list[int]]:
    """The cases drawn (with replacement) for each resample, one resample at a time."""
    rng = random.Random(seed)
    for _ in range(resamples):
        yield rng.choices(range(cases), k=cases)


def bootstrap_figures(
    card: Scorecard,
    weights: Sequence[Sequence[int]],
    *,
    cases: Sequence[str] | None = None,
    engine: Engine = "auto",
) -> dict[str, list[float]]:
    """Every figure of ``card`` recomputed on weighted copies of its sample.

    Each row of ``weights`` gives, per case (``cases``, by default the card's cases
    sorted), how many times it is in that copy; a case counts with all its answers.
    Figures are named as :func:`casework.compare.inspection_figures` names them
    (``"criterion 1.2"``, ``"section 1"``, ``"RoH thread"``, ``"question 1.2.p"``),
    each a list with one float per row (NaN where the figure has no relevant case).
    A row of ones gives the card's own figures.
    """
    order = tuple(sorted(card.cases)) if cases is None else tuple(cases)
    if any(len(row) != len(order) for row in weights):
        raise ValueError(f"each row of weights needs one count per case ({len(order)})")
    backend = _backend(engine)
    found = _evaluate(_design(card, order), weights, backend)
    return {name: backend.values(vector) for name, vector in found.items()}


# ---------------------------------------------------------------- intervals


def _canonical_order(*cards: Scorecard) -> tuple[str, ...]:
    """The cases in the order the draws are made in: by their answers, question by
    question, then by reference.

    Cases with the same answers everywhere are interchangeable, so the figures
    depend neither on the order of the file nor on the references themselves: a
    pseudonymised sample gives the same intervals as the original.
    """
    positions = ("above", "below", "unanswered", "not_applicable")
    signature: dict[str, list[int]] = {ref: [] for card in cards for ref in card.cases}
    for card in cards:
        for question in sorted(card.questions, key=lambda q: q.id):
            where = {
                ref: code for code, name in enumerate(positions) for ref in getattr(question, name)
            }
            for ref, codes in signature.items():
                codes.append(where.get(ref, len(positions)))
    return tuple(sorted(signature, key=lambda ref: (signature[ref], ref)))


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (type 7, numpy's default)."""
    h = (len(ordered) - 1) * q
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def _percentile_interval(values: Iterable[float], level: float) -> Interval | None:
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return None
    alpha = 1 - level
    return Interval(
        _quantile(ordered, alpha / 2), _quantile(ordered, 1 - alpha / 2), level, "bootstrap"
    )


def _band_chances(
    crit: CriterionScore, plan: _CriterionPlan, values: Sequence[float], threshold: float
) -> BandChances:
    counts = [0] * len(plan.keys)
    missing = 0
    for value in values:
        if math.isnan(value):
            missing += 1
            continue
        counts[bisect.bisect_right(plan.bounds, value)] += 1
    total = len(values)
    shares = [(key, count / total) for key, count in zip(plan.keys, counts, strict=True) if count]
    if missing:
        shares.append(("none", missing / total))
    return BandChances(crit.band.key if crit.band else None, tuple(shares), threshold)


def score_intervals(
    card: Scorecard, options: IntervalOptions | None = None, *, engine: Engine = "auto"
) -> ScoreIntervals:
    """Every interval of a scorecard and the band chances of its criteria.

    ``card.intervals`` gives the same, with the options the card was scored with.
    """
    chosen = options or IntervalOptions()
    backend = _backend(engine)
    if isinstance(backend, _Numpy) and isinstance(card.cases, SpilledRefs) and card.cases:
        design, values = _spilled_figures(card, chosen, backend.np)
    elif isinstance(backend, _Numpy) and card.cases:
        design, values = _compact_figures(card, chosen, backend.np)
    else:
        order = _canonical_order(card)
        weights = resample_weights(len(order), chosen.resamples, chosen.seed)
        design = _design(card, order)
        found = _evaluate(design, weights, backend, questions=False)
        values = {name: backend.values(vector) for name, vector in found.items()}
    questions = {
        q.id: interval
        for q in card.questions
        if (interval := wilson_interval(len(q.above), q.relevant, chosen.level)) is not None
    }
    criteria: dict[str, Interval] = {}
    bands: dict[str, BandChances] = {}
    for crit, plan in zip(card.criteria, design.criteria, strict=True):
        if crit.score is None:
            continue
        series = values[f"criterion {crit.id}"]
        interval = _percentile_interval(series, chosen.level)
        if interval is not None:
            criteria[crit.id] = interval
        bands[crit.id] = _band_chances(crit, plan, series, chosen.band_threshold)
    sections = {
        s.number: interval
        for s in card.sections
        if s.score is not None
        and (interval := _percentile_interval(values[f"section {s.number}"], chosen.level))
    }
    thread = None
    if card.roh_thread.score is not None:
        thread = _percentile_interval(values["RoH thread"], chosen.level)
    return ScoreIntervals(
        options=chosen,
        cases=len(card.cases),
        questions=questions,
        criteria=criteria,
        bands=bands,
        sections=sections,
        roh_thread=thread,
    )


def difference_intervals(
    before: Scorecard,
    after: Scorecard,
    options: IntervalOptions | None = None,
    *,
    engine: Engine = "auto",
) -> dict[str, Interval]:
    """Paired bootstrap intervals of ``after - before`` for every figure both cards have.

    Both scorecards are of the same cases (a rule change, :func:`casework.compare`):
    each resample draws the cases once and scores them under both, so the interval
    is of the change itself. An interval that leaves out 0 is a change beyond
    sampling noise at the chosen level. Named as
    :func:`casework.compare.inspection_figures` names figures.
    """
    chosen = options or IntervalOptions()
    order = _canonical_order(before, after)
    weights = resample_weights(len(order), chosen.resamples, chosen.seed)
    backend = _backend(engine)
    old = _evaluate(_design(before, order), weights, backend)
    new = _evaluate(_design(after, order), weights, backend)
    out: dict[str, Interval] = {}
    for name in old.keys() & new.keys():
        interval = _percentile_interval(
            backend.values(backend.subtract(new[name], old[name])), chosen.level
        )
        if interval is not None:
            out[name] = interval
    return dict(sorted(out.items()))
