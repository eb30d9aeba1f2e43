"""Each columnar kernel agrees with its scalar rule: outcome, basis and dates, case by case."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases
from casework.columnar import (
    KERNELS,
    LATE_UNITS,
    CaseColumns,
    from_day_number,
    kernel_for,
    rule_columns,
)
from casework.columnar.core import RuleColumns
from casework.columnar.targets import numbered
from casework.model import Case
from casework.rules import Basis, Finding, evaluate, ruleset
from casework.rules.ruleset import RuleSet
from casework.testing import strategies as cs
from casework.testing.builders import make_case

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import case_records

WITNESSES = Path(__file__).parents[1] / "testing" / "data" / "outcome-witnesses.jsonl"
SETS = (
    "national-standards-2005",
    "national-standards-2007",
    "national-standards",
    "nps-2007-08",
    "nps-2005-06",
    "rom-east-of-england-2007-08",
)


def _kernel_rules() -> list[tuple[str, str]]:
    """Each shipped set's rules that its kernel answers (a set that wraps a rule, such as
    the across-the-change set, answers it case by case: nothing to compare)."""
    return [
        (name, rule.id)
        for name in SETS
        for rule in ruleset(name)
        if rule.id in KERNELS and kernel_for(rule) is not None
    ]


def _scalar_view(finding: Finding) -> tuple[object, ...]:
    return (
        finding.outcome,
        finding.basis,
        finding.trigger,
        finding.due,
        finding.done,
        -1 if finding.late_by is None else finding.late_by,
        finding.late_unit,
    )


def _check(cases: list[Case], rules: RuleSet, rule_id: str, as_of: dt.date,
           calendar: WorkingCalendar, *,
           options: dict[str, str] | None = None) -> RuleColumns:  # fmt: skip
    columns = CaseColumns.from_cases(cases)
    answered = rule_columns(
        columns, rules, rule_id, as_of=as_of, calendar=calendar, options=options
    )
    scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar, options=options)
    assert len(answered) == len(scalar)  # one per case, or one per unit (a victim)
    assert list(answered.unit) == [finding.unit for finding in scalar]
    outcomes, bases = answered.outcomes(), answered.bases()
    for row, finding in enumerate(scalar):
        expected = _scalar_view(finding)
        got = (
            outcomes[row],
            bases[row],
            from_day_number(answered.trigger[row]),
            from_day_number(answered.due[row]),
            from_day_number(answered.done[row]),
            int(answered.late_by[row]),
            LATE_UNITS[answered.late_unit[row]],
        )
        assert got == expected, (finding.case_ref, rule_id, finding.reason)
        assert answered.finding(row) == finding
    return answered


@pytest.fixture(scope="module")
def witnesses() -> list[Case]:
    return list(load_cases(WITNESSES).cases)


@pytest.fixture(scope="module")
def generated() -> list[Case]:
    return [Case.model_validate(r) for r in case_records(3, 300, dt.date(2009, 3, 31))]


def test_every_kernel_is_used_by_a_shipped_rule_set() -> None:
    used = {rule_id for _, rule_id in _kernel_rules()}
    assert used == set(KERNELS)


@pytest.mark.parametrize(("name", "rule_id"), _kernel_rules())
def test_kernels_agree_with_the_scalar_rules_on_the_witness_and_benchmark_cases(
    witnesses: list[Case],
    generated: list[Case],
    calendar: WorkingCalendar,
    name: str,
    rule_id: str,
) -> None:
    rules = ruleset(name)
    for as_of in (dt.date(2008, 1, 15), dt.date(2009, 3, 31), dt.date(2012, 1, 1)):
        _check([*witnesses, *generated], rules, rule_id, as_of, calendar)


@settings(max_examples=25)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=8),
    pick=st.sampled_from(_kernel_rules()),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_kernels_agree_with_the_scalar_rules_on_generated_cases(
    cases: list[Case], pick: tuple[str, str], offset: int, calendar: WorkingCalendar
) -> None:
    name, rule_id = pick
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    _check(cases, ruleset(name), rule_id, as_of, calendar)


def test_rules_without_a_kernel_are_answered_case_by_case(
    generated: list[Case], calendar: WorkingCalendar
) -> None:
    # Any rule with no kernel will do (National Standards first, then the inspection set).
    rules, other = next(
        (rules, rule.id)
        for rules in (ruleset("national-standards-2007"), ruleset("omi-2007"))
        for rule in rules
        if rule.id not in KERNELS and rule.units is None
    )
    columns = CaseColumns.from_cases(generated[:20])
    answered = rule_columns(columns, rules, other, as_of=dt.date(2009, 3, 31), calendar=calendar)
    scalar = evaluate(generated[:20], rules.only([other]), as_of=dt.date(2009, 3, 31),
                      calendar=calendar)  # fmt: skip
    assert answered.outcomes() == [f.outcome for f in scalar]
    assert [from_day_number(day) for day in answered.due] == [f.due for f in scalar]


def test_a_rule_with_the_same_id_but_another_body_is_not_given_the_kernel(
    generated: list[Case], calendar: WorkingCalendar
) -> None:
    """An overlay's replacement keeps the id but not the body: it is answered case by case."""
    import attrs

    from casework.columnar import kernel_for as _kernel_for
    from casework.rules import met

    rules = ruleset("national-standards-2007")
    original = rules.rule("NS07.oasys-tier4")
    assert _kernel_for(original) is not None
    replaced = attrs.evolve(original, check=lambda _case, _ctx: met("Always met."))
    assert _kernel_for(replaced) is None
    variant = rules.derive("always-met", replace=[replaced])
    columns = CaseColumns.from_cases(generated[:30])
    answered = rule_columns(
        columns, variant, "NS07.oasys-tier4", as_of=dt.date(2009, 3, 31), calendar=calendar
    )
    scalar = evaluate(generated[:30], variant.only(["NS07.oasys-tier4"]),
                      as_of=dt.date(2009, 3, 31), calendar=calendar)  # fmt: skip
    assert answered.outcomes() == [f.outcome for f in scalar]


