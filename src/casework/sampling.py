"""Drawing an inspection's case sample the way the OMI describes it (004:951).

    "The area is asked to identify a random sample of 110-120 offenders (more
    in the largest areas) who have been managed by a probation offender
    manager for approximately six months. We then ensure that there is a
    minimum number of the following types of cases: high/very high RoH; PPOs;
    approved premises residents; statutory victim contact; black and minority
    ethnic offenders. The cases are drawn from community orders, licences,
    and those in custody." (004:951)

:func:`sample_cases` does exactly those steps and says what it did:

1. **Eligibility.** A case is eligible when it has been managed for between
   ``managed_months[0]`` and ``managed_months[1]`` calendar months by
   ``as_of`` and has not ended by then. "Approximately six months" has no
   tolerance in the source: the window is a parameter (default 5 to 7
   months, docs/decisions.md#sample-eligibility-window).
2. **Random draw.** ``size`` eligible cases drawn at random with ``seed``,
   in proportion to the eligible community orders, licences and custody
   cases (``stratify``) so that the draw keeps the population's mix.
3. **Top-ups.** For each type with a minimum (the five the source names,
   and optionally each sentence group), cases of that type are added at
   random until the minimum is met. The source gives no minimum numbers:
   :data:`DEFAULT_MINIMUMS` are casework's (docs/decisions.md#sample-minimums).
   Top-ups grow the sample up to ``max_size``; after that each one displaces
   a randomly drawn case that no minimum needs.
4. **Cap per offender manager** (optional, ``per_manager``): no offender
   manager has more than that many cases in the sample.

The result, a :class:`CaseSample`, holds the drawn cases (ready for
:func:`casework.dump_cases` and ``casework score``) and every adjustment:
which cases were drawn at random, which were added for which minimum and
which they displaced, the composition of the sample against the eligible
population per type, and the minimums that could not be met and why.

The draw depends only on the cases, the options and the seed, never on the
order the cases are given in: cases are sorted by reference before anything
random happens.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import os
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, Final, Literal

import attrs

from casework.model.enums import RohLevel, SentenceKind, StaffRole
from casework.text import percent, plural

if TYPE_CHECKING:  # the command line reads the defaults here without the model (start-up)
    from casework.io import Format as CaseFormat
    from casework.model import Case

__all__ = [
    "DEFAULT_BME_PREFIXES",
    "DEFAULT_MANAGED_MONTHS",
    "DEFAULT_MAX_SIZE",
    "DEFAULT_MINIMUMS",
    "DEFAULT_SIZE",
    "OFFENDER_MANAGER_ROLES",
    "CaseSample",
    "Displacement",
    "Ineligibility",
    "ManagedFrom",
    "SampleFacts",
    "SampleType",
    "SampledCase",
    "TypeComposition",
    "UnmetMinimum",
    "case_types",
    "ineligibility",
    "managed_since",
    "offender_manager",
    "reads_as_bme",
    "sample_cases",
    "sample_facts",
    "sample_from_facts",
    "sentence_group",
]


class SampleType(enum.StrEnum):
    """A type of case the sample must hold a minimum of (004:951), or a sentence group."""

    HIGH_ROH = "high_roh"
    PPO = "ppo"
    APPROVED_PREMISES = "approved_premises"
    STATUTORY_VICTIM = "statutory_victim"
    BME = "bme"
    COMMUNITY = "community"
    LICENCE = "licence"
    CUSTODY = "custody"

    @property
    def description(self) -> str:
        """What counts as a case of this type (see docs/sampling.md)."""
        return _DESCRIPTIONS[self]

    @property
    def is_sentence_group(self) -> bool:
        """Whether the type is a sentence group (community, licence, custody)."""
        return self in SENTENCE_GROUPS


_DESCRIPTIONS: Final[Mapping[SampleType, str]] = MappingProxyType(
    {
        SampleType.HIGH_ROH: "high or very high RoH on as_of",
        SampleType.PPO: "PPO on as_of",
        SampleType.APPROVED_PREMISES: "approved premises resident (arrived by as_of)",
        SampleType.STATUTORY_VICTIM: "statutory victim contact (a victim recorded as eligible)",
        SampleType.BME: "black and minority ethnic offender (by REM code)",
        SampleType.COMMUNITY: "community order or suspended sentence order",
        SampleType.LICENCE: "licence (released from custody)",
        SampleType.CUSTODY: "in custody (not yet released)",
    }
)

NAMED_TYPES: Final = (
    SampleType.HIGH_ROH,
    SampleType.PPO,
    SampleType.APPROVED_PREMISES,
    SampleType.STATUTORY_VICTIM,
    SampleType.BME,
)
"""The five types the source names a minimum for (004:951)."""
SENTENCE_GROUPS: Final = (SampleType.COMMUNITY, SampleType.LICENCE, SampleType.CUSTODY)
"""The cases are "drawn from community orders, licences, and those in custody" (004:951)."""

DEFAULT_SIZE: Final = 110
"""Cases drawn at random: the bottom of "110-120" (004:951)."""
DEFAULT_MAX_SIZE: Final = 120
"""Largest sample top-ups may grow to: the top of "110-120" (004:951)."""
DEFAULT_MANAGED_MONTHS: Final = (5, 7)
"""Eligibility window for "approximately six months" (004:951): six months plus or minus
one. The tolerance is casework's, not the source's (docs/decisions.md#sample-eligibility-window).
"""
DEFAULT_MINIMUMS: Final[Mapping[SampleType, int]] = MappingProxyType(
    {
        SampleType.HIGH_ROH: 10,
        SampleType.PPO: 10,
        SampleType.APPROVED_PREMISES: 5,
        SampleType.STATUTORY_VICTIM: 10,
        SampleType.BME: 5,
        SampleType.COMMUNITY: 10,
        SampleType.LICENCE: 10,
        SampleType.CUSTODY: 5,
    }
)
"""Minimum cases of each type. The source names the types but gives no numbers (004:951):
these are casework's defaults (docs/decisions.md#sample-minimums), not the inspectorate's."""
DEFAULT_BME_PREFIXES: Final = frozenset({"A", "B", "M", "O"})
"""REM "16+1" code letters read as black and minority ethnic: Asian, Black, Mixed, Chinese
or other (001:178; docs/decisions.md#sample-bme). ``W`` codes are White; any other code
(not stated) leaves ethnicity unknown."""
OFFENDER_MANAGER_ROLES: Final = frozenset({StaffRole.PO, StaffRole.PSO, StaffRole.TPO})
"""Roles an offender manager holds, for the cap per offender manager (004:366, 004:690)."""

ManagedFrom = Literal["start", "allocation"]
"""When management starts: the case's start event (sentence or commencement; release for
licences), or the first allocation to an offender manager (falling back to the start)."""

Ineligibility = Literal["ended", "not_started", "too_recent", "too_long"]
"""Why a case is not eligible for the sample."""

_INELIGIBLE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ended": "order or licence ended on or before as_of",
        "not_started": "management starts after as_of",
        "too_recent": "managed for less than the window",
        "too_long": "managed for longer than the window",
    }
)

Origin = Literal["random", "minimum"]


# ---------------------------------------------------------------- case facts


def managed_since(case: Case, *, managed_from: ManagedFrom = "start") -> dt.date:
    """The day a case's management is counted from (see :data:`ManagedFrom`)."""
    if managed_from == "allocation":
        starts = [a.start for a in case.om_assignments if a.role in OFFENDER_MANAGER_ROLES]
        if starts:
            return min(starts)
    return case.start_event[1]


def ineligibility(
    case: Case,
    as_of: dt.date,
    *,
    managed_months: tuple[int, int] = DEFAULT_MANAGED_MONTHS,
    managed_from: ManagedFrom = "start",
) -> Ineligibility | None:
    """Why ``case`` cannot be sampled on ``as_of``, or ``None`` when it is eligible."""
    from casework.calendar import add_months  # noqa: PLC0415 (numpy: imported when used)

    termination = case.sentence.termination
    if termination is not None and termination.on <= as_of:
        return "ended"
    since = managed_since(case, managed_from=managed_from)
    if since > as_of:
        return "not_started"
    shortest, longest = managed_months
    if add_months(since, shortest) > as_of:
        return "too_recent"
    if add_months(since, longest) < as_of:
        return "too_long"
    return None


def offender_manager(case: Case, as_of: dt.date) -> str | None:
    """The staff id of the offender manager in post on ``as_of`` (latest allocation), if any."""
    current = [
        a
        for a in case.om_assignments
        if a.role in OFFENDER_MANAGER_ROLES
        and a.start <= as_of
        and (a.end is None or a.end >= as_of)
    ]
    if not current:
        return None
    return max(current, key=lambda a: (a.start, a.staff)).staff


def reads_as_bme(code: str | None, prefixes: frozenset[str] = DEFAULT_BME_PREFIXES) -> bool | None:
    """Whether a REM code reads as black and minority ethnic: ``True`` for a code starting
    with one of ``prefixes`` (upper case), ``False`` for a White (``W``) code, ``None``
    when the code cannot say (none, or "not stated")."""
    text = (code or "").strip().upper()
    if text[:1] in prefixes:
        return True
    if text.startswith("W"):
        return False
    return None


def sentence_group(kind: SentenceKind) -> SampleType:
    """The sentence group of a sentence kind: licence, custody, or else community."""
    if kind is SentenceKind.LICENCE:
        return SampleType.LICENCE
    if kind is SentenceKind.CUSTODY:
        return SampleType.CUSTODY
    return SampleType.COMMUNITY


def case_types(
    case: Case, as_of: dt.date, *, bme_prefixes: frozenset[str] = DEFAULT_BME_PREFIXES
) -> frozenset[SampleType]:
    """The types ``case`` counts for on ``as_of`` (one sentence group, and any named types)."""
    found = {sentence_group(case.sentence.kind)}
    level = case.roh_level_on(as_of)
    if level is not None and level.at_least(RohLevel.HIGH):
        found.add(SampleType.HIGH_ROH)
    if case.is_ppo_on(as_of):
        found.add(SampleType.PPO)
    if any(stay.arrived_on <= as_of for stay in case.approved_premises):
        found.add(SampleType.APPROVED_PREMISES)
    if any(victim.statutory for victim in case.victims):
        found.add(SampleType.STATUTORY_VICTIM)
    if reads_as_bme(case.offender.ethnicity_code, bme_prefixes):
        found.add(SampleType.BME)
    return frozenset(found)


def _unknown_types(case: Case, as_of: dt.date, bme_prefixes: frozenset[str]) -> set[SampleType]:
    """Types the record cannot decide: no RoH level by as_of, no usable REM code."""
    unknown: set[SampleType] = set()
    if case.roh_level_on(as_of) is None:
        unknown.add(SampleType.HIGH_ROH)
    if reads_as_bme(case.offender.ethnicity_code, bme_prefixes) is None:
        unknown.add(SampleType.BME)
    return unknown


@attrs.frozen
class SampleFacts:
    """What the draw reads of one case on ``as_of`` (:func:`sample_facts`): whether it
    is eligible and, if it is, the types it counts for, the types its record cannot
    decide and its offender manager. A draw keeps these, not the cases."""

    reference: str
    ineligible: Ineligibility | None = None
    """Why the case cannot be sampled (``None``: it is eligible)."""
    types: frozenset[SampleType] = frozenset()
    """Every type an eligible case counts for (:func:`case_types`)."""
    unknown: frozenset[SampleType] = frozenset()
    """Types an eligible case's record cannot decide (no RoH level, no usable REM code)."""
    offender_manager: str | None = None
    """Staff id of an eligible case's offender manager on as_of, if recorded."""


def sample_facts(
    case: Case,
    as_of: dt.date,
    *,
    managed_months: tuple[int, int] = DEFAULT_MANAGED_MONTHS,
    managed_from: ManagedFrom = "start",
    bme_prefixes: Iterable[str] = DEFAULT_BME_PREFIXES,
) -> SampleFacts:
    """The facts of ``case`` the draw reads (:class:`SampleFacts`): its
    :func:`ineligibility` and, for an eligible case, its :func:`case_types`, the types
    its record cannot decide and its :func:`offender_manager`."""
    why = ineligibility(case, as_of, managed_months=managed_months, managed_from=managed_from)
    if why is not None:
        return SampleFacts(case.reference, why)
    prefixes = frozenset(prefix.upper() for prefix in bme_prefixes)
    return SampleFacts(
        case.reference,
        None,
        case_types(case, as_of, bme_prefixes=prefixes),
        frozenset(_unknown_types(case, as_of, prefixes)),
        offender_manager(case, as_of),
    )


# ---------------------------------------------------------------- result


@attrs.frozen
class SampledCase:
    """One case in the sample and how it got there."""

    reference: str
    origin: Origin
    """``random`` (the seeded draw) or ``minimum`` (added to meet a minimum)."""
    types: tuple[SampleType, ...]
    """Every type the case counts for."""
    added_for: SampleType | None = None
    """For a top-up, the minimum it was added to meet."""
    displaced: str | None = None
    """For a top-up made at the maximum size, the random case it replaced."""
    offender_manager: str | None = None
    """Staff id of the offender manager on as_of, if recorded."""
    step: int | None = None
    """For a top-up, its place in the order top-ups were made (1, 2, ...)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "origin": self.origin,
            "step": self.step,
            "types": [t.value for t in self.types],
            "added_for": self.added_for.value if self.added_for else None,
            "displaced": self.displaced,
            "offender_manager": self.offender_manager,
        }


@attrs.frozen
class Displacement:
    """A randomly drawn case taken out to make room for a top-up."""

    reference: str
    """The random case taken out."""
    by: str
    """The case added in its place."""
    minimum: SampleType
    """The minimum the added case meets."""
    because: Literal["max_size", "per_manager"] = "max_size"
    """Why a case had to go: the sample was at its maximum size, or the added case's
    offender manager was at the cap (the case taken out has the same offender manager)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "by": self.by,
            "minimum": self.minimum.value,
            "because": self.because,
        }


