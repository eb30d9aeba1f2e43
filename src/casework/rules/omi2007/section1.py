"""Section 1, Assessment and sentence planning: criteria 1.1 to 1.5 (004:333-466).

One entry per item the report prints (omi-2007-criteria.md §2), in reading
order. ``rate`` is the yes-rate printed (or 100 minus a printed "did not"
rate), ``base`` the relevant cases printed. Items the reference tags "?" for
the RoH thread carry the reading taken in ``roh_note``.
"""

from __future__ import annotations

from casework.model import Answer, Case, RiskGroup, SentenceKind
from casework.rules.engine import Population
from casework.rules.omi2007.computed import computation, standards_rule
from casework.rules.omi2007.population import (
    ACCREDITED_PROGRAMME,
    CHILD_SAFEGUARDING,
    COMMUNITY_OR_CUSTODY,
    COMMUNITY_OR_LICENCE,
    COMMUNITY_ORDER,
    CUSTODIAL,
    CUSTODIAL_SELF_HARM,
    FULL_ANALYSIS,
    HIGH_ROH,
    LICENCE,
    MAPPA,
    MEDIUM_ROH,
    PPO,
    PPO_PSR,
    PSR,
    PSR_PROPOSING_COMMUNITY,
    RMP,
    SCREENED,
    SELF_HARM,
    SFL_NEED,
    UNPAID_WORK,
    answered,
    risk_to,
    tiers_at_start,
)
from casework.rules.omi2007.question import Question, area, computed, descriptive, judged

__all__ = ["QUESTIONS"]

_COMMUNITY = frozenset({SentenceKind.COMMUNITY_ORDER, SentenceKind.SUSPENDED_SENTENCE_ORDER})
_INSPECTOR = "Relevance beyond the recorded facts is the inspector's: answer not_applicable."
_ALL_CASES = "'Of all cases': the whole sample, 106 cases (004:366; decision:omi-catalogue-gaps)."

#: 1.2.z counts the cases 1.2.w asks about: the population of the rule computing 1.2.w.
_NEEDS_RELEASE_RMP = Population(
    "licence cases needing a risk management plan (the cases of NS07.rmp-before-release)",
    lambda case, ctx: standards_rule("NS07.rmp-before-release").applies_to(case, ctx),
)


QUESTIONS_1_1: tuple[Question, ...] = (
    judged(
        "1.1.a",
        "Did the PSR take account of the seriousness level indicated by the court?",
        343,
        PSR,
        rate="87%",
        notes="Relevant: PSRs where the court indicated a seriousness level. " + _INSPECTOR,
    ),
    descriptive(
        "1.1.b",
        "Did the PSR propose a community sentence?",
        343,
        PSR,
        rate="54/61",
        fact=lambda case: (
            None
            if case.psr is None or case.psr.proposal is None
            else case.psr.proposal in _COMMUNITY
        ),
    ),
    descriptive(
        "1.1.c",
        "Did the court follow the community-sentence proposal?",
        343,
        PSR_PROPOSING_COMMUNITY,
        rate="83%",
        base=54,
        fact=lambda case: case.sentence.kind in _COMMUNITY,
    ),
    judged(
        "1.1.d",
        "Was the PSR of the appropriate type (standard delivery or fast delivery)?",
        344,
        PSR,
        rate="97%",
        base=61,
    ),
    computed(
        "1.1.e",
        "Was the PSR prepared within the required timescale?",
        344,
        computation("NS07.psr-delivery"),
        PSR,
        rate="93%",
        base=61,
        notes="The timescale is the date agreed with the court (003:715); 004 states no value.",
    ),
    descriptive("1.1.f", "Did the PSR use the eOASys template?", 345, PSR, rate="23/61"),
    judged(
        "1.1.g",
        "Did use of the eOASys template improve the quality of the PSR?",
        345,
        PSR & answered("1.1.f", Answer.YES),
        rate="21/23",
    ),
    judged(
        "1.1.h",
        "PSR on a PPO: did it avoid labelling the offender as a PPO?",
        346,
        PPO_PSR,
        rate="11/14",
    ),
    judged(
        "1.1.i",
        "PSR on a PPO: did it clearly outline the likelihood of reoffending?",
        346,
        PPO_PSR,
        rate="13/14",
    ),
    judged(
        "1.1.j",
        "PSR on a PPO: did it clearly refer to the seriousness of the offence?",
        346,
        PPO_PSR,
        rate="10/14",
    ),
    judged("1.1.k", "Did the PSR contain an outline sentence plan?", 350, PSR, rate="46%", base=61),
    judged(
        "1.1.l",
        "Did the PSR contain victim information, where appropriate?",
        350,
        PSR,
        rate="51%",
        base=61,
        notes=_INSPECTOR,
        roh_note="RoH thread: no. Victim information in a PSR is not RoH assessment "
        "(omi-2007-criteria.md §2: not stated, a reading).",
    ),
    judged(
        "1.1.m",
        "Did the PSR use the nationally approved format?",
        350,
        PSR,
        rate="82%",
        base=61,
    ),
    judged(
        "1.1.n",
        "Was the PSR based on an appropriate risk/needs assessment?",
        350,
        PSR,
        roh=True,
        rate="74%",
        base=61,
        roh_note="RoH thread: yes. A risk assessment (recommendation 1, 004:216; "
        "omi-2007-criteria.md §2: not stated, a reading).",
    ),
    judged(
        "1.1.o",
        "Was the PSR sufficiently balanced, verified and factually accurate?",
        350,
        PSR,
        rate="64%",
        base=61,
    ),
    judged(
        "1.1.p",
        "PSR on a PPO: did it contain a clear and proportionate proposal?",
        351,
        PPO_PSR,
        rate="7/14",
    ),
    judged(
        "1.1.q",
        "Where there was a risk of self-harm, was it clearly recorded?",
        352,
        SELF_HARM,
        rate="10/17",
        roh_note="RoH thread: no. Risk to self, not risk of harm to others "
        "(omi-2007-criteria.md §2: not stated, a reading).",
    ),
    judged(
        "1.1.r",
        "Custodial case with a risk of self-harm: was it communicated immediately to prison staff?",
        352,
        CUSTODIAL_SELF_HARM,
        kind="timeliness",
        rate="0/4",
        notes="'Immediately' has no value to compute with: judged.",
        roh_note="RoH thread: no. Risk to self (omi-2007-criteria.md §2: not stated, a reading).",
    ),
)

