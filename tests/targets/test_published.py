"""Published tables judged figure by figure must give the published verdicts.

The figures are copied from the seeds into tests/targets/data with their line numbers.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from casework.rules.targets import NearMiss, TargetStatus, target_set
from tests.targets.tables import read_table

NATIONAL = read_table("national-2007-08.csv")
AREAS = read_table("east-of-england-2007-08.csv")
TALLIES = read_table("east-of-england-tallies.csv")
DEVON = read_table("devon-cornwall-2006-07.csv")


def _national(near_miss: NearMiss | None = None) -> dict[str, TargetStatus]:
    targets = target_set("nps-2007-08")
    return {
        row["measure"]: targets[row["measure"]].assess(row["actual"], near_miss=near_miss).status
        for row in NATIONAL
    }


def test_the_printed_targets_are_the_stored_ones() -> None:
    targets = target_set("nps-2007-08")
    for row in NATIONAL:
        assert targets[row["measure"]].threshold == targets[row["measure"]].parse(row["target"])


def test_national_2007_08_without_a_tolerance_every_miss_is_not_met() -> None:
    statuses = _national()
    published = {row["measure"]: TargetStatus(row["status"]) for row in NATIONAL}
    # the only difference from the published table: its one near miss is not met
    assert {m for m in statuses if statuses[m] != published[m]} == {"N06"}
    assert statuses["N06"] is TargetStatus.NOT_MET
    assert Counter(statuses.values()) == {TargetStatus.MET: 11, TargetStatus.NOT_MET: 5}


def test_national_2007_08_with_the_documented_tolerance_reproduces_the_table() -> None:
    # 000:52-56: 11 met or exceeded, one narrowly missed, four missed
    targets = target_set("nps-2007-08")
    assessments = [
        targets[row["measure"]].assess(row["actual"], near_miss=NearMiss.relative("5%"))
        for row in NATIONAL
    ]
    assert {a.measure: a.status for a in assessments} == {
        row["measure"]: TargetStatus(row["status"]) for row in NATIONAL
    }
    tally = targets.tally(assessments)
    assert (tally.met, tally.near_miss, tally.not_met) == (11, 1, 4)


def test_the_named_published_reading_reproduces_the_table_and_says_so() -> None:
    # 000:52-56: 11 met or exceeded, one narrowly missed, four missed; the default reading
    # (no near miss) gives 11 met and 5 not met (test above)
    targets = target_set("nps-2007-08")
    assessments = [
        targets[row["measure"]].assess(row["actual"], near_miss="published") for row in NATIONAL
    ]
    assert {a.measure: a.status for a in assessments} == {
        row["measure"]: TargetStatus(row["status"]) for row in NATIONAL
    }
    tally = targets.tally(assessments)
    assert (tally.met, tally.near_miss, tally.not_met) == (11, 1, 4)
    n06 = next(a for a in assessments if a.measure == "N06")
    assert "near-miss reading 'published'" in n06.rule
    assert n06.to_dict()["near_miss"]["reading"] == "published"
    # the reading lies inside the range of tolerances that reproduce the table (below)
    reading = targets.near_miss_reading("published")
    assert reading.kind == "relative"
    assert Fraction(2, 70) <= reading.amount < Fraction(1, 10)


def test_no_set_but_2007_08_offers_a_published_reading() -> None:
    assert [r.name for r in target_set("nps-2007-08").near_miss_readings] == ["published"]
    for name in ("nps-2005-06", "rom-east-of-england-2007-08"):
        with pytest.raises(KeyError, match="no near-miss reading"):
            target_set(name).near_miss_reading("published")


@pytest.mark.parametrize(
    ("tolerance", "near_misses"),
    [
        # N06 is 2/70 short (2.86%); N05, the next nearest, 6/60 (10%): any relative
        # tolerance in [2/70, 1/10) reproduces the table
        (NearMiss.relative(Fraction(2, 70)), {"N06"}),
        (NearMiss.relative(Fraction(2, 70) - Fraction(1, 10**6)), set()),
        (NearMiss.relative(Fraction(1, 10) - Fraction(1, 10**6)), {"N06"}),
        (NearMiss.relative("10%"), {"N05", "N06"}),
        # in points: N06 is 2 short, N15 3.1 days over, N05 6 short: [2, 3.1)
        (NearMiss.absolute(2), {"N06"}),
        (NearMiss.absolute("3.09"), {"N06"}),
        (NearMiss.absolute("3.1"), {"N06", "N15"}),
    ],
)
def test_which_tolerances_reproduce_the_one_near_miss(
    tolerance: NearMiss, near_misses: set[str]
) -> None:
    statuses = _national(tolerance)
    assert {m for m, s in statuses.items() if s is TargetStatus.NEAR_MISS} == near_misses


def test_percent_achieved_is_reproduced_for_every_volume_target() -> None:
    targets = target_set("nps-2007-08")
    printed = {row["measure"]: int(row["pct_achieved"]) for row in NATIONAL if row["pct_achieved"]}
    assert set(printed) == {"N07", "N08", "N09", "N10", "N11"}
    for measure, pct in printed.items():
        row = next(r for r in NATIONAL if r["measure"] == measure)
        assert targets[measure].assess(row["actual"]).pct_achieved == pct


def test_every_area_target_printed_is_the_stored_one() -> None:
    rom = target_set("rom-east-of-england-2007-08")
    assert len(AREAS) == 6 * 23
    for row in AREAS:
        measure = rom[row["measure"]]
        assert measure.label == row["label"]
        assert measure.threshold_for(row["area"]) == measure.parse(row["target"])
        assert measure.area_sources[row["area"]] == row["source"]


def _area_statuses(area: str) -> dict[str, TargetStatus]:
    rom = target_set("rom-east-of-england-2007-08")
    return {
        row["measure"]: rom[row["measure"]].assess(row["actual"], area=area).status
        for row in AREAS
        if row["area"] == area
    }


@pytest.mark.parametrize("published", TALLIES, ids=[row["area"] for row in TALLIES])
def test_area_tallies_reproduce_the_published_number_of_missed_targets(
    published: dict[str, str],
) -> None:
    rom = target_set("rom-east-of-england-2007-08")
    statuses = _area_statuses(published["area"])
    tally = rom.tally(
        rom[row["measure"]].assess(row["actual"], area=published["area"])
        for row in AREAS
        if row["area"] == published["area"]
    )
    assert tally.missed == int(published["missed"])
    assert tally.judged == 21  # the 2 Additional National Measures are not tallied
    missed = {m for m, s in statuses.items() if s is TargetStatus.NOT_MET and rom[m].in_tally}
    named = set(published["named"].split())
    if published["all"] == "true":
        assert missed == named
    else:
        assert named <= missed


def test_the_additional_national_measures_are_judged_but_not_tallied() -> None:
    for area in target_set("rom-east-of-england-2007-08").areas:
        statuses = _area_statuses(area)
        # sickness is missed and race monitoring met in every area (national-targets.md §3.3)
        assert (statuses["S22"], statuses["S23"]) == (TargetStatus.NOT_MET, TargetStatus.MET)


def test_ties_meet_in_the_area_tables() -> None:
    # Bedfordshire SOTP 20/20 and DV 10/10, Norfolk SOTP 29/29 and DV 40/40, Essex race 95%/95%
    ties = [row for row in AREAS if row["target"] == row["actual"]]
    assert {(row["area"], row["measure"]) for row in ties} == {
        ("Bedfordshire", "S3"),
        ("Bedfordshire", "S4"),
        ("Norfolk", "S3"),
        ("Norfolk", "S4"),
        ("Essex", "S23"),
    }
    for row in ties:
        assert _area_statuses(row["area"])[row["measure"]] is TargetStatus.MET


def test_regional_totals_of_area_volume_targets() -> None:
    rom = target_set("rom-east-of-england-2007-08")
    # national-targets.md §3.3: UPW 4830, SOTP 145, DV 198, general 1141, DRR 1041,
    # employment 1108, LSC referrals 4051
    totals = {m: rom[m].threshold_for() for m in ("S2", "S3", "S4", "S5", "S7", "S8", "S20")}
    assert totals == {
        "S2": 4830,
        "S3": 145,
        "S4": 198,
        "S5": 1141,
        "S7": 1041,
        "S8": 1108,
        "S20": 4051,
    }
    assert rom["S1"].threshold_for() is None  # no regional stand-down target
    assert rom["S16"].threshold_for() is None


def _devon(
    column: str, near_miss: dict[str, NearMiss] | None = None
) -> list[tuple[str, bool, TargetStatus]]:
    targets = target_set("nps-2005-06")
    out = []
    for row in DEVON:
        if not row[column]:
            continue
        assessment = targets[row["measure"]].assess(
            row[column], target=row["target"], near_miss=near_miss
        )
        out.append((row["row"], row[f"{column}_starred"] == "true", assessment.status))
    return out


@pytest.mark.parametrize("column", ["area", "england_wales"])
def test_omi_area_table_met_rows_are_starred_and_unstarred_rows_not_met(column: str) -> None:
    # 004:782 "* Asterisk indicates met target or 'near miss'"
    for row, starred, status in _devon(column):
        if status is TargetStatus.MET:
            assert starred, row
        if not starred:
            assert status is TargetStatus.NOT_MET, row


def test_omi_area_table_near_misses_need_a_tolerance_per_measure() -> None:
    # Starred yet short: compliance 81% v 85% (4 points) but court reports 86% v 90% (4 points)
    # is not starred, so no single tolerance reproduces 004; tolerances per measure do.
    compliance = Fraction(85 - 81, 85)
    court_reports = Fraction(90 - 86, 90)
    assert court_reports < compliance  # a tolerance covering compliance covers court reports
    per_measure = {
        "PM2": NearMiss.relative("5%"),
        "PM5": NearMiss.relative("10%"),
        "LCJB-b": NearMiss.relative("5%"),
    }
    for column in ("area", "england_wales"):
        for row, starred, status in _devon(column, per_measure):
            assert starred == (status in {TargetStatus.MET, TargetStatus.NEAR_MISS}), row
