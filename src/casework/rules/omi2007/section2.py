"""Section 2, Implementation of interventions: criteria 2.1 to 2.7 (004:468-646).

One entry per item the report prints (omi-2007-criteria.md §2), in reading
order; see :mod:`casework.rules.omi2007.section1` for the conventions.
"""

from __future__ import annotations

from casework.model import Answer, RiskGroup
from casework.rules.omi2007.computed import computation
from casework.rules.omi2007.population import (
    ACCREDITED_PROGRAMME,
    ACTIVITY_IN_PRISON,
    ADDITIONAL_LICENCE_CONDITIONS,
    AP_RESIDENT,
    BREACH,
    CHILD_SAFEGUARDING,
    COMMUNITY_OR_LICENCE,
    COMMUNITY_ORDER,
    CURFEW_OR_EXCLUSION,
    CUSTODIAL,
    CUSTODY,
    CUSTODY_MOVED,
    DISABILITY,
    DRR,
    HIGH_ROH_NOT_IN_AP,
    HIGH_ROH_TRANSFER,
    IN_COMMUNITY,
    IN_COMMUNITY_NOT_UPW_ONLY,
    LICENCE,
    LITERACY,
    MAPPA,
    PPO,
    PPO_DRUGS_ON_LICENCE,
    ROH_CHANGE,
    ROH_RECALL,
    SFL_NEED,
    SIGNIFICANT_CHANGE,
    STATUTORY_VICTIM,
    TRANSFERRED_IN,
    UNPAID_WORK,
    VICTIM_CONTACTED,
    VICTIM_SAFETY,
    answered,
    risk_to,
)
from casework.rules.omi2007.question import Question, area, computed, descriptive, judged

__all__ = ["QUESTIONS"]

_INSPECTOR = "Relevance beyond the recorded facts is the inspector's: answer not_applicable."
_NO_LIMIT = "No limit is stated (A17): judged."
_COMMUNITY_CASES = (
    "The '82 community cases' of 004:515 are read as community orders for both 2.2.d and 2.2.e "
    "(decision:omi-catalogue-gaps)."
)
_NO_LIMIT_COMPUTED = (
    "No limit is stated (A17): the inspector's answer stands unless the National Standards "
    "parameter is supplied."
)

_PLAN_WORK = "2.1.work-from-the-plan"
_TRANSITION = "2.1.custody-community-transition"
_TRANSFER = "2.1.transfer-in"

