"""The judged OMI questions on columns: the inspector's answers, after each population."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases
from casework.columnar import CaseColumns, core, evaluate_columns, kernel_for, omi
from casework.columnar.columns import NO_DAY
from casework.columnar.core import (
    BASES,
    BASIS_CODE,
    NO,
    NO_FACT,
    NO_PARAMETER,
    OUTCOME_CODE,
    OUTCOMES,
    RAISED,
    YES,
)
from casework.model import Answer, Case
from casework.rules import ruleset
from casework.rules.engine import Basis, Outcome
from casework.rules.omi2007 import QUESTIONS as QUESTIONS_OF_CATALOGUE
from casework.rules.omi2007.question import COMPUTED_ANSWERS, Answering, JudgedCheck
from casework.testing import strategies as cs
from tests.columnar.compare import bulk_against_one_by_one, case_records, check

SAMPLE = Path(__file__).parents[2] / "examples" / "omi-sample.json"
AS_OF = dt.date(2010, 6, 30)
QUESTIONS, CRITERIA = cs.questions_of("omi-2007")


@pytest.fixture(scope="module")
def sample() -> list[Case]:
    return list(load_cases(SAMPLE).cases)


def test_every_omi_rule_has_a_kernel_but_computed_questions_whose_rule_has_none() -> None:
    rules = ruleset("omi-2007")
    judged = [rule for rule in rules if isinstance(rule.check, JudgedCheck)]
    assert len(judged) == 191
    without = [rule.id for rule in rules if kernel_for(rule) is None]
    computed = [
        q.id
        for q in QUESTIONS_OF_CATALOGUE
        if q.answering is Answering.COMPUTED
        and q.computation is not None
        and kernel_for(q.computation.rule) is None
    ]
    assert sorted(without) == sorted(computed)
    assert kernel_for(rules.rule("1.3.f")) is not None  # reuses NS07.oasys-ppo's kernel


@pytest.mark.parametrize("mode", COMPUTED_ANSWERS)
def test_computed_questions_on_columns_equal_the_scalar_engine_in_every_mode(
    sample: list[Case], calendar: WorkingCalendar, mode: str
) -> None:
    as_of = max(case.as_of for case in sample)
    check(sample, "omi-2007", as_of, calendar, {"computed_answers": mode})


@pytest.mark.parametrize("mode", ["all", "majority"])
def test_summaries_derived_from_answers_are_left_to_the_scalar_rule(
    sample: list[Case], calendar: WorkingCalendar, mode: str
) -> None:
    unsummarised = [
        case.model_copy(update={"judgements": case.judgements.model_copy(update={"summaries": {}})})
        for case in sample[:30]
    ]
    as_of = max(case.as_of for case in sample)
    check(unsummarised, "omi-2007", as_of, calendar, {"derive_summaries": mode})


def test_the_sample_on_columns_equals_the_scalar_engine(
    sample: list[Case], calendar: WorkingCalendar
) -> None:
    answered = {case.judgements.answers.get("1.1.a") for case in sample}
    assert len(answered) > 1  # the sample records answers, so the test reads them
    as_of = max(case.as_of for case in sample)
    for day in (as_of, as_of + dt.timedelta(days=200)):
        check(sample, "omi-2007", day, calendar)


@settings(max_examples=15)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=4),
    answers=st.lists(cs.judgements(QUESTIONS, CRITERIA), min_size=4, max_size=4),
    offset=st.integers(min_value=-30, max_value=400),
    mode=st.sampled_from(COMPUTED_ANSWERS),
)
def test_generated_cases_with_answers_on_columns_equal_the_scalar_engine(
    cases: list[Case], answers: list[object], offset: int, mode: str, calendar: WorkingCalendar
) -> None:
    judged = [
        case.model_copy(update={"judgements": given})
        for case, given in zip(cases, answers, strict=False)
    ]
    as_of = max(case.as_of for case in judged) + dt.timedelta(days=offset)
    check(judged, "omi-2007", as_of, calendar, {"computed_answers": mode})


def test_a_population_that_needs_a_parameter_with_no_value_is_left_to_the_scalar_rule(
    calendar: WorkingCalendar,
) -> None:
    """2.4.i reuses NS07.appointment-frequency, whose population reads the appointment
    interval, which the sources do not state: asked of a case without it, the scalar
    engine answers "cannot assess" (no parameter), and so must the columns."""
    as_of = dt.date(2010, 6, 30)
    cases = [Case.model_validate(r) for r in case_records(3, 70, as_of)]
    rules = ruleset("omi-2007")
    answered = evaluate_columns(cases, rules.only(["2.4.i"]), as_of=as_of, calendar=calendar)
    assert "no_parameter" in answered.to_arrow().column("basis").to_pylist()
    check(cases, "omi-2007", as_of, calendar)


def test_populations_answering_alike_share_what_the_questions_read_of_them(
    sample: list[Case],
) -> None:
    """What the questions read of a population's codes (inside it, the outcome and basis
    outside it, where it raised) is made once per chunk for codes alike, whichever
    population gave them, and is as the engine answers a case outside a population."""
    columns = CaseColumns.from_cases(sample[:5])
    codes = np.asarray([YES, NO, NO_FACT, NO_PARAMETER, RAISED], dtype=np.int8)
    made = omi._population_columns(columns, codes)
    assert omi._population_columns(columns, codes.copy()) is made
    yes, outcome, basis, raised = made
    assert yes.tolist() == [True, False, False, False, False]
    assert [OUTCOMES[i] for i in outcome[1:]] == [
        Outcome.NOT_APPLICABLE,
        Outcome.CANNOT_ASSESS,
        Outcome.CANNOT_ASSESS,
        Outcome.NOT_APPLICABLE,
    ]
    assert [BASES[i] for i in basis[1:]] == [
        Basis.OUT_OF_SCOPE,
        Basis.MISSING_DATA,
        Basis.NO_PARAMETER,
        Basis.OUT_OF_SCOPE,
    ]
    assert raised.tolist() == [False, False, False, False, True]
    other = omi._population_columns(columns, codes[::-1].copy())
    assert other[0].tolist() == [False, False, False, False, True]


def test_a_question_never_answered_in_the_chunk_reads_unanswered(sample: list[Case]) -> None:
    columns = CaseColumns.from_cases(sample)
    codes, outcome, basis = omi._judged_answers(columns, "omi.answers", "no such question")
    assert codes.tolist() == [0] * len(sample)
    assert {OUTCOMES[i] for i in outcome} == {Outcome.CANNOT_ASSESS}
    assert {BASES[i] for i in basis} == {Basis.UNANSWERED}
    recorded = omi.answer_codes(columns, "omi.answers", "1.1.a")
    assert recorded.any()  # the sample answers it
    assert omi._judged_answers(columns, "omi.answers", "1.1.a")[0].tolist() == recorded.tolist()


#: Questions of each kind asked of every case or most: judged (1.1.a, 1.2.b), a summary
#: (1.1.summary) and descriptive counts from the record (1.2.a) and from the answers (1.2.m).
WORDED_ON_COLUMNS = ["1.1.a", "1.2.b", "1.1.summary", "1.2.a", "1.2.m", "3.1.a"]


def test_answers_and_counts_are_worded_without_asking_the_scalar_rule(
    sample: list[Case], calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An inspector's answer, a summary judgement and a descriptive count are worded by
    their verdict functions (``judged_verdict``, ``descriptive_verdict``), once per
    distinct answer: no case is asked again, and the words are the scalar engine's."""
    as_of = max(case.as_of for case in sample)
    rules = ruleset("omi-2007").only(WORDED_ON_COLUMNS)
    answered = evaluate_columns(sample, rules, as_of=as_of, calendar=calendar)

    def asked(*_: object, **__: object) -> None:
        raise AssertionError("a case was asked again by the scalar rule")

    monkeypatch.setattr(core, "evaluate_case", asked)
    table = answered.explain()
    monkeypatch.undo()
    reasons = set(table.reason)
    assert "The inspector judged the work sufficient (yes)." in reasons
    assert "The inspector judged the work not sufficient (no)." in reasons
    assert any("from the case record" in reason for reason in reasons)
    assert any("from the inspector's answer" in reason for reason in reasons)
    assert "The inspector recorded the count as not applicable to this case." in reasons
    check(sample, "omi-2007", as_of, calendar)


