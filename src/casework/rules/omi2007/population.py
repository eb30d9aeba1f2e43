"""Who each inspection question applies to: the "relevant cases" of 004:998.

A question's population is decided from the case record where the record
holds the fact (sentence kind, RoH level, MAPPA, PPO, approved premises,
statutory victims, requirements, transfers, recalls...). Where the report's
base is narrower than any recorded fact ("relevant cases (69)", "where
appropriate"), the population is the widest the facts support and the
inspector answers ``not_applicable`` for cases outside it
(omi-2007-criteria.md §1.3 A1; docs/omi-2007.md#relevant-cases).

RoH level is read as at the inspection's ``as_of`` (the level the inspector
finds on file), falling back to the first record when every record is later.
"""

from __future__ import annotations

from collections.abc import Callable

from casework.model import (
    Answer,
    Case,
    DiversityNeed,
    EventKind,
    InterventionKind,
    LicenceConditionKind,
    RequirementKind,
    RiskGroup,
    RohLevel,
    SentenceKind,
)
from casework.model.risk import RohRecord
from casework.rules.engine import EVERY_CASE, Context, MissingFactError, Population
from casework.rules.population import (
    COMMUNITY_SENTENCE,
    CUSTODY,
    HAS_BREACH,
    HAS_MAPPA,
    HAS_PSR,
    IN_COMMUNITY,
    LICENCE,
    PPO_AT_START,
    TRANSFERRED_IN,
    no_roh_level,
    tiers_at_start,
)

__all__ = [
    "ACCREDITED_PROGRAMME",
    "ACTIVITY_IN_PRISON",
    "ADDITIONAL_LICENCE_CONDITIONS",
    "AP_RESIDENT",
    "AREA_LEVEL",
    "BREACH",
    "CHILD_SAFEGUARDING",
    "COMMUNITY_ORDER",
    "COMMUNITY_OR_CUSTODY",
    "COMMUNITY_OR_LICENCE",
    "CURFEW_OR_EXCLUSION",
    "CUSTODIAL",
    "CUSTODIAL_SELF_HARM",
    "CUSTODY",
    "CUSTODY_MOVED",
    "DISABILITY",
    "DRR",
    "EVERY_CASE",
    "FULL_ANALYSIS",
    "HIGH_ROH",
    "HIGH_ROH_NOT_IN_AP",
    "HIGH_ROH_TRANSFER",
    "IN_COMMUNITY",
    "IN_COMMUNITY_NOT_UPW_ONLY",
    "LICENCE",
    "LITERACY",
    "MAPPA",
    "MEDIUM_ROH",
    "PPO",
    "PPO_DRUGS_ON_LICENCE",
    "PPO_PSR",
    "PSR",
    "PSR_PROPOSING_COMMUNITY",
    "RECALLED",
    "RESCORED",
    "RMP",
    "ROH_CHANGE",
    "ROH_RECALL",
    "SCREENED",
    "SELF_HARM",
    "SFL_NEED",
    "SIGNIFICANT_CHANGE",
    "STATUTORY_VICTIM",
    "THREE_OR_MORE_OMS",
    "TRANSFERRED_IN",
    "UNPAID_WORK",
    "VICTIM_CONTACTED",
    "VICTIM_SAFETY",
    "answered",
    "risk_to",
    "roh_at_least",
    "roh_now",
    "tiers_at_start",
]

_COMMUNITY_KINDS = frozenset({SentenceKind.COMMUNITY_ORDER, SentenceKind.SUSPENDED_SENTENCE_ORDER})


def _fact(description: str, test: Callable[[Case], bool]) -> Population:
    return Population(description, lambda case, _ctx: test(case))


def _latest_roh(case: Case, ctx: Context) -> RohRecord:
    record = case.roh_on(ctx.as_of)
    if record is None:
        if not case.roh:
            raise MissingFactError(no_roh_level(ctx))
        record = min(case.roh, key=lambda rec: rec.on)
    return record


def roh_now(case: Case, ctx: Context) -> RohLevel:
    """The RoH level on file at ``as_of`` (see module notes); ``MissingFactError`` if none."""
    return _latest_roh(case, ctx).level


def roh_at_least(level: RohLevel, description: str) -> Population:
    """Cases whose RoH level on file at ``as_of`` is ``level`` or higher."""
    return Population(
        description,
        lambda case, ctx: roh_now(case, ctx).at_least(level),
        form=("roh_at_least", level),
        missing=no_roh_level,
    )