def test_work_not_done_by_a_record_ending_on_the_due_day_is_late_by_zero_working_days(
    calendar: WorkingCalendar,
) -> None:
    """Found by the OMI property: a PPO licence released on Saturday 15 March 2008 is due
    on Tuesday 25 March (5 working days, Easter Monday 24 March a holiday); the record
    ends on 25 March with the OASys not done. Evaluated later, the scalar rule says not
    met, 0 working days late; the kernel once said 0 calendar days."""
    case = make_case(
        reference="EDGE-1",
        as_of=dt.date(2008, 3, 25),
        sentence={"kind": "licence", "sentenced_on": "2005-09-12", "custodial_months": 26,
                  "released_on": "2008-03-15"},
        tiers=[{"tier": 1, "on": "2008-03-15"}],
        offender={"ppo": [{"start": "2004-09-13", "end": None}]},
    )  # fmt: skip
    _check([case], ruleset("national-standards-2007"), "NS07.oasys-ppo", dt.date(2009, 7, 6),
           calendar)  # fmt: skip
    finding = evaluate([case], ruleset("national-standards-2007").only(["NS07.oasys-ppo"]),
                       as_of=dt.date(2009, 7, 6), calendar=calendar)[0]  # fmt: skip
    assert (finding.due, finding.late_by, finding.late_unit) == (
        dt.date(2008, 3, 25),
        0,
        "working days",
    )


#: Every rule over a case's requirements, with a rule set that has it.
REQUIREMENT_RULES = [
    ("nps-2007-08", "TGT.upw-completion"),
    ("nps-2007-08", "TGT.programme-completion-general"),
    ("nps-2007-08", "TGT.programme-completion-sex-offender"),
    ("rom-east-of-england-2007-08", "TGT.programme-completion-domestic-violence"),
    ("nps-2007-08", "TGT.drr-retention"),
    ("nps-2005-06", "TGT.programme-completion"),
    ("nps-2005-06", "TGT.programme-start"),
    ("nps-2005-06", "TGT.programme-completion-after-start"),
    ("nps-2005-06", "TGT.drr-commencement"),
    ("nps-2005-06", "TGT.drr-completion"),
]


