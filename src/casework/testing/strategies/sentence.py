"""Sentences, their requirements, licence conditions and terminations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from casework.model import (
    LicenceCondition,
    LicenceConditionKind,
    OffenceCategory,
    Programme,
    ProgrammeCategory,
    Requirement,
    RequirementKind,
    Sentence,
    SentenceKind,
    Termination,
    TerminationReason,
)
from casework.testing.strategies._common import (
    EARLIEST,
    LATEST,
    _between,
    _days,
    _maybe,
    _optional,
    _strategy,
    _text,
)

#: How often an order carries each requirement (the rest: 6%), so that the requirements
#: targets count (unpaid work, programmes, drug rehabilitation) come up often.
_REQUIREMENT_CHANCE = {
    RequirementKind.UNPAID_WORK: 0.4,
    RequirementKind.SUPERVISION: 0.4,
    RequirementKind.ACCREDITED_PROGRAMME: 0.4,
    RequirementKind.DRUG_REHABILITATION: 0.15,
    RequirementKind.DTTO: 0.08,
}


def _requirement(
    draw: st.DrawFn, kind: RequirementKind, earliest: dt.date, latest: dt.date
) -> dict[str, Any]:
    facts: dict[str, Any] = {"kind": kind}
    if kind is RequirementKind.UNPAID_WORK:
        facts["hours"] = draw(st.integers(1, 300))
    elif _maybe(draw, 0.6):
        facts["months"] = draw(st.integers(1, 36))
    if kind is RequirementKind.ACCREDITED_PROGRAMME:
        facts["programme"] = _optional(draw, st.sampled_from(Programme))
        facts["programme_category"] = _optional(draw, st.sampled_from(ProgrammeCategory))
    if kind in {RequirementKind.CURFEW, RequirementKind.EXCLUSION}:
        facts["electronic_monitoring"] = draw(st.booleans())
    if _maybe(draw, 0.6):
        commenced = _between(draw, earliest, latest)
        facts["commenced_on"] = commenced
        if _maybe(draw, 0.4):
            facts["completed_on"] = _between(draw, commenced, latest)
        if kind in {RequirementKind.DRUG_REHABILITATION, RequirementKind.DTTO} and _maybe(
            draw, 0.5
        ):
            facts["retained_until"] = _between(draw, commenced, latest)
    return facts


def requirements(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[Requirement]:
    """Requirements of community and suspended sentence orders."""
    return (
        st.sampled_from(RequirementKind)
        .flatmap(lambda kind: _strategy(_requirement, kind, earliest, latest))
        .map(Requirement.model_validate)
    )


def licence_conditions() -> st.SearchStrategy[LicenceCondition]:
    """Licence conditions, standard and additional."""
    return st.builds(
        LicenceCondition,
        kind=st.sampled_from(LicenceConditionKind),
        additional=st.booleans(),
        text=st.none() | _text(),
    )


def terminations(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[Termination]:
    """How orders and licences ended."""
    return st.builds(
        Termination, on=st.dates(earliest, latest), reason=st.sampled_from(TerminationReason)
    )


def _sentence(
    draw: st.DrawFn,
    *,
    kind: SentenceKind,
    sentenced: dt.date,
    released: dt.date | None,
    as_of: dt.date,
    terminated: bool | None = None,
    requirements: frozenset[RequirementKind] = frozenset(),
) -> dict[str, Any]:
    facts: dict[str, Any] = {"kind": kind, "sentenced_on": sentenced, "released_on": released}
    community = kind in {SentenceKind.COMMUNITY_ORDER, SentenceKind.SUSPENDED_SENTENCE_ORDER}
    if community and sentenced < as_of and _maybe(draw, 0.2):
        facts["starts_on"] = min(as_of, sentenced + _days(draw(st.integers(1, 14))))
    facts["offence_category"] = _optional(draw, st.sampled_from(OffenceCategory))
    if not community:
        facts["custodial_months"] = draw(st.integers(1, 120))
    if _maybe(draw, 0.1):
        facts["ends_on"] = _between(draw, sentenced, as_of)
    if community:
        kinds = [
            k
            for k in RequirementKind
            if k in requirements or _maybe(draw, _REQUIREMENT_CHANCE.get(k, 0.06))
        ]
        facts["requirements"] = [_requirement(draw, k, sentenced, as_of) for k in kinds]
    if kind is SentenceKind.LICENCE:
        facts["licence_conditions"] = [
            {"kind": draw(st.sampled_from(LicenceConditionKind)), "additional": draw(st.booleans())}
            for _ in range(draw(st.integers(0, 3)))
        ]
    if terminated or (terminated is None and _maybe(draw, 0.25)):
        facts["termination"] = {
            "on": _between(draw, released or sentenced, as_of),
            "reason": draw(st.sampled_from(TerminationReason)),
        }
    if _maybe(draw, 0.2):
        facts["reference"] = f"S{draw(st.integers(1, 999999)):06d}"
    return facts


def sentences(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    kind: SentenceKind | str | None = None,
) -> st.SearchStrategy[Sentence]:
    """Sentences of every kind; a licence has a release on or after sentence."""
    pinned = SentenceKind(kind) if kind is not None else None

    @st.composite
    def build(draw: st.DrawFn) -> Sentence:
        chosen = pinned or draw(st.sampled_from(SentenceKind))
        sentenced = _between(draw, earliest, latest)
        released = _between(draw, sentenced, latest) if chosen is SentenceKind.LICENCE else None
        facts = _sentence(draw, kind=chosen, sentenced=sentenced, released=released, as_of=latest)
        return Sentence.model_validate(facts)

    return build()
