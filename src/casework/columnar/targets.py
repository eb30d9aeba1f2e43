"""Kernels for the rules behind the target sets (:mod:`casework.rules.targets.rules`).

The OASys targets are the National Standards rules themselves, with their own
kernels (:mod:`casework.columnar.oasys`). Here: the descriptive ``TGT.case`` rule
every target rule set starts with (a case's area and dates: never scored, read by
:meth:`casework.performance.TargetTally.add_columns` from the columns instead), and
the table of the case facts a tally places cases by (``tgt.case``: area and
termination).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt

from casework.calendar import Duration
from casework.columnar import supervision
from casework.columnar.columns import (
    NO_DAY,
    CaseColumns,
    Days,
    Table,
    day_words,
    from_day_number,
    from_day_numbers,
    raw_table,
    unique_days,
)
from casework.columnar.columns import day_number as _day
from casework.columnar.core import (
    BASES,
    BASIS_CODE,
    OUTCOME_CODE,
    OUTCOMES,
    Answer,
    Explained,
    RuleColumns,
    Wording,
    add_duration,
    deadline,
    deadline_said,
    population,
    register,
    register_unit_words,
    verdict_said,
)
from casework.columnar.group import min_day
from casework.columnar.oasys import oasys_wording
from casework.columnar.raw import NO_INT, code_of, codes_of, lookup
from casework.model import (
    AccommodationStatus,
    BreachResolution,
    ContactOutcome,
    OasysPart,
    Programme,
    ProgrammeCategory,
    RequirementKind,
    SentenceKind,
    TerminationReason,
)
from casework.rules import units as unit_checks
from casework.rules.engine import (
    Basis,
    Context,
    Evidence,
    MissingFactError,
    Outcome,
    Rule,
    Verdict,
)
from casework.rules.parameters import MissingParameterError
from casework.rules.standards import oasys as standards_oasys
from casework.rules.targets import rules as targets
from casework.rules.timing import DeadlineLabels

__all__ = [
    "ANCHOR_DAYS",
    "CHANGE_VALUES",
    "HELD_DAYS",
    "MEAN_VALUES",
    "UNIT_WORDS",
    "accommodation_at_end",
    "accommodation_change",
    "appointment_arranged",
    "appointment_attended",
    "breach_action",
    "breach_resolution",
    "case_dates",
    "compliance",
    "drr_retention",
    "oasys_high_roh",
    "psr_delivery",
    "six_months_without_breach",
    "successful_completion",
    "upw_completion",
    "victim_contact",
]


_KIND = {kind: code for code, kind in enumerate(SentenceKind)}
#: Orders and licences (``ORDERS_AND_LICENCES``): community, suspended sentence, licence.
_SERVED = tuple(
    _KIND[kind]
    for kind in (
        SentenceKind.COMMUNITY_ORDER,
        SentenceKind.SUSPENDED_SENTENCE_ORDER,
        SentenceKind.LICENCE,
    )
)
_REASONS = tuple(TerminationReason)
_REASON = {reason: code for code, reason in enumerate(_REASONS)}
_RESOLUTIONS = tuple(BreachResolution)
_RESOLUTION = {resolution: code for code, resolution in enumerate(_RESOLUTIONS)}
_SETTLED, _UNKNOWN = 1, 2  # accommodation codes; 0 is not settled

_NA = OUTCOME_CODE[Outcome.NOT_APPLICABLE]
_MET = OUTCOME_CODE[Outcome.MET]
_NOT_MET = OUTCOME_CODE[Outcome.NOT_MET]
_CANNOT = OUTCOME_CODE[Outcome.CANNOT_ASSESS]


def _accommodation(status: AccommodationStatus) -> int:
    if status is AccommodationStatus.UNKNOWN:
        return _UNKNOWN
    return _SETTLED if status is AccommodationStatus.SETTLED_AND_SUITABLE else 0


_KIND_OF = lookup(SentenceKind, _KIND.__getitem__)
_REASON_OF = lookup(TerminationReason, _REASON.__getitem__)
_RESOLUTION_OF = lookup(BreachResolution, _RESOLUTION.__getitem__)
_ACCOMMODATION_OF = lookup(AccommodationStatus, _accommodation)


def _coded(recode: npt.NDArray[np.int8], codes: npt.NDArray[Any]) -> npt.NDArray[np.int8]:
    """Raw enum codes (-1 for none) as codes here (-1 kept)."""
    out: npt.NDArray[np.int8] = np.where(codes >= 0, recode[np.maximum(codes, 0)], -1).astype(
        np.int8
    )
    return out


@raw_table("tgt.case")
def case_table(columns: CaseColumns) -> Table:
    """One row per case: area (``None`` when not recorded), sentence kind, termination day
    and reason (-1 when not terminated), accommodation at the start and end (settled and
    suitable 1, unknown 2, else 0). Read from the raw table ``case``."""
    case = columns.raw["case"]
    ended = case["sentence.termination"]
    return {
        "owner": np.arange(len(columns), dtype=np.intp),
        "area": case["area"].copy(),
        "kind": _coded(_KIND_OF, case["sentence.kind"]),
        "terminated": np.where(ended, case["sentence.termination.on"], NO_DAY),
        "reason": np.where(
            ended, _coded(_REASON_OF, case["sentence.termination.reason"]), -1
        ).astype(np.int8),
        "at_start": _coded(_ACCOMMODATION_OF, case["outcomes.accommodation.at_start"]),
        "at_end": _coded(_ACCOMMODATION_OF, case["outcomes.accommodation.at_end"]),
    }


@raw_table("tgt.breaches")
def breach_table(columns: CaseColumns) -> Table:
    """One row per breach, in record order: the failure to comply, the breach action day
    and the resolution day (NO_DAY if none), and how it was resolved (-1 if not). Read
    from the raw table ``breaches``."""
    breaches = columns.raw["breaches"]
    return {
        "owner": breaches["owner"].astype(np.intp),
        "failed": breaches["failed_on"].copy(),
        "action": breaches["action_on"].copy(),
        "resolved": breaches["resolved_on"].copy(),
        "resolution": _coded(_RESOLUTION_OF, breaches["resolution"]),
    }


def _facts(columns: CaseColumns) -> dict[str, Any]:
    return cast(dict[str, Any], columns.table("tgt.case"))


def _codes(ctx: Context, name: str, codes: dict[Any, int], kind: type[Any]) -> list[int]:
    """A set-valued parameter's members as codes (``MissingParameterError`` if unset)."""
    value = ctx.param(name).value
    if not isinstance(value, tuple):
        raise TypeError(f"parameter {name!r} is not a set")
    return [codes[kind(member)] for member in value]


def _answers(n: int) -> dict[str, Any]:
    """Every case not applicable (out of scope), no dates."""
    return {
        "outcome": np.full(n, _NA, dtype=np.int8),
        "basis": np.full(n, BASIS_CODE[Basis.OUT_OF_SCOPE], dtype=np.int8),
        "trigger": np.full(n, NO_DAY, dtype=np.int64),
        "due": np.full(n, NO_DAY, dtype=np.int64),
        "done": np.full(n, NO_DAY, dtype=np.int64),
        "late_by": np.full(n, -1, dtype=np.int64),
        "late_unit": np.zeros(n, dtype=np.int8),
    }


def _left_to_scalar(n: int) -> dict[str, Any]:
    """A parameter the rule reads has no value: every case answered by the scalar rule
    (which says which parameter, per case)."""
    answered = _answers(n)
    answered["special"] = np.ones(n, dtype=bool)
    return answered


def _counted_at_the_end(
    columns: CaseColumns, ctx: Context
) -> tuple[dict[str, Any], Any, Any] | None:
    """``COUNTED_AT_THE_END`` and ``_ended``: the answers so far (outside the population
    out of scope, running orders not yet due), the cases ended and counted, and the
    facts; ``None`` when ``neutral_termination_reasons`` has no value."""
    facts = _facts(columns)
    try:
        neutral = _codes(ctx, "neutral_termination_reasons", _REASON, TerminationReason)
    except MissingParameterError:
        return None
    answered = _answers(len(columns))
    served = np.isin(facts["kind"], _SERVED)
    ended = facts["terminated"] != NO_DAY
    running = served & ~ended
    answered["basis"][running] = BASIS_CODE[Basis.NOT_YET_DUE]
    counted = served & ended & ~np.isin(facts["reason"], neutral)
    return answered, counted, facts


