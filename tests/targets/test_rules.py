"""The rules behind the targets, at their boundaries: one finding per case or per unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Basis, Finding, Outcome, RuleSet, evaluate, ruleset
from casework.testing import make_case

D = dt.date
AS_OF = D(2007, 10, 15)


def findings(
    calendar: WorkingCalendar,
    case: Case,
    rule_id: str,
    *,
    rules: str | RuleSet = "rom-east-of-england-2007-08",
    as_of: dt.date = AS_OF,
    options: dict[str, Any] | None = None,
) -> list[Finding]:
    return [
        f
        for f in evaluate(case, rules, as_of=as_of, calendar=calendar, options=options)
        if f.rule_id == rule_id
    ]


def one(calendar: WorkingCalendar, case: Case, rule_id: str, **kw: Any) -> Finding:
    (finding,) = findings(calendar, case, rule_id, **kw)
    return finding


def evidence(finding: Finding, label: str) -> object:
    return next(item.value for item in finding.evidence if item.label == label)


# ---------------------------------------------------------------- the case's dates


def test_every_case_gets_its_area_and_dates(calendar: WorkingCalendar) -> None:
    case = make_case(
        area="Essex",
        sentence={"kind": "licence", "sentenced_on": "2006-01-09", "released_on": "2007-06-04"},
    )
    header = one(calendar, case, "TGT.case")
    assert (header.outcome, header.basis) == (Outcome.NOT_APPLICABLE, Basis.DESCRIPTIVE)
    assert evidence(header, "area") == "Essex"
    assert evidence(header, "start") == D(2007, 6, 4)  # release starts a licence case
    assert evidence(header, "sentence") == D(2006, 1, 9)
    assert evidence(header, "six-month point") == D(2007, 12, 4)
    assert header.reason == (
        "Area Essex; started (release) on 4 June 2007; not terminated; six-month point "
        "4 December 2007."
    )


# ---------------------------------------------------------------- enforcement


def test_breach_resolution_counts_working_days_per_breach(calendar: WorkingCalendar) -> None:
    # failure Monday 18 June 2007; 25 working days later is Monday 23 July
    case = make_case(
        breaches=[
            {"failed_on": "2007-06-18", "resolved_on": "2007-07-23"},
            {"failed_on": "2007-06-18", "resolved_on": "2007-07-24"},
            {"failed_on": "2007-09-03"},
        ]
    )
    on_time, late, open_ = findings(calendar, case, "TGT.breach-resolution")
    assert (on_time.unit, late.unit) == ("Breach of 18 June 2007 (1)", "Breach of 18 June 2007 (2)")
    assert (on_time.outcome, late.outcome) == (Outcome.MET, Outcome.NOT_MET)
    assert evidence(on_time, "working days to resolution") == 25
    assert evidence(late, "working days to resolution") == 26
    assert evidence(late, "unit") == "Breach of 18 June 2007 (2)"
    assert late.reason.startswith("Breach of 18 June 2007 (2): Breach resolved on 24 July 2007")
    # 3 September + 25 working days = 8 October, before as_of: unresolved and overdue
    assert open_.outcome is Outcome.NOT_MET
    assert not [item for item in open_.evidence if item.label == "working days to resolution"]


def test_breach_resolution_is_about_community_penalties_only(calendar: WorkingCalendar) -> None:
    licence = make_case(
        sentence={"kind": "licence", "released_on": "2007-06-04"},
        breaches=[{"failed_on": "2007-07-02", "action_on": "2007-07-03"}],
    )
    finding = one(calendar, licence, "TGT.breach-resolution")
    assert (finding.basis, finding.unit) == (Basis.OUT_OF_SCOPE, None)
    assert one(calendar, licence, "TGT.breach-action").outcome is Outcome.MET


def test_breach_action_ten_working_days_over_the_august_bank_holiday(
    calendar: WorkingCalendar,
) -> None:
    # failure Friday 17 August 2007; Monday 27 August is a bank holiday: due Monday 3 September
    def action(day: str) -> Outcome:
        case = make_case(breaches=[{"failed_on": "2007-08-17", "action_on": day}])
        return one(calendar, case, "TGT.breach-action").outcome

    assert action("2007-09-03") is Outcome.MET
    assert action("2007-09-04") is Outcome.NOT_MET
    pending = one(
        calendar,
        make_case(breaches=[{"failed_on": "2007-08-17"}]),
        "TGT.breach-action",
        as_of=D(2007, 9, 3),
    )
    assert pending.basis is Basis.NOT_YET_DUE
    none = one(calendar, make_case(), "TGT.breach-action")
    assert none.reason == (
        "Not applicable: the question applies to cases with an unacceptable failure to comply."
    )


# ---------------------------------------------------------------- victims, reports, appointments


def _custody(**sentence: Any) -> dict[str, Any]:
    return {
        "kind": "custody",
        "sentenced_on": "2007-02-12",
        "offence_category": "serious_violent",
        "custodial_months": 12,
        **sentence,
    }


@pytest.mark.parametrize(
    ("sentence", "statutory", "basis"),
    [
        (_custody(), True, Basis.COMPUTED),
        (_custody(offence_category="serious_sexual", custodial_months=48), True, Basis.COMPUTED),
        (_custody(), False, Basis.OUT_OF_SCOPE),
        # a victim recorded as eligible although the sentence rules it out: as National Standards
        (_custody(custodial_months=11), True, Basis.CONTRADICTORY),
        (_custody(offence_category="other"), True, Basis.CONTRADICTORY),
        ({"kind": "community_order"}, True, Basis.CONTRADICTORY),
        # facts not recorded do not contradict the victim's recorded eligibility
        (_custody(custodial_months=None, offence_category=None), True, Basis.COMPUTED),
    ],
)
def test_victim_contact_counts_victims_eligible_for_statutory_contact(
    calendar: WorkingCalendar, sentence: dict[str, Any], statutory: bool, basis: Basis
) -> None:
    case = make_case(
        sentence=sentence,
        victims=[{"id": "V1", "statutory": statutory, "contacted_on": "2007-03-01"}],
    )
    (finding,) = findings(calendar, case, "TGT.victim-contact")
    assert finding.basis is basis
    # the 2007 standard's arithmetic, without its in-force check by the day the clock started
    # (the sentence, February 2007, is before the 2007 standards)
    unclocked = attrs.evolve(ruleset("national-standards-2007"), by_clock=False)
    standard = one(calendar, case, "NS07.victim-contact", rules=unclocked)
    assert (finding.outcome, finding.basis) == (standard.outcome, standard.basis)


def test_victim_contact_one_finding_per_victim_within_eight_weeks(
    calendar: WorkingCalendar,
) -> None:
    # sentence Monday 12 February 2007 + 8 weeks = Monday 9 April (Easter Monday: no matter)
    case = make_case(
        sentence=_custody(),
        victims=[
            {"id": "V1", "statutory": True, "contact_offered_on": "2007-04-09"},
            {"id": "V2", "statutory": True, "contacted_on": "2007-04-10"},
            {"id": "V3", "statutory": True},
            {"id": "V4"},
        ],
    )
    v1, v2, v3 = findings(calendar, case, "TGT.victim-contact")
    assert [f.unit for f in (v1, v2, v3)] == ["Victim V1", "Victim V2", "Victim V3"]
    assert [f.outcome for f in (v1, v2, v3)] == [Outcome.MET, Outcome.NOT_MET, Outcome.NOT_MET]
    assert evidence(v1, "sentence") == D(2007, 2, 12)


def test_psr_delivery_to_the_agreed_date(calendar: WorkingCalendar) -> None:
    def delivered(day: str | None, as_of: dt.date = AS_OF) -> Finding:
        psr = {"kind": "fast_delivery", "requested_on": "2007-05-25", "due_on": "2007-06-01"}
        if day:
            psr["delivered_on"] = day
        return one(calendar, make_case(psr=psr), "TGT.psr-delivery", as_of=as_of)

    assert delivered("2007-06-01").outcome is Outcome.MET
    assert delivered("2007-06-02").outcome is Outcome.NOT_MET
    assert delivered(None, D(2007, 6, 1)).basis is Basis.NOT_YET_DUE
    assert delivered("2007-06-01").unit == "Pre-sentence report"
    assert evidence(delivered("2007-06-01"), "requested") == D(2007, 5, 25)
    assert (
        one(calendar, make_case(), "TGT.psr-delivery").reason
        == "Not applicable: the question applies to cases with a pre-sentence report."
    )


def test_appointments_attended(calendar: WorkingCalendar) -> None:
    case = make_case(
        contacts=[
            {"on": "2007-06-04", "outcome": "attended"},
            {"on": "2007-06-11", "outcome": "unacceptable_absence"},
            {"on": "2007-06-18", "outcome": "acceptable_absence"},
            {"on": "2007-06-25"},
        ]
    )
    counted = findings(calendar, case, "TGT.appointment-attended")
    assert [f.outcome for f in counted] == [
        Outcome.MET,
        Outcome.NOT_MET,
        Outcome.NOT_MET,
        Outcome.CANNOT_ASSESS,
    ]
    excluded = findings(
        calendar, case, "TGT.appointment-attended", options={"acceptable_absence": "exclude"}
    )
    assert excluded[2].basis is Basis.OUT_OF_SCOPE
    assert evidence(excluded[2], "appointment") == D(2007, 6, 18)


def test_appointments_arranged_per_national_standards(calendar: WorkingCalendar) -> None:
    case = make_case(
        contacts=[
            {"on": "2007-06-04", "arranged_per_standards": True},
            {"on": "2007-06-11", "arranged_per_standards": False},
            {"on": "2007-06-18"},
        ]
    )
    got = findings(calendar, case, "TGT.appointment-arranged", rules="nps-2005-06")
    assert [f.outcome for f in got] == [Outcome.MET, Outcome.NOT_MET, Outcome.CANNOT_ASSESS]


# ---------------------------------------------------------------- orders and licences ended


@pytest.mark.parametrize(
    ("reason", "outcome", "basis"),
    [
        ("completed", Outcome.MET, Basis.COMPUTED),
        ("early_termination_good_progress", Outcome.MET, Basis.COMPUTED),
        ("revoked_breach", Outcome.NOT_MET, Basis.COMPUTED),
        ("revoked_further_offence", Outcome.NOT_MET, Basis.COMPUTED),
        ("recalled", Outcome.NOT_MET, Basis.COMPUTED),
        ("other", Outcome.NOT_MET, Basis.COMPUTED),
        ("transferred_out", Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
        ("died", Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
    ],
)
def test_successful_completion_by_termination_reason(
    calendar: WorkingCalendar, reason: str, outcome: Outcome, basis: Basis
) -> None:
    case = make_case(sentence={"termination": {"on": "2007-09-28", "reason": reason}})
    finding = one(calendar, case, "TGT.successful-completion")
    assert (finding.outcome, finding.basis) == (outcome, basis)
    assert evidence(finding, "terminated") == D(2007, 9, 28)


def test_successful_completion_waits_for_the_end(calendar: WorkingCalendar) -> None:
    finding = one(calendar, make_case(), "TGT.successful-completion")
    assert (finding.outcome, finding.basis) == (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE)
    assert finding.reason == (
        "Not yet due: not terminated by 15 October 2007; counted when the order or licence ends."
    )
    assert evidence(finding, "terminated") is None
    custody = make_case(sentence={"kind": "custody"})
    assert one(calendar, custody, "TGT.successful-completion").basis is Basis.OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("reason", "resolution", "outcome"),
    [
        ("completed", "order_continued", Outcome.MET),
        ("completed", "revoked_resentenced", Outcome.NOT_MET),
        ("revoked_breach", None, Outcome.NOT_MET),
        ("early_termination_good_progress", None, Outcome.MET),
    ],
)
def test_compliance_2005_06_allows_orders_continued_after_breach(
    calendar: WorkingCalendar, reason: str, resolution: str | None, outcome: Outcome
) -> None:
    breaches = (
        [{"failed_on": "2007-07-02", "resolved_on": "2007-07-20", "resolution": resolution}]
        if resolution
        else []
    )
    case = make_case(
        sentence={"termination": {"on": "2007-09-28", "reason": reason}}, breaches=breaches
    )
    assert one(calendar, case, "TGT.compliance", rules="nps-2005-06").outcome is outcome


def test_six_months_without_breach_at_the_boundary(calendar: WorkingCalendar) -> None:
    # order from Friday 1 June 2007: the six-month point is Saturday 1 December 2007
    def with_action(day: str) -> Finding:
        case = make_case(as_of="2008-01-07", breaches=[{"failed_on": day, "action_on": day}])
        return one(calendar, case, "TGT.six-months-without-breach", as_of=D(2008, 1, 7))

    assert with_action("2007-12-01").outcome is Outcome.NOT_MET
    assert with_action("2007-12-02").outcome is Outcome.MET
    assert evidence(with_action("2007-12-02"), "six-month point") == D(2007, 12, 1)
    pending = one(calendar, make_case(), "TGT.six-months-without-breach", as_of=D(2007, 11, 30))
    assert pending.basis is Basis.NOT_YET_DUE
    ended = make_case(sentence={"termination": {"on": "2007-09-28", "reason": "completed"}})
    assert one(calendar, ended, "TGT.six-months-without-breach").basis is Basis.OUT_OF_SCOPE


def test_accommodation_at_the_end_and_the_change_from_the_start(calendar: WorkingCalendar) -> None:
    def ended(start: str, end: str) -> Case:
        return make_case(
            sentence={"termination": {"on": "2007-09-28", "reason": "completed"}},
            outcomes={"accommodation": {"at_start": start, "at_end": end}},
        )

    at_end = one(calendar, ended("not_settled", "settled_and_suitable"), "TGT.accommodation-at-end")
    assert at_end.outcome is Outcome.MET
    unknown = one(calendar, ended("not_settled", "unknown"), "TGT.accommodation-at-end")
    assert unknown.basis is Basis.MISSING_DATA
    change = one(
        calendar,
        ended("not_settled", "settled_and_suitable"),
        "TGT.accommodation-change",
        rules="nps-2005-06",
    )
    assert change.outcome is Outcome.MET
    assert (evidence(change, "suitable at start"), evidence(change, "suitable at end")) == (
        False,
        True,
    )


# ---------------------------------------------------------------- employment


@pytest.mark.parametrize(
    ("ended_on", "as_of", "outcome", "basis"),
    [
        # from Monday 1 October: four weeks are 1-28 October
        ("2007-10-28", D(2007, 12, 1), Outcome.MET, Basis.COMPUTED),
        ("2007-10-27", D(2007, 12, 1), Outcome.NOT_MET, Basis.COMPUTED),
        (None, D(2007, 10, 28), Outcome.MET, Basis.COMPUTED),
        (None, D(2007, 10, 27), Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE),
    ],
)
def test_employment_sustained_for_four_weeks(
    calendar: WorkingCalendar, ended_on: str | None, as_of: dt.date, outcome: Outcome, basis: Basis
) -> None:
    episode = {"kind": "employment", "started_on": "2007-10-01"}
    if ended_on:
        episode["ended_on"] = ended_on
    case = make_case(as_of=as_of.isoformat(), outcomes={"employment": [episode]})
    finding = one(calendar, case, "TGT.employment-sustained", as_of=as_of)
    assert (finding.outcome, finding.basis) == (outcome, basis)
    if outcome is Outcome.MET:
        assert evidence(finding, "sustained on") == D(2007, 10, 28)


def test_vocational_training_counts_in_2005_06_only(calendar: WorkingCalendar) -> None:
    case = make_case(
        outcomes={
            "employment": [
                {
                    "kind": "vocational_training",
                    "started_on": "2007-07-02",
                    "ended_on": "2007-09-28",
                }
            ]
        }
    )
    assert one(calendar, case, "TGT.employment-sustained").basis is Basis.OUT_OF_SCOPE
    training = one(calendar, case, "TGT.employment-or-training-sustained", rules="nps-2005-06")
    assert training.outcome is Outcome.MET


def test_employment_before_supervision_does_not_count(calendar: WorkingCalendar) -> None:
    case = make_case(outcomes={"employment": [{"kind": "employment", "started_on": "2007-05-01"}]})
    assert one(calendar, case, "TGT.employment-sustained").basis is Basis.OUT_OF_SCOPE


# ---------------------------------------------------------------- requirements


def test_unpaid_work_completions_one_finding_per_requirement(calendar: WorkingCalendar) -> None:
    case = make_case(
        sentence={
            "requirements": [
                {"kind": "unpaid_work", "hours": 100, "completed_on": "2007-09-14"},
                {"kind": "unpaid_work", "hours": 60},
                {"kind": "supervision", "months": 12},
            ]
        }
    )
    done, open_ = findings(calendar, case, "TGT.upw-completion")
    assert (done.unit, done.outcome) == ("Unpaid work requirement (100 hours)", Outcome.MET)
    assert evidence(done, "completed") == D(2007, 9, 14)
    assert (open_.unit, open_.basis) == ("Unpaid work requirement (60 hours)", Basis.NOT_YET_DUE)
    ended = make_case(
        sentence={
            "requirements": [{"kind": "unpaid_work", "hours": 60}],
            "termination": {"on": "2007-09-28", "reason": "revoked_breach"},
        }
    )
    assert one(calendar, ended, "TGT.upw-completion").outcome is Outcome.NOT_MET


def test_programme_completions_by_category(calendar: WorkingCalendar) -> None:
    case = make_case(
        sentence={
            "requirements": [
                {"kind": "accredited_programme", "programme": "sotp", "completed_on": "2007-09-03"},
                {"kind": "accredited_programme", "programme": "idap"},
                {"kind": "accredited_programme", "programme": "enhanced_thinking_skills"},
                {"kind": "accredited_programme", "programme_category": "general"},
                {"kind": "accredited_programme", "programme": "other"},
            ]
        }
    )

    def units(
        rule_id: str, rules: str = "rom-east-of-england-2007-08"
    ) -> list[tuple[str, Outcome]]:
        return [(str(f.unit), f.outcome) for f in findings(calendar, case, rule_id, rules=rules)]

    assert units("TGT.programme-completion-sex-offender") == [
        ("Programme requirement (sotp)", Outcome.MET),
        ("Programme requirement (other)", Outcome.CANNOT_ASSESS),
    ]
    assert units("TGT.programme-completion-domestic-violence")[0] == (
        "Programme requirement (idap)",
        Outcome.NOT_APPLICABLE,
    )
    assert [u for u, _ in units("TGT.programme-completion-general")] == [
        "Programme requirement (enhanced thinking skills)",
        "Programme requirement",
        "Programme requirement (other)",
    ]
    assert len(units("TGT.programme-completion", rules="nps-2005-06")) == 5


def test_programme_starts_and_completions_after_the_first_session(
    calendar: WorkingCalendar,
) -> None:
    case = make_case(
        sentence={
            "requirements": [
                {"kind": "accredited_programme", "programme": "asro", "commenced_on": "2007-07-02"},
                {"kind": "accredited_programme", "programme": "calm"},
            ],
            "termination": {"on": "2007-09-28", "reason": "revoked_breach"},
        }
    )
    starts = findings(calendar, case, "TGT.programme-start", rules="nps-2005-06")
    assert [f.outcome for f in starts] == [Outcome.MET, Outcome.NOT_MET]
    (after,) = findings(calendar, case, "TGT.programme-completion-after-start", rules="nps-2005-06")
    assert (after.unit, after.outcome) == ("Programme requirement (asro)", Outcome.NOT_MET)
    assert evidence(after, "commenced") == D(2007, 7, 2)


@pytest.mark.parametrize(
    ("retained_until", "as_of", "outcome", "basis"),
    [
        # commenced Monday 2 July 2007: twelve weeks on is Monday 24 September
        ("2007-09-24", AS_OF, Outcome.MET, Basis.COMPUTED),
        ("2007-09-23", AS_OF, Outcome.NOT_MET, Basis.COMPUTED),
        (None, D(2007, 9, 23), Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE),
        (None, D(2007, 9, 24), Outcome.MET, Basis.COMPUTED),
    ],
)
def test_drr_retained_for_twelve_weeks(
    calendar: WorkingCalendar,
    retained_until: str | None,
    as_of: dt.date,
    outcome: Outcome,
    basis: Basis,
) -> None:
    requirement = {"kind": "drug_rehabilitation", "months": 12, "commenced_on": "2007-07-02"}
    if retained_until:
        requirement["retained_until"] = retained_until
    case = make_case(as_of=as_of.isoformat(), sentence={"requirements": [requirement]})
    finding = one(calendar, case, "TGT.drr-retention", as_of=as_of)
    assert (finding.outcome, finding.basis) == (outcome, basis)
    assert evidence(finding, "twelve-week point") == D(2007, 9, 24)


def test_drr_ended_before_twelve_weeks_was_not_retained(calendar: WorkingCalendar) -> None:
    case = make_case(
        sentence={
            "requirements": [{"kind": "dtto", "commenced_on": "2007-07-02"}],
            "termination": {"on": "2007-08-31", "reason": "revoked_breach"},
        }
    )
    finding = one(calendar, case, "TGT.drr-retention")
    assert finding.outcome is Outcome.NOT_MET
    assert evidence(finding, "retained until") == D(2007, 8, 31)
    not_started = make_case(sentence={"requirements": [{"kind": "drug_rehabilitation"}]})
    assert one(calendar, not_started, "TGT.drr-retention").basis is Basis.OUT_OF_SCOPE
    assert one(calendar, not_started, "TGT.drr-commencement").basis is Basis.NOT_YET_DUE
    commenced = one(
        calendar,
        make_case(sentence={"requirements": [{"kind": "dtto", "commenced_on": "2007-07-02"}]}),
        "TGT.drr-commencement",
    )
    assert evidence(commenced, "commenced") == D(2007, 7, 2)