QUESTIONS_2_1: tuple[Question, ...] = (
    judged(
        "2.1.a",
        "Were arrangements in place to prepare the offender thoroughly for interventions?",
        478,
        rate="75%",
        base=89,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.b",
        "Were there arrangements to reinforce new skills afterwards?",
        478,
        rate="74%",
        base=73,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.c",
        "Did the offender manager oversee and coordinate the input of all workers?",
        479,
        rate="63%",
    ),
    judged(
        "2.1.d",
        "Was there good communication between the offender manager and other workers?",
        479,
        rate="78%",
    ),
    judged(
        "2.1.e",
        "Did the offender manager demonstrate commitment to work with the offender?",
        480,
        rate="74%",
    ),
    judged(
        "2.1.f",
        "Did the offender manager motivate and support the offender throughout the sentence?",
        480,
        rate="68%",
    ),
    judged(
        "2.1.g",
        "Custody move: was it communicated to the offender manager promptly?",
        481,
        CUSTODY_MOVED,
        kind="timeliness",
        rate="4/5",
        notes="'Promptly' has no value: judged.",
    ),
    descriptive(
        "2.1.z",
        "Custodial case: had the offender been moved while in custody?",
        (481, 496),
        CUSTODIAL,
        rate="5/10",
        fact=lambda case: bool(case.custody_moves),
        notes="A context count, the base of 2.1.g and 2.1.y. The report's 'ten custodial "
        "cases' are narrower than any recorded fact (decision:omi-catalogue-gaps).",
    ),
    judged("2.1.h", "Were the sentence requirements fully implemented?", 485, rate="63%"),
    judged(
        "2.1.i",
        "Was the sequencing of interventions appropriate to RoH and likelihood of reoffending?",
        486,
        roh=True,
        rate="62%",
        base=90,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.j",
        "Was activity undertaken in prison built on in the community?",
        487,
        ACTIVITY_IN_PRISON,
        rate="16/28",
    ),
    judged(
        "2.1.k",
        "Was the sentence plan reviewed in accordance with the required timescales?",
        488,
        kind="timeliness",
        rate="57%",
        notes="A case with no sentence plan is 'no' (omi-2007-criteria.md §2 2.1 notes). "
        + _NO_LIMIT,
    ),
    judged(
        "2.1.l",
        "Did sentence plan reviews integrate other plans (risk management, individual learning "
        "plans)?",
        489,
        roh=True,
        rate="61%",
        base=56,
        notes=_INSPECTOR,
        roh_note="RoH thread: yes. The reviews integrate the risk management plan "
        "(omi-2007-criteria.md §2: not stated, a reading).",
    ),
    judged(
        "2.1.m",
        "Did work with the offender flow coherently from the sentence plan?",
        490,
        rate="63%",
        base=95,
        group=_PLAN_WORK,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.n",
        "Did objectives and milestones give a clear direction to the sentence?",
        490,
        rate="38%",
        base=95,
        group=_PLAN_WORK,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.o",
        "Was the continuing ownership of the plan by the offender sought?",
        490,
        rate="39%",
        base=95,
        group=_PLAN_WORK,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.p",
        "Was there good communication between all staff and the offender?",
        491,
        rate="57%",
    ),
    judged(
        "2.1.q",
        "Did the offender manager take opportunities to reinforce positive behaviour?",
        491,
        rate="51%",
    ),
    area(
        "2.1.aa",
        "Did offender managers of unpaid work cases work on Saturdays, so that they could meet "
        "offenders employed during the week?",
        (491, 493),
        notes="'In some locations' they did not: a finding about working arrangements, with no "
        "case count (decision:omi-catalogue-gaps).",
    ),
    judged(
        "2.1.r",
        "Custody-community transition: was the work positive?",
        495,
        CUSTODIAL,
        rate="31%",
        base=45,
        group=_TRANSITION,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.s",
        "Custody-community transition: was the work proactive?",
        495,
        CUSTODIAL,
        rate="27%",
        base=45,
        group=_TRANSITION,
        notes=_INSPECTOR,
    ),
    judged(
        "2.1.t",
        "Custody-community transition: was the work timely?",
        495,
        CUSTODIAL,
        kind="timeliness",
        rate="33%",
        base=45,
        group=_TRANSITION,
        notes=_NO_LIMIT + " " + _INSPECTOR,
    ),
    descriptive(
        "2.1.ab",
        "Had the case been transferred in from another area?",
        496,
        count=6,
        fact=lambda case: case.transfer_in is not None,
        notes="A context count, printed without a base: the base of 2.1.u-2.1.w; the three "
        "high or very high RoH transfers are the base of 2.1.x.",
    ),
    judged(
        "2.1.u",
        "Transfer in: was a complete and current OASys provided by the previous area?",
        496,
        TRANSFERRED_IN,
        rate="3/6",
        group=_TRANSFER,
    ),
    computed(
        "2.1.v",
        "Transfer in: was a first appointment made within five working days of notification?",
        496,
        computation("NS07.transfer-first-appointment"),
        TRANSFERRED_IN,
        rate="3/6",
        group=_TRANSFER,
    ),
    computed(
        "2.1.w",
        "Transfer in: was a home visit made within ten working days of notification?",
        496,
        computation("NS07.transfer-home-visit"),
        TRANSFERRED_IN,
        roh=True,
        rate="2/6",
        group=_TRANSFER,
        roh_note="RoH thread: yes. Home visits are an RoH tool, as in 2.2.w "
        "(omi-2007-criteria.md §2: not stated, a reading).",
    ),
    computed(
        "2.1.x",
        "Transfer in, high or very high RoH: was the risk management plan reviewed and updated "
        "within five working days of contact with the offender?",
        496,
        computation("NS07.transfer-rmp-review"),
        HIGH_ROH_TRANSFER,
        roh=True,
        rate="1/3",
        group=_TRANSFER,
    ),
    judged(
        "2.1.y",
        "Custody move: was it consistent with the sentence plan?",
        496,
        CUSTODY_MOVED,
        rate="2/5",
    ),
)

