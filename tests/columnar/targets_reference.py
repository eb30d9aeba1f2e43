"""The target tables as they were read from ``Case`` objects: the oracle the raw-table
builders of casework.columnar.targets are compared with (not registered)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from casework.columnar.columns import NO_DAY, Table
from casework.columnar.columns import day_number as _day
from casework.columnar.targets import _KIND, _REASON, _RESOLUTION, _accommodation
from casework.model import Case
from casework.rules.targets import rules as targets


def case_table(cases: Sequence[Case]) -> Table:
    """One row per case: area (``None`` when not recorded), sentence kind, termination day
    and reason (-1 when not terminated), accommodation at the start and end (settled and
    suitable 1, unknown 2, else 0)."""
    area: list[str | None] = []
    kind: list[int] = []
    terminated: list[int] = []
    reason: list[int] = []
    at_start: list[int] = []
    at_end: list[int] = []
    kinds, reasons = _KIND, _REASON
    for case in cases:
        area.append(case.area)
        sentence = case.sentence
        kind.append(kinds[sentence.kind])
        ended = sentence.termination
        terminated.append(NO_DAY if ended is None else _day(ended.on))
        reason.append(-1 if ended is None else reasons[ended.reason])
        place = case.outcomes.accommodation
        at_start.append(_accommodation(place.at_start))
        at_end.append(_accommodation(place.at_end))
    return {
        "owner": np.arange(len(cases), dtype=np.intp),
        "area": np.asarray(area, dtype=object),
        "kind": np.asarray(kind, dtype=np.int8),
        "terminated": np.asarray(terminated, dtype=np.int64),
        "reason": np.asarray(reason, dtype=np.int8),
        "at_start": np.asarray(at_start, dtype=np.int8),
        "at_end": np.asarray(at_end, dtype=np.int8),
    }


def breach_table(cases: Sequence[Case]) -> Table:
    """One row per breach, in record order: the failure to comply, the breach action and
    the resolution day (NO_DAY if none), and how it was resolved (-1 if not)."""
    owner: list[int] = []
    failed: list[int] = []
    action: list[int] = []
    resolved: list[int] = []
    resolution: list[int] = []
    codes = _RESOLUTION
    for row, case in enumerate(cases):
        for breach in case.breaches:
            owner.append(row)
            failed.append(_day(breach.failed_on))
            action.append(_day(breach.action_on))
            resolved.append(_day(breach.resolved_on))
            resolution.append(-1 if breach.resolution is None else codes[breach.resolution])
    return {
        "owner": np.asarray(owner, dtype=np.intp),
        "failed": np.asarray(failed, dtype=np.int64),
        "action": np.asarray(action, dtype=np.int64),
        "resolved": np.asarray(resolved, dtype=np.int64),
        "resolution": np.asarray(resolution, dtype=np.int8),
    }


def victim_table(cases: Sequence[Case]) -> Table:
    """One row per victim eligible for statutory contact, in record order: the label the
    rule gives it (its own ``_statutory_victims``) and the first contact offered or made."""
    owner: list[int] = []
    label: list[str] = []
    contacted: list[int] = []
    for row, case in enumerate(cases):
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
