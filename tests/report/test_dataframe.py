"""DataFrames of findings: one test per shape."""

from __future__ import annotations

import math
import sys

import pandas as pd
import pytest

from casework.report.dataframe import (
    FINDING_FRAME_COLUMNS,
    evidence_frame,
    findings_frame,
    rule_summary_frame,
)
from casework.rules import Basis, Findings, Outcome


def test_findings_frame_is_long_one_row_per_case_and_question(example_findings: Findings) -> None:
    frame = findings_frame(example_findings)
    assert list(frame.columns) == list(FINDING_FRAME_COLUMNS)
    assert len(frame) == len(example_findings)
    assert not frame.duplicated(["case_ref", "rule_id", "unit"]).any()
    assert list(frame["outcome"].cat.categories) == [o.value for o in Outcome]
    assert list(frame["basis"].cat.categories) == [b.value for b in Basis]
    assert frame["roh"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(frame["as_of"])
    for row, finding in zip(frame.itertuples(index=False), example_findings, strict=True):
        assert (row.case_ref, row.rule_id, row.outcome, row.reason) == (
            finding.case_ref,
            finding.rule_id,
            finding.outcome.value,
            finding.reason,
        )
        assert row.as_of.date() == finding.as_of
    wide = frame.pivot(index="case_ref", columns="rule_id", values="outcome")
    assert wide.shape == (
        len({f.case_ref for f in example_findings}),
        len({f.rule_id for f in example_findings}),
    )


def test_findings_frame_of_nothing_keeps_its_columns() -> None:
    frame = findings_frame([])
    assert list(frame.columns) == list(FINDING_FRAME_COLUMNS)
    assert frame.empty


def test_evidence_frame_has_one_row_per_fact(example_findings: Findings) -> None:
    frame = evidence_frame(example_findings)
    assert list(frame.columns) == ["case_ref", "rule_id", "unit", "label", "value", "source"]
    assert len(frame) == sum(len(f.evidence) for f in example_findings)
    expected = [
        (f.case_ref, f.rule_id, item.to_dict()["label"], item.to_dict()["value"])
        for f in example_findings
        for item in f.evidence
    ]
    assert (
        list(frame[["case_ref", "rule_id", "label", "value"]].itertuples(index=False, name=None))
        == expected
    )


def test_rule_summary_frame_counts_outcomes_per_question(example_findings: Findings) -> None:
    frame = rule_summary_frame(example_findings)
    assert list(frame.columns) == [
        "rule_id",
        "question",
        *(o.value for o in Outcome),
        "met_share",
    ]
    assert list(frame["rule_id"]) == list(dict.fromkeys(f.rule_id for f in example_findings))
    for row in frame.itertuples(index=False):
        subset = example_findings.where(rule=row.rule_id)
        counts = subset.counts()
        assert [row.met, row.not_met, row.not_applicable, row.cannot_assess] == [
            counts[o] for o in Outcome
        ]
        assessed = counts[Outcome.MET] + counts[Outcome.NOT_MET]
        if assessed:
            assert math.isclose(row.met_share, counts[Outcome.MET] / assessed, abs_tol=5e-5)
        else:
            assert math.isnan(row.met_share)
    assert frame[[o.value for o in Outcome]].to_numpy().sum() == len(example_findings)


def test_frames_show_as_readable_tables(example_findings: Findings) -> None:
    frame = findings_frame(example_findings)
    assert "<table" in frame._repr_html_()  # Jupyter
    assert "NS07.oasys-ppo" in frame.to_string()  # terminal


def test_a_missing_pandas_says_how_to_install_it(
    example_findings: Findings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "casework\[dataframe\]"'):
        findings_frame(example_findings)