_PLANNING = "2.2.ongoing-planning"
_CHANGES = "2.2.changes-in-roh"
_REVIEWS = "2.2.roh-reviews"

QUESTIONS_2_2: tuple[Question, ...] = (
    judged("2.2.a", "RoH recall: was it actioned properly?", 510, ROH_RECALL, roh=True, rate="9/9"),
    judged(
        "2.2.b",
        "RoH recall: did it form an appropriate part of the risk management process?",
        510,
        ROH_RECALL,
        roh=True,
        rate="8/9",
    ),
    judged(
        "2.2.c",
        "RoH recall: was a clear explanation given to the offender and efforts made to re-engage?",
        511,
        ROH_RECALL,
        roh=True,
        rate="7/9",
        notes="'In seven of these cases' (004:511): the nine RoH recalls of 004:510.",
    ),
    computed(
        "2.2.d",
        "Community case: was RoH to others reviewed no later than four months from the start of "
        "sentence?",
        515,
        computation("NS07.roh-review-first"),
        COMMUNITY_ORDER,
        roh=True,
        rate="70%",
        base=82,
        group=_REVIEWS,
        notes=_COMMUNITY_CASES,
    ),
    computed(
        "2.2.e",
        "Community case: was RoH reviewed at least every four months thereafter?",
        515,
        computation("NS07.roh-review-interval"),
        COMMUNITY_ORDER,
        roh=True,
        rate="11/19",
        group=_REVIEWS,
        notes="Cases not yet due a repeat review are not applicable (A15). " + _COMMUNITY_CASES,
    ),
    computed(
        "2.2.f",
        "Was RoH reviewed following a significant change?",
        515,
        computation("NS07.roh-review-event"),
        SIGNIFICANT_CHANGE,
        roh=True,
        rate="20/42",
        group=_REVIEWS,
        notes=_NO_LIMIT_COMPUTED,
    ),
    computed(
        "2.2.g",
        "Custodial case: was RoH reviewed within 12 months of sentence?",
        516,
        computation("NS07.roh-review-custody"),
        CUSTODIAL,
        roh=True,
        rate="2/3",
        group=_REVIEWS,
    ),
    computed(
        "2.2.h",
        "Custodial case: was RoH reviewed following a significant change?",
        516,
        computation("NS07.roh-review-event"),
        CUSTODIAL & SIGNIFICANT_CHANGE,
        roh=True,
        rate="1/4",
        group=_REVIEWS,
        notes=_NO_LIMIT_COMPUTED,
    ),
    computed(
        "2.2.i",
        "Custodial case: was RoH reviewed in preparation for release?",
        516,
        computation("NS07.roh-review-pre-release"),
        LICENCE,
        roh=True,
        rate="2/4",
        group=_REVIEWS,
    ),
    computed(
        "2.2.j",
        "Was RoH reviewed within four months following release from custody?",
        516,
        computation("NS07.roh-review-release"),
        LICENCE,
        roh=True,
        rate="1/3",
        group=_REVIEWS,
    ),
    judged(
        "2.2.k",
        "Was there sufficient ongoing planning to address the RoH to children?",
        518,
        risk_to(RiskGroup.CHILDREN),
        roh=True,
        rate="22/34",
        group=_PLANNING,
    ),
    judged(
        "2.2.l",
        "Was there sufficient ongoing planning to address the RoH to the public?",
        518,
        risk_to(RiskGroup.PUBLIC),
        roh=True,
        rate="46/68",
        group=_PLANNING,
    ),
    judged(
        "2.2.m",
        "Was there sufficient ongoing planning to address the RoH to known adults?",
        518,
        risk_to(RiskGroup.KNOWN_ADULT),
        roh=True,
        rate="30/48",
        group=_PLANNING,
    ),
    judged(
        "2.2.n",
        "Was there sufficient ongoing planning to address the RoH to staff?",
        518,
        risk_to(RiskGroup.STAFF),
        roh=True,
        rate="14/24",
        group=_PLANNING,
    ),
    judged(
        "2.2.o",
        "Custodial case: was there sufficient ongoing planning to address the RoH to prisoners?",
        518,
        CUSTODIAL & risk_to(RiskGroup.PRISONERS),
        roh=True,
        rate="1/2",
        group=_PLANNING,
    ),
    judged(
        "2.2.p",
        "Custodial case: did the offender manager and offender supervisor engage with internal "
        "prison risk management processes?",
        518,
        CUSTODIAL,
        roh=True,
        rate="4/9",
        notes=_INSPECTOR,
    ),
    judged("2.2.q", "MAPPA case: was MAPPA used effectively?", 519, MAPPA, roh=True, rate="10/17"),
    judged(
        "2.2.r",
        "MAPPA case: did the offender manager and other staff contribute effectively to MAPPA?",
        519,
        MAPPA,
        roh=True,
        rate="11/18",
    ),
    judged(
        "2.2.s",
        "Was the case identified and included in MAPPA when it should have been?",
        519,
        roh=True,
        notes="Relevant: cases meeting the MAPPA criteria; no figure printed. " + _INSPECTOR,
    ),
    judged(
        "2.2.z",
        "MAPPA case: was MAPPA linked to the sentence and risk management plans?",
        519,
        MAPPA,
        roh=True,
        notes="'Often poor linkage between MAPPA and sentence and risk management plans': no "
        "figure printed (decision:omi-catalogue-gaps).",
    ),
    area(
        "2.2.aa",
        "Was there a structured process within MAPPA to review cases at Level 1?",
        519,
        notes="'The lack of any structured process within MAPPA to review cases at Level 1': "
        "a finding about the MAPPA arrangements, not about a case.",
    ),
    judged(
        "2.2.t",
        "Were changes in RoH and acute factors anticipated?",
        520,
        ROH_CHANGE,
        roh=True,
        rate="19/36",
        group=_CHANGES,
    ),
    judged(
        "2.2.u",
        "Were changes in RoH and acute factors identified swiftly?",
        520,
        ROH_CHANGE,
        kind="timeliness",
        roh=True,
        rate="20/36",
        group=_CHANGES,
        notes="'Swiftly' has no value: judged.",
    ),
    judged(
        "2.2.v",
        "Were changes in RoH and acute factors acted upon appropriately?",
        520,
        ROH_CHANGE,
        roh=True,
        rate="23/36",
        group=_CHANGES,
    ),
    computed(
        "2.2.w",
        "High or very high RoH (not in approved premises): was a home visit carried out within "
        "ten working days of sentence or release?",
        521,
        computation("NS07.home-visit-high-roh"),
        HIGH_ROH_NOT_IN_AP,
        roh=True,
        rate="0/7",
        notes="Base read as the seven cases printed (omi-2007-criteria.md §2 2.2 notes).",
    ),
    judged(
        "2.2.x",
        "High or very high RoH (not in approved premises): was a home visit made at a later stage?",
        521,
        HIGH_ROH_NOT_IN_AP,
        roh=True,
        rate="2/7",
    ),
    judged(
        "2.2.y",
        "Were home visits employed effectively to monitor children's safeguarding outcomes?",
        521,
        CHILD_SAFEGUARDING,
        roh=True,
        rate="7/19",
        notes=_INSPECTOR,
    ),
)

