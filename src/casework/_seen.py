"""The case references a read has accepted, kept compactly (decision: compact-reference-check).

A case file's references must be unique: a repeat is rejected naming the record that
used the reference first (:func:`casework.io.repeated_reference`). Keeping every
reference seen as a ``str`` (with its record number, in a ``dict``) costs about 190
bytes a case: 190 MB for a million cases. :class:`SeenReferences` keeps, per accepted
case, a fixed-width hash of its reference (8 bytes: Python's own ``hash`` of the
string) and its record number, in numpy arrays, with no Python object per case; and of
those, once they are part of a run (below), only the hash's top 4 bytes stay in memory:
**4 bytes a case** in memory, the full hashes and record numbers (16 bytes a case) in
an anonymous temporary file (``tempfile.TemporaryFile``: gone when closed or when the
process ends), read only on a hit of the top 4 bytes.

The check stays exact. A hash is only a candidate: when a reference's hash equals the
hash of an earlier accepted record's, that record's own reference is read back (a
callback: the JSON Lines reader re-reads the record from the file) and compared as a
string, so a hash collision between two different references is never taken for a
repeat, and a repeat is always found (equal strings have equal hashes). References read
back are kept (by record number) for later hits: they are as many as the distinct
references repeated in the file, which are errors, not cases. A hit of the top 4 bytes
alone (about one lookup in 4,300 at a million cases) costs a read of the file, no more.

Layout: sorted arrays of hashes with their record numbers. Each chunk's accepted
hashes become a small sorted piece; pieces are merged as a binary counter (a piece
merged into the one before when that is no larger), and a piece of :data:`RUN`
entries or more becomes a run, never merged again (a run is under ``2 * RUN``
entries, so a merge never copies more than two runs' worth: memory does not jump
as the read goes on). A run's hashes and numbers go to the file and its top 4 bytes
of each hash stay (sorted as the hashes are). A lookup is a binary search in each run
and piece (``numpy.searchsorted``).
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Callable, Sequence
from typing import IO

import numpy as np
import numpy.typing as npt

__all__ = ["RUN", "SeenReferences", "reference_hashes"]

#: Entries from which a sorted piece becomes a run (384 kB with 4-byte record numbers
#: while a piece; 128 kB in memory as a run): small, so that no merge copies much at
#: once (a lookup searches every run).
RUN = 1 << 15

Hashes = npt.NDArray[np.int64]
Numbers = npt.NDArray[np.uint32] | npt.NDArray[np.int64]
Tags = npt.NDArray[np.int32]
_UINT32_MAX = np.iinfo(np.uint32).max


def reference_hashes(references: Sequence[str]) -> Hashes:
    """Each reference's 64-bit ``hash`` (SipHash, kept by each ``str`` once computed): a
    candidate for equality only, so its per-process seed changes nothing read."""
    return np.fromiter(map(hash, references), dtype=np.int64, count=len(references))


def _tags(hashes: Hashes) -> Tags:
    """A hash's top 4 bytes (an arithmetic shift: in the order of the hashes)."""
    return (hashes >> 32).astype(np.int32)


class _Run:
    """A run: its tags in memory, its hashes and record numbers (int64) in the file at
    ``offset`` (hashes first, then numbers)."""

    __slots__ = ("offset", "tags")

    def __init__(self, tags: Tags, offset: int) -> None:
        self.tags = tags
        self.offset = offset


