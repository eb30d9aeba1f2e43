"""The area's own rule, and its rule set: National Standards 2007 plus that rule."""

from __future__ import annotations

from casework.model import Case
from casework.rules import Context, RuleSet, Verdict, rule, ruleset
from casework.rules.timing import deadline_check


@rule(
    "AREA.tier-recorded",
    question="Was a tier recorded within 5 working days of sentence or release?",
    source="003:699",
    kind="timeliness",
    parameters=("oasys_tier4_limit",),
)
def tier_recorded(case: Case, ctx: Context) -> Verdict:
    """The area reuses the 5 working day OASys limit for recording the tier."""
    kind, start = case.start_event
    return deadline_check(
        ctx,
        done=min((record.on for record in case.tiers), default=None),
        anchor=start,
        anchor_label=kind,
        limit="oasys_tier4_limit",
        done_label="Tier recorded",
        missing_label="No tier recorded",
    )


def area_ruleset() -> RuleSet:
    """National Standards 2007 plus the area's tier rule."""
    return ruleset("national-standards-2007").derive("area-2007", version="1", add=[tier_recorded])
