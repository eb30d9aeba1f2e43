"""Section 3, Achievement and monitoring of outcomes: criteria 3.1 and 3.2 (004:648-702).

One entry per item the report prints (omi-2007-criteria.md §2), in reading
order; see :mod:`casework.rules.omi2007.section1` for the conventions.
Section 3 items are never in the RoH thread (004:1002: "sections 1 and 2").
"""

from __future__ import annotations

from casework.model import Case
from casework.rules.omi2007.population import (
    CHILD_SAFEGUARDING,
    IN_COMMUNITY,
    MAPPA,
    PPO,
    RESCORED,
    THREE_OR_MORE_OMS,
    UNPAID_WORK,
    om_count,
    tiers_at_start,
)
from casework.rules.omi2007.question import Question, area, descriptive, judged

__all__ = ["QUESTIONS"]

_INSPECTOR = "Relevance beyond the recorded facts is the inspector's: answer not_applicable."
_ALL_CASES = "'Of all cases': the whole sample, 106 cases (004:366; decision:omi-catalogue-gaps)."
_OUTCOME = "outcome"
_PURPOSES = "3.1.sentencing-purposes"
_FACTORS = "3.1.priority-factors"
_RESOURCES = "3.1.resources"


def _reconvicted_or_cautioned(case: Case) -> bool:
    return case.outcomes.reconvicted_on is not None or case.outcomes.cautioned_on is not None


QUESTIONS_3_1: tuple[Question, ...] = (
    descriptive(
        "3.1.a",
        "Was there an increase in restrictive interventions in response to behaviour?",
        656,
        count=16,
        notes="Printed as a count of 16 cases, with no base.",
    ),
    descriptive(
        "3.1.b",
        "Did interventions result in the offender moving to a higher tier?",
        656,
        count=4,
        notes="Printed as a count of four cases, with no base.",
    ),
    descriptive(
        "3.1.c",
        "Child safeguarding concern: were children put on the Child Protection Register?",
        656,
        CHILD_SAFEGUARDING,
        rate="7/22",
    ),
    descriptive(
        "3.1.d",
        "Has the offender been convicted or cautioned since sentence?",
        657,
        fact=_reconvicted_or_cautioned,
        notes="Printed as 22% convicted and 2% cautioned; 'yes' is the bad outcome.",
    ),
    judged(
        "3.1.e",
        "MAPPA case: did behaviour lead to a reduction in MAPPA level?",
        658,
        MAPPA,
        kind=_OUTCOME,
        rate="5/18",
    ),
    judged(
        "3.1.f",
        "Unpaid work: was there some demonstrable benefit to the community?",
        659,
        UNPAID_WORK,
        kind=_OUTCOME,
        rate="25/29",
    ),
    judged(
        "3.1.g",
        "Was punishment, as a sentencing objective, achieved?",
        660,
        kind=_OUTCOME,
        rate="87%",
        base=106,
        notes=_ALL_CASES,
        group=_PURPOSES,
    ),
    judged(
        "3.1.h",
        "Were the resources allocated consistent with the likelihood of reoffending?",
        661,
        rate="84%",
        group=_RESOURCES,
    ),
    judged(
        "3.1.i",
        "Were resources used efficiently to achieve the planned outcomes?",
        661,
        rate="73%",
    ),
    judged(
        "3.1.j",
        "Did the offender comply with the requirements of the sentence?",
        665,
        IN_COMMUNITY,
        kind=_OUTCOME,
        rate="57%",
        base=101,
    ),
    judged(
        "3.1.k",
        "Were the resources allocated consistent with the offender's RoH?",
        666,
        rate="77%",
        group=_RESOURCES,
        roh_note="RoH thread: no. RoH-themed (004:173) but in section 3, which the thread "
        "excludes (004:1002).",
    ),
    judged(
        "3.1.l",
        "PPO case: were the resources consistent with PPO status?",
        666,
        PPO,
        rate="15/21",
        group=_RESOURCES,
    ),
    judged(
        "3.1.m",
        "Tier 2 to 4: was 'help', as a sentencing objective, achieved?",
        667,
        tiers_at_start(2, 3, 4),
        kind=_OUTCOME,
        rate="56%",
        base=93,
        group=_PURPOSES,
    ),
    judged(
        "3.1.n",
        "Tier 3 or 4: was 'change', as a sentencing objective, achieved?",
        667,
        tiers_at_start(3, 4),
        kind=_OUTCOME,
        rate="34%",
        base=83,
        group=_PURPOSES,
    ),
    judged(
        "3.1.o",
        "Tier 4: was 'control', as a sentencing objective, achieved?",
        667,
        tiers_at_start(4),
        kind=_OUTCOME,
        rate="71%",
        base=34,
        group=_PURPOSES,
    ),
    judged(
        "3.1.p",
        "Was there demonstrable change in attitudes or behaviour?",
        668,
        kind=_OUTCOME,
        rate="52%",
        base=103,
        notes=_INSPECTOR,
    ),
    judged(
        "3.1.q",
        "Did the offender demonstrate increased victim awareness?",
        668,
        kind=_OUTCOME,
        rate="32%",
        base=85,
        notes=_INSPECTOR,
    ),
    judged(
        "3.1.r",
        "Was there demonstrable benefit to the community from the sentence?",
        669,
        kind=_OUTCOME,
        rate="50%",
        base=106,
        notes="'In 50% of cases overall': " + _ALL_CASES,
    ),
    judged(
        "3.1.s",
        "Was there a reduction in the seriousness of offending?",
        669,
        kind=_OUTCOME,
        rate="3%",
    ),
    judged(
        "3.1.t",
        "Was there a reduction in the frequency of offending?",
        669,
        kind=_OUTCOME,
        rate="19%",
    ),
    judged(
        "3.1.u",
        "Was there a reduced threat to actual and potential victims?",
        669,
        kind=_OUTCOME,
        rate="19%",
    ),
    descriptive(
        "3.1.v",
        "Was OASys rescored?",
        671,
        rate="65%",
        fact=lambda case: case.outcomes.oasys_rescored,
    ),
    judged(
        "3.1.w",
        "OASys rescored: did the score improve on the initial score?",
        671,
        RESCORED,
        kind=_OUTCOME,
        rate="57%",
    ),
    judged(
        "3.1.x",
        "Did the first-priority criminogenic factor improve?",
        671,
        kind=_OUTCOME,
        rate="42%",
        group=_FACTORS,
    ),
    judged(
        "3.1.y",
        "Did the second-priority criminogenic factor improve?",
        671,
        kind=_OUTCOME,
        rate="48%",
        group=_FACTORS,
    ),
    judged(
        "3.1.z",
        "Did the third-priority criminogenic factor improve?",
        671,
        kind=_OUTCOME,
        rate="44%",
        group=_FACTORS,
    ),
    judged(
        "3.1.aa",
        "Is there evidence that learning outcomes were achieved or skills applied?",
        672,
        kind=_OUTCOME,
        rate="58%",
    ),
    area(
        "3.1.ab",
        "Skills-for-life awards achieved in the area (2006/2007).",
        673,
        kind="descriptive",
        rate="35%",
        notes="'Area-wide the overall achievement of awards was only 35% in 2006/2007': an "
        "area figure, not a proportion of the case sample.",
    ),
)

