"""OMI populations, answers and descriptive facts on columns, against the scalar tests.

Every population an omi-2007 rule asks (and every population of a National
Standards rule a computed question reuses) is decided per chunk on columns
(:func:`casework.columnar.core.population_codes`); here each one is compared, case
by case, with what its own test answers in the scalar engine (yes, no, a fact
missing, a parameter with no value), on the OMI sample, the witness cases,
benchmark cases and generated cases, at several dates. The answers tables and the
descriptive facts read on columns are checked the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases
from casework.columnar import CaseColumns, evaluate_columns, kernel_for, omi
from casework.columnar.core import (
    NO,
    NO_FACT,
    NO_PARAMETER,
    OUTCOME_CODE,
    POPULATION_FORMS,
    POPULATION_TESTS,
    RAISED,
    YES,
    population_codes,
)
from casework.model import Answer, Case, RiskGroup, RohLevel
from casework.model.risk import RohRecord
from casework.rules import ruleset
from casework.rules.engine import (
    EVERY_CASE,
    Context,
    MissingFactError,
    Outcome,
    Population,
    Rule,
    RuleError,
)
from casework.rules.omi2007 import QUESTIONS
from casework.rules.omi2007.computed import Computation
from casework.rules.omi2007.population import HIGH_ROH, PPO_DRUGS_ON_LICENCE, answered, risk_to
from casework.rules.omi2007.question import OMI_FROM, DescriptiveCheck, JudgedCheck
from casework.rules.parameters import MissingParameterError
from casework.rules.population import LICENCE, roh_at_least_at_start, tiers_at_start
from casework.rules.ruleset import build_ruleset
from casework.testing import strategies as cs
from tests.columnar.compare import bench_cases, rules_for, witness_cases

SAMPLE = Path(__file__).parents[2] / "examples" / "omi-sample.json"
QUESTION_IDS, CRITERIA = cs.questions_of("omi-2007")
DATES = (dt.date(2007, 6, 1), dt.date(2008, 1, 15), dt.date(2010, 6, 30))


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    sample = list(load_cases(SAMPLE).cases)
    return [*sample, *witness_cases(), *bench_cases(11, 150)]


def scalar_code(test: Population, case: Case, ctx: Context) -> int:
    """What the population's own test answers for one case, as a code."""
    try:
        return YES if test(case, ctx) else NO
    except MissingFactError:
        return NO_FACT
    except MissingParameterError:
        return NO_PARAMETER


def populations() -> Iterator[tuple[str, Population, Computation | None]]:
    """Every population the omi-2007 rules ask, and those of the rules computed questions
    reuse (asked in the context the computation gives them)."""
    seen: set[int] = set()
    for rule in rules_for("omi-2007"):
        if id(rule.applies_to.test) not in seen:
            seen.add(id(rule.applies_to.test))
            yield rule.id, rule.applies_to, None
    for asked in QUESTIONS:
        if asked.computation is not None:
            reused = asked.computation.rule.applies_to
            yield f"{asked.id} reuses {asked.computation.rule_id}", reused, asked.computation


def compare(chunk: list[Case], as_of: dt.date, calendar: WorkingCalendar) -> None:
    columns = CaseColumns.from_cases(chunk)
    rules = rules_for("omi-2007")
    ctx = Context.of(rules, as_of=as_of, calendar=calendar)
    for name, test, computation in populations():
        asked_in = (
            ctx if computation is None else omi.computation_context(columns, computation, ctx)
        )
        codes = population_codes(columns, test, asked_in)
        expected = []
        for case in chunk:
            own = Context.of(rules, as_of=as_of, calendar=calendar, record_as_of=case.as_of)
            own = own if computation is None else computation.context(own)
            expected.append(scalar_code(test, case, own))
        assert codes.tolist() == expected, f"population of {name} ({test.description})"


