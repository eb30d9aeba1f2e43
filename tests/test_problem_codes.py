"""Every rejection carries a stable code; every contradiction the model checks is triggered here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from casework import CaseError, case_from_request
from casework.io import parse_record
from casework.problems import CODES
from casework.testing import CASE_DEFAULTS, merge

ROOT = Path(__file__).resolve().parent.parent

LICENCE = {"kind": "licence", "sentenced_on": "2007-01-05", "released_on": "2007-06-01"}
ASSESSMENT = {"id": "A1", "purpose": "start", "completed_on": "2007-06-10"}

#: (code, changes to the default record, field the problem is located at)
CONTRADICTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("date.after_as_of", {"inductions": [{"on": "2007-10-16"}]}, "inductions[0].on"),
    ("licence.no_release", {"sentence": {"kind": "licence"}}, "sentence.released_on"),
    ("release.not_licence", {"sentence": {"released_on": "2007-07-01"}}, "sentence.released_on"),
    (
        "release.before_sentence",
        {"sentence": {**LICENCE, "released_on": "2007-01-04"}},
        "sentence.released_on",
    ),
    ("start.before_sentence", {"sentence": {"starts_on": "2007-05-31"}}, "sentence.starts_on"),
    ("end.before_sentence", {"sentence": {"ends_on": "2007-05-31"}}, "sentence.ends_on"),
    (
        "termination.before_sentence",
        {"sentence": {"termination": {"on": "2007-05-31", "reason": "completed"}}},
        "sentence.termination.on",
    ),
    (
        "breach.before_sentence",
        {"breaches": [{"failed_on": "2007-05-31"}]},
        "breaches[0].failed_on",
    ),
    ("recall.before_release", {"recalls": [{"on": "2007-07-01"}]}, "recalls[0].on"),
    (
        "recall.before_release",
        {"sentence": LICENCE, "recalls": [{"on": "2007-05-31"}]},
        "recalls[0].on",
    ),
    ("assessment.duplicate_id", {"assessments": [ASSESSMENT, ASSESSMENT]}, "assessments[1].id"),
    (
        "review.unknown_assessment",
        {
            "assessments": [
                {"id": "R1", "purpose": "review", "trigger": "scheduled", "reviews": "A9"}
            ]
        },
        "assessments[0].reviews",
    ),
    (
        "review.before_reviewed",
        {
            "assessments": [
                ASSESSMENT,
                {
                    "id": "R1",
                    "purpose": "review",
                    "trigger": "scheduled",
                    "reviews": "A1",
                    "completed_on": "2007-06-09",
                },
            ]
        },
        "assessments[1]",
    ),
    ("victim.duplicate_id", {"victims": [{"id": "V1"}, {"id": "V1"}]}, "victims[1].id"),
    (
        "tier.duplicate_date",
        {"tiers": [{"tier": 2, "on": "2007-06-01"}, {"tier": 3, "on": "2007-06-01"}]},
        "tiers[1].on",
    ),
    (
        "roh.duplicate_date",
        {"roh": [{"level": "low", "on": "2007-06-01"}, {"level": "high", "on": "2007-06-01"}]},
        "roh[1].on",
    ),
    (
        "transfer.before_notification",
        {"transfer_in": {"notified_on": "2007-07-02", "first_contact_on": "2007-07-01"}},
        "transfer_in.first_contact_on",
    ),
    (
        "custody_move.notified_before_move",
        {
            "sentence": {"kind": "custody"},
            "custody_moves": [{"on": "2007-07-02", "om_notified_on": "2007-07-01"}],
        },
        "custody_moves[0].om_notified_on",
    ),
    (
        "birth.after_sentence",
        {"personal": {"date_of_birth": "2007-06-02"}},
        "personal.date_of_birth",
    ),
    # checks inside one part
    (
        "period.end_before_start",
        {"offender": {"ppo": [{"start": "2007-06-02", "end": "2007-06-01"}]}},
        "offender.ppo[0]",
    ),
    (
        "psr.due_before_request",
        {"psr": {"kind": "oral", "requested_on": "2007-05-02", "due_on": "2007-05-01"}},
        "psr",
    ),
    (
        "psr.delivered_before_request",
        {"psr": {"kind": "oral", "requested_on": "2007-05-02", "delivered_on": "2007-05-01"}},
        "psr",
    ),
    (
        "breach.action_before_failure",
        {"breaches": [{"failed_on": "2007-07-02", "action_on": "2007-07-01"}]},
        "breaches[0]",
    ),
    (
        "breach.resolved_before_failure",
        {"breaches": [{"failed_on": "2007-07-02", "resolved_on": "2007-07-01"}]},
        "breaches[0]",
    ),
    (
        "premises.left_before_arrival",
        {"approved_premises": [{"arrived_on": "2007-07-02", "left_on": "2007-07-01"}]},
        "approved_premises[0]",
    ),
    (
        "review.no_trigger",
        {"assessments": [{"id": "R1", "purpose": "review"}]},
        "assessments[0]",
    ),
    (
        "assessment.review_fields",
        {"assessments": [{**ASSESSMENT, "trigger": "scheduled"}]},
        "assessments[0]",
    ),
    (
        "mappa.duplicate_date",
        {"mappa": {"levels": [{"level": 1, "on": "2007-06-01"}, {"level": 2, "on": "2007-06-01"}]}},
        "mappa",
    ),
    (
        "requirement.completed_before_start",
        {
            "sentence": {
                "requirements": [
                    {
                        "kind": "unpaid_work",
                        "commenced_on": "2007-07-02",
                        "completed_on": "2007-07-01",
                    }
                ]
            }
        },
        "sentence.requirements[0]",
    ),
    (
        "intervention.completed_before_start",
        {
            "interventions": [
                {
                    "kind": "skills_for_life",
                    "started_on": "2007-07-02",
                    "completed_on": "2007-07-01",
                }
            ]
        },
        "interventions[0]",
    ),
    (
        "om_assignment.end_before_start",
        {
            "om_assignments": [
                {"staff": "S1", "role": "po", "start": "2007-07-02", "end": "2007-07-01"}
            ]
        },
        "om_assignments[0]",
    ),
    (
        "employment.end_before_start",
        {
            "outcomes": {
                "employment": [
                    {"kind": "employment", "started_on": "2007-07-02", "ended_on": "2007-07-01"}
                ]
            }
        },
        "outcomes.employment[0]",
    ),
]

#: Field-level rejections: (code, changes, field)
FIELD_PROBLEMS: list[tuple[str, dict[str, Any], str]] = [
    ("field.missing", {"sentence": {"kind": None}}, "sentence.kind"),
    ("field.unknown", {"nickname": "x"}, "<name of 8 characters>"),
    ("field.not_allowed", {"tiers": [{"tier": 5, "on": "2007-06-01"}]}, "tiers[0].tier"),
    ("field.not_text", {"area": 5}, "area"),
    ("field.not_integer", {"sentence": {"custodial_months": "many"}}, "sentence.custodial_months"),
    ("field.not_boolean", {"child_safeguarding_concern": "maybe"}, "child_safeguarding_concern"),
    ("field.not_object", {"offender": [1]}, "offender"),
    ("field.not_list", {"tiers": 3}, "tiers"),
    ("field.too_long", {"area": "x" * 81}, "area"),
    ("field.too_short", {"reference": ""}, "reference"),
    ("field.bad_format", {"reference": "has spaces"}, "reference"),
    ("field.out_of_range", {"sentence": {"custodial_months": 1201}}, "sentence.custodial_months"),
    ("date.invalid", {"as_of": "15/10/2007"}, "as_of"),
    ("date.impossible", {"as_of": "2007-02-30"}, "as_of"),
    ("date.out_of_range", {"sentence": {"sentenced_on": "1907-06-01"}}, "sentence.sentenced_on"),
    ("date.out_of_range", {"as_of": "2051-01-01"}, "as_of"),
]


def _problem_codes(record: dict[str, Any]) -> list[tuple[str, str]]:
    item = parse_record(record)
    assert isinstance(item, CaseError), "the record was accepted"
    return [(problem.code, problem.field) for problem in item.problems]


@pytest.mark.parametrize(
    ("code", "changes", "field"), CONTRADICTIONS + FIELD_PROBLEMS, ids=lambda v: str(v)[:40]
)
def test_each_rejection_has_its_code_and_place(
    code: str, changes: dict[str, Any], field: str
) -> None:
    assert _problem_codes(merge(CASE_DEFAULTS, changes)) == [(code, field)]


def test_the_unchanged_record_is_valid() -> None:
    assert not isinstance(parse_record(dict(CASE_DEFAULTS)), CaseError)


def test_every_contradiction_code_is_triggered_by_a_test() -> None:
    tested = {code for code, _, _ in CONTRADICTIONS + FIELD_PROBLEMS}
    first_contradiction = list(CODES).index("period.end_before_start")
    last = list(CODES).index("birth.after_sentence")
    contradiction_codes = set(list(CODES)[first_contradiction : last + 1])
    assert contradiction_codes - tested == set()
    assert tested - set(CODES) == set()


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    text = (ROOT / "docs" / "case-files.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+\.[a-z_0-9]+)` \|", text, re.MULTILINE))
    assert documented == set(CODES)


def test_a_request_body_becomes_a_case_or_a_private_error() -> None:
    body = '{"reference": "R-1", "as_of": "2007-10-15", "personal": {"name": "Jane Doe"}}'
    error = case_from_request(body.encode())
    assert isinstance(error, CaseError)
    assert error.codes == ("field.missing",)
    assert "Jane" not in str(error)
    assert case_from_request(b"\xff").code == "json.not_utf8"  # type: ignore[union-attr]
    assert case_from_request("[1]").code == "record.not_object"  # type: ignore[union-attr]
    valid = merge(CASE_DEFAULTS, {"personal": {"name": "Jane Doe"}})
    case = case_from_request(valid)
    assert not isinstance(case, CaseError)
    assert case.reference == "T-0001"
