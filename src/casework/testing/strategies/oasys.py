"""OASys assessments and their parts (screening, full analysis, risk management plan,
sentence plan), and a case's run of assessments and reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from hypothesis import strategies as st

from casework.calendar import Duration, TimeUnit, WorkingCalendar
from casework.model import (
    AssessmentPurpose,
    FullAnalysis,
    OasysAssessment,
    ReviewTrigger,
    RiskManagementPlan,
    Screening,
    SentenceKind,
    SentencePlan,
    SentencePlanKind,
    StaffRole,
)
from casework.testing.strategies._common import (
    EARLIEST,
    LATEST,
    _calendar,
    _days,
    _maybe,
    _strategy,
    _upto,
    known_limits,
)
from casework.testing.strategies.dates import _work_day


def screenings(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[Screening]:
    """RoH screenings, completed or started only."""
    return st.builds(
        Screening,
        completed_on=st.none() | st.dates(earliest, latest),
        full_analysis_required=st.booleans(),
    )


def _full_analysis(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    if _maybe(draw, 0.2):
        countersigned = draw(st.none() | st.dates(earliest, latest))
        return {"exempted": True, "exemption_countersigned_on": countersigned}
    return {"completed_on": draw(st.none() | st.dates(earliest, latest))}


def full_analyses(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[FullAnalysis]:
    """Full RoH analyses: completed, not completed, or exempted (with or without a countersign)."""
    return _strategy(_full_analysis, earliest, latest).map(FullAnalysis.model_validate)


def risk_management_plans(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[RiskManagementPlan]:
    """Risk management plans."""
    return st.builds(RiskManagementPlan, completed_on=st.none() | st.dates(earliest, latest))


def sentence_plans(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[SentencePlan]:
    """Sentence plans of every kind."""
    return st.builds(
        SentencePlan,
        kind=st.sampled_from(SentencePlanKind),
        completed_on=st.none() | st.dates(earliest, latest),
    )


def _assessment(
    draw: st.DrawFn,
    *,
    id: str,
    purpose: AssessmentPurpose,
    base: dt.date,
    as_of: dt.date,
    calendar: WorkingCalendar,
    missing: Collection[str] = frozenset(),
    exact: bool = False,
    trigger: ReviewTrigger | None = None,
    reviews: str | None = None,
) -> dict[str, Any]:
    """One assessment done around ``base``: parts on that day, a few working days later, or not."""

    # most assessments are done in one sitting; some spread their parts over a few days
    spread = not exact and _maybe(draw, 0.35)
    gaps = not exact and _maybe(draw, 0.3)

    def part_day(part: str) -> dt.date | None:
        if part in missing or (gaps and _maybe(draw, 0.25)):
            return None
        if not spread or _maybe(draw, 0.5):
            return _upto(base, as_of)
        return _upto(calendar.add_working_days(base, draw(st.integers(1, 6))), as_of)

    facts: dict[str, Any] = {"id": id, "purpose": purpose}
    if purpose is AssessmentPurpose.REVIEW:
        facts |= {"trigger": trigger or ReviewTrigger.SCHEDULED, "reviews": reviews}
    facts["completed_on"] = part_day("assessment")
    required = draw(st.booleans())
    if "screening" not in missing:
        screened = part_day("screening")
        if screened is not None or _maybe(draw, 0.5):
            facts["screening"] = {"completed_on": screened, "full_analysis_required": required}
    analysed = part_day("full_analysis")
    # a full analysis mostly follows the screening's call, but not always (either way)
    wanted = exact or _maybe(draw, 0.8 if required else 0.3)
    if (analysed is not None and wanted) or ("full_analysis" not in missing and _maybe(draw, 0.1)):
        if not exact and _maybe(draw, 0.15):
            countersigned = analysed if _maybe(draw, 0.7) else None
            facts["full_analysis"] = {"exempted": True, "exemption_countersigned_on": countersigned}
        else:
            facts["full_analysis"] = {"completed_on": analysed}
    planned = part_day("rmp")
    if planned is not None:
        facts["rmp"] = {"completed_on": planned}
    sentence_plan = part_day("sentence_plan")
    if sentence_plan is not None or ("sentence_plan" not in missing and _maybe(draw, 0.1)):
        kind = {
            AssessmentPurpose.REVIEW: SentencePlanKind.REVIEW,
            AssessmentPurpose.TERMINATION: SentencePlanKind.TERMINATION,
        }.get(purpose) or draw(
            st.sampled_from(
                (
                    SentencePlanKind.INITIAL,
                    SentencePlanKind.INITIAL,
                    SentencePlanKind.OUTLINE,
                    SentencePlanKind.UNPAID_WORK_ASSESSMENT,
                )
            )
        )
        facts["sentence_plan"] = {"kind": kind, "completed_on": sentence_plan}
    if _maybe(draw, 0.3):
        facts["ogrs2"] = draw(st.integers(0, 100))
    done = _assessment_dates(facts)
    if done and _maybe(draw, 0.2):
        facts["countersigned_on"] = _upto(max(done) + _days(draw(st.integers(0, 10))), as_of)
        facts["countersigned_by"] = draw(st.sampled_from((StaffRole.SPO, StaffRole.PO)))
    return facts


def _assessment_dates(facts: Mapping[str, Any]) -> list[dt.date]:
    found = [facts.get("completed_on"), facts.get("countersigned_on")]
    for part in ("screening", "full_analysis", "rmp", "sentence_plan"):
        section = facts.get(part) or {}
        found += [section.get("completed_on"), section.get("exemption_countersigned_on")]
    return [day for day in found if isinstance(day, dt.date)]


def oasys_assessments(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
    id: str = "A1",
) -> st.SearchStrategy[OasysAssessment]:
    """Single OASys assessments (not reviews: a review needs the case it belongs to)."""
    cal = _calendar(calendar)
    purposes = [p for p in AssessmentPurpose if p is not AssessmentPurpose.REVIEW]
    return st.tuples(st.sampled_from(purposes), st.dates(earliest, latest)).flatmap(
        lambda pair: _strategy(
            _assessment, id=id, purpose=pair[0], base=pair[1], as_of=latest, calendar=cal
        ).map(OasysAssessment.model_validate)
    )


#: Review intervals of the National Standards (16 weeks, and 4 months from September 2007,
#: 004:515), drawn on whether or not the parameter files hold them yet.
_REVIEW_INTERVALS = (Duration(16, TimeUnit.WEEKS), Duration(4, TimeUnit.MONTHS))


def _review_day(
    draw: st.DrawFn, calendar: WorkingCalendar, last: dt.date, *, exact: bool = False
) -> dt.date:
    """When the next review is done after ``last``: on, around or well past a review interval."""
    intervals = [d for d in known_limits() if d.unit in {TimeUnit.WEEKS, TimeUnit.MONTHS}]
    intervals += [d for d in _REVIEW_INTERVALS if d not in intervals]
    if exact or draw(st.booleans()):
        due = calendar.add(last, intervals[draw(st.integers(0, len(intervals) - 1))])
        return due if exact else max(last, due + _days(draw(st.integers(-2, 2))))
    return last + _days(draw(st.integers(1, 220)))


def _assessment_history(
    draw: st.DrawFn,
    *,
    kind: SentenceKind,
    sentenced: dt.date,
    start: dt.date,
    released: dt.date | None,
    as_of: dt.date,
    calendar: WorkingCalendar,
    missing: frozenset[str],
    on_due_day: bool,
    oasys_on: dt.date | None,
    transfer: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    if "assessments" in missing:
        return []
    made: list[dict[str, Any]] = []

    def add(facts: dict[str, Any]) -> None:
        if _assessment_dates(facts) or facts.get("purpose") is not AssessmentPurpose.REVIEW:
            made.append(facts)

    def next_id() -> str:
        return f"A{len(made) + 1}"

    if kind is SentenceKind.LICENCE and released is not None and _maybe(draw, 0.5):
        # an assessment at the start of the custodial sentence
        day = _work_day(draw, sentenced, as_of, calendar, on_due_day=on_due_day, undone=False)
        if day is not None and day < released:
            add(
                _assessment(
                    draw,
                    id=next_id(),
                    purpose=AssessmentPurpose.START,
                    base=day,
                    as_of=min(as_of, released - _days(1)),
                    calendar=calendar,
                    missing=missing,
                    exact=on_due_day,
                )
            )
    if oasys_on is None and _maybe(draw, 0.1):
        pass  # no start assessment at all
    else:
        before = kind is SentenceKind.LICENCE or _maybe(draw, 0.25)
        base = oasys_on or _work_day(
            draw, start, as_of, calendar, on_due_day=on_due_day, before=before, undone=False
        )
        if base is not None:
            purpose, trigger, reviews = AssessmentPurpose.START, None, None
            if kind is SentenceKind.LICENCE:
                if made and _maybe(draw, 0.5):
                    purpose, reviews = AssessmentPurpose.REVIEW, made[-1]["id"]
                    trigger = ReviewTrigger.PRE_RELEASE if base < start else ReviewTrigger.RELEASE
                    base = max(base, max(_assessment_dates(made[-1]), default=base))
                else:
                    purpose = AssessmentPurpose.RELEASE
            elif base < sentenced:
                purpose = AssessmentPurpose.PSR
            add(
                _assessment(
                    draw,
                    id=next_id(),
                    purpose=purpose,
                    base=base,
                    as_of=as_of,
                    calendar=calendar,
                    missing=missing,
                    exact=oasys_on is not None or on_due_day,
                    trigger=trigger,
                    reviews=reviews,
                )
            )
    for _ in range(draw(st.integers(0, 3))):
        if not made:
            break
        previous = made[-1]
        last = max(_assessment_dates(previous), default=start)
        day = _review_day(draw, calendar, last, exact=on_due_day)
        if day > as_of:
            break
        trigger = draw(
            st.sampled_from(
                (
                    ReviewTrigger.SCHEDULED,
                    ReviewTrigger.SCHEDULED,
                    ReviewTrigger.SIGNIFICANT_INCIDENT,
                    ReviewTrigger.TRANSFER,
                )
            )
        )
        add(
            _assessment(
                draw,
                id=next_id(),
                purpose=AssessmentPurpose.REVIEW,
                base=day,
                as_of=as_of,
                calendar=calendar,
                missing=missing,
                exact=on_due_day,
                trigger=trigger,
                reviews=previous["id"],
            )
        )
    if transfer is not None and made and _maybe(draw, 0.6):
        # the receiving area reviews the assessment (and its RMP) after first contact (004:496)
        contact = transfer.get("first_contact_on") or transfer["notified_on"]
        day = _work_day(draw, contact, as_of, calendar, on_due_day=on_due_day, undone=False)
        if day is not None:
            previous = made[-1]
            add(
                _assessment(
                    draw,
                    id=next_id(),
                    purpose=AssessmentPurpose.REVIEW,
                    base=max((day, *_assessment_dates(previous))),
                    as_of=as_of,
                    calendar=calendar,
                    missing=missing,
                    exact=on_due_day,
                    trigger=ReviewTrigger.TRANSFER,
                    reviews=previous["id"],
                )
            )
    day = _work_day(draw, start, as_of, calendar, on_due_day=on_due_day, undone=False)
    if day is not None and _maybe(draw, 0.08):
        purpose = draw(st.sampled_from((AssessmentPurpose.TRANSFER, AssessmentPurpose.TERMINATION)))
        add(
            _assessment(
                draw,
                id=next_id(),
                purpose=purpose,
                base=day,
                as_of=as_of,
                calendar=calendar,
                missing=missing,
                exact=on_due_day,
            )
        )
    return made
