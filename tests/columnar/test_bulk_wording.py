"""The bulk wordings equal the per-answer ones: deadline sentences a column at a time
(:func:`casework.columnar.core.deadline_said_many`) against
:func:`~casework.rules.timing.deadline_words` one answer at a time, and the RoH and plan
review intervals (``casework.columnar.reviews._periodic_said_many``) and the rules over
units (``casework.columnar.supervision._units_said_many``) against their per-answer
wording, with every other bulk form registered (:data:`~casework.columnar.core.MANY`).
(The reasons of cases outside a population, worded in bulk by
:func:`casework.columnar.core.outside_words`, are compared with the scalar engine's by
tests/columnar/test_findings_written.py.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.columnar import CaseColumns, evaluate_columns
from casework.columnar.columns import NO_DAY, day_number
from casework.columnar.core import (
    BASES,
    DETAILS,
    LATE_UNITS,
    MANY,
    OUTCOME_CODE,
    OUTCOMES,
    TEXT_MANY,
    Answers,
    Wording,
    case_context,
    deadline_said,
    deadline_said_many,
    kernel_for,
)
from casework.columnar.reviews import periodic_reads
from casework.io import iter_cases
from casework.model import Case
from casework.rules import evaluate
from casework.rules.engine import (
    Basis,
    Context,
    Evidence,
    Outcome,
    evidence_line,
    out_of_scope_reason,
)
from casework.rules.standards import reviews
from casework.rules.standards.base import IntervalRow, ended_before, periodic_words
from casework.rules.standards.base import Wording as Words
from casework.rules.timing import (
    DEADLINE_SENTENCES,
    DeadlineSaid,
    deadline_branch,
    deadline_words,
)
from casework.testing import strategies as cs
from casework.testing.builders import make_case, oasys, review
from casework.text import long_date
from tests.columnar.compare import (
    ANSWER_COLUMNS,
    WITNESSES,
    as_lines,
    bulk_against_one_by_one,
    rules_for,
)

DAYS = st.dates(dt.date(2004, 1, 1), dt.date(2012, 12, 31))
AS_OF = dt.date(2010, 6, 30)
DEADLINE_BASES = [BASES.index(b) for b in (Basis.COMPUTED, Basis.NOT_YET_DUE, Basis.MISSING_DATA)]


@st.composite
def answer_rows(draw: st.DrawFn) -> dict[str, Any]:
    """One answer as columns hold it: decided deadlines mostly, odd ones too (no trigger,
    no lateness, a basis that is not a deadline's), as a kernel may give them."""
    trigger = draw(DAYS)
    due = trigger + dt.timedelta(days=draw(st.integers(0, 120)))
    done = draw(
        st.none() | st.builds(lambda d: trigger + dt.timedelta(days=d), st.integers(-30, 300))
    )
    late_by, late_unit = draw(
        st.tuples(st.just(-1), st.just(0))
        | st.tuples(st.integers(0, 200), st.integers(1, len(LATE_UNITS) - 1))
        | st.tuples(st.integers(-1, 200), st.integers(0, len(LATE_UNITS) - 1))
    )
    return {
        "outcome": draw(st.integers(0, len(OUTCOMES) - 1)),
        "basis": draw(st.sampled_from(DEADLINE_BASES) | st.integers(0, len(BASES) - 1)),
        "trigger": draw(st.sampled_from([day_number(trigger)] * 4 + [NO_DAY])),
        "due": draw(st.sampled_from([day_number(due)] * 4 + [NO_DAY])),
        "done": day_number(done),
        "late_by": late_by,
        "late_unit": late_unit,
        "record_as_of": draw(st.just(NO_DAY) | st.builds(day_number, DAYS)),
    }


LABELS = st.sampled_from(["sentence", "release", "the previous RoH review", "transfer in"])
EXTRA = st.lists(
    st.builds(Evidence, st.sampled_from(["parts", "unit"]), st.text(max_size=8)), max_size=2
).map(tuple)


def _columns(rows: list[dict[str, Any]]) -> Answers:
    def column(name: str, dtype: Any) -> Any:
        return np.asarray([row[name] for row in rows], dtype=dtype)

    return Answers(
        outcome=column("outcome", np.int8),
        basis=column("basis", np.int8),
        trigger=column("trigger", np.int64),
        due=column("due", np.int64),
        done=column("done", np.int64),
        late_by=column("late_by", np.int64),
        late_unit=column("late_unit", np.int8),
        as_of=AS_OF,
        record_as_of=column("record_as_of", np.int64),
    )


def _one_by_one(answers: Answers, **values: Any) -> list[Any]:
    labels, extras = values.pop("anchor_label"), values.pop("extra")
    return [
        deadline_said(answers.answer(k), anchor_label=labels[k], extra=extras[k], **values)
        for k in range(len(answers))
    ]


@given(
    rows=st.lists(answer_rows(), max_size=12),
    labels=st.data(),
    # (braces in a limit are text: the bulk form writes the terms into its templates)
    limit=st.sampled_from(["5 working days", "15 days", "4 months", "2 {weeks}}"]),
    source=st.none() | st.just("003:701"),
    done_label=st.sampled_from(["Completed", "OASys completed", "Reviewed"]),
    missing_label=st.sampled_from(["Not completed", "No review recorded"]),
)
def test_deadline_words_in_bulk_equal_one_by_one(  # noqa: PLR0917
    rows: list[dict[str, Any]],
    labels: st.DataObject,
    limit: str,
    source: str | None,
    done_label: str,
    missing_label: str,
) -> None:
    values: dict[str, Any] = {
        "anchor_label": labels.draw(st.lists(LABELS, min_size=len(rows), max_size=len(rows))),
        "extra": labels.draw(st.lists(EXTRA, min_size=len(rows), max_size=len(rows))),
        "limit": limit,
        "source": source,
        "done_label": done_label,
        "missing_label": missing_label,
    }
    kept, refused = [], []
    for k, row in enumerate(rows):  # deadline_words refuses a late answer with no lateness
        try:
            _one_by_one(_columns([row]), **{**values, "anchor_label": ["x"], "extra": [()]})
            kept.append(k)
        except ValueError:
            refused.append(k)
    for name in ("anchor_label", "extra"):
        values[name] = [values[name][k] for k in kept]
    answers = _columns([rows[k] for k in kept])
    assert deadline_said_many(answers, **values) == _one_by_one(answers, **dict(values))
    if refused:  # ... and so does the bulk form
        one = {**values, "anchor_label": ["x"], "extra": [()]}
        with pytest.raises(ValueError, match="late deadline"):
            deadline_said_many(_columns([rows[refused[0]]]), **one)


def test_every_deadline_branch_is_worded_in_bulk() -> None:
    """One answer on each branch of deadline_words, in one column: each sentence is its
    template's, and equal to deadline_words'."""
    trigger, due = dt.date(2009, 8, 1), dt.date(2009, 8, 21)
    met, not_met = Outcome.MET, Outcome.NOT_MET
    na, ca = Outcome.NOT_APPLICABLE, Outcome.CANNOT_ASSESS
    computed, pending, missing = Basis.COMPUTED, Basis.NOT_YET_DUE, Basis.MISSING_DATA
    working, days = LATE_UNITS.index("working days"), LATE_UNITS.index("days")
    cases = [  # (outcome, basis, done, late_by, late_unit, record_as_of)
        (met, computed, dt.date(2009, 7, 30), -1, 0, None),
        (met, computed, dt.date(2009, 8, 20), -1, 0, None),
        (not_met, computed, dt.date(2009, 12, 10), 78, working, None),
        (na, pending, None, -1, 0, None),
        (ca, missing, None, -1, 0, dt.date(2009, 8, 10)),
        (not_met, computed, None, 3, days, dt.date(2010, 1, 5)),
    ]
    rows = [
        {
            "outcome": OUTCOMES.index(outcome), "basis": BASES.index(basis),
            "trigger": day_number(trigger), "due": day_number(due), "done": day_number(done),
            "late_by": late_by, "late_unit": late_unit, "record_as_of": day_number(record),
        }
        for outcome, basis, done, late_by, late_unit, record in cases
    ]  # fmt: skip
    answers = _columns(rows)
    said = deadline_said_many(
        answers,
        anchor_label="sentence",
        limit="15 working days",
        source="003:701",
        done_label="Completed",
        missing_label="Not completed",
    )
    branches = [deadline_branch(c[0], trigger, c[2]) for c in cases]
    assert branches == list(DEADLINE_SENTENCES)
    for k, words in enumerate(said):
        assert words is not None
        one = answers.answer(k)
        assert one.due is not None
        reason, evidence = deadline_words(
            one.outcome, anchor=trigger, anchor_label="sentence", limit="15 working days",
            source="003:701", due=one.due, done=one.done, late_by=one.late_by,
            late_unit=one.late_unit, as_of=AS_OF, record_as_of=one.record_as_of,
        )  # fmt: skip
        assert words == (reason, evidence, "sentence")
    assert said[2] is not None
    assert said[2][0] == (
        "Completed on 10 December 2009, 78 working days after it was due on 21 August 2009 "
        "(15 working days after sentence on 1 August 2009)."
    )
    assert said[4] is not None
    assert said[4][0].startswith("Cannot assess: due by 21 August 2009")
    assert MANY[deadline_said] is deadline_said_many


def test_outside_a_lasting_population_worded_in_bulk() -> None:
    """The "ended before it was due" detail, filled from its template."""
    said = ended_before(
        "Supervision ended", long_date(dt.date(2008, 1, 15)), "the first review",
        long_date(dt.date(2008, 2, 1)),
    )  # fmt: skip
    assert said == (
        "Supervision ended on 15 January 2008, before the first review was due on 1 February 2008."
    )
    assert out_of_scope_reason("licence cases") == (
        "Not applicable: the question applies to licence cases."
    )


PERIODIC = (
    ("national-standards-2007", "NS07.roh-review-interval"),
    ("national-standards-2007", "NS07.plan-review-interval"),
    ("national-standards-2005", "NS05.roh-review-interval"),
    ("national-standards-2005", "NS05.plan-review-interval"),
)


def _periodic_answers(cases: list[Case], name: str, rule_id: str, as_of: dt.date, *,
                      calendar: WorkingCalendar, options: dict[str, str] | None
                      ) -> tuple[Answers, Wording]:  # fmt: skip
    """A periodic kernel's worded answers as columns, and its wording."""
    rules = rules_for(name)
    columns = CaseColumns.from_cases(cases)
    ctx = Context.of(rules, as_of=as_of, calendar=calendar, options=options)
    kernel = kernel_for(rules.rule(rule_id))
    assert kernel is not None
    answered = kernel(columns, ctx)
    wording = answered["wording"]
    at = wording.at
    answers = Answers(
        **{name: answered[name][at] for name in ANSWER_COLUMNS},
        as_of=as_of,
        record_as_of=columns.record_as_of[at],
    )
    return answers, wording


@settings(max_examples=25, deadline=None)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=6),
    pick=st.sampled_from(PERIODIC),
    offset=st.integers(min_value=-30, max_value=600),
    option=st.sampled_from([None, "trigger", "due"]),
)
def test_periodic_words_in_bulk_equal_one_by_one(
    cases: list[Case],
    pick: tuple[str, str],
    offset: int,
    option: str | None,
    calendar: WorkingCalendar,
) -> None:
    """The RoH and plan review intervals worded a column at a time (every interval's
    deadline from the templates at once) say what the per-answer wording says of each."""
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    options = None if option is None else {"in_force_by": option}
    answers, wording = _periodic_answers(cases, *pick, as_of, calendar=calendar, options=options)
    many = MANY[wording.words]
    said = many(answers, **wording.constants, **wording.values)
    as_text = TEXT_MANY[wording.words](answers, **wording.constants, **wording.values)
    one_by_one = [
        wording.words(
            answers.answer(k),
            **wording.constants,
            **{name: values[k] for name, values in wording.values.items()},
        )
        for k in range(len(answers))
    ]
    assert said == one_by_one
    assert as_text == as_lines(one_by_one)


