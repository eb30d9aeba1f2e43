"""Consistency checks that need no judgement: the record holds what the standard requires.

The standards did not change here between 2005 and 2007, so each check
appears in both rule sets under its own id and shares one body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from casework.model import Case, FullAnalysis, OasysAssessment, OasysPart, RohLevel, Tier
from casework.rules.engine import (
    Basis,
    Context,
    Evidence,
    MissingFactError,
    Outcome,
    Population,
    Verdict,
    met,
    not_met,
    rule,
)
from casework.rules.population import HAS_MAPPA, tier_at_start
from casework.rules.standards.base import IN_FORCE_2005, IN_FORCE_2007
from casework.rules.timing import DeadlineSaid, as_deadline
from casework.rules.units import combine, unit_label
from casework.text import long_date

__all__ = [
    "SCREENED_IN",
    "analysis_verdict",
    "analysis_words",
    "full_analysis_where_screened_2005",
    "full_analysis_where_screened_2007",
    "mappa_level_2005",
    "mappa_level_2007",
    "mappa_level_verdict",
    "rmp_where_not_low_2005",
    "rmp_where_not_low_2007",
    "rmp_where_not_low_verdict",
    "rmp_where_not_low_words",
    "screenings_verdict",
]


WindowLimit = Callable[[Case], str]
"""The time-limit parameter within which the record must hold what the standard requires."""


def window_2005(_case: Case) -> str:
    """2005: RoH assessment and RMP within 5 working days (001:371)."""
    return "oasys_high_roh_limit"


def window_2007(case: Case) -> str:
    """2007: the OASys limit for the case at its start: PPO, Tier 4 or Tiers 1-3 (003:697-701).

    A case with no tier recorded is given the longest, the Tier 1-3 limit
    (docs/decisions.md#consistency-windows).
    """
    start = case.start_event[1]
    if case.is_ppo_on(start):
        return "oasys_ppo_limit"
    if tier_at_start(case) is Tier.TIER_4:
        return "oasys_tier4_limit"
    return "oasys_tier1to3_limit"


_WINDOW_PARAMETERS_2005 = ("oasys_high_roh_limit",)
_WINDOW_PARAMETERS_2007 = ("oasys_ppo_limit", "oasys_tier4_limit", "oasys_tier1to3_limit")


def _window(
    ctx: Context, case: Case, limit: WindowLimit, anchor: dt.date, label: str
) -> tuple[dt.date, Evidence, Evidence]:
    """When the window for the record to hold it closes: ``limit`` after ``anchor``."""
    parameter = ctx.param(limit(case))
    due = ctx.calendar.add(anchor, parameter.duration)
    return (
        due,
        Evidence("time limit", str(parameter.duration), parameter.source),
        Evidence("due by", due, parameter.source),
    )


def _screened_in(case: Case) -> list[tuple[OasysAssessment, dt.date]]:
    """Assessments whose completed screening called for a full analysis, with the screening date."""
    return sorted(
        (
            (assessment, assessment.screening.completed_on)
            for assessment in case.assessments
            if assessment.screening is not None
            and assessment.screening.completed_on is not None
            and assessment.screening.full_analysis_required
        ),
        key=lambda pair: pair[1],
    )


SCREENED_IN = Population(
    "cases with an RoH screening that called for a full analysis",
    lambda case, _ctx: bool(_screened_in(case)),
)


def _analysis_for(
    analyses: Sequence[tuple[OasysAssessment, FullAnalysis, dt.date | None]],
    screened: OasysAssessment,
    on: dt.date,
) -> tuple[dt.date | None, dt.date | None, bool]:
    """The full analysis for this screening (in its assessment, or in a later one): the
    earliest completed, the earliest countersigned exemption, whether one was claimed."""
    relevant = [
        analysis
        for assessment, analysis, latest in analyses
        if assessment is screened or (latest is not None and latest >= on)
    ]
    completed = [a.completed_on for a in relevant if a.completed_on is not None]
    countersigned = [
        a.exemption_countersigned_on
        for a in relevant
        if a.exempted and a.exemption_countersigned_on is not None
    ]
    return (
        min(completed) if completed else None,
        min(countersigned) if countersigned else None,
        any(a.exempted for a in relevant),
    )


def analysis_verdict(
    *,
    on: dt.date,
    assessment: str,
    completed: dt.date | None,
    countersigned: dt.date | None,
    claimed: bool,
    due: dt.date,
    limit: str,
    source: str | None,
    as_of: dt.date,
) -> Verdict:
    """One screening's answer from plain values (the rule and its kernel's wording): met by
    the earliest full analysis completed, else by the earliest countersigned exemption;
    else not met (an exemption claimed but not countersigned, or nothing), not yet due
    while the window (``limit`` after the screening, due ``due``) is open. Its words are
    :func:`analysis_words`'."""
    said = analysis_words(
        on=on, assessment=assessment, completed=completed, countersigned=countersigned,
        claimed=claimed, due=due, limit=limit, source=source, as_of=as_of,
    )  # fmt: skip
    return as_deadline(
        Verdict(*said),
        trigger=on,
        trigger_label="screening",
        due=due,
        done=completed if completed is not None else countersigned,
    )