QUESTIONS_2_3: tuple[Question, ...] = (
    computed(
        "2.3.a",
        "Statutory victim contact: was face-to-face contact made or offered within 40 days?",
        535,
        computation("NS07.victim-contact", victim_contact_limit="omi_victim_contact_limit"),
        STATUTORY_VICTIM,
        rate="15/20",
        notes="'40 days' read as 40 working days (decision:omi-victim-contact-days).",
        roh_note="RoH thread: no. Victim liaison work (omi-2007-criteria.md §2: "
        "not stated, a reading).",
    ),
    judged(
        "2.3.b",
        "Statutory victim contact: did the victim receive information about criminal justice "
        "processes?",
        535,
        STATUTORY_VICTIM,
        rate="13/20",
    ),
    descriptive(
        "2.3.c",
        "Statutory victim contact: did the victim receive contact, an offer of contact or "
        "information?",
        535,
        STATUTORY_VICTIM,
        rate="18/20",
    ),
    descriptive(
        "2.3.i",
        "Statutory victim contact: did contact with the victim take place?",
        535,
        STATUTORY_VICTIM,
        rate="11/20",
        fact=lambda case: any(
            v.statutory and (v.contacted_on or v.face_to_face_on) for v in case.victims
        ),
        notes="A context count, the base of 2.3.d and 2.3.e ('in 11 cases where contact took "
        "place').",
    ),
    judged(
        "2.3.d",
        "Where contact took place: was the victim informed of release conditions in a timely "
        "fashion?",
        535,
        VICTIM_CONTACTED,
        kind="timeliness",
        rate="11/11",
        notes="'Timely' has no value: judged.",
    ),
    judged(
        "2.3.e",
        "Where contact took place: was the victim informed of the actual release in a timely "
        "fashion?",
        535,
        VICTIM_CONTACTED,
        kind="timeliness",
        rate="11/11",
        notes="'Timely' has no value: judged.",
    ),
    judged(
        "2.3.f",
        "Was appropriate priority given to victim safety by the offender manager and other "
        "workers?",
        539,
        VICTIM_SAFETY,
        roh=True,
        rate="58%",
        base=53,
    ),
    judged(
        "2.3.g",
        "Custodial case: did the offender supervisor promote victim safety from the prison?",
        (539, 541),
        CUSTODIAL,
        roh=True,
        rate="1/4",
        notes=_INSPECTOR,
    ),
    judged(
        "2.3.h",
        "Was victim awareness work undertaken with the offender?",
        543,
        rate="54%",
        base=84,
        notes=_INSPECTOR,
        roh_note="RoH thread: no. Offender-focused work (omi-2007-criteria.md §2: "
        "not stated, a reading).",
    ),
)