@attrs.frozen
class TypeComposition:
    """One type: the eligible population against the sample."""

    type: SampleType
    minimum: int
    """The minimum asked for (0: none)."""
    eligible: int
    """Eligible cases of the type."""
    unknown: int
    """Eligible cases whose record cannot say (no RoH level, no REM code)."""
    drawn_at_random: int
    """Cases of the type in the random draw, before top-ups."""
    added: int
    """Top-ups made to meet this type's minimum."""
    in_sample: int
    """Cases of the type in the final sample (top-ups for other types included)."""
    met: bool
    """Whether the sample holds at least the minimum."""

    def to_dict(self, eligible_total: int, sample_total: int) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "description": self.type.description,
            "minimum": self.minimum,
            "eligible": self.eligible,
            "eligible_share": _share(self.eligible, eligible_total),
            "unknown": self.unknown,
            "drawn_at_random": self.drawn_at_random,
            "added": self.added,
            "in_sample": self.in_sample,
            "sample_share": _share(self.in_sample, sample_total),
            "met": self.met,
        }


UnmetReason = Literal["population", "manager_cap", "size_cap"]


@attrs.frozen
class UnmetMinimum:
    """A minimum the sample does not meet, and why."""

    type: SampleType
    minimum: int
    achieved: int
    reason: UnmetReason
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "minimum": self.minimum,
            "achieved": self.achieved,
            "reason": self.reason,
            "explanation": self.explanation,
        }


