"""Properties every rule of every shipped rule set keeps (rules added later are covered too).

* evaluating a valid case never raises;
* "not applicable, out of scope" whenever the rule's population test is false,
  "cannot assess" when the population cannot be decided, and out of scope while
  the population test is true only where the inspector recorded the question as
  not applicable or the rule decides part of its scope in its body
  (SCOPED_IN_THE_BODY, asserted exactly);
* the same case gives the same findings, whatever the order of the cases and
  however they are split;
* timeliness is monotone: doing the work earlier never turns "met" into "not met";
* every rule gives every outcome except those in NEVER, which no case gives:
  generated cases never give a NEVER outcome (a property), and a fixed set of
  generated witness cases (tests/testing/witnesses.py) gives every other one, so
  the check is the same whatever ran before it.

Every rule set runs as shipped and, where its rules read thresholds the sources
do not state (they answer "cannot assess" without one), again with values
supplied (SUPPLIED), so those rules' bodies are held to the properties too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import Case, TimeUnit
from casework.model import Answer
from casework.rules import (
    Basis,
    Context,
    Finding,
    MissingFactError,
    MissingParameterError,
    Outcome,
    RuleKind,
    RuleSet,
    available_rulesets,
    evaluate,
    ruleset,
)
from casework.testing import default_calendar, make_case, oasys, review, work_done_earlier
from casework.testing import strategies as cs
from tests.testing import witnesses

CALENDAR = default_calendar()
#: For tests whose every example is several cases: a quarter of the profile's examples.
LISTS = settings(max_examples=max(10, settings().max_examples // 4))

#: Values for thresholds the sources do not state, by unit.
SUPPLIED = {
    TimeUnit.WORKING_DAYS.value: 10,
    TimeUnit.CALENDAR_DAYS.value: 14,
    TimeUnit.WEEKS.value: 4,
    TimeUnit.MONTHS.value: 4,
}


def _supplied(rules: RuleSet) -> RuleSet | None:
    """The rule set with every threshold its rules read and the sources leave unstated supplied."""
    unset = sorted(
        {
            name
            for rule in rules.rules
            for name in rule.parameters
            if not rules.parameters.has_value(name)
        }
    )
    if not unset:
        return None
    values = {name: SUPPLIED[str(rules.parameters.definitions[name].unit)] for name in unset}
    return rules.derive(f"{rules.name}+supplied", parameters=values, note="property tests")


SHIPPED = [ruleset(name) for name in available_rulesets()]
RULESETS = [*SHIPPED, *(found for found in map(_supplied, SHIPPED) if found is not None)]
RULE_IDS = sorted({rule.id for rules in RULESETS for rule in rules.rules})
_ASKED = [cs.questions_of(rules) for rules in SHIPPED]
_ANSWERS = {
    "questions": [q for questions, _ in _ASKED for q in questions],
    "criteria": [c for _, criteria in _ASKED for c in criteria],
}
CASES = cs.cases(**_ANSWERS)
#: Witnesses are drawn from these (tests/testing/witnesses.py): more of the populations few
#: cases fall in.
SAMPLE_CASES = st.one_of(
    CASES,
    cs.cases(kind="community_order", **_ANSWERS),
    cs.cases(
        requirements=["accredited_programme", "drug_rehabilitation", "unpaid_work"],
        terminated=True,
        **_ANSWERS,
    ),
    cs.cases(released=True, recalled=True, **_ANSWERS),
    cs.cases(kind="custody", **_ANSWERS),
    cs.cases(transferred=True, **_ANSWERS),
    cs.cases(on_due_day=True, **_ANSWERS),
)


_CA = Outcome.CANNOT_ASSESS
_PPO_KNOWN = "PPO status is always known: no PPO period recorded is not a PPO"
_DEADLINE = (
    "a deadline check always decides once its clock has started, on the record's own as_of "
    "(evaluated later, a deadline after it cannot be assessed: _beyond_the_record)"
)
_FROM_RECORD = "descriptive, counted from the record, which always holds the fact"
_AREA = "an area-level finding in the report, not asked of cases"
_EVERY_CASE = "asked of every case"
_BY_REFERENCE = "computed by a National Standards rule that never cannot assess"

#: Outcomes a rule can never give, and why. The coverage test asserts this exactly.
NEVER: dict[str, dict[Outcome, str]] = {
    **{rule_id: {_CA: _PPO_KNOWN} for rule_id in ("NS05.oasys-ppo", "NS07.oasys-ppo", "1.3.f")},
    **{
        rule_id: {_CA: _DEADLINE}
        for rule_id in (
            "NS05.breach-action",
            "NS05.breach-resolution",
            "NS05.plan-review-interval",
            "NS07.breach-action",
            "NS07.breach-resolution",
            "NS07.roh-review-first",
            "NS07.roh-review-release",
            "NS07.roh-review-interval",
            "NS07.roh-review-custody",
            "NS07.transfer-first-appointment",
            "NS07.transfer-home-visit",
            "TGT.breach-action",
            "TGT.breach-resolution",
        )
    },
    **{
        rule_id: {_CA: _BY_REFERENCE}
        for rule_id in ("2.1.v", "2.1.w", "2.2.d", "2.2.e", "2.2.g", "2.2.i", "2.2.j")
    },
    **{rule_id: {_CA: _BY_REFERENCE} for rule_id in ("2.4.g", "2.4.h")},
    "NS07.roh-review-pre-release": {_CA: "met or not met from the release assessments"},
    **{
        rule_id: {_CA: "met or not met for each screening that called for an analysis"}
        for rule_id in ("NS05.full-analysis-where-screened", "NS07.full-analysis-where-screened")
    },
    **{
        rule_id: {_CA: "its population is the MAPPA cases, the one fact it could lack"}
        for rule_id in ("NS05.mappa-level", "NS07.mappa-level")
    },
    **{
        rule_id: {_CA: "met, not met or not yet counted from the termination"}
        for rule_id in (
            "TGT.compliance",
            "TGT.successful-completion",
            "TGT.six-months-without-breach",
        )
    },
    **{
        rule_id: {_CA: "met, not met or not yet due from the recorded dates"}
        for rule_id in (
            "TGT.employment-sustained",
            "TGT.employment-or-training-sustained",
            "TGT.drr-commencement",
            "TGT.drr-completion",
            "TGT.drr-retention",
            "TGT.programme-completion",
            "TGT.programme-start",
            "TGT.programme-completion-after-start",
            "TGT.upw-completion",
        )
    },
    "TGT.case": {
        Outcome.MET: "descriptive: always 'not applicable', carrying the case's dates",
        Outcome.NOT_MET: "descriptive: always 'not applicable', carrying the case's dates",
        _CA: "descriptive: always 'not applicable', carrying the case's dates",
    },
    **{rule_id: {_CA: _FROM_RECORD} for rule_id in ("1.1.c", "2.1.z", "2.3.i", "2.6.k")},
    **{
        rule_id: {_CA: _FROM_RECORD, Outcome.NOT_APPLICABLE: _EVERY_CASE}
        for rule_id in ("1.2.a", "2.1.ab", "3.1.d")
    },
    **{
        rule_id: {Outcome.MET: _AREA, Outcome.NOT_MET: _AREA, _CA: _AREA}
        for rule_id in (
            "1.5.y",
            "2.1.aa",
            "2.2.aa",
            "2.4.z",
            "2.5.c",
            "2.5.e",
            "2.5.k",
            "2.5.m",
            "2.5.n",
            "2.6.j",
            "3.1.ab",
            "3.2.g",
        )
    },
}

#: Timeliness rules that check something recurs (a review at least every four months): doing
#: a review earlier brings the next one due earlier, which can then be overdue at as_of.
NOT_MONOTONE = frozenset(
    {
        "NS05.roh-review-interval",
        "NS05.plan-review-interval",
        "NS07.roh-review-interval",
        "NS07.plan-review-interval",
        "2.2.e",
    }
)

#: Rules that answer "not applicable, out of scope" for some cases their population test
#: takes in, because they decide part of their scope in the body, and why. Asserted exactly.
#: None does: every rule declares who it applies to in its population.
SCOPED_IN_THE_BODY: dict[str, str] = {}


def _out_of_scope(finding: Finding) -> bool:
    return (finding.outcome, finding.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)


def _beyond_the_record(case: Case, as_of: dt.date, finding: Finding) -> bool:
    """Cannot assess a deadline that fell after the record's own as_of (evaluated later)."""
    return (
        finding.outcome is Outcome.CANNOT_ASSESS
        and as_of > case.as_of
        and "the record describes the case only up to" in finding.reason
    )


