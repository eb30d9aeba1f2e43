"""Findings written from columns are byte for byte the findings written from Finding objects.

`casework findings` (CSV, JSON Lines, Parquet) writes each chunk from
FindingColumns.explain: reasons and evidence from the rules' own templates, the rest
from the columns. Here each format is written both ways and the bytes compared, on the
examples, the witness cases and generated cases, with and without the unstated
timescales; filters on columns (select_table) keep what select_findings keeps.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases, stream
from casework.columnar import evaluate_columns
from casework.columnar.core import FindingTable
from casework.model import Case
from casework.report import (
    KeyedPseudonyms,
    pseudonymise_table,
    select_findings,
    select_table,
    selector,
)
from casework.rules import Finding, evaluate, ruleset
from casework.rules.ruleset import RuleSet
from casework.stream import FindingsWriter, StreamFormat
from casework.testing import strategies as cs
from tests.columnar.compare import SETS, bench_cases, rules_for, witness_cases


def written(found: list[Finding] | FindingTable, form: StreamFormat, path: Path) -> bytes:
    if form == "parquet":
        with FindingsWriter(path, form) as writer:
            writer.write(found)
        return path.read_bytes()
    stream = io.StringIO()
    with FindingsWriter(None, form, stream=stream) as writer:
        writer.write(found)
    return stream.getvalue().encode()


def both_ways(
    cases: list[Case], rules: RuleSet, as_of: dt.date, calendar: WorkingCalendar, tmp: Path
) -> None:
    found = list(evaluate(cases, rules, as_of=as_of, calendar=calendar))
    answered = evaluate_columns(cases, rules, as_of=as_of, calendar=calendar)
    table, as_text = answered.explain(), answered.explain(text=True)
    assert len(table) == len(found) == len(as_text)
    for form in ("csv", "jsonl", "parquet"):
        expected = written(found, form, tmp / f"objects.{form}")
        assert written(table, form, tmp / f"columns.{form}") == expected, form
        if form != "jsonl":  # (evidence as lines of text: CSV and Parquet alone)
            assert written(as_text, form, tmp / f"text.{form}") == expected, form


def test_evidence_as_text_is_written_as_text_only(calendar: WorkingCalendar) -> None:
    """A table whose evidence was explained as lines (``text=True``) holds them for the
    periodic checks, and refuses to become Finding objects, JSON records or pseudonymised
    findings (their evidence items were never made) with one clear error."""
    cases = list(witness_cases())
    as_of = max(case.as_of for case in cases)
    answered = evaluate_columns(
        cases, ruleset("national-standards-2007"), as_of=as_of, calendar=calendar
    )
    table = answered.explain(text=True)
    assert table.lines is not None
    lined = {
        table.rules[rank].id for rank, line in zip(table.rank, table.lines, strict=True) if line
    }
    assert "NS07.roh-review-interval" in lined
    assert answered.explain().lines is None
    refusals = [
        lambda: next(table.findings()),
        lambda: next(stream.table_records(table)),
        lambda: next(stream.table_jsonl_lines(table)),
        lambda: pseudonymise_table(table, KeyedPseudonyms(b"k" * 16)),
    ]
    for refused in refusals:
        with pytest.raises(ValueError, match=r"explained as lines of text \(text=True\)"):
            refused()
    # without words there is no evidence to refuse
    assert list(stream.table_records(answered.explain(words=False, text=True), words=False))


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return [*witness_cases(), *bench_cases(11, 80)]


@pytest.mark.parametrize("supplied", [True, False])
def test_every_format_is_byte_identical(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path, supplied: bool
) -> None:
    name = "national-standards-2007"
    rules = rules_for(name) if supplied else ruleset(name)
    both_ways(cases, rules, dt.date(2010, 6, 30), calendar, tmp_path)


@pytest.mark.parametrize(
    ("file", "name"),
    [
        ("cases.json", "national-standards-2007"),
        ("cases.json", "national-standards"),
        ("omi-sample.json", "omi-2007"),
    ],
)
def test_the_examples_are_written_the_same(
    examples: Path, calendar: WorkingCalendar, tmp_path: Path, file: str, name: str
) -> None:
    loaded = load_cases(examples / file)
    as_of = loaded.cases[0].as_of
    both_ways(list(loaded.cases), ruleset(name), as_of, calendar, tmp_path)


def test_no_findings_are_written_the_same(calendar: WorkingCalendar, tmp_path: Path) -> None:
    both_ways([], ruleset("national-standards-2007"), dt.date(2010, 6, 30), calendar, tmp_path)


@settings(max_examples=10)
@given(
    drawn=st.lists(cs.cases(), min_size=1, max_size=4),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_generated_cases_are_written_the_same(
    drawn: list[Case],
    offset: int,
    calendar: WorkingCalendar,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    as_of = max(case.as_of for case in drawn) + dt.timedelta(days=offset)
    both_ways(
        drawn, ruleset("national-standards-2007"), as_of, calendar, tmp_path_factory.mktemp("w")
    )


@pytest.mark.parametrize(
    "filters",
    [
        {"outcomes": ["not_met", "cannot_assess"]},
        {"rules": ["NS07.oasys-*", "NS07.rmp-*"], "roh": True},
        {"criteria": ["nothing"]},
        {"cases": ["EX-0003", "EX-0001"], "outcomes": ["met"]},
    ],
)
def test_filters_on_columns_keep_what_the_finding_filters_keep(
    examples: Path, calendar: WorkingCalendar, tmp_path: Path, filters: dict[str, object]
) -> None:
    loaded = list(load_cases(examples / "cases.json").cases)
    rules = ruleset("national-standards-2007")
    as_of = loaded[0].as_of
    found = select_findings(evaluate(loaded, rules, as_of=as_of, calendar=calendar), **filters)  # type: ignore[arg-type]
    table = select_table(
        evaluate_columns(loaded, rules, as_of=as_of, calendar=calendar).explain(),
        **filters,  # type: ignore[arg-type]
    )
    assert len(table) == len(found)
    assert written(table, "jsonl", tmp_path) == written(list(found), "jsonl", tmp_path)


@pytest.mark.parametrize(
    "filters",
    [
        {"outcomes": ["not_met", "cannot_assess"]},
        {"rules": ["NS07.oasys-*", "NS07.roh-review-*"]},
        {"roh": False, "outcomes": ["met"]},
        {"criteria": ["nothing"]},
    ],
)
@pytest.mark.parametrize("words", [True, False])
def test_findings_kept_before_wording_are_those_kept_after(
    cases: list[Case],
    calendar: WorkingCalendar,
    filters: dict[str, object],
    words: bool,
    tmp_path: Path,
) -> None:
    """explain(where=...) words only the findings it keeps: each as the whole table words
    it, the table the filters keep of the whole (every field, every format)."""
    rules = rules_for("national-standards-2007")
    answered = evaluate_columns(cases, rules, as_of=dt.date(2010, 6, 30), calendar=calendar)
    wanted = selector(**filters)  # type: ignore[arg-type]
    kept = answered.explain(words=words, where=wanted)
    expected = select_table(answered.explain(words=words), **filters)  # type: ignore[arg-type]
    assert len(kept) > 0 or filters == {"criteria": ["nothing"]}
    assert_same(kept, expected)
    if words:  # explained for text, the same findings are kept and written the same
        as_text = answered.explain(where=wanted, text=True)
        whole = select_table(answered.explain(text=True), **filters)  # type: ignore[arg-type]
        for form in ("csv", "parquet"):
            expected_bytes = written(expected, form, tmp_path / f"expected.{form}")
            assert written(as_text, form, tmp_path / f"kept.{form}") == expected_bytes
            assert written(whole, form, tmp_path / f"whole.{form}") == expected_bytes


def test_no_filter_keeps_the_whole_table(cases: list[Case], calendar: WorkingCalendar) -> None:
    assert selector() is None
    answered = evaluate_columns(
        cases, ruleset("national-standards-2007"), as_of=dt.date(2010, 6, 30), calendar=calendar
    )
    assert_same(answered.explain(where=lambda table: np.arange(len(table))), answered.explain())


def assert_same(table: FindingTable, other: FindingTable) -> None:
    """Every field of two finding tables equal (arrays element by element)."""
    for field in attrs.fields(FindingTable):
        mine, theirs = getattr(table, field.name), getattr(other, field.name)
        if isinstance(mine, np.ndarray):
            assert np.array_equal(mine, theirs), field.name
        else:
            assert mine == theirs, field.name


@settings(max_examples=25)
@given(data=st.data())
def test_each_answer_is_worded_alike_whichever_others_are(
    cases: list[Case], calendar: WorkingCalendar, data: st.DataObject
) -> None:
    """RuleColumns.explained(only): the answers asked for get the words the rule gives them
    when every answer is worded; the others none. On every rule set the equivalence
    property covers, and omi-2007."""
    name = data.draw(st.sampled_from([*SETS, "omi-2007"]), label="rule set")
    as_of = data.draw(st.dates(dt.date(2008, 1, 1), dt.date(2011, 12, 31)), label="as_of")
    share = data.draw(st.sampled_from([0.0, 0.05, 0.5, 0.95]), label="share asked for")
    draw = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed")).random
    answered = evaluate_columns(cases, rules_for(name), as_of=as_of, calendar=calendar)
    for rule in answered.by_rule:
        only = draw(len(rule)) < share
        every = rule.explained()
        some = rule.explained(only)
        for whole, picked, blank in zip(every, some, ("", (), None, None), strict=True):
            assert [w if keep else blank for w, keep in zip(whole, only, strict=True)] == picked


def test_a_mask_of_the_wrong_length_is_refused(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    answered = evaluate_columns(
        cases, ruleset("national-standards-2007"), as_of=dt.date(2010, 6, 30), calendar=calendar
    )
    rule = answered.by_rule[0]
    with pytest.raises(ValueError, match=f"only: a mask of 1 answers, for {len(rule)}"):
        rule.explained(np.ones(1, dtype=bool))
    with pytest.raises(ValueError, match=rf"where: positions must be in 0\.\.{len(answered) - 1}"):
        answered.explain(where=lambda table: np.asarray([len(table)]))


def test_positions_find_each_rules_answers_in_the_table(
    cases: list[Case], calendar: WorkingCalendar
) -> None:
    """FindingColumns.positions: the k-th answer of a rule's columns is the finding that
    rule gives at that place of explain()'s table (case, rule, unit, outcome, words)."""
    answered = evaluate_columns(
        cases, rules_for("national-standards-2007"), as_of=dt.date(2010, 6, 30), calendar=calendar
    )
    whole = list(answered.explain().findings())
    rules = np.concatenate([np.full(len(a), r) for r, a in enumerate(answered.by_rule)])
    answers = np.concatenate([np.arange(len(a)) for a in answered.by_rule])
    picked = np.random.default_rng(5).permutation(len(rules))[:200]
    places = answered.positions(rules[picked], answers[picked])
    assert sorted(answered.positions(rules, answers).tolist()) == list(range(len(whole)))
    for rule, answer, place in zip(rules[picked], answers[picked], places.tolist(), strict=True):
        own = answered.by_rule[rule]
        assert whole[place].rule_id == own.rule.id
        assert whole[place].case_ref == answered.columns.references[own.row[answer]]
        assert whole[place].unit == own.unit[answer]
    kept = answered.explain(where=lambda _table: places)
    assert list(kept.findings()) == [whole[place] for place in places.tolist()]
    with pytest.raises(ValueError, match="2 rules for 1 answers"):
        answered.positions(np.zeros(2, dtype=np.intp), np.zeros(1, dtype=np.intp))
    with pytest.raises(ValueError, match="an answer that no rule of the chunk gave"):
        answered.positions(np.asarray([0]), np.asarray([len(answered.by_rule[0])]))
    with pytest.raises(ValueError, match="an answer that no rule of the chunk gave"):
        answered.positions(np.asarray([len(answered.by_rule)]), np.asarray([0]))


