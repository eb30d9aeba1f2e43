"""The OASys start-of-sentence timeliness kernels (NS07/NS05 OASys rules behind N01-N03)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from casework.calendar import Duration
from casework.columnar.columns import NO_DAY, CaseColumns, Days, Mask, day_words, from_day_number
from casework.columnar.core import (
    BASIS_CODE,
    OUTCOME_CODE,
    Answer,
    Explained,
    Wording,
    deadline,
    deadline_said,
    deadline_said_many,
    deadline_wording,
    register,
    register_many,
    register_text_many,
)
from casework.columnar.core import Answers as Answers_
from casework.columnar.supervision import start_labels
from casework.model import OasysPart
from casework.rules.engine import Basis, Context, Evidence, Outcome
from casework.rules.oasys import FullAnalysisRule, describe_parts, part_done_words
from casework.rules.standards import oasys
from casework.rules.timing import DeadlineLabels

__all__ = ["OasysKernel", "oasys_wording"]

Population = Literal["ppo", "not_ppo_tier4", "not_ppo_tier1to3"]


@attrs.frozen
class OasysKernel:
    """The OASys start-of-sentence timeliness rules (003:697-701, 001:441), on columns.

    The same reading as :func:`casework.rules.oasys.oasys_completion` and
    :func:`casework.rules.timing.deadline_check`: the required parts' earliest
    completion among the counting assessments, the last of them the completion;
    met when on or before the due date, not yet due when the due date has not
    passed by ``as_of`` and the work is not done, not met otherwise.
    """

    population: Population
    limit: str
    full_analysis: FullAnalysisRule

    def needs_analysis(self, columns: CaseColumns) -> Mask:
        """Per case: whether a full analysis is required."""
        n = len(columns)
        if self.full_analysis == "always":
            return np.ones(n, dtype=bool)
        if self.full_analysis == "never":
            return np.zeros(n, dtype=bool)
        return columns.any_of(columns.screened_in, columns.candidates())

    def completion(self, columns: CaseColumns) -> tuple[Days, Mask]:
        """Per case: when the required parts were all complete, and whether any is missing."""
        n = len(columns)
        chosen = columns.candidates()
        parts = [
            columns.earliest(columns.assessment, chosen),
            columns.earliest(columns.screening, chosen),
            columns.earliest(columns.sentence_plan, chosen),
        ]
        if self.full_analysis == "always":
            needs_analysis = np.ones(n, dtype=bool)
        elif self.full_analysis == "never":
            needs_analysis = np.zeros(n, dtype=bool)
        else:
            needs_analysis = columns.any_of(columns.screened_in, chosen)
        analysis = columns.earliest(columns.full_analysis, chosen)
        missing = np.zeros(n, dtype=bool)
        for part in parts:
            missing |= part == NO_DAY
        missing |= needs_analysis & (analysis == NO_DAY)
        done = np.maximum.reduce(parts)
        done = np.where(needs_analysis, np.maximum(done, analysis), done)
        done = np.where(missing, NO_DAY, done)
        return done, missing

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        n = len(columns)
        outcome = np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8)
        basis = np.full(n, BASIS_CODE[Basis.OUT_OF_SCOPE], dtype=np.int8)
        tiers = columns.tier_at_start
        if self.population == "ppo":
            member = columns.ppo_at_start
            no_tier = np.zeros(n, dtype=bool)
        else:
            wanted = [4] if self.population == "not_ppo_tier4" else [1, 2, 3]
            no_tier = ~columns.ppo_at_start & (tiers == 0)
            member = ~columns.ppo_at_start & np.isin(tiers, wanted)
        outcome[no_tier] = OUTCOME_CODE[Outcome.CANNOT_ASSESS]
        basis[no_tier] = BASIS_CODE[Basis.MISSING_DATA]

        done, _ = self.completion(columns)  # done is NO_DAY where a part is missing
        needs_analysis = self.needs_analysis(columns)

        duration: Duration = ctx.param(self.limit).duration
        rows = np.flatnonzero(member)
        found = deadline(ctx, columns.start[rows], done[rows], duration, columns.record_as_of[rows])
        answered: dict[str, Any] = {
            "outcome": outcome,
            "basis": basis,
            "trigger": np.full(n, NO_DAY, dtype=np.int64),
            "due": np.full(n, NO_DAY, dtype=np.int64),
            "done": np.full(n, NO_DAY, dtype=np.int64),
            "late_by": np.full(n, -1, dtype=np.int64),
            "late_unit": np.zeros(n, dtype=np.int8),
        }
        for name, values in found.items():
            answered[name][rows] = values
        answered["wording"] = self.wording(columns, ctx, rows, needs_analysis)
        return answered

    def wording(
        self, columns: CaseColumns, ctx: Context, rows: npt.NDArray[np.intp], needs_analysis: Mask
    ) -> Wording | None:
        """The words of the answers of cases ``rows``: the scalar rule's labels
        (:func:`casework.rules.standards.oasys.oasys_labels`) from the parts' dates."""
        chosen = columns.candidates()
        parts = [
            columns.earliest(columns.assessment, chosen),
            columns.earliest(columns.screening, chosen),
            columns.earliest(columns.sentence_plan, chosen),
            columns.earliest(columns.full_analysis, chosen),
        ]
        return oasys_wording(
            columns, ctx, self.limit, rows, core=_CORE, parts=parts, needs_analysis=needs_analysis
        )