def analysis_words(
    *,
    on: dt.date,
    assessment: str,
    completed: dt.date | None,
    countersigned: dt.date | None,
    claimed: bool,
    due: dt.date,
    limit: str,
    source: str | None,
    as_of: dt.date,
) -> DeadlineSaid:
    """The outcome, basis, reason and evidence of :func:`analysis_verdict` (their one
    definition), without the rest of a verdict. Each reason is one of the
    ``analysis_*_reason`` sentences (the text form of the rule's words, in
    :mod:`casework.columnar.rmp`, writes the same sentences)."""
    evidence = (Evidence("screening", on), Evidence("assessment", assessment))
    if completed is not None:
        return DeadlineSaid(
            Outcome.MET,
            Basis.COMPUTED,
            analysis_completed_reason(long_date(completed)),
            (*evidence, Evidence("full analysis completed", completed)),
        )
    if countersigned is not None:
        return DeadlineSaid(
            Outcome.MET,
            Basis.COMPUTED,
            analysis_exempted_reason(long_date(countersigned)),
            (*evidence, Evidence("exemption countersigned", countersigned, EXEMPTION_SOURCE)),
        )
    if as_of <= due:
        return DeadlineSaid(
            Outcome.NOT_APPLICABLE,
            Basis.NOT_YET_DUE,
            analysis_pending_reason(
                due=long_date(due), limit=limit, on=long_date(on), as_of=long_date(as_of)
            ),
            (
                *evidence,
                *(
                    (Evidence("exemption countersigned", None, EXEMPTION_SOURCE),)
                    if claimed
                    else ()
                ),
                Evidence("time limit", limit, source),
                Evidence("due by", due, source),
            ),
        )
    if claimed:
        return DeadlineSaid(
            Outcome.NOT_MET,
            Basis.COMPUTED,
            ANALYSIS_CLAIMED_REASON,
            (*evidence, Evidence("exemption countersigned", None, EXEMPTION_SOURCE)),
        )
    return DeadlineSaid(Outcome.NOT_MET, Basis.COMPUTED, ANALYSIS_MISSING_REASON, evidence)


#: Where the sources provide for an exemption from the full analysis, countersigned by an SPO.
EXEMPTION_SOURCE = "002:278"
#: :func:`analysis_words`' reason where an exemption was claimed but not countersigned.
ANALYSIS_CLAIMED_REASON = (
    "An exemption from the full analysis was claimed but not countersigned by an SPO."
)
#: :func:`analysis_words`' reason where neither an analysis nor an exemption was done.
ANALYSIS_MISSING_REASON = "No full RoH analysis completed, although the screening called for one."


def analysis_completed_reason(completed: str) -> str:
    """A screening met by a full analysis, completed on the day ``completed`` (in words)."""
    return f"Full RoH analysis completed on {completed}."