def test_intervals_all_under_another_standard_are_worded_in_bulk(
    calendar: WorkingCalendar,
) -> None:
    """Every 2005 interval's clock starts after the 2005 standards ended: the bulk form
    words the "not applicable" itself, as the rule does (no Case is built for it)."""
    case = make_case(
        reference="EX-2005",
        as_of="2008-06-30",
        sentence={"kind": "community_order", "sentenced_on": "2007-10-01"},
        tiers=[{"tier": 2, "on": "2007-10-01"}],
        roh=[{"level": "high", "on": "2007-10-01"}],
        assessments=[
            oasys("2007-10-03"),
            review("A1", "2007-11-20"),
            review("A1", "2008-03-01"),
        ],
    )
    name, rule_id = PERIODIC[2]
    as_of = dt.date(2008, 6, 30)
    answers, wording = _periodic_answers(
        [case], name, rule_id, as_of, calendar=calendar, options=None
    )
    said = MANY[wording.words](answers, **wording.constants, **wording.values)
    as_text = TEXT_MANY[wording.words](answers, **wording.constants, **wording.values)
    (finding,) = evaluate([case], rules_for(name).only([rule_id]), as_of=as_of, calendar=calendar)
    assert finding.basis is Basis.OUT_OF_SCOPE
    assert finding.reason.startswith("Not applicable: every RoH review interval's clock")
    assert said == [(finding.reason, finding.evidence, finding.trigger_label)]
    assert as_text == [(finding.reason, evidence_line(finding.evidence), None)]