_FULL = "1.2.full-analysis-targets"

QUESTIONS_1_2: tuple[Question, ...] = (
    descriptive(
        "1.2.a",
        "Was an RoH screening completed?",
        365,
        roh=True,
        rate="90/106",
        fact=lambda case: any(a.screening and a.screening.completed_on for a in case.assessments),
    ),
    judged(
        "1.2.b",
        "Was the completed RoH screening accurate?",
        365,
        SCREENED,
        roh=True,
        rate="82%",
        base=90,
    ),
    judged(
        "1.2.c",
        "Was an RoH screening completed at the start of sentence?",
        365,
        COMMUNITY_OR_CUSTODY,
        kind="timeliness",
        roh=True,
        rate="78%",
        notes="'At the start of sentence' states no limit (A17): judged.",
    ),
    judged(
        "1.2.d",
        "Was the RoH screening completed or reviewed on release from custody?",
        365,
        LICENCE,
        kind="timeliness",
        roh=True,
        rate="73%",
        notes="'On release' states no limit (A17): judged.",
    ),
    judged(
        "1.2.e",
        "Did the case have a clear RoH classification?",
        366,
        roh=True,
        rate="92%",
        base=106,
        notes="'Of the 106 cases inspected' (004:366).",
    ),
    judged(
        "1.2.f",
        "Was the RoH classification correct?",
        366,
        answered("1.2.e", Answer.YES),
        roh=True,
        rate="90%",
        base=98,
    ),
    judged(
        "1.2.g",
        "High or very high RoH: was this communicated to all staff involved?",
        366,
        HIGH_ROH,
        roh=True,
        rate="13/15",
    ),
    judged(
        "1.2.h",
        "MAPPA case: was the MAPPA level clearly indicated?",
        367,
        MAPPA,
        roh=True,
        rate="16/18",
    ),
    judged(
        "1.2.i",
        "MAPPA case: was the MAPPA level communicated to all staff involved?",
        367,
        MAPPA,
        roh=True,
        rate="15/18",
    ),
    judged(
        "1.2.j",
        "Did the OASys RoH screening and analysis draw on MAPPA and previous probation and other "
        "agencies' assessments?",
        368,
        roh=True,
        rate="72%",
        base=69,
        notes=_INSPECTOR,
    ),
    judged(
        "1.2.k",
        "Was the risk management plan structured according to the required format?",
        369,
        RMP,
        roh=True,
        rate="83%",
        base=64,
    ),
    judged(
        "1.2.l",
        "High or very high RoH: was there effective middle or senior management involvement in "
        "the assessment?",
        370,
        HIGH_ROH,
        roh=True,
        rate="11/14",
    ),
    descriptive(
        "1.2.m",
        "Was an approved premises referral made?",
        371,
        roh=True,
        rate="13/99",
        notes="Relevant: cases eligible for referral. " + _INSPECTOR,
    ),
    judged(
        "1.2.n",
        "Was the approved premises referral appropriate, and was it accepted?",
        371,
        answered("1.2.m", Answer.YES),
        roh=True,
        rate="11/13",
    ),
    judged(
        "1.2.o",
        "Where a case needed an approved premises referral, was it referred?",
        371,
        roh=True,
        rate="11/13",
        notes="Relevant: cases needing a referral (a derived base). " + _INSPECTOR,
    ),
    judged(
        "1.2.p",
        "Was the full RoH analysis of a sufficient standard?",
        375,
        FULL_ANALYSIS,
        roh=True,
        rate="58%",
        base=80,
    ),
    judged(
        "1.2.q",
        "Full RoH analysis: was the risk to children accurately reflected?",
        375,
        FULL_ANALYSIS & risk_to(RiskGroup.CHILDREN),
        roh=True,
        rate="79%",
        group=_FULL,
    ),
    judged(
        "1.2.r",
        "Full RoH analysis: was the risk to known adults accurately reflected?",
        375,
        FULL_ANALYSIS & risk_to(RiskGroup.KNOWN_ADULT),
        roh=True,
        rate="78%",
        group=_FULL,
    ),
    judged(
        "1.2.s",
        "Full RoH analysis: was the risk to the public accurately reflected?",
        375,
        FULL_ANALYSIS & risk_to(RiskGroup.PUBLIC),
        roh=True,
        rate="84%",
        group=_FULL,
    ),
    judged(
        "1.2.t",
        "Full RoH analysis: was the risk to staff accurately reflected?",
        375,
        FULL_ANALYSIS & risk_to(RiskGroup.STAFF),
        roh=True,
        rate="90%",
        group=_FULL,
    ),
    judged(
        "1.2.u",
        "Were victim issues covered thoroughly in the RoH assessment?",
        376,
        SCREENED,
        roh=True,
        rate="55%",
        base=89,
    ),
    judged(
        "1.2.v",
        "Was the risk management plan comprehensive (who, specific activities, timescales, "
        "explicit links to the sentence plan)?",
        377,
        RMP,
        roh=True,
        rate="34%",
        base=64,
    ),
    computed(
        "1.2.w",
        "Licence case: was the risk management plan completed prior to release?",
        (378, 380),
        computation("NS07.rmp-before-release"),
        LICENCE,
        roh=True,
        rate="9/33",
        notes="Relevant: licence cases needing a plan (not low RoH at release, 002:279). "
        "'Not at all in three' is 1.2.z.",
    ),
    descriptive(
        "1.2.z",
        "Licence case needing a plan: was a risk management plan completed at all (before or "
        "after release)?",
        380,
        _NEEDS_RELEASE_RMP,
        roh=True,
        rate="30/33",
        fact=lambda case: any(a.rmp and a.rmp.completed_on for a in case.assessments),
        notes="A context count: 'not at all in three' of the 33 (004:380) splits 1.2.w's "
        "'no' answers, so it is kept and not scored a second time "
        "(decision:omi-catalogue-gaps).",
    ),
    judged(
        "1.2.x",
        "Community order: was a risk management plan completed?",
        380,
        COMMUNITY_ORDER,
        roh=True,
        rate="29/34",
        notes="Relevant: community orders needing a plan. " + _INSPECTOR,
    ),
    judged(
        "1.2.y",
        "Child safeguarding issues: was there effective middle or senior management involvement "
        "in the assessment?",
        382,
        CHILD_SAFEGUARDING,
        roh=True,
        rate="10/22",
    ),
)

