"""Target figures counted on finding columns equal those counted from findings, byte for byte.

:meth:`TargetTally.add_columns` counts a chunk evaluated on columns
(:func:`casework.columnar.evaluate_columns`) with masks on the outcome and basis
columns and writes a sentence only for the units a report lists;
:meth:`TargetTally.add` reads every finding. For every shipped target set, pooled and
by area, at evaluation dates before, within and after the records (so that records
read as they stood earlier, and cases sentenced after the date, are in the chunks),
the two give the same report, compared as the ``targets`` command's JSON. The cases
are the examples, the golden target scenarios, the stored witness cases, benchmark
cases and generated ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases, performance, yaml
from casework.columnar import evaluate_columns, read_column_chunks
from casework.model import Case
from casework.performance import (
    Period,
    TargetReport,
    TargetTally,
    _CaseFacts,
    _on_columns,
    target_performance,
)
from casework.report import KeyedPseudonyms, SequentialPseudonyms, pseudonymise, pseudonymiser
from casework.report.targets import target_report
from casework.rules import evaluate, ruleset
from casework.rules.targets.catalogue import target_set
from casework.scale import Job, run_file
from casework.testing import CASE_DEFAULTS, merge
from casework.testing import strategies as cs
from casework.testing.scenarios import load_scenarios

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import case_records
from tests.columnar.compare import bench_cases, witness_cases

HERE = Path(__file__).resolve().parent
SETS = ("nps-2005-06", "nps-2007-08", "rom-east-of-england-2007-08")
PERIOD = Period.financial_year(2007)
#: Before most records' own date, in the middle, and long after.
DATES = (dt.date(2007, 9, 3), dt.date(2008, 4, 11), dt.date(2011, 1, 4))


def _golden() -> list[Case]:
    """Every case of the golden target scenarios, each with a reference of its own."""
    out = []
    for path in sorted((HERE / "golden").glob("*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8"))
        for number, scenario in enumerate(document["scenarios"]):
            facts = {**scenario["case"], "as_of": scenario["as_of"].isoformat()}
            record = {**merge(CASE_DEFAULTS, facts), "reference": f"{path.stem}-{number}"}
            out.append(Case.model_validate(record))
    for path in sorted((HERE.parent / "scenarios").glob("scenarios_[nr]*.yaml")):
        for number, found in enumerate(load_scenarios(path).scenarios):
            out.append(found.case.model_copy(update={"reference": f"{path.stem}-{number}"}))
    return out


@pytest.fixture(scope="module")
def cases(examples: Path) -> list[Case]:
    hand = list(load_cases(examples / "targets-cases.yaml").cases)
    return [*hand, *_golden(), *witness_cases(), *bench_cases(23, 30, dt.date(2008, 4, 11))]


def _json(report: TargetReport) -> str:
    return target_report(report, source="cases.jsonl").render("json")


def _chunks(cases: Sequence[Case], size: int) -> list[Sequence[Case]]:
    return [cases[i : i + size] for i in range(0, len(cases), size)]


def _by_findings(
    cases: Sequence[Case], name: str, *, as_of: dt.date, calendar: WorkingCalendar,
    area: str | None, size: int, partition: int = 0,
) -> TargetTally:  # fmt: skip
    tally = TargetTally.start(name, period=PERIOD, area=area, partition=partition)
    for chunk in _chunks(cases, size):
        tally.add(evaluate(chunk, tally.ruleset, as_of=as_of, calendar=calendar))
    return tally


def _by_columns(
    cases: Sequence[Case], name: str, *, as_of: dt.date, calendar: WorkingCalendar,
    area: str | None, size: int, partition: int = 0,
) -> TargetTally:  # fmt: skip
    tally = TargetTally.start(name, period=PERIOD, area=area, partition=partition)
    for chunk in _chunks(cases, size):
        tally.add_columns(evaluate_columns(chunk, tally.ruleset, as_of=as_of, calendar=calendar))
    return tally


def _areas(name: str) -> list[str | None]:
    areas = target_set(name).areas
    return [None, areas[2]] if areas else [None, "Essex"]


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_columns_give_the_findings_report_byte_for_byte(
    cases: list[Case], calendar: WorkingCalendar, name: str, as_of: dt.date
) -> None:
    for area in _areas(name):
        how = {"as_of": as_of, "calendar": calendar, "area": area, "size": 64}
        expected = _json(_by_findings(cases, name, **how).report())
        got = _by_columns(cases, name, **how).report()
        assert _json(got) == expected, (name, area)
        counts = [r.counts.total for r in got if r.counts is not None]
        assert sum(counts) > 0  # the figures are not all empty


#: Measures counted by another anchor: a breach's failure (a mean and a proportion), and
#: case-level dates for unit measures (sentence, termination).
OTHER_ANCHORS = {
    "nps-2007-08": {"N04": "failure", "N05": "failure", "N14": "sentence", "N07": "termination"},
    "rom-east-of-england-2007-08": {"S10": "failure", "S9": "start", "S2": "sentence"},
}


@pytest.mark.parametrize("name", sorted(OTHER_ANCHORS))
@pytest.mark.parametrize("as_of", DATES[1:], ids=str)
def test_measures_counted_by_another_anchor_on_columns_give_the_findings_report(
    cases: list[Case], calendar: WorkingCalendar, name: str, as_of: dt.date
) -> None:
    anchors = OTHER_ANCHORS[name]
    expected = TargetTally.start(name, period=PERIOD, anchors=anchors)
    got = TargetTally.start(name, period=PERIOD, anchors=anchors)
    for chunk in _chunks(cases, 64):
        expected.add(evaluate(chunk, expected.ruleset, as_of=as_of, calendar=calendar))
        got.add_columns(evaluate_columns(chunk, got.ruleset, as_of=as_of, calendar=calendar))
    report = got.report()
    assert _json(report) == _json(expected.report())
    assert all(report[m].counts.in_scope > 0 for m in anchors)  # type: ignore[union-attr]


def test_target_performance_and_add_cases_count_on_columns(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    """From cases, target_performance evaluates on columns; the report is the findings' one."""
    as_of = DATES[1]
    for name in SETS:
        findings = evaluate(cases, target_set(name).ruleset, as_of=as_of, calendar=calendar)
        from_findings = target_performance(findings, name, period=PERIOD)
        from_cases = target_performance(cases, name, period=PERIOD, as_of=as_of,
                                        calendar=calendar)  # fmt: skip
        assert _json(from_cases) == _json(from_findings)


