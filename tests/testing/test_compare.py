"""compare(): which cases change outcome on which questions, and how figures move."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from fractions import Fraction

import pytest

from casework import WorkingCalendar, compare
from casework.compare import FigureChange, FigureValue, match_after_prefix
from casework.model import Case
from casework.rules import Context, Findings, Outcome, met, not_met, rule, ruleset
from casework.rules.ruleset import build_ruleset
from casework.testing import make_cases, oasys

D = dt.date
AS_OF = D(2007, 10, 15)
NS07 = "national-standards-2007"
TIER13 = "NS07.oasys-tier1-3"


def _sample() -> list[Case]:
    """Tier 2 orders sentenced Friday 1 June 2007 (10 working days: 15 June; 15: 22 June)."""
    done = ["2007-06-08", "2007-06-15", "2007-06-18", "2007-06-22", "2007-06-25", None]
    return make_cases(
        *(
            {"assessments": [oasys(day, missing=["full_analysis", "rmp"])] if day else []}
            for day in done
        ),
        {"tiers": [{"tier": 4, "on": "2007-06-01"}], "assessments": [oasys("2007-06-18")]},
    )


def _met_share(findings: Findings) -> Mapping[str, FigureValue]:
    """Per rule: met / (met + not met); None where no case is in scope."""
    shares: dict[str, FigureValue] = {}
    for rule_id in dict.fromkeys(f.rule_id for f in findings):
        counts = findings.where(rule=rule_id).counts()
        scored = counts[Outcome.MET] + counts[Outcome.NOT_MET]
        shares[rule_id] = Fraction(counts[Outcome.MET], scored) if scored else None
    return shares


def test_ten_working_days_instead_of_fifteen(calendar: WorkingCalendar) -> None:
    variant = ruleset(NS07).derive("ns07-ten", parameters={"oasys_tier1to3_limit": 10})
    diff = compare(
        _sample(),
        NS07,
        variant,
        as_of=AS_OF,
        calendar=calendar,
        figures={"met share": _met_share},
    )
    # by hand: done on 18 June and 22 June are within 15 working days but not 10;
    # 8 and 15 June are within both; 25 June and never are late under both; T-0007 is Tier 4
    assert diff.changed_cases() == ("T-0003", "T-0004")
    assert {(c.case_ref, c.key) for c in diff.changes} == {("T-0003", TIER13), ("T-0004", TIER13)}
    change = diff.where(case="T-0003")[0]
    assert (change.before_outcome, change.after_outcome) == (Outcome.MET, Outcome.NOT_MET)
    assert change.before is not None
    assert change.after is not None
    assert "on or before the due date of 22 June 2007" in change.before.reason
    assert "1 working day after it was due on 15 June 2007" in change.after.reason
    summary = {s.key: s for s in diff.rules}
    assert summary[TIER13].transitions == {(Outcome.MET, Outcome.NOT_MET): 2}
    assert summary[TIER13].before == {Outcome.MET: 4, Outcome.NOT_MET: 2, Outcome.NOT_APPLICABLE: 1}
    assert summary[TIER13].after == {Outcome.MET: 2, Outcome.NOT_MET: 4, Outcome.NOT_APPLICABLE: 1}
    assert [s.changed for s in diff.rules] == [0, 0, 2]
    assert diff.changed_figures() == (
        FigureChange("met share", TIER13, Fraction(4, 6), Fraction(2, 6)),
    )
    assert diff.changed_figures()[0].delta == Fraction(-1, 3)
    assert diff.variant_changes == ("oasys_tier1to3_limit: 15 working days -> 10 working days",)
    assert len(diff.baseline_findings) == len(diff.variant_findings) == 7 * 3


def test_the_report_in_words_and_as_json(calendar: WorkingCalendar) -> None:
    variant = ruleset(NS07).derive("ns07-ten", parameters={"oasys_tier1to3_limit": 10})
    diff = compare(
        _sample(), NS07, variant, as_of=AS_OF, calendar=calendar, figures={"share": _met_share}
    )
    text = diff.to_text()
    assert text.startswith(
        "Comparison: national-standards-2007@0.1 (baseline) -> ns07-ten@0.1 (variant)\n"
        "As of 15 October 2007; 7 cases compared.\n"
        "  variant: oasys_tier1to3_limit: 15 working days -> 10 working days\n"
        "2 cases of 7 changed outcome on 1 question (2 changes).\n"
    )
    assert "  NS07.oasys-tier1-3     2 changed  met 4->2, not met 2->4, n/a 1->1\n" in text
    assert (
        "  T-0004  NS07.oasys-tier1-3: met -> not met\n    baseline: OASys completed on 22 June"
        in text
    )
    assert "  share: NS07.oasys-tier1-3  0.67 -> 0.33 (-0.33)\n" in text
    assert "NS07.oasys-ppo" not in text  # unchanged questions are left out unless asked for
    assert "NS07.oasys-ppo" in diff.to_text(unchanged=True)
    plain = json.loads(json.dumps(diff.to_dict()))
    assert plain["changed_cases"] == ["T-0003", "T-0004"]
    assert plain["changes"][0] == {
        "case_ref": "T-0003",
        "question": TIER13,
        "baseline": {
            "rule_id": TIER13,
            "outcome": "met",
            "basis": "computed",
            "reason": diff.changes[0].before.reason,  # type: ignore[union-attr]
        },
        "variant": {
            "rule_id": TIER13,
            "outcome": "not_met",
            "basis": "computed",
            "reason": diff.changes[0].after.reason,  # type: ignore[union-attr]
        },
    }
    question = next(q for q in plain["questions"] if q["question"] == TIER13)
    assert question["transitions"] == [{"from": "met", "to": "not_met", "cases": 2}]
    assert question["baseline"] == {"met": 4, "not_met": 2, "not_applicable": 1, "cannot_assess": 0}
    tier13_share = next(f for f in plain["figures"] if f["name"] == TIER13)
    assert tier13_share == {
        "group": "share",
        "name": TIER13,
        "baseline": "2/3",
        "variant": "1/3",
        "delta": "-1/3",
        "changed": True,
    }


@rule("T.even", question="Even?", source="004:401", kind="quality")
def even(case: Case, ctx: Context) -> object:
    number = int(case.reference[-1])
    return met("Even.") if number % 2 == 0 else not_met("Odd.")


@rule("T.always", question="Always?", source="004:401", kind="quality")
def always(case: Case, ctx: Context) -> object:
    return met("Always.")


@rule("U.even", question="Even (renamed)?", source="004:401", kind="quality")
def even_renamed(case: Case, ctx: Context) -> object:
    return met("Everything passes now.")


def _custom(name: str, *rules: object) -> object:
    return build_ruleset(
        name=name, version="1", title=name, family="test", rules=rules, in_force_from=D(2005, 4, 1)
    )


def test_questions_asked_by_one_set_only(calendar: WorkingCalendar) -> None:
    baseline = _custom("base", even, always)
    variant = _custom("variant", even)
    cases = make_cases({}, {}, {})
    diff = compare(cases, baseline, variant, as_of=AS_OF, calendar=calendar)  # type: ignore[arg-type]
    assert diff.changed_cases() == ("T-0001", "T-0002", "T-0003")
    assert {c.key for c in diff.changes} == {"T.always"}
    assert all(c.after is None and c.after_outcome is None for c in diff.changes)
    summary = {s.key: s for s in diff.rules}
    assert (summary["T.always"].baseline_rule, summary["T.always"].variant_rule) == (
        "T.always",
        None,
    )
    assert summary["T.always"].transitions == {(Outcome.MET, None): 3}
    assert "T-0001  T.always: met -> not asked" in diff.to_text()


def test_match_pairs_questions_asked_under_different_ids(calendar: WorkingCalendar) -> None:
    baseline = _custom("base", even)
    variant = _custom("variant", even_renamed)
    cases = make_cases({}, {}, {})
    unpaired = compare(cases, baseline, variant, as_of=AS_OF, calendar=calendar)  # type: ignore[arg-type]
    assert len(unpaired.changes) == 6  # every case loses T.even and gains U.even
    paired = compare(
        cases,
        baseline,  # type: ignore[arg-type]
        variant,  # type: ignore[arg-type]
        as_of=AS_OF,
        calendar=calendar,
        match=match_after_prefix,
    )
    assert paired.changed_cases() == ("T-0001", "T-0003")  # the odd ones now pass
    assert {c.key for c in paired.changes} == {"even"}
    by_mapping = compare(
        cases,
        baseline,  # type: ignore[arg-type]
        variant,  # type: ignore[arg-type]
        as_of=AS_OF,
        calendar=calendar,
        match={"U.even": "T.even"},
    )
    assert [c.case_ref for c in by_mapping.changes] == ["T-0001", "T-0003"]
    assert by_mapping.rules[0].variant_rule == "U.even"


def test_cases_need_distinct_references_and_questions_distinct_keys(
    calendar: WorkingCalendar,
) -> None:
    cases = make_cases({}, {})
    with pytest.raises(ValueError, match="'T-0001' appears twice"):
        compare([cases[0], cases[0]], NS07, NS07, as_of=AS_OF, calendar=calendar)
    with pytest.raises(ValueError, match="both match question 'same'"):
        compare(cases, NS07, NS07, as_of=AS_OF, calendar=calendar, match=lambda r: "same")


def test_no_change_when_nothing_changed(calendar: WorkingCalendar) -> None:
    diff = compare(_sample(), NS07, NS07, as_of=AS_OF, calendar=calendar, figures={"s": _met_share})
    assert diff.changes == ()
    assert diff.changed_figures() == ()
    assert "0 cases of 7 changed outcome on 0 questions (0 changes)." in diff.to_text()
    assert "No figure moved (3 figures compared)." in diff.to_text()