def _not_in_force(rules: RuleSet, finding: Finding) -> bool:
    """The set holds its rules to their in-force dates and this finding falls outside them:
    a clock that started outside them (docs/decisions.md#standard-by-clock-start), or, read
    by the assessment date, a rule not yet in force then (#in-force-every-set)."""
    if not rules.by_clock:
        return False
    rule = rules.rule(finding.rule_id)
    if rules.in_force_by == "as_of":
        return finding.as_of < rule.in_force_from
    return "not in force" in finding.reason or (
        finding.trigger is not None and not rule.in_force_on(finding.trigger)
    )


def _inspector_said_not_applicable(case: Case, finding: Finding) -> bool:
    """The inspector recorded the question (or, for a summary, the criterion) as not applicable."""
    if finding.criterion is None:
        return False
    if finding.kind is RuleKind.SUMMARY:
        answer = case.judgements.summaries.get(finding.criterion)
    else:
        answer = case.judgements.answers.get(finding.rule_id)
    return answer is Answer.NOT_APPLICABLE


def scope_problems(
    case: Case, rules: RuleSet, as_of: dt.date, findings: Iterable[Finding]
) -> Iterable[tuple[str, str]]:
    """(rule id, what is wrong) for each finding that does not match its population test."""
    ctx = Context(as_of, CALENDAR, rules.parameters, rules.name)
    found: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        found[finding.rule_id].append(finding)
    for rule in rules.rules:
        answers = found[rule.id]
        if rules.by_clock and rules.in_force_by == "as_of" and as_of < rule.in_force_from:
            # not yet in force on the assessment date: one not-applicable finding, whatever
            # the population (docs/decisions.md#in-force-every-set)
            if not (len(answers) == 1 and _out_of_scope(answers[0])):
                yield rule.id, f"not in force on {as_of}, but {answers[0].reason}"
            continue
        try:
            in_scope: bool | None = rule.applies_to(case, ctx)
        except (MissingFactError, MissingParameterError):
            in_scope = None
        if in_scope is None and [f.outcome for f in answers] != [Outcome.CANNOT_ASSESS]:
            yield rule.id, f"population undecided, but {answers[0].reason}"
        elif in_scope is False and not (len(answers) == 1 and _out_of_scope(answers[0])):
            yield rule.id, f"population false, but {answers[0].reason}"
        elif in_scope:
            for finding in answers:
                if (
                    _out_of_scope(finding)
                    and not _inspector_said_not_applicable(case, finding)
                    and not _not_in_force(rules, finding)
                ):
                    yield rule.id, f"population true, but {finding.reason}"


