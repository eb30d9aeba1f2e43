"""National Standards timeliness rules, 2005 and 2007 versions.

Each rule reads like the standard it checks: who it applies to, the source
line, then a short body. Thresholds are dated parameters
(``data/parameters-national-standards.toml``); a rule set reads them as at its
own start date, so the 2005 and 2007 sets differ in data where the standard
changed only in its numbers.
"""

from __future__ import annotations

import datetime as dt

from casework.model import Case, OasysPart, RohLevel
from casework.rules.engine import Context, Evidence, Rule, Verdict, rule
from casework.rules.oasys import FullAnalysisRule, oasys_completion
from casework.rules.population import (
    NOT_PPO_AT_START,
    PPO_AT_START,
    roh_at_least_at_start,
    tiers_at_start,
)
from casework.rules.ruleset import RuleSet, build_ruleset
from casework.rules.timing import deadline_check

__all__ = ["national_standards_2005", "national_standards_2007"]

NS2005_FROM = dt.date(2005, 4, 1)
#: Start of the 2007 standards in this library (decision:ns-2007-commencement).
NS2007_FROM = dt.date(2007, 9, 30)
TARGETS_2007_FROM = dt.date(2007, 4, 1)

_CORE = (OasysPart.ASSESSMENT, OasysPart.SCREENING, OasysPart.SENTENCE_PLAN)


def _oasys_on_time(
    case: Case,
    ctx: Context,
    *,
    limit: str,
    parts: tuple[OasysPart, ...],
    full_analysis: FullAnalysisRule,
) -> Verdict:
    completion = oasys_completion(case, parts=parts, full_analysis=full_analysis)
    kind, start = completion.start
    parts_evidence = Evidence("parts", completion.describe())
    return deadline_check(
        ctx,
        done=completion.completed_on,
        anchor=start,
        anchor_label=kind,
        limit=limit,
        done_label="OASys completed",
        missing_label=f"OASys not complete ({completion.describe()})",
        extra=(parts_evidence,),
    )


# ---------------------------------------------------------------- 2005-06 wording


@rule(
    "NS05.oasys-high-roh",
    question=(
        "High RoH case: were the RoH assessment, risk management plan and OASys sentence plan "
        "completed within 5 working days of commencement or release?"
    ),
    source=("001:371", "001:347"),
    kind="timeliness",
    applies_to=roh_at_least_at_start(RohLevel.HIGH),
    roh=True,
    in_force_from=NS2005_FROM,
    parameters=("oasys_high_roh_limit",),
    notes="'high risk offenders' read as high or very high RoH (risk-of-harm-standards.md §1.1).",
)
def oasys_high_roh_2005(case: Case, ctx: Context) -> Verdict:
    parts = (*_CORE, OasysPart.RMP)
    return _oasys_on_time(
        case, ctx, limit="oasys_high_roh_limit", parts=parts, full_analysis="always"
    )


@rule(
    "NS05.oasys-ppo",
    question=(
        "PPO case: were the RoH assessment and OASys sentence plan completed within "
        "5 working days of commencement or release?"
    ),
    source=("001:441", "001:389"),
    kind="timeliness",
    applies_to=PPO_AT_START,
    in_force_from=NS2005_FROM,
    in_force_to=dt.date(2007, 3, 31),
    parameters=("oasys_ppo_limit",),
)
def oasys_ppo_2005(case: Case, ctx: Context) -> Verdict:
    return _oasys_on_time(
        case, ctx, limit="oasys_ppo_limit", parts=_CORE, full_analysis="if_screened_in"
    )


# ---------------------------------------------------------------- 2007-08 wording


@rule(
    "NS07.oasys-ppo",
    question=(
        "PPO case: was OASys completed or updated within 5 days following sentence or "
        "release on licence?"
    ),
    source="003:697",
    kind="timeliness",
    applies_to=PPO_AT_START,
    in_force_from=TARGETS_2007_FROM,
    parameters=("oasys_ppo_limit",),
)
def oasys_ppo_2007(case: Case, ctx: Context) -> Verdict:
    return _oasys_on_time(
        case, ctx, limit="oasys_ppo_limit", parts=_CORE, full_analysis="if_screened_in"
    )


@rule(
    "NS07.oasys-tier4",
    question=(
        "Tier 4 case (not a PPO): were the OASys assessment, screening, full RoH analysis and "
        "sentence plan completed or updated within 5 days following sentence or release?"
    ),
    source="003:699",
    kind="timeliness",
    applies_to=(NOT_PPO_AT_START & tiers_at_start(4)).named(
        "Tier 4 cases that were not PPO cases at sentence or release"
    ),
    roh=True,
    in_force_from=TARGETS_2007_FROM,
    parameters=("oasys_tier4_limit",),
)
def oasys_tier4_2007(case: Case, ctx: Context) -> Verdict:
    return _oasys_on_time(case, ctx, limit="oasys_tier4_limit", parts=_CORE, full_analysis="always")


@rule(
    "NS07.oasys-tier1-3",
    question=(
        "Tier 1-3 case (not a PPO): were the OASys assessment, screening, full RoH analysis "
        "(if appropriate) and sentence plan completed or updated within 15 days following "
        "sentence or release?"
    ),
    source="003:701",
    kind="timeliness",
    applies_to=(NOT_PPO_AT_START & tiers_at_start(1, 2, 3)).named(
        "Tier 1-3 cases that were not PPO cases at sentence or release"
    ),
    in_force_from=TARGETS_2007_FROM,
    parameters=("oasys_tier1to3_limit",),
)
def oasys_tier1to3_2007(case: Case, ctx: Context) -> Verdict:
    return _oasys_on_time(
        case, ctx, limit="oasys_tier1to3_limit", parts=_CORE, full_analysis="if_screened_in"
    )


RULES_2005: tuple[Rule, ...] = (oasys_high_roh_2005, oasys_ppo_2005)
RULES_2007: tuple[Rule, ...] = (oasys_ppo_2007, oasys_tier4_2007, oasys_tier1to3_2007)


def national_standards_2005() -> RuleSet:
    """National Standards as applied from April 2005 (2005-06 wording, 16-week reviews)."""
    return build_ruleset(
        name="national-standards-2005",
        version="0.1",
        title="National Standards 2005",
        family="national-standards",
        rules=RULES_2005,
        in_force_from=NS2005_FROM,
        in_force_to=NS2007_FROM - dt.timedelta(days=1),
    )


def national_standards_2007() -> RuleSet:
    """National Standards as applied from 30 September 2007 (4-month reviews, tiered OASys)."""
    return build_ruleset(
        name="national-standards-2007",
        version="0.1",
        title="National Standards 2007",
        family="national-standards",
        rules=RULES_2007,
        in_force_from=NS2007_FROM,
    )