def _share(part: int, whole: int) -> str | None:
    """A percentage rounded half up, as text ("12%"); ``None`` for an empty whole."""
    if whole == 0:
        return None
    return percent(Fraction(part, whole))


@attrs.frozen(repr=False)
class CaseSample:
    """A drawn case sample and every adjustment made to it (see the module notes)."""

    as_of: dt.date
    seed: int
    size: int
    max_size: int
    managed_months: tuple[int, int]
    managed_from: ManagedFrom
    minimums: Mapping[SampleType, int]
    per_manager: int | None
    stratify: bool
    population: int
    """Cases given."""
    ineligible: Mapping[str, int]
    """Cases left out, per :data:`Ineligibility` reason."""
    eligible: int
    """Eligible cases."""
    cases: tuple[Case, ...]
    """The sample, in reference order: write it with :func:`casework.dump_cases`. Empty
    for a sample drawn from facts (:func:`sample_from_facts`; :attr:`references` name its
    cases)."""
    entries: tuple[SampledCase, ...]
    """How each case in :attr:`cases` was chosen (same order)."""
    displaced: tuple[Displacement, ...]
    composition: tuple[TypeComposition, ...]
    unmet: tuple[UnmetMinimum, ...]
    notes: tuple[str, ...]
    """Anything else worth knowing (fewer eligible cases than asked for, cap skips)."""

    @property
    def references(self) -> tuple[str, ...]:
        """The references of the sampled cases, in reference order."""
        return tuple(entry.reference for entry in self.entries)

    @property
    def drawn_at_random(self) -> tuple[str, ...]:
        """Cases in the sample that came from the random draw."""
        return tuple(e.reference for e in self.entries if e.origin == "random")

    @property
    def added(self) -> tuple[SampledCase, ...]:
        """Cases added to meet a minimum, in the order they were added."""
        return tuple(
            sorted((e for e in self.entries if e.origin == "minimum"), key=lambda e: e.step or 0)
        )

    def save_cases(
        self, destination: str | os.PathLike[str] | IO[str], *, format: CaseFormat | None = None
    ) -> int:
        """Write the sampled cases as a case file (for ``casework score``); returns the count.

        The format comes from the suffix (``.json``, ``.jsonl``, ``.yaml``) unless given.
        ``ValueError`` for a sample drawn without its cases (:func:`sample_from_facts`).
        """
        from casework.io import dump_cases  # noqa: PLC0415 (the model: imported when used)

        if len(self.cases) != len(self.entries):
            raise ValueError(
                "this sample was drawn from the cases' facts, without the cases: pick the "
                "cases its references name from the caseload"
            )
        return dump_cases(self.cases, destination, format=format)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (docs/json.md, ``kind: "sample"``)."""
        total = len(self.entries)
        return {
            "kind": "sample",
            "as_of": self.as_of.isoformat(),
            "seed": self.seed,
            "size": self.size,
            "max_size": self.max_size,
            "managed_months": list(self.managed_months),
            "managed_from": self.managed_from,
            "minimums": {t.value: n for t, n in self.minimums.items()},
            "per_manager": self.per_manager,
            "stratify": self.stratify,
            "population": self.population,
            "ineligible": dict(self.ineligible),
            "eligible": self.eligible,
            "sampled": total,
            "drawn_at_random": len(self.drawn_at_random),
            "added": len(self.added),
            "cases": [entry.to_dict() for entry in self.entries],
            "displaced": [d.to_dict() for d in self.displaced],
            "composition": [c.to_dict(self.eligible, total) for c in self.composition],
            "unmet": [u.to_dict() for u in self.unmet],
            "notes": list(self.notes),
        }

    def __repr__(self) -> str:
        return (
            f"<CaseSample {len(self.entries)} of {self.eligible} eligible cases "
            f"(seed {self.seed}, {len(self.added)} added, {len(self.unmet)} minimums unmet)>"
        )


# ---------------------------------------------------------------- drawing


def _minimums(
    given: Mapping[SampleType, int] | Mapping[str, int] | None,
) -> dict[SampleType, int]:
    if given is None:
        return dict(DEFAULT_MINIMUMS)
    chosen: dict[SampleType, int] = {}
    for key, number in given.items():
        try:
            kind = SampleType(key)
        except ValueError:
            names = ", ".join(t.value for t in SampleType)
            raise ValueError(f"unknown sample type {key!r}; use one of {names}") from None
        if number < 0:
            raise ValueError(f"the minimum for {kind.value} must be 0 or more")
        chosen[kind] = int(number)
    return {t: chosen[t] for t in SampleType if chosen.get(t)}


def _check_options(
    size: int, max_size: int, managed_months: tuple[int, int], per_manager: int | None
) -> None:
    if size < 1:
        raise ValueError("the sample size must be at least 1")
    if max_size < size:
        raise ValueError(f"max_size ({max_size}) must be at least size ({size})")
    shortest, longest = managed_months
    if not 0 <= shortest <= longest:
        raise ValueError("managed_months must be (shortest, longest) with 0 <= shortest <= longest")
    if per_manager is not None and per_manager < 1:
        raise ValueError("the cap per offender manager must be at least 1")


def _largest_remainder(total: int, counts: Mapping[SampleType, int]) -> dict[SampleType, int]:
    """``total`` shared in proportion to ``counts`` (largest remainder, ties in type order)."""
    whole = sum(counts.values())
    quotas = {group: total * count // whole for group, count in counts.items()}
    rank = list(SampleType)
    order = sorted(counts, key=lambda g: (-((total * counts[g]) % whole), rank.index(g)))
    for group in order[: total - sum(quotas.values())]:
        quotas[group] += 1
    return quotas


@attrs.define
class _Draw:
    """The state of one draw: the eligible cases' facts, the sample so far, its adjustments."""

    types: Mapping[str, frozenset[SampleType]]
    managers: Mapping[str, str | None]
    per_manager: int | None
    max_size: int
    rng: random.Random
    targets: dict[SampleType, int] = attrs.field(factory=dict)
    chosen: dict[str, SampledCase] = attrs.field(factory=dict)
    type_counts: Counter[SampleType] = attrs.field(factory=Counter)
    manager_counts: Counter[str] = attrs.field(factory=Counter)
    displaced: list[Displacement] = attrs.field(factory=list)
    added: Counter[SampleType] = attrs.field(factory=Counter)

    def fits(self, reference: str) -> bool:
        """Whether the case's offender manager is under the cap."""
        manager = self.managers[reference]
        return (
            self.per_manager is None
            or manager is None
            or self.manager_counts[manager] < self.per_manager
        )

    def add(
        self, reference: str, added_for: SampleType | None = None, displaced: str | None = None
    ) -> None:
        self.chosen[reference] = SampledCase(
            reference=reference,
            origin="random" if added_for is None else "minimum",
            types=tuple(t for t in SampleType if t in self.types[reference]),
            added_for=added_for,
            displaced=displaced,
            offender_manager=self.managers[reference],
            step=None if added_for is None else sum(self.added.values()) + 1,
        )
        self.type_counts.update(self.types[reference])
        manager = self.managers[reference]
        if manager is not None:
            self.manager_counts[manager] += 1

    def remove(self, reference: str) -> None:
        del self.chosen[reference]
        self.type_counts.subtract(self.types[reference])
        manager = self.managers[reference]
        if manager is not None:
            self.manager_counts[manager] -= 1

    def spare(self) -> list[str]:
        """Random cases no minimum needs: each type they count for stays at or above target."""
        return [
            ref
            for ref in sorted(self.chosen)
            if self.chosen[ref].origin == "random"
            and all(
                self.type_counts[t] > self.targets[t] for t in self.types[ref] if t in self.targets
            )
        ]