def _put(answered: dict[str, Any], rows: Any, outcome: int, basis: Basis) -> None:
    answered["outcome"][rows] = outcome
    answered["basis"][rows] = BASIS_CODE[basis]


def successful_completion(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.successful-completion``: ended for a successful reason."""
    found = _counted_at_the_end(columns, ctx)
    try:
        good = _codes(ctx, "successful_termination_reasons", _REASON, TerminationReason)
    except MissingParameterError:
        found = None
    if found is None:
        return _left_to_scalar(len(columns))
    answered, counted, facts = found
    success = np.isin(facts["reason"], good)
    _put(answered, counted & success, _MET, Basis.COMPUTED)
    _put(answered, counted & ~success, _NOT_MET, Basis.COMPUTED)
    rows = _ended_rows(answered, counted)
    answered["wording"] = _ended_wording(
        targets.successful_completion_verdict, facts, rows, successful=success[rows].tolist()
    )
    return answered


def compliance(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.compliance``: not ended for a non-compliant reason, no breach resolved so."""
    found = _counted_at_the_end(columns, ctx)
    try:
        failed = _codes(ctx, "non_compliant_termination_reasons", _REASON, TerminationReason)
        failing = _codes(ctx, "non_compliant_breach_resolutions", _RESOLUTION, BreachResolution)
    except MissingParameterError:
        found = None
    if found is None:
        return _left_to_scalar(len(columns))
    answered, counted, facts = found
    breaches = columns.table("tgt.breaches")
    resolved_so = np.zeros(len(columns), dtype=bool)
    so = np.flatnonzero(np.isin(breaches["resolution"], failing))
    resolved_so[breaches["owner"][so]] = True
    non_compliant = np.isin(facts["reason"], failed)
    failed_case = non_compliant | resolved_so
    _put(answered, counted & failed_case, _NOT_MET, Basis.COMPUTED)
    _put(answered, counted & ~failed_case, _MET, Basis.COMPUTED)
    # each case's first breach resolved so, in record order (the rule's words name it)
    owners, first = np.unique(breaches["owner"][so], return_index=True)
    breach_at = np.full(len(columns), -1, dtype=np.intp)
    breach_at[owners] = so[first]
    rows = _ended_rows(answered, counted)
    at = breach_at[rows]
    breach: list[tuple[dt.date | None, BreachResolution] | None] = [None] * len(rows)
    for k, place in zip(np.flatnonzero(at >= 0).tolist(), at[at >= 0].tolist(), strict=True):
        failed_on = from_day_number(breaches["failed"][place])
        breach[k] = (failed_on, _RESOLUTIONS[breaches["resolution"][place]])
    answered["wording"] = _ended_wording(
        targets.compliance_verdict,
        facts,
        rows,
        non_compliant=non_compliant[rows].tolist(),
        breach=breach,
    )
    return answered


def accommodation_at_end(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.accommodation-at-end``: settled and suitable at the end; unknown cannot assess.
    The cases counted are worded by the rule's own verdict of their facts."""
    found = _counted_at_the_end(columns, ctx)
    if found is None:
        return _left_to_scalar(len(columns))
    answered, counted, facts = found
    at_end = facts["at_end"]
    _put(answered, counted & (at_end == _UNKNOWN), _CANNOT, Basis.MISSING_DATA)
    _put(answered, counted & (at_end == _SETTLED), _MET, Basis.COMPUTED)
    _put(answered, counted & (at_end == 0), _NOT_MET, Basis.COMPUTED)
    rows = _ended_rows(answered, counted)
    answered["wording"] = _ended_wording(
        targets.accommodation_at_end_verdict, facts, rows, at_end=_suitable(at_end[rows])
    )
    return answered


def accommodation_change(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.accommodation-change``: with the accommodation at the start and at the end both
    known, met when suitable at the end, not met when not; else cannot assess."""
    found = _counted_at_the_end(columns, ctx)
    if found is None:
        return _left_to_scalar(len(columns))
    answered, counted, facts = found
    at_start, at_end = facts["at_start"], facts["at_end"]
    known = (at_start != _UNKNOWN) & (at_end != _UNKNOWN)
    _put(answered, counted & ~known, _CANNOT, Basis.MISSING_DATA)
    _put(answered, counted & known & (at_end == _SETTLED), _MET, Basis.COMPUTED)
    _put(answered, counted & known & (at_end == 0), _NOT_MET, Basis.COMPUTED)
    rows = _ended_rows(answered, counted)
    answered["wording"] = _ended_wording(
        targets.accommodation_change_verdict,
        facts,
        rows,
        at_start=_suitable(at_start[rows]),
        at_end=_suitable(at_end[rows]),
    )
    return answered


#: Suitable at the start or end (``None``: not recorded), by accommodation code
#: (:func:`_accommodation`: not settled 0, settled and suitable 1, unknown 2; -1 none).
_SUITABLE: tuple[bool | None, ...] = (False, True, None, None)


def _suitable(codes: npt.NDArray[np.int8]) -> list[bool | None]:
    return [_SUITABLE[code] for code in codes.tolist()]


def _ended_rows(answered: dict[str, Any], counted: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """The cases a rule counted at the end words itself: those counted, and the orders
    and licences still running (not yet due, as :func:`_counted_at_the_end` answers)."""
    return np.flatnonzero(counted | (answered["basis"] == BASIS_CODE[Basis.NOT_YET_DUE]))


def _ended_wording(
    verdict: Callable[..., Verdict],
    facts: dict[str, Any],
    rows: npt.NDArray[np.intp],
    **values: Sequence[Any],
) -> Wording:
    """The wording of the answers of cases ``rows`` of a rule counted at the end: the
    rule's own ``verdict(on, reason, **values)`` of each case's termination (day and
    reason) and ``values`` (one for each of ``rows``), or the running order's
    ``rules.not_terminated`` (:func:`_ended_said`)."""
    on = from_day_numbers(facts["terminated"][rows].tolist())
    reason = [None if code < 0 else _REASONS[code] for code in facts["reason"][rows].tolist()]
    return Wording(_ended_said, rows, {"on": on, "reason": reason, **values}, {"verdict": verdict})


def _ended_said(
    answer: Answer,
    *,
    verdict: Callable[..., Verdict],
    on: dt.date | None,
    reason: TerminationReason | None,
    **values: Any,
) -> Explained | None:
    """An answer of a rule counted at the end in words: ``verdict(on, reason, **values)``
    (``rules.accommodation_at_end_verdict`` and the rest), or ``rules.not_terminated``
    for an order or licence still running."""
    if on is None or reason is None:
        found = targets.not_terminated(answer.as_of)
    else:
        found = verdict(on, reason, **values)
    return verdict_said(answer, found, found.trigger_label)


def six_months_without_breach(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.six-months-without-breach``: no breach action by the six-month point; orders
    that ended before it without breach action are left out."""
    try:
        period: Duration = ctx.param("breach_free_period").duration
    except MissingParameterError:
        return _left_to_scalar(len(columns))
    facts = _facts(columns)
    answered = _answers(len(columns))
    point = add_duration(ctx.calendar, columns.start, period)
    breaches = columns.table("tgt.breaches")
    owner, action = breaches["owner"], breaches["action"]
    acted = (action != NO_DAY) & (action <= point[owner])
    early = np.zeros(len(columns), dtype=bool)
    early[owner[acted]] = True
    ended = facts["terminated"]
    short = (ended != NO_DAY) & (ended < point) & ~early
    member = np.isin(facts["kind"], _SERVED) & ~short
    pending = member & ~early & (point > _day(ctx.as_of))
    _put(answered, member & early, _NOT_MET, Basis.COMPUTED)
    _put(answered, pending, _NA, Basis.NOT_YET_DUE)
    _put(answered, member & ~early & ~pending, _MET, Basis.COMPUTED)
    first = np.full(len(columns), NO_DAY, dtype=np.int64)  # the first breach action by then
    first[early] = np.iinfo(np.int64).max
    np.minimum.at(first, owner[acted], action[acted])
    rows = np.flatnonzero(member)
    answered["wording"] = Wording(
        _six_months_said,
        rows,
        {
            "kind": supervision.start_labels(columns, rows),
            "start": from_day_numbers(columns.start[rows].tolist()),
            "point": from_day_numbers(point[rows].tolist()),
            "early": from_day_numbers(first[rows].tolist()),
        },
    )
    return answered


def _six_months_said(
    answer: Answer, *, kind: str, start: dt.date, point: dt.date, early: dt.date | None
) -> Explained | None:
    """``TGT.six-months-without-breach`` in words (``rules.six_months_verdict``)."""
    verdict = targets.six_months_verdict(kind, start, point, early, answer.as_of)
    return verdict_said(answer, verdict, verdict.trigger_label)


def case_dates(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.case``: descriptive for every case, no dates; its words, the case's area and
    dates (``rules.case_dates_verdict``), made from columns when asked."""
    n = len(columns)
    none = np.full(n, NO_DAY, dtype=np.int64)
    rows = np.arange(n, dtype=np.intp)
    six_months: list[dt.date | None] = [None] * n
    if ctx.parameters.has_value("breach_free_period"):
        period: Duration = ctx.param("breach_free_period").duration
        six_months = from_day_numbers(add_duration(ctx.calendar, columns.start, period).tolist())
    facts = _facts(columns)
    wording = Wording(
        _case_dates_said,
        rows,
        {
            "area": facts["area"].tolist(),
            "start_kind": supervision.start_labels(columns, rows),
            "start": from_day_numbers(columns.start.tolist()),
            "sentenced": from_day_numbers(columns.sentenced.tolist()),
            "ended": from_day_numbers(facts["terminated"].tolist()),
            "six_months": six_months,
        },
    )
    return {
        "outcome": np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8),
        "basis": np.full(n, BASIS_CODE[Basis.DESCRIPTIVE], dtype=np.int8),
        "trigger": none,
        "due": none.copy(),
        "done": none.copy(),
        "late_by": np.full(n, -1, dtype=np.int64),
        "late_unit": np.zeros(n, dtype=np.int8),
        "wording": wording,
    }


def _case_dates_said(answer: Answer, **facts: Any) -> Explained | None:
    """``TGT.case`` in words (``rules.case_dates_verdict``)."""
    verdict = targets.case_dates_verdict(**facts)
    return verdict_said(answer, verdict, verdict.trigger_label)


@raw_table("tgt.victims")
def victim_table(columns: CaseColumns) -> Table:
    """One row per victim eligible for statutory contact, in record order: the unit label
    ``TGT.victim-contact`` gives it (``Victim <id>``, numbered where two read the same,
    as the rule's ``_statutory_victims`` labels them) and the first contact offered or
    made (NO_DAY if none). Read from the raw table ``victims``."""
    found = columns.raw["victims"]
    rows = np.flatnonzero(found["statutory"])
    owner = found["owner"][rows].astype(np.intp)
    labels = numbered(owner, [f"Victim {ident}" for ident in found["id"][rows].tolist()])
    return {
        "owner": owner,
        "label": np.asarray(labels, dtype=object),
        "contacted": min_day(found["contact_offered_on"][rows], found["contacted_on"][rows]),
    }


def numbered(
    owner: npt.NDArray[np.intp], texts: Sequence[str], days: Days | None = None
) -> list[str]:
    """Unit labels as the rules' ``_labelled`` gives them: numbered ``(1)``, ``(2)`` ...
    where two units of one case read the same. ``days``: the day each text says, when it
    says no more (then no two units of a case on different days read the same, and
    only those on one day are numbered: in unit order, as the rules number them)."""
    if days is not None:
        listed: list[str] = _numbered_by_day(owner, texts, days).tolist()
        return listed
    keys = list(zip(owner.tolist(), texts, strict=True))
    repeats = Counter(keys)
    seen: Counter[tuple[int, str]] = Counter()
    out: list[str] = []
    for key in keys:
        if repeats[key] > 1:
            seen[key] += 1
            out.append(f"{key[1]} ({seen[key]})")
        else:
            out.append(key[1])
    return out


def _numbered_by_day(
    owner: npt.NDArray[np.intp], texts: Sequence[str] | npt.NDArray[np.object_], days: Days
) -> npt.NDArray[np.object_]:
    """:func:`numbered` of units whose texts say their day alone, as a new array: each
    (case, day) group of two or more numbered in unit order (a stable sort keeps it)."""
    out = np.array(texts, dtype=object)
    if not len(owner):
        return out
    order = np.lexsort((days, owner))
    owners, on = owner[order], days[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (owners[1:] != owners[:-1]) | (on[1:] != on[:-1])
    first = np.flatnonzero(starts)
    if len(first) == len(order):
        return out  # (no two units of a case on one day)
    group = np.cumsum(starts) - 1
    sizes = np.diff(np.append(first, len(order)))
    repeated = sizes[group] > 1
    places = order[repeated].tolist()
    numbers = (np.arange(len(order)) - first[group] + 1)[repeated].tolist()
    for place, number in zip(places, numbers, strict=True):
        out[place] = f"{texts[place]} ({number})"
    return out


def _per_unit(
    n: int,
    member: npt.NDArray[np.bool_],
    owner: npt.NDArray[np.intp],
    labels: Sequence[str] | npt.NDArray[np.object_],
    answered: dict[str, Any],
) -> dict[str, Any]:
    """A unit rule's answers: one per unit (``owner``, ``labels`` and ``answered`` aligned,
    units in case order) for the cases of ``member``, one out-of-scope answer with no unit
    for every other case, in case order."""
    keep, single, order, rows = _unit_order(n, member, owner)
    outside = _answers(len(single))
    out: dict[str, Any] = {
        name: np.concatenate([outside[name], answered[name][keep]])[order] for name in outside
    }
    units = np.concatenate(
        [np.full(len(single), None, dtype=object), np.asarray(labels, dtype=object)[keep]]
    )
    out["row"] = rows[order]
    out["unit"] = units[order].tolist()
    return out


def _unit_order(
    n: int, member: npt.NDArray[np.bool_], owner: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Where :func:`_per_unit` puts each answer: the units kept, the cases answered once,
    the order of both together, and the case of each (before ordering)."""
    keep = np.flatnonzero(member[owner])
    single = np.flatnonzero(~member)
    rows = np.concatenate([single, owner[keep]]).astype(np.intp)
    return keep, single, np.argsort(rows, kind="stable"), rows


def _unit_values(
    answered: RuleColumns,
    member: npt.NDArray[np.bool_],
    owner: npt.NDArray[np.intp],
    values: npt.NDArray[Any],
    none: Any,
) -> npt.NDArray[Any]:
    """Per answer of a unit rule's kernel (laid out by :func:`_per_unit` from ``member``
    and ``owner``): its unit's value (``values`` aligned with ``owner``); ``none`` for a
    case answered once, without a unit, and for an answer the scalar rule gave."""
    keep, single, order, _ = _unit_order(len(answered.columns), member, owner)
    placed = np.concatenate([np.full(len(single), none, dtype=values.dtype), values[keep]])
    origin = answered.origin
    assert origin is not None
    return np.where(origin >= 0, placed[order][np.maximum(origin, 0)], none)


_COMMUNITY = (_KIND[SentenceKind.COMMUNITY_ORDER], _KIND[SentenceKind.SUSPENDED_SENTENCE_ORDER])


def _each_breach(
    limit: str, done: str, *, orders_only: bool
) -> Callable[[CaseColumns, Context], dict[str, Any]]:
    """A kernel asking each breach, in record order, a deadline from its failure to comply
    to its ``done`` day (``limit``); of orders alone (community and suspended sentence)
    with ``orders_only``."""

    def kernel(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        n = len(columns)
        try:
            duration: Duration = ctx.param(limit).duration
        except MissingParameterError:
            return _left_to_scalar(n)
        breaches = columns.table("tgt.breaches")
        owner = cast(npt.NDArray[np.intp], breaches["owner"])
        member = np.zeros(n, dtype=bool)
        member[owner] = True
        if orders_only:
            member &= np.isin(_facts(columns)["kind"], _COMMUNITY)
        failed = cast(Days, breaches["failed"])
        answered = deadline(
            ctx, failed, cast(Days, breaches[done]), duration, columns.record_as_of[owner]
        )
        labels = numbered(
            owner,
            [unit_checks.unit_label_words("Breach", w) for w in day_words(failed.tolist())],
            failed,
        )
        return _per_unit(n, member, owner, labels, answered)

    return kernel


#: ``TGT.breach-resolution``: for orders (community and suspended sentence), each breach a
#: deadline from its failure to comply to its resolution.
breach_resolution = _each_breach("breach_resolution_limit", "resolved", orders_only=True)
#: ``TGT.breach-action``: each breach a deadline from its failure to comply to the breach
#: action (``units.breach_action``).
breach_action = _each_breach("breach_action_limit", "action", orders_only=False)

_ATTENDED = code_of(ContactOutcome.ATTENDED)
_ACCEPTABLE = code_of(ContactOutcome.ACCEPTABLE_ABSENCE)
_UNACCEPTABLE = code_of(ContactOutcome.UNACCEPTABLE_ABSENCE)
_CONTACT_OUTCOMES: tuple[ContactOutcome | None, ...] = (*ContactOutcome, None)  # (-1: None)


def _appointments(
    columns: CaseColumns,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp], dict[str, Any]]:
    """The appointments (contacts) of the chunk, each a unit: the cases with one, each
    one's case, and the raw table (made once per chunk, read-only)."""
    found = columns.memo.get("tgt.appointments")
    if found is None:
        contacts = columns.raw["contacts"]
        owner = contacts["owner"].astype(np.intp)
        member = np.zeros(len(columns), dtype=bool)
        member[owner] = True
        for made in (owner, member):
            made.flags.writeable = False
        found = columns.memo["tgt.appointments"] = (member, owner, contacts)
    shared: tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp], dict[str, Any]] = found
    return shared


def _appointment_labels(columns: CaseColumns) -> npt.NDArray[np.object_]:
    """Each appointment's label, ``Appointment of <day>``, numbered as the rules number
    them (made once per chunk, for both appointment rules; read-only)."""
    found = columns.memo.get("tgt.appointment_labels")
    if found is None:
        _, owner, contacts = _appointments(columns)
        on = contacts["on"]
        distinct, inverse = unique_days(on)  # (each day's label made once)
        words = day_words(distinct.tolist())
        texts = [unit_checks.unit_label_words("Appointment", w) for w in words]
        found = _numbered_by_day(owner, np.asarray(texts, dtype=object)[inverse], on)
        found.flags.writeable = False
        columns.memo["tgt.appointment_labels"] = found
    labels: npt.NDArray[np.object_] = found
    return labels


def appointment_attended(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.appointment-attended``: each appointment met when attended, not met when
    missed (an acceptable absence left out with ``acceptable_absence="exclude"``), and
    cannot assess with no outcome recorded (``rules.attended_verdict``)."""
    member, owner, contacts = _appointments(columns)
    outcome = contacts["outcome"]
    answered = _answers(len(owner))
    _put(answered, outcome == _ATTENDED, _MET, Basis.COMPUTED)
    _put(answered, outcome == _UNACCEPTABLE, _NOT_MET, Basis.COMPUTED)
    if not targets._excluding_acceptable(ctx):  # (else out of scope, as answered)
        _put(answered, outcome == _ACCEPTABLE, _NOT_MET, Basis.COMPUTED)
    _put(answered, outcome == -1, _CANNOT, Basis.MISSING_DATA)
    return _per_unit(len(columns), member, owner, _appointment_labels(columns), answered)


def appointment_arranged(columns: CaseColumns, _ctx: Context) -> dict[str, Any]:
    """``TGT.appointment-arranged``: each appointment met when arranged in accordance with
    National Standards, not met when not, cannot assess when not recorded
    (``rules.arranged_verdict``)."""
    member, owner, contacts = _appointments(columns)
    arranged = contacts["arranged_per_standards"]
    answered = _answers(len(owner))
    _put(answered, arranged == 1, _MET, Basis.COMPUTED)
    _put(answered, arranged == 0, _NOT_MET, Basis.COMPUTED)
    _put(answered, arranged == -1, _CANNOT, Basis.MISSING_DATA)
    return _per_unit(len(columns), member, owner, _appointment_labels(columns), answered)


def psr_delivery(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.psr-delivery``: the report of a case that has one, its one unit, answered as
    ``NS07.psr-delivery`` answers the case (:func:`casework.columnar.supervision.psr_delivery`)."""
    answered = supervision.psr_delivery(columns, ctx)
    answered.pop("wording", None)  # the NS07 words lack the unit's label
    has = columns.raw["case"]["psr"]
    answered["row"] = np.arange(len(columns), dtype=np.intp)
    answered["unit"] = [_REPORT if flag else None for flag in has.tolist()]
    return answered


_REPORT = "Pre-sentence report"
_REQUIREMENT_KINDS = tuple(RequirementKind)
_PROGRAMMES = tuple(Programme)
_UNPAID = codes_of(RequirementKind.UNPAID_WORK)
_PROGRAMME_REQUIREMENT = codes_of(RequirementKind.ACCREDITED_PROGRAMME)
_DRUG_REQUIREMENT = codes_of(RequirementKind.DRUG_REHABILITATION, RequirementKind.DTTO)
#: Each programme's category where none is recorded (-1: none), by programme code, as
#: ``targets.category_of_programme`` gives it.
_CATEGORY_OF = np.asarray(
    [
        -1 if found is None else code_of(found)
        for found in (targets.category_of_programme(None, p) for p in _PROGRAMMES)
    ],
    dtype=np.int16,
)

_Units = tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp], list[str], npt.NDArray[np.intp]]
"""A rule's requirements in case order: which cases have one, each one's case, its unit
label and its row of the raw ``sentence.requirements`` table."""


def _categories(found: Table, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.int16]:
    """Each programme requirement's category code (``targets.programme_category``; -1: none)."""
    recorded = np.asarray(found["programme_category"], dtype=np.int16)[rows]
    programme = np.asarray(found["programme"], dtype=np.int16)[rows]
    named = np.where(programme >= 0, _CATEGORY_OF[np.maximum(programme, 0)], -1)
    return np.where(recorded >= 0, recorded, named).astype(np.int16)


def _requirement_units(
    columns: CaseColumns,
    kinds: npt.NDArray[Any],
    keep: Callable[[Table, npt.NDArray[np.intp]], npt.NDArray[np.bool_]] | None = None,
) -> _Units:
    """The requirements of ``kinds`` as the rules' ``_requirements`` list them, labelled
    and numbered among all of those kinds, then those ``keep`` keeps (given the table and
    the rows). Made once a chunk (a rule's kernel, its anchor days and its words ask)."""
    key = ("tgt.requirements", kinds.tobytes(), keep)
    known: _Units | None = columns.memo.get(key)
    if known is None:
        known = columns.memo[key] = _requirement_units_made(columns, kinds, keep)
    return known


def _requirement_units_made(
    columns: CaseColumns,
    kinds: npt.NDArray[Any],
    keep: Callable[[Table, npt.NDArray[np.intp]], npt.NDArray[np.bool_]] | None,
) -> _Units:
    found = columns.raw["sentence.requirements"]
    rows = np.flatnonzero(
        found["kind"] == kinds[0] if len(kinds) == 1 else np.isin(found["kind"], kinds)
    )
    owner = found["owner"][rows].astype(np.intp)
    labels = numbered(
        owner,
        [
            targets.requirement_label(
                _REQUIREMENT_KINDS[kind],
                None if hours == NO_INT else hours,
                None if programme < 0 else _PROGRAMMES[programme],
            )
            for kind, hours, programme in zip(
                found["kind"][rows].tolist(),
                found["hours"][rows].tolist(),
                found["programme"][rows].tolist(),
                strict=True,
            )
        ],
    )
    if keep is not None:
        kept = np.flatnonzero(keep(found, rows))
        rows, owner, labels = rows[kept], owner[kept], [labels[i] for i in kept.tolist()]
    member = np.zeros(len(columns), dtype=bool)
    member[owner] = True
    for shared in (member, owner, rows):
        shared.flags.writeable = False
    return member, owner, labels, rows


def _commenced(found: Table, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    started: npt.NDArray[np.bool_] = found["commenced_on"][rows] != NO_DAY
    return started


def _of_category(
    category: ProgrammeCategory,
) -> Callable[[Table, npt.NDArray[np.intp]], npt.NDArray[np.bool_]]:
    """A programme completion rule's units: its category's programmes, and those whose
    category is not recorded (which the rule cannot assess)."""
    code = code_of(category)

    def keep(found: Table, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
        categories = _categories(found, rows)
        kept: npt.NDArray[np.bool_] = (categories == code) | (categories < 0)
        return kept

    return keep


@attrs.frozen
class _RequirementEvent:
    """A rule answering each requirement of ``kinds`` (that ``keep`` keeps) by whether
    it was ``field`` (completed, commenced): ``targets.requirement_event_verdict``. With
    ``category``, a unit whose programme category is not recorded cannot be assessed
    (``targets.CATEGORY_NOT_RECORDED``)."""

    kinds: npt.NDArray[Any] = attrs.field(eq=False)
    field: str
    label: str
    keep: Callable[[Table, npt.NDArray[np.intp]], npt.NDArray[np.bool_]] | None = None
    category: ProgrammeCategory | None = None
    with_commencement: bool = False
    """Its evidence opens with the day the requirement commenced
    (``TGT.programme-completion-after-start``)."""

    def units(self, columns: CaseColumns) -> _Units:
        return _requirement_units(columns, self.kinds, self.keep)

    def kernel(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        member, owner, labels, rows = self.units(columns)
        if not len(rows):  # (every case out of scope, answered once)
            return _answers(len(columns))
        found = columns.raw["sentence.requirements"]
        answered = _answers(len(owner))
        done = found[self.field][rows] != NO_DAY
        ended = _facts(columns)["terminated"][owner] != NO_DAY
        _put(answered, done, _MET, Basis.COMPUTED)
        _put(answered, ~done & ended, _NOT_MET, Basis.COMPUTED)
        _put(answered, ~done & ~ended, _NA, Basis.NOT_YET_DUE)
        if self.category is not None:
            _put(answered, _categories(found, rows) < 0, _CANNOT, Basis.MISSING_DATA)
        return _per_unit(len(columns), member, owner, labels, answered)

    def day(self, answered: RuleColumns) -> Days:
        """The day the requirement was :attr:`field` where the answer is met (the anchor
        its finding's evidence gives), else NO_DAY."""
        member, owner, _labels, rows = self.units(answered.columns)
        values = answered.columns.raw["sentence.requirements"][self.field][rows]
        day = _unit_values(answered, member, owner, values, NO_DAY)
        return np.where(answered.mask(Outcome.MET), day, NO_DAY)

    def commencement(self, answered: RuleColumns) -> Days:
        """The day each unit's requirement commenced (every answer's evidence names it)."""
        member, owner, _labels, rows = self.units(answered.columns)
        values = answered.columns.raw["sentence.requirements"]["commenced_on"][rows]
        days: Days = _unit_values(answered, member, owner, values, NO_DAY)
        return days

    def said(self, answered: RuleColumns, chosen: npt.NDArray[np.intp]) -> list[Said]:
        """The requirement's words (``targets.requirement_event_verdict``) from its day and
        the order's termination."""
        member, owner, _, rows = self.units(answered.columns)
        index = _unit_values(answered, member, owner, np.arange(len(owner)), -1)
        found = answered.columns.raw["sentence.requirements"]
        done_on, commenced_on = found[self.field][rows], found["commenced_on"][rows]
        unknown = (
            _categories(found, rows) < 0
            if self.category is not None
            else np.zeros(len(rows), dtype=bool)
        )
        facts = _facts(answered.columns)
        as_of = answered.context.as_of

        def word(i: int) -> Explained | None:
            k = int(index[i])  # (a unit's answer, the kernel's own: _unit_said says so)
            if unknown[k]:
                missing = MissingFactError(targets.CATEGORY_NOT_RECORDED).verdict()
                return verdict_said(answered.answer(i), missing, missing.trigger_label)
            row = int(answered.row[i])
            on = from_day_number(facts["terminated"][row])
            ended = None if on is None else (on, _REASONS[int(facts["reason"][row])])
            done = from_day_number(done_on[k])
            verdict = targets.requirement_event_verdict(self.label, done, ended, as_of)
            if self.with_commencement:
                started = Evidence("commenced", from_day_number(commenced_on[k]))
                verdict = attrs.evolve(verdict, evidence=(started, *verdict.evidence))
            return verdict_said(answered.answer(i), verdict, verdict.trigger_label)

        return _unit_said(answered, chosen, word)


_UPW = _RequirementEvent(_UNPAID, "completed_on", "completed")
_REQUIREMENT_EVENTS: dict[Rule, _RequirementEvent] = {
    targets.programme_completion_general: _RequirementEvent(
        _PROGRAMME_REQUIREMENT,
        "completed_on",
        "completed",
        _of_category(ProgrammeCategory.GENERAL),
        ProgrammeCategory.GENERAL,
    ),
    targets.programme_completion_sex_offender: _RequirementEvent(
        _PROGRAMME_REQUIREMENT,
        "completed_on",
        "completed",
        _of_category(ProgrammeCategory.SEX_OFFENDER),
        ProgrammeCategory.SEX_OFFENDER,
    ),
    targets.programme_completion_domestic_violence: _RequirementEvent(
        _PROGRAMME_REQUIREMENT,
        "completed_on",
        "completed",
        _of_category(ProgrammeCategory.DOMESTIC_VIOLENCE),
        ProgrammeCategory.DOMESTIC_VIOLENCE,
    ),
    targets.programme_completion: _RequirementEvent(
        _PROGRAMME_REQUIREMENT, "completed_on", "completed"
    ),
    targets.programme_start: _RequirementEvent(_PROGRAMME_REQUIREMENT, "commenced_on", "commenced"),
    targets.programme_completion_after_start: _RequirementEvent(
        _PROGRAMME_REQUIREMENT, "completed_on", "completed", _commenced, with_commencement=True
    ),
    targets.drr_commencement: _RequirementEvent(_DRUG_REQUIREMENT, "commenced_on", "commenced"),
    targets.drr_completion: _RequirementEvent(_DRUG_REQUIREMENT, "completed_on", "completed"),
}


def upw_completion(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.upw-completion``: each unpaid work requirement met once completed, not met
    when the order ended first, else not yet due; no dates."""
    return _UPW.kernel(columns, ctx)


def _retention(columns: CaseColumns, ctx: Context) -> tuple[_Units, Days, Duration] | None:
    """``TGT.drr-retention``'s units (the DRRs and DTTOs that commenced) with each one's
    twelve-week point, and the period (``None``: the parameter is unset)."""
    try:
        period = ctx.param("drr_retention_period").duration
    except MissingParameterError:
        return None
    units = _requirement_units(columns, _DRUG_REQUIREMENT, _commenced)
    commenced = columns.raw["sentence.requirements"]["commenced_on"][units[3]]
    point: Days = np.asarray(add_duration(ctx.calendar, commenced, period), dtype=np.int64)
    return units, point, period


def drr_retention(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.drr-retention`` (``targets.drr_retention_verdict``): each DRR or DTTO that
    commenced, not met when retained (or its order ended) before its twelve-week point,
    met when retained past it or still on the order past it, else not yet due."""
    found = _retention(columns, ctx)
    if found is None:
        return _left_to_scalar(len(columns))
    (member, owner, labels, rows), point, _period = found
    if not len(rows):  # (every case out of scope, answered once)
        return _answers(len(columns))
    retained = columns.raw["sentence.requirements"]["retained_until"][rows]
    ended = _facts(columns)["terminated"][owner]
    held = np.where((retained == NO_DAY) & (ended != NO_DAY) & (ended < point), ended, retained)
    answered = _answers(len(owner))
    recorded = held != NO_DAY
    short = recorded & (held < point)
    pending = ~recorded & (point > _day(ctx.as_of))
    _put(answered, short, _NOT_MET, Basis.COMPUTED)
    _put(answered, ~short & ~pending, _MET, Basis.COMPUTED)
    _put(answered, pending, _NA, Basis.NOT_YET_DUE)
    return _per_unit(len(columns), member, owner, labels, answered)


def _retention_point(answered: RuleColumns) -> Days:
    """``TGT.drr-retention``'s twelve-week point per answer (every unit's evidence names
    it; NO_DAY for a case out of scope)."""
    found = _retention(answered.columns, answered.context)
    if found is None:
        return np.full(len(answered), NO_DAY, dtype=np.int64)
    (member, owner, _labels, _rows), point, _period = found
    days: Days = _unit_values(answered, member, owner, point, NO_DAY)
    return days


def _retention_said(answered: RuleColumns, chosen: npt.NDArray[np.intp]) -> list[Said]:
    """``TGT.drr-retention``'s words (``targets.drr_retention_verdict``)."""
    found = _retention(answered.columns, answered.context)
    if found is None:
        return [None] * len(chosen)
    (member, owner, _labels, rows), point, period = found
    index = _unit_values(answered, member, owner, np.arange(len(owner)), -1)
    table = answered.columns.raw["sentence.requirements"]
    commenced, retained = table["commenced_on"][rows], table["retained_until"][rows]
    facts = _facts(answered.columns)
    as_of = answered.context.as_of

    def word(i: int) -> Explained | None:
        k = int(index[i])
        verdict = targets.drr_retention_verdict(
            cast(dt.date, from_day_number(commenced[k])),
            cast(dt.date, from_day_number(point[k])),
            period=str(period),
            retained=from_day_number(retained[k]),
            ended=from_day_number(facts["terminated"][int(answered.row[i])]),
            as_of=as_of,
        )
        return verdict_said(answered.answer(i), verdict, verdict.trigger_label)

    return _unit_said(answered, chosen, word)


_Episodes = tuple[Duration, npt.NDArray[np.intp], Days, Days, Days, Days]
"""The period an employment rule counts, and the episodes it counts, in case order:
each one's case, first day, last day (NO_DAY: not ended) and the day its period is
completed; and per case, the first of those days that the episode lasted to (NO_DAY:
none)."""


def _episodes(columns: CaseColumns, ctx: Context, rule_id: str) -> _Episodes | None:
    """The episodes of the orders and licences that ``rule_id`` counts (started during
    supervision: on or after its start, and not after it ended), with the day each
    keeps its period (its first day plus the period, less a day); ``None`` when the
    period is unset."""
    try:
        period: Duration = ctx.param("employment_sustained_period").duration
    except MissingParameterError:
        return None
    kinds, _what = targets.EMPLOYMENT_READINGS[rule_id]
    found = columns.raw["outcomes.employment"]
    owner = found["owner"].astype(np.intp)
    facts = _facts(columns)
    started, ended = found["started_on"], found["ended_on"]
    over = facts["terminated"][owner]
    rows = np.flatnonzero(
        np.isin(found["kind"], codes_of(*kinds))
        & np.isin(facts["kind"][owner], _SERVED)
        & (started >= columns.start[owner])
        & ((over == NO_DAY) | (started <= over))
    )
    owner, started, ended = owner[rows], started[rows], ended[rows]
    on = add_duration(ctx.calendar, started, period) - 1
    kept = on <= np.where(ended != NO_DAY, ended, _day(ctx.as_of))
    first = np.full(len(columns), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, owner[kept], on[kept])
    first[first == np.iinfo(np.int64).max] = NO_DAY
    return period, owner, started, ended, on, first


def _employment(rule_id: str) -> Callable[[CaseColumns, Context], dict[str, Any]]:
    """``TGT.employment-sustained`` and ``TGT.employment-or-training-sustained``
    (``targets.employment_verdict``): met when an episode started during supervision kept
    the period, else not yet due while one goes on, else not met; the cases without such
    an episode out of scope. Each case's verdict is the rule's own, from its episodes."""
    _kinds, what = targets.EMPLOYMENT_READINGS[rule_id]

    def kernel(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        found = _episodes(columns, ctx, rule_id)
        if found is None:
            return _left_to_scalar(len(columns))
        period, owner, started, ended, on, _first = found
        answered = _answers(len(columns))
        cases, starts = np.unique(owner, return_index=True)
        verdicts = []
        for case, episodes in zip(
            cases.tolist(),
            np.split(np.arange(len(owner)), starts[1:]) if len(owner) else [],
            strict=True,
        ):
            verdict = targets.employment_verdict(
                what,
                str(period),
                [
                    (
                        cast(dt.date, from_day_number(a)),
                        from_day_number(b),
                        cast(dt.date, from_day_number(c)),
                    )
                    for a, b, c in zip(
                        started[episodes].tolist(),
                        ended[episodes].tolist(),
                        on[episodes].tolist(),
                        strict=True,
                    )
                ],
                ctx.as_of,
            )
            _put(answered, case, OUTCOME_CODE[verdict.outcome], verdict.basis)
            verdicts.append(verdict)
        answered["wording"] = Wording(
            _employment_said, cases.astype(np.intp), {"verdict": verdicts}
        )
        return answered

    return kernel


def _employment_said(answer: Answer, *, verdict: Verdict) -> Explained | None:
    return verdict_said(answer, verdict, None)


def _sustained(answered: RuleColumns) -> Days:
    """An employment rule's "sustained on" day per answer where met (NO_DAY otherwise)."""
    found = _episodes(answered.columns, answered.context, answered.rule.id)
    if found is None:
        return np.full(len(answered), NO_DAY, dtype=np.int64)
    first = found[5]
    return np.where(answered.mask(Outcome.MET), first[answered.row], NO_DAY)


def victim_contact(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.victim-contact``: one answer per statutory victim, each a deadline from sentence
    (:func:`casework.rules.units.victim_contact`); a case whose sentence rules statutory
    contact out answers once, as ``NS07.victim-contact`` does (its kernel says which), and a
    case with no such victim once, out of scope."""
    n = len(columns)
    try:
        duration: Duration = ctx.param("victim_contact_limit").duration
        ctx.param("statutory_victim_custody_months")
    except MissingParameterError:
        return _left_to_scalar(n)
    victims = columns.table("tgt.victims")
    owner = cast(npt.NDArray[np.intp], victims["owner"])
    member = np.zeros(n, dtype=bool)
    member[owner] = True
    scheme = supervision.victim_contact(columns, ctx)
    conflict = member & (scheme["basis"] == BASIS_CODE[Basis.CONTRADICTORY])
    # One answer per case outside the population or ruled out, one per victim otherwise.
    single = np.flatnonzero(~member | conflict)
    answered = _answers(len(single))
    _put(answered, conflict[single], _CANNOT, Basis.CONTRADICTORY)
    units = np.flatnonzero(~conflict[owner])
    unit_owner = owner[units]
    per_unit = deadline(
        ctx,
        columns.sentenced[unit_owner],
        cast(Days, victims["contacted"])[units],
        duration,
        columns.record_as_of[unit_owner],
    )
    rows = np.concatenate([single, unit_owner]).astype(np.intp)
    order = np.argsort(rows, kind="stable")  # victims keep their record order
    out: dict[str, Any] = {
        name: np.concatenate([answered[name], per_unit[name]])[order] for name in per_unit
    }
    labels = np.concatenate([np.full(len(single), None, dtype=object), victims["label"][units]])
    out["row"] = rows[order]
    out["unit"] = labels[order].tolist()
    return out


def oasys_high_roh(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``NS05.oasys-high-roh`` (the 2005-06 target PT1): high RoH at the start; the
    assessment, screening, sentence plan, RMP and full analysis complete within the limit
    of the start, read as :class:`~casework.columnar.oasys.OasysKernel` reads the NS07
    OASys rules. A case whose RoH at the start cannot be read is left to the scalar rule."""
    n = len(columns)
    try:
        duration: Duration = ctx.param("oasys_high_roh_limit").duration
    except MissingParameterError:
        return _left_to_scalar(n)
    applies, missing = population(columns, standards_oasys.oasys_high_roh_2005, ctx)
    chosen = columns.candidates()
    parts = [
        columns.earliest(part, chosen)
        for part in (
            columns.assessment,
            columns.screening,
            columns.sentence_plan,
            columns.rmp,
            columns.full_analysis,
        )
    ]
    absent = np.zeros(n, dtype=bool)
    for part in parts:
        absent |= part == NO_DAY
    done = np.where(absent, NO_DAY, np.maximum.reduce(parts))
    rows = np.flatnonzero(applies & ~missing)
    answered = _answers(n)
    found = deadline(ctx, columns.start[rows], done[rows], duration, columns.record_as_of[rows])
    for name, values in found.items():
        answered[name][rows] = values
    answered["special"] = missing
    always = np.ones(n, dtype=bool)  # (full_analysis="always")
    limit = "oasys_high_roh_limit"
    wording = oasys_wording(
        columns, ctx, limit, rows, core=_HIGH_ROH, parts=parts, needs_analysis=always
    )
    if wording is not None:
        answered["wording"] = wording
    return answered


#: The parts ``NS05.oasys-high-roh`` requires besides the full analysis, in its order.
_HIGH_ROH = (OasysPart.ASSESSMENT, OasysPart.SCREENING, OasysPart.SENTENCE_PLAN, OasysPart.RMP)


for _rule, _kernel in (
    (targets.case_dates, case_dates),
    (targets.successful_completion, successful_completion),
    (targets.compliance, compliance),
    (targets.accommodation_at_end, accommodation_at_end),
    (targets.accommodation_change, accommodation_change),
    (targets.six_months_without_breach, six_months_without_breach),
    (targets.victim_contact, victim_contact),
    (targets.breach_resolution, breach_resolution),
    (targets.breach_action, breach_action),
    (targets.appointment_attended, appointment_attended),
    (targets.appointment_arranged, appointment_arranged),
    (targets.psr_delivery, psr_delivery),
    (targets.upw_completion, upw_completion),
    (standards_oasys.oasys_high_roh_2005, oasys_high_roh),
    *((rule, event.kernel) for rule, event in _REQUIREMENT_EVENTS.items()),
    (targets.drr_retention, drr_retention),
    (targets.employment_sustained, _employment(targets.employment_sustained.id)),
    (
        targets.employment_or_training_sustained,
        _employment(targets.employment_or_training_sustained.id),
    ),
):
    register(_rule, _kernel)


# ---------------------------------------------------------------- anchors of units

_DEADLINE_BASES = np.asarray(
    [BASIS_CODE[b] for b in (Basis.COMPUTED, Basis.NOT_YET_DUE, Basis.MISSING_DATA)], np.int8
)


def _in_deadline(answered: RuleColumns) -> npt.NDArray[np.bool_]:
    """Answers that are a deadline decided by the rule's body (its evidence names the
    clock's start, and the day the work was done when it was)."""
    decided: npt.NDArray[np.bool_] = np.isin(answered.basis, _DEADLINE_BASES)
    decided &= answered.trigger != NO_DAY
    return decided


def _deadline_day(which: str) -> Callable[[RuleColumns], Days]:
    def day(answered: RuleColumns) -> Days:
        values: Days = getattr(answered, which)
        return np.where(_in_deadline(answered), values, NO_DAY)

    return day


def _psr_requested(answered: RuleColumns) -> Days:
    requested = answered.columns.raw["case"]["psr.requested_on"][answered.row]
    has = np.asarray([unit is not None for unit in answered.unit], dtype=bool)
    out_of_scope = answered.basis == BASIS_CODE[Basis.OUT_OF_SCOPE]
    # Held to the in-force dates on the day of the request, its evidence says "request"
    # (that day); held on the day the report fell due, "the deadline (request)": no anchor
    # (casework.rules.engine.out_of_force). The kernel's own "not applicable" has no trigger.
    held = out_of_scope & (answered.trigger == requested) & (requested != NO_DAY)
    return np.where(has & (~out_of_scope | held), requested, NO_DAY)


def _appointment_day(answered: RuleColumns) -> Days:
    """The day of each answer's appointment (``Appointment`` in its evidence)."""
    member, owner, contacts = _appointments(answered.columns)
    days: Days = _unit_values(answered, member, owner, contacts["on"], NO_DAY)
    return days


#: For a unit-anchored measure counted on columns, the day of its anchor per answer of the
#: rule's kernel, as :func:`casework.rules.targets.anchors.anchor_date` reads it from that
#: answer's finding (NO_DAY: none), by (rule id, anchor name). Valid for the kernel's own
#: answers (``origin`` >= 0) that the in-force dates did not hold (out of scope with a
#: trigger), and for those too where :data:`HELD_DAYS` says so: the others are read from
#: their findings. tests/targets/test_tally_columns.py
#: compares every one with the findings.
ANCHOR_DAYS: dict[tuple[str, str], Callable[[RuleColumns], Days]] = {
    ("TGT.breach-resolution", "resolution"): _deadline_day("done"),
    ("TGT.breach-resolution", "failure"): _deadline_day("trigger"),
    ("TGT.breach-action", "failure"): _deadline_day("trigger"),
    ("TGT.appointment-attended", "appointment"): _appointment_day,
    ("TGT.appointment-arranged", "appointment"): _appointment_day,
    ("TGT.psr-delivery", "request"): _psr_requested,
    ("TGT.upw-completion", "completion"): _UPW.day,
    **{
        (rule.id, "completion"): event.day
        for rule, event in _REQUIREMENT_EVENTS.items()
        if event.field == "completed_on" and not event.with_commencement
    },
    ("TGT.programme-completion-after-start", "commencement"): _REQUIREMENT_EVENTS[
        targets.programme_completion_after_start
    ].commencement,
    ("TGT.drr-commencement", "commencement"): _REQUIREMENT_EVENTS[targets.drr_commencement].day,
    ("TGT.drr-retention", "retention_point"): _retention_point,
    ("TGT.employment-sustained", "sustained"): _sustained,
    ("TGT.employment-or-training-sustained", "sustained"): _sustained,
}


#: The (rule id, anchor name) of :data:`ANCHOR_DAYS` whose days hold for the answers the
#: in-force dates held too (out of scope with a trigger), read from the columns as from
#: their findings: those answers are not read from their findings.
HELD_DAYS: frozenset[tuple[str, str]] = frozenset({("TGT.psr-delivery", "request")})


def _working_days_to_resolution(answered: RuleColumns) -> Days:
    """``TGT.breach-resolution``'s "working days to resolution" per answer (-1: none)."""
    resolved = _in_deadline(answered) & (answered.done != NO_DAY)
    counted = answered.context.calendar.working_days_between_many(
        answered.trigger[resolved], answered.done[resolved]
    )
    out = np.full(len(answered), -1, dtype=np.int64)
    out[resolved] = counted
    return out


#: The per-unit value a mean measure averages (``performance.MEAN_VALUE_LABEL``), per
#: answer of the rule's kernel (-1: none), as :data:`ANCHOR_DAYS` by rule id.
MEAN_VALUES: dict[str, Callable[[RuleColumns], Days]] = {
    "TGT.breach-resolution": _working_days_to_resolution,
}


def _suitable_at_start(answered: RuleColumns) -> Days:
    """``TGT.accommodation-change``'s "suitable at start" per answer: 1 where its finding
    says so (met or not met, accommodation at the start settled and suitable), else 0."""
    at_start = np.asarray(answered.columns.table("tgt.case")["at_start"])[answered.row]
    decided = answered.mask(Outcome.MET) | answered.mask(Outcome.NOT_MET)
    suitable: Days = (decided & (at_start == _SETTLED)).astype(np.int64)
    return suitable


#: Whether each answer's unit was suitable at the start, which a change measure reads
#: (``suitable at start`` in the finding's evidence: 1, else 0), as :data:`MEAN_VALUES`.
CHANGE_VALUES: dict[str, Callable[[RuleColumns], Days]] = {
    "TGT.accommodation-change": _suitable_at_start,
}


# ---------------------------------------------------------------- units in words

Said = Explained | None
"""An answer of a unit rule in words (reason, evidence, trigger label), or ``None``."""


def _unit_said(
    answered: RuleColumns,
    chosen: npt.NDArray[np.intp],
    word: Callable[[int], Explained | None],
) -> list[Said]:
    """The kernel's own answers of a unit rule among ``chosen`` in words, as the rule's
    ``unit_rule`` names them (``"<unit>: <reason>"``, the unit first in the evidence);
    ``None`` for any other (the scalar rule's, held to the in-force dates, out of scope).
    ``word(index)`` words the answer at ``index`` as the rule's body does, its trigger
    label too (it reads the answer, ``answered.answer(index)``, if it needs more than its
    codes)."""
    out: list[Said] = [None] * len(chosen)
    origin = answered.origin
    if origin is None:
        return out
    own = (origin[chosen] >= 0) & (answered.basis[chosen] != _OUT_OF_SCOPE)
    units = answered.unit
    for k, index in zip(np.flatnonzero(own).tolist(), chosen[own].tolist(), strict=True):
        label = units[index]
        said = None if label is None else word(index)
        if said is not None:
            reason, evidence, trigger_label = said
            named = (Evidence("unit", label), *evidence)
            out[k] = (f"{label}: {reason}", named, trigger_label)
    return out


_OUT_OF_SCOPE = BASIS_CODE[Basis.OUT_OF_SCOPE]


def _breach_said(
    limit_name: str, labels: DeadlineLabels, *, working_days: bool
) -> Callable[[RuleColumns, npt.NDArray[np.intp]], list[Said]]:
    """A breach rule's deadline in words (``units.breach_action``,
    ``units.breach_resolution``); with ``working_days``, the working days to resolution
    when resolved (``TGT.breach-resolution``)."""

    def said(answered: RuleColumns, chosen: npt.NDArray[np.intp]) -> list[Said]:
        ctx = answered.context
        try:
            parameter = ctx.param(limit_name)
        except MissingParameterError:
            return [None] * len(chosen)
        limit, source = str(parameter.duration), parameter.source

        def word(index: int) -> Explained | None:
            answer = answered.answer(index)
            found = deadline_said(
                answer,
                anchor_label=unit_checks.FAILURE,
                limit=limit,
                source=source,
                done_label=labels.done_label,
                missing_label=labels.missing_label,
            )
            if found is None:
                return None
            reason, evidence, trigger_label = found
            if working_days and answer.done is not None and answer.trigger is not None:
                days = ctx.calendar.working_days_between(answer.trigger, answer.done)
                evidence = (*evidence, Evidence("working days to resolution", days))
            return reason, evidence, trigger_label

        return _unit_said(answered, chosen, word)

    return said


def _appointment_said(
    verdict_of: Callable[[dt.date, int, int, Context], Verdict],
) -> Callable[[RuleColumns, npt.NDArray[np.intp]], list[Said]]:
    """An appointment rule's words: ``verdict_of(day, outcome code, arranged code, ctx)``,
    the rule's own verdict of its appointment (``rules.attended_verdict``,
    ``rules.arranged_verdict``)."""

    def said(answered: RuleColumns, chosen: npt.NDArray[np.intp]) -> list[Said]:
        member, owner, contacts = _appointments(answered.columns)
        index = _unit_values(answered, member, owner, np.arange(len(owner)), -1)
        on, outcome = contacts["on"], contacts["outcome"]
        arranged = contacts["arranged_per_standards"]
        made: dict[tuple[int, int, int], Verdict] = {}  # (each distinct appointment once)

        def word(i: int) -> Explained | None:
            k = int(index[i])  # (a unit's answer, the kernel's own: _unit_said says so)
            key = (int(on[k]), int(outcome[k]), int(arranged[k]))
            verdict = made.get(key)
            if verdict is None:
                day = from_day_number(key[0])
                assert day is not None  # (a required date)
                verdict = made[key] = verdict_of(day, key[1], key[2], answered.context)
            if (
                verdict.outcome is not OUTCOMES[answered.outcome[i]]
                or verdict.basis is not BASES[answered.basis[i]]
            ):
                return None
            return verdict.reason, verdict.evidence, verdict.trigger_label

        return _unit_said(answered, chosen, word)

    return said


def _attended(day: dt.date, outcome: int, _arranged: int, ctx: Context) -> Verdict:
    return targets.attended_verdict(
        day, _CONTACT_OUTCOMES[outcome], excluding=targets._excluding_acceptable(ctx)
    )


def _arranged(day: dt.date, _outcome: int, arranged: int, _ctx: Context) -> Verdict:
    return targets.arranged_verdict(day, None if arranged < 0 else bool(arranged))


def _psr_delivery_said(answered: RuleColumns, chosen: npt.NDArray[np.intp]) -> list[Said]:
    """``TGT.psr-delivery``: the report's words (``units.psr_words``)."""
    case = answered.columns.raw["case"]

    def word(index: int) -> Explained:
        answer = answered.answer(index)
        row = int(answered.row[index])
        reason, evidence = unit_checks.psr_words(
            answer.outcome,
            requested=from_day_number(case["psr.requested_on"][row]),
            due=from_day_number(case["psr.due_on"][row]),
            delivered=from_day_number(case["psr.delivered_on"][row]),
            as_of=answer.as_of,
            record_as_of=answer.record_as_of,
        )
        # (a report with no due date is "cannot assess" with no deadline: no trigger)
        due = case["psr.due_on"][row] != NO_DAY
        return reason, evidence, unit_checks.PSR_TRIGGER_LABEL if due else None

    return _unit_said(answered, chosen, word)


def _victim_contact_said(answered: RuleColumns, chosen: npt.NDArray[np.intp]) -> list[Said]:
    """``TGT.victim-contact``: the deadline's words (``units.victim_contact``), the victim
    named in the evidence (its id: the unit is labelled ``Victim <id>``, ids being unique
    within a case)."""
    ctx = answered.context
    try:
        parameter = ctx.param("victim_contact_limit")
    except MissingParameterError:
        return [None] * len(chosen)
    limit, source = str(parameter.duration), parameter.source
    labels = unit_checks.VICTIM_CONTACT_LABELS

    def word(index: int) -> Explained | None:
        label = answered.unit[index]
        return deadline_said(
            answered.answer(index),
            anchor_label="sentence",
            limit=limit,
            source=source,
            done_label=labels.done_label,
            missing_label=labels.missing_label,
            extra=(Evidence("victim", str(label).removeprefix("Victim ")),),
        )

    return _unit_said(answered, chosen, word)


#: The words of a unit rule's kernel answers (:func:`_unit_said`), by rule id, for the
#: units a target report lists and the findings ``explain`` words: the same templates the
#: rules call, so word for word the findings' (tests/targets/test_tally_columns.py
#: compares the reports, tests/columnar/test_evaluate_columns.py the findings).
UNIT_WORDS: dict[str, Callable[[RuleColumns, npt.NDArray[np.intp]], list[Said]]] = {
    "TGT.breach-resolution": _breach_said(
        "breach_resolution_limit", unit_checks.BREACH_RESOLUTION_LABELS, working_days=True
    ),
    "TGT.breach-action": _breach_said(
        "breach_action_limit", unit_checks.BREACH_ACTION_LABELS, working_days=False
    ),
    "TGT.appointment-attended": _appointment_said(_attended),
    "TGT.appointment-arranged": _appointment_said(_arranged),
    "TGT.psr-delivery": _psr_delivery_said,
    "TGT.victim-contact": _victim_contact_said,
    "TGT.upw-completion": _UPW.said,
    **{rule.id: event.said for rule, event in _REQUIREMENT_EVENTS.items()},
    "TGT.drr-retention": _retention_said,
}
for _rule in (
    targets.breach_resolution,
    targets.breach_action,
    targets.appointment_attended,
    targets.appointment_arranged,
    targets.psr_delivery,
    targets.victim_contact,
    targets.upw_completion,
    *_REQUIREMENT_EVENTS,
    targets.drr_retention,
):
    register_unit_words(_rule, UNIT_WORDS[_rule.id])