@pytest.mark.parametrize(("name", "rule_id"), REQUIREMENT_RULES)
def test_requirements_alike_in_a_case_are_numbered_as_the_rules_number_them(
    calendar: WorkingCalendar, name: str, rule_id: str
) -> None:
    """Two requirements of a case that read the same are numbered (1), (2) among all of
    their kinds before a rule keeps some (the commenced, a category), as the rules'
    ``_labelled`` numbers them; the rest as generated cases have them."""
    order = {"kind": "community_order", "sentenced_on": "2007-05-01"}
    requirements = [
        {"kind": "drug_rehabilitation", "commenced_on": "2007-05-10",
         "retained_until": "2007-06-01"},
        {"kind": "drug_rehabilitation"},
        {"kind": "dtto", "commenced_on": "2007-05-20", "completed_on": "2008-01-10"},
        {"kind": "accredited_programme", "programme": "idap"},
        {"kind": "accredited_programme", "programme": "idap", "commenced_on": "2007-06-01"},
        {"kind": "accredited_programme", "commenced_on": "2007-06-01"},
        {"kind": "accredited_programme", "programme": "sotp", "programme_category": "general",
         "commenced_on": "2007-07-01", "completed_on": "2008-02-01"},
        {"kind": "accredited_programme"},
        {"kind": "unpaid_work", "hours": 100, "completed_on": "2008-01-01"},
        {"kind": "unpaid_work", "hours": 100},
    ]  # fmt: skip
    cases = [
        make_case(reference="REQ-1", as_of=dt.date(2008, 3, 31),
                  sentence={**order, "requirements": requirements}),
        make_case(reference="REQ-2", as_of=dt.date(2008, 3, 31),
                  sentence={**order, "requirements": requirements[::-1],
                            "termination": {"on": "2007-08-01", "reason": "revoked_breach"}}),
    ]  # fmt: skip
    answered = _check(cases, ruleset(name), rule_id, dt.date(2008, 3, 31), calendar)
    assert any(unit is not None and unit.endswith("(2)") for unit in answered.unit)


@pytest.mark.parametrize("rule_id", ["TGT.appointment-attended", "TGT.appointment-arranged"])
def test_appointments_with_acceptable_absences_left_out_agree_with_the_scalar_rule(
    witnesses: list[Case], generated: list[Case], calendar: WorkingCalendar, rule_id: str
) -> None:
    """With ``acceptable_absence="exclude"`` an acceptable absence is out of scope, on
    columns as in the rule, and its words are the rule's (``rules.attended_verdict``)."""
    cases = [*witnesses, *generated]
    rules = ruleset("nps-2005-06")
    options = {"acceptable_absence": "exclude"}
    as_of = dt.date(2009, 3, 31)
    answered = _check(cases, rules, rule_id, as_of, calendar, options=options)
    scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar,
                      options=options)  # fmt: skip
    reasons, evidence, _, _ = answered.explained()
    assert reasons == [finding.reason for finding in scalar]
    assert evidence == [finding.evidence for finding in scalar]
    if rule_id == "TGT.appointment-attended":
        assert any("left out" in reason for reason in reasons)


@given(units=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=12))
def test_units_numbered_by_their_days_as_by_their_labels(units: list[tuple[int, int]]) -> None:
    """``numbered`` told each unit's day (its label says no more) numbers the units as it
    does from the labels alone: ``(1)``, ``(2)`` where two of a case fall on one day."""
    ordered = sorted(units, key=lambda unit: unit[0])  # (in case order, as the tables are)
    owner = np.asarray([case for case, _ in ordered], dtype=np.intp)
    days = np.asarray([day for _, day in ordered], dtype=np.int64)
    texts = [f"Appointment of day {day}" for _, day in ordered]
    assert numbered(owner, texts, days) == numbered(owner, texts)


