"""The compact repeat check (casework._seen.SeenReferences, decision
compact-reference-check): exact whatever the hash, a few bytes per accepted record."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casework._seen
from casework._seen import SeenReferences
from casework.columnar.reader import read_column_chunks
from tests.columnar.reading import assert_chunks_alike, example_records, jsonl


def _oracle(chunks: Sequence[Sequence[str]]) -> list[list[int | None]]:
    """Today's check: a dict of every reference seen, by its first record."""
    seen: dict[str, int] = {}
    out: list[list[int | None]] = []
    number = 0
    for chunk in chunks:
        firsts: list[int | None] = []
        for reference in chunk:
            number += 1
            first = seen.setdefault(reference, number)
            firsts.append(None if first == number else first)
        out.append(firsts)
    return out


def _tiny_hash(references: Sequence[str]) -> np.ndarray:
    """Two values only: nearly every lookup is a collision to settle by the strings."""
    return np.asarray([len(reference) % 2 for reference in references], dtype=np.int64)


class _File:
    """The records' references by number, as the reader reads them back; what was asked."""

    def __init__(self) -> None:
        self.references: dict[int, str] = {}
        self.asked: list[int] = []

    def reference_of(self, numbers: Sequence[int]) -> dict[int, str]:
        self.asked.extend(numbers)
        return {number: self.references[number] for number in numbers}


def _run(chunks: Sequence[Sequence[str]], seen: SeenReferences, file: _File
         ) -> list[list[int | None]]:  # fmt: skip
    out = []
    number = 0
    for chunk in chunks:
        numbers = list(range(number + 1, number + len(chunk) + 1))
        file.references.update(zip(numbers, chunk, strict=True))
        number += len(chunk)
        out.append(seen.check(list(chunk), numbers))
    return out


references = st.lists(st.lists(st.sampled_from(["A", "B", "CC", "DD", "EEE", "F-1", "G"]),
                               max_size=6), max_size=8)  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(chunks=references, tiny=st.booleans())
def test_the_check_equals_a_dict_of_every_reference_whatever_the_hash(
    chunks: list[list[str]], tiny: bool
) -> None:
    file = _File()
    seen = SeenReferences(file.reference_of, _tiny_hash if tiny else None)
    assert _run(chunks, seen, file) == _oracle(chunks)
    accepted = [n for n, firsts in _numbered(chunks, _oracle(chunks)) if firsts is None]
    assert set(file.asked) <= set(accepted)  # only accepted records are read back
    assert len(seen) == len(accepted)


