"""A chunk of cases as columns: the facts every kernel reads, read once per chunk.

:class:`CaseColumns` has one row per case and one per OASys assessment as fixed
columns; other entities (reviews, breaches, contacts, ...) are *tables* built on
first use by a builder registered with :func:`table` and shared by every kernel of
the chunk. Dates are day numbers (days since 1970-01-01), :data:`NO_DAY` where
there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from casework.columnar.raw import NO_DAY, RawTable, RawTables, code_of, codes_of, raw_from_cases
from casework.model import AssessmentPurpose, Case, ReviewTrigger, SentenceKind, Tier
from casework.text import long_date

__all__ = [
    "NO_DAY",
    "TABLES",
    "CaseColumns",
    "Days",
    "Mask",
    "Table",
    "day_isos",
    "day_number",
    "day_words",
    "days",
    "from_day_number",
    "from_day_numbers",
    "raw_table",
    "table",
    "unique_days",
]

Days = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Table = dict[str, npt.NDArray[np.generic]]
"""An entity table: equal-length columns by name, one of them ``owner``, the row of
the case each entity belongs to."""

LATEST = np.iinfo(np.int64).max
_EPOCH = dt.date(1970, 1, 1).toordinal()


def day_number(day: dt.date | None) -> int:
    """A date as a day number (days since 1970-01-01); :data:`NO_DAY` for ``None``."""
    return NO_DAY if day is None else day.toordinal() - _EPOCH


def from_day_number(number: int) -> dt.date | None:
    """The date of a day number; ``None`` for :data:`NO_DAY`."""
    return None if number == NO_DAY else dt.date.fromordinal(int(number) + _EPOCH)


#: Each day's date and :func:`~casework.text.long_date` words, by day number, made once per
#: process (both are fixed by the day). Emptied when it holds :data:`_MEMO_DAYS` days: the
#: dates of case files span decades (some 10,000 days), not the calendar's millennia.
_DATES: dict[int, dt.date | None] = {NO_DAY: None}
_WORDS: dict[int, str] = {NO_DAY: ""}
_ISOS: dict[int, str | None] = {NO_DAY: None}
_MEMO_DAYS = 1 << 16


def from_day_numbers(numbers: list[int]) -> list[dt.date | None]:
    """:func:`from_day_number` of each day number (``None`` for :data:`NO_DAY`)."""
    try:
        return list(map(_DATES.__getitem__, numbers))
    except KeyError:
        _remember(_DATES, numbers, from_day_number)
        return list(map(_DATES.__getitem__, numbers))


def day_words(numbers: list[int]) -> list[str]:
    """:func:`~casework.text.long_date` of the date of each day number (``""`` for
    :data:`NO_DAY`): ``31 December 2007``."""
    try:
        return list(map(_WORDS.__getitem__, numbers))
    except KeyError:
        _remember(_WORDS, numbers, _long_date)
        return list(map(_WORDS.__getitem__, numbers))


def day_isos(numbers: list[int]) -> list[str | None]:
    """The ISO form of the date of each day number (``None`` for :data:`NO_DAY`):
    ``2007-12-31``, as evidence shows a date."""
    try:
        return list(map(_ISOS.__getitem__, numbers))
    except KeyError:
        _remember(_ISOS, numbers, _iso)
        return list(map(_ISOS.__getitem__, numbers))


def _iso(number: int) -> str | None:
    day = from_day_number(number)
    return None if day is None else day.isoformat()


def _long_date(number: int) -> str:
    day = from_day_number(number)
    return "" if day is None else long_date(day)


def _remember(memo: dict[int, Any], numbers: list[int], make: Callable[[int], Any]) -> None:
    new = {number for number in numbers if number not in memo}
    if len(memo) + len(new) > _MEMO_DAYS:
        memo.clear()
        memo[NO_DAY] = make(NO_DAY)
    for number in new:
        memo[number] = make(number)


def unique_days(numbers: Days) -> tuple[Days, npt.NDArray[np.intp]]:
    """``np.unique(numbers, return_inverse=True)`` of day numbers, flattened: the distinct
    days in order (:data:`NO_DAY`, the least, first) and each number's index among them.

    Found by marking a table over the span of the days, not by sorting: dates in a case
    file span a few thousand days, and a chunk's findings hold a hundred thousand of
    them (a wide span is sorted, as ``np.unique`` does)."""
    flat = np.asarray(numbers, dtype=np.int64).reshape(-1)
    missing = flat == NO_DAY
    none = bool(missing.any())
    real = flat[~missing] if none else flat
    if not real.size:
        return np.unique(flat, return_inverse=True)
    low = int(real.min())
    span = int(real.max()) - low + 1
    if span > max(4 * flat.size, 1 << 16):
        distinct, inverse = np.unique(flat, return_inverse=True)
        return distinct, inverse.reshape(-1)
    present = np.zeros(span, dtype=bool)
    present[real - low] = True
    rank = np.cumsum(present, dtype=np.intp) - (0 if none else 1)
    distinct = np.flatnonzero(present).astype(np.int64) + low
    if not none:
        return distinct, rank[real - low]
    inverse = np.zeros(flat.size, dtype=np.intp)
    inverse[~missing] = rank[real - low]
    return np.concatenate([np.asarray([NO_DAY], dtype=np.int64), distinct]), inverse


def days(values: Sequence[int]) -> Days:
    """Day numbers as a column."""
    return np.asarray(values, dtype=np.int64)


def ordinals(values: Sequence[dt.date | None]) -> Days:
    """Dates (``None`` for none) as a day-number column."""
    epoch, none = _EPOCH, NO_DAY
    return np.fromiter(
        (none if day is None else day.toordinal() - epoch for day in values),
        dtype=np.int64,
        count=len(values),
    )


Builder = Callable[[Sequence[Case]], Table]
"""Builds one entity table from a chunk's cases."""
RawBuilder = Callable[["CaseColumns"], Table]
"""Builds one entity table from a chunk's raw tables (:attr:`CaseColumns.raw`) and
columns, with array operations only."""