QUESTIONS_1_3: tuple[Question, ...] = (
    judged(
        "1.3.a",
        "Was an OASys or OGRS2 score (as applicable) calculated at the start of sentence or on "
        "release from custody?",
        394,
        kind="timeliness",
        rate="91%",
        base=106,
        notes="'At the start of sentence or on release' states no limit (A17): judged. "
        + _ALL_CASES,
    ),
    judged(
        "1.3.b",
        "Were criminogenic factors assessed at the start of the sentence or on release from "
        "custody?",
        395,
        rate="78%",
        base=99,
        notes=_INSPECTOR,
    ),
    judged(
        "1.3.c",
        "Were supportive and pro-social factors identified?",
        395,
        rate="78%",
        base=76,
        notes=_INSPECTOR,
    ),
    judged(
        "1.3.d",
        "Did the assessment of likelihood of reoffending draw on all other relevant assessments?",
        396,
        rate="80%",
        base=71,
        notes=_INSPECTOR,
    ),
    judged(
        "1.3.e",
        "Were criminogenic factors assessed on time?",
        400,
        kind="timeliness",
        rate="68%",
        notes="'On time' states no limit (A17): judged. Base not printed.",
    ),
    computed(
        "1.3.f",
        "PPO case: was the OASys assessment completed within five working days?",
        401,
        computation("NS07.oasys-ppo", oasys_ppo_limit="omi_oasys_ppo_limit"),
        PPO,
        rate="15/21",
        notes="Computed by the National Standards PPO rule with the report's five working days.",
    ),
    judged(
        "1.3.g",
        "PPO case: was the OASys assessment sufficiently comprehensive?",
        402,
        PPO,
        rate="7/21",
    ),
)