_FREQUENCY = "2.4.appointment-frequency"
_UPW_FREQUENCY = "2.4.unpaid-work-frequency"
_PLACEMENT = "2.4.unpaid-work-placement"
_RECORDS = "2.4.records"

QUESTIONS_2_4: tuple[Question, ...] = (
    computed(
        "2.4.a",
        "Community order or licence: was a full and timely induction offered following sentence "
        "or release?",
        556,
        computation("NS07.induction"),
        COMMUNITY_OR_LICENCE,
        rate="87%",
        notes=_NO_LIMIT_COMPUTED,
    ),
    computed(
        "2.4.b",
        "Custodial sentence: was a full and timely induction offered?",
        556,
        computation("NS07.induction"),
        CUSTODIAL,
        rate="5/7",
        notes=_NO_LIMIT_COMPUTED + " " + _INSPECTOR,
    ),
    judged(
        "2.4.c",
        "Did the offender manager monitor attendance across all interventions?",
        557,
        IN_COMMUNITY,
        rate="92%",
        base=99,
    ),
    judged(
        "2.4.d",
        "Where necessary, was effective action taken to ensure compliance?",
        557,
        rate="88%",
        base=74,
        notes=_INSPECTOR,
    ),
    judged(
        "2.4.e",
        "Were exclusion or curfew requirements appropriately enforced, with effective liaison "
        "with electronic monitoring?",
        558,
        CURFEW_OR_EXCLUSION,
        roh=True,
        rate="13/15",
        roh_note="RoH thread: yes. Restrictive requirements (omi-2007-criteria.md §2: "
        "not stated, a reading).",
    ),
    judged(
        "2.4.f",
        "Where judgements about acceptability and unacceptability were made, were they "
        "consistent and appropriate?",
        559,
        rate="93%",
        base=82,
        notes=_INSPECTOR,
    ),
    computed(
        "2.4.g",
        "Was breach action instigated within the required national standard timescale?",
        560,
        computation("NS07.breach-action", breach_action_limit="omi_breach_action_limit"),
        BREACH,
        rate="35/40",
        roh_note="RoH thread: no. An enforcement timescale for every case "
        "(omi-2007-criteria.md §2: not stated, a reading).",
    ),
    computed(
        "2.4.h",
        "Was the breach action resolved within the 25 day national target timescale?",
        560,
        computation(
            "NS07.breach-resolution", breach_resolution_limit="omi_breach_resolution_limit"
        ),
        BREACH,
        rate="28/40",
        notes="'25 day' read as 25 working days (A16; 'within 25 working days', 004:780).",
    ),
    computed(
        "2.4.i",
        "Did appointment frequency conform to national standards?",
        561,
        computation("NS07.appointment-frequency"),
        IN_COMMUNITY_NOT_UPW_ONLY,
        kind="consistency",
        rate="94%",
        base=86,
        group=_FREQUENCY,
        notes=_NO_LIMIT_COMPUTED,
    ),
    judged(
        "2.4.j",
        "Did appointment frequency facilitate the requirements of the sentence?",
        561,
        IN_COMMUNITY_NOT_UPW_ONLY,
        rate="85%",
        base=86,
        group=_FREQUENCY,
    ),
    judged(
        "2.4.k",
        "Did appointment frequency meet any RoH considerations?",
        561,
        IN_COMMUNITY_NOT_UPW_ONLY,
        roh=True,
        rate="69%",
        base=86,
        group=_FREQUENCY,
    ),
    judged(
        "2.4.l",
        "Did appointment frequency support sentence plan objectives?",
        561,
        IN_COMMUNITY_NOT_UPW_ONLY,
        rate="70%",
        base=86,
        group=_FREQUENCY,
    ),
    computed(
        "2.4.m",
        "Unpaid work: did work-session frequency conform to national standards?",
        562,
        computation("NS07.upw-frequency"),
        UNPAID_WORK,
        kind="consistency",
        rate="25/29",
        group=_UPW_FREQUENCY,
        notes=_NO_LIMIT_COMPUTED,
    ),
    judged(
        "2.4.n",
        "Unpaid work: did session frequency facilitate the requirements of the sentence?",
        562,
        UNPAID_WORK,
        rate="22/29",
        group=_UPW_FREQUENCY,
    ),
    judged(
        "2.4.o",
        "Unpaid work: was the placement matched to the offender?",
        564,
        UNPAID_WORK,
        rate="17/28",
        group=_PLACEMENT,
    ),
    judged(
        "2.4.p",
        "Unpaid work: was the placement suitably demanding?",
        564,
        UNPAID_WORK,
        rate="21/28",
        group=_PLACEMENT,
    ),
    judged(
        "2.4.q",
        "Unpaid work: was the placement of benefit to the community?",
        564,
        UNPAID_WORK,
        rate="23/28",
        group=_PLACEMENT,
    ),
    judged(
        "2.4.r",
        "Custody, not yet released: were satisfactory arrangements in place to restrict liberty?",
        565,
        CUSTODY,
        rate="3/3",
        roh_note="RoH thread: no (omi-2007-criteria.md §2: not stated, a reading).",
    ),
    judged("2.4.s", "Were records well organised?", 566, rate="78%", group=_RECORDS),
    judged(
        "2.4.t", "Did records contain all relevant documentation?", 566, rate="66%", group=_RECORDS
    ),
    judged("2.4.u", "Did records contain clear REM details?", 566, rate="84%", group=_RECORDS),
    judged(
        "2.4.v",
        "PPO case: was there a sufficiently enhanced level of contact?",
        570,
        PPO,
        rate="14/18",
    ),
    judged(
        "2.4.w",
        "PPO case: was the reporting pattern supportive of all elements of the sentence?",
        570,
        PPO,
        rate="7/18",
    ),
    judged(
        "2.4.x",
        "Licence case: was there sufficient contact and liaison by the offender manager prior to "
        "release?",
        571,
        LICENCE,
        kind="timeliness",
        rate="42%",
        base=45,
    ),
    judged(
        "2.4.y",
        "Licence case: were release arrangements likely to promote effective engagement on "
        "licence?",
        571,
        LICENCE,
        rate="40%",
        base=45,
    ),
    area("2.4.z", "Was there a standard induction pack and process at all locations?", 572),
)

