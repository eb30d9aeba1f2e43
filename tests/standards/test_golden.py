"""One golden example per National Standards rule: the full sentence a practitioner reads.

Each example states the facts that matter and the finding expected, worked by
hand (working days skip weekends and England & Wales bank holidays).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Outcome, ruleset
from casework.rules.parameters import Value
from tests.standards.helpers import (
    D,
    case,
    custody,
    finding,
    full_oasys,
    iso,
    licence,
    order,
    plan_only,
    review,
    roh,
    screening_only,
)


@dataclass(frozen=True)
class Golden:
    rule: str
    build: Callable[[], Case]
    outcome: Outcome
    reason: str
    params: Mapping[str, Value] = field(default_factory=dict)


PPO = {"ppo": [{"start": "2006-01-01"}]}

GOLDEN = [
    # ------------------------------------------------------------ 2005
    Golden(
        "NS05.oasys-high-roh",
        lambda: order(
            D(2006, 12, 22),
            D(2007, 2, 1),
            roh=roh("high", D(2006, 12, 22)),
            assessments=[full_oasys("A", "start", D(2007, 1, 5))],
        ),
        Outcome.NOT_MET,
        "OASys completed on 5 January 2007, 2 working days after it was due on 3 January 2007 "
        "(5 working days after sentence on 22 December 2006).",
    ),
    Golden(
        "NS05.oasys-ppo",
        lambda: order(
            D(2006, 9, 6),
            D(2006, 10, 1),
            offender=PPO,
            assessments=[full_oasys("A", "start", D(2006, 9, 13))],
        ),
        Outcome.MET,
        "OASys completed on 13 September 2006, on or before the due date of 13 September 2006 "
        "(5 working days after sentence on 6 September 2006).",
    ),
    Golden(
        "NS05.rmp-release-high-roh",
        lambda: licence(D(2006, 12, 22), D(2007, 1, 15), roh=roh("very_high", D(2006, 12, 22))),
        Outcome.NOT_MET,
        "No risk management plan completed by 15 January 2007: it was due on 3 January 2007 "
        "(5 working days after release on 22 December 2006).",
    ),
    Golden(
        "NS05.roh-review-interval",
        # initial RoH assessment Fri 6 Oct 2006; reviews 20 Jan 2007 (due 26 Jan) and
        # 1 Jun 2007 (due 20 Jan + 112 days = 12 May); next due 24 Aug 2007
        lambda: order(
            D(2006, 10, 3),
            D(2007, 7, 1),
            roh=roh("high", D(2006, 10, 6)),
            assessments=[
                screening_only("A", "start", D(2006, 10, 6)),
                review("R1", D(2007, 1, 20), reviews="A", screening=True),
                review("R2", D(2007, 6, 1), reviews="R1", rmp=True),
            ],
        ),
        Outcome.NOT_MET,
        "1 of 3 intervals was late. RoH reviewed on 1 June 2007, 20 days after it was due on "
        "12 May 2007 (16 weeks after the previous RoH review on 20 January 2007).",
    ),
    Golden(
        "NS05.roh-review-event",
        lambda: order(
            D(2006, 6, 1),
            D(2006, 10, 1),
            roh=roh("high", D(2006, 6, 1)),
            events=[{"on": "2006-09-06", "kind": "significant_incident"}],
            assessments=[review("R1", D(2006, 9, 14), trigger="significant_incident", rmp=True)],
        ),
        Outcome.NOT_MET,
        "Significant incident of 6 September 2006: RoH reviewed on 14 September 2006, "
        "1 working day after it was due on 13 September 2006 (5 working days after the "
        "significant incident on 6 September 2006).",
        {"roh_review_event_limit": 5},
    ),
    Golden(
        "NS05.plan-review-interval",
        lambda: order(
            D(2006, 10, 2),
            D(2007, 3, 1),
            assessments=[
                plan_only("A", "start", D(2006, 10, 6)),
                review("R1", D(2007, 1, 26), reviews="A", sentence_plan=True),
            ],
        ),
        Outcome.MET,
        "Sentence plan reviewed on 26 January 2007, on or before the due date of 26 January "
        "2007 (16 weeks after the initial sentence plan on 6 October 2006). The next is due by "
        "18 May 2007.",
    ),
    Golden(
        "NS05.breach-action",
        lambda: order(
            D(2006, 6, 1),
            D(2006, 10, 1),
            breaches=[{"failed_on": "2006-09-04", "action_on": "2006-09-20"}],
        ),
        Outcome.NOT_MET,
        "Breach of 4 September 2006: Breach action taken on 20 September 2006, 2 working days "
        "after it was due on 18 September 2006 (10 working days after the unacceptable failure "
        "to comply on 4 September 2006).",
    ),
    Golden(
        "NS05.breach-resolution",
        lambda: order(
            D(2006, 3, 1),
            D(2006, 10, 1),
            breaches=[{"failed_on": "2006-06-19", "resolved_on": "2006-07-24"}],
        ),
        Outcome.MET,
        "Breach of 19 June 2006: Breach resolved on 24 July 2006, on or before the due date of "
        "24 July 2006 (25 working days after the unacceptable failure to comply on 19 June 2006).",
    ),
    Golden(
        "NS05.victim-contact",
        lambda: case(
            D(2006, 6, 1),
            {
                "kind": "custody",
                "sentenced_on": D(2006, 2, 20),
                "custodial_months": 18,
                "offence_category": "serious_violent",
            },
            victims=[{"id": "V1", "statutory": True, "contacted_on": "2006-04-18"}],
        ),
        Outcome.NOT_MET,
        "Victim V1: Victim contact offered on 18 April 2006, 1 day after it was due on 17 April "
        "2006 (8 weeks after sentence on 20 February 2006).",
    ),
    Golden(
        "NS05.psr-delivery",
        lambda: order(
            D(2006, 9, 11),
            D(2006, 10, 1),
            psr={
                "kind": "standard_delivery",
                "requested_on": "2006-08-21",
                "due_on": "2006-09-08",
                "delivered_on": "2006-09-11",
            },
        ),
        Outcome.NOT_MET,
        "Report delivered on 11 September 2006, 3 days after the agreed date of 8 September 2006.",
    ),
    Golden(
        "NS05.full-analysis-where-screened",
        lambda: order(
            D(2006, 5, 8),
            D(2006, 8, 1),
            assessments=[
                {
                    "id": "A",
                    "purpose": "start",
                    "screening": {"completed_on": "2006-05-10", "full_analysis_required": True},
                    "full_analysis": {
                        "exempted": True,
                        "exemption_countersigned_on": "2006-05-12",
                    },
                }
            ],
        ),
        Outcome.MET,
        "Screening of 10 May 2006: Exemption from the full analysis countersigned by an SPO on "
        "12 May 2006.",
    ),
    Golden(
        "NS05.rmp-where-not-low",
        lambda: order(D(2006, 5, 8), D(2006, 8, 1), roh=roh("medium", D(2006, 5, 10))),
        Outcome.NOT_MET,
        "No risk management plan is recorded, although the case is medium RoH (since 10 May "
        "2006) and every case not assessed as low RoH needs one; it was due by 17 May 2006.",
    ),
    Golden(
        "NS05.mappa-level",
        lambda: order(D(2006, 5, 8), D(2006, 8, 1), mappa={"category": 2, "levels": []}),
        Outcome.NOT_MET,
        "No MAPPA level is recorded for this MAPPA case.",
    ),
    # ------------------------------------------------------------ 2007
    Golden(
        "NS07.oasys-ppo",
        lambda: licence(
            D(2007, 12, 21),
            D(2008, 2, 1),
            offender=PPO,
            assessments=[full_oasys("R", "release", D(2008, 1, 3))],
        ),
        Outcome.NOT_MET,
        "OASys completed on 3 January 2008, 1 working day after it was due on 2 January 2008 "
        "(5 working days after release on 21 December 2007).",
    ),
    Golden(
        "NS07.oasys-tier4",
        lambda: order(D(2007, 9, 5), D(2007, 9, 20), tiers=[{"tier": 4, "on": "2007-09-05"}]),
        Outcome.NOT_MET,
        "OASys not complete (assessment not done, RoH screening not done, sentence plan not "
        "done, full RoH analysis not done) by 20 September 2007: it was due on 12 September "
        "2007 (5 working days after sentence on 5 September 2007).",
    ),
    Golden(
        "NS07.oasys-tier1-3",
        lambda: order(
            D(2007, 12, 14),
            D(2008, 2, 1),
            tiers=[{"tier": 3, "on": "2007-12-14"}],
            assessments=[full_oasys("A", "start", D(2008, 1, 9))],
        ),
        Outcome.MET,
        "OASys completed on 9 January 2008, on or before the due date of 9 January 2008 "
        "(15 working days after sentence on 14 December 2007).",
    ),
    Golden(
        "NS07.rmp-release-high-roh",
        # release Thu 13 Mar 2008: due Thu 20 Mar; Good Friday and Easter Monday skipped
        lambda: licence(
            D(2008, 3, 13),
            D(2008, 4, 30),
            roh=roh("high", D(2008, 3, 13)),
            assessments=[{"id": "R", "purpose": "release", "rmp": {"completed_on": "2008-03-25"}}],
        ),
        Outcome.NOT_MET,
        "Risk management plan completed on 25 March 2008, 1 working day after it was due on "
        "20 March 2008 (5 working days after release on 13 March 2008).",
    ),
    Golden(
        "NS07.rmp-before-release",
        lambda: licence(
            D(2007, 9, 7),
            D(2007, 10, 1),
            roh=roh("medium", D(2007, 9, 4)),
            assessments=[review("P", D(2007, 9, 4), trigger="pre_release", rmp=True)],
        ),
        Outcome.MET,
        "Risk management plan completed on 4 September 2007, before release on 7 September 2007.",
    ),
    Golden(
        "NS07.roh-review-first",
        lambda: order(D(2007, 10, 2), D(2008, 2, 15)),
        Outcome.NOT_MET,
        "RoH not reviewed by 15 February 2008: it was due on 2 February 2008 (4 months after "
        "the start of sentence on 2 October 2007).",
    ),
    Golden(
        "NS07.roh-review-release",
        lambda: licence(
            D(2008, 4, 25),
            D(2008, 9, 1),
            assessments=[review("R1", D(2008, 8, 25), screening=True)],
        ),
        Outcome.MET,
        "RoH reviewed on 25 August 2008, on or before the due date of 25 August 2008 (4 months "
        "after release on 25 April 2008).",
    ),
    Golden(
        "NS07.roh-review-interval",
        lambda: order(
            D(2007, 10, 1),
            D(2008, 10, 1),
            assessments=[
                review("R1", D(2008, 1, 15), screening=True),
                review("R2", D(2008, 5, 10), reviews="R1", screening=True),
            ],
        ),
        Outcome.NOT_MET,
        "1 of 2 intervals was late. RoH not reviewed by 1 October 2008: it was due on "
        "10 September 2008 (4 months after the previous RoH review on 10 May 2008).",
    ),
    Golden(
        "NS07.roh-review-custody",
        lambda: custody(
            D(2007, 2, 2), D(2008, 3, 1), assessments=[review("R1", D(2008, 2, 3), rmp=True)]
        ),
        Outcome.NOT_MET,
        "RoH reviewed on 3 February 2008, 1 day after it was due on 2 February 2008 (12 months "
        "after sentence on 2 February 2007).",
    ),
    Golden(
        "NS07.roh-review-pre-release",
        lambda: licence(
            D(2008, 3, 20),
            D(2008, 4, 30),
            assessments=[screening_only("R", "release", D(2008, 3, 27))],
        ),
        Outcome.NOT_MET,
        "RoH reviewed for release only on 27 March 2008, after release on 20 March 2008; it was "
        "due in preparation for release.",
    ),
    Golden(
        "NS07.roh-review-event",
        lambda: order(
            D(2007, 6, 1),
            D(2007, 10, 1),
            events=[{"on": "2007-09-03", "kind": "significant_change"}],
        ),
        Outcome.NOT_MET,
        "Significant change of 3 September 2007: RoH not reviewed by 1 October 2007: it was due "
        "on 10 September 2007 (5 working days after the significant change on 3 September 2007).",
        {"roh_review_event_limit": 5},
    ),
    Golden(
        "NS07.plan-review-interval",
        lambda: order(
            D(2007, 9, 28),
            D(2008, 7, 1),
            assessments=[
                plan_only("A", "start", D(2007, 10, 2)),
                review("R1", D(2008, 2, 1), reviews="A", sentence_plan=True),
                review("R2", D(2008, 6, 1), reviews="R1", sentence_plan=True),
            ],
        ),
        Outcome.MET,
        "2 sentence plan reviews, all on time. The latest: Sentence plan reviewed on 1 June "
        "2008, on or before the due date of 1 June 2008 (4 months after the previous sentence "
        "plan review on 1 February 2008). The next is due by 1 October 2008.",
        {"plan_review_interval_months": 4},
    ),
    Golden(
        "NS07.breach-action",
        lambda: order(
            D(2007, 6, 1),
            D(2008, 4, 1),
            breaches=[
                {"failed_on": "2007-09-03", "action_on": "2007-09-17"},
                {"failed_on": "2008-03-13"},
            ],
        ),
        Outcome.NOT_MET,
        "Breach of 3 September 2007: Breach action taken on 17 September 2007, on or before the "
        "due date of 17 September 2007 (10 working days after the unacceptable failure to comply "
        "on 3 September 2007). Breach of 13 March 2008: No breach action taken by 1 April 2008: "
        "it was due on 31 March 2008 (10 working days after the unacceptable failure to comply "
        "on 13 March 2008).",
    ),
    Golden(
        "NS07.breach-resolution",
        lambda: order(
            D(2007, 6, 1),
            D(2008, 2, 1),
            breaches=[{"failed_on": "2007-12-10", "resolved_on": "2008-01-17"}],
        ),
        Outcome.MET,
        "Breach of 10 December 2007: Breach resolved on 17 January 2008, on or before the due "
        "date of 17 January 2008 (25 working days after the unacceptable failure to comply on "
        "10 December 2007).",
    ),
    Golden(
        "NS07.victim-contact",
        lambda: case(
            D(2007, 12, 1),
            {
                "kind": "custody",
                "sentenced_on": D(2007, 9, 7),
                "custodial_months": 6,
                "offence_category": "serious_sexual",
            },
            victims=[{"id": "V1", "statutory": True}],
        ),
        Outcome.CANNOT_ASSESS,
        "Cannot assess: a victim is recorded as eligible for statutory contact, but the "
        "custodial term is 6 months; statutory contact follows 12 months or more in custody for "
        "a serious sexual or violent offence.",
    ),
    Golden(
        "NS07.psr-delivery",
        lambda: order(
            D(2007, 9, 7),
            D(2007, 10, 1),
            psr={"kind": "fast_delivery", "requested_on": "2007-09-03"},
        ),
        Outcome.CANNOT_ASSESS,
        "Cannot assess: no due date agreed with the court is recorded for the report.",
    ),
    Golden(
        "NS07.transfer-first-appointment",
        lambda: order(D(2007, 6, 1), D(2007, 9, 12), transfer_in={"notified_on": "2007-09-05"}),
        Outcome.NOT_APPLICABLE,
        "Not yet due: due by 12 September 2007 (5 working days after notification of the "
        "transfer on 5 September 2007); not done by 12 September 2007.",
    ),
    Golden(
        "NS07.transfer-home-visit",
        lambda: order(
            D(2007, 6, 1),
            D(2008, 4, 30),
            transfer_in={"notified_on": "2008-03-13"},
            home_visits=[{"on": "2008-03-31", "purpose": "transfer"}],
        ),
        Outcome.MET,
        "Home visit on 31 March 2008, on or before the due date of 31 March 2008 (10 working "
        "days after notification of the transfer on 13 March 2008).",
    ),
    Golden(
        "NS07.transfer-rmp-review",
        lambda: order(
            D(2007, 6, 1),
            D(2007, 10, 1),
            roh=roh("very_high", D(2007, 6, 1)),
            transfer_in={"notified_on": "2007-09-03", "first_contact_on": "2007-09-05"},
            assessments=[review("T", D(2007, 9, 12), trigger="transfer", rmp=True)],
        ),
        Outcome.MET,
        "Risk management plan reviewed on 12 September 2007, on or before the due date of "
        "12 September 2007 (5 working days after first contact with the offender on "
        "5 September 2007).",
    ),
    Golden(
        "NS07.home-visit-high-roh",
        lambda: order(
            D(2007, 9, 3),
            D(2007, 10, 1),
            roh=roh("high", D(2007, 9, 3)),
            home_visits=[{"on": "2007-09-18", "purpose": "risk_of_harm"}],
        ),
        Outcome.NOT_MET,
        "Home visit on 18 September 2007, 1 working day after it was due on 17 September 2007 "
        "(10 working days after sentence on 3 September 2007).",
    ),
    Golden(
        "NS07.allocation",
        lambda: order(
            D(2007, 12, 21),
            D(2008, 2, 1),
            om_assignments=[{"staff": "S7", "role": "pso", "start": "2008-01-02"}],
        ),
        Outcome.MET,
        "Allocated to an offender manager on 2 January 2008, on or before the due date of "
        "2 January 2008 (5 working days after sentence on 21 December 2007).",
        {"allocation_limit": 5},
    ),
    Golden(
        "NS07.induction",
        lambda: custody(D(2007, 9, 5), D(2007, 10, 1), inductions=[{"on": "2007-09-13"}]),
        Outcome.NOT_MET,
        "Full induction on 13 September 2007, 1 working day after it was due on 12 September "
        "2007 (5 working days after sentence on 5 September 2007).",
        {"induction_limit": 5},
    ),
    Golden(
        "NS07.appointment-frequency",
        lambda: order(
            D(2007, 10, 5),
            D(2007, 11, 20),
            contacts=[
                {"on": "2007-10-12", "outcome": "attended"},
                {"on": "2007-10-26", "outcome": "unacceptable_absence"},
                {"on": "2007-11-12", "outcome": "attended"},
            ],
        ),
        Outcome.NOT_MET,
        "1 of 4 intervals was late. Appointment on 12 November 2007, 3 days after it was due on "
        "9 November 2007 (14 days after the previous appointment on 26 October 2007).",
        {"appointment_interval_limit": 14},
    ),
    Golden(
        "NS07.upw-frequency",
        lambda: case(
            D(2008, 4, 15),
            {
                "kind": "community_order",
                "sentenced_on": D(2008, 3, 3),
                "requirements": [
                    {
                        "kind": "unpaid_work",
                        "hours": 40,
                        "commenced_on": "2008-03-10",
                        "completed_on": "2008-03-30",
                    }
                ],
            },
            contacts=[{"on": "2008-03-24", "kind": "unpaid_work_session"}],
        ),
        Outcome.MET,
        "Unpaid work session on 24 March 2008, on or before the due date of 24 March 2008 "
        "(14 days after commencement of unpaid work on 10 March 2008).",
        {"upw_session_interval_limit": 14},
    ),
    Golden(
        "NS07.full-analysis-where-screened",
        # 15 working days from the screening on 10 September: due 1 October, passed on the 2nd
        lambda: order(
            D(2007, 9, 3),
            D(2007, 10, 2),
            assessments=[
                {
                    "id": "A",
                    "purpose": "start",
                    "screening": {"completed_on": "2007-09-10", "full_analysis_required": True},
                }
            ],
        ),
        Outcome.NOT_MET,
        "Screening of 10 September 2007: No full RoH analysis completed, although the screening "
        "called for one.",
    ),
    Golden(
        "NS07.rmp-where-not-low",
        lambda: order(
            D(2007, 9, 3),
            D(2007, 10, 1),
            roh=roh("high", D(2007, 9, 3)),
            assessments=[{"id": "A", "purpose": "start", "rmp": {"completed_on": "2007-09-10"}}],
        ),
        Outcome.MET,
        "Risk management plan completed on 10 September 2007; the case is high RoH (since "
        "3 September 2007).",
    ),
    Golden(
        "NS07.mappa-level",
        lambda: order(
            D(2007, 9, 3),
            D(2007, 10, 1),
            mappa={"category": 1, "levels": [{"level": 2, "on": "2007-09-05"}]},
        ),
        Outcome.MET,
        "MAPPA level 2 recorded on 5 September 2007.",
    ),
]


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda g: g.rule)
def test_golden_sentence(golden: Golden, calendar: WorkingCalendar) -> None:
    result = finding(golden.rule, golden.build(), calendar, params=golden.params)
    assert result.reason == golden.reason
    assert result.outcome is golden.outcome


def test_every_rule_has_a_golden_example() -> None:
    rules = {
        rule.id
        for name in ("national-standards-2005", "national-standards-2007")
        for rule in ruleset(name)
    }
    assert sorted(g.rule for g in GOLDEN) == sorted(rules)


def test_a_late_oasys_names_trigger_due_done_and_lateness_with_its_source(
    calendar: WorkingCalendar,
) -> None:
    late = finding(
        "NS07.oasys-tier1-3",
        order(
            D(2007, 12, 14),
            D(2008, 2, 1),
            tiers=[{"tier": 1, "on": iso(D(2007, 12, 14))}],
            assessments=[full_oasys("A", "start", D(2008, 1, 11))],
        ),
        calendar,
    )
    assert late.outcome is Outcome.NOT_MET
    facts = {item.label: (item.value, item.source) for item in late.evidence}
    assert facts["sentence"] == (dt.date(2007, 12, 14), None)
    assert facts["due by"] == (dt.date(2008, 1, 9), "003:701")
    assert facts["oasys completed"] == (dt.date(2008, 1, 11), None)
    assert facts["working days late"] == (2, None)
    assert facts["time limit"] == ("15 working days", "003:701")
    assert late.source == ("003:701",)
    assert late.reason == (
        "OASys completed on 11 January 2008, 2 working days after it was due on 9 January 2008 "
        "(15 working days after sentence on 14 December 2007)."
    )