@settings(max_examples=25, deadline=None)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=6), released=st.booleans())
def test_released_before_the_custody_review_worded_in_bulk(
    cases: list[Case], released: bool, calendar: WorkingCalendar
) -> None:
    """Why a custodial case released early is outside NS07.roh-review-custody, from the
    template a column at a time: the population's own detail of each case."""
    if released:  # released a month after sentence: before the review in custody is due
        cases = [
            case.model_copy(
                update={
                    "sentence": case.sentence.model_copy(
                        update={"released_on": case.sentence.sentenced_on + dt.timedelta(30)}
                    )
                }
            )
            for case in cases
        ]
    rules = rules_for("national-standards-2007")
    as_of = max(case.as_of for case in cases)
    ctx = Context.of(rules, as_of=as_of, calendar=calendar)
    columns = CaseColumns.from_cases(cases)
    rows = np.arange(len(cases), dtype=np.intp)
    said = DETAILS[reviews._released_before_due](columns, ctx, rows)
    expected = []
    for row, case in enumerate(cases):
        verdict = reviews._released_before_due(case, case_context(columns, ctx, row))
        expected.append(None if verdict is None else (verdict.reason, verdict.evidence))
    assert said == expected
    if released:
        assert all(words is not None for words in said)


@settings(max_examples=25, deadline=None)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=6),
    name=st.sampled_from(["national-standards-2007", "national-standards-2005"]),
    offset=st.integers(min_value=-30, max_value=600),
)
def test_every_bulk_wording_equals_one_by_one(
    cases: list[Case], name: str, offset: int, calendar: WorkingCalendar
) -> None:
    """Each rule's answers worded by its bulk form (the deadlines, the periodic checks, the
    rules over units: breaches, victims) say what its per-answer wording says."""
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    bulk_against_one_by_one(cases, name, as_of, calendar)