QUESTIONS_2_5: tuple[Question, ...] = (
    judged(
        "2.5.a",
        "Did constructive interventions challenge the offender to accept responsibility for "
        "offending and its consequences?",
        586,
        rate="65%",
        base=83,
        notes=_INSPECTOR,
    ),
    judged(
        "2.5.b",
        "Were sufficient work and resources directed at community reintegration?",
        587,
        rate="85%",
        base=89,
        notes=_INSPECTOR,
    ),
    area("2.5.c", "Were ETE gateway services available at all offices?", 588),
    judged(
        "2.5.d",
        "Drug rehabilitation requirement: did the offender manager prepare reports and attend "
        "review hearings as national standards and the court required?",
        589,
        DRR,
        kind="consistency",
        rate="9/10",
        notes="The standard is not stated (A17): judged.",
    ),
    area("2.5.e", "Was there a range of constructive interventions in the approved premises?", 590),
    judged(
        "2.5.f",
        "Accredited programme: were provision and timing consistent with the sentence plan?",
        596,
        ACCREDITED_PROGRAMME,
        kind="consistency",
        rate="19/36",
    ),
    judged(
        "2.5.g",
        "Programme inconsistent with the plan: was a clear and acceptable reason recorded?",
        596,
        ACCREDITED_PROGRAMME & answered("2.5.f", Answer.NO, Answer.NOT_EVIDENCED),
        rate="7/17",
    ),
    area(
        "2.5.m",
        "Was accredited programme delivery free of lengthy gaps caused by staffing difficulties?",
        596,
        notes="'Staffing difficulties had led to lengthy gaps in delivery at one location': "
        "a finding about provision, with no case count.",
    ),
    area(
        "2.5.n",
        "Was there sufficient programme provision on Saturdays for offenders who work during "
        "the week?",
        596,
        notes="'Insufficient provision on Saturdays made attendance difficult': a finding about "
        "provision, with no case count.",
    ),
    judged(
        "2.5.h",
        "Custody: was immediate action taken after reception to preserve employment, "
        "accommodation and family ties?",
        597,
        CUSTODY,
        kind="timeliness",
        rate="2/5",
        notes="'Immediate' has no value: judged.",
    ),
    judged(
        "2.5.i",
        "Custody: was the offender enabled to preserve positive community links and resources?",
        597,
        CUSTODY,
        rate="3/5",
    ),
    judged(
        "2.5.j",
        "Skills-for-life need identified: were arrangements in place to deliver an appropriate "
        "intervention?",
        598,
        SFL_NEED,
        rate="60%",
        base=53,
    ),
    area("2.5.k", "Were accreditation opportunities offered for unpaid work skills?", 599),
    judged(
        "2.5.l",
        "Approved premises resident: were the available constructive interventions used during "
        "residence?",
        600,
        AP_RESIDENT,
        notes="'Half or less (depending on the intervention)': no single figure printed.",
    ),
)