def analysis_exempted_reason(countersigned: str) -> str:
    """A screening met by an exemption countersigned on the day ``countersigned`` (in words)."""
    return f"Exemption from the full analysis countersigned by an SPO on {countersigned}."


def analysis_pending_reason(*, due: str, limit: str, on: str, as_of: str) -> str:
    """A screening whose full analysis is not yet due (the days in words)."""
    return (
        f"Not yet due: a full RoH analysis (or countersigned exemption) is due by {due}, "
        f"{limit} after the screening on {on}; none by {as_of}."
    )


def screenings_verdict(screenings: Sequence[tuple[dt.date, Verdict]]) -> Verdict:
    """The case's answer from its screenings' (:func:`analysis_verdict`), in date order."""
    return combine(
        [(unit_label("Screening", on), verdict) for on, verdict in screenings],
        none="No screening called for a full analysis.",
    )


def _analysis_in_window(
    ctx: Context,
    case: Case,
    *,
    limit: WindowLimit,
    analyses: Sequence[tuple[OasysAssessment, FullAnalysis, dt.date | None]],
    screened: OasysAssessment,
    on: dt.date,
) -> Verdict:
    """The analysis for one screening; while its window is open and none is done, not yet due."""
    completed, countersigned, claimed = _analysis_for(analyses, screened, on)
    due, limit_evidence, _ = _window(ctx, case, limit, on, "screening")
    return analysis_verdict(
        on=on,
        assessment=screened.id,
        completed=completed,
        countersigned=countersigned,
        claimed=claimed,
        due=due,
        limit=str(limit_evidence.value),
        source=limit_evidence.source,
        as_of=ctx.as_of,
    )


def _full_analysis_where_screened(limit: WindowLimit) -> Callable[[Case, Context], Verdict]:
    def check(case: Case, ctx: Context) -> Verdict:
        analyses = [
            (assessment, analysis, assessment.latest_date)
            for assessment in case.assessments
            if (analysis := assessment.full_analysis) is not None
        ]
        return screenings_verdict(
            [
                (
                    on,
                    _analysis_in_window(
                        ctx, case, limit=limit, analyses=analyses, screened=assessment, on=on
                    ),
                )
                for assessment, on in _screened_in(case)
            ]
        )

    return check


_ANALYSIS_QUESTION = (
    "Where an RoH screening called for a full analysis, was one completed (or an exemption "
    "countersigned by an SPO)?"
)
_ANALYSIS_NOTES = (
    "The analysis may be in the screening's assessment or a later one. Timeliness is the "
    "OASys rules' question; this one asks only whether it exists, once the OASys time limit "
    "from the screening has passed (not yet due until then; docs/decisions.md#consistency-windows)."
)

full_analysis_where_screened_2005 = rule(
    "NS05.full-analysis-where-screened",
    question=_ANALYSIS_QUESTION,
    source=("002:274-276", "002:278"),
    kind="consistency",
    applies_to=SCREENED_IN,
    roh=True,
    group="consistency",
    notes=_ANALYSIS_NOTES,
    parameters=_WINDOW_PARAMETERS_2005,
    **IN_FORCE_2005,
)(_full_analysis_where_screened(window_2005))

full_analysis_where_screened_2007 = rule(
    "NS07.full-analysis-where-screened",
    question=_ANALYSIS_QUESTION,
    source=("002:274-276", "002:278"),
    kind="consistency",
    applies_to=SCREENED_IN,
    roh=True,
    group="consistency",
    notes=_ANALYSIS_NOTES,
    parameters=_WINDOW_PARAMETERS_2007,
    **IN_FORCE_2007,
)(_full_analysis_where_screened(window_2007))


def _level_now(case: Case, ctx: Context) -> tuple[RohLevel, dt.date]:
    record = case.roh_on(ctx.as_of)
    if record is None:
        raise MissingFactError(_no_level_now(ctx))
    return record.level, record.on