@given(SAMPLE_CASES, st.integers(0, 400))
def test_no_rule_raises_scope_follows_the_population_and_never_holds(
    case: Case, later: int
) -> None:
    as_of = case.as_of + dt.timedelta(days=later)
    for rules in RULESETS:
        findings = evaluate(case, rules, as_of=as_of, calendar=CALENDAR)  # RuleError if it raises
        problems = [
            p
            for p in scope_problems(case, rules, as_of, findings)
            if p[0] not in SCOPED_IN_THE_BODY
        ]
        assert problems == [], rules.label
        never = [
            (f.rule_id, f.outcome, f.reason)
            for f in findings
            if f.outcome in NEVER.get(f.rule_id, {})
            and not _beyond_the_record(case, as_of, f)
            and not (f.outcome is Outcome.NOT_APPLICABLE and _not_in_force(rules, f))
        ]
        assert never == [], f"{rules.label}: outcomes NEVER says no case gives"


@given(CASES)
def test_the_same_case_gives_the_same_findings(case: Case) -> None:
    copy = Case.model_validate(case.model_dump())
    for rules in RULESETS:
        first = evaluate(case, rules, as_of=case.as_of, calendar=CALENDAR)
        assert evaluate(copy, rules, as_of=case.as_of, calendar=CALENDAR) == first
        assert evaluate(case, rules, as_of=case.as_of, calendar=CALENDAR) == first


def _key(finding: Finding) -> tuple[str, str, str]:
    return finding.case_ref, finding.rule_id, finding.unit or ""


