"""Deadline checks that explain themselves.

:func:`deadline_check` is the one place that turns (trigger, time limit, date
done, as_of) into met / not met / not yet due, and writes the sentence:

    "Completed on 31 December 2007, 2 working days after it was due on
    27 December 2007 (5 working days after sentence on 18 December 2007)."
"""

from __future__ import annotations

import datetime as dt

import attrs

from casework.calendar import Duration, TimeUnit
from casework.rules.engine import Basis, Context, Evidence, Outcome, Verdict
from casework.rules.parameters import Parameter
from casework.text import long_date, plural

__all__ = [
    "as_deadline",
    "beyond_record",
    "deadline_check",
    "known_until",
    "lateness",
    "record_ends",
]


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
    return attrs.evolve(
        verdict,
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
    end = ctx.record_as_of or ctx.as_of
    return (
        f"the record describes the case only up to {long_date(end)}, before evaluation "
        f"on {long_date(ctx.as_of)}"
    )


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

    "Within N working days of X" is met when done on or before
    ``add_working_days(X, N)``; a deadline after ``as_of`` with nothing done is
    "not yet due", never a failure; one after the record's own ``as_of`` (but
    before the evaluation's) with nothing done is "cannot assess". The verdict
    carries the deadline as data: ``trigger``, ``trigger_label``, ``due``,
    ``done``, ``late_by`` and ``late_unit``.
    """
    parameter = ctx.param(limit) if isinstance(limit, str) else limit
    duration: Duration = parameter.duration
    due = ctx.calendar.add(anchor, duration)
    terms = f"{duration} after {anchor_label} on {long_date(anchor)}"
    evidence = [
        Evidence(anchor_label, anchor),
        Evidence("time limit", str(duration), parameter.source),
        Evidence("due by", due, parameter.source),
    ]

    def verdict(
        outcome: Outcome,
        basis: Basis,
        reason: str,
        late: tuple[int, str] | None = None,
    ) -> Verdict:
        return Verdict(
            outcome,
            basis,
            reason,
            (*evidence, *extra),
            trigger=anchor,
            trigger_label=anchor_label,
            due=due,
            done=done,
            late_by=late[0] if late else None,
            late_unit=late[1] if late else None,
        )

    if done is not None:
        evidence.append(Evidence(done_label.lower(), done))
        if done <= due:
            if done < anchor:
                reason = (
                    f"{done_label} on {long_date(done)}, before {anchor_label} on "
                    f"{long_date(anchor)}; it was due by {long_date(due)}."
                )
            else:
                reason = (
                    f"{done_label} on {long_date(done)}, on or before the due date of "
                    f"{long_date(due)} ({terms})."
                )
            return verdict(Outcome.MET, Basis.COMPUTED, reason)
        count, late, unit = lateness(ctx, due, done, duration.unit)
        evidence.append(Evidence(f"{unit} late", count))
        return verdict(
            Outcome.NOT_MET,
            Basis.COMPUTED,
            f"{done_label} on {long_date(done)}, {late} after it was due on "
            f"{long_date(due)} ({terms}).",
            (count, unit),
        )
    if ctx.as_of <= due:
        return verdict(
            Outcome.NOT_APPLICABLE,
            Basis.NOT_YET_DUE,
            f"Not yet due: due by {long_date(due)} ({terms}); not done by {long_date(ctx.as_of)}.",
        )
    if beyond_record(ctx, due):
        return verdict(
            Outcome.CANNOT_ASSESS,
            Basis.MISSING_DATA,
            f"Cannot assess: due by {long_date(due)} ({terms}), but {record_ends(ctx)}.",
        )
    known = known_until(ctx)
    count, _, unit = lateness(ctx, due, known, duration.unit)
    evidence.append(Evidence(f"{unit} overdue at as_of", count))
    return verdict(
        Outcome.NOT_MET,
        Basis.COMPUTED,
        f"{missing_label} by {long_date(known)}: it was due on {long_date(due)} ({terms}).",
        (count, unit),
    )
