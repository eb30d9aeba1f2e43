"""Kernels for the rules behind the target sets (:mod:`casework.rules.targets.rules`).

The OASys targets are the National Standards rules themselves, with their own
kernels (:mod:`casework.columnar.oasys`). Here: the descriptive ``TGT.case`` rule
every target rule set starts with (a case's area and dates: never scored, read by
:meth:`casework.performance.TargetTally.add_columns` from the columns instead), and
the table of the case facts a tally places cases by (``tgt.case``: area and
termination).
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import numpy.typing as npt

from casework.calendar import Duration
from casework.columnar import supervision
from casework.columnar.columns import NO_DAY, CaseColumns, Days, Table, raw_table
from casework.columnar.columns import day_number as _day
from casework.columnar.core import (
    BASIS_CODE,
    OUTCOME_CODE,
    add_duration,
    deadline,
    population,
    register,
)
from casework.columnar.raw import lookup
from casework.model import (
    AccommodationStatus,
    BreachResolution,
    SentenceKind,
    TerminationReason,
)
from casework.rules.engine import Basis, Context, Outcome
from casework.rules.parameters import MissingParameterError
from casework.rules.standards import oasys as standards_oasys
from casework.rules.targets import rules as targets

__all__ = [
    "accommodation_at_end",
    "case_dates",
    "compliance",
    "oasys_high_roh",
    "six_months_without_breach",
    "successful_completion",
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
    """One row per breach, in record order: breach action day (NO_DAY if none) and how it
    was resolved (-1 if not). Read from the raw table ``breaches``."""
    breaches = columns.raw["breaches"]
    return {
        "owner": breaches["owner"].astype(np.intp),
        "action": breaches["action_on"].copy(),
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
    resolved_so[breaches["owner"][np.isin(breaches["resolution"], failing)]] = True
    failed_case = np.isin(facts["reason"], failed) | resolved_so
    _put(answered, counted & failed_case, _NOT_MET, Basis.COMPUTED)
    _put(answered, counted & ~failed_case, _MET, Basis.COMPUTED)
    return answered


def accommodation_at_end(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """``TGT.accommodation-at-end``: settled and suitable at the end; unknown cannot assess."""
    found = _counted_at_the_end(columns, ctx)
    if found is None:
        return _left_to_scalar(len(columns))
    answered, counted, facts = found
    at_end = facts["at_end"]
    _put(answered, counted & (at_end == _UNKNOWN), _CANNOT, Basis.MISSING_DATA)
    _put(answered, counted & (at_end == _SETTLED), _MET, Basis.COMPUTED)
    _put(answered, counted & (at_end == 0), _NOT_MET, Basis.COMPUTED)
    return answered


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
    return answered


def case_dates(columns: CaseColumns, _ctx: Context) -> dict[str, Any]:
    """``TGT.case``: descriptive for every case, no dates (its words are the case's area
    and dates, written only when asked)."""
    n = len(columns)
    none = np.full(n, NO_DAY, dtype=np.int64)
    return {
        "outcome": np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8),
        "basis": np.full(n, BASIS_CODE[Basis.DESCRIPTIVE], dtype=np.int8),
        "trigger": none,
        "due": none.copy(),
        "done": none.copy(),
        "late_by": np.full(n, -1, dtype=np.int64),
        "late_unit": np.zeros(n, dtype=np.int8),
    }


@raw_table("tgt.victims")
def victim_table(columns: CaseColumns) -> Table:
    """One row per victim eligible for statutory contact, in record order: the unit label
    ``TGT.victim-contact`` gives it and the first contact offered or made (NO_DAY if none).
    Only the cases with a victim in the raw tables are read as ``Case`` objects (the
    rule's own selection of eligible victims, ``_statutory_victims``, decides)."""
    owner: list[int] = []
    label: list[str] = []
    contacted: list[int] = []
    for row in np.unique(columns.raw["victims"]["owner"]).tolist():
        case = columns.cases[row]
        for text, victim in targets._statutory_victims(case):
            owner.append(row)
            label.append(text)
            days = [d for d in (victim.contact_offered_on, victim.contacted_on) if d]
            contacted.append(_day(min(days)) if days else NO_DAY)
    return {
        "owner": np.asarray(owner, dtype=np.intp),
        "label": np.asarray(label, dtype=object),
        "contacted": np.asarray(contacted, dtype=np.int64),
    }


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
    return answered


for _rule, _kernel in (
    (targets.case_dates, case_dates),
    (targets.successful_completion, successful_completion),
    (targets.compliance, compliance),
    (targets.accommodation_at_end, accommodation_at_end),
    (targets.six_months_without_breach, six_months_without_breach),
    (targets.victim_contact, victim_contact),
    (standards_oasys.oasys_high_roh_2005, oasys_high_roh),
):
    register(_rule, _kernel)
