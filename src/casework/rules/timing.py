"""Deadline checks that explain themselves.

:func:`deadline_check` is the one place that turns (trigger, time limit, date
done, as_of) into met / not met / not yet due, and writes the sentence:

    "Completed on 31 December 2007, 2 working days after it was due on
    27 December 2007 (5 working days after sentence on 18 December 2007)."
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple, Protocol

import attrs

from casework.calendar import Duration, TimeUnit
from casework.rules.engine import Basis, Context, Evidence, Outcome, Verdict, make_evidence
from casework.rules.parameters import Parameter
from casework.text import long_date, plural

__all__ = [
    "DEADLINE_SENTENCES",
    "DEADLINE_TERMS",
    "DeadlineLabels",
    "DeadlineSaid",
    "Decided",
    "as_deadline",
    "beyond_record",
    "deadline_branch",
    "deadline_check",
    "deadline_evidence",
    "deadline_limit_evidence",
    "deadline_words",
    "known_until",
    "late_words",
    "lateness",
    "record_ends",
    "record_ends_words",
]


@attrs.frozen
class DeadlineLabels:
    """How a deadline's sentence opens, done or not ("Completed" / "Not completed"): given
    to :func:`deadline_check` by a rule and to :func:`deadline_words` by its kernel's
    wording, so both say the same."""

    done_label: str = "Completed"
    missing_label: str = "Not completed"

    def words(self) -> dict[str, str]:
        """As keywords of :func:`deadline_check` and :func:`deadline_words`."""
        return {"done_label": self.done_label, "missing_label": self.missing_label}


def lateness(ctx: Context, due: dt.date, done: dt.date, unit: TimeUnit) -> tuple[int, str, str]:
    """How late ``done`` is after ``due``: the count, its wording, and its unit.

    Working-day limits are late by working days; other limits by calendar days.
    Work done on a weekend or bank holiday straight after a working-day deadline
    is late by calendar days (no working day has passed, yet it is late).
    """
    if unit is TimeUnit.WORKING_DAYS:
        count = ctx.calendar.working_days_between(due, done)
        if count > 0 or done <= due:
            return count, plural(count, "working day"), "working days"
        # Done late but on a weekend or bank holiday straight after the due date:
        # no working day has passed, so say how many calendar days late it was.
    count = (done - due).days
    return count, plural(count, "day"), "days"


def as_deadline(
    verdict: Verdict,
    *,
    trigger: dt.date,
    trigger_label: str,
    due: dt.date,
    done: dt.date | None,
    days_late: int | None = None,
) -> Verdict:
    """``verdict`` with its deadline as data, for checks that do not use :func:`deadline_check`.

    ``days_late`` is in calendar days ("days").
    """
    late = days_late if days_late is not None and days_late > 0 else None
    return verdict.with_deadline(
        trigger=trigger,
        trigger_label=trigger_label,
        due=due,
        done=done,
        late_by=late,
        late_unit="days" if late is not None else None,
    )


def known_until(ctx: Context) -> dt.date:
    """The last day the facts are known for: ``as_of``, or the record's own ``as_of`` if earlier."""
    record = ctx.record_as_of
    return ctx.as_of if record is None or record >= ctx.as_of else record


def beyond_record(ctx: Context, due: dt.date) -> bool:
    """Whether a deadline fell after the record's own ``as_of`` but before the evaluation's.

    The record cannot say whether the work was done between the two: cannot assess.
    """
    return ctx.record_as_of is not None and ctx.record_as_of < due < ctx.as_of


def record_ends(ctx: Context) -> str:
    """The sentence that says how far the record goes."""
    return record_ends_words(ctx.as_of, ctx.record_as_of)


def record_ends_words(as_of: dt.date, record_as_of: dt.date | None) -> str:
    """:func:`record_ends` from plain values."""
    end = record_as_of or as_of
    return (
        f"the record describes the case only up to {long_date(end)}, before evaluation "
        f"on {long_date(as_of)}"
    )


#: The terms of a deadline, as every deadline sentence gives them.
DEADLINE_TERMS = "{limit} after {anchor_label} on {anchor}"

