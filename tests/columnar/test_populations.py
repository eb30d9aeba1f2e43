"""Populations as columns equal their scalar tests, case by case.

Every population of the National Standards and targets rule sets (and the
populations the registered factories make) is answered for a whole chunk by
:func:`casework.columnar.core.population` (kernels, parts combined as ``&``, ``|``,
``~`` combine) and, case by case, by the population's own test with the context the
scalar engine gives it: whether it applies and what the test raises for (a missing
fact or a missing parameter, told apart by the kernels themselves, no test asked)
must be the same for every case, on the witness, benchmark and generated cases, at
several evaluation dates and in-force readings.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.columnar import CaseColumns
from casework.columnar import populations as cp
from casework.columnar.core import NO, NO_FACT, NO_PARAMETER, YES, population, population_codes
from casework.columnar.raw import code_of
from casework.model import (
    Case,
    RohLevel,
    RohRecord,
    SentenceKind,
    Termination,
    TerminationReason,
)
from casework.rules import population as pops
from casework.rules import ruleset
from casework.rules.engine import EVERY_CASE, Context, MissingFactError, Population, Rule
from casework.rules.parameters import MissingParameterError, ParameterSet
from casework.rules.ruleset import RuleSet
from casework.testing import strategies as cs
from tests.columnar.compare import bench_cases, rules_for, witness_cases

SETS = (
    "national-standards-2007",
    "national-standards-2005",
    "national-standards",
    "nps-2005-06",
    "nps-2007-08",
    "rom-east-of-england-2007-08",
)
OPTIONS: tuple[dict[str, str] | None, ...] = (
    None,
    {"in_force_by": "due"},
    {"in_force_by": "as_of"},
)
#: Populations made by the registered factories, beyond those the rule sets use.
MADE = (
    pops.tiers_at_start(1),
    pops.tiers_at_start(2, 3),
    pops.tiers_at_start(1, 2, 3, 4),
    *(pops.roh_at_least_at_start(level) for level in RohLevel),
    pops.IN_COMMUNITY,
    pops.CUSTODY,
    ~pops.HAS_PSR | pops.CUSTODY,
)


def scalar_codes(cases: list[Case], test: Population, ctx: Context) -> np.ndarray:
    """The population's own test asked of each case, as the scalar engine asks it: yes,
    no, or what it raised (a missing fact, a missing parameter) as a code."""
    codes = np.zeros(len(cases), dtype=np.int8)
    for row, case in enumerate(cases):
        try:
            codes[row] = YES if test(case, attrs.evolve(ctx, record_as_of=case.as_of)) else NO
        except MissingFactError:
            codes[row] = NO_FACT
        except MissingParameterError:
            codes[row] = NO_PARAMETER
    return codes


def scalar(cases: list[Case], test: Population, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Whether the population's own test applies to each case, and whether it raises."""
    codes = scalar_codes(cases, test, ctx)
    return codes == YES, codes >= NO_FACT


def check_codes(columns: CaseColumns, cases: list[Case], rule: Rule, ctx: Context) -> int:
    """The population's codes on columns equal its test's, and the kernels said which of a
    fact or a parameter each case lacks without asking the test; the cases lacking one."""
    codes = population_codes(columns, rule.applies_to, ctx)
    want = scalar_codes(cases, rule.applies_to, ctx)
    wrong = np.flatnonzero(codes != want)
    assert not wrong.size, (
        f"{rule.id} ({rule.applies_to.description}): cases "
        f"{[cases[i].reference for i in wrong[:5]]}: columns {codes[wrong[:5]]}, "
        f"scalar {want[wrong[:5]]}"
    )
    _, lacks = cp.masks(columns, rule.applies_to, ctx, np.ones(len(cases), dtype=bool))
    assert not (lacks == cp.ASK_TEST).any(), rule.id
    assert np.array_equal(lacks, np.where(want >= NO_FACT, want, 0)), rule.id
    return int((want >= NO_FACT).sum())


def populations_of(rules: RuleSet) -> list[Rule]:
    """The rules of a set with a population of their own, and rules for the made ones."""
    made = [attrs.evolve(rules.rules[0], applies_to=p) for p in MADE]
    return [rule for rule in rules.rules if rule.applies_to is not EVERY_CASE] + made


