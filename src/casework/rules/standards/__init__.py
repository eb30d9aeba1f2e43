"""National Standards rules, 2005 and 2007 versions, and the rule sets that hold them.

Each rule reads like the standard it checks: who it applies to, the source
line, then a short body. Thresholds are dated parameters
(``data/parameters-national-standards.toml``). Where a standard did not change
the rule appears in both sets under its own id (``NS05.*`` / ``NS07.*``) and
the two share one body. docs/national-standards.md lists every rule.

Modules: :mod:`~casework.rules.standards.oasys` (OASys and risk management
plans), :mod:`~casework.rules.standards.reviews` (RoH and sentence plan
reviews), :mod:`~casework.rules.standards.supervision` (enforcement, victims,
reports, transfers, home visits, contact), :mod:`~casework.rules.standards.consistency`
(the record holds what the standard requires), :mod:`~casework.rules.standards.base`
(what they share).
"""

from __future__ import annotations

import datetime as dt

import attrs

from casework.model import Case
from casework.rules.engine import Context, Outcome, Population, Rule, Verdict, not_applicable
from casework.rules.parameters import ParameterSet
from casework.rules.ruleset import RuleSet, build_ruleset
from casework.rules.standards.base import NS2005_FROM, NS2005_TO, NS2007_FROM, TARGETS_2007_FROM
from casework.rules.standards.consistency import (
    full_analysis_where_screened_2005,
    full_analysis_where_screened_2007,
    mappa_level_2005,
    mappa_level_2007,
    rmp_where_not_low_2005,
    rmp_where_not_low_2007,
)
from casework.rules.standards.oasys import (
    oasys_high_roh_2005,
    oasys_ppo_2005,
    oasys_ppo_2007,
    oasys_tier1to3_2007,
    oasys_tier4_2007,
    rmp_before_release_2007,
    rmp_release_high_roh_2005,
    rmp_release_high_roh_2007,
)
from casework.rules.standards.reviews import (
    plan_review_interval_2005,
    plan_review_interval_2007,
    roh_review_custody_2007,
    roh_review_event_2005,
    roh_review_event_2007,
    roh_review_first_2007,
    roh_review_interval_2005,
    roh_review_interval_2007,
    roh_review_pre_release_2007,
    roh_review_release_2007,
)
from casework.rules.standards.supervision import (
    allocation_2007,
    appointment_frequency_2007,
    breach_action_2005,
    breach_action_2007,
    breach_resolution_2005,
    breach_resolution_2007,
    home_visit_high_roh_2007,
    induction_2007,
    psr_delivery_2005,
    psr_delivery_2007,
    transfer_first_appointment_2007,
    transfer_home_visit_2007,
    transfer_rmp_review_2007,
    upw_frequency_2007,
    victim_contact_2005,
    victim_contact_2007,
)
from casework.text import long_date

__all__ = [
    "NS2005_FROM",
    "NS2005_TO",
    "NS2007_FROM",
    "RULES_2005",
    "RULES_2007",
    "TARGETS_2007_FROM",
    "national_standards",
    "national_standards_2005",
    "national_standards_2007",
]

#: The 2005 standards, in the order findings are listed.
RULES_2005: tuple[Rule, ...] = (
    oasys_high_roh_2005,
    oasys_ppo_2005,
    rmp_release_high_roh_2005,
    roh_review_interval_2005,
    roh_review_event_2005,
    plan_review_interval_2005,
    breach_action_2005,
    breach_resolution_2005,
    victim_contact_2005,
    psr_delivery_2005,
    full_analysis_where_screened_2005,
    rmp_where_not_low_2005,
    mappa_level_2005,
)

#: The 2007 standards, in the order findings are listed.
RULES_2007: tuple[Rule, ...] = (
    oasys_ppo_2007,
    oasys_tier4_2007,
    oasys_tier1to3_2007,
    rmp_release_high_roh_2007,
    rmp_before_release_2007,
    roh_review_first_2007,
    roh_review_release_2007,
    roh_review_interval_2007,
    roh_review_custody_2007,
    roh_review_pre_release_2007,
    roh_review_event_2007,
    plan_review_interval_2007,
    breach_action_2007,
    breach_resolution_2007,
    victim_contact_2007,
    psr_delivery_2007,
    transfer_first_appointment_2007,
    transfer_home_visit_2007,
    transfer_rmp_review_2007,
    home_visit_high_roh_2007,
    allocation_2007,
    induction_2007,
    appointment_frequency_2007,
    upw_frequency_2007,
    full_analysis_where_screened_2007,
    rmp_where_not_low_2007,
    mappa_level_2007,
)