def sample_cases(
    cases: Iterable[Case],
    *,
    as_of: dt.date,
    size: int = DEFAULT_SIZE,
    max_size: int | None = None,
    minimums: Mapping[SampleType, int] | Mapping[str, int] | None = None,
    seed: int = 0,
    managed_months: tuple[int, int] = DEFAULT_MANAGED_MONTHS,
    managed_from: ManagedFrom = "start",
    per_manager: int | None = None,
    stratify: bool = True,
    bme_prefixes: Iterable[str] = DEFAULT_BME_PREFIXES,
) -> CaseSample:
    """Draw an inspection's case sample from an area's caseload (004:951).

    The cases are read once, in any order (a generator will do): of each, its
    :class:`SampleFacts` are kept, and the case itself if it is eligible.
    :func:`sample_from_facts` draws from the facts alone (a caseload too large to hold).

    Args:
        cases: the caseload; references must be unique. Order does not matter.
        as_of: the date the sample is drawn on (eligibility and types are read then).
        size: cases drawn at random (default 110, the bottom of "110-120").
        max_size: the largest the sample may grow to with top-ups (default 120, or
            ``size`` when that is larger); past it each top-up displaces a random case.
        minimums: minimum cases per :class:`SampleType` (names or members); default
            :data:`DEFAULT_MINIMUMS`. Types left out have no minimum.
        seed: the seed; the same cases, options and seed give the same sample.
        managed_months: eligibility window, in whole calendar months managed by ``as_of``.
        managed_from: ``"start"`` or ``"allocation"`` (see :data:`ManagedFrom`).
        per_manager: at most this many cases per offender manager (``None``: no cap).
        stratify: draw in proportion to the eligible community orders, licences and
            custody cases (``False``: one simple random draw).
        bme_prefixes: REM code letters read as black and minority ethnic.

    Raises:
        ValueError: a bad option, or two cases sharing a reference.
    """
    from casework._checked import checked_day, each_case  # noqa: PLC0415

    as_of = checked_day(as_of)
    window = (int(managed_months[0]), int(managed_months[1]))
    prefixes = frozenset(p.upper() for p in bme_prefixes)
    kept: dict[str, Case] = {}

    def facts() -> Iterator[SampleFacts]:
        seen: set[str] = set()
        for case in each_case(cases, "an iterable of casework.Case"):
            if case.reference in seen:
                raise ValueError(f"case reference {case.reference!r} is used by more than one case")
            seen.add(case.reference)
            found = sample_facts(
                case, as_of, managed_months=window, managed_from=managed_from, bme_prefixes=prefixes
            )
            if found.ineligible is None:
                kept[case.reference] = case
            yield found

    drawn = sample_from_facts(
        facts(),
        as_of=as_of,
        size=size,
        max_size=max_size,
        minimums=minimums,
        seed=seed,
        managed_months=window,
        managed_from=managed_from,
        per_manager=per_manager,
        stratify=stratify,
    )
    return attrs.evolve(drawn, cases=tuple(kept[entry.reference] for entry in drawn.entries))


