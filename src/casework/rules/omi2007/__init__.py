"""Offender Management Inspection 2007 (HMI Probation): the question catalogue.

Every item the inspection report prints for general criteria 1.1 to 3.2
(004:333-702; omi-2007-criteria.md §2) is a :class:`Question`, plus one
summary question per criterion. :func:`omi_2007` builds the ``omi-2007``
rule set from them; :func:`casework.score_inspection` scores its findings.

>>> from casework.rules.omi2007 import question
>>> question("1.2.p").text
'Was the full RoH analysis of a sufficient standard?'
"""

from __future__ import annotations

import datetime as dt
import functools

from casework.model import Case
from casework.rules.engine import Rule
from casework.rules.omi2007 import section1, section2, section3
from casework.rules.omi2007.criteria import (
    CRITERIA,
    SECTIONS,
    Criterion,
    Section,
    criterion,
    section,
)
from casework.rules.omi2007.question import OMI_FROM, Answering, Computation, Question
from casework.rules.omi2007.summary import ROH_SUMMARIES, summary_id, summary_rule
from casework.rules.ruleset import RuleSet, build_ruleset

__all__ = [
    "CRITERIA",
    "PARAMETERS_ON",
    "QUESTIONS",
    "ROH_SUMMARIES",
    "SCORED_CRITERIA",
    "SECTIONS",
    "Answering",
    "Computation",
    "Criterion",
    "Question",
    "Section",
    "criterion",
    "judgement_problems",
    "omi_2007",
    "question",
    "section",
    "summary_id",
]

#: The limits are those the October 2007 fieldwork applied (004:185, 004:515); see
#: docs/decisions.md#omi-2007-dates.
PARAMETERS_ON = dt.date(2007, 10, 15)

#: Every reported question for criteria 1.1 to 3.2, in report order.
QUESTIONS: tuple[Question, ...] = (*section1.QUESTIONS, *section2.QUESTIONS, *section3.QUESTIONS)

#: The criteria scored from the case sample (sections 1 to 3).
SCORED_CRITERIA: tuple[Criterion, ...] = tuple(c for c in CRITERIA if c.section <= 3)

_BY_ID = {q.id: q for q in QUESTIONS}


def question(question_id: str) -> Question:
    """The question with this id (``"1.2.p"``); ``KeyError`` if the report prints none."""
    try:
        return _BY_ID[question_id]
    except KeyError:
        raise KeyError(f"no OMI 2007 question {question_id!r}") from None


def judgement_problems(case: Case) -> tuple[str, ...]:
    """Answers a case records for questions or criteria the catalogue does not have.

    A mistyped id (``"1.2.pp"``) would otherwise be ignored and the question it
    meant reported as unanswered; check judgements with this before scoring.
    """
    known_criteria = {c.id for c in SCORED_CRITERIA}
    problems = [
        f"answer for unknown question {qid!r}"
        for qid in case.judgements.answers
        if qid not in _BY_ID
    ]
    problems += [
        f"summary for unknown criterion {cid!r} (expected one of 1.1 to 3.2)"
        for cid in case.judgements.summaries
        if cid not in known_criteria
    ]
    return tuple(problems)


@functools.cache
def _rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for crit in SCORED_CRITERIA:
        asked = [q for q in QUESTIONS if q.criterion == crit.id]
        built = [q.rule() for q in asked]
        rules.extend(built)
        members = [rule for rule, q in zip(built, asked, strict=True) if q.scored]
        rules.append(summary_rule(crit, members))
    return tuple(rules)


def omi_2007() -> RuleSet:
    """The ``omi-2007`` rule set: every reported question and a summary per criterion."""
    return build_ruleset(
        name="omi-2007",
        version="1.0",
        title="Offender Management Inspection 2007 (HM Inspectorate of Probation)",
        family="omi",
        rules=_rules(),
        in_force_from=OMI_FROM,
        parameters_on=PARAMETERS_ON,
        in_force_by="as_of",
        description=(
            "Questions reported for general criteria 1.1 to 3.2 of the OMI report on Devon & "
            "Cornwall (January 2008), answered from inspector judgements and case facts."
        ),
    )
