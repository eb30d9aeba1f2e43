"""What the National Standards rules share: their dates, populations, review dates, periodic checks.

Reviews (docs/national-standards.md#reviews): a review is an OASys assessment
with purpose ``review``. It is an **RoH review** when an RoH part (screening,
full analysis or risk management plan) was completed in it, dated by the
earliest of those parts; it is a **sentence plan review** when a sentence
plan was completed in it, dated by that plan. For a licence case a review
triggered by release or in preparation for it is the release assessment, the
start of the licence's cycle, not a review within it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, TypedDict

import attrs

from casework.model import (
    AssessmentPurpose,
    Case,
    OasysAssessment,
    OasysPart,
    ReviewTrigger,
    RohLevel,
    SentenceKind,
)
from casework.rules.engine import (
    IN_FORCE_BY,
    Basis,
    Context,
    Evidence,
    MissingFactError,
    Outcome,
    Population,
    Verdict,
    make_evidence,
    not_applicable,
)
from casework.rules.parameters import Parameter
from casework.rules.population import COMMUNITY_SENTENCE, LICENCE, roh_at_start
from casework.rules.timing import Decided, deadline_check
from casework.text import long_date

__all__ = [
    "CUSTODIAL",
    "HAS_SIGNIFICANT_EVENT",
    "IN_FORCE_2005",
    "IN_FORCE_2007",
    "NS2005_FROM",
    "NS2005_TO",
    "NS2007_FROM",
    "ORDERS_AND_LICENCES",
    "ROH_PARTS",
    "TARGETS_2007_FROM",
    "DateOf",
    "InForce",
    "Interval",
    "IntervalRow",
    "PeriodicSaid",
    "Spanned",
    "Wording",
    "ended_before",
    "is_release_assessment",
    "lasting_until",
    "periodic_check",
    "periodic_late_reason",
    "periodic_met_reason",
    "periodic_verdict",
    "periodic_window_reason",
    "periodic_words",
    "plan_date",
    "review_dates",
    "roh_at_least_on",
    "roh_date",
    "start_assessment_date",
    "supervision_ended",
]

NS2005_FROM = dt.date(2005, 4, 1)
#: Last day of the 2005 standards in this library (decision:ns-2007-commencement).
NS2005_TO = dt.date(2007, 9, 29)
#: Start of the 2007 standards in this library (decision:ns-2007-commencement).
NS2007_FROM = dt.date(2007, 9, 30)
#: Start of the 2007-08 national targets, which restated the OASys timescales (003:697-701).
TARGETS_2007_FROM = dt.date(2007, 4, 1)


class InForce(TypedDict):
    """The in-force dates of a rule, to unpack into :func:`~casework.rules.engine.rule`."""

    in_force_from: dt.date
    in_force_to: dt.date | None


#: ``rule(..., **IN_FORCE_2005)``: in force while the 2005 standards were.
IN_FORCE_2005 = InForce(in_force_from=NS2005_FROM, in_force_to=NS2005_TO)
#: ``rule(..., **IN_FORCE_2007)``: in force from the 2007 standards.
IN_FORCE_2007 = InForce(in_force_from=NS2007_FROM, in_force_to=None)

ROH_PARTS = (OasysPart.SCREENING, OasysPart.FULL_ANALYSIS, OasysPart.RMP)

DateOf = Callable[[OasysAssessment], dt.date | None]

# ---------------------------------------------------------------- populations

ORDERS_AND_LICENCES = (COMMUNITY_SENTENCE | LICENCE).named(
    "community orders, suspended sentence orders and licences"
)
CUSTODIAL = Population(
    "custodial sentences (in custody or released on licence)",
    lambda case, _ctx: case.sentence.kind in {SentenceKind.CUSTODY, SentenceKind.LICENCE},
)
HAS_SIGNIFICANT_EVENT = Population(
    "cases with a significant incident, change or acute risk factor since sentence",
    lambda case, _ctx: any(event.on >= case.sentence.sentenced_on for event in case.events),
)


def lasting_until(
    description: str,
    due: Callable[[Case, Context], dt.date],
    *,
    what: str,
    ended: Callable[[Case], dt.date | None] | None = None,
    ending: str = "Supervision ended",
) -> Population:
    """Cases that had not ended when ``due`` fell: the first review, visit or contact.

    A rule asking that something be done within a time of an event asks nothing of a
    case whose order or licence (``ended``, by default its recorded termination) ended
    before the first one fell due, whether or not it was done: such a case is outside
    the question's population (docs/decisions.md#review-cycle-2005). A case left out
    is told why: "{ending} on 15 January 2008, before {what} was due on 1 February 2008."
    """
    ended_on = supervision_ended if ended is None else ended

    def test(case: Case, ctx: Context) -> bool:
        end = ended_on(case)
        return end is None or due(case, ctx) <= end

    def detail(case: Case, ctx: Context) -> Verdict | None:
        end = ended_on(case)
        if end is None:
            return None
        due_on = due(case, ctx)
        return not_applicable(
            ended_before(ending, long_date(end), what, long_date(due_on)),
            Evidence("ended", end),
            Evidence("due by", due_on),
        )

    return Population(description, test, detail)


def ended_before(ending: str, end: str, what: str, due: str) -> str:
    """What puts a case outside a :func:`lasting_until` population, from its dates in words
    (the one wording, for one case and for a column of them)."""
    return f"{ending} on {end}, before {what} was due on {due}."


def roh_at_least_on(level: RohLevel, day: dt.date, case: Case) -> bool:
    """Whether the RoH level in force on ``day`` was ``level`` or higher.

    Where nothing is recorded by ``day`` the level the case started with is
    taken (docs/decisions.md#facts-at-start); none at all is a missing fact.
    """
    current = case.roh_level_on(day) or roh_at_start(case)
    if current is None:
        raise MissingFactError("no RoH level is recorded for the case")
    return current.at_least(level)


# ---------------------------------------------------------------- assessments


def roh_date(assessment: OasysAssessment) -> dt.date | None:
    """When RoH was assessed in an assessment: its earliest completed RoH part.

    A review that records only a re-score (the assessment completed, no RoH part dated)
    is an RoH review dated by its completion: 002:879 measures the 16-week RoH review
    (002:659) by OASys being "reviewed and re-scored" (docs/decisions.md#rescore-review).
    """
    days = [assessment.part_completed_on(part) for part in ROH_PARTS]
    known = [day for day in days if day is not None]
    if known:
        return min(known)
    if assessment.purpose is AssessmentPurpose.REVIEW:
        return assessment.completed_on
    return None


def plan_date(assessment: OasysAssessment) -> dt.date | None:
    """When the sentence plan was completed in an assessment."""
    return assessment.part_completed_on(OasysPart.SENTENCE_PLAN)


_RELEASE_TRIGGERS = frozenset({ReviewTrigger.RELEASE, ReviewTrigger.PRE_RELEASE})


def is_release_assessment(assessment: OasysAssessment) -> bool:
    """Done for a release: purpose ``release`` or a review triggered by (preparing for) release."""
    return assessment.purpose is AssessmentPurpose.RELEASE or (
        assessment.purpose is AssessmentPurpose.REVIEW and assessment.trigger in _RELEASE_TRIGGERS
    )


def _is_start_assessment(case: Case, assessment: OasysAssessment) -> bool:
    if case.start_event[0] == "release":
        return is_release_assessment(assessment)
    return assessment.purpose in {AssessmentPurpose.PSR, AssessmentPurpose.START}


def start_assessment_date(case: Case, date_of: DateOf) -> dt.date | None:
    """The earliest ``date_of`` among the assessments done for the sentence or release."""
    days = [date_of(a) for a in case.assessments if _is_start_assessment(case, a)]
    known = [day for day in days if day is not None]
    return min(known) if known else None


def review_dates(case: Case, date_of: DateOf, *, cycle: bool = True) -> list[dt.date]:
    """Distinct dates of the case's reviews by ``date_of`` (:func:`roh_date` or :func:`plan_date`).

    With ``cycle`` (for periodic reviews), a licence case's release assessments
    are left out: they start the licence's cycle rather than fall within it.
    """
    licence = case.sentence.kind is SentenceKind.LICENCE
    days = {
        date_of(assessment)
        for assessment in case.assessments
        if assessment.purpose is AssessmentPurpose.REVIEW
        and not (cycle and licence and is_release_assessment(assessment))
    }
    return sorted(day for day in days if day is not None)


def supervision_ended(case: Case) -> dt.date | None:
    """When the order or licence ended, if it has (its recorded termination)."""
    return case.sentence.termination.on if case.sentence.termination else None


# ---------------------------------------------------------------- periodic checks


@attrs.frozen
class Wording:
    """How a periodic check words its findings."""

    noun: str
    """What is counted, singular: "RoH review"."""
    done_label: str
    """How an interval's sentence opens when it was done: "RoH reviewed"."""
    missing_label: str
    """... and when it was not: "RoH not reviewed"."""
    previous_label: str
    """The anchor of every interval but the first: "the previous RoH review"."""


def _relabel(number: int, evidence: Iterable[Evidence]) -> list[Evidence]:
    prefix = f"interval {number}: "
    return [
        make_evidence((prefix + label, value, source))
        for label, value, source in evidence
        if label != "time limit"
    ]


@attrs.frozen
class Interval:
    """One interval of a periodic check: its number (from 1), when and by what its clock
    started, when it fell due, and the day it was done (``None``: the open one, to as_of)."""

    number: int
    start: dt.date
    start_label: str
    due: dt.date
    done: dt.date | None

    def late(self, as_of: dt.date) -> bool:
        return (self.done if self.done is not None else as_of) > self.due


class Spanned(Protocol):
    """What :func:`periodic_words` reads of an interval: an :class:`Interval`, or the same
    facts as a plain row (:class:`IntervalRow`)."""

    @property
    def number(self) -> int: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def start_label(self) -> str: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def done(self) -> dt.date | None: ...


class IntervalRow(NamedTuple):
    """An interval's facts as a plain row (kernels word many intervals at once)."""

    number: int
    start: dt.date
    start_label: str
    due: dt.date
    done: dt.date | None


def _counted(ctx: Context, interval: Interval, due: dt.date, window: InForce | None) -> bool:
    """Whether an interval falls under the rule's standard: in force on the day its clock
    started, or (option ``in_force_by="due"``) on the day it fell due."""
    if window is None or not ctx.by_clock:
        return True
    day = due if ctx.option(IN_FORCE_BY, ctx.in_force_by) == "due" else interval.start
    start, end = window["in_force_from"], window["in_force_to"]
    return start <= day and (end is None or day <= end)


def _outside_window(window: InForce) -> str:
    start, end = window["in_force_from"], window["in_force_to"]
    if end is None:
        return f"before {long_date(start)}, when this standard came into force"
    return f"after {long_date(end)}, the last day this standard was in force"


def _with_deadline(verdict: Verdict, source: Verdict) -> Verdict:
    """``verdict`` carrying ``source``'s deadline fields (the interval that decided it)."""
    return verdict.with_deadline(
        trigger=source.trigger,
        trigger_label=source.trigger_label,
        due=source.due,
        done=source.done,
        late_by=source.late_by,
        late_unit=source.late_unit,
    )


class PeriodicSaid(NamedTuple):
    """A periodic check's answer in words (:func:`periodic_words`)."""

    outcome: Outcome
    basis: Basis
    reason: str
    evidence: tuple[Evidence, ...]
    deciding: int | None
    """The number of the interval whose deadline fields the verdict carries, if one."""


def periodic_check(
    ctx: Context,
    *,
    anchor: dt.date,
    anchor_label: str,
    done: Sequence[dt.date],
    limit: str | Parameter,
    words: Wording,
    ended: dt.date | None = None,
    window: InForce | None = None,
) -> Verdict:
    """Was something done at least every ``limit``, counting from ``anchor``?

    Every interval is checked, not only the last: from the anchor to the first
    ``done`` date after it, from each to the next, and from the last to
    ``as_of`` (not yet due while its deadline has not passed). An interval
    whose deadline falls after ``ended`` (the order or licence ended) is not
    counted, nor (with ``window``, the rule's in-force dates) one whose clock
    started while another standard was in force (docs/decisions.md#straddling-cycle).
    Not met if any interval was late; met if at least one fell due and all were
    on time; cannot assess if one fell due after the record's own ``as_of``;
    otherwise not yet due.

    ``words`` says what is counted and how each interval's sentence opens.
    Each interval's facts are in the evidence, labelled "interval N: ...";
    the sentence names the late intervals, or else the latest on-time one. The
    verdict's deadline fields are those of the interval that decided it.
    """
    parameter = ctx.param(limit) if isinstance(limit, str) else limit
    duration = parameter.duration
    every: list[Interval] = []
    start, start_label = anchor, anchor_label
    for day in sorted({day for day in done if day > anchor}):
        due = ctx.calendar.add(start, duration)
        every.append(Interval(len(every) + 1, start, start_label, due, day))
        start, start_label = day, words.previous_label
    next_due = ctx.calendar.add(start, duration)
    if ended is None or next_due <= ended:
        every.append(Interval(len(every) + 1, start, start_label, next_due, None))
    intervals = [interval for interval in every if _counted(ctx, interval, interval.due, window)]
    checked = {
        interval.number: deadline_check(
            ctx,
            done=interval.done,
            anchor=interval.start,
            anchor_label=interval.start_label,
            limit=parameter,
            done_label=words.done_label,
            missing_label=words.missing_label,
        )
        for interval in intervals
    }
    return periodic_verdict(
        every,
        checked,
        limit=str(duration),
        source=parameter.source,
        words=words,
        anchor=anchor,
        anchor_label=anchor_label,
        ended=ended,
        window=window,
        by_due=ctx.option(IN_FORCE_BY, ctx.in_force_by) == "due",
    )


def periodic_verdict(
    every: Sequence[Interval],
    checked: Mapping[int, Verdict],
    *,
    limit: str,
    source: str | None,
    words: Wording,
    anchor: dt.date,
    anchor_label: str,
    ended: dt.date | None,
    window: InForce | None,
    by_due: bool,
) -> Verdict:
    """The answer of :func:`periodic_check` from plain values (the rules and their kernels'
    wording): ``every`` interval in order, ``checked`` the deadline verdict of each interval
    counted under the standard (by number, in order), ``limit`` the time limit in words
    and ``source`` its source; ``by_due``: intervals are held to the standard by the day
    they fell due (``in_force_by="due"``)."""
    said = periodic_words(
        every, checked, limit=limit, source=source, words=words, anchor=anchor,
        anchor_label=anchor_label, ended=ended, window=window, by_due=by_due,
    )  # fmt: skip
    verdict = Verdict(said.outcome, said.basis, said.reason, said.evidence)
    return verdict if said.deciding is None else _with_deadline(verdict, checked[said.deciding])


def periodic_words(
    every: Sequence[Spanned],
    checked: Mapping[int, Decided],
    *,
    limit: str,
    source: str | None,
    words: Wording,
    anchor: dt.date,
    anchor_label: str,
    ended: dt.date | None,
    window: InForce | None,
    by_due: bool,
) -> PeriodicSaid:
    """The words of :func:`periodic_verdict` (its one definition), from each counted
    interval's deadline words alone (:class:`~casework.rules.timing.DeadlineSaid`): the
    outcome, basis, reason and evidence, and the interval whose deadline fields the verdict
    carries (``None`` when not applicable).
    Kernels word many answers with it, no :class:`Verdict` made per interval."""
    intervals = [interval for interval in every if interval.number in checked]
    late = {n: v for n, v in checked.items() if v.outcome is Outcome.NOT_MET}
    unknown = {n: v for n, v in checked.items() if v.outcome is Outcome.CANNOT_ASSESS}
    evidence = [Evidence("time limit", limit, source)]
    done_label = words.done_label.lower()
    for interval in intervals:
        if interval.number in late:
            evidence.extend(_relabel(interval.number, late[interval.number].evidence))
            continue
        prefix = f"interval {interval.number}: "
        evidence.append(make_evidence((prefix + interval.start_label, interval.start, None)))
        evidence.append(make_evidence((prefix + "due by", interval.due, source)))
        if interval.done is not None:
            evidence.append(make_evidence((prefix + done_label, interval.done, None)))
    if not every:
        return PeriodicSaid(
            Outcome.NOT_APPLICABLE,
            Basis.OUT_OF_SCOPE,
            f"Not applicable: supervision ended on {long_date(ended or anchor)}, before "
            f"any {words.noun} fell due ({limit} after {anchor_label} on "
            f"{long_date(anchor)}).",
            tuple(evidence),
            None,
        )
    if not intervals:
        assert window is not None  # only the window leaves intervals out
        days = [i.due if by_due else i.start for i in every]
        return PeriodicSaid(
            Outcome.NOT_APPLICABLE,
            Basis.OUT_OF_SCOPE,
            periodic_window_reason(words.noun, window, by_due, days[0], days[-1]),
            (*evidence, Evidence("intervals under another standard", len(every))),
            None,
        )
    if len(intervals) < len(every):
        evidence.append(Evidence("intervals under another standard", len(every) - len(intervals)))
    if late:
        reason = periodic_late_reason([verdict.reason for verdict in late.values()], len(intervals))
        number = next(iter(late))
        return PeriodicSaid(Outcome.NOT_MET, Basis.COMPUTED, reason, tuple(evidence), number)
    if unknown:
        number, first = next(iter(unknown.items()))
        return PeriodicSaid(first.outcome, first.basis, first.reason, tuple(evidence), number)
    on_time = [interval for interval in intervals if interval.done is not None]
    if not on_time:
        number = intervals[-1].number
        pending = checked[number]
        return PeriodicSaid(pending.outcome, pending.basis, pending.reason, tuple(evidence), number)
    # Only the open interval (to as_of) has nothing done; it is the last, due at the next due.
    next_due = intervals[-1].due if intervals[-1].done is None else None
    number = on_time[-1].number
    return PeriodicSaid(
        Outcome.MET,
        Basis.COMPUTED,
        periodic_met_reason(words.noun, len(on_time), checked[number].reason, next_due),
        tuple(evidence),
        number,
    )


def periodic_window_reason(
    noun: str, window: InForce, by_due: bool, first: dt.date, last: dt.date
) -> str:
    """Why a periodic check is not applicable when every interval is under another standard:
    ``first`` and ``last`` are the first and last interval's clock start (or, ``by_due``, the
    day it fell due)."""
    what = "fell due" if by_due else "clock started"
    return (
        f"Not applicable: every {noun} interval's {what} {_outside_window(window)} (the first "
        f"on {long_date(first)}, the last on {long_date(last)}); no deadline is set under a "
        "standard not in force."
    )


def periodic_late_reason(late: Sequence[str], counted: int) -> str:
    """A periodic check not met: the reasons of its ``late`` intervals' deadlines, in order,
    of ``counted`` intervals under the standard."""
    lead = (
        f"{len(late)} of {counted} intervals {'was' if len(late) == 1 else 'were'} late. "
        if counted > 1
        else ""
    )
    return lead + " ".join(late)


def periodic_met_reason(noun: str, on_time: int, latest: str, next_due: dt.date | None) -> str:
    """A periodic check met: ``on_time`` intervals done, ``latest`` the reason of the latest
    one's deadline, ``next_due`` when the open interval falls due (``None``: none open)."""
    lead = f"{on_time} {noun}s, all on time. The latest: " if on_time > 1 else ""
    pending = "" if next_due is None else f" The next is due by {long_date(next_due)}."
    return f"{lead}{latest}{pending}"