@settings(max_examples=15, deadline=None)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=4),
    answers=st.lists(cs.judgements(QUESTIONS, CRITERIA), min_size=4, max_size=4),
)
def test_answers_worded_in_bulk_equal_one_by_one(
    cases: list[Case], answers: list[object], calendar: WorkingCalendar
) -> None:
    """The judged, summary and descriptive wordings of a chunk, a column at a time
    (:data:`~casework.columnar.core.MANY`), equal them answer by answer."""
    judged = [
        case.model_copy(update={"judgements": given})
        for case, given in zip(cases, answers, strict=False)
    ]
    as_of = max(case.as_of for case in judged)
    compared = bulk_against_one_by_one(judged, "omi-2007", as_of, calendar)
    assert {"1.1.summary", "1.2.a"} <= compared


def test_the_sample_worded_in_bulk_equals_one_by_one(
    sample: list[Case], calendar: WorkingCalendar
) -> None:
    as_of = max(case.as_of for case in sample)
    compared = bulk_against_one_by_one(sample, "omi-2007", as_of, calendar)
    assert set(WORDED_ON_COLUMNS) <= compared


def test_an_answer_not_the_verdicts_is_left_to_the_scalar_rule() -> None:
    """Should a judged answer's outcome or basis ever differ from the verdict its answer
    gives, it is not worded on columns (either form): the scalar rule words it."""
    verdicts = omi._judged_verdicts("question")
    yes = omi._CODE[Answer.YES]
    agreeing = core.Answer(Outcome.MET, Basis.JUDGED, None, None, None, None, None, AS_OF, AS_OF)
    held = attrs.evolve(agreeing, outcome=Outcome.NOT_APPLICABLE, basis=Basis.OUT_OF_SCOPE)
    computed = attrs.evolve(agreeing, basis=Basis.COMPUTED)
    said = omi._verdict_said(agreeing, key=yes, verdicts=verdicts)
    assert said == ("The inspector judged the work sufficient (yes).", verdicts[yes].evidence, None)
    assert omi._verdict_said(held, key=yes, verdicts=verdicts) is None
    assert omi._verdict_said(computed, key=yes, verdicts=verdicts) is None
    outcomes = [Outcome.MET, Outcome.NOT_APPLICABLE, Outcome.MET]
    bases = [Basis.JUDGED, Basis.OUT_OF_SCOPE, Basis.COMPUTED]
    answers = core.Answers(
        outcome=np.asarray([OUTCOME_CODE[outcome] for outcome in outcomes]),
        basis=np.asarray([BASIS_CODE[basis] for basis in bases]),
        trigger=np.full(3, NO_DAY), due=np.full(3, NO_DAY), done=np.full(3, NO_DAY),
        late_by=np.full(3, -1), late_unit=np.zeros(3, np.int8), as_of=AS_OF,
        record_as_of=np.full(3, NO_DAY),
    )  # fmt: skip
    bulk = omi._verdict_said_many(answers, key=[yes] * 3, verdicts=verdicts)
    assert bulk == [said, None, None]