def national_standards_2005() -> RuleSet:
    """National Standards as applied from April 2005 (2005-06 wording, 16-week reviews)."""
    return build_ruleset(
        name="national-standards-2005",
        version="0.2",
        title="National Standards 2005",
        family="national-standards",
        rules=RULES_2005,
        in_force_from=NS2005_FROM,
        in_force_to=NS2005_TO,
        by_clock=True,
    )


def national_standards_2007() -> RuleSet:
    """National Standards as applied from 30 September 2007 (4-month reviews, tiered OASys)."""
    return build_ruleset(
        name="national-standards-2007",
        version="0.2",
        title="National Standards 2007",
        family="national-standards",
        rules=RULES_2007,
        in_force_from=NS2007_FROM,
        by_clock=True,
    )


# ---------------------------------------------------------------- across the change

#: Each version of the standards: its label, the first and last day it was in force.
VERSIONS: tuple[tuple[str, dt.date, dt.date | None, tuple[Rule, ...]], ...] = (
    ("2005", NS2005_FROM, NS2005_TO, RULES_2005),
    ("2007", NS2007_FROM, None, RULES_2007),
)


def _reading(parameters: ParameterSet, on: dt.date) -> ParameterSet:
    """The same parameters (and overrides) read as at ``on``."""
    return attrs.evolve(parameters, on=on)


def _under(rule: Rule, standard: str, start: dt.date, end: dt.date | None) -> Rule:
    """``rule`` as the across-the-change set asks it: parameters read as at its standard's
    start, in force no later than its standard, and its findings saying which standard.

    A finding with a deadline is judged by the standard in force on the day its clock
    started (the engine's in-force check on ``trigger``); one without (a standing
    requirement such as a recorded MAPPA level) by the standard in force on the day the
    case started (sentence, or release for a licence).
    """
    last = end if rule.in_force_to is None else min(end or rule.in_force_to, rule.in_force_to)
    under = attrs.evolve(rule, in_force_to=last)

    def local(ctx: Context) -> Context:
        return attrs.evolve(ctx, parameters=_reading(ctx.parameters, start))

    def labelled(case: Case, verdict: Verdict) -> Verdict:
        if verdict.trigger is None and verdict.outcome is not Outcome.NOT_APPLICABLE:
            kind, day = case.start_event
            if not under.in_force_on(day):
                return not_applicable(
                    f"Not applicable: the case started with {kind} on {long_date(day)}, when the "
                    f"{standard} standard was not in force."
                )
        return attrs.evolve(verdict, standard=standard)

    def check(case: Case, ctx: Context) -> Verdict:
        return labelled(case, rule.check(case, local(ctx)))

    population = Population(
        rule.applies_to.description,
        lambda case, ctx: rule.applies_to(case, local(ctx)),
        lambda case, ctx: rule.applies_to.outside(case, local(ctx)),
    )
    units = rule.units
    return attrs.evolve(
        under,
        check=check,
        applies_to=population,
        units=None
        if units is None
        else (lambda case, ctx: [labelled(case, verdict) for verdict in units(case, local(ctx))]),
    )


def national_standards() -> RuleSet:
    """National Standards across the change: each deadline under the standard in force on the
    day its clock started (docs/decisions.md#standard-by-clock-start)."""
    return build_ruleset(
        name="national-standards",
        version="0.1",
        title="National Standards (2005 and 2007, by the date each clock started)",
        family="national-standards-across",
        rules=tuple(
            _under(rule, standard, start, end)
            for standard, start, end, rules in VERSIONS
            for rule in rules
        ),
        in_force_from=NS2005_FROM,
        by_clock=True,
        description="Every rule of the 2005 and 2007 sets; a deadline whose clock started "
        "before 30 September 2007 is judged by the 2005 standard, one that started on or "
        "after it by the 2007 standard. Each finding's `standard` says which applied.",
    )