def _examples_both_ways(
    examples: Path, calendar: WorkingCalendar
) -> tuple[list[Finding], FindingTable]:
    """The findings of examples/cases.json as Finding objects and as a table."""
    loaded = list(load_cases(examples / "cases.json").cases)
    as_of = loaded[0].as_of
    rules = ruleset("national-standards-2007")
    found = list(evaluate(loaded, rules, as_of=as_of, calendar=calendar))
    return found, evaluate_columns(loaded, rules, as_of=as_of, calendar=calendar).explain()


@pytest.mark.parametrize(("lines", "combined"), [(1, 4_096), (2, 4_096), (7, 4_096), (7, 1)])
def test_csv_written_in_pieces_is_the_same(
    examples: Path,
    calendar: WorkingCalendar,
    lines: int,
    combined: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chunk's CSV is written ``CSV_LINES`` lines at a time: the pieces join to the CSV
    of the Finding objects, whatever the piece size, and each ends a line; neighbouring
    coded cells are joined once per combination of values, or (``combined=1``: every
    pair of values too many) only by the same codes or one value."""
    found, table = _examples_both_ways(examples, calendar)
    monkeypatch.setattr(stream, "CSV_LINES", lines)
    monkeypatch.setattr(stream, "_MOST_COMBINED", combined)
    pieces = list(stream.table_csv_lines(table))
    assert len(pieces) == -(-len(found) // lines)
    assert all(piece.count("\n") == len(piece.splitlines()) for piece in pieces)
    assert "".join(pieces) == stream.findings_csv_lines(found)
    _header, *rows = written(found, "csv", Path("unused")).decode().splitlines(keepends=True)
    assert "".join(rows) == "".join(pieces)


@pytest.mark.parametrize("lines", [1, 2, 7])
def test_json_lines_written_in_pieces_are_the_same(
    examples: Path, calendar: WorkingCalendar, lines: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk's JSON Lines are written ``CSV_LINES`` lines at a time, each distinct value
    encoded once: the pieces join to the lines of the Finding objects, whatever the
    piece size, and each ends a line."""
    found, table = _examples_both_ways(examples, calendar)
    monkeypatch.setattr(stream, "CSV_LINES", lines)
    pieces = list(stream.table_jsonl_lines(table))
    assert len(pieces) == -(-len(found) // lines)
    assert all(piece.count("\n") == len(piece.splitlines()) for piece in pieces)
    assert "".join(pieces).encode() == written(found, "jsonl", Path("unused"))


@pytest.mark.parametrize("name", ["national-standards-2007", "omi-2007", "nps-2007-08"])
@pytest.mark.parametrize("outcomes", [[], ["not_met"]])
def test_findings_json_of_tables_is_that_of_the_findings(
    cases: list[Case], calendar: WorkingCalendar, name: str, outcomes: list[str]
) -> None:
    """FindingsJson writes a chunk's table as it writes the chunk's Finding objects: the
    items, the totals by outcome and by rule (rules in the order of their first finding,
    some only in a later chunk when filtered) and the cases."""
    from casework.report.findings import FindingsJson

    rules = ruleset(name)
    as_of = dt.date(2010, 6, 30)
    kept = selector(outcomes=outcomes)
    texts = []
    for columns in (False, True):
        with FindingsJson() as writer:
            for start in range(0, len(cases), 7):
                chunk = cases[start : start + 7]
                if columns:
                    answered = evaluate_columns(chunk, rules, as_of=as_of, calendar=calendar)
                    writer.add(answered.explain(where=kept))
                else:
                    found = evaluate(chunk, rules, as_of=as_of, calendar=calendar)
                    writer.add(list(select_findings(found, outcomes=outcomes)))
            out = io.StringIO()
            writer.write(out, source="cases.jsonl")
            texts.append(out.getvalue())
    assert texts[1] == texts[0]
    assert '"findings": [' in texts[0]