#: Builders of entity tables by name (:func:`table`, :func:`raw_table`).
TABLES: dict[str, Builder | RawBuilder] = {}
_FROM_RAW: set[str] = set()


def table(name: str) -> Callable[[Builder], Builder]:
    """Register the builder of the entity table ``name`` (one pass over a chunk's cases)."""

    def register(build: Builder) -> Builder:
        if name in TABLES:
            raise ValueError(f"a columnar table named {name!r} is already registered")
        TABLES[name] = build
        return build

    return register


def raw_table(name: str) -> Callable[[RawBuilder], RawBuilder]:
    """Register the builder of the entity table ``name`` from the chunk's raw tables
    (``columns.raw``, :mod:`casework.columnar.raw`) and other tables of the chunk."""

    def register(build: RawBuilder) -> RawBuilder:
        if name in TABLES:
            raise ValueError(f"a columnar table named {name!r} is already registered")
        TABLES[name] = build
        _FROM_RAW.add(name)
        return build

    return register


_RAW = ("casework.columnar.raw",)
"""The memo key of a chunk's raw tables."""
_PURPOSES = tuple(AssessmentPurpose)
_PURPOSE_CODE = {purpose: code for code, purpose in enumerate(_PURPOSES)}
_FOR_RELEASE_TRIGGERS = (ReviewTrigger.RELEASE, ReviewTrigger.PRE_RELEASE)
#: A tier's value (1-4) by its code in a raw column.
_TIER_VALUES = np.asarray([int(tier) for tier in Tier], dtype=np.int8)


def _ppo_on(ppo: RawTable, day: Days) -> Mask:
    """Per case: whether a PPO period contains ``day`` (``Offender.is_ppo_on``)."""
    owner = ppo["owner"]
    on = day[owner]
    end = ppo["end"]
    inside = (ppo["start"] <= on) & ((end == NO_DAY) | (on <= end))
    out = np.zeros(len(day), dtype=bool)
    out[owner[inside]] = True
    return out