def test_a_population_lacking_an_answer_or_a_roh_level_is_worded_on_columns(
    sample: list[Case], calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question asked only where another was answered yes (1.2.f after 1.2.e), of a
    case where that one is not answered, and questions asked by the RoH level on file
    (1.2.g, 2.2.k) of a case with none: "Cannot assess", in the words of the population's own
    test, made on columns."""
    as_of = max(case.as_of for case in sample)
    lacking = [
        case.model_copy(
            update={
                "reference": f"{case.reference}-X",
                "roh": [],
                "judgements": case.judgements.model_copy(
                    update={
                        "answers": {
                            key: value
                            for key, value in case.judgements.answers.items()
                            if key != "1.2.e"
                        }
                    }
                ),
            }
        )
        for case in sample[:20]
    ]
    rules = ruleset("omi-2007")
    ids = [rule.id for rule in rules if rule.applies_to.missing is not None]
    assert {"1.2.f", "1.2.g", "2.2.k"} <= set(ids)  # answered, roh_at_least, risk_to
    answered = evaluate_columns(lacking, rules.only(ids), as_of=as_of, calendar=calendar)

    def asked(*_: object, **__: object) -> None:
        raise AssertionError("a case was asked again by the scalar rule")

    monkeypatch.setattr(core, "evaluate_case", asked)
    table = answered.explain(
        where=lambda t: np.flatnonzero(t.basis == BASIS_CODE[Basis.MISSING_DATA])
    )
    monkeypatch.undo()
    reasons = set(table.reason)
    assert any("depends on question 1.2.e, which is not answered" in r for r in reasons)
    assert "Cannot assess: no RoH level is recorded for the case." in reasons
    check(lacking, "omi-2007", as_of, calendar)


@pytest.mark.parametrize("mode", COMPUTED_ANSWERS)
def test_computed_questions_whose_rule_lacks_a_parameter_are_worded_on_columns(
    sample: list[Case], calendar: WorkingCalendar, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the timescales the sources leave unstated not supplied, a computed question
    whose National Standards rule reads one answers "cannot assess", no value set: worded
    on columns as ``ComputedCheck`` words it (the parameter named, "computed by" first),
    unless a recorded answer is used instead; word for word the scalar engine's."""
    as_of = max(case.as_of for case in sample)
    cases = [
        case.model_copy(
            update={
                "judgements": case.judgements.model_copy(
                    update={"answers": dict(list(case.judgements.answers.items())[::2])}
                )
            }
        )
        for case in sample
    ]
    check(cases, "omi-2007", as_of, calendar, {"computed_answers": mode}, supplied=False)
    rules = ruleset("omi-2007").only(["2.4.a", "2.4.b", "2.4.m"])
    answered = evaluate_columns(
        cases, rules, as_of=as_of, calendar=calendar, options={"computed_answers": mode}
    )
    asked: list[int] = []
    scalar = core.RuleColumns._by_scalar_rule

    def spy(self: core.RuleColumns, chosen: npt.NDArray[np.intp], *rest: Any) -> None:
        asked.extend(int(BASES[self.basis[i]] is Basis.NO_PARAMETER) for i in chosen)
        scalar(self, chosen, *rest)

    monkeypatch.setattr(core.RuleColumns, "_by_scalar_rule", spy)
    table = answered.explain()
    assert any("no value is set for" in reason for reason in table.reason)
    if mode == "compute":
        assert not any(asked)
