"""compare_columns(): compare() a chunk of columns at a time, equal to compare() of the same cases.

Every change (both findings, reasons word for word), every question's counts and
transitions (in the order first seen), the cases compared, the text and the JSON: on the
stored witness cases and benchmark cases for each shipped kind of rule change, and on
generated cases split into random chunks (a Hypothesis property).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, compare, load_cases
from casework.columnar import CaseColumns
from casework.compare import (
    Comparison,
    Match,
    compare_columns,
    inspection_figures,
    match_after_prefix,
    target_figures,
)
from casework.model import Case
from casework.performance import Period
from casework.rules import Context, Outcome, Verdict, met, not_met, rule, ruleset
from casework.rules.ruleset import RuleSet, build_ruleset, resolve_ruleset
from casework.testing import make_cases
from casework.testing import strategies as cs
from tests.columnar.compare import WITNESSES, case_records

EXAMPLES = Path(__file__).parents[2] / "examples"
D = dt.date

#: (baseline, variant, match): a parameter changed by an overlay, rules asked under new ids
#: (paired after their prefix), a per-unit rule changed (breaches), a target set's rule.
PAIRS: tuple[tuple[str, str, Match | None], ...] = (
    ("national-standards-2007", str(EXAMPLES / "tier4-ten-days.toml"), None),
    ("national-standards-2005", "national-standards-2007", match_after_prefix),
    ("national-standards-2005", "national-standards-2007", None),
    ("omi-2007", str(EXAMPLES / "five-day-breach-action.toml"), None),
    ("nps-2007-08", str(EXAMPLES / "twenty-day-resolution.yaml"), None),
)


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    witnesses = list(load_cases(WITNESSES).cases)
    generated = [Case.model_validate(r) for r in case_records(11, 150, D(2009, 3, 31))]
    return [*witnesses, *generated]


def _chunks(cases: Sequence[Case], sizes: Sequence[int]) -> Iterator[CaseColumns]:
    """The cases as chunks of columns of these sizes in turn (the last as long as is left)."""
    start = 0
    for size in sizes:
        if start >= len(cases):
            return
        yield CaseColumns.from_cases(cases[start : start + size])
        start += size
    if start < len(cases):
        yield CaseColumns.from_cases(cases[start:])


def _same(by_columns: Comparison, expected: Comparison) -> None:
    """Equal as compare() gives it: changes (both findings), counts, transitions in order,
    cases; and so the same text and JSON. The findings of each side are not kept."""
    assert by_columns.cases == expected.cases
    assert by_columns.changes == expected.changes
    for got, want in zip(by_columns.rules, expected.rules, strict=True):
        assert got == want
        assert list(got.transitions) == list(want.transitions)  # (the order first seen)
    assert by_columns == expected
    assert by_columns.to_dict() == expected.to_dict()
    assert by_columns.to_text(unchanged=True) == expected.to_text(unchanged=True)
    assert len(by_columns.baseline_findings) == len(by_columns.variant_findings) == 0


@pytest.mark.parametrize(("baseline", "variant", "match"), PAIRS)
def test_compare_columns_equals_compare_on_fixed_cases(
    fixed_cases: list[Case],
    calendar: WorkingCalendar,
    baseline: str,
    variant: str,
    match: Match | None,
) -> None:
    changed = 0
    for as_of in (D(2008, 1, 15), D(2010, 6, 30)):
        expected = compare(fixed_cases, baseline, variant, as_of=as_of, calendar=calendar,
                           match=match)  # fmt: skip
        changed += len(expected.changes)
        for sizes in ([len(fixed_cases)], [1, 2, 37]):
            _same(
                compare_columns(
                    _chunks(fixed_cases, sizes), baseline, variant, as_of=as_of,
                    calendar=calendar, match=match,
                ),
                expected,
            )  # fmt: skip
    assert changed  # (each pair changes something on these cases)


@settings(max_examples=25, deadline=None)
@given(
    cases=st.lists(cs.cases(), min_size=1, max_size=6, unique_by=lambda case: case.reference),
    pair=st.sampled_from(PAIRS),
    offset=st.integers(min_value=-30, max_value=400),
    sizes=st.lists(st.integers(min_value=1, max_value=4), max_size=4),
)
def test_on_generated_cases_in_any_chunks_compare_columns_equals_compare(
    cases: list[Case],
    pair: tuple[str, str, Match | None],
    offset: int,
    sizes: list[int],
    calendar: WorkingCalendar,
) -> None:
    baseline, variant, match = pair
    as_of = max(case.as_of for case in cases) + dt.timedelta(days=offset)
    expected = compare(cases, baseline, variant, as_of=as_of, calendar=calendar, match=match)
    by_columns = compare_columns(
        _chunks(cases, sizes), baseline, variant, as_of=as_of, calendar=calendar, match=match
    )
    _same(by_columns, expected)


# ------------------------------------------------ target figures, counted on columns

#: Target figures of 2007-08 counted three ways: pooled, for one area with the published
#: near-miss reading and a published figure, and by the failure date of a breach (N05's
#: other anchor).
TARGETS = (
    {},
    {"area": "Devon and Cornwall", "near_miss": "published", "figures": {"N15": "12.1"}},
    {"anchors": {"N05": "failure"}, "measures": ["N05", "N01", "N02"]},
)


@pytest.mark.parametrize("reporting", TARGETS)
@pytest.mark.parametrize(
    ("baseline", "variant"),
    [
        ("nps-2007-08", str(EXAMPLES / "twenty-day-resolution.yaml")),
        ("national-standards-2007", str(EXAMPLES / "tier4-ten-days.toml")),
    ],
)
def test_target_figures_counted_on_columns_equal_those_of_the_findings(
    fixed_cases: list[Case],
    calendar: WorkingCalendar,
    baseline: str,
    variant: str,
    reporting: dict[str, object],
) -> None:
    scorer = target_figures("2007-08", period=Period.financial_year(2007), **reporting)
    as_of = D(2010, 6, 30)
    expected = compare(fixed_cases, baseline, variant, as_of=as_of, calendar=calendar,
                       figures={"targets": scorer})  # fmt: skip
    assert expected.figures
    for sizes in ([len(fixed_cases)], [1, 2, 37]):
        by_columns = compare_columns(
            _chunks(fixed_cases, sizes), baseline, variant, as_of=as_of, calendar=calendar,
            figures={"targets": scorer},
        )  # fmt: skip
        _same(by_columns, expected)
        assert by_columns.figures == expected.figures


def test_figures_that_need_every_finding_are_refused(calendar: WorkingCalendar) -> None:
    cases = make_cases({}, {})
    chunks = [CaseColumns.from_cases(cases)]
    with pytest.raises(ValueError, match="compare_columns counts target_figures only"):
        compare_columns(chunks, "omi-2007", "omi-2007", as_of=D(2007, 10, 15),
                        calendar=calendar, figures={"scores": inspection_figures()})  # fmt: skip
    period = Period.financial_year(2007)
    with pytest.raises(ValueError, match=r"target_figures\(options=...\) needs findings"):
        compare_columns(chunks, "nps-2007-08", "nps-2007-08", as_of=D(2007, 10, 15),
                        calendar=calendar, figures={"targets": target_figures(
                            "2007-08", period=period, options={})})  # fmt: skip


def test_empty_chunks_count_nothing(calendar: WorkingCalendar) -> None:
    cases = make_cases({}, {}, {})
    as_of = D(2007, 10, 15)
    scorer = {"targets": target_figures("2007-08", period=Period.financial_year(2007))}
    empty = CaseColumns.from_cases([])
    chunks = [empty, CaseColumns.from_cases(cases[:2]), empty, CaseColumns.from_cases(cases[2:])]
    _same(
        compare_columns(chunks, "nps-2007-08", str(EXAMPLES / "twenty-day-resolution.yaml"),
                        as_of=as_of, calendar=calendar, figures=scorer),
        compare(cases, "nps-2007-08", str(EXAMPLES / "twenty-day-resolution.yaml"),
                as_of=as_of, calendar=calendar, figures=scorer),
    )  # fmt: skip


# ------------------------------------------------ rules of one's own: units, one side only


@rule("T.even", question="Even?", source="004:401", kind="quality")
def even(case: Case, ctx: Context) -> object:
    return met("Even.") if int(case.reference[-1]) % 2 == 0 else not_met("Odd.")


@rule("T.always", question="Always?", source="004:401", kind="quality")
def always(case: Case, ctx: Context) -> object:
    return met("Always.")


def _per_unit(rule_id: str, units: Sequence[tuple[str, bool]]) -> object:
    """A rule answering per unit: each (unit, met) in order, units given twice kept twice."""

    def verdicts(case: Case, ctx: Context) -> list[Verdict]:
        return [
            attrs.evolve(met(f"{unit} met.") if ok else not_met(f"{unit} not met."), unit=unit)
            for unit, ok in units
        ]

    return attrs.evolve(resolve_ruleset(_custom("x", always)).rules[0], id=rule_id,
                        units=verdicts)  # fmt: skip


def _custom(name: str, *rules: object) -> RuleSet:
    return build_ruleset(
        name=name, version="1", title=name, family="test", rules=rules, in_force_from=D(2005, 4, 1)
    )


def test_units_paired_as_compare_pairs_them(calendar: WorkingCalendar) -> None:
    # the baseline's units in its order, then the variant's others in theirs; a unit given
    # twice is paired once, by its last answer; questions one side asks are every case's
    before = _per_unit("T.units", [("b", True), ("a", True), ("c", False), ("a", False)])
    after = _per_unit("T.units", [("d", True), ("a", True), ("b", False), ("c", False)])
    baseline = _custom("base", even, before, always)
    variant = _custom("variant", after, even)
    cases = make_cases({}, {}, {}, {}, {})
    as_of = D(2007, 10, 15)
    expected = compare(cases, baseline, variant, as_of=as_of, calendar=calendar)
    assert [(c.case_ref, c.key, c.unit) for c in expected.changes[:4]] == [
        ("T-0001", "T.units", "b"),
        ("T-0001", "T.units", "a"),
        ("T-0001", "T.units", "d"),
        ("T-0001", "T.always", None),
    ]
    for sizes in ([5], [2, 1, 2], [1, 1, 1, 1, 1]):
        _same(compare_columns(_chunks(cases, sizes), baseline, variant, as_of=as_of,
                              calendar=calendar), expected)  # fmt: skip


def _naming(unit: str) -> object:
    """A case-level rule whose verdict names a unit all the same."""

    def check(case: Case, ctx: Context) -> Verdict:
        return attrs.evolve(met(f"{unit} met."), unit=unit)

    return attrs.evolve(resolve_ruleset(_custom("x", always)).rules[0], id="T.named", check=check)


def test_a_case_level_verdict_naming_a_unit_is_paired_by_it(calendar: WorkingCalendar) -> None:
    cases = make_cases({}, {}, {})
    as_of = D(2007, 10, 15)
    baseline, variant = _custom("base", _naming("a")), _custom("variant", _naming("b"))
    expected = compare(cases, baseline, variant, as_of=as_of, calendar=calendar)
    assert [(c.unit, c.before_outcome, c.after_outcome) for c in expected.changes[:2]] == [
        ("a", Outcome.MET, None),
        ("b", None, Outcome.MET),
    ]
    _same(compare_columns(_chunks(cases, [2]), baseline, variant, as_of=as_of,
                          calendar=calendar), expected)  # fmt: skip


def test_a_reference_seen_in_an_earlier_chunk_is_refused(calendar: WorkingCalendar) -> None:
    cases = make_cases({}, {})
    chunks = [CaseColumns.from_cases(cases), CaseColumns.from_cases(cases[1:])]
    with pytest.raises(ValueError, match="'T-0002' appears twice"):
        compare_columns(chunks, "national-standards-2007", "national-standards-2007",
                        as_of=D(2007, 10, 15), calendar=calendar)  # fmt: skip


def test_no_chunks_compare_no_cases(calendar: WorkingCalendar) -> None:
    nothing = compare_columns([], "national-standards-2007", str(EXAMPLES / "tier4-ten-days.toml"),
                              as_of=D(2007, 10, 15), calendar=calendar)  # fmt: skip
    assert nothing == compare([], "national-standards-2007",
                              str(EXAMPLES / "tier4-ten-days.toml"),
                              as_of=D(2007, 10, 15), calendar=calendar)  # fmt: skip
    assert nothing.cases == ()
    assert len(nothing.rules) == len(ruleset("national-standards-2007"))