@LISTS
@given(st.data(), cs.case_lists(min_size=2, max_size=6))
def test_findings_do_not_depend_on_case_order(data: st.DataObject, cases: list[Case]) -> None:
    shuffled = data.draw(st.permutations(cases))
    as_of = max(case.as_of for case in cases)
    for rules in RULESETS:
        in_order = sorted(evaluate(cases, rules, as_of=as_of, calendar=CALENDAR), key=_key)
        reordered = evaluate(shuffled, rules, as_of=as_of, calendar=CALENDAR)
        one_by_one = [
            finding
            for case in shuffled
            for finding in evaluate(case, rules, as_of=as_of, calendar=CALENDAR)
        ]
        assert sorted(reordered, key=_key) == in_order
        assert sorted(one_by_one, key=_key) == in_order


@given(CASES, st.integers(1, 60))
def test_doing_the_work_earlier_never_turns_met_into_not_met(case: Case, days: int) -> None:
    earlier = work_done_earlier(case, days)
    for rules in RULESETS:
        after = {_key(f): f for f in evaluate(earlier, rules, as_of=case.as_of, calendar=CALENDAR)}
        for old in evaluate(case, rules, as_of=case.as_of, calendar=CALENDAR):
            new = after.get(_key(old))
            if old.rule_id in NOT_MONOTONE or old.kind is not RuleKind.TIMELINESS:
                continue
            if old.outcome is Outcome.MET and new is not None:
                assert new.outcome is not Outcome.NOT_MET, (old.rule_id, old.reason, new.reason)


def test_recurring_reviews_are_rightly_not_monotone() -> None:
    """Why NOT_MONOTONE exists: a review done earlier makes the next one due earlier."""
    assert set(RULE_IDS) >= NOT_MONOTONE
    case = make_case(  # reviewed on 1 October and 31 January: the next is due on 31 May
        as_of="2008-05-30",
        assessments=[
            oasys("2007-06-08"),
            review("A1", "2007-10-01", id="R1"),
            review("R1", "2008-01-31", id="R2"),
        ],
    )
    moved = work_done_earlier(case, 10)  # reviewed on 21 September and 21 January: due 21 May
    rules = ruleset("national-standards-2007")
    before, after = (
        evaluate(c, rules, as_of=c.as_of, calendar=CALENDAR).get(
            c.reference, "NS07.roh-review-interval"
        )
        for c in (case, moved)
    )
    assert (before.outcome, after.outcome) == (Outcome.MET, Outcome.NOT_MET)
    assert "it was due on 21 May 2008" in after.reason


# ---------------------------------------------------------------- outcomes every rule gives


@pytest.fixture(scope="module")
def witnessed() -> set[witnesses.Mark]:
    """What the stored witness cases show (tests/testing/witnesses.py made them)."""
    return set().union(*map(witnesses.marks, witnesses.load()))


_REGENERATE = "regenerate the witnesses: python -m tests.testing.witnesses"


def test_generated_cases_reach_every_outcome_of_every_rule(witnessed: set[witnesses.Mark]) -> None:
    assert set(NEVER) <= set(RULE_IDS), "NEVER names rules no rule set has"
    unreached = sorted(
        mark for mark in witnesses.wanted() - witnessed if mark[1] != witnesses.SCOPED
    )
    assert unreached == [], f"no witness gives {unreached}; {_REGENERATE}"
    given_anyway = {
        rule_id: sorted(o.value for o in outcomes if (rule_id, o.value) in witnessed)
        for rule_id, outcomes in NEVER.items()
    }
    assert {r: o for r, o in given_anyway.items() if o} == {}, "NEVER lists outcomes that occur"


def test_rules_scoped_in_the_body_are_exactly_those_listed(
    witnessed: set[witnesses.Mark],
) -> None:
    assert set(SCOPED_IN_THE_BODY) <= set(RULE_IDS), "SCOPED_IN_THE_BODY names unknown rules"
    scoped = {rule_id for rule_id, what in witnessed if what == witnesses.SCOPED}
    assert sorted(set(SCOPED_IN_THE_BODY) - scoped) == [], f"listed, never seen; {_REGENERATE}"
    assert sorted(scoped - set(SCOPED_IN_THE_BODY)) == [], "scoped in the body, not listed"
