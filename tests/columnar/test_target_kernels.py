"""The target kernels agree with their scalar rules, case by case.

``TGT.case``, ``TGT.successful-completion``, ``TGT.compliance``,
``TGT.accommodation-at-end`` and ``TGT.six-months-without-breach``: hand-picked edge
cases (neutral, successful and failing terminations, breaches resolved either way,
accommodation not recorded, the six-month point on the evaluation date, on a
weekend and at the end of February, breach action on the point itself, orders that
ended early) and generated cases, at evaluation dates before, on and after the
points that matter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.columnar import KERNELS, CaseColumns, rule_columns
from casework.columnar.targets import UNIT_WORDS
from casework.model import Case
from casework.rules import evaluate
from casework.rules.ruleset import RuleSet
from casework.rules.targets.catalogue import target_set
from casework.testing import oasys
from casework.testing import strategies as cs
from tests.columnar.test_supervision_kernels import _check

RULES = (
    "TGT.case",
    "TGT.successful-completion",
    "TGT.compliance",
    "TGT.accommodation-at-end",
    "TGT.six-months-without-breach",
    "TGT.victim-contact",
    "TGT.breach-resolution",
    "TGT.psr-delivery",
    "TGT.upw-completion",
    "TGT.employment-sustained",
    "TGT.employment-or-training-sustained",
    "TGT.programme-completion-general",
    "TGT.programme-completion-sex-offender",
    "TGT.programme-completion-domestic-violence",
    "TGT.drr-retention",
    "NS05.oasys-high-roh",
)
SETS = ("nps-2005-06", "nps-2007-08", "rom-east-of-england-2007-08")


def _mine() -> list[tuple[str, str]]:
    return [
        (name, rule.id)
        for name in SETS
        for rule in target_set(name).ruleset
        if rule.id in RULES and rule.id in KERNELS
    ]


def _rules(name: str) -> RuleSet:
    return target_set(name).ruleset


def _case(reference: str, **parts: Any) -> Case:
    record: dict[str, Any] = {
        "reference": reference,
        "as_of": "2008-03-31",
        "sentence": {"kind": "community_order", "sentenced_on": "2007-06-01"},
        "tiers": [{"tier": 2, "on": "2007-06-01"}],
    }
    record.update(parts)
    return Case.model_validate(record)


def _ended(on: str, reason: str, **sentence: Any) -> dict[str, Any]:
    return {
        "kind": "community_order",
        "sentenced_on": "2007-06-01",
        "termination": {"on": on, "reason": reason},
        **sentence,
    }


def _housed(at_start: str, at_end: str) -> dict[str, str]:
    return {"at_start": at_start, "at_end": at_end}


def _breach(failed: str, action: str, resolved: str, resolution: str) -> dict[str, str]:
    return {"failed_on": failed, "action_on": action, "resolved_on": resolved,
            "resolution": resolution}  # fmt: skip


def _high_roh(assessment: dict[str, Any], **parts: Any) -> dict[str, Any]:
    return {
        "sentence": {"kind": "community_order", "sentenced_on": "2006-06-01"},
        "tiers": [{"tier": 3, "on": "2006-06-01"}],
        "roh": [{"level": "high", "on": "2006-06-01"}],
        "assessments": [assessment],
        **parts,
    }


def _victim(id: str, statutory: bool = True) -> dict[str, Any]:
    return {"id": id, "statutory": statutory}


def _custody(months: int, offence: str) -> dict[str, Any]:
    return {"kind": "custody", "sentenced_on": "2007-06-01", "custodial_months": months,
            "offence_category": offence}  # fmt: skip


def _agree(cases: list[Case], rules: RuleSet, rule_id: str, as_of: dt.date,
           calendar: WorkingCalendar) -> list[tuple[Any, ...]]:  # fmt: skip
    """Outcome, basis and dates (``_check``), and each answer's unit and case."""
    seen = _check(cases, rules, rule_id, as_of, calendar)
    answered = rule_columns(
        CaseColumns.from_cases(cases), rules, rule_id, as_of=as_of, calendar=calendar
    )
    scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar)
    assert len(answered) == len(scalar)
    assert list(answered.unit) == [finding.unit for finding in scalar]
    assert [answered.columns.references[row] for row in answered.row] == [
        finding.case_ref for finding in scalar
    ]
    return seen


