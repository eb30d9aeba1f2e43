"""The kernels' wordings say what the scalar rules say, word for word, without asking them.

For each National Standards rule whose answers a kernel words from plain values (the
rule's own template, called by the rule and by the kernel's ``Wording``): hand-picked
cases that reach each of the rule's sentences, and generated cases. Reasons, evidence
and trigger labels must equal the scalar findings', and no answer the kernel decided
(computed, not yet due) may be left to the scalar rule to explain.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar
from casework.columnar import CaseColumns, rule_columns
from casework.columnar.core import RuleColumns
from casework.model import Case
from casework.rules import Basis, evaluate, ruleset
from casework.rules.ruleset import RuleSet
from casework.testing import strategies as cs
from casework.testing.builders import make_case, merge, oasys, review
from tests.columnar.compare import bulk_against_one_by_one

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from evaluate import UNSTATED

WORDED = (
    "NS07.full-analysis-where-screened",
    "NS07.roh-review-interval",
    "NS07.rmp-where-not-low",
    "NS07.roh-review-pre-release",
    "NS07.breach-action",
    "NS07.breach-resolution",
    "NS07.mappa-level",
    "NS07.victim-contact",
    "NS07.plan-review-interval",
    "NS05.roh-review-interval",
    "NS05.plan-review-interval",
    "NS05.oasys-high-roh",
)
#: The records end on 30 June 2008 (the reviews' on 31 December 2008): a case read before
#: its record ends is answered by the scalar rule; read later, a deadline can fall beyond it.
AS_OF = (dt.date(2008, 6, 30), dt.date(2008, 12, 31), dt.date(2009, 6, 30))
#: Answers a kernel decides: these it must word itself.
DECIDED = frozenset({Basis.COMPUTED, Basis.NOT_YET_DUE})


def _rules(name: str) -> RuleSet:
    rules = ruleset(name)
    known = set(rules.parameters.names())
    return rules.with_parameters({k: v for k, v in UNSTATED.items() if k in known}, note="test")


def _set_of(rule_id: str) -> str:
    return "national-standards-2005" if rule_id.startswith("NS05") else "national-standards-2007"


def _case(reference: str, **facts: Any) -> Case:
    base = {
        "reference": reference,
        "as_of": "2008-06-30",
        "sentence": {"kind": "community_order", "sentenced_on": "2007-10-01"},
        "tiers": [{"tier": 2, "on": "2007-10-01"}],
        "roh": [{"level": "high", "on": "2007-10-01"}],
    }
    return make_case(**merge(base, facts))


def _licence(reference: str, *assessments: dict[str, Any], **facts: Any) -> Case:
    sentence = {"kind": "licence", "sentenced_on": "2007-03-01", "released_on": "2007-11-15"}
    return _case(reference, sentence=sentence, assessments=list(assessments), **facts)


def _screening(id: str, on: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": id,
        "purpose": "start" if id == "A1" else "review",
        **({} if id == "A1" else {"trigger": "scheduled", "reviews": "A1"}),
        "screening": {"completed_on": on, "full_analysis_required": True},
        **fields,
    }


def _cases() -> list[Case]:
    reviews_on_time = [review("A1", day) for day in ("2008-01-20", "2008-05-15", "2008-09-10")]
    late_second = [review("A1", day) for day in ("2008-01-20", "2008-06-01", "2008-09-10")]
    return [
        # RMP where not low: none (late or not yet due), the level set after the start,
        # very high on licence, and one done.
        _case("W-01", roh=[{"level": "very_high", "on": "2007-10-01"}]),
        _case(
            "W-02",
            roh=[{"level": "low", "on": "2007-10-01"}, {"level": "medium", "on": "2008-02-01"}],
            assessments=[{"id": "A1", "purpose": "start", "rmp": {"completed_on": "2008-05-02"}}],
        ),
        _licence("W-03", roh=[{"level": "very_high", "on": "2007-11-01"}]),
        _case(
            "W-17",
            roh=[{"level": "low", "on": "2007-10-01"}, {"level": "medium", "on": "2008-06-25"}],
        ),
        # MAPPA: the latest level counts, not the last recorded; and none at all.
        _case(
            "W-04",
            mappa={"levels": [{"level": 3, "on": "2007-12-01"}, {"level": 1, "on": "2007-10-02"}]},
        ),
        _case("W-05", mappa={"levels": []}),
        # Screenings: an analysis done in a later assessment, an exemption claimed but not
        # countersigned, one countersigned, one with nothing yet.
        _case(
            "W-06",
            assessments=[
                _screening("A1", "2007-10-03"),
                _screening(
                    "A2", "2008-02-01", full_analysis={"exempted": True}, completed_on="2008-02-02"
                ),
                {
                    "id": "A3",
                    "purpose": "review",
                    "trigger": "scheduled",
                    "reviews": "A1",
                    "completed_on": "2007-10-20",
                    "full_analysis": {"completed_on": "2007-10-20"},
                },
            ],
        ),
        _case(
            "W-07",
            assessments=[
                _screening(
                    "A1",
                    "2008-06-20",
                    full_analysis={"exempted": True, "exemption_countersigned_on": "2008-06-25"},
                ),
                _screening("A2", "2008-06-27"),
            ],
        ),
        # Breaches: on time, late, none; and the order of failure, not of record.
        _case(
            "W-08",
            breaches=[
                {"failed_on": "2008-03-03", "action_on": "2008-03-25", "resolved_on": "2008-04-01"},
                {"failed_on": "2008-01-07", "action_on": "2008-01-10", "resolved_on": "2008-01-30"},
                {"failed_on": "2008-06-25"},
            ],
        ),
        # Statutory victims: one contacted in time, one offered contact late, one not yet.
        _case(
            "W-09",
            sentence={
                "kind": "custody",
                "sentenced_on": "2007-10-01",
                "custodial_months": 24,
                "offence_category": "serious_violent",
            },
            victims=[
                {"id": "V1", "statutory": True, "contacted_on": "2007-10-20"},
                {"id": "V2", "statutory": True, "contact_offered_on": "2008-01-10"},
                {"id": "V3", "statutory": True},
            ],
        ),
        # RoH reviews: every interval on time, the second late, none at all (the cycle
        # counts from the date the first was due).
        _case("W-10", as_of="2008-12-31", assessments=[oasys("2007-10-05"), *reviews_on_time]),
        _case("W-11", as_of="2008-12-31", assessments=[oasys("2007-10-05"), *late_second]),
        _case("W-12", as_of="2008-12-31", assessments=[oasys("2007-10-05")]),
        # Reviews for release: on the day, after it, none.
        _licence("W-13", oasys("2007-11-15", purpose="release"), review("A1", "2008-03-10")),
        _licence("W-14", oasys("2007-11-20", purpose="release"), review("A1", "2008-03-20")),
        _licence("W-15"),
        # Under the 2005 standards: reviews every 16 weeks, the third late.
        _case(
            "W-16",
            as_of="2007-06-30",
            sentence={"kind": "community_order", "sentenced_on": "2006-01-02"},
            tiers=[],
            roh=[{"level": "high", "on": "2006-01-02"}],
            assessments=[
                oasys("2006-01-05"),
                *(review("A1", day) for day in ("2006-04-20", "2006-08-03", "2007-01-10")),
            ],
        ),
    ]


def _explained(
    monkeypatch: pytest.MonkeyPatch, answered: RuleColumns
) -> tuple[tuple[list[str], list[Any], list[str | None], list[str | None]], list[int]]:
    """``answered.explained()``, and which answers were left to the scalar rule."""
    asked: list[int] = []
    scalar = RuleColumns._by_scalar_rule

    def spy(self: RuleColumns, chosen: npt.NDArray[np.intp], *rest: Any) -> None:
        asked.extend(chosen.tolist())
        scalar(self, chosen, *rest)

    with monkeypatch.context() as patch:
        patch.setattr(RuleColumns, "_by_scalar_rule", spy)
        words = answered.explained()
    return words, asked


def _check(monkeypatch: pytest.MonkeyPatch, cases: list[Case], rule_id: str, as_of: dt.date,
           calendar: WorkingCalendar, *, all_worded: bool) -> list[Basis]:  # fmt: skip
    """Words equal the scalar rule's; with ``all_worded``, every decided answer worded by
    the kernel. The bases seen, for the caller."""
    rules = _rules(_set_of(rule_id))
    answered = rule_columns(
        CaseColumns.from_cases(cases), rules, rule_id, as_of=as_of, calendar=calendar
    )
    if all_worded:
        assert answered.wording is not None, rule_id
    (reasons, evidence, labels, _), asked = _explained(monkeypatch, answered)
    scalar = list(evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar))
    assert len(scalar) == len(answered)
    for i, finding in enumerate(scalar):
        assert (reasons[i], evidence[i], labels[i]) == (
            finding.reason,
            finding.evidence,
            finding.trigger_label,
        ), (finding.case_ref, rule_id, as_of)
    if all_worded:
        # The kernel's own answers (not those of cases it leaves to the scalar rule).
        bases, origin = answered.bases(), answered.origin
        assert origin is not None
        left = [
            (scalar[i].case_ref, bases[i]) for i in asked if bases[i] in DECIDED and origin[i] >= 0
        ]
        assert not left, (rule_id, as_of, left)
    return answered.bases()


@pytest.mark.parametrize("rule_id", WORDED)
def test_hand_picked_cases_are_worded_by_the_kernel_as_by_the_rule(
    monkeypatch: pytest.MonkeyPatch, calendar: WorkingCalendar, rule_id: str
) -> None:
    cases = _cases()
    seen = set()
    for as_of in AS_OF:
        seen |= set(_check(monkeypatch, cases, rule_id, as_of, calendar, all_worded=True))
    # The cases reach the rule's decided answers, not only "not applicable".
    assert seen & DECIDED, rule_id


SENTENCES = {
    "NS07.breach-action": ("on or before the due date", "after it was due", "Not yet due"),
    "NS07.victim-contact": ("on or before the due date", "after it was due", "No victim contact"),
    "NS07.full-analysis-where-screened": (
        "Full RoH analysis completed",
        "claimed but not countersigned",
        "countersigned by an SPO on",
        "Not yet due",
    ),
    "NS07.rmp-where-not-low": ("Risk management plan completed", "Not yet due", "No risk"),
    "NS07.roh-review-pre-release": ("the day of release", "only on", "not reviewed"),
    "NS07.mappa-level": ("MAPPA level 3 recorded", "No MAPPA level"),
}


@pytest.mark.parametrize(("rule_id", "sentences"), SENTENCES.items())
def test_hand_picked_cases_reach_each_sentence(
    calendar: WorkingCalendar, rule_id: str, sentences: tuple[str, ...]
) -> None:
    """The cases say each of the rule's sentences, not one answer throughout (several
    units of a case each said)."""
    rules = _rules("national-standards-2007").only([rule_id])
    said = " ".join(
        f.reason
        for as_of in (dt.date(2008, 1, 15), dt.date(2008, 6, 30))
        for f in evaluate(_cases(), rules, as_of=as_of, calendar=calendar)
    )
    for sentence in sentences:
        assert sentence in said, (rule_id, sentence)


@settings(max_examples=10, deadline=None)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=4),
    rule_id=st.sampled_from(WORDED),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_generated_cases_are_worded_as_by_the_rule(
    cases: list[Case], rule_id: str, offset: int, calendar: WorkingCalendar
) -> None:
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _check(monkeypatch, cases, rule_id, as_of, calendar, all_worded=False)


#: Rules whose populations find a tier or a RoH level missing, alone or in ``&`` and ``|``.
LACKING = (
    "NS07.oasys-tier4",
    "NS07.oasys-tier1-3",
    "NS07.rmp-where-not-low",
    "NS07.rmp-release-high-roh",
    "NS07.rmp-before-release",
    "NS07.home-visit-high-roh",
)


def _lacking() -> list[Case]:
    """Cases without a tier, a RoH level or either, on a community order and on licence."""
    licence = {"kind": "licence", "sentenced_on": "2007-03-01", "released_on": "2007-11-15"}
    return [
        _case("L-01", tiers=[], roh=[]),
        _case("L-02", tiers=[]),
        _case("L-03", roh=[]),
        _case("L-04", sentence=licence, tiers=[], roh=[]),
        _case("L-05", sentence=licence, roh=[]),
        _case("L-06", tiers=[{"tier": 4, "on": "2007-10-01"}], roh=[]),
    ]


@pytest.mark.parametrize("rule_id", LACKING)
def test_a_fact_the_population_lacks_is_worded_without_the_scalar_rule(
    monkeypatch: pytest.MonkeyPatch, calendar: WorkingCalendar, rule_id: str
) -> None:
    """The engine's "cannot assess" words for a fact the population's test finds missing
    (its MissingFactError's message, as the population says it) are made on columns."""
    cases = _lacking()
    rules = _rules("national-standards-2007")
    as_of = dt.date(2008, 6, 30)
    answered = rule_columns(
        CaseColumns.from_cases(cases), rules, rule_id, as_of=as_of, calendar=calendar
    )
    (reasons, evidence, labels, _), asked = _explained(monkeypatch, answered)
    scalar = list(evaluate(cases, rules.only([rule_id]), as_of=as_of, calendar=calendar))
    said = [(f.reason, f.evidence, f.trigger_label) for f in scalar]
    assert said == list(zip(reasons, evidence, labels, strict=True))
    lacking = {i for i, finding in enumerate(scalar) if finding.basis is Basis.MISSING_DATA}
    assert lacking, rule_id
    assert not lacking & set(asked), rule_id


def test_the_fact_missing_is_the_part_of_the_population_that_raised(
    calendar: WorkingCalendar,
) -> None:
    """Of ``&``, ``|`` and ``~``, the message is the part's whose test raised, as the
    scalar test raises it; a population that does not say gives none."""
    from casework.columnar.core import Context, missing_facts
    from casework.model import RohLevel
    from casework.rules.engine import MissingFactError, Population
    from casework.rules.population import LICENCE, roh_at_least_at_start, tiers_at_start

    tier4, high = tiers_at_start(4), roh_at_least_at_start(RohLevel.HIGH)
    unsaid = Population("high RoH cases, said by no form", high.test)
    populations = [tier4 | high, ~tier4 & high, LICENCE & (high | tier4), tier4 & unsaid]
    cases = [*_lacking(), _case("L-07", tiers=[{"tier": 2, "on": "2007-10-01"}], roh=[])]
    columns = CaseColumns.from_cases(cases)
    ctx = Context.of(_rules("national-standards-2007"), as_of=AS_OF[0], calendar=calendar)

    def facts_of(population: Population, rows: npt.NDArray[np.intp]) -> list[str | None]:
        return missing_facts(columns, population, ctx, rows)

    seen: set[str | None] = set()
    for population in populations:
        raised: dict[int, str] = {}
        for row, case in enumerate(cases):
            try:
                population(case, ctx)
            except MissingFactError as missing:
                raised[row] = str(missing)
        rows = np.asarray(sorted(raised), dtype=np.intp)
        expected = [raised[row] for row in rows.tolist()]
        if population.form is not None and population.form[2] is unsaid:
            # the second part says nothing: its cases (tier 4, no RoH level) have no message
            expected = [None if cases[row].tiers else raised[row] for row in rows.tolist()]
            assert None in expected
        assert facts_of(population, rows) == expected, population.description
        seen.update(expected)
    assert seen == {
        "no tier is recorded for the case",
        "no RoH level is recorded for the case",
        None,
    }


@pytest.mark.parametrize("as_of", [dt.date(2008, 2, 5), *AS_OF])
def test_hand_picked_screenings_are_written_as_text_as_one_by_one(
    calendar: WorkingCalendar, as_of: dt.date
) -> None:
    """The hand-picked screenings (an analysis done, an exemption countersigned, one
    claimed only, none; on 5 February 2008 one not yet due with an exemption claimed)
    worded a column at a time for writers of text say what the rule says of each, each
    evidence as its line."""
    compared = bulk_against_one_by_one(_cases(), "national-standards-2007", as_of, calendar)
    assert "NS07.full-analysis-where-screened" in compared