QUESTIONS_3_2: tuple[Question, ...] = (
    judged(
        "3.2.a",
        "Did the offender manager ensure sufficient action to consolidate learning and reinforce "
        "new skills?",
        688,
        rate="60%",
    ),
    area(
        "3.2.g",
        "Were offender employability targets met?",
        688,
        kind=_OUTCOME,
        notes="'Well met in most divisions, and there was good achievement of employability "
        "skills': a finding about the area's targets, not a case.",
    ),
    judged(
        "3.2.b",
        "Was full attention given to long-term community integration issues?",
        689,
        rate="67%",
        base=92,
        notes=_INSPECTOR,
    ),
    judged(
        "3.2.c",
        "Was the offender aware of community organisations that would help address criminogenic "
        "needs?",
        689,
        rate="76%",
        base=92,
        notes=_INSPECTOR,
    ),
    descriptive(
        "3.2.d",
        "Did the case have three or more offender managers?",
        690,
        rate="24/106",
        fact=lambda case: om_count(case) >= 3 if case.om_assignments else None,
    ),
    judged(
        "3.2.e",
        "Change of offender manager: was progress sustained (no detrimental effect)?",
        690,
        THREE_OR_MORE_OMS,
        rate="15/24",
    ),
    judged(
        "3.2.f",
        "Was structured sentence planning given a high priority throughout?",
        694,
        rate="51%",
    ),
)

QUESTIONS: tuple[Question, ...] = (*QUESTIONS_3_1, *QUESTIONS_3_2)
