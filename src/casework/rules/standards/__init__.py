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

from casework.rules.engine import Rule
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

__all__ = [
    "NS2005_FROM",
    "NS2005_TO",
    "NS2007_FROM",
    "RULES_2005",
    "RULES_2007",
    "TARGETS_2007_FROM",
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
    )
