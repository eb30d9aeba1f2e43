"""Populations rules apply to, and the case facts they are decided on.

Facts "at start" are read at the event that starts the clock (sentence, or
release for licence cases). Tiers and RoH levels are often recorded a few days
after that event, by the start assessment; where nothing is recorded on or
before it, the first record after it is the one the case started with
(docs/decisions.md#facts-at-start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from casework.model import Case, RohLevel, SentenceKind, Tier
from casework.model.risk import RohRecord, TierRecord
from casework.rules.engine import EVERY_CASE, Context, MissingFactError, Population

__all__ = [
    "COMMUNITY_SENTENCE",
    "CUSTODY",
    "EVERY_CASE",
    "HAS_BREACH",
    "HAS_MAPPA",
    "HAS_PSR",
    "IN_COMMUNITY",
    "LICENCE",
    "NOT_PPO_AT_START",
    "PPO_AT_START",
    "TRANSFERRED_IN",
    "MissingFactError",
    "no_roh_level",
    "no_tier",
    "roh_at_least_at_start",
    "roh_at_start",
    "tier_at_start",
    "tiers_at_start",
]

_R = TypeVar("_R", TierRecord, RohRecord)


def _at_start(records: Sequence[_R], start: dt.date) -> _R | None:
    before = [rec for rec in records if rec.on <= start]
    if before:
        return max(before, key=lambda rec: rec.on)
    after = [rec for rec in records if rec.on > start]
    return min(after, key=lambda rec: rec.on) if after else None


def tier_at_start(case: Case) -> Tier | None:
    """The tier the case started with (see module notes)."""
    record = _at_start(case.tiers, case.start_event[1])
    return record.tier if record else None


def roh_at_start(case: Case) -> RohLevel | None:
    """The RoH level the case started with (see module notes)."""
    record = _at_start(case.roh, case.start_event[1])
    return record.level if record else None


def _kind(*kinds: SentenceKind) -> frozenset[SentenceKind]:
    return frozenset(kinds)


_COMMUNITY_KINDS = _kind(SentenceKind.COMMUNITY_ORDER, SentenceKind.SUSPENDED_SENTENCE_ORDER)

COMMUNITY_SENTENCE = Population(
    "community and suspended sentence orders",
    lambda case, _ctx: case.sentence.kind in _COMMUNITY_KINDS,
)
LICENCE = Population(
    "licence cases (released from custody)",
    lambda case, _ctx: case.sentence.kind is SentenceKind.LICENCE,
)
CUSTODY = Population(
    "custody cases not yet released",
    lambda case, _ctx: case.sentence.kind is SentenceKind.CUSTODY,
)
IN_COMMUNITY = Population(
    "cases supervised in the community (orders and licences)",
    lambda case, ctx: case.in_community_on(ctx.as_of),
)
PPO_AT_START = Population(
    "PPO cases (a PPO at sentence or release)",
    lambda case, _ctx: case.is_ppo_on(case.start_event[1]),
)
NOT_PPO_AT_START = Population(
    "cases that were not PPO cases at sentence or release",
    lambda case, _ctx: not case.is_ppo_on(case.start_event[1]),
)
HAS_MAPPA = Population("cases subject to MAPPA", lambda case, _ctx: case.mappa is not None)
HAS_PSR = Population("cases with a pre-sentence report", lambda case, _ctx: case.psr is not None)
HAS_BREACH = Population(
    "cases with an unacceptable failure to comply", lambda case, _ctx: bool(case.breaches)
)
TRANSFERRED_IN = Population(
    "cases transferred in from another area", lambda case, _ctx: case.transfer_in is not None
)


def tiers_at_start(*tiers: int) -> Population:
    """Cases that started in one of ``tiers``; a case with no tier recorded cannot be assessed."""
    wanted = frozenset(Tier(t) for t in tiers)
    label = " or ".join(str(t) for t in sorted(wanted))

    def test(case: Case, ctx: Context) -> bool:
        tier = tier_at_start(case)
        if tier is None:
            raise MissingFactError(no_tier(ctx))
        return tier in wanted

    return Population(f"Tier {label} cases", test, form=("tiers_at_start", wanted), missing=no_tier)


def no_tier(_ctx: Context) -> str:
    """The fact missing when a case has no tier recorded (a population's ``missing``)."""
    return "no tier is recorded for the case"


def no_roh_level(_ctx: Context) -> str:
    """The fact missing when a case has no RoH level recorded (a population's
    ``missing``)."""
    return "no RoH level is recorded for the case"


def roh_at_least_at_start(level: RohLevel) -> Population:
    """Cases whose RoH level at start was ``level`` or higher."""
    words = {
        RohLevel.LOW: "any RoH level",
        RohLevel.MEDIUM: "medium, high or very high RoH cases",
        RohLevel.HIGH: "high or very high RoH cases",
        RohLevel.VERY_HIGH: "very high RoH cases",
    }

    def test(case: Case, ctx: Context) -> bool:
        current = roh_at_start(case)
        if current is None:
            raise MissingFactError(no_roh_level(ctx))
        return current.at_least(level)

    return Population(
        words[level], test, form=("roh_at_least_at_start", level), missing=no_roh_level
    )
