"""Supervision records: events, PSRs, contacts, breaches, victims, transfers, visits,
interventions, recalls, employment, accommodation and outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from casework.calendar import Duration, TimeUnit, WorkingCalendar
from casework.model import (
    Accommodation,
    AccommodationStatus,
    ApprovedPremisesResidence,
    Breach,
    BreachResolution,
    Contact,
    ContactKind,
    ContactOutcome,
    CustodyMove,
    EmploymentEpisode,
    EmploymentKind,
    EventKind,
    HomeVisit,
    HomeVisitPurpose,
    Induction,
    Intervention,
    InterventionKind,
    OmAssignment,
    Outcomes,
    Psr,
    PsrKind,
    Recall,
    SentenceKind,
    SignificantEvent,
    StaffRole,
    TransferIn,
    Victim,
)
from casework.testing.builders import default_calendar
from casework.testing.strategies._common import (
    _AREAS,
    EARLIEST,
    LATEST,
    _between,
    _calendar,
    _days,
    _maybe,
    _optional,
    _strategy,
    _text,
    _upto,
)
from casework.testing.strategies.dates import _work_day


def _event(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    on = _between(draw, earliest, latest)
    identified = _between(draw, on, latest) if _maybe(draw, 0.3) else None
    return {
        "on": on,
        "kind": draw(st.sampled_from(EventKind)),
        "identified_on": identified,
        "description": _optional(draw, _text()),
    }


def significant_events(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[SignificantEvent]:
    """Significant incidents, changes and acute risk factors."""
    return _strategy(_event, earliest, latest).map(SignificantEvent.model_validate)


def _psr(
    draw: st.DrawFn,
    sentenced: dt.date,
    as_of: dt.date,
    calendar: WorkingCalendar,
    *,
    exact: bool = False,
) -> dict[str, Any]:
    requested = sentenced - _days(draw(st.integers(0, 40)))
    due = _upto(requested + _days(draw(st.integers(0, 25))), as_of) if _maybe(draw, 0.7) else None
    delivered = _work_day(
        draw, requested, as_of, calendar, [Duration(15, TimeUnit.WORKING_DAYS)], on_due_day=exact
    )
    if exact and due is not None:
        delivered = due
    if due is not None and delivered is None and _maybe(draw, 0.5):
        delivered = _upto(due + _days(draw(st.integers(-1, 1))), as_of)
        delivered = max(delivered, requested) if delivered else None
    return {
        "kind": draw(st.sampled_from(PsrKind)),
        "requested_on": requested,
        "due_on": due,
        "delivered_on": delivered,
        "proposal": _optional(draw, st.sampled_from(SentenceKind)),
    }


def psrs(earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> st.SearchStrategy[Psr]:
    """Pre-sentence reports: due dates agreed or not, delivered early, on the day, late or not."""
    return st.dates(earliest + _days(40), latest).flatmap(
        lambda sentenced: _strategy(_psr, sentenced, latest, default_calendar()).map(
            Psr.model_validate
        )
    )


def _contact(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    return {
        "on": _between(draw, earliest, latest),
        "kind": draw(st.sampled_from(ContactKind)),
        "outcome": _optional(draw, st.sampled_from(ContactOutcome)),
        "arranged_per_standards": _optional(draw, st.booleans()),
    }


def contacts(earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> st.SearchStrategy[Contact]:
    """Appointments and other contacts, attended or not."""
    return _strategy(_contact, earliest, latest).map(Contact.model_validate)


def _breach(
    draw: st.DrawFn,
    earliest: dt.date,
    latest: dt.date,
    calendar: WorkingCalendar,
    *,
    exact: bool = False,
) -> dict[str, Any]:
    failed = _between(draw, earliest, latest)
    action = _work_day(draw, failed, latest, calendar, on_due_day=exact)
    resolved = _work_day(draw, failed, latest, calendar, on_due_day=exact)
    return {
        "failed_on": failed,
        "action_on": action,
        "resolved_on": resolved,
        "resolution": draw(st.sampled_from(BreachResolution)) if resolved else None,
    }


def breaches(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
) -> st.SearchStrategy[Breach]:
    """Failures to comply and the enforcement that followed, on time, late or pending."""
    return _strategy(_breach, earliest, latest, _calendar(calendar)).map(Breach.model_validate)


def _victim(
    draw: st.DrawFn,
    id: str,
    sentenced: dt.date,
    latest: dt.date,
    calendar: WorkingCalendar,
    *,
    exact: bool = False,
) -> dict[str, Any]:
    offered = _work_day(draw, sentenced, latest, calendar, on_due_day=exact)
    contacted = (
        _work_day(draw, sentenced, latest, calendar, on_due_day=exact)
        if _maybe(draw, 0.5)
        else None
    )
    later = offered or contacted
    return {
        "id": id,
        "statutory": draw(st.booleans()),
        "contact_offered_on": offered,
        "contacted_on": contacted,
        "face_to_face_on": _between(draw, later, latest) if later and _maybe(draw, 0.4) else None,
        "informed_of_conditions_on": (
            _between(draw, sentenced, latest) if _maybe(draw, 0.2) else None
        ),
        "informed_of_release_on": _between(draw, sentenced, latest) if _maybe(draw, 0.2) else None,
    }


def victims(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
    id: str = "V1",
) -> st.SearchStrategy[Victim]:
    """Victims known to a case (by id), contacted on time, late or not at all."""
    cal = _calendar(calendar)
    return st.dates(earliest, latest).flatmap(
        lambda sentenced: _strategy(_victim, id, sentenced, latest, cal).map(Victim.model_validate)
    )


def _transfer(
    draw: st.DrawFn,
    earliest: dt.date,
    latest: dt.date,
    calendar: WorkingCalendar,
    *,
    exact: bool = False,
) -> dict[str, Any]:
    notified = _between(draw, earliest, latest)

    def after() -> dt.date | None:
        return _work_day(draw, notified, latest, calendar, on_due_day=exact)

    return {
        "notified_on": notified,
        "from_area": _optional(draw, st.sampled_from(_AREAS)),
        "oasys_complete_and_current": _optional(draw, st.booleans()),
        "first_appointment_on": after(),
        "first_contact_on": after(),
        "home_visit_on": after(),
    }


def transfers_in(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    calendar: WorkingCalendar | None = None,
) -> st.SearchStrategy[TransferIn]:
    """Transfers in from another area, with what followed them."""
    return _strategy(_transfer, earliest, latest, _calendar(calendar)).map(
        TransferIn.model_validate
    )


def home_visits(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[HomeVisit]:
    """Home visits."""
    return st.builds(
        HomeVisit, on=st.dates(earliest, latest), purpose=st.sampled_from(HomeVisitPurpose)
    )


def inductions(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[Induction]:
    """Inductions, full or not."""
    return st.builds(Induction, on=st.dates(earliest, latest), full=st.booleans())


def _approved_premises(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    arrived = _between(draw, earliest, latest)
    return {
        "referred_on": arrived - _days(draw(st.integers(0, 30))) if _maybe(draw, 0.5) else None,
        "arrived_on": arrived,
        "left_on": _between(draw, arrived, latest) if _maybe(draw, 0.4) else None,
    }


def approved_premises_residences(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[ApprovedPremisesResidence]:
    """Residence in approved premises."""
    return _strategy(_approved_premises, earliest, latest).map(
        ApprovedPremisesResidence.model_validate
    )


def _intervention(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    planned = _between(draw, earliest, latest) if _maybe(draw, 0.6) else None
    started = _between(draw, earliest, latest) if _maybe(draw, 0.6) else None
    completed = _between(draw, started, latest) if started and _maybe(draw, 0.4) else None
    return {
        "kind": draw(st.sampled_from(InterventionKind)),
        "planned_start": planned,
        "started_on": started,
        "completed_on": completed,
        "in_custody": draw(st.booleans()),
    }


def interventions(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[Intervention]:
    """Interventions, planned, started and completed or not."""
    return _strategy(_intervention, earliest, latest).map(Intervention.model_validate)


def recalls(earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> st.SearchStrategy[Recall]:
    """Recalls to custody."""
    return st.builds(Recall, on=st.dates(earliest, latest), roh_related=st.booleans())


def _custody_move(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    on = _between(draw, earliest, latest)
    return {"on": on, "om_notified_on": _between(draw, on, latest) if _maybe(draw, 0.6) else None}


def custody_moves(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[CustodyMove]:
    """Moves between prisons, the offender manager told or not."""
    return _strategy(_custody_move, earliest, latest).map(CustodyMove.model_validate)


def _om_assignment(
    draw: st.DrawFn, earliest: dt.date, latest: dt.date, number: int = 1
) -> dict[str, Any]:
    start = _between(draw, earliest, latest)
    return {
        "staff": f"S{number}",
        "role": draw(st.sampled_from(StaffRole)),
        "start": start,
        "end": _between(draw, start, latest) if _maybe(draw, 0.3) else None,
    }


def om_assignments(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[OmAssignment]:
    """Periods a member of staff (by id) managed a case."""
    return _strategy(_om_assignment, earliest, latest).map(OmAssignment.model_validate)


def _employment(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    started = _between(draw, earliest, latest)
    # jobs that end within weeks, later, or not at all
    ended = started + _days(draw(st.integers(0, 60) | st.integers(0, 400)))
    return {
        "kind": draw(st.sampled_from(EmploymentKind)),
        "started_on": started,
        "ended_on": _upto(ended, latest) if _maybe(draw, 0.5) else None,
    }


def employment_episodes(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[EmploymentEpisode]:
    """Jobs and training started during supervision."""
    return _strategy(_employment, earliest, latest).map(EmploymentEpisode.model_validate)


def accommodations() -> st.SearchStrategy[Accommodation]:
    """Accommodation at the start and end of supervision."""
    return st.builds(
        Accommodation,
        at_start=st.sampled_from(AccommodationStatus),
        at_end=st.sampled_from(AccommodationStatus),
    )


def _outcomes(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    return {
        "reconvicted_on": _between(draw, earliest, latest) if _maybe(draw, 0.1) else None,
        "cautioned_on": _between(draw, earliest, latest) if _maybe(draw, 0.05) else None,
        "oasys_rescored": _optional(draw, st.booleans()),
        "employment": [_employment(draw, earliest, latest) for _ in range(draw(st.integers(0, 2)))],
        "accommodation": {
            "at_start": draw(st.sampled_from(AccommodationStatus)),
            "at_end": draw(st.sampled_from(AccommodationStatus)),
        },
    }


def outcome_records(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[Outcomes]:
    """Recorded outcomes (reconviction, employment, accommodation)."""
    return _strategy(_outcomes, earliest, latest).map(Outcomes.model_validate)