def check(cases: list[Case], name: str, as_of: dt.date, calendar: WorkingCalendar,
          options: dict[str, str] | None = None) -> None:  # fmt: skip
    rules = rules_for(name)
    ctx = Context.of(rules, as_of=as_of, calendar=calendar, options=options)
    columns = CaseColumns.from_cases(cases)
    assert columns.raw  # the kernels answer when the raw tables are at hand
    for rule in populations_of(rules):
        try:
            check_codes(columns, cases, rule, ctx)
        except AssertionError as failed:
            raise AssertionError(f"{name} on {as_of} {options}: {failed}") from None


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    return [*witness_cases(), *bench_cases(11, 150)]


@pytest.mark.parametrize("name", SETS)
def test_populations_on_columns_equal_their_scalar_tests(
    fixed_cases: list[Case], calendar: WorkingCalendar, name: str
) -> None:
    for as_of in (dt.date(2007, 6, 1), dt.date(2008, 1, 15)):
        check(fixed_cases, name, as_of, calendar)
    for options in OPTIONS:
        check(fixed_cases, name, dt.date(2012, 1, 1), calendar, options)


@settings(max_examples=40)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=8),
    name=st.sampled_from(SETS),
    offset=st.integers(min_value=-400, max_value=400),
    options=st.sampled_from(OPTIONS),
)
def test_on_generated_cases_populations_equal_their_scalar_tests(
    cases: list[Case], name: str, offset: int, options: dict[str, str] | None,
    calendar: WorkingCalendar,
) -> None:  # fmt: skip
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    check(cases, name, as_of, calendar, options)


def test_missing_parameters_give_missing_for_the_cases_that_ask_them(
    fixed_cases: list[Case], calendar: WorkingCalendar
) -> None:
    """Without the unstated timescales the benchmark supplies, the cases whose test asks
    for them are missing, on columns as in the scalar test."""
    rules = ruleset("national-standards-2007")
    ctx = Context.of(rules, as_of=dt.date(2012, 1, 1), calendar=calendar)
    columns = CaseColumns.from_cases(fixed_cases)
    assert columns.raw
    asked = 0
    for rule in rules.rules:
        asked += check_codes(columns, fixed_cases, rule, ctx)
    assert asked  # some population here does ask for an unstated parameter


def unstated(rules: RuleSet, name: str) -> RuleSet:
    """``rules`` with no value for the parameter ``name``."""
    found = rules.parameters
    definitions = dict(found.definitions)
    definitions[name] = attrs.evolve(definitions[name], values=())
    overrides = {key: value for key, value in found.overrides.items() if key != name}
    return attrs.evolve(rules, parameters=ParameterSet(found.on, definitions, overrides))


#: Parameters the population kernels read, and a rule set whose populations read each.
READ_BY_POPULATIONS = (
    ("national-standards-2007", "roh_review_first_limit"),
    ("national-standards-2007", "roh_review_release_limit"),
    ("national-standards-2007", "roh_review_custody_limit"),
    ("national-standards-2007", "home_visit_limit"),
    ("national-standards-2007", "appointment_interval_limit"),
    ("national-standards-2007", "upw_session_interval_limit"),
    ("national-standards-2007", "plan_review_interval_months"),
    ("rom-east-of-england-2007-08", "breach_free_period"),
    ("rom-east-of-england-2007-08", "neutral_termination_reasons"),
)


@pytest.mark.parametrize(("name", "parameter"), READ_BY_POPULATIONS)
def test_kernels_tell_a_parameter_with_no_value_from_a_missing_fact(
    fixed_cases: list[Case], calendar: WorkingCalendar, name: str, parameter: str
) -> None:
    """With one parameter unstated, the cases whose test asks for it lack a parameter on
    columns as in the test, said by the kernels (no test asked), not a missing fact."""
    rules = unstated(rules_for(name), parameter)
    ctx = Context.of(rules, as_of=dt.date(2012, 1, 1), calendar=calendar)
    columns = CaseColumns.from_cases(fixed_cases)
    assert columns.raw
    lacking = 0
    for rule in populations_of(rules):
        check_codes(columns, fixed_cases, rule, ctx)
        lacking += int((population_codes(columns, rule.applies_to, ctx) == NO_PARAMETER).sum())
    assert lacking  # some population does ask for it


