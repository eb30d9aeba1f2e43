"""Reviews of risk of harm and of the sentence plan: the 2005 and 2007 versions.

2005 (002:659, 002:761, 002:879): high and very high RoH cases reviewed at
least every 16 weeks (weeks of 7 days: four months is late), sentence plans
every 16 weeks, and RoH after any significant incident or change.

2007 (004:515-516): community cases first reviewed no later than four months
from the start of sentence and at least every four months thereafter;
custody cases within 12 months of sentence and in preparation for release;
licence cases within four months of release; and after a significant change.
The 2007 sentence plan review timescale is not stated (004:488): a parameter
with no value (docs/decisions.md#ns07-plan-review-interval).

What counts as a review, and its date, is in :mod:`casework.rules.standards.base`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from casework.model import Case, EventKind, RohLevel, SignificantEvent
from casework.rules.engine import (
    Basis,
    Context,
    Evidence,
    Outcome,
    Population,
    Verdict,
    not_applicable,
    rule,
)
from casework.rules.population import COMMUNITY_SENTENCE, LICENCE, roh_at_least_at_start
from casework.rules.standards.base import (
    CUSTODIAL,
    HAS_SIGNIFICANT_EVENT,
    IN_FORCE_2005,
    IN_FORCE_2007,
    ORDERS_AND_LICENCES,
    DateOf,
    InForce,
    Wording,
    is_release_assessment,
    lasting_until,
    periodic_check,
    plan_date,
    review_dates,
    roh_date,
    start_assessment_date,
    supervision_ended,
)
from casework.rules.timing import DeadlineLabels, as_deadline, deadline_check, known_until
from casework.rules.units import combine, unit_label
from casework.text import long_date

__all__ = [
    "FIRST_REVIEW_ANCHORS",
    "PLAN_REVIEWS",
    "ROH_REVIEWS",
    "ROH_REVIEW_LABELS",
    "plan_review_interval_2005",
    "plan_review_interval_2007",
    "pre_release_words",
    "reviews_after_events",
    "roh_review_custody_2007",
    "roh_review_event_2005",
    "roh_review_event_2007",
    "roh_review_first_2007",
    "roh_review_interval_2005",
    "roh_review_interval_2007",
    "roh_review_pre_release_2007",
    "roh_review_release_2007",
]

ROH_REVIEWS = Wording(
    noun="RoH review",
    done_label="RoH reviewed",
    missing_label="RoH not reviewed",
    previous_label="the previous RoH review",
)
PLAN_REVIEWS = Wording(
    noun="sentence plan review",
    done_label="Sentence plan reviewed",
    missing_label="Sentence plan not reviewed",
    previous_label="the previous sentence plan review",
)


#: How an RoH review deadline opens, done or not (the rules and their kernels).
ROH_REVIEW_LABELS = DeadlineLabels(ROH_REVIEWS.done_label, ROH_REVIEWS.missing_label)
#: The first RoH review's trigger in words, by what starts its clock.
FIRST_REVIEW_ANCHORS = {
    "start_date": "the start of sentence",
    "release": "release",
    "sentence": "sentence",
}


def _cycle_anchor(case: Case, date_of: DateOf, initial: str) -> tuple[dt.date, str]:
    """Where a cycle counted from the previous assessment starts (2005 reviews, plan reviews).

    "Reviewed a minimum of every 16 weeks" counts from the previous assessment
    (002:879); the first interval runs from the assessment done for the
    sentence or release. One done before the start (for the PSR, before
    release) does not start the cycle early; without one the cycle starts at
    the sentence or release itself.
    """
    kind, start = case.start_event
    initial_on = start_assessment_date(case, date_of)
    if initial_on is not None and initial_on > start:
        return initial_on, initial
    return start, kind


def _due(
    anchor: Callable[[Case, Context], dt.date], limit: str
) -> Callable[[Case, Context], dt.date]:
    """When the first one falls due: ``limit`` after ``anchor``."""
    return lambda case, ctx: ctx.calendar.add(anchor(case, ctx), ctx.param(limit).duration)


def _first_review(
    ctx: Context, case: Case, *, anchor: dt.date, anchor_label: str, limit: str, cycle: bool
) -> Verdict:
    """Was RoH reviewed within ``limit`` of ``anchor`` (the first review after it)?

    The rule's population leaves out cases that ended before the review fell due
    (:func:`~casework.rules.standards.base.lasting_until`).
    """
    done = next((day for day in review_dates(case, roh_date, cycle=cycle) if day > anchor), None)
    return deadline_check(
        ctx,
        done=done,
        anchor=anchor,
        anchor_label=anchor_label,
        limit=limit,
        labels=ROH_REVIEW_LABELS,
    )


_EVENT_WORDS = {
    EventKind.SIGNIFICANT_INCIDENT: "Significant incident",
    EventKind.SIGNIFICANT_CHANGE: "Significant change",
    EventKind.ACUTE_RISK_FACTOR: "Acute risk factor",
}


def _event_review(ctx: Context, case: Case, event: SignificantEvent) -> Verdict:
    done = next((day for day in review_dates(case, roh_date, cycle=False) if day >= event.on), None)
    return deadline_check(
        ctx,
        done=done,
        anchor=event.on,
        anchor_label=f"the {_EVENT_WORDS[event.kind].lower()}",
        limit="roh_review_event_limit",
        done_label=ROH_REVIEWS.done_label,
        missing_label=ROH_REVIEWS.missing_label,
    )


def reviews_after_events(case: Case, ctx: Context) -> Verdict:
    """RoH reviewed within the (unstated) limit of every significant event since sentence."""
    ctx.param("roh_review_event_limit")  # the sources give no value: say so before anything else
    events = sorted(
        (event for event in case.events if event.on >= case.sentence.sentenced_on),
        key=lambda event: event.on,
    )
    return combine(
        [
            (unit_label(_EVENT_WORDS[event.kind], event.on), _event_review(ctx, case, event))
            for event in events
        ],
        none="No significant incident, change or acute risk factor since sentence.",
    )


# ---------------------------------------------------------------- 2005: every 16 weeks

_HIGH_ROH = roh_at_least_at_start(RohLevel.HIGH)


def _roh_cycle_anchor(case: Case, _ctx: Context) -> dt.date:
    return _cycle_anchor(case, roh_date, "the initial RoH assessment")[0]


def _plan_cycle_anchor(case: Case, _ctx: Context) -> dt.date:
    return _cycle_anchor(case, plan_date, "the initial sentence plan")[0]


def _plan_reviews_due(limit: str) -> Population:
    return ORDERS_AND_LICENCES & lasting_until(
        "not ended before the first sentence plan review fell due",
        _due(_plan_cycle_anchor, limit),
        what="the first sentence plan review",
    )


@rule(
    "NS05.roh-review-interval",
    question="High or very high RoH case: was RoH reviewed at least every 16 weeks?",
    source=("002:659", "002:879"),
    kind="timeliness",
    applies_to=(
        ORDERS_AND_LICENCES
        & _HIGH_ROH
        & lasting_until(
            "not ended",
            _due(_roh_cycle_anchor, "roh_review_interval_weeks"),
            what="the first RoH review",
        )
    ).named(
        "high or very high RoH community orders, suspended sentence orders and licences not "
        "ended before the first RoH review fell due"
    ),
    roh=True,
    parameters=("roh_review_interval_weeks",),
    group="roh-review",
    notes="Every interval is checked: from the initial assessment to the first review, between "
    "reviews, and from the last review to as_of. 16 weeks is 112 days, never four months.",
    **IN_FORCE_2005,
)
def roh_review_interval_2005(case: Case, ctx: Context) -> Verdict:
    anchor, label = _cycle_anchor(case, roh_date, "the initial RoH assessment")
    return periodic_check(
        ctx,
        anchor=anchor,
        anchor_label=label,
        done=review_dates(case, roh_date),
        limit="roh_review_interval_weeks",
        words=ROH_REVIEWS,
        ended=supervision_ended(case),
        window=IN_FORCE_2005,
    )


def _plan_review_check(limit: str, window: InForce) -> Callable[[Case, Context], Verdict]:
    def check(case: Case, ctx: Context) -> Verdict:
        anchor, label = _cycle_anchor(case, plan_date, "the initial sentence plan")
        return periodic_check(
            ctx,
            anchor=anchor,
            anchor_label=label,
            done=review_dates(case, plan_date),
            limit=limit,
            words=PLAN_REVIEWS,
            ended=supervision_ended(case),
            window=window,
        )

    return check


plan_review_interval_2005 = rule(
    "NS05.plan-review-interval",
    question="Was the sentence plan reviewed at least every 16 weeks?",
    source=("002:761", "002:659"),
    kind="timeliness",
    applies_to=_plan_reviews_due("plan_review_interval_weeks").named(
        "community orders, suspended sentence orders and licences not ended before the first "
        "sentence plan review fell due"
    ),
    parameters=("plan_review_interval_weeks",),
    group="plan-review",
    notes="Every interval is checked, from the initial sentence plan (or the start, if there is "
    "none) to as_of. A review is an assessment with purpose 'review' and a sentence plan.",
    **IN_FORCE_2005,
)(_plan_review_check("plan_review_interval_weeks", IN_FORCE_2005))

roh_review_event_2005 = rule(
    "NS05.roh-review-event",
    question=(
        "High or very high RoH case: was RoH reviewed following every significant incident, "
        "change or acute risk factor?"
    ),
    source=("002:659", "002:658", "002:660"),
    kind="timeliness",
    applies_to=(_HIGH_ROH & HAS_SIGNIFICANT_EVENT).named(
        "high or very high RoH cases with a significant incident, change or acute risk factor "
        "since sentence"
    ),
    roh=True,
    parameters=("roh_review_event_limit",),
    group="roh-review",
    notes="'Following' and 'swiftly' give no timescale: roh_review_event_limit has no value "
    "and must be supplied.",
    **IN_FORCE_2005,
)(reviews_after_events)


# ---------------------------------------------------------------- 2007: every 4 months


@rule(
    "NS07.roh-review-first",
    question=(
        "Community case: was RoH to others reviewed no later than four months from the start "
        "of sentence?"
    ),
    source="004:515",
    kind="timeliness",
    applies_to=(
        COMMUNITY_SENTENCE
        & lasting_until(
            "not ended",
            _due(lambda case, _ctx: case.sentence.start_date, "roh_review_first_limit"),
            what="the review",
        )
    ).named(
        "community and suspended sentence orders not ended before the first RoH review fell due"
    ),
    roh=True,
    parameters=("roh_review_first_limit",),
    group="roh-review",
    **IN_FORCE_2007,
)
def roh_review_first_2007(case: Case, ctx: Context) -> Verdict:
    return _first_review(
        ctx,
        case,
        anchor=case.sentence.start_date,
        anchor_label=FIRST_REVIEW_ANCHORS["start_date"],
        limit="roh_review_first_limit",
        cycle=True,
    )


@rule(
    "NS07.roh-review-release",
    question="Licence case: was RoH reviewed within four months following release from custody?",
    source="004:516",
    kind="timeliness",
    applies_to=(
        LICENCE
        & lasting_until(
            "not ended",
            _due(lambda case, _ctx: case.start_event[1], "roh_review_release_limit"),
            what="the review",
        )
    ).named("licence cases not ended before the first RoH review after release fell due"),
    roh=True,
    parameters=("roh_review_release_limit",),
    group="roh-review",
    notes="The release assessment (purpose 'release', or a review triggered by release or "
    "pre-release) starts the licence; the review is the next one.",
    **IN_FORCE_2007,
)
def roh_review_release_2007(case: Case, ctx: Context) -> Verdict:
    return _first_review(
        ctx,
        case,
        anchor=case.start_event[1],
        anchor_label=FIRST_REVIEW_ANCHORS["release"],
        limit="roh_review_release_limit",
        cycle=True,
    )


def _after_the_first_review(case: Case, ctx: Context) -> tuple[dt.date, str, list[dt.date]]:
    """Where the 2007 cycle starts: the first review, or the date it was due; and the reviews."""
    kind, start = case.start_event
    reviews = [day for day in review_dates(case, roh_date) if day > start]
    if reviews:
        return reviews[0], "the first RoH review", reviews
    first = "roh_review_release_limit" if kind == "release" else "roh_review_first_limit"
    due = ctx.calendar.add(start, ctx.param(first).duration)
    return due, "the date the first RoH review was due", reviews


@rule(
    "NS07.roh-review-interval",
    question="Was RoH reviewed at least every four months after the first review?",
    source=("004:515", "004:516"),
    kind="timeliness",
    applies_to=(
        ORDERS_AND_LICENCES
        & lasting_until(
            "not ended",
            _due(
                lambda case, ctx: _after_the_first_review(case, ctx)[0],
                "roh_review_interval_months",
            ),
            what="a review after the first",
        )
    ).named(
        "community orders, suspended sentence orders and licences not ended before a review "
        "after the first fell due"
    ),
    roh=True,
    parameters=(
        "roh_review_interval_months",
        "roh_review_first_limit",
        "roh_review_release_limit",
    ),
    group="roh-review",
    notes="Counts from the first review (NS07.roh-review-first / -release); where there was "
    "none, from the date it was due. Every interval is checked.",
    **IN_FORCE_2007,
)
def roh_review_interval_2007(case: Case, ctx: Context) -> Verdict:
    anchor, label, reviews = _after_the_first_review(case, ctx)
    return periodic_check(
        ctx,
        anchor=anchor,
        anchor_label=label,
        done=reviews,
        limit="roh_review_interval_months",
        words=ROH_REVIEWS,
        ended=supervision_ended(case),
        window=IN_FORCE_2007,
    )


def _custody_review_due(case: Case, ctx: Context) -> dt.date:
    return ctx.calendar.add(
        case.sentence.sentenced_on, ctx.param("roh_review_custody_limit").duration
    )


def _in_custody_when_due(case: Case, ctx: Context) -> bool:
    """Not released by the day the review in custody fell due (released on it: not due)."""
    released = case.sentence.released_on
    return released is None or released > _custody_review_due(case, ctx)


#: Why a custodial case released early is outside NS07.roh-review-custody (dates in words):
#: filled in by the rule's population and, a column at a time, by its columnar form.
RELEASED_BEFORE_DUE = "Released on {released}, before a review in custody was due on {due}."


def _released_before_due(case: Case, ctx: Context) -> Verdict | None:
    released = case.sentence.released_on
    if released is None:
        return None
    due = _custody_review_due(case, ctx)
    return not_applicable(
        RELEASED_BEFORE_DUE.format(released=long_date(released), due=long_date(due)),
        Evidence("sentence", case.sentence.sentenced_on),
        Evidence("release", released),
    )


_IN_CUSTODY_WHEN_DUE = Population(
    "still in custody", _in_custody_when_due, _released_before_due
) & lasting_until("not ended", _custody_review_due, what="a review in custody")


@rule(
    "NS07.roh-review-custody",
    question="Custody case: was RoH reviewed within 12 months of sentence?",
    source="004:516",
    kind="timeliness",
    applies_to=(CUSTODIAL & _IN_CUSTODY_WHEN_DUE).named(
        "custodial sentences still in custody, and not ended, when a review in custody fell due"
    ),
    roh=True,
    parameters=("roh_review_custody_limit",),
    group="roh-review",
    notes="Licence cases count when they were still in custody 12 months after sentence.",
    **IN_FORCE_2007,
)
def roh_review_custody_2007(case: Case, ctx: Context) -> Verdict:
    return _first_review(
        ctx,
        case,
        anchor=case.sentence.sentenced_on,
        anchor_label=FIRST_REVIEW_ANCHORS["sentence"],
        limit="roh_review_custody_limit",
        cycle=False,
    )


@rule(
    "NS07.roh-review-pre-release",
    question="Custodial sentence: was RoH reviewed in preparation for release?",
    source="004:516",
    kind="timeliness",
    applies_to=LICENCE,
    roh=True,
    group="roh-review",
    notes="A release assessment (purpose 'release', or a review triggered by pre-release or "
    "release) with an RoH part completed on or before the day of release.",
    **IN_FORCE_2007,
)
def roh_review_pre_release_2007(case: Case, ctx: Context) -> Verdict:
    released = case.start_event[1]
    days = sorted(
        day
        for assessment in case.assessments
        if is_release_assessment(assessment) and (day := roh_date(assessment)) is not None
    )
    before = [day for day in days if day <= released]
    if before:
        outcome, done, days_late = Outcome.MET, before[-1], None
    elif days:
        outcome, done, days_late = Outcome.NOT_MET, days[0], (days[0] - released).days
    else:
        outcome, done, days_late = Outcome.NOT_MET, None, (known_until(ctx) - released).days
    reason, evidence = pre_release_words(outcome, released=released, done=done)
    return as_deadline(
        Verdict(outcome, Basis.COMPUTED, reason, evidence),
        trigger=released,
        trigger_label="release",
        due=released,
        done=done,
        days_late=days_late,
    )


def pre_release_words(
    outcome: Outcome, *, released: dt.date, done: dt.date | None
) -> tuple[str, tuple[Evidence, ...]]:
    """The words of ``NS07.roh-review-pre-release`` (the rule and its kernel): met (the
    latest release review on or before release, ``done``), or not met, reviewed only after
    release (the first such, ``done``) or not at all."""
    evidence = (Evidence("release", released), Evidence("due by", released, "004:516"))
    if outcome is Outcome.MET and done is not None:
        when = (
            "the day of release" if done == released else f"before release on {long_date(released)}"
        )
        return (
            f"RoH reviewed on {long_date(done)}, {when}.",
            (*evidence, Evidence("reviewed", done)),
        )
    if done is not None:
        return (
            f"RoH reviewed for release only on {long_date(done)}, after release on "
            f"{long_date(released)}; it was due in preparation for release.",
            (*evidence, Evidence("reviewed", done)),
        )
    return f"RoH not reviewed in preparation for release on {long_date(released)}.", evidence


roh_review_event_2007 = rule(
    "NS07.roh-review-event",
    question="Was RoH reviewed following every significant change?",
    source=("004:515", "004:516"),
    kind="timeliness",
    applies_to=HAS_SIGNIFICANT_EVENT,
    roh=True,
    parameters=("roh_review_event_limit",),
    group="roh-review",
    notes="No timescale is stated: roh_review_event_limit has no value and must be supplied.",
    **IN_FORCE_2007,
)(reviews_after_events)

plan_review_interval_2007 = rule(
    "NS07.plan-review-interval",
    question="Was the sentence plan reviewed in accordance with the required timescales?",
    source="004:488",
    kind="timeliness",
    applies_to=_plan_reviews_due("plan_review_interval_months").named(
        "community orders, suspended sentence orders and licences not ended before the first "
        "sentence plan review fell due"
    ),
    parameters=("plan_review_interval_months",),
    group="plan-review",
    notes="The timescale is not stated (004:488): plan_review_interval_months has no value. "
    "To check for a review every 4 months, supply plan_review_interval_months = 4 "
    "(docs/decisions.md#ns07-plan-review-interval).",
    **IN_FORCE_2007,
)(_plan_review_check("plan_review_interval_months", IN_FORCE_2007))