def test_every_omi_population_on_columns_equals_its_test(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    for as_of in DATES:
        compare(cases, as_of, calendar)


def test_every_population_of_the_catalogue_has_a_columnar_form() -> None:
    """No omi-2007 rule's population is asked case by case (the reused National
    Standards rules' own populations may be)."""

    def columnar(test: Population) -> bool:
        if test.test in POPULATION_TESTS or test.test is EVERY_CASE.test:
            return True
        form = test.form
        if form is None:
            return False
        if form[0] in ("and", "or"):
            return columnar(form[1]) and columnar(form[2])
        if form[0] in ("not", "computed"):  # a computed question: its own population
            return columnar(form[1])
        return form[0] in POPULATION_FORMS

    rules = ruleset("omi-2007")
    case_by_case = [rule.id for rule in rules if not columnar(rule.applies_to)]
    assert case_by_case == []


@settings(max_examples=25)
@given(
    chunk=st.lists(cs.cases(), min_size=1, max_size=5),
    answers=st.lists(cs.judgements(QUESTION_IDS, CRITERIA), min_size=5, max_size=5),
    offset=st.integers(min_value=-60, max_value=400),
)
def test_generated_cases_populations_on_columns_equal_their_tests(
    chunk: list[Case], answers: list[object], offset: int, calendar: WorkingCalendar
) -> None:
    judged = [
        case.model_copy(update={"judgements": given})
        for case, given in zip(chunk, answers, strict=False)
    ]
    as_of = max(case.as_of for case in judged) + dt.timedelta(days=offset)
    compare(judged, as_of, calendar)


def test_forms_record_how_populations_are_made() -> None:
    both = LICENCE & HIGH_ROH
    assert both.form == ("and", LICENCE, HIGH_ROH)
    assert (LICENCE | HIGH_ROH).form == ("or", LICENCE, HIGH_ROH)
    assert (~LICENCE).form == ("not", LICENCE)
    assert both.named("licence cases at high RoH").form == both.form
    assert answered("1.1.f", Answer.YES).form == ("answered", "1.1.f", frozenset({Answer.YES}))
    assert tiers_at_start(3, 4).form is not None
    drugs = PPO_DRUGS_ON_LICENCE.form
    assert drugs is not None
    assert drugs[0] == "and"


def _ctx(calendar: WorkingCalendar) -> Context:
    return Context.of(ruleset("omi-2007"), as_of=dt.date(2010, 6, 30), calendar=calendar)


def test_the_second_part_is_asked_only_where_the_first_leaves_it_open(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    asked: list[str] = []

    def second(case: Case, _ctx: Context) -> bool:
        asked.append(case.reference)
        return True

    chunk = cases[:40]
    columns = CaseColumns.from_cases(chunk)
    both = LICENCE & Population("asked of licences only", second)
    codes = population_codes(columns, both, _ctx(calendar))
    licences = [case.reference for case in chunk if case.sentence.kind.value == "licence"]
    assert asked == licences
    assert codes.tolist() == [YES if ref in licences else NO for ref in columns.references]
    either = LICENCE | Population("asked of the rest", second)
    asked.clear()
    population_codes(columns, either, _ctx(calendar))
    assert sorted(asked) == sorted(set(columns.references) - set(licences))


def test_a_test_that_raises_is_left_to_the_scalar_rule_which_names_it(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    def broken(case: Case, _ctx: Context) -> bool:
        raise ZeroDivisionError("broken test")

    chunk = cases[:10]
    columns = CaseColumns.from_cases(chunk)
    outside = Population("no case", lambda _c, _x: False) & Population("broken", broken)
    assert population_codes(columns, outside, _ctx(calendar)).tolist() == [NO] * len(chunk)
    inside = Population("every case", lambda _c, _x: True) & Population("broken", broken)
    assert population_codes(columns, inside, _ctx(calendar)).tolist() == [RAISED] * len(chunk)
    rule = Rule(id="X.broken", question="Broken?", source=("004:998",), kind="quality",
                check=JudgedCheck("1.1.a"), applies_to=inside)  # fmt: skip
    assert kernel_for(rule) is not None  # the judged kernel, which leaves it to the rule
    rules = build_ruleset(name="broken", version="1", title="A broken population",
                          family="omi", rules=[rule], in_force_from=OMI_FROM)  # fmt: skip
    with pytest.raises(RuleError, match=r"X\.broken raised ZeroDivisionError"):
        evaluate_columns(chunk, rules, as_of=dt.date(2010, 6, 30), calendar=calendar)


def test_a_population_lacking_a_fact_is_answered_by_the_kernel(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    """A case with no RoH level on file: the high-RoH questions cannot be assessed, and
    the kernel says so itself (nothing left to the scalar rule)."""
    chunk = [case.model_copy(update={"roh": ()}) for case in cases[:20]]
    columns = CaseColumns.from_cases(chunk)
    rules = ruleset("omi-2007")
    rule = next(r for r in rules if r.applies_to.test is HIGH_ROH.test)
    kernel = omi.JudgedKernel(rule.id, rule)
    answer = kernel(columns, _ctx(calendar))
    assert not answer["special"].any()
    assert set(answer["outcome"].tolist()) == {OUTCOME_CODE[Outcome.CANNOT_ASSESS]}
    found = evaluate_columns(chunk, rules.only([rule.id]), as_of=dt.date(2010, 6, 30),
                             calendar=calendar).to_arrow()  # fmt: skip
    assert set(found.column("basis").to_pylist()) == {"missing_data"}


def test_the_answers_table_holds_every_recorded_answer(cases: list[Case]) -> None:
    columns = CaseColumns.from_cases(cases)
    for which, name in (("answers", "omi.answers"), ("summaries", "omi.summaries")):
        recorded = [getattr(case.judgements, which) for case in cases]
        ids = sorted({qid for answers in recorded for qid in answers} | {"9.9.zz"})
        assert any(recorded)
        for qid in ids:
            codes = omi.answer_codes(columns, name, qid).tolist()
            keys = [None, Answer.YES, Answer.NO, Answer.NOT_EVIDENCED, Answer.NOT_APPLICABLE]
            assert [keys[code] for code in codes] == [answers.get(qid) for answers in recorded]


def test_descriptive_facts_on_columns_equal_the_records_fact(cases: list[Case]) -> None:
    columns = CaseColumns.from_cases(cases)
    on_columns = [q for q in QUESTIONS if q.fact is not None and q.fact in omi._BY_FACT]
    assert len(on_columns) == len(omi._FACT_COLUMNS)
    for asked in on_columns:
        assert asked.fact is not None
        said = omi._BY_FACT[asked.fact](columns).tolist()
        expected = []
        for case in cases:
            value = asked.fact(case)
            expected.append(-1 if value is None else int(bool(value)))
        assert said == expected, asked.id
    descriptive = [r for r in ruleset("omi-2007") if isinstance(r.check, DescriptiveCheck)]
    with_facts = [r for r in descriptive if r.check.question.fact is not None]
    assert {r.id for r in with_facts} == set(omi._FACT_COLUMNS)


def test_population_codes_are_kept_for_the_chunk(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    columns = CaseColumns.from_cases(cases[:30])
    ctx = _ctx(calendar)
    first = population_codes(columns, HIGH_ROH, ctx)
    assert population_codes(columns, HIGH_ROH.named("the same test"), ctx) is first
    assert np.array_equal(first, population_codes(columns, HIGH_ROH, ctx))


@pytest.mark.parametrize("day_of", ["as_of", "start"])
def test_a_roh_record_made_on_the_day_itself_is_the_one_on_file(
    cases: list[Case], calendar: WorkingCalendar, day_of: str
) -> None:
    """The record of the very day read (``as_of`` for the current level, the start for
    the level at start) is the one in force: low before it, high on it, low after."""
    as_of = dt.date(2010, 6, 30)
    chunk = []
    for case in cases[:25]:
        day = as_of if day_of == "as_of" else case.start_event[1]
        records = (
            RohRecord(level=RohLevel.LOW, on=day - dt.timedelta(days=30)),
            RohRecord(level=RohLevel.HIGH, on=day, risk_to={RiskGroup.CHILDREN: RohLevel.HIGH}),
            RohRecord(level=RohLevel.LOW, on=day + dt.timedelta(days=1)),
        )
        known = max(case.as_of, day + dt.timedelta(days=1))
        chunk.append(case.model_copy(update={"roh": records, "as_of": known}))
    test = HIGH_ROH if day_of == "as_of" else roh_at_least_at_start(RohLevel.HIGH)
    columns = CaseColumns.from_cases(chunk)
    ctx = Context.of(ruleset("omi-2007"), as_of=as_of, calendar=calendar)
    codes = population_codes(columns, test, ctx).tolist()
    expected = [scalar_code(test, case, ctx) for case in chunk]
    assert codes == expected
    assert YES in codes
    if day_of == "as_of":
        children = population_codes(columns, risk_to(RiskGroup.CHILDREN), ctx).tolist()
        assert children == codes
