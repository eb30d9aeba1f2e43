"""The OMI facts and RoH tables as they were read from ``Case`` objects: the oracle the
raw-table builders of casework.columnar.omi are compared with (not registered)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from casework.columnar.columns import Table, ordinals
from casework.columnar.omi import (
    _COMMUNITY_KINDS,
    _CURFEW_OR_EXCLUSION,
    _DRR,
    _FLAGS,
    _GROUPS,
    _KIND_CODE,
    _LITERACY,
    _NONE,
    _RANKS,
    _RESTRICTIVE,
    _SIGNIFICANT,
)
from casework.model import (
    Case,
    DiversityNeed,
    InterventionKind,
    RequirementKind,
    RiskGroup,
    RohLevel,
)


def facts_table(cases: Sequence[Case]) -> Table:
    """One row per case: the facts the OMI populations are decided on.

    ``kind`` (sentence kind code), ``start`` and ``released`` (day numbers), ``om_count``
    and one flag per fact of :data:`_FLAGS`. Reads ``sentence.kind``, ``.sentenced_on``,
    ``.starts_on``, ``.released_on``, ``.requirements[].kind``,
    ``.licence_conditions[].kind`` and ``.additional``; ``psr`` and ``psr.proposal``;
    ``mappa``; ``breaches``; ``transfer_in``; ``approved_premises``;
    ``child_safeguarding_concern``; ``offender.self_harm_risk``, ``.drug_misuse``,
    ``.skills_for_life_need``, ``.diversity_needs``, ``.disabilities``;
    ``outcomes.oasys_rescored``, ``.reconvicted_on``, ``.cautioned_on``;
    ``interventions[].kind`` and ``.in_custody``;
    ``assessments[].screening.completed_on``, ``.full_analysis.completed_on``,
    ``.rmp.completed_on``; ``events[].kind`` and ``.on``; ``recalls[].roh_related``;
    ``custody_moves``; ``victims[].statutory``, ``.contacted_on``, ``.face_to_face_on``;
    ``om_assignments[].staff``.
    """
    n = len(cases)
    kind: list[int] = []
    start: list[Any] = []
    released: list[Any] = []
    om_count: list[int] = []
    facts: list[tuple[bool, ...]] = []
    kind_code, community = _KIND_CODE, _COMMUNITY_KINDS
    upw, programme = RequirementKind.UNPAID_WORK, RequirementKind.ACCREDITED_PROGRAMME
    accredited = InterventionKind.ACCREDITED_PROGRAMME
    restrictive = InterventionKind.RESTRICTIVE
    disability = DiversityNeed.DISABILITY
    for case in cases:
        sentence = case.sentence
        kind.append(kind_code[sentence.kind])
        sentenced = sentence.sentenced_on
        start.append(sentence.starts_on or sentenced)
        released.append(sentence.released_on)
        requirements = (
            {req.kind for req in sentence.requirements} if sentence.requirements else _NONE
        )
        conditions = sentence.licence_conditions
        offender = case.offender
        needs = set(offender.diversity_needs) if offender.diversity_needs else _NONE
        psr = case.psr
        interventions = case.interventions
        intervention_kinds = {item.kind for item in interventions} if interventions else _NONE
        assessments = case.assessments
        events = case.events
        event_kinds = {event.kind for event in events} if events else _NONE
        victims = case.victims
        recalls = case.recalls
        outcomes = case.outcomes
        assignments = case.om_assignments
        om_count.append(len({a.staff for a in assignments}) if assignments else 0)
        facts.append(
            (
                psr is not None,
                psr is not None and psr.proposal in community,
                case.mappa is not None,
                bool(case.breaches),
                case.transfer_in is not None,
                bool(case.approved_premises),
                case.child_safeguarding_concern,
                offender.self_harm_risk,
                offender.drug_misuse,
                offender.skills_for_life_need is True,
                bool(_LITERACY & needs),
                disability in needs or bool(offender.disabilities),
                outcomes.oasys_rescored is True,
                upw in requirements,
                requirements == {upw},
                bool(requirements & _DRR),
                programme in requirements or accredited in intervention_kinds,
                bool(requirements & _CURFEW_OR_EXCLUSION)
                or (bool(conditions) and any(c.kind in _RESTRICTIVE for c in conditions)),
                bool(conditions) and any(c.additional for c in conditions),
                restrictive in intervention_kinds,
                bool(interventions) and any(item.in_custody for item in interventions),
                bool(assessments)
                and any(a.screening is not None and a.screening.completed_on for a in assessments),
                bool(assessments)
                and any(
                    a.full_analysis is not None and a.full_analysis.completed_on
                    for a in assessments
                ),
                bool(assessments)
                and any(a.rmp is not None and a.rmp.completed_on for a in assessments),
                bool(events),
                bool(event_kinds & _SIGNIFICANT),
                bool(events) and any(event.on >= sentenced for event in events),
                bool(recalls),
                bool(recalls) and any(recall.roh_related for recall in recalls),
                bool(case.custody_moves),
                bool(victims),
                bool(victims) and any(v.statutory for v in victims),
                bool(victims)
                and any(v.statutory and (v.contacted_on or v.face_to_face_on) for v in victims),
                psr is not None and psr.proposal is not None,
                outcomes.oasys_rescored is not None,
                outcomes.reconvicted_on is not None or outcomes.cautioned_on is not None,
            )
        )
    flags = np.asarray(facts, dtype=bool).reshape(n, len(_FLAGS))
    return {
        "owner": np.arange(n, dtype=np.intp),
        "kind": np.asarray(kind, dtype=np.int8),
        "start": ordinals(start),
        "released": ordinals(released),
        "om_count": np.asarray(om_count, dtype=np.int64),
        **{name: flags[:, i].copy() for i, name in enumerate(_FLAGS)},
    }


def roh_table(cases: Sequence[Case]) -> Table:
    """One row per RoH record, in the case's order: ``owner``, ``on`` (day number),
    ``rank`` (0 low to 3 very high) and a flag ``risk_to.<group>`` per risk group
    assessed. Reads ``case.roh[].on``, ``.level`` and ``.risk_to``."""
    owner: list[int] = []
    on: list[Any] = []
    rank: list[int] = []
    risk: dict[RiskGroup, list[bool]] = {group: [] for group in _GROUPS}
    for row, case in enumerate(cases):
        for record in case.roh:
            owner.append(row)
            on.append(record.on)
            rank.append(_RANKS[RohLevel(record.level)])
            for group in _GROUPS:
                risk[group].append(group in record.risk_to)
    return {
        "owner": np.asarray(owner, dtype=np.intp),
        "on": ordinals(on),
        "rank": np.asarray(rank, dtype=np.int8),
        **{f"risk_to.{group.value}": np.asarray(risk[group], dtype=bool) for group in _GROUPS},
    }
