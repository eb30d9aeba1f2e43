"""Properties every rule of every shipped rule set keeps (rules added later are covered too).

* evaluating a valid case never raises;
* "not applicable, out of scope" exactly when the rule's population test is false
  (and "cannot assess" when the population cannot be decided);
* the same case gives the same findings, whatever the order of the cases and
  however they are split;
* timeliness is monotone: doing the work earlier never turns "met" into "not met";
* generated cases reach every outcome of every rule, except the outcomes listed
  in NEVER, which no case can give.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from casework import Case
from casework.rules import (
    Basis,
    Context,
    MissingFactError,
    Outcome,
    Rule,
    RuleKind,
    available_rulesets,
    evaluate,
    ruleset,
)
from casework.testing import default_calendar, work_done_earlier
from casework.testing import strategies as cs

CALENDAR = default_calendar()
RULESETS = available_rulesets()
RULES: dict[str, Rule] = {rule.id: rule for name in RULESETS for rule in ruleset(name).rules}
#: For tests whose every example is several cases: a quarter of the profile's examples.
LISTS = settings(max_examples=max(10, settings().max_examples // 4))

#: Outcomes a rule can never give, and why. The coverage test asserts this list
#: exactly: every other outcome of every rule is reached by generated cases, and
#: none of these is.
NEVER: dict[str, dict[Outcome, str]] = {
    "NS05.oasys-ppo": {
        Outcome.CANNOT_ASSESS: "PPO status is always known: no PPO period recorded is not a PPO",
    },
    "NS07.oasys-ppo": {
        Outcome.CANNOT_ASSESS: "PPO status is always known: no PPO period recorded is not a PPO",
    },
}

#: Timeliness rules for which doing the work earlier can rightly turn "met" into
#: "not met", and why (none so far).
NOT_MONOTONE: dict[str, str] = {}


@given(cs.cases(), st.integers(0, 400))
def test_no_rule_raises_and_out_of_scope_is_exactly_the_population(case: Case, later: int) -> None:
    as_of = case.as_of + dt.timedelta(days=later)
    for name in RULESETS:
        rules = ruleset(name)
        findings = evaluate(
            case, rules, as_of=as_of, calendar=CALENDAR
        )  # RuleError if a rule raises
        ctx = Context(as_of, CALENDAR, rules.parameters, rules.name)
        for rule, finding in zip(rules.rules, findings, strict=True):
            try:
                in_scope: bool | None = rule.applies_to(case, ctx)
            except MissingFactError:
                in_scope = None
            out_of_scope = (finding.outcome, finding.basis) == (
                Outcome.NOT_APPLICABLE,
                Basis.OUT_OF_SCOPE,
            )
            if in_scope is None:
                assert finding.outcome is Outcome.CANNOT_ASSESS, (rule.id, finding.reason)
            else:
                assert out_of_scope is not in_scope, (rule.id, finding.reason)


@given(cs.cases())
def test_the_same_case_gives_the_same_findings(case: Case) -> None:
    copy = Case.model_validate(case.model_dump())
    for name in RULESETS:
        first = evaluate(case, name, as_of=case.as_of, calendar=CALENDAR)
        assert evaluate(copy, name, as_of=case.as_of, calendar=CALENDAR) == first
        assert evaluate(case, name, as_of=case.as_of, calendar=CALENDAR) == first


@LISTS
@given(st.data(), cs.case_lists(min_size=2, max_size=6))
def test_findings_do_not_depend_on_case_order(data: st.DataObject, cases: list[Case]) -> None:
    shuffled = data.draw(st.permutations(cases))
    as_of = max(case.as_of for case in cases)
    for name in RULESETS:
        whole = evaluate(cases, name, as_of=as_of, calendar=CALENDAR)
        in_order = sorted(whole, key=lambda f: (f.case_ref, f.rule_id))
        reordered = evaluate(shuffled, name, as_of=as_of, calendar=CALENDAR)
        one_by_one = [
            finding
            for case in shuffled
            for finding in evaluate(case, name, as_of=as_of, calendar=CALENDAR)
        ]
        for other in (reordered, one_by_one):
            assert sorted(other, key=lambda f: (f.case_ref, f.rule_id)) == in_order


@given(cs.cases(), st.integers(1, 60))
def test_doing_the_work_earlier_never_turns_met_into_not_met(case: Case, days: int) -> None:
    earlier = work_done_earlier(case, days)
    for name in RULESETS:
        before = evaluate(case, name, as_of=case.as_of, calendar=CALENDAR)
        after = evaluate(earlier, name, as_of=case.as_of, calendar=CALENDAR)
        for old, new in zip(before, after, strict=True):
            if old.kind is RuleKind.TIMELINESS and old.rule_id not in NOT_MONOTONE:
                assert not (old.outcome is Outcome.MET and new.outcome is Outcome.NOT_MET), (
                    old.rule_id,
                    old.reason,
                    new.reason,
                )


def _outcomes(case: Case, rule_id: str | None = None) -> dict[str, set[Outcome]]:
    found: dict[str, set[Outcome]] = defaultdict(set)
    for name in RULESETS:
        if rule_id is not None and rule_id not in ruleset(name):
            continue
        for finding in evaluate(case, name, as_of=case.as_of, calendar=CALENDAR):
            found[finding.rule_id].add(finding.outcome)
    return found


def test_generated_cases_reach_every_outcome_of_every_rule() -> None:
    assert set(NEVER) <= set(RULES), "NEVER names rules no rule set has"
    assert set(NOT_MONOTONE) <= set(RULES), "NOT_MONOTONE names rules no rule set has"
    reached: dict[str, set[Outcome]] = defaultdict(set)

    @settings(
        max_examples=300,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cs.cases())
    def sample(case: Case) -> None:
        for rule_id, outcomes in _outcomes(case).items():
            reached[rule_id] |= outcomes

    sample()
    wanted = {rule_id: set(Outcome) - set(NEVER.get(rule_id, {})) for rule_id in RULES}
    search = settings(max_examples=1500, database=None, derandomize=True, deadline=None)
    for rule_id, outcomes in wanted.items():
        for outcome in sorted(outcomes - reached[rule_id]):
            try:
                find(
                    cs.cases(),
                    lambda case, r=rule_id, o=outcome: o in _outcomes(case, r)[r],
                    settings=search,
                )
            except NoSuchExample:
                continue
            reached[rule_id].add(outcome)
    unreached = {r: sorted(o - reached[r]) for r, o in wanted.items() if o - reached[r]}
    assert unreached == {}, "generated cases never give these outcomes"
    impossible = {r: sorted(set(o) & reached[r]) for r, o in NEVER.items() if set(o) & reached[r]}
    assert impossible == {}, "NEVER lists outcomes that generated cases do give"
