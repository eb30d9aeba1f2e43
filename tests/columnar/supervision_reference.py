"""The entity tables of casework.columnar.supervision as they were first built: one
Python pass over a chunk's ``Case`` objects, reading the model's fields and methods.

Kept here as the reference the array builders (from raw tables) are proved equal to,
column by column (tests/columnar/test_supervision_tables.py). Not registered: a
plain function per table, ``cases -> table``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from casework.columnar.columns import LATEST, NO_DAY, Days, Table
from casework.columnar.columns import day_number as _day
from casework.model import (
    Case,
    ContactKind,
    OffenceCategory,
    RequirementKind,
    RohLevel,
    SentenceKind,
    StaffRole,
)
from casework.model.risk import RohRecord

__all__ = ["REFERENCE"]

_KIND = {kind: code for code, kind in enumerate(SentenceKind)}
ROH_RANK = {level: level.rank for level in RohLevel}
_OFFENDER_MANAGERS = frozenset({StaffRole.PO, StaffRole.PSO, StaffRole.TPO, StaffRole.SPO})
_STATUTORY = frozenset({OffenceCategory.SERIOUS_SEXUAL, OffenceCategory.SERIOUS_VIOLENT})


def _first(days: Sequence[Any]) -> int:
    return _day(min(days)) if days else NO_DAY


def _column(values: list[int]) -> Days:
    return np.asarray(values, dtype=np.int64)


def _roh_records(
    case: Case, start: dt.date
) -> tuple[RohRecord | None, RohRecord | None, RohRecord | None]:
    """The RoH records in force at start (``population.roh_at_start``), on notification of
    a transfer (``Case.roh_on``), and the latest."""
    moved = case.transfer_in
    before = after = latest = on_notice = None
    for record in case.roh:
        if record.on <= start:
            if before is None or record.on > before.on:
                before = record
        elif after is None or record.on < after.on:
            after = record
        if latest is None or record.on > latest.on:
            latest = record
        if (
            moved is not None
            and record.on <= moved.notified_on
            and (on_notice is None or record.on > on_notice.on)
        ):
            on_notice = record
    return before or after, on_notice, latest


def case_facts(cases: Sequence[Case]) -> Table:
    """One row per case: the facts these rules read, in one pass."""
    kind, allocated, inducted = [], [], []
    psr, psr_requested, psr_due, psr_delivered = [], [], [], []
    transfer, notified, appointment, contact = [], [], [], []
    roh_start, roh_transfer, roh_last, roh_last_on = [], [], [], []
    months, category, mappa, mappa_levels = [], [], [], []
    ended, upw_only, upw, upw_start, upw_end = [], [], [], [], []
    for case in cases:
        sentence = case.sentence
        kind.append(_KIND[sentence.kind])
        allocated.append(
            _first([a.start for a in case.om_assignments if a.role in _OFFENDER_MANAGERS])
        )
        inducted.append(_first([i.on for i in case.inductions if i.full]))
        report = case.psr
        psr.append(report is not None)
        psr_requested.append(_day(report.requested_on) if report else NO_DAY)
        psr_due.append(_day(report.due_on) if report else NO_DAY)
        psr_delivered.append(_day(report.delivered_on) if report else NO_DAY)
        moved = case.transfer_in
        transfer.append(moved is not None)
        notified.append(_day(moved.notified_on) if moved else NO_DAY)
        appointment.append(_day(moved.first_appointment_on) if moved else NO_DAY)
        contact.append(_day(moved.first_contact_on) if moved else NO_DAY)
        # RoH at start (population.roh_at_start), on notification, and the latest.
        if sentence.kind is SentenceKind.LICENCE and sentence.released_on is not None:
            start = sentence.released_on
        else:
            start = sentence.starts_on or sentence.sentenced_on
        at_start, on_notice, latest = _roh_records(case, start)
        roh_start.append(-1 if at_start is None else ROH_RANK[at_start.level])
        roh_transfer.append(-1 if on_notice is None else ROH_RANK[on_notice.level])
        roh_last.append(-1 if latest is None else ROH_RANK[latest.level])
        roh_last_on.append(NO_DAY if latest is None else _day(latest.on))
        months.append(-1 if sentence.custodial_months is None else sentence.custodial_months)
        category.append(
            0
            if sentence.offence_category is None
            else (1 if sentence.offence_category in _STATUTORY else 2)
        )
        mappa.append(case.mappa is not None)
        mappa_levels.append(case.mappa is not None and bool(case.mappa.levels))
        # Supervision's end, and the unpaid work cycle (supervision._unpaid_work_cycle).
        end = sentence.termination.on if sentence.termination else None
        ended.append(_day(end))
        requirements = sentence.requirements
        unpaid = [r for r in requirements if r.kind is RequirementKind.UNPAID_WORK]
        upw_only.append(bool(requirements) and len(unpaid) == len(requirements))
        upw.append(bool(unpaid))
        first = unpaid[0] if unpaid else None
        upw_start.append(
            NO_DAY
            if first is None
            else _day(first.commenced_on or sentence.starts_on or sentence.sentenced_on)
        )
        ends = [d for d in (first.completed_on if first else None, end) if d is not None]
        upw_end.append(_first(ends))
    n = len(cases)
    return {
        "owner": np.arange(n, dtype=np.intp),
        "kind": np.asarray(kind, dtype=np.int8),
        "allocated": _column(allocated),
        "inducted": _column(inducted),
        "psr": np.asarray(psr, dtype=bool),
        "psr_requested": _column(psr_requested),
        "psr_due": _column(psr_due),
        "psr_delivered": _column(psr_delivered),
        "transfer": np.asarray(transfer, dtype=bool),
        "notified": _column(notified),
        "first_appointment": _column(appointment),
        "first_contact": _column(contact),
        "roh_start": np.asarray(roh_start, dtype=np.int8),
        "roh_transfer": np.asarray(roh_transfer, dtype=np.int8),
        "roh_last": np.asarray(roh_last, dtype=np.int8),
        "roh_last_on": _column(roh_last_on),
        "custodial_months": _column(months),
        "offence": np.asarray(category, dtype=np.int8),
        "mappa": np.asarray(mappa, dtype=bool),
        "mappa_levels": np.asarray(mappa_levels, dtype=bool),
        "ended": _column(ended),
        "upw_only": np.asarray(upw_only, dtype=bool),
        "upw": np.asarray(upw, dtype=bool),
        "upw_start": _column(upw_start),
        "upw_end": _column(upw_end),
    }


_CONTACT = {kind: code for code, kind in enumerate(ContactKind)}
_UPW_SESSION = _CONTACT[ContactKind.UNPAID_WORK_SESSION]
_PROGRAMME_SESSION = _CONTACT[ContactKind.PROGRAMME_SESSION]


def contacts(cases: Sequence[Case]) -> Table:
    """One row per contact: its day and kind (codes of ``ContactKind`` in order)."""
    owner, on, kind = [], [], []
    for row, case in enumerate(cases):
        for contact in case.contacts:
            owner.append(row)
            on.append(_day(contact.on))
            kind.append(_CONTACT[contact.kind])
    return {
        "owner": np.asarray(owner, dtype=np.intp),
        "on": _column(on),
        "kind": np.asarray(kind, dtype=np.int8),
    }


def home_visits(cases: Sequence[Case]) -> Table:
    """One row per home visit: a home visit record, or the transfer's own."""
    owner, on = [], []
    for row, case in enumerate(cases):
        for visit in case.home_visits:
            owner.append(row)
            on.append(_day(visit.on))
        moved = case.transfer_in
        if moved is not None and moved.home_visit_on is not None:
            owner.append(row)
            on.append(_day(moved.home_visit_on))
    return {"owner": np.asarray(owner, dtype=np.intp), "on": _column(on)}