def sample_from_facts(
    facts: Iterable[SampleFacts],
    *,
    as_of: dt.date,
    size: int = DEFAULT_SIZE,
    max_size: int | None = None,
    minimums: Mapping[SampleType, int] | Mapping[str, int] | None = None,
    seed: int = 0,
    managed_months: tuple[int, int] = DEFAULT_MANAGED_MONTHS,
    managed_from: ManagedFrom = "start",
    per_manager: int | None = None,
    stratify: bool = True,
) -> CaseSample:
    """:func:`sample_cases` from the facts of a caseload, one :class:`SampleFacts` per
    case (:func:`sample_facts` of each, or
    :func:`casework.columnar.sampling.chunk_sample_facts` of each chunk of a file), read
    as of ``as_of`` with these ``managed_months`` and ``managed_from``, which the sample
    records. The same facts, options and seed give the sample :func:`sample_cases` gives
    of the cases, without them: its :attr:`~CaseSample.cases` are empty and its
    :attr:`~CaseSample.references` name the cases drawn. Memory holds the eligible cases'
    facts and a count of the others.

    Raises:
        ValueError: a bad option, or two eligible cases sharing a reference.
    """
    chosen_max = max_size if max_size is not None else max(size, DEFAULT_MAX_SIZE)
    window = (int(managed_months[0]), int(managed_months[1]))
    _check_options(size, chosen_max, window, per_manager)
    wanted = _minimums(minimums)

    read = 0
    ineligible: Counter[str] = Counter()
    eligible: list[SampleFacts] = []
    shared: dict[frozenset[SampleType], frozenset[SampleType]] = {}  # (each set held once)
    for found in facts:
        read += 1
        if found.ineligible is not None:
            ineligible[found.ineligible] += 1
            continue
        eligible.append(
            attrs.evolve(
                found,
                types=shared.setdefault(found.types, found.types),
                unknown=shared.setdefault(found.unknown, found.unknown),
            )
        )
    eligible.sort(key=lambda found: found.reference)
    references = [found.reference for found in eligible]
    for before, after in itertools.pairwise(references):
        if before == after:
            raise ValueError(f"case reference {before!r} is used by more than one case")
    draw = _Draw(
        types={found.reference: found.types for found in eligible},
        managers={found.reference: found.offender_manager for found in eligible},
        per_manager=per_manager,
        max_size=chosen_max,
        rng=random.Random(seed),
    )
    population: Counter[SampleType] = Counter()
    unknown: Counter[SampleType] = Counter()
    for found in eligible:
        population.update(found.types)
        unknown.update(found.unknown)

    order = list(references)
    draw.rng.shuffle(order)
    skipped = _random_draw(draw, order, size, stratify)
    random_counts = Counter(draw.type_counts)
    draw.targets = {t: min(n, population[t]) for t, n in wanted.items()}
    unmet: list[UnmetMinimum] = []
    for kind, minimum in wanted.items():
        problem = _top_up(draw, kind, references)
        achieved = draw.type_counts[kind]
        if achieved < minimum:
            reason, explanation = problem or (
                "population",
                f"only {population[kind]} eligible cases are of this type; all are in the sample",
            )
            unmet.append(UnmetMinimum(kind, minimum, achieved, reason, explanation))

    return CaseSample(
        as_of=as_of,
        seed=seed,
        size=size,
        max_size=chosen_max,
        managed_months=window,
        managed_from=managed_from,
        minimums=MappingProxyType(wanted),
        per_manager=per_manager,
        stratify=stratify,
        population=read,
        ineligible=MappingProxyType(dict(sorted(ineligible.items()))),
        eligible=len(eligible),
        cases=(),
        entries=tuple(draw.chosen[ref] for ref in sorted(draw.chosen)),
        displaced=tuple(draw.displaced),
        composition=tuple(
            TypeComposition(
                type=kind,
                minimum=wanted.get(kind, 0),
                eligible=population[kind],
                unknown=unknown[kind],
                drawn_at_random=random_counts[kind],
                added=draw.added[kind],
                in_sample=draw.type_counts[kind],
                met=draw.type_counts[kind] >= wanted.get(kind, 0),
            )
            for kind in SampleType
        ),
        unmet=tuple(unmet),
        notes=_notes(draw, size, len(eligible), skipped),
    )