def _no_level_now(ctx: Context) -> str:
    """The fact missing when no RoH level is recorded by the assessment date."""
    return f"no RoH level is recorded on or before {long_date(ctx.as_of)}"


NOT_LOW_ROH = Population(
    "cases not assessed as low RoH",
    lambda case, ctx: _level_now(case, ctx)[0] is not RohLevel.LOW,
    missing=_no_level_now,
)


def rmp_where_not_low_verdict(
    *,
    level: RohLevel,
    since: dt.date,
    anchor: dt.date,
    anchor_label: str,
    due: dt.date,
    limit: str,
    source: str | None,
    latest: dt.date | None,
    as_of: dt.date,
) -> Verdict:
    """The answer of ``rmp-where-not-low`` from plain values (the rule and its kernel's
    wording): the RoH ``level`` in force ``since``, the latest RMP by as_of (``latest``),
    due ``limit`` after ``anchor`` (the start, or the day the level was set if later).
    Its words are :func:`rmp_where_not_low_words`'."""
    said = rmp_where_not_low_words(
        level=level, since=since, anchor=anchor, anchor_label=anchor_label, due=due,
        limit=limit, source=source, latest=latest, as_of=as_of,
    )  # fmt: skip
    return as_deadline(
        Verdict(said.outcome, said.basis, said.reason, said.evidence),
        trigger=anchor,
        trigger_label=anchor_label,
        due=due,
        done=latest,
    )


def rmp_where_not_low_words(
    *,
    level: RohLevel,
    since: dt.date,
    anchor: dt.date,
    anchor_label: str,
    due: dt.date,
    limit: str,
    source: str | None,
    latest: dt.date | None,
    as_of: dt.date,
) -> DeadlineSaid:
    """The outcome, basis, reason and evidence of :func:`rmp_where_not_low_verdict` (their
    one definition), without the rest of a verdict. Each reason is one of the ``rmp_*_reason``
    sentences (the rule's text form, in :mod:`casework.columnar.rmp`, writes the same)."""
    words = roh_level_words(level)
    evidence = (
        Evidence("RoH level", level.value),
        Evidence("RoH level since", since),
        Evidence("time limit", limit, source),
        Evidence("due by", due, source),
    )
    if latest is not None:
        return DeadlineSaid(
            Outcome.MET,
            Basis.COMPUTED,
            rmp_completed_reason(latest=long_date(latest), level=words, since=long_date(since)),
            (*evidence, Evidence("risk management plan completed", latest)),
        )
    if as_of <= due:
        return DeadlineSaid(
            Outcome.NOT_APPLICABLE,
            Basis.NOT_YET_DUE,
            rmp_pending_reason(
                due=long_date(due),
                limit=limit,
                anchor_label=anchor_label,
                anchor=long_date(anchor),
                level=words,
                since=long_date(since),
            ),
            evidence,
        )
    return DeadlineSaid(
        Outcome.NOT_MET,
        Basis.COMPUTED,
        rmp_missing_reason(level=words, since=long_date(since), due=long_date(due)),
        evidence,
    )


def roh_level_words(level: RohLevel) -> str:
    """A RoH level as :func:`rmp_where_not_low_words` says it: "very high"."""
    return level.value.replace("_", " ")


def rmp_completed_reason(*, latest: str, level: str, since: str) -> str:
    """``rmp-where-not-low`` met: the latest RMP's day, the RoH level and since when, in words."""
    return f"Risk management plan completed on {latest}; the case is {level} RoH (since {since})."


def rmp_pending_reason(
    *, due: str, limit: str, anchor_label: str, anchor: str, level: str, since: str
) -> str:
    """``rmp-where-not-low`` not yet due (the days in words)."""
    return (
        f"Not yet due: a risk management plan is due by {due} ({limit} after {anchor_label} "
        f"on {anchor}); the case is {level} RoH (since {since})."
    )


