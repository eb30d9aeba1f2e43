"""Every target and measure of the three sets, as data: wording, source, threshold, direction."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from casework.rules import ruleset
from casework.rules.targets import (
    ANCHORS,
    Aggregation,
    Direction,
    TargetDataError,
    available_target_sets,
    load_target_set,
    target_set,
)

SETS = ("nps-2005-06", "nps-2007-08", "rom-east-of-england-2007-08")
SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?$")


def test_the_three_sets_are_available_by_name() -> None:
    assert available_target_sets() == SETS
    with pytest.raises(KeyError, match="no target set named 'nps-2006-07'; known: nps-2005-06"):
        target_set("nps-2006-07")


@pytest.mark.parametrize("name", SETS)
def test_every_measure_has_wording_source_direction_unit_and_version(name: str) -> None:
    targets = target_set(name)
    assert targets.name == name
    assert targets.version.startswith(targets.year)
    for measure in targets:
        assert measure.wording.strip()
        assert measure.label.strip()
        assert SOURCE.match(measure.source)
        assert measure.direction in set(Direction)
        assert measure.aggregation in set(Aggregation)
        assert measure.unit
        assert measure.version == targets.version
        assert measure.target_set == name
        assert (measure.rule_id is None) == (measure.anchor is None)
        assert measure.anchor is None or measure.anchor in ANCHORS
        json.dumps(measure.to_dict())  # plain data


def test_the_2007_08_national_set_has_the_16_targets_in_table_order() -> None:
    targets = target_set("nps-2007-08")
    assert [m.id for m in targets] == [f"N{n:02d}" for n in range(1, 17)]
    assert [m.published for m in targets] == [
        f"000:{line}" for line in (122, 124, 126, 128, 129, 130, 131, 133, 134, 135, 136, 137)
    ] + [f"000:{line}" for line in (139, 141, 143, 144)]
    assert all(m.threshold is not None for m in targets)
    lower = {m.id for m in targets if m.direction is Direction.LOWER}
    assert lower == {"N04", "N15"}
    assert targets["N02"].wording.startswith("At least 90% of OASys assessments (assessment,")
    assert targets["N02"].threshold == Fraction(9, 10)
    assert targets["N07"].threshold == 46300


def test_the_2005_06_set_has_every_pt_and_pm_with_the_weighted_scorecard() -> None:
    targets = target_set("nps-2005-06")
    ids = {m.id for m in targets}
    assert ids >= {f"PT{n}" for n in range(1, 16) if n != 9} | {"PT9a", "PT9b"}
    assert ids >= {f"PM{n}" for n in range(1, 9)}
    weights = dict(targets.weightings)
    # 001:756-787: the twelve weighted items add up to 100
    assert weights == {
        "PT14": 10,
        "PT1": 10,
        "PT3": 10,
        "PT5": 10,
        "PT6": 8,
        "PT7": 8,
        "PM1": 2,
        "PM2": 2,
        "PT8": 10,
        "PT9b": 10,
        "PT11": 10,
        "PT12": 10,
    }
    assert sum(weights.values()) == 100
    # no threshold where the sources give none
    assert {m.id for m in targets if m.threshold is None} == {"PT13", "PM3", "PM4", "PM7", "PM8"}
    pt6 = targets["PT6"]
    assert pt6.wording.startswith("Initiate breach proceedings according to National Standards")
    assert pt6.annex_wording is not None
    assert "10 working days" in pt6.annex_wording
    assert (pt6.source, pt6.annex_source) == ("001:526", "001:771")


def test_the_rom_set_has_23_rows_with_area_targets_where_they_differ() -> None:
    rom = target_set("rom-east-of-england-2007-08")
    assert len(rom) == 23
    assert len(rom.areas) == 6
    assert [m.id for m in rom if not m.in_tally] == ["S22", "S23"]
    per_area = {m.id for m in rom if m.area_thresholds}
    assert per_area == {"S1", "S2", "S3", "S4", "S5", "S7", "S8", "S16", "S20"}
    for measure in rom:
        assert set(measure.area_sources) == set(rom.areas)
        for area in rom.areas:
            assert measure.threshold_for(area) is not None
    assert rom["S1"].threshold_for("Cambridgeshire") == Fraction(38, 1000)
    assert rom["S16"].threshold_for("Hertfordshire") == Fraction(88, 100)
    assert rom["S10"].direction is Direction.LOWER


@pytest.mark.parametrize("name", SETS)
def test_every_rule_a_measure_names_is_in_the_set_s_rule_set(name: str) -> None:
    rules = ruleset(name)
    assert rules.name == name
    assert rules.version == target_set(name).version
    for measure in target_set(name):
        if measure.rule_id is not None:
            assert measure.rule_id in rules


def test_the_oasys_targets_are_the_national_standards_rules_themselves() -> None:
    for name, ids in {
        "nps-2007-08": ("NS07.oasys-ppo", "NS07.oasys-tier4", "NS07.oasys-tier1-3"),
        "nps-2005-06": ("NS05.oasys-high-roh", "NS05.oasys-ppo"),
    }.items():
        standards = ruleset(
            "national-standards-2007" if name.endswith("07-08") else "national-standards-2005"
        )
        for rule_id in ids:
            assert ruleset(name).rule(rule_id) is standards.rule(rule_id)


_GOOD = """
name = "t"
title = "T"
year = "2007-08"
version = "2007-08.1"
period = [2007-04-01, 2008-03-31]
areas = ["A"]

