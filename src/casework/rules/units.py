"""Checks on one unit inside a case: a breach, a victim, a report.

National Standards rules ask them of every unit in a case and combine the
answers (:func:`combine`); the national targets count units one by one. Both
call these functions, so a case and a target figure can never disagree on
whether a breach was actioned in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from casework.model import Case
from casework.model.supervision import Breach, Psr, Victim
from casework.rules.engine import (
    Basis,
    Context,
    Evidence,
    Outcome,
    Verdict,
    cannot_assess,
    not_applicable,
)
from casework.rules.timing import (
    DeadlineLabels,
    DeadlineSaid,
    Decided,
    as_deadline,
    beyond_record,
    deadline_check,
    record_ends_words,
)
from casework.text import long_date

__all__ = [
    "BREACH_ACTION_LABELS",
    "BREACH_RESOLUTION_LABELS",
    "FAILURE",
    "PSR_TRIGGER_LABEL",
    "VICTIM_CONTACT_LABELS",
    "breach_action",
    "breach_resolution",
    "combine",
    "combined_decision",
    "combined_reason",
    "combined_words",
    "psr_delivery",
    "psr_words",
    "victim_contact",
]

#: What starts a breach's clocks, in words.
FAILURE = "the unacceptable failure to comply"
#: How the sentences of the unit deadlines open (the rules and their kernels' wordings).
BREACH_ACTION_LABELS = DeadlineLabels("Breach action taken", "No breach action taken")
BREACH_RESOLUTION_LABELS = DeadlineLabels("Breach resolved", "Breach not resolved")
VICTIM_CONTACT_LABELS = DeadlineLabels("Victim contact offered", "No victim contact offered")


def breach_action(ctx: Context, breach: Breach) -> Verdict:
    """Was breach action instigated within the limit of the failure to comply (004:560, 004:760)?"""
    return deadline_check(
        ctx,
        done=breach.action_on,
        anchor=breach.failed_on,
        anchor_label=FAILURE,
        limit="breach_action_limit",
        labels=BREACH_ACTION_LABELS,
    )


def breach_resolution(ctx: Context, breach: Breach) -> Verdict:
    """Was the breach resolved within the limit of the failure to comply (004:560, 003:703)?"""
    return deadline_check(
        ctx,
        done=breach.resolved_on,
        anchor=breach.failed_on,
        anchor_label=FAILURE,
        limit="breach_resolution_limit",
        labels=BREACH_RESOLUTION_LABELS,
    )


def victim_contact(ctx: Context, case: Case, victim: Victim) -> Verdict:
    """Was the victim contacted (or offered contact) within the limit of sentence (003:713)?

    The earlier of ``contact_offered_on`` and ``contacted_on`` counts.
    """
    done = min(
        (day for day in (victim.contact_offered_on, victim.contacted_on) if day is not None),
        default=None,
    )
    return deadline_check(
        ctx,
        done=done,
        anchor=case.sentence.sentenced_on,
        anchor_label="sentence",
        limit="victim_contact_limit",
        labels=VICTIM_CONTACT_LABELS,
        extra=(Evidence("victim", victim.id),),
    )


#: What starts a PSR's clock, in words: its trigger label.
PSR_TRIGGER_LABEL = "request"


def psr_delivery(ctx: Context, psr: Psr) -> Verdict:
    """Was the report delivered by the date agreed with the court (003:715, 001:461)?"""
    if psr.due_on is None:
        reason, evidence = psr_words(
            Outcome.CANNOT_ASSESS,
            requested=psr.requested_on,
            due=None,
            delivered=psr.delivered_on,
            as_of=ctx.as_of,
            record_as_of=ctx.record_as_of,
        )
        return cannot_assess(reason, *evidence)
    delivered = psr.delivered_on
    days_late = (delivered if delivered is not None else ctx.as_of) - psr.due_on
    if delivered is not None:
        outcome, basis = (
            (Outcome.MET, Basis.COMPUTED)
            if delivered <= psr.due_on
            else (Outcome.NOT_MET, Basis.COMPUTED)
        )
    elif ctx.as_of <= psr.due_on:
        outcome, basis = Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE
    elif beyond_record(ctx, psr.due_on):
        outcome, basis = Outcome.CANNOT_ASSESS, Basis.MISSING_DATA
    else:
        outcome, basis = Outcome.NOT_MET, Basis.COMPUTED
    reason, evidence = psr_words(
        outcome,
        requested=psr.requested_on,
        due=psr.due_on,
        delivered=delivered,
        as_of=ctx.as_of,
        record_as_of=ctx.record_as_of,
    )
    return as_deadline(
        Verdict(outcome, basis, reason, evidence),
        trigger=psr.requested_on,
        trigger_label=PSR_TRIGGER_LABEL,
        due=psr.due_on,
        done=delivered,
        days_late=days_late.days if outcome is Outcome.NOT_MET else None,
    )


def psr_words(
    outcome: Outcome,
    *,
    requested: dt.date | None,
    due: dt.date | None,
    delivered: dt.date | None,
    as_of: dt.date,
    record_as_of: dt.date | None,
) -> tuple[str, tuple[Evidence, ...]]:
    """The words of a PSR delivery answer (:func:`psr_delivery` and its kernel)."""
    if due is None:
        return (
            "Cannot assess: no due date agreed with the court is recorded for the report.",
            (Evidence("requested", requested),),
        )
    evidence = [Evidence("requested", requested), Evidence("due by", due)]
    if delivered is not None:
        evidence.append(Evidence("delivered", delivered))
        if outcome is Outcome.MET:
            reason = (
                f"Report delivered on {long_date(delivered)}, on or before the agreed "
                f"date of {long_date(due)}."
            )
        else:
            late = (delivered - due).days
            reason = (
                f"Report delivered on {long_date(delivered)}, {late} day"
                f"{'' if late == 1 else 's'} after the agreed date of {long_date(due)}."
            )
    elif outcome is Outcome.NOT_APPLICABLE:
        reason = f"Not yet due: the report is due by {long_date(due)}."
    elif outcome is Outcome.CANNOT_ASSESS:
        reason = (
            f"Cannot assess: the report was due by {long_date(due)}, but "
            f"{record_ends_words(as_of, record_as_of)}."
        )
    else:
        reason = f"Report not delivered by {long_date(as_of)}: it was due on {long_date(due)}."
    return reason, tuple(evidence)


def _deciding(verdict: Verdict, verdicts: Sequence[tuple[str, Verdict]]) -> Verdict:
    """``verdict`` with the deadline fields of the first unit with its outcome."""
    first = (
        next(v for _, v in verdicts if v.outcome is verdict.outcome and v.basis is verdict.basis)
        if any(v.basis is verdict.basis for _, v in verdicts)
        else next(v for _, v in verdicts if v.outcome is verdict.outcome)
    )
    return verdict.with_deadline(
        trigger=first.trigger,
        trigger_label=first.trigger_label,
        due=first.due,
        done=first.done,
        late_by=first.late_by,
        late_unit=first.late_unit,
    )


def combine(verdicts: Sequence[tuple[str, Verdict]], *, none: str) -> Verdict:
    """One case-level verdict from per-unit verdicts, each labelled ("breach of 18 June 2007").

    Not met if any unit is not met; else cannot assess if any unit cannot be
    assessed; else met if any unit is met; else not applicable (every unit
    not yet due, or ``none`` when there are no units). Every unit's sentence
    is kept, prefixed by its label.
    """
    if not verdicts:
        return not_applicable(none)
    return _deciding(Verdict(*combined_words(verdicts)), verdicts)


def combined_words(verdicts: Sequence[tuple[str, Decided]]) -> DeadlineSaid:
    """The outcome, basis, reason and evidence of :func:`combine` (its one definition) of
    one or more labelled units, from each unit's words alone: the answer
    :func:`combined_decision` gives, the reasons joined by :func:`combined_reason`, every
    unit's evidence in order."""
    outcome, basis = combined_decision(
        [(verdict.outcome, verdict.basis) for _, verdict in verdicts]
    )
    reason = combined_reason([(label, verdict.reason) for label, verdict in verdicts])
    evidence = tuple(item for _, verdict in verdicts for item in verdict.evidence)
    return DeadlineSaid(outcome, basis, reason, evidence)