def test_witnesses_worded_in_bulk(calendar: WorkingCalendar) -> None:
    """The witness cases (every outcome of every rule) through every bulk form: each equals
    the per-answer wording, the rules over units among them."""
    cases = [case for case in iter_cases(WITNESSES) if isinstance(case, Case)]
    as_of = max(case.as_of for case in cases)
    compared = bulk_against_one_by_one(cases, "national-standards-2007", as_of, calendar)
    assert {
        "NS07.breach-action",
        "NS07.victim-contact",
        "NS07.roh-review-interval",
        "NS07.full-analysis-where-screened",
        "NS07.oasys-tier4",
    } <= compared


@settings(max_examples=15, deadline=None)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=5))
def test_answers_made_together_equal_one_by_one(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    """:meth:`RuleColumns.answers` (each distinct day made a date once, for the wordings
    asked answer by answer) gives each answer as :meth:`RuleColumns.answer` does."""
    as_of = max(case.as_of for case in cases)
    answered = evaluate_columns(
        cases, rules_for("national-standards-2007"), as_of=as_of, calendar=calendar
    )
    for found in answered.by_rule:
        at = np.arange(len(found), dtype=np.intp)[::-1]
        assert found.answers(at) == [found.answer(i) for i in at.tolist()], found.rule.id


_DEADLINE_OUTCOMES = [
    (Outcome.MET, Basis.COMPUTED, True),
    (Outcome.NOT_MET, Basis.COMPUTED, True),
    (Outcome.NOT_MET, Basis.COMPUTED, False),
    (Outcome.CANNOT_ASSESS, Basis.MISSING_DATA, False),
    (Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE, False),
]


@given(
    answers=st.lists(
        st.lists(st.sampled_from(range(len(_DEADLINE_OUTCOMES))), min_size=1, max_size=6),
        min_size=1,
        max_size=6,
    )
)
def test_the_deadlines_a_periodic_check_reads_are_the_ones_worded(
    answers: list[list[int]],
) -> None:
    """``periodic_reads`` marks every interval deadline whose words ``periodic_words``
    reads: with the others' reasons and evidence blank, each answer's words are the same
    as with all of them."""
    owner = np.repeat(np.arange(len(answers)), [len(kinds) for kinds in answers])
    kinds = [kind for listed in answers for kind in listed]
    outcome = np.asarray([OUTCOME_CODE[_DEADLINE_OUTCOMES[k][0]] for k in kinds], dtype=np.int8)
    done = np.asarray([_DEADLINE_OUTCOMES[k][2] for k in kinds], dtype=bool)
    reads = periodic_reads(owner, outcome, done).tolist()
    wording = Words("RoH review", "RoH reviewed", "RoH not reviewed", "the previous review")
    start = dt.date(2008, 1, 1)
    at = 0
    for listed in answers:
        every, full, blank = [], {}, {}
        for number, kind in enumerate(listed, start=1):
            outcome_, basis, was_done = _DEADLINE_OUTCOMES[kind]
            day = start + dt.timedelta(days=30 * number)
            every.append(
                IntervalRow(number, day, "the previous review", day, day if was_done else None)
            )
            evidence = (Evidence(f"fact {number}", number),)
            full[number] = DeadlineSaid(outcome_, basis, f"Reason {number}.", evidence)
            blank[number] = full[number] if reads[at] else DeadlineSaid(outcome_, basis, "", ())
            at += 1
        options: dict[str, Any] = {
            "limit": "16 weeks", "source": None, "words": wording, "anchor": start,
            "anchor_label": "sentence", "ended": None, "window": None, "by_due": False,
        }  # fmt: skip
        assert periodic_words(every, blank, **options) == periodic_words(every, full, **options)
