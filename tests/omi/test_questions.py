"""How each kind of inspection question is answered for one case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import (
    Basis,
    Context,
    Finding,
    Outcome,
    RuleDefinitionError,
    RuleError,
    evaluate,
    ruleset,
    verdict_for,
)
from casework.rules.omi2007 import question
from casework.testing import make_case

AS_OF = dt.date(2007, 10, 15)


def _finding(calendar: WorkingCalendar, case: Case, rule_id: str, **options: Any) -> Finding:
    omi = ruleset("omi-2007")
    rules = omi.rule(rule_id)
    subset = type(omi)(
        name=omi.name,
        version=omi.version,
        title=omi.title,
        family=omi.family,
        rules=(rules,),
        parameters=omi.parameters,
        in_force_from=omi.in_force_from,
    )
    found = evaluate(case, subset, as_of=AS_OF, calendar=calendar, options=options)
    return found.get(case.reference, rule_id)


def _answers(**answers: str) -> dict[str, Any]:
    return {"judgements": {"answers": {k.replace("_", "."): v for k, v in answers.items()}}}


@pytest.mark.parametrize(
    ("answer", "outcome", "basis"),
    [
        ("yes", Outcome.MET, Basis.JUDGED),
        ("no", Outcome.NOT_MET, Basis.JUDGED),
        ("not_evidenced", Outcome.NOT_MET, Basis.JUDGED),
        ("not_applicable", Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
    ],
)
def test_judged_question_reads_the_inspectors_answer(
    calendar: WorkingCalendar, answer: str, outcome: Outcome, basis: Basis
) -> None:
    case = make_case(**_answers(**{"1_4_b": answer}))
    finding = _finding(calendar, case, "1.4.b")
    assert (finding.outcome, finding.basis) == (outcome, basis)
    assert finding.evidence[0].value == answer


def test_applicable_question_left_unanswered_is_not_scored(calendar: WorkingCalendar) -> None:
    finding = _finding(calendar, make_case(), "1.4.b")
    assert finding.outcome is Outcome.CANNOT_ASSESS
    assert finding.basis is Basis.UNANSWERED


def test_population_comes_from_case_facts(calendar: WorkingCalendar) -> None:
    low = make_case(roh=[{"level": "low", "on": "2007-06-01"}], **_answers(**{"1_2_g": "yes"}))
    high = make_case(roh=[{"level": "very_high", "on": "2007-06-01"}])
    assert _finding(calendar, low, "1.2.g").outcome is Outcome.NOT_APPLICABLE
    assert _finding(calendar, high, "1.2.g").basis is Basis.UNANSWERED
    no_roh = _finding(calendar, make_case(), "1.2.g")
    assert (no_roh.outcome, no_roh.basis) == (Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)


@pytest.mark.parametrize(
    ("prior", "outcome", "basis"),
    [
        (None, Outcome.CANNOT_ASSESS, Basis.MISSING_DATA),
        ("no", Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
        ("yes", Outcome.CANNOT_ASSESS, Basis.UNANSWERED),
    ],
)
def test_population_may_depend_on_another_answer(
    calendar: WorkingCalendar, prior: str | None, outcome: Outcome, basis: Basis
) -> None:
    answers = {} if prior is None else {"1_1_f": prior}
    case = make_case(
        psr={"kind": "standard_delivery", "requested_on": "2007-05-01"}, **_answers(**answers)
    )
    finding = _finding(calendar, case, "1.1.g")
    assert (finding.outcome, finding.basis) == (outcome, basis)


def _breach(action_on: str) -> dict[str, Any]:
    # failure on Monday 2 July 2007: ten working days -> Monday 16 July 2007
    return {"breaches": [{"failed_on": "2007-07-02", "action_on": action_on}]}


@pytest.mark.parametrize(
    ("action_on", "outcome"),
    [("2007-07-16", Outcome.MET), ("2007-07-17", Outcome.NOT_MET)],
)
def test_computed_question_reuses_a_rule_with_the_reports_limit(
    calendar: WorkingCalendar, action_on: str, outcome: Outcome
) -> None:
    finding = _finding(calendar, make_case(**_breach(action_on)), "2.4.g")
    assert (finding.outcome, finding.basis) == (outcome, Basis.COMPUTED)
    evidence = {item.label: item for item in finding.evidence}
    assert evidence["computed by"].value == "NS07.breach-action"
    assert evidence["time limit"].value == "10 working days"
    assert evidence["time limit"].source == "004:760"


def test_computed_questions_run_the_national_standards_rules_themselves() -> None:
    standards = ruleset("national-standards-2007")
    omi = ruleset("omi-2007")
    for question_id, rule_id in {
        "1.1.e": "NS07.psr-delivery",
        "1.2.w": "NS07.rmp-before-release",
        "1.3.f": "NS07.oasys-ppo",
        "2.1.v": "NS07.transfer-first-appointment",
        "2.2.d": "NS07.roh-review-first",
        "2.2.w": "NS07.home-visit-high-roh",
        "2.3.a": "NS07.victim-contact",
        "2.4.g": "NS07.breach-action",
    }.items():
        computation = question(question_id).computation
        assert computation is not None, question_id
        assert computation.rule is standards.rule(rule_id), question_id
        assert computation.rule.check is standards.rule(rule_id).check
        assert set(omi.rule(question_id).parameters) == set(computation.reads)


def test_computed_answer_stands_against_a_disagreeing_inspector(calendar: WorkingCalendar) -> None:
    case = make_case(**_breach("2007-07-20"), **_answers(**{"2_4_g": "yes"}))
    finding = _finding(calendar, case, "2.4.g")
    assert finding.outcome is Outcome.NOT_MET
    assert "The inspector recorded yes" in finding.reason
    assert finding.evidence[-1].label == "inspector's answer"
    first = _finding(calendar, case, "2.4.g", computed_answers="judgement_first")
    assert (first.outcome, first.basis) == (Outcome.MET, Basis.JUDGED)


def test_computed_question_falls_back_to_the_inspector_when_facts_are_missing(
    calendar: WorkingCalendar,
) -> None:
    psr = {"psr": {"kind": "fast_delivery", "requested_on": "2007-05-01"}}
    unanswered = _finding(calendar, make_case(**psr), "1.1.e")
    assert (unanswered.outcome, unanswered.basis) == (Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    case = make_case(**psr, **_answers(**{"1_1_e": "yes"}))
    fallback = _finding(calendar, case, "1.1.e")
    assert (fallback.outcome, fallback.basis) == (Outcome.MET, Basis.JUDGED)
    assert fallback.reason.startswith("Cannot assess: no due date")
    assert fallback.reason.endswith("The inspector's answer (yes) is used instead.")
    strict = _finding(calendar, case, "1.1.e", computed_answers="compute")
    assert strict.outcome is Outcome.CANNOT_ASSESS


def test_unknown_option_value_is_a_rule_error(calendar: WorkingCalendar) -> None:
    with pytest.raises(RuleError, match="computed_answers"):
        _finding(calendar, make_case(**_breach("2007-07-16")), "2.4.g", computed_answers="guess")


def _victim(contacted_on: str) -> dict[str, Any]:
    return {
        "sentence": {"kind": "custody", "sentenced_on": "2007-06-01", "custodial_months": 24},
        "victims": [{"id": "V1", "statutory": True, "contacted_on": contacted_on}],
    }


@pytest.mark.parametrize(
    ("contacted_on", "outcome"),
    # sentence Friday 1 June 2007; 40 working days -> Friday 27 July 2007
    [("2007-07-27", Outcome.MET), ("2007-07-30", Outcome.NOT_MET)],
)
def test_victim_contact_reads_forty_working_days(
    calendar: WorkingCalendar, contacted_on: str, outcome: Outcome
) -> None:
    finding = _finding(calendar, make_case(**_victim(contacted_on)), "2.3.a")
    assert finding.outcome is outcome
    limit = next(item for item in finding.evidence if item.label == "time limit")
    assert (limit.value, limit.source) == ("40 working days", "decision:omi-victim-contact-days")


def test_the_inspections_own_parameters_can_be_overridden(calendar: WorkingCalendar) -> None:
    omi = ruleset("omi-2007").with_parameters({"omi_victim_contact_limit": 30})
    case = make_case(**_victim("2007-07-27"))
    finding = evaluate(case, omi, as_of=AS_OF, calendar=calendar).get(case.reference, "2.3.a")
    assert finding.outcome is Outcome.NOT_MET
    assert "30 working days" in finding.reason


def test_ppo_oasys_question_is_the_national_standards_rule(calendar: WorkingCalendar) -> None:
    case = make_case(
        offender={"ppo": [{"start": "2007-01-01"}]},
        assessments=[
            {
                "id": "A1",
                "purpose": "start",
                "completed_on": "2007-06-08",
                "screening": {"completed_on": "2007-06-08", "full_analysis_required": False},
                "sentence_plan": {"completed_on": "2007-06-08"},
            }
        ],
    )
    finding = _finding(calendar, case, "1.3.f")
    assert finding.outcome is Outcome.MET
    evidence = {item.label: item for item in finding.evidence}
    assert evidence["computed by"].value == "NS07.oasys-ppo"
    assert evidence["time limit"].source == "004:401"


def test_descriptive_counts_come_from_facts_or_answers(calendar: WorkingCalendar) -> None:
    psr = {"psr": {"kind": "standard_delivery", "requested_on": "2007-05-01"}}
    proposed = make_case(psr={**psr["psr"], "proposal": "community_order"})
    finding = _finding(calendar, proposed, "1.1.b")
    assert (finding.outcome, finding.basis) == (Outcome.MET, Basis.DESCRIPTIVE)
    from_answer = make_case(**psr, **_answers(**{"1_1_b": "no"}))
    assert _finding(calendar, from_answer, "1.1.b").outcome is Outcome.NOT_MET
    none_met = make_case(**_answers(**{"1_5_l": "no", "1_5_m": "not_evidenced", "1_5_n": "no"}))
    assert _finding(calendar, none_met, "1.5.o").outcome is Outcome.MET
    one_met = make_case(**_answers(**{"1_5_l": "no", "1_5_m": "yes"}))
    assert _finding(calendar, one_met, "1.5.o").outcome is Outcome.NOT_MET


def test_area_level_items_are_never_asked_of_cases(calendar: WorkingCalendar) -> None:
    finding = _finding(calendar, make_case(**_answers(**{"2_4_z": "yes"})), "2.4.z")
    assert finding.outcome is Outcome.NOT_APPLICABLE


def test_findings_carry_the_question_group(calendar: WorkingCalendar) -> None:
    finding = _finding(calendar, make_case(**_answers(**{"2_4_s": "yes"})), "2.4.s")
    assert finding.group == "2.4.records"
    assert finding.to_dict()["group"] == "2.4.records"
    assert finding.criterion == "2.4"


# ---------------------------------------------------------------- summary questions

_SUMMARY_FACTS = {
    "roh": [{"level": "high", "on": "2007-06-01"}],
    "mappa": {"levels": [{"level": 2, "on": "2007-06-01"}]},
}


def _summary_case(answers: dict[str, str], summary: str | None = None) -> Case:
    judgements: dict[str, Any] = {"answers": answers}
    if summary is not None:
        judgements["summaries"] = {"1.2": summary}
    return make_case(**_SUMMARY_FACTS, judgements=judgements)


ALL_1_2 = dict.fromkeys(
    ("1.2.c", "1.2.e", "1.2.f", "1.2.g", "1.2.h", "1.2.i", "1.2.j", "1.2.l", "1.2.o", "1.2.x"),
    "yes",
) | {"1.2.m": "no"}


def test_summary_is_the_recorded_judgement(calendar: WorkingCalendar) -> None:
    recorded = _finding(calendar, _summary_case({}, "no"), "1.2.summary", derive_summaries="all")
    assert (recorded.outcome, recorded.basis) == (Outcome.NOT_MET, Basis.JUDGED)
    missing = _finding(calendar, _summary_case({}), "1.2.summary")
    assert (missing.outcome, missing.basis) == (Outcome.CANNOT_ASSESS, Basis.UNANSWERED)


def test_summary_derived_all_of_says_it_was_derived(calendar: WorkingCalendar) -> None:
    every = _finding(calendar, _summary_case(ALL_1_2), "1.2.summary", derive_summaries="all")
    assert (every.outcome, every.basis) == (Outcome.MET, Basis.DERIVED)
    assert every.reason.startswith("No summary judgement is recorded; derived (all)")
    one_no = _summary_case(ALL_1_2 | {"1.2.h": "no"})
    below = _finding(calendar, one_no, "1.2.summary", derive_summaries="all")
    assert (below.outcome, below.basis) == (Outcome.NOT_MET, Basis.DERIVED)
    assert {"label": "questions below the line", "value": "1.2.h", "source": None} in [
        item.to_dict() for item in below.evidence
    ]
    gap = _summary_case({k: v for k, v in ALL_1_2.items() if k != "1.2.j"})
    assert (
        _finding(calendar, gap, "1.2.summary", derive_summaries="all").outcome
        is Outcome.CANNOT_ASSESS
    )


def test_summary_derived_by_majority(calendar: WorkingCalendar) -> None:
    mostly = _summary_case(ALL_1_2 | {"1.2.h": "no", "1.2.i": "no"})
    assert (
        _finding(calendar, mostly, "1.2.summary", derive_summaries="majority").outcome
        is Outcome.MET
    )
    half = dict.fromkeys(ALL_1_2, "no") | {"1.2.c": "yes"}
    assert (
        _finding(calendar, _summary_case(half), "1.2.summary", derive_summaries="majority").outcome
        is Outcome.NOT_MET
    )


def test_unknown_derivation_is_a_rule_error(calendar: WorkingCalendar) -> None:
    with pytest.raises(RuleError, match="derive_summaries"):
        _finding(calendar, _summary_case({}), "1.2.summary", derive_summaries="most")


def test_verdict_for_refuses_a_rule_that_answers_per_unit(calendar: WorkingCalendar) -> None:
    per_unit = attrs.evolve(ruleset("omi-2007").rule("1.4.b"), units=lambda _case, _ctx: ())
    ctx = Context(as_of=AS_OF, calendar=calendar, parameters=ruleset("omi-2007").parameters)
    with pytest.raises(RuleDefinitionError, match="answers per unit"):
        verdict_for(make_case(), per_unit, ctx)
    whole = verdict_for(
        make_case(**_answers(**{"1_4_b": "yes"})), ruleset("omi-2007").rule("1.4.b"), ctx
    )
    assert whole.outcome is Outcome.MET
