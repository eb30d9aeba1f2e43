"""The strategies: only valid cases, pins that hold, edge cases that are what they say."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from casework import Case, Duration, TimeUnit, WorkingCalendar, dump_cases, dumps_cases, load_cases
from casework.model import OasysPart, RohLevel, SentenceKind, Tier
from casework.rules import Finding, Findings, Outcome, ruleset
from casework.rules.oasys import oasys_completion
from casework.rules.population import roh_at_start, tier_at_start
from casework.testing import default_calendar
from casework.testing import strategies as cs

CALENDAR = default_calendar()
#: For tests whose every example is several cases: a quarter of the profile's examples.
LISTS = settings(max_examples=max(10, settings().max_examples // 4))


@given(cs.cases())
def test_every_generated_case_survives_a_case_file(case: Case) -> None:
    """Dump as JSON Lines and as YAML, load back: accepted, and the same case."""
    lines = dumps_cases([case]).splitlines()
    back = load_cases([json.loads(line) for line in lines])
    assert back.ok, [str(error) for error in back.errors]
    assert back.cases == (case,)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.yaml"
        dump_cases([case], path)
        assert load_cases(path).cases == (case,)


@given(cs.cases())
def test_dates_make_sense_together(case: Case) -> None:
    sentence = case.sentence
    assert sentence.sentenced_on <= case.as_of
    if sentence.released_on is not None:
        assert sentence.sentenced_on <= sentence.released_on <= case.as_of
    for assessment in case.assessments:
        if assessment.reviews is not None:
            reviewed = case.assessment(assessment.reviews)
            assert reviewed is not None
            assert min(_days(assessment)) >= min(_days(reviewed))
    for breach in case.breaches:
        assert breach.failed_on >= sentence.sentenced_on


def _days(assessment: Any) -> list[dt.date]:
    return [d for d in (assessment.part_completed_on(p) for p in OasysPart) if d] or [dt.date.max]


@LISTS
@given(cs.case_lists(min_size=2, max_size=5))
def test_case_lists_are_a_valid_case_file(cases: list[Case]) -> None:
    assert [c.reference for c in cases] == [f"C-{n:04d}" for n in range(1, len(cases) + 1)]
    assert load_cases([json.loads(line) for line in dumps_cases(cases).splitlines()]).ok


@given(cs.cases(tier=4, ppo=False, released=True))
def test_pins_hold_tier_ppo_release(case: Case) -> None:
    kind, start = case.start_event
    assert (case.sentence.kind, kind) == (SentenceKind.LICENCE, "release")
    assert tier_at_start(case) is Tier.TIER_4
    assert not case.is_ppo_on(start)


@given(cs.cases(ppo=True, roh="RVHR", kind="community_order", mappa=True))
def test_pins_hold_ppo_roh_kind_mappa(case: Case) -> None:
    assert case.sentence.kind is SentenceKind.COMMUNITY_ORDER
    assert case.is_ppo_on(case.start_event[1])
    assert roh_at_start(case) is RohLevel.VERY_HIGH
    assert case.mappa is not None


@given(
    cs.cases(
        as_of=dt.date(2007, 10, 15),
        sentenced_on=st.dates(dt.date(2007, 6, 1), dt.date(2007, 6, 30)),
        released=False,
    )
)
def test_pins_hold_dates(case: Case) -> None:
    assert case.as_of == dt.date(2007, 10, 15)
    assert dt.date(2007, 6, 1) <= case.sentence.sentenced_on <= dt.date(2007, 6, 30)
    assert case.sentence.kind is not SentenceKind.LICENCE


@given(cs.cases(missing=["tier", "sentence_plan"]))
def test_missing_parts_are_missing(case: Case) -> None:
    assert case.tiers == ()
    assert all(a.sentence_plan is None for a in case.assessments)


@given(cs.cases(missing=["assessments"], tier=st.sampled_from([1, 2])))
def test_no_assessments_and_a_tier_drawn_from_a_strategy(case: Case) -> None:
    assert case.assessments == ()
    assert tier_at_start(case) in {Tier.TIER_1, Tier.TIER_2}


@given(
    cs.cases(
        oasys_on=dt.date(2007, 8, 27),
        as_of=dt.date(2007, 10, 15),
        sentenced_on=dt.date(2007, 8, 20),
        released=False,
    )
)
def test_oasys_on_a_bank_holiday(case: Case) -> None:
    """27 August 2007 is a bank holiday: every part of the start assessment is done on it."""
    start = case.assessments[0]
    assert {start.part_completed_on(p) for p in OasysPart} <= {dt.date(2007, 8, 27), None}
    assert start.completed_on == dt.date(2007, 8, 27)


@given(cs.cases(on_due_day=True, released=False, missing=["full_analysis"]))
def test_work_on_the_due_day(case: Case) -> None:
    completion = oasys_completion(case, parts=(OasysPart.ASSESSMENT,), full_analysis="never")
    if completion.completed_on is not None:
        due_days = {CALENDAR.add(completion.start[1], limit) for limit in cs.known_limits()}
        before = completion.completed_on < case.sentence.sentenced_on  # an assessment for the PSR
        assert before or completion.completed_on in due_days


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        ({"released": True, "kind": "custody"}, "released=True needs a licence case"),
        ({"released": False, "released_on": dt.date(2007, 1, 1)}, "released=False excludes"),
        ({"kind": "community_order", "released_on": dt.date(2007, 1, 1)}, "released_on needs"),
        ({"missing": ["colour"]}, r"missing=\['colour'\]"),
        ({"tier": 5}, "tier must be 1, 2, 3 or 4"),
        ({"roh": "extreme"}, "roh must be a RoH level"),
        ({"tier": 2, "missing": ["tier"]}, "tier is pinned and missing at once"),
    ],
)
def test_contradictory_pins_are_refused(pins: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        cs.cases(**pins)


def test_dates_pinned_after_as_of_are_refused() -> None:
    strategy = cs.cases(as_of=dt.date(2007, 1, 1), sentenced_on=dt.date(2007, 2, 1))

    @settings(max_examples=1, database=None)
    @given(strategy)
    def draw(case: Case) -> None:
        raise AssertionError("unreachable")  # pragma: no cover

    with pytest.raises(InvalidArgument, match="sentenced_on 2007-02-01 is after as_of"):
        draw()


@pytest.mark.parametrize("kind", sorted(cs.OUTCOME_BASES, key=str))
def test_findings_pair_outcome_and_basis(kind: Outcome) -> None:
    @settings(max_examples=20, database=None)
    @given(cs.findings(outcome=kind))
    def check(finding: Finding) -> None:
        assert finding.outcome is kind
        assert finding.basis in cs.OUTCOME_BASES[kind]
        json.dumps(finding.to_dict())

    check()


@LISTS
@given(cs.findings_of("national-standards-2007", min_size=1, max_size=4))
def test_findings_of_a_rule_set(findings: Findings) -> None:
    rule_ids = [r.id for r in ruleset("national-standards-2007").rules]
    assert len(findings) % len(rule_ids) == 0
    assert [f.rule_id for f in findings][: len(rule_ids)] == rule_ids
    assert len({f.as_of for f in findings}) == 1


REGISTERED = sorted(cs._REGISTERED, key=lambda t: t.__name__)


@pytest.mark.parametrize("kind", REGISTERED, ids=lambda t: t.__name__)
def test_from_type_gives_valid_values_for_every_registered_type(kind: type) -> None:
    @settings(max_examples=15, database=None)
    @given(st.from_type(kind))
    def check(value: object) -> None:
        assert isinstance(value, kind)
        if hasattr(kind, "model_validate"):
            assert kind.model_validate(value.model_dump()) == value  # type: ignore[attr-defined]

    check()


def test_every_case_model_type_is_registered() -> None:
    from pydantic import BaseModel

    from casework import model

    public = [getattr(model, name) for name in model.__all__]  # (vars(): only names used yet)
    models = {
        obj
        for obj in public
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not model.Record
    }
    assert models <= set(cs._REGISTERED)


@pytest.mark.parametrize(
    "limit",
    [
        Duration(8, TimeUnit.WEEKS),
        Duration(4, TimeUnit.MONTHS),
        Duration(28, TimeUnit.CALENDAR_DAYS),
    ],
    ids=str,
)
def test_calendar_deadlines_that_fall_on_a_bank_holiday(limit: Duration) -> None:
    @settings(max_examples=30, database=None)
    @given(cs.holiday_deadlines(limit))
    def check(deadline: cs.Deadline) -> None:
        assert CALENDAR.holiday_name(deadline.due) is not None
        assert CALENDAR.add(deadline.anchor, limit) == deadline.due

    check()


@given(cs.holiday_deadlines("10 working days"))
def test_working_day_deadlines_pushed_back_by_a_bank_holiday(deadline: cs.Deadline) -> None:
    assert deadline.due == CALENDAR.add_working_days(deadline.anchor, 10)
    days = (
        deadline.anchor + dt.timedelta(n) for n in range(1, (deadline.due - deadline.anchor).days)
    )
    assert any(CALENDAR.holiday_name(day) and day.weekday() < 5 for day in days)


@given(cs.edge_dates(dt.date(2006, 1, 1), dt.date(2006, 12, 31)))
def test_edge_dates_stay_in_range(day: dt.date) -> None:
    assert dt.date(2006, 1, 1) <= day <= dt.date(2006, 12, 31)


@given(st.data(), cs.dates(dt.date(2006, 1, 1), dt.date(2007, 12, 31)))
def test_work_dates(data: st.DataObject, anchor: dt.date) -> None:
    latest = dt.date(2008, 1, 31)
    done = data.draw(cs.work_dates(anchor, latest))
    assert done is None or anchor <= done <= latest
    due = data.draw(cs.work_dates(anchor, dt.date(2010, 1, 1), on_due_day=True))
    assert due in {CALENDAR.add(anchor, limit) for limit in cs.known_limits()}


def test_known_limits_come_from_the_parameter_files() -> None:
    limits = set(cs.known_limits())
    assert {Duration(5, TimeUnit.WORKING_DAYS), Duration(15, TimeUnit.WORKING_DAYS)} <= limits
    assert Duration(8, TimeUnit.WEEKS) in limits


@given(cs.calendars())
def test_calendars_cover_the_generated_years(calendar: WorkingCalendar) -> None:
    assert calendar.covers(cs.EARLIEST)
    assert calendar.covers(cs.LATEST + dt.timedelta(days=400))


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['hypothesis'] = None\n" + code],
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_hypothesis_the_strategies_say_how_to_get_it() -> None:
    result = _run("import casework.testing.strategies")
    assert result.returncode == 1
    assert "ImportError: casework.testing.strategies needs Hypothesis" in result.stderr
    assert "pip install 'casework[testing]'" in result.stderr


def test_without_hypothesis_the_rest_of_casework_testing_works() -> None:
    result = _run(
        "from casework.testing import make_case, oasys\n"
        "from casework.testing.scenarios import load_scenarios\n"
        "print(make_case(assessments=[oasys('2007-06-08')]).reference)"
    )
    assert (result.returncode, result.stdout) == (0, "T-0001\n"), result.stderr