def _notes(draw: _Draw, size: int, eligible: int, skipped: int) -> tuple[str, ...]:
    notes: list[str] = []
    if eligible < size:
        notes.append(
            f"Only {eligible} cases are eligible, fewer than the {size} asked for: "
            "every eligible case was drawn."
        )
    if skipped:
        notes.append(
            f"{skipped} cases drawn at random were passed over because their offender manager "
            f"already had {plural(draw.per_manager or 0, 'case')} in the sample."
        )
    drawn_cases = sum(1 for entry in draw.chosen.values() if entry.origin == "random") + len(
        draw.displaced
    )
    if drawn_cases < min(size, eligible):
        notes.append(
            f"The random draw holds {drawn_cases} cases, fewer than the {size} asked for, "
            "because of the cap per offender manager."
        )
    total = sum(draw.targets.values())
    if total > draw.max_size:
        notes.append(
            f"The minimums add up to {total} cases, more than the maximum size of "
            f"{draw.max_size}: only cases counting for several types can meet them all."
        )
    return tuple(notes)


def _random_draw(draw: _Draw, order: Sequence[str], size: int, stratify: bool) -> int:
    """Take ``size`` cases in ``order`` (a seeded shuffle), within sentence groups in
    proportion when ``stratify``; returns how many were passed over for the cap."""
    skipped: set[str] = set()

    def take(candidates: Iterable[str], wanted: int) -> None:
        taken = 0
        for reference in candidates:
            if taken >= wanted:
                return
            if reference in draw.chosen:
                continue
            if not draw.fits(reference):
                skipped.add(reference)
                continue
            draw.add(reference)
            taken += 1

    if stratify and len(order) > size:
        groups = Counter(_group_of(draw.types[ref]) for ref in order)
        quotas = _largest_remainder(size, groups)
        for group in SENTENCE_GROUPS:
            if quotas.get(group):
                take((ref for ref in order if group in draw.types[ref]), quotas[group])
    take(order, size - len(draw.chosen))
    return len(skipped - set(draw.chosen))


