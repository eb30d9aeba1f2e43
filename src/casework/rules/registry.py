"""Rule sets by name, and the one in force on a date.

The registry is a fixed table of factories: rule modules are imported the
first time a set is asked for, and each set is built once.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable

from casework.rules.ruleset import RuleSet

__all__ = ["available_rulesets", "ruleset", "ruleset_in_force"]

#: rule set name -> (module, factory function name)
_FACTORIES: dict[str, tuple[str, str]] = {
    "national-standards": ("casework.rules.standards", "national_standards"),
    "national-standards-2005": ("casework.rules.standards", "national_standards_2005"),
    "national-standards-2007": ("casework.rules.standards", "national_standards_2007"),
    "nps-2005-06": ("casework.rules.targets.sets", "nps_2005_06"),
    "nps-2007-08": ("casework.rules.targets.sets", "nps_2007_08"),
    "rom-east-of-england-2007-08": ("casework.rules.targets.sets", "rom_east_of_england_2007_08"),
    "omi-2007": ("casework.rules.omi2007", "omi_2007"),
}


def _factory(name: str) -> Callable[[], RuleSet]:
    try:
        module_name, function = _FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(_FACTORIES)) or "(none)"
        raise KeyError(f"no rule set named {name!r}; known: {known}") from None
    factory: Callable[[], RuleSet] = getattr(importlib.import_module(module_name), function)
    return factory


@functools.cache
def ruleset(name: str) -> RuleSet:
    """The rule set called ``name`` (for example ``"national-standards-2007"``)."""
    built = _factory(name)()
    if built.name != name:
        raise RuntimeError(f"factory for {name!r} built {built.name!r}")
    return built


def available_rulesets() -> tuple[str, ...]:
    """Names of every rule set casework ships."""
    return tuple(sorted(_FACTORIES))


def ruleset_in_force(on: dt.date, family: str = "national-standards") -> RuleSet:
    """The rule set of ``family`` in force on ``on``."""
    candidates = [ruleset(name) for name in available_rulesets()]
    matches = [rs for rs in candidates if rs.family == family and rs.in_force_on(on)]
    if not matches:
        raise LookupError(f"no {family} rule set is in force on {on.isoformat()}")
    if len(matches) > 1:
        names = ", ".join(rs.name for rs in matches)
        raise LookupError(f"several {family} rule sets are in force on {on.isoformat()}: {names}")
    return matches[0]