def _edge_cases() -> list[Case]:
    """1 June 2007 + 6 months = 1 December 2007, a Saturday; 31 August + 6 months = the end
    of February."""
    return [
        _case("E-01"),  # running: not yet due
        _case("E-02", sentence=_ended("2008-01-10", "completed")),
        _case("E-03", sentence=_ended("2008-01-10", "early_termination_good_progress")),
        _case("E-04", sentence=_ended("2008-01-10", "revoked_breach")),
        _case("E-05", sentence=_ended("2008-01-10", "transferred_out")),  # neutral
        _case("E-06", sentence=_ended("2007-11-15", "died")),  # neutral, before the point
        _case(
            "E-07",
            sentence=_ended("2008-02-01", "completed"),
            breaches=[_breach("2007-07-02", "2007-07-10", "2007-08-01", "revoked_resentenced")],
        ),
        _case(
            "E-08",
            sentence=_ended("2008-02-01", "completed"),
            breaches=[_breach("2007-11-20", "2007-12-01", "2007-12-20", "order_continued")],
        ),
        _case("E-09", breaches=[{"failed_on": "2007-11-28", "action_on": "2007-12-02"}]),
        _case("E-10", breaches=[{"failed_on": "2007-11-28"}]),  # no action
        _case(
            "E-11",
            sentence=_ended("2007-10-01", "revoked_breach"),
            breaches=[{"failed_on": "2007-08-01", "action_on": "2007-08-03"}],
        ),
        _case(
            "E-12",
            sentence=_ended("2008-01-10", "completed"),
            outcomes={"accommodation": _housed("not_settled", "settled_and_suitable")},
        ),
        _case(
            "E-13",
            sentence=_ended("2008-01-10", "completed"),
            outcomes={"accommodation": _housed("settled_and_suitable", "not_settled")},
        ),
        _case(
            "E-14",
            sentence={"kind": "custody", "sentenced_on": "2007-06-01", "custodial_months": 24},
        ),
        _case(
            "E-15",
            sentence={
                "kind": "licence",
                "sentenced_on": "2006-01-10",
                "released_on": "2007-08-31",
                "custodial_months": 24,
                "termination": {"on": "2008-02-29", "reason": "recalled"},
            },
        ),
        _case(
            "E-16",
            sentence={"kind": "suspended_sentence_order", "sentenced_on": "2007-08-31"},
            breaches=[{"failed_on": "2008-02-20", "action_on": "2008-02-29"}],
        ),
        _case("E-17", sentence={"kind": "suspended_sentence_order", "sentenced_on": "2007-08-31"}),
        # Victims: 1 June 2007 + 8 weeks = 27 July 2007.
        _case(
            "E-18",
            sentence=_custody(24, "serious_violent"),
            victims=[
                {"id": "V1", "statutory": True, "contacted_on": "2007-07-27"},
                {"id": "V5", "statutory": True, "contact_offered_on": "2007-07-30"},
                {"id": "V2", "statutory": False},
                {
                    "id": "V3",
                    "statutory": True,
                    "contacted_on": "2007-08-01",
                    "contact_offered_on": "2007-07-20",
                },
                {"id": "V4", "statutory": True},
            ],
        ),
        _case("E-19", victims=[{"id": "V1", "statutory": True}]),  # an order: ruled out
        _case(
            "E-20",
            sentence=_custody(6, "serious_sexual"),
            victims=[{"id": "V1", "statutory": True}],
        ),
        _case("E-21", sentence=_custody(24, "other"), victims=[{"id": "V1", "statutory": True}]),
        _case(
            "E-22",
            sentence=_custody(24, "serious_sexual"),
            victims=[{"id": "V9", "statutory": False}],
        ),
        # High RoH at the start (2005-06 PT1): 1 June 2006 + 5 working days = 8 June 2006.
        _case("E-23", **_high_roh(oasys("2006-06-08"))),
        _case("E-24", **_high_roh(oasys("2006-06-09"))),
        _case("E-25", **_high_roh(oasys("2006-06-05", missing=["rmp"]))),
        _case("E-26", **_high_roh(oasys("2006-06-05"), roh=[])),  # RoH not recorded
        _case("E-27", **_high_roh(oasys("2006-06-05"), roh=[{"level": "low", "on": "2006-06-01"}])),
        # Reports: on time, late, no date agreed, due after some evaluation dates.
        _case("E-28", psr=_psr("2007-05-01", "2007-05-20", "2007-05-18")),
        _case("E-29", psr=_psr("2007-05-01", "2007-05-20", "2007-05-25")),
        _case("E-30", psr=_psr("2007-05-01", None, None)),
        _case("E-31", psr=_psr("2007-11-01", "2007-12-10", None), as_of="2007-12-31"),
        # Two breaches failing the same day: numbered units.
        _case(
            "E-32",
            breaches=[
                _breach("2007-09-03", "2007-09-05", "2007-10-30", "order_continued"),
                {"failed_on": "2007-09-03", "action_on": "2007-09-04"},
            ],
        ),
        # Unpaid work completed, left undone when the order ended, running; numbered units.
        _case("E-33", sentence={**_CO, "requirements": [_upw(100, "2007-12-01")]}),
        _case(
            "E-34",
            sentence=_ended(
                "2008-01-10", "revoked_breach", requirements=[_upw(80, None), _upw(80, None)]
            ),
        ),
        _case("E-35", sentence={**_CO, "requirements": [_upw(None, None)]}),
        # Left to the scalar rule: employment, programmes and drug requirements.
        _case(
            "E-36",
            sentence={
                **_CO,
                "requirements": [
                    _programme("idap", "2007-07-01", "2007-11-01"),
                    _programme("sotp", "2007-07-01", None),
                    _programme(None, "2007-07-01", None),
                    _programme("think_first", None, None),
                    {"kind": "drug_rehabilitation", "commenced_on": "2007-06-10"},
                    {"kind": "dtto", "commenced_on": "2007-06-10", "retained_until": "2007-07-01"},
                    {"kind": "drug_rehabilitation"},
                ],
            },
            outcomes={
                "employment": [
                    {"kind": "employment", "started_on": "2007-07-01"},
                    {
                        "kind": "vocational_training",
                        "started_on": "2007-08-01",
                        "ended_on": "2007-08-10",
                    },
                ]
            },
        ),
        _case(
            "E-37",
            sentence=_ended(
                "2008-01-10", "completed", requirements=[_programme("sotp", "2007-07-01", None)]
            ),
            outcomes={
                "employment": [
                    {"kind": "employment", "started_on": "2007-07-01", "ended_on": "2007-07-10"}
                ]
            },
        ),
    ]


