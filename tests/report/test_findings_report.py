"""Findings reports: the JSON shape, the tables, the filters."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from casework import LoadResult, load_cases
from casework.report import (
    findings_report,
    outcome_label,
    select_findings,
    validation_report,
)
from casework.report.findings import FINDING_COLUMNS, FindingsJson
from casework.rules import Basis, Findings, Outcome
from tests.conftest import EXAMPLES


def test_json_holds_every_finding_and_counts_that_add_up(
    example_findings: Findings, example_load: LoadResult
) -> None:
    data = json.loads(
        findings_report(example_findings, source="cases.json", load=example_load).render("json")
    )
    assert data["kind"] == "findings"
    assert data["ruleset"] == "national-standards-2007"
    assert data["as_of"] == "2007-10-15"
    assert data["records"] == {"read": 6, "accepted": 6, "rejected": 0}
    assert data["cases"] == len({f.case_ref for f in example_findings})
    assert data["findings"] == example_findings.to_records()
    assert sum(data["counts"].values()) == len(example_findings)
    assert data["counts"] == {o.value: example_findings.counts()[o] for o in Outcome}
    for rule in data["rules"]:
        assert rule["counts"] == {
            o.value: len(example_findings.where(rule=rule["rule_id"], outcome=o)) for o in Outcome
        }


def test_csv_is_one_row_per_finding_with_the_documented_columns(
    example_findings: Findings,
) -> None:
    rows = list(csv.DictReader(io.StringIO(findings_report(example_findings).render("csv"))))
    assert len(rows) == len(example_findings)
    assert list(rows[0]) == [column.key for column in FINDING_COLUMNS]
    for row, finding in zip(rows, example_findings, strict=True):
        assert (row["case_ref"], row["rule_id"], row["outcome"]) == (
            finding.case_ref,
            finding.rule_id,
            finding.outcome.value,
        )
        assert row["as_of"] == "2007-10-15"
        for item in finding.evidence:
            assert item.label in row["evidence"]


def test_text_summarises_each_rule_with_the_share_met(example_findings: Findings) -> None:
    text = findings_report(example_findings).render("text")
    for rule_id in {f.rule_id for f in example_findings}:
        subset = example_findings.where(rule=rule_id)
        met, not_met = len(subset.where(outcome="met")), len(subset.where(outcome="not_met"))
        line = next(line for line in text.splitlines() if line.startswith(rule_id + " "))
        assert line.split()[1:3] == [str(met), str(not_met)]
        half_up = int(Fraction(100 * met, met + not_met) + Fraction(1, 2)) if met + not_met else 0
        share = f"{half_up}%" if met + not_met else "-"
        assert share in line.split()


def test_outcome_labels_say_why_when_it_matters(example_findings: Findings) -> None:
    import attrs

    finding = example_findings[0]
    assert outcome_label(attrs.evolve(finding, outcome=Outcome.MET, basis=Basis.COMPUTED)) == "met"
    assert (
        outcome_label(
            attrs.evolve(finding, outcome=Outcome.NOT_APPLICABLE, basis=Basis.NOT_YET_DUE)
        )
        == "not applicable (not yet due)"
    )
    assert (
        outcome_label(
            attrs.evolve(finding, outcome=Outcome.CANNOT_ASSESS, basis=Basis.NO_PARAMETER)
        )
        == "cannot assess (no parameter)"
    )


def test_an_empty_report_still_renders(example_findings: Findings) -> None:
    report = findings_report(select_findings(example_findings, cases=["nobody"]))
    assert report.to_dict()["findings"] == []
    assert "(none)" in report.render("text")
    assert report.render("csv").count("\n") == 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"outcomes": ["not_met"]}, lambda f: f.outcome is Outcome.NOT_MET),
        (
            {"outcomes": ["met", "not_met"]},
            lambda f: f.outcome in {Outcome.MET, Outcome.NOT_MET},
        ),
        ({"rules": ["NS07.oasys-tier*"]}, lambda f: f.rule_id.startswith("NS07.oasys-tier")),
        ({"cases": ["EX-0003", "EX-0004"]}, lambda f: f.case_ref in {"EX-0003", "EX-0004"}),
        ({"roh": True}, lambda f: f.roh),
        (
            {"outcomes": ["not_met"], "cases": ["EX-0004"]},
            lambda f: f.outcome is Outcome.NOT_MET and f.case_ref == "EX-0004",
        ),
    ],
)
def test_select_findings(example_findings: Findings, filters: dict, expected) -> None:
    chosen = select_findings(example_findings, **filters)
    assert list(chosen) == [f for f in example_findings if expected(f)]
    assert chosen, "each filter should pick something from the examples"


def test_criterion_filter_takes_a_criterion_or_anything_under_it(
    example_findings: Findings,
) -> None:
    import attrs

    tagged = Findings(
        tuple(
            attrs.evolve(f, criterion=c)
            for f, c in zip(
                example_findings, ["1.2", "1.2", "1.20", "2.1", None, "1"] * 3, strict=False
            )
        )
    )
    assert Counter(f.criterion for f in select_findings(tagged, criteria=["1.2"])) == {"1.2": 6}
    assert Counter(f.criterion for f in select_findings(tagged, criteria=["1"])) == {
        "1.2": 6,
        "1.20": 3,
        "1": 3,
    }


def test_validation_report_keeps_the_json_shape_and_lists_every_problem() -> None:
    result = load_cases(EXAMPLES / "bad-cases.jsonl")
    report = validation_report(result, source="bad-cases.jsonl")
    data = report.to_dict()
    assert data["records"] == data["accepted"] + data["rejected"] == 11
    assert [e["record"] for e in data["errors"]] == [e.record for e in result.errors]
    rows = list(csv.DictReader(io.StringIO(report.render("csv"))))
    assert len(rows) == sum(len(e.problems) for e in result.errors)
    assert report.render("text").startswith("bad-cases.jsonl: 11 records read")
    assert "Synthetic Person" not in report.render("html")


@pytest.mark.parametrize("cut", [1, 2, 5, 1000])
@pytest.mark.parametrize("outcome", [None, Outcome.NOT_MET, "none"])
def test_the_json_written_a_chunk_at_a_time_is_the_report_s(
    example_findings: Findings,
    example_load: LoadResult,
    cut: int,
    outcome: Outcome | str | None,
    tmp_path: Path,
) -> None:
    # chunks of `cut` cases (a case's findings are never split), as the command feeds them
    found = example_findings
    if outcome == "none":
        found = Findings(())
    elif outcome is not None:
        found = found.where(outcome=outcome)
    refs = list(dict.fromkeys(finding.case_ref for finding in found))
    expected = findings_report(found, source="cases.json", load=example_load).render("json")
    with FindingsJson(tmp_path) as document:
        for start in range(0, max(1, len(refs)), cut):
            chosen = set(refs[start : start + cut])
            document.add([finding for finding in found if finding.case_ref in chosen])
        out = io.StringIO()
        document.write(out, source="cases.json", load=example_load)
        assert len(list(tmp_path.iterdir())) <= 1  # the findings, in one temporary file
    assert out.getvalue() == expected
    assert document.count == len(found)
    assert not list(tmp_path.iterdir())  # removed on leaving
