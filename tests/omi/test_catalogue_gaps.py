"""The last gaps against seed 004 (issue 14): items added, figures, bases, wording, populations.

Each test names the line of seed 004 it reproduces; the readings are in
docs/decisions.md#omi-catalogue-gaps.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import Any

import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Outcome, RuleKind, evaluate
from casework.rules.omi2007 import QUESTIONS, question
from casework.rules.omi2007.question import Answering
from casework.testing import make_case, make_cases

AS_OF = dt.date(2007, 10, 15)

#: Items the reference's tables leave out, and how each is read (decision:omi-catalogue-gaps).
ADDED = {
    "1.2.z": (Answering.DESCRIPTIVE, "004:380"),  # licence cases with no RMP at all
    "1.4.k": (Answering.JUDGED, "004:417"),  # programme staff: attention span, accessibility
    "1.5.y": (Answering.AREA, "004:460"),  # programme times clashing with employment
    "2.1.z": (Answering.DESCRIPTIVE, "004:481"),  # moved while in custody
    "2.1.aa": (Answering.AREA, "004:491"),  # offender managers not working Saturdays
    "2.1.ab": (Answering.DESCRIPTIVE, "004:496"),  # transferred in
    "2.2.z": (Answering.JUDGED, "004:519"),  # linkage of MAPPA and plans
    "2.2.aa": (Answering.AREA, "004:519"),  # MAPPA Level 1 reviews
    "2.3.i": (Answering.DESCRIPTIVE, "004:535"),  # victim contact took place
    "2.5.m": (Answering.AREA, "004:596"),  # programme staffing gaps
    "2.5.n": (Answering.AREA, "004:596"),  # Saturday provision
    "2.6.j": (Answering.AREA, "004:614"),  # approved premises public protection
    "2.6.k": (Answering.DESCRIPTIVE, "004:618"),  # additional licence requirements used
    "3.2.g": (Answering.AREA, "004:688"),  # employability targets met
}


@pytest.mark.parametrize(("qid", "expected"), ADDED.items(), ids=list(ADDED))
def test_each_added_item_is_read_as_a_question_a_count_or_an_area_finding(
    qid: str, expected: tuple[Answering, str]
) -> None:
    answering, line = expected
    q = question(qid)
    assert (q.answering, q.source[0]) == (answering, line)
    assert q.scored is (answering is Answering.JUDGED)


def test_added_items_take_the_next_free_letter_so_existing_ids_are_unchanged() -> None:
    def letters(qid: str) -> tuple[int, str]:
        tail = qid.rsplit(".", 1)[1]
        return len(tail), tail

    for qid in ADDED:
        crit = question(qid).criterion
        older = [q.id for q in QUESTIONS if q.criterion == crit and q.id not in ADDED]
        assert letters(qid) > max(letters(other) for other in older), qid


@pytest.mark.parametrize(
    ("qid", "count"),
    [("3.1.a", 16), ("3.1.b", 4), ("2.1.ab", 6), ("2.6.k", 29)],  # 004:656, 496, 618
)
def test_counts_printed_without_a_base_are_recorded(qid: str, count: int) -> None:
    q = question(qid)
    assert (q.reported_count, q.reported_base, q.reported_rate) == (count, None, None)


@pytest.mark.parametrize(
    ("qid", "rate", "base"),
    [
        ("1.5.o", Fraction(17, 100), None),  # "In 17% of cases none of these", 004:453
        ("3.1.ab", Fraction(35, 100), None),  # "only 35% in 2006/2007", 004:673
        ("1.2.b", Fraction(82, 100), 90),  # "completed in 90 cases and of these 82%", 004:365
        ("1.2.e", Fraction(92, 100), 106),  # "Of the 106 cases inspected, 92%", 004:366
        ("1.2.z", Fraction(30, 33), 33),  # 33 licence cases, "not at all in three", 004:380
        ("2.1.z", Fraction(5, 10), 10),  # "Five of the ten custodial cases", 004:481
        ("2.3.i", Fraction(11, 20), 20),  # "In 11 cases where contact took place", 004:535
    ],
)
def test_printed_figures_and_bases_are_recorded(qid: str, rate: Fraction, base: int | None) -> None:
    q = question(qid)
    assert (q.reported_rate, q.reported_base) == (rate, base)


#: "Of all cases" (and "of cases overall") and the line it is printed on: the whole sample.
ALL_CASES = {
    "1.3.a": 394,  # "in 91% of all cases"
    "1.4.b": 413,  # "in 75% of all cases"
    "1.4.g": 422,  # "in only 51% of all cases"
    "1.5.x": 462,  # "not present in 42% of all cases"
    "3.1.g": 660,  # "achieved in 87% of all cases"
    "3.1.r": 669,  # "in 50% of cases overall"
}


def test_of_all_cases_is_the_whole_sample_every_time() -> None:
    sample = question("1.2.e").reported_base  # "Of the 106 cases inspected" (004:366)
    assert sample == 106
    for qid, line in ALL_CASES.items():
        q = question(qid)
        assert q.source[0] == f"004:{line}", qid
        assert q.reported_base == sample, qid
        assert "whole sample" in q.notes, qid


@pytest.mark.parametrize(
    ("qid", "lines"),
    [("1.2.w", ("004:378", "004:380")), ("1.5.c", ("004:440", "004:442"))],
)
def test_wrapped_items_cite_the_line_with_the_figure(qid: str, lines: tuple[str, ...]) -> None:
    assert question(qid).source == lines


def test_2_3_g_cites_the_line_its_figure_is_printed_on() -> None:
    # "In only one of four relevant cases in custody did the" (004:539) / "offender
    # supervisor promote victim safety from the prison" (004:541)
    assert question("2.3.g").source == ("004:539", "004:541")


def test_wording_follows_the_report() -> None:
    assert "accepted" in question("1.2.n").text  # "appropriate referrals and were accepted"
    assert "25 day national target timescale" in question("2.4.h").text  # 004:560
    assert "working" not in question("2.4.h").text
    assert "25 working days" in question("2.4.h").notes  # the reading, as a reading
    assert "absences" not in question("2.4.f").text  # "acceptability and unacceptability"
    assert "unacceptability" in question("2.4.f").text


def test_the_two_staff_groups_of_1_4_b_are_two_questions() -> None:
    # 004:417: "Accredited programme staff gave thought to offender attention spans and
    # accessibility of methods, and reported learning difficulties ... were picked up by
    # offender managers."
    manager, programme = question("1.4.e"), question("1.4.k")
    assert "offender manager" in manager.text
    assert "programme staff" not in manager.text
    assert "programme staff" in programme.text
    assert "attention" in programme.text
    assert manager.source == programme.source == ("004:417",)


def _evaluate(cases: list[Case], calendar: WorkingCalendar) -> dict[str, Counter[Outcome]]:
    found: dict[str, Counter[Outcome]] = {}
    for item in evaluate(cases, "omi-2007", as_of=AS_OF, calendar=calendar):
        found.setdefault(item.rule_id, Counter())[item.outcome] += 1
    return found


def _licence(reference: str, *assessments: dict[str, Any], level: str = "medium") -> dict[str, Any]:
    return {
        "reference": reference,
        "sentence": {
            "kind": "licence",
            "sentenced_on": "2006-01-05",
            "released_on": "2007-06-04",
        },
        "roh": [{"level": level, "on": "2007-05-21"}],
        "assessments": list(assessments),
    }


def _rmp(on: str) -> dict[str, Any]:
    return {
        "id": "A1",
        "purpose": "release",
        "completed_on": on,
        "screening": {"completed_on": on, "full_analysis_required": True},
        "full_analysis": {"completed_on": on},
        "rmp": {"completed_on": on},
    }


def test_licence_plans_reproduce_nine_of_33_before_release_and_three_never(
    calendar: WorkingCalendar,
) -> None:
    # 004:378-380: "Of 33 applicable licence cases, risk management plans were completed
    # prior to release in only nine cases, and not at all in three."
    before = [_licence(f"B-{n}", _rmp("2007-05-28")) for n in range(9)]
    after = [_licence(f"A-{n}", _rmp("2007-06-18")) for n in range(21)]
    never = [_licence(f"N-{n}") for n in range(3)]
    low = [_licence("L-1", level="low")]  # needs no plan (002:279): in neither count
    found = _evaluate([make_case(**facts) for facts in (*before, *after, *never, *low)], calendar)
    assert found["1.2.w"][Outcome.MET] == 9
    assert found["1.2.w"][Outcome.NOT_MET] == 24
    assert found["1.2.z"][Outcome.MET] == 30
    assert found["1.2.z"][Outcome.NOT_MET] == 3
    assert found["1.2.w"][Outcome.NOT_APPLICABLE] == found["1.2.z"][Outcome.NOT_APPLICABLE] == 1


def test_context_counts_come_from_the_record(calendar: WorkingCalendar) -> None:
    # 004:496 "Six cases had been transferred"; 004:618 "Additional licence requirements
    # were used in 29 cases"; 004:535 "In 11 cases where contact took place"
    transferred = {"transfer_in": {"from_area": "Elsewhere", "notified_on": "2007-06-11"}}
    licence = {"sentence": {"kind": "licence", "released_on": "2007-06-04"}}
    conditions = {
        "sentence": {
            "kind": "licence",
            "released_on": "2007-06-04",
            "licence_conditions": [{"kind": "curfew", "additional": True}],
        }
    }
    victim = {"victims": [{"id": "V1", "statutory": True, "contacted_on": "2007-07-02"}]}
    no_contact = {"victims": [{"id": "V1", "statutory": True}]}
    cases = make_cases(transferred, transferred, licence, conditions, victim, no_contact, {})
    found = _evaluate(cases, calendar)
    assert found["2.1.ab"][Outcome.MET] == 2
    assert found["2.1.ab"][Outcome.NOT_MET] == 5
    assert found["2.6.k"][Outcome.MET] == 1
    assert found["2.6.k"][Outcome.NOT_MET] == 1  # the licence without additional conditions
    assert found["2.3.i"][Outcome.MET] == 1
    assert found["2.3.i"][Outcome.NOT_MET] == 1
    for qid in ("2.1.ab", "2.6.k", "2.3.i"):
        assert question(qid).kind is RuleKind.DESCRIPTIVE


def test_2_2_c_asks_only_of_the_nine_roh_recalls(calendar: WorkingCalendar) -> None:
    # 004:510-511: "nine offenders had been recalled in relation to RoH issues ... In seven of
    # these cases, clear explanations were given"
    licence = {"kind": "licence", "sentenced_on": "2006-06-01", "released_on": "2007-03-05"}
    answers = {"judgements": {"answers": {"2.2.c": "yes"}}}
    roh_recall = {"sentence": licence, "recalls": [{"on": "2007-08-01", "roh_related": True}]}
    other_recall = {"sentence": licence, "recalls": [{"on": "2007-08-01"}]}
    cases = make_cases(roh_recall | answers, other_recall | answers)
    found = _evaluate(cases, calendar)
    assert found["2.2.c"] == Counter({Outcome.MET: 1, Outcome.NOT_APPLICABLE: 1})
    assert question("2.2.c").applies_to is question("2.2.a").applies_to


def test_2_2_d_and_2_2_e_read_the_82_community_cases_the_same_way(
    calendar: WorkingCalendar,
) -> None:
    # 004:515: "In 70 % of 82 community cases the RoH to others was reviewed no later than
    # four months from the start of sentence, and at least every four months thereafter"
    assert question("2.2.d").applies_to is question("2.2.e").applies_to
    licence = make_case(
        reference="L-1",
        sentence={"kind": "licence", "sentenced_on": "2005-06-01", "released_on": "2006-06-05"},
    )
    found = _evaluate([licence], calendar)
    assert found["2.2.d"] == found["2.2.e"] == Counter({Outcome.NOT_APPLICABLE: 1})


def test_none_of_the_planning_criteria_reproduces_17_percent(calendar: WorkingCalendar) -> None:
    # 004:453: no clear shape in 44% (1.5.l 56%), not the purposes in 36% (1.5.m 64%), no
    # relevant goals in 51% (1.5.n 49%); "In 17% of cases none of these criteria were met."
    patterns = {("no", "no", "no"): 17, ("yes", "yes", "yes"): 30, ("yes", "yes", "no"): 26}
    patterns |= {("no", "yes", "no"): 8, ("no", "no", "yes"): 19}
    facts = [
        {"judgements": {"answers": dict(zip(("1.5.l", "1.5.m", "1.5.n"), answers, strict=True))}}
        for answers, times in patterns.items()
        for _ in range(times)
    ]
    found = _evaluate(make_cases(*facts), calendar)
    for qid in ("1.5.l", "1.5.m", "1.5.n", "1.5.o"):
        met, not_met = found[qid][Outcome.MET], found[qid][Outcome.NOT_MET]
        assert Fraction(met, met + not_met) == question(qid).reported_rate, qid
