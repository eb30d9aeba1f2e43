"""How the computed inspection questions are answered: National Standards rules, by reference.

A computed question reuses a rule whole (its population and its body). The
rule is named by id and looked up in the shipped National Standards rule
sets when the ``omi-2007`` rule set is built, so the question and the
standard can never disagree on a date. Where the report states its own limit
(40 days for victim contact, 004:535) the rule reads the inspection's
parameter instead of the standard's (``parameters-omi-2007.toml``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from casework.rules.engine import Context, Rule
from casework.rules.parameters import ParameterSet
from casework.rules.registry import ruleset

__all__ = ["Computation", "computation", "find_rule", "standards_rule"]

_NATIONAL_STANDARDS = ("national-standards-2007", "national-standards-2005")


@functools.cache
def standards_rule(rule_id: str) -> Rule:
    """The National Standards rule with this id, from the shipped rule sets."""
    for name in _NATIONAL_STANDARDS:
        found = ruleset(name)
        if rule_id in found:
            return found.rule(rule_id)
    raise KeyError(f"no National Standards rule {rule_id!r} in {', '.join(_NATIONAL_STANDARDS)}")


def find_rule(rule_id: str) -> Rule:
    """A rule a computed question may reuse (a National Standards rule)."""
    return standards_rule(rule_id)


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class Computation:
    """A rule reused, by reference, to compute an inspection question from case facts.

    The rule is named by id and looked up when the rule set is built, so the
    question always runs the standard's own code. ``parameters`` maps a
    parameter the rule reads to the inspection's own parameter to read
    instead: the inspection states its own limits (40 days for victim contact
    at 004:535) where a National Standards rule set may state others.
    """

    rule_id: str
    parameters: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)

    @property
    def rule(self) -> Rule:
        """The rule reused."""
        return find_rule(self.rule_id)

    @property
    def reads(self) -> tuple[str, ...]:
        """The parameters the computation reads, under the inspection's names."""
        return tuple(self.parameters.get(name, name) for name in self.rule.parameters)

    def context(self, ctx: Context) -> Context:
        """``ctx`` with the mapped parameters read from the inspection's own."""
        if not self.parameters:
            return ctx
        table = ctx.parameters
        definitions = dict(table.definitions)
        overrides = dict(table.overrides)
        for read_as, ours in self.parameters.items():
            definition = table.definitions[ours]
            definitions[read_as] = attrs.evolve(
                definition, description=f"{definition.description} (parameter {ours})"
            )
            if ours in table.overrides:
                overrides[read_as] = table.overrides[ours]
            else:
                overrides.pop(read_as, None)
        return attrs.evolve(ctx, parameters=ParameterSet(table.on, definitions, overrides))


def computation(rule_id: str, **parameters: str) -> Computation:
    """Compute a question with the rule ``rule_id``, reading ``parameters`` as renamed.

    ``computation("NS07.oasys-ppo", oasys_ppo_limit="omi_oasys_ppo_limit")``
    reuses the National Standards rule with the inspection's five working days
    (004:401).
    """
    return Computation(rule_id, parameters)