def _group_of(found: frozenset[SampleType]) -> SampleType:
    return next(group for group in SENTENCE_GROUPS if group in found)


def _top_up(
    draw: _Draw, kind: SampleType, eligible: Sequence[str]
) -> tuple[UnmetReason, str] | None:
    """Add cases of ``kind`` (from the ``eligible`` references, in reference order) until
    its target is met; why it cannot be, if so.

    A case whose offender manager is at the cap can still come in by displacing a random
    case of the same offender manager that no minimum needs.
    """
    while draw.type_counts[kind] < draw.targets[kind]:
        outside = [ref for ref in eligible if kind in draw.types[ref] and ref not in draw.chosen]
        spare = draw.spare()
        swappable = {draw.managers[ref] for ref in spare}
        candidates = [ref for ref in outside if draw.fits(ref) or draw.managers[ref] in swappable]
        if not candidates:
            return (
                "manager_cap",
                f"the other {len(outside)} eligible cases of this type are with offender "
                f"managers who already have {plural(draw.per_manager or 0, 'case')} in the "
                "sample, each of them needed for a minimum or added to meet one",
            )
        pick = draw.rng.choice(candidates)
        out: str | None = None
        because: Literal["max_size", "per_manager"] = "max_size"
        if not draw.fits(pick):
            because = "per_manager"
            out = draw.rng.choice(
                [ref for ref in spare if draw.managers[ref] == draw.managers[pick]]
            )
        elif len(draw.chosen) >= draw.max_size:
            if not spare:
                return (
                    "size_cap",
                    f"the sample is at its maximum size ({draw.max_size}) and every case drawn "
                    "at random is needed for another minimum",
                )
            out = draw.rng.choice(spare)
        if out is not None:
            draw.remove(out)
            draw.displaced.append(Displacement(out, pick, kind, because))
        draw.add(pick, added_for=kind, displaced=out)
        draw.added[kind] += 1
    return None
