"""Rule sets: named, versioned, dated collections of rules with their parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

import attrs

from casework.rules.engine import Rule, RuleDefinitionError
from casework.rules.parameters import ParameterSet, ParameterTable, Value

__all__ = ["RuleSet", "build_ruleset"]


@attrs.frozen
class RuleSet:
    """A named, versioned collection of rules and the parameters they read.

    ``parameters`` are resolved as at the rule set's own date, so that
    ``national-standards-2005`` always reads the 2005 thresholds and
    ``national-standards-2007`` the 2007 ones, whatever the evaluation date.
    """

    name: str
    version: str
    title: str
    family: str
    rules: tuple[Rule, ...]
    parameters: ParameterSet
    in_force_from: dt.date
    in_force_to: dt.date | None = None
    description: str = ""

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise RuleDefinitionError(f"rule set {self.name!r} has rule {rule.id!r} twice")
            seen.add(rule.id)
            unknown = [p for p in rule.parameters if p not in self.parameters.definitions]
            if unknown:
                raise RuleDefinitionError(
                    f"rule {rule.id!r} in {self.name!r} reads unknown parameters {unknown}"
                )
        if self.in_force_to is not None and self.in_force_to < self.in_force_from:
            raise RuleDefinitionError(f"rule set {self.name!r} ends before it starts")

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; ``KeyError`` if the set has none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"rule set {self.name!r} has no rule {rule_id!r}")

    @property
    def label(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the rule set is the one in force on ``day``."""
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)

    def with_parameters(self, values: Mapping[str, Value], *, note: str = "") -> RuleSet:
        """The same rules reading some parameter values supplied by the caller."""
        return attrs.evolve(self, parameters=self.parameters.with_values(values, note=note))


def build_ruleset(
    *,
    name: str,
    version: str,
    title: str,
    family: str,
    rules: Iterable[Rule],
    in_force_from: dt.date,
    in_force_to: dt.date | None = None,
    parameters_on: dt.date | None = None,
    table: ParameterTable | None = None,
    description: str = "",
) -> RuleSet:
    """Assemble a rule set, resolving parameters as at ``parameters_on`` (default: its start)."""
    resolved = (table or ParameterTable.default()).resolve(parameters_on or in_force_from)
    return RuleSet(
        name=name,
        version=version,
        title=title,
        family=family,
        rules=tuple(rules),
        parameters=resolved,
        in_force_from=in_force_from,
        in_force_to=in_force_to,
        description=description,
    )
