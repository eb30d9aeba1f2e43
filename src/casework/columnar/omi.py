"""The OMI 2007 catalogue on columns: judged, summary, descriptive and area items.

A judged question's answer is the inspector's, as recorded
(:class:`~casework.rules.omi2007.question.JudgedCheck`, 004 Appendix 3): one kernel
answers every judged question of a chunk from the cases' answers, after the
question's population (asked of each case once per population and chunk, shared
by every question with that population). Summary questions read the summary
judgements the same way (a summary derived from the members' answers, under the
option ``derive_summaries``, is left to the scalar rule); descriptive items read
the record's fact, else the answer; area-level items are asked of no case. That
is 243 of the 257 omi-2007 rules; the computed questions are answered case by
case.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from casework.columnar.columns import NO_DAY, CaseColumns, Mask
from casework.columnar.core import (
    BASIS_CODE,
    OUTCOME_CODE,
    PROVIDERS,
    Kernel,
    kernel_for,
    population,
)
from casework.model import Answer
from casework.rules.engine import Basis, Context, MissingFactError, Outcome, Rule
from casework.rules.omi2007.question import (
    COMPUTED_ANSWERS,
    ComputedCheck,
    DescriptiveCheck,
    JudgedCheck,
    area_check,
)
from casework.rules.omi2007.summary import SummaryCheck
from casework.rules.parameters import MissingParameterError

__all__ = ["AreaKernel", "DescriptiveKernel", "JudgedKernel", "SummaryKernel"]

#: (outcome, basis) of each recorded answer, as ``judged_verdict`` gives them.
_ANSWERED = {
    None: (Outcome.CANNOT_ASSESS, Basis.UNANSWERED),
    Answer.YES: (Outcome.MET, Basis.JUDGED),
    Answer.NO: (Outcome.NOT_MET, Basis.JUDGED),
    Answer.NOT_EVIDENCED: (Outcome.NOT_MET, Basis.JUDGED),
    Answer.NOT_APPLICABLE: (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
}
_KEYS = tuple(_ANSWERED)
_CODE = {answer: code for code, answer in enumerate(_KEYS)}
_OUTCOME = np.asarray([OUTCOME_CODE[_ANSWERED[key][0]] for key in _KEYS], dtype=np.int8)
_BASIS = np.asarray([BASIS_CODE[_ANSWERED[key][1]] for key in _KEYS], dtype=np.int8)


def _answered(
    columns: CaseColumns, rule: Rule, ctx: Context, answers: list[Answer | None],
    special: Mask | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Columns for answers as ``judged_verdict`` reads them, inside the rule's population."""
    n = len(columns)
    applies, missing = population(columns, rule, ctx)
    codes = np.fromiter((_CODE[answer] for answer in answers), dtype=np.int8, count=n)
    outcome = np.where(applies, _OUTCOME[codes], OUTCOME_CODE[Outcome.NOT_APPLICABLE])
    basis = np.where(applies, _BASIS[codes], BASIS_CODE[Basis.OUT_OF_SCOPE])
    return _undated(outcome, basis, missing if special is None else missing | special)


def _undated(outcome: Any, basis: Any, special: Mask) -> dict[str, Any]:
    n = len(outcome)
    none = np.full(n, NO_DAY, dtype=np.int64)
    return {
        "outcome": np.asarray(outcome, dtype=np.int8),
        "basis": np.asarray(basis, dtype=np.int8),
        "trigger": none,
        "due": none,
        "done": none,
        "late_by": np.full(n, -1, dtype=np.int64),
        "late_unit": np.zeros(n, dtype=np.int8),
        "special": special,
    }


@attrs.frozen
class JudgedKernel:
    """One judged question on a chunk: its population, then the recorded answer."""

    question_id: str
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        answers = [case.judgements.answers.get(self.question_id) for case in columns.cases]
        return _answered(columns, self.rule, ctx, answers)


@attrs.frozen
class SummaryKernel:
    """A criterion's summary question: the recorded summary judgement. Where none is
    recorded and ``derive_summaries`` is set, the scalar rule derives one."""

    criterion_id: str
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        answers = [case.judgements.summaries.get(self.criterion_id) for case in columns.cases]
        derive = np.zeros(len(columns), dtype=bool)
        if ctx.option("derive_summaries") is not None:
            derive = np.asarray([answer is None for answer in answers], dtype=bool)
        return _answered(columns, self.rule, ctx, answers, derive)


