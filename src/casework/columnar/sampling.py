"""The facts drawing a sample reads (:class:`casework.sampling.SampleFacts`), for a chunk
of cases at once, from its raw tables: no ``Case`` object is made.

Each column re-derives what :func:`casework.sampling.sample_facts` reads of one case:
its :func:`~casework.sampling.ineligibility` (ended, not started, managed too short or
too long a time), its :func:`~casework.sampling.case_types`, the types its record cannot
decide and its :func:`~casework.sampling.offender_manager`.
tests/columnar/test_sample_facts.py proves them equal, case for case, to the facts read
from the cases one by one. ``casework sample`` reads a file with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from casework.calendar import add_months_many
from casework.columnar.columns import NO_DAY, CaseColumns, Days, Mask, _ppo_on, day_number
from casework.columnar.group import any_per_owner, earliest_day, first_by_keys, latest_per_owner
from casework.columnar.raw import codes_of, lookup
from casework.model.enums import RohLevel, SentenceKind
from casework.sampling import (
    DEFAULT_BME_PREFIXES,
    DEFAULT_MANAGED_MONTHS,
    OFFENDER_MANAGER_ROLES,
    ManagedFrom,
    SampleFacts,
    SampleType,
    reads_as_bme,
    sentence_group,
)

__all__ = ["chunk_sample_facts"]

_MANAGER_CODES = codes_of(*OFFENDER_MANAGER_ROLES)
#: Whether a level is high or very high (``RohLevel.at_least(HIGH)``), by its raw code.
_HIGH = lookup(RohLevel, lambda level: level.at_least(RohLevel.HIGH)).astype(bool)
#: Each sentence kind's group, by its raw code.
_GROUPS = tuple(sentence_group(kind) for kind in SentenceKind)


def chunk_sample_facts(
    columns: CaseColumns,
    as_of: dt.date,
    *,
    managed_months: tuple[int, int] = DEFAULT_MANAGED_MONTHS,
    managed_from: ManagedFrom = "start",
    bme_prefixes: Iterable[str] = DEFAULT_BME_PREFIXES,
) -> list[SampleFacts]:
    """:func:`casework.sampling.sample_facts` of each case of the chunk, in row order,
    worked out on its columns."""
    n = len(columns)
    day = day_number(as_of)
    raw = columns.raw
    staff = raw["om_assignments"]
    manager_role = np.isin(staff["role"], _MANAGER_CODES)
    why = _ineligibility(columns, day, managed_months, managed_from, manager_role)
    named, known = _named_types(columns, day)
    managers = _managers(staff, manager_role, n, day)
    prefixes = frozenset(prefix.upper() for prefix in bme_prefixes)
    codes = raw["case"]["offender.ethnicity_code"].tolist()
    kinds = raw["case"]["sentence.kind"].tolist()
    flags = {kind: mask.tolist() for kind, mask in named.items()}
    known_level = known.tolist()
    references = columns.references
    facts: list[SampleFacts] = []
    for row, reason in enumerate(why.tolist()):
        if reason is not None:
            facts.append(SampleFacts(references[row], reason))
            continue
        types = {_GROUPS[kinds[row]]}
        types.update(kind for kind, flag in flags.items() if flag[row])
        bme = reads_as_bme(codes[row], prefixes)
        if bme:
            types.add(SampleType.BME)
        unknown = set()
        if not known_level[row]:
            unknown.add(SampleType.HIGH_ROH)
        if bme is None:
            unknown.add(SampleType.BME)
        facts.append(
            SampleFacts(references[row], None, frozenset(types), frozenset(unknown), managers[row])
        )
    return facts


def _ineligibility(
    columns: CaseColumns,
    day: int,
    managed_months: tuple[int, int],
    managed_from: ManagedFrom,
    manager_role: Mask,
) -> npt.NDArray[np.object_]:
    """Per case, why it is not eligible on ``day`` (:func:`casework.sampling.ineligibility`:
    ended, not started, managed too short or too long a time), or ``None``."""
    n = len(columns)
    staff = columns.raw["om_assignments"]
    ended_on = columns.raw["case"]["sentence.termination.on"]
    since = columns.start
    if managed_from == "allocation":
        allocated = earliest_day(staff["owner"], staff["start"], n, manager_role)
        since = np.where(allocated != NO_DAY, allocated, since)
    shortest, longest = managed_months
    why = np.full(n, None, dtype=object)  # (the first reason that holds, as the scalar's)
    why[_later(since, longest) < day] = "too_long"
    why[_later(since, shortest) > day] = "too_recent"
    why[since > day] = "not_started"
    why[(ended_on != NO_DAY) & (ended_on <= day)] = "ended"
    return why


def _named_types(columns: CaseColumns, day: int) -> tuple[dict[SampleType, Mask], Mask]:
    """Per case, whether it counts for each named type on ``day`` but BME (high RoH, PPO,
    approved premises, statutory victim), and whether its RoH level on ``day`` is known."""
    n = len(columns)
    raw = columns.raw
    roh = raw["roh"]
    in_force = latest_per_owner(roh["owner"], roh["on"], n, roh["on"] <= day)
    known = in_force >= 0
    high = np.zeros(n, dtype=bool)
    if len(roh["owner"]):
        high[known] = _HIGH[roh["level"][in_force[known]]]
    premises = raw["approved_premises"]
    arrived = premises["arrived_on"]
    victims = raw["victims"]
    named: dict[SampleType, Mask] = {
        SampleType.HIGH_ROH: high,
        SampleType.PPO: _ppo_on(raw["offender.ppo"], np.full(n, day, dtype=np.int64)),
        SampleType.APPROVED_PREMISES: any_per_owner(
            premises["owner"], n, (arrived != NO_DAY) & (arrived <= day)
        ),
        SampleType.STATUTORY_VICTIM: any_per_owner(victims["owner"], n, victims["statutory"]),
    }
    return named, known


def _later(days: Days, months: int) -> Days:
    """Each day ``months`` calendar months on (:func:`casework.calendar.add_months`)."""
    moved: Days = add_months_many(days.astype("datetime64[D]"), months).view(np.int64)
    return moved


def _managers(
    staff: dict[str, npt.NDArray[Any]], manager_role: Mask, n: int, day: int
) -> list[str | None]:
    """Per case, the offender manager in post on ``day``: of the allocations to a PO, PSO
    or TPO that started by then and had not ended before it, the latest started, the
    greatest staff id among those (``casework.sampling.offender_manager``)."""
    start, end = staff["start"], staff["end"]
    current = manager_role & (start <= day) & ((end == NO_DAY) | (end >= day))
    rows = np.flatnonzero(current)
    chosen: list[str | None] = [None] * n
    if not rows.size:
        return chosen
    ids = staff["staff"][rows].astype(str)
    _, rank = np.unique(ids, return_inverse=True)  # (in the order Python compares them)
    owner = staff["owner"][rows]
    picked = first_by_keys(n, owner, -start[rows], -rank.reshape(-1))
    for row, at in enumerate(picked.tolist()):
        if at >= 0:
            chosen[row] = str(ids[at])
    return chosen
