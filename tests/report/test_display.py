"""Result types show themselves compactly (repr, Jupyter HTML) and export to pandas and Arrow."""

from __future__ import annotations

import datetime as dt
import sys
from fractions import Fraction

import pandas as pd
import pyarrow as pa
import pytest

from casework import (
    Comparison,
    LoadResult,
    Period,
    Scorecard,
    TargetReport,
    WorkingCalendar,
    compare,
    load_cases,
    load_inspection,
    score_inspection,
    target_performance,
)
from casework._display import HTML_ROWS
from casework.report.dataframe import comparison_frame, question_frame, target_frame
from casework.rules import evaluate, ruleset
from casework.testing import make_case, make_cases, oasys
from tests.conftest import EXAMPLES

AS_OF = dt.date(2007, 10, 15)


@pytest.fixture(scope="module")
def card(calendar: WorkingCalendar) -> Scorecard:
    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    cases = load_cases(EXAMPLES / "omi-sample.json").cases[:12]
    findings = evaluate(cases, "omi-2007", as_of=inspection.as_of, calendar=calendar)
    return score_inspection(findings, inspection=inspection)


@pytest.fixture(scope="module")
def targets(calendar: WorkingCalendar) -> TargetReport:
    return target_performance(
        load_cases(EXAMPLES / "targets-cases.yaml").cases,
        "2007-08",
        period=Period.financial_year("2007-08"),
        as_of=dt.date(2008, 4, 11),
        calendar=calendar,
    )


@pytest.fixture(scope="module")
def diff(calendar: WorkingCalendar) -> Comparison:
    done = ["2007-06-08", "2007-06-18", "2007-06-22", "2007-06-25", None]
    cases = make_cases(*({"assessments": [oasys(day)] if day else []} for day in done))
    variant = ruleset("national-standards-2007").derive(
        "ns07-ten", parameters={"oasys_tier1to3_limit": 10}
    )
    return compare(cases, "national-standards-2007", variant, as_of=AS_OF, calendar=calendar)


def test_a_case_never_shows_its_personal_details() -> None:
    case = make_case(
        reference="P-0001",
        personal={"name": "Zebedee Quill", "date_of_birth": "1971-03-09", "pnc": "99/12345X"},
    )
    shown = [repr(case), str(case), case._repr_html_(), repr(case.personal), str(case.personal)]
    for text in shown:
        for secret in ("Zebedee", "Quill", "1971", "12345"):
            assert secret not in text
    assert repr(case).startswith("Case(reference='P-0001', as_of=")
    assert "personal='withheld'" in repr(case)
    assert repr(case.personal) == (
        "PersonalDetails(name=<withheld>, date_of_birth=<withheld>, crn=None, pnc=<withheld>)"
    )
    assert "held, not shown" in case._repr_html_()


def test_a_load_result_shows_its_summary_and_first_rows() -> None:
    loaded = load_cases(EXAMPLES / "omi-sample.json")
    assert repr(loaded) == "<LoadResult: 106 records read: 106 cases accepted, 0 rejected>"
    page = loaded._repr_html_()
    assert page.count("<tr>") == HTML_ROWS + 1  # header and the first rows only
    assert "… 96 more; 106 cases in all" in page
    bad = load_cases(EXAMPLES / "bad-cases.jsonl")
    assert "Records rejected" in bad._repr_html_()
    assert repr(bad) == f"<LoadResult: {bad.summary()}>"


def test_a_scorecard_shows_its_section_scores(card: Scorecard) -> None:
    text = repr(card)
    assert text.startswith("<Scorecard omi-2007@1.0: area Example Area (synthetic); cases 12;")
    for section in card.sections:
        assert f"section {section.number} {section.display}" in text
    page = card._repr_html_()
    first = card.criteria[0]
    assert f"<td>{first.id}</td>" in page
    assert f'<td class="num">{first.display}</td>' in page


def test_a_target_report_and_a_comparison_show_their_verdicts(
    targets: TargetReport, diff: Comparison
) -> None:
    assert repr(targets) == (
        "<TargetReport nps-2007-08 2007-08: 2 met, 0 near miss, 7 not met, 5 national, "
        "2 no figure; 16 measures>"
    )
    assert "<td>N07</td>" in targets._repr_html_()
    assert repr(diff) == (
        "<Comparison national-standards-2007@0.2 -> ns07-ten@0.2: 5 cases, 2 changed, 2 changes>"
    )
    page = diff._repr_html_()
    assert page.count("<td>NS07.oasys-tier1-3</td>") == 2


def test_exports_are_the_report_dataframes_and_arrow_tables(
    card: Scorecard, targets: TargetReport, diff: Comparison
) -> None:
    for result, frame in (
        (card, question_frame(card)),
        (targets, target_frame(targets)),
        (diff, comparison_frame(diff)),
    ):
        exported = result.to_pandas()
        pd.testing.assert_frame_equal(exported, frame)
        table = result.to_arrow()
        assert isinstance(table, pa.Table)
        assert table.column_names == list(frame.columns)
        assert table.num_rows == len(frame)


def test_to_arrow_without_pyarrow_says_how_to_install_it(
    targets: TargetReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r'pip install "casework\[arrow\]"'):
        targets.to_arrow()


def test_a_load_result_repr_is_short_however_many_cases() -> None:
    loaded = LoadResult(tuple(make_cases(*({} for _ in range(300)))), ())
    assert len(repr(loaded)) < 100
    assert len(loaded._repr_html_()) < 4000


def test_a_comparison_shows_the_figures_that_moved_before_the_changes(diff: Comparison) -> None:
    import attrs

    from casework.compare import FigureChange

    moved = attrs.evolve(
        diff, figures=(FigureChange("targets", "N03", Fraction(3, 5), Fraction(1, 5)),)
    )
    page = moved._repr_html_()
    assert "<strong>Comparison: national-standards-2007@0.2 -&gt; ns07-ten@0.2</strong>" in page
    assert page.index("<td>targets: N03</td>") < page.index("<strong>Changes</strong>")
    assert '<td class="num">0.60</td><td class="num">0.20</td>' in page
    assert "1 of 1 figures moved" in repr(moved)


def test_findings_show_a_summary_not_every_finding() -> None:
    import datetime as dt

    from casework import WorkingCalendar, load_cases
    from casework.rules import evaluate
    from tests.conftest import EXAMPLES

    cases = load_cases(EXAMPLES / "cases.json").cases
    found = evaluate(
        cases,
        "national-standards-2007",
        as_of=dt.date(2007, 10, 15),
        calendar=WorkingCalendar.england_and_wales(),
    )
    text = repr(found)
    assert text.startswith(f"<Findings: {len(found)} findings, 6 cases, 27 rules: ")
    page = found._repr_html_()
    assert page.count("<tr>") == 11  # the header and the first ten findings
    assert f"{len(found) - 10} more; {len(found)} findings in all" in page
    assert found.to_arrow().num_rows == len(found)
    frame = found.to_pandas()
    assert list(frame["case_ref"]) == [f.case_ref for f in found]