@attrs.frozen
class DescriptiveKernel:
    """A descriptive count: the record's fact where it can say, else the answer."""

    check: DescriptiveCheck
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        question = self.check.question
        n = len(columns)
        applies, shared = population(columns, self.rule, ctx)
        missing = shared.copy()  # the population's own answer is shared by other rules
        outcome = np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8)
        basis = np.full(n, BASIS_CODE[Basis.OUT_OF_SCOPE], dtype=np.int8)
        for row in np.flatnonzero(applies):
            case = columns.cases[int(row)]
            try:
                value = question.fact(case) if question.fact is not None else None
            except MissingFactError:
                missing[row] = True
                continue
            answer = case.judgements.answers.get(question.id)
            if value is None and (answer is None or answer is Answer.NOT_APPLICABLE):
                code = _CODE[answer]
                outcome[row], basis[row] = _OUTCOME[code], _BASIS[code]
                continue
            if value is None:
                value = answer is Answer.YES
            outcome[row] = OUTCOME_CODE[Outcome.MET if value else Outcome.NOT_MET]
            basis[row] = BASIS_CODE[Basis.DESCRIPTIVE]
        return _undated(outcome, basis, missing)


@attrs.frozen
class AreaKernel:
    """An area-level item: not asked of cases, whatever the population."""

    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        n = len(columns)
        _, missing = population(columns, self.rule, ctx)
        outcome = np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8)
        basis = np.full(n, BASIS_CODE[Basis.OUT_OF_SCOPE], dtype=np.int8)
        return _undated(outcome, basis, missing)


@attrs.frozen
class ComputedKernel:
    """A computed question: the reused rule's kernel, run with the inspection's own
    parameters, weighed against the recorded answer as ``computed_answers`` says
    (:class:`~casework.rules.omi2007.question.ComputedCheck`)."""

    check: ComputedCheck
    reused: Kernel = attrs.field(eq=False, repr=False)
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        question = self.check.question
        computation = question.computation
        assert computation is not None
        n = len(columns)
        mode = ctx.option("computed_answers", COMPUTED_ANSWERS[0])
        if mode not in COMPUTED_ANSWERS:
            raise ValueError(f"option computed_answers={mode!r} is not one of {COMPUTED_ANSWERS}")
        applies, missing = population(columns, self.rule, ctx)
        try:
            computed = self.reused(columns, computation.context(ctx))
        except (MissingFactError, MissingParameterError):
            return {**_undated(np.zeros(n), np.zeros(n), np.ones(n, dtype=bool))}
        if "row" in computed:  # a rule answering per unit is not reused by any question
            return {**_undated(np.zeros(n), np.zeros(n), np.ones(n, dtype=bool))}
        recorded = [case.judgements.answers.get(question.id) for case in columns.cases]
        codes = np.fromiter((_CODE[answer] for answer in recorded), dtype=np.int8, count=n)
        answered = codes != _CODE[None]
        if mode == "compute":
            judged = np.zeros(n, dtype=bool)
        elif mode == "judgement_first":
            judged = answered
        else:
            cannot = computed["outcome"] == OUTCOME_CODE[Outcome.CANNOT_ASSESS]
            judged = answered & cannot
        judged_or_out = judged | ~applies
        outcome = np.where(judged, _OUTCOME[codes], computed["outcome"])
        basis = np.where(judged, _BASIS[codes], computed["basis"])
        outcome = np.where(applies, outcome, OUTCOME_CODE[Outcome.NOT_APPLICABLE])
        basis = np.where(applies, basis, BASIS_CODE[Basis.OUT_OF_SCOPE])
        answer = _undated(outcome, basis, missing | computed.get("special", False))
        for name in ("trigger", "due", "done"):
            answer[name] = np.where(judged_or_out, NO_DAY, computed[name])
        answer["late_by"] = np.where(judged_or_out, -1, computed["late_by"])
        answer["late_unit"] = np.where(judged_or_out, 0, computed["late_unit"]).astype(np.int8)
        return answer


def _omi(rule: Rule) -> Kernel | None:
    check = rule.check
    if isinstance(check, ComputedCheck):
        computation = check.question.computation
        reused = kernel_for(computation.rule) if computation is not None else None
        return None if reused is None else ComputedKernel(check, reused, rule)
    if isinstance(check, JudgedCheck):
        return JudgedKernel(check.question_id, rule)
    if isinstance(check, SummaryCheck):
        return SummaryKernel(check.criterion_id, rule)
    if isinstance(check, DescriptiveCheck):
        return DescriptiveKernel(check, rule)
    if check is area_check:
        return AreaKernel(rule)
    return None


PROVIDERS.append(_omi)
