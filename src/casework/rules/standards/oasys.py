"""OASys and risk management plan timeliness: the 2005 and 2007 versions.

Thresholds are dated parameters (``data/parameters-national-standards.toml``);
a rule set reads them as at its own start date, so the 2005 and 2007 sets
differ in data where the standard changed only in its numbers.
"""

from __future__ import annotations

import datetime as dt

from casework.model import Case, OasysPart, RohLevel
from casework.rules.engine import Basis, Context, Evidence, Outcome, Verdict, rule
from casework.rules.oasys import FullAnalysisRule, oasys_completion
from casework.rules.population import (
    LICENCE,
    NOT_PPO_AT_START,
    PPO_AT_START,
    roh_at_least_at_start,
    tiers_at_start,
)
from casework.rules.standards.base import (
    IN_FORCE_2005,
    IN_FORCE_2007,
    NS2005_FROM,
    TARGETS_2007_FROM,
    is_release_assessment,
)
from casework.rules.timing import DeadlineLabels, as_deadline, deadline_check, known_until
from casework.text import long_date

__all__ = [
    "RMP_RELEASE_LABELS",
    "oasys_high_roh_2005",
    "oasys_labels",
    "oasys_missing_label",
    "oasys_ppo_2005",
    "oasys_ppo_2007",
    "oasys_tier1to3_2007",
    "oasys_tier4_2007",
    "rmp_before_release_2007",
    "rmp_before_release_words",
    "rmp_release_high_roh_2005",
    "rmp_release_high_roh_2007",
]

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
    labels, extra = oasys_labels(completion.describe())
    return deadline_check(
        ctx,
        done=completion.completed_on,
        anchor=start,
        anchor_label=kind,
        limit=limit,
        extra=extra,
        labels=labels,
    )


def oasys_labels(described: str) -> tuple[DeadlineLabels, tuple[Evidence, ...]]:
    """How an OASys deadline is worded, given its parts in words
    (:func:`casework.rules.oasys.describe_parts`): its labels and its extra evidence."""
    return (
        DeadlineLabels(OASYS_DONE_LABEL, oasys_missing_label(described)),
        (Evidence("parts", described),),
    )


#: The label of the day an OASys assessment was complete (:func:`oasys_labels`).
OASYS_DONE_LABEL = "OASys completed"


def oasys_missing_label(described: str) -> str:
    """:func:`oasys_labels`' label of an OASys assessment not complete, its parts in words."""
    return f"OASys not complete ({described})"


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


# ---------------------------------------------------------------- risk management plans

_HIGH_ROH_LICENCE = (LICENCE & roh_at_least_at_start(RohLevel.HIGH)).named(
    "licence cases assessed as high or very high RoH at release"
)


#: How the RMP-within-the-limit-of-release deadline is worded.
RMP_RELEASE_LABELS = DeadlineLabels(
    "Risk management plan completed", "No risk management plan completed"
)


def _rmp_within_limit_of_release(case: Case, ctx: Context) -> Verdict:
    completion = oasys_completion(case, parts=(OasysPart.RMP,), full_analysis="never")
    _, released = completion.start
    return deadline_check(
        ctx,
        done=completion.completed_on,
        anchor=released,
        anchor_label="release",
        limit="rmp_release_limit",
        labels=RMP_RELEASE_LABELS,
    )


_RMP_RELEASE_QUESTION = (
    "High or very high RoH licence case: was a risk management plan completed within "
    "5 working days of release from prison?"
)
_RMP_RELEASE_NOTES = (
    "RMPs done for the release (a release assessment or a pre-release review) or after "
    "release count (docs/decisions.md#oasys-completion)."
)

rmp_release_high_roh_2005 = rule(
    "NS05.rmp-release-high-roh",
    question=_RMP_RELEASE_QUESTION,
    source=("002:308", "002:297"),
    kind="timeliness",
    applies_to=_HIGH_ROH_LICENCE,
    roh=True,
    parameters=("rmp_release_limit",),
    group="rmp",
    notes=_RMP_RELEASE_NOTES,
    **IN_FORCE_2005,
)(_rmp_within_limit_of_release)

rmp_release_high_roh_2007 = rule(
    "NS07.rmp-release-high-roh",
    question=_RMP_RELEASE_QUESTION,
    source=("004:772", "002:308"),
    kind="timeliness",
    applies_to=_HIGH_ROH_LICENCE,
    roh=True,
    parameters=("rmp_release_limit",),
    group="rmp",
    notes=_RMP_RELEASE_NOTES,
    **IN_FORCE_2007,
)(_rmp_within_limit_of_release)


@rule(
    "NS07.rmp-before-release",
    question="Licence case needing a risk management plan: was it completed prior to release?",
    source=("004:378-380", "002:279"),
    kind="timeliness",
    applies_to=(LICENCE & roh_at_least_at_start(RohLevel.MEDIUM)).named(
        "licence cases not assessed as low RoH at release (an RMP is required, 002:279)"
    ),
    roh=True,
    group="rmp",
    notes="An RMP done for the release (a release assessment or pre-release review) on or "
    "before the day of release counts (docs/decisions.md#rmp-before-release).",
    **IN_FORCE_2007,
)
def rmp_before_release_2007(case: Case, ctx: Context) -> Verdict:
    released = case.start_event[1]
    for_release = [
        day
        for assessment in case.assessments
        if is_release_assessment(assessment)
        and (day := assessment.part_completed_on(OasysPart.RMP)) is not None
        and day <= released
    ]
    later = [
        day
        for assessment in case.assessments
        if (day := assessment.part_completed_on(OasysPart.RMP)) is not None and day > released
    ]
    done = min(for_release) if for_release else min(later, default=None)
    outcome = Outcome.MET if for_release else Outcome.NOT_MET
    reason, evidence = rmp_before_release_words(outcome, released=released, done=done)
    return as_deadline(
        Verdict(outcome, Basis.COMPUTED, reason, evidence),
        trigger=released,
        trigger_label="release",
        due=released,
        done=done,
        days_late=None if for_release else ((done or known_until(ctx)) - released).days,
    )


def rmp_before_release_words(
    outcome: Outcome, *, released: dt.date, done: dt.date | None
) -> tuple[str, tuple[Evidence, ...]]:
    """The words of ``NS07.rmp-before-release``: met (an RMP for the release by the day of
    release), or not met, done after release or not at all (the rule and its kernel)."""
    evidence = (Evidence("release", released), Evidence("due by", released, "004:380"))
    if outcome is Outcome.MET and done is not None:
        when = (
            "the day of release" if done == released else f"before release on {long_date(released)}"
        )
        return (
            f"Risk management plan completed on {long_date(done)}, {when}.",
            (*evidence, Evidence("risk management plan completed", done)),
        )
    if done is not None:
        return (
            f"Risk management plan completed on {long_date(done)}, after release on "
            f"{long_date(released)}; it was due before release.",
            (
                *evidence,
                Evidence("risk management plan completed", done),
                Evidence("days late", (done - released).days),
            ),
        )
    return f"No risk management plan completed before release on {long_date(released)}.", evidence
