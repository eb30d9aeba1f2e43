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
    Ineligibility,
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
#: The reasons a case is not eligible, by name.
_INELIGIBLE: dict[str, Ineligibility] = {
    "ended": "ended",
    "not_started": "not_started",
    "too_recent": "too_recent",
    "too_long": "too_long",
}


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
    case = raw["case"]
    staff = raw["om_assignments"]
    manager_role = np.isin(staff["role"], _MANAGER_CODES)

    # ineligibility
    ended_on = case["sentence.termination.on"]
    since = columns.start
    if managed_from == "allocation":
        allocated = earliest_day(staff["owner"], staff["start"], n, manager_role)
        since = np.where(allocated != NO_DAY, allocated, since)
    shortest, longest = managed_months
    why = np.full(n, "", dtype=object)
    why[_later(since, longest) < day] = "too_long"
    why[_later(since, shortest) > day] = "too_recent"
    why[since > day] = "not_started"
    why[(ended_on != NO_DAY) & (ended_on <= day)] = "ended"

    # types, for every case (kept for the eligible)
    kind = case["sentence.kind"]
    roh = raw["roh"]
    in_force = latest_per_owner(roh["owner"], roh["on"], n, roh["on"] <= day)
    known_level = in_force >= 0
    high = np.zeros(n, dtype=bool)
    if len(roh["owner"]):
        high[known_level] = _HIGH[roh["level"][in_force[known_level]]]
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
    prefixes = frozenset(prefix.upper() for prefix in bme_prefixes)
    bme = [reads_as_bme(code, prefixes) for code in case["offender.ethnicity_code"].tolist()]
    managers = _managers(staff, manager_role, n, day)

    facts: list[SampleFacts] = []
    references = columns.references
    kinds = kind.tolist()
    flags = {kind_: mask.tolist() for kind_, mask in named.items()}
    known = known_level.tolist()
    for row, reason in enumerate(why.tolist()):
        if reason:
            facts.append(SampleFacts(references[row], _INELIGIBLE[reason]))
            continue
        types = {_GROUPS[kinds[row]]}
        types.update(kind_ for kind_, flag in flags.items() if flag[row])
        if bme[row]:
            types.add(SampleType.BME)
        unknown = set()
        if not known[row]:
            unknown.add(SampleType.HIGH_ROH)
        if bme[row] is None:
            unknown.add(SampleType.BME)
        facts.append(
            SampleFacts(references[row], None, frozenset(types), frozenset(unknown), managers[row])
        )
    return facts


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
