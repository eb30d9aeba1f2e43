"""Case-level and unit-level rules behind the national and regional targets.

Each target that can be computed from case records is a rule on the engine,
so its findings explain themselves like any other. Where the thing counted is
not a case (a breach, a victim, a report, an appointment, a requirement) the
rule answers once per unit (:attr:`~casework.rules.engine.Rule.units`): one
finding each, the unit named in the finding, its reason and its evidence.

The per-unit checks that National Standards also ask (breach action, breach
resolution, victim contact, report delivery) come from :mod:`casework.rules.units`;
the victims counted are the ones ``NS07.victim-contact`` counts; and the OASys
targets are the National Standards rules themselves (``NS07.oasys-*``,
``NS05.oasys-*``), so a target figure and a National Standards finding can never
disagree about a case.

Rules are shared between target sets: the 2005-06 and 2007-08 sets differ in
the parameters they read (resolved as at each set's start) and in the
thresholds in their data, not in code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TypeVar

import attrs

from casework.model import (
    AccommodationStatus,
    BreachResolution,
    Case,
    ContactOutcome,
    EmploymentKind,
    Programme,
    ProgrammeCategory,
    RequirementKind,
    TerminationReason,
)
from casework.model.sentence import Requirement
from casework.model.supervision import Breach, Contact, EmploymentEpisode, Psr, Victim
from casework.rules import units as unit_checks
from casework.rules.engine import (
    EVERY_CASE,
    Basis,
    Context,
    Evidence,
    MissingFactError,
    Population,
    Rule,
    RuleKind,
    Verdict,
    cannot_assess,
    met,
    not_applicable,
    not_met,
    not_yet_due,
    rule,
)
from casework.rules.population import COMMUNITY_SENTENCE, LICENCE
from casework.text import long_date

__all__ = ["CASE_RULE_ID", "TARGET_RULES", "target_rule", "unit_rule"]

T = TypeVar("T")

#: The descriptive rule every target rule set starts with: the case's area and dates.
CASE_RULE_ID = "TGT.case"

FROM_2005 = dt.date(2005, 4, 1)
FROM_2007 = dt.date(2007, 4, 1)

ORDERS_AND_LICENCES = (COMMUNITY_SENTENCE | LICENCE).named(
    "orders and licences (community orders, suspended sentence orders and licences)"
)

# ---------------------------------------------------------------- declaring per-unit rules


def _named(label: str, verdict: Verdict) -> Verdict:
    return attrs.evolve(
        verdict,
        unit=label,
        reason=f"{label}: {verdict.reason}",
        evidence=(Evidence("unit", label), *verdict.evidence),
    )


def _guarded(
    check: Callable[[Case, T, Context], Verdict], case: Case, item: T, ctx: Context
) -> Verdict:
    try:
        return check(case, item, ctx)
    except MissingFactError as missing:
        return missing.verdict()


def unit_rule(
    id: str,
    *,
    question: str,
    source: str | Iterable[str],
    kind: RuleKind | str,
    units: Callable[[Case], Sequence[tuple[str, T]]],
    having: str,
    applies_to: Population = EVERY_CASE,
    gate: Callable[[Case, Context], Verdict | None] | None = None,
    in_force_from: dt.date = FROM_2005,
    parameters: Iterable[str] = (),
    notes: str = "",
) -> Callable[[Callable[[Case, T, Context], Verdict]], Rule]:
    """Declare a rule asked of each unit of a case (each breach, each victim).

    ``units`` lists a case's units with their labels ("Breach of 18 June 2007");
    the decorated function judges one unit. The rule applies to the cases of
    ``applies_to`` with at least one unit (``having`` names them: "a pre-sentence
    report"), and gives one finding per unit, or the one case-level verdict
    ``gate`` returns when it returns one. Its case-level answer
    (:attr:`Rule.check`) combines the units the way National Standards rules do
    (:func:`casework.rules.units.combine`).
    """
    whose = "cases" if applies_to is EVERY_CASE else applies_to.description
    population = Population(
        f"{whose} with {having}",
        lambda case, ctx: applies_to(case, ctx) and bool(units(case)),
    )

    outside = f"Not applicable: the question applies to {population.description}."

    def wrap(check_unit: Callable[[Case, T, Context], Verdict]) -> Rule:
        def judged(case: Case, ctx: Context) -> list[tuple[str, Verdict]]:
            return [(label, _guarded(check_unit, case, item, ctx)) for label, item in units(case)]

        def per_unit(case: Case, ctx: Context) -> tuple[Verdict, ...]:
            stop = gate(case, ctx) if gate is not None else None
            if stop is not None:
                return (stop,)
            return tuple(_named(label, verdict) for label, verdict in judged(case, ctx))

        def check(case: Case, ctx: Context) -> Verdict:
            stop = gate(case, ctx) if gate is not None else None
            return stop or unit_checks.combine(judged(case, ctx), none=outside)

        return Rule(
            id=id,
            question=question,
            source=source,
            kind=RuleKind(kind),
            check=check,
            applies_to=population,
            in_force_from=in_force_from,
            parameters=tuple(parameters),
            notes=notes,
            units=per_unit,
        )

    return wrap


def _labelled(items: Iterable[T], label: Callable[[T], str]) -> list[tuple[str, T]]:
    """Items with their labels, numbered where two would read the same."""
    pairs = [(label(item), item) for item in items]
    repeats = Counter(text for text, _ in pairs)
    seen: Counter[str] = Counter()
    out: list[tuple[str, T]] = []
    for text, item in pairs:
        seen[text] += 1
        out.append((f"{text} ({seen[text]})" if repeats[text] > 1 else text, item))
    return out


# ---------------------------------------------------------------- the case's dates


def _termination(case: Case) -> tuple[dt.date, TerminationReason] | None:
    termination = case.sentence.termination
    return None if termination is None else (termination.on, termination.reason)


def _six_month_point(case: Case, ctx: Context) -> dt.date:
    return ctx.calendar.add(case.start_event[1], ctx.param("breach_free_period").duration)


def _names(ctx: Context, name: str) -> tuple[str, ...]:
    """A set-valued parameter's members."""
    value = ctx.param(name).value
    if not isinstance(value, tuple):
        raise TypeError(f"parameter {name!r} is not a set")
    return value


@rule(
    CASE_RULE_ID,
    question="Which area and dates place this case in a target report?",
    source="000:119",
    kind="descriptive",
    parameters=("breach_free_period",),
    notes="Descriptive: never scored. Target figures read the case's area and dates from it.",
)
def case_dates(case: Case, ctx: Context) -> Verdict:
    start_kind, start = case.start_event
    ended = _termination(case)
    six_months = (
        _six_month_point(case, ctx) if ctx.parameters.has_value("breach_free_period") else None
    )
    return case_dates_verdict(
        area=case.area,
        start_kind=start_kind,
        start=start,
        sentenced=case.sentence.sentenced_on,
        ended=ended[0] if ended else None,
        six_months=six_months,
    )


def case_dates_verdict(
    *,
    area: str | None,
    start_kind: str,
    start: dt.date,
    sentenced: dt.date,
    ended: dt.date | None,
    six_months: dt.date | None,
) -> Verdict:
    """``TGT.case`` of a case in ``area`` whose clock started with ``start_kind`` on
    ``start``, sentenced on ``sentenced``, terminated on ``ended`` (``None``: not), its
    six-month point ``six_months`` (``None``: no ``breach_free_period``)."""
    pieces = [
        f"Area {area}" if area else "No area recorded",
        f"started ({start_kind}) on {long_date(start)}",
        f"terminated on {long_date(ended)}" if ended else "not terminated",
    ]
    if six_months is not None:
        pieces.append(f"six-month point {long_date(six_months)}")
    return not_applicable(
        "; ".join(pieces) + ".",
        Evidence("area", area),
        Evidence("start", start),
        Evidence("start event", start_kind),
        Evidence("sentence", sentenced),
        Evidence("terminated", ended),
        Evidence("six-month point", six_months),
        basis=Basis.DESCRIPTIVE,
    )


# ---------------------------------------------------------------- enforcement


def _breaches(case: Case) -> list[tuple[str, Breach]]:
    return _labelled(case.breaches, lambda b: unit_checks.unit_label("Breach", b.failed_on))


@unit_rule(
    "TGT.breach-action",
    question="Was breach action initiated within 10 working days of the failure to comply?",
    source=("001:771", "001:526", "003:114"),
    kind="timeliness",
    units=_breaches,
    having="an unacceptable failure to comply",
    parameters=("breach_action_limit",),
)
def breach_action(case: Case, breach: Breach, ctx: Context) -> Verdict:
    return unit_checks.breach_action(ctx, breach)


@unit_rule(
    "TGT.breach-resolution",
    question=(
        "Was the breach of the community penalty resolved within 25 working days of the "
        "relevant unacceptable failure to comply, and in how many working days?"
    ),
    source=("003:703", "001:544", "001:546"),
    kind="timeliness",
    applies_to=COMMUNITY_SENTENCE,
    units=_breaches,
    having="an unacceptable failure to comply",
    parameters=("breach_resolution_limit",),
    notes="'breaches of community penalties' (003:703): orders only, not licence recalls.",
)
def breach_resolution(case: Case, breach: Breach, ctx: Context) -> Verdict:
    verdict = unit_checks.breach_resolution(ctx, breach)
    if breach.resolved_on is None:
        return verdict
    days = ctx.calendar.working_days_between(breach.failed_on, breach.resolved_on)
    return attrs.evolve(
        verdict, evidence=(*verdict.evidence, Evidence("working days to resolution", days))
    )


# ---------------------------------------------------------------- victims, reports, appointments


def _statutory_victims(case: Case) -> list[tuple[str, Victim]]:
    return _labelled((v for v in case.victims if v.statutory), lambda v: f"Victim {v.id}")


def _statutory_scheme_conflict(case: Case, ctx: Context) -> Verdict | None:
    """The National Standards finding when the sentence rules statutory contact out.

    Which victims count, and when a sentence contradicts a victim recorded as eligible,
    is the National Standards rule's reading (``NS07.victim-contact``; 003:713, 001:373):
    the target asks it rather than keep a second copy.
    """
    verdict = target_rule("NS07.victim-contact").check(case, ctx)
    return verdict if verdict.basis is Basis.CONTRADICTORY else None


@unit_rule(
    "TGT.victim-contact",
    question=(
        "Was each victim contacted within eight weeks of the offender receiving 12 months or "
        "more for a serious sexual or violent offence?"
    ),
    source=("003:713", "001:373"),
    kind="timeliness",
    units=_statutory_victims,
    having="a victim recorded as eligible for statutory victim contact",
    gate=_statutory_scheme_conflict,
    parameters=("victim_contact_limit", "statutory_victim_custody_months"),
    notes="The unit is the victim, not the case (national-targets.md §1.4). Victims recorded "
    "as eligible for statutory contact count, as in NS07.victim-contact.",
)
def victim_contact(case: Case, victim: Victim, ctx: Context) -> Verdict:
    return unit_checks.victim_contact(ctx, case, victim)


def _reports(case: Case) -> list[tuple[str, Psr]]:
    return [] if case.psr is None else [("Pre-sentence report", case.psr)]


@unit_rule(
    "TGT.psr-delivery",
    question="Was the pre-sentence report completed to the timescale agreed with the court?",
    source=("003:715", "001:770", "001:524"),
    kind="timeliness",
    units=_reports,
    having="a pre-sentence report",
)
def psr_delivery(case: Case, report: Psr, ctx: Context) -> Verdict:
    return unit_checks.psr_delivery(ctx, report)


def _appointments(case: Case) -> list[tuple[str, Contact]]:
    return _labelled(case.contacts, lambda c: unit_checks.unit_label("Appointment", c.on))


@unit_rule(
    "TGT.appointment-attended",
    question="Was the appointment attended?",
    source=("003:116", "001:536", "001:774"),
    kind="outcome",
    units=_appointments,
    having="an appointment recorded",
    notes=(
        "An acceptable absence is an appointment not attended unless the option "
        "acceptable_absence='exclude' is given (docs/decisions.md#appointments-attended)."
    ),
)
def appointment_attended(case: Case, contact: Contact, ctx: Context) -> Verdict:
    return attended_verdict(contact.on, contact.outcome, excluding=_excluding_acceptable(ctx))


def _excluding_acceptable(ctx: Context) -> bool:
    """Whether acceptable absences are left out (docs/decisions.md#appointments-attended)."""
    return bool(ctx.option("acceptable_absence", "count") == "exclude")


def attended_verdict(on: dt.date, outcome: ContactOutcome | None, *, excluding: bool) -> Verdict:
    """``TGT.appointment-attended`` of an appointment on ``on`` with this ``outcome``;
    ``excluding``: acceptable absences left out."""
    day = Evidence("appointment", on)
    when = long_date(on)
    match outcome:
        case ContactOutcome.ATTENDED:
            return met(f"Attended on {when}.", day)
        case ContactOutcome.UNACCEPTABLE_ABSENCE:
            return not_met(f"Not attended on {when}: an unacceptable absence.", day)
        case ContactOutcome.ACCEPTABLE_ABSENCE:
            if excluding:
                return not_applicable(
                    f"Acceptable absence on {when}: left out "
                    "(option acceptable_absence='exclude').",
                    day,
                )
            return not_met(f"Not attended on {when}: an acceptable absence.", day)
        case None:
            return cannot_assess(f"Cannot assess: no outcome is recorded for {when}.", day)


@unit_rule(
    "TGT.appointment-arranged",
    question="Was the appointment arranged in accordance with National Standards?",
    source=("001:534", "001:773"),
    kind="quality",
    units=_appointments,
    having="an appointment recorded",
)
def appointment_arranged(case: Case, contact: Contact, ctx: Context) -> Verdict:
    return arranged_verdict(contact.on, contact.arranged_per_standards)


def arranged_verdict(on: dt.date, arranged: bool | None) -> Verdict:
    """``TGT.appointment-arranged`` of an appointment on ``on``, arranged in accordance
    with National Standards or not (``None``: not recorded)."""
    day = Evidence("appointment", on)
    when = long_date(on)
    if arranged is None:
        return cannot_assess(
            f"Cannot assess: whether the appointment of {when} was arranged in accordance "
            "with National Standards is not recorded.",
            day,
        )
    if arranged:
        return met(f"Appointment of {when} arranged in accordance with National Standards.", day)
    return not_met(
        f"Appointment of {when} not arranged in accordance with National Standards.", day
    )


# ---------------------------------------------------------------- orders and licences ended


def _reasons(ctx: Context, name: str) -> frozenset[TerminationReason]:
    return frozenset(TerminationReason(value) for value in _names(ctx, name))


def _ended_neutrally(case: Case, ctx: Context) -> tuple[dt.date, TerminationReason] | None:
    """The termination, if it was for a reason neither a success nor a failure."""
    ended = _termination(case)
    if ended is None or ended[1] not in _reasons(ctx, "neutral_termination_reasons"):
        return None
    return ended


def _neutral_detail(case: Case, ctx: Context) -> Verdict | None:
    ended = _ended_neutrally(case, ctx)
    if ended is None:
        return None
    on, reason = ended
    return not_applicable(
        f"Terminated on {long_date(on)} ({_words(reason)}): neither a success nor a failure.",
        Evidence("terminated", on),
        Evidence("termination reason", reason.value),
    )


#: Orders and licences counted when they end, except those ended for a neutral reason.
COUNTED_AT_THE_END = (
    ORDERS_AND_LICENCES
    & Population(
        "not ended for a neutral reason",
        lambda case, ctx: _ended_neutrally(case, ctx) is None,
        _neutral_detail,
    )
).named(
    "orders and licences (community orders, suspended sentence orders and licences), except "
    "those ended for a reason neither a success nor a failure (neutral_termination_reasons)"
)


def _ended(case: Case, ctx: Context) -> tuple[dt.date, TerminationReason] | Verdict:
    """The termination (day and reason), or "not yet due" for an order or licence running
    (:func:`not_terminated`)."""
    ended = _termination(case)
    return not_terminated(ctx.as_of) if ended is None else ended


def not_terminated(as_of: dt.date) -> Verdict:
    """An order or licence counted when it ends, running on ``as_of``: not yet due."""
    return not_yet_due(
        f"Not yet due: not terminated by {long_date(as_of)}; counted when the order or "
        "licence ends.",
        Evidence("terminated", None),
    )


def termination_evidence(on: dt.date, reason: TerminationReason) -> tuple[Evidence, Evidence]:
    """The evidence of an order or licence that ended on ``on`` for ``reason``."""
    return Evidence("terminated", on), Evidence("termination reason", reason.value)


def _words(value: TerminationReason | BreachResolution) -> str:
    return value.value.replace("_", " ")


@rule(
    "TGT.successful-completion",
    question="Was the order or licence successfully completed?",
    source=("003:704", "003:115"),
    kind="outcome",
    applies_to=COUNTED_AT_THE_END,
    parameters=("successful_termination_reasons", "neutral_termination_reasons"),
    notes="Which termination reasons are successful is not defined in the sources "
    "(docs/decisions.md#successful-completion).",
)
def successful_completion(case: Case, ctx: Context) -> Verdict:
    ended = _ended(case, ctx)
    if isinstance(ended, Verdict):
        return ended
    on, reason = ended
    successful = reason in _reasons(ctx, "successful_termination_reasons")
    return successful_completion_verdict(on, reason, successful=successful)


def successful_completion_verdict(
    on: dt.date, reason: TerminationReason, *, successful: bool
) -> Verdict:
    """``TGT.successful-completion`` of an order or licence that ended on ``on`` for
    ``reason``, a successful one or not."""
    evidence = termination_evidence(on, reason)
    if successful:
        return met(
            f"Successfully completed: terminated on {long_date(on)} ({_words(reason)}).", *evidence
        )
    return not_met(
        f"Not successfully completed: terminated on {long_date(on)} ({_words(reason)}).", *evidence
    )


@rule(
    "TGT.compliance",
    question=(
        "Did the offender comply with the order or licence (including orders allowed to "
        "continue by the court following breach action)?"
    ),
    source=("001:528", "001:772"),
    kind="outcome",
    applies_to=COUNTED_AT_THE_END,
    parameters=(
        "non_compliant_termination_reasons",
        "non_compliant_breach_resolutions",
        "neutral_termination_reasons",
    ),
    notes="Counted when the order or licence ends (docs/decisions.md#compliance).",
)
def compliance(case: Case, ctx: Context) -> Verdict:
    ended = _ended(case, ctx)
    if isinstance(ended, Verdict):
        return ended
    on, reason = ended
    non_compliant = reason in _reasons(ctx, "non_compliant_termination_reasons")
    # (the breaches are read, and their parameter asked for, only when the reason complied)
    breach = None if non_compliant else _resolved_non_compliantly(case, ctx)
    return compliance_verdict(on, reason, non_compliant=non_compliant, breach=breach)


def _resolved_non_compliantly(case: Case, ctx: Context) -> tuple[dt.date, BreachResolution] | None:
    """The failure to comply and resolution of the case's first breach resolved in a
    non-compliant way (``non_compliant_breach_resolutions``), if one was."""
    failing = frozenset(
        BreachResolution(value) for value in _names(ctx, "non_compliant_breach_resolutions")
    )
    return next(
        (
            (b.failed_on, b.resolution)
            for b in case.breaches
            if b.resolution is not None and b.resolution in failing
        ),
        None,
    )


def compliance_verdict(
    on: dt.date,
    reason: TerminationReason,
    *,
    non_compliant: bool,
    breach: tuple[dt.date, BreachResolution] | None,
) -> Verdict:
    """``TGT.compliance`` of an order or licence that ended on ``on`` for ``reason`` (a
    non-compliant one or not): ``breach``, the failure to comply and resolution of its
    first breach resolved in a non-compliant way (``None``: none was)."""
    evidence = termination_evidence(on, reason)
    if non_compliant:
        return not_met(
            f"Did not comply: terminated on {long_date(on)} ({_words(reason)}).", *evidence
        )
    if breach is not None:
        failed_on, resolution = breach
        return not_met(
            f"Did not comply: the breach of {long_date(failed_on)} was resolved "
            f"({_words(resolution)}).",
            *evidence,
        )
    return met(f"Complied: terminated on {long_date(on)} ({_words(reason)}).", *evidence)


def _breach_action_by(case: Case, day: dt.date) -> dt.date | None:
    """The first breach action taken on or before ``day``."""
    return min(
        (b.action_on for b in case.breaches if b.action_on and b.action_on <= day), default=None
    )


def _ended_early_without_breach_action(case: Case, ctx: Context) -> Verdict | None:
    """Why the case did not reach its six-month point, if it ended before it without breach
    action (docs/decisions.md#six-months-without-breach)."""
    ended = _termination(case)
    point = _six_month_point(case, ctx)
    if ended is None or ended[0] >= point or _breach_action_by(case, point) is not None:
        return None
    kind, start = case.start_event
    return not_applicable(
        f"Ended on {long_date(ended[0])} ({_words(ended[1])}), before the six-month point of "
        f"{long_date(point)}, without breach action: it did not reach six months.",
        Evidence(kind, start),
        Evidence("six-month point", point),
    )


@rule(
    "TGT.six-months-without-breach",
    question="Did the order or licence reach six months without breach action?",
    source=("003:117", "003:188"),
    kind="outcome",
    applies_to=(
        ORDERS_AND_LICENCES
        & Population(
            "not ended early without breach action",
            lambda case, ctx: _ended_early_without_breach_action(case, ctx) is None,
            _ended_early_without_breach_action,
        )
    ).named(
        "orders and licences, except those that ended before their six-month point without "
        "breach action"
    ),
    in_force_from=FROM_2007,
    parameters=("breach_free_period",),
    notes="docs/decisions.md#six-months-without-breach",
)
def six_months_without_breach(case: Case, ctx: Context) -> Verdict:
    kind, start = case.start_event
    point = _six_month_point(case, ctx)
    return six_months_verdict(kind, start, point, _breach_action_by(case, point), ctx.as_of)


def six_months_verdict(
    kind: str, start: dt.date, point: dt.date, early: dt.date | None, as_of: dt.date
) -> Verdict:
    """``TGT.six-months-without-breach`` of an order or licence whose clock started with
    ``kind`` on ``start``: its six-month ``point``, and the first breach action taken on or
    before it (``early``; ``None``: none)."""
    evidence = [Evidence(kind, start), Evidence("six-month point", point)]
    if early is not None:
        return not_met(
            f"Breach action taken on {long_date(early)}, before the six-month point of "
            f"{long_date(point)}.",
            *evidence,
            Evidence("breach action taken", early),
        )
    if point > as_of:
        return not_yet_due(
            f"Not yet due: the six-month point is {long_date(point)}; no breach action so far.",
            *evidence,
        )
    return met(
        f"Reached the six-month point on {long_date(point)} without breach action.", *evidence
    )


def _suitable(status: AccommodationStatus) -> bool | None:
    if status is AccommodationStatus.UNKNOWN:
        return None
    return status is AccommodationStatus.SETTLED_AND_SUITABLE


@rule(
    "TGT.accommodation-at-end",
    question=(
        "Was the offender in settled and suitable accommodation at the end of the order or licence?"
    ),
    source=("003:118",),
    kind="outcome",
    applies_to=COUNTED_AT_THE_END,
    in_force_from=FROM_2007,
    parameters=("neutral_termination_reasons",),
    notes="The definition was revised centrally during 2007-08 (003:243, 003:357): "
    "docs/decisions.md#accommodation.",
)
def accommodation_at_end(case: Case, ctx: Context) -> Verdict:
    ended = _ended(case, ctx)
    if isinstance(ended, Verdict):
        return ended
    on, reason = ended
    return accommodation_at_end_verdict(on, reason, _suitable(case.outcomes.accommodation.at_end))


def accommodation_at_end_verdict(
    on: dt.date, reason: TerminationReason, at_end: bool | None
) -> Verdict:
    """``TGT.accommodation-at-end`` of an order or licence that ended on ``on`` for
    ``reason``: settled and suitable at the end or not (``None``: not recorded)."""
    evidence = termination_evidence(on, reason)
    if at_end is None:
        return cannot_assess(
            f"Cannot assess: accommodation at the end ({long_date(on)}) is not recorded.", *evidence
        )
    if at_end:
        return met(
            f"In settled and suitable accommodation at the end ({long_date(on)}).", *evidence
        )
    return not_met(
        f"Not in settled and suitable accommodation at the end ({long_date(on)}).", *evidence
    )


@rule(
    "TGT.accommodation-change",
    question="Was the offender in suitable accommodation at the end of the order or licence, "
    "and at the start?",
    source=("001:568", "001:781", "001:564"),
    kind="outcome",
    applies_to=COUNTED_AT_THE_END,
    parameters=("neutral_termination_reasons",),
    notes="The figure is the share suitable at the end minus the share suitable at the start.",
)
def accommodation_change(case: Case, ctx: Context) -> Verdict:
    ended = _ended(case, ctx)
    if isinstance(ended, Verdict):
        return ended
    on, reason = ended
    accommodation = case.outcomes.accommodation
    at_start, at_end = _suitable(accommodation.at_start), _suitable(accommodation.at_end)
    return accommodation_change_verdict(on, reason, at_start, at_end)


def accommodation_change_verdict(
    on: dt.date, reason: TerminationReason, at_start: bool | None, at_end: bool | None
) -> Verdict:
    """``TGT.accommodation-change`` of an order or licence that ended on ``on`` for
    ``reason``: suitable at the start and at the end or not (``None``: not recorded)."""
    evidence = termination_evidence(on, reason)
    if at_start is None or at_end is None:
        return cannot_assess(
            "Cannot assess: accommodation at the start and at the end must both be recorded.",
            *evidence,
        )
    states = (Evidence("suitable at start", at_start), Evidence("suitable at end", at_end))
    words = {True: "suitable", False: "not suitable"}
    said = (
        f"Accommodation {words[at_start]} at the start, {words[at_end]} at the end "
        f"({long_date(on)})."
    )
    return (met if at_end else not_met)(said, *evidence, *states)


# ---------------------------------------------------------------- employment


#: What each employment rule counts, by rule id: the kinds of episode, and the words
#: for them ("employment", "employment or vocational training").
EMPLOYMENT_READINGS: dict[str, tuple[frozenset[EmploymentKind], str]] = {}


def _employment_rule(
    id: str, *, kinds: frozenset[EmploymentKind], question: str, source: tuple[str, ...]
) -> Rule:
    what = "employment or vocational training" if len(kinds) > 1 else "employment"
    EMPLOYMENT_READINGS[id] = (kinds, what)

    def started_during_supervision(case: Case) -> list[EmploymentEpisode]:
        _, start = case.start_event
        ended = _termination(case)
        return [
            episode
            for episode in case.outcomes.employment
            if episode.kind in kinds
            and episode.started_on >= start
            and (ended is None or episode.started_on <= ended[0])
        ]

    @rule(
        id,
        question=question,
        source=source,
        kind="outcome",
        applies_to=(
            ORDERS_AND_LICENCES
            & Population(
                f"with {what} started during supervision",
                lambda case, _ctx: bool(started_during_supervision(case)),
            )
        ).named(f"orders and licences with {what} started during supervision"),
        parameters=("employment_sustained_period",),
        notes="Each offender counts once, on the day four weeks were first completed "
        "(docs/decisions.md#employment-sustained).",
    )
    def sustained(case: Case, ctx: Context) -> Verdict:
        period = ctx.param("employment_sustained_period").duration
        episodes = [
            # "for four weeks": the first day plus 27 more; done on the last day of week four
            (e.started_on, e.ended_on, ctx.calendar.add(e.started_on, period) - _ONE_DAY)
            for e in started_during_supervision(case)
        ]
        return employment_verdict(what, str(period), episodes, ctx.as_of)

    return sustained


_ONE_DAY = dt.timedelta(days=1)


def employment_verdict(
    what: str,
    period: str,
    episodes: Sequence[tuple[dt.date, dt.date | None, dt.date]],
    as_of: dt.date,
) -> Verdict:
    """The employment rules' verdict from plain values: ``what`` is kept ("employment",
    or "employment or vocational training") for ``period`` (in words), given each
    episode started during supervision, in order, as (first day, last day or ``None``,
    the day the period is completed)."""
    kept = sorted(
        ((on, started) for started, ended, on in episodes if on <= (ended or as_of)),
        key=lambda pair: pair[0],
    )
    if kept:
        on, started = kept[0]
        return met(
            f"{what.capitalize()} from {long_date(started)} kept for {period} "
            f"(to {long_date(on)}).",
            Evidence("started", started),
            Evidence("sustained on", on),
        )
    ongoing = [(started, on) for started, ended, on in episodes if ended is None]
    if ongoing:
        started, due = ongoing[0]
        return not_yet_due(
            f"Not yet due: {what} from {long_date(started)} reaches {period} on {long_date(due)}.",
            Evidence("started", started),
        )
    started, ended, _ = episodes[-1]
    return not_met(
        f"{what.capitalize()} from {long_date(started)} ended on "
        f"{long_date(ended or started)}, before {period}.",
        Evidence("started", started),
    )


employment_sustained = _employment_rule(
    "TGT.employment-sustained",
    kinds=frozenset({EmploymentKind.EMPLOYMENT}),
    question="Did the offender achieve and sustain employment for 4 weeks during supervision?",
    source=("003:707", "003:108"),
)
employment_or_training_sustained = _employment_rule(
    "TGT.employment-or-training-sustained",
    kinds=frozenset({EmploymentKind.EMPLOYMENT, EmploymentKind.VOCATIONAL_TRAINING}),
    question="Did the offender find and keep employment or vocational training for four weeks "
    "or more during supervision?",
    source=("001:592", "001:778"),
)


# ---------------------------------------------------------------- requirements

_DRUG = frozenset({RequirementKind.DRUG_REHABILITATION, RequirementKind.DTTO})
_REQUIREMENT_WORDS = {
    RequirementKind.UNPAID_WORK: "Unpaid work requirement",
    RequirementKind.ACCREDITED_PROGRAMME: "Programme requirement",
    RequirementKind.DRUG_REHABILITATION: "Drug rehabilitation requirement",
    RequirementKind.DTTO: "DTTO",
}


def requirement_label(kind: RequirementKind, hours: int | None, programme: Programme | None) -> str:
    """A requirement's name as a unit (before two alike in a case are numbered): its kind
    in words, with its hours or else its programme."""
    text = _REQUIREMENT_WORDS.get(kind, kind.value)
    if hours is not None:
        text += f" ({hours} hours)"
    elif programme is not None:
        text += f" ({programme.value.replace('_', ' ')})"
    return text


def _requirements(
    kinds: frozenset[RequirementKind],
) -> Callable[[Case], list[tuple[str, Requirement]]]:
    def label(requirement: Requirement) -> str:
        return requirement_label(requirement.kind, requirement.hours, requirement.programme)

    def listed(case: Case) -> list[tuple[str, Requirement]]:
        return _labelled((r for r in case.sentence.requirements if r.kind in kinds), label)

    return listed


def _requirement_event(case: Case, ctx: Context, *, done: dt.date | None, label: str) -> Verdict:
    """Has the requirement been ``label`` (completed, commenced)? Pending until the order ends."""
    return requirement_event_verdict(label, done, _termination(case), ctx.as_of)


def requirement_event_verdict(
    label: str,
    done: dt.date | None,
    ended: tuple[dt.date, TerminationReason] | None,
    as_of: dt.date,
) -> Verdict:
    """Has a requirement been ``label`` (completed, commenced): on ``done`` (``None``: not
    yet), its order ``ended`` (day and reason; ``None``: running on ``as_of``)? Pending
    until the order ends."""
    if done is not None:
        return met(f"{label.capitalize()} on {long_date(done)}.", Evidence(label, done))
    if ended is not None:
        return not_met(
            f"Not {label}: the order ended on {long_date(ended[0])} ({_words(ended[1])}).",
            Evidence("terminated", ended[0]),
        )
    return not_yet_due(f"Not yet {label} by {long_date(as_of)}; the order continues.")


@unit_rule(
    "TGT.upw-completion",
    question="Was the unpaid work requirement completed?",
    source=("003:705", "001:530", "001:775", "003:102"),
    kind="outcome",
    units=_requirements(frozenset({RequirementKind.UNPAID_WORK})),
    having="an unpaid work requirement",
)
def upw_completion(case: Case, requirement: Requirement, ctx: Context) -> Verdict:
    return _requirement_event(case, ctx, done=requirement.completed_on, label="completed")


#: Programmes whose category the 2007-08 targets name (000:134-136; 001:650-658).
_PROGRAMME_CATEGORY: Mapping[Programme, ProgrammeCategory] = MappingProxyType(
    {
        Programme.SOTP: ProgrammeCategory.SEX_OFFENDER,
        Programme.SORPG: ProgrammeCategory.SEX_OFFENDER,
        Programme.THAMES_VALLEY_SOP: ProgrammeCategory.SEX_OFFENDER,
        Programme.IDAP: ProgrammeCategory.DOMESTIC_VIOLENCE,
        Programme.CDVP: ProgrammeCategory.DOMESTIC_VIOLENCE,
    }
)


def programme_category(requirement: Requirement) -> ProgrammeCategory | None:
    """The recorded category, else the one its named programme belongs to.

    Sex offender and domestic violence programmes are named (000:134-136,
    001:650-658); any other named programme is a general one. ``None`` when
    neither is recorded (docs/decisions.md#programme-category).
    """
    return category_of_programme(requirement.programme_category, requirement.programme)


def category_of_programme(
    recorded: ProgrammeCategory | None, programme: Programme | None
) -> ProgrammeCategory | None:
    """:func:`programme_category` from a requirement's recorded category and programme."""
    if recorded is not None:
        return recorded
    if programme is None or programme is Programme.OTHER:
        return None
    return _PROGRAMME_CATEGORY.get(programme, ProgrammeCategory.GENERAL)


_PROGRAMMES = _requirements(frozenset({RequirementKind.ACCREDITED_PROGRAMME}))

#: Why a programme completion rule of one category cannot assess a programme whose
#: category is not recorded (a ``MissingFactError``).
CATEGORY_NOT_RECORDED = "the programme's category is not recorded"


def _programme_completion_rule(
    id: str,
    category: ProgrammeCategory | None,
    *,
    question: str,
    source: tuple[str, ...],
    having: str,
) -> Rule:
    def units(case: Case) -> list[tuple[str, Requirement]]:
        return [
            (label, req)
            for label, req in _PROGRAMMES(case)
            if category is None or programme_category(req) in {category, None}
        ]

    @unit_rule(
        id,
        question=question,
        source=source,
        kind="outcome",
        units=units,
        having=having,
        notes="Completion is the date recorded as completed_on: record the date of the "
        "post-programme report where that is what counts (003:247).",
    )
    def completion(case: Case, requirement: Requirement, ctx: Context) -> Verdict:
        if category is not None and programme_category(requirement) is None:
            raise MissingFactError(CATEGORY_NOT_RECORDED)
        return _requirement_event(case, ctx, done=requirement.completed_on, label="completed")

    return completion


programme_completion_general = _programme_completion_rule(
    "TGT.programme-completion-general",
    ProgrammeCategory.GENERAL,
    question="Was the accredited offending behaviour programme (not a sex offender or "
    "domestic violence programme) completed?",
    source=("003:708", "000:134", "003:105"),
    having="a general accredited programme requirement (or one whose category is not recorded)",
)
programme_completion_sex_offender = _programme_completion_rule(
    "TGT.programme-completion-sex-offender",
    ProgrammeCategory.SEX_OFFENDER,
    question="Was the accredited sex offender treatment programme completed?",
    source=("003:709", "000:135", "003:103"),
    having="a sex offender programme requirement (or one whose category is not recorded)",
)
programme_completion_domestic_violence = _programme_completion_rule(
    "TGT.programme-completion-domestic-violence",
    ProgrammeCategory.DOMESTIC_VIOLENCE,
    question="Was the accredited domestic violence programme completed?",
    source=("003:710", "000:136", "003:104"),
    having="a domestic violence programme requirement (or one whose category is not recorded)",
)
programme_completion = _programme_completion_rule(
    "TGT.programme-completion",
    None,
    question="Was the accredited programme completed?",
    source=("001:711", "001:785"),
    having="an accredited programme requirement",
)


@unit_rule(
    "TGT.programme-start",
    question="Did the offender start the programme required?",
    source=("001:715", "001:786"),
    kind="outcome",
    units=_PROGRAMMES,
    having="an accredited programme requirement",
)
def programme_start(case: Case, requirement: Requirement, ctx: Context) -> Verdict:
    return _requirement_event(case, ctx, done=requirement.commenced_on, label="commenced")


@unit_rule(
    "TGT.programme-completion-after-start",
    question="Did the offender who attended the first session complete the programme?",
    source=("001:717", "001:787"),
    kind="outcome",
    units=lambda case: [(label, r) for label, r in _PROGRAMMES(case) if r.commenced_on is not None],
    having="an accredited programme the offender started",
)
def programme_completion_after_start(case: Case, requirement: Requirement, ctx: Context) -> Verdict:
    verdict = _requirement_event(case, ctx, done=requirement.completed_on, label="completed")
    started = Evidence("commenced", requirement.commenced_on)
    return attrs.evolve(verdict, evidence=(started, *verdict.evidence))


_DRUG_REQUIREMENTS = _requirements(_DRUG)


@unit_rule(
    "TGT.drr-retention",
    question="Was the offender retained on the DRR/DTTO for 12 weeks?",
    source=("003:711", "003:106"),
    kind="outcome",
    units=lambda case: [(lbl, r) for lbl, r in _DRUG_REQUIREMENTS(case) if r.commenced_on],
    having="a DRR or DTTO that has commenced",
    in_force_from=FROM_2007,
    parameters=("drr_retention_period",),
    notes="docs/decisions.md#drr-retention",
)
def drr_retention(case: Case, requirement: Requirement, ctx: Context) -> Verdict:
    commenced = requirement.commenced_on
    if commenced is None:
        raise MissingFactError("the requirement has not commenced")
    period = ctx.param("drr_retention_period").duration
    point = ctx.calendar.add(commenced, period)
    ended = _termination(case)
    return drr_retention_verdict(
        commenced,
        point,
        period=str(period),
        retained=requirement.retained_until,
        ended=None if ended is None else ended[0],
        as_of=ctx.as_of,
    )


def drr_retention_verdict(
    commenced: dt.date,
    point: dt.date,
    *,
    period: str,
    retained: dt.date | None,
    ended: dt.date | None,
    as_of: dt.date,
) -> Verdict:
    """:func:`drr_retention` from plain values: the requirement ``commenced``, ``period``
    later (in words) its ``point``, the day it was ``retained`` until (``None``: not
    recorded), the day its order ``ended`` (``None``: running on ``as_of``)."""
    evidence = (Evidence("commenced", commenced), Evidence("twelve-week point", point))
    if retained is None and ended is not None and ended < point:
        retained = ended
    if retained is not None and retained < point:
        return not_met(
            f"Commenced on {long_date(commenced)}; retained only until {long_date(retained)}, "
            f"before {period} ({long_date(point)}).",
            *evidence,
            Evidence("retained until", retained),
        )
    if retained is not None:
        return met(
            f"Commenced on {long_date(commenced)}; retained until {long_date(retained)}, past "
            f"{period} ({long_date(point)}).",
            *evidence,
            Evidence("retained until", retained),
        )
    if point > as_of:
        return not_yet_due(
            f"Not yet due: commenced on {long_date(commenced)}; {period} is reached on "
            f"{long_date(point)}.",
            *evidence,
        )
    return met(
        f"Commenced on {long_date(commenced)}; still on the order on {long_date(as_of)}, past "
        f"{period} ({long_date(point)}).",
        *evidence,
    )


@unit_rule(
    "TGT.drr-commencement",
    question="Did the DRR/DTTO commence?",
    source=("003:107", "001:630", "000:248"),
    kind="outcome",
    units=_DRUG_REQUIREMENTS,
    having="a DRR or DTTO",
)
def drr_commencement(case: Case, requirement: Requirement, ctx: Context) -> Verdict:
    return _requirement_event(case, ctx, done=requirement.commenced_on, label="commenced")


@unit_rule(
    "TGT.drr-completion",
    question="Was the DTTO/DRR completed?",
    source=("001:626", "001:782"),
    kind="outcome",
    units=_DRUG_REQUIREMENTS,
    having="a DRR or DTTO",
)
def drr_completion(case: Case, requirement: Requirement, ctx: Context) -> Verdict:
    return _requirement_event(case, ctx, done=requirement.completed_on, label="completed")


# ---------------------------------------------------------------- the catalogue


def _national_standards_rule(rule_id: str) -> Rule | None:
    """A National Standards rule, reused as it is (by id, not by copy)."""
    from casework.rules.registry import ruleset  # noqa: PLC0415  (registry imports this module)

    for name in ("national-standards-2005", "national-standards-2007"):
        standards = ruleset(name)
        if rule_id in standards:
            return standards.rule(rule_id)
    return None


_OWN_RULES: tuple[Rule, ...] = (
    case_dates,
    breach_action,
    breach_resolution,
    victim_contact,
    psr_delivery,
    appointment_attended,
    appointment_arranged,
    successful_completion,
    compliance,
    six_months_without_breach,
    accommodation_at_end,
    accommodation_change,
    employment_sustained,
    employment_or_training_sustained,
    upw_completion,
    programme_completion_general,
    programme_completion_sex_offender,
    programme_completion_domestic_violence,
    programme_completion,
    programme_start,
    programme_completion_after_start,
    drr_retention,
    drr_commencement,
    drr_completion,
)

#: This module's own rules by id (the OASys rules are looked up in National Standards).
TARGET_RULES: Mapping[str, Rule] = MappingProxyType({r.id: r for r in _OWN_RULES})


def target_rule(rule_id: str) -> Rule:
    """A rule a target can be computed with: one of this module's, or a National Standards one."""
    if rule_id in TARGET_RULES:
        return TARGET_RULES[rule_id]
    reused = _national_standards_rule(rule_id)
    if reused is None:
        raise KeyError(f"no target rule {rule_id!r}")
    return reused
