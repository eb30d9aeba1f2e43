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
* generated cases reach every outcome of every rule, except those in NEVER,
  which no case can give (asserted exactly).

Every rule set runs as shipped and, where its rules read thresholds the sources
do not state (they answer "cannot assess" without one), again with values
supplied (SUPPLIED), so those rules' bodies are held to the properties too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from casework import Case, TimeUnit
from casework.model import Answer
from casework.rules import (
    Basis,
    Context,
    Finding,
    MissingFactError,
    Outcome,
    RuleKind,
    RuleSet,
    available_rulesets,
    evaluate,
    ruleset,
)
from casework.testing import default_calendar, make_case, oasys, review, work_done_earlier
from casework.testing import strategies as cs

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
#: The coverage sample draws more of the populations few cases fall in.
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
#: Above this many outcomes missing from the sample, the coverage test fails at once rather
#: than search for each: a search finds a rare outcome in seconds, but one that no case can
#: give (missing from NEVER) costs a minute.
SEARCHED_AT_MOST = 12


_CA = Outcome.CANNOT_ASSESS
_PPO_KNOWN = "PPO status is always known: no PPO period recorded is not a PPO"
_DEADLINE = "a deadline check always decides once its clock has started"
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
    **{rule_id: {_CA: _FROM_RECORD} for rule_id in ("1.1.c",)},
    **{
        rule_id: {_CA: _FROM_RECORD, Outcome.NOT_APPLICABLE: _EVERY_CASE}
        for rule_id in ("1.2.a", "3.1.d")
    },
    **{
        rule_id: {Outcome.MET: _AREA, Outcome.NOT_MET: _AREA, _CA: _AREA}
        for rule_id in ("2.4.z", "2.5.c", "2.5.e", "2.5.k", "3.1.ab")
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

_ENDED = "supervision ended before the next one fell due: not counted"
_REUSED = "computed by a National Standards rule whose own population is narrower"
_WHEN_ENDED = "counted only once the order or licence has ended"
_NO_UNIT = "answers per unit: a case with none of its units is not applicable"

#: Rules that answer "not applicable, out of scope" for some cases their population test
#: takes in, because they decide part of their scope in the body, and why. Asserted exactly.
SCOPED_IN_THE_BODY: dict[str, str] = {
    **dict.fromkeys(
        (
            "NS05.plan-review-interval",
            "NS05.roh-review-interval",
            "NS07.plan-review-interval",
            "NS07.roh-review-first",
            "NS07.roh-review-interval",
            "NS07.roh-review-release",
            "NS07.appointment-frequency",
            "NS07.upw-frequency",
        ),
        _ENDED,
    ),
    "NS07.roh-review-custody": "released before a review in custody fell due",
    "NS07.home-visit-high-roh": "resident in approved premises",
    **dict.fromkeys(
        ("1.2.w", "2.1.x", "2.2.d", "2.2.e", "2.2.g", "2.2.j", "2.2.w", "2.4.i", "2.4.m"), _REUSED
    ),
    **dict.fromkeys(
        (
            "TGT.accommodation-at-end",
            "TGT.accommodation-change",
            "TGT.compliance",
            "TGT.successful-completion",
            "TGT.six-months-without-breach",
        ),
        _WHEN_ENDED,
    ),
    **dict.fromkeys(
        (
            "TGT.appointment-arranged",
            "TGT.appointment-attended",
            "TGT.breach-action",
            "TGT.breach-resolution",
            "TGT.drr-commencement",
            "TGT.drr-completion",
            "TGT.drr-retention",
            "TGT.employment-or-training-sustained",
            "TGT.employment-sustained",
            "TGT.programme-completion",
            "TGT.programme-completion-after-start",
            "TGT.programme-completion-domestic-violence",
            "TGT.programme-completion-general",
            "TGT.programme-completion-sex-offender",
            "TGT.programme-start",
            "TGT.psr-delivery",
            "TGT.upw-completion",
        ),
        _NO_UNIT,
    ),
}


def _out_of_scope(finding: Finding) -> bool:
    return (finding.outcome, finding.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)


def _inspector_said_not_applicable(case: Case, finding: Finding) -> bool:
    """The inspector recorded the question (or, for a summary, the criterion) as not applicable."""
    if finding.criterion is None:
        return False
    if finding.kind is RuleKind.SUMMARY:
        answer = case.judgements.summaries.get(finding.criterion)
    else:
        answer = case.judgements.answers.get(finding.rule_id)
    return answer is Answer.NOT_APPLICABLE


def _scope_problems(
    case: Case, rules: RuleSet, as_of: dt.date, findings: Iterable[Finding] | None = None
) -> Iterable[tuple[str, str]]:
    """(rule id, what is wrong) for each finding that does not match its population test."""
    ctx = Context(as_of, CALENDAR, rules.parameters, rules.name)
    found: dict[str, list[Finding]] = defaultdict(list)
    if findings is None:
        findings = evaluate(case, rules, as_of=as_of, calendar=CALENDAR)  # RuleError if it raises
    for finding in findings:
        found[finding.rule_id].append(finding)
    for rule in rules.rules:
        findings = found[rule.id]
        try:
            in_scope: bool | None = rule.applies_to(case, ctx)
        except MissingFactError:
            in_scope = None
        if in_scope is None and [f.outcome for f in findings] != [Outcome.CANNOT_ASSESS]:
            yield rule.id, f"population undecided, but {findings[0].reason}"
        elif in_scope is False and not (len(findings) == 1 and _out_of_scope(findings[0])):
            yield rule.id, f"population false, but {findings[0].reason}"
        elif in_scope:
            for finding in findings:
                if _out_of_scope(finding) and not _inspector_said_not_applicable(case, finding):
                    yield rule.id, f"population true, but {finding.reason}"


@given(CASES, st.integers(0, 400))
def test_no_rule_raises_and_out_of_scope_follows_the_population(case: Case, later: int) -> None:
    as_of = case.as_of + dt.timedelta(days=later)
    for rules in RULESETS:
        problems = [
            p for p in _scope_problems(case, rules, as_of) if p[0] not in SCOPED_IN_THE_BODY
        ]
        assert problems == [], rules.label


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


# ---------------------------------------------------------------- a sample of generated cases


@attrs.define
class Sample:
    """What a fixed sample of generated cases showed about every rule."""

    outcomes: dict[str, set[Outcome]] = attrs.field(factory=lambda: defaultdict(set))
    scoped_in_body: set[str] = attrs.field(factory=set)

    def add(self, case: Case) -> None:
        for rules in RULESETS:
            findings = evaluate(case, rules, as_of=case.as_of, calendar=CALENDAR)
            for rule_id, _ in _scope_problems(case, rules, case.as_of, findings):
                self.scoped_in_body.add(rule_id)
            for finding in findings:
                self.outcomes[finding.rule_id].add(finding.outcome)


@pytest.fixture(scope="module")
def sample() -> Sample:
    """600 generated cases, the same every run (derandomised)."""
    seen = Sample()

    @settings(
        max_examples=600,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(SAMPLE_CASES)
    def collect(case: Case) -> None:
        seen.add(case)

    collect()
    return seen


def _search(condition: Callable[[Case], bool]) -> bool:
    """Whether generated cases can satisfy ``condition`` (a longer, targeted search)."""
    try:
        find(
            SAMPLE_CASES,
            condition,
            settings=settings(
                max_examples=400,
                database=None,
                derandomize=True,
                deadline=None,
                phases=[Phase.generate],
            ),
        )
    except NoSuchExample:
        return False
    return True


def _gives(rule_id: str, outcome: Outcome) -> Callable[[Case], bool]:
    holding = [rules for rules in RULESETS if rule_id in rules]

    def condition(case: Case) -> bool:
        return any(
            f.rule_id == rule_id and f.outcome is outcome
            for rules in holding
            for f in evaluate(case, rules, as_of=case.as_of, calendar=CALENDAR)
        )

    return condition


def test_generated_cases_reach_every_outcome_of_every_rule(sample: Sample) -> None:
    assert set(NEVER) <= set(RULE_IDS), "NEVER names rules no rule set has"
    wanted = {rule_id: set(Outcome) - set(NEVER.get(rule_id, {})) for rule_id in RULE_IDS}
    unsampled = [
        (rule_id, outcome)
        for rule_id, outcomes in wanted.items()
        for outcome in sorted(outcomes - sample.outcomes[rule_id])
    ]
    assert len(unsampled) <= SEARCHED_AT_MOST, f"the sample never gives {unsampled}"
    missing = [(r, o) for r, o in unsampled if not _search(_gives(r, o))]
    assert missing == [], f"generated cases never give {missing}"
    given_anyway = {r: sorted(set(o) & sample.outcomes[r]) for r, o in NEVER.items()}
    occur = {r: o for r, o in given_anyway.items() if o}
    assert occur == {}, f"NEVER lists outcomes that occur: {occur}"


def test_rules_scoped_in_the_body_are_exactly_those_listed(sample: Sample) -> None:
    assert set(SCOPED_IN_THE_BODY) <= set(RULE_IDS), "SCOPED_IN_THE_BODY names unknown rules"
    unseen = sorted(set(SCOPED_IN_THE_BODY) - sample.scoped_in_body)
    holding = {rule_id: [r for r in RULESETS if rule_id in r] for rule_id in unseen}
    never = [
        rule_id
        for rule_id in unseen
        if not _search(
            lambda case, r=rule_id: any(
                p[0] == r for rules in holding[r] for p in _scope_problems(case, rules, case.as_of)
            )
        )
    ]
    assert never == [], f"always scoped by the population, yet listed: {never}"
    unlisted = sorted(sample.scoped_in_body - set(SCOPED_IN_THE_BODY))
    assert unlisted == [], f"out of scope while the population says in scope: {unlisted}"