#: Case-level target rules whose counted cases a kernel words by the rule's own verdict
#: of their facts (``rules.accommodation_at_end_verdict`` and the rest), by target set.
WORDED_TARGETS = (
    ("nps-2007-08", "TGT.case"),
    ("nps-2007-08", "TGT.successful-completion"),
    ("nps-2005-06", "TGT.compliance"),
    ("rom-east-of-england-2007-08", "TGT.accommodation-at-end"),
    ("rom-east-of-england-2007-08", "TGT.six-months-without-breach"),
    ("nps-2005-06", "TGT.accommodation-change"),
    # rules over units, worded unit by unit (casework.columnar.targets.UNIT_WORDS)
    ("nps-2005-06", "TGT.breach-resolution"),
    ("nps-2005-06", "TGT.breach-action"),
    ("nps-2005-06", "TGT.appointment-attended"),
    ("nps-2005-06", "TGT.appointment-arranged"),
    ("nps-2005-06", "TGT.psr-delivery"),
    ("nps-2005-06", "TGT.victim-contact"),
    *REQUIREMENT_RULES,
    ("nps-2007-08", "TGT.employment-sustained"),
    ("nps-2005-06", "TGT.employment-or-training-sustained"),
)
#: Rules whose own words say "not yet due" (a deadline, the six-month point, an order or
#: licence counted when it ends still running).
NOT_YET_DUE_WORDED = frozenset(
    {
        "TGT.successful-completion",
        "TGT.compliance",
        "TGT.accommodation-at-end",
        "TGT.accommodation-change",
        "TGT.six-months-without-breach",
        *(rule_id for _, rule_id in REQUIREMENT_RULES),
        "TGT.employment-sustained",
        "TGT.employment-or-training-sustained",
        "TGT.breach-resolution",
        "TGT.breach-action",
        "TGT.psr-delivery",
        "TGT.victim-contact",
    }
)


#: Each worded target rule at two days: its rule set, its id and the day.
WORDED_TARGET_DAYS = [
    (*target, day)
    for target in WORDED_TARGETS
    for day in (dt.date(2008, 3, 31), dt.date(2009, 3, 31))
]


@pytest.mark.parametrize(
    "asked", WORDED_TARGET_DAYS, ids=[f"{rule_id}@{day}" for _, rule_id, day in WORDED_TARGET_DAYS]
)
def test_target_rules_are_worded_by_their_verdicts_without_asking_the_rule(
    witnesses: list[Case],
    generated: list[Case],
    calendar: WorkingCalendar,
    monkeypatch: pytest.MonkeyPatch,
    asked: tuple[str, str, dt.date],
) -> None:
    """Words equal the scalar rule's (trigger labels too), and every decided answer of a
    case or unit the kernel counts (met, not met, cannot assess, and not yet due where the
    body says it) is worded without asking the rule."""
    name, rule_id, as_of = asked
    cases = [*witnesses, *generated]
    rules = ruleset(name)
    answered = _check(cases, rules, rule_id, as_of, calendar)
    left: list[int] = []
    scalar_rule = RuleColumns._by_scalar_rule

    def spy(self: RuleColumns, chosen: npt.NDArray[np.intp], *rest: Any) -> None:
        left.extend(chosen.tolist())
        scalar_rule(self, chosen, *rest)

    monkeypatch.setattr(RuleColumns, "_by_scalar_rule", spy)
    reasons, evidence, labels, _ = answered.explained()
    scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar)
    assert reasons == [finding.reason for finding in scalar]
    assert evidence == [finding.evidence for finding in scalar]
    assert labels == [finding.trigger_label for finding in scalar]
    decided = {Basis.COMPUTED, Basis.MISSING_DATA, Basis.DESCRIPTIVE}
    if rule_id in NOT_YET_DUE_WORDED:
        decided.add(Basis.NOT_YET_DUE)  # (a running order's "not yet due" is the body's)
    bases = answered.bases()
    worded = [i for i, basis in enumerate(bases) if basis in decided]
    assert worded, rule_id  # the cases reach the rule's own words
    assert not [i for i in left if bases[i] in decided], rule_id