def risk_to(group: RiskGroup) -> Population:
    """Cases whose RoH classification on file assesses a risk to ``group`` (004:375, 004:518)."""
    words = group.value.replace("_", " ")
    return Population(
        f"cases where a risk to {words} is assessed",
        lambda case, ctx: group in _latest_roh(case, ctx).risk_to,
        form=("risk_to", group),
        missing=no_roh_level,
    )


def answered(question_id: str, *answers: Answer) -> Population:
    """Cases where another question was answered one of ``answers`` (A1: "of these").

    Combine it with the other question's population (``PSR & answered("1.1.f",
    Answer.YES)``): where that question is answerable but unanswered, this one
    is undecidable (``cannot_assess``).
    """
    wanted = frozenset(answers)
    words = " or ".join(answer.value.replace("_", " ") for answer in answers)

    def unanswered(_ctx: Context) -> str:
        return (
            f"whether the question applies depends on question {question_id}, which is not answered"
        )

    def test(case: Case, ctx: Context) -> bool:
        answer = case.judgements.answers.get(question_id)
        if answer is None:
            raise MissingFactError(unanswered(ctx))
        return answer in wanted

    return Population(
        f"cases where question {question_id} was answered {words}",
        test,
        form=("answered", question_id, wanted),
        missing=unanswered,
    )


def _ap_resident(case: Case) -> bool:
    return bool(case.approved_premises)


# ---------------------------------------------------------------- sentence

PSR = HAS_PSR.named("cases with a pre-sentence report")
PSR_PROPOSING_COMMUNITY = _fact(
    "pre-sentence reports proposing a community sentence",
    lambda case: case.psr is not None and case.psr.proposal in _COMMUNITY_KINDS,
)
PPO = PPO_AT_START.named("PPO cases")
PPO_PSR = (HAS_PSR & PPO_AT_START).named("pre-sentence reports on PPOs")
COMMUNITY_ORDER = COMMUNITY_SENTENCE
CUSTODIAL = _fact(
    "custodial sentences (in custody or released on licence)",
    lambda case: case.sentence.kind in {SentenceKind.CUSTODY, SentenceKind.LICENCE},
)
COMMUNITY_OR_CUSTODY = (COMMUNITY_SENTENCE | CUSTODY).named("community orders and custody cases")
COMMUNITY_OR_LICENCE = (COMMUNITY_SENTENCE | LICENCE).named("community orders and licence cases")
UNPAID_WORK = _fact(
    "cases with an unpaid work requirement",
    lambda case: case.sentence.has_requirement(RequirementKind.UNPAID_WORK),
)
_UPW_ONLY = _fact(
    "unpaid-work-only orders",
    lambda case: (
        bool(case.sentence.requirements)
        and all(req.kind is RequirementKind.UNPAID_WORK for req in case.sentence.requirements)
    ),
)
IN_COMMUNITY_NOT_UPW_ONLY = (IN_COMMUNITY & ~_UPW_ONLY).named(
    "cases in the community except unpaid-work-only orders"
)
DRR = _fact(
    "cases with a drug rehabilitation requirement",
    lambda case: (
        case.sentence.has_requirement(RequirementKind.DRUG_REHABILITATION)
        or case.sentence.has_requirement(RequirementKind.DTTO)
    ),
)
ACCREDITED_PROGRAMME = _fact(
    "cases with an accredited programme",
    lambda case: (
        case.sentence.has_requirement(RequirementKind.ACCREDITED_PROGRAMME)
        or any(i.kind is InterventionKind.ACCREDITED_PROGRAMME for i in case.interventions)
    ),
)
_RESTRICTIVE_CONDITIONS = frozenset(
    {
        LicenceConditionKind.CURFEW,
        LicenceConditionKind.EXCLUSION_ZONE,
        LicenceConditionKind.ELECTRONIC_MONITORING,
    }
)
CURFEW_OR_EXCLUSION = _fact(
    "cases with a curfew or exclusion requirement or licence condition",
    lambda case: (
        case.sentence.has_requirement(RequirementKind.CURFEW)
        or case.sentence.has_requirement(RequirementKind.EXCLUSION)
        or any(c.kind in _RESTRICTIVE_CONDITIONS for c in case.sentence.licence_conditions)
    ),
)
ADDITIONAL_LICENCE_CONDITIONS = _fact(
    "cases with additional licence requirements",
    lambda case: case.sentence.has_additional_licence_conditions,
)
_DRUG_MISUSE = _fact("drug misuse", lambda case: case.offender.drug_misuse)
PPO_DRUGS_ON_LICENCE = (PPO_AT_START & LICENCE & _DRUG_MISUSE).named(
    "PPOs with drug issues released on licence"
)
BREACH = HAS_BREACH.named("cases where breach action was required")

