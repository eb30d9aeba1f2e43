"""How the computed inspection questions are answered: rules reused by reference.

A computed question reuses a rule whole (its population and its body), read
with the inspection's own time limits (``parameters-omi-2007.toml``). National
Standards rules are looked up by id in the shipped rule sets, so the question
and the standard can never disagree on a date. Where no National Standards
rule asks the question, a rule here does, built on the per-unit checks of
:mod:`casework.rules.units` that standards and targets share.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from casework.model import Case
from casework.rules.engine import Context, MissingFactError, Rule, Verdict, rule
from casework.rules.parameters import ParameterSet
from casework.rules.population import HAS_BREACH, HAS_PSR
from casework.rules.units import (
    breach_action,
    breach_resolution,
    combine,
    psr_delivery,
    unit_label,
    victim_contact,
)

__all__ = ["Computation", "computation", "find_rule", "standards_rule"]

_NATIONAL_STANDARDS = ("national-standards-2007", "national-standards-2005")


@functools.cache
def standards_rule(rule_id: str) -> Rule:
    """The National Standards rule with this id, from the shipped rule sets."""
    from casework.rules.registry import ruleset  # noqa: PLC0415 (the registry imports us)

    for name in _NATIONAL_STANDARDS:
        found = ruleset(name)
        if rule_id in found:
            return found.rule(rule_id)
    raise KeyError(f"no National Standards rule {rule_id!r} in {', '.join(_NATIONAL_STANDARDS)}")


# ---------------------------------------------------------------- per-unit rules


@rule(
    "OMI07.psr-on-time",
    question="Was the pre-sentence report delivered by the date agreed with the court?",
    source=("004:344", "003:715"),
    kind="timeliness",
    applies_to=HAS_PSR,
)
def psr_on_time(case: Case, ctx: Context) -> Verdict:
    if case.psr is None:
        raise MissingFactError("no pre-sentence report is recorded")
    return psr_delivery(ctx, case.psr)


@rule(
    "OMI07.breach-action",
    question="Was breach action instigated within the limit of each unacceptable failure?",
    source=("004:560", "004:760"),
    kind="timeliness",
    applies_to=HAS_BREACH,
    parameters=("breach_action_limit",),
)
def breach_action_on_time(case: Case, ctx: Context) -> Verdict:
    return combine(
        [(unit_label("Breach", b.failed_on), breach_action(ctx, b)) for b in case.breaches],
        none="No breach recorded.",
    )


@rule(
    "OMI07.breach-resolution",
    question="Was each breach resolved within the limit of the unacceptable failure?",
    source=("004:560", "004:780"),
    kind="timeliness",
    applies_to=HAS_BREACH,
    parameters=("breach_resolution_limit",),
)
def breach_resolved_on_time(case: Case, ctx: Context) -> Verdict:
    return combine(
        [(unit_label("Breach", b.failed_on), breach_resolution(ctx, b)) for b in case.breaches],
        none="No breach recorded.",
    )


@rule(
    "OMI07.victim-contact",
    question="Was each statutory victim contacted or offered contact within the limit?",
    source="004:535",
    kind="timeliness",
    parameters=("victim_contact_limit",),
)
def victims_contacted_on_time(case: Case, ctx: Context) -> Verdict:
    return combine(
        [
            (f"Victim {victim.id}", victim_contact(ctx, case, victim))
            for victim in case.victims
            if victim.statutory
        ],
        none="No statutory victim recorded.",
    )


_LOCAL = {
    r.id: r
    for r in (
        psr_on_time,
        breach_action_on_time,
        breach_resolved_on_time,
        victims_contacted_on_time,
    )
}


def find_rule(rule_id: str) -> Rule:
    """A rule a computed question may reuse: one above, or a National Standards rule."""
    return _LOCAL.get(rule_id) or standards_rule(rule_id)


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