_LICENCE_CONDITIONS = "2.6.additional-licence-conditions"

QUESTIONS_2_6: tuple[Question, ...] = (
    judged(
        "2.6.a",
        "Were restrictive interventions fully monitored?",
        613,
        roh=True,
        rate="32/37",
        notes=_INSPECTOR,
    ),
    judged(
        "2.6.b",
        "Was every reasonable action taken to minimise RoH?",
        613,
        roh=True,
        rate="75%",
        base=56,
        notes=_INSPECTOR,
    ),
    area(
        "2.6.j",
        "Did the approved premises have a full range of public protection measures in place?",
        (614, 616),
        notes="The two approved premises had them, 'except that one did not have facilities "
        "to support electronic monitoring': a finding about the premises, not a case.",
    ),
    judged(
        "2.6.c",
        "Approved premises resident: was the approved premises used effectively as a restrictive "
        "intervention?",
        616,
        AP_RESIDENT,
        roh=True,
        rate="9/9",
    ),
    descriptive(
        "2.6.k",
        "Custodial case: were additional licence requirements used?",
        618,
        CUSTODIAL,
        count=29,
        fact=lambda case: case.sentence.has_additional_licence_conditions,
        notes="A context count, printed without a base: the base of 2.6.d-2.6.f, 2.6.h and 2.6.i.",
    ),
    judged(
        "2.6.d",
        "Additional licence requirements: were they necessary?",
        618,
        ADDITIONAL_LICENCE_CONDITIONS,
        roh=True,
        rate="25/29",
        group=_LICENCE_CONDITIONS,
        roh_note="RoH thread: yes. Restrictive conditions (omi-2007-criteria.md §2: "
        "not stated, a reading).",
    ),
    judged(
        "2.6.e",
        "Additional licence requirements: were they proportionate to the RoH?",
        618,
        ADDITIONAL_LICENCE_CONDITIONS,
        roh=True,
        rate="27/29",
        group=_LICENCE_CONDITIONS,
    ),
    judged(
        "2.6.f",
        "Additional licence requirements: were they proportionate to the likelihood of "
        "reoffending?",
        618,
        ADDITIONAL_LICENCE_CONDITIONS,
        rate="25/29",
        group=_LICENCE_CONDITIONS,
    ),
    judged(
        "2.6.g",
        "PPO with drug issues released on licence: was an additional drug-misuse licence "
        "condition made?",
        622,
        PPO_DRUGS_ON_LICENCE,
        rate="7/15",
    ),
    judged(
        "2.6.h",
        "Additional licence requirements: were they sufficiently comprehensive?",
        623,
        ADDITIONAL_LICENCE_CONDITIONS,
        roh=True,
        rate="23/29",
        group=_LICENCE_CONDITIONS,
        roh_note="RoH thread: yes. Restrictive conditions (omi-2007-criteria.md §2: "
        "not stated, a reading).",
    ),
    judged(
        "2.6.i",
        "Additional licence requirements: were they proportionate to the protection of victims?",
        623,
        ADDITIONAL_LICENCE_CONDITIONS,
        roh=True,
        rate="20/29",
        group=_LICENCE_CONDITIONS,
    ),
)