def combined_decision(decided: Sequence[tuple[Outcome, Basis]]) -> tuple[Outcome, Basis]:
    """The outcome and basis of :func:`combine` of units with these outcomes and bases (in
    order): not met if any is, else the first unit's that cannot be assessed, else met if
    any is, else not applicable (not yet due if any unit is not yet due)."""
    outcomes = {outcome for outcome, _ in decided}
    if Outcome.NOT_MET in outcomes:
        return Outcome.NOT_MET, Basis.COMPUTED
    if Outcome.CANNOT_ASSESS in outcomes:
        return Outcome.CANNOT_ASSESS, next(
            basis for outcome, basis in decided if outcome is Outcome.CANNOT_ASSESS
        )
    if Outcome.MET in outcomes:
        return Outcome.MET, Basis.COMPUTED
    if any(basis is Basis.NOT_YET_DUE for _, basis in decided):
        return Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE
    return Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE


def combined_reason(said: Iterable[tuple[str, str]]) -> str:
    """The reason of :func:`combine`: each unit's reason after its label, in order."""
    return " ".join(f"{label}: {reason}" for label, reason in said)


def unit_label(noun: str, day: dt.date) -> str:
    """``"Breach of 18 June 2007"``."""
    return unit_label_words(noun, long_date(day))


def unit_label_words(noun: str, day: str) -> str:
    """:func:`unit_label` with the day already in words."""
    return f"{noun} of {day}"
