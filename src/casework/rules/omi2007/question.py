"""An inspection question: what the report asked of each case, and how it is answered.

Each item the report prints for criteria 1.1 to 3.2 (omi-2007-criteria.md §2)
is a :class:`Question`: its id, criterion, wording, source line, who it
applies to, its kind (timeliness, quality, outcome, descriptive), its RoH
thread tag and the figure the report printed. :meth:`Question.rule` turns it
into an engine :class:`~casework.rules.Rule` answered one of four ways:

``judged``
    from the inspector's recorded answer (``case.judgements.answers``); an
    applicable question with no answer is ``cannot_assess`` / ``unanswered``
    and never scored; ``not_evidenced`` is below the line (A2).
``computed``
    from the case's dates and facts, by reusing a rule (a National Standards
    rule, by reference) with the inspection's own time limits (A18).
``descriptive``
    a count kept for context, never scored (from a fact where the record holds
    it, else from the recorded answer).
``area``
    an area-level finding in the report, not asked of cases.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import attrs

from casework.model import Answer, Case
from casework.rules.engine import (
    EVERY_CASE,
    Basis,
    CheckFn,
    Context,
    Evidence,
    MissingFactError,
    Outcome,
    Population,
    Rule,
    RuleKind,
    Verdict,
    cannot_assess,
    met,
    not_applicable,
    not_met,
    verdict_for,
)
from casework.rules.omi2007.computed import Computation
from casework.rules.omi2007.population import AREA_LEVEL

__all__ = [
    "COMPUTED_ANSWERS",
    "OMI_FROM",
    "Answering",
    "Computation",
    "ComputedCheck",
    "DescriptiveCheck",
    "JudgedCheck",
    "Question",
    "area",
    "area_check",
    "computed",
    "descriptive",
    "judged",
    "judged_verdict",
]

#: The OMI programme started in May 2006 (004:944); see docs/decisions.md#omi-2007-dates.
OMI_FROM = dt.date(2006, 5, 1)

#: Values of the ``computed_answers`` evaluation option (docs/omi-2007.md#evaluation-options).
COMPUTED_ANSWERS = ("compute_then_judgement", "compute", "judgement_first")


class Answering(enum.StrEnum):
    """How a question is answered for a case."""

    JUDGED = "judged"
    COMPUTED = "computed"
    DESCRIPTIVE = "descriptive"
    AREA = "area"


FactFn = Callable[[Case], bool | None]


@attrs.frozen
class Question:
    """One reported inspection question (see the module notes)."""

    id: str
    criterion: str
    text: str
    source: tuple[str, ...]
    kind: RuleKind
    answering: Answering
    applies_to: Population = EVERY_CASE
    roh: bool = False
    roh_note: str = ""
    """For items the reference tags "?": the reading taken and why (docs/omi-2007.md)."""
    group: str | None = None
    reported_rate: Fraction | None = None
    """The yes-rate the report printed (or derived from a printed "did not" rate)."""
    reported_base: int | None = None
    """The number of relevant cases the report printed, where it printed one."""
    reported_count: int | None = None
    """For a count printed without a base ("in 16 cases", 004:656): the count."""
    computation: Computation | None = None
    fact: FactFn | None = attrs.field(default=None, eq=False, repr=False)
    """For descriptive items the record can answer: ``True``/``False``, ``None`` if it cannot."""
    notes: str = ""

    @property
    def section(self) -> int:
        """The report section, 1 to 3."""
        return int(self.criterion.split(".")[0])

    @property
    def scored(self) -> bool:
        """Whether the question counts in criterion scores (descriptive items never do)."""
        return self.kind is not RuleKind.DESCRIPTIVE and self.answering is not Answering.AREA

    def rule(self) -> Rule:
        """The engine rule that answers this question for one case."""
        parameters = self.computation.reads if self.computation else ()
        notes = " ".join(part for part in (self.notes, self.roh_note) if part)
        return Rule(
            id=self.id,
            question=self.text,
            source=self.source,
            kind=self.kind,
            check=self._check(),
            applies_to=self.population(),
            roh=self.roh,
            parameters=parameters,
            criterion=self.criterion,
            group=self.group,
            notes=notes,
            in_force_from=OMI_FROM,
        )

    def population(self) -> Population:
        """Who the question applies to: its own population and, for a computed question, the
        population of the rule computing it (a case that rule cannot place is left to the
        rule: it answers "cannot assess" and the inspector's answer may stand in)."""
        if self.computation is None or self.computation.rule.applies_to is EVERY_CASE:
            return self.applies_to
        computation = self.computation
        reused = computation.rule.applies_to

        def within(case: Case, ctx: Context) -> bool:
            try:
                return reused(case, computation.context(ctx))
            except MissingFactError:
                return True

        return Population(
            f"{self.applies_to.description}, computed by {computation.rule_id}, which applies "
            f"to {reused.description}",
            lambda case, ctx: self.applies_to(case, ctx) and within(case, ctx),
            lambda case, ctx: (
                self.applies_to.outside(case, ctx)
                if not self.applies_to(case, ctx)
                else reused.outside(case, computation.context(ctx))
            ),
            form=("computed", self.applies_to, computation),
        )

    def _check(self) -> CheckFn:
        match self.answering:
            case Answering.COMPUTED:
                return _computed_check(self)
            case Answering.DESCRIPTIVE:
                return _descriptive_check(self)
            case Answering.AREA:
                return area_check
            case Answering.JUDGED:
                return _judged_check(self.id)


# ---------------------------------------------------------------- judged


def judged_verdict(answer: Answer | None, *, what: str = "question") -> Verdict:
    """The verdict for an inspector's answer (``None``: no answer recorded)."""
    if answer is None:
        return cannot_assess(
            f"No answer is recorded for this applicable {what}: it is left out of the score "
            "and reported as unanswered.",
            basis=Basis.UNANSWERED,
        )
    evidence = Evidence("answer", answer.value)
    match answer:
        case Answer.YES:
            return met("The inspector judged the work sufficient (yes).", evidence, basis=_J)
        case Answer.NO:
            return not_met("The inspector judged the work not sufficient (no).", evidence, basis=_J)
        case Answer.NOT_EVIDENCED:
            return not_met(
                "Nothing on file evidenced the work (not evidenced): below the line.",
                evidence,
                basis=_J,
            )
        case Answer.NOT_APPLICABLE:
            return not_applicable(
                f"The inspector recorded the {what} as not applicable to this case.", evidence
            )


_J = Basis.JUDGED


@attrs.frozen
class JudgedCheck:
    """The body of a judged question: the inspector's answer, as recorded.

    A class, not a closure, so the columnar engine can recognise the body and
    answer every judged question of a chunk from the answers table
    (``casework.columnar.omi``).
    """

    question_id: str

    def __call__(self, case: Case, _ctx: Context) -> Verdict:
        return judged_verdict(case.judgements.answers.get(self.question_id))


def _judged_check(question_id: str) -> CheckFn:
    return JudgedCheck(question_id)


# ---------------------------------------------------------------- computed


@attrs.frozen
class ComputedCheck:
    """The body of a computed question: the reused National Standards rule's verdict,
    weighed against the inspector's answer as the option ``computed_answers`` says.
    A class, not a closure, so the columnar engine can recognise it."""

    question: Question

    def __call__(self, case: Case, ctx: Context) -> Verdict:
        question = self.question
        computation = question.computation
        assert computation is not None  # checked when the body is made
        mode = ctx.option("computed_answers", COMPUTED_ANSWERS[0])
        if mode not in COMPUTED_ANSWERS:
            raise ValueError(f"option computed_answers={mode!r} is not one of {COMPUTED_ANSWERS}")
        recorded = case.judgements.answers.get(question.id)
        if mode == "judgement_first" and recorded is not None:
            return judged_verdict(recorded)
        computed = verdict_for(case, computation.rule, computation.context(ctx))
        evidence = (Evidence("computed by", computation.rule.id), *computed.evidence)
        if recorded is None or mode == "compute":
            return attrs.evolve(computed, evidence=evidence)
        if computed.outcome is Outcome.CANNOT_ASSESS:
            judged = judged_verdict(recorded)
            return attrs.evolve(
                judged,
                reason=f"{computed.reason} The inspector's answer ({recorded.value}) is used "
                "instead.",
                evidence=(*evidence, *judged.evidence),
            )
        scored = {Outcome.MET: Answer.YES, Outcome.NOT_MET: Answer.NO}.get(computed.outcome)
        agrees = {Answer.YES: Answer.YES, Answer.NO: Answer.NO, Answer.NOT_EVIDENCED: Answer.NO}
        if scored is not None and agrees.get(recorded) not in (None, scored):
            return attrs.evolve(
                computed,
                reason=(
                    f"{computed.reason} The inspector recorded {recorded.value}; "
                    "the computed answer is used."
                ),
                evidence=(*evidence, Evidence("inspector's answer", recorded.value)),
            )
        return attrs.evolve(computed, evidence=evidence)


def _computed_check(question: Question) -> CheckFn:
    if question.computation is None:
        raise ValueError(f"computed question {question.id} has no computation")
    return ComputedCheck(question)


# ---------------------------------------------------------------- descriptive and area


@attrs.frozen
class DescriptiveCheck:
    """The body of a descriptive question: the record's fact where it can say, else the
    inspector's answer; counted, never scored. A class, not a closure, so the columnar
    engine can recognise it (``casework.columnar.omi``)."""

    question: Question

    def __call__(self, case: Case, _ctx: Context) -> Verdict:
        question = self.question
        value = question.fact(case) if question.fact is not None else None
        answer = case.judgements.answers.get(question.id) if value is None else None
        return descriptive_verdict(value, answer)


def descriptive_verdict(value: bool | None, answer: Answer | None) -> Verdict:
    """A descriptive count's verdict: the record's fact (``value``) where it says, else
    the inspector's ``answer`` (``None``: none recorded)."""
    if value is None:
        if answer is None or answer is Answer.NOT_APPLICABLE:
            return judged_verdict(answer, what="count")
        value = answer is Answer.YES
        origin = f"from the inspector's answer ({answer.value})"
    else:
        origin = "from the case record"
    words = "yes" if value else "no"
    verdict = met if value else not_met
    return verdict(
        f"Counted {words} {origin}; a descriptive count, not scored.",
        Evidence("value", value),
        basis=Basis.DESCRIPTIVE,
    )


def _descriptive_check(question: Question) -> CheckFn:
    return DescriptiveCheck(question)


def area_check(_case: Case, _ctx: Context) -> Verdict:
    """The body of an area-level item: not asked of cases."""
    return not_applicable("An area-level finding: not asked of cases.")


# ---------------------------------------------------------------- declaring questions


def _sources(line: int | str | tuple[int | str, ...]) -> tuple[str, ...]:
    lines = line if isinstance(line, tuple) else (line,)
    return tuple(f"004:{n}" for n in lines)


def _rate(text: str | None) -> Fraction | None:
    if text is None:
        return None
    if text.endswith("%"):
        return Fraction(int(text[:-1]), 100)
    return Fraction(text)


def _base(rate: str | None, base: int | None) -> int | None:
    if base is not None or rate is None or "/" not in rate:
        return base
    return int(rate.split("/")[1])


def judged(
    id: str,
    text: str,
    line: int | str | tuple[int | str, ...],
    applies_to: Population = EVERY_CASE,
    *,
    kind: RuleKind | str = RuleKind.QUALITY,
    roh: bool = False,
    rate: str | None = None,
    base: int | None = None,
    count: int | None = None,
    group: str | None = None,
    notes: str = "",
    roh_note: str = "",
    answering: Answering = Answering.JUDGED,
    computation: Computation | None = None,
    fact: FactFn | None = None,
) -> Question:
    """Declare a question; ``rate`` is the printed yes-rate ("87%" or "11/14"), ``base`` the
    relevant cases printed, ``count`` a count printed without a base."""
    return Question(
        id=id,
        criterion=id.rsplit(".", 1)[0],
        text=text,
        source=_sources(line),
        kind=RuleKind(kind),
        answering=answering,
        applies_to=applies_to,
        roh=roh,
        roh_note=roh_note,
        group=group,
        reported_rate=_rate(rate),
        reported_base=_base(rate, base),
        reported_count=count,
        computation=computation,
        fact=fact,
        notes=notes,
    )


def computed(
    id: str,
    text: str,
    line: int | str | tuple[int | str, ...],
    computation: Computation,
    applies_to: Population,
    **options: Any,
) -> Question:
    """A question answered from case facts by ``computation`` (falling back to judgement).

    The computing rule's own population is part of the question's
    (:meth:`Question.population`): outside it the question is not applicable.
    """
    return judged(
        id,
        text,
        line,
        applies_to,
        kind=options.pop("kind", RuleKind.TIMELINESS),
        answering=Answering.COMPUTED,
        computation=computation,
        **options,
    )


def descriptive(
    id: str,
    text: str,
    line: int | str | tuple[int | str, ...],
    applies_to: Population = EVERY_CASE,
    *,
    fact: FactFn | None = None,
    **options: Any,
) -> Question:
    """A descriptive count: kept, never scored."""
    return judged(
        id,
        text,
        line,
        applies_to,
        kind=RuleKind.DESCRIPTIVE,
        answering=Answering.DESCRIPTIVE,
        fact=fact,
        **options,
    )


def area(
    id: str,
    text: str,
    line: int | str | tuple[int | str, ...],
    *,
    kind: RuleKind | str = RuleKind.QUALITY,
    rate: str | None = None,
    notes: str = "",
) -> Question:
    """An area-level finding the report files under a criterion: not asked of cases.

    ``rate`` is a figure the report prints for the area (3.1.ab: 35% of awards)."""
    return judged(
        id, text, line, AREA_LEVEL, kind=kind, answering=Answering.AREA, rate=rate, notes=notes
    )
