"""The engine: declarations, deadlines and their wording, outcomes that are not failures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import (
    Basis,
    Context,
    MissingFactError,
    Outcome,
    ParameterError,
    ParameterTable,
    Rule,
    RuleDefinitionError,
    RuleError,
    RuleSet,
    Verdict,
    available_rulesets,
    evaluate,
    met,
    not_applicable,
    rule,
    ruleset,
    ruleset_in_force,
)
from casework.rules.engine import Evidence, make_evidence
from casework.rules.population import COMMUNITY_SENTENCE, LICENCE, tiers_at_start
from casework.rules.ruleset import build_ruleset
from casework.rules.timing import deadline_check
from casework.testing import make_case

D = dt.date
AS_OF = D(2007, 10, 15)
PARAMETERS_ON = D(2007, 10, 1)


def _ctx(calendar: WorkingCalendar, as_of: dt.date = AS_OF, on: dt.date = PARAMETERS_ON) -> Context:
    return Context(as_of=as_of, calendar=calendar, parameters=ParameterTable.default().resolve(on))


@pytest.mark.parametrize(
    ("done", "outcome", "basis", "reason"),
    [
        # sentenced Friday 21 December 2007; 5 working days -> Wednesday 2 January 2008
        (
            D(2008, 1, 2),
            Outcome.MET,
            Basis.COMPUTED,
            "Completed on 2 January 2008, on or before the due date of 2 January 2008 "
            "(5 working days after sentence on 21 December 2007).",
        ),
        (
            D(2008, 1, 3),
            Outcome.NOT_MET,
            Basis.COMPUTED,
            "Completed on 3 January 2008, 1 working day after it was due on 2 January 2008 "
            "(5 working days after sentence on 21 December 2007).",
        ),
        (
            D(2008, 1, 7),
            Outcome.NOT_MET,
            Basis.COMPUTED,
            "Completed on 7 January 2008, 3 working days after it was due on 2 January 2008 "
            "(5 working days after sentence on 21 December 2007).",
        ),
        (
            D(2007, 12, 20),
            Outcome.MET,
            Basis.COMPUTED,
            "Completed on 20 December 2007, before sentence on 21 December 2007; "
            "it was due by 2 January 2008.",
        ),
    ],
)
def test_deadline_check_over_christmas(
    calendar: WorkingCalendar, done: dt.date, outcome: Outcome, basis: Basis, reason: str
) -> None:
    verdict = deadline_check(
        _ctx(calendar, as_of=D(2008, 2, 1)),
        done=done,
        anchor=D(2007, 12, 21),
        anchor_label="sentence",
        limit="oasys_ppo_limit",
    )
    assert (verdict.outcome, verdict.basis, verdict.reason) == (outcome, basis, reason)
    evidence = {item.label: item for item in verdict.evidence}
    assert evidence["due by"].value == D(2008, 1, 2)
    assert evidence["due by"].source == "003:697"
    assert evidence["time limit"].value == "5 working days"


@pytest.mark.parametrize(
    ("as_of", "outcome", "basis"),
    [
        (D(2008, 1, 1), Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE),
        (D(2008, 1, 2), Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE),  # due today: not late yet
        (D(2008, 1, 3), Outcome.NOT_MET, Basis.COMPUTED),
    ],
)
def test_nothing_done_is_not_yet_due_until_the_deadline_passes(
    calendar: WorkingCalendar, as_of: dt.date, outcome: Outcome, basis: Basis
) -> None:
    verdict = deadline_check(
        _ctx(calendar, as_of=as_of),
        done=None,
        anchor=D(2007, 12, 21),
        anchor_label="sentence",
        limit="oasys_ppo_limit",
    )
    assert (verdict.outcome, verdict.basis) == (outcome, basis)
    if outcome is Outcome.NOT_MET:
        assert verdict.reason == (
            "Not completed by 3 January 2008: it was due on 2 January 2008 "
            "(5 working days after sentence on 21 December 2007)."
        )


def test_a_parameter_the_sources_do_not_state_gives_cannot_assess(
    calendar: WorkingCalendar,
) -> None:
    table = ParameterTable.from_texts(
        [("t.toml", '[psr_limit]\ndescription = "PSR delivered within"\nunit = "working_days"\n')]
    )

    @rule(
        "T.psr",
        question="PSR on time?",
        source="004:344",
        kind="timeliness",
        parameters=("psr_limit",),
    )
    def psr(case: Case, ctx: Context) -> object:
        return deadline_check(
            ctx,
            done=None,
            anchor=case.sentence.sentenced_on,
            anchor_label="request",
            limit="psr_limit",
        )

    rs = build_ruleset(
        name="t",
        version="1",
        title="t",
        family="test",
        rules=[psr],
        in_force_from=D(2005, 4, 1),
        table=table,
    )
    (finding,) = evaluate(make_case(), rs, as_of=AS_OF, calendar=calendar)
    assert (finding.outcome, finding.basis) == (Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
    assert "psr_limit" in finding.reason
    supplied = rs.with_parameters({"psr_limit": 10})
    (again,) = evaluate(make_case(), supplied, as_of=AS_OF, calendar=calendar)
    assert again.outcome is Outcome.NOT_MET
    assert {e.label: e.source for e in again.evidence}["time limit"] == "override"


def test_out_of_scope_and_missing_facts(calendar: WorkingCalendar) -> None:
    @rule(
        "T.tier4",
        question="Tier 4?",
        source="003:699",
        kind="timeliness",
        applies_to=tiers_at_start(4),
    )
    def tier4(case: Case, ctx: Context) -> object:
        return met("fine")

    rs = build_ruleset(
        name="t", version="1", title="t", family="test", rules=[tier4], in_force_from=D(2005, 4, 1)
    )
    out = evaluate(make_case(), rs, as_of=AS_OF, calendar=calendar)[0]
    assert (out.outcome, out.basis) == (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE)
    assert out.reason == "Not applicable: the question applies to Tier 4 cases."
    untiered = evaluate(make_case(tiers=[]), rs, as_of=AS_OF, calendar=calendar)[0]
    assert (untiered.outcome, untiered.basis) == (Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    assert untiered.reason == "Cannot assess: no tier is recorded for the case."


def test_a_rule_that_raises_is_a_bug_reported_with_its_location(calendar: WorkingCalendar) -> None:
    @rule("T.broken", question="Broken?", source="004:1", kind="quality")
    def broken(case: Case, ctx: Context) -> object:
        raise ZeroDivisionError("oops")

    rs = build_ruleset(
        name="t", version="1", title="t", family="test", rules=[broken], in_force_from=D(2005, 4, 1)
    )
    with pytest.raises(RuleError, match=r"rule T\.broken raised ZeroDivisionError on case T-0001"):
        evaluate(make_case(), rs, as_of=AS_OF, calendar=calendar)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "bad id"}, "must be letters"),
        ({"question": " "}, "needs a question"),
        ({"source": "page 4"}, "is not 'seed:line'"),
        ({"source": ()}, "at least one source"),
        ({"in_force_to": D(2004, 1, 1)}, "in force to"),
    ],
)
def test_declarations_are_checked(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "id": "T.ok",
        "question": "Ok?",
        "source": "004:1",
        "kind": "quality",
    } | kwargs
    rule_id = arguments.pop("id")
    with pytest.raises(RuleDefinitionError, match=message):
        rule(str(rule_id), **arguments)(lambda case, ctx: met("x"))  # type: ignore[arg-type]


def test_rule_sets_refuse_duplicate_ids_and_unknown_parameters() -> None:
    one = rule("T.a", question="A?", source="004:1", kind="quality")(lambda c, x: met("x"))
    with pytest.raises(RuleDefinitionError, match="twice"):
        build_ruleset(
            name="t",
            version="1",
            title="t",
            family="t",
            rules=[one, one],
            in_force_from=D(2005, 4, 1),
        )
    needs = rule("T.b", question="B?", source="004:1", kind="quality", parameters=("nope",))(
        lambda c, x: met("x")
    )
    with pytest.raises(RuleDefinitionError, match="unknown parameters"):
        build_ruleset(
            name="t", version="1", title="t", family="t", rules=[needs], in_force_from=D(2005, 4, 1)
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[p]\nunit = "weeks"\n', "needs a description"),
        ('[p]\ndescription = "d"\nunit = "fortnights"\n', "unit 'fortnights'"),
        (
            '[p]\ndescription = "d"\nunit = "weeks"\n[[p.values]]\nfrom = 2005-01-01\n'
            'value = 16\nsource = "the report"\n',
            "source must be",
        ),
        (
            '[p]\ndescription = "d"\nunit = "weeks"\n[[p.values]]\nfrom = 2005-01-01\n'
            'value = 1.5\nsource = "002:659"\n',
            "whole number",
        ),
        (
            '[p]\ndescription = "d"\nunit = "weeks"\n'
            '[[p.values]]\nfrom = 2005-01-01\nvalue = 16\nsource = "002:659"\n'
            '[[p.values]]\nfrom = 2006-01-01\nvalue = 12\nsource = "002:659"\n',
            "overlap",
        ),
        ("[p\n", "not valid TOML"),
    ],
)
def test_parameter_files_are_checked(text: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        ParameterTable.from_texts([("x.toml", text)])


def test_parameters_are_resolved_by_date() -> None:
    table = ParameterTable.default()
    assert table.resolve(D(2006, 1, 1)).get("oasys_ppo_limit").source == "001:441"
    assert table.resolve(D(2007, 10, 1)).get("oasys_ppo_limit").source == "003:697"
    assert not table.resolve(D(2006, 1, 1)).has_value("oasys_tier4_limit")


def test_proportions_are_exact() -> None:
    table = ParameterTable.from_texts(
        [
            (
                "x.toml",
                '[p]\ndescription = "d"\nunit = "proportion"\n'
                '[[p.values]]\nfrom = 2007-04-01\nvalue = 0.9\nsource = "003:697"\n',
            )
        ]
    )
    from fractions import Fraction

    assert table.resolve(D(2007, 5, 1)).get("p").value == Fraction(9, 10)


def test_registry(calendar: WorkingCalendar) -> None:
    assert {"national-standards-2005", "national-standards-2007"} <= set(available_rulesets())
    assert ruleset_in_force(D(2007, 9, 29)).name == "national-standards-2005"
    assert ruleset_in_force(D(2007, 9, 30)).name == "national-standards-2007"
    with pytest.raises(LookupError):
        ruleset_in_force(D(2004, 1, 1))
    with pytest.raises(KeyError, match="no rule set named"):
        ruleset("nope")


def test_findings_are_plain_data_and_order_independent(calendar: WorkingCalendar) -> None:
    cases = [
        make_case(
            reference=f"C{n}",
            tiers=[{"tier": 1 + n % 4, "on": "2007-06-01"}],
            assessments=[
                {
                    "id": "A",
                    "purpose": "start",
                    "completed_on": f"2007-06-{n + 5:02d}",
                    "screening": {"completed_on": "2007-06-04", "full_analysis_required": False},
                    "sentence_plan": {"completed_on": "2007-06-05"},
                }
            ],
        )
        for n in range(12)
    ]
    forward = evaluate(cases, "national-standards-2007", as_of=AS_OF, calendar=calendar)
    backward = evaluate(cases[::-1], "national-standards-2007", as_of=AS_OF, calendar=calendar)
    halves = [
        *evaluate(cases[:6], "national-standards-2007", as_of=AS_OF, calendar=calendar),
        *evaluate(cases[6:], "national-standards-2007", as_of=AS_OF, calendar=calendar),
    ]
    key = lambda f: (f.case_ref, f.rule_id)  # noqa: E731
    assert sorted(forward, key=key) == sorted(backward, key=key) == sorted(halves, key=key)
    record = forward[0].to_dict()
    assert record["as_of"] == "2007-10-15"
    assert record["ruleset"] == "national-standards-2007"
    assert all(isinstance(e["value"], str | int | bool | None) for e in record["evidence"])


def test_populations_combine_with_readable_descriptions() -> None:
    both = COMMUNITY_SENTENCE | LICENCE
    assert (
        both.description
        == "community and suspended sentence orders or licence cases (released from custody)"
    )
    assert (~LICENCE).description.startswith("not (")


def _per_breach(case: Case, _ctx: Context) -> tuple[Verdict, ...]:
    if not case.breaches:
        return (not_applicable("No breaches."),)
    return tuple(
        Verdict(Outcome.MET, Basis.COMPUTED, f"Breach {index} dealt with.", unit=f"Breach {index}")
        for index, _ in enumerate(case.breaches, start=1)
    )


def _ruleset_of(*rules: Rule) -> RuleSet:
    return build_ruleset(
        name="test-units",
        version="0",
        title="t",
        family="t",
        rules=rules,
        in_force_from=D(2007, 4, 1),
    )


def test_a_per_unit_rule_gives_one_finding_per_unit(calendar: WorkingCalendar) -> None:
    per_unit = Rule(
        id="T.per-breach",
        question="Was each breach dealt with?",
        source="003:703",
        kind="timeliness",
        check=lambda _case, _ctx: met("Case level."),
        units=_per_breach,
    )
    case = make_case(breaches=[{"failed_on": "2007-06-18"}, {"failed_on": "2007-07-02"}])
    findings = evaluate(
        [case, make_case(reference="T-0002")], _ruleset_of(per_unit), as_of=AS_OF, calendar=calendar
    )
    assert [(f.case_ref, f.unit, f.outcome) for f in findings] == [
        ("T-0001", "Breach 1", Outcome.MET),
        ("T-0001", "Breach 2", Outcome.MET),
        ("T-0002", None, Outcome.NOT_APPLICABLE),
    ]
    assert findings[1].to_dict()["unit"] == "Breach 2"
    assert findings[0].reason == "Breach 1 dealt with."


def test_a_per_unit_rule_keeps_the_engine_guards(calendar: WorkingCalendar) -> None:
    def missing(_case: Case, _ctx: Context) -> tuple[Verdict, ...]:
        raise MissingFactError("no breach dates are recorded")

    def broken(_case: Case, _ctx: Context) -> tuple[Verdict, ...]:
        return ()

    def rule_with(units: Callable[[Case, Context], tuple[Verdict, ...]], name: str) -> Rule:
        return Rule(
            id=name,
            question="Each?",
            source="003:703",
            kind="timeliness",
            check=lambda _case, _ctx: met("Case level."),
            applies_to=COMMUNITY_SENTENCE,
            units=units,
        )

    licence = make_case(sentence={"kind": "licence", "released_on": "2007-06-04"})
    out_of_scope = evaluate(
        licence, _ruleset_of(rule_with(missing, "T.a")), as_of=AS_OF, calendar=calendar
    )
    assert out_of_scope[0].basis is Basis.OUT_OF_SCOPE
    assessed = evaluate(
        make_case(), _ruleset_of(rule_with(missing, "T.a")), as_of=AS_OF, calendar=calendar
    )
    assert (assessed[0].outcome, assessed[0].unit) == (Outcome.CANNOT_ASSESS, None)
    assert "no breach dates are recorded" in assessed[0].reason
    with pytest.raises(RuleError, match="gave no verdict"):
        evaluate(make_case(), _ruleset_of(rule_with(broken, "T.b")), as_of=AS_OF, calendar=calendar)


def test_with_deadline_is_evolve() -> None:
    """``Verdict.with_deadline`` (made directly, for speed) is ``attrs.evolve`` with the
    deadline fields: every other field kept. A field added to Verdict fails here until
    with_deadline keeps it."""
    values = {
        "outcome": Outcome.NOT_MET,
        "basis": Basis.COMPUTED,
        "reason": "Late.",
        "evidence": (Evidence("due by", dt.date(2008, 1, 2), "004:123"),),
        "unit": "B1",
        "trigger": dt.date(2007, 1, 1),
        "trigger_label": "sentence",
        "due": dt.date(2007, 1, 15),
        "done": dt.date(2007, 1, 20),
        "late_by": 3,
        "late_unit": "working days",
        "standard": "2007",
    }
    verdict = Verdict(**{field.name: values[field.name] for field in attrs.fields(Verdict)})
    deadline = {
        "trigger": dt.date(2008, 2, 1),
        "trigger_label": "release",
        "due": dt.date(2008, 2, 8),
        "done": None,
        "late_by": None,
        "late_unit": None,
    }
    assert verdict.with_deadline(**deadline) == attrs.evolve(verdict, **deadline)


def test_evidence_is_an_immutable_value() -> None:
    """Evidence (a named tuple, for speed) keeps the value semantics it had as a frozen
    class: fields by name, a default source, no assignment, equal and hashed by value,
    ``_replace`` for a changed copy, and its JSON form."""
    item = Evidence("due by", dt.date(2008, 1, 2))
    assert (item.label, item.value, item.source) == ("due by", dt.date(2008, 1, 2), None)
    with pytest.raises(AttributeError):
        item.value = dt.date(2009, 1, 1)  # type: ignore[misc]
    same = Evidence(label="due by", value=dt.date(2008, 1, 2), source=None)
    assert item == same
    assert hash(item) == hash(same)
    assert len({item, same}) == 1
    changed = item._replace(source="004:123")
    assert changed == Evidence("due by", dt.date(2008, 1, 2), "004:123")
    assert changed != item
    assert repr(changed) == (
        "Evidence(label='due by', value=datetime.date(2008, 1, 2), source='004:123')"
    )
    assert changed.to_dict() == {"label": "due by", "value": "2008-01-02", "source": "004:123"}


@pytest.mark.parametrize(
    "fields", [("due by", dt.date(2008, 1, 2), "004:123"), ("parts", "assessment", None)]
)
def test_make_evidence_makes_the_evidence_the_constructor_makes(
    fields: tuple[str, dt.date | str, str | None],
) -> None:
    made = make_evidence(fields)
    assert type(made) is Evidence
    assert made == Evidence(*fields)
    assert (made.label, made.value, made.source) == fields
    assert repr(made) == repr(Evidence(*fields))
    assert made.to_dict() == Evidence(*fields).to_dict()
