"""Seeded, deterministic synthetic case samples, shaped like real ones. All synthetic.

>>> from casework.testing.synthetic import generate_cases
>>> cases = generate_cases("omi-2007", seed=1, size=12)
>>> len(cases), cases[0].reference
(12, 'OMI-001')

A :class:`SampleProfile` says how many cases of each kind a sample holds
(sentence kinds, tiers, RoH levels, PPO, MAPPA, approved premises, statutory
victims, pre-sentence reports, breaches, transfers...) and whether
inspector judgements are recorded. :func:`generate_records` builds the case
records as plain data (ready for a case file); :func:`generate_cases`
validates them into :class:`~casework.Case` objects. The same profile, seed
and size always give the same records.

Profiles:

``omi-2007``
    106 cases shaped like the Devon & Cornwall OMI sample (004:951; the
    counts of omi-2007-criteria.md §4.4), with inspector answers for every
    judged question: the number of relevant cases and of cases above the
    line follow the report's printed base and yes-rate for each question
    (scaled to the sample size), and each criterion's summary judgements
    follow its published score.
``caseload``
    the same facts without judgements: a caseload for National Standards
    and target checks.

Facts that decide a computed question (PSR delivery, OASys for PPOs,
breaches, victim contact) are generated to match that question's printed
rate. Nothing here is a real person or a real case.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from casework.calendar import WorkingCalendar, add_months
from casework.model import Answer, Case, Judgements
from casework.rules.engine import Context, MissingFactError, Outcome, verdict_for
from casework.rules.omi2007 import QUESTIONS, SCORED_CRITERIA
from casework.rules.omi2007.question import Answering
from casework.rules.registry import ruleset
from casework.text import round_half_up

__all__ = [
    "PROFILES",
    "SampleProfile",
    "generate_cases",
    "generate_records",
    "omi_sample_inspection",
    "profile",
]


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _frozen_tiers(mapping: Mapping[int, int]) -> Mapping[int, int]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class SampleProfile:
    """What a synthetic sample holds, as counts for a sample of ``size`` cases."""

    name: str
    description: str
    size: int
    as_of: dt.date
    area: str
    kinds: Mapping[str, int] = attrs.field(converter=_frozen)
    """Cases per sentence kind (``community_order``, ``licence``, ``custody``)."""
    roh: Mapping[str, int] = attrs.field(converter=_frozen)
    """Cases per RoH level; the rest are low."""
    tiers: Mapping[int, int] = attrs.field(converter=_frozen_tiers)
    """Cases per tier."""
    counts: Mapping[str, int] = attrs.field(converter=_frozen)
    """Cases with each feature (see :data:`FEATURES`)."""
    judgements: bool = False
    """Whether inspector answers and summary judgements are recorded."""
    summary_rates: Mapping[str, Fraction] = attrs.field(factory=dict, converter=_frozen)
    """Per criterion, the share of cases whose summary judgement is yes."""
    default_rate: Fraction = Fraction(2, 3)
    """Yes-rate for a judged question the report prints no figure for (synthetic)."""

    def scaled(self, count: int, size: int) -> int:
        """A count of this profile's sample, scaled to a sample of ``size`` (half-up)."""
        if size == self.size:
            return count
        return int(round_half_up(Fraction(count * size, self.size)))