_CO = {"kind": "community_order", "sentenced_on": "2007-06-01"}


def _psr(requested: str, due: str | None, delivered: str | None) -> dict[str, Any]:
    return {"kind": "standard_delivery", "requested_on": requested, "due_on": due,
            "delivered_on": delivered}  # fmt: skip


def _upw(hours: int | None, completed: str | None) -> dict[str, Any]:
    return {"kind": "unpaid_work", "hours": hours, "completed_on": completed}


def _programme(name: str | None, commenced: str | None, completed: str | None) -> dict[str, Any]:
    return {"kind": "accredited_programme", "programme": name, "commenced_on": commenced,
            "completed_on": completed}  # fmt: skip


DATES = (
    dt.date(2007, 11, 30),  # the day before the six-month point
    dt.date(2007, 12, 1),  # on it
    dt.date(2008, 2, 29),  # on 31 August's point
    dt.date(2008, 3, 31),  # the records' own date
    dt.date(2009, 1, 5),
)


@pytest.mark.parametrize(("name", "rule_id"), _mine())
def test_edge_cases_agree_with_the_scalar_rule(
    calendar: WorkingCalendar, name: str, rule_id: str
) -> None:
    cases = _edge_cases()
    outcomes = set()
    for as_of in DATES:
        seen = _agree(cases, _rules(name), rule_id, as_of, calendar)
        outcomes |= {(outcome, basis) for outcome, basis, *_ in seen}
    if rule_id != "TGT.case":  # the edge cases reach every answer of these rules
        assert len(outcomes) >= 3, outcomes


def test_every_target_kernel_is_checked_here() -> None:
    mine = {rule_id for _, rule_id in _mine()}
    assert mine == set(RULES)


@settings(max_examples=40)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=8, unique_by=lambda case: case.reference),
    name=st.sampled_from(SETS),
    offset=st.integers(min_value=-60, max_value=400),
)
def test_on_generated_cases_the_target_kernels_agree(
    cases: list[Case], name: str, offset: int, calendar: WorkingCalendar
) -> None:
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    rules = _rules(name)
    for rule in rules:
        if rule.id in RULES:
            _agree(cases, rules, rule.id, as_of, calendar)


def _words_agree(cases: list[Case], name: str, as_of: dt.date, calendar: WorkingCalendar) -> int:
    """Every unit a kernel words (``UNIT_WORDS``) reads word for word as its finding, reason,
    evidence and trigger label; how many were worded."""
    rules = _rules(name)
    worded = 0
    for rule_id, words in UNIT_WORDS.items():
        if rule_id not in rules:
            continue
        answered = rule_columns(
            CaseColumns.from_cases(cases), rules, rule_id, as_of=as_of, calendar=calendar
        )
        scalar = evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar)
        said = words(answered, np.arange(len(answered), dtype=np.intp))
        for found, mine in zip(scalar, said, strict=True):
            if mine is not None:
                assert mine == (found.reason, found.evidence, found.trigger_label), (
                    found.case_ref,
                    rule_id,
                )
                worded += 1
    return worded


@pytest.mark.parametrize("name", SETS)
def test_units_worded_on_columns_read_as_their_findings(
    calendar: WorkingCalendar, name: str
) -> None:
    cases = _edge_cases()
    worded = sum(_words_agree(cases, name, as_of, calendar) for as_of in DATES)
    assert worded >= 20


@settings(max_examples=25)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=8, unique_by=lambda case: case.reference),
    name=st.sampled_from(SETS),
    offset=st.integers(min_value=-60, max_value=400),
)
def test_on_generated_cases_units_worded_on_columns_read_as_their_findings(
    cases: list[Case], name: str, offset: int, calendar: WorkingCalendar
) -> None:
    _words_agree(cases, name, max(case.as_of for case in cases) + dt.timedelta(days=offset),
                 calendar)  # fmt: skip
