"""The RoH and sentence plan review kernels (:mod:`casework.rules.standards.reviews`).

Each kernel is the columnar form of one body in ``reviews.py`` and reads it the
same way (docs/national-standards.md#reviews):

* a review is an OASys assessment with purpose ``review``, an *RoH review* dated by
  its earliest RoH part (or, with none, its completion: a re-score), a *sentence plan
  review* dated by its sentence plan; for a licence case a review triggered by
  (preparing for) release starts the licence's cycle and is left out of it
  (:func:`~casework.rules.standards.base.review_dates`);
* a first review (``NS07.roh-review-first``, ``-release``, ``-custody``) is the
  first review after the anchor, met when on or before the due date
  (:func:`~casework.rules.timing.deadline_check`);
* a periodic check (``NS07.roh-review-interval``, ``NS07/NS05.plan-review-interval``,
  ``NS05.roh-review-interval``) checks every interval from the anchor to the first
  review, between reviews and from the last to ``as_of``
  (:func:`~casework.rules.standards.base.periodic_check`): not met at the first late
  interval, cannot assess at the first one due after the record ends, else met at
  the latest on-time review, else not yet due;
* a review after events (``NS07/NS05.roh-review-event``) checks each significant
  event since sentence and answers as :func:`~casework.rules.units.combine` does.

Each answers once per case (none of these rules has :attr:`Rule.units`), with the
trigger, due and done dates of the scalar finding: the interval or event that
decided it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

import attrs
import numpy as np
import numpy.typing as npt

from casework.calendar import Duration
from casework.columnar.answers import Answers
from casework.columnar.columns import (
    _PURPOSE_CODE,
    LATEST,
    NO_DAY,
    CaseColumns,
    Days,
    Mask,
    Table,
    day_isos,
    from_day_number,
    from_day_numbers,
    raw_table,
    unique_days,
)
from casework.columnar.columns import day_number as _day
from casework.columnar.core import (
    BASES,
    BASIS_CODE,
    LATE_CODE,
    LATE_UNITS,
    OUTCOME_CODE,
    OUTCOMES,
    Answer,
    Explained,
    ExplainedText,
    Wording,
    add_duration,
    deadline,
    deadline_said,
    deadline_said_many,
    deadline_wording,
    register,
    register_many,
    register_text_many,
    verdict_said,
)
from casework.columnar.core import Answers as Answers_
from casework.columnar.group import first_by_keys
from casework.columnar.raw import code_of
from casework.model import AssessmentPurpose, RohLevel, SentenceKind
from casework.rules.engine import (
    IN_FORCE_BY,
    Basis,
    Context,
    Evidence,
    Outcome,
    Rule,
    Verdict,
    evidence_line,
    shown_source,
)
from casework.rules.parameters import MissingParameterError
from casework.rules.standards import reviews
from casework.rules.standards.base import (
    IN_FORCE_2005,
    IN_FORCE_2007,
    InForce,
    Interval,
    IntervalRow,
    periodic_late_reason,
    periodic_met_reason,
    periodic_verdict,
    periodic_window_reason,
    periodic_words,
)
from casework.rules.standards.base import Wording as Words
from casework.rules.timing import DeadlineSaid

__all__ = [
    "EventKernel",
    "FirstReviewKernel",
    "PeriodicKernel",
    "PreReleaseKernel",
    "ReviewKernel",
]

_MET = OUTCOME_CODE[Outcome.MET]
_NOT_MET = OUTCOME_CODE[Outcome.NOT_MET]
_NA = OUTCOME_CODE[Outcome.NOT_APPLICABLE]
_CANNOT = OUTCOME_CODE[Outcome.CANNOT_ASSESS]
_COMPUTED = BASIS_CODE[Basis.COMPUTED]
_NOT_YET_DUE = BASIS_CODE[Basis.NOT_YET_DUE]

Codes = npt.NDArray[np.int8]
Rows = npt.NDArray[np.intp]

# ---------------------------------------------------------------- tables

#: ``review_cases["kind"]`` codes.
COMMUNITY, CUSTODY, LICENCE = 1, 2, 3
_KIND = {
    SentenceKind.COMMUNITY_ORDER: COMMUNITY,
    SentenceKind.SUSPENDED_SENTENCE_ORDER: COMMUNITY,
    SentenceKind.CUSTODY: CUSTODY,
    SentenceKind.LICENCE: LICENCE,
}
_AT_START = frozenset({AssessmentPurpose.PSR, AssessmentPurpose.START})
_HIGH = RohLevel.HIGH.rank


_KIND_OF_CODE = np.zeros(len(SentenceKind), dtype=np.int8)
for _member, _code in _KIND.items():
    _KIND_OF_CODE[code_of(_member)] = _code
#: RoH level codes (raw columns) as ranks (low 0 ... very high 3).
_RANK_OF_CODE = np.asarray([level.rank for level in RohLevel], dtype=np.int8)


@raw_table("review_cases")
def _review_cases(columns: CaseColumns) -> Table:
    """Per case: sentence kind, commencement (``Sentence.start_date``: ``starts_on``, else
    the date of sentence), release and termination (day numbers)."""
    case = columns.raw["case"]
    starts: Days = case["sentence.starts_on"]
    ended = np.where(case["sentence.termination"], case["sentence.termination.on"], NO_DAY)
    return {
        "owner": np.arange(len(columns), dtype=np.intp),
        "kind": _KIND_OF_CODE[case["sentence.kind"]],
        "start_date": np.where(starts != NO_DAY, starts, case["sentence.sentenced_on"]),
        "released": case["sentence.released_on"],
        "ended": ended,
    }


@raw_table("roh_at_start")
def _roh_at_start(columns: CaseColumns) -> Table:
    """Per case: the rank of the RoH level the case started with, -1 when none is recorded
    (:func:`~casework.rules.population.roh_at_start`: the latest record on or before the
    start, else the earliest after it; the model allows one record per date)."""
    roh = columns.raw["roh"]
    owner: Rows = roh["owner"]
    on: Days = roh["on"]
    after = on > columns.start[owner]
    pick = first_by_keys(len(columns), owner, after, np.where(after, on, -on))
    rank = np.full(len(columns), -1, dtype=np.int8)
    found = pick >= 0
    rank[found] = _RANK_OF_CODE[roh["level"][pick[found]]]
    return {"owner": np.arange(len(columns), dtype=np.intp), "rank": rank}


@raw_table("full_analysis_done")
def _full_analysis_done(columns: CaseColumns) -> Table:
    """Per OASys assessment (in :class:`CaseColumns`' order): when its full analysis was
    completed, NO_DAY when not (an exemption does not count: ``part_completed_on``)."""
    assessments = columns.raw["assessments"]
    done = np.where(assessments["full_analysis"], assessments["full_analysis.completed_on"], NO_DAY)
    return {"owner": assessments["owner"].astype(np.intp, copy=False), "on": done}


_REVIEW = _PURPOSE_CODE[AssessmentPurpose.REVIEW]
_AT_START_CODES = [_PURPOSE_CODE[purpose] for purpose in _AT_START]


def _assessments(columns: CaseColumns) -> dict[str, Any]:
    """Per OASys assessment: its RoH date (:func:`~casework.rules.standards.base.roh_date`:
    the earliest RoH part, or a review's completion when it has none), its sentence plan
    date, and whether it is a review, done for release, done at the start. Worked out
    once per chunk."""
    key = (__name__, "assessments")
    found: dict[str, Any] | None = columns.memo.get(key)
    if found is not None:
        return found
    full: Days = _col(columns.table("full_analysis_done"), "on")
    earliest = np.full(full.size, LATEST, dtype=np.int64)
    for part in (columns.screening, full, columns.rmp):
        earliest = np.where((part != NO_DAY) & (part < earliest), part, earliest)
    review = columns.purpose == _REVIEW
    roh = np.where(earliest != LATEST, earliest, np.where(review, columns.assessment, NO_DAY))
    found = columns.memo[key] = {
        "owner": columns.owner,
        "roh": _frozen(roh),
        "plan": columns.sentence_plan,
        "review": _frozen(review),
        "release": columns.for_release,
        "at_start": _frozen(np.isin(columns.purpose, _AT_START_CODES)),
    }
    return found


@raw_table("significant_events")
def _significant_events(columns: CaseColumns) -> Table:
    """Per significant incident, change or acute risk factor: its day."""
    events = columns.raw["events"]
    return {"owner": events["owner"].astype(np.intp, copy=False), "on": events["on"]}


# ---------------------------------------------------------------- shared steps


def _col(found: Table | dict[str, Any], name: str) -> Any:
    """A table column, typed by the caller (day numbers, flags, rows or codes)."""
    return found[name]


def _reviews(
    columns: CaseColumns, date_of: Literal["roh", "plan"], *, cycle: bool, member: Mask
) -> tuple[Rows, Days]:
    """Distinct review days of the member cases by ``date_of``, sorted by case then day
    (:func:`~casework.rules.standards.base.review_dates`)."""
    owner, day = _all_reviews(columns, date_of, cycle=cycle)
    if owner.size:
        keep = member[owner]
        owner, day = owner[keep], day[keep]
    return owner, day


#: Day numbers shifted to be non-negative in the low 32 bits of a (case, day) sort key.
_SHIFT = np.int64(1) << np.int64(31)


def _all_reviews(
    columns: CaseColumns, date_of: Literal["roh", "plan"], *, cycle: bool
) -> tuple[Rows, Days]:
    """:func:`_reviews` of every case, worked out once per chunk (a case's reviews do not
    depend on which cases a rule asks about)."""
    key = (__name__, "reviews", date_of, cycle)
    found: tuple[Rows, Days] | None = columns.memo.get(key)
    if found is not None:
        return found
    assessed = _assessments(columns)
    owner: Rows = _col(assessed, "owner")
    day: Days = _col(assessed, date_of)
    keep = assessed["review"] & (day != NO_DAY)
    if cycle and owner.size:
        licence = columns.table("review_cases")["kind"] == LICENCE
        keep &= ~(licence[owner] & assessed["release"])
    owner, day = owner[keep], day[keep]
    # One sort on a (case, day) key; equal keys are equal entries, so no tie to keep.
    order = np.argsort((owner.astype(np.int64) << np.int64(32)) + (day + _SHIFT))
    owner, day = owner[order], day[order]
    distinct = np.ones(owner.size, dtype=bool)
    distinct[1:] = (owner[1:] != owner[:-1]) | (day[1:] != day[:-1])
    found = columns.memo[key] = (_frozen(owner[distinct]), _frozen(day[distinct]))
    return found


def _frozen(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``values``, read-only: shared by every kernel of the chunk."""
    values.flags.writeable = False
    return values


def _first_after(owner: Rows, day: Days, n: int, after: Days, *, inclusive: bool = False) -> Days:
    """Per case: the first of its (sorted) days after ``after`` (on or after with
    ``inclusive``), NO_DAY when none."""
    later = day >= after[owner] if inclusive else day > after[owner]
    out = np.full(n, LATEST, dtype=np.int64)
    np.minimum.at(out, owner[later], day[later])
    out[out == LATEST] = NO_DAY
    return out


def _first(owner: Rows, flag: Mask, n: int) -> Rows:
    """Per case: the index of its first entry with ``flag`` (entries in case order), -1 if none."""
    out = np.full(n, np.iinfo(np.intp).max, dtype=np.intp)
    index = np.flatnonzero(flag)
    np.minimum.at(out, owner[index], index)
    out[out == np.iinfo(np.intp).max] = -1
    return out


def _last(owner: Rows, flag: Mask, n: int) -> Rows:
    """Per case: the index of its last entry with ``flag``, -1 if none."""
    out = np.full(n, -1, dtype=np.intp)
    index = np.flatnonzero(flag)
    np.maximum.at(out, owner[index], index)
    return out


def _lasting(ended: Days, due: Days) -> Mask:
    """Not ended before ``due`` (:func:`~casework.rules.standards.base.lasting_until`)."""
    lasting: Mask = (ended == NO_DAY) | (due <= ended)
    return lasting


def _duration(ctx: Context, name: str) -> Duration | None:
    """The time limit ``name``, or ``None`` when the sources give it no value."""
    try:
        return ctx.param(name).duration
    except MissingParameterError:
        return None


# ---------------------------------------------------------------- first reviews


@attrs.frozen
class FirstReviewKernel:
    """Was RoH reviewed within ``limit`` of the anchor: the first review after it
    (``_first_review`` in reviews.py: NS07.roh-review-first, -release, -custody)."""

    population: Literal["community", "licence", "custodial"]
    anchor: Literal["start_date", "release", "sentence"]
    limit: str
    cycle: bool

    def __call__(self, columns: CaseColumns, ctx: Context) -> Answers:
        n = len(columns)
        answers = Answers(n)
        facts = columns.table("review_cases")
        kind = facts["kind"]
        if self.population == "community":
            member: Mask = kind == COMMUNITY
        elif self.population == "licence":
            member = kind == LICENCE
        else:
            member = (kind == CUSTODY) | (kind == LICENCE)
        duration = _duration(ctx, self.limit)
        if duration is None:
            answers.mark(member, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
            return answers
        anchor: Days = {
            "start_date": _col(facts, "start_date"),
            "release": columns.start,
            "sentence": columns.sentenced,
        }[self.anchor]
        rows = np.flatnonzero(member)
        due = add_duration(ctx.calendar, anchor[rows], duration)
        ended: Days = _col(facts, "ended")
        keep = _lasting(ended[rows], due)
        if self.population == "custodial":
            released: Days = _col(facts, "released")[rows]
            keep &= (released == NO_DAY) | (released > due)
        rows = rows[keep]
        member = np.zeros(n, dtype=bool)
        member[rows] = True
        owner, day = _reviews(columns, "roh", cycle=self.cycle, member=member)
        done = _first_after(owner, day, n, anchor)
        found = deadline(ctx, anchor[rows], done[rows], duration, columns.record_as_of[rows])
        answers.take(rows, found, np.arange(rows.size))
        wording = deadline_wording(
            ctx,
            self.limit,
            anchor_label=reviews.FIRST_REVIEW_ANCHORS[self.anchor],
            labels=reviews.ROH_REVIEW_LABELS,
            size=rows.size,
        )
        answers.wording = None if wording is None else wording.placed(rows)
        return answers


# ---------------------------------------------------------------- in preparation for release


@attrs.frozen
class PreReleaseKernel:
    """Was RoH reviewed in preparation for release: an RoH part of a release assessment
    completed on or before release (NS07.roh-review-pre-release)."""

    def __call__(self, columns: CaseColumns, ctx: Context) -> Answers:
        n = len(columns)
        answers = Answers(n)
        member = columns.table("review_cases")["kind"] == LICENCE
        released = columns.start
        found = _assessments(columns)
        owner: Rows = _col(found, "owner")
        roh: Days = _col(found, "roh")
        keep = found["release"] & (roh != NO_DAY)
        if owner.size:
            keep &= member[owner]
        owner, roh = owner[keep], roh[keep]
        before = roh <= released[owner]
        latest_before = np.full(n, NO_DAY, dtype=np.int64)
        np.maximum.at(latest_before, owner[before], roh[before])
        earliest = np.full(n, LATEST, dtype=np.int64)
        np.minimum.at(earliest, owner, roh)
        earliest[earliest == LATEST] = NO_DAY
        rows = np.flatnonzero(member)
        answers.outcome[rows] = _NOT_MET
        answers.basis[rows] = _COMPUTED
        answers.trigger[rows] = released[rows]
        answers.due[rows] = released[rows]
        ready = latest_before[rows] != NO_DAY
        answers.outcome[rows[ready]] = _MET
        done = np.where(ready, latest_before[rows], earliest[rows])
        answers.done[rows] = done
        known = np.minimum(_day(ctx.as_of), columns.record_as_of[rows])
        late = np.where(done != NO_DAY, done, known) - released[rows]
        late = np.where(ready | (late <= 0), -1, late)
        answers.late_by[rows] = late
        answers.late_unit[rows] = np.where(late > 0, LATE_CODE["days"], 0)
        answers.wording = Wording(_pre_release_said, rows, {}, {"anchor_label": "release"})
        return answers


def _pre_release_said(answer: Answer, *, anchor_label: str) -> Explained | None:
    """An ``NS07.roh-review-pre-release`` answer in words (the rule's own template)."""
    if answer.basis is not Basis.COMPUTED or answer.trigger is None:
        return None
    reason, evidence = reviews.pre_release_words(
        answer.outcome, released=answer.trigger, done=answer.done
    )
    return reason, evidence, anchor_label


# ---------------------------------------------------------------- after significant events


@attrs.frozen
class EventKernel:
    """Was RoH reviewed within ``roh_review_event_limit`` of every significant event since
    sentence (``reviews_after_events``: NS07.roh-review-event, and NS05's for high or very
    high RoH cases)."""

    high_roh: bool

    def __call__(self, columns: CaseColumns, ctx: Context) -> Answers:
        n = len(columns)
        answers = Answers(n)
        member = np.ones(n, dtype=bool)
        if self.high_roh:
            rank: Codes = _col(columns.table("roh_at_start"), "rank")
            answers.mark(rank < 0, Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
            member = rank >= _HIGH
        events = columns.table("significant_events")
        owner: Rows = _col(events, "owner")
        on: Days = _col(events, "on")
        since = on >= columns.sentenced[owner]
        owner, on = owner[since], on[since]
        has_event = np.zeros(n, dtype=bool)
        has_event[owner] = True
        member &= has_event
        duration = _duration(ctx, "roh_review_event_limit")
        if duration is None:
            answers.mark(member, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
            return answers
        keep = member[owner]
        owner, on = owner[keep], on[keep]
        order = np.lexsort((on, owner))
        owner, on = owner[order], on[order]
        by, day = _reviews(columns, "roh", cycle=False, member=member)
        # The first review on or after each event: search (case, day) keys.
        keys = (by.astype(np.int64) << np.int64(32)) + (day + _SHIFT)
        wanted = (owner.astype(np.int64) << np.int64(32)) + (on + _SHIFT)
        at = np.searchsorted(keys, wanted, side="left")
        inside = at < keys.size
        same = np.zeros(owner.size, dtype=bool)
        same[inside] = by[at[inside]] == owner[inside]
        done = np.full(owner.size, NO_DAY, dtype=np.int64)
        done[same] = day[at[same]]
        found = deadline(ctx, on, done, duration, columns.record_as_of[owner])
        # combine(): not met, else cannot assess, else met, else not yet due: the first
        # event with the case's outcome decides its dates.
        outcome = found["outcome"]
        pick = np.full(n, -1, dtype=np.intp)
        for code in (_NOT_MET, _CANNOT, _MET, _NA):
            first = _first(owner, outcome == code, n)
            fill = (pick < 0) & (first >= 0)
            pick[fill] = first[fill]
        rows = np.flatnonzero(pick >= 0)
        answers.take(rows, found, pick[rows])
        return answers


# ---------------------------------------------------------------- periodic checks


@attrs.frozen
class PeriodicKernel:
    """Was it done at least every ``limit`` from the anchor
    (:func:`~casework.rules.standards.base.periodic_check`)?

    ``anchor`` ``"after_first"``: the first RoH review after the start, or the date it
    was due (NS07.roh-review-interval); ``"cycle"``: the initial assessment's date by
    ``date_of`` if after the start, else the start (``_cycle_anchor``: the NS05 RoH
    review and both plan review rules).
    """

    limit: str
    date_of: Literal["roh", "plan"]
    anchor: Literal["after_first", "cycle"]
    window: InForce
    high_roh: bool = False

    def __call__(self, columns: CaseColumns, ctx: Context) -> Answers:
        n = len(columns)
        answers = Answers(n)
        facts = columns.table("review_cases")
        kind = facts["kind"]
        member: Mask = (kind == COMMUNITY) | (kind == LICENCE)
        if self.high_roh:
            rank: Codes = _col(columns.table("roh_at_start"), "rank")
            answers.mark(member & (rank < 0), Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
            member &= rank >= _HIGH
        duration = _duration(ctx, self.limit)
        if duration is None:
            answers.mark(member, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
            return answers
        owner, day = _reviews(columns, self.date_of, cycle=True, member=member)
        anchor, labels = self._anchor(columns, ctx, answers, member, owner=owner, day=day)
        rows = np.flatnonzero(member)
        ended: Days = _col(facts, "ended")
        first_due = add_duration(ctx.calendar, anchor[rows], duration)
        rows = rows[_lasting(ended[rows], first_due)]
        member = np.zeros(n, dtype=bool)
        member[rows] = True
        # Every interval starts at a point (the anchor, then each review after it) and
        # ends at the next point of the case; the last is open, to as_of.
        later = member[owner] & (day > anchor[owner])
        point_owner = np.concatenate([rows, owner[later]])
        point_day = np.concatenate([anchor[rows], day[later]])
        # Both parts are in case order and a case's reviews are after its anchor, in day
        # order: a stable sort by case alone puts each case's points in day order.
        order = np.argsort(point_owner, kind="stable")
        point_owner, point_day = point_owner[order], point_day[order]
        last = np.ones(point_owner.size, dtype=bool)
        last[:-1] = point_owner[1:] != point_owner[:-1]
        done = np.full(point_owner.size, NO_DAY, dtype=np.int64)
        done[:-1] = np.where(last[:-1], NO_DAY, point_day[1:])
        due = add_duration(ctx.calendar, point_day, duration)
        keep = ~last | _lasting(ended[point_owner], due)
        point_owner, point_day, done = point_owner[keep], point_day[keep], done[keep]
        found = deadline(ctx, point_day, done, duration, columns.record_as_of[point_owner])
        counted = self._counted(ctx, found)
        outcome = found["outcome"]
        pick = _first(point_owner, counted & (outcome == _NOT_MET), n)
        unknown = _first(point_owner, counted & (outcome == _CANNOT), n)
        on_time = _last(point_owner, counted & (outcome == _MET), n)
        pending = _last(point_owner, counted, n)
        for then in (unknown, on_time, pending):
            fill = (pick < 0) & (then >= 0)
            pick[fill] = then[fill]
        chosen = np.flatnonzero(pick >= 0)
        answers.take(chosen, found, pick[chosen])
        # Worded: the cases answered by an interval, and those whose every interval is
        # under another standard (not applicable, as periodic_verdict says).
        worded = np.unique(point_owner)
        # Each case's intervals, in order, from its first point.
        first = np.searchsorted(point_owner, worded, side="left")
        stop = np.searchsorted(point_owner, worded, side="right")
        parameter = ctx.param(self.limit)
        answers.wording = Wording(
            _periodic_said,
            worded,
            cast(
                dict[str, Sequence[Any]],
                {"first": first, "stop": stop, "first_label": labels[worded]},
            ),
            {
                "parts": {**found, "counted": counted},
                "limit": str(parameter.duration),
                "source": parameter.source,
                "words": reviews.ROH_REVIEWS if self.date_of == "roh" else reviews.PLAN_REVIEWS,
                "window": self.window,
                "by_due": ctx.option(IN_FORCE_BY, ctx.in_force_by) == "due",
            },
        )
        return answers

    def _anchor(
        self,
        columns: CaseColumns,
        ctx: Context,
        answers: Answers,
        member: Mask,
        *,
        owner: Rows,
        day: Days,
    ) -> tuple[Days, npt.NDArray[Any]]:
        """Per case: where the cycle starts, and that in words. A member whose anchor needs
        a parameter with no value is answered (cannot assess) and dropped from ``member``."""
        n = len(columns)
        start = columns.start
        if self.anchor == "after_first":
            anchor = _first_after(owner, day, n, start)
            labels = _AFTER_FIRST[(anchor == NO_DAY).astype(np.intp)]
            firsts = {
                True: _duration(ctx, "roh_review_release_limit"),
                False: _duration(ctx, "roh_review_first_limit"),
            }
            for released, first in firsts.items():
                none = member & (anchor == NO_DAY) & (columns.released == released)
                if first is None:
                    answers.mark(none, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
                    member &= ~none
                else:
                    rows = np.flatnonzero(none)
                    anchor[rows] = add_duration(ctx.calendar, start[rows], first)
            return anchor, labels
        assessed = _assessments(columns)
        by: Rows = _col(assessed, "owner")
        on: Days = _col(assessed, self.date_of)
        initial = np.where(columns.released[by], assessed["release"], assessed["at_start"])
        initial &= on != NO_DAY
        first_on = np.full(n, LATEST, dtype=np.int64)
        np.minimum.at(first_on, by[initial], on[initial])
        initial_first = (first_on != LATEST) & (first_on > start)
        chosen: Days = np.where(initial_first, first_on, start)
        initial = _INITIAL[self.date_of]
        code = np.where(initial_first, 2, columns.released.astype(np.intp))
        return chosen, np.asarray(["sentence", "release", initial], dtype=object)[code]

    def _counted(self, ctx: Context, found: dict[str, Any]) -> Mask:
        """Intervals under this standard: in force on the day the clock started (or, with
        ``in_force_by="due"``, fell due), where the rule set holds deadlines to it."""
        clock: Days = found["trigger"]
        if not ctx.by_clock:
            return np.ones(clock.size, dtype=bool)
        if ctx.option(IN_FORCE_BY, ctx.in_force_by) == "due":
            clock = found["due"]
        counted: Mask = clock >= _day(self.window["in_force_from"])
        end = self.window["in_force_to"]
        if end is not None:
            counted &= clock <= _day(end)
        return counted


#: The 2007 cycle's first clock in words: the first review, or the day it was due.
_AFTER_FIRST = np.asarray(
    ["the first RoH review", "the date the first RoH review was due"], dtype=object
)
#: The assessment that starts a cycle counted from the previous one, by what is reviewed.
_INITIAL = {"roh": "the initial RoH assessment", "plan": "the initial sentence plan"}
_DECIDED = frozenset({Basis.COMPUTED, Basis.NOT_YET_DUE, Basis.MISSING_DATA})
#: Bases a periodic check's answer is worded on: decided by an interval, or not applicable
#: with every interval under another standard.
_PERIODIC_BASES = _DECIDED | {Basis.OUT_OF_SCOPE}


def _periodic_said(
    answer: Answer,
    *,
    first: int,
    stop: int,
    first_label: str,
    parts: dict[str, Any],
    limit: str,
    source: str | None,
    words: Words,
    window: InForce,
    by_due: bool,
) -> Explained | None:
    """A periodic check's answer in words (:func:`~casework.rules.standards.base.
    periodic_verdict`): the case's intervals ``first`` to ``stop``, each counted one worded
    as its deadline (:func:`~casework.rules.timing.deadline_words`)."""
    if answer.basis not in _PERIODIC_BASES:
        return None
    every: list[Interval] = []
    checked: dict[int, Verdict] = {}
    for number, u in enumerate(range(int(first), int(stop)), start=1):
        label = first_label if number == 1 else words.previous_label
        unit = Answer.of_unit(parts, u, answer)
        if unit.trigger is None or unit.due is None:
            return None
        every.append(Interval(number, unit.trigger, label, unit.due, unit.done))
        if not parts["counted"][u]:
            continue
        said = deadline_said(
            unit,
            anchor_label=label,
            limit=limit,
            source=source,
            done_label=words.done_label,
            missing_label=words.missing_label,
        )
        if said is None:
            return None
        checked[number] = Verdict(
            unit.outcome, unit.basis, said[0], said[1], trigger=unit.trigger,
            trigger_label=label, due=unit.due, done=unit.done, late_by=unit.late_by,
            late_unit=unit.late_unit,
        )  # fmt: skip
    if not every:
        return None
    verdict = periodic_verdict(
        every, checked, limit=limit, source=source, words=words, anchor=every[0].start,
        anchor_label=first_label, ended=None, window=window, by_due=by_due,
    )  # fmt: skip
    return verdict_said(answer, verdict, verdict.trigger_label)


@attrs.frozen
class _PeriodicDeadlines:
    """What both bulk forms of a periodic check's words read: the answers asked (their
    positions, ``asked``) and every interval of each, in order (``owner``: its answer among
    those asked; ``offset``: its place in the answer's, from 0; ``unit``: its row in the
    parts), each interval's anchor label, and each counted interval's deadline in words
    (:func:`deadline_said_many`; :data:`_UNREAD` where :func:`periodic_words` does not read
    them; ``None`` for an interval not counted). ``unworded``: answers left to the scalar
    rule."""

    asked: Rows
    counts: Rows
    owner: Rows
    offset: Rows
    unit: Rows
    unworded: Mask
    labels: list[str]
    unit_labels: list[str]
    unit_said: list[Explained | None]


def _periodic_deadlines(
    answers: Answers_,
    *,
    first: Sequence[int],
    stop: Sequence[int],
    first_label: Sequence[str],
    parts: dict[str, Any],
    limit: str,
    source: str | None,
    words: Words,
    late_evidence: bool = True,
) -> _PeriodicDeadlines | None:
    """Every interval counted under the standard, of every answer asked, worded at once
    (:func:`~casework.columnar.core.deadline_said_many`, the deadline templates): only the
    deadlines :func:`periodic_words` reads, and only a late one's evidence (the only
    evidence it shows; none with ``late_evidence`` false). ``None``: no answer to word."""
    bases = np.asarray([BASIS_CODE[basis] for basis in _PERIODIC_BASES], dtype=np.int8)
    asked = np.flatnonzero(np.isin(answers.basis, bases))
    if not asked.size:
        return None
    starts = np.asarray(first, dtype=np.intp)[asked]
    counts = np.asarray(stop, dtype=np.intp)[asked] - starts
    # Every interval of every answer asked: its answer (``owner``), place and row in parts.
    owner = np.repeat(np.arange(asked.size, dtype=np.intp), counts)
    offset = np.arange(owner.size, dtype=np.intp) - np.repeat(np.cumsum(counts) - counts, counts)
    unit = starts[owner] + offset
    unworded = np.zeros(asked.size, dtype=bool)
    unworded[owner[(parts["trigger"][unit] == NO_DAY) | (parts["due"][unit] == NO_DAY)]] = True
    labels = [str(label) for label in first_label]
    unit_labels = [
        labels[k] if number == 0 else words.previous_label
        for k, number in zip(asked[owner].tolist(), offset.tolist(), strict=True)
    ]
    chosen = np.flatnonzero(np.asarray(parts["counted"], dtype=bool)[unit] & ~unworded[owner])
    picked = {name: parts[name][unit[chosen]] for name in _ANSWER_COLUMNS}
    # only the deadlines periodic_words reads are worded; the others' words are left blank
    read = periodic_reads(owner[chosen], picked["outcome"], picked["done"] != NO_DAY)
    worded = chosen[read]
    deadlines = deadline_said_many(
        Answers_(
            **{name: column[read] for name, column in picked.items()},
            as_of=answers.as_of,
            record_as_of=answers.record_as_of[asked[owner[worded]]],
        ),
        anchor_label=[unit_labels[j] for j in worded.tolist()],
        limit=limit,
        source=source,
        done_label=words.done_label,
        missing_label=words.missing_label,
        # only a late interval's evidence is shown (relabelled) by periodic_words
        evidence_of=(picked["outcome"][read] == OUTCOME_CODE[Outcome.NOT_MET]) & late_evidence,
    )
    unit_said: list[Explained | None] = [None] * owner.size
    for j in chosen[~read].tolist():
        unit_said[j] = _UNREAD
    for j, deadline_words in zip(worded.tolist(), deadlines, strict=True):
        unit_said[j] = deadline_words
        if deadline_words is None:
            unworded[owner[j]] = True
    return _PeriodicDeadlines(
        asked, counts, owner, offset, unit, unworded, labels, unit_labels, unit_said
    )


def _periodic_said_many(
    answers: Answers_,
    *,
    first: Sequence[int],
    stop: Sequence[int],
    first_label: Sequence[str],
    parts: dict[str, Any],
    limit: str,
    source: str | None,
    words: Words,
    window: InForce,
    by_due: bool,
) -> list[Explained | None]:
    """:func:`_periodic_said` of many answers: every interval's deadline worded at once
    (:func:`_periodic_deadlines`), each distinct day made a date once; then each answer's
    intervals put together by :func:`~casework.rules.standards.base.periodic_words`, the
    words of the rule's :func:`~casework.rules.standards.base.periodic_verdict`."""
    said: list[Explained | None] = [None] * len(answers)
    found = _periodic_deadlines(
        answers, first=first, stop=stop, first_label=first_label, parts=parts, limit=limit,
        source=source, words=words,
    )  # fmt: skip
    if found is None:
        return said
    asked, counts, unworded, labels = found.asked, found.counts, found.unworded, found.labels
    intervals = _intervals(
        parts, found.unit, (found.offset + 1).tolist(), found.unit_labels, found.unit_said
    )
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    for a, k in enumerate(asked.tolist()):
        if unworded[a] or not counts[a]:
            continue
        every = intervals[0][bounds[a] : bounds[a + 1]]
        checked = {
            verdict_of[0]: verdict_of[1]
            for verdict_of in intervals[1][bounds[a] : bounds[a + 1]]
            if verdict_of is not None
        }
        verdict = periodic_words(
            every, checked, limit=limit, source=source, words=words, anchor=every[0].start,
            anchor_label=labels[k], ended=None, window=window, by_due=by_due,
        )  # fmt: skip
        if (
            verdict.outcome is OUTCOMES[answers.outcome[k]]
            and verdict.basis is BASES[answers.basis[k]]
        ):
            deciding = verdict.deciding
            label = None if deciding is None else every[deciding - 1].start_label
            said[k] = (verdict.reason, verdict.evidence, label)
    return said


def _periodic_text_many(
    answers: Answers_,
    *,
    first: Sequence[int],
    stop: Sequence[int],
    first_label: Sequence[str],
    parts: dict[str, Any],
    limit: str,
    source: str | None,
    words: Words,
    window: InForce,
    by_due: bool,
) -> list[ExplainedText | None]:
    """:func:`_periodic_said_many` for writers of text: each answer's reason and trigger
    label, and its evidence as :func:`~casework.rules.engine.evidence_line` writes
    :func:`periodic_words`' items, made a column at a time with no item made. Which of
    :func:`periodic_words`' sentences an answer takes, and the interval that decides it, are
    found for all answers at once (:class:`_PeriodicBranches`); each sentence is the one
    :func:`periodic_words` makes (:func:`~casework.rules.standards.base.
    periodic_window_reason`, :func:`~casework.rules.standards.base.periodic_late_reason`, a
    deadline's own, :func:`~casework.rules.standards.base.periodic_met_reason`)."""
    said: list[ExplainedText | None] = [None] * len(answers)
    found = _periodic_deadlines(
        answers, first=first, stop=stop, first_label=first_label, parts=parts, limit=limit,
        source=source, words=words, late_evidence=False,
    )  # fmt: skip
    if found is None or not found.owner.size:
        return said
    asked, owner, n, unit_said = found.asked, found.owner, found.asked.size, found.unit_said
    chosen = _PeriodicBranches.of(found, parts, answers)
    lines, ends = _interval_lines(found, parts, chosen, source=source, words=words)
    time_limit = evidence_line([Evidence("time limit", limit, source)])
    bounds = np.concatenate([[0], np.cumsum(found.counts)]).tolist()
    late_at = np.flatnonzero(chosen.late)
    late_ends = np.searchsorted(owner[late_at], np.arange(n + 1)).tolist()
    reason_of = [None if words_of is None else words_of[0] for words_of in unit_said]
    # the late intervals' reasons in order, grouped by answer: each answer's is a slice
    late_reasons = [str(reason_of[i]) for i in late_at.tolist()]
    clock = parts["due" if by_due else "trigger"][found.unit]
    due, done = parts["due"][found.unit], parts["done"][found.unit]
    under_another = (found.counts - chosen.counted_of).tolist()
    for a in np.flatnonzero(chosen.fits).tolist():
        shown = "; ".join([time_limit, *lines[ends[a] : ends[a + 1]]])
        if under_another[a]:
            shown += f"; intervals under another standard: {under_another[a]}"
        kind, j = int(chosen.branch[a]), int(chosen.deciding[a])
        if kind == 0:
            reason = periodic_window_reason(
                words.noun, window, by_due, _date(clock[bounds[a]]), _date(clock[bounds[a + 1] - 1])
            )
        elif kind == 1:
            reason = periodic_late_reason(
                late_reasons[late_ends[a] : late_ends[a + 1]], int(chosen.counted_of[a])
            )
        elif kind in (2, 3):
            reason = str(reason_of[j])
        else:
            last = int(chosen.last_counted[a])
            reason = periodic_met_reason(
                words.noun, int(chosen.on_time_of[a]), str(reason_of[j]),
                _date(due[last]) if done[last] == NO_DAY else None,
            )  # fmt: skip
        said[int(asked[a])] = (reason, shown, None if j < 0 else found.unit_labels[j])
    return said


@attrs.frozen
class _PeriodicBranches:
    """Which of :func:`periodic_words`' sentences each answer asked takes (``branch``: 0
    every interval under another standard, 1 some late, 2 one that cannot be assessed, 3
    none done yet, 4 all done on time, in the order it tries them), the interval that
    decides it (``deciding``, -1 for none), and whether its outcome and basis are the
    kernel's (``fits``: those alone are worded); with the counts they read."""

    branch: Rows
    deciding: Rows
    fits: Mask
    counted: Mask
    late: Mask
    counted_of: Rows
    on_time_of: Rows
    last_counted: Rows

    @classmethod
    def of(
        cls, found: _PeriodicDeadlines, parts: dict[str, Any], answers: Answers_
    ) -> _PeriodicBranches:
        owner, unit, n = found.owner, found.unit, found.asked.size
        counted = np.asarray(parts["counted"], dtype=bool)[unit]
        outcome, basis = parts["outcome"][unit], parts["basis"][unit]
        late = counted & (outcome == _NOT_MET)
        on_time = counted & (parts["done"][unit] != NO_DAY)
        counted_of = np.bincount(owner[counted], minlength=n)
        late_of = np.bincount(owner[late], minlength=n)
        on_time_of = np.bincount(owner[on_time], minlength=n)
        unknown = _first(owner, counted & (outcome == OUTCOME_CODE[Outcome.CANNOT_ASSESS]), n)
        last_counted = _last(owner, counted, n)
        branch = np.select(
            [counted_of == 0, late_of > 0, unknown >= 0, on_time_of == 0], [0, 1, 2, 3], 4
        )
        deciding = np.select(
            [branch == 0, branch == 1, branch == 2, branch == 3],
            [np.full(n, -1), _first(owner, late, n), unknown, last_counted],
            _last(owner, on_time, n),
        )
        at = np.maximum(deciding, 0)
        outcomes = np.select(
            [branch == 0, branch == 1, branch == 4],
            [np.full(n, _NA), np.full(n, _NOT_MET), np.full(n, _MET)],
            outcome[at],
        )
        bases = np.select(
            [branch == 0, (branch == 1) | (branch == 4)],
            [np.full(n, BASIS_CODE[Basis.OUT_OF_SCOPE]), np.full(n, BASIS_CODE[Basis.COMPUTED])],
            basis[at],
        )
        fits = (outcomes == answers.outcome[found.asked]) & (bases == answers.basis[found.asked])
        fits &= ~found.unworded & (found.counts > 0)
        return cls(branch, deciding, fits, counted, late, counted_of, on_time_of, last_counted)


def _interval_lines(
    found: _PeriodicDeadlines,
    parts: dict[str, Any],
    chosen: _PeriodicBranches,
    *,
    source: str | None,
    words: Words,
) -> tuple[list[str], list[int]]:
    """Each counted interval of each answer worded (``chosen.fits``) as
    :func:`periodic_words` lists its evidence, in one line (its start, when it fell due,
    when it was done; a late one's lateness, as its deadline's evidence says it and
    :func:`periodic_words` relabels it: a late deadline always has its lateness, as
    :func:`deadline_said` leaves one without unworded, and its answer with it); and
    where each answer's lines end (the ``a``-th answer's are ``ends[a]`` to
    ``ends[a + 1]``)."""
    owner, unit = found.owner, found.unit
    listed = np.flatnonzero(chosen.counted & chosen.fits[owner])
    rows = unit[listed]
    picks = listed.tolist()
    starts, dues, dones = (
        day_isos(parts[name][rows].tolist()) for name in ("trigger", "due", "done")
    )
    numbers = (found.offset[listed] + 1).tolist()
    late = chosen.late[listed]
    late_by = np.where(late, parts["late_by"][rows], -1).tolist()
    late_unit = [LATE_UNITS[code] for code in parts["late_unit"][rows].tolist()]
    done_label = words.done_label.lower()
    source_shown = shown_source(source)
    lines = [
        f"interval {number}: {label}: {begun}; interval {number}: due by: {by}{source_shown}"
        + ("" if finished is None else f"; interval {number}: {done_label}: {finished}")
        + (
            ""
            if late_count < 0
            else f"; interval {number}: {late_as} "
            f"{'late' if finished is not None else 'overdue at as_of'}: {late_count}"
        )
        for number, label, begun, by, finished, late_count, late_as in zip(
            numbers,
            [found.unit_labels[j] for j in picks],
            starts,
            dues,
            dones,
            late_by,
            late_unit,
            strict=True,
        )
    ]
    ends = np.searchsorted(owner[listed], np.arange(found.asked.size + 1)).tolist()
    return lines, ends


def _date(day: int | np.integer[Any]) -> dt.date:
    found = from_day_number(int(day))
    assert found is not None  # (an interval's start and due are known)
    return found


_ANSWER_COLUMNS = ("outcome", "basis", "trigger", "due", "done", "late_by", "late_unit")
#: The words of a counted interval whose deadline :func:`periodic_words` does not read.
_UNREAD: Explained = ("", (), None)


def periodic_reads(owner: Rows, outcome: Codes, done: Mask) -> Mask:
    """Of the counted intervals of many answers of a periodic check (``owner``: each one's
    answer, nondecreasing; in order within an answer), those whose deadline in words
    :func:`~casework.rules.standards.base.periodic_words` reads: every late one where
    one is late; else the first that cannot be assessed; else the latest done; else the
    last. The words of the others are never read (tests/columnar/test_bulk_wording.py
    words them blank and compares)."""
    reads: Mask = outcome == OUTCOME_CODE[Outcome.NOT_MET]  # (every late one)
    if not owner.size:
        return reads
    answers = int(owner[-1]) + 1
    unknown = _first(owner, outcome == OUTCOME_CODE[Outcome.CANNOT_ASSESS], answers)
    latest_done = _last(owner, done, answers)
    last = _last(owner, np.ones(owner.size, dtype=bool), answers)
    late = np.bincount(owner[reads], minlength=answers) > 0
    one = np.where(unknown >= 0, unknown, np.where(latest_done >= 0, latest_done, last))
    reads[one[~late & (last >= 0)]] = True
    return reads


def _intervals(
    parts: dict[str, Any],
    unit: npt.NDArray[np.intp],
    numbers: list[int],
    labels: list[str],
    said: list[Explained | None],
) -> tuple[list[IntervalRow], list[tuple[int, DeadlineSaid] | None]]:
    """The interval (:class:`~casework.rules.standards.base.IntervalRow`) of each of these
    units of a periodic check (``numbers`` their places in their answer's, from 1,
    ``labels`` their anchors), and the deadline (by number) of each worded one (``said``)
    in words (:class:`DeadlineSaid`): as :func:`_periodic_said` makes them one by one, each
    distinct day made a date once."""
    distinct, inverse = unique_days(
        np.concatenate([parts["trigger"][unit], parts["due"][unit], parts["done"][unit]])
    )
    dates = from_day_numbers(distinct.tolist())
    starts, dues, dones = ([dates[pick] for pick in picks] for picks in inverse.reshape(3, -1))
    # (tuple.__new__ called by map: no Python frame per row, as IntervalRow(...) makes)
    rows = zip(numbers, starts, labels, dues, dones, strict=True)
    every: list[IntervalRow] = list(map(tuple.__new__, itertools.repeat(IntervalRow), rows))
    outcomes = parts["outcome"][unit].tolist()
    bases = parts["basis"][unit].tolist()
    unread: dict[tuple[int, int], DeadlineSaid] = {}  # (one per outcome and basis, shared)
    checked: list[tuple[int, DeadlineSaid] | None] = []
    for j, number in enumerate(numbers):
        words = said[j]
        if words is None:
            checked.append(None)
        elif words is _UNREAD:
            key = (outcomes[j], bases[j])
            blank = unread.get(key)
            if blank is None:
                blank = unread[key] = DeadlineSaid(OUTCOMES[key[0]], BASES[key[1]], "", ())
            checked.append((number, blank))
        else:
            deadline = DeadlineSaid(OUTCOMES[outcomes[j]], BASES[bases[j]], words[0], words[1])
            checked.append((number, deadline))
    return every, checked


register_many(_periodic_said, _periodic_said_many)
register_text_many(_periodic_said, _periodic_text_many)


# ---------------------------------------------------------------- registration


@attrs.frozen
class ReviewKernel:
    """A review kernel registered for its rule: its answers as the kernel's columns (the
    core holds them to the rule's in-force dates, as for every kernel)."""

    rule: Rule
    kernel: Callable[[CaseColumns, Context], Answers]

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        return self.kernel(columns, ctx).result()


def _register(rule: Rule, kernel: Callable[[CaseColumns, Context], Answers]) -> None:
    register(rule, ReviewKernel(rule, kernel))


_register(
    reviews.roh_review_first_2007,
    FirstReviewKernel("community", "start_date", "roh_review_first_limit", cycle=True),
)
_register(
    reviews.roh_review_release_2007,
    FirstReviewKernel("licence", "release", "roh_review_release_limit", cycle=True),
)
_register(
    reviews.roh_review_custody_2007,
    FirstReviewKernel("custodial", "sentence", "roh_review_custody_limit", cycle=False),
)
_register(reviews.roh_review_pre_release_2007, PreReleaseKernel())
_register(reviews.roh_review_event_2007, EventKernel(high_roh=False))
_register(reviews.roh_review_event_2005, EventKernel(high_roh=True))
_register(
    reviews.roh_review_interval_2007,
    PeriodicKernel("roh_review_interval_months", "roh", "after_first", IN_FORCE_2007),
)
_register(
    reviews.roh_review_interval_2005,
    PeriodicKernel("roh_review_interval_weeks", "roh", "cycle", IN_FORCE_2005, high_roh=True),
)
_register(
    reviews.plan_review_interval_2007,
    PeriodicKernel("plan_review_interval_months", "plan", "cycle", IN_FORCE_2007),
)
_register(
    reviews.plan_review_interval_2005,
    PeriodicKernel("plan_review_interval_weeks", "plan", "cycle", IN_FORCE_2005),
)