#: The sentence of a decided deadline, one per branch of :func:`deadline_words`
#: (:func:`deadline_branch`): the one wording, filled in here for one deadline and by
#: ``casework.columnar`` for a column of them. Dates are in words
#: (:func:`~casework.text.long_date`); ``terms`` is :data:`DEADLINE_TERMS`.
DEADLINE_SENTENCES: dict[str, str] = {
    "met before anchor": (
        "{done_label} on {done}, before {anchor_label} on {anchor}; it was due by {due}."
    ),
    "met": "{done_label} on {done}, on or before the due date of {due} ({terms}).",
    "late": "{done_label} on {done}, {late} after it was due on {due} ({terms}).",
    "not yet due": "Not yet due: due by {due} ({terms}); not done by {as_of}.",
    "cannot assess": "Cannot assess: due by {due} ({terms}), but {record_ends}.",
    "overdue": "{missing_label} by {known}: it was due on {due} ({terms}).",
}


class Decided(Protocol):
    """What a verdict made of deadlines reads of each one (the periodic checks, the rules
    over units): a :class:`~casework.rules.engine.Verdict`, or its words alone
    (:class:`DeadlineSaid`)."""

    @property
    def outcome(self) -> Outcome: ...
    @property
    def basis(self) -> Basis: ...
    @property
    def reason(self) -> str: ...
    @property
    def evidence(self) -> tuple[Evidence, ...]: ...


class DeadlineSaid(NamedTuple):
    """A decided deadline in words, without the rest of a verdict."""

    outcome: Outcome
    basis: Basis
    reason: str
    evidence: tuple[Evidence, ...]


def deadline_branch(outcome: Outcome, anchor: dt.date, done: dt.date | None) -> str:
    """Which sentence of :data:`DEADLINE_SENTENCES` a decided deadline takes."""
    if done is not None:
        if outcome is Outcome.MET:
            return "met before anchor" if done < anchor else "met"
        return "late"
    if outcome is Outcome.NOT_APPLICABLE:
        return "not yet due"
    if outcome is Outcome.CANNOT_ASSESS:
        return "cannot assess"
    return "overdue"


def deadline_evidence(
    branch: str,
    *,
    anchor_label: str,
    anchor: dt.date,
    limit: Evidence,
    due: Evidence,
    done_label: str,
    done: dt.date | None,
    late_by: int | None,
    late_unit: str | None,
    extra: tuple[Evidence, ...] = (),
) -> tuple[Evidence, ...]:
    """The evidence of a decided deadline on ``branch`` (:func:`deadline_branch`); ``limit``
    and ``due`` are its ``time limit`` and ``due by`` items (:func:`deadline_limit_evidence`)."""
    started = make_evidence((anchor_label, anchor, None))
    if branch in ("not yet due", "cannot assess"):
        return (started, limit, due, *extra)
    if branch == "overdue":
        count, unit = _late(late_by, late_unit)
        late = make_evidence((f"{unit} overdue at as_of", count, None))
        return (started, limit, due, late, *extra)
    finished = make_evidence((done_label.lower(), done, None))
    if branch == "late":
        count, unit = _late(late_by, late_unit)
        late = make_evidence((f"{unit} late", count, None))
        return (started, limit, due, finished, late, *extra)
    return (started, limit, due, finished, *extra)


def deadline_limit_evidence(
    limit: str, source: str | None, due: dt.date
) -> tuple[Evidence, Evidence]:
    """A deadline's ``time limit`` and ``due by`` evidence."""
    return Evidence("time limit", limit, source), Evidence("due by", due, source)


def deadline_words(
    outcome: Outcome,
    *,
    anchor: dt.date,
    anchor_label: str,
    limit: str,
    source: str | None,
    due: dt.date,
    done: dt.date | None,
    late_by: int | None,
    late_unit: str | None,
    as_of: dt.date,
    record_as_of: dt.date | None,
    done_label: str = "Completed",
    missing_label: str = "Not completed",
    extra: tuple[Evidence, ...] = (),
) -> tuple[str, tuple[Evidence, ...]]:
    """The sentence and the evidence of a deadline already decided (:func:`deadline_check`).

    Plain values in, words out: the one definition of a deadline's wording (its branch,
    :func:`deadline_branch`, worded by :data:`DEADLINE_SENTENCES` and
    :func:`deadline_evidence`), called by :func:`deadline_check` and, with the same values
    read from columns, by :class:`casework.columnar.FindingColumns` (no rule asked again).
    ``limit`` is the time limit in words (``str(duration)``), ``source`` its parameter's
    source; ``late_by`` and ``late_unit`` are the lateness (done late, or overdue when the
    work is not done), ``None`` when on time or not yet due.
    """
    branch = deadline_branch(outcome, anchor, done)
    words = {
        "anchor_label": anchor_label,
        "anchor": long_date(anchor),
        "due": long_date(due),
        "done_label": done_label,
        "missing_label": missing_label,
        "terms": DEADLINE_TERMS.format(
            limit=limit, anchor_label=anchor_label, anchor=long_date(anchor)
        ),
    }
    if done is not None:
        words["done"] = long_date(done)
    if branch == "late":
        count, unit = _late(late_by, late_unit)
        words["late"] = late_words(count, unit)
    elif branch == "not yet due":
        words["as_of"] = long_date(as_of)
    elif branch == "cannot assess":
        words["record_ends"] = record_ends_words(as_of, record_as_of)
    elif branch == "overdue":
        _late(late_by, late_unit)
        known = as_of if record_as_of is None or record_as_of >= as_of else record_as_of
        words["known"] = long_date(known)
    limit_item, due_item = deadline_limit_evidence(limit, source, due)
    evidence = deadline_evidence(
        branch,
        anchor_label=anchor_label,
        anchor=anchor,
        limit=limit_item,
        due=due_item,
        done_label=done_label,
        done=done,
        late_by=late_by,
        late_unit=late_unit,
        extra=extra,
    )
    return DEADLINE_SENTENCES[branch].format(**words), evidence