def premises(cases: Sequence[Case]) -> Table:
    """One row per residence in approved premises (``left`` LATEST while there)."""
    owner, arrived, left = [], [], []
    for row, case in enumerate(cases):
        for residence in case.approved_premises:
            owner.append(row)
            arrived.append(_day(residence.arrived_on))
            left.append(LATEST if residence.left_on is None else _day(residence.left_on))
    return {
        "owner": np.asarray(owner, dtype=np.intp),
        "arrived": _column(arrived),
        "left": _column(left),
    }


def breaches(cases: Sequence[Case]) -> Table:
    """One row per breach, each case's in the order of failure (as the rules take them)."""
    owner, failed, action, resolved = [], [], [], []
    for row, case in enumerate(cases):
        for breach in sorted(case.breaches, key=lambda breach: breach.failed_on):
            owner.append(row)
            failed.append(_day(breach.failed_on))
            action.append(_day(breach.action_on))
            resolved.append(_day(breach.resolved_on))
    return {
        "owner": np.asarray(owner, dtype=np.intp),
        "failed": _column(failed),
        "action": _column(action),
        "resolved": _column(resolved),
    }


def statutory_victims(cases: Sequence[Case]) -> Table:
    """One row per victim eligible for statutory contact, in record order, with the
    first contact offered or made."""
    owner, contacted = [], []
    for row, case in enumerate(cases):
        for victim in case.victims:
            if victim.statutory:
                owner.append(row)
                days = [d for d in (victim.contact_offered_on, victim.contacted_on) if d]
                contacted.append(_first(days))
    return {"owner": np.asarray(owner, dtype=np.intp), "contacted": _column(contacted)}


REFERENCE = {
    "sup.case": case_facts,
    "sup.contacts": contacts,
    "sup.home_visits": home_visits,
    "sup.premises": premises,
    "sup.breaches": breaches,
    "sup.victims": statutory_victims,
}