QUESTIONS_2_7: tuple[Question, ...] = (
    judged(
        "2.7.a",
        "Did arrangements for interventions take account of the offender's diversity issues?",
        636,
        rate="85%",
        base=66,
        notes=_INSPECTOR,
    ),
    judged(
        "2.7.b",
        "Approved premises resident: were diverse needs met by the approved premises regime?",
        636,
        AP_RESIDENT,
        rate="9/9",
    ),
    judged(
        "2.7.c",
        "Were literacy and dyslexia issues appropriately addressed?",
        636,
        LITERACY,
        rate="71%",
        base=42,
    ),
    judged(
        "2.7.d", "Were disability issues appropriately addressed?", 637, DISABILITY, rate="8/11"
    ),
    judged(
        "2.7.e",
        "Was the offender clearly informed that discriminatory behaviour would not be tolerated?",
        638,
        rate="86%",
        base=102,
        notes=_INSPECTOR,
    ),
    judged(
        "2.7.f",
        "Placement as the only one of their kind in a mixed setting: had the offender given "
        "informed consent?",
        642,
        notes="No figure printed. " + _INSPECTOR,
    ),
)

QUESTIONS: tuple[Question, ...] = (
    *QUESTIONS_2_1,
    *QUESTIONS_2_2,
    *QUESTIONS_2_3,
    *QUESTIONS_2_4,
    *QUESTIONS_2_5,
    *QUESTIONS_2_6,
    *QUESTIONS_2_7,
)
