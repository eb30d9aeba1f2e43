"""Tier, risk of harm, MAPPA and OASys assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Self

from pydantic import Field, model_validator

from casework.model.base import CodedError, Day, FreeText, Identifier, Record, RohLevelInput
from casework.model.enums import (
    AssessmentPurpose,
    EventKind,
    MappaCategory,
    MappaLevel,
    OasysPart,
    ReviewTrigger,
    RiskGroup,
    RohLevel,
    SentencePlanKind,
    StaffRole,
    Tier,
)


class TierRecord(Record):
    """A tier allocation, in force from ``on`` until the next one."""

    tier: Tier
    """Offender management tier 1-4."""
    on: Day
    """Date the tier was allocated."""


class RohRecord(Record):
    """A risk of harm classification, in force from ``on`` until the next one.

    RoH level, MAPPA level and tier are independent recorded attributes; none
    is derived from another (004:854; 002:243).
    """

    level: RohLevelInput
    """Overall risk of (serious) harm level."""
    on: Day
    """Date of the classification."""
    risk_to: dict[RiskGroup, RohLevelInput] = Field(default_factory=dict)
    """Level of risk to each group assessed (children, public, known adult, staff, prisoners)."""


class MappaLevelRecord(Record):
    """A MAPPA level, in force from ``on``."""

    level: MappaLevel
    """Level 1, 2 or 3."""
    on: Day
    """Date the level was set."""


class Mappa(Record):
    """Multi-Agency Public Protection Arrangements for the case."""

    category: MappaCategory | None = None
    """MAPPA category, where recorded."""
    levels: tuple[MappaLevelRecord, ...] = ()
    """Level history; empty where the level was never recorded (a consistency failure)."""

    @model_validator(mode="after")
    def _one_level_per_date(self) -> Self:
        days = [record.on for record in self.levels]
        if len(set(days)) != len(days):
            raise CodedError("mappa.duplicate_date", "expected one MAPPA level per date")
        return self

    def level_on(self, day: dt.date) -> MappaLevel | None:
        """The level in force on ``day``, if any."""
        current = [rec for rec in self.levels if rec.on <= day]
        return max(current, key=lambda rec: rec.on).level if current else None


class Screening(Record):
    """OASys risk of harm screening (002:273-276)."""

    completed_on: Day | None = None
    """When the screening was completed; ``None`` if started but not completed."""
    full_analysis_required: bool
    """Whether the screening raised a concern calling for a full analysis (002:274-276)."""


class FullAnalysis(Record):
    """OASys full risk of harm analysis (002:276-278)."""

    completed_on: Day | None = None
    """When the analysis was completed."""
    exempted: bool = False
    """The offender manager claimed an exemption from the full analysis (002:278)."""
    exemption_countersigned_on: Day | None = None
    """When an SPO countersigned the exemption (002:278)."""


class RiskManagementPlan(Record):
    """Risk management plan (002:279; 004:369, 004:377)."""

    completed_on: Day | None = None
    """When the plan was completed."""


class SentencePlan(Record):
    """OASys sentence plan (or, for unpaid work only cases, the UPW assessment, 004:433)."""

    kind: SentencePlanKind = SentencePlanKind.INITIAL
    """Which kind of plan."""
    completed_on: Day | None = None
    """When the plan was completed."""


class OasysAssessment(Record):
    """One OASys assessment or review and the parts completed in it.

    A review (``purpose="review"``) names the assessment it ``reviews`` and its
    ``trigger``; it cannot be dated before the assessment it reviews.
    """

    id: Identifier
    """Identifier, unique within the case."""
    purpose: AssessmentPurpose
    """Why the assessment was done."""
    trigger: ReviewTrigger | None = None
    """For reviews: what prompted it (scheduled, significant incident, release, transfer)."""
    reviews: Identifier | None = None
    """For reviews: the ``id`` of the assessment reviewed."""
    completed_on: Day | None = None
    """When the assessment itself (the likelihood of reoffending sections) was completed."""
    screening: Screening | None = None
    """RoH screening done in this assessment."""
    full_analysis: FullAnalysis | None = None
    """Full RoH analysis done in this assessment."""
    rmp: RiskManagementPlan | None = None
    """Risk management plan done or updated in this assessment."""
    sentence_plan: SentencePlan | None = None
    """Sentence plan done or reviewed in this assessment."""
    ogrs2: int | None = Field(default=None, ge=0, le=100)
    """OGRS2 score, where calculated (004:394)."""
    countersigned_on: Day | None = None
    """When a manager countersigned the assessment (002:752, 002:304)."""
    countersigned_by: StaffRole | None = None
    """Role of the countersigning manager."""
    parts_with_assessment: bool = False
    """Every part recorded in this assessment with no date of its own was completed with
    the assessment, on its ``completed_on`` (one date written once; an exempted full
    analysis is not completed). Read when the record is loaded, so every reader (rules,
    columns, exports) sees the parts dated (docs/decisions.md#assessment-parts)."""

    @model_validator(mode="before")
    @classmethod
    def _parts_dated_by_the_assessment(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("parts_with_assessment") is not True:
            return data
        completed = data.get("completed_on")
        if completed is None:
            return data  # started, not completed: nor are its undated parts
        filled = dict(data)
        for part in _PARTS:
            value = filled.get(part)
            if isinstance(value, dict):
                if value.get("completed_on") is None and not value.get("exempted"):
                    filled[part] = {**value, "completed_on": completed}
            elif (
                isinstance(value, Record)
                and getattr(value, "completed_on", None) is None
                and not getattr(value, "exempted", False)
            ):
                filled[part] = {
                    **value.model_dump(exclude_defaults=True),
                    "completed_on": completed,
                }
        return filled

    @model_validator(mode="after")
    def _review_fields(self) -> Self:
        if self.purpose is AssessmentPurpose.REVIEW and self.trigger is None:
            raise CodedError("review.no_trigger", "expected a trigger for a review")
        if self.purpose is not AssessmentPurpose.REVIEW and (
            self.trigger is not None or self.reviews is not None
        ):
            raise CodedError(
                "assessment.review_fields",
                "expected no trigger and no reviews except on a review (purpose 'review')",
            )
        return self

    def part_completed_on(self, part: OasysPart) -> dt.date | None:
        """Completion date of one part, or ``None`` if not done in this assessment."""
        match part:
            case OasysPart.ASSESSMENT:
                return self.completed_on
            case OasysPart.SCREENING:
                return self.screening.completed_on if self.screening else None
            case OasysPart.FULL_ANALYSIS:
                return self.full_analysis.completed_on if self.full_analysis else None
            case OasysPart.RMP:
                return self.rmp.completed_on if self.rmp else None
            case OasysPart.SENTENCE_PLAN:
                return self.sentence_plan.completed_on if self.sentence_plan else None

    @property
    def covers_risk_of_harm(self) -> bool:
        """Whether any RoH part (screening, full analysis, RMP) was completed in it."""
        return any(
            self.part_completed_on(part) is not None
            for part in (OasysPart.SCREENING, OasysPart.FULL_ANALYSIS, OasysPart.RMP)
        )

    @property
    def latest_date(self) -> dt.date | None:
        """The latest completion date of any part."""
        dates = [self.part_completed_on(part) for part in OasysPart]
        known = [day for day in dates if day is not None]
        return max(known) if known else None


#: The parts of an assessment that carry their own completion date.
_PARTS = ("screening", "full_analysis", "rmp", "sentence_plan")


class SignificantEvent(Record):
    """A significant incident, change or acute risk factor (002:658-660; 004:515, 004:520)."""

    _withheld: ClassVar[frozenset[str]] = frozenset({"description"})

    on: Day
    """When it happened."""
    kind: EventKind
    """What kind of event."""
    identified_on: Day | None = None
    """When staff identified it, if later (question 2.2.u)."""
    description: FreeText | None = None
    """What happened, in staff's words. Never echoed in errors."""


__all__ = [
    "FullAnalysis",
    "Mappa",
    "MappaLevelRecord",
    "OasysAssessment",
    "RiskManagementPlan",
    "RohLevel",
    "RohRecord",
    "Screening",
    "SentencePlan",
    "SignificantEvent",
    "TierRecord",
]
