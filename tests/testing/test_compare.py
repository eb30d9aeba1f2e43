"""compare(): which cases change outcome on which questions, and how figures move."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from fractions import Fraction

import attrs
import pytest

from casework import WorkingCalendar, compare
from casework.compare import FigureChange, FigureValue, match_after_prefix
from casework.model import Case
from casework.rules import Context, Findings, Outcome, met, not_met, rule, ruleset
from casework.rules.ruleset import build_ruleset
from casework.testing import make_cases, oasys, review

D = dt.date
AS_OF = D(2007, 10, 15)
NS07 = "national-standards-2007"
TIER13 = "NS07.oasys-tier1-3"
NS07_LABEL, NS07_VERSION = ruleset(NS07).label, ruleset(NS07).version


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
    assert {s.key: s.changed for s in diff.rules if s.changed} == {TIER13: 2}
    assert len(diff.rules) == len(ruleset(NS07).rules)
    assert diff.changed_figures() == (
        FigureChange("met share", TIER13, Fraction(4, 6), Fraction(2, 6)),
    )
    assert diff.changed_figures()[0].delta == Fraction(-1, 3)
    assert diff.variant_changes == ("oasys_tier1to3_limit: 15 working days -> 10 working days",)
    assert len(diff.baseline_findings) == len(diff.variant_findings) == 7 * len(ruleset(NS07))


def test_the_report_in_words_and_as_json(calendar: WorkingCalendar) -> None:
    variant = ruleset(NS07).derive("ns07-ten", parameters={"oasys_tier1to3_limit": 10})
    diff = compare(
        _sample(), NS07, variant, as_of=AS_OF, calendar=calendar, figures={"share": _met_share}
    )
    text = diff.to_text()
    assert text.startswith(
        f"Comparison: {NS07_LABEL} (baseline) -> ns07-ten@{NS07_VERSION} (variant)\n"
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
        "unit": None,
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
        "noise": None,  # a scorer of its own gives no interval of the change
        "beyond_noise": None,
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
    assert f"No figure moved ({len(ruleset(NS07))} figures compared)." in diff.to_text()


# ------------------------------------------------ National Standards 2005 -> 2007: RoH reviews

#: Community orders sentenced Monday 2 July 2007, RoH assessed at the start, then reviewed twice:
#: (reference, RoH level, start assessment, first review, second review), read on 30 April 2008.
#: 2005: every interval from the start assessment at most 16 weeks (112 days), 002:879.
#: 2007: every interval from the first review at most 4 calendar months, 004:515.
REVIEWS = [
    ("R-01", "high", "2007-07-06", "2007-10-14", "2008-02-03"),  # 100, 112 days: both on time
    ("R-02", "high", "2007-07-06", "2007-10-14", "2008-02-04"),  # 113 days: late only in 2005
    ("R-03", "high", "2007-07-06", "2007-10-14", "2008-02-14"),  # 4 months to the day: 2005 late
    ("R-04", "high", "2007-07-06", "2007-10-14", "2008-02-15"),  # 4 months and a day: late in both
    ("R-05", "very_high", "2007-07-06", "2007-10-29", "2008-01-27"),  # first gap 115 days: 2005
    ("R-06", "medium", "2007-07-06", "2007-10-14", "2008-01-12"),  # not high RoH: only 2007 asks
    ("R-07", "high", "2007-07-13", "2007-10-31", "2008-02-29"),  # 31 Oct + 4 months = 29 Feb
    ("R-08", "high", "2007-07-13", "2007-10-31", "2008-03-01"),  # a day after that: late in both
    ("R-09", "high", "2007-07-06", None, None),  # never reviewed: late in both
]
REVIEWS_AS_OF = D(2008, 4, 30)


def _review_sample() -> list[Case]:
    cases = []
    for ref, level, start, first, second in REVIEWS:
        assessments = [oasys(start)]
        if first:
            assessments.append(review("A1", first, id="R1"))
        if second:
            assessments.append(review("R1", second, id="R2"))
        cases.append(
            make_cases(
                {
                    "reference": ref,
                    "as_of": REVIEWS_AS_OF,
                    "sentence": {"sentenced_on": "2007-07-02"},
                    "tiers": [{"tier": 2, "on": "2007-07-02"}],
                    "roh": [{"level": level, "on": "2007-07-02"}],
                    "assessments": assessments,
                }
            )[0]
        )
    return cases


def test_2005_to_2007_review_timeliness_changes_exactly_where_the_gaps_say(
    calendar: WorkingCalendar,
) -> None:
    # what each version's arithmetic says of the same cases, without holding either to the
    # days its clocks started (tests/time holds them to it)
    diff = compare(
        _review_sample(),
        attrs.evolve(ruleset("national-standards-2005"), by_clock=False),
        attrs.evolve(ruleset("national-standards-2007"), by_clock=False),
        as_of=REVIEWS_AS_OF,
        calendar=calendar,
        match=match_after_prefix,
    )
    changes = diff.where(question="roh-review-interval")
    # by hand, from the table: have a gap over 112 days but within 4 months;
    # R-05's late interval is the one before the first review, which 2007 asks separately
    # (NS07.roh-review-first); R-06 is medium RoH, outside the 2005 question
    assert [c.case_ref for c in changes] == ["R-02", "R-03", "R-05", "R-06", "R-07"]
    assert {c.case_ref: (c.before_outcome, c.after_outcome) for c in changes} == {
        "R-02": (Outcome.NOT_MET, Outcome.MET),
        "R-03": (Outcome.NOT_MET, Outcome.MET),
        "R-05": (Outcome.NOT_MET, Outcome.MET),
        "R-06": (Outcome.NOT_APPLICABLE, Outcome.MET),
        "R-07": (Outcome.NOT_MET, Outcome.MET),
    }
    r07 = changes[-1]
    assert r07.before is not None
    assert r07.after is not None
    assert "RoH reviewed on 29 February 2008, 9 days after it was due on 20 February 2008" in (
        r07.before.reason
    )
    assert "on or before the due date of 29 February 2008 (4 months after" in r07.after.reason
    (summary,) = [s for s in diff.rules if s.key == "roh-review-interval"]
    assert (summary.baseline_rule, summary.variant_rule) == (
        "NS05.roh-review-interval",
        "NS07.roh-review-interval",
    )
    assert summary.transitions == {
        (Outcome.NOT_MET, Outcome.MET): 4,
        (Outcome.NOT_APPLICABLE, Outcome.MET): 1,
    }
    assert summary.before == {Outcome.MET: 1, Outcome.NOT_MET: 7, Outcome.NOT_APPLICABLE: 1}
    assert summary.after == {Outcome.MET: 6, Outcome.NOT_MET: 3}


# ------------------------------------------------ figures: inspection scores and target performance

#: Community orders sentenced Friday 1 June 2007, each with one unacceptable failure to comply
#: on Monday 2 July 2007 and breach action taken and the breach resolved some working days later.
#: 2 July + 5 working days = 9 July; + 10 = 16 July; + 20 = 30 July; + 25 = 6 August.
BREACHES = [  # reference, action taken, resolved
    ("B-01", "2007-07-05", "2007-07-20"),  # 3 and 14 working days
    ("B-02", "2007-07-11", "2007-07-27"),  # 7 and 19
    ("B-03", "2007-07-13", "2007-08-02"),  # 9 and 23
    ("B-04", "2007-07-18", "2007-08-10"),  # 12 and 29
]


def _breach_sample() -> list[Case]:
    return make_cases(
        *(
            {
                "reference": ref,
                "breaches": [{"failed_on": "2007-07-02", "action_on": action, "resolved_on": done}],
            }
            for ref, action, done in BREACHES
        )
    )


def test_inspection_scores_move_with_the_rule(calendar: WorkingCalendar) -> None:
    from casework import score_inspection
    from casework.compare import inspection_figures

    variant = ruleset("omi-2007").derive("omi-five-days", parameters={"omi_breach_action_limit": 5})
    diff = compare(
        _breach_sample(),
        "omi-2007",
        variant,
        as_of=AS_OF,
        calendar=calendar,
        figures={"inspection": inspection_figures()},
    )
    # by hand: within 10 working days B-01, B-02, B-03 (3 of 4); within 5, only B-01 (1 of 4)
    assert [(c.case_ref, c.key) for c in diff.changes] == [("B-02", "2.4.g"), ("B-03", "2.4.g")]
    moved = {f.name: (f.before, f.after) for f in diff.changed_figures()}
    assert moved["question 2.4.g"] == (Fraction(3, 4), Fraction(1, 4))
    before = score_inspection(diff.baseline_findings).criterion("2.4")
    after = score_inspection(diff.variant_findings).criterion("2.4")
    assert before.score != after.score
    assert moved["criterion 2.4"] == (before.score, after.score)
    assert {name for name in moved if not name.startswith("question")} <= {
        "criterion 2.4",
        "criterion 2.4 conclusion",
        "section 2",
        "RoH thread",
    }
    assert "inspection: question 2.4.g  0.75 -> 0.25 (-0.50)" in diff.to_text()


def test_target_figures_and_verdicts_move_with_the_rule(calendar: WorkingCalendar) -> None:
    from casework import Period
    from casework.compare import target_figures

    variant = ruleset("nps-2007-08").derive(
        "nps-20-days", parameters={"breach_resolution_limit": "20 working days"}
    )
    diff = compare(
        _breach_sample(),
        "nps-2007-08",
        variant,
        as_of=AS_OF,
        calendar=calendar,
        figures={"targets": target_figures("nps-2007-08", period=Period.financial_year(2007))},
    )
    # by hand: resolved within 25 working days B-01, B-02, B-03; within 20, B-01 and B-02
    (change,) = diff.changes
    assert (change.case_ref, change.key, change.unit) == (
        "B-03",
        "TGT.breach-resolution",
        "Breach of 2 July 2007",
    )
    moved = {f.name: (f.before, f.after) for f in diff.changed_figures()}
    assert moved["N05"] == (Fraction(3, 4), Fraction(2, 4))
    assert moved["N05 status"] == ("met", "not_met")  # the 2007-08 target is 60%
    assert "N04" not in moved  # the mean working days to resolve does not depend on the limit