[[measures]]
id = "X1"
label = "x"
wording = "x"
source = "003:1"
aggregation = "proportion"
direction = "higher"
unit = "case"
threshold = "90%"
"""


def test_a_good_file_loads() -> None:
    loaded = load_target_set(_GOOD, "t.toml")
    assert loaded["X1"].threshold == Fraction(9, 10)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('source = "003:1"', 'source = "003 L1"'), r"t.toml: measures\[0\] \(X1\): source"),
        (('threshold = "90%"', "threshold = 0.9"), "must be an integer or a string"),
        (('threshold = "90%"', 'threshold = "90"'), "not a proportion between 0 and 1"),
        (('direction = "higher"', 'direction = "up"'), "'up' is not a valid Direction"),
        (('unit = "case"', 'unit = "case"\nrule = "TGT.x"'), "a rule and its anchor go together"),
        (
            ('unit = "case"', 'unit = "case"\nrule = "TGT.x"\nanchor = "whenever"'),
            "anchor 'whenever' is not one of",
        ),
        (('unit = "case"', 'unit = "case"\nbogus = 1'), "unknown keys"),
        (('threshold = "90%"', 'area_thresholds = { B = "90%" }'), "areas not in the set"),
        (("period = [2007-04-01, 2008-03-31]", "period = [2008-04-01, 2008-03-31]"), "period"),
        (('label = "x"\n', ""), "needs 'label'"),
    ],
)
def test_a_bad_file_is_refused_with_its_location(change: tuple[str, str], message: str) -> None:
    old, new = change
    with pytest.raises(TargetDataError, match=message):
        load_target_set(_GOOD.replace(old, new, 1), "t.toml")


_READING = """
[near_miss_readings.published]
relative = "5%"
source = "000:52-56"
reproduces = "the table"
"""


def test_a_near_miss_reading_loads_and_is_named() -> None:
    loaded = load_target_set(_GOOD + _READING, "t.toml")
    tolerance = loaded.near_miss_reading("published")
    assert (tolerance.kind, tolerance.amount, tolerance.reading) == (
        "relative",
        Fraction(1, 20),
        "published",
    )
    assert loaded.to_dict()["near_miss_readings"][0]["source"] == "000:52-56"
    with pytest.raises(KeyError, match="has no near-miss reading 'other'; it has published"):
        loaded.near_miss_reading("other")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('relative = "5%"', 'relative = "5%"\nabsolute = 2'), "give one of relative or absolute"),
        (('relative = "5%"', ""), "give one of relative or absolute"),
        (('relative = "5%"', 'relative = "-5%"'), "published: a near-miss tolerance cannot be"),
        (('source = "000:52-56"', 'source = "page 3"'), "source 'page 3'"),
        (('reproduces = "the table"', ""), "needs 'reproduces'"),
        (('reproduces = "the table"', 'reproduces = "the table"\nwhy = 1'), "unknown keys"),
    ],
)
def test_a_bad_near_miss_reading_is_refused(change: tuple[str, str], message: str) -> None:
    old, new = change
    with pytest.raises(TargetDataError, match=message):
        load_target_set(_GOOD + _READING.replace(old, new, 1), "t.toml")


def test_a_measure_twice_is_refused() -> None:
    twice = _GOOD + _GOOD[_GOOD.index("[[measures]]") :]
    with pytest.raises(TargetDataError, match="measure 'X1' appears twice"):
        load_target_set(twice, "t.toml")
