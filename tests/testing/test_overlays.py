"""Rule-set overlays: variants derived without copying, named, and read from files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from casework import Duration, TimeUnit, WorkingCalendar
from casework.model import Case
from casework.rules import Context, Outcome, evaluate, met, rule, ruleset
from casework.rules.ruleset import (
    Overlay,
    OverlayError,
    RuleSet,
    parse_duration,
    resolve_ruleset,
)
from casework.testing import make_case, oasys

D = dt.date
AS_OF = D(2007, 10, 15)
NS07 = "national-standards-2007"


def _tier2_completed_on(day: str) -> Case:
    """A Tier 2 community order sentenced on Friday 1 June 2007, OASys done on ``day``."""
    return make_case(assessments=[oasys(day, missing=["full_analysis", "rmp"])])


@rule("T.extra", question="Extra question?", source="004:401", kind="quality")
def extra_rule(case: Case, ctx: Context) -> object:
    return met("Always met.")


@rule(
    "NS07.oasys-tier4",
    question="Tier 4 stand-in?",
    source="003:699",
    kind="timeliness",
)
def tier4_stand_in(case: Case, ctx: Context) -> object:
    return met("Stand-in.")


def test_ten_working_days_instead_of_fifteen(calendar: WorkingCalendar) -> None:
    base = ruleset(NS07)
    variant = base.derive(
        "ns07-ten-day-oasys",
        version="pilot-1",
        parameters={"oasys_tier1to3_limit": 10},
        note="pilot: 10 working days",
    )
    # sentence Friday 1 June 2007: 10 working days -> Friday 15 June; 15 -> Friday 22 June
    case = _tier2_completed_on("2007-06-18")
    (before,) = evaluate(case, base, as_of=AS_OF, calendar=calendar).where(
        rule="NS07.oasys-tier1-3"
    )
    (after,) = evaluate(case, variant, as_of=AS_OF, calendar=calendar).where(
        rule="NS07.oasys-tier1-3"
    )
    assert before.outcome is Outcome.MET
    assert after.outcome is Outcome.NOT_MET
    assert "due on 15 June 2007 (10 working days after sentence" in after.reason
    assert (after.ruleset, after.ruleset_version) == ("ns07-ten-day-oasys", "pilot-1")
    assert (before.ruleset, before.ruleset_version) == (NS07, base.version)
    time_limit = {e.label: e for e in after.evidence}["time limit"]
    assert (time_limit.value, time_limit.source) == (
        "10 working days",
        "overlay:ns07-ten-day-oasys",
    )
    assert variant.changes == ("oasys_tier1to3_limit: 15 working days -> 10 working days",)
    assert variant.lineage == (base.label, "ns07-ten-day-oasys@pilot-1")
    assert variant.parameters.get("oasys_tier1to3_limit").note == "pilot: 10 working days"


def test_a_variant_shares_the_base_rules_and_leaves_the_base_alone() -> None:
    base = ruleset(NS07)
    variant = base.derive("v", parameters={"oasys_tier1to3_limit": 10})
    assert all(a is b for a, b in zip(base.rules, variant.rules, strict=True))
    assert all(
        variant.parameters.definitions[name] is definition
        for name, definition in base.parameters.definitions.items()
    )
    assert variant.derived_from is base
    assert base.parameters.get("oasys_tier1to3_limit").value == 15
    assert (variant.family, variant.in_force_from) == (base.family, base.in_force_from)


def test_replace_add_and_remove_rules(calendar: WorkingCalendar) -> None:
    base = ruleset(NS07)
    variant = base.derive(
        "v", replace=[tier4_stand_in], add=[extra_rule], remove=["NS07.oasys-ppo"]
    )
    expected = [r.id for r in base.rules if r.id != "NS07.oasys-ppo"] + ["T.extra"]
    assert [r.id for r in variant.rules] == expected
    assert variant.rule("NS07.oasys-tier4") is tier4_stand_in
    assert variant.changes == (
        "removed NS07.oasys-ppo",
        "replaced NS07.oasys-tier4",
        "added T.extra",
    )
    findings = evaluate(make_case(), variant, as_of=AS_OF, calendar=calendar)
    assert findings.get("T-0001", "T.extra").reason == "Always met."
    assert "NS07.oasys-ppo" in base
    assert "T.extra" not in base


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"remove": ["NS07.nope"]},
            r"remove\[0\]: national-standards-2007 has no rule 'NS07.nope'",
        ),
        (
            {"replace": [extra_rule]},
            r"replace\[0\]: .* has no rule 'T.extra' to replace \(use add\)",
        ),
        ({"add": [tier4_stand_in]}, r"add\[0\]: .* already has rule 'NS07.oasys-tier4'"),
        (
            {"replace": [tier4_stand_in], "remove": ["NS07.oasys-tier4"]},
            r"replace\[0\]: rule 'NS07.oasys-tier4' is also removed",
        ),
        ({"parameters": {"nope": 3}}, r"parameters.nope: no parameter of that name"),
        (
            {"parameters": {"oasys_tier1to3_limit": "ten days please"}},
            r"parameters.oasys_tier1to3_limit: expected a duration such as",
        ),
        (
            {"parameters": {"oasys_tier1to3_limit": 1.5}},
            r"parameters.oasys_tier1to3_limit: a working_days value must be a whole number",
        ),
    ],
)
def test_overlay_mistakes_are_named(changes: dict[str, object], message: str) -> None:
    with pytest.raises(OverlayError, match=message):
        ruleset(NS07).derive("v", **changes)  # type: ignore[arg-type]


def test_a_time_limit_can_change_unit_and_parameters_can_be_read_at_another_date(
    calendar: WorkingCalendar,
) -> None:
    base = ruleset("national-standards-2005")
    assert not base.parameters.has_value("oasys_tier4_limit")
    variant = base.derive(
        "ns05-read-in-2007", parameters_on=D(2007, 4, 1), parameters={"oasys_ppo_limit": "1 week"}
    )
    assert variant.parameters.get("oasys_tier4_limit").source == "003:699"
    assert variant.parameters.get("oasys_ppo_limit").duration == Duration(1, TimeUnit.WEEKS)
    assert variant.changes == (
        "parameters read as at 2007-04-01 (was 2005-04-01)",
        "oasys_ppo_limit: 5 working days -> 1 week",
    )


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("10 working days", Duration(10, TimeUnit.WORKING_DAYS)),
        ("1 working_day", Duration(1, TimeUnit.WORKING_DAYS)),
        ("16 Weeks", Duration(16, TimeUnit.WEEKS)),
        ("4 months", Duration(4, TimeUnit.MONTHS)),
        ("56 days", Duration(56, TimeUnit.CALENDAR_DAYS)),
        ("3 calendar days", Duration(3, TimeUnit.CALENDAR_DAYS)),
    ],
)
def test_durations_in_words(text: str, duration: Duration) -> None:
    assert parse_duration(text) == duration


def test_overlay_files_toml_and_yaml(tmp_path: Path, calendar: WorkingCalendar) -> None:
    (tmp_path / "ten.toml").write_text(
        'name = "ns07-ten"\nversion = "2"\nbase = "national-standards-2007"\n'
        'remove = ["NS07.oasys-ppo"]\n'
        'add = ["tests.testing.test_overlays:extra_rule"]\n'
        "[parameters]\noasys_tier1to3_limit = 10\n",
        encoding="utf-8",
    )
    (tmp_path / "on-ten.yaml").write_text(
        "name: on-ten\nbase: ten.toml\nparameters:\n  oasys_tier4_limit: 3 working days\n",
        encoding="utf-8",
    )
    ten = resolve_ruleset(str(tmp_path / "ten.toml"))
    assert ten.label == "ns07-ten@2"
    assert [r.id for r in ten.rules] == [
        *(r.id for r in ruleset(NS07).rules if r.id != "NS07.oasys-ppo"),
        "T.extra",
    ]
    chained = resolve_ruleset("on-ten.yaml", relative_to=tmp_path)
    assert chained.lineage == (ruleset(NS07).label, "ns07-ten@2", "on-ten@2")
    assert chained.parameters.get("oasys_tier1to3_limit").value == 10
    assert chained.parameters.get("oasys_tier4_limit").value == 3


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "a.toml",
            'name = "x"\nbase = "national-standards-2007"\ncolour = 1\n',
            "a.toml: colour: not an overlay field",
        ),
        ("b.toml", 'base = "national-standards-2007"\n', "b.toml: name: the variant needs a name"),
        ("c.toml", 'name = "x"\n[parameters\n', "c.toml: not valid TOML"),
        ("d.yaml", "name: x\nbase: [1\n", "d.yaml: not valid YAML"),
        ("e.toml", 'name = "x"\n', "e.toml: base: no base rule set to apply to"),
        (
            "f.toml",
            'name = "x"\nbase = "national-standards-2007"\nadd = ["tests.testing.nowhere:r"]\n',
            r"f.toml: add\[0\]: cannot import module 'tests.testing.nowhere'",
        ),
        (
            "g.toml",
            'name = "x"\nbase = "national-standards-2007"\n'
            'add = ["tests.testing.test_overlays:AS_OF"]\n',
            r"g.toml: add\[0\]: 'tests.testing.test_overlays:AS_OF' is not a rule",
        ),
        ("h.toml", 'name = "x"\nbase = "no-such-set"\n', "no rule set 'no-such-set'"),
        (
            "i.toml",
            'name = "x"\nparameters_on = "soon"\n',
            "i.toml: parameters_on: expected a date",
        ),
    ],
)
def test_overlay_file_mistakes_name_the_file_and_field(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(OverlayError, match=message):
        Overlay.from_file(tmp_path / name).apply()


def test_rule_sets_by_reference() -> None:
    assert resolve_ruleset(NS07) is ruleset(NS07)
    made = resolve_ruleset("casework.rules.standards:national_standards_2005")
    assert isinstance(made, RuleSet)
    assert made.name == "national-standards-2005"
    with pytest.raises(OverlayError, match="names a Rule, not a RuleSet"):
        resolve_ruleset("tests.testing.test_overlays:extra_rule")
    with pytest.raises(OverlayError, match="no rule set 'nope'"):
        resolve_ruleset("nope")


def test_an_overlay_files_base_never_names_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_args: object) -> None:
        raise AssertionError("os.abort was called")

    monkeypatch.setattr(os, "abort", never)
    (tmp_path / "abort.toml").write_text('name = "x"\nbase = "os:abort"\n', encoding="utf-8")
    (tmp_path / "abort.yaml").write_text("name: x\nbase: 'os:abort'\n", encoding="utf-8")
    for name in ("abort.toml", "abort.yaml"):
        with pytest.raises(OverlayError, match="base: 'os:abort' names Python code"):
            resolve_ruleset(str(tmp_path / name))
    with pytest.raises(OverlayError, match="names Python code"):
        Overlay.from_mapping({"name": "x", "base": "os:abort"})
    # the Python API still takes a RuleSet by reference
    assert Overlay(name="x", base="casework.rules.standards:national_standards_2005").apply()


def test_overlay_files_that_name_each_other_in_a_loop(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('name = "a"\nbase = "b.yaml"\n', encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: b\nbase: a.toml\n", encoding="utf-8")
    (tmp_path / "self.toml").write_text('name = "s"\nbase = "self.toml"\n', encoding="utf-8")
    for name in ("a.toml", "self.toml"):
        with pytest.raises(OverlayError, match="name each other in a loop"):
            resolve_ruleset(name, relative_to=tmp_path)


def test_without_allow_code_nothing_is_imported(tmp_path: Path) -> None:
    (tmp_path / "adds.toml").write_text(
        f'name = "x"\nbase = "{NS07}"\nadd = ["tests.testing.test_overlays:extra_rule"]\n',
        encoding="utf-8",
    )
    with pytest.raises(OverlayError, match=r"adds.toml: add\[0\]: .* is Python code"):
        resolve_ruleset(str(tmp_path / "adds.toml"), allow_code=False)
    with pytest.raises(OverlayError, match=r"package\.module:attribute is Python code"):
        resolve_ruleset("casework.rules.standards:national_standards_2005", allow_code=False)
    assert resolve_ruleset(NS07, allow_code=False).name == NS07
    assert "T.extra" in resolve_ruleset(str(tmp_path / "adds.toml"))


def test_a_misspelt_rule_set_gets_did_you_mean() -> None:
    with pytest.raises(OverlayError, match="did you mean 'national-standards-2007'"):
        resolve_ruleset("national-standard-2007")