def rmp_missing_reason(*, level: str, since: str, due: str) -> str:
    """``rmp-where-not-low`` not met: no RMP by as_of (the days in words)."""
    return (
        f"No risk management plan is recorded, although the case is {level} RoH (since "
        f"{since}) and every case not assessed as low RoH needs one; it was due by {due}."
    )


def _rmp_where_not_low(limit: WindowLimit) -> Callable[[Case, Context], Verdict]:
    def check(case: Case, ctx: Context) -> Verdict:
        level, since = _level_now(case, ctx)
        kind, start = case.start_event
        anchor, label = (since, "the RoH level") if since > start else (start, kind)
        due, limit_evidence, _ = _window(ctx, case, limit, anchor, label)
        plans = [
            day
            for assessment in case.assessments
            if (day := assessment.part_completed_on(OasysPart.RMP)) is not None and day <= ctx.as_of
        ]
        return rmp_where_not_low_verdict(
            level=level,
            since=since,
            anchor=anchor,
            anchor_label=label,
            due=due,
            limit=str(limit_evidence.value),
            source=limit_evidence.source,
            latest=max(plans) if plans else None,
            as_of=ctx.as_of,
        )

    return check


_RMP_QUESTION = "Case not assessed as low RoH: has a risk management plan been completed?"
_RMP_NOTES = (
    "The RoH level in force on as_of decides; any RMP completed by as_of counts. Not yet due "
    "until the OASys time limit from the start (or from the date the level was set, if later) "
    "has passed (docs/decisions.md#consistency-windows)."
)

rmp_where_not_low_2005 = rule(
    "NS05.rmp-where-not-low",
    question=_RMP_QUESTION,
    source="002:279",
    kind="consistency",
    applies_to=NOT_LOW_ROH,
    roh=True,
    group="consistency",
    notes=_RMP_NOTES,
    parameters=_WINDOW_PARAMETERS_2005,
    **IN_FORCE_2005,
)(_rmp_where_not_low(window_2005))

rmp_where_not_low_2007 = rule(
    "NS07.rmp-where-not-low",
    question=_RMP_QUESTION,
    source=("002:279", "004:380"),
    kind="consistency",
    applies_to=NOT_LOW_ROH,
    roh=True,
    group="consistency",
    notes=_RMP_NOTES,
    parameters=_WINDOW_PARAMETERS_2007,
    **IN_FORCE_2007,
)(_rmp_where_not_low(window_2007))


def _mappa_level(case: Case, ctx: Context) -> Verdict:
    if case.mappa is None:  # excluded by the population; kept for the type checker
        raise MissingFactError("the case is not recorded as subject to MAPPA")
    records = sorted(
        (rec for rec in case.mappa.levels if rec.on <= ctx.as_of), key=lambda rec: rec.on
    )
    if not records:
        return mappa_level_verdict(None, None)
    current = records[-1]
    return mappa_level_verdict(int(current.level), current.on)


def mappa_level_verdict(level: int | None, on: dt.date | None) -> Verdict:
    """The answer of ``mappa-level`` from the latest level recorded by as_of and its day
    (``None``: none recorded), for the rule and its kernel's wording."""
    if level is None or on is None:
        return not_met("No MAPPA level is recorded for this MAPPA case.")
    return met(
        f"MAPPA level {level} recorded on {long_date(on)}.",
        Evidence("MAPPA level", level),
        Evidence("recorded", on),
    )


_MAPPA_QUESTION = "MAPPA case: is the MAPPA level recorded?"

mappa_level_2005 = rule(
    "NS05.mappa-level",
    question=_MAPPA_QUESTION,
    source=("002:551", "002:1256"),
    kind="consistency",
    applies_to=HAS_MAPPA,
    roh=True,
    group="consistency",
    **IN_FORCE_2005,
)(_mappa_level)

mappa_level_2007 = rule(
    "NS07.mappa-level",
    question=_MAPPA_QUESTION,
    source=("004:367", "002:551"),
    kind="consistency",
    applies_to=HAS_MAPPA,
    roh=True,
    group="consistency",
    **IN_FORCE_2007,
)(_mappa_level)
