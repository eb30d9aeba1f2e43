"""Inspection: inspector answers and summary judgements, a rule set's question ids."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from hypothesis import strategies as st

from casework.model import (
    Answer,
    Judgements,
)
from casework.rules.engine import (
    RuleKind,
)
from casework.rules.ruleset import RuleSet, resolve_ruleset
from casework.testing.strategies._common import _optional, _strategy

#: Answers in long catalogues (None: left unanswered), and how often inspectors give each.
_ANSWER_VALUES: tuple[Answer | None, ...] = (
    None,
    Answer.YES,
    Answer.NO,
    Answer.NOT_APPLICABLE,
    Answer.NOT_EVIDENCED,
)
_ANSWER_WEIGHTS = (25, 40, 15, 10, 10)
#: Up to this many answers are drawn one by one (and shrink one by one); more come from a seed.
_ANSWERS_DRAWN_SINGLY = 12


def _answers(draw: st.DrawFn, ids: Sequence[str], salt: str = "") -> dict[str, Answer]:
    """An answer, or none, for each id: drawn one by one, or for a long list from one seed.

    The seed is mixed with ``salt`` (the case's own facts): Hypothesis often copies a drawn
    seed from one example to the next, which would give many cases the same answers.
    """
    if len(ids) <= _ANSWERS_DRAWN_SINGLY:
        drawn = {key: _optional(draw, st.sampled_from(Answer)) for key in ids}
    else:
        chooser = random.Random(f"{draw(st.integers(0, 2**32 - 1))}:{salt}")
        picks = chooser.choices(_ANSWER_VALUES, weights=_ANSWER_WEIGHTS, k=len(ids))
        drawn = dict(zip(ids, picks, strict=True))
    return {key: value for key, value in drawn.items() if value is not None}


def _judgements(
    draw: st.DrawFn, questions: Sequence[str], criteria: Sequence[str], salt: str = ""
) -> dict[str, Any]:
    return {
        "answers": _answers(draw, questions, salt),
        "summaries": _answers(draw, criteria, salt),
    }


def judgements(
    questions: Iterable[str] = (), criteria: Iterable[str] = ()
) -> st.SearchStrategy[Judgements]:
    """Inspector answers for ``questions`` and summary judgements for ``criteria``.

    Each question is answered (yes, no, not applicable, not evidenced) or left
    unanswered. See :func:`questions_of` for a rule set's question and criterion ids.
    """
    asked, judged = tuple(dict.fromkeys(questions)), tuple(dict.fromkeys(criteria))
    return _strategy(_judgements, asked, judged).map(Judgements.model_validate)


def questions_of(rules: RuleSet | str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The question ids an inspector answers in ``rules``, and its criterion ids.

    Questions are the rules that belong to a criterion (other than its summary
    question, which is answered by the criterion's summary judgement).
    """
    chosen = resolve_ruleset(rules)
    asked = tuple(
        r.id for r in chosen.rules if r.criterion is not None and r.kind is not RuleKind.SUMMARY
    )
    criteria = tuple(dict.fromkeys(r.criterion for r in chosen.rules if r.criterion is not None))
    return asked, criteria