def test_a_measure_subset_counts_on_columns(cases: list[Case], calendar: WorkingCalendar) -> None:
    as_of = DATES[1]
    chosen = ["N01", "N02", "N03", "N05", "N13"]
    whole = target_performance(cases, "nps-2007-08", period=PERIOD, as_of=as_of,
                               calendar=calendar)  # fmt: skip
    some = target_performance(cases, "nps-2007-08", period=PERIOD, as_of=as_of,
                              calendar=calendar, measures=chosen)  # fmt: skip
    assert [r.measure for r in some] == chosen
    for result in some:
        assert result.to_dict() == whole[result.measure].to_dict()


def test_findings_of_a_national_standards_set_count_as_findings(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    """Without the TGT.case dates the columns are read as findings: the OASys targets from a
    National Standards evaluation, as from its findings."""
    as_of = DATES[1]
    rules = ruleset("national-standards-2007")
    expected = TargetTally.start("nps-2007-08", period=PERIOD)
    expected.add(evaluate(cases, rules, as_of=as_of, calendar=calendar))
    got = TargetTally.start("nps-2007-08", period=PERIOD)
    got.add_columns(evaluate_columns(cases, rules, as_of=as_of, calendar=calendar))
    assert _json(got.report()) == _json(expected.report())
    assert got.report()["N02"].counts.in_scope > 0  # type: ignore[union-attr]


@settings(max_examples=8)
@given(data=st.data())
def test_a_merge_of_column_tallies_of_any_split_equals_the_whole(
    cases: list[Case], calendar: WorkingCalendar, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(SETS), label="target set")
    area = data.draw(st.sampled_from(_areas(name)), label="area")
    as_of = DATES[1]
    some = cases[:: data.draw(st.integers(2, 5), label="step")]
    how = {"as_of": as_of, "calendar": calendar, "area": area}
    whole = _json(_by_findings(some, name, size=len(some), **how).report())
    cuts = sorted(data.draw(st.sets(st.integers(1, len(some) - 1), max_size=4), label="cuts"))
    bounds = [0, *cuts, len(some)]
    size = data.draw(st.integers(3, 40), label="chunk size")
    tallies = [
        _by_columns(some[a:b], name, size=size, partition=index, **how)
        for index, (a, b) in enumerate(itertools.pairwise(bounds))
    ]
    order = data.draw(st.permutations(range(len(tallies))), label="merge order")
    merged = tallies[order[0]]
    for index in order[1:]:
        merged = merged.merge(tallies[index])
    assert _json(merged.report()) == whole


@settings(max_examples=15)
@given(
    generated=st.lists(cs.cases(), min_size=1, max_size=8, unique_by=lambda case: case.reference),
    name=st.sampled_from(SETS),
    # days after the latest record, chunk size, by area or pooled
    setup=st.tuples(st.integers(-60, 500), st.integers(1, 5), st.booleans()),
)
def test_on_generated_cases_columns_give_the_findings_report(
    calendar: WorkingCalendar, generated: list[Case], name: str, setup: tuple[int, int, bool]
) -> None:
    offset, size, by_area = setup
    as_of = max(case.as_of for case in generated) + dt.timedelta(days=offset)
    area = _areas(name)[1] if by_area else None
    period = Period(dt.date(1990, 1, 1), dt.date(2030, 12, 31))  # every generated date in it
    expected = TargetTally.start(name, period=period, area=area)
    got = TargetTally.start(name, period=period, area=area)
    for chunk in _chunks(generated, size):
        expected.add(evaluate(chunk, expected.ruleset, as_of=as_of, calendar=calendar))
        got.add_columns(evaluate_columns(chunk, got.ruleset, as_of=as_of, calendar=calendar))
    assert _json(got.report()) == _json(expected.report())


def test_a_file_run_in_parts_on_columns_gives_the_findings_report(
    calendar: WorkingCalendar, tmp_path: Path
) -> None:
    """``casework.scale`` (and so Dask) counts each part on columns; merged, the parts give
    the report of the whole file's findings."""
    as_of = DATES[1]
    path = tmp_path / "cases.jsonl"
    records = [json.dumps(record) for record in case_records(31, 90, as_of)]
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    loaded = load_cases(path).cases
    for name in SETS:
        job = Job(name, as_of, calendar, targets=name, period=PERIOD, chunk_size=16)
        result = run_file(path, job, parts=3)
        assert result.tally is not None
        findings = evaluate(loaded, target_set(name).ruleset, as_of=as_of, calendar=calendar)
        expected = target_performance(findings, name, period=PERIOD)
        assert _json(result.tally.report()) == _json(expected)
        assert result.findings == len(findings)


def test_target_performance_of_chunks_read_into_columns_is_the_cases_report(
    calendar: WorkingCalendar, tmp_path: Path
) -> None:
    """Chunks read straight into columns (read_column_chunks) give the report the file's
    cases give, for every chunk size."""
    as_of = DATES[1]
    path = tmp_path / "cases.jsonl"
    records = [json.dumps(record) for record in case_records(37, 120, as_of)]
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    loaded = load_cases(path).cases
    for name in SETS:
        expected = _json(
            target_performance(loaded, name, period=PERIOD, as_of=as_of, calendar=calendar)
        )
        for size in (7, 1_000):
            chunks = (chunk.columns for chunk in read_column_chunks(path, size=size))
            report = target_performance(chunks, name, period=PERIOD, as_of=as_of, calendar=calendar)
            assert _json(report) == expected, (name, size)


def _not_asked(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("a finding was asked of the scalar rule")


def _reports_around_the_in_force_date() -> list[Case]:
    """Pre-sentence reports requested before ``TGT.psr-delivery`` came into force (1 April
    2005), due before or after it, and one requested after it, in one case each."""
    reports = [
        ("2005-03-20", "2005-03-25", "2005-03-24"),  # requested and due before
        ("2005-03-28", "2005-04-08", "2005-04-07"),  # requested before, due after
        ("2005-03-31", "2005-03-31", None),  # due the day it was requested
        ("2005-04-04", "2005-04-20", "2005-04-25"),  # in force throughout: late
    ]
    return [
        Case.model_validate(
            merge(
                CASE_DEFAULTS,
                {
                    "reference": f"R-{number}",
                    "as_of": "2005-09-30",
                    "sentence": {"kind": "community_order", "sentenced_on": "2005-05-03"},
                    "tiers": [{"tier": 2, "on": "2005-05-03"}],
                    "psr": {
                        "kind": "standard_delivery",
                        "requested_on": requested,
                        "due_on": due,
                        "delivered_on": delivered,
                    },
                },
            )
        )
        for number, (requested, due, delivered) in enumerate(reports)
    ]


@pytest.mark.parametrize("in_force_by", ["trigger", "due"])
def test_reports_held_to_the_in_force_date_are_placed_by_their_request_on_columns(
    calendar: WorkingCalendar, in_force_by: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report held to the in-force date on the day it was requested is placed in a period
    by that day (its evidence says "request"), one held on its due day by none; on
    columns (casework.columnar.targets.HELD_DAYS) as from the findings, and without
    asking the scalar rule for those findings."""
    cases = _reports_around_the_in_force_date()
    monkeypatch.setattr(performance, "evaluate_case", _not_asked)
    as_of = dt.date(2005, 9, 30)
    options = {"in_force_by": in_force_by}
    for period in (Period.financial_year(2004), Period.financial_year(2005)):
        expected = TargetTally.start("nps-2007-08", period=period, measures=["N14"])
        expected.add(evaluate(cases, expected.ruleset, as_of=as_of, calendar=calendar,
                              options=options))  # fmt: skip
        got = TargetTally.start("nps-2007-08", period=period, measures=["N14"])
        got.add_columns(evaluate_columns(cases, got.ruleset, as_of=as_of, calendar=calendar,
                                         options=options))  # fmt: skip
        report = got.report()
        assert _json(report) == _json(expected.report()), (in_force_by, period)
    # the held reports are left out in the year of their request when held on that day
    counts = TargetTally.start("nps-2007-08", period=Period.financial_year(2004),
                               measures=["N14"])  # fmt: skip
    counts.add_columns(evaluate_columns(cases, counts.ruleset, as_of=as_of, calendar=calendar,
                                        options=options))  # fmt: skip
    tally = counts.report()["N14"].counts
    assert tally is not None
    if in_force_by == "trigger":  # the three requested before 1 April 2005
        assert (tally.excluded, tally.unplaced) == (3, 0)
    else:  # held on its due day: unplaced; due the day it was requested: that day
        assert (tally.excluded, tally.unplaced) == (1, 1)


def _renamed_in_words() -> list[Case]:
    """Cases whose words hold another case's reference (a victim named as a case is) and
    whose reference is an area's name: renamed in the reasons, and in the area read."""
    licence = {
        "kind": "licence", "sentenced_on": "2007-05-01", "released_on": "2007-10-01",
        "custodial_months": 12, "offence_category": "serious_violent",
    }  # fmt: skip
    facts = {"as_of": "2008-03-31", "sentence": licence, "tiers": [{"tier": 2, "on": "2007-10-01"}]}
    return [
        Case.model_validate(merge(CASE_DEFAULTS, {**facts, **parts}))
        for parts in (
            {"reference": "R-1", "area": "Essex", "victims": [{"id": "R-2", "statutory": True}]},
            {"reference": "R-2", "area": "Essex"},
            {"reference": "Essex", "area": "Essex"},
        )
    ]


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("keyed", [False, True])
def test_pseudonymised_on_columns_the_report_is_the_pseudonymised_findings_one(
    cases: list[Case], calendar: WorkingCalendar, name: str, keyed: bool
) -> None:
    """``add_columns(renaming=pseudonymiser(...))`` of each chunk gives the report that
    ``add`` of the chunk's pseudonymised findings gives, pooled and by area: the same
    pseudonyms, in the reasons too; a chunk where an area would be renamed is counted
    from its renamed findings."""
    every = [*_renamed_in_words(), *cases]
    as_of = DATES[1]
    for area in _areas(name):
        names = [KeyedPseudonyms(b"k" * 32) if keyed else SequentialPseudonyms() for _ in "ab"]
        expected = TargetTally.start(name, period=PERIOD, area=area)
        got = TargetTally.start(name, period=PERIOD, area=area)
        for chunk in _chunks(every, 64):
            found = evaluate(chunk, expected.ruleset, as_of=as_of, calendar=calendar)
            expected.add(pseudonymise(found, names[0]))
            answered = evaluate_columns(chunk, got.ruleset, as_of=as_of, calendar=calendar)
            renaming = pseudonymiser(answered.explain(words=False).case_ref, names[1])
            got.add_columns(answered, renaming=renaming)
            for each in names:
                if isinstance(each, SequentialPseudonyms):
                    each.forget()
        report = _json(got.report())
        assert report == _json(expected.report()), (name, area)
        assert '"R-1"' not in report
        if name == "nps-2007-08" and area is None:  # (the victim named as a case: listed)
            assert '"unit": "Victim R-2",\n' in report
            assert '"reason": "Victim R-2' not in report


def test_what_a_change_measure_reads_of_the_scalar_answers_is_the_findings(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    """A change measure (2005-06 PM4, ``TGT.accommodation-change``) counts the units
    suitable at the start: read from the columns for the kernel's answers, and from their
    findings for answers the kernel left to the scalar rule. Every answer read from its
    finding says what the columns say."""
    tally = TargetTally.start("nps-2005-06", period=PERIOD)
    measure = next(
        tally.targets.measure(measure_id)
        for measure_id in tally.anchors
        if tally.targets.measure(measure_id).aggregation is performance.Aggregation.CHANGE
    )
    anchor = tally.anchors[measure.id]
    answered = evaluate_columns(cases, tally.ruleset, as_of=DATES[2], calendar=calendar)
    by_rule = {found.rule.id: found for found in answered.by_rule}
    found = by_rule[measure.rule_id or ""]
    facts = _CaseFacts(by_rule["TGT.case"])
    on_columns = _on_columns(found, anchor, measure, facts)
    assert on_columns is not None
    left = attrs.evolve(found, origin=np.full(len(found), -1, dtype=np.intp))
    from_findings = _on_columns(left, anchor, measure, facts)
    assert from_findings is not None
    assert on_columns[1] is not None
    assert from_findings[1] is not None
    assert on_columns[1].tolist() == from_findings[1].tolist()
    assert on_columns[1].sum() > 0  # some units suitable at the start: the test reads them
