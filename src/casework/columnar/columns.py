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

from casework.columnar.raw import NO_DAY, RawTables, raw_from_cases
from casework.model import AssessmentPurpose, Case, ReviewTrigger, Tier
from casework.rules.population import tier_at_start

__all__ = [
    "NO_DAY",
    "TABLES",
    "CaseColumns",
    "Days",
    "Mask",
    "Table",
    "day_number",
    "days",
    "from_day_number",
    "raw_table",
    "table",
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
_FOR_RELEASE_TRIGGERS = frozenset({ReviewTrigger.RELEASE, ReviewTrigger.PRE_RELEASE})


@attrs.frozen
class CaseColumns:
    """A chunk of cases as columns: one row per case, one per OASys assessment.

    Built once per chunk (:meth:`from_cases`) and shared by every kernel, so the
    facts of a case are read once however many rules ask about it.
    """

    cases: tuple[Case, ...] = attrs.field(repr=False)
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
        """Columns for a chunk of validated cases (one pass over each case).

        The pass only reads fields into lists; every derived column (latest part,
        release purpose, exemptions) is then worked out on whole arrays.
        """
        start, released, ppo, tier, record_as_of, sentenced = [], [], [], [], [], []
        counts: list[int] = []
        purpose: list[int] = []
        release_trigger: list[bool] = []
        screened_in: list[bool] = []
        assessment: list[dt.date | None] = []
        screening: list[dt.date | None] = []
        analysis: list[dt.date | None] = []
        exemption: list[dt.date | None] = []
        rmp: list[dt.date | None] = []
        plan: list[dt.date | None] = []
        purpose_code, release_triggers = _PURPOSE_CODE, _FOR_RELEASE_TRIGGERS
        for case in cases:
            kind, day = case.start_event
            start.append(day)
            released.append(kind == "release")
            ppo.append(case.is_ppo_on(day))
            found: Tier | None = tier_at_start(case)
            tier.append(0 if found is None else int(found))
            record_as_of.append(case.as_of)
            sentenced.append(case.sentence.sentenced_on)
            items = case.assessments
            counts.append(len(items))
            for item in items:
                purpose.append(purpose_code[item.purpose])
                release_trigger.append(item.trigger in release_triggers)
                assessment.append(item.completed_on)
                screen = item.screening
                if screen is None:
                    screening.append(None)
                    screened_in.append(False)
                else:
                    screening.append(screen.completed_on)
                    screened_in.append(
                        screen.completed_on is not None and screen.full_analysis_required is True
                    )
                full = item.full_analysis
                if full is None:
                    analysis.append(None)
                    exemption.append(None)
                else:
                    analysis.append(full.completed_on)
                    exemption.append(
                        full.exemption_countersigned_on
                        if full.completed_on is None and full.exempted
                        else None
                    )
                risk_plan, sentence_plan = item.rmp, item.sentence_plan
                rmp.append(None if risk_plan is None else risk_plan.completed_on)
                plan.append(None if sentence_plan is None else sentence_plan.completed_on)
        purposes = np.asarray(purpose, dtype=np.int8)
        parts = [ordinals(column) for column in (assessment, screening, analysis, rmp, plan)]
        exempted = ordinals(exemption)
        return cls(
            cases=tuple(cases),
            references=tuple(case.reference for case in cases),
            start=ordinals(start),
            released=np.asarray(released, dtype=bool),
            ppo_at_start=np.asarray(ppo, dtype=bool),
            tier_at_start=np.asarray(tier, dtype=np.int8),
            record_as_of=ordinals(record_as_of),
            sentenced=ordinals(sentenced),
            owner=np.repeat(np.arange(len(counts), dtype=np.intp), counts),
            purpose=purposes,
            for_release=(purposes == _PURPOSE_CODE[AssessmentPurpose.RELEASE])
            | (
                (purposes == _PURPOSE_CODE[AssessmentPurpose.REVIEW])
                & np.asarray(release_trigger, dtype=bool)
            ),
            # NO_DAY is below every day: the latest is NO_DAY when no part has a date.
            latest=np.maximum.reduce(parts) if parts[0].size else parts[0],
            assessment=parts[0],
            screening=parts[1],
            screened_in=np.asarray(screened_in, dtype=bool),
            full_analysis=np.where(exempted != NO_DAY, exempted, parts[2]),
            rmp=parts[3],
            sentence_plan=parts[4],
        )

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