# ---------------------------------------------------------------- risk

HIGH_ROH = roh_at_least(RohLevel.HIGH, "high or very high RoH cases")
MEDIUM_ROH = roh_at_least(RohLevel.MEDIUM, "medium, high or very high RoH cases")
AP_RESIDENT = _fact("approved premises residents", _ap_resident)
HIGH_ROH_NOT_IN_AP = (HIGH_ROH & ~AP_RESIDENT).named(
    "high or very high RoH cases not resident in approved premises"
)
MAPPA = HAS_MAPPA
CHILD_SAFEGUARDING = _fact(
    "cases with child safeguarding concerns", lambda case: case.child_safeguarding_concern
)
SELF_HARM = _fact("cases with a risk of self-harm", lambda case: case.offender.self_harm_risk)
CUSTODIAL_SELF_HARM = (CUSTODIAL & SELF_HARM).named("custodial cases with a risk of self-harm")
SCREENED = _fact(
    "cases with a completed RoH screening",
    lambda case: any(a.screening and a.screening.completed_on for a in case.assessments),
)
FULL_ANALYSIS = _fact(
    "cases with a full RoH analysis",
    lambda case: any(a.full_analysis and a.full_analysis.completed_on for a in case.assessments),
)
RMP = _fact(
    "cases with a risk management plan",
    lambda case: any(a.rmp and a.rmp.completed_on for a in case.assessments),
)
SIGNIFICANT_CHANGE = _fact(
    "cases with a significant change or incident",
    lambda case: any(
        e.kind in {EventKind.SIGNIFICANT_CHANGE, EventKind.SIGNIFICANT_INCIDENT}
        for e in case.events
    ),
)
ROH_CHANGE = _fact("cases with a change in RoH or acute factors", lambda case: bool(case.events))
ROH_RECALL = _fact(
    "cases recalled for RoH reasons", lambda case: any(r.roh_related for r in case.recalls)
)
RECALLED = _fact("recalled cases", lambda case: bool(case.recalls))
HIGH_ROH_TRANSFER = (TRANSFERRED_IN & HIGH_ROH).named("high or very high RoH transfers in")
CUSTODY_MOVED = _fact(
    "custodial cases moved while in custody", lambda case: bool(case.custody_moves)
)
ACTIVITY_IN_PRISON = _fact(
    "cases with activity undertaken in prison",
    lambda case: any(i.in_custody for i in case.interventions),
)

# ---------------------------------------------------------------- victims

STATUTORY_VICTIM = _fact(
    "statutory victim contact cases", lambda case: any(v.statutory for v in case.victims)
)
VICTIM_CONTACTED = _fact(
    "victim contact cases where contact took place",
    lambda case: any(v.statutory and (v.contacted_on or v.face_to_face_on) for v in case.victims),
)
VICTIM_SAFETY = _fact(
    "cases with a direct or potential victim, restrictive conditions or child safeguarding "
    "concerns",
    lambda case: (
        bool(case.victims)
        or case.child_safeguarding_concern
        or case.sentence.has_additional_licence_conditions
        or any(i.kind is InterventionKind.RESTRICTIVE for i in case.interventions)
    ),
)

# ---------------------------------------------------------------- needs and outcomes

SFL_NEED = _fact(
    "cases with an identified skills-for-life need",
    lambda case: case.offender.skills_for_life_need is True,
)
LITERACY = _fact(
    "cases with literacy or dyslexia issues",
    lambda case: bool(
        {DiversityNeed.LITERACY, DiversityNeed.DYSLEXIA} & set(case.offender.diversity_needs)
    ),
)
DISABILITY = _fact(
    "cases with disability issues",
    lambda case: (
        DiversityNeed.DISABILITY in case.offender.diversity_needs
        or bool(case.offender.disabilities)
    ),
)
RESCORED = _fact(
    "cases where OASys was rescored", lambda case: case.outcomes.oasys_rescored is True
)


def om_count(case: Case) -> int:
    """How many different offender managers the case has had (004:690)."""
    return len({assignment.staff for assignment in case.om_assignments})


THREE_OR_MORE_OMS = _fact(
    "cases with three or more offender managers", lambda case: om_count(case) >= 3
)
AREA_LEVEL = Population(
    "no case: an area-level finding, not asked of cases", lambda _case, _ctx: False
)