def leaves(test: object) -> list[object]:
    code = getattr(test, "__code__", None)
    if test is EVERY_CASE.test:
        return []
    if code is cp._AND or code is cp._OR:
        cells = cp._cells(test)  # type: ignore[arg-type]
        return [*leaves(cells["self"].test), *leaves(cells["other"].test)]
    if code is cp._NOT:
        return leaves(cp._cells(test)["self"].test)  # type: ignore[arg-type]
    if code is cp._UNDER:
        return leaves(cp._cells(test)["rule"].applies_to.test)  # type: ignore[arg-type]
    if code is cp._UNIT_RULE:
        cells = cp._cells(test)  # type: ignore[arg-type]
        return [*leaves(cells["applies_to"].test), ("units", cells["units"])]
    return [test]


def has_kernel(part: object) -> bool:
    if isinstance(part, tuple):
        return cp._units_kernel(part[1]) is not None
    return cp._leaf_for(part) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize("name", SETS)
def test_every_part_of_every_population_has_a_kernel(name: str) -> None:
    without = [
        rule.id
        for rule in rules_for(name).rules
        for part in leaves(rule.applies_to.test)
        if not has_kernel(part)
    ]
    assert without == []


def test_a_population_with_a_kernel_is_answered_by_it_without_a_case_context(
    fixed_cases: list[Case], calendar: WorkingCalendar
) -> None:
    rules = rules_for("national-standards-2007")
    ctx = Context.of(rules, as_of=dt.date(2012, 1, 1), calendar=calendar)
    columns = CaseColumns.from_cases(fixed_cases)
    assert columns.raw
    for rule_id in ("NS07.oasys-tier4", "NS07.home-visit-high-roh", "NS07.upw-frequency"):
        population(columns, rules.rule(rule_id), ctx)
    made = columns.memo.get(("contexts", id(ctx)))
    assert made is None or made[0] == {}


def test_a_part_without_a_kernel_is_asked_only_where_its_answer_counts(
    fixed_cases: list[Case], calendar: WorkingCalendar
) -> None:
    asked: list[str] = []

    def odd(case: Case, _ctx: Context) -> bool:
        asked.append(case.reference)
        if case.reference.endswith("7"):
            raise MissingFactError("a missing fact")
        return len(case.reference) % 2 == 1

    part = Population("odd references", odd)
    rules = rules_for("national-standards-2007")
    ctx = Context.of(rules, as_of=dt.date(2012, 1, 1), calendar=calendar)
    columns = CaseColumns.from_cases(fixed_cases)
    assert columns.raw
    for combined in (pops.LICENCE & part, pops.LICENCE | part, ~(part & pops.LICENCE)):
        asked.clear()
        rule = attrs.evolve(rules.rules[0], applies_to=combined)
        applies, missing = population(columns, rule, ctx)
        want = scalar(fixed_cases, combined, ctx)
        assert np.array_equal(applies, want[0])
        assert np.array_equal(missing, want[1])
    licences = {case.reference for case in fixed_cases if case.sentence.kind == "licence"}
    # A fresh chunk: answers of a part asked case by case are kept for the chunk.
    columns = CaseColumns.from_cases(fixed_cases)
    assert columns.raw
    asked.clear()
    population(columns, attrs.evolve(rules.rules[0], applies_to=pops.LICENCE & part), ctx)
    assert set(asked) == licences


def test_a_kernel_that_cannot_say_what_is_missing_leaves_the_test_to_say(
    fixed_cases: list[Case], calendar: WorkingCalendar
) -> None:
    """A kernel giving a mask for ``missing`` (not which kind): those cases, and only
    those, are asked of the test, which says a fact or a parameter."""
    asked: list[str] = []

    def test(case: Case, _ctx: Context) -> bool:
        asked.append(case.reference)
        if case.reference.endswith("3"):
            raise MissingParameterError("a_parameter", "a parameter")
        if case.reference.endswith("7"):
            raise MissingFactError("a missing fact")
        return case.sentence.kind == "licence"

    def kernel(columns: CaseColumns, _ctx: Context) -> tuple[np.ndarray, np.ndarray]:
        references = np.asarray(columns.references)
        missing = np.char.endswith(references, "3") | np.char.endswith(references, "7")
        return columns.raw["case"]["sentence.kind"] == code_of(SentenceKind.LICENCE), missing

    part = Population("licences, but some cases raise", test)
    cp.register_population(part, kernel)
    rules = rules_for("national-standards-2007")
    ctx = Context.of(rules, as_of=dt.date(2012, 1, 1), calendar=calendar)
    columns = CaseColumns.from_cases(fixed_cases)
    assert columns.raw
    codes = population_codes(columns, part, ctx)
    lacking = [case.reference for case in fixed_cases if case.reference[-1] in "37"]
    assert sorted(asked) == sorted(lacking)
    assert {NO_FACT, NO_PARAMETER} <= set(codes.tolist())
    assert codes.tolist() == scalar_codes(fixed_cases, part, ctx).tolist()


