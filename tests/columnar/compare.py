"""Columns against the scalar engine, finding by finding (shared by tests/columnar): outcome,
basis and dates, and every field written from columns, reasons and evidence word for word."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from casework import WorkingCalendar, load_cases
from casework.columnar import CaseColumns, evaluate_columns, kernel_for
from casework.columnar.core import MANY, TEXT_MANY, Answers, Explained, ExplainedText
from casework.model import Case
from casework.rules import available_rulesets, evaluate, ruleset
from casework.rules.engine import Context, evidence_line
from casework.rules.ruleset import RuleSet
from casework.stream import findings_batch, table_batch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from evaluate import UNSTATED
from generate import case_records

__all__ = [
    "ANSWER_COLUMNS",
    "SETS",
    "WITNESSES",
    "bench_cases",
    "bulk_against_one_by_one",
    "case_records",
    "check",
    "check_tables",
    "rules_for",
    "witness_cases",
]

WITNESSES = Path(__file__).parents[1] / "testing" / "data" / "outcome-witnesses.jsonl"
COLUMNS = ["case_ref", "rule_id", "unit", "outcome", "basis", "trigger", "due", "done", "late_by",
           "late_unit"]  # fmt: skip
#: Rule sets the property runs on; omi-2007 is large, so only in the fixed-case test.
SETS = tuple(name for name in available_rulesets() if name != "omi-2007")


def witness_cases() -> list[Case]:
    """The stored witness cases (:data:`WITNESSES`)."""
    return list(load_cases(WITNESSES).cases)


def bench_cases(seed: int, count: int, as_of: dt.date = dt.date(2009, 3, 31)) -> list[Case]:
    """``count`` of the benchmark's generated cases (``bench/generate.py``), recorded as of
    ``as_of``."""
    return [Case.model_validate(record) for record in case_records(seed, count, as_of)]


def scalar_table(cases: list[Case], name: str, as_of: dt.date, calendar: WorkingCalendar,
                  options: dict[str, str] | None = None, *,
                  supplied: bool = True) -> pa.Table:  # fmt: skip
    """Every field of the scalar engine's findings (FINDINGS_SCHEMA), dictionaries decoded."""
    rules = rules_for(name) if supplied else ruleset(name)
    found = evaluate(cases, rules, as_of=as_of, calendar=calendar, options=options)
    return plain(pa.Table.from_batches([findings_batch(list(found))]))


def plain(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded, so both sides compare as plain values."""
    return pa.table(
        {
            name: (column.dictionary_decode() if pa.types.is_dictionary(column.type) else column)
            for name, column in zip(
                table.column_names, (c.combine_chunks() for c in table.columns), strict=True
            )
        }
    )


def rules_for(name: str) -> RuleSet:
    """The shipped set, with the benchmark's values for timescales the sources leave unstated."""
    rules = ruleset(name)
    known = set(rules.parameters.names())
    values = {key: value for key, value in UNSTATED.items() if key in known}
    return rules.with_parameters(values, note="test value") if values else rules


def check(cases: list[Case], name: str, as_of: dt.date, calendar: WorkingCalendar,
           options: dict[str, str] | None = None, *, supplied: bool = True) -> None:  # fmt: skip
    """Columns equal the scalar engine: outcome, basis and dates (:meth:`to_arrow`), and
    every field written, reason and evidence word for word (:meth:`explain`).

    ``supplied``: the benchmark's values for unstated timescales (else those rules
    cannot assess: no parameter)."""
    expected = scalar_table(cases, name, as_of, calendar, options, supplied=supplied)
    rules = rules_for(name) if supplied else ruleset(name)
    answered = evaluate_columns(cases, rules, as_of=as_of, calendar=calendar,
                                options=options)  # fmt: skip
    same(name, plain(answered.to_arrow()), expected, COLUMNS)
    written = plain(pa.Table.from_batches([table_batch(answered.explain())]))
    same(name, written, expected, expected.column_names)


def same(name: str, got: pa.Table, expected: pa.Table, columns: list[str]) -> None:
    """The tables agree on these columns, row by row (the first difference is named)."""
    assert got.num_rows == expected.num_rows
    for column in columns:
        left, right = got.column(column).to_pylist(), expected.column(column).to_pylist()
        if left != right:
            at = next(i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b)
            pytest.fail(
                f"{name} {column} differs at row {at}: columns {left[at]!r}, scalar {right[at]!r}"
                f" (case {expected.column('case_ref')[at]}, rule {expected.column('rule_id')[at]})"
            )


def check_tables(
    cases: list[Case], oracles: dict[str, Callable[[list[Case]], dict[str, Any]]]
) -> None:
    """Entity tables built from the chunk's raw tables equal their ``Case``-loop oracles,
    column by column (names, dtypes and values)."""
    columns = CaseColumns.from_cases(cases)
    for name, oracle in oracles.items():
        want, got = oracle(cases), columns.table(name)
        assert set(got) == set(want), name
        for column, values in want.items():
            assert got[column].dtype == values.dtype, (name, column)
            assert np.array_equal(got[column], values), (name, column)


#: The columns of a kernel answer a wording is given (:class:`~casework.columnar.core.Answers`).
ANSWER_COLUMNS = ("outcome", "basis", "trigger", "due", "done", "late_by", "late_unit")


def bulk_against_one_by_one(cases: list[Case], name: str, as_of: dt.date,
                             calendar: WorkingCalendar) -> set[str]:  # fmt: skip
    """Every kernel of the rule set whose wording has a bulk form (:data:`MANY`): its
    answers worded a column at a time equal them worded one by one, and so do those of
    its text form (:data:`TEXT_MANY`, the evidence as its line). The rules compared."""
    rules = rules_for(name)
    columns = CaseColumns.from_cases(cases)
    ctx = Context.of(rules, as_of=as_of, calendar=calendar)
    compared: set[str] = set()
    for rule in rules:
        kernel = kernel_for(rule)
        if kernel is None:
            continue
        answered = kernel(columns, ctx)
        wording = answered.get("wording")
        if wording is None or wording.words not in MANY or not len(wording.at):
            continue
        at = wording.at
        answers = Answers(
            **{key: answered[key][at] for key in ANSWER_COLUMNS},
            as_of=as_of,
            record_as_of=columns.record_as_of[at],
        )
        said = MANY[wording.words](answers, **wording.constants, **wording.values)
        one_by_one = [
            wording.words(
                answers.answer(k),
                **wording.constants,
                **{key: values[k] for key, values in wording.values.items()},
            )
            for k in range(len(answers))
        ]
        assert said == one_by_one, rule.id
        text_many = TEXT_MANY.get(wording.words)
        if text_many is not None:
            as_text = text_many(answers, **wording.constants, **wording.values)
            assert as_text == as_lines(one_by_one), rule.id
        compared.add(rule.id)
    return compared


def as_lines(said: list[Explained | None]) -> list[ExplainedText | None]:
    """Answers in words with each evidence as its line (what a text form gives)."""
    return [
        None if words is None else (words[0], evidence_line(words[1]), words[2]) for words in said
    ]