QUESTIONS_1_4: tuple[Question, ...] = (
    judged("1.4.a", "Was a REM classification recorded?", 413, rate="105/106"),
    judged(
        "1.4.b",
        "Were diversity issues and other individual needs actively assessed?",
        413,
        rate="75%",
        base=106,
        notes=_ALL_CASES,
    ),
    judged(
        "1.4.c",
        "Were potentially discriminatory or disadvantaging factors identified?",
        413,
        rate="85%",
        base=60,
        notes=_INSPECTOR,
    ),
    judged(
        "1.4.d",
        "Were plans put in place to minimise the impact of the factors identified?",
        415,
        answered("1.4.c", Answer.YES),
        rate="83%",
        base=51,
    ),
    judged(
        "1.4.e",
        "Were reported learning difficulties (such as dyslexia) picked up by the offender manager?",
        417,
        notes="No figure printed. Relevant: cases with reported learning difficulties. "
        + _INSPECTOR,
    ),
    judged(
        "1.4.k",
        "Accredited programme: did programme staff give thought to the offender's attention "
        "span and the accessibility of methods?",
        417,
        ACCREDITED_PROGRAMME,
        notes="No figure printed. The other staff group of 004:417 (1.4.e is the offender "
        "manager's part).",
    ),
    judged(
        "1.4.f",
        "Where indicated, was a full skills-for-life assessment undertaken?",
        418,
        SFL_NEED,
        rate="22/27",
    ),
    judged(
        "1.4.g",
        "Is there evidence on file that a skills-for-life screening was undertaken?",
        422,
        rate="51%",
        base=106,
        notes="Nothing on file is 'not_evidenced', below the line (A2, 004:422). " + _ALL_CASES,
    ),
    judged(
        "1.4.h",
        "Were the outcomes of ETE gateway assessments and information, advice and guidance shared "
        "with those delivering the learning?",
        423,
        notes="No figure printed. " + _INSPECTOR,
    ),
    judged(
        "1.4.i",
        "Were responsivity issues (intellectual ability, learning style, motivation, capacity to "
        "change) taken into account at the earliest opportunity?",
        424,
        kind="timeliness",
        rate="67%",
        notes="'Almost a third' did not: the rate is approximate.",
    ),
    judged(
        "1.4.j",
        "Was full attention paid to the methods most likely to be effective with the offender?",
        425,
        rate="65%",
    ),
)

_PLAN_SHAPE = "1.5.planning-quality"
_PLAN_ORDER = "1.5.timing-and-sequencing"


def _none_of_plan_criteria(case: Case) -> bool | None:
    """1.5.o: none of 1.5.l, 1.5.m and 1.5.n met, from their recorded answers (004:453)."""
    answers = [case.judgements.answers.get(qid) for qid in ("1.5.l", "1.5.m", "1.5.n")]
    if Answer.YES in answers:
        return False
    if all(answer in {Answer.NO, Answer.NOT_EVIDENCED} for answer in answers):
        return True
    return None