def _late(late_by: int | None, late_unit: str | None) -> tuple[int, str]:
    if late_by is None or late_unit is None:
        raise ValueError("a late deadline needs late_by and late_unit")
    return late_by, late_unit


def late_words(count: int, unit: str) -> str:
    """The lateness in words, as :func:`lateness` gives it."""
    return plural(count, "working day" if unit == "working days" else "day")


def deadline_check(
    ctx: Context,
    *,
    done: dt.date | None,
    anchor: dt.date,
    anchor_label: str,
    limit: str | Parameter,
    done_label: str = "Completed",
    missing_label: str = "Not completed",
    extra: tuple[Evidence, ...] = (),
    labels: DeadlineLabels | None = None,
) -> Verdict:
    """Was something done within a time limit of a trigger event?

    Args:
        ctx: the evaluation context (as_of, calendar, parameters).
        done: when it was done, or ``None`` if it has not been.
        anchor: the trigger date: day 0.
        anchor_label: the trigger in words, as in "after {anchor_label} on {date}".
        limit: the name of a time-limit parameter, or the parameter itself.
        done_label: how the sentence opens when it was done ("Completed").
        missing_label: how it opens when it was not ("Not completed").
        extra: more evidence to attach.
        labels: ``done_label`` and ``missing_label`` together (a rule's
            :class:`DeadlineLabels`, shared with its kernel), in their place.

    "Within N working days of X" is met when done on or before
    ``add_working_days(X, N)``; a deadline after ``as_of`` with nothing done is
    "not yet due", never a failure; one after the record's own ``as_of`` (but
    before the evaluation's) with nothing done is "cannot assess". The verdict
    carries the deadline as data: ``trigger``, ``trigger_label``, ``due``,
    ``done``, ``late_by`` and ``late_unit``; its words are :func:`deadline_words`'.
    """
    if labels is not None:
        done_label, missing_label = labels.done_label, labels.missing_label
    parameter = ctx.param(limit) if isinstance(limit, str) else limit
    duration: Duration = parameter.duration
    due = ctx.calendar.add(anchor, duration)
    late: tuple[int, str] | None = None
    if done is not None:
        if done <= due:
            outcome, basis = Outcome.MET, Basis.COMPUTED
        else:
            outcome, basis = Outcome.NOT_MET, Basis.COMPUTED
            count, _, unit = lateness(ctx, due, done, duration.unit)
            late = (count, unit)
    elif ctx.as_of <= due:
        outcome, basis = Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE
    elif beyond_record(ctx, due):
        outcome, basis = Outcome.CANNOT_ASSESS, Basis.MISSING_DATA
    else:
        outcome, basis = Outcome.NOT_MET, Basis.COMPUTED
        count, _, unit = lateness(ctx, due, known_until(ctx), duration.unit)
        late = (count, unit)
    reason, evidence = deadline_words(
        outcome,
        anchor=anchor,
        anchor_label=anchor_label,
        limit=str(duration),
        source=parameter.source,
        due=due,
        done=done,
        late_by=late[0] if late else None,
        late_unit=late[1] if late else None,
        as_of=ctx.as_of,
        record_as_of=ctx.record_as_of,
        done_label=done_label,
        missing_label=missing_label,
        extra=extra,
    )
    return Verdict(
        outcome,
        basis,
        reason,
        evidence,
        trigger=anchor,
        trigger_label=anchor_label,
        due=due,
        done=done,
        late_by=late[0] if late else None,
        late_unit=late[1] if late else None,
    )
