"""Kernels for the other National Standards deadlines: allocation, induction, reports,
victims, transfers, home visits, breaches (:mod:`casework.rules.standards.supervision`).

Each kernel is the columnar form of one scalar rule and reads the same facts the
same way: :func:`deadline` is :func:`casework.rules.timing.deadline_check` for a
column of deadlines, :func:`first_of_units` is the choice
:func:`casework.rules.units.combine` makes among a case's units (breaches,
victims). The facts come from entity tables built once per chunk from its raw
tables with array operations (:func:`~casework.columnar.columns.raw_table`;
``sup.case`` one row per case; ``sup.contacts``, ``sup.home_visits``,
``sup.breaches``, ``sup.victims``, ``sup.premises`` one row per entity): no
``Case`` object is read. tests/columnar/test_supervision_tables.py proves each equal,
column by column, to the same table read from ``Case`` objects one by one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from casework.calendar import Duration
from casework.columnar.answers import Answers
from casework.columnar.columns import (
    LATEST,
    NO_DAY,
    CaseColumns,
    Days,
    Mask,
    Table,
    from_day_number,
    raw_table,
)
from casework.columnar.columns import day_number as _day
from casework.columnar.core import (
    BASES,
    BASIS_CODE,
    LATE_CODE,
    OUTCOME_CODE,
    OUTCOMES,
    Answer,
    Explained,
    ExplainedText,
    Wording,
    add_duration,
    deadline,
    deadline_said,
    deadline_said_many,
    deadline_wording,
    register,
    register_many,
    register_text_many,
    verdict_said,
)
from casework.columnar.core import Answers as Answers_
from casework.columnar.group import (
    any_per_owner,
    count_per_owner,
    earliest_day,
    earliest_per_owner,
    first_per_owner,
    latest_per_owner,
    min_day,
    order_by_owner,
    take,
)
from casework.columnar.raw import NO_INT, code_of, codes_of
from casework.model import (
    ContactKind,
    OffenceCategory,
    RequirementKind,
    RohLevel,
    SentenceKind,
    StaffRole,
)
from casework.rules import units
from casework.rules.engine import (
    IN_FORCE_BY,
    Basis,
    Context,
    Evidence,
    Outcome,
    Verdict,
    evidence_line,
)
from casework.rules.parameters import MissingParameterError, ParameterError
from casework.rules.standards import supervision
from casework.rules.standards.base import IN_FORCE_2007, InForce
from casework.rules.timing import DeadlineLabels, DeadlineSaid

__all__ = ["Answers", "first_of_units", "table_of"]

Codes = npt.NDArray[np.int8]
Rows = npt.NDArray[np.intp]

_NA = OUTCOME_CODE[Outcome.NOT_APPLICABLE]
_MET = OUTCOME_CODE[Outcome.MET]
_NOT_MET = OUTCOME_CODE[Outcome.NOT_MET]
_CANNOT = OUTCOME_CODE[Outcome.CANNOT_ASSESS]

_KIND = {kind: code for code, kind in enumerate(SentenceKind)}
COMMUNITY = (_KIND[SentenceKind.COMMUNITY_ORDER], _KIND[SentenceKind.SUSPENDED_SENTENCE_ORDER])
LICENCE = _KIND[SentenceKind.LICENCE]
CUSTODY = _KIND[SentenceKind.CUSTODY]
#: RoH levels as ranks (low 0 ... very high 3); -1 where none is recorded.
ROH_RANK = {level: level.rank for level in RohLevel}
_OFFENDER_MANAGERS = frozenset({StaffRole.PO, StaffRole.PSO, StaffRole.TPO, StaffRole.SPO})
_STATUTORY = frozenset({OffenceCategory.SERIOUS_SEXUAL, OffenceCategory.SERIOUS_VIOLENT})


# ---------------------------------------------------------------- answers and deadlines


#: Which outcome decides a combined answer (:func:`casework.rules.units.combine`): lowest first.
_PRIORITY = np.zeros(len(OUTCOME_CODE), dtype=np.int8)
_PRIORITY[_NOT_MET], _PRIORITY[_CANNOT], _PRIORITY[_MET], _PRIORITY[_NA] = 0, 1, 2, 3


def first_of_units(owner: Rows, outcome: Codes) -> tuple[Rows, Rows]:
    """For units in case order (``owner`` ascending, units in order within a case): the
    cases with any unit, and the unit that decides each one's combined answer.

    :func:`~casework.rules.units.combine` answers not met if any unit is, else cannot
    assess if any is, else met if any is, else not applicable, and takes the basis
    and dates of the first unit with that outcome. (Every unit here is a deadline,
    so a not-applicable unit is not yet due and the bases agree.)
    """
    position = np.arange(len(owner))
    order = np.lexsort((position, _PRIORITY[outcome], owner))
    cases, first = np.unique(owner[order], return_index=True)
    return cases.astype(np.intp), order[first].astype(np.intp)


def _limit(ctx: Context, name: str) -> Duration | None:
    """A time-limit parameter's duration, or None when the sources give none."""
    try:
        duration: Duration = ctx.param(name).duration
    except MissingParameterError:
        return None
    return duration


