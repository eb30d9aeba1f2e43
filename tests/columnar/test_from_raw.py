"""CaseColumns.from_raw: the fixed columns worked out on raw tables equal the model's own
facts (Case.start_event, Case.is_ppo_on, tier_at_start, OasysAssessment.latest_date, ...),
read here case by case from ``Case`` objects as the columns were read before."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import Case, load_cases
from casework.columnar import NO_DAY, CaseColumns, day_number
from casework.columnar.raw import raw_from_cases
from casework.model import AssessmentPurpose, ReviewTrigger
from casework.rules.population import tier_at_start
from casework.testing import strategies as cs
from tests.columnar.reading import WITNESSES, bench_records, example_records

_FIXED = (
    "start",
    "released",
    "ppo_at_start",
    "tier_at_start",
    "record_as_of",
    "sentenced",
    "owner",
    "purpose",
    "for_release",
    "latest",
    "assessment",
    "screening",
    "screened_in",
    "full_analysis",
    "rmp",
    "sentence_plan",
)


def _day(day: Any) -> int:
    return day_number(day)


def model_columns(cases: Sequence[Case]) -> dict[str, list[Any]]:
    """Each fixed column, from the model's own properties, case by case."""
    out: dict[str, list[Any]] = {name: [] for name in _FIXED}
    purposes = list(AssessmentPurpose)
    for row, case in enumerate(cases):
        kind, day = case.start_event
        out["start"].append(_day(day))
        out["released"].append(kind == "release")
        out["ppo_at_start"].append(case.is_ppo_on(day))
        tier = tier_at_start(case)
        out["tier_at_start"].append(0 if tier is None else int(tier))
        out["record_as_of"].append(_day(case.as_of))
        out["sentenced"].append(_day(case.sentence.sentenced_on))
        for item in case.assessments:
            out["owner"].append(row)
            out["purpose"].append(purposes.index(item.purpose))
            out["for_release"].append(
                item.purpose is AssessmentPurpose.RELEASE
                or (
                    item.purpose is AssessmentPurpose.REVIEW
                    and item.trigger in (ReviewTrigger.RELEASE, ReviewTrigger.PRE_RELEASE)
                )
            )
            out["latest"].append(_day(item.latest_date))
            out["assessment"].append(_day(item.completed_on))
            screen = item.screening
            out["screening"].append(_day(screen.completed_on if screen else None))
            out["screened_in"].append(
                screen is not None
                and screen.completed_on is not None
                and screen.full_analysis_required is True
            )
            full = item.full_analysis
            if full is None:
                out["full_analysis"].append(NO_DAY)
            elif full.completed_on is None and full.exempted:
                countersigned = full.exemption_countersigned_on
                out["full_analysis"].append(_day(countersigned))
            else:
                out["full_analysis"].append(_day(full.completed_on))
            out["rmp"].append(_day(item.rmp.completed_on if item.rmp else None))
            plan = item.sentence_plan
            out["sentence_plan"].append(_day(plan.completed_on if plan else None))
    return out


def assert_columns_of_the_model(cases: Sequence[Case]) -> None:
    for columns in (
        CaseColumns.from_raw(raw_from_cases(cases), tuple(cases)),
        CaseColumns.from_cases(cases),
    ):
        expected = model_columns(cases)
        for name in _FIXED:
            assert getattr(columns, name).tolist() == expected[name], name
        assert columns.references == tuple(case.reference for case in cases)
        assert len(columns) == len(cases)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(cs.cases(), max_size=4))
def test_columns_from_raw_tables_are_the_models_facts(cases: list[Case]) -> None:
    assert_columns_of_the_model(cases)


def test_the_witness_benchmark_and_example_cases_have_the_models_facts(tmp_path: Any) -> None:
    records = [json.loads(line) for line in WITNESSES.read_text().splitlines() if line.strip()]
    records += bench_records(200) + example_records()
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    loaded = load_cases(path)
    assert loaded.ok
    assert_columns_of_the_model(loaded.cases)


def test_ties_and_gaps_in_tiers_and_ppo_periods_follow_the_model() -> None:
    base = example_records()[0]
    day = base["sentence"]["sentenced_on"]
    variants: list[dict[str, Any]] = []
    for tiers in (
        [],
        [{"tier": 3, "on": "2005-01-01"}, {"tier": 2, "on": day}],  # the latest before
        [{"tier": 4, "on": "2007-12-01"}, {"tier": 1, "on": "2007-11-01"}],  # the first after
        [{"tier": 1, "on": "2005-01-01"}, {"tier": 3, "on": "2007-11-01"}],  # before wins
    ):
        record = {**base, "as_of": "2008-06-30", "tiers": tiers}
        variants.append(record)
    for ppo in (
        [{"start": day, "end": day}],
        [{"start": "2005-01-01", "end": "2006-01-01"}],
        [{"start": "2005-01-01"}],
    ):
        variants.append({**base, "offender": {"ppo": ppo}})
    cases = [Case.model_validate(record) for record in variants]
    assert_columns_of_the_model(cases)
    columns = CaseColumns.from_cases(cases)
    assert columns.tier_at_start.tolist()[:4] == [0, 2, 1, 1]
    assert columns.ppo_at_start.tolist()[4:] == [True, False, True]
    assert np.all(columns.start == day_number(cases[0].sentence.sentenced_on))
