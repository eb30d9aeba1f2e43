"""When was an OASys assessment "completed or updated" for the start of a sentence or licence?

Shared by the National Standards rules and the national targets (003:697-701;
001:371, 001:441). The reading, documented in docs/decisions.md#oasys-completion:

* The clock starts at sentence, or at release for licence cases.
* For a sentence start, assessments done for the PSR or the start of the
  sentence count whenever they were done (a case file holds one sentence);
  so does anything completed on or after the start.
* For a release start, only assessments done for the release (purpose
  ``release``, or a review triggered by release or pre-release) or completed
  on or after the release count: a custody-start assessment does not.
* Each required part's earliest completion among those assessments is taken;
  the assessment is complete when its last required part is.
* A full analysis is required "always" (Tier 4, 003:699), "if the screening
  called for one" (Tiers 1-3, 003:701: "if appropriate"), or "never". An
  exemption countersigned by an SPO (002:278) stands in for the analysis,
  on the date it was countersigned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import attrs

from casework.model import AssessmentPurpose, Case, OasysAssessment, OasysPart, ReviewTrigger
from casework.text import long_date

__all__ = [
    "FullAnalysisRule",
    "OasysCompletion",
    "describe_parts",
    "oasys_completion",
    "part_done_words",
]

FullAnalysisRule = Literal["always", "if_screened_in", "never"]

_PART_WORDS = {
    OasysPart.ASSESSMENT: "assessment",
    OasysPart.SCREENING: "RoH screening",
    OasysPart.FULL_ANALYSIS: "full RoH analysis",
    OasysPart.RMP: "risk management plan",
    OasysPart.SENTENCE_PLAN: "sentence plan",
}


@attrs.frozen
class OasysCompletion:
    """Which required parts were done, when, and in which assessments."""

    start: tuple[str, dt.date]
    required: tuple[OasysPart, ...]
    part_dates: tuple[tuple[OasysPart, dt.date | None], ...]
    full_analysis_required: bool | None
    assessments: tuple[str, ...]

    @property
    def missing(self) -> tuple[OasysPart, ...]:
        """Required parts with no completion date."""
        return tuple(part for part, day in self.part_dates if day is None)

    @property
    def completed_on(self) -> dt.date | None:
        """When the last required part was completed; ``None`` while any is missing."""
        if self.missing:
            return None
        return max((day for _, day in self.part_dates if day is not None), default=None)

    def describe(self) -> str:
        """The parts in words: "assessment 3 May 2007, sentence plan not done"."""
        return describe_parts(self.part_dates)


def describe_parts(part_dates: Iterable[tuple[OasysPart, dt.date | None]]) -> str:
    """Required parts and their completion dates in words (:meth:`OasysCompletion.describe`)."""
    return ", ".join(
        part_done_words(part, long_date(day) if day else None) for part, day in part_dates
    )


def part_done_words(part: OasysPart, day: str | None) -> str:
    """One part of :func:`describe_parts`: the part and the day it was done, in words
    (``None``: not done): "sentence plan 3 May 2007", "RoH screening not done"."""
    return f"{_PART_WORDS[part]} {day or 'not done'}"


def _candidates(case: Case, start_kind: str, start: dt.date) -> list[OasysAssessment]:
    chosen: list[OasysAssessment] = []
    for assessment in case.assessments:
        first = assessment.latest_date
        done_after_start = first is not None and first >= start
        if start_kind == "release":
            for_release = assessment.purpose is AssessmentPurpose.RELEASE or (
                assessment.purpose is AssessmentPurpose.REVIEW
                and assessment.trigger in {ReviewTrigger.RELEASE, ReviewTrigger.PRE_RELEASE}
            )
            keep = for_release or done_after_start
        else:
            keep = assessment.purpose in {AssessmentPurpose.PSR, AssessmentPurpose.START} or (
                done_after_start and assessment.purpose is not AssessmentPurpose.TERMINATION
            )
        if keep:
            chosen.append(assessment)
    return chosen


def _full_analysis_date(assessment: OasysAssessment) -> dt.date | None:
    analysis = assessment.full_analysis
    if analysis is None:
        return None
    if analysis.completed_on is not None:
        return analysis.completed_on
    if analysis.exempted:
        return analysis.exemption_countersigned_on
    return None


def oasys_completion(
    case: Case,
    *,
    parts: Iterable[OasysPart],
    full_analysis: FullAnalysisRule = "if_screened_in",
) -> OasysCompletion:
    """Completion of the required OASys parts for the case's start (see module notes)."""
    start_kind, start = case.start_event
    candidates = _candidates(case, start_kind, start)
    required: list[OasysPart] = [part for part in parts if part is not OasysPart.FULL_ANALYSIS]
    screened_in: bool | None = None
    screenings = [a.screening for a in candidates if a.screening and a.screening.completed_on]
    if screenings:
        screened_in = any(screening.full_analysis_required for screening in screenings)
    if full_analysis == "always" or (full_analysis == "if_screened_in" and screened_in):
        required.append(OasysPart.FULL_ANALYSIS)
    part_dates: list[tuple[OasysPart, dt.date | None]] = []
    for part in required:
        if part is OasysPart.FULL_ANALYSIS:
            days = [_full_analysis_date(a) for a in candidates]
        else:
            days = [a.part_completed_on(part) for a in candidates]
        known = [day for day in days if day is not None]
        part_dates.append((part, min(known) if known else None))
    return OasysCompletion(
        start=(start_kind, start),
        required=tuple(required),
        part_dates=tuple(part_dates),
        full_analysis_required=(
            True
            if full_analysis == "always"
            else (False if full_analysis == "never" else screened_in)
        ),
        assessments=tuple(a.id for a in candidates),
    )