QUESTIONS_1_5: tuple[Question, ...] = (
    judged(
        "1.5.a",
        "Was the case allocated to the correct offender management tier?",
        439,
        rate="92%",
        base=106,
    ),
    judged(
        "1.5.b",
        "Did planning accurately reflect the purposes of sentencing (punish, help, change, "
        "control)?",
        439,
        rate="78%",
        base=97,
        notes="'for 97 cases (78%)' read as 78% of 97 applicable cases "
        "(omi-2007-criteria.md §2 1.5 notes). " + _INSPECTOR,
    ),
    computed(
        "1.5.c",
        "Was the offender allocated to an offender manager within the required timescale?",
        (440, 442),
        computation("NS07.allocation"),
        COMMUNITY_ORDER,
        rate="91%",
        notes="The timescale is not stated (A17): the inspector's answer stands unless "
        "allocation_limit is supplied.",
    ),
    judged(
        "1.5.d",
        "Did the initial sentence plan draw on all other relevant assessments?",
        444,
        COMMUNITY_ORDER,
        rate="25/31",
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.e",
        "Tier 3 or 4 case: were interventions likely to address offending behaviour identified?",
        445,
        tiers_at_start(3, 4),
        rate="86%",
        base=77,
    ),
    judged(
        "1.5.f",
        "Unpaid work case: was the quality of planning sufficient?",
        446,
        UNPAID_WORK,
        notes="A qualitative finding with no figure.",
    ),
    judged(
        "1.5.g",
        "Were steps taken to ensure the offender understood the requirements of the sentence?",
        447,
        rate="85%",
    ),
    judged(
        "1.5.h",
        "Were steps taken to ensure the offender understood the penalties for breach?",
        447,
        rate="88%",
    ),
    judged(
        "1.5.i",
        "Was sufficient consideration given to restrictive conditions or requirements designed "
        "to minimise RoH to others?",
        451,
        COMMUNITY_OR_LICENCE,
        roh=True,
        rate="61%",
        base=59,
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.j",
        "Was the initial sentence plan completed within the required timescale?",
        452,
        kind="timeliness",
        rate="69%",
        base=55,
        notes="The timescale is not stated (A17): judged. " + _INSPECTOR,
    ),
    judged(
        "1.5.k",
        "Custodial case: did the sentence plan state which elements are delivered in custody and "
        "which in the community?",
        452,
        CUSTODIAL,
        rate="2/8",
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.l",
        "Did sentence planning give a clear shape to supervision?",
        453,
        rate="56%",
        group=_PLAN_SHAPE,
    ),
    judged(
        "1.5.m",
        "Did sentence planning reflect the sentencing purpose(s)?",
        453,
        rate="64%",
        group=_PLAN_SHAPE,
    ),
    judged(
        "1.5.n", "Did sentence planning set relevant goals?", 453, rate="49%", group=_PLAN_SHAPE
    ),
    descriptive(
        "1.5.o",
        "Were none of 1.5.l, 1.5.m and 1.5.n met?",
        453,
        rate="17%",
        fact=_none_of_plan_criteria,
        notes="Answered from 1.5.l-n where they are recorded.",
    ),
    judged(
        "1.5.p",
        "Medium, high or very high RoH: did the sentence plan outline how RoH would be managed?",
        453,
        MEDIUM_ROH,
        roh=True,
        rate="14/24",
    ),
    judged(
        "1.5.q",
        "Was the planned timing of requirements appropriate?",
        454,
        rate="27%",
        base=55,
        group=_PLAN_ORDER,
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.r",
        "Was the planned sequencing of requirements appropriate?",
        454,
        rate="38%",
        base=55,
        group=_PLAN_ORDER,
        notes=_INSPECTOR,
        roh_note="RoH thread: no. Unlike 2.1.i the item is not framed by RoH "
        "(omi-2007-criteria.md §2: not stated, a reading).",
    ),
    judged(
        "1.5.s",
        "Were interventions to address the punitive requirements of the sentence identified?",
        455,
        rate="68%",
        base=96,
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.t",
        "Were interventions to reduce or contain RoH identified?",
        455,
        roh=True,
        rate="38%",
        base=63,
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.u",
        "Were interventions likely to promote community reintegration identified?",
        456,
        rate="60%",
        base=96,
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.v",
        "Were the roles and liaison responsibilities of all workers clearly defined in the "
        "sentence plan?",
        457,
        rate="53%",
        base=97,
        notes=_INSPECTOR,
    ),
    judged(
        "1.5.w",
        "Was the sentence plan sensitive to diversity issues, including offender vulnerability?",
        460,
        rate="61%",
        base=61,
        notes=_INSPECTOR,
    ),
    area(
        "1.5.y",
        "Did accredited programme delivery times allow offenders in employment to attend?",
        460,
        notes="'Recurring issues ... where delivery times conflicted with offenders' "
        "employment': the area's programme provision, with no case count "
        "(decision:omi-catalogue-gaps).",
    ),
    judged(
        "1.5.x",
        "Is there evidence that the offender had the opportunity to participate actively in "
        "planning?",
        462,
        rate="58%",
        base=106,
        notes=_ALL_CASES,
    ),
)

QUESTIONS: tuple[Question, ...] = (
    *QUESTIONS_1_1,
    *QUESTIONS_1_2,
    *QUESTIONS_1_3,
    *QUESTIONS_1_4,
    *QUESTIONS_1_5,
)
