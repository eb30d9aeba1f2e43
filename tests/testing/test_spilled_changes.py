"""The changes of a comparison made a chunk at a time are kept in a temporary file past
``CHANGES_HELD`` (:class:`casework.compare.SpilledChanges`) and read back as asked for:
equal to the tuple ``compare`` gives, item for item, in every view, and the reports made
from them the same in every format."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import pickle
import tempfile
from pathlib import Path

import pytest

from casework import WorkingCalendar, compare
from casework.columnar import CaseColumns
from casework.compare import Comparison, OutcomeChange, SpilledChanges, compare_columns
from casework.model import Case
from casework.report import (
    SequentialPseudonyms,
    comparison_report,
    pseudonymise_comparison,
    select_questions,
)
from tests.columnar.compare import bench_cases, witness_cases

AS_OF = dt.date(2010, 6, 30)
#: The module (``casework.compare`` is also its function, re-exported).
compare_module = importlib.import_module("casework.compare")
PAIR = ("national-standards-2005", "national-standards-2007")


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return [*witness_cases(), *bench_cases(3, 120)]


def _both(
    cases: list[Case], calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch, held: int
) -> tuple[Comparison, Comparison]:
    """The comparison made a chunk at a time, ``held`` changes kept in memory at a time,
    and the one ``compare`` makes."""
    monkeypatch.setattr(compare_module, "CHANGES_HELD", held)
    chunks = (CaseColumns.from_cases(cases[at : at + 25]) for at in range(0, len(cases), 25))
    spilled = compare_columns(chunks, *PAIR, as_of=AS_OF, calendar=calendar)
    return spilled, compare(cases, *PAIR, as_of=AS_OF, calendar=calendar)


@pytest.mark.parametrize("held", [1, 3, 50, 100_000])
def test_spilled_changes_are_the_changes_in_order(
    cases: list[Case], calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch, held: int
) -> None:
    spilled, whole = _both(cases, calendar, monkeypatch, held)
    changes, expected = spilled.changes, whole.changes
    assert isinstance(changes, SpilledChanges)
    assert len(expected) > 100  # (enough to fill many blocks)
    assert changes == expected
    assert expected == changes
    assert tuple(changes) == tuple(changes) == expected  # (read again, the same)
    assert len(changes) == len(expected)
    for index in (0, 1, held - 1, held, len(expected) // 2, -1, -len(expected)):
        if -len(expected) <= index < len(expected):
            assert changes[index] == expected[index]
    assert changes[3:40:7] == expected[3:40:7]
    assert [changes[i] for i in range(len(changes))] == list(expected)  # (indexes in turn)
    assert [changes[i] for i in reversed(range(len(changes)))] == list(reversed(expected))
    with pytest.raises(IndexError):
        changes[len(expected)]
    keys = sorted({change.key for change in expected})
    assert len(keys) > 2
    for key in keys:
        assert changes.of_key(key) == tuple(c for c in expected if c.key == key)
    some = set(keys[::2])
    assert changes.only(some) == tuple(c for c in expected if c.key in some)
    assert changes.only(some).of_key(keys[1]) == ()

    def marked(change: OutcomeChange) -> OutcomeChange:
        return OutcomeChange(change.case_ref + "*", change.key, change.unit, None, None)

    assert changes.mapped(marked).only(some) == tuple(marked(c) for c in expected if c.key in some)
    restored = pickle.loads(pickle.dumps(changes))
    assert type(restored) is tuple
    assert restored == expected
    assert spilled == whole


def test_reports_of_spilled_changes_are_the_same_in_every_format(
    cases: list[Case], calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    spilled, whole = _both(cases, calendar, monkeypatch, 7)
    views = [
        lambda c: c,
        lambda c: select_questions(c, ["*roh-review*", "*oasys*"]),
        lambda c: pseudonymise_comparison(c, SequentialPseudonyms()),
        lambda c: select_questions(
            pseudonymise_comparison(c, SequentialPseudonyms(prefix="P")), ["*breach*"]
        ),
    ]
    for view in views:
        for unchanged in (False, True):
            got = comparison_report(view(spilled), source="cases.jsonl", unchanged=unchanged)
            want = comparison_report(view(whole), source="cases.jsonl", unchanged=unchanged)
            for format in ("text", "markdown", "html", "json", "csv"):
                text = want.render(format)
                assert got.render(format) == text, format
                assert "".join(got.pieces(format)) == text, format
            assert got.to_dict() == want.to_dict()


def test_the_temporary_file_goes_with_the_changes(
    cases: list[Case],
    calendar: WorkingCalendar,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spilled, _whole = _both(cases, calendar, monkeypatch, 5)
    assert list(tmp_path.glob("casework-*.spill"))
    renamed = pseudonymise_comparison(spilled, SequentialPseudonyms())
    del spilled
    gc.collect()
    assert list(tmp_path.glob("casework-*.spill"))  # (a view still reads it)
    assert len(renamed.changes) > 100
    del renamed
    gc.collect()
    assert list(tmp_path.glob("casework-*.spill")) == []


def test_few_changes_are_kept_in_memory(
    cases: list[Case], calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spilled, whole = _both(cases, calendar, monkeypatch, 100_000)
    assert spilled.changes == whole.changes
    assert list(tmp_path.glob("casework-*.spill")) == []
