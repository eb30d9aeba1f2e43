"""Raw tables (casework.columnar.raw): the layout follows the model, values as documented."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from casework._fastread import fast_reader
from casework.columnar import NO_DAY, day_number
from casework.columnar.raw import NO_INT, Kind, code_of, layout, raw_from_cases, same_tables
from casework.model import AssessmentPurpose, Case, ContactKind
from casework.testing import strategies as cs


def test_every_field_of_the_model_has_a_place() -> None:
    tables = layout()
    assert next(iter(tables)) == "case"
    for name, table in tables.items():
        if name != "case":
            assert table.parent in tables
            assert [c.name for c in table.columns[:2]] == ["owner", "position"]
    case_columns = {column.name: column for column in tables["case"].columns}
    assert case_columns["sentence.kind"].kind is Kind.ENUM
    assert case_columns["sentence.termination"].presence
    assert "assessments" in tables
    assert "roh.risk_to" in tables
    assert tables["roh.risk_to"].parent == "roh"


def test_values_are_encoded_as_documented() -> None:
    record = {
        "reference": "R1",
        "as_of": "2008-06-30",
        "sentence": {"kind": "community_order", "sentenced_on": "2008-01-10"},
        "assessments": [
            {"id": "a", "purpose": "start", "completed_on": "2008-01-20"},
            {
                "id": "b",
                "purpose": "review",
                "trigger": "scheduled",
                "screening": {"full_analysis_required": True},
            },
        ],
        "contacts": [{"on": "2008-01-11"}, {"on": "2008-01-12", "kind": "home_visit"}],
    }
    raw = raw_from_cases([Case.model_validate(record)])
    case = raw["case"]
    assert case["reference"].tolist() == ["R1"]
    assert case["sentence.sentenced_on"].tolist() == [day_number(dt.date(2008, 1, 10))]
    assert case["sentence.released_on"].tolist() == [NO_DAY]
    assert case["sentence.custodial_months"].tolist() == [NO_INT]
    assessments = raw["assessments"]
    assert assessments["owner"].tolist() == [0, 0]
    assert assessments["position"].tolist() == [0, 1]
    assert assessments["purpose"].tolist() == [
        code_of(AssessmentPurpose.START),
        code_of(AssessmentPurpose.REVIEW),
    ]
    assert assessments["screening"].tolist() == [False, True]
    assert assessments["screening.full_analysis_required"].tolist() == [False, True]
    assert assessments["completed_on"].dtype == np.int64
    kinds = raw["contacts"]["kind"].tolist()
    assert kinds == [code_of(ContactKind.OFFICE), code_of(ContactKind.HOME_VISIT)]


@settings(max_examples=25)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=4))
def test_read_from_cases_or_from_the_fast_readers_records_alike(cases: list[Case]) -> None:
    reader = fast_reader()
    structs = [reader._decoder.decode(case.model_dump_json(exclude_unset=True)) for case in cases]
    assert same_tables(raw_from_cases(cases), raw_from_cases(structs)) == []
    owners = raw_from_cases(cases)["assessments"]["owner"]
    assert owners.tolist() == sorted(owners.tolist())