def _tier_at_start(tiers: RawTable, start: Days) -> npt.NDArray[np.int8]:
    """Per case: the tier it started with (``casework.rules.population.tier_at_start``), 0
    when none: the latest record on or before the start, else the first after it; of
    records on one day, the first listed."""
    out = np.zeros(len(start), dtype=np.int8)
    owner = tiers["owner"]
    if not owner.size:
        return out
    on = tiers["on"]
    after = on > start[owner]
    # Before the start: latest first; after it: earliest first; ties in list order.
    order = np.lexsort((tiers["position"], np.where(after, on, -on), after, owner))
    first = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
    out[owner[first]] = _TIER_VALUES[tiers["tier"][first]]
    return out


@attrs.frozen
class CaseColumns:
    """A chunk of cases as columns: one row per case, one per OASys assessment.

    Built once per chunk (:meth:`from_cases`) and shared by every kernel, so the
    facts of a case are read once however many rules ask about it.
    """

    cases: Sequence[Case] = attrs.field(repr=False)
    """The chunk's cases; from a reader, built one by one only when indexed
    (:class:`casework.columnar.reader.LazyCases`): never iterate them in a kernel."""
    references: tuple[str, ...] = attrs.field(repr=False)
    start: Days = attrs.field(repr=False)
    """Day number of the event that starts the clock: release for licences, else sentence."""
    released: Mask = attrs.field(repr=False)
    """Whether the clock starts at release (a licence case)."""
    ppo_at_start: Mask = attrs.field(repr=False)
    tier_at_start: npt.NDArray[np.int8] = attrs.field(repr=False)
    """Tier at the start (1-4), 0 when no tier is recorded."""
    record_as_of: Days = attrs.field(repr=False)
    sentenced: Days = attrs.field(repr=False)
    # One row per assessment:
    owner: npt.NDArray[np.intp] = attrs.field(repr=False)
    """The row of the case each assessment belongs to."""
    purpose: npt.NDArray[np.int8] = attrs.field(repr=False)
    for_release: Mask = attrs.field(repr=False)
    """Purpose ``release``, or a review triggered by release or pre-release."""
    latest: Days = attrs.field(repr=False)
    """The latest completion date of any part (:attr:`OasysAssessment.latest_date`)."""
    assessment: Days = attrs.field(repr=False)
    screening: Days = attrs.field(repr=False)
    screened_in: Mask = attrs.field(repr=False)
    """The screening (if completed) called for a full analysis."""
    full_analysis: Days = attrs.field(repr=False)
    """Completion of the full analysis, or the countersigned exemption standing in for it."""
    rmp: Days = attrs.field(repr=False)
    sentence_plan: Days = attrs.field(repr=False)
    _tables: dict[str, Table] = attrs.field(factory=dict, repr=False, eq=False, alias="_tables")
    memo: dict[Hashable, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """Answers kernels share within the chunk (populations, lookups), by key."""

    def __len__(self) -> int:
        return len(self.cases)

    def table(self, name: str) -> Table:
        """The entity table ``name`` of this chunk (built on first use by the builder
        registered with :func:`table`, then kept for every other kernel)."""
        found = self._tables.get(name)
        if found is None:
            try:
                build = TABLES[name]
            except KeyError:
                raise KeyError(f"no columnar table named {name!r}") from None
            if name in _FROM_RAW:
                found = self._tables[name] = build(self)  # type: ignore[arg-type]
            else:
                found = self._tables[name] = build(self.cases)  # type: ignore[arg-type]
        return found

    @property
    def raw(self) -> RawTables:
        """The chunk's raw tables (:mod:`casework.columnar.raw`), read once."""
        found = self.memo.get(_RAW)
        if found is None:
            found = self.memo[_RAW] = raw_from_cases(self.cases)
        return found

    @classmethod
    def from_cases(cls, cases: Sequence[Case]) -> CaseColumns:
        """Columns for a chunk of validated cases: their raw tables through the generated
        writer (:func:`casework.columnar.rawread.raw_from_records`), then :meth:`from_raw`."""
        from casework.columnar.rawread import raw_from_records  # noqa: PLC0415

        kept = cases if isinstance(cases, tuple) else tuple(cases)
        return cls.from_raw(raw_from_records(kept), kept)

    @classmethod
    def from_raw(cls, raw: RawTables, cases: Sequence[Case]) -> CaseColumns:
        """Columns for a chunk from its raw tables (:mod:`casework.columnar.raw`), with
        array operations only; ``cases`` are the chunk's cases, row for row (a lazy
        sequence from a reader: it is not read here).

        Each column re-derives a fact of the model (``Case.start_event``,
        ``Case.is_ppo_on``, ``tier_at_start``, ``OasysAssessment.latest_date``, ...);
        tests/columnar/test_from_raw.py proves them equal to the model's.
        """
        case = raw["case"]
        kind = case["sentence.kind"]
        released_on = case["sentence.released_on"]
        sentenced = case["sentence.sentenced_on"]
        starts_on = case["sentence.starts_on"]
        # Case.start_event: release for a licence case with a release date, else the
        # sentence's start (Sentence.start_date: starts_on, or the date of sentence).
        released = (kind == code_of(SentenceKind.LICENCE)) & (released_on != NO_DAY)
        start = np.where(released, released_on, np.where(starts_on != NO_DAY, starts_on, sentenced))
        items = raw["assessments"]
        purposes = items["purpose"].astype(np.int8)
        # Parts of an absent model hold NO_DAY (raw tables), as the model's None.
        screening = items["screening.completed_on"]
        analysis = items["full_analysis.completed_on"]
        exempted = np.where(
            (analysis == NO_DAY) & items["full_analysis.exempted"],
            items["full_analysis.exemption_countersigned_on"],
            NO_DAY,
        )
        parts = [
            items["completed_on"],
            screening,
            analysis,
            items["rmp.completed_on"],
            items["sentence_plan.completed_on"],
        ]
        trigger = items["trigger"]
        release_trigger = np.isin(trigger, codes_of(*_FOR_RELEASE_TRIGGERS))
        columns = cls(
            cases=cases,
            references=tuple(case["reference"].tolist()),
            start=start.astype(np.int64),
            released=released,
            ppo_at_start=_ppo_on(raw["offender.ppo"], start),
            tier_at_start=_tier_at_start(raw["tiers"], start),
            record_as_of=case["as_of"],
            sentenced=sentenced,
            owner=items["owner"].astype(np.intp),
            purpose=purposes,
            for_release=(purposes == _PURPOSE_CODE[AssessmentPurpose.RELEASE])
            | ((purposes == _PURPOSE_CODE[AssessmentPurpose.REVIEW]) & release_trigger),
            # NO_DAY is below every day: the latest is NO_DAY when no part has a date.
            latest=np.maximum.reduce(parts),
            assessment=parts[0],
            screening=screening,
            screened_in=(screening != NO_DAY) & items["screening.full_analysis_required"],
            full_analysis=np.where(exempted != NO_DAY, exempted, analysis),
            rmp=parts[3],
            sentence_plan=parts[4],
        )
        columns.memo[_RAW] = raw
        return columns

    # ------------------------------------------------------------ OASys completion

    def candidates(self) -> Mask:
        """Assessments that count towards the start's OASys (``casework.rules.oasys``)."""
        start = self.start[self.owner]
        after_start = (self.latest != NO_DAY) & (self.latest >= start)
        by_release = self.for_release | after_start
        at_start = (self.purpose == _PURPOSE_CODE[AssessmentPurpose.PSR]) | (
            self.purpose == _PURPOSE_CODE[AssessmentPurpose.START]
        )
        by_sentence = at_start | (
            after_start & (self.purpose != _PURPOSE_CODE[AssessmentPurpose.TERMINATION])
        )
        chosen: Mask = np.where(self.released[self.owner], by_release, by_sentence)
        return chosen

    def earliest(self, part: Days, chosen: Mask) -> Days:
        """Per case: the earliest day of ``part`` among the chosen assessments, or NO_DAY."""
        out = np.full(len(self), LATEST, dtype=np.int64)
        keep = chosen & (part != NO_DAY)
        np.minimum.at(out, self.owner[keep], part[keep])
        out[out == LATEST] = NO_DAY
        return out

    def any_of(self, flag: Mask, chosen: Mask) -> Mask:
        """Per case: whether any chosen assessment has ``flag``."""
        out = np.zeros(len(self), dtype=bool)
        out[self.owner[chosen & flag]] = True
        return out
