"""The rule set behind each target set: the rules whose findings give its figures.

A target set's rule set has the same name. It holds the descriptive
``TGT.case`` rule (each case's area and dates) and every rule a measure of the
set names, once, in measure order; its parameters are resolved as at the
start of the set's year, so the 2005-06 set reads the 2005-06 time limits.
"""

from __future__ import annotations

from casework.rules.ruleset import RuleSet, build_ruleset
from casework.rules.targets.catalogue import target_set
from casework.rules.targets.rules import CASE_RULE_ID, target_rule

__all__ = ["nps_2005_06", "nps_2007_08", "rom_east_of_england_2007_08", "target_ruleset"]


def target_ruleset(name: str, family: str) -> RuleSet:
    """The rule set for the target set ``name``."""
    targets = target_set(name)
    ids = [CASE_RULE_ID]
    for measure in targets:
        if measure.rule_id is not None and measure.rule_id not in ids:
            ids.append(measure.rule_id)
    return build_ruleset(
        name=targets.name,
        version=targets.version,
        title=targets.title,
        family=family,
        rules=[target_rule(rule_id) for rule_id in ids],
        in_force_from=targets.period_start,
        in_force_to=targets.period_end,
        in_force_by="trigger",
        description=f"The rules behind the figures of the target set {targets.name!r}.",
    )


def nps_2005_06() -> RuleSet:
    """NPS performance targets and measures 2005-06 (001)."""
    return target_ruleset("nps-2005-06", "nps-targets")


def nps_2007_08() -> RuleSet:
    """NPS national targets 2007-08 (003 Annex B; 000)."""
    return target_ruleset("nps-2007-08", "nps-targets")


def rom_east_of_england_2007_08() -> RuleSet:
    """East of England ROM SLA measures 2007-08 (003 §4)."""
    return target_ruleset("rom-east-of-england-2007-08", "rom-east-of-england-targets")
