"""The sentence: kind, dates, requirements and licence conditions."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Self

from pydantic import Field, model_validator

from casework.model.base import CodedError, Day, FreeText, Identifier, Record
from casework.model.enums import (
    LicenceConditionKind,
    OffenceCategory,
    Programme,
    ProgrammeCategory,
    RequirementKind,
    SentenceKind,
    TerminationReason,
)


class Requirement(Record):
    """One requirement of a community or suspended sentence order (CJA 2003 s.177)."""

    kind: RequirementKind
    """Which requirement."""
    hours: int | None = Field(default=None, ge=1, le=300)
    """Unpaid work hours; the CJA 2003 maximum is 300 (001:473)."""
    months: int | None = Field(default=None, ge=1, le=36)
    """Length in months, where the requirement has one."""
    programme: Programme | None = None
    """The accredited programme, for programme requirements."""
    programme_category: ProgrammeCategory | None = None
    """Category the 2007-08 targets count completions under (000:134-136)."""
    electronic_monitoring: bool = False
    """Curfew or exclusion enforced by electronic monitoring (004:558)."""
    commenced_on: Day | None = None
    """When it started (DRR commencement, first UPW session, first programme session)."""
    completed_on: Day | None = None
    """When the requirement was completed."""
    retained_until: Day | None = None
    """DRR/DTTO: last day the offender was still on the order and in treatment (N12, 003:711)."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if (
            self.commenced_on is not None
            and self.completed_on is not None
            and self.completed_on < self.commenced_on
        ):
            raise CodedError(
                "requirement.completed_before_start",
                "expected completed_on on or after commenced_on",
            )
        return self


class LicenceCondition(Record):
    """One condition of a licence."""

    _withheld: ClassVar[frozenset[str]] = frozenset({"text"})

    kind: LicenceConditionKind
    """Which condition."""
    additional: bool = False
    """An additional (not standard) condition (004:618)."""
    text: FreeText | None = None
    """The wording, if recorded. Never echoed in errors."""


class Termination(Record):
    """How and when the order or licence ended."""

    on: Day
    """Date of termination."""
    reason: TerminationReason
    """Why it ended."""


class Sentence(Record):
    """The sentence the case is supervised under."""

    kind: SentenceKind
    """Community order, suspended sentence order, custody (not yet released) or licence."""
    sentenced_on: Day
    """Date of sentence."""
    starts_on: Day | None = None
    """Commencement, where it differs from the date of sentence."""
    offence_category: OffenceCategory | None = None
    """Serious sexual / serious violent offence: decides statutory victim contact (003:713)."""
    custodial_months: int | None = Field(default=None, ge=0, le=1200)
    """Length of the custodial term in months (custody and licence cases)."""
    released_on: Day | None = None
    """Release from custody on licence (licence cases only)."""
    ends_on: Day | None = None
    """Expected end of the order or licence."""
    requirements: tuple[Requirement, ...] = ()
    """Requirements of a community or suspended sentence order."""
    licence_conditions: tuple[LicenceCondition, ...] = ()
    """Conditions of the licence."""
    termination: Termination | None = None
    """How the order or licence ended, once it has."""
    reference: Identifier | None = None
    """Court or case-management reference for the sentence, if any."""

    @property
    def start_date(self) -> dt.date:
        """Commencement: ``starts_on``, or the date of sentence when it is not given."""
        return self.starts_on or self.sentenced_on

    def has_requirement(self, kind: RequirementKind) -> bool:
        """Whether the order carries a requirement of ``kind``."""
        return any(req.kind is kind for req in self.requirements)

    @property
    def has_additional_licence_conditions(self) -> bool:
        """Whether any licence condition is additional (004:618)."""
        return any(cond.additional for cond in self.licence_conditions)
