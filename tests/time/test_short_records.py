"""Easier records: an OASys assessment with its date written once (issue 11).

docs/decisions.md#assessment-parts: a part recorded in an assessment that says
``parts_with_assessment``, with no date of its own, was completed on the assessment's
``completed_on`` (003:697-701 counts the assessment, screening, full analysis and
sentence plan as one OASys assessment "completed or updated").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings

from casework import WorkingCalendar, dump_cases, load_cases
from casework.columnar import CaseColumns
from casework.model import Case, OasysPart
from casework.rules import Outcome, available_rulesets, evaluate, ruleset
from casework.testing import default_calendar, make_case, oasys, review, short_form
from casework.testing.strategies import cases

D = dt.date
SHIPPED = [ruleset(name) for name in available_rulesets()]
FEW = settings(max_examples=max(5, settings().max_examples // 10))

SHORT_YAML = """\
- reference: T-0001
  as_of: 2007-10-15
  sentence: {kind: community_order, sentenced_on: 2007-06-01}
  tiers: [{tier: 2, "on": 2007-06-01}]
  roh: [{level: high, "on": 2007-06-01}]
  assessments:
    - id: A1
      purpose: start
      completed_on: 2007-06-08
      parts_with_assessment: true
      screening: {full_analysis_required: true}
      full_analysis: {}
      rmp: {}
      sentence_plan: {}
"""

LONG_YAML = """\
- reference: T-0001
  as_of: 2007-10-15
  sentence: {kind: community_order, sentenced_on: 2007-06-01}
  tiers: [{tier: 2, "on": 2007-06-01}]
  roh: [{level: high, "on": 2007-06-01}]
  assessments:
    - id: A1
      purpose: start
      completed_on: 2007-06-08
      screening: {full_analysis_required: true, completed_on: 2007-06-08}
      full_analysis: {completed_on: 2007-06-08}
      rmp: {completed_on: 2007-06-08}
      sentence_plan: {completed_on: 2007-06-08}
