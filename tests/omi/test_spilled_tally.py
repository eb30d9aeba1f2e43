"""SpilledTally: one pass counted with its per-case state in files gives exactly the
InspectionTally's scorecard, intervals (external sort, codes read from a file) and
reports, byte for byte; its files are removed when it is closed."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casework.intervals as intervals_module
from casework import WorkingCalendar, load_cases
from casework._caserefs import CaseRefs, Lines, PackedRefs, SpilledRefs, plain
from casework.columnar import evaluate_columns
from casework.inspection_tally import InspectionTally, SpilledTally
from casework.intervals import IntervalOptions
from casework.model.inspection import load_inspection
from casework.report import output
from casework.report.inspection import inspection_report
from casework.report.output import iter_json
from casework.rules import evaluate, ruleset
from casework.rules.engine import Finding, Outcome

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2007, 10, 15)
FEW = IntervalOptions(resamples=40, seed=3)


@pytest.fixture(scope="module")
def by_case(calendar: WorkingCalendar) -> list[list[Finding]]:
    """The example sample's omi-2007 findings case by case, some answers made
    unanswerable so that warnings list cases."""
    cases = load_cases(EXAMPLES / "omi-sample.json").cases
    found = evaluate(cases, ruleset("omi-2007"), as_of=AS_OF, calendar=calendar)
    grouped: dict[str, list[Finding]] = {}
    for finding in found:
        grouped.setdefault(finding.case_ref, []).append(finding)
    return [
        [
            attrs.evolve(f, outcome=Outcome.CANNOT_ASSESS) if i % 11 == c % 4 else f
            for i, f in enumerate(group)
        ]
        for c, group in enumerate(grouped.values())
    ]


def _fill(tally: InspectionTally | SpilledTally, groups: Sequence[list[Finding]], chunk: int
          ) -> None:  # fmt: skip
    for start in range(0, len(groups), chunk):
        tally.add([f for group in groups[start : start + chunk] for f in group])


def _report(card: object, format_: str) -> str:
    report = inspection_report(card, source="s.json", chart=False)  # type: ignore[arg-type]
    if format_ == "stream":
        stream = io.StringIO()
        report.write(stream, "json")
        return stream.getvalue()
    return report.render(format_)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"not_evidenced": "unanswered"},
        {"groups": "all_of", "weighting": "pooled"},
    ],
)
def test_spilled_scorecard_equals_the_tally_in_memory(
    by_case: list[list[Finding]],
    overrides: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    whole = InspectionTally()
    _fill(whole, by_case, 9)
    expected = whole.scorecard(inspection=inspection, intervals=FEW, compact=True, **overrides)
    # Small runs: the bootstrap's external sort merges several sorted runs.
    monkeypatch.setattr(intervals_module, "RUN_CASES", 7)
    monkeypatch.setattr(intervals_module, "MERGE_ROWS", 3)
    monkeypatch.setattr(intervals_module, "CASE_BLOCK", 5)
    monkeypatch.setattr(intervals_module, "DRAW_PIECE", 4)
    with SpilledTally(tmp_path, spill=13) as tally:
        _fill(tally, by_case, 9)
        assert tally.cases == whole.cases
        card = tally.scorecard(inspection=inspection, intervals=FEW, **overrides)
        assert isinstance(card.cases, SpilledRefs)
        assert card == expected
        assert card.cases == tuple(whole.refs)
        assert card.intervals == expected.intervals
        for format_ in ("json", "text", "csv", "stream"):
            assert _report(card, format_) == _report(expected, format_)
        assert any(tmp_path.iterdir())
    assert not any(tmp_path.iterdir())  # the files are removed on close


def test_spilled_lists_read_as_tuples(by_case: list[list[Finding]], tmp_path: Path) -> None:
    whole = InspectionTally()
    _fill(whole, by_case, 20)
    plain_card = whole.scorecard(intervals=False)
    with SpilledTally(tmp_path, spill=7) as tally:
        _fill(tally, by_case, 20)
        card = tally.scorecard(intervals=False)
        assert isinstance(card.warnings, Lines)
        assert card.warnings == plain_card.warnings
        for mine, theirs in zip(card.questions, plain_card.questions, strict=True):
            assert isinstance(mine.below, CaseRefs)
            for name in ("above", "below", "unanswered", "not_applicable", "not_evidenced"):
                assert len(getattr(mine, name)) == len(getattr(theirs, name))
                assert list(getattr(mine, name)) == list(getattr(theirs, name))
                assert getattr(mine, name).positions().tolist() == [
                    whole.refs.index(ref) for ref in getattr(theirs, name)
                ]
            if theirs.above:
                assert mine.above[-1] == theirs.above[-1]
        assert card.cases[3] == whole.refs[3]
        assert card.cases[-1] == whole.refs[-1]
        assert card.cases[2:5] == tuple(whole.refs[2:5])
        with pytest.raises(IndexError):
            card.cases[len(whole.refs)]


def test_a_case_counted_in_two_spilled_parts_is_refused(
    by_case: list[list[Finding]], tmp_path: Path
) -> None:
    with SpilledTally(tmp_path, spill=2) as tally:
        _fill(tally, by_case[:4], 1)
        tally.add(by_case[1])
        with pytest.raises(ValueError, match="are not together"):
            tally.scorecard(intervals=False)


def test_spilled_columns_equal_counted_findings(
    by_case: list[list[Finding]], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    cases = list(load_cases(EXAMPLES / "omi-sample.json").cases)
    rules = ruleset("omi-2007")
    memory = InspectionTally()
    with SpilledTally(tmp_path, spill=30) as tally:
        for start in range(0, len(cases), 17):
            part = cases[start : start + 17]
            memory.add(evaluate(part, rules, as_of=AS_OF, calendar=calendar))
            tally.add_columns(evaluate_columns(part, rules, as_of=AS_OF, calendar=calendar))
        card = tally.scorecard(intervals=FEW)
        assert card == memory.scorecard(intervals=FEW)
        assert card.intervals == memory.scorecard(intervals=FEW).intervals


def test_an_empty_spilled_tally_scores_nothing(tmp_path: Path) -> None:
    with SpilledTally(tmp_path) as tally:
        card = tally.scorecard()
        assert tally.cases == 0
        assert card.criteria == ()
        assert card.cases == ()


def test_spilled_references_keep_any_text(tmp_path: Path) -> None:
    folder = tmp_path / "refs"
    folder.mkdir()
    refs = ["a", "ref, with comma", "é-ünïcode", "x" * 40, "", "z\n2"]
    intervals_module._write_refs(folder, refs)
    spilled = SpilledRefs(folder, len(refs))
    assert list(spilled) == refs
    assert spilled.block(1, 3) == refs[1:3]
    assert spilled == tuple(refs)
    assert spilled != tuple(refs[:-1])


@settings(max_examples=60)
@given(
    chunks=st.lists(st.lists(st.text(max_size=8), max_size=5), max_size=5),
    start=st.integers(-2, 30),
    stop=st.integers(-2, 30),
)
def test_packed_references_are_the_tuple_of_them(
    chunks: list[list[str]], start: int, stop: int
) -> None:
    """PackedRefs, filled a chunk at a time, reads back as the tuple of every reference:
    whole, by block, by index and slice, equal and hashed as it."""
    packed = PackedRefs()
    for chunk in chunks:
        packed.extend(chunk)
    refs = tuple(ref for chunk in chunks for ref in chunk)
    assert len(packed) == len(refs)
    assert list(packed) == list(refs)
    assert packed == refs
    assert refs == packed
    assert hash(packed) == hash(refs)
    assert packed.block(start, stop) == list(refs[max(0, start) : max(0, stop)])
    assert packed[start:stop] == refs[start:stop]
    for index in (start, -1 - stop):
        if -len(refs) <= index < len(refs):
            assert packed[index] == refs[index]
        else:
            with pytest.raises(IndexError):
                packed[index]
    assert packed != (*refs, "one more")


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=80)
@given(value=_JSON, refs=st.lists(st.text(max_size=6), max_size=5, unique=True))
def test_json_in_pieces_is_json_dumps(value: object, refs: list[str]) -> None:
    import numpy as np

    listed = CaseRefs(tuple(refs), np.arange(len(refs), dtype=np.uint8) % 2, (1,))
    lines = Lines(["plain line", ("head: ", listed), ("none: ", ()), ("all: ", tuple(refs))])
    data = {"value": value, "listed": listed, "lines": lines, "empty": [], "nested": [value]}
    expected = json.dumps(data, indent=2, ensure_ascii=False, default=plain)
    assert "".join(iter_json(data)) == expected
    with mock.patch.object(output, "_BATCH", 2):  # strings joined a batch of two at a time
        assert "".join(iter_json(data)) == expected
    if isinstance(value, float) and math.isnan(value):
        assert "NaN" in expected


def test_a_question_first_met_after_a_spill_lists_its_cases_alike(
    by_case: list[list[Finding]], tmp_path: Path
) -> None:
    """A question no case of the first spills answers (its file padded for them), and one
    the last cases leave out: the same lists, order of questions and scores."""
    late = {"1.1.a", "2.3.summary"}
    groups = [
        [
            f
            for f in group
            if not (c < 20 and f.rule_id in late) and not (c > 90 and f.rule_id == "1.2.b")
        ]
        for c, group in enumerate(by_case)
    ]
    whole = InspectionTally()
    _fill(whole, groups, 6)
    expected = whole.scorecard(intervals=FEW, compact=True)
    with SpilledTally(tmp_path, spill=8) as tally:
        _fill(tally, groups, 6)
        card = tally.scorecard(intervals=FEW)
        assert [q.id for q in card.questions] == [q.id for q in expected.questions]
        assert card == expected
        assert card.intervals == expected.intervals
        first = groups[0][0].case_ref
        for rule_id in (*late, "1.2.b"):
            question = card.question(rule_id)
            assert question.cases < len(expected.cases)
            if rule_id in late:
                names = ("above", "below", "unanswered", "not_applicable")
                assert all(first not in getattr(question, name) for name in names)


def test_the_spilled_bootstrap_gives_freed_memory_back_after_its_sort(
    by_case: list[list[Finding]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the cases are sorted and merged, and before any resample is drawn, the
    allocator's free pages are released (docs/decisions.md#score-memory-released); the
    intervals are the same."""
    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    whole = InspectionTally()
    _fill(whole, by_case, 9)
    expected = whole.scorecard(inspection=inspection, intervals=FEW, compact=True).intervals
    steps: list[str] = []
    merge, counts = intervals_module._merge_runs, intervals_module._counts
    monkeypatch.setattr(
        intervals_module, "_merge_runs", lambda *a: (steps.append("merged"), merge(*a))[1]
    )
    monkeypatch.setattr(
        intervals_module, "_counts", lambda *a, **k: (steps.append("drawn"), counts(*a, **k))[1]
    )
    monkeypatch.setattr(intervals_module, "release_free_memory", lambda: steps.append("released"))
    monkeypatch.setattr(intervals_module, "RUN_CASES", 7)
    with SpilledTally(tmp_path, spill=13) as tally:
        _fill(tally, by_case, 9)
        card = tally.scorecard(inspection=inspection, intervals=FEW)
        assert card.intervals == expected
    assert steps == ["merged", "released", "drawn"]
