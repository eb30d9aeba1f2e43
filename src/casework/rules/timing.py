"""Deadline checks that explain themselves.

:func:`deadline_check` is the one place that turns (trigger, time limit, date
done, as_of) into met / not met / not yet due, and writes the sentence:

    "Completed on 31 December 2007, 2 working days after it was due on
    27 December 2007 (5 working days after sentence on 18 December 2007)."
"""

from __future__ import annotations

import datetime as dt

from casework.calendar import Duration, TimeUnit
from casework.rules.engine import Context, Evidence, Verdict, met, not_met, not_yet_due
from casework.rules.parameters import Parameter
from casework.text import long_date, plural

__all__ = ["deadline_check", "lateness"]


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
    "not yet due", never a failure.
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
            return met(reason, *evidence, *extra)
        count, late, unit = lateness(ctx, due, done, duration.unit)
        evidence.append(Evidence(f"{unit} late", count))
        return not_met(
            f"{done_label} on {long_date(done)}, {late} after it was due on "
            f"{long_date(due)} ({terms}).",
            *evidence,
            *extra,
        )
    if ctx.as_of <= due:
        return not_yet_due(
            f"Not yet due: due by {long_date(due)} ({terms}); not done by {long_date(ctx.as_of)}.",
            *evidence,
            *extra,
        )
    count, _, unit = lateness(ctx, due, ctx.as_of, duration.unit)
    evidence.append(Evidence(f"{unit} overdue at as_of", count))
    return not_met(
        f"{missing_label} by {long_date(ctx.as_of)}: it was due on {long_date(due)} ({terms}).",
        *evidence,
        *extra,
    )