"""


def _load(text: str, tmp_path: Path, name: str) -> Case:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    loaded = load_cases(path)
    assert loaded.errors == ()
    (case,) = loaded.cases
    return case


def test_a_short_case_file_reads_as_the_long_one(calendar: WorkingCalendar, tmp_path: Path) -> None:
    short = _load(SHORT_YAML, tmp_path, "short.yaml")
    long = _load(LONG_YAML, tmp_path, "long.yaml")
    (a,), (b,) = short.assessments, long.assessments
    assert (a.screening, a.full_analysis, a.rmp, a.sentence_plan) == (
        b.screening,
        b.full_analysis,
        b.rmp,
        b.sentence_plan,
    )
    # High RoH, sentenced Friday 1 June 2007: five working days (001:371) is Friday 8 June
    for rules in SHIPPED:
        assert evaluate(short, rules, as_of=D(2007, 10, 15), calendar=calendar).items == (
            evaluate(long, rules, as_of=D(2007, 10, 15), calendar=calendar).items
        ), rules.name
    got = evaluate(short, "national-standards-2005", as_of=D(2007, 10, 15), calendar=calendar)
    high = got.get("T-0001", "NS05.oasys-high-roh")
    assert high.outcome is Outcome.MET, high.reason
    assert (high.due, high.done) == (D(2007, 6, 8), D(2007, 6, 8))


def test_without_the_flag_an_undated_part_is_not_completed(calendar: WorkingCalendar) -> None:
    # The long reading stands: a part with no date of its own, in an assessment that does
    # not say parts_with_assessment, was started and not completed.
    facts = oasys("2007-06-08", one_date=True)
    del facts["parts_with_assessment"]
    case = make_case(assessments=[facts])
    assert case.assessments[0].sentence_plan is not None
    assert case.assessments[0].sentence_plan.completed_on is None


def test_a_part_with_its_own_date_keeps_it() -> None:
    case = make_case(
        assessments=[oasys("2007-06-08", one_date=True, dates={"sentence_plan": "2007-06-20"})]
    )
    (a,) = case.assessments
    assert a.part_completed_on(OasysPart.SCREENING) == D(2007, 6, 8)
    assert a.part_completed_on(OasysPart.SENTENCE_PLAN) == D(2007, 6, 20)


def test_an_exempted_full_analysis_is_not_completed_with_the_assessment() -> None:
    case = make_case(
        assessments=[
            oasys("2007-06-08", one_date=True, missing=["full_analysis"])
            | {"full_analysis": {"exempted": True}}
        ]
    )
    (a,) = case.assessments
    assert a.full_analysis is not None
    assert a.full_analysis.exempted
    assert a.part_completed_on(OasysPart.FULL_ANALYSIS) is None


def test_an_assessment_not_completed_dates_none_of_its_parts() -> None:
    case = make_case(
        assessments=[
            {
                "id": "A1",
                "purpose": "start",
                "parts_with_assessment": True,
                "screening": {"full_analysis_required": False},
                "sentence_plan": {},
            }
        ]
    )
    (a,) = case.assessments
    assert a.screening is not None
    assert a.sentence_plan is not None
    assert (a.screening.completed_on, a.sentence_plan.completed_on) == (None, None)


def test_a_review_that_re_scores_in_one_sitting(calendar: WorkingCalendar) -> None:
    # 2005 standard: RoH reviewed every 16 weeks (001:371); OASys 8 June 2007, a review
    # written once on Friday 21 September 2007 (8 June + 16 weeks = 28 September).
    long = make_case(
        roh=[{"level": "high", "on": "2007-06-01"}],
        assessments=[oasys("2007-06-08"), review("A1", "2007-09-21")],
    )
    short = make_case(
        roh=[{"level": "high", "on": "2007-06-01"}],
        assessments=[oasys("2007-06-08", one_date=True), review("A1", "2007-09-21", one_date=True)],
    )
    for name in ("national-standards-2005", "national-standards"):
        a = evaluate(long, name, as_of=D(2007, 10, 15), calendar=calendar)
        b = evaluate(short, name, as_of=D(2007, 10, 15), calendar=calendar)
        assert a.items == b.items, name
        first = b.get("T-0001", "NS05.roh-review-interval")
        assert first.outcome is Outcome.MET, first.reason
        assert first.due == D(2007, 9, 28)


def test_the_short_form_survives_writing_and_reading(tmp_path: Path) -> None:
    short = make_case(assessments=[oasys("2007-06-08", one_date=True)])
    path = tmp_path / "out.json"
    dump_cases([short], path)
    assert load_cases(path).cases == (short,)


@FEW
@given(cases())
def test_a_short_record_gives_the_same_findings_as_the_long_one(case: Case) -> None:
    short = short_form(case)
    calendar = default_calendar()
    for mine, theirs in zip(short.assessments, case.assessments, strict=True):
        for part in ("screening", "full_analysis", "rmp", "sentence_plan"):
            assert getattr(mine, part) == getattr(theirs, part), part
    for rules in SHIPPED:
        assert evaluate(short, rules, as_of=case.as_of, calendar=calendar).items == (
            evaluate(case, rules, as_of=case.as_of, calendar=calendar).items
        ), rules.name
    # the OASys kernels read the same dates
    a, b = CaseColumns.from_cases([short]), CaseColumns.from_cases([case])
    for name in ("assessment", "screening", "full_analysis", "rmp", "sentence_plan", "latest"):
        assert (getattr(a, name) == getattr(b, name)).all(), name


def test_the_example_in_docs_case_files_reads_as_it_says() -> None:
    """docs/case-files.md's short assessment: the undated parts take the assessment's
    date, the sentence plan keeps its own."""
    import re

    import yaml

    page = (Path(__file__).parents[2] / "docs" / "case-files.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(assessments:\n.*?)```", page, re.S)
    assert block is not None
    case = make_case(**yaml.safe_load(block.group(1)))
    (assessment,) = case.assessments
    day = dt.date(2007, 6, 8)
    assert assessment.screening is not None
    assert assessment.screening.completed_on == day
    assert assessment.full_analysis is not None
    assert assessment.full_analysis.completed_on == day
    assert assessment.rmp is not None
    assert assessment.rmp.completed_on == day
    assert assessment.sentence_plan is not None
    assert assessment.sentence_plan.completed_on == dt.date(2007, 6, 20)
