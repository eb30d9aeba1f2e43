"""The summary question of each criterion: an inspector's overall judgement (004:998).

The report names "the summary question" and weights it 20% (004:998) but
never defines it. It is read as an independent, holistic per-case judgement
for the criterion (omi-2007-criteria.md §1.3 A4), recorded in
``case.judgements.summaries``. Where none is recorded, the evaluation option
``derive_summaries`` can derive it from the individual answers, flagged as
derived (``Basis.DERIVED``): a non-faithful approximation.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from casework.model import Case
from casework.rules.engine import (
    Basis,
    CheckFn,
    Context,
    Evidence,
    Outcome,
    Rule,
    RuleKind,
    Verdict,
    cannot_assess,
    met,
    not_applicable,
    not_met,
    verdict_for,
)
from casework.rules.omi2007.criteria import Criterion
from casework.rules.omi2007.question import OMI_FROM, judged_verdict

__all__ = ["DERIVE_SUMMARIES", "ROH_SUMMARIES", "SummaryCheck", "summary_id", "summary_rule"]

#: Values of the ``derive_summaries`` evaluation option; ``None`` (the default) derives nothing.
DERIVE_SUMMARIES = ("all", "majority")

#: Criteria whose summary question is about RoH and so in the RoH thread (A10).
ROH_SUMMARIES = frozenset({"1.2", "2.2"})


def summary_id(criterion_id: str) -> str:
    """The rule id of a criterion's summary question: ``"1.2.summary"``."""
    return f"{criterion_id}.summary"


def summary_rule(criterion: Criterion, members: Sequence[Rule]) -> Rule:
    """The summary question of ``criterion``, derivable from ``members`` when asked to."""
    return Rule(
        id=summary_id(criterion.id),
        question=f"Overall, was the work for criterion {criterion.id} ({criterion.title}) "
        "sufficient?",
        source=("004:998",),
        kind=RuleKind.SUMMARY,
        check=_summary_check(criterion.id, tuple(members)),
        roh=criterion.id in ROH_SUMMARIES,
        criterion=criterion.id,
        in_force_from=OMI_FROM,
        notes="An independent overall judgement (A4); weighted 20% of the criterion (A3).",
    )


@attrs.frozen
class SummaryCheck:
    """The body of a criterion's summary question: the inspector's summary judgement, or,
    with the option ``derive_summaries``, one derived from the members' answers. A
    class, not a closure, so the columnar engine can recognise it."""

    criterion_id: str
    members: tuple[Rule, ...] = attrs.field(eq=False, repr=False)

    def __call__(self, case: Case, ctx: Context) -> Verdict:
        answer = case.judgements.summaries.get(self.criterion_id)
        mode = ctx.option("derive_summaries")
        if answer is not None or mode is None:
            return judged_verdict(answer, what="summary question")
        if mode not in DERIVE_SUMMARIES:
            raise ValueError(f"option derive_summaries={mode!r} is not one of {DERIVE_SUMMARIES}")
        verdicts = [(member.id, verdict_for(case, member, ctx)) for member in self.members]
        return _derive(mode, verdicts)


def _summary_check(criterion_id: str, members: tuple[Rule, ...]) -> CheckFn:
    return SummaryCheck(criterion_id, members)


def _ids(verdicts: Sequence[tuple[str, Verdict]], outcome: Outcome) -> list[str]:
    return [rule_id for rule_id, verdict in verdicts if verdict.outcome is outcome]


def _derive(mode: str, verdicts: Sequence[tuple[str, Verdict]]) -> Verdict:
    above = _ids(verdicts, Outcome.MET)
    below = _ids(verdicts, Outcome.NOT_MET)
    unknown = _ids(verdicts, Outcome.CANNOT_ASSESS)
    evidence = (
        Evidence("derived by", mode),
        Evidence("questions above the line", ", ".join(above) or "none"),
        Evidence("questions below the line", ", ".join(below) or "none"),
        Evidence("questions not assessed", ", ".join(unknown) or "none"),
    )
    head = f"No summary judgement is recorded; derived ({mode}) from the individual answers"
    tally = f"{len(above)} above the line, {len(below)} below, {len(unknown)} not assessed"
    if not (above or below or unknown):
        return not_applicable(f"{head}: no individual question applies.", *evidence)
    if mode == "all":
        if below:
            return not_met(f"{head}: {tally}.", *evidence, basis=Basis.DERIVED)
        if unknown:
            return cannot_assess(
                f"{head}, but {len(unknown)} could not be assessed ({tally}).",
                *evidence,
                basis=Basis.UNANSWERED,
            )
        return met(f"{head}: all {len(above)} above the line.", *evidence, basis=Basis.DERIVED)
    if len(above) > len(below) + len(unknown):
        return met(f"{head}: a majority above the line ({tally}).", *evidence, basis=Basis.DERIVED)
    if len(below) >= len(above) + len(unknown):
        return not_met(
            f"{head}: no majority above the line ({tally}).", *evidence, basis=Basis.DERIVED
        )
    return cannot_assess(
        f"{head}, but the unassessed questions could decide it ({tally}).",
        *evidence,
        basis=Basis.UNANSWERED,
    )