def test_registering_a_kernel_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="has a kernel"):
        cp.register_population(pops.LICENCE, lambda c, _ctx: (np.ones(len(c), bool),) * 2)
    with pytest.raises(ValueError, match="has a kernel"):
        cp.register_population(pops.tiers_at_start, lambda wanted: None)


def on_the_edges(cases: list[Case], calendar: WorkingCalendar) -> list[Case]:
    """Variants of ``cases`` whose facts fall on, and a day either side of, the days the
    populations compare: the order ends, the offender is released, a breach is acted on,
    an RoH level is recorded (twice on one day), on each due date the tests compute."""
    limits = rules_for("national-standards-2007").parameters
    targets = rules_for("rom-east-of-england-2007-08").parameters
    durations = [
        limits.get(name).duration
        for name in (
            "roh_review_first_limit",
            "appointment_interval_limit",
            "upw_session_interval_limit",
            "roh_review_custody_limit",
            "home_visit_limit",
        )
    ] + [targets.get("breach_free_period").duration]
    reasons = list(TerminationReason)
    out: list[Case] = []
    for number, case in enumerate(cases):
        start = case.start_event[1]
        for duration in durations:
            due = calendar.add(start, duration)
            for step in (-1, 0, 1):
                day = due + dt.timedelta(days=step)
                ended = Termination(on=day, reason=reasons[(number + step) % len(reasons)])
                sentence = case.sentence.model_copy(update={"termination": ended})
                breaches = (
                    tuple(b.model_copy(update={"action_on": day}) for b in case.breaches[:1])
                    + case.breaches[1:]
                )
                out.append(case.model_copy(update={"sentence": sentence, "breaches": breaches}))
                if case.sentence.kind in ("custody", "licence"):
                    released = case.sentence.model_copy(update={"released_on": day})
                    out.append(case.model_copy(update={"sentence": released}))
        levels = list(RohLevel)
        tied = (
            RohRecord(level=levels[number % 4], on=start),
            RohRecord(level=levels[(number + 2) % 4], on=start),
            RohRecord(level=levels[(number + 1) % 4], on=start + dt.timedelta(days=3)),
        )
        out.append(case.model_copy(update={"roh": tied}))
        out.append(case.model_copy(update={"roh": tied[2:]}))
    return out


@pytest.mark.parametrize("name", SETS)
def test_populations_on_the_edges_equal_their_scalar_tests(
    fixed_cases: list[Case], calendar: WorkingCalendar, name: str
) -> None:
    cases = on_the_edges(fixed_cases[-25:], calendar)
    check(cases, name, dt.date(2012, 1, 1), calendar)
    check(cases, name, dt.date(2009, 3, 31), calendar, {"in_force_by": "due"})


def test_population_on_columns_from_cases_equals_the_tests_asked_case_by_case(
    fixed_cases: list[Case], calendar: WorkingCalendar
) -> None:
    # Columns made from Case objects come with their raw tables (read by the generated
    # writer), so the kernels answer; the tests asked case by case must agree.
    rules = rules_for("national-standards-2007")
    ctx = Context.of(rules, as_of=dt.date(2012, 1, 1), calendar=calendar)
    columns = CaseColumns.from_cases(fixed_cases)
    assert cp.raw_at_hand(columns)
    for rule in populations_of(rules):
        applies, missing = population(columns, rule, ctx)
        by_tests = cp.population_masks(columns, rule.applies_to, ctx, kernels=False)
        assert np.array_equal(applies, by_tests[0]), rule.id
        assert np.array_equal(missing, by_tests[1]), rule.id
