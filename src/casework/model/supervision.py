"""Court reports, contact, enforcement, victims, transfers and the rest of supervision."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, model_validator

from casework.model.base import CodedError, Day, FreeText, Identifier, Record
from casework.model.enums import (
    AccommodationStatus,
    BreachResolution,
    ContactKind,
    ContactOutcome,
    EmploymentKind,
    HomeVisitPurpose,
    InterventionKind,
    PsrKind,
    SentenceKind,
    StaffRole,
)


class Psr(Record):
    """Pre-sentence report (004:343-352; 001:457-461; 003:715)."""

    kind: PsrKind
    """Oral, fast delivery or standard delivery."""
    requested_on: Day
    """When the court requested the report."""
    due_on: Day | None = None
    """Date agreed with the court, including any agreed extension."""
    delivered_on: Day | None = None
    """When the report was delivered to the court."""
    proposal: SentenceKind | None = None
    """The sentence the report proposed."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.due_on is not None and self.due_on < self.requested_on:
            raise CodedError("psr.due_before_request", "expected due_on on or after requested_on")
        if self.delivered_on is not None and self.delivered_on < self.requested_on:
            raise CodedError(
                "psr.delivered_before_request", "expected delivered_on on or after requested_on"
            )
        return self


class Contact(Record):
    """An arranged appointment or other contact with the offender."""

    on: Day
    """Date of the appointment."""
    kind: ContactKind = ContactKind.OFFICE
    """Kind of contact."""
    outcome: ContactOutcome | None = None
    """Attended, acceptable absence or unacceptable absence; ``None`` if not recorded."""
    arranged_per_standards: bool | None = None
    """Arranged in accordance with National Standards (PM1, 001:534)."""


class Breach(Record):
    """Enforcement following an unacceptable failure to comply (004:560; 003:703)."""

    failed_on: Day
    """The relevant unacceptable failure to comply: the clock starts here."""
    action_on: Day | None = None
    """When breach action (or recall action) was instigated."""
    resolved_on: Day | None = None
    """When the breach proceedings were resolved."""
    resolution: BreachResolution | None = None
    """How they were resolved."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.action_on is not None and self.action_on < self.failed_on:
            raise CodedError(
                "breach.action_before_failure", "expected action_on on or after failed_on"
            )
        if self.resolved_on is not None and self.resolved_on < self.failed_on:
            raise CodedError(
                "breach.resolved_before_failure", "expected resolved_on on or after failed_on"
            )
        return self


class Victim(Record):
    """A victim known to the case. No names: victims are referred to by an id."""

    id: Identifier
    """Identifier, unique within the case."""
    statutory: bool = False
    """Eligible for statutory victim contact (004:535; 002:686)."""
    contact_offered_on: Day | None = None
    """When contact (face to face) was first offered."""
    contacted_on: Day | None = None
    """When the victim was first contacted."""
    face_to_face_on: Day | None = None
    """When face-to-face contact took place."""
    informed_of_conditions_on: Day | None = None
    """When the victim was told of release conditions (004:535)."""
    informed_of_release_on: Day | None = None
    """When the victim was told of the release (004:535)."""


class TransferIn(Record):
    """A case transferred in from another area (004:496)."""

    _withheld: ClassVar[frozenset[str]] = frozenset({"from_area"})

    notified_on: Day
    """When the receiving area was notified."""
    from_area: FreeText | None = None
    """The sending area."""
    oasys_complete_and_current: bool | None = None
    """Whether the sending area provided a complete and current OASys (004:496)."""
    first_appointment_on: Day | None = None
    """First appointment in the receiving area."""
    first_contact_on: Day | None = None
    """First contact with the offender in the receiving area."""
    home_visit_on: Day | None = None
    """First home visit in the receiving area."""


class HomeVisit(Record):
    """A home visit (004:521)."""

    on: Day
    """Date of the visit."""
    purpose: HomeVisitPurpose = HomeVisitPurpose.OTHER
    """Why the visit was made."""


class Induction(Record):
    """An induction after sentence or release (004:556)."""

    on: Day
    """Date of the induction."""
    full: bool = True
    """Whether it was a full induction."""


class ApprovedPremisesResidence(Record):
    """Residence in approved premises (004:600, 004:616; 002:579-607)."""

    referred_on: Day | None = None
    """When the referral was made."""
    arrived_on: Day
    """Date of arrival."""
    left_on: Day | None = None
    """Date of departure, if the offender has left."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.left_on is not None and self.left_on < self.arrived_on:
            raise CodedError(
                "premises.left_before_arrival", "expected left_on on or after arrived_on"
            )
        return self


class Intervention(Record):
    """A constructive, restrictive or other intervention (004:578-627)."""

    kind: InterventionKind
    """Kind of intervention."""
    planned_start: Day | None = None
    """When the sentence plan said it would start."""
    started_on: Day | None = None
    """When it actually started."""
    completed_on: Day | None = None
    """When it was completed."""
    in_custody: bool = False
    """Delivered in custody."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if (
            self.started_on is not None
            and self.completed_on is not None
            and self.completed_on < self.started_on
        ):
            raise CodedError(
                "intervention.completed_before_start",
                "expected completed_on on or after started_on",
            )
        return self


class Recall(Record):
    """A recall to custody (004:510; 002:646)."""

    on: Day
    """Date of recall."""
    roh_related: bool = False
    """Whether the recall was for risk of harm reasons."""


class CustodyMove(Record):
    """A move between prisons while in custody (004:481, 004:496)."""

    on: Day
    """Date of the move."""
    om_notified_on: Day | None = None
    """When the offender manager was told."""


class OmAssignment(Record):
    """A period in which a member of staff managed the case (004:690; 002:913)."""

    staff: Identifier
    """Staff identifier (not a name)."""
    role: StaffRole
    """Role of the member of staff."""
    start: Day
    """First day of the assignment."""
    end: Day | None = None
    """Last day, if it has ended."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise CodedError("om_assignment.end_before_start", "expected end on or after start")
        return self


class EmploymentEpisode(Record):
    """A job or vocational training started during supervision (001:592; 003:707)."""

    kind: EmploymentKind
    """Employment or vocational training."""
    started_on: Day
    """First day."""
    ended_on: Day | None = None
    """Last day, if it has ended."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise CodedError(
                "employment.end_before_start", "expected ended_on on or after started_on"
            )
        return self


class Accommodation(Record):
    """Accommodation at the start and end of supervision (003 S16; 001 PM4)."""

    at_start: AccommodationStatus = AccommodationStatus.UNKNOWN
    """Status at the start."""
    at_end: AccommodationStatus = AccommodationStatus.UNKNOWN
    """Status at the end."""


class Outcomes(Record):
    """Recorded outcomes that are facts rather than judgements (004:657, 004:671)."""

    reconvicted_on: Day | None = None
    """Date of a further conviction since sentence, if any."""
    cautioned_on: Day | None = None
    """Date of a caution since sentence, if any."""
    oasys_rescored: bool | None = None
    """Whether OASys was rescored during supervision (004:671)."""
    employment: tuple[EmploymentEpisode, ...] = ()
    """Jobs and training started during supervision."""
    accommodation: Accommodation = Field(default_factory=Accommodation)
    """Accommodation at start and end."""
