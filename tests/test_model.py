"""The case model: valid cases, register codes, and the contradictions a tired clerk makes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from casework import Case, ContradictionError
from casework.model import RohLevel, Tier
from casework.testing import CASE_DEFAULTS, make_case, merge


def _errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as info:
        Case.model_validate(data)
    return info.value.errors()


def _contradictions(data: dict[str, Any]) -> tuple[tuple[tuple[str | int, ...], str], ...]:
    errors = _errors(data)
    assert len(errors) == 1
    cause = errors[0]["ctx"]["error"]
    assert isinstance(cause, ContradictionError)
    return cause.problems


def test_a_minimal_case_is_valid() -> None:
    case = make_case()
    assert case.reference == "T-0001"
    assert case.tier_on(dt.date(2007, 6, 1)) is Tier.TIER_2
    assert case.start_event == ("sentence", dt.date(2007, 6, 1))


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("RLRH", RohLevel.LOW),
        ("RMRH", RohLevel.MEDIUM),
        ("rhrh", RohLevel.HIGH),
        ("RVHR", RohLevel.VERY_HIGH),
        ("RVRH", RohLevel.VERY_HIGH),
        ("Very high", RohLevel.VERY_HIGH),
        ("very_high", RohLevel.VERY_HIGH),
    ],
)
def test_register_codes_for_roh_levels_are_accepted(code: str, level: RohLevel) -> None:
    case = make_case(roh=[{"level": code, "on": "2007-06-05", "risk_to": {"children": code}}])
    assert case.roh[0].level is level
    assert case.roh[0].risk_to["children"] is level  # type: ignore[index]


def test_roh_levels_are_ordered() -> None:
    assert RohLevel.VERY_HIGH.at_least(RohLevel.HIGH)
    assert not RohLevel.MEDIUM.at_least(RohLevel.HIGH)


def test_release_before_sentence_is_a_contradiction() -> None:
    data = merge(
        CASE_DEFAULTS,
        {
            "sentence": {
                "kind": "licence",
                "sentenced_on": "2007-06-01",
                "released_on": "2007-05-01",
            }
        },
    )
    assert _contradictions(data) == (
        (("sentence", "released_on"), "a release on or after the date of sentence"),
    )


def test_a_licence_case_needs_a_release_and_an_order_cannot_have_one() -> None:
    licence = merge(CASE_DEFAULTS, {"sentence": {"kind": "licence"}})
    assert _contradictions(licence)[0][0] == ("sentence", "released_on")
    order = merge(CASE_DEFAULTS, {"sentence": {"released_on": "2007-07-01"}})
    assert _contradictions(order)[0][0] == ("sentence", "released_on")


def test_a_review_dated_before_the_assessment_it_reviews() -> None:
    data = merge(
        CASE_DEFAULTS,
        {
            "assessments": [
                {"id": "A1", "purpose": "start", "completed_on": "2007-06-20"},
                {
                    "id": "R1",
                    "purpose": "review",
                    "trigger": "scheduled",
                    "reviews": "A1",
                    "completed_on": "2007-06-10",
                },
            ]
        },
    )
    (problem,) = _contradictions(data)
    assert problem[0] == ("assessments", 1)
    assert "reviews (assessments[0])" in problem[1]


def test_a_review_of_an_unknown_assessment() -> None:
    data = merge(
        CASE_DEFAULTS,
        {
            "assessments": [
                {"id": "R1", "purpose": "review", "trigger": "scheduled", "reviews": "A9"}
            ]
        },
    )
    assert _contradictions(data)[0][0] == ("assessments", 0, "reviews")


def test_tier_outside_1_to_4() -> None:
    data = merge(CASE_DEFAULTS, {"tiers": [{"tier": 5, "on": "2007-06-01"}]})
    (error,) = _errors(data)
    assert error["loc"] == ("tiers", 0, "tier")
    assert error["type"] == "enum"


def test_unknown_enumeration_value() -> None:
    data = merge(CASE_DEFAULTS, {"sentence": {"kind": "community order"}})
    (error,) = _errors(data)
    assert error["loc"] == ("sentence", "kind")


def test_a_date_after_the_records_as_of() -> None:
    data = merge(CASE_DEFAULTS, {"inductions": [{"on": "2007-10-16"}]})
    assert _contradictions(data) == (
        (("inductions", 0, "on"), "a date on or before the record's as_of"),
    )


def test_several_contradictions_are_all_reported() -> None:
    data = merge(
        CASE_DEFAULTS,
        {
            "sentence": {"kind": "licence", "released_on": "2007-05-01"},
            "inductions": [{"on": "2008-01-01"}],
            "breaches": [{"failed_on": "2007-05-01"}],
        },
    )
    locations = {loc for loc, _ in _contradictions(data)}
    assert locations == {
        ("sentence", "released_on"),
        ("inductions", 0, "on"),
        ("breaches", 0, "failed_on"),
    }


@pytest.mark.parametrize("bad", [20070601, "01/06/2007", "2007-02-30", "2007-06-01T10:00:00"])
def test_dates_must_be_iso_calendar_dates(bad: object) -> None:
    data = merge(CASE_DEFAULTS, {"sentence": {"sentenced_on": bad}})
    (error,) = _errors(data)
    assert error["loc"][:2] == ("sentence", "sentenced_on")


def test_datetime_objects_are_not_dates() -> None:
    data = merge(CASE_DEFAULTS, {})
    data["sentence"]["sentenced_on"] = dt.datetime(2007, 6, 1, 9, 30)  # noqa: DTZ001
    (error,) = _errors(data)
    assert "not a date and time" in error["msg"]


def test_unknown_fields_are_rejected_and_cases_are_frozen() -> None:
    (error,) = _errors(merge(CASE_DEFAULTS, {"nickname": "x"}))
    assert error["type"] == "extra_forbidden"
    case = make_case()
    with pytest.raises(ValidationError):
        case.reference = "other"  # type: ignore[misc]


def test_validation_errors_do_not_echo_input() -> None:
    data = merge(
        CASE_DEFAULTS, {"personal": {"name": "Synthetic Name", "date_of_birth": "31/12/1979"}}
    )
    with pytest.raises(ValidationError) as info:
        Case.model_validate(data)
    text = str(info.value)
    assert "31/12/1979" not in text
    assert "Synthetic Name" not in text


def test_facts_at_a_date() -> None:
    case = make_case(
        tiers=[{"tier": 2, "on": "2007-06-01"}, {"tier": 4, "on": "2007-08-01"}],
        roh=[{"level": "medium", "on": "2007-06-05"}, {"level": "high", "on": "2007-08-01"}],
        offender={"ppo": [{"start": "2007-07-01", "end": "2007-09-30"}]},
        mappa={"levels": [{"level": 1, "on": "2007-06-10"}, {"level": 2, "on": "2007-09-01"}]},
    )
    assert case.tier_on(dt.date(2007, 7, 31)) is Tier.TIER_2
    assert case.tier_on(dt.date(2007, 8, 1)) is Tier.TIER_4
    assert case.tier_on(dt.date(2007, 5, 31)) is None
    assert case.roh_level_on(dt.date(2007, 8, 2)) is RohLevel.HIGH
    assert case.is_ppo_on(dt.date(2007, 9, 30))
    assert not case.is_ppo_on(dt.date(2007, 10, 1))
    assert case.mappa is not None
    assert case.mappa.level_on(dt.date(2007, 8, 1)) == 1


def test_licence_cases_start_at_release() -> None:
    case = make_case(
        sentence={"kind": "licence", "sentenced_on": "2006-01-10", "released_on": "2007-06-04"}
    )
    assert case.start_event == ("release", dt.date(2007, 6, 4))
    assert case.in_community_on(dt.date(2007, 6, 4))
    assert not case.in_community_on(dt.date(2007, 6, 3))


def test_json_schema_publishes_the_contract() -> None:
    schema = Case.model_json_schema()
    assert set(schema["required"]) == {"reference", "as_of", "sentence"}
    assert schema["additionalProperties"] is False
    roh_record = schema["$defs"]["RohRecord"]["properties"]["level"]
    assert "RVRH" in str(roh_record)