def _simple(
    answers: Answers,
    ctx: Context,
    rows: Rows,
    *,
    limit: str,
    anchor: Days,
    done: Days,
    record_as_of: Days,
    labels: DeadlineLabels,
    anchor_label: str | Sequence[str],
    extra: Sequence[tuple[Evidence, ...]] | None = None,
) -> None:
    """Cases ``rows`` answer a plain deadline (NO_PARAMETER when the limit has no value),
    worded with the rule's own labels."""
    duration = _limit(ctx, limit)
    if duration is None:
        answers.mark(rows, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
        return
    answers.put(rows, deadline(ctx, anchor[rows], done[rows], duration, record_as_of[rows]))
    wording = deadline_wording(
        ctx, limit, anchor_label=anchor_label, labels=labels, size=len(rows), extra=extra
    )
    answers.word(rows, wording)


def start_labels(columns: CaseColumns, rows: Rows) -> list[str]:
    """What starts each case's clock, in words, as :attr:`Case.start_event` says it."""
    return ["release" if released else "sentence" for released in columns.released[rows].tolist()]


Facts = dict[str, npt.NDArray[Any]]


def table_of(columns: CaseColumns, name: str) -> Facts:
    """An entity table of the chunk, its columns loosely typed."""
    return cast(Facts, columns.table(name))


# ---------------------------------------------------------------- tables

#: RoH rank (:attr:`RohLevel.rank`) by the level's code in a raw column.
_RANK_OF_CODE = np.asarray([level.rank for level in RohLevel], dtype=np.int8)
_OFFENDER_MANAGER_CODES = codes_of(*_OFFENDER_MANAGERS)
_STATUTORY_CODES = codes_of(*_STATUTORY)
_UNPAID_WORK = code_of(RequirementKind.UNPAID_WORK)


def _ranks(level: npt.NDArray[np.int16], rows: Rows) -> Codes:
    """The RoH rank of the chosen ``roh`` rows, -1 where none was chosen."""
    ranks = _RANK_OF_CODE[level] if len(level) else np.zeros(0, dtype=np.int8)
    return cast(Codes, take(ranks, rows, -1))


def _roh_facts(columns: CaseColumns, transfer: Mask, notified: Days) -> Table:
    """The RoH in force at start (``population.roh_at_start``: the latest record on or
    before the start, else the first after it), on notification of a transfer
    (``Case.roh_on``) and the latest, as ranks, and the latest's day."""
    n = len(columns)
    roh = columns.raw["roh"]
    owner, on, level = roh["owner"], roh["on"], roh["level"]
    start = columns.start[owner]
    before = latest_per_owner(owner, on, n, on <= start)
    after = earliest_per_owner(owner, on, n, on > start)
    at_start = np.where(before >= 0, before, after)
    on_notice = latest_per_owner(owner, on, n, transfer[owner] & (on <= notified[owner]))
    latest = latest_per_owner(owner, on, n)
    return {
        "roh_start": _ranks(level, at_start),
        "roh_transfer": _ranks(level, on_notice),
        "roh_last": _ranks(level, latest),
        "roh_last_on": take(on, latest, NO_DAY),
    }


def _unpaid_work(columns: CaseColumns, ended: Days) -> Table:
    """Whether every requirement (at least one) is unpaid work, whether any is, and the
    unpaid work cycle of the first (``supervision._unpaid_work_cycle``): from its
    commencement (or the start of sentence) to its completion or the end of
    supervision, whichever is first."""
    n = len(columns)
    case = columns.raw["case"]
    found = columns.raw["sentence.requirements"]
    owner = found["owner"]
    unpaid = found["kind"] == _UNPAID_WORK
    total = count_per_owner(owner, n)
    upw = count_per_owner(owner, n, unpaid)
    first = first_per_owner(owner, n, unpaid)
    commenced = take(found["commenced_on"], first, NO_DAY)
    begun = case["sentence.starts_on"]
    begun = np.where(begun != NO_DAY, begun, case["sentence.sentenced_on"])
    begun = np.where(commenced != NO_DAY, commenced, begun)
    return {
        "upw_only": (total > 0) & (upw == total),
        "upw": upw > 0,
        "upw_start": np.where(first >= 0, begun, NO_DAY),
        "upw_end": min_day(take(found["completed_on"], first, NO_DAY), ended),
    }


@raw_table("sup.case")
def case_facts(columns: CaseColumns) -> Table:
    """One row per case: the facts these rules read."""
    n = len(columns)
    raw = columns.raw
    case = raw["case"]
    staff = raw["om_assignments"]
    inductions = raw["inductions"]
    transfer = case["transfer_in"].astype(bool)
    notified = case["transfer_in.notified_on"]
    months = case["sentence.custodial_months"]
    category = case["sentence.offence_category"]
    ended = case["sentence.termination.on"]
    offence = np.where(np.isin(category, _STATUTORY_CODES), 1, 2)
    return {
        "owner": np.arange(n, dtype=np.intp),
        "kind": case["sentence.kind"].astype(np.int8),
        "allocated": earliest_day(
            staff["owner"], staff["start"], n, np.isin(staff["role"], _OFFENDER_MANAGER_CODES)
        ),
        "inducted": earliest_day(inductions["owner"], inductions["on"], n, inductions["full"]),
        "psr": case["psr"].astype(bool),
        "psr_requested": case["psr.requested_on"],
        "psr_due": case["psr.due_on"],
        "psr_delivered": case["psr.delivered_on"],
        "transfer": transfer,
        "notified": notified,
        "first_appointment": case["transfer_in.first_appointment_on"],
        "first_contact": case["transfer_in.first_contact_on"],
        **_roh_facts(columns, transfer, notified),
        "custodial_months": np.where(months == NO_INT, -1, months).astype(np.int64),
        "offence": np.where(category < 0, 0, offence).astype(np.int8),
        "mappa": case["mappa"].astype(bool),
        "mappa_levels": any_per_owner(raw["mappa.levels"]["owner"], n) & case["mappa"],
        "ended": ended,
        **_unpaid_work(columns, ended),
    }


_UPW_SESSION = code_of(ContactKind.UNPAID_WORK_SESSION)
_PROGRAMME_SESSION = code_of(ContactKind.PROGRAMME_SESSION)


def _owners(column: npt.NDArray[Any]) -> Rows:
    return column.astype(np.intp, copy=False)


@raw_table("sup.contacts")
def contacts(columns: CaseColumns) -> Table:
    """One row per contact: its day and kind (codes of ``ContactKind`` in order)."""
    found = columns.raw["contacts"]
    return {
        "owner": _owners(found["owner"]),
        "on": found["on"],
        "kind": found["kind"].astype(np.int8),
    }


@raw_table("sup.home_visits")
def home_visits(columns: CaseColumns) -> Table:
    """One row per home visit: each case's home visit records, then the transfer's own."""
    raw = columns.raw
    visits = raw["home_visits"]
    moved = raw["case"]["transfer_in.home_visit_on"]
    # An absent transfer's home visit is NO_DAY, as is a transfer's without one.
    cases = np.flatnonzero(moved != NO_DAY).astype(np.intp)
    owner = np.concatenate([_owners(visits["owner"]), cases])
    on = np.concatenate([visits["on"], moved[cases]])
    order = np.argsort(owner, kind="stable")
    return {"owner": owner[order], "on": on[order]}


@raw_table("sup.premises")
def premises(columns: CaseColumns) -> Table:
    """One row per residence in approved premises (``left`` LATEST while there)."""
    found = columns.raw["approved_premises"]
    left = found["left_on"]
    return {
        "owner": _owners(found["owner"]),
        "arrived": found["arrived_on"],
        "left": np.where(left == NO_DAY, LATEST, left),
    }


@raw_table("sup.breaches")
def breaches(columns: CaseColumns) -> Table:
    """One row per breach, each case's in the order of failure (as the rules take them;
    breaches failing the same day in record order)."""
    found = columns.raw["breaches"]
    owner, failed = found["owner"], found["failed_on"]
    order = np.lexsort((np.arange(len(owner)), failed, owner))
    return {
        "owner": _owners(owner[order]),
        "failed": failed[order],
        "action": found["action_on"][order],
        "resolved": found["resolved_on"][order],
    }


@raw_table("sup.victims")
def statutory_victims(columns: CaseColumns) -> Table:
    """One row per victim eligible for statutory contact, in record order, with the
    first contact offered or made."""
    found = columns.raw["victims"]
    rows = np.flatnonzero(found["statutory"])
    return {
        "owner": _owners(found["owner"][rows]),
        "contacted": min_day(found["contact_offered_on"][rows], found["contacted_on"][rows]),
    }


def first_on_or_after(owner: Rows, on: Days, day: Days) -> Days:
    """Per case: the first of its ``on`` days on or after its ``day``, NO_DAY if none."""
    out = np.full(len(day), LATEST, dtype=np.int64)
    keep = (day[owner] != NO_DAY) & (on >= day[owner])
    np.minimum.at(out, owner[keep], on[keep])
    out[out == LATEST] = NO_DAY
    return out


# ---------------------------------------------------------------- kernels


def _plain_deadline(  # noqa: PLR0917 (one kernel per rule, declared in a row)
    population: Callable[[Facts, CaseColumns], Mask],
    limit: str,
    anchor: Callable[[Facts, CaseColumns], Days],
    done: Callable[[Facts, CaseColumns], Days],
    labels: DeadlineLabels,
    anchor_label: str | None,
) -> Callable[[CaseColumns, Context], dict[str, Any]]:
    """A kernel for a rule that is one :func:`deadline` for a population (``anchor_label``
    ``None``: the clock starts at sentence or release, as the case says)."""

    def kernel(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        facts = table_of(columns, "sup.case")
        answers = Answers(len(columns))
        rows = np.flatnonzero(population(facts, columns))
        _simple(
            answers,
            ctx,
            rows,
            limit=limit,
            anchor=anchor(facts, columns),
            done=done(facts, columns),
            record_as_of=columns.record_as_of,
            labels=labels,
            anchor_label=start_labels(columns, rows) if anchor_label is None else anchor_label,
        )
        return answers.result()

    return kernel


allocation = _plain_deadline(
    lambda facts, _c: np.isin(facts["kind"], COMMUNITY),
    "allocation_limit",
    lambda _f, columns: columns.sentenced,
    lambda facts, _c: facts["allocated"],
    supervision.ALLOCATION_LABELS,
    "sentence",
)
induction = _plain_deadline(
    lambda facts, _c: np.ones(len(facts["owner"]), dtype=bool),
    "induction_limit",
    lambda _f, columns: columns.start,
    lambda facts, _c: facts["inducted"],
    supervision.INDUCTION_LABELS,
    None,
)
transfer_first_appointment = _plain_deadline(
    lambda facts, _c: facts["transfer"],
    "transfer_first_appointment_limit",
    lambda facts, _c: facts["notified"],
    lambda facts, _c: facts["first_appointment"],
    supervision.FIRST_APPOINTMENT_LABELS,
    supervision.NOTIFICATION,
)


def transfer_home_visit(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.transfer-home-visit: the first home visit on or after notification."""
    facts = table_of(columns, "sup.case")
    visits = table_of(columns, "sup.home_visits")
    answers = Answers(len(columns))
    rows = np.flatnonzero(facts["transfer"])
    done = first_on_or_after(visits["owner"], visits["on"], facts["notified"])
    _simple(
        answers,
        ctx,
        rows,
        limit="transfer_home_visit_limit",
        anchor=facts["notified"],
        done=done,
        record_as_of=columns.record_as_of,
        labels=supervision.HOME_VISIT_LABELS,
        anchor_label=supervision.NOTIFICATION,
    )
    return answers.result()


def transfer_rmp_review(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.transfer-rmp-review: high RoH at notification, the first RMP on or after it,
    within the limit of the first contact."""
    facts = table_of(columns, "sup.case")
    answers = Answers(len(columns))
    level = np.where(facts["roh_transfer"] >= 0, facts["roh_transfer"], facts["roh_start"])
    moved = facts["transfer"]
    answers.mark(moved & (level < 0), Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    member = moved & (level >= ROH_RANK[RohLevel.HIGH])
    no_contact = member & (facts["first_contact"] == NO_DAY)
    answers.mark(no_contact, Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    rows = np.flatnonzero(member & ~no_contact)
    done = first_on_or_after(columns.owner, columns.rmp, facts["notified"])
    _simple(
        answers,
        ctx,
        rows,
        limit="transfer_rmp_review_limit",
        anchor=facts["first_contact"],
        done=done,
        record_as_of=columns.record_as_of,
        labels=supervision.RMP_REVIEW_LABELS,
        anchor_label=supervision.FIRST_CONTACT,
        extra=[
            (Evidence(supervision.NOTIFICATION, from_day_number(day)),)
            for day in facts["notified"][rows].tolist()
        ],
    )
    return answers.result()


def home_visit_high_roh(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.home-visit-high-roh: orders and licences, high RoH at start, not living in
    approved premises from the start to the due date; the first home visit on or after
    the start."""
    facts = table_of(columns, "sup.case")
    answers = Answers(len(columns))
    kind = facts["kind"]
    served = np.isin(kind, COMMUNITY) | (kind == LICENCE)
    level = facts["roh_start"]
    answers.mark(served & (level < 0), Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    high = np.flatnonzero(served & (level >= ROH_RANK[RohLevel.HIGH]))
    duration = _limit(ctx, "home_visit_limit")
    if duration is None:
        answers.mark(high, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
        return answers.result()
    due = np.full(len(columns), NO_DAY, dtype=np.int64)
    due[high] = add_duration(ctx.calendar, columns.start[high], duration)
    places = table_of(columns, "sup.premises")
    owner = places["owner"]
    inside = (
        (due[owner] != NO_DAY)
        & (places["arrived"] <= due[owner])
        & (places["left"] >= columns.start[owner])
    )
    away = np.zeros(len(columns), dtype=bool)
    away[owner[inside]] = True
    rows = high[~away[high]]
    visits = table_of(columns, "sup.home_visits")
    done = first_on_or_after(visits["owner"], visits["on"], columns.start)
    answers.put(
        rows,
        deadline(ctx, columns.start[rows], done[rows], duration, columns.record_as_of[rows]),
    )
    answers.word(
        rows,
        deadline_wording(
            ctx,
            "home_visit_limit",
            anchor_label=start_labels(columns, rows),
            labels=supervision.HOME_VISIT_LABELS,
            size=len(rows),
        ),
    )
    return answers.result()


def psr_delivery(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.psr-delivery: delivered by the date agreed with the court, late in days."""
    facts = table_of(columns, "sup.case")
    answers = Answers(len(columns))
    has = facts["psr"]
    due = facts["psr_due"]
    answers.mark(has & (due == NO_DAY), Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    rows = np.flatnonzero(has & (due != NO_DAY))
    as_of = _day(ctx.as_of)
    due, delivered = due[rows], facts["psr_delivered"][rows]
    record = columns.record_as_of[rows]
    has_done = delivered != NO_DAY
    met = has_done & (delivered <= due)
    pending = ~has_done & (as_of <= due)
    beyond = ~has_done & ~pending & (record < due) & (due < as_of)
    late = ~met & ~pending & ~beyond
    outcome = np.full(len(rows), _NOT_MET, dtype=np.int8)
    outcome[met] = _MET
    outcome[pending] = _NA
    outcome[beyond] = _CANNOT
    basis = np.full(len(rows), BASIS_CODE[Basis.COMPUTED], dtype=np.int8)
    basis[pending] = BASIS_CODE[Basis.NOT_YET_DUE]
    basis[beyond] = BASIS_CODE[Basis.MISSING_DATA]
    days_late = np.where(has_done, delivered, as_of) - due
    answers.put(
        rows,
        {
            "outcome": outcome,
            "basis": basis,
            "trigger": facts["psr_requested"][rows],
            "due": due,
            "done": delivered,
            "late_by": np.where(late, days_late, -1),
            "late_unit": np.where(late, LATE_CODE["days"], 0).astype(np.int8),
        },
    )
    reported = np.flatnonzero(has)
    requested = [from_day_number(day) for day in facts["psr_requested"][reported].tolist()]
    answers.word(
        reported,
        Wording(
            _psr_said,
            np.arange(len(reported)),
            {"requested": requested},
            {"anchor_label": units.PSR_TRIGGER_LABEL},
        ),
    )
    return answers.result()


def _psr_said(answer: Answer, *, requested: dt.date | None, anchor_label: str) -> Explained | None:
    """A PSR delivery answer in words (the rule's own template, ``units.psr_words``)."""
    if answer.basis is Basis.OUT_OF_SCOPE:
        return None
    reason, evidence = units.psr_words(
        answer.outcome,
        requested=requested,
        due=answer.due,
        delivered=answer.done,
        as_of=answer.as_of,
        record_as_of=answer.record_as_of,
    )
    return reason, evidence, None if answer.due is None else anchor_label


def victim_contact(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.victim-contact: every statutory victim contacted within the limit of sentence;
    a sentence recorded as not qualifying for statutory contact is a contradiction."""
    facts = table_of(columns, "sup.case")
    victims = table_of(columns, "sup.victims")
    answers = Answers(len(columns))
    member = np.zeros(len(columns), dtype=bool)
    member[victims["owner"]] = True
    try:
        scheme = ctx.param("statutory_victim_custody_months")
    except MissingParameterError:
        answers.mark(member, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
        return answers.result()
    shortest = scheme.value
    if not isinstance(shortest, int):
        raise ParameterError(f"{scheme.name} must be a whole number of months")
    kind, months = facts["kind"], facts["custodial_months"]
    conflict = member & (
        ((kind != CUSTODY) & (kind != LICENCE))
        | ((months >= 0) & (months < shortest))
        | (facts["offence"] == 2)
    )
    answers.mark(conflict, Outcome.CANNOT_ASSESS, Basis.CONTRADICTORY)
    duration = _limit(ctx, "victim_contact_limit")
    if duration is None:
        answers.mark(member & ~conflict, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
        return answers.result()
    owner = victims["owner"]
    units_ = np.flatnonzero(~conflict[owner])
    owner = owner[units_]
    answered = deadline(
        ctx,
        columns.sentenced[owner],
        victims["contacted"][units_],
        duration,
        columns.record_as_of[owner],
    )
    cases, first = first_of_units(owner, answered["outcome"])
    answers.put(cases, {name: values[first] for name, values in answered.items()})
    ids = columns.raw["victims"]["id"][np.flatnonzero(columns.raw["victims"]["statutory"])]
    answers.word(
        cases,
        units_wording(
            ctx,
            "victim_contact_limit",
            answered,
            owner,
            cases,
            labels=units.VICTIM_CONTACT_LABELS,
            anchor_label="sentence",
            noun="Victim",
            names=ids[units_],
            extra="victim",
        ),
    )
    return answers.result()


def _each_breach(
    limit: str, done: str, labels: DeadlineLabels
) -> Callable[[CaseColumns, Context], dict[str, Any]]:
    def kernel(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        found = table_of(columns, "sup.breaches")
        answers = Answers(len(columns))
        owner = found["owner"]
        if not len(owner):
            return answers.result()
        duration = _limit(ctx, limit)
        if duration is None:
            answers.mark(owner, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
            return answers.result()
        answered = deadline(
            ctx, found["failed"], found[done], duration, columns.record_as_of[owner]
        )
        cases, first = first_of_units(owner, answered["outcome"])
        answers.put(cases, {name: values[first] for name, values in answered.items()})
        wording = units_wording(
            ctx, limit, answered, owner, cases, labels=labels, anchor_label=units.FAILURE,
            noun="Breach",
        )  # fmt: skip
        answers.word(cases, wording)
        return answers.result()

    return kernel


breach_action = _each_breach("breach_action_limit", "action", units.BREACH_ACTION_LABELS)
breach_resolution = _each_breach(
    "breach_resolution_limit", "resolved", units.BREACH_RESOLUTION_LABELS
)


def units_wording(
    ctx: Context,
    limit: str,
    answered: dict[str, Any],
    owner: Rows,
    cases: Rows,
    *,
    labels: DeadlineLabels,
    anchor_label: str,
    noun: str,
    names: npt.NDArray[Any] | None = None,
    extra: str | None = None,
) -> Wording | None:
    """The :class:`Wording` of a rule over units (breaches, victims), each a
    :func:`deadline` (``answered``, units in case order, ``owner`` their case), answered
    for ``cases``: each unit worded by :func:`~casework.rules.timing.deadline_words`
    with the rule's labels, labelled "{noun} of {trigger}" (or "{noun} {name}"), and
    combined as :func:`casework.rules.units.combine` combines them. ``extra``: the label
    of an evidence item holding each unit's name."""
    wording = deadline_wording(ctx, limit, anchor_label=anchor_label, labels=labels, size=0)
    if wording is None:
        return None
    firsts = np.searchsorted(owner, cases, side="left")
    stops = np.searchsorted(owner, cases, side="right")
    constants = {
        **wording.constants,
        "parts": answered,
        "noun": noun,
        "names": names,
        "extra_label": extra,
    }
    values = cast(dict[str, Sequence[Any]], {"first": firsts, "stop": stops})
    return Wording(_units_said, np.arange(len(cases), dtype=np.intp), values, constants)


def _units_said(
    answer: Answer,
    *,
    first: int,
    stop: int,
    parts: dict[str, Any],
    noun: str,
    names: npt.NDArray[Any] | None,
    extra_label: str | None,
    anchor_label: str,
    limit: str,
    source: str | None,
    done_label: str,
    missing_label: str,
) -> Explained | None:
    """A combined answer over units in words (:func:`units_wording`)."""
    verdicts: list[tuple[str, Verdict]] = []
    for u in range(int(first), int(stop)):
        unit = Answer.of_unit(parts, u, answer)
        name = None if names is None else str(names[u])
        said = deadline_said(
            unit,
            anchor_label=anchor_label,
            limit=limit,
            source=source,
            done_label=done_label,
            missing_label=missing_label,
            extra=() if extra_label is None else (Evidence(extra_label, name),),
        )
        if said is None or unit.trigger is None:
            return None
        label = f"{noun} {name}" if name is not None else units.unit_label(noun, unit.trigger)
        verdicts.append((label, Verdict(unit.outcome, unit.basis, said[0], said[1])))
    return verdict_said(answer, units.combine(verdicts, none=""), anchor_label)


def _units_said_many(
    answers: Answers_,
    *,
    first: Sequence[int],
    stop: Sequence[int],
    parts: dict[str, Any],
    noun: str,
    names: npt.NDArray[Any] | None,
    extra_label: str | None,
    anchor_label: str,
    limit: str,
    source: str | None,
    done_label: str,
    missing_label: str,
    as_text: bool = False,
) -> list[Any]:
    """:func:`_units_said` of many answers: every unit of every answer worded at once
    (:func:`~casework.columnar.core.deadline_said_many`, the deadline templates), then each
    answer's units combined by :func:`~casework.rules.units.combined_words`, the words of
    :func:`~casework.rules.units.combine`. An answer with no unit is asked one by one.
    ``as_text``: the text form, each unit's evidence as its line (the deadlines' text form)
    and an answer's lines joined as one (as the items joined are written), combined by
    :func:`~casework.rules.units.combined_decision` and
    :func:`~casework.rules.units.combined_reason`, the parts of ``combined_words``."""
    n = len(answers)
    said: list[Any] = [None] * n
    starts = np.asarray(first, dtype=np.intp)
    counts = np.asarray(stop, dtype=np.intp) - starts
    for k in np.flatnonzero(counts <= 0).tolist():
        said[k] = _units_said(
            answers.answer(k), first=int(starts[k]), stop=int(starts[k] + counts[k]),
            parts=parts, noun=noun, names=names, extra_label=extra_label,
            anchor_label=anchor_label, limit=limit, source=source, done_label=done_label,
            missing_label=missing_label,
        )  # fmt: skip
        one = said[k]
        if as_text and one is not None:
            said[k] = (one[0], evidence_line(one[1]), one[2])
    counts = np.maximum(counts, 0)
    # Every unit of every answer: its answer (``owner``) and its row in parts.
    owner = np.repeat(np.arange(n, dtype=np.intp), counts)
    unit = starts[owner] + (
        np.arange(owner.size, dtype=np.intp) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    unit_names: list[str | None] = (
        [None] * owner.size if names is None else [str(name) for name in names[unit].tolist()]
    )
    extras = (
        [()] * owner.size
        if extra_label is None
        else [(Evidence(extra_label, name),) for name in unit_names]
    )
    worded = deadline_said_many(
        Answers_(
            **{name: parts[name][unit] for name in _ANSWER_COLUMNS},
            as_of=answers.as_of,
            record_as_of=answers.record_as_of[owner],
        ),
        anchor_label=anchor_label,
        limit=limit,
        source=source,
        done_label=done_label,
        missing_label=missing_label,
        extra=extras,
        as_text=as_text,
    )
    triggers = parts["trigger"][unit].tolist()
    outcomes = parts["outcome"][unit].tolist()
    bases = parts["basis"][unit].tolist()
    labelled: dict[int, str] = {}
    verdicts: list[list[tuple[str, Outcome, Basis, str, Any]] | None] = [[] for _ in range(n)]
    for j, (k, words, name, trigger) in enumerate(
        zip(owner.tolist(), worded, unit_names, triggers, strict=True)
    ):
        listed = verdicts[k]
        if listed is None:
            continue
        if words is None or trigger == NO_DAY:
            verdicts[k] = None
            continue
        if name is not None:
            label = f"{noun} {name}"
        else:
            label = labelled.get(trigger, "")
            if not label:
                day = from_day_number(trigger)
                assert day is not None
                label = labelled[trigger] = units.unit_label(noun, day)
        listed.append((label, OUTCOMES[outcomes[j]], BASES[bases[j]], words[0], words[1]))
    for k in np.flatnonzero(counts > 0).tolist():
        listed = verdicts[k]
        if listed is None:
            continue
        said[k] = (_combined_text if as_text else _combined)(
            listed, OUTCOMES[answers.outcome[k]], BASES[answers.basis[k]], anchor_label
        )
    return said


def _combined(
    listed: list[tuple[str, Outcome, Basis, str, Any]],
    outcome: Outcome,
    basis: Basis,
    anchor_label: str,
) -> Explained | None:
    """An answer's units (label, outcome, basis, reason, evidence) combined by
    :func:`~casework.rules.units.combined_words`, if that is the answer's outcome and basis."""
    combined = units.combined_words([(label, DeadlineSaid(*said)) for label, *said in listed])
    if combined.outcome is not outcome or combined.basis is not basis:
        return None
    return combined.reason, combined.evidence, anchor_label


def _combined_text(
    listed: list[tuple[str, Outcome, Basis, str, Any]],
    outcome: Outcome,
    basis: Basis,
    anchor_label: str,
) -> ExplainedText | None:
    """:func:`_combined` for writers of text: each unit's evidence a line, the answer's the
    lines of the units with evidence, joined as :func:`~casework.rules.engine.evidence_line`
    joins their items."""
    if units.combined_decision([(said[1], said[2]) for said in listed]) != (outcome, basis):
        return None
    reason = units.combined_reason([(said[0], said[3]) for said in listed])
    return reason, "; ".join([said[4] for said in listed if said[4]]), anchor_label


_ANSWER_COLUMNS = ("outcome", "basis", "trigger", "due", "done", "late_by", "late_unit")
register_many(_units_said, _units_said_many)
register_text_many(_units_said, functools.partial(_units_said_many, as_text=True))


def periodic(
    ctx: Context,
    rows: Rows,
    *,
    anchor: Days,
    ended: Days,
    owner: Rows,
    on: Days,
    duration: Duration,
    record_as_of: Days,
    window: InForce,
) -> dict[str, Any]:
    """:func:`casework.rules.standards.base.periodic_check` for the cases ``rows``: the
    answer of each (an :class:`Answers`-shaped dict over ``rows``).

    Intervals run from ``anchor`` to the first distinct ``on`` day after it, from each to
    the next, and from the last to a final one still open (left out when it falls due
    after ``ended``); with ``ctx.by_clock``, only intervals whose clock started (or,
    ``in_force_by="due"``, fell due) within ``window`` count. Not met if any counted
    interval was late (the first decides the dates), else cannot assess if the open one
    fell due beyond the record, else met if any was done (the latest decides), else the
    open one (not yet due); no interval counted: not applicable.
    """
    n = len(anchor)
    member = np.zeros(n, dtype=bool)
    member[rows] = True
    keep = member[owner] & (on > anchor[owner])
    owner, on = owner[keep], on[keep]
    order = order_by_owner(owner, on)
    owner, on = owner[order], on[order]
    fresh = np.ones(len(owner), dtype=bool)
    fresh[1:] = (owner[1:] != owner[:-1]) | (on[1:] != on[:-1])
    owner, on = owner[fresh], on[fresh]
    first = np.ones(len(owner), dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    start = np.where(first, anchor[owner], np.roll(on, 1))
    # The open interval, from the last day done (or the anchor).
    last = anchor.copy()
    last[owner] = on  # the last of each case's days wins (ascending)
    open_due = np.full(n, NO_DAY, dtype=np.int64)
    open_due[rows] = add_duration(ctx.calendar, last[rows], duration)
    still = member & ((ended == NO_DAY) | (open_due <= ended))
    finals = np.flatnonzero(still)
    unit_owner = np.concatenate([owner, finals]).astype(np.intp)
    unit_start = np.concatenate([start, last[finals]])
    unit_done = np.concatenate([on, np.full(len(finals), NO_DAY, dtype=np.int64)])
    # Each case's intervals, then its open one: a stable sort by case keeps the
    # intervals (the first run) before the open one, and merges two ordered runs.
    order = np.argsort(unit_owner, kind="stable")
    unit_owner, unit_start, unit_done = unit_owner[order], unit_start[order], unit_done[order]
    answered = deadline(ctx, unit_start, unit_done, duration, record_as_of[unit_owner])
    counted = np.ones(len(unit_owner), dtype=bool)
    if ctx.by_clock:
        by_due = ctx.option(IN_FORCE_BY, ctx.in_force_by) == "due"
        day = answered["due"] if by_due else unit_start
        counted = day >= _day(window["in_force_from"])
        if window["in_force_to"] is not None:
            counted &= day <= _day(window["in_force_to"])
    units = np.flatnonzero(counted)
    cases, deciding = _deciding_units(unit_owner[units], answered["outcome"][units])
    result = {name: values[units[deciding]] for name, values in answered.items()}
    result["rows"] = cases
    return result


def _deciding_units(owner: Rows, outcome: Codes) -> tuple[Rows, Rows]:
    """For intervals in case order (``owner`` ascending, in order within a case): the
    cases with any, and the interval that decides each one's answer (by outcome
    priority; the first of its outcome, but the *last* met one).

    One key per interval, smallest deciding: the priority of its outcome, then its
    position (counted down for met ones), minimised over each case's run.
    """
    m = len(owner)
    if not m:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    position = np.arange(m, dtype=np.int64)
    met = outcome == _MET
    key = _PRIORITY[outcome].astype(np.int64) * m + np.where(met, m - 1 - position, position)
    starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
    best = np.minimum.reduceat(key, starts)
    band, within = np.divmod(best, m)
    chosen = np.where(band == _PRIORITY[_MET], m - 1 - within, within)
    return owner[starts].astype(np.intp), chosen.astype(np.intp)


def _frequency(
    ctx: Context,
    answers: Answers,
    members: Rows,
    *,
    limit: str,
    anchor: Days,
    ended: Days,
    owner: Rows,
    on: Days,
    record_as_of: Days,
) -> None:
    """The periodic rules: members whose supervision ended before the first one fell due
    are outside the population (``lasting_until``); the rest answer :func:`periodic`."""
    duration = _limit(ctx, limit)
    if duration is None:
        answers.mark(members, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
        return
    first_due = add_duration(ctx.calendar, anchor[members], duration)
    end = ended[members]
    rows = members[(end == NO_DAY) | (first_due <= end)]
    answered = periodic(
        ctx,
        rows,
        anchor=anchor,
        ended=ended,
        owner=owner,
        on=on,
        duration=duration,
        record_as_of=record_as_of,
        window=IN_FORCE_2007,
    )
    answers.put(answered.pop("rows"), answered)


def appointment_frequency(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.appointment-frequency: orders and licences, not unpaid work only; every gap
    between appointments (contacts other than unpaid work and programme sessions)."""
    found = table_of(columns, "sup.case")
    seen = table_of(columns, "sup.contacts")
    answers = Answers(len(columns))
    kind = found["kind"]
    members = np.flatnonzero((np.isin(kind, COMMUNITY) | (kind == LICENCE)) & ~found["upw_only"])
    appointment = (seen["kind"] != _UPW_SESSION) & (seen["kind"] != _PROGRAMME_SESSION)
    _frequency(
        ctx,
        answers,
        members,
        limit="appointment_interval_limit",
        anchor=columns.start,
        ended=found["ended"],
        owner=seen["owner"][appointment],
        on=seen["on"][appointment],
        record_as_of=columns.record_as_of,
    )
    return answers.result()


def upw_frequency(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.upw-frequency: orders with unpaid work; every gap between work sessions from the
    requirement's commencement (or the start of sentence) to its completion or the end."""
    found = table_of(columns, "sup.case")
    seen = table_of(columns, "sup.contacts")
    answers = Answers(len(columns))
    members = np.flatnonzero(np.isin(found["kind"], COMMUNITY) & found["upw"])
    session = seen["kind"] == _UPW_SESSION
    _frequency(
        ctx,
        answers,
        members,
        limit="upw_session_interval_limit",
        anchor=found["upw_start"],
        ended=found["upw_end"],
        owner=seen["owner"][session],
        on=seen["on"][session],
        record_as_of=columns.record_as_of,
    )
    return answers.result()


for _rule, _kernel in (
    (supervision.allocation_2007, allocation),
    (supervision.induction_2007, induction),
    (supervision.psr_delivery_2007, psr_delivery),
    (supervision.psr_delivery_2005, psr_delivery),
    (supervision.victim_contact_2007, victim_contact),
    (supervision.victim_contact_2005, victim_contact),
    (supervision.home_visit_high_roh_2007, home_visit_high_roh),
    (supervision.transfer_first_appointment_2007, transfer_first_appointment),
    (supervision.transfer_home_visit_2007, transfer_home_visit),
    (supervision.transfer_rmp_review_2007, transfer_rmp_review),
    (supervision.breach_action_2007, breach_action),
    (supervision.breach_action_2005, breach_action),
    (supervision.breach_resolution_2007, breach_resolution),
    (supervision.breach_resolution_2005, breach_resolution),
    (supervision.appointment_frequency_2007, appointment_frequency),
    (supervision.upw_frequency_2007, upw_frequency),
):
    register(_rule, _kernel)
