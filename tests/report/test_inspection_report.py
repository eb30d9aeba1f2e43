"""The inspection report and Chart 1, from the bundled 106-case OMI sample."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from casework import Scorecard, WorkingCalendar, load_cases, load_inspection, score_inspection
from casework.report import highlights, inspection_report
from casework.report.charts import chart1, chart1_bars, chart1_figure, save_chart
from casework.report.dataframe import (
    case_question_frame,
    criterion_frame,
    question_frame,
    section_frame,
)
from casework.report.inspection import QUESTION_COLUMNS
from casework.rules import Findings, evaluate
from casework.text import percent
from tests.conftest import EXAMPLES

CRITERIA = ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
CRITERIA += ["3.1", "3.2"]


@pytest.fixture(scope="session")
def omi_findings(calendar: WorkingCalendar) -> Findings:
    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    cases = load_cases(EXAMPLES / "omi-sample.json").cases
    return evaluate(cases, "omi-2007", as_of=inspection.as_of, calendar=calendar)


@pytest.fixture(scope="session")
def card(omi_findings: Findings) -> Scorecard:
    return score_inspection(
        omi_findings, inspection=load_inspection(EXAMPLES / "omi-inspection.json")
    )


# ---------------------------------------------------------------------- Chart 1


def test_chart1_has_a_bar_per_criterion_then_its_section(card: Scorecard) -> None:
    keys = [bar.key for bar in chart1_bars(card)]
    assert keys == [
        *CRITERIA[:5],
        "section-1",
        *CRITERIA[5:12],
        "section-2",
        *CRITERIA[12:],
        "section-3",
    ]


def test_chart1_bars_have_the_scores_as_heights(card: Scorecard) -> None:
    figure = chart1(card)
    (axes,) = figure.axes
    bars = {patch.get_gid(): patch for patch in axes.patches if patch.get_gid()}
    assert len(bars) == len(CRITERIA) + 3
    for criterion in card.criteria:
        assert bars[f"chart1-{criterion.id}"].get_height() == pytest.approx(
            float(criterion.score * 100)
        )
    for section in card.sections:
        assert bars[f"chart1-section-{section.number}"].get_height() == pytest.approx(
            float(section.score * 100)
        )
    labels = [text.get_text() for text in axes.texts]
    for criterion in card.criteria:
        assert criterion.display in labels
    ticks = [label.get_text() for label in axes.get_xticklabels()]
    assert ticks == [
        *CRITERIA[:5],
        "Section 1",
        *CRITERIA[5:12],
        "Section 2",
        *CRITERIA[12:],
        "Section 3",
    ]


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _svg_bar_heights(svg: str) -> dict[str, float]:
    """Height of each bar in the SVG: the vertical extent of the path in its group."""
    root = ET.fromstring(svg)
    heights = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        gid = group.get("id", "")
        if gid.startswith("chart1-"):
            (path,) = group.iter("{http://www.w3.org/2000/svg}path")
            ys = [float(n) for n in _NUMBER.findall(path.get("d", ""))[1::2]]
            heights[gid.removeprefix("chart1-")] = max(ys) - min(ys)
    return heights


def test_chart1_svg_draws_each_bar_in_proportion_to_its_score(
    card: Scorecard, tmp_path: Path
) -> None:
    svg = save_chart(card, tmp_path / "chart1.svg").read_text(encoding="utf-8")
    heights = _svg_bar_heights(svg)
    scores = {bar.key: bar.percent for bar in chart1_bars(card)}
    assert heights.keys() == scores.keys()
    scale = heights["1.1"] / scores["1.1"]
    for key, score in scores.items():
        assert heights[key] == pytest.approx(score * scale, rel=1e-3), key
    assert "Date" not in svg.split(">", 2)[1]
    assert save_chart(card, tmp_path / "again.svg").read_text(encoding="utf-8") == svg


def test_chart1_png(card: Scorecard, tmp_path: Path) -> None:
    png = save_chart(card, tmp_path / "chart1.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save_chart(card, tmp_path / "chart1.pdf")


def test_chart_numbers_are_there_without_the_drawing(card: Scorecard) -> None:
    figure = chart1_figure(card, draw=False)
    assert figure.svg == ""
    assert figure.table is not None
    assert [row[0] for row in figure.table.rows][:6] == [*CRITERIA[:5], "Section 1"]
    text = inspection_report(card, chart=False).render("text")
    assert "Section 3" in text


# ---------------------------------------------------------------------- the report


def test_report_has_every_criterion_with_score_conclusion_and_questions(card: Scorecard) -> None:
    markdown = inspection_report(card).render("markdown")
    for criterion in card.criteria:
        title = criterion.criterion.title
        assert f"### {criterion.id} {title}: {criterion.display}" in markdown
        assert criterion.conclusion in markdown
        for question in criterion.questions:
            above, relevant = question.counts
            if relevant:
                row = f"| {question.id.replace('_', chr(92) + '_')} |"
                line = next(line for line in markdown.splitlines() if line.startswith(row))
                assert f"| {above} | {relevant} | {percent(question.proportion)} |" in line
    for section in card.sections:
        assert f"## Section {section.number}: " in markdown
        assert f": {section.display}" in markdown


def test_summary_tables_section4_and_roh_thread(card: Scorecard) -> None:
    text = inspection_report(card).render("text")
    assert "Table 1: Section 4, Leadership and strategic management" in text
    for result in card.section4:
        line = next(
            line for line in text.splitlines() if line.startswith(f"{result.criterion.id} ")
        )
        assert result.grade.label in line
    assert f"Score for Risk of Harm thread    {percent(card.roh_thread.score)}" in text


def test_strengths_and_areas_for_improvement_follow_the_question_results(card: Scorecard) -> None:
    for criterion in card.criteria:
        chosen = highlights(criterion)
        for question in chosen.strengths:
            assert question.proportion >= Fraction(3, 4)
        for question in chosen.improvements:
            assert question.proportion < Fraction(2, 3)
        listed = {q.id for q in (*chosen.strengths, *chosen.improvements)}
        for question in criterion.questions:
            p = question.proportion
            if p is not None and (p >= Fraction(3, 4) or p < Fraction(2, 3)):
                assert question.id in listed
        assert [q.proportion for q in chosen.strengths] == sorted(
            (q.proportion for q in chosen.strengths), reverse=True
        )
    stricter = highlights(card.criterion("1.1"), strengths_from=Fraction(9, 10))
    assert all(q.proportion >= Fraction(9, 10) for q in stricter.strengths)
    text = inspection_report(card).render("text")
    worst = highlights(card.criterion("1.2")).improvements[0]
    above, relevant = worst.counts
    assert f"{above} of {relevant} relevant cases ({percent(worst.proportion)})" in " ".join(
        text.split()
    )


def test_json_and_csv(card: Scorecard) -> None:
    report = inspection_report(card, source="omi-sample.json")
    data = report.to_dict()
    assert data["kind"] == "inspection"
    assert data["scorecard"] == card.to_dict()
    assert data["highlights"]["criteria"]["1.2"]["improvements"] == [
        q.id for q in highlights(card.criterion("1.2")).improvements
    ]
    rows = list(csv.DictReader(io.StringIO(report.render("csv"))))
    assert list(rows[0]) == [c.key for c in QUESTION_COLUMNS]
    assert [row["question_id"] for row in rows] == [q.id for q in card.questions]
    for row, question in zip(rows, card.questions, strict=True):
        assert int(row["above"]) == len(question.above)
        assert int(row["relevant"]) == question.relevant


# ---------------------------------------------------------------------- DataFrames


def test_question_frame_has_one_row_per_question(card: Scorecard) -> None:
    frame = question_frame(card)
    assert list(frame.columns) == [c.key for c in QUESTION_COLUMNS]
    assert list(frame["question_id"]) == [q.id for q in card.questions]
    row = frame.set_index("question_id").loc["1.2.p"]
    question = card.question("1.2.p")
    assert (row["above"], row["relevant"]) == question.counts
    assert row["proportion"] == pytest.approx(float(question.proportion))


def test_criterion_frame_has_one_row_per_criterion(card: Scorecard) -> None:
    frame = criterion_frame(card)
    assert list(frame["criterion"]) == CRITERIA
    assert list(frame.columns) == [
        "criterion",
        "section",
        "title",
        "score",
        "display",
        "individual",
        "summary",
        "basis",
        "band",
        "conclusion",
        "low",
        "high",
        "same_band",
        "band_flag",
    ]
    intervals = card.intervals
    assert intervals is not None
    for row, criterion in zip(frame.itertuples(index=False), card.criteria, strict=True):
        assert row.score == pytest.approx(float(criterion.score))
        assert row.display == criterion.display
        assert row.conclusion == criterion.conclusion
        assert row.section == criterion.section
        interval, chances = intervals.criterion(criterion.id), intervals.band(criterion.id)
        assert (row.low, row.high) == (interval.low, interval.high)
        assert row.low <= row.score <= row.high
        assert row.same_band == chances.published_share
        assert row.band_flag == (chances.published_share < 0.8)


def test_section_frame_has_the_sections_and_the_thread(card: Scorecard) -> None:
    frame = section_frame(card)
    assert list(frame["section"]) == ["1", "2", "3", "roh_thread"]
    assert list(frame["display"]) == [
        *(s.display for s in card.sections),
        percent(card.roh_thread.score),
    ]


def test_case_question_frame_is_long_one_row_per_case_and_question(
    card: Scorecard, omi_findings: Findings
) -> None:
    frame = case_question_frame(card)
    assert list(frame.columns) == [
        "case_ref",
        "criterion",
        "question_id",
        "position",
        "not_evidenced",
    ]
    assert len(frame) == sum(q.cases for q in card.questions)
    assert not frame.duplicated(["case_ref", "question_id"]).any()
    counts = frame.groupby("question_id", observed=False)["position"].value_counts().unstack()
    for question in card.questions:
        assert counts.loc[question.id, "above"] == len(question.above)
        assert counts.loc[question.id, "below"] == len(question.below)
    wide = frame.pivot(index="case_ref", columns="question_id", values="position")
    assert wide.shape[0] == len(card.cases)
    assert isinstance(wide, pd.DataFrame)


def test_chart1_is_titled_like_the_published_one_with_level_section_labels(
    card: Scorecard,
) -> None:
    import datetime as dt

    import attrs

    from casework.model.base import Period as Days
    from casework.report.charts import TITLE, chart1_title

    (axes,) = chart1(card).axes
    # 004:183-185: "Chart 1: Scoring of sections 1-3:" / "Offender Management Inspection:
    # Devon & Cornwall (October 2007)"; area and fieldwork from the inspection file
    assert axes.get_title() == (
        "Chart 1: Scoring of sections 1-3\n"
        "Offender Management Inspection: Example Area (synthetic) (October 2007)"
    )
    sections = [t for t in axes.get_xticklabels() if t.get_text().startswith("Section")]
    assert [t.get_rotation() for t in sections] == [0, 0, 0]
    assert inspection_report(card).render("html").count("(October 2007)") == 1  # in the SVG
    assert card.inspection is not None
    across = card.inspection.model_copy(
        update={"fieldwork": Days(start=dt.date(2007, 10, 29), end=dt.date(2007, 11, 2))}
    )
    assert chart1_title(attrs.evolve(card, inspection=across)).endswith("(October-November 2007)")
    assert chart1_title(attrs.evolve(card, inspection=None)) == TITLE