class SeenReferences:
    """The references of the records accepted so far, for the repeat check of one read.

    ::

        seen = SeenReferences(reference_of)  # reference_of(numbers) -> {number: reference}
        firsts = seen.check(references, numbers)  # per record: None or the first's number

    ``check`` takes a chunk's candidate records in file order (their references and
    record numbers, numbers increasing across calls) and gives, for each, ``None``
    when its reference is new (the record is then accepted and remembered) or the
    number of the earlier accepted record with the same reference (the record is a
    repeat, not remembered). ``reference_of`` gives the reference of earlier accepted
    records by number; it is called only on a hash hit.
    """

    def __init__(
        self,
        reference_of: Callable[[Sequence[int]], dict[int, str]],
        hashes: Callable[[Sequence[str]], Hashes] | None = None,
    ) -> None:
        self._reference_of = reference_of
        self._hashes = reference_hashes if hashes is None else hashes
        self._runs: list[_Run] = []
        self._file: IO[bytes] | None = None
        self._end = 0
        self._pieces: list[tuple[Hashes, Numbers]] = []
        self._pending = 0
        self._wide = False
        self._known: dict[int, str] = {}
        """References read back (record number -> reference): the repeated ones only."""

    def __len__(self) -> int:
        return sum(len(run.tags) for run in self._runs) + self._pending

    @property
    def arrays(self) -> list[npt.NDArray[np.generic]]:
        """What is kept in memory per accepted record: each run's tags, each piece's
        hashes and numbers."""
        kept: list[npt.NDArray[np.generic]] = [run.tags for run in self._runs]
        for hashes, numbers in self._pieces:
            kept += [hashes, numbers]
        return kept

    def check(self, references: Sequence[str], numbers: Sequence[int]) -> list[int | None]:
        """Per record of the chunk: ``None`` (new, now remembered) or the first's number."""
        if len(references) != len(numbers):
            raise ValueError("one record number per reference")
        if not len(references):
            return []
        if not self._wide and max(numbers) > _UINT32_MAX:
            self._widen()
        hashes = self._hashes(references)
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        earlier = self._earlier(ordered, order)
        # Rows whose hash a row before them in the chunk has (stable sort: in row order).
        again = order[1:][ordered[1:] == ordered[:-1]]
        suspects = set(earlier) | set(again.tolist())
        firsts: list[int | None] = [None] * len(references)
        if not suspects:
            self._add(ordered, np.asarray(numbers, dtype=np.int64)[order])
            return firsts
        wanted = {n for row in suspects for n in earlier.get(row, ())} - set(self._known)
        if wanted:
            self._known.update(self._reference_of(sorted(wanted)))
        accepted: dict[int, list[int]] = {}  # hash -> rows of this chunk accepted
        for row in range(len(references)):
            key = int(hashes[row])
            if row in suspects:
                reference = references[row]
                candidates = [n for n in earlier.get(row, ()) if self._known[n] == reference]
                candidates += [
                    numbers[r] for r in accepted.get(key, ()) if references[r] == reference
                ]
                if candidates:
                    firsts[row] = min(candidates)
                    continue
            accepted.setdefault(key, []).append(row)
        keep = np.asarray([first is None for first in firsts], dtype=bool)[order]
        self._add(ordered[keep], np.asarray(numbers, dtype=np.int64)[order][keep])
        return firsts

    def _earlier(self, ordered: Hashes, order: npt.NDArray[np.intp]) -> dict[int, list[int]]:
        """Rows whose hash an earlier accepted record has: the numbers of those records
        (``ordered``: the chunk's hashes sorted, ``order``: their rows)."""
        found: dict[int, list[int]] = {}
        for kept, numbers in self._pieces:
            at = np.searchsorted(kept, ordered)
            inside = at < len(kept)
            hit = np.zeros(len(ordered), dtype=bool)
            hit[inside] = kept[at[inside]] == ordered[inside]
            for place in np.flatnonzero(hit).tolist():
                i = int(at[place])
                while i < len(kept) and kept[i] == ordered[place]:
                    found.setdefault(int(order[place]), []).append(int(numbers[i]))
                    i += 1
        if not self._runs:
            return found
        tags = _tags(ordered)
        for run in self._runs:
            at = np.searchsorted(run.tags, tags)
            inside = at < len(run.tags)
            hit = np.zeros(len(ordered), dtype=bool)
            hit[inside] = run.tags[at[inside]] == tags[inside]
            for place in np.flatnonzero(hit).tolist():
                low = int(at[place])
                high = int(np.searchsorted(run.tags, tags[place], side="right"))
                hashes, numbers = self._read(run, low, high)
                for number in numbers[hashes == ordered[place]].tolist():
                    found.setdefault(int(order[place]), []).append(number)
        return found

    def _read(self, run: _Run, low: int, high: int) -> tuple[Hashes, npt.NDArray[np.int64]]:
        """The hashes and record numbers of entries ``low`` to ``high`` of a run."""
        assert self._file is not None
        size = len(run.tags)
        fd = self._file.fileno()
        hashes = os.pread(fd, 8 * (high - low), run.offset + 8 * low)
        numbers = os.pread(fd, 8 * (high - low), run.offset + 8 * (size + low))
        return np.frombuffer(hashes, dtype=np.int64), np.frombuffer(numbers, dtype=np.int64)

    def _add(self, ordered: Hashes, numbers: npt.NDArray[np.int64]) -> None:
        """Remember these hashes (sorted) with their records' numbers."""
        if not len(ordered):
            return
        pieces = self._pieces
        pieces.append((ordered, self._narrow(numbers)))
        self._pending += len(ordered)
        # Merge like a binary counter (a piece at most as large as the next one is merged
        # into it): a few pieces, each entry merged a few times, no merge of the runs.
        while len(pieces) >= 2 and len(pieces[-2][0]) <= len(pieces[-1][0]):
            (h1, n1), (h2, n2) = pieces.pop(), pieces.pop()
            merged = np.concatenate([h2, h1])
            order = np.argsort(merged, kind="stable")
            pieces.append((merged[order], np.concatenate([n2, n1])[order]))
        if len(pieces[-1][0]) >= RUN:
            hashes, kept = pieces.pop()
            self._pending -= len(hashes)
            self._runs.append(_Run(_tags(hashes), self._write(hashes, kept)))

    def _write(self, hashes: Hashes, numbers: Numbers) -> int:
        """Append a run's hashes and numbers (int64) to the file: where they begin."""
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="casework-seen-")  # noqa: SIM115
            weakref.finalize(self, self._file.close)
        data = hashes.astype(np.int64).tobytes() + numbers.astype(np.int64).tobytes()
        offset = self._end
        os.pwrite(self._file.fileno(), data, offset)
        self._end += len(data)
        return offset

    def _narrow(self, numbers: npt.NDArray[np.int64]) -> Numbers:
        return numbers if self._wide else numbers.astype(np.uint32)

    def _widen(self) -> None:
        """Record numbers past 2**32 - 1: keep them in 8 bytes from now on (the runs'
        numbers are 8 bytes in the file already)."""
        self._wide = True
        self._pieces = [(h, n.astype(np.int64)) for h, n in self._pieces]