def _top_alike_hash(references: Sequence[str]) -> np.ndarray:
    """Hashes with the same top 4 bytes (what a run keeps in memory) whenever the
    references are as long: the full hash, read from the file, settles most hits."""
    return np.asarray(
        [(len(r) << 32) | (sum(map(ord, r)) & 0xFFFF) for r in references], dtype=np.int64
    )


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(chunks=references, hashing=st.sampled_from(["real", "tiny", "top-alike"]))
def test_the_check_equals_a_dict_with_the_runs_on_file(
    chunks: list[list[str]], hashing: str
) -> None:
    hashes = {"real": None, "tiny": _tiny_hash, "top-alike": _top_alike_hash}[hashing]
    file = _File()
    seen = SeenReferences(file.reference_of, hashes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(casework._seen, "RUN", 2)  # nearly every accepted record on file
        assert _run(chunks, seen, file) == _oracle(chunks)
    accepted = [n for n, firsts in _numbered(chunks, _oracle(chunks)) if firsts is None]
    assert set(file.asked) <= set(accepted)
    assert len(seen) == len(accepted)
    if len(accepted) >= 2:
        assert seen._runs  # the runs were on file


def _numbered(chunks: Sequence[Sequence[str]], firsts: list[list[int | None]]
              ) -> list[tuple[int, int | None]]:  # fmt: skip
    flat = [first for chunk in firsts for first in chunk]
    return list(enumerate(flat, start=1))


def test_a_collision_is_not_taken_for_a_repeat_and_a_repeat_is_found_through_one() -> None:
    file = _File()
    seen = SeenReferences(file.reference_of, lambda refs: np.zeros(len(refs), dtype=np.int64))
    chunks = [["A", "B"], ["C", "A"], ["B", "D", "C", "E"]]
    assert _run(chunks, seen, file) == [[None, None], [None, 1], [2, None, 3, None]]
    # Records read back once each (kept for later hits), only on hits.
    assert sorted(file.asked) == [1, 2, 3]


def test_what_is_kept_in_memory_per_record_is_four_bytes_not_a_string() -> None:
    file = _File()
    seen = SeenReferences(file.reference_of)
    total = 0
    for start in range(0, 300_000, 1_000):  # past several runs (casework._seen.RUN)
        refs = [f"R{n:07d}" for n in range(start, start + 1_000)]
        numbers = list(range(start + 1, start + 1_001))
        file.references.update(zip(numbers, refs, strict=True))
        assert seen.check(refs, numbers) == [None] * 1_000
        total += 1_000
    assert len(seen) == total
    runs = [run.tags for run in seen._runs]
    assert 4 <= len(runs) < 20  # a few sorted arrays, not one per chunk
    for tags in runs:
        assert tags.dtype == np.int32
        assert np.all(tags[1:] >= tags[:-1])
    in_runs = sum(len(tags) for tags in runs)
    # A run keeps 4 bytes a record in memory (its hashes and numbers are in the file);
    # the pieces not yet a run, 12 bytes a record, are fewer than 2 * RUN records.
    assert sum(tags.nbytes for tags in runs) == 4 * in_runs
    assert total - in_runs < 2 * casework._seen.RUN
    assert sum(array.nbytes for array in seen.arrays) == 4 * in_runs + 12 * (total - in_runs)
    assert file.asked == []
    assert seen._known == {}
    assert seen.check(["R0000007"], [10**6]) == [8]  # found in the first run, on file
    assert file.asked == [8]
    assert seen._known == {8: "R0000007"}
    assert seen.check(["R0299999"], [10**6 + 1]) == [300_000]  # found in a piece
    assert seen.check(["R0300000"], [10**6 + 2]) == [None]


def test_record_numbers_past_four_billion_are_kept_exactly() -> None:
    file = _File()
    seen = SeenReferences(file.reference_of)
    big = 2**32 + 5
    assert _run([["A"]], seen, file) == [[None]]
    assert seen.check(["B"], [big]) == [None]
    file.references[big] = "B"
    assert seen.check(["B", "A"], [big + 1, big + 2]) == [big, 1]
    assert all(numbers.dtype == np.int64 for _, numbers in seen._pieces)


def test_the_reader_with_a_tiny_hash_rejects_exactly_todays_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casework._seen, "reference_hashes", _tiny_hash)
    records = example_records()
    first, second, third = records[:3]
    again = {**second, "reference": first["reference"]}
    other = {**third, "reference": first["reference"] + "x"}  # same length class or not
    path = tmp_path / "cases.jsonl"
    lines = [first, second, third, again, other, again, *records[3:], other]
    path.write_bytes(b"\n" + jsonl(lines))  # a blank first line: numbers are line numbers
    for size in (1, 2, 3, 100):
        assert_chunks_alike(path, size=size)
    errors = [e for c in read_column_chunks(path, size=2) for e in c.errors]
    repeats = [e for e in errors if e.code == "record.duplicate_reference"]
    assert [(e.record, e.problems[0].found) for e in repeats] == [
        (5, "the reference of record 2"),
        (7, "the reference of record 2"),
        (len(lines) + 1, "the reference of record 6"),
    ]
    assert json.loads(path.read_text().splitlines()[1])["reference"] == first["reference"]