#: The parts every OASys rule requires, in the order the rules list them.
_CORE = (OasysPart.ASSESSMENT, OasysPart.SCREENING, OasysPart.SENTENCE_PLAN)


def oasys_wording(
    columns: CaseColumns,
    ctx: Context,
    limit: str,
    rows: npt.NDArray[np.intp],
    *,
    core: tuple[OasysPart, ...],
    parts: Sequence[Days],
    needs_analysis: Mask,
) -> Wording | None:
    """The words of an OASys rule's answers of cases ``rows`` (its deadline from the start
    of :func:`deadline`, limit ``limit``): the scalar rule's labels
    (:func:`casework.rules.standards.oasys.oasys_labels`) from the days each part was
    done, ``parts``: per case, one column for each of ``core``, the parts the rule always
    requires, in its order, then the full analysis, required where ``needs_analysis``."""
    wording = deadline_wording(
        ctx,
        limit,
        anchor_label=start_labels(columns, rows),
        labels=DeadlineLabels(),  # the labels depend on the parts: see _oasys_said
        size=len(rows),
    )
    if wording is None:
        return None
    *found, analysis = (part[rows].tolist() for part in parts)
    needed = needs_analysis[rows].tolist()
    days = [
        (*done, day if wanted else None)
        for *done, day, wanted in zip(*found, analysis, needed, strict=True)
    ]
    constants = wording.constants if core == _CORE else {**wording.constants, "core": core}
    return attrs.evolve(
        wording, words=_oasys_said, values={**wording.values, "parts": days}, constants=constants
    ).placed(rows)


def _oasys_said(
    answer: Answer,
    *,
    parts: tuple[int | None, ...],
    core: tuple[OasysPart, ...] = _CORE,
    **values: Any,
) -> Explained | None:
    """An OASys answer in words: the parts in words (``describe_parts``) make its labels.
    ``parts``: the day each part of ``core`` was done, then the full analysis's (``None``
    where the rule does not require one)."""
    required = [*core, OasysPart.FULL_ANALYSIS] if parts[-1] is not None else list(core)
    described = describe_parts(
        (part, None if day is None else from_day_number(day))
        for part, day in zip(required, parts, strict=False)
    )
    labels, extra = oasys.oasys_labels(described)
    return deadline_said(answer, **{**values, **labels.words()}, extra=extra)


def _oasys_said_many(
    answers: Answers_,
    *,
    parts: Sequence[tuple[int | None, ...]],
    core: tuple[OasysPart, ...] = _CORE,
    as_text: bool = False,
    **values: Any,
) -> list[Any]:
    """:func:`_oasys_said` of many answers: each answer's parts in words (each part's words
    a column at a time, each day's words made once) give its labels, and the deadlines are
    worded at once (:func:`~casework.columnar.core.deadline_said_many`, with each answer's
    labels). ``as_text``: each evidence as its line (the text form)."""
    n = len(parts)
    if not n:
        return []
    # each part's words, a column a part (the full analysis's used where it is required)
    required = [*core, OasysPart.FULL_ANALYSIS]
    *said, analysis = (
        [part_done_words(part, day or None) for day in day_words([
            NO_DAY if found is None else found for found in days
        ])]
        for part, days in zip(required, zip(*parts, strict=True), strict=True)
    )  # fmt: skip
    described = [
        ", ".join(words) if found[-1] is None else f"{', '.join(words)}, {analysed}"
        for words, analysed, found in zip(zip(*said, strict=True), analysis, parts, strict=True)
    ]
    return deadline_said_many(
        answers,
        **{
            **values,
            "done_label": [oasys.OASYS_DONE_LABEL] * n,
            "missing_label": [oasys.oasys_missing_label(words) for words in described],
        },
        extra=[(Evidence("parts", words),) for words in described],
        as_text=as_text,
    )


register_many(_oasys_said, _oasys_said_many)
register_text_many(_oasys_said, functools.partial(_oasys_said_many, as_text=True))
register(oasys.oasys_ppo_2007, OasysKernel("ppo", "oasys_ppo_limit", "if_screened_in"))
register(oasys.oasys_ppo_2005, OasysKernel("ppo", "oasys_ppo_limit", "if_screened_in"))
register(oasys.oasys_tier4_2007, OasysKernel("not_ppo_tier4", "oasys_tier4_limit", "always"))
register(
    oasys.oasys_tier1to3_2007,
    OasysKernel("not_ppo_tier1to3", "oasys_tier1to3_limit", "if_screened_in"),
)
