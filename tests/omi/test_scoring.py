"""Scoring on samples small enough to check by hand (Appendix 3, 004:965-1015)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from fractions import Fraction

import pytest

from casework.model.inspection import Inspection
from casework.rules import RuleKind
from casework.scoring import (
    GOOD,
    PRIORITY,
    URGENT,
    BandTable,
    GroupScore,
    ScoringOptions,
    combine_criterion,
    mean,
    score_inspection,
)
from casework.text import percent
from tests.conftest import ROOT
from tests.omi.findings import N, answers, finding, summary

F = Fraction
PUBLISHED = ROOT / "tests" / "omi" / "data" / "published-scores.csv"


def _published() -> list[dict[str, str]]:
    with PUBLISHED.open(encoding="utf-8") as stream:
        return list(csv.DictReader(line for line in stream if not line.startswith("#")))


def test_question_counts_and_the_cases_behind_them() -> None:
    card = score_inspection(answers("1.2.p", "yn-?ye"))
    q = card.question("1.2.p")
    assert (len(q.above), len(q.below), len(q.unanswered), len(q.not_applicable)) == (2, 2, 1, 1)
    assert q.relevant == 4
    assert q.proportion == F(1, 2)
    assert card.cases_below("1.2.p") == ("C2", "C6")
    assert card.cases_above("1.2.p") == ("C1", "C5")
    assert q.not_evidenced == ("C6",)
    assert q.unanswered == ("C4",)
    assert any("1.2.p: 1 applicable case(s) not assessed" in w for w in card.warnings)


def test_criterion_is_eighty_twenty_of_question_mean_and_summary() -> None:
    # 1.1.a: 1/2, 1.1.b: 1/1 -> mean 3/4; summary 1/3 -> 0.8 * 3/4 + 0.2 * 1/3 = 2/3
    card = score_inspection(
        [*answers("1.1.a", "yn-"), *answers("1.1.b", "y--"), *summary("1.1", "ynn")]
    )
    crit = card.criterion("1.1")
    assert crit.individual == F(3, 4)
    assert crit.score == F(2, 3)
    assert crit.display == "67%"
    assert crit.basis == "weighted"
    assert crit.cases_below() == {"1.1.a": ("C2",), "1.1.b": (), "1.1.summary": ("C2", "C3")}


def test_each_question_weighs_the_same_whatever_its_denominator() -> None:
    findings = [*answers("2.2.g", "y"), *answers("2.2.d", "ynnnnnnnnn"), *summary("2.2", "y")]
    equal = score_inspection(findings).criterion("2.2")
    assert equal.individual == F(11, 20)  # (1 + 1/10) / 2
    pooled = score_inspection(findings, weighting="pooled").criterion("2.2")
    assert pooled.individual == F(2, 11)


def test_summary_as_one_more_question() -> None:
    findings = [*answers("1.3.a", "y"), *answers("1.3.b", "n"), *summary("1.3", "y")]
    card = score_inspection(findings, combine="summary_as_question")
    assert card.criterion("1.3").score == F(2, 3)
    assert card.criterion("1.3").basis == "summary_as_question"


def test_degenerate_criteria_renormalise_or_drop_out() -> None:
    findings = [
        *answers("1.1.a", "yn"),  # no summary at all: individual only
        *answers("1.2.a", "--"),
        *summary("1.2", "yy"),  # no relevant individual case: summary only
        *answers("1.3.a", "--"),
        *summary("1.3", "??"),  # nothing: no score
        *answers("1.4.a", "yy"),
        *summary("1.4", "yn"),
    ]
    card = score_inspection(findings)
    assert (card.criterion("1.1").score, card.criterion("1.1").basis) == (
        F(1, 2),
        "individual_only",
    )
    assert (card.criterion("1.2").score, card.criterion("1.2").basis) == (F(1), "summary_only")
    assert (card.criterion("1.3").score, card.criterion("1.3").basis) == (None, "empty")
    assert card.criterion("1.3").band is None
    assert card.criterion("1.4").score == F(9, 10)
    section = card.section(1)
    assert section.left_out == ("1.3",)
    assert section.score == (F(1, 2) + 1 + F(9, 10)) / 3
    assert [w for w in card.warnings if w.startswith("criterion")] == [
        "criterion 1.1: no summary answer above or below the line; the score is the mean of its "
        "questions alone (A7)",
        "criterion 1.2: no individual question has a relevant case; the score is the summary "
        "question alone (A7)",
        "criterion 1.3: nothing to score; left out of its section average (A7)",
    ]


def test_an_empty_sample_scores_nothing_and_does_not_fail() -> None:
    card = score_inspection([])
    assert card.criteria == ()
    assert card.sections == ()
    assert card.roh_thread.score is None
    assert card.to_dict()["cases"] == 0


def test_descriptive_counts_are_shown_but_not_scored() -> None:
    findings = [
        *answers("1.2.a", "nn", kind=RuleKind.DESCRIPTIVE, roh=True),
        *answers("1.2.b", "yy", roh=True),
        *summary("1.2", "yy", roh=True),
    ]
    card = score_inspection(findings)
    assert card.criterion("1.2").score == 1
    assert [q.id for q in card.criterion("1.2").descriptive] == ["1.2.a"]
    assert card.question("1.2.a").proportion == 0
    assert [q.id for q in card.roh_thread.questions] == ["1.2.b", "1.2.summary"]


def test_roh_thread_is_a_flat_mean_over_sections_one_and_two() -> None:
    findings = [
        *answers("1.2.b", "yn", roh=True),  # 1/2
        *answers("2.2.a", "y-", roh=True),  # 1
        *answers("2.2.d", "--", roh=True),  # no relevant case: left out
        *answers("2.1.c", "nn"),  # not RoH
        *answers("3.1.k", "nn", roh=True),  # section 3: never in the thread
        *summary("2.2", "nn", roh=True),  # 0, included by default (A10)
    ]
    card = score_inspection(findings)
    assert [q.id for q in card.roh_thread.questions] == ["1.2.b", "2.2.a", "2.2.summary"]
    assert card.roh_thread.score == F(1, 2)
    without = score_inspection(findings, roh_thread_summaries=False)
    assert without.roh_thread.score == F(3, 4)
    flagged = score_inspection(findings, reinspection_threshold=F(2, 3))
    assert flagged.roh_thread.below_threshold is True
    assert card.roh_thread.below_threshold is None


def test_not_evidenced_is_below_the_line_unless_read_otherwise() -> None:
    findings = answers("1.4.g", "yeen")
    assert score_inspection(findings).question("1.4.g").proportion == F(1, 4)
    unanswered = score_inspection(findings, not_evidenced="unanswered").question("1.4.g")
    assert unanswered.proportion == F(1, 2)
    assert unanswered.unanswered == ("C2", "C3")


def test_groups_can_be_collapsed() -> None:
    findings = [
        *answers("2.2.k", "yyn-", group="g"),
        *answers("2.2.l", "yny-", group="g"),
        *answers("2.2.q", "yyyy"),
    ]
    separate = score_inspection(findings).criterion("2.2")
    assert separate.individual == (F(2, 3) + F(2, 3) + 1) / 3
    all_of = score_inspection(findings, groups="all_of").criterion("2.2")
    group = all_of.parts[0]
    assert isinstance(group, GroupScore)
    assert group.combined is not None
    assert group.combined.above == ("C1",)
    assert group.combined.below == ("C2", "C3")
    assert group.combined.not_applicable == ("C4",)
    assert all_of.individual == (F(1, 3) + 1) / 2
    mean_of = score_inspection(findings, groups="mean_of").criterion("2.2")
    assert mean_of.individual == (F(2, 3) + 1) / 2
    assert [q.id for q in mean_of.questions] == ["2.2.k", "2.2.l", "2.2.q"]


@pytest.mark.parametrize("row", _published(), ids=lambda row: row["criterion"])
def test_default_bands_reproduce_every_published_conclusion(row: dict[str, str]) -> None:
    bands = BandTable.default(dt.date(2007, 10, 15))
    assert bands.band(F(int(row["score"]), 100)).sentence == row["conclusion"]


def test_band_sentences_take_the_right_article() -> None:
    assert GOOD.sentence == "Performance against this criterion was good."
    assert PRIORITY.sentence == "This criterion represents a priority for improvement."
    assert URGENT.sentence == "This criterion represents an urgent priority for improvement."


def test_published_criterion_scores_and_sections_reproduce_through_the_scorer() -> None:
    """Samples whose every question and summary score the published figure."""
    findings = []
    for row in _published():
        above = int(row["score"])
        outcomes = "y" * above + "n" * (100 - above)
        findings += answers(f"{row['criterion']}.a", outcomes)
        findings += summary(row["criterion"], outcomes)
    card = score_inspection(findings)
    for row in _published():
        crit = card.criterion(row["criterion"])
        assert crit.score == F(int(row["score"]), 100)
        assert crit.conclusion == row["conclusion"]
    assert card.section(1).score == F(344, 500)  # 68.8
    assert card.section(2).score == F(460, 700)  # 65.714...
    assert card.section(3).score == F(121, 200)  # 60.5: a rounding tie
    assert [s.display for s in card.sections] == ["69%", "66%", "61%"]


def test_section_average_rounds_half_up_not_to_even() -> None:
    section3 = mean([F(58, 100), F(63, 100)])
    assert section3 == F(605, 1000)
    assert percent(section3) == "61%"
    assert round(float(section3) * 100) == 60  # what banker's rounding would print


def test_band_on_the_displayed_or_the_exact_score() -> None:
    findings = [*answers("2.7.a", "y" * 139 + "n" * 61), *summary("2.7", "y" * 139 + "n" * 61)]
    displayed = score_inspection(findings).criterion("2.7")
    assert displayed.score == F(139, 200)  # 69.5%, shown as 70%
    assert (displayed.display, displayed.band) == ("70%", GOOD)
    assert score_inspection(findings, band_on="exact").criterion("2.7").band == PRIORITY


def test_a_custom_band_table() -> None:
    very_good = GOOD.__class__("very_good", "very good", "performance")
    table = BandTable(((F(0), URGENT), (F(1, 2), GOOD), (F(9, 10), very_good)))
    card = score_inspection([*answers("1.1.a", "y"), *summary("1.1", "y")], bands=table)
    assert card.criterion("1.1").conclusion == "Performance against this criterion was very good."
    with pytest.raises(ValueError, match="start at 0"):
        BandTable(((F(1, 2), GOOD),))


def test_weights_combine_exactly() -> None:
    assert combine_criterion(F(1, 2), F(1)) == (F(3, 5), "weighted")
    assert combine_criterion(F(1, 2), F(1), weight=F(1, 2)) == (F(3, 4), "weighted")
    assert combine_criterion(None, None) == (None, "empty")
    with pytest.raises(ValueError, match="between 0 and 1"):
        ScoringOptions(individual_weight=F(3, 2))
    with pytest.raises(ValueError, match="combine"):
        ScoringOptions(combine="blend")  # type: ignore[arg-type]


def test_two_findings_for_one_case_and_question_are_refused() -> None:
    with pytest.raises(ValueError, match=r"case C1 has two findings for question 1\.1\.a"):
        score_inspection([*answers("1.1.a", "y"), *answers("1.1.a", "n")])


def test_findings_without_a_criterion_are_ignored() -> None:
    other = finding("C1", "NS07.oasys-ppo", N, criterion=None)
    card = score_inspection([other, *answers("1.1.a", "y")])
    assert [q.id for q in card.questions] == ["1.1.a"]


def test_section_four_grades_come_from_the_inspection() -> None:
    inspection = Inspection.model_validate(
        {
            "area": "Example Area",
            "fieldwork": {"start": "2007-10-15", "end": "2007-10-19"},
            "as_of": "2007-10-15",
            "section4": [
                {"criterion": "4.1", "grade": "well_met"},
                {"criterion": "4.4", "grade": "partly_met"},
            ],
        }
    )
    card = score_inspection(answers("1.1.a", "y"), inspection=inspection)
    grades = {s.criterion.id: s.grade for s in card.section4}
    assert [g.label if g else None for g in grades.values()] == [
        "Well met",
        None,
        None,
        "Partly met",
        None,
        None,
    ]
    assert card.bands.on == dt.date(2007, 10, 15)


def test_scorecard_is_plain_json() -> None:
    findings = [*answers("1.2.p", "yne-", roh=True), *summary("1.2", "yyn", roh=True)]
    data = json.loads(json.dumps(score_inspection(findings).to_dict()))
    crit = data["criteria"][0]
    assert crit["score"] == {"exact": "2/5", "display": "40%"}  # 0.8 x 1/3 + 0.2 x 2/3
    assert crit["conclusion"] == "This criterion represents an urgent priority for improvement."
    question = next(q for q in data["questions"] if q["id"] == "1.2.p")
    assert question["cases"]["below"] == ["C2", "C3"]
    assert question["not_evidenced"] == 1
    assert data["roh_thread"]["score"]["exact"] == "1/2"
    assert data["sections"][0]["title"] == "Assessment and sentence planning"