#: Features a profile counts, and the source of the count in the OMI report (004).
FEATURES: Mapping[str, str] = MappingProxyType(
    {
        "psr": "61 PSRs (004:343)",
        "psr_proposing_community": "54 proposals of a community sentence (004:343)",
        "psr_followed": "83% of the 54 proposals followed by the court (004:343)",
        "ppo_psr": "14 PSRs on PPOs (004:346)",
        "ppo": "21 PPO cases (004:401)",
        "mappa": "18 MAPPA cases (004:367)",
        "approved_premises": "9 approved premises residents (004:600)",
        "statutory_victim": "20 statutory victim contact cases (004:535)",
        "victim_contacted": "11 cases where contact took place (004:535)",
        "child_safeguarding": "22 cases with child safeguarding concerns (004:382)",
        "self_harm": "17 cases with a risk of self-harm (004:352)",
        "unpaid_work": "29 unpaid work requirements (004:562)",
        "accredited_programme": "36 accredited programme cases (004:596)",
        "drr": "10 DRR cases (004:589)",
        "curfew_exclusion": "15 exclusion or curfew cases (004:558)",
        "additional_licence_conditions": "29 cases with additional licence requirements (004:618)",
        "transfer_in": "6 transfers in (004:496)",
        "roh_recall": "9 recalls for RoH reasons (004:510)",
        "custody_move": "5 custodial cases moved in custody (004:481)",
        "three_oms": "24 cases with three or more offender managers (004:690)",
        "breach": "40 cases where breach action was required (004:560)",
        "sfl_need": "53 cases with an identified skills-for-life need (004:598)",
        "significant_change": "42 cases with a significant change (004:515)",
        "screened": "90 RoH screenings (004:365)",
        "full_analysis": "80 full RoH analyses (004:375)",
        "rmp": "64 risk management plans (004:369)",
        "literacy": "42 cases with literacy or dyslexia issues (004:636)",
        "disability": "11 cases with disability issues (004:637)",
        "activity_in_prison": "28 cases with activity in prison (004:487)",
        "risk_to_children": "34 cases with an RoH to children (004:518)",
        "risk_to_public": "68 cases with an RoH to the public (004:518)",
        "risk_to_known_adult": "48 cases with an RoH to known adults (004:518)",
        "risk_to_staff": "24 cases with an RoH to staff (004:518)",
        "risk_to_prisoners": "2 custodial cases with an RoH to prisoners (004:518)",
        "oasys_rescored": "OASys rescored in 65% of cases (004:671)",
        "reconvicted": "22% convicted since sentence (004:657)",
        "cautioned": "2% cautioned since sentence (004:657)",
        "psr_on_time": "93% of PSRs within the timescale (004:344)",
        "ppo_oasys_on_time": "15 of 21 PPO OASys within five working days (004:401)",
        "breach_action_on_time": "35 of 40 breaches actioned in time (004:560)",
        "breach_resolved_on_time": "28 of 40 breaches resolved within 25 days (004:560)",
        "victim_contact_on_time": "15 of 20 victims contacted or offered contact in time (004:535)",
        "transfer_in_high_roh": "3 of the 6 transfers high or very high RoH (004:496)",
        "transfer_appointment_on_time": "3 of 6 first appointments within 5 working days (004:496)",
        "transfer_home_visit_on_time": "2 of 6 home visits within 10 working days (004:496)",
        "transfer_rmp_on_time": "1 of 3 RMPs reviewed within 5 working days (004:496)",
        "pre_release_review": "RoH reviewed for release in 2 of 4 custodial cases (004:516)",
        "first_roh_review_on_time": "70% of community cases reviewed within 4 months (004:515)",
    }
)

_OMI_COUNTS = {
    "psr": 61,
    "psr_proposing_community": 54,
    "psr_followed": 45,
    "ppo_psr": 14,
    "ppo": 21,
    "mappa": 18,
    "approved_premises": 9,
    "statutory_victim": 20,
    "victim_contacted": 11,
    "child_safeguarding": 22,
    "self_harm": 17,
    "unpaid_work": 29,
    "accredited_programme": 36,
    "drr": 10,
    "curfew_exclusion": 15,
    "additional_licence_conditions": 29,
    "transfer_in": 6,
    "roh_recall": 9,
    "custody_move": 5,
    "three_oms": 24,
    "breach": 40,
    "sfl_need": 53,
    "significant_change": 42,
    "screened": 90,
    "full_analysis": 80,
    "rmp": 64,
    "literacy": 42,
    "disability": 11,
    "activity_in_prison": 28,
    "risk_to_children": 34,
    "risk_to_public": 68,
    "risk_to_known_adult": 48,
    "risk_to_staff": 24,
    "risk_to_prisoners": 2,
    "oasys_rescored": 69,
    "reconvicted": 23,
    "cautioned": 2,
    "psr_on_time": 57,
    "ppo_oasys_on_time": 15,
    "breach_action_on_time": 35,
    "breach_resolved_on_time": 28,
    "victim_contact_on_time": 15,
    "transfer_in_high_roh": 3,
    "transfer_appointment_on_time": 3,
    "transfer_home_visit_on_time": 2,
    "transfer_rmp_on_time": 1,
    "pre_release_review": 23,
    "first_roh_review_on_time": 39,
}

#: Summary yes-rates (per cent) that, with the printed rates of the reported questions, give
#: each criterion its published score: omi-2007-criteria.md §1.4 ("Summary p implied by
#: 0.8*mean + 0.2*p = score", derived), clamped to 0-100 where no rate can (1.1, 2.7).
_SUMMARY_RATES = {
    "1.1": 100,  # implied 103.5: published 76 (004:356) is out of reach
    "1.2": 12,  # published 62 (004:384)
    "1.3": 59,  # 69 (004:404)
    "1.4": 72,  # 75 (004:429)
    "1.5": 58,  # 62 (004:466)
    "2.1": 48,  # 53 (004:500)
    "2.2": 50,  # 54 (004:525)
    "2.3": 67,  # 68 (004:547)
    "2.4": 81,  # 77 (004:576)
    "2.5": 83,  # 66 (004:604)
    "2.6": 84,  # 81 (004:627)
    "2.7": 0,  # implied -26.8: published 61 (004:646) is out of reach
    "3.1": 81,  # 58 (004:677)
    "3.2": 62,  # 63 (004:702)
}

