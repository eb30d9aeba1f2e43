"""Comparison reports: what a rule change moves, in every format, pseudonymised, as DataFrames."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from fractions import Fraction

import pandas as pd
import pytest

from casework import LoadResult, Period, WorkingCalendar, compare
from casework.compare import Comparison, FigureChange, match_after_prefix, target_figures
from casework.model import Case
from casework.report import (
    KeyedPseudonyms,
    SequentialPseudonyms,
    comparison_report,
    pseudonymise,
    pseudonymise_comparison,
    select_questions,
)
from casework.report.comparison import CHANGE_COLUMNS, figure_text, proportion_figures
from casework.report.dataframe import (
    comparison_frame,
    comparison_question_frame,
    figure_change_frame,
)
from casework.rules import Basis, Outcome, ruleset
from casework.rules.targets import target_set
from casework.testing import make_cases, oasys

AS_OF = dt.date(2007, 10, 15)
NS07 = "national-standards-2007"
TIER13 = "NS07.oasys-tier1-3"


def _oasys_sample() -> list[Case]:
    """Tier 2 orders sentenced Friday 1 June 2007: 10 working days end on 15 June, 15 on 22 June.

    T-0001 done 8 June (on time under both), T-0002 18 June and T-0003 22 June (on time
    under 15, late under 10), T-0004 25 June (late under both), T-0005 never (late).
    """
    done = ["2007-06-08", "2007-06-18", "2007-06-22", "2007-06-25", None]
    return make_cases(*({"assessments": [oasys(day)] if day else []} for day in done))


@pytest.fixture(scope="module")
def ten_days(calendar: WorkingCalendar) -> Comparison:
    variant = ruleset(NS07).derive("ns07-ten", parameters={"oasys_tier1to3_limit": 10})
    return compare(_oasys_sample(), NS07, variant, as_of=AS_OF, calendar=calendar)


#: Community orders with one failure to comply on Monday 2 July 2007, the breach resolved
#: on these days: + 20 working days is 30 July, + 25 is 6 August.
RESOLVED = [
    ("B-01", "2007-07-20"),  # 14 working days
    ("B-02", "2007-07-27"),  # 19
    ("B-03", "2007-08-02"),  # 23
    ("B-04", "2007-08-10"),  # 29
]


@pytest.fixture(scope="module")
def twenty_days(calendar: WorkingCalendar) -> Comparison:
    cases = make_cases(
        *(
            {
                "reference": ref,
                "breaches": [
                    {"failed_on": "2007-07-02", "action_on": "2007-07-05", "resolved_on": day}
                ],
            }
            for ref, day in RESOLVED
        )
    )
    variant = ruleset("nps-2007-08").derive(
        "nps-20-days", parameters={"breach_resolution_limit": "20 working days"}
    )
    return compare(
        cases,
        "nps-2007-08",
        variant,
        as_of=AS_OF,
        calendar=calendar,
        figures={"targets": target_figures("nps-2007-08", period=Period.financial_year(2007))},
    )


@pytest.fixture(scope="module")
def standards(example_load: LoadResult, calendar: WorkingCalendar) -> Comparison:
    return compare(
        example_load.cases,
        "national-standards-2005",
        NS07,
        as_of=AS_OF,
        calendar=calendar,
        match=match_after_prefix,
    )


# ---------------------------------------------------------------------- the report


def test_json_is_the_comparison_with_its_source(ten_days: Comparison) -> None:
    data = comparison_report(ten_days, source="sample.json", paired_by="rule id").to_dict()
    assert (data["kind"], data["source"], data["paired_by"]) == (
        "comparison",
        "sample.json",
        "rule id",
    )
    rest = {k: v for k, v in data.items() if k not in {"kind", "source", "paired_by"}}
    assert rest == json.loads(json.dumps(ten_days.to_dict()))
    assert data["changed_cases"] == ["T-0002", "T-0003"]


def test_text_counts_each_outcome_both_ways_and_gives_both_reasons(ten_days: Comparison) -> None:
    text = comparison_report(ten_days, source="sample.json").render("text")
    headline = "2 cases of 5 changed outcome on 1 question both rule sets ask (2 changes)"
    assert f"Changed:   {headline}" in text
    assert "* oasys_tier1to3_limit: 15 working days -> 10 working days" in text
    row = next(line for line in text.splitlines() if line.startswith(f"{TIER13} "))
    # met 3 -> 1 (8, 18, 22 June -> 8 June); not met 2 -> 4; no case out of scope
    cells = [cell.strip() for cell in row.split("  ") if cell.strip()]
    assert cells == [TIER13, "2", "3 -> 1", "2 -> 4", "0 -> 0", "0 -> 0"]
    assert "Changes: 2 met to not met" in text
    rows = [line.split("  ") for line in text.splitlines() if line.startswith("T-000")]
    assert [[cell.strip() for cell in row if cell.strip()][:2] for row in rows] == [
        ["T-0002", "met to not met"],
        ["T-0003", "met to not met"],
    ]
    # each reason whole, side by side, in the Markdown row
    markdown = comparison_report(ten_days).render("markdown")
    (t2,) = [line for line in markdown.splitlines() if line.startswith("| T-0002 |")]
    assert t2.split(" | ")[2:] == [
        "OASys completed on 18 June 2007, on or before the due date of 22 June 2007 "
        "(15 working days after sentence on 1 June 2007).",
        "OASys completed on 18 June 2007, 1 working day after it was due on 15 June 2007 "
        "(10 working days after sentence on 1 June 2007). |",
    ]
    assert "T-0004" not in text  # late under both: not a change
    assert "NS07.oasys-ppo" not in text  # unchanged questions are left out unless asked for


def test_unchanged_lists_every_question(ten_days: Comparison) -> None:
    text = comparison_report(ten_days, unchanged=True).render("text")
    for rule in ruleset(NS07):
        assert any(line.startswith(f"{rule.id} ") for line in text.splitlines()), rule.id


def test_markdown_and_html_shapes(ten_days: Comparison) -> None:
    report = comparison_report(ten_days, source="sample.json")
    markdown = report.render("markdown")
    assert markdown.startswith(f"# Comparison: {ruleset(NS07).label} and ns07-ten@")
    assert "| Question | Changed | Met | Not met | N/A | Cannot assess |" in markdown
    assert f"### {TIER13}" in markdown
    assert "| Case | Outcome | Baseline reason | Variant reason |" in markdown
    assert markdown.count("| T-000") == 2
    html = report.render("html")
    assert html.startswith("<!DOCTYPE html>")
    assert f'<section id="{TIER13}">' in html
    assert html.count('<td class="id">T-000') == 2
    assert "<script" not in html
    assert "<link" not in html


def test_csv_has_one_row_per_change_with_both_sides(ten_days: Comparison) -> None:
    rows = list(csv.DictReader(io.StringIO(comparison_report(ten_days).render("csv"))))
    assert list(rows[0]) == [column.key for column in CHANGE_COLUMNS]
    assert [(r["case_ref"], r["baseline_outcome"], r["variant_outcome"]) for r in rows] == [
        ("T-0002", "met", "not_met"),
        ("T-0003", "met", "not_met"),
    ]
    assert all(r["baseline_rule"] == r["variant_rule"] == TIER13 for r in rows)
    assert rows[0]["baseline_reason"] == ten_days.changes[0].before.reason  # type: ignore[union-attr]


def test_nothing_moved(calendar: WorkingCalendar) -> None:
    same = compare(_oasys_sample(), NS07, NS07, as_of=AS_OF, calendar=calendar)
    report = comparison_report(same)
    assert "No question both rule sets ask changed outcome for any case." in report.render()
    assert report.render("csv").splitlines() == [",".join(c.key for c in CHANGE_COLUMNS)]


def test_questions_one_set_asks_are_counted_not_listed_case_by_case(
    standards: Comparison,
) -> None:
    one_sided = [s for s in standards.rules if s.baseline_rule is None or s.variant_rule is None]
    assert one_sided
    report = comparison_report(standards)
    text = report.render("text")
    section = text[text.index("Asked by one rule set only") :]
    for summary in one_sided:
        row = next(line for line in section.splitlines() if line.startswith(f"{summary.key} "))
        assert ("baseline" if summary.baseline_rule else "variant") in row
    cases_section = text[text.index("Cases that changed") : text.index("Asked by one")]
    assert "not asked" not in cases_section
    assert "Rules:   NS05.roh-review-interval (baseline), NS07.roh-review-interval (variant)" in (
        text
    )
    # the CSV and JSON keep every change, one-sided ones too
    rows = list(csv.DictReader(io.StringIO(report.render("csv"))))
    assert len(rows) == len(standards.changes)
    assert any(row["variant_rule"] == "" for row in rows)


def test_figures_as_percentages_with_changes_in_points(twenty_days: Comparison) -> None:
    shares = proportion_figures(targets=("targets", target_set("nps-2007-08")))
    text = comparison_report(twenty_days, percentages=shares).render("text")
    # by hand: within 25 working days B-01, B-02, B-03; within 20, B-01 and B-02
    row = next(line for line in text.splitlines() if line.startswith("targets  N05 "))
    assert row.split() == ["targets", "N05", "75.0%", "50.0%", "-25.0", "points"]
    status = next(line for line in text.splitlines() if line.startswith("targets  N05 status"))
    assert status.split()[3:] == ["met", "not", "met", "-"]
    plain = comparison_report(twenty_days).render("text")
    row = next(line for line in plain.splitlines() if line.startswith("targets  N05 "))
    assert row.split() == ["targets", "N05", "0.75", "0.50", "-0.25"]


def test_figure_text() -> None:
    assert figure_text(Fraction(2, 3)) == "0.67"
    assert figure_text(Fraction(2, 3), percent=True) == "66.7%"
    assert figure_text(12) == "12"
    assert figure_text("near_miss") == "near miss"
    assert figure_text(None) is None
    moved = FigureChange("g", "x", Fraction(1, 8), Fraction(3, 8))
    assert proportion_figures(scores="g")(moved)
    assert not proportion_figures(scores="other")(moved)


def test_select_questions_keeps_the_figures(standards: Comparison) -> None:
    chosen = select_questions(standards, ["*roh-review-interval"])
    assert [s.key for s in chosen.rules] == ["roh-review-interval"]
    assert {c.key for c in chosen.changes} == {"roh-review-interval"}
    assert chosen.figures == standards.figures
    assert {f.rule_id for f in chosen.variant_findings} == {"NS07.roh-review-interval"}
    by_rule_id = select_questions(standards, ["NS05.roh-review-interval"])
    assert by_rule_id.rules == chosen.rules
    assert select_questions(standards, []) is standards


# ---------------------------------------------------------------------- pseudonyms


def test_pseudonymised_comparison_shows_no_reference(ten_days: Comparison) -> None:
    hidden = pseudonymise_comparison(ten_days, SequentialPseudonyms())
    assert hidden.cases == tuple(f"CASE-{n:04d}" for n in range(1, 6))
    assert hidden.changed_cases() == ("CASE-0002", "CASE-0003")
    for format_ in ("text", "markdown", "html", "json", "csv"):
        assert "T-000" not in comparison_report(hidden).render(format_), format_
    assert len(hidden.baseline_findings) == len(ten_days.baseline_findings)
    assert {f.case_ref for f in hidden.variant_findings} == set(hidden.cases)


def test_keyed_pseudonyms_agree_with_the_findings_reports(ten_days: Comparison) -> None:
    names = KeyedPseudonyms(b"our key, of sixteen bytes or more")
    hidden = pseudonymise_comparison(ten_days, names)
    assert hidden.changed_cases() == (names("T-0002"), names("T-0003"))
    assert hidden.variant_findings == pseudonymise(ten_days.variant_findings, names)


def test_references_in_reasons_are_replaced_too(calendar: WorkingCalendar) -> None:
    from casework.rules import Context, met, not_met, rule
    from casework.rules.ruleset import build_ruleset

    @rule("T.named", question="Named?", source="004:401", kind="quality")
    def named(case: Case, ctx: Context) -> object:
        return met(f"{case.reference} is fine.")

    @rule("T.named", question="Named?", source="004:401", kind="quality")
    def named_strictly(case: Case, ctx: Context) -> object:
        return not_met(f"{case.reference} is not.")

    sets = [
        build_ruleset(
            name=name, version="1", title=name, family="test", rules=[r], in_force_from=AS_OF
        )
        for name, r in (("a", named), ("b", named_strictly))
    ]
    diff = compare(make_cases({}), sets[0], sets[1], as_of=AS_OF, calendar=calendar)
    (change,) = pseudonymise_comparison(diff, SequentialPseudonyms()).changes
    assert change.before is not None
    assert change.after is not None
    assert (change.before.reason, change.after.reason) == (
        "CASE-0001 is fine.",
        "CASE-0001 is not.",
    )


# ---------------------------------------------------------------------- DataFrames


def test_comparison_frame_has_one_row_per_change(standards: Comparison) -> None:
    frame = comparison_frame(standards)
    assert list(frame.columns) == [column.key for column in CHANGE_COLUMNS]
    assert len(frame) == len(standards.changes)
    assert not frame.duplicated(["case_ref", "question", "unit"]).any()
    for side in ("baseline", "variant"):
        assert list(frame[f"{side}_outcome"].cat.categories) == [o.value for o in Outcome]
        assert list(frame[f"{side}_basis"].cat.categories) == [b.value for b in Basis]
    for row, change in zip(frame.itertuples(index=False), standards.changes, strict=True):
        assert (row.case_ref, row.question) == (change.case_ref, change.key)
        expected = change.before_outcome.value if change.before_outcome else None
        assert (row.baseline_outcome if isinstance(row.baseline_outcome, str) else None) == expected
    one_sided = frame[frame["variant_rule"].isna()]
    assert not one_sided.empty
    assert one_sided["variant_outcome"].isna().all()


def test_comparison_question_frame_has_one_row_per_question(ten_days: Comparison) -> None:
    frame = comparison_question_frame(ten_days)
    assert len(frame) == len(ten_days.rules) == len(ruleset(NS07))
    assert list(frame.columns[:5]) == [
        "question",
        "text",
        "baseline_rule",
        "variant_rule",
        "changed",
    ]
    row = frame.set_index("question").loc[TIER13]
    assert (row["changed"], row["baseline_met"], row["variant_met"]) == (2, 3, 1)
    assert (row["baseline_not_met"], row["variant_not_met"]) == (2, 4)
    counted = [f"baseline_{o.value}" for o in Outcome]
    assert (frame[counted].sum(axis=1) == len(ten_days.cases)).all()


def test_figure_change_frame_has_one_row_per_figure(twenty_days: Comparison) -> None:
    frame = figure_change_frame(twenty_days)
    assert list(frame.columns) == [
        "group",
        "name",
        "baseline",
        "variant",
        "delta",
        "changed",
        "noise_low",
        "noise_high",
        "beyond_noise",
    ]
    assert len(frame) == len(twenty_days.figures)
    assert frame["changed"].dtype == bool
    n05 = frame.set_index("name").loc["N05"]
    assert (n05["baseline"], n05["variant"], n05["delta"]) == (0.75, 0.5, -0.25)
    status = frame.set_index("name").loc["N05 status"]
    assert (status["baseline"], status["variant"], status["changed"]) == ("met", "not_met", True)
    assert math.isnan(status["delta"])
    assert set(frame.loc[frame["changed"], "name"]) == {
        f.name for f in twenty_days.changed_figures()
    }
    assert pd.api.types.is_float_dtype(frame["delta"])


def test_score_and_target_changes_come_first_with_numbers_right_aligned(
    twenty_days: Comparison,
) -> None:
    shares = proportion_figures(targets=("targets", target_set("nps-2007-08")))
    report = comparison_report(twenty_days, percentages=shares)
    text = report.render("text")
    first = text.index("Score and target changes")
    assert first < text.index("Questions that changed") < text.index("Cases that changed")
    page = report.render("html")
    assert '<td class="num">75.0%</td><td class="num">50.0%</td>' in page
    assert '<td class="num">-25.0 points</td>' in page


def test_a_change_is_the_difference_of_the_figures_as_shown() -> None:
    # 77.04% and 75.29% show as 77.0% and 75.3%: exactly -1.75 points apart, shown -1.7
    figure = FigureChange("scores", "criterion 2.4", Fraction(7704, 10000), Fraction(7529, 10000))
    comparison = Comparison(
        baseline="a@1",
        variant="b@1",
        as_of=AS_OF,
        cases=(),
        changes=(),
        rules=(),
        figures=(figure,),
    )
    text = comparison_report(comparison, percentages=proportion_figures(scores="scores")).render(
        "text"
    )
    row = next(line for line in text.splitlines() if line.startswith("scores "))
    assert row.split()[-4:] == ["77.0%", "75.3%", "-1.7", "points"]
    assert figure.to_dict()["delta"] == "-7/400"  # the data keep the exact change
    plain = comparison_report(comparison).render("text")
    row = next(line for line in plain.splitlines() if line.startswith("scores "))
    assert row.split()[-3:] == ["0.77", "0.75", "-0.02"]
