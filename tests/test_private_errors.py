"""Errors describe a wrong value by kind and size, never its content; repr shows nobody."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pydantic import ValidationError

from casework import Case, CaseError, case_from_request
from casework.io import parse_record
from casework.problems import describe
from casework.testing import CASE_DEFAULTS, make_case, merge

NAME = "Jane Doe"


@pytest.mark.parametrize(
    ("changes", "field", "found"),
    [
        (
            {"sentence": {"licence_conditions": [f"no contact with {NAME}"]}},
            "sentence.licence_conditions[0]",
            "text of 24 characters",
        ),
        ({"victims": [{"id": NAME}]}, "victims[0].id", "text of 8 characters"),
        ({"as_of": f"{NAME} said 2007"}, "as_of", "text of 18 characters"),
        ({"sentence": {"kind": NAME}}, "sentence.kind", "text of 8 characters"),
        (
            {"tiers": [{"tier": [NAME, NAME], "on": "2007-06-01"}]},
            "tiers[0].tier",
            "a list of 2 items",
        ),
        ({"offender": NAME}, "offender", "text of 8 characters"),
        ({"area": {"name": NAME}}, "area", "an object of 1 field"),
        (
            {"personal": {"date_of_birth": "31/12/1979"}},
            "personal.date_of_birth",
            "text of 10 characters",
        ),
        ({NAME: 1}, "<name of 8 characters>", "a field the format does not have"),
        ({"sentence": {"kind": None}}, "sentence.kind", "nothing (the field is absent)"),
    ],
)
def test_a_wrong_value_is_described_never_shown(
    changes: dict[str, Any], field: str, found: str
) -> None:
    error = parse_record(merge(CASE_DEFAULTS, changes))
    assert isinstance(error, CaseError)
    assert [(p.field, p.found) for p in error.problems] == [(field, found)]
    assert "Jane" not in str(error)
    assert "1979" not in str(error)


def test_an_unknown_field_close_to_a_real_one_gets_a_suggestion() -> None:
    error = parse_record(merge(CASE_DEFAULTS, {"sentence": {"sentenced_om": "2007-06-01"}}))
    assert isinstance(error, CaseError)
    assert "did you mean 'sentenced_on'?" in error.problems[0].found


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "nothing"),
        (True, "a true/false value"),
        (7, "a whole number of 1 digit"),
        (10**5000, "a whole number of more than 30 digits"),
        (1.5, "a decimal number"),
        ("", "empty text"),
        ("a", "text of 1 character"),
        ("2007-06-01", "a date"),
        (b"ab", "binary data of 2 bytes"),
        ([1], "a list of 1 item"),
        ({"a": 1, "b": 2}, "an object of 2 fields"),
        (object(), "a value of another kind"),
    ],
    ids=lambda value: type(value).__name__,
)
def test_describe(value: object, text: str) -> None:
    assert describe(value) == text


def test_repr_and_str_of_a_case_show_no_personal_details() -> None:
    case = make_case(
        personal={"name": NAME, "date_of_birth": "1979-12-31", "crn": "X123456", "pnc": "07/1"},
        offender={"disabilities": [f"{NAME}'s hearing"]},
        sentence={
            "kind": "licence",
            "sentenced_on": "2007-01-05",
            "released_on": "2007-06-01",
            "licence_conditions": [{"kind": "standard", "text": f"no contact with {NAME}"}],
        },
        events=[{"on": "2007-07-02", "kind": "significant_incident", "description": NAME}],
        transfer_in={"notified_on": "2007-06-10", "from_area": NAME},
    )
    for shown in (repr(case), str(case), repr(case.personal), repr(case.sentence)):
        assert "Jane" not in shown
        assert "1979" not in shown
        assert "X123456" not in shown
    assert "name=<withheld>" in repr(case.personal)
    assert "crn=<withheld>" in repr(case.personal)


def test_a_case_built_directly_hides_its_input_and_survives_deep_values() -> None:
    data = copy.deepcopy(dict(CASE_DEFAULTS))
    data["sentence"]["kind"] = NAME
    with pytest.raises(ValidationError) as info:
        Case.model_validate(data)
    assert "Jane" not in str(info.value)
    deep: object = "x"
    for _ in range(5000):
        deep = [deep]
    data["sentence"]["kind"] = deep
    with pytest.raises(ValidationError, match="nesting at most 16 deep"):
        Case.model_validate(data)


def test_request_bodies_in_every_form() -> None:
    valid = merge(CASE_DEFAULTS, {"personal": {"name": NAME}})
    assert isinstance(case_from_request(valid), Case)
    text = json.dumps(valid)
    assert isinstance(case_from_request(text), Case)
    assert isinstance(case_from_request(b"\xef\xbb\xbf" + text.encode()), Case)
    broken = case_from_request(text[:-1])
    assert isinstance(broken, CaseError)
    assert broken.code == "json.invalid"
    assert "Jane" not in str(broken)
