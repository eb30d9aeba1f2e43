"""A synthetic case file's target report, every figure worked out by hand.

examples/targets-cases.yaml says beside each case what it contributes; the sums are here.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pytest

from casework import (
    NearMiss,
    Period,
    TargetStatus,
    WorkingCalendar,
    load_cases,
    target_performance,
    target_set,
)
from casework.model import Case
from casework.performance import TargetReport, TargetResult
from casework.rules import evaluate
from tests.conftest import EXAMPLES

AS_OF = dt.date(2008, 4, 11)
YEAR = Period.financial_year("2007-08")


@pytest.fixture(scope="module")
def cases() -> tuple[Case, ...]:
    loaded = load_cases(EXAMPLES / "targets-cases.yaml")
    assert not loaded.errors
    return loaded.cases


@pytest.fixture(scope="module")
def national(cases: tuple[Case, ...], calendar: WorkingCalendar) -> TargetReport:
    return target_performance(cases, "nps-2007-08", period=YEAR, as_of=AS_OF, calendar=calendar)


def _who(refs: object) -> list[tuple[str, str | None]]:
    return [(ref.case_ref, ref.unit) for ref in refs]  # type: ignore[attr-defined]


def test_oasys_targets(national: TargetReport) -> None:
    # N01 PPOs: E3 met, S1 not met; the 7 other cases started in the year are excluded;
    # E6 started in March 2007, outside the year
    n01 = national["N01"]
    assert (n01.figure, n01.status) == (Fraction(1, 2), TargetStatus.NOT_MET)
    assert n01.counts is not None
    assert (n01.counts.excluded, n01.counts.outside_period) == (7, 1)
    assert _who(n01.failed) == [("S1", None)]
    # N02 Tier 4, not PPO: S3 met, E2 not met
    assert national["N02"].figure == Fraction(1, 2)
    assert _who(national["N02"].failed) == [("E2", None)]
    # N03 Tiers 1-3, not PPO: E1, E4, S4 met; S2 not met; E5 pending (due 21 April 2008)
    n03 = national["N03"]
    assert (n03.numerator, n03.denominator) == (3, 4)
    assert n03.counts is not None
    assert (n03.counts.pending, n03.counts.excluded) == (1, 4)
    assert _who(n03.pending_units) == [("E5", None)]
    assert n03.reason == (
        "75% is below the target of 90% (15 points short): not met. "
        "(3 of 4 cases in scope met the rule; left out: 1 pending, 4 excluded.)"
    )


def test_enforcement_targets(national: TargetReport) -> None:
    # breaches resolved in the year: E1 24, E2 74 and E6 25 working days (E6's failure was in
    # March 2007); S1's breach is not yet resolved, so it is not yet counted
    n04 = national["N04"]
    assert (n04.numerator, n04.denominator, n04.figure) == (123, 3, 41)
    assert n04.status is TargetStatus.NOT_MET
    assert n04.figure_display == "41"
    assert [(ref.case_ref, ref.value) for ref in n04.failed] == [("E2", 74)]  # over 35
    assert n04.counts is not None
    assert n04.counts.unplaced == 7  # S1's open breach and six cases with no breach
    # within 25 working days: E1 and E6 (25, a tie), not E2
    n05 = national["N05"]
    assert (n05.figure, n05.status) == (Fraction(2, 3), TargetStatus.MET)


def test_completions_victims_reports_and_volumes(national: TargetReport) -> None:
    # ended in the year: E1, S2, S3 completed; E2 revoked; S4 transferred out (left out)
    n06 = national["N06"]
    assert (n06.figure, n06.status) == (Fraction(3, 4), TargetStatus.MET)
    assert n06.counts is not None
    assert n06.counts.excluded == 1
    # E4's victims: V1 (on the day) and V3 in time, V2 a day late
    n13 = national["N13"]
    assert n13.figure == Fraction(2, 3)
    assert _who(n13.failed) == [("E4", "Victim V2")]
    # reports requested in the year: E2 on time, S4 a day late
    assert national["N14"].figure == Fraction(1, 2)
    # volumes: unpaid work E1 and S1; employment E3; general, sex offender and domestic
    # violence programmes S2, E6, E6; DRR retention E2 yes, S2 no
    volumes = {m: national[m].figure for m in ("N07", "N08", "N09", "N10", "N11")}
    assert volumes == {"N07": 2, "N08": 1, "N09": 1, "N10": 1, "N11": 1}
    # national volume targets are shown beside the count, not judged against ten cases
    assert {national[m].status for m in volumes} == {TargetStatus.NATIONAL}
    assert national["N07"].target == 46300
    assert national["N07"].pct_achieved is None
    assert national["N12"].figure == Fraction(1, 2)
    # staff measures: no case-level rule
    assert national["N15"].status is TargetStatus.NO_DATA
    assert national["N15"].basis == "none"


def test_the_report_tallies_and_is_plain_json(national: TargetReport) -> None:
    tally = national.tally()
    # N05, N06 met; the five national volumes (N07-N11) shown, not judged
    assert (tally.met, tally.not_met, tally.no_data, tally.national) == (2, 7, 2, 5)
    data = national.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["results"][3]["failed"][0] == {
        "case_ref": "E2",
        "unit": "Breach of 3 September 2007",
        "reason": data["results"][3]["failed"][0]["reason"],
        "value": 74,
    }
    assert len(national.to_records()) == 16


def test_area_figures_use_the_area_s_cases_and_targets(
    cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    def rom(area: str) -> TargetReport:
        return target_performance(
            cases,
            "rom-east-of-england-2007-08",
            period=YEAR,
            as_of=AS_OF,
            calendar=calendar,
            area=area,
        )

    essex, suffolk = rom("Essex"), rom("Suffolk")
    # Tier 1-3: Essex E1, E4 met (E5 pending); Suffolk S4 met, S2 not
    assert essex["S18"].figure == 1
    assert suffolk["S18"].figure == Fraction(1, 2)
    # unpaid work completions against each area's own target
    assert (essex["S2"].figure, essex["S2"].target) == (1, 1400)
    assert (suffolk["S2"].figure, suffolk["S2"].target) == (1, 633)
    # accommodation at the end: Essex E1 yes, E2 no (50% v 85%); Suffolk S2 yes, S3 unknown
    assert (essex["S16"].figure, essex["S16"].target) == (Fraction(1, 2), Fraction(85, 100))
    assert suffolk["S16"].figure == 1
    assert suffolk["S16"].counts is not None
    assert suffolk["S16"].counts.cannot_assess == 1
    # appointments: Essex E1 3 of 4; Suffolk S1 2 of 2 and S4 2 of 3 (an acceptable absence)
    assert essex["S14"].figure == Fraction(3, 4)
    assert suffolk["S14"].figure == Fraction(4, 5)
    with pytest.raises(ValueError, match="not an area"):
        rom("Kent")


def test_pooled_area_volumes_are_judged_against_the_sum_of_area_targets(
    cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    region = target_performance(
        cases, "rom-east-of-england-2007-08", period=YEAR, as_of=AS_OF, calendar=calendar
    )
    assert (region["S2"].figure, region["S2"].target) == (2, 4830)
    assert region["S16"].status is TargetStatus.NO_TARGET  # targets differ by area only
    # six months without breach: E3, S2, S3 yes; E1, E2, E6, S1 breach action first;
    # E4 in custody left out; E5 and S4 reach six months after the year
    s15 = region["S15"]
    assert (s15.numerator, s15.denominator) == (3, 7)
    assert s15.counts is not None
    assert (s15.counts.excluded, s15.counts.outside_period) == (1, 2)


def test_options_and_anchors(cases: tuple[Case, ...], calendar: WorkingCalendar) -> None:
    # acceptable absences left out: 7 of 8 appointments, over the 85% target
    excluding = target_performance(
        cases,
        "rom-east-of-england-2007-08",
        period=YEAR,
        as_of=AS_OF,
        calendar=calendar,
        options={"acceptable_absence": "exclude"},
        measures=["S14"],
    )
    assert (excluding["S14"].figure, excluding["S14"].status) == (
        Fraction(7, 8),
        TargetStatus.MET,
    )
    # breaches counted by the failure to comply: E6's (March 2007) leaves the year and S1's
    # open, overdue breach comes in as a failure
    by_failure = target_performance(
        cases,
        "nps-2007-08",
        period=YEAR,
        as_of=AS_OF,
        calendar=calendar,
        anchors={"N05": "failure", "N04": "failure"},
        measures=["N04", "N05"],
    )
    assert by_failure["N05"].figure == Fraction(1, 3)  # E1 yes; E2 and S1 no
    assert by_failure["N04"].figure == Fraction(24 + 74, 2)
    assert by_failure["N04"].counts is not None
    assert by_failure["N04"].counts.pending == 1  # S1: no resolution yet to average


def test_periods_quarters_and_rolling_quarters(
    cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    findings = evaluate(cases, "nps-2007-08", as_of=AS_OF, calendar=calendar)
    q1 = target_performance(findings, "nps-2007-08", period=Period.quarter(2007, 1))
    # sentences April-June 2007 in Tiers 1-3: E1 met, S2 not met
    assert q1["N03"].figure == Fraction(1, 2)
    last = target_performance(findings, "nps-2007-08", period=Period.rolling_quarter(2008, 3))
    # January-March 2008: only E5, still pending: no figure
    assert last["N03"].status is TargetStatus.NO_DATA
    assert last["N03"].counts is not None
    assert last["N03"].counts.pending == 1


def test_findings_and_cases_give_the_same_report(
    cases: tuple[Case, ...], calendar: WorkingCalendar, national: TargetReport
) -> None:
    findings = evaluate(cases, "nps-2007-08", as_of=AS_OF, calendar=calendar)
    assert target_performance(findings, "nps-2007-08", period=YEAR) == national
    # the OASys targets can be computed from National Standards findings too
    standards = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    from_standards = target_performance(standards, "nps-2007-08", period=YEAR, measures=["N03"])
    assert from_standards["N03"].figure == national["N03"].figure


def test_supplied_figures_and_near_misses(national: TargetReport, cases: tuple[Case, ...]) -> None:
    calendar = WorkingCalendar.england_and_wales(2006, 2009)
    report = target_performance(
        cases,
        "nps-2007-08",
        period=YEAR,
        as_of=AS_OF,
        calendar=calendar,
        figures={"N15": "12.1"},
        near_miss=NearMiss.relative("20%"),
    )
    assert (report["N15"].status, report["N15"].basis) == (TargetStatus.NOT_MET, "supplied")
    # N03 75% against 90% is 1/6 short: a near miss with a 20% tolerance
    assert report["N03"].status is TargetStatus.NEAR_MISS
    assert national["N03"].status is TargetStatus.NOT_MET


def test_a_named_near_miss_reading_is_used_and_reported(
    national: TargetReport, cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    findings = evaluate(cases, "nps-2007-08", as_of=AS_OF, calendar=calendar)
    # N06 at 68% against 70% (000:130) is the published near miss: supply it as printed
    report = target_performance(
        findings, "nps-2007-08", period=YEAR, figures={"N06": "68%"}, near_miss="published"
    )
    assert report["N06"].status is TargetStatus.NEAR_MISS
    assert report.near_miss == "5% of the target (near-miss reading 'published')"
    assert report.to_dict()["near_miss"] == report.near_miss
    assert national.near_miss == "off"
    default = target_performance(findings, "nps-2007-08", period=YEAR, figures={"N06": "68%"})
    assert default["N06"].status is TargetStatus.NOT_MET
    with pytest.raises(KeyError, match="no near-miss reading 'loose'"):
        target_performance(findings, "nps-2007-08", period=YEAR, near_miss="loose")


def test_the_iccp_completion_rate_target_is_a_measure_judged_from_figures() -> None:
    # 001:399: "A target of a 40% completion rate has been set for this group."
    targets = target_set("nps-2005-06")
    rate = targets["PT4-rate"]
    assert (rate.threshold, rate.source, rate.rule_id) == (Fraction(2, 5), "001:399", None)
    assert rate.weighting is None  # not in the Weighted Scorecard (001:756-793)
    assert rate.assess("40%").status is TargetStatus.MET
    assert rate.assess("39%").status is TargetStatus.NOT_MET
    assert targets["PT4"].threshold == 350  # the volume target of 001:443 is unchanged


def test_bad_calls_are_refused(cases: tuple[Case, ...], calendar: WorkingCalendar) -> None:
    with pytest.raises(TypeError, match="needs as_of and calendar"):
        target_performance(cases, "nps-2007-08", period=YEAR)
    findings = evaluate(cases, "nps-2007-08", as_of=AS_OF, calendar=calendar)
    with pytest.raises(TypeError, match="findings carry their own"):
        target_performance(findings, "nps-2007-08", period=YEAR, as_of=AS_OF)
    with pytest.raises(KeyError, match="no measure 'N99'"):
        target_performance(findings, "nps-2007-08", period=YEAR, measures=["N99"])
    with pytest.raises(ValueError, match="anchor 'never'"):
        target_performance(findings, "nps-2007-08", period=YEAR, anchors={"N05": "never"})
    later = evaluate(cases, "nps-2007-08", as_of=dt.date(2008, 6, 30), calendar=calendar)
    with pytest.raises(ValueError, match="two different findings for case"):
        target_performance([*findings, *later], "nps-2007-08", period=YEAR)


def test_a_weighted_scorecard_needs_a_scoring_function(
    cases: tuple[Case, ...], calendar: WorkingCalendar, national: TargetReport
) -> None:
    scorecard = target_performance(
        cases, "nps-2005-06", period=YEAR, as_of=AS_OF, calendar=calendar
    )
    assert sum(r.weighting or 0 for r in scorecard) == 100

    def met_or_not(result: TargetResult) -> Fraction:
        return Fraction(int(result.status is TargetStatus.MET))

    # of the twelve weighted items only PM2 (weight 2) is met: 7 of 9 appointments, over 65%
    assert [r.measure for r in scorecard if r.weighting and r.status is TargetStatus.MET] == ["PM2"]
    assert scorecard.weighted_score(met_or_not) == Fraction(2, 100)
    with pytest.raises(ValueError, match="no weighted measures"):
        national.weighted_score(met_or_not)


def test_a_national_set_is_found_by_its_year_alone_as_on_the_command_line(
    cases: tuple[Case, ...], calendar: WorkingCalendar, national: TargetReport
) -> None:
    by_year = target_performance(cases, "2007-08", period=YEAR, as_of=AS_OF, calendar=calendar)
    assert by_year.target_set == "nps-2007-08"
    assert by_year.to_dict() == national.to_dict()
    with pytest.raises(KeyError, match="no target set named '1999-00'"):
        target_performance(cases, "1999-00", period=YEAR, as_of=AS_OF, calendar=calendar)


def test_national_volumes_are_judged_only_against_a_share_given_for_the_cases(
    cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    # N07 counts 2 completions (E1, S1). 1/23,150 of 46,300 is 2: a tie meets;
    # 1/20,000 of it is 2.315: 2 is short, not met.
    def n07(share: str | Fraction) -> TargetResult:
        return target_performance(
            cases, "nps-2007-08", period=YEAR, as_of=AS_OF, calendar=calendar, national_share=share
        )["N07"]

    tie, short = n07(Fraction(1, 23150)), n07("0.005%")
    assert (tie.target, tie.status, tie.pct_achieved) == (2, TargetStatus.MET, 100)
    assert (short.target, short.status) == (Fraction(463, 200), TargetStatus.NOT_MET)
    assert "0.005% of the national target of 46,300" in short.reason
    with pytest.raises(ValueError, match="more than 0%"):
        n07("0%")


def test_area_volume_targets_are_still_judged_against_the_area_s_cases(
    cases: tuple[Case, ...], calendar: WorkingCalendar
) -> None:
    essex = target_performance(
        cases,
        "rom-east-of-england-2007-08",
        period=YEAR,
        as_of=AS_OF,
        calendar=calendar,
        area="Essex",
    )
    volumes = [r for r in essex if r.aggregation.value == "volume" and r.target is not None]
    assert volumes
    assert TargetStatus.NATIONAL not in {r.status for r in volumes}
