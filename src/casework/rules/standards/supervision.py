"""Enforcement, victims, reports, transfers, home visits and contact: the 2005 and 2007 versions.

Rules over several units of a case (breaches, victims) ask the per-unit
check of :mod:`casework.rules.units` of each and combine the answers, so a
case-level finding and a target figure can never disagree about a unit.
Where the sources state no timescale (allocation, induction, appointment and
unpaid work frequency) the rule reads a parameter with no value and reports
"cannot assess" until one is supplied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from casework.model import (
    Case,
    ContactKind,
    OasysPart,
    OffenceCategory,
    RequirementKind,
    RohLevel,
    SentenceKind,
    StaffRole,
)
from casework.model.supervision import Breach, TransferIn
from casework.rules.engine import (
    EVERY_CASE,
    Context,
    Evidence,
    MissingFactError,
    Population,
    Verdict,
    contradictory,
    not_applicable,
    rule,
)
from casework.rules.parameters import ParameterError
from casework.rules.population import (
    COMMUNITY_SENTENCE,
    HAS_BREACH,
    HAS_PSR,
    TRANSFERRED_IN,
    roh_at_least_at_start,
)
from casework.rules.standards.base import (
    IN_FORCE_2005,
    IN_FORCE_2007,
    ORDERS_AND_LICENCES,
    Wording,
    lasting_until,
    periodic_check,
    roh_at_least_on,
    supervision_ended,
)
from casework.rules.timing import DeadlineLabels, deadline_check
from casework.rules.units import (
    breach_action,
    breach_resolution,
    combine,
    psr_delivery,
    unit_label,
    victim_contact,
)
from casework.text import long_date

__all__ = [
    "ALLOCATION_LABELS",
    "FIRST_APPOINTMENT_LABELS",
    "FIRST_CONTACT",
    "HAS_STATUTORY_VICTIM",
    "HOME_VISIT_LABELS",
    "INDUCTION_LABELS",
    "NOTIFICATION",
    "RMP_REVIEW_LABELS",
    "allocation_2007",
    "appointment_frequency_2007",
    "breach_action_2005",
    "breach_action_2007",
    "breach_resolution_2005",
    "breach_resolution_2007",
    "home_visit_high_roh_2007",
    "induction_2007",
    "psr_delivery_2005",
    "psr_delivery_2007",
    "transfer_first_appointment_2007",
    "transfer_home_visit_2007",
    "transfer_rmp_review_2007",
    "upw_frequency_2007",
    "victim_contact_2005",
    "victim_contact_2007",
]

# ---------------------------------------------------------------- breaches

_NO_BREACH = "No unacceptable failure to comply is recorded."


def _each_breach(check: Callable[[Context, Breach], Verdict]) -> Callable[[Case, Context], Verdict]:
    def each(case: Case, ctx: Context) -> Verdict:
        breaches = sorted(case.breaches, key=lambda breach: breach.failed_on)
        return combine(
            [(unit_label("Breach", breach.failed_on), check(ctx, breach)) for breach in breaches],
            none=_NO_BREACH,
        )

    return each


_breach_actions = _each_breach(breach_action)
_breach_resolutions = _each_breach(breach_resolution)

_ACTION_QUESTION = (
    "Was breach action instigated within 10 working days of every unacceptable failure to comply?"
)
_RESOLUTION_QUESTION = (
    "Was every breach resolved within 25 working days of the relevant unacceptable failure "
    "to comply?"
)

breach_action_2005 = rule(
    "NS05.breach-action",
    question=_ACTION_QUESTION,
    source="001:771",
    kind="timeliness",
    applies_to=HAS_BREACH,
    parameters=("breach_action_limit",),
    group="enforcement",
    **IN_FORCE_2005,
)(_breach_actions)

breach_action_2007 = rule(
    "NS07.breach-action",
    question=_ACTION_QUESTION,
    source=("004:560", "004:760"),
    kind="timeliness",
    applies_to=HAS_BREACH,
    parameters=("breach_action_limit",),
    group="enforcement",
    **IN_FORCE_2007,
)(_breach_actions)

breach_resolution_2005 = rule(
    "NS05.breach-resolution",
    question=_RESOLUTION_QUESTION,
    source="001:546",
    kind="timeliness",
    applies_to=HAS_BREACH,
    parameters=("breach_resolution_limit",),
    group="enforcement",
    notes="2005-06 counts from the second unacceptable absence: record that date as failed_on.",
    **IN_FORCE_2005,
)(_breach_resolutions)

breach_resolution_2007 = rule(
    "NS07.breach-resolution",
    question=_RESOLUTION_QUESTION,
    source=("004:560", "004:780", "003:703"),
    kind="timeliness",
    applies_to=HAS_BREACH,
    parameters=("breach_resolution_limit",),
    group="enforcement",
    **IN_FORCE_2007,
)(_breach_resolutions)


# ---------------------------------------------------------------- victims and reports

HAS_STATUTORY_VICTIM = Population(
    "cases with a victim recorded as eligible for statutory victim contact",
    lambda case, _ctx: any(victim.statutory for victim in case.victims),
)

_STATUTORY_OFFENCES = frozenset({OffenceCategory.SERIOUS_SEXUAL, OffenceCategory.SERIOUS_VIOLENT})


def _why_not_statutory(case: Case, shortest: int) -> str | None:
    """What in the sentence, if recorded, rules statutory contact out (003:713, 001:373)."""
    sentence = case.sentence
    if sentence.kind not in {SentenceKind.CUSTODY, SentenceKind.LICENCE}:
        return f"the sentence is not custodial ({sentence.kind.value.replace('_', ' ')})"
    months = sentence.custodial_months
    if months is not None and months < shortest:
        return f"the custodial term is {months} months"
    category = sentence.offence_category
    if category is not None and category not in _STATUTORY_OFFENCES:
        return "the offence is recorded as neither serious sexual nor serious violent"
    return None


def _statutory_victim_contact(case: Case, ctx: Context) -> Verdict:
    scheme = ctx.param("statutory_victim_custody_months")
    shortest = scheme.value
    if not isinstance(shortest, int):
        raise ParameterError(f"{scheme.name} must be a whole number of months")
    conflict = _why_not_statutory(case, shortest)
    if conflict is not None:
        return contradictory(
            "Cannot assess: a victim is recorded as eligible for statutory contact, but "
            f"{conflict}; statutory contact follows {shortest} months or more in custody for a "
            "serious sexual or violent offence.",
            Evidence(
                "statutory scheme: shortest custodial term in months", shortest, scheme.source
            ),
        )
    victims = [victim for victim in case.victims if victim.statutory]
    return combine(
        [(f"Victim {victim.id}", victim_contact(ctx, case, victim)) for victim in victims],
        none="No victim is recorded as eligible for statutory contact.",
    )


_VICTIM_QUESTION = (
    "Statutory victim case: was every eligible victim contacted (or offered contact) within "
    "8 weeks of sentence?"
)
_VICTIM_NOTES = (
    "Victims flagged 'statutory' count; a sentence recorded as not qualifying (not custodial, "
    "under 12 months, offence neither serious sexual nor violent) is a contradiction "
    "(docs/decisions.md#statutory-victim)."
)

victim_contact_2005 = rule(
    "NS05.victim-contact",
    question=_VICTIM_QUESTION,
    source="001:373",
    kind="timeliness",
    applies_to=HAS_STATUTORY_VICTIM,
    parameters=("victim_contact_limit", "statutory_victim_custody_months"),
    group="victims",
    notes=_VICTIM_NOTES,
    **IN_FORCE_2005,
)(_statutory_victim_contact)

victim_contact_2007 = rule(
    "NS07.victim-contact",
    question=_VICTIM_QUESTION,
    source=("003:713", "004:771"),
    kind="timeliness",
    applies_to=HAS_STATUTORY_VICTIM,
    parameters=("victim_contact_limit", "statutory_victim_custody_months"),
    group="victims",
    notes=_VICTIM_NOTES,
    **IN_FORCE_2007,
)(_statutory_victim_contact)


def _psr_on_time(case: Case, ctx: Context) -> Verdict:
    if case.psr is None:  # excluded by the population; kept for the type checker
        raise MissingFactError("no pre-sentence report is recorded")
    return psr_delivery(ctx, case.psr)


_PSR_QUESTION = "Was the pre-sentence report delivered by the date agreed with the court?"

psr_delivery_2005 = rule(
    "NS05.psr-delivery",
    question=_PSR_QUESTION,
    source="001:461",
    kind="timeliness",
    applies_to=HAS_PSR,
    group="court",
    notes="The timescale is the court's: the agreed date, with any agreed extension.",
    **IN_FORCE_2005,
)(_psr_on_time)

psr_delivery_2007 = rule(
    "NS07.psr-delivery",
    question=_PSR_QUESTION,
    source=("003:715", "004:344"),
    kind="timeliness",
    applies_to=HAS_PSR,
    group="court",
    notes="The timescale is the court's: the agreed date, with any agreed extension.",
    **IN_FORCE_2007,
)(_psr_on_time)


# ---------------------------------------------------------------- transfers and home visits

_NOTIFICATION = "notification of the transfer"
#: The trigger of the transfer deadlines, in words.
NOTIFICATION = _NOTIFICATION
#: How the supervision deadlines are worded (the rules and their kernels).
FIRST_APPOINTMENT_LABELS = DeadlineLabels("First appointment", "No first appointment")
HOME_VISIT_LABELS = DeadlineLabels("Home visit", "No home visit")
ALLOCATION_LABELS = DeadlineLabels(
    "Allocated to an offender manager", "Not allocated to an offender manager"
)
INDUCTION_LABELS = DeadlineLabels("Full induction", "No full induction")
RMP_REVIEW_LABELS = DeadlineLabels(
    "Risk management plan reviewed", "Risk management plan not reviewed"
)
FIRST_CONTACT = "first contact with the offender"


def _home_visits_from(case: Case, day: dt.date) -> dt.date | None:
    """The first home visit on or after ``day`` (a home visit record or the transfer's)."""
    days = [visit.on for visit in case.home_visits]
    if case.transfer_in is not None and case.transfer_in.home_visit_on is not None:
        days.append(case.transfer_in.home_visit_on)
    return min((visit for visit in days if visit >= day), default=None)


def _transfer(case: Case) -> TransferIn:
    if case.transfer_in is None:  # excluded by the population; kept for the type checker
        raise MissingFactError("no transfer in is recorded")
    return case.transfer_in


@rule(
    "NS07.transfer-first-appointment",
    question="Transfer in: was a first appointment made within five working days of notification?",
    source="004:496",
    kind="timeliness",
    applies_to=TRANSFERRED_IN,
    parameters=("transfer_first_appointment_limit",),
    group="transfer",
    **IN_FORCE_2007,
)
def transfer_first_appointment_2007(case: Case, ctx: Context) -> Verdict:
    transfer = _transfer(case)
    return deadline_check(
        ctx,
        done=transfer.first_appointment_on,
        anchor=transfer.notified_on,
        anchor_label=_NOTIFICATION,
        limit="transfer_first_appointment_limit",
        labels=FIRST_APPOINTMENT_LABELS,
    )


@rule(
    "NS07.transfer-home-visit",
    question="Transfer in: was a home visit made within ten working days of notification?",
    source="004:496",
    kind="timeliness",
    applies_to=TRANSFERRED_IN,
    roh=True,
    parameters=("transfer_home_visit_limit",),
    group="transfer",
    notes="The first home visit on or after notification, recorded on the transfer or as a "
    "home visit.",
    **IN_FORCE_2007,
)
def transfer_home_visit_2007(case: Case, ctx: Context) -> Verdict:
    notified = _transfer(case).notified_on
    return deadline_check(
        ctx,
        done=_home_visits_from(case, notified),
        anchor=notified,
        anchor_label=_NOTIFICATION,
        limit="transfer_home_visit_limit",
        labels=HOME_VISIT_LABELS,
    )


_HIGH_ROH_TRANSFER = Population(
    "cases transferred in that were high or very high RoH at notification",
    lambda case, _ctx: (
        case.transfer_in is not None
        and roh_at_least_on(RohLevel.HIGH, case.transfer_in.notified_on, case)
    ),
)


@rule(
    "NS07.transfer-rmp-review",
    question=(
        "Transfer in, high or very high RoH: was the risk management plan reviewed and updated "
        "within five working days of contact with the offender?"
    ),
    source="004:496",
    kind="timeliness",
    applies_to=_HIGH_ROH_TRANSFER,
    roh=True,
    parameters=("transfer_rmp_review_limit",),
    group="transfer",
    notes="The first RMP completed on or after notification counts; the clock starts at the "
    "first contact with the offender in the receiving area.",
    **IN_FORCE_2007,
)
def transfer_rmp_review_2007(case: Case, ctx: Context) -> Verdict:
    transfer = _transfer(case)
    notified, contact = transfer.notified_on, transfer.first_contact_on
    if contact is None:
        raise MissingFactError(
            "no first contact with the offender in the receiving area is recorded for the transfer"
        )
    plans = [
        day
        for assessment in case.assessments
        if (day := assessment.part_completed_on(OasysPart.RMP)) is not None and day >= notified
    ]
    return deadline_check(
        ctx,
        done=min(plans, default=None),
        anchor=contact,
        anchor_label=FIRST_CONTACT,
        limit="transfer_rmp_review_limit",
        extra=(Evidence(_NOTIFICATION, notified),),
        labels=RMP_REVIEW_LABELS,
    )


def _home_visit_due(case: Case, ctx: Context) -> dt.date:
    return ctx.calendar.add(case.start_event[1], ctx.param("home_visit_limit").duration)


def _approved_premises_before_due(case: Case, ctx: Context) -> dt.date | None:
    """When the case came to live in approved premises, if at any time from the start to the
    home visit's due date."""
    start, due = case.start_event[1], _home_visit_due(case, ctx)
    return next(
        (
            residence.arrived_on
            for residence in case.approved_premises
            if residence.arrived_on <= due
            and (residence.left_on is None or residence.left_on >= start)
        ),
        None,
    )


#: Why a case living in approved premises is outside NS07.home-visit-high-roh (the day it
#: arrived in words): filled in by the rule's population and, a column at a time, by its
#: columnar form.
IN_APPROVED_PREMISES = "Living in approved premises from {arrived}."


def _in_approved_premises(case: Case, ctx: Context) -> Verdict | None:
    arrived = _approved_premises_before_due(case, ctx)
    if arrived is None:
        return None
    return not_applicable(
        IN_APPROVED_PREMISES.format(arrived=long_date(arrived)),
        Evidence("approved premises from", arrived),
    )


@rule(
    "NS07.home-visit-high-roh",
    question=(
        "High or very high RoH case (not in approved premises): was a home visit carried out "
        "within ten working days of sentence or release?"
    ),
    source=("004:521", "004:218"),
    kind="timeliness",
    applies_to=(
        ORDERS_AND_LICENCES
        & roh_at_least_at_start(RohLevel.HIGH)
        & Population(
            "not in approved premises",
            lambda case, ctx: _approved_premises_before_due(case, ctx) is None,
            _in_approved_premises,
        )
    ).named(
        "high or very high RoH community orders, suspended sentence orders and licences, "
        "except those living in approved premises before the home visit fell due"
    ),
    roh=True,
    parameters=("home_visit_limit",),
    group="home-visit",
    notes="Cases living in approved premises at any time from the start to the due date are "
    "excluded (004:521).",
    **IN_FORCE_2007,
)
def home_visit_high_roh_2007(case: Case, ctx: Context) -> Verdict:
    kind, start = case.start_event
    return deadline_check(
        ctx,
        done=_home_visits_from(case, start),
        anchor=start,
        anchor_label=kind,
        limit="home_visit_limit",
        labels=HOME_VISIT_LABELS,
    )


# ---------------------------------------------------------------- unstated timescales

_OFFENDER_MANAGERS = frozenset({StaffRole.PO, StaffRole.PSO, StaffRole.TPO, StaffRole.SPO})


@rule(
    "NS07.allocation",
    question="Community case: was the offender allocated to an offender manager within the "
    "required timescale?",
    source="004:440-442",
    kind="timeliness",
    applies_to=COMMUNITY_SENTENCE,
    parameters=("allocation_limit",),
    group="allocation",
    notes="The timescale is not stated: allocation_limit has no value and must be supplied. "
    "The first assignment to a PO, PSO, TPO or SPO counts.",
    **IN_FORCE_2007,
)
def allocation_2007(case: Case, ctx: Context) -> Verdict:
    starts = [a.start for a in case.om_assignments if a.role in _OFFENDER_MANAGERS]
    return deadline_check(
        ctx,
        done=min(starts, default=None),
        anchor=case.sentence.sentenced_on,
        anchor_label="sentence",
        limit="allocation_limit",
        labels=ALLOCATION_LABELS,
    )


@rule(
    "NS07.induction",
    question="Was a full and timely induction offered following sentence or release?",
    source="004:556",
    kind="timeliness",
    applies_to=EVERY_CASE,
    parameters=("induction_limit",),
    group="induction",
    notes="The timescale is not stated: induction_limit has no value and must be supplied. "
    "The first full induction counts.",
    **IN_FORCE_2007,
)
def induction_2007(case: Case, ctx: Context) -> Verdict:
    kind, start = case.start_event
    full = [induction.on for induction in case.inductions if induction.full]
    return deadline_check(
        ctx,
        done=min(full, default=None),
        anchor=start,
        anchor_label=kind,
        limit="induction_limit",
        labels=INDUCTION_LABELS,
    )


def _unpaid_work_only(case: Case) -> bool:
    requirements = case.sentence.requirements
    return bool(requirements) and all(
        requirement.kind is RequirementKind.UNPAID_WORK for requirement in requirements
    )


_APPOINTMENTS = Wording(
    noun="appointment",
    done_label="Appointment",
    missing_label="No appointment",
    previous_label="the previous appointment",
)
_NOT_APPOINTMENTS = frozenset({ContactKind.UNPAID_WORK_SESSION, ContactKind.PROGRAMME_SESSION})


@rule(
    "NS07.appointment-frequency",
    question="Did the frequency of appointments conform to national standards?",
    source="004:561",
    kind="timeliness",
    applies_to=(
        ORDERS_AND_LICENCES
        & Population("not unpaid work only", lambda case, _ctx: not _unpaid_work_only(case))
        & lasting_until(
            "not ended",
            lambda case, ctx: ctx.calendar.add(
                case.start_event[1], ctx.param("appointment_interval_limit").duration
            ),
            what="the first appointment",
        )
    ).named(
        "cases in the community except those undertaking unpaid work only, not ended before "
        "the first appointment fell due"
    ),
    parameters=("appointment_interval_limit",),
    group="contact",
    notes="The frequency is not stated: appointment_interval_limit (the longest gap allowed "
    "between appointments) has no value and must be supplied. Every gap from the start to "
    "as_of is checked; unpaid work and programme sessions are not appointments.",
    **IN_FORCE_2007,
)
def appointment_frequency_2007(case: Case, ctx: Context) -> Verdict:
    kind, start = case.start_event
    return periodic_check(
        ctx,
        anchor=start,
        anchor_label=kind,
        done=[contact.on for contact in case.contacts if contact.kind not in _NOT_APPOINTMENTS],
        limit="appointment_interval_limit",
        words=_APPOINTMENTS,
        ended=supervision_ended(case),
        window=IN_FORCE_2007,
    )


_UPW_SESSIONS = Wording(
    noun="unpaid work session",
    done_label="Unpaid work session",
    missing_label="No unpaid work session",
    previous_label="the previous session",
)


def _unpaid_work_cycle(case: Case) -> tuple[dt.date, str, dt.date | None]:
    """Sessions count from the requirement's commencement (or the start of sentence) to its
    completion or the end of the order, whichever is first."""
    requirement = next(
        (r for r in case.sentence.requirements if r.kind is RequirementKind.UNPAID_WORK), None
    )
    if requirement is None:  # excluded by the population; kept for the type checker
        raise MissingFactError("no unpaid work requirement is recorded")
    start = requirement.commenced_on or case.sentence.start_date
    label = "commencement of unpaid work" if requirement.commenced_on else "the start of sentence"
    ends = [day for day in (requirement.completed_on, supervision_ended(case)) if day is not None]
    return start, label, min(ends, default=None)


@rule(
    "NS07.upw-frequency",
    question="Unpaid work: did the frequency of work sessions conform to national standards?",
    source="004:562",
    kind="timeliness",
    applies_to=(
        COMMUNITY_SENTENCE
        & Population(
            "with an unpaid work requirement",
            lambda case, _ctx: case.sentence.has_requirement(RequirementKind.UNPAID_WORK),
        )
        & lasting_until(
            "not ended",
            lambda case, ctx: ctx.calendar.add(
                _unpaid_work_cycle(case)[0], ctx.param("upw_session_interval_limit").duration
            ),
            what="the first unpaid work session",
            ended=lambda case: _unpaid_work_cycle(case)[2],
            ending="Unpaid work completed or the order ended",
        )
    ).named(
        "community and suspended sentence orders with an unpaid work requirement not "
        "completed or ended before the first work session fell due"
    ),
    parameters=("upw_session_interval_limit",),
    group="contact",
    notes="The frequency is not stated: upw_session_interval_limit has no value and must be "
    "supplied. Counts from the requirement's commencement (or the start of sentence) to its "
    "completion, the end of the order, or as_of.",
    **IN_FORCE_2007,
)
def upw_frequency_2007(case: Case, ctx: Context) -> Verdict:
    start, label, ended = _unpaid_work_cycle(case)
    return periodic_check(
        ctx,
        anchor=start,
        anchor_label=label,
        done=[c.on for c in case.contacts if c.kind is ContactKind.UNPAID_WORK_SESSION],
        limit="upw_session_interval_limit",
        words=_UPW_SESSIONS,
        ended=ended,
        window=IN_FORCE_2007,
    )