_OMI = SampleProfile(
    name="omi-2007",
    description="Shaped like the Devon & Cornwall OMI sample of 106 cases (004:366, §4.4)",
    size=106,
    as_of=dt.date(2007, 10, 15),
    area="Example Area (synthetic)",
    # 101 in the community (004:665) of which 45 licences (004:571); 5 in custody (004:597)
    kinds={"community_order": 56, "licence": 45, "custody": 5},
    # 15 high or very high (004:366); 24 medium or above (004:453)
    roh={"very_high": 3, "high": 12, "medium": 9},
    # Tier bases of 004:667: Tier 4 = 34, Tier 3-4 = 83, Tier 2-4 = 93
    tiers={4: 34, 3: 49, 2: 10, 1: 13},
    counts=_OMI_COUNTS,
    judgements=True,
    summary_rates={c: Fraction(rate, 100) for c, rate in _SUMMARY_RATES.items()},
)

PROFILES: Mapping[str, SampleProfile] = MappingProxyType(
    {
        "omi-2007": _OMI,
        "caseload": attrs.evolve(
            _OMI,
            name="caseload",
            description="The omi-2007 sample's facts without inspector judgements",
            judgements=False,
            summary_rates={},
        ),
    }
)


def profile(name: str) -> SampleProfile:
    """The profile called ``name``."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"no sample profile {name!r}; known: {', '.join(PROFILES)}") from None


# ---------------------------------------------------------------- generation


_CALENDAR = WorkingCalendar.england_and_wales()


def _iso(day: dt.date) -> str:
    return day.isoformat()


@attrs.define
class _Draft:
    """One case as it is built: its facts, then its answers."""

    index: int
    kind: str
    record: dict[str, Any]
    flags: set[str] = attrs.Factory(set)
    roh: str = "low"
    tier: int = 1

    @property
    def start(self) -> dt.date:
        sentence = self.record["sentence"]
        return dt.date.fromisoformat(sentence.get("released_on") or sentence["sentenced_on"])

    @property
    def sentenced(self) -> dt.date:
        return dt.date.fromisoformat(self.record["sentence"]["sentenced_on"])


class _Builder:
    def __init__(self, chosen: SampleProfile, seed: int, size: int) -> None:
        self.profile = chosen
        self.seed = seed
        self.size = size

    def rng(self, *parts: object) -> random.Random:
        """A random stream per purpose, so one change never reshuffles the rest."""
        return random.Random(":".join(str(p) for p in (self.profile.name, self.seed, *parts)))

    def count(self, feature: str) -> int:
        return self.profile.scaled(self.profile.counts.get(feature, 0), self.size)

    def pick(
        self,
        drafts: Sequence[_Draft],
        feature: str,
        eligible: Callable[[_Draft], bool] = lambda _d: True,
        prefer: Callable[[_Draft], bool] = lambda _d: False,
        count: int | None = None,
    ) -> list[_Draft]:
        """Choose ``count`` (default: the feature's count) eligible drafts, preferred first."""
        wanted = self.count(feature) if count is None else count
        pool = [d for d in drafts if eligible(d)]
        self.rng("pick", feature).shuffle(pool)
        pool.sort(key=lambda d: not prefer(d))
        chosen = pool[:wanted]
        for draft in chosen:
            draft.flags.add(feature)
        return chosen


def _split(total: int, shares: Mapping[Any, int], size: int, base: int) -> list[Any]:
    """Labels for ``total`` items in proportion to ``shares`` (counts of a sample of ``base``).

    Largest remainder: each label gets its scaled count rounded down, then the
    items left go to the largest remainders (ties in the order given), so the
    labels always number ``total`` (or the scaled sum, if ``shares`` cover less).
    """
    exact = {label: Fraction(share * size, base) for label, share in shares.items()}
    counts = {label: int(value) for label, value in exact.items()}
    wanted = min(total, int(round_half_up(sum(exact.values(), Fraction(0)))))
    by_remainder = sorted(exact, key=lambda label: exact[label] - counts[label], reverse=True)
    for label in by_remainder[: max(wanted - sum(counts.values()), 0)]:
        counts[label] += 1
    labels = [label for label, count in counts.items() for _ in range(count)]
    return labels[:total]


def generate_records(
    profile_name: str | SampleProfile = "omi-2007", *, seed: int = 0, size: int | None = None
) -> list[dict[str, Any]]:
    """Synthetic case records (plain, JSON-ready data) for a profile.

    Args:
        profile_name: a profile name (see :data:`PROFILES`) or a profile.
        seed: the seed; the same seed always gives the same records.
        size: the number of cases; counts are scaled from the profile's size.
    """
    chosen = profile(profile_name) if isinstance(profile_name, str) else profile_name
    total = chosen.size if size is None else size
    if total < 1:
        raise ValueError("a sample needs at least one case")
    builder = _Builder(chosen, seed, total)
    drafts = _sentences(builder)
    _risk(builder, drafts)
    _supervision(builder, drafts)
    _timeliness(builder, drafts)
    if chosen.judgements:
        _judgements(builder, drafts)
    return [draft.record for draft in drafts]


def generate_cases(
    profile_name: str | SampleProfile = "omi-2007", *, seed: int = 0, size: int | None = None
) -> tuple[Case, ...]:
    """The records of :func:`generate_records`, validated into cases."""
    return tuple(
        Case.model_validate(record)
        for record in generate_records(profile_name, seed=seed, size=size)
    )


def omi_sample_inspection(
    profile_name: str | SampleProfile = "omi-2007",
) -> dict[str, Any]:
    """An inspection file for a profile's sample: fieldwork week, as_of, section 4 grades.

    The grades are the ones the report records (Table 1, 004:194-199); the
    area is synthetic.
    """
    chosen = profile(profile_name) if isinstance(profile_name, str) else profile_name
    start = chosen.as_of
    grades = {
        "4.1": "well_met",
        "4.2": "well_met",
        "4.3": "satisfactorily_met",
        "4.4": "partly_met",
        "4.5": "satisfactorily_met",
        "4.6": "satisfactorily_met",
    }
    return {
        "area": chosen.area,
        "ruleset": "omi-2007",
        "fieldwork": {"start": _iso(start), "end": _iso(start + dt.timedelta(days=4))},
        "as_of": _iso(start),
        "section4": [{"criterion": c, "grade": g} for c, g in grades.items()],
    }


# ---------------------------------------------------------------- facts


def _sentences(builder: _Builder) -> list[_Draft]:
    chosen, total = builder.profile, builder.size
    kinds = _split(total, chosen.kinds, total, chosen.size)
    builder.rng("kinds").shuffle(kinds)
    drafts: list[_Draft] = []
    for index, kind in enumerate(kinds, start=1):
        rng = builder.rng("sentence", index)
        as_of = chosen.as_of
        sentence: dict[str, Any] = {"kind": kind}
        if kind == "licence":
            released = as_of - dt.timedelta(days=rng.randint(100, 220))
            months = rng.choice([12, 18, 24, 30, 36, 48])
            sentence |= {
                "sentenced_on": _iso(add_months(released, -months // 2)),
                "released_on": _iso(released),
                "custodial_months": months,
            }
        elif kind == "custody":
            sentence |= {
                "sentenced_on": _iso(as_of - dt.timedelta(days=rng.randint(120, 260))),
                "custodial_months": rng.choice([24, 36, 48, 60]),
            }
        else:
            sentence["sentenced_on"] = _iso(as_of - dt.timedelta(days=rng.randint(140, 220)))
        record: dict[str, Any] = {
            "reference": f"OMI-{index:03d}",
            "as_of": _iso(as_of),
            "area": chosen.area,
            "offender": {"sex": "female" if rng.random() < 0.1 else "male"},
            "sentence": sentence,
        }
        drafts.append(_Draft(index, kind, record))
    return drafts


def _risk(builder: _Builder, drafts: list[_Draft]) -> None:
    chosen = builder.profile
    custodial = {"licence", "custody"}
    levels = _split(builder.size, chosen.roh, builder.size, chosen.size)
    ranked = list(drafts)
    builder.rng("roh").shuffle(ranked)
    ranked.sort(key=lambda d: d.kind not in custodial)
    for draft, level in zip(ranked, levels, strict=False):
        draft.roh = level
    tiers = _split(builder.size, chosen.tiers, builder.size, chosen.size)
    order = {"very_high": 0, "high": 1, "medium": 2, "low": 3}
    by_risk = sorted(drafts, key=lambda d: (order[d.roh], builder.rng("tier", d.index).random()))
    for draft, tier in zip(by_risk, sorted(tiers, reverse=True), strict=True):
        draft.tier = tier
    high = {"high", "very_high"}
    builder.pick(drafts, "mappa", prefer=lambda d: d.roh in high or d.roh == "medium")
    builder.pick(drafts, "ppo", prefer=lambda d: d.kind == "licence")
    builder.pick(drafts, "child_safeguarding")
    builder.pick(drafts, "self_harm", prefer=lambda d: d.kind in custodial)
    builder.pick(drafts, "screened", prefer=lambda d: "ppo" in d.flags or d.roh != "low")
    builder.pick(
        drafts,
        "full_analysis",
        eligible=lambda d: "screened" in d.flags,
        prefer=lambda d: d.roh != "low",
    )
    builder.pick(
        drafts,
        "rmp",
        eligible=lambda d: "full_analysis" in d.flags,
        prefer=lambda d: d.roh != "low",
    )
    for group in ("children", "public", "known_adult", "staff"):
        builder.pick(drafts, f"risk_to_{group}", prefer=lambda d: "full_analysis" in d.flags)
    builder.pick(drafts, "risk_to_prisoners", eligible=lambda d: d.kind in custodial)
    builder.pick(drafts, "significant_change")
    for draft in drafts:
        start = draft.start
        record = draft.record
        record["tiers"] = [{"tier": draft.tier, "on": _iso(start)}]
        risk_to = {
            group: draft.roh if group != "staff" else "medium"
            for group in ("children", "public", "known_adult", "staff", "prisoners")
            if f"risk_to_{group}" in draft.flags
        }
        roh_on = _CALENDAR.add_working_days(start, 3)
        record["roh"] = [{"level": draft.roh, "on": _iso(roh_on), "risk_to": risk_to}]
        if "mappa" in draft.flags:
            level = 2 if draft.roh in high else 1
            record["mappa"] = {"category": 2, "levels": [{"level": level, "on": _iso(roh_on)}]}
        record["child_safeguarding_concern"] = "child_safeguarding" in draft.flags
        if "ppo" in draft.flags:
            record["offender"]["ppo"] = [{"start": _iso(start - dt.timedelta(days=200))}]
        record["offender"]["self_harm_risk"] = "self_harm" in draft.flags
        if "significant_change" in draft.flags:
            rng = builder.rng("event", draft.index)
            on = start + dt.timedelta(days=rng.randint(30, 90))
            kind = rng.choice(["significant_change", "acute_risk_factor", "significant_incident"])
            record["events"] = [{"on": _iso(on), "kind": kind}]


def _supervision(builder: _Builder, drafts: list[_Draft]) -> None:
    custodial = {"licence", "custody"}
    community = [d for d in drafts if d.kind == "community_order"]
    licences = [d for d in drafts if d.kind == "licence"]
    proposing = _psrs(builder, drafts)
    builder.pick(community, "unpaid_work")
    builder.pick(community, "drr", prefer=lambda d: "unpaid_work" not in d.flags)
    builder.pick(community, "curfew_exclusion")
    builder.pick(
        drafts,
        "accredited_programme",
        eligible=lambda d: d.kind != "custody",
        prefer=lambda d: d.tier >= 3,
    )
    builder.pick(licences, "additional_licence_conditions", prefer=lambda d: d.roh != "low")
    builder.pick(licences, "approved_premises", prefer=lambda d: d.roh != "low")
    builder.pick(licences, "roh_recall", prefer=lambda d: d.roh != "low")
    builder.pick(
        drafts,
        "statutory_victim",
        eligible=lambda d: d.kind in custodial,
        prefer=lambda d: d.roh != "low",
    )
    victims = [d for d in drafts if "statutory_victim" in d.flags]
    builder.pick(victims, "victim_contacted")
    high_transfers = builder.pick(
        drafts,
        "transfer_in_high_roh",
        eligible=lambda d: d.kind != "custody" and d.roh in {"high", "very_high"},
    )
    builder.pick(
        drafts,
        "transfer_in",
        eligible=lambda d: d.kind != "custody" and d.roh not in {"high", "very_high"},
        count=max(builder.count("transfer_in") - len(high_transfers), 0),
    )
    for draft in high_transfers:
        draft.flags.add("transfer_in")
    builder.pick(drafts, "custody_move", eligible=lambda d: d.kind in custodial)
    builder.pick(drafts, "activity_in_prison", eligible=lambda d: d.kind in custodial)
    builder.pick(drafts, "three_oms")
    builder.pick(drafts, "breach", eligible=lambda d: d.kind != "custody")
    builder.pick(drafts, "sfl_need")
    builder.pick(drafts, "literacy", prefer=lambda d: "sfl_need" in d.flags)
    builder.pick(drafts, "disability")
    builder.pick(drafts, "oasys_rescored")
    builder.pick(drafts, "reconvicted", eligible=lambda d: d.kind != "custody")
    builder.pick(drafts, "cautioned", eligible=lambda d: "reconvicted" not in d.flags)
    for draft in drafts:
        _supervision_facts(builder, draft, draft.index in proposing)


def _psrs(builder: _Builder, drafts: list[_Draft]) -> set[int]:
    """Who has a PSR, and whose PSR proposed a community sentence (004:343-346).

    PSRs on PPOs first; the court followed a community proposal (the case is
    a community order) in the printed share, the rest went to custody.
    """
    on_ppos = builder.pick([d for d in drafts if "ppo" in d.flags], "ppo_psr")
    others = builder.pick(
        [d for d in drafts if "ppo" not in d.flags],
        "psr",
        prefer=lambda d: d.kind == "community_order",
        count=max(builder.count("psr") - len(on_ppos), 0),
    )
    reports = on_ppos + others
    followed = builder.pick([d for d in reports if d.kind == "community_order"], "psr_followed")
    not_followed = builder.pick(
        [d for d in reports if d.kind != "community_order"],
        "psr_proposing_community",
        count=max(builder.count("psr_proposing_community") - len(followed), 0),
    )
    for draft in reports:
        draft.flags.add("psr")
    return {d.index for d in followed + not_followed}


def _supervision_facts(builder: _Builder, draft: _Draft, proposing: bool) -> None:
    rng = builder.rng("supervision", draft.index)
    _offender_facts(draft, rng)
    if "psr" in draft.flags:
        _psr(draft, rng, proposing)
    _sentence_facts(draft, rng)
    _events(builder, draft, rng)


def _offender_facts(draft: _Draft, rng: random.Random) -> None:
    flags = draft.flags
    offender = draft.record["offender"]
    offender["ethnicity_code"] = rng.choice(["W1", "W1", "W1", "W2", "W9", "M1", "B1", "A1"])
    offender["drug_misuse"] = "ppo" in flags or rng.random() < 0.3
    offender["skills_for_life_need"] = "sfl_need" in flags
    needs = []
    if "literacy" in flags:
        needs.append(rng.choice(["literacy", "dyslexia"]))
    if "disability" in flags:
        needs.append("disability")
    offender["diversity_needs"] = needs


def _psr(draft: _Draft, rng: random.Random, proposing: bool) -> None:
    requested = draft.sentenced - dt.timedelta(days=rng.randint(15, 25))
    due = draft.sentenced - dt.timedelta(days=2)
    kind = "fast_delivery" if rng.random() < 0.3 else "standard_delivery"
    proposal = "community_order" if proposing else "custody"
    draft.record["psr"] = {
        "kind": kind,
        "requested_on": _iso(requested),
        "due_on": _iso(due),
        "delivered_on": _iso(due),
        "proposal": proposal,
    }


def _sentence_facts(draft: _Draft, rng: random.Random) -> None:
    flags = draft.flags
    sentence = draft.record["sentence"]
    if draft.kind == "community_order":
        requirements: list[dict[str, Any]] = [{"kind": "supervision", "months": 12}]
        if "unpaid_work" in flags:
            requirements.append({"kind": "unpaid_work", "hours": rng.choice([60, 100, 160, 200])})
            if rng.random() < 0.5:
                requirements = requirements[1:]  # an unpaid-work-only order
        if "drr" in flags:
            requirements.append({"kind": "drug_rehabilitation", "months": 6})
        if "accredited_programme" in flags:
            requirements.append({"kind": "accredited_programme", "programme": "asro"})
        if "curfew_exclusion" in flags:
            requirements.append({"kind": "curfew", "months": 3, "electronic_monitoring": True})
        sentence["requirements"] = requirements
    if draft.kind == "licence":
        conditions: list[dict[str, Any]] = [{"kind": "standard"}]
        if "additional_licence_conditions" in flags:
            extra = rng.choice(["exclusion_zone", "non_contact", "residence", "drug_testing"])
            conditions.append({"kind": extra, "additional": True})
        sentence["licence_conditions"] = conditions
    if draft.kind != "community_order":
        sentence["offence_category"] = (
            rng.choice(["serious_sexual", "serious_violent"])
            if "statutory_victim" in flags
            else "other"
        )


def _events(builder: _Builder, draft: _Draft, rng: random.Random) -> None:
    record, flags, start = draft.record, draft.flags, draft.start
    interventions: list[dict[str, Any]] = []
    if "accredited_programme" in flags and draft.kind == "licence":
        interventions.append(
            {"kind": "accredited_programme", "started_on": _iso(start + dt.timedelta(days=40))}
        )
    if "activity_in_prison" in flags:
        interventions.append(
            {
                "kind": "constructive",
                "in_custody": True,
                "started_on": _iso(draft.sentenced + dt.timedelta(days=20)),
            }
        )
    record["interventions"] = interventions
    if "approved_premises" in flags:
        record["approved_premises"] = [
            {"referred_on": _iso(start - dt.timedelta(days=30)), "arrived_on": _iso(start)}
        ]
    if "roh_recall" in flags:
        record["recalls"] = [
            {"on": _iso(start + dt.timedelta(days=rng.randint(40, 90))), "roh_related": True}
        ]
    if "custody_move" in flags:
        moved = draft.sentenced + dt.timedelta(days=rng.randint(20, 60))
        record["custody_moves"] = [
            {"on": _iso(moved), "om_notified_on": _iso(moved + dt.timedelta(days=3))}
        ]
    staff = 3 if "three_oms" in flags else rng.choice([1, 1, 2])
    step = (builder.profile.as_of - start).days // (staff + 1)
    record["om_assignments"] = [
        {
            "staff": f"S{draft.index:03d}-{n + 1}",
            "role": "po",
            "start": _iso(start + dt.timedelta(days=step * n)),
        }
        for n in range(staff)
    ]
    outcomes: dict[str, Any] = {"oasys_rescored": "oasys_rescored" in flags}
    if "reconvicted" in flags:
        outcomes["reconvicted_on"] = _iso(start + dt.timedelta(days=rng.randint(30, 90)))
    if "cautioned" in flags:
        outcomes["cautioned_on"] = _iso(start + dt.timedelta(days=rng.randint(30, 90)))
    record["outcomes"] = outcomes


def _timeliness(builder: _Builder, drafts: list[_Draft]) -> None:
    """Dates that decide the computed questions, in the printed proportions."""
    builder.pick([d for d in drafts if "psr" in d.flags], "psr_on_time")
    builder.pick([d for d in drafts if "ppo" in d.flags], "ppo_oasys_on_time")
    breaches = [d for d in drafts if "breach" in d.flags]
    builder.pick(breaches, "breach_action_on_time")
    builder.pick(breaches, "breach_resolved_on_time")
    victims = [d for d in drafts if "statutory_victim" in d.flags]
    builder.pick(victims, "victim_contact_on_time", prefer=lambda d: "victim_contacted" in d.flags)
    transfers = [d for d in drafts if "transfer_in" in d.flags]
    builder.pick(transfers, "transfer_appointment_on_time")
    builder.pick(transfers, "transfer_home_visit_on_time")
    builder.pick(
        [d for d in transfers if "transfer_in_high_roh" in d.flags], "transfer_rmp_on_time"
    )
    licences = [d for d in drafts if d.kind == "licence"]
    builder.pick(
        licences,
        "pre_release_review",
        eligible=lambda d: "ppo" not in d.flags or "ppo_oasys_on_time" in d.flags,
    )
    builder.pick([d for d in drafts if d.kind == "community_order"], "first_roh_review_on_time")
    for draft in drafts:
        rng = builder.rng("timeliness", draft.index)
        _psr_timing(draft)
        _assessment(draft, rng)
        _reviews(builder, draft, rng)
        if "breach" in draft.flags:
            _breach(draft, rng, builder.profile.as_of)
        if "statutory_victim" in draft.flags:
            _victim(draft, rng)
        if "transfer_in" in draft.flags:
            _transfer(draft, rng)


def _breach(draft: _Draft, rng: random.Random, as_of: dt.date) -> None:
    """A failure to comply 21-60 days after the start, actioned and resolved by ``as_of``.

    A failure so late that its resolution would fall after ``as_of`` is moved earlier,
    a day at a time, until the resolution is on or before ``as_of``.
    """
    failed = draft.start + dt.timedelta(days=rng.randint(21, 60))
    action_days = rng.randint(2, 10) if "breach_action_on_time" in draft.flags else 13
    resolution_days = rng.randint(15, 25) if "breach_resolved_on_time" in draft.flags else 32
    while _CALENDAR.add_working_days(failed, resolution_days) > as_of:
        failed -= dt.timedelta(days=1)
    action = _CALENDAR.add_working_days(failed, action_days)
    resolved = _CALENDAR.add_working_days(failed, resolution_days)
    draft.record["breaches"] = [
        {
            "failed_on": _iso(failed),
            "action_on": _iso(action),
            "resolved_on": _iso(resolved),
            "resolution": "order_continued",
        }
    ]


def _victim(draft: _Draft, rng: random.Random) -> None:
    on_time = "victim_contact_on_time" in draft.flags
    offered = _CALENDAR.add_working_days(
        draft.sentenced, rng.randint(10, 38) if on_time else rng.randint(45, 60)
    )
    victim: dict[str, Any] = {"id": "V1", "statutory": True}
    if "victim_contacted" in draft.flags:
        victim["contacted_on"] = _iso(offered)
        victim["face_to_face_on"] = _iso(offered)
    else:
        victim["contact_offered_on"] = _iso(offered)
    draft.record["victims"] = [victim]


def _transfer(draft: _Draft, rng: random.Random) -> None:
    """A transfer in 20 days after the start (004:496): appointment, home visit, RMP review."""
    flags = draft.flags
    notified = draft.start + dt.timedelta(days=20)
    appointment = rng.randint(2, 5) if "transfer_appointment_on_time" in flags else 8
    contact = _CALENDAR.add_working_days(notified, appointment)
    visit = rng.randint(5, 10) if "transfer_home_visit_on_time" in flags else 15
    draft.record["transfer_in"] = {
        "notified_on": _iso(notified),
        "oasys_complete_and_current": rng.random() < 0.5,
        "first_appointment_on": _iso(contact),
        "first_contact_on": _iso(contact),
        "home_visit_on": _iso(_CALENDAR.add_working_days(notified, visit)),
    }
    if "transfer_in_high_roh" in flags:
        days = 3 if "transfer_rmp_on_time" in flags else 9
        reviewed = _CALENDAR.add_working_days(contact, days)
        draft.record["assessments"].append(
            {"id": "T1", "purpose": "transfer", "rmp": {"completed_on": _iso(reviewed)}}
        )


def _review(assessment_id: str, on: dt.date, reviews: str | None) -> dict[str, Any]:
    review: dict[str, Any] = {
        "id": assessment_id,
        "purpose": "review",
        "trigger": "scheduled",
        "screening": {"completed_on": _iso(on), "full_analysis_required": False},
    }
    if reviews is not None:
        review["reviews"] = reviews
    return review


def _reviews(builder: _Builder, draft: _Draft, rng: random.Random) -> None:
    """RoH reviews (004:515-516): first within four months, then every four months."""
    as_of = builder.profile.as_of
    assessments = draft.record["assessments"]
    long_custody = draft.kind == "licence" and draft.record["sentence"]["custodial_months"] >= 24
    if long_custody and rng.random() < 2 / 3:
        # in custody for a year or more: reviewed within 12 months of sentence in 2 of 3
        assessments.insert(0, _review("C1", add_months(draft.sentenced, 10), None))
    start = draft.start
    if draft.kind == "community_order":
        on_time = "first_roh_review_on_time" in draft.flags
        first = start + dt.timedelta(days=rng.randint(60, 115) if on_time else 140)
    elif draft.kind == "licence":
        first = start + dt.timedelta(days=rng.randint(60, 115) if rng.random() < 1 / 3 else 135)
    else:
        return
    if first > as_of:
        return
    assessments.append(_review("R1", first, "A1"))
    second = add_months(first, 4) - dt.timedelta(days=rng.randint(0, 10))
    if second <= as_of and rng.random() < Fraction(11, 19):
        assessments.append(_review("R2", second, "R1"))


def _psr_timing(draft: _Draft) -> None:
    psr = draft.record.get("psr")
    if psr is None or "psr_on_time" in draft.flags:
        return
    due = dt.date.fromisoformat(psr["due_on"])
    psr["delivered_on"] = _iso(due + dt.timedelta(days=1))


def _assessment(draft: _Draft, rng: random.Random) -> None:
    start = draft.start
    on_time = "ppo" not in draft.flags or "ppo_oasys_on_time" in draft.flags
    done = _CALENDAR.add_working_days(start, rng.randint(1, 5) if on_time else rng.randint(7, 12))
    if "pre_release_review" in draft.flags:
        done = start - dt.timedelta(days=rng.randint(1, 10))  # reviewed in preparation
    assessment: dict[str, Any] = {
        "id": "A1",
        "purpose": "release" if draft.kind == "licence" else "start",
        "completed_on": _iso(done),
        "sentence_plan": {"kind": "initial", "completed_on": _iso(done)},
        "ogrs2": rng.randint(10, 90),
    }
    if "screened" in draft.flags:
        assessment["screening"] = {
            "completed_on": _iso(done),
            "full_analysis_required": "full_analysis" in draft.flags,
        }
    if "full_analysis" in draft.flags:
        assessment["full_analysis"] = {"completed_on": _iso(done)}
    if "rmp" in draft.flags:
        assessment["rmp"] = {"completed_on": _iso(done)}
    draft.record["assessments"] = [assessment]


# ---------------------------------------------------------------- judgements


def _judgements(builder: _Builder, drafts: list[_Draft]) -> None:
    """Inspector answers, question by question, in the printed proportions."""
    omi = ruleset("omi-2007")
    ctx = Context(
        as_of=builder.profile.as_of,
        calendar=_CALENDAR,
        parameters=omi.parameters,
        ruleset=omi.name,
    )
    cases = [Case.model_validate(draft.record) for draft in drafts]
    answers: list[dict[str, Answer]] = [{} for _ in drafts]
    for question in QUESTIONS:
        if question.answering is Answering.AREA:
            continue
        rule = omi.rule(question.id)
        applicable = []
        for index, case in enumerate(cases):
            view = case.model_copy(
                update={"judgements": Judgements.model_construct(answers=answers[index])}
            )
            if question.fact is not None and question.fact(view) is not None:
                continue
            if question.answering is Answering.COMPUTED:
                # the inspector answers only where the facts cannot decide
                if verdict_for(view, rule, ctx).outcome is Outcome.CANNOT_ASSESS:
                    applicable.append(index)
                continue
            try:
                if question.applies_to(view, ctx):
                    applicable.append(index)
            except MissingFactError:
                continue
        rng = builder.rng("question", question.id)
        rng.shuffle(applicable)
        relevant = applicable
        if question.reported_base is not None:
            wanted = builder.profile.scaled(question.reported_base, builder.size)
            relevant = applicable[: max(wanted, 0)] if wanted < len(applicable) else applicable
        for index in applicable[len(relevant) :]:
            answers[index][question.id] = Answer.NOT_APPLICABLE
        rate = question.reported_rate
        rate = builder.profile.default_rate if rate is None else rate
        above = int(round_half_up(rate * len(relevant)))
        below = Answer.NOT_EVIDENCED if question.id == "1.4.g" else Answer.NO
        for position, index in enumerate(relevant):
            answers[index][question.id] = Answer.YES if position < above else below
    summaries: list[dict[str, Answer]] = [{} for _ in drafts]
    for crit in SCORED_CRITERIA:
        rate = builder.profile.summary_rates.get(crit.id, builder.profile.default_rate)
        order = list(range(len(drafts)))
        builder.rng("summary", crit.id).shuffle(order)
        above = int(round_half_up(rate * len(order)))
        for position, index in enumerate(order):
            summaries[index][crit.id] = Answer.YES if position < above else Answer.NO
    for draft, given, overall in zip(drafts, answers, summaries, strict=True):
        draft.record["judgements"] = {
            "answers": {qid: answer.value for qid, answer in given.items()},
            "summaries": {cid: answer.value for cid, answer in overall.items()},
        }
